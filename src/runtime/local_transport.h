// LocalTransport: a Transport that hands messages to peers in the same process without sockets,
// and uses TCP for every other peer (the embedded deployment's fast path, ARCHITECTURE §5).
//
// Contract (beyond transport.h):
// - Every LocalTransport of a process registers its listen endpoint in one LocalHub. Send() to
//   an endpoint registered there posts the message to that node's event loop (no syscall but
//   the loop's wake-up, no copy of the message); any other endpoint goes through the wrapped
//   TcpTransport, which also keeps accepting TCP peers (tools, other processes). The receiver
//   sees the same (sender endpoint, bytes) either way: `from` is the sender's listen endpoint.
// - Best effort like any Transport: a message to a node that stops before it is delivered is
//   dropped; at most kMaxLocalQueuedMessages messages wait for one receiver (Send drops beyond,
//   counted in local_dropped()). Messages from one sender to one receiver are delivered in the
//   order sent (one FIFO post queue per loop).
// - SendGathered() to a local peer joins body and trailer once (the receiver owns the result);
//   to a TCP peer the shared body is written as it is.
// - Threading: like TcpTransport, construct, Start(), Send(), SetHandler() and Stop() on the
//   node's loop thread. LocalHub is thread-safe and must outlive every transport registered in
//   it.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "common/status.h"
#include "runtime/tcp_transport.h"
#include "runtime/transport.h"

namespace borealis::runtime {

inline constexpr size_t kMaxLocalQueuedMessages = 1 << 16;

// Runs a function on a node's event-loop thread (e.g. asio::post to its io_context).
using LoopPoster = std::function<void(std::function<void()>)>;

// The in-process endpoints of one process. Thread-safe.
class LocalHub {
 public:
  // One registered node: how to reach its loop, and its handler (read and written only on
  // that loop).
  struct Receiver {
    LoopPoster post;
    MessageHandler handler;
    std::atomic<size_t> queued{0};
  };

  enum class Delivery { kNotLocal, kQueued, kDropped };

  void Add(const std::string& endpoint, std::shared_ptr<Receiver> receiver);
  // Removes `endpoint` if it is still registered to `receiver`. After it returns nothing more
  // is posted to that receiver's loop (so the loop may be destroyed).
  void Remove(const std::string& endpoint, const Receiver* receiver);
  bool Contains(const std::string& endpoint) const;
  // Posts `message` from `from` to the loop of the node registered as `to`, if any.
  Delivery Post(const std::string& to, const std::string& from, std::string& message);

 private:
  mutable std::mutex mutex_;
  std::map<std::string, std::shared_ptr<Receiver>, std::less<>> receivers_;
};

class LocalTransport final : public Transport {
 public:
  // `hub` may be null: then this is a plain TcpTransport.
  LocalTransport(asio::io_context& io, TcpTransportOptions options, LocalHub* hub);
  ~LocalTransport() override;  // calls Stop()

  // Starts the TCP listener, then registers the bound endpoint in the hub.
  Status Start();
  // Leaves the hub (messages not yet delivered to this node are dropped) and stops TCP.
  void Stop();

  const std::string& LocalEndpoint() const override { return tcp_.LocalEndpoint(); }
  void SetHandler(MessageHandler handler) override;
  void Send(const std::string& to, std::string message) override;
  void SendGathered(const std::string& to, std::shared_ptr<const std::string> body,
                    std::string trailer) override;

  TcpTransportStats tcp_stats() const { return tcp_.stats(); }
  uint64_t local_sent() const { return local_sent_; }
  uint64_t local_dropped() const { return local_dropped_; }

 private:
  // True when `to` is a local node (the message was handed over or dropped there).
  bool SendLocal(const std::string& to, std::string& message);

  TcpTransport tcp_;
  LocalHub* hub_;
  std::shared_ptr<LocalHub::Receiver> receiver_;
  bool registered_ = false;
  uint64_t local_sent_ = 0;
  uint64_t local_dropped_ = 0;
};

}  // namespace borealis::runtime
