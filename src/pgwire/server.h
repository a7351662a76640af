// Server: the PostgreSQL protocol listener. Owns sockets, TLS and connection coroutines; the
// protocol logic lives in the pure machines (StartupMachine, CommandProcessor) it drives.
//
// Guarantees: N I/O threads, one asio io_context each, connections spread round-robin; every
// connection is one C++20 coroutine that only moves bytes. Query-phase messages are handled on
// a bounded worker pool (statements may block on storage): the coroutine hands the frames it
// has to a worker and resumes on its I/O thread when they are done, so the protocol's order
// and output are exactly those of handling them inline. Output is buffered and flushed when
// the connection is about to wait for input (so pipelined requests are answered in batches) or
// when the buffer passes kFlushThresholdBytes. A client that sends garbage gets a FATAL 08P01
// and is closed; it affects no other connection. Over max_connections a client gets FATAL 53300
// after its startup packet; beyond max_connections + kMaxExcessConnections it is closed at once.
// CancelRequest looks the target up in a mutex-guarded table and calls Session::RequestCancel.
//
// Ownership/threading: the engine, role store and random source are borrowed and must outlive
// the Server. Start() then Run() (blocks, the caller becomes I/O thread 0) from one thread;
// Stop() from any thread (not from a signal handler). Destruction stops and destroys every
// connection and session.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "auth/random.h"
#include "auth/role_store.h"
#include "common/status.h"
#include "pgwire/protocol.h"
#include "pgwire/startup.h"
#include "qp/session.h"

namespace borealis::pgwire {

inline constexpr size_t kDefaultMaxConnections = 10000;
inline constexpr size_t kMaxExcessConnections = 64;
inline constexpr size_t kFlushThresholdBytes = 64 << 10;
inline constexpr size_t kInitialInputBytes = 1024;
inline constexpr size_t kIdleInputCapacityBytes = 8 << 10;  // as kIdleOutputCapacityBytes
inline constexpr int kMaxIoThreads = 256;
// Statements may block on storage and the adjudicator, so they run on a bounded pool of worker
// threads, never on the I/O threads; the pool size bounds the statements running at once.
inline constexpr int kDefaultWorkerThreads = 32;
inline constexpr int kMaxWorkerThreads = 1024;
// Frames handled in one visit to a worker when the client pipelines (bounds the time a
// connection holds a worker before its output is flushed).
inline constexpr int kMaxFramesPerWorkerVisit = 64;

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 5432;  // 0: any free port (see Server::port())
  int io_threads = 2;
  // Threads that run the query phase (CommandProcessor::Handle); clamped to
  // [1, kMaxWorkerThreads].
  int worker_threads = kDefaultWorkerThreads;
  size_t max_connections = kDefaultMaxConnections;
  size_t max_message_size_bytes = kDefaultMaxMessageSizeBytes;
  AuthMethod auth_method = AuthMethod::kScramSha256;
  // Both empty: TLS disabled (SSLRequest answered 'N').
  std::string tls_cert_file;
  std::string tls_key_file;
  // Time allowed from accept to AuthenticationOk (PostgreSQL's authentication_timeout).
  std::chrono::milliseconds startup_timeout{60000};
};

class Server {
 public:
  Server(ServerOptions options, qp::Engine& engine, const auth::RoleStore& roles,
         auth::RandomSource& random);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Loads TLS material, binds and listens. Connections are accepted once Run() runs.
  Status Start();
  // The bound port (after Start).
  uint16_t port() const;
  // Runs the I/O threads until Stop(). REQUIRES: Start() succeeded.
  void Run();
  // Closes the listener and stops all I/O threads; Run() returns. Idempotent.
  void Stop();
  // Connections currently open (including ones still in startup).
  size_t connection_count() const;

  class Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace borealis::pgwire
