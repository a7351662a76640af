// The RPC client: a Channel to one server endpoint over TCP.
//
// Contract (beyond rpc.h):
// - One connection, opened on the first call and reused by every later call; calls are
//   multiplexed on it by request id. When it fails (or the server closes it), every call in
//   flight completes with Unavailable; the next call reconnects.
// - At most options.max_in_flight calls at a time; beyond it Call() returns ResourceExhausted
//   at once. Frames waiting to be written are bounded by the same limit (a request and maybe a
//   cancel per call).
// - A connection attempt that takes longer than connect_timeout fails its calls with
//   Unavailable.
// - Threading: construct and call on the thread running `executor` (single-threaded
//   io_context). The client must outlive its calls; Close() (also run by the destructor) fails
//   the calls in flight with Unavailable.
#pragma once

#include <asio/any_io_executor.hpp>
#include <memory>
#include <string>

#include "rpc/rpc.h"

namespace borealis::rpc {

struct ClientOptions {
  size_t max_in_flight = kDefaultMaxInFlightCalls;
  size_t max_frame_bytes = kMaxFrameBytes;
  std::chrono::milliseconds connect_timeout{2000};
};

struct ClientStats {
  uint64_t connects = 0;
  uint64_t calls = 0;
  uint64_t rejected_in_flight_limit = 0;
};

class Client final : public Channel {
 public:
  Client(asio::any_io_executor executor, std::string endpoint, ClientOptions options = {});
  ~Client() override;

  asio::awaitable<Result<std::string>> Call(std::string method, std::string request,
                                            CallOptions options) override;
  void Close();

  size_t in_flight() const;
  ClientStats stats() const;

  struct Impl;

 private:
  std::shared_ptr<Impl> impl_;  // shared with the coroutines it spawns
};

}  // namespace borealis::rpc
