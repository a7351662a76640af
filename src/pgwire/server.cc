#include "pgwire/server.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <spdlog/spdlog.h>

#include <asio.hpp>
#include <asio/ssl.hpp>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <vector>

#include "pgwire/command.h"
#include "pgwire/encoder.h"
#include "pgwire/startup.h"

namespace borealis::pgwire {
namespace {

using asio::ip::tcp;

constexpr size_t kMinReadBytes = 512;
constexpr auto kAcceptRetryDelay = std::chrono::milliseconds(100);

// Received bytes not yet consumed. Starts empty, grows to what a frame needs (bounded by the
// decoder's limits) and drops back to nothing when idle and large.
class InputBuffer {
 public:
  std::string_view view() const { return {data_.get() + begin_, end_ - begin_}; }
  bool empty() const { return begin_ == end_; }
  void Consume(size_t n) {
    BOREALIS_CHECK_LE(n, end_ - begin_);
    begin_ += n;
    if (begin_ == end_) begin_ = end_ = 0;
  }
  // Room to read into so that the unconsumed bytes can reach `needed_total`.
  asio::mutable_buffer Writable(size_t needed_total) {
    size_t used = end_ - begin_;
    size_t want = std::max({needed_total, used + kMinReadBytes, kInitialInputBytes});
    if (want > capacity_) {
      size_t capacity = std::max(want, capacity_ * 2);
      auto data = std::make_unique<char[]>(capacity);
      if (used > 0) std::memcpy(data.get(), data_.get() + begin_, used);
      data_ = std::move(data);
      capacity_ = capacity;
      begin_ = 0;
      end_ = used;
    } else if (begin_ > 0 && capacity_ - end_ < want - used) {
      std::memmove(data_.get(), data_.get() + begin_, used);
      begin_ = 0;
      end_ = used;
    }
    return asio::buffer(data_.get() + end_, capacity_ - end_);
  }
  void Commit(size_t n) {
    BOREALIS_CHECK_LE(end_ + n, capacity_);
    end_ += n;
  }
  void ShrinkIfIdle() {
    if (empty() && capacity_ > kIdleInputCapacityBytes) {
      data_.reset();
      capacity_ = begin_ = end_ = 0;
    }
  }

 private:
  std::unique_ptr<char[]> data_;
  size_t capacity_ = 0;
  size_t begin_ = 0;
  size_t end_ = 0;
};

// TLS straight over the socket's file descriptor: OpenSSL reads and writes the non-blocking
// socket itself and the coroutine only waits for readiness. asio::ssl::stream would keep two
// 17 KiB staging buffers and a BIO pair (two more 17 KiB buffers) per connection for the
// whole connection's life; here an idle connection keeps just the SSL object, whose record
// buffers SSL_MODE_RELEASE_BUFFERS frees between messages. Calls never overlap: the
// connection coroutine reads, then writes, one at a time.
class TlsChannel {
 public:
  // REQUIRES: `socket` outlives the channel.
  TlsChannel(tcp::socket& socket, SSL_CTX* context) : socket_(socket), ssl_(SSL_new(context)) {}
  ~TlsChannel() {
    if (ssl_ != nullptr) SSL_free(ssl_);
  }
  TlsChannel(const TlsChannel&) = delete;
  TlsChannel& operator=(const TlsChannel&) = delete;

  // False when the handshake failed (logged) or the peer went away.
  asio::awaitable<bool> Handshake() {
    std::error_code ec;
    socket_.non_blocking(true, ec);
    if (ec || ssl_ == nullptr || SSL_set_fd(ssl_, socket_.native_handle()) != 1) {
      spdlog::debug("pgwire: cannot set up TLS: {}", ec ? ec.message() : LastError());
      co_return false;
    }
    for (;;) {
      ERR_clear_error();
      int result = SSL_accept(ssl_);
      if (result == 1) co_return true;
      if (!co_await WaitFor(SSL_get_error(ssl_, result), "handshake")) co_return false;
    }
  }

  // Bytes read (> 0), or 0 on EOF, close_notify or error.
  asio::awaitable<size_t> ReadSome(asio::mutable_buffer buffer) {
    for (;;) {
      ERR_clear_error();
      size_t n = 0;
      int result = SSL_read_ex(ssl_, buffer.data(), buffer.size(), &n);
      if (result == 1) co_return n;
      if (!co_await WaitFor(SSL_get_error(ssl_, result), "read")) co_return 0;
    }
  }

  // False when the peer is gone.
  asio::awaitable<bool> WriteAll(asio::const_buffer data) {
    const char* next = static_cast<const char*>(data.data());
    size_t left = data.size();
    while (left > 0) {
      ERR_clear_error();
      size_t n = 0;
      int result = SSL_write_ex(ssl_, next, left, &n);
      if (result == 1) {
        next += n;
        left -= n;
        continue;
      }
      if (!co_await WaitFor(SSL_get_error(ssl_, result), "write")) co_return false;
    }
    co_return true;
  }

 private:
  static std::string LastError() {
    char text[256];
    ERR_error_string_n(ERR_get_error(), text, sizeof(text));
    return text;
  }

  // Waits until the socket is ready for what OpenSSL asked; false for any other outcome.
  asio::awaitable<bool> WaitFor(int ssl_error, const char* what) {
    std::error_code ec;
    if (ssl_error == SSL_ERROR_WANT_READ) {
      co_await socket_.async_wait(tcp::socket::wait_read,
                                  asio::redirect_error(asio::use_awaitable, ec));
      co_return !ec;
    }
    if (ssl_error == SSL_ERROR_WANT_WRITE) {
      co_await socket_.async_wait(tcp::socket::wait_write,
                                  asio::redirect_error(asio::use_awaitable, ec));
      co_return !ec;
    }
    if (ssl_error != SSL_ERROR_ZERO_RETURN) {
      spdlog::debug("pgwire: TLS {} failed: {}", what,
                    ssl_error == SSL_ERROR_SYSCALL ? std::strerror(errno) : LastError());
    }
    co_return false;
  }

  tcp::socket& socket_;
  SSL* ssl_;
};

}  // namespace

class Server::Impl {
 public:
  Impl(ServerOptions options, qp::Engine& engine, const auth::RoleStore& roles,
       auth::RandomSource& random)
      : options_(std::move(options)), engine_(engine), roles_(roles), random_(random) {
    options_.io_threads = std::clamp(options_.io_threads, 1, kMaxIoThreads);
    options_.worker_threads = std::clamp(options_.worker_threads, 1, kMaxWorkerThreads);
    workers_ = std::make_unique<asio::thread_pool>(options_.worker_threads);
    options_.max_message_size_bytes =
        std::max(options_.max_message_size_bytes, kMinMaxMessageSizeBytes);
    listener_guard_.emplace(asio::make_work_guard(listener_context_));
    for (int i = 0; i < options_.io_threads; ++i) {
      contexts_.push_back(std::make_unique<asio::io_context>(1));
      guards_.emplace_back(asio::make_work_guard(*contexts_.back()));
    }
  }

  ~Impl() {
    Stop();
    for (auto& thread : threads_) {
      if (thread.joinable()) thread.join();
    }
    acceptor_.reset();
    listener_guard_.reset();
    // Statements still running finish before the connections they belong to are destroyed.
    workers_->join();
    // Destroying the contexts destroys the suspended connection coroutines and their sessions.
    guards_.clear();
    contexts_.clear();
  }

  Status Start();
  void Run();
  void Stop();
  uint16_t port() const { return port_; }
  size_t connection_count() const { return connections_.load(); }

  // Connection bookkeeping.
  void ConnectionClosed() { connections_.fetch_sub(1); }
  int32_t NextPid() { return next_pid_.fetch_add(1); }
  void RegisterCancel(int32_t pid, int32_t secret, qp::Session* session) {
    std::lock_guard lock(cancel_mutex_);
    cancel_targets_[pid] = {secret, session};
  }
  void UnregisterCancel(int32_t pid) {
    std::lock_guard lock(cancel_mutex_);
    cancel_targets_.erase(pid);
  }
  void Cancel(const CancelRequest& request) {
    // The lock is held across RequestCancel so the session cannot be destroyed meanwhile.
    std::lock_guard lock(cancel_mutex_);
    auto it = cancel_targets_.find(request.pid);
    if (it == cancel_targets_.end() || it->second.secret != request.secret) {
      spdlog::debug("pgwire: cancel request for unknown backend {}", request.pid);
      return;
    }
    it->second.session->RequestCancel();
  }

  const ServerOptions& options() const { return options_; }
  qp::Engine& engine() { return engine_; }
  const auth::RoleStore& roles() const { return roles_; }
  auth::RandomSource& random() { return random_; }
  asio::ssl::context* tls() { return tls_.get(); }
  asio::thread_pool::executor_type workers() { return workers_->get_executor(); }

 private:
  struct CancelTarget {
    int32_t secret;
    qp::Session* session;
  };

  asio::awaitable<void> AcceptLoop();
  asio::awaitable<void> Greet(tcp::socket socket, bool over_limit);

  ServerOptions options_;
  qp::Engine& engine_;
  const auth::RoleStore& roles_;
  auth::RandomSource& random_;
  // Accepts connections and reads their first packet, so CancelRequests are served even when
  // every I/O thread is busy running statements.
  asio::io_context listener_context_{1};
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> listener_guard_;
  std::vector<std::unique_ptr<asio::io_context>> contexts_;
  std::vector<asio::executor_work_guard<asio::io_context::executor_type>> guards_;
  std::vector<std::thread> threads_;
  std::unique_ptr<asio::thread_pool> workers_;
  std::unique_ptr<asio::ssl::context> tls_;
  std::unique_ptr<tcp::acceptor> acceptor_;
  uint16_t port_ = 0;
  std::atomic<size_t> connections_{0};
  std::atomic<int32_t> next_pid_{1000};
  std::atomic<bool> stopped_{false};
  size_t next_context_ = 0;  // used by the listener thread only
  std::mutex cancel_mutex_;
  std::unordered_map<int32_t, CancelTarget> cancel_targets_;  // GUARDED_BY(cancel_mutex_)
};

namespace {

// One client connection: startup/authentication, then the query phase.
class Connection {
 public:
  // `in` holds what the listener already read (the first startup packet).
  Connection(Server::Impl& server, tcp::socket socket, bool over_limit, InputBuffer in)
      : server_(server), socket_(std::move(socket)), over_limit_(over_limit), in_(std::move(in)) {}

  ~Connection() {
    if (registered_) server_.UnregisterCancel(pid_);
    session_.reset();
    server_.ConnectionClosed();
    *alive_ = false;
  }

  static asio::awaitable<void> Serve(std::unique_ptr<Connection> connection) {
    co_await connection->Run();
  }

 private:
  asio::awaitable<void> Run();
  asio::awaitable<bool> Startup();

  // Runs on a worker thread while the connection coroutine waits: handles `first` and then
  // the further complete frames already received (pipelining), up to kMaxFramesPerWorkerVisit,
  // stopping at the first that needs a flush or closes. Consumes what it handled.
  static asio::awaitable<CommandProcessor::Next> HandleOnWorker(Connection& self,
                                                                CommandProcessor& processor,
                                                                Frame first) {
    CommandProcessor::Next next = processor.Handle(first);
    self.in_.Consume(first.size_bytes);
    for (int handled = 1; handled < kMaxFramesPerWorkerVisit; ++handled) {
      if (next != CommandProcessor::Next::kContinue) break;
      if (self.out_.size() >= kFlushThresholdBytes) break;
      auto scan =
          ScanFrame(self.in_.view(), Phase::kTyped, self.server_.options().max_message_size_bytes);
      if (!scan.ok() || !scan->frame) break;  // framing errors are reported by ReadFrame
      next = processor.Handle(*scan->frame);
      self.in_.Consume(scan->frame->size_bytes);
    }
    co_return next;
  }

  asio::awaitable<size_t> ReadSome(asio::mutable_buffer buffer) {
    std::error_code ec;
    size_t n = tls_ ? co_await tls_->ReadSome(buffer)
                    : co_await socket_.async_read_some(
                          buffer, asio::redirect_error(asio::use_awaitable, ec));
    co_return ec ? 0 : n;
  }

  // Sends everything buffered. False when the peer is gone.
  asio::awaitable<bool> Flush() {
    if (out_.empty()) co_return true;
    std::error_code ec;
    asio::const_buffer data(out_.data().data(), out_.size());
    if (tls_) {
      if (!co_await tls_->WriteAll(data)) ec = asio::error::broken_pipe;
    } else {
      co_await asio::async_write(socket_, data, asio::redirect_error(asio::use_awaitable, ec));
    }
    out_.Clear();
    out_.ShrinkIfIdle();
    co_return !ec;
  }

  // The next complete frame, flushing pending output before waiting for the network. nullopt
  // on EOF, I/O error or a framing error (answered with FATAL 08P01 first).
  asio::awaitable<std::optional<Frame>> ReadFrame(Phase phase) {
    for (;;) {
      auto scan = ScanFrame(in_.view(), phase, server_.options().max_message_size_bytes);
      if (!scan.ok()) {
        spdlog::debug("pgwire: closing connection: {}", scan.status().ToString());
        out_.ErrorResponse(scan.status(), Severity::kFatal);
        co_await Flush();
        co_return std::nullopt;
      }
      if (scan->frame) co_return scan->frame;
      if (!co_await Flush()) co_return std::nullopt;
      in_.ShrinkIfIdle();
      size_t n = co_await ReadSome(in_.Writable(scan->needed_bytes));
      if (n == 0) co_return std::nullopt;
      in_.Commit(n);
    }
  }

  Server::Impl& server_;
  tcp::socket socket_;
  std::unique_ptr<TlsChannel> tls_;  // on socket_, once TLS starts
  bool over_limit_;
  InputBuffer in_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
  BackendWriter out_;
  std::optional<qp::SessionOptions> session_options_;
  std::unique_ptr<qp::Session> session_;
  int32_t pid_ = 0;
  int32_t secret_ = 0;
  bool registered_ = false;
};

asio::awaitable<bool> Connection::Startup() {
  StartupOptions options;
  options.auth_method = server_.options().auth_method;
  options.tls_available = server_.tls() != nullptr;
  options.too_many_connections = over_limit_;
  StartupMachine machine(options, server_.roles(), server_.random(), out_);
  for (;;) {
    std::optional<Frame> frame = co_await ReadFrame(machine.phase());
    if (!frame) co_return false;
    StartupAction action = machine.Step(*frame);
    in_.Consume(frame->size_bytes);
    switch (action) {
      case StartupAction::kContinue:
        break;
      case StartupAction::kStartTls: {
        if (!co_await Flush()) co_return false;
        // Bytes sent after SSLRequest but before the handshake could be injected by a
        // man-in-the-middle (CVE-2021-23214): refuse them.
        if (!in_.empty()) {
          spdlog::debug("pgwire: unencrypted data after SSLRequest");
          co_return false;
        }
        tls_ = std::make_unique<TlsChannel>(socket_, server_.tls()->native_handle());
        if (!co_await tls_->Handshake()) co_return false;
        machine.OnTlsEstablished();
        break;
      }
      case StartupAction::kCancel:
        server_.Cancel(machine.cancel_request());
        co_return false;
      case StartupAction::kClose:
        co_await Flush();
        co_return false;
      case StartupAction::kAuthenticated:
        session_options_ = machine.session_options();
        co_return true;
    }
  }
}

asio::awaitable<void> Connection::Run() {
  std::error_code ignored;
  socket_.set_option(tcp::no_delay(true), ignored);
  // PostgreSQL's authentication_timeout: close connections that never finish startup.
  asio::steady_timer timer(socket_.get_executor());
  timer.expires_after(server_.options().startup_timeout);
  timer.async_wait([this, alive = alive_](std::error_code ec) {
    if (ec || !*alive) return;
    std::error_code close_ec;
    socket_.close(close_ec);
  });
  bool authenticated = co_await Startup();
  timer.cancel();
  if (!authenticated) co_return;

  pid_ = server_.NextPid();
  std::string secret_bytes = server_.random().Bytes(sizeof(int32_t));
  std::memcpy(&secret_, secret_bytes.data(), sizeof(int32_t));
  session_options_->backend_pid = pid_;
  session_ = server_.engine().NewSession(std::move(*session_options_));
  BOREALIS_CHECK(session_ != nullptr);
  CommandProcessor processor(*session_, out_);
  if (!processor.Start(pid_, secret_)) {
    co_await Flush();
    co_return;
  }
  server_.RegisterCancel(pid_, secret_, session_.get());
  registered_ = true;
  for (;;) {
    std::optional<Frame> frame = co_await ReadFrame(Phase::kTyped);
    if (!frame) break;
    CommandProcessor::Next next = co_await asio::co_spawn(
        server_.workers(), HandleOnWorker(*this, processor, *frame), asio::use_awaitable);
    if (next == CommandProcessor::Next::kClose) {
      co_await Flush();
      break;
    }
    if (out_.size() >= kFlushThresholdBytes && !co_await Flush()) break;
  }
}

}  // namespace

Status Server::Impl::Start() {
  if (!options_.tls_cert_file.empty() || !options_.tls_key_file.empty()) {
    auto context = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_server);
    context->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                         asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                         asio::ssl::context::no_tlsv1_1);
    std::error_code ec;
    context->use_certificate_chain_file(options_.tls_cert_file, ec);
    if (ec)
      return Status::InvalidArgument("TLS certificate " + options_.tls_cert_file + ": " +
                                     ec.message());
    context->use_private_key_file(options_.tls_key_file, asio::ssl::context::pem, ec);
    if (ec)
      return Status::InvalidArgument("TLS key " + options_.tls_key_file + ": " + ec.message());
    SSL_CTX* native = context->native_handle();
    // OpenSSL frees a connection's record buffers (16+ KiB each way) while it is idle;
    // SSL_write may return after each record and be retried with the rest.
    SSL_CTX_set_mode(native, SSL_MODE_RELEASE_BUFFERS | SSL_MODE_ENABLE_PARTIAL_WRITE |
                                 SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    // As PostgreSQL (be-secure-openssl.c): no session tickets and no session cache. libpq
    // never resumes sessions, so both would only cost a ticket per handshake and memory.
    SSL_CTX_set_options(native, SSL_OP_NO_TICKET);
    SSL_CTX_set_num_tickets(native, 0);
    SSL_CTX_set_session_cache_mode(native, SSL_SESS_CACHE_OFF);
    tls_ = std::move(context);
  }
  std::error_code ec;
  asio::ip::address address = asio::ip::make_address(options_.host, ec);
  if (ec) {
    tcp::resolver resolver(listener_context_);
    auto results = resolver.resolve(options_.host, "", ec);
    if (ec || results.empty()) return Status::InvalidArgument("cannot resolve " + options_.host);
    address = results.begin()->endpoint().address();
  }
  tcp::endpoint endpoint(address, options_.port);
  auto acceptor = std::make_unique<tcp::acceptor>(listener_context_);
  acceptor->open(endpoint.protocol(), ec);
  if (!ec) acceptor->set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor->bind(endpoint, ec);
  if (!ec) acceptor->listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return Status::IoError("listen on " + options_.host + ":" + std::to_string(options_.port) +
                           ": " + ec.message());
  }
  port_ = acceptor->local_endpoint().port();
  acceptor_ = std::move(acceptor);
  asio::co_spawn(listener_context_, AcceptLoop(), [](std::exception_ptr error) {
    if (error) spdlog::error("pgwire: accept loop failed");
  });
  return Status::Ok();
}

asio::awaitable<void> Server::Impl::AcceptLoop() {
  for (;;) {
    std::error_code ec;
    tcp::socket socket =
        co_await acceptor_->async_accept(asio::redirect_error(asio::use_awaitable, ec));
    if (ec) {
      if (ec == asio::error::operation_aborted || !acceptor_->is_open()) co_return;
      // Out of file descriptors or similar: back off instead of spinning.
      spdlog::warn("pgwire: accept failed: {}", ec.message());
      asio::steady_timer timer(listener_context_, kAcceptRetryDelay);
      co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      continue;
    }
    size_t count = connections_.fetch_add(1) + 1;
    if (count > options_.max_connections + kMaxExcessConnections) {
      connections_.fetch_sub(1);
      socket.close(ec);
      continue;
    }
    asio::co_spawn(listener_context_, Greet(std::move(socket), count > options_.max_connections),
                   [](std::exception_ptr error) {
                     if (error) spdlog::error("pgwire: greeting coroutine failed");
                   });
  }
}

// Reads the first startup packet on the listener thread: a CancelRequest is served here;
// anything else moves, with the bytes read so far, to an I/O thread.
asio::awaitable<void> Server::Impl::Greet(tcp::socket socket, bool over_limit) {
  auto alive = std::make_shared<bool>(true);
  asio::steady_timer timer(listener_context_);
  timer.expires_after(options_.startup_timeout);
  timer.async_wait([&socket, alive](std::error_code ec) {
    if (ec || !*alive) return;
    std::error_code close_ec;
    socket.close(close_ec);
  });
  InputBuffer in;
  bool handed_off = false;
  for (;;) {
    auto scan = ScanFrame(in.view(), Phase::kStartup, options_.max_message_size_bytes);
    std::error_code ec;
    if (!scan.ok()) {
      BackendWriter out;
      out.ErrorResponse(scan.status(), Severity::kFatal);
      co_await asio::async_write(socket, asio::buffer(out.data().data(), out.size()),
                                 asio::redirect_error(asio::use_awaitable, ec));
      break;
    }
    if (scan->frame) {
      auto message = DecodeStartupFrame(*scan->frame);
      if (message.ok() && std::holds_alternative<CancelRequest>(*message)) {
        Cancel(std::get<CancelRequest>(*message));
        break;
      }
      // Everything else, errors included, is answered by the connection's StartupMachine.
      asio::io_context& context = *contexts_[next_context_++ % contexts_.size()];
      tcp::endpoint local = socket.local_endpoint(ec);
      int fd = ec ? -1 : socket.release(ec);
      if (ec || fd < 0) break;
      tcp::socket moved(context);
      moved.assign(local.protocol(), fd, ec);
      if (ec) break;
      handed_off = true;
      auto connection =
          std::make_unique<Connection>(*this, std::move(moved), over_limit, std::move(in));
      asio::co_spawn(context, Connection::Serve(std::move(connection)),
                     [](std::exception_ptr error) {
                       if (!error) return;
                       try {
                         std::rethrow_exception(error);
                       } catch (const std::exception& e) {
                         spdlog::error("pgwire: connection coroutine failed: {}", e.what());
                       } catch (...) {
                         spdlog::error("pgwire: connection coroutine failed");
                       }
                     });
      break;
    }
    size_t n = co_await socket.async_read_some(in.Writable(scan->needed_bytes),
                                               asio::redirect_error(asio::use_awaitable, ec));
    if (ec || n == 0) break;
    in.Commit(n);
  }
  *alive = false;
  timer.cancel();
  if (!handed_off) ConnectionClosed();
}

void Server::Impl::Run() {
  BOREALIS_CHECK(acceptor_ != nullptr, "Server::Run before a successful Start");
  threads_.emplace_back([this] { listener_context_.run(); });
  for (size_t i = 1; i < contexts_.size(); ++i) {
    threads_.emplace_back([context = contexts_[i].get()] { context->run(); });
  }
  contexts_[0]->run();
  for (auto& thread : threads_) thread.join();
  threads_.clear();
}

void Server::Impl::Stop() {
  if (stopped_.exchange(true)) return;
  listener_context_.stop();
  for (auto& context : contexts_) context->stop();
}

Server::Server(ServerOptions options, qp::Engine& engine, const auth::RoleStore& roles,
               auth::RandomSource& random)
    : impl_(std::make_unique<Impl>(std::move(options), engine, roles, random)) {}
Server::~Server() = default;
Status Server::Start() { return impl_->Start(); }
uint16_t Server::port() const { return impl_->port(); }
void Server::Run() { impl_->Run(); }
void Server::Stop() { impl_->Stop(); }
size_t Server::connection_count() const { return impl_->connection_count(); }

}  // namespace borealis::pgwire
