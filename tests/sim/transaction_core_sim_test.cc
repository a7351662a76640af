// Deterministic simulation of the transaction core (TESTING.md layer 3): journal, adjudicator,
// crossbar and storage nodes plus client nodes in one thread with virtual time, message delay,
// loss, duplication and reordering, clock skew, and crashes/restarts of every role with loss
// (or tearing) of unsynced disk writes. The bank workload (tests/workload/bank.h) checks:
// - every snapshot read sums to the initial total;
// - every acknowledged commit is present after recovery, and no definitely failed one is;
// - against the journal: snapshot reads saw the latest commits at or below t_start, and no
//   commit won over an earlier conflicting one (first committer wins);
// - the same seed gives the same run (trace hash).
// A failing seed is printed; rerun it alone with BOREALIS_SIM_SEED=N, more seeds with
// BOREALIS_SIM_SEEDS=M.
#include <gtest/gtest.h>

#include <memory>

#include "adjudicator/adjudicator_server.h"
#include "crossbar/crossbar.h"
#include "journal/journal_server.h"
#include "runtime/blocking_executor.h"
#include "runtime/simulator.h"
#include "storage/storage_server.h"
#include "txn/client.h"
#include "workload/bank.h"

namespace borealis {
namespace {

using namespace std::chrono_literals;

constexpr char kJournal[] = "journal:1";
constexpr char kAdjudicator[] = "adjudicator:1";
constexpr char kCrossbar[] = "crossbar:1";
constexpr char kStorage[] = "storage:1";
constexpr char kControl[] = "control:1";
constexpr int kClients = 4;

// Small segments so that trimming (below what storage has durably applied) happens in runs.
constexpr uint64_t kSimSegmentBytes = 4096;

class JournalProcess : public runtime::Process {
 public:
  explicit JournalProcess(const runtime::Env& env) : executor_(env.scheduler), messenger_(env) {
    auto journal = journal::Journal::Open(
        env.disk,
        journal::JournalOptions{.directory = "/journal", .max_segment_bytes = kSimSegmentBytes});
    BOREALIS_CHECK(journal.ok(), journal.status().ToString());
    journal_ = std::move(journal).value();
    server_ = std::make_unique<journal::JournalServer>(&messenger_, &executor_, journal_.get());
  }
  journal::Journal* journal() { return journal_.get(); }

 private:
  runtime::InlineExecutor executor_;
  txn::Messenger messenger_;
  std::unique_ptr<journal::Journal> journal_;
  std::unique_ptr<journal::JournalServer> server_;
};

class AdjudicatorProcess : public runtime::Process {
 public:
  explicit AdjudicatorProcess(const runtime::Env& env,
                              std::vector<crossbar::KeyRange> owned_ranges = {})
      : messenger_(env),
        server_(&messenger_,
                {.journal_endpoint = kJournal, .owned_ranges = std::move(owned_ranges)}) {}

 private:
  txn::Messenger messenger_;
  adjudicator::AdjudicatorServer server_;
};

class CrossbarProcess : public runtime::Process {
 public:
  explicit CrossbarProcess(const runtime::Env& env)
      : messenger_(env),
        crossbar_(&messenger_, {.journal_endpoint = kJournal,
                                .journal_timeout = std::chrono::milliseconds(100)}) {}

 private:
  txn::Messenger messenger_;
  crossbar::Crossbar crossbar_;
};

// Storage in memory with a durable copy kept outside the process (it survives crashes): a crash
// loses what was applied since the last sync, and the node resumes from the journal.
class StorageProcess : public runtime::Process {
 public:
  StorageProcess(const runtime::Env& env, std::shared_ptr<storage::MemoryEngineDurableState> disk)
      : messenger_(env),
        engine_(storage::NewMemoryEngine(std::move(disk))),
        server_(&messenger_, engine_.get(),
                {.crossbar_endpoint = kCrossbar,
                 .adjudicator_endpoint = kAdjudicator,
                 .crossbar_timeout = std::chrono::milliseconds(30),
                 .maintenance_interval = std::chrono::milliseconds(100)}) {}

 private:
  txn::Messenger messenger_;
  std::unique_ptr<storage::Engine> engine_;
  storage::StorageServer server_;
};

// A node with a transaction client; optionally runs one bank client.
class ClientProcess : public runtime::Process {
 public:
  // stage_commits: every commit stages its record first (the bulk-commit path, see
  // txn::TxnClientOptions::stage_commit_bytes), so the simulator checks it under faults too.
  ClientProcess(const runtime::Env& env, std::string name, workload::BankHistory* history,
                bool stage_commits = false)
      : messenger_(env),
        client_(&messenger_,
                {.adjudicator_endpoint = kAdjudicator,
                 .storage_endpoint = kStorage,
                 .stage_commit_bytes = stage_commits ? 0 : txn::kMinStagedCommitBytes}) {
    if (history != nullptr) {
      bank_ = std::make_unique<workload::BankClient>(env, &client_, std::move(name), history,
                                                     workload::BankOptions{});
    }
  }
  txn::TxnClient& client() { return client_; }

 private:
  txn::Messenger messenger_;
  txn::TxnClient client_;
  std::unique_ptr<workload::BankClient> bank_;
};

struct Faults {
  bool network = false;
  bool crashes = false;
  bool partition = false;
};
constexpr Faults kAllFaults{true, true, true};

struct RunResult {
  uint64_t trace_hash = 0;
  uint64_t journal_first_position = 0;  // > 1: the journal was trimmed
  bool history_checked = false;         // the archive saw every journal entry
  workload::BankHistory history;
  std::vector<std::string> violations;
};

// Copies durable journal entries as they appear, so the history survives trimming. Returns
// false once it has missed entries (trimmed before it looked).
bool ArchiveJournal(journal::Journal* journal, std::vector<journal::Entry>& archive) {
  uint64_t next = archive.empty() ? 1 : archive.back().position + 1;
  if (journal->first_position() > next) return false;
  auto entries = journal->Read(next, 1 << 30, UINT64_MAX);
  BOREALIS_CHECK(entries.ok());
  for (journal::Entry& entry : *entries) archive.push_back(std::move(entry));
  return true;
}

std::vector<workload::CommittedTxn> CommitsIn(const std::vector<journal::Entry>& entries) {
  std::vector<workload::CommittedTxn> commits;
  for (const journal::Entry& entry : entries) {
    if (entry.kind != journal::EntryKind::kCommit) continue;
    auto record = txn::ParseCommitRecord(entry.payload);
    auto writes = txn::ParseEncodedWriteSet(record->write_set);
    workload::CommittedTxn commit{entry.timestamp, {}};
    for (const auto& w : *writes) commit.writes[std::string(w.key)] = std::string(w.value);
    commits.push_back(std::move(commit));
  }
  return commits;
}

RunResult RunBank(uint64_t seed, Faults faults) {
  runtime::SimulatorOptions options;
  options.seed = seed;
  options.max_clock_error = faults.network ? 1ms : 0ms;
  if (faults.network) {
    options.network.loss_probability = 0.02;
    options.network.duplicate_probability = 0.02;
    options.network.reorder_probability = 0.05;
  }
  runtime::Simulator sim(options);
  RunResult result;
  workload::BankHistory& history = result.history;
  sim.AddNode(kJournal,
              [](const runtime::Env& env) { return std::make_unique<JournalProcess>(env); });
  sim.AddNode(kAdjudicator,
              [](const runtime::Env& env) { return std::make_unique<AdjudicatorProcess>(env); });
  sim.AddNode(kCrossbar,
              [](const runtime::Env& env) { return std::make_unique<CrossbarProcess>(env); });
  auto storage_disk = storage::NewMemoryEngineDurableState();
  sim.AddNode(kStorage, [storage_disk](const runtime::Env& env) {
    return std::make_unique<StorageProcess>(env, storage_disk);
  });
  sim.AddNode(kControl, [](const runtime::Env& env) {
    return std::make_unique<ClientProcess>(env, kControl, nullptr);
  });
  auto control = [&] { return &static_cast<ClientProcess*>(sim.process(kControl))->client(); };

  bool created = false;
  workload::CreateAccounts(control(), workload::BankOptions{}, 1000,
                           [&](bool ok) { created = ok; });
  BOREALIS_CHECK(sim.RunUntil([&] { return created; }, 60s), sim.ReproLine());

  for (int c = 0; c < kClients; ++c) {
    std::string name = "client:" + std::to_string(c);
    sim.AddNode(name, [name, &history, seed](const runtime::Env& env) {
      return std::make_unique<ClientProcess>(env, name, &history, /*stage_commits=*/seed % 2 == 1);
    });
  }
  if (faults.crashes) {
    // The nemesis: crash and restart a random role now and then.
    const std::vector<std::string> roles = {kJournal, kAdjudicator, kCrossbar, kStorage,
                                            "client:0"};
    for (int i = 0; i < 6; ++i) {
      auto delay = std::chrono::milliseconds(200 + sim.random().Uniform(1500));
      std::string role = roles[sim.random().Uniform(roles.size())];
      sim.Schedule(delay, [&sim, role] {
        if (!sim.IsUp(role)) return;
        sim.Crash(role);
        sim.Schedule(std::chrono::milliseconds(20 + sim.random().Uniform(200)),
                     [&sim, role] { sim.Restart(role); });
      });
    }
  }
  // Archive the journal every 10 ms of virtual time (it gets trimmed behind storage).
  std::vector<journal::Entry> archive;
  bool archive_complete = true;
  std::function<void()> archive_tick = [&] {
    if (sim.IsUp(kJournal)) {
      auto* process = static_cast<JournalProcess*>(sim.process(kJournal));
      archive_complete = ArchiveJournal(process->journal(), archive) && archive_complete;
    }
    sim.Schedule(10ms, archive_tick);
  };
  sim.Schedule(10ms, archive_tick);
  if (faults.partition) {
    sim.Schedule(900ms, [&sim] { sim.Partition({kStorage}, {kCrossbar}); });
    sim.Schedule(1100ms, [&sim] { sim.HealAll(); });
  }
  sim.RunFor(2500ms);
  // Quiesce: stop the clients, heal, let everything catch up.
  for (int c = 0; c < kClients; ++c) {
    std::string name = "client:" + std::to_string(c);
    if (sim.IsUp(name)) sim.Crash(name);
  }
  sim.HealAll();
  sim.network() = runtime::NetworkFaults{};
  for (const char* role : {kJournal, kAdjudicator, kCrossbar, kStorage}) {
    if (!sim.IsUp(role)) sim.Restart(role);
  }
  sim.RunFor(500ms);

  std::optional<Result<workload::FinalState>> final_state;
  workload::ReadFinalState(control(), 100,
                           [&](Result<workload::FinalState> state) { final_state = state; });
  BOREALIS_CHECK(sim.RunUntil([&] { return final_state.has_value(); }, 60s), sim.ReproLine());
  BOREALIS_CHECK(final_state->ok(), final_state->status().ToString(), sim.ReproLine());
  result.violations =
      workload::CheckFinalState(history, final_state->value(), workload::BankOptions{});
  auto journal = static_cast<JournalProcess*>(sim.process(kJournal))->journal();
  archive_complete = ArchiveJournal(journal, archive) && archive_complete;
  result.journal_first_position = journal->first_position();
  result.history_checked = archive_complete;
  if (archive_complete) {
    for (std::string& v : workload::CheckAgainstCommits(history, CommitsIn(archive))) {
      result.violations.push_back(std::move(v));
    }
  }
  result.trace_hash = sim.TraceHash();
  return result;
}

TEST(TransactionCoreSimTest, BankWithoutFaults) {
  RunResult result = RunBank(1, Faults{});
  EXPECT_TRUE(result.violations.empty()) << result.violations.front();
  EXPECT_GT(result.history.transfers, 100);
  EXPECT_GT(result.history.reads_checked, 50);
}

TEST(TransactionCoreSimTest, SameSeedSameRun) {
  EXPECT_EQ(RunBank(7, kAllFaults).trace_hash, RunBank(7, kAllFaults).trace_hash);
  EXPECT_NE(RunBank(7, kAllFaults).trace_hash, RunBank(8, kAllFaults).trace_hash);
}

void RunManySeeds(const char* name, Faults faults, size_t count) {
  int64_t transfers = 0, conflicts = 0, unknown = 0, reads = 0;
  size_t seeds = 0, trimmed = 0, checked = 0;
  for (uint64_t seed : runtime::SimulationSeeds(100, count)) {
    RunResult result = RunBank(seed, faults);
    ++seeds;
    if (!result.violations.empty()) {
      ADD_FAILURE() << "seed " << seed << ": " << result.violations.front() << " ("
                    << result.violations.size() << " violations; rerun: BOREALIS_SIM_SEED=" << seed
                    << ")";
      return;
    }
    trimmed += result.journal_first_position > 1;
    checked += result.history_checked;
    transfers += result.history.transfers;
    conflicts += result.history.conflicts;
    unknown += result.history.unknown;
    reads += result.history.reads_checked;
  }
  std::printf(
      "%s: seeds=%zu transfers=%lld conflicts=%lld unknown=%lld reads_checked=%lld "
      "journal_trimmed_in=%zu history_checked_in=%zu\n",
      name, seeds, static_cast<long long>(transfers), static_cast<long long>(conflicts),
      static_cast<long long>(unknown), static_cast<long long>(reads), trimmed, checked);
  EXPECT_GT(trimmed, 0u) << "the journal was never trimmed";
  EXPECT_GT(checked, seeds / 2) << "too few runs checked against the full history";
  EXPECT_GT(transfers, static_cast<int64_t>(seeds));
}

// An adjudicator owns key ranges (one partition today): keys outside are refused.
TEST(TransactionCoreSimTest, AdjudicatorRefusesKeysOutsideItsRanges) {
  runtime::Simulator sim(runtime::SimulatorOptions{.seed = 3});
  sim.AddNode(kJournal,
              [](const runtime::Env& env) { return std::make_unique<JournalProcess>(env); });
  sim.AddNode(kAdjudicator, [](const runtime::Env& env) {
    return std::make_unique<AdjudicatorProcess>(env, std::vector<crossbar::KeyRange>{{"a", "m"}});
  });
  sim.AddNode(kControl, [](const runtime::Env& env) {
    return std::make_unique<ClientProcess>(env, kControl, nullptr);
  });
  auto* client = &static_cast<ClientProcess*>(sim.process(kControl))->client();
  std::optional<Result<txn::Timestamp>> inside, outside;
  auto in_txn = std::shared_ptr<txn::Transaction>(client->Begin());
  ASSERT_TRUE(in_txn->Put("apple", "1").ok());
  in_txn->Commit([&, in_txn](Result<txn::Timestamp> r) { inside = r; });
  auto out_txn = std::shared_ptr<txn::Transaction>(client->Begin());
  ASSERT_TRUE(out_txn->Put("zebra", "1").ok());
  out_txn->Commit([&, out_txn](Result<txn::Timestamp> r) { outside = r; });
  ASSERT_TRUE(sim.RunUntil([&] { return inside.has_value() && outside.has_value(); }, 10s));
  EXPECT_TRUE(inside->ok()) << inside->status().ToString();
  EXPECT_FALSE(outside->ok());
}

TEST(TransactionCoreSimTest, BankUnderNetworkFaults) {
  RunManySeeds("network faults", Faults{true, false, false}, 60);
}

TEST(TransactionCoreSimTest, BankUnderCrashes) {
  RunManySeeds("crashes", Faults{false, true, false}, 60);
}

TEST(TransactionCoreSimTest, BankUnderAllFaults) { RunManySeeds("all faults", kAllFaults, 200); }

}  // namespace
}  // namespace borealis
