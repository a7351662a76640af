// Internal to src/rpc: one outstanding call as seen by the caller, shared by Client and
// InProcessChannel.
//
// The caller waits on `timer`, which expires at the call's deadline. Whoever completes the call
// first (the response, the cancel token, a connection failure) stores the result and cancels
// the timer, which wakes the caller; later completions are ignored. When the timer expires
// with no result, the deadline passed. Single-threaded (the channel's executor).
#pragma once

#include <asio/any_io_executor.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>
#include <optional>
#include <string>

#include "common/status.h"
#include "rpc/rpc.h"

namespace borealis::rpc::internal {

struct PendingCall {
  PendingCall(const asio::any_io_executor& executor, std::chrono::nanoseconds timeout)
      : timer(executor), deadline(std::chrono::steady_clock::now() + timeout) {
    timer.expires_after(timeout);
  }

  void Complete(Result<std::string> outcome) {
    if (result.has_value()) return;
    // A handler that noticed the passed deadline (ServerContext::cancelled()) may answer
    // before the caller's timer fires: it is still the deadline that ended the call.
    if (!outcome.ok() && std::chrono::steady_clock::now() >= deadline) {
      outcome = Status::DeadlineExceeded("rpc deadline exceeded");
    }
    result.emplace(std::move(outcome));
    timer.cancel();
  }

  // Waits for completion or the deadline; returns the outcome.
  asio::awaitable<Result<std::string>> Wait() {
    if (!result.has_value()) {
      co_await timer.async_wait(asio::experimental::as_tuple(asio::use_awaitable));
    }
    if (!result.has_value()) result.emplace(Status::DeadlineExceeded("rpc deadline exceeded"));
    co_return *result;
  }

  asio::steady_timer timer;
  std::chrono::steady_clock::time_point deadline;
  std::optional<Result<std::string>> result;
};

// Registers the call with its cancel token for as long as this object lives.
class CancelRegistration {
 public:
  CancelRegistration(CancelToken* token, PendingCall* call) : token_(token) {
    if (token_ != nullptr) {
      id_ = token_->Register([call] { call->Complete(Status::Cancelled("rpc cancelled")); });
    }
  }
  ~CancelRegistration() {
    if (token_ != nullptr) token_->Unregister(id_);
  }
  CancelRegistration(const CancelRegistration&) = delete;
  CancelRegistration& operator=(const CancelRegistration&) = delete;

 private:
  CancelToken* token_;
  uint64_t id_ = 0;
};

}  // namespace borealis::rpc::internal
