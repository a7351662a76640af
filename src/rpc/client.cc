#include "rpc/client.h"

#include <asio/co_spawn.hpp>
#include <asio/connect.hpp>
#include <asio/detached.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>
#include <deque>
#include <map>

#include "common/check.h"
#include "rpc/frame.h"
#include "rpc/pending_call.h"
#include "runtime/tcp_transport.h"

namespace borealis::rpc {

using asio::ip::tcp;
namespace {
constexpr auto kNoThrow = asio::experimental::as_tuple(asio::use_awaitable);
}

struct Client::Impl : std::enable_shared_from_this<Impl> {
  Impl(asio::any_io_executor ex, std::string to, ClientOptions opts)
      : executor(std::move(ex)), endpoint(std::move(to)), options(opts) {}

  asio::any_io_executor executor;
  const std::string endpoint;
  const ClientOptions options;
  bool closed = false;
  std::shared_ptr<tcp::socket> socket;  // null while disconnected
  uint64_t generation = 0;              // bumped by every disconnect
  bool pumping = false;                 // a Pump coroutine owns connecting and writing
  std::deque<std::string> queue;        // encoded frames waiting to be written
  uint64_t next_request_id = 1;
  std::map<uint64_t, std::shared_ptr<internal::PendingCall>> pending;
  ClientStats stats;

  void Enqueue(std::string frame) {
    queue.push_back(std::move(frame));
    if (!pumping) {
      pumping = true;
      asio::co_spawn(executor, Pump(shared_from_this()), asio::detached);
    }
  }

  // Fails every call in flight and drops the connection of `at_generation`.
  void Disconnect(uint64_t at_generation, const Status& why) {
    if (at_generation != generation) return;  // that connection is already gone
    ++generation;
    if (socket) {
      std::error_code ignored;
      socket->close(ignored);
      socket.reset();
    }
    queue.clear();
    auto failed = std::move(pending);
    pending.clear();
    for (auto& [id, call] : failed) call->Complete(why);
  }

  static asio::awaitable<Status> Connect(std::shared_ptr<Impl> self);
  static asio::awaitable<void> Pump(std::shared_ptr<Impl> self);
  static asio::awaitable<void> Read(std::shared_ptr<Impl> self, std::shared_ptr<tcp::socket> socket,
                                    uint64_t generation);
  static asio::awaitable<Result<std::string>> Call(std::shared_ptr<Impl> self, std::string method,
                                                   std::string request, CallOptions options);
};

asio::awaitable<Status> Client::Impl::Connect(std::shared_ptr<Impl> self) {
  auto parsed = runtime::ParseEndpoint(self->endpoint);
  if (!parsed.ok()) co_return parsed.status();
  const auto& host_port = *parsed;
  std::error_code error;
  const auto address = asio::ip::make_address(host_port.first, error);
  std::vector<tcp::endpoint> targets;
  if (!error) {
    targets.emplace_back(address, host_port.second);
  } else {
    tcp::resolver resolver(self->executor);
    auto [resolve_error, results] = co_await resolver.async_resolve(
        host_port.first, std::to_string(host_port.second), kNoThrow);
    if (resolve_error)
      co_return Status::Unavailable("resolve " + self->endpoint + ": " + resolve_error.message());
    for (const auto& entry : results) targets.push_back(entry.endpoint());
  }
  auto socket = std::make_shared<tcp::socket>(self->executor);
  // Watchdog: closing the socket aborts a connect that takes too long.
  auto watchdog = std::make_shared<asio::steady_timer>(self->executor);
  watchdog->expires_after(self->options.connect_timeout);
  watchdog->async_wait([socket, watchdog](const std::error_code& expired) {
    if (!expired) {
      std::error_code ignored;
      socket->close(ignored);
    }
  });
  auto [connect_error, connected] = co_await asio::async_connect(*socket, targets, kNoThrow);
  watchdog->cancel();
  if (connect_error) {
    co_return Status::Unavailable("connect " + self->endpoint + ": " + connect_error.message());
  }
  if (self->closed) co_return Status::Unavailable("client closed");
  socket->set_option(tcp::no_delay(true));
  self->socket = socket;
  ++self->stats.connects;
  asio::co_spawn(self->executor, Read(self, socket, self->generation), asio::detached);
  co_return Status::Ok();
}

asio::awaitable<void> Client::Impl::Pump(std::shared_ptr<Impl> self) {
  while (!self->closed && !self->queue.empty()) {
    if (!self->socket) {
      const uint64_t generation = self->generation;
      Status connected = co_await Connect(self);
      if (!connected.ok()) {
        self->Disconnect(generation, connected);
        continue;
      }
    }
    auto socket = self->socket;
    if (!socket) continue;
    const uint64_t generation = self->generation;
    std::error_code error = co_await WriteSomeFrames(*socket, self->queue);
    if (error) self->Disconnect(generation, Status::Unavailable("write: " + error.message()));
  }
  self->pumping = false;
}

asio::awaitable<void> Client::Impl::Read(std::shared_ptr<Impl> self,
                                         std::shared_ptr<tcp::socket> socket, uint64_t generation) {
  FrameReader reader(self->options.max_frame_bytes);
  while (generation == self->generation) {
    Result<Frame> frame = co_await reader.Next(*socket);
    if (generation != self->generation) break;
    if (!frame.ok()) {
      self->Disconnect(generation, Status::Unavailable("connection to " + self->endpoint +
                                                       " lost: " + frame.status().message()));
      break;
    }
    const FrameHeader& header = frame->header;
    if (header.kind() != FrameHeader::RESPONSE) {
      self->Disconnect(generation,
                       Status::Unavailable("protocol error: server sent a non-response"));
      break;
    }
    auto it = self->pending.find(header.request_id());
    if (it == self->pending.end()) continue;  // a late answer to a call that gave up
    auto call = it->second;
    self->pending.erase(it);
    if (header.status_code() == 0) {
      call->Complete(std::move(frame->payload));
    } else if (header.status_code() == static_cast<uint32_t>(Code::kSql)) {
      call->Complete(Status::Sql(header.sqlstate(), header.status_message()));
    } else if (header.status_code() <= static_cast<uint32_t>(Code::kSql)) {
      call->Complete(
          Status::Error(static_cast<Code>(header.status_code()), header.status_message()));
    } else {
      call->Complete(
          Status::Internal("unknown status code from server: " + header.status_message()));
    }
  }
}

asio::awaitable<Result<std::string>> Client::Impl::Call(std::shared_ptr<Impl> self,
                                                        std::string method, std::string request,
                                                        CallOptions options) {
  BOREALIS_CHECK(options.timeout.count() > 0, options.timeout.count());
  if (self->closed) co_return Status::Unavailable("client closed");
  if (options.cancel != nullptr && options.cancel->cancelled()) {
    co_return Status::Cancelled("rpc cancelled");
  }
  if (self->pending.size() >= self->options.max_in_flight) {
    ++self->stats.rejected_in_flight_limit;
    co_return Status::ResourceExhausted("rpc client to " + self->endpoint + " has " +
                                        std::to_string(self->options.max_in_flight) +
                                        " calls in flight (max_in_flight)");
  }
  ++self->stats.calls;
  const uint64_t id = self->next_request_id++;
  auto call = std::make_shared<internal::PendingCall>(self->executor, options.timeout);
  self->pending.emplace(id, call);
  FrameHeader header;
  header.set_kind(FrameHeader::REQUEST);
  header.set_request_id(id);
  header.set_method(std::move(method));
  header.set_timeout_ns(static_cast<uint64_t>(options.timeout.count()));
  self->Enqueue(EncodeFrame(header, request));
  request.clear();

  internal::CancelRegistration registration(options.cancel, call.get());
  Result<std::string> result = co_await call->Wait();
  if (self->pending.erase(id) > 0 && self->socket && !self->closed) {
    // Still registered: we gave up (deadline or cancel) before the server answered. Tell it.
    FrameHeader cancel;
    cancel.set_kind(FrameHeader::CANCEL);
    cancel.set_request_id(id);
    self->Enqueue(EncodeFrame(cancel, {}));
  }
  co_return result;
}

Client::Client(asio::any_io_executor executor, std::string endpoint, ClientOptions options)
    : impl_(std::make_shared<Impl>(std::move(executor), std::move(endpoint), options)) {
  BOREALIS_CHECK(options.max_in_flight > 0);
}

Client::~Client() { Close(); }

asio::awaitable<Result<std::string>> Client::Call(std::string method, std::string request,
                                                  CallOptions options) {
  return Impl::Call(impl_, std::move(method), std::move(request), options);
}

void Client::Close() {
  if (impl_->closed) return;
  impl_->Disconnect(impl_->generation, Status::Unavailable("client closed"));
  impl_->closed = true;
}

size_t Client::in_flight() const { return impl_->pending.size(); }

ClientStats Client::stats() const { return impl_->stats; }

}  // namespace borealis::rpc
