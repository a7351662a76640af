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
#include <memory>
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
  // Sends one message made of `*body` followed by `trailer`. A transport that can write both
  // buffers without joining them (TCP) never copies `body`: a bulk payload shared with its
  // owner (who keeps it for resends) is sent as it is. The receiver gets one message, body
  // first, so it can keep the body as its own buffer by cutting the trailer off in place.
  // This default joins them (one copy) and calls Send().
  virtual void SendGathered(const std::string& to, std::shared_ptr<const std::string> body,
                            std::string trailer) {
    std::string message;
    message.reserve((body ? body->size() : 0) + trailer.size());
    if (body) message.append(*body);
    message.append(trailer);
    Send(to, std::move(message));
  }
};

}  // namespace borealis::runtime
