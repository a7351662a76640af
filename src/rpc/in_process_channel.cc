#include "rpc/in_process_channel.h"

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>

#include "common/check.h"
#include "rpc/pending_call.h"

namespace borealis::rpc {
namespace {

using State = InProcessChannel::State;

asio::awaitable<void> RunHandler(std::shared_ptr<State> state,
                                 std::shared_ptr<internal::PendingCall> call,
                                 std::shared_ptr<ServerContext> context, std::string request) {
  Result<std::string> result = Status::Internal("unset");
  const MethodHandler* handler = state->registry->Find(context->method());
  if (handler == nullptr) {
    result = Status::NotFound("unknown rpc method: " + context->method());
  } else {
    try {
      result = co_await (*handler)(*context, std::move(request));
    } catch (const std::exception& error) {
      result = Status::Internal(std::string("rpc handler threw: ") + error.what());
    } catch (...) {
      result = Status::Internal("rpc handler threw");
    }
  }
  --state->in_flight;
  call->Complete(std::move(result));
}

asio::awaitable<Result<std::string>> CallInProcess(std::shared_ptr<State> state, std::string method,
                                                   std::string request, CallOptions options) {
  BOREALIS_CHECK(options.timeout.count() > 0, options.timeout.count());
  if (options.cancel != nullptr && options.cancel->cancelled()) {
    co_return Status::Cancelled("rpc cancelled");
  }
  if (state->in_flight >= state->max_in_flight) {
    co_return Status::ResourceExhausted("in-process channel has " +
                                        std::to_string(state->max_in_flight) +
                                        " calls in flight (max_in_flight)");
  }
  ++state->in_flight;
  auto call = std::make_shared<internal::PendingCall>(state->executor, options.timeout);
  auto context = std::make_shared<ServerContext>(
      std::move(method), std::chrono::steady_clock::now() + options.timeout);
  asio::co_spawn(state->executor, RunHandler(state, call, context, std::move(request)),
                 asio::detached);
  internal::CancelRegistration registration(options.cancel, call.get());
  Result<std::string> result = co_await call->Wait();
  if (!result.ok() && (result.status().code() == Code::kDeadlineExceeded ||
                       result.status().code() == Code::kCancelled)) {
    context->MarkCancelled();
  }
  co_return result;
}

}  // namespace

InProcessChannel::InProcessChannel(asio::any_io_executor executor, const ServiceRegistry* registry,
                                   size_t max_in_flight)
    : state_(std::make_shared<State>(State{std::move(executor), registry, max_in_flight})) {
  BOREALIS_CHECK(registry != nullptr);
  BOREALIS_CHECK(max_in_flight > 0);
}

asio::awaitable<Result<std::string>> InProcessChannel::Call(std::string method, std::string request,
                                                            CallOptions options) {
  return CallInProcess(state_, std::move(method), std::move(request), options);
}

}  // namespace borealis::rpc
