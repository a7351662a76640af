// Deterministic simulation of the transaction core (TESTING.md layer 3): journal, adjudicator,
// crossbar and storage nodes plus client nodes in one thread with virtual time, message delay,
// loss, duplication and reordering, and crashes/restarts of every role with loss of unsynced
// disk writes. Invariants:
// - bank: every snapshot read sums to the initial total;
// - every acknowledged commit is present after recovery, and no definitely failed one is;
// - the same seed gives the same run (trace hash).
// A failing seed is printed; rerun it alone with BOREALIS_SIM_SEED=N.
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <set>

#include "adjudicator/adjudicator_server.h"
#include "crossbar/crossbar.h"
#include "journal/journal_server.h"
#include "runtime/blocking_executor.h"
#include "runtime/simulator.h"
#include "storage/storage_server.h"
#include "txn/client.h"

namespace borealis {
namespace {

using namespace std::chrono_literals;

constexpr char kJournal[] = "journal:1";
constexpr char kAdjudicator[] = "adjudicator:1";
constexpr char kCrossbar[] = "crossbar:1";
constexpr char kStorage[] = "storage:1";
constexpr int kAccounts = 8;
constexpr int64_t kInitialBalance = 100;

std::string AccountKey(int i) { return "acct/" + std::to_string(i); }

class JournalProcess : public runtime::Process {
 public:
  journal::Journal* journal() { return journal_.get(); }
  explicit JournalProcess(const runtime::Env& env) : executor_(env.scheduler), messenger_(env) {
    auto journal =
        journal::Journal::Open(env.disk, journal::JournalOptions{.directory = "/journal"});
    BOREALIS_CHECK(journal.ok(), journal.status().ToString());
    journal_ = std::move(journal).value();
    server_ = std::make_unique<journal::JournalServer>(&messenger_, &executor_, journal_.get());
  }

 private:
  runtime::InlineExecutor executor_;
  txn::Messenger messenger_;
  std::unique_ptr<journal::Journal> journal_;
  std::unique_ptr<journal::JournalServer> server_;
};

class AdjudicatorProcess : public runtime::Process {
 public:
  explicit AdjudicatorProcess(const runtime::Env& env)
      : messenger_(env), server_(&messenger_, {.journal_endpoint = kJournal}) {}

 private:
  txn::Messenger messenger_;
  adjudicator::AdjudicatorServer server_;
};

class CrossbarProcess : public runtime::Process {
 public:
  explicit CrossbarProcess(const runtime::Env& env)
      : messenger_(env), crossbar_(&messenger_, {.journal_endpoint = kJournal}) {}

 private:
  txn::Messenger messenger_;
  crossbar::Crossbar crossbar_;
};

// Storage in memory: a crash loses everything and the node rebuilds from the journal.
class StorageProcess : public runtime::Process {
 public:
  explicit StorageProcess(const runtime::Env& env)
      : messenger_(env),
        engine_(storage::NewMemoryEngine()),
        server_(&messenger_, engine_.get(), {.crossbar_endpoint = kCrossbar}) {}

 private:
  txn::Messenger messenger_;
  std::unique_ptr<storage::Engine> engine_;
  storage::StorageServer server_;
};

// One transfer attempt as the client saw it (keyed by its marker).
struct TransferRecord {
  uint64_t t_start = 0;
  std::string from_key, to_key;
  int64_t from_read = 0, to_read = 0;
};

// What the clients learned, kept outside the client processes so it survives their crashes.
struct History {
  std::map<std::string, TransferRecord> attempts;
  std::set<std::string> acknowledged;  // marker keys of commits answered COMMITTED
  std::set<std::string> failed;        // marker keys of commits that definitely failed
  uint64_t next_marker = 0;
  int64_t transfers = 0;
  int64_t conflicts = 0;
  int64_t unknown = 0;
  int64_t reads_checked = 0;
  std::vector<std::string> violations;
};

// A client that loops: transfer between two accounts, or read all balances.
class ClientProcess : public runtime::Process {
 public:
  ClientProcess(const runtime::Env& env, std::string name, History* history)
      : env_(env),
        name_(std::move(name)),
        history_(history),
        messenger_(env),
        client_(&messenger_, {.adjudicator_endpoint = kAdjudicator, .storage_endpoint = kStorage}) {
    Next();
  }
  ~ClientProcess() override { *alive_ = false; }

 private:
  void Next() {
    std::weak_ptr<bool> alive = alive_;
    env_.scheduler->After(std::chrono::microseconds(env_.random->Range(100, 3000)), [this, alive] {
      if (alive.expired()) return;
      if (env_.random->Bernoulli(0.3)) {
        ReadAll();
      } else {
        Transfer();
      }
    });
  }

  void ReadAll() {
    txn_ = client_.Begin();
    std::weak_ptr<bool> alive = alive_;
    txn_->Scan("acct/", "acct0", 100, false, [this, alive](Result<std::vector<txn::Row>> rows) {
      if (alive.expired()) return;
      if (rows.ok() && rows->size() == kAccounts) {
        int64_t sum = 0;
        for (const txn::Row& row : *rows) sum += std::stoll(row.value);
        ++history_->reads_checked;
        if (sum != kAccounts * kInitialBalance) {
          history_->violations.push_back("snapshot at " + std::to_string(txn_->t_start()) +
                                         " sums to " + std::to_string(sum));
        }
      }
      Next();
    });
  }

  void Transfer() {
    txn_ = client_.Begin();
    int from = static_cast<int>(env_.random->Uniform(kAccounts));
    int to = static_cast<int>((from + 1 + env_.random->Uniform(kAccounts - 1)) % kAccounts);
    int64_t amount = static_cast<int64_t>(env_.random->Range(1, 10));
    std::weak_ptr<bool> alive = alive_;
    txn_->Get(AccountKey(from), [this, alive, from, to, amount](auto from_value) {
      if (alive.expired()) return;
      if (!from_value.ok() || !from_value->has_value()) return Next();
      txn_->Get(AccountKey(to), [this, alive, from, to, amount,
                                 from_balance = std::stoll(**from_value)](auto to_value) {
        if (alive.expired()) return;
        if (!to_value.ok() || !to_value->has_value()) return Next();
        int64_t to_balance = std::stoll(**to_value);
        BOREALIS_CHECK(txn_->Put(AccountKey(from), std::to_string(from_balance - amount)).ok());
        BOREALIS_CHECK(txn_->Put(AccountKey(to), std::to_string(to_balance + amount)).ok());
        // Unique across restarts of this client: a crashed incarnation's commits may land.
        std::string marker = "mark/" + name_ + "/" + std::to_string(++history_->next_marker);
        BOREALIS_CHECK(txn_->Put(marker, "1").ok());
        history_->attempts[marker] = TransferRecord{txn_->t_start(), AccountKey(from),
                                                    AccountKey(to), from_balance, to_balance};
        txn_->Commit([this, alive, marker](Result<txn::Timestamp> committed) {
          if (alive.expired()) return;  // crashed: outcome unknown, recorded nowhere
          if (committed.ok()) {
            ++history_->transfers;
            history_->acknowledged.insert(marker);
          } else if (committed.status().sqlstate() == "40001") {
            ++history_->conflicts;
            history_->failed.insert(marker);
          } else {
            ++history_->unknown;
          }
          Next();
        });
      });
    });
  }

  runtime::Env env_;
  std::string name_;
  History* history_;
  txn::Messenger messenger_;
  txn::TxnClient client_;
  std::unique_ptr<txn::Transaction> txn_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

// A one-shot reader used at setup and for the final check.
class OneShot : public runtime::Process {
 public:
  explicit OneShot(const runtime::Env& env)
      : messenger_(env),
        client_(&messenger_, {.adjudicator_endpoint = kAdjudicator, .storage_endpoint = kStorage}) {
  }
  txn::TxnClient& client() { return client_; }

 private:
  txn::Messenger messenger_;
  txn::TxnClient client_;
};

struct RunResult {
  uint64_t trace_hash = 0;
  History history;
  std::set<std::string> final_markers;
  int64_t final_sum = -1;
};

// The journal is the truth: every transfer in it must have read the latest values committed
// at or below its t_start (snapshot reads), and no other committed transaction may have written
// its keys between its t_start and its t_commit (first committer wins).
void CheckAgainstJournal(journal::Journal* journal, RunResult& result) {
  struct Committed {
    uint64_t t_commit;
    std::map<std::string, std::string> writes;
  };
  std::vector<Committed> history;
  auto entries = journal->Read(journal->first_position(), 1 << 30, UINT64_MAX);
  BOREALIS_CHECK(entries.ok());
  for (const journal::Entry& entry : *entries) {
    if (entry.kind != journal::EntryKind::kCommit) continue;
    auto record = txn::ParseCommitRecord(entry.payload);
    auto writes = txn::ParseEncodedWriteSet(record->write_set);
    Committed c{entry.timestamp, {}};
    for (const auto& w : *writes) c.writes[std::string(w.key)] = std::string(w.value);
    history.push_back(std::move(c));
  }
  auto value_at = [&](const std::string& key, uint64_t t) -> int64_t {
    int64_t value = -1;
    for (const Committed& c : history) {
      if (c.t_commit > t) break;
      if (auto it = c.writes.find(key); it != c.writes.end()) value = std::stoll(it->second);
    }
    return value;
  };
  for (const Committed& c : history) {
    for (const auto& [key, value] : c.writes) {
      if (key.rfind("mark/", 0) != 0) continue;
      auto attempt = result.history.attempts.find(key);
      if (attempt == result.history.attempts.end()) continue;
      const TransferRecord& r = attempt->second;
      if (value_at(r.from_key, r.t_start) != r.from_read ||
          value_at(r.to_key, r.t_start) != r.to_read) {
        result.history.violations.push_back(
            key + " read stale values at t_start " + std::to_string(r.t_start) + ": " + r.from_key +
            "=" + std::to_string(r.from_read) + " (journal " +
            std::to_string(value_at(r.from_key, r.t_start)) + "), " + r.to_key + "=" +
            std::to_string(r.to_read) + " (journal " +
            std::to_string(value_at(r.to_key, r.t_start)) + "), committed at " +
            std::to_string(c.t_commit));
      }
      for (const Committed& other : history) {
        if (other.t_commit <= r.t_start || other.t_commit >= c.t_commit) continue;
        if (other.writes.count(r.from_key) || other.writes.count(r.to_key)) {
          result.history.violations.push_back(key + " committed at " + std::to_string(c.t_commit) +
                                              " despite a conflicting commit at " +
                                              std::to_string(other.t_commit) +
                                              " after its t_start " + std::to_string(r.t_start));
        }
      }
    }
  }
}

struct Faults {
  bool network = false;
  bool crashes = false;
  bool partition = false;
};

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
  History& history = result.history;
  sim.AddNode(kJournal,
              [](const runtime::Env& env) { return std::make_unique<JournalProcess>(env); });
  sim.AddNode(kAdjudicator,
              [](const runtime::Env& env) { return std::make_unique<AdjudicatorProcess>(env); });
  sim.AddNode(kCrossbar,
              [](const runtime::Env& env) { return std::make_unique<CrossbarProcess>(env); });
  sim.AddNode(kStorage,
              [](const runtime::Env& env) { return std::make_unique<StorageProcess>(env); });
  sim.AddNode("setup:1", [](const runtime::Env& env) { return std::make_unique<OneShot>(env); });

  // Setup: create the accounts (retried until acknowledged).
  bool created = false;
  std::function<void()> create = [&] {
    auto* setup = static_cast<OneShot*>(sim.process("setup:1"));
    auto txn = std::shared_ptr<txn::Transaction>(setup->client().Begin());
    for (int i = 0; i < kAccounts; ++i) {
      BOREALIS_CHECK(txn->Put(AccountKey(i), std::to_string(kInitialBalance)).ok());
    }
    txn->Commit([&, txn](Result<txn::Timestamp> committed) {
      if (committed.ok()) {
        created = true;
      } else {
        sim.Schedule(10ms, create);
      }
    });
  };
  sim.Schedule(1ms, create);
  BOREALIS_CHECK(sim.RunUntil([&] { return created; }, 60s), sim.ReproLine());

  const int clients = 4;
  for (int c = 0; c < clients; ++c) {
    std::string name = "client:" + std::to_string(c);
    sim.AddNode(name, [name, &history](const runtime::Env& env) {
      return std::make_unique<ClientProcess>(env, name, &history);
    });
  }
  if (faults.crashes) {
    // The nemesis: crash and restart a random role now and then; cut the storage node off.
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
  if (faults.partition) {
    sim.Schedule(900ms, [&sim] { sim.Partition({kStorage}, {kCrossbar}); });
    sim.Schedule(1100ms, [&sim] { sim.HealAll(); });
  }
  sim.RunFor(2500ms);
  // Quiesce: stop the clients, heal, let everything catch up.
  for (int c = 0; c < clients; ++c) {
    std::string name = "client:" + std::to_string(c);
    if (sim.IsUp(name)) sim.Crash(name);
  }
  sim.HealAll();
  sim.network() = runtime::NetworkFaults{};
  for (const char* role : {kJournal, kAdjudicator, kCrossbar, kStorage}) {
    if (!sim.IsUp(role)) sim.Restart(role);
  }
  sim.RunFor(500ms);

  // Final check through a fresh transaction.
  bool done = false;
  std::function<void()> check = [&] {
    auto* reader = static_cast<OneShot*>(sim.process("setup:1"));
    auto txn = std::shared_ptr<txn::Transaction>(reader->client().Begin());
    txn->Scan("acct/", "acct0", 100, false, [&, txn](Result<std::vector<txn::Row>> rows) {
      if (!rows.ok()) return sim.Schedule(50ms, check);
      result.final_sum = 0;
      for (const txn::Row& row : *rows) result.final_sum += std::stoll(row.value);
      txn->Scan("mark/", "mark0", 1'000'000, false,
                [&, txn](Result<std::vector<txn::Row>> markers) {
                  if (!markers.ok()) return sim.Schedule(50ms, check);
                  for (const txn::Row& row : *markers) result.final_markers.insert(row.key);
                  done = true;
                });
    });
  };
  sim.Schedule(1ms, check);
  BOREALIS_CHECK(sim.RunUntil([&] { return done; }, 60s), sim.ReproLine());
  result.trace_hash = sim.TraceHash();
  CheckAgainstJournal(static_cast<JournalProcess*>(sim.process(kJournal))->journal(), result);
  return result;
}

void ExpectInvariants(const RunResult& result, uint64_t seed) {
  const History& history = result.history;
  EXPECT_TRUE(history.violations.empty()) << "seed " << seed << ": " << history.violations.front()
                                          << " (rerun: BOREALIS_SIM_SEED=" << seed << ")";
  EXPECT_EQ(result.final_sum, kAccounts * kInitialBalance) << "seed " << seed;
  for (const std::string& marker : history.acknowledged) {
    EXPECT_TRUE(result.final_markers.count(marker))
        << "seed " << seed << ": acknowledged commit lost: " << marker;
  }
  for (const std::string& marker : history.failed) {
    EXPECT_FALSE(result.final_markers.count(marker))
        << "seed " << seed << ": failed commit visible: " << marker;
  }
}

TEST(TransactionCoreSimTest, BankWithoutFaults) {
  RunResult result = RunBank(1, Faults{});
  ExpectInvariants(result, 1);
  EXPECT_GT(result.history.transfers, 100);
  EXPECT_GT(result.history.reads_checked, 50);
}

constexpr Faults kAllFaults{true, true, true};

TEST(TransactionCoreSimTest, SameSeedSameRun) {
  EXPECT_EQ(RunBank(7, kAllFaults).trace_hash, RunBank(7, kAllFaults).trace_hash);
  EXPECT_NE(RunBank(7, kAllFaults).trace_hash, RunBank(8, kAllFaults).trace_hash);
}

void RunManySeeds(Faults faults, size_t count) {
  int64_t transfers = 0, conflicts = 0, unknown = 0, reads = 0;
  for (uint64_t seed : runtime::SimulationSeeds(100, count)) {
    RunResult result = RunBank(seed, faults);
    ExpectInvariants(result, seed);
    if (::testing::Test::HasFailure()) {
      ADD_FAILURE() << "failing seed " << seed << " (rerun: BOREALIS_SIM_SEED=" << seed << ")";
      return;
    }
    if (getenv("SIM_VERBOSE")) {
      std::printf("seed %llu: transfers=%lld conflicts=%lld unknown=%lld reads=%lld\n",
                  static_cast<unsigned long long>(seed),
                  static_cast<long long>(result.history.transfers),
                  static_cast<long long>(result.history.conflicts),
                  static_cast<long long>(result.history.unknown),
                  static_cast<long long>(result.history.reads_checked));
    }
    transfers += result.history.transfers;
    conflicts += result.history.conflicts;
    unknown += result.history.unknown;
    reads += result.history.reads_checked;
  }
  std::printf("bank under faults: transfers=%lld conflicts=%lld unknown=%lld reads_checked=%lld\n",
              static_cast<long long>(transfers), static_cast<long long>(conflicts),
              static_cast<long long>(unknown), static_cast<long long>(reads));
}

TEST(TransactionCoreSimTest, BankUnderNetworkFaults) {
  RunManySeeds(Faults{true, false, false}, 60);
}

TEST(TransactionCoreSimTest, BankUnderCrashes) { RunManySeeds(Faults{false, true, false}, 60); }

TEST(TransactionCoreSimTest, BankUnderAllFaults) { RunManySeeds(kAllFaults, 200); }

}  // namespace
}  // namespace borealis
