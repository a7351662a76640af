// Production Transport over TCP with standalone asio and C++20 coroutines.
//
// Contract (beyond transport.h):
// - Frames are a 4-byte big-endian length followed by that many bytes. Each outbound
//   connection starts with one hello frame carrying the sender's listen endpoint, so that the
//   receiver can name the sender; every following frame is one message.
// - One outbound connection per peer, opened on first Send(), kept open and reused; when it
//   fails, the messages being written are lost and the transport reconnects with exponential
//   backoff (reconnect_delay_min..reconnect_delay_max) while messages are queued. Messages to
//   one peer are delivered in order, except that a reconnect may lose some.
// - Limits: max_queued_messages_per_peer (Send drops beyond it), max_peers outbound,
//   max_inbound_connections (extra connections are closed), max_message_bytes (an inbound frame
//   above it closes that connection). Drops are counted in stats().
// - Threading: construct, Start() and use on the thread that runs the io_context (Start() may
//   also be called before io.run()). Stop() closes everything; the io_context must outlive
//   every coroutine the transport spawned (run it until they finish or destroy it afterwards).
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "common/status.h"
#include "runtime/transport.h"

namespace asio {
class io_context;
}

namespace borealis::runtime {

struct TcpTransportOptions {
  std::string listen_endpoint = "127.0.0.1:0";  // port 0: ephemeral
  size_t max_message_bytes = kMaxMessageBytes;
  size_t max_queued_messages_per_peer = 4096;
  size_t max_peers = 1024;
  size_t max_inbound_connections = 1024;
  std::chrono::milliseconds reconnect_delay_min{5};
  std::chrono::milliseconds reconnect_delay_max{1000};
};

struct TcpTransportStats {
  uint64_t sent = 0;
  uint64_t received = 0;
  uint64_t dropped_queue_full = 0;
  uint64_t dropped_oversized = 0;
  uint64_t dropped_connection_failed = 0;
  uint64_t connects = 0;
};

class TcpTransport final : public Transport {
 public:
  TcpTransport(asio::io_context& io, TcpTransportOptions options);
  ~TcpTransport() override;  // calls Stop()

  // Binds and listens. LocalEndpoint() then reports the bound port.
  Status Start();
  void Stop();

  const std::string& LocalEndpoint() const override;
  void SetHandler(MessageHandler handler) override;
  void Send(const std::string& to, std::string message) override;
  // Writes `body` from the shared buffer (no copy).
  void SendGathered(const std::string& to, std::shared_ptr<const std::string> body,
                    std::string trailer) override;
  TcpTransportStats stats() const;

  struct Impl;

 private:
  std::shared_ptr<Impl> impl_;  // shared with the coroutines it spawns
};

// Splits "host:port". InvalidArgument when malformed.
Result<std::pair<std::string, uint16_t>> ParseEndpoint(const std::string& endpoint);

}  // namespace borealis::runtime
