// The RPC layer's contract: a Channel to call methods on, and a ServiceRegistry of handlers.
//
// Contract:
// - A method is named "Service/Method". Requests and responses are bytes (usually serialized
//   protobuf messages; CallMethod/RegisterMethod do the (de)serialization).
// - Channel::Call() completes exactly once with the response bytes or an error Status:
//   DeadlineExceeded when CallOptions::timeout passes first, Cancelled when the CancelToken
//   fires first, ResourceExhausted when the channel already has its limit of calls in flight,
//   Unavailable when the connection fails or the channel is closed, NotFound for an unknown
//   method, or whatever Status the handler returned. After a deadline or a cancellation the
//   server is told (a cancel frame) and its handler sees ServerContext::cancelled().
// - Threading: a Channel, its CancelTokens and a ServiceRegistry's handlers are used on the
//   thread that runs the channel's executor (a single-threaded io_context). The Channel must
//   outlive the calls made on it; co_await a Call() where you make it.
// - Handlers are coroutines returning Result<response>. They must not throw (an escaping
//   exception becomes an Internal error on the wire, never a crash of the server). Register
//   member functions of a service object that outlives the server (STYLE.md: no lambda
//   coroutines stored in callbacks).
// - Limits: kMaxFrameBytes per frame, kDefaultMaxInFlightCalls per channel, and the server's
//   per-connection limits (server.h).
#pragma once

#include <asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "common/status.h"

namespace borealis::rpc {

inline constexpr size_t kMaxFrameBytes = 16 << 20;
inline constexpr size_t kDefaultMaxInFlightCalls = 1024;
inline constexpr std::chrono::nanoseconds kDefaultCallTimeout = std::chrono::seconds(10);

// Cancels the calls it was passed to. Single-threaded (the channel's executor thread).
class CancelToken {
 public:
  CancelToken() = default;
  CancelToken(const CancelToken&) = delete;
  CancelToken& operator=(const CancelToken&) = delete;
  ~CancelToken();

  void Cancel();
  bool cancelled() const { return cancelled_; }

  // For channels: run `fn` once on Cancel(); Unregister before the call completes.
  uint64_t Register(std::function<void()> fn);
  void Unregister(uint64_t id);

 private:
  bool cancelled_ = false;
  uint64_t next_id_ = 1;
  std::map<uint64_t, std::function<void()>> callbacks_;
};

struct CallOptions {
  std::chrono::nanoseconds timeout = kDefaultCallTimeout;  // must be > 0
  CancelToken* cancel = nullptr;                           // optional; must outlive the call
};

// What a handler knows about its call. Valid until the handler's coroutine completes.
class ServerContext {
 public:
  ServerContext(std::string method, std::chrono::steady_clock::time_point deadline)
      : method_(std::move(method)), deadline_(deadline) {}
  const std::string& method() const { return method_; }
  // The caller's deadline; time_point::max() when it sent none.
  std::chrono::steady_clock::time_point deadline() const { return deadline_; }
  // True once the caller gave up (cancel, deadline passed, or its connection closed). A
  // long-running handler should check it and stop early; its response is discarded anyway.
  bool cancelled() const { return cancelled_ || std::chrono::steady_clock::now() > deadline_; }
  void MarkCancelled() { cancelled_ = true; }

 private:
  std::string method_;
  std::chrono::steady_clock::time_point deadline_;
  bool cancelled_ = false;
};

class Channel {
 public:
  virtual ~Channel() = default;
  virtual asio::awaitable<Result<std::string>> Call(std::string method, std::string request,
                                                    CallOptions options) = 0;
};

using MethodHandler = std::function<asio::awaitable<Result<std::string>>(ServerContext& context,
                                                                         std::string request)>;

// Method name -> handler. Fill it before serving; it is read-only while a Server or an
// InProcessChannel uses it, and must outlive them.
class ServiceRegistry {
 public:
  // REQUIRES: method not registered yet.
  void Register(std::string method, MethodHandler handler);
  const MethodHandler* Find(std::string_view method) const;

  // Registers `(service->*fn)(context, request)` with protobuf (de)serialization.
  template <typename Request, typename Response, typename Service>
  void RegisterMethod(std::string method, Service* service,
                      asio::awaitable<Result<Response>> (Service::*fn)(ServerContext&, Request));

 private:
  std::map<std::string, MethodHandler, std::less<>> handlers_;
};

namespace internal {

template <typename Request, typename Response, typename Service>
asio::awaitable<Result<std::string>> InvokeTyped(
    Service* service, asio::awaitable<Result<Response>> (Service::*fn)(ServerContext&, Request),
    ServerContext& context, std::string bytes) {
  Request request;
  if (!request.ParseFromString(bytes)) {
    co_return Status::InvalidArgument("cannot parse request of " + context.method());
  }
  Result<Response> response = co_await (service->*fn)(context, std::move(request));
  if (!response.ok()) co_return response.status();
  co_return response->SerializeAsString();
}

}  // namespace internal

template <typename Request, typename Response, typename Service>
void ServiceRegistry::RegisterMethod(
    std::string method, Service* service,
    asio::awaitable<Result<Response>> (Service::*fn)(ServerContext&, Request)) {
  // A plain lambda (not a coroutine): the coroutine it returns copies service and fn.
  Register(std::move(method), [service, fn](ServerContext& context, std::string bytes) {
    return internal::InvokeTyped<Request, Response, Service>(service, fn, context,
                                                             std::move(bytes));
  });
}

// Calls `method` with a protobuf request and parses the protobuf response.
template <typename Response, typename Request>
asio::awaitable<Result<Response>> CallMethod(Channel& channel, std::string method, Request request,
                                             CallOptions options = {}) {
  Result<std::string> bytes =
      co_await channel.Call(std::move(method), request.SerializeAsString(), options);
  if (!bytes.ok()) co_return bytes.status();
  Response response;
  if (!response.ParseFromString(*bytes)) co_return Status::Corruption("cannot parse response");
  co_return response;
}

}  // namespace borealis::rpc
