// Messages between nodes, behind an interface so that the simulator can delay, lose, reorder
// and duplicate them.
//
// Contract:
// - An endpoint is a "host:port" string naming a node. A message is an opaque byte string.
// - Send() is fire-and-forget and best effort: a message may be lost (always possible: peer
//   down, queue full, connection reset, partition), and under the simulator also delayed,
//   reordered or duplicated. Protocols built on a Transport must tolerate all of these; use RPC
//   (src/rpc) when you need request/response with deadlines.
// - The handler registered with SetHandler() receives (sender endpoint, message) on the node's
//   event-loop thread, one message at a time. Messages that arrive with no handler set are
//   dropped.
// - All methods are called on the node's event-loop thread.
// - Messages larger than kMaxMessageBytes are dropped by Send().
#pragma once

#include <cstddef>
#include <functional>
#include <string>

namespace borealis::runtime {

// Large enough for one bulk-load write set (a million rows of pgbench -i is ~100 MiB); a
// chunked write-set protocol will replace this ceiling.
inline constexpr size_t kMaxMessageBytes = size_t{512} << 20;

using MessageHandler = std::function<void(const std::string& from, std::string message)>;

class Transport {
 public:
  virtual ~Transport() = default;
  virtual const std::string& LocalEndpoint() const = 0;
  virtual void SetHandler(MessageHandler handler) = 0;
  virtual void Send(const std::string& to, std::string message) = 0;
};

}  // namespace borealis::runtime
