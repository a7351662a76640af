// The RPC server: accepts TCP connections and dispatches request frames to a ServiceRegistry.
//
// Contract (beyond rpc.h):
// - Every request runs as its own coroutine, so a slow handler does not block the connection.
//   Responses go back in completion order, matched by request id.
// - A cancel frame, the caller's deadline passing, or the connection closing mark the call's
//   ServerContext cancelled; a cancelled call's response is not sent.
// - Bad input never takes the server down: a malformed frame (oversized, bad header length,
//   unparsable header, unknown kind, a response sent to the server) closes that connection
//   only, and is counted in stats().malformed_frames.
// - Limits: max_connections (extra connections are closed at once), max_in_flight_per_
//   connection (extra requests get ResourceExhausted), max_frame_bytes, and
//   max_queued_frames_per_connection (a client that sends but never reads is disconnected).
// - Threading: construct, Start(), Stop() and run handlers on the thread running `executor`
//   (single-threaded io_context). The registry must outlive the server; the io_context must
//   outlive the coroutines the server spawned (run it until they finish or destroy it).
#pragma once

#include <asio/any_io_executor.hpp>
#include <memory>
#include <string>

#include "common/status.h"
#include "rpc/rpc.h"

namespace borealis::rpc {

struct ServerOptions {
  std::string listen_endpoint = "127.0.0.1:0";  // port 0: ephemeral
  size_t max_connections = 1024;
  size_t max_in_flight_per_connection = kDefaultMaxInFlightCalls;
  size_t max_queued_frames_per_connection = 2 * kDefaultMaxInFlightCalls;
  size_t max_frame_bytes = kMaxFrameBytes;
};

struct ServerStats {
  uint64_t connections_accepted = 0;
  uint64_t connections_rejected = 0;
  uint64_t calls = 0;
  uint64_t cancels_received = 0;
  uint64_t rejected_in_flight_limit = 0;
  uint64_t malformed_frames = 0;
};

class Server {
 public:
  Server(asio::any_io_executor executor, const ServiceRegistry* registry, ServerOptions options);
  ~Server();  // Stop()

  // Binds and listens. REQUIRES: called once.
  Status Start();
  // Closes the listener and every connection; handlers still running see cancelled().
  void Stop();
  const std::string& LocalEndpoint() const;
  ServerStats stats() const;
  size_t connections() const;

  struct Impl;

 private:
  std::shared_ptr<Impl> impl_;  // shared with the coroutines it spawns
};

}  // namespace borealis::rpc
