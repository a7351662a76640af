#include "server/core_node.h"

#include <spdlog/spdlog.h>

#include <asio.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "adjudicator/adjudicator_server.h"
#include "crossbar/crossbar.h"
#include "journal/journal_server.h"
#include "runtime/blocking_executor.h"
#include "runtime/env.h"
#include "storage/storage_server.h"

namespace borealis::server {

Result<Role> ParseRole(const std::string& name) {
  if (name == "journal") return Role::kJournal;
  if (name == "adjudicator") return Role::kAdjudicator;
  if (name == "crossbar") return Role::kCrossbar;
  if (name == "storage") return Role::kStorage;
  return Status::InvalidArgument("unknown role \"" + name +
                                 "\" (want journal, adjudicator, crossbar, storage or qp)");
}

const char* RoleName(Role role) {
  switch (role) {
    case Role::kJournal:
      return "journal";
    case Role::kAdjudicator:
      return "adjudicator";
    case Role::kCrossbar:
      return "crossbar";
    case Role::kStorage:
      return "storage";
  }
  return "?";
}

namespace {

// One role's environment and event loop: its own io_context and thread, transport endpoint,
// clock, scheduler and Messenger. Roles talk only through their transports, so each can run
// on its own thread.
struct RoleHost {
  RoleHost(const std::string& listen, int64_t max_clock_error_ns, runtime::LocalHub* hub)
      : env(io, runtime::ProductionEnvOptions{std::chrono::nanoseconds(max_clock_error_ns),
                                              runtime::TcpTransportOptions{listen}, hub}) {}

  void Run() {
    work = std::make_unique<asio::executor_work_guard<asio::io_context::executor_type>>(
        io.get_executor());
    loop = std::thread([this] { io.run(); });
  }

  // Runs `teardown` (destroying the role) on the loop thread, where its timers and transport
  // live, then lets the loop finish.
  void Stop(std::function<void()> teardown) {
    auto finish = [this, teardown = std::move(teardown)] {
      teardown();
      messenger.reset();
      env.StopTransport();
      work.reset();
    };
    if (!loop.joinable()) {
      finish();
      return;
    }
    asio::post(io, finish);
    loop.join();
    io.stop();
  }

  asio::io_context io{1};  // before env, which refers to it
  runtime::ProductionEnv env;
  std::unique_ptr<txn::Messenger> messenger;
  std::unique_ptr<asio::executor_work_guard<asio::io_context::executor_type>> work;
  std::thread loop;
};

}  // namespace

struct CoreNode::Impl {
  CoreEndpoints endpoints;
  runtime::PosixDisk disk;

  std::unique_ptr<RoleHost> journal_host, adjudicator_host, crossbar_host, storage_host;
  std::unique_ptr<runtime::ThreadExecutor> journal_executor;
  std::unique_ptr<journal::Journal> journal;
  std::unique_ptr<journal::JournalServer> journal_server;
  std::unique_ptr<adjudicator::AdjudicatorServer> adjudicator;
  std::unique_ptr<crossbar::Crossbar> crossbar;
  std::unique_ptr<storage::Engine> engine;
  std::unique_ptr<storage::StorageServer> storage;
  bool stopped = false;

  runtime::LocalHub* hub = nullptr;

  Result<std::unique_ptr<RoleHost>> Host(const std::string& listen, int64_t error_ns,
                                         std::string* bound) {
    auto host = std::make_unique<RoleHost>(listen, error_ns, hub);
    RETURN_IF_ERROR(host->env.Start());
    host->messenger = std::make_unique<txn::Messenger>(host->env.env());
    *bound = host->env.env().transport->LocalEndpoint();
    return host;
  }

  void Shutdown() {
    if (stopped) return;
    stopped = true;
    if (storage_host) storage_host->Stop([this] { storage.reset(); });
    if (crossbar_host) crossbar_host->Stop([this] { crossbar.reset(); });
    if (adjudicator_host) adjudicator_host->Stop([this] { adjudicator.reset(); });
    if (journal_host) journal_host->Stop([this] { journal_server.reset(); });
    journal_executor.reset();  // drains its queue; callbacks posted to a stopped loop never run
    journal.reset();
    engine.reset();
  }
};

CoreNode::CoreNode(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
CoreNode::~CoreNode() { Stop(); }
void CoreNode::Stop() { impl_->Shutdown(); }
const CoreEndpoints& CoreNode::endpoints() const { return impl_->endpoints; }

Result<std::unique_ptr<CoreNode>> CoreNode::Start(CoreNodeOptions options) {
  auto impl = std::make_unique<Impl>();
  Impl& n = *impl;
  n.hub = options.local_hub;
  n.endpoints = CoreEndpoints{options.journal_endpoint, options.adjudicator_endpoint,
                              options.crossbar_endpoint, options.storage_endpoint};
  std::error_code error;
  std::filesystem::create_directories(options.data_dir, error);
  if (error) return Status::IoError("cannot create " + options.data_dir + ": " + error.message());
  auto runs = [&](Role role) { return options.roles.count(role) != 0; };
  int64_t clock_error = options.max_clock_error_ns;

  // Build in dependency order so each role knows its peers' bound endpoints.
  if (runs(Role::kJournal)) {
    ASSIGN_OR_RETURN(n.journal_host,
                     n.Host(options.journal_endpoint, clock_error, &n.endpoints.journal));
    auto journal = journal::Journal::Open(
        &n.disk, journal::JournalOptions{.directory = options.data_dir + "/journal"});
    if (!journal.ok()) return journal.status();
    n.journal = std::move(journal).value();
    asio::io_context* io = &n.journal_host->io;
    n.journal_executor = std::make_unique<runtime::ThreadExecutor>(
        [io](std::function<void()> fn) { asio::post(*io, std::move(fn)); });
    n.journal_server = std::make_unique<journal::JournalServer>(
        n.journal_host->messenger.get(), n.journal_executor.get(), n.journal.get());
  }
  if (runs(Role::kAdjudicator)) {
    ASSIGN_OR_RETURN(n.adjudicator_host,
                     n.Host(options.adjudicator_endpoint, clock_error, &n.endpoints.adjudicator));
    adjudicator::AdjudicatorServerOptions adjudicator_options{.journal_endpoint =
                                                                  n.endpoints.journal};
    if (const char* broken = std::getenv("BOREALIS_UNSAFE_SKIP_CONFLICT_CHECK");
        broken != nullptr && std::string(broken) == "1") {
      // The consistency checker's proof that it can fail (tests/consistency).
      adjudicator_options.core.unsafe_skip_conflict_check = true;
      spdlog::error(
          "BOREALIS_UNSAFE_SKIP_CONFLICT_CHECK=1: the adjudicator does NOT check "
          "conflicts; snapshot isolation is broken on purpose (testing only)");
    }
    n.adjudicator = std::make_unique<adjudicator::AdjudicatorServer>(
        n.adjudicator_host->messenger.get(), adjudicator_options);
  }
  if (runs(Role::kCrossbar)) {
    ASSIGN_OR_RETURN(n.crossbar_host,
                     n.Host(options.crossbar_endpoint, clock_error, &n.endpoints.crossbar));
    n.crossbar = std::make_unique<crossbar::Crossbar>(
        n.crossbar_host->messenger.get(),
        crossbar::CrossbarOptions{.journal_endpoint = n.endpoints.journal});
  }
  if (runs(Role::kStorage)) {
    ASSIGN_OR_RETURN(n.storage_host,
                     n.Host(options.storage_endpoint, clock_error, &n.endpoints.storage));
    auto engine = storage::OpenRocksDbEngine(options.data_dir + "/storage");
    if (!engine.ok()) return engine.status();
    n.engine = std::move(engine).value();
    n.storage = std::make_unique<storage::StorageServer>(
        n.storage_host->messenger.get(), n.engine.get(),
        storage::StorageServerOptions{.crossbar_endpoint = n.endpoints.crossbar,
                                      .adjudicator_endpoint = n.endpoints.adjudicator});
  }
  for (Role role : options.roles) {
    const std::string& bound = role == Role::kJournal       ? n.endpoints.journal
                               : role == Role::kAdjudicator ? n.endpoints.adjudicator
                               : role == Role::kCrossbar    ? n.endpoints.crossbar
                                                            : n.endpoints.storage;
    std::ofstream(options.data_dir + "/endpoints." + RoleName(role)) << bound << "\n";
    spdlog::info("borealis: {} role on {}", RoleName(role), bound);
  }
  for (auto* host : {&n.journal_host, &n.adjudicator_host, &n.crossbar_host, &n.storage_host}) {
    if (*host) (*host)->Run();
  }
  return std::unique_ptr<CoreNode>(new CoreNode(std::move(impl)));
}

}  // namespace borealis::server
