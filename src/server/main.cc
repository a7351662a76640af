// `borealis start`: runs one Borealis node in the foreground until SIGINT or SIGTERM.
#include <pthread.h>
#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <thread>

#include "auth/random.h"
#include "pgwire/server.h"
#include "qp/session.h"
#include "runtime/disk.h"
#include "runtime/local_transport.h"
#include "server/bootstrap.h"
#include "server/core_node.h"

namespace {

using borealis::Status;

// Splits "host:port" (or "[v6]:port").
bool ParseListen(const std::string& listen, std::string& host, uint16_t& port) {
  size_t colon = listen.rfind(':');
  if (colon == std::string::npos) return false;
  host = listen.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  char* end = nullptr;
  long value = std::strtol(listen.c_str() + colon + 1, &end, 10);
  if (end == listen.c_str() + colon + 1 || *end != '\0' || value < 0 || value > 65535) {
    return false;
  }
  port = static_cast<uint16_t>(value);
  return !host.empty();
}

// Each connection is a file descriptor: allow as many as the hard limit permits.
void RaiseFileLimit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    if (::setrlimit(RLIMIT_NOFILE, &limit) != 0) spdlog::warn("could not raise RLIMIT_NOFILE");
  }
}

struct StartOptions {
  std::string data_dir;
  std::string listen = "127.0.0.1:5432";
  bool insecure = false;
  std::string admin_password;
  std::string tls_cert;
  std::string tls_key;
  size_t max_connections = borealis::pgwire::kDefaultMaxConnections;
  int threads = 0;
  int workers = borealis::pgwire::kDefaultWorkerThreads;
  std::string password_auth = "scram";
  std::vector<std::string> roles = {"journal", "adjudicator", "crossbar", "storage", "qp"};
  borealis::server::CoreNodeOptions core;
};

// Starts the transaction-core roles this process runs (none when it is a QP only).
borealis::Result<std::unique_ptr<borealis::server::CoreNode>> StartCore(
    const StartOptions& o, borealis::runtime::LocalHub* hub, bool* runs_qp) {
  borealis::server::CoreNodeOptions core = o.core;
  core.data_dir = o.data_dir;
  core.local_hub = hub;
  *runs_qp = false;
  for (const std::string& name : o.roles) {
    if (name == "qp") {
      *runs_qp = true;
      continue;
    }
    ASSIGN_OR_RETURN(borealis::server::Role role, borealis::server::ParseRole(name));
    core.roles.insert(role);
  }
  if (core.roles.empty()) return std::unique_ptr<borealis::server::CoreNode>();
  return borealis::server::CoreNode::Start(core);
}

int Start(const StartOptions& o) {
  const std::string& data_dir = o.data_dir;
  const std::string& listen = o.listen;
  bool insecure = o.insecure;
  std::string admin_password = o.admin_password;
  const std::string& tls_cert = o.tls_cert;
  const std::string& tls_key = o.tls_key;
  size_t max_connections = o.max_connections;
  int threads = o.threads;
  const std::string& password_auth = o.password_auth;
  std::string host;
  uint16_t port = 0;
  if (!ParseListen(listen, host, port)) {
    std::fprintf(stderr, "borealis: invalid --listen %s (want HOST:PORT)\n", listen.c_str());
    return 2;
  }
  // Signals are taken by one waiting thread; block them everywhere else (before any thread).
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  RaiseFileLimit();

  // The in-process endpoints of this process: the roles and the QP's transaction client reach
  // each other without sockets (TCP stays for other processes and tools).
  borealis::runtime::LocalHub local_hub;
  bool runs_qp = false;
  auto core = StartCore(o, &local_hub, &runs_qp);
  if (!core.ok()) {
    std::fprintf(stderr, "borealis: %s\n", core.status().ToString().c_str());
    return 1;
  }
  if (*core) {
    const borealis::server::CoreEndpoints& endpoints = (*core)->endpoints();
    std::printf("borealis: core journal=%s adjudicator=%s crossbar=%s storage=%s\n",
                endpoints.journal.c_str(), endpoints.adjudicator.c_str(),
                endpoints.crossbar.c_str(), endpoints.storage.c_str());
    std::fflush(stdout);
  }
  if (!runs_qp) {
    int signal = 0;
    sigwait(&signals, &signal);
    spdlog::info("borealis: signal {}, shutting down", signal);
    if (*core) (*core)->Stop();
    return 0;
  }

  borealis::auth::OpenSslRandomSource random;
  borealis::server::BootstrapOptions bootstrap_options;
  bootstrap_options.data_dir = data_dir;
  if (admin_password.empty()) {
    if (const char* env = std::getenv("BOREALIS_ADMIN_PASSWORD")) admin_password = env;
  }
  if (!admin_password.empty()) bootstrap_options.admin_password = admin_password;
  bootstrap_options.tls_cert_file = tls_cert;
  bootstrap_options.tls_key_file = tls_key;
  auto bootstrapped = borealis::server::Bootstrap(bootstrap_options, random);
  if (!bootstrapped.ok()) {
    std::fprintf(stderr, "borealis: %s\n", bootstrapped.status().ToString().c_str());
    return 1;
  }
  if (bootstrapped->generated_admin_password) {
    std::printf("borealis: created role admin with password %s (shown only once)\n",
                bootstrapped->generated_admin_password->c_str());
  }

  // The QP reaches the transaction core through the embedded roles' endpoints, or the
  // --adjudicator/--storage peers when this process runs the QP only.
  borealis::qp::EngineOptions engine_options;
  engine_options.adjudicator_endpoint = o.core.adjudicator_endpoint;
  engine_options.storage_endpoint = o.core.storage_endpoint;
  // Replies from the core come back to the QP's own host (the core may be elsewhere).
  if (host != "0.0.0.0" && host != "::" && !host.empty())
    engine_options.client_listen = host + ":0";
  if (*core) {
    engine_options.adjudicator_endpoint = (*core)->endpoints().adjudicator;
    engine_options.storage_endpoint = (*core)->endpoints().storage;
  }
  engine_options.local_hub = &local_hub;
  borealis::runtime::PosixDisk server_files;  // COPY FROM 'file'
  engine_options.server_files = &server_files;
  engine_options.roles = bootstrapped->roles.get();  // CREATE ROLE, GRANT (qp/roles.h)
  std::string seed_bytes = random.Bytes(sizeof(uint64_t));
  std::memcpy(&engine_options.random_seed, seed_bytes.data(), sizeof(uint64_t));
  auto made_engine = borealis::qp::MakeEngine(engine_options);
  if (!made_engine.ok()) {
    std::fprintf(stderr, "borealis: %s\n", made_engine.status().ToString().c_str());
    return 1;
  }
  std::unique_ptr<borealis::qp::Engine> engine = std::move(made_engine).value();
  borealis::pgwire::ServerOptions options;
  options.host = host;
  options.port = port;
  options.io_threads =
      threads > 0 ? threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  options.max_connections = max_connections;
  options.worker_threads = o.workers;
  options.tls_cert_file = bootstrapped->tls_cert_file;
  options.tls_key_file = bootstrapped->tls_key_file;
  options.auth_method = insecure                       ? borealis::pgwire::AuthMethod::kTrust
                        : password_auth == "cleartext" ? borealis::pgwire::AuthMethod::kPassword
                                                       : borealis::pgwire::AuthMethod::kScramSha256;
  if (insecure) spdlog::warn("--insecure: any user is accepted without a password");
  borealis::pgwire::Server server(options, *engine, *bootstrapped->roles, random);
  Status started = server.Start();
  if (!started.ok()) {
    std::fprintf(stderr, "borealis: %s\n", started.ToString().c_str());
    return 1;
  }
  std::printf("borealis: listening on %s:%u\n", host.c_str(), unsigned(server.port()));
  std::fflush(stdout);

  std::thread signal_thread([&server, signals] {
    int signal = 0;
    sigwait(&signals, &signal);
    spdlog::info("borealis: signal {}, shutting down", signal);
    server.Stop();
  });
  signal_thread.detach();  // blocked in sigwait until a signal; harmless at exit
  server.Run();
  if (*core) (*core)->Stop();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  // A peer that closes its socket must cost one connection, not the process: OpenSSL writes to
  // the socket itself (SSL_set_fd), and a write to a closed TLS connection would raise SIGPIPE,
  // whose default action ends the server silently. Writes then fail with EPIPE instead.
  ::signal(SIGPIPE, SIG_IGN);
  CLI::App app{"Borealis: a PostgreSQL-compatible distributed SQL database"};
  app.require_subcommand(1);
  CLI::App* start = app.add_subcommand("start", "run a node in the foreground");
  StartOptions o;
  start->add_option("--data-dir", o.data_dir, "data directory (created at first start)")
      ->required();
  start->add_option("--listen", o.listen, "HOST:PORT to accept PostgreSQL clients on");
  start->add_flag("--insecure", o.insecure, "accept any user without a password (development)");
  start->add_option("--admin-password", o.admin_password,
                    "password of role admin at first start (else $BOREALIS_ADMIN_PASSWORD, "
                    "else generated and printed)");
  start->add_option("--tls-cert", o.tls_cert, "PEM certificate chain (default: self-signed)");
  start->add_option("--tls-key", o.tls_key, "PEM private key");
  start->add_option("--max-connections", o.max_connections, "client connection limit")
      ->check(CLI::Range(size_t{1}, size_t{1000000}));
  start->add_option("--threads", o.threads, "I/O threads (default: one per core)")
      ->check(CLI::Range(0, borealis::pgwire::kMaxIoThreads));
  start->add_option("--workers", o.workers, "threads that run statements (bounds concurrency)")
      ->check(CLI::Range(1, borealis::pgwire::kMaxWorkerThreads));
  start
      ->add_option("--password-auth", o.password_auth,
                   "scram (default) or cleartext (only accepted over TLS)")
      ->check(CLI::IsMember({"scram", "cleartext"}));
  start
      ->add_option("--roles", o.roles,
                   "roles this process runs (default: all, the embedded deployment)")
      ->delimiter(',')
      ->check(CLI::IsMember({"journal", "adjudicator", "crossbar", "storage", "qp"}));
  start->add_option("--journal", o.core.journal_endpoint,
                    "journal HOST:PORT (listen address if this process runs it)");
  start->add_option("--adjudicator", o.core.adjudicator_endpoint, "adjudicator HOST:PORT");
  start->add_option("--crossbar", o.core.crossbar_endpoint, "crossbar HOST:PORT");
  start->add_option("--storage", o.core.storage_endpoint, "storage HOST:PORT");
  start->add_option("--max-clock-error-ns", o.core.max_clock_error_ns,
                    "bound on clock error across nodes (commit-wait)");
  CLI11_PARSE(app, argc, argv);
  if (start->parsed()) return Start(o);
  return 2;
}
