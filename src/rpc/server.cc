#include "rpc/server.h"

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/use_awaitable.hpp>
#include <deque>
#include <map>

#include "common/check.h"
#include "rpc/frame.h"
#include "runtime/tcp_transport.h"

namespace borealis::rpc {

using asio::ip::tcp;
namespace {

constexpr auto kNoThrow = asio::experimental::as_tuple(asio::use_awaitable);

std::chrono::steady_clock::time_point DeadlineFrom(uint64_t timeout_ns) {
  const auto now = std::chrono::steady_clock::now();
  if (timeout_ns == 0) return std::chrono::steady_clock::time_point::max();
  const auto budget = std::chrono::nanoseconds(std::min<uint64_t>(
      timeout_ns, std::chrono::nanoseconds(std::chrono::hours(24 * 365)).count()));
  return now + budget;
}

}  // namespace

struct Server::Impl : std::enable_shared_from_this<Impl> {
  struct Connection {
    explicit Connection(tcp::socket s) : socket(std::move(s)) {}
    tcp::socket socket;
    bool open = true;
    bool writing = false;
    std::deque<std::string> queue;
    std::map<uint64_t, std::shared_ptr<ServerContext>> in_flight;
  };

  Impl(asio::any_io_executor ex, const ServiceRegistry* reg, ServerOptions opts)
      : executor(std::move(ex)), registry(reg), options(std::move(opts)), acceptor(executor) {}

  asio::any_io_executor executor;
  const ServiceRegistry* registry;
  const ServerOptions options;
  tcp::acceptor acceptor;
  std::string local_endpoint;
  bool started = false;
  bool stopped = false;
  uint64_t next_connection_id = 0;
  std::map<uint64_t, std::shared_ptr<Connection>> connections;
  ServerStats stats;

  static void Close(const std::shared_ptr<Connection>& connection) {
    if (!connection->open) return;
    connection->open = false;
    std::error_code ignored;
    connection->socket.close(ignored);
    connection->queue.clear();
    for (auto& [id, context] : connection->in_flight) context->MarkCancelled();
  }

  void Send(const std::shared_ptr<Connection>& connection, std::string frame) {
    if (!connection->open) return;
    if (connection->queue.size() >= options.max_queued_frames_per_connection) {
      Close(connection);  // the client does not read its responses
      return;
    }
    connection->queue.push_back(std::move(frame));
    if (!connection->writing) {
      connection->writing = true;
      asio::co_spawn(executor, Write(connection), asio::detached);
    }
  }

  void Respond(const std::shared_ptr<Connection>& connection, uint64_t id,
               const Result<std::string>& result) {
    FrameHeader header;
    header.set_kind(FrameHeader::RESPONSE);
    header.set_request_id(id);
    if (result.ok()) {
      Send(connection, EncodeFrame(header, *result));
      return;
    }
    const Status& status = result.status();
    header.set_status_code(static_cast<uint32_t>(status.code()));
    header.set_status_message(status.message());
    if (status.code() == Code::kSql) header.set_sqlstate(status.sqlstate());
    Send(connection, EncodeFrame(header, {}));
  }

  static asio::awaitable<void> Accept(std::shared_ptr<Impl> self);
  static asio::awaitable<void> Serve(std::shared_ptr<Impl> self,
                                     std::shared_ptr<Connection> connection, uint64_t id);
  static asio::awaitable<void> Write(std::shared_ptr<Connection> connection);
  static asio::awaitable<void> Handle(std::shared_ptr<Impl> self,
                                      std::shared_ptr<Connection> connection,
                                      std::shared_ptr<ServerContext> context, uint64_t id,
                                      std::string payload);
};

asio::awaitable<void> Server::Impl::Accept(std::shared_ptr<Impl> self) {
  while (!self->stopped) {
    auto [error, socket] = co_await self->acceptor.async_accept(kNoThrow);
    if (self->stopped || error == asio::error::operation_aborted) co_return;
    if (error) continue;  // e.g. out of file descriptors: keep serving existing connections
    if (self->connections.size() >= self->options.max_connections) {
      ++self->stats.connections_rejected;
      continue;  // the socket closes here
    }
    ++self->stats.connections_accepted;
    socket.set_option(tcp::no_delay(true));
    const uint64_t id = self->next_connection_id++;
    auto connection = std::make_shared<Connection>(std::move(socket));
    self->connections.emplace(id, connection);
    asio::co_spawn(self->executor, Serve(self, connection, id), asio::detached);
  }
}

asio::awaitable<void> Server::Impl::Serve(std::shared_ptr<Impl> self,
                                          std::shared_ptr<Connection> connection, uint64_t id) {
  FrameReader reader(self->options.max_frame_bytes);
  while (connection->open) {
    Result<Frame> frame = co_await reader.Next(connection->socket);
    if (!connection->open) break;
    if (!frame.ok()) {
      if (frame.status().code() == Code::kCorruption) ++self->stats.malformed_frames;
      break;
    }
    const FrameHeader& header = frame->header;
    if (header.kind() == FrameHeader::CANCEL) {
      ++self->stats.cancels_received;
      auto it = connection->in_flight.find(header.request_id());
      if (it != connection->in_flight.end()) it->second->MarkCancelled();
      continue;
    }
    if (header.kind() != FrameHeader::REQUEST ||
        connection->in_flight.count(header.request_id()) > 0) {
      ++self->stats.malformed_frames;  // a response sent to a server, or a reused request id
      break;
    }
    ++self->stats.calls;
    if (connection->in_flight.size() >= self->options.max_in_flight_per_connection) {
      ++self->stats.rejected_in_flight_limit;
      self->Respond(
          connection, header.request_id(),
          Status::ResourceExhausted("server has " + std::to_string(connection->in_flight.size()) +
                                    " calls in flight on this connection"));
      continue;
    }
    auto context =
        std::make_shared<ServerContext>(header.method(), DeadlineFrom(header.timeout_ns()));
    connection->in_flight.emplace(header.request_id(), context);
    asio::co_spawn(
        self->executor,
        Handle(self, connection, context, header.request_id(), std::move(frame->payload)),
        asio::detached);
  }
  Close(connection);
  self->connections.erase(id);
}

asio::awaitable<void> Server::Impl::Write(std::shared_ptr<Connection> connection) {
  while (connection->open && !connection->queue.empty()) {
    std::error_code error = co_await WriteSomeFrames(connection->socket, connection->queue);
    if (error) Close(connection);
  }
  connection->writing = false;
}

asio::awaitable<void> Server::Impl::Handle(std::shared_ptr<Impl> self,
                                           std::shared_ptr<Connection> connection,
                                           std::shared_ptr<ServerContext> context, uint64_t id,
                                           std::string payload) {
  Result<std::string> result = Status::Internal("unset");
  const MethodHandler* handler = self->registry->Find(context->method());
  if (handler == nullptr) {
    result = Status::NotFound("unknown rpc method: " + context->method());
  } else {
    try {
      result = co_await (*handler)(*context, std::move(payload));
    } catch (const std::exception& error) {
      result = Status::Internal(std::string("rpc handler threw: ") + error.what());
    } catch (...) {
      result = Status::Internal("rpc handler threw");
    }
  }
  connection->in_flight.erase(id);
  if (context->cancelled() || std::chrono::steady_clock::now() > context->deadline()) co_return;
  self->Respond(connection, id, result);
}

Server::Server(asio::any_io_executor executor, const ServiceRegistry* registry,
               ServerOptions options)
    : impl_(std::make_shared<Impl>(std::move(executor), registry, std::move(options))) {
  BOREALIS_CHECK(registry != nullptr);
}

Server::~Server() { Stop(); }

Status Server::Start() {
  BOREALIS_CHECK(!impl_->started);
  ASSIGN_OR_RETURN(auto host_port, runtime::ParseEndpoint(impl_->options.listen_endpoint));
  std::error_code error;
  const auto address = asio::ip::make_address(host_port.first, error);
  if (error)
    return Status::InvalidArgument("listen host must be an IP address: " + host_port.first);
  const tcp::endpoint endpoint(address, host_port.second);
  auto& acceptor = impl_->acceptor;
  acceptor.open(endpoint.protocol(), error);
  if (!error) acceptor.set_option(tcp::acceptor::reuse_address(true), error);
  if (!error) acceptor.bind(endpoint, error);
  if (!error) acceptor.listen(asio::socket_base::max_listen_connections, error);
  if (error) {
    std::error_code ignored;
    acceptor.close(ignored);
    return Status::IoError("rpc server listen on " + impl_->options.listen_endpoint + ": " +
                           error.message());
  }
  const auto bound = acceptor.local_endpoint();
  impl_->local_endpoint = bound.address().to_string() + ":" + std::to_string(bound.port());
  impl_->started = true;
  asio::co_spawn(impl_->executor, Impl::Accept(impl_), asio::detached);
  return Status::Ok();
}

void Server::Stop() {
  if (impl_->stopped) return;
  impl_->stopped = true;
  std::error_code ignored;
  impl_->acceptor.close(ignored);
  for (auto& [id, connection] : impl_->connections) Impl::Close(connection);
}

const std::string& Server::LocalEndpoint() const { return impl_->local_endpoint; }

ServerStats Server::stats() const { return impl_->stats; }

size_t Server::connections() const { return impl_->connections.size(); }

}  // namespace borealis::rpc
