#include "rpc/testing/echo_service.h"

#include <asio/experimental/as_tuple.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>

namespace borealis::rpc::testing {

void EchoService::RegisterWith(ServiceRegistry& registry) {
  registry.RegisterMethod("Echo/Echo", this, &EchoService::Echo);
  registry.RegisterMethod("Echo/Sleep", this, &EchoService::Sleep);
  registry.RegisterMethod("Echo/Fail", this, &EchoService::Fail);
}

asio::awaitable<Result<EchoResponse>> EchoService::Echo(ServerContext&, EchoRequest request) {
  EchoResponse response;
  response.set_payload(std::move(*request.mutable_payload()));
  co_return response;
}

asio::awaitable<Result<EchoResponse>> EchoService::Sleep(ServerContext& context,
                                                         EchoRequest request) {
  ++sleeps_started;
  // Poll cancelled() every millisecond: handlers are told, not interrupted.
  const auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(request.sleep_ms());
  asio::steady_timer timer(executor_);
  while (std::chrono::steady_clock::now() < end) {
    if (context.cancelled()) {
      ++sleeps_cancelled;
      co_return Status::Cancelled("sleep cancelled");
    }
    timer.expires_after(std::chrono::milliseconds(1));
    co_await timer.async_wait(asio::experimental::as_tuple(asio::use_awaitable));
  }
  EchoResponse response;
  response.set_payload(std::move(*request.mutable_payload()));
  co_return response;
}

asio::awaitable<Result<EchoResponse>> EchoService::Fail(ServerContext&, EchoRequest request) {
  co_return Status::Error(static_cast<Code>(request.error_code()), "requested failure");
}

}  // namespace borealis::rpc::testing
