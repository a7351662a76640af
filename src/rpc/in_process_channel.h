// An in-process Channel: calls a ServiceRegistry's handlers directly, without a network, with
// the same semantics as Client (deadlines, cancellation, in-flight limit, errors), so that the
// embedded deployment and tests use the same service interface as a cluster.
//
// Contract: requests and responses are still byte strings (serialized once each way); each
// call's handler runs as its own coroutine on the channel's executor. When the caller gives up
// (deadline or cancel) the handler's ServerContext is marked cancelled and its result dropped.
// Threading as for Client: construct and call on the executor's thread. The registry must
// outlive the channel; the channel must outlive its calls; the io_context must outlive the
// handler coroutines.
#pragma once

#include <asio/any_io_executor.hpp>
#include <memory>

#include "rpc/rpc.h"

namespace borealis::rpc {

class InProcessChannel final : public Channel {
 public:
  InProcessChannel(asio::any_io_executor executor, const ServiceRegistry* registry,
                   size_t max_in_flight = kDefaultMaxInFlightCalls);

  asio::awaitable<Result<std::string>> Call(std::string method, std::string request,
                                            CallOptions options) override;
  size_t in_flight() const { return state_->in_flight; }

  struct State {
    asio::any_io_executor executor;
    const ServiceRegistry* registry;
    size_t max_in_flight;
    size_t in_flight = 0;
  };

 private:
  std::shared_ptr<State> state_;  // shared with the handler coroutines
};

}  // namespace borealis::rpc
