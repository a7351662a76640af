// A test service for the RPC layer's tests and benchmark (not for production use).
//
// Methods: "Echo/Echo" answers with the request's payload; "Echo/Sleep" waits sleep_ms (or until
// the call is cancelled) and then echoes; "Echo/Fail" answers with Status code error_code.
// Single-threaded: the executor's thread.
#pragma once

#include <asio/any_io_executor.hpp>
#include <asio/awaitable.hpp>

#include "rpc/rpc.h"
#include "rpc/testing/echo.pb.h"

namespace borealis::rpc::testing {

class EchoService {
 public:
  explicit EchoService(asio::any_io_executor executor) : executor_(std::move(executor)) {}

  void RegisterWith(ServiceRegistry& registry);

  asio::awaitable<Result<EchoResponse>> Echo(ServerContext& context, EchoRequest request);
  asio::awaitable<Result<EchoResponse>> Sleep(ServerContext& context, EchoRequest request);
  asio::awaitable<Result<EchoResponse>> Fail(ServerContext& context, EchoRequest request);

  int sleeps_started = 0;
  int sleeps_cancelled = 0;  // Sleep calls that saw cancelled() before finishing

 private:
  asio::any_io_executor executor_;
};

}  // namespace borealis::rpc::testing
