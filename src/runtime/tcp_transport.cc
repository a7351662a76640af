#include "runtime/tcp_transport.h"

#include <algorithm>
#include <asio/awaitable.hpp>
#include <asio/co_spawn.hpp>
#include <asio/connect.hpp>
#include <asio/detached.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/read.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/write.hpp>
#include <charconv>
#include <deque>
#include <map>
#include <optional>
#include <vector>

#include "common/check.h"

namespace borealis::runtime {

using asio::ip::tcp;
namespace {

constexpr auto kNoThrow = asio::experimental::as_tuple(asio::use_awaitable);
constexpr size_t kMaxHelloBytes = 256;        // the hello frame carries one endpoint string
constexpr size_t kMaxMessagesPerWrite = 256;  // frames gathered into one write

void PutU32(uint32_t value, char* out) {
  out[0] = static_cast<char>(value >> 24);
  out[1] = static_cast<char>(value >> 16);
  out[2] = static_cast<char>(value >> 8);
  out[3] = static_cast<char>(value);
}

uint32_t GetU32(const char* in) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(in);
  return (uint32_t{bytes[0]} << 24) | (uint32_t{bytes[1]} << 16) | (uint32_t{bytes[2]} << 8) |
         uint32_t{bytes[3]};
}

}  // namespace

Result<std::pair<std::string, uint16_t>> ParseEndpoint(const std::string& endpoint) {
  const size_t colon = endpoint.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == endpoint.size()) {
    return Status::InvalidArgument("endpoint is not host:port: " + endpoint);
  }
  unsigned port = 0;
  const char* begin = endpoint.data() + colon + 1;
  const char* end = endpoint.data() + endpoint.size();
  auto [ptr, error] = std::from_chars(begin, end, port);
  if (error != std::errc() || ptr != end || port > 65535) {
    return Status::InvalidArgument("bad port in endpoint: " + endpoint);
  }
  std::string host = endpoint.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  return std::make_pair(std::move(host), static_cast<uint16_t>(port));
}

struct TcpTransport::Impl : std::enable_shared_from_this<Impl> {
  // One queued message: `*body` (shared with its owner, may be null) then `trailer`.
  struct Outgoing {
    std::shared_ptr<const std::string> body;
    std::string trailer;
    size_t size() const { return (body ? body->size() : 0) + trailer.size(); }
  };
  struct Peer {
    explicit Peer(asio::io_context& io, std::string to) : endpoint(std::move(to)), backoff(io) {}
    std::string endpoint;
    std::deque<Outgoing> queue;
    std::optional<tcp::socket> socket;
    asio::steady_timer backoff;
    bool running = false;  // a RunPeer coroutine owns the queue's draining
  };

  Impl(asio::io_context& io_context, TcpTransportOptions opts)
      : io(io_context), options(std::move(opts)), acceptor(io_context) {}

  asio::io_context& io;
  const TcpTransportOptions options;
  tcp::acceptor acceptor;
  std::string local_endpoint;
  MessageHandler handler;
  bool started = false;
  bool stopped = false;
  std::map<std::string, std::unique_ptr<Peer>> peers;
  uint64_t next_inbound_id = 0;
  std::map<uint64_t, tcp::socket*> inbound;  // live inbound connections, for Stop()
  TcpTransportStats stats;

  static asio::awaitable<void> Accept(std::shared_ptr<Impl> self);
  static asio::awaitable<void> RunInbound(std::shared_ptr<Impl> self, tcp::socket socket);
  static asio::awaitable<void> RunPeer(std::shared_ptr<Impl> self, Peer* peer);
  static asio::awaitable<bool> Connect(std::shared_ptr<Impl> self, Peer* peer);
};

asio::awaitable<void> TcpTransport::Impl::Accept(std::shared_ptr<Impl> self) {
  while (!self->stopped) {
    auto [error, socket] = co_await self->acceptor.async_accept(kNoThrow);
    if (self->stopped) co_return;
    if (error) {
      if (error == asio::error::operation_aborted) co_return;
      continue;  // e.g. EMFILE: keep serving the connections we have
    }
    if (self->inbound.size() >= self->options.max_inbound_connections) continue;  // closes it
    asio::co_spawn(self->io, RunInbound(self, std::move(socket)), asio::detached);
  }
}

asio::awaitable<void> TcpTransport::Impl::RunInbound(std::shared_ptr<Impl> self,
                                                     tcp::socket socket) {
  const uint64_t id = self->next_inbound_id++;
  self->inbound.emplace(id, &socket);
  socket.set_option(tcp::no_delay(true));
  std::string from;
  char header[4];
  bool hello = true;
  while (!self->stopped) {
    auto [error, n] = co_await asio::async_read(socket, asio::buffer(header), kNoThrow);
    if (error) break;
    const uint32_t length = GetU32(header);
    const size_t limit = hello ? kMaxHelloBytes : self->options.max_message_bytes;
    if (length > limit) break;  // malformed or hostile: drop the connection
    std::string body(length, '\0');
    auto [body_error, body_n] = co_await asio::async_read(socket, asio::buffer(body), kNoThrow);
    if (body_error) break;
    if (hello) {
      from = std::move(body);
      hello = false;
      continue;
    }
    ++self->stats.received;
    if (self->handler && !self->stopped) self->handler(from, std::move(body));
  }
  std::error_code ignored;
  socket.close(ignored);
  self->inbound.erase(id);
}

asio::awaitable<bool> TcpTransport::Impl::Connect(std::shared_ptr<Impl> self, Peer* peer) {
  auto parsed = ParseEndpoint(peer->endpoint);
  if (!parsed.ok()) co_return false;
  std::vector<tcp::endpoint> targets;
  std::error_code address_error;
  auto address = asio::ip::make_address(parsed->first, address_error);
  if (!address_error) {
    targets.emplace_back(address, parsed->second);
  } else {
    tcp::resolver resolver(self->io);
    auto [error, results] =
        co_await resolver.async_resolve(parsed->first, std::to_string(parsed->second), kNoThrow);
    if (error) co_return false;
    for (const auto& entry : results) targets.push_back(entry.endpoint());
  }
  tcp::socket socket(self->io);
  auto [error, connected] = co_await asio::async_connect(socket, targets, kNoThrow);
  if (error || self->stopped) co_return false;
  socket.set_option(tcp::no_delay(true));
  std::string hello(4, '\0');
  PutU32(static_cast<uint32_t>(self->local_endpoint.size()), hello.data());
  hello += self->local_endpoint;
  auto [write_error, written] = co_await asio::async_write(socket, asio::buffer(hello), kNoThrow);
  if (write_error) co_return false;
  peer->socket.emplace(std::move(socket));
  ++self->stats.connects;
  co_return true;
}

asio::awaitable<void> TcpTransport::Impl::RunPeer(std::shared_ptr<Impl> self, Peer* peer) {
  auto delay = self->options.reconnect_delay_min;
  while (!self->stopped && !peer->queue.empty()) {
    if (!peer->socket) {
      if (!co_await Connect(self, peer)) {
        if (self->stopped) break;
        peer->backoff.expires_after(delay);
        co_await peer->backoff.async_wait(kNoThrow);
        delay = std::min(delay * 2, self->options.reconnect_delay_max);
        continue;
      }
      delay = self->options.reconnect_delay_min;
    }
    // Gather queued messages into one write: length prefixes and bodies as a buffer sequence.
    const size_t count = std::min(peer->queue.size(), kMaxMessagesPerWrite);
    std::vector<Outgoing> batch;
    batch.reserve(count);
    for (size_t i = 0; i < count; ++i) {
      batch.push_back(std::move(peer->queue.front()));
      peer->queue.pop_front();
    }
    std::vector<char> prefixes(4 * count);
    std::vector<asio::const_buffer> buffers;
    buffers.reserve(3 * count);
    for (size_t i = 0; i < count; ++i) {
      PutU32(static_cast<uint32_t>(batch[i].size()), &prefixes[4 * i]);
      buffers.emplace_back(&prefixes[4 * i], 4);
      if (batch[i].body) buffers.emplace_back(asio::buffer(*batch[i].body));
      buffers.emplace_back(asio::buffer(batch[i].trailer));
    }
    auto [error, n] = co_await asio::async_write(*peer->socket, buffers, kNoThrow);
    if (error) {
      self->stats.dropped_connection_failed += count;
      std::error_code ignored;
      peer->socket->close(ignored);
      peer->socket.reset();
      continue;
    }
    self->stats.sent += count;
  }
  peer->running = false;
}

TcpTransport::TcpTransport(asio::io_context& io, TcpTransportOptions options)
    : impl_(std::make_shared<Impl>(io, std::move(options))) {}

TcpTransport::~TcpTransport() { Stop(); }

Status TcpTransport::Start() {
  BOREALIS_CHECK(!impl_->started);
  ASSIGN_OR_RETURN(auto host_port, ParseEndpoint(impl_->options.listen_endpoint));
  std::error_code error;
  auto address = asio::ip::make_address(host_port.first, error);
  if (error)
    return Status::InvalidArgument("listen host must be an IP address: " + host_port.first);
  tcp::endpoint endpoint(address, host_port.second);
  auto& acceptor = impl_->acceptor;
  acceptor.open(endpoint.protocol(), error);
  if (!error) acceptor.set_option(tcp::acceptor::reuse_address(true), error);
  if (!error) acceptor.bind(endpoint, error);
  if (!error) acceptor.listen(asio::socket_base::max_listen_connections, error);
  if (error) {
    acceptor.close(error);
    return Status::IoError("listen on " + impl_->options.listen_endpoint + ": " + error.message());
  }
  const auto bound = acceptor.local_endpoint();
  impl_->local_endpoint = bound.address().to_string() + ":" + std::to_string(bound.port());
  impl_->started = true;
  asio::co_spawn(impl_->io, Impl::Accept(impl_), asio::detached);
  return Status::Ok();
}

void TcpTransport::Stop() {
  if (impl_->stopped) return;
  impl_->stopped = true;
  std::error_code ignored;
  impl_->acceptor.close(ignored);
  for (auto& [endpoint, peer] : impl_->peers) {
    peer->backoff.cancel();
    if (peer->socket) peer->socket->close(ignored);
    peer->queue.clear();
  }
  for (auto& [id, socket] : impl_->inbound) socket->close(ignored);
  impl_->handler = nullptr;
}

const std::string& TcpTransport::LocalEndpoint() const { return impl_->local_endpoint; }

void TcpTransport::SetHandler(MessageHandler handler) { impl_->handler = std::move(handler); }

void TcpTransport::Send(const std::string& to, std::string message) {
  SendGathered(to, nullptr, std::move(message));
}

void TcpTransport::SendGathered(const std::string& to, std::shared_ptr<const std::string> body,
                                std::string trailer) {
  Impl& impl = *impl_;
  if (impl.stopped) return;
  Impl::Outgoing message{std::move(body), std::move(trailer)};
  if (message.size() > impl.options.max_message_bytes) {
    ++impl.stats.dropped_oversized;
    return;
  }
  auto it = impl.peers.find(to);
  if (it == impl.peers.end()) {
    if (impl.peers.size() >= impl.options.max_peers) {
      ++impl.stats.dropped_queue_full;
      return;
    }
    it = impl.peers.emplace(to, std::make_unique<Impl::Peer>(impl.io, to)).first;
  }
  Impl::Peer* peer = it->second.get();
  if (peer->queue.size() >= impl.options.max_queued_messages_per_peer) {
    ++impl.stats.dropped_queue_full;
    return;
  }
  peer->queue.push_back(std::move(message));
  if (!peer->running) {
    peer->running = true;
    asio::co_spawn(impl.io, Impl::RunPeer(impl_, peer), asio::detached);
  }
}

TcpTransportStats TcpTransport::stats() const { return impl_->stats; }

}  // namespace borealis::runtime
