// The bank workload over the transaction client (TESTING.md layers 3 and 7): accounts with a
// fixed total; clients transfer between two accounts (read both, write both, plus a unique
// marker key) or read every balance in one snapshot. Used by the deterministic simulation
// (tests/sim) and by the real-process deployment and crash tests (tests/e2e via bank_tool).
//
// Invariants a run is checked against:
// - every snapshot read sums to accounts * initial_balance;
// - every acknowledged transfer's marker is present at the end, and no marker of a transfer
//   that definitely failed (40001) is;
// - (CheckAgainstCommits) every committed transfer read the latest values committed at or
//   below its t_start, and no other commit wrote its accounts between t_start and t_commit.
// Threading: a BankClient lives on its Env's event loop.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "runtime/env.h"
#include "txn/client.h"

namespace borealis::workload {

struct BankOptions {
  int accounts = 8;
  int64_t initial_balance = 100;
  double read_fraction = 0.3;
  // Pause between a client's transactions, uniform in [min, max] microseconds.
  uint64_t think_us_min = 100;
  uint64_t think_us_max = 3000;
};

std::string AccountKey(int i);
inline constexpr char kAccountsBegin[] = "acct/";
inline constexpr char kAccountsEnd[] = "acct0";
inline constexpr char kMarkersBegin[] = "mark/";
inline constexpr char kMarkersEnd[] = "mark0";
inline constexpr size_t kMaxRecordedSnapshots = 100000;

// One transfer attempt as its client saw it.
struct TransferRecord {
  uint64_t t_start = 0;
  std::string from_key, to_key;
  int64_t from_read = 0, to_read = 0;
};

// A read-only snapshot of every balance.
struct SnapshotRecord {
  uint64_t t_start = 0;
  std::map<std::string, int64_t> balances;
};

// What the clients learned; kept outside the clients so it survives their crashes.
struct BankHistory {
  std::map<std::string, TransferRecord> attempts;  // by marker key
  std::vector<SnapshotRecord> snapshots;           // read-only transactions (bounded)
  std::set<std::string> acknowledged;              // markers of commits answered COMMITTED
  std::set<std::string> failed;                    // markers of commits that definitely failed
  uint64_t next_marker = 0;
  int64_t transfers = 0;
  int64_t conflicts = 0;
  int64_t unknown = 0;
  int64_t reads_checked = 0;
  std::vector<std::string> violations;
};

// One client looping over transactions until destroyed or Stop()ped.
class BankClient {
 public:
  BankClient(runtime::Env env, txn::TxnClient* client, std::string name, BankHistory* history,
             BankOptions options);
  ~BankClient();
  void Stop() { stopped_ = true; }
  bool idle() const { return txn_ == nullptr; }

 private:
  void Next();
  void ReadAll();
  void Transfer();
  void Finish();

  runtime::Env env_;
  txn::TxnClient* client_;
  std::string name_;
  BankHistory* history_;
  BankOptions options_;
  bool stopped_ = false;
  std::unique_ptr<txn::Transaction> txn_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

// Writes every account with the initial balance; calls done(true) once acknowledged (retrying
// on failure until `attempts` are used up).
void CreateAccounts(txn::TxnClient* client, const BankOptions& options, int attempts,
                    std::function<void(bool)> done);

struct FinalState {
  int64_t sum = -1;
  int accounts_found = 0;
  std::set<std::string> markers;
};
// Reads the balances and the markers in one snapshot (retrying until `attempts` are used up).
void ReadFinalState(txn::TxnClient* client, int attempts,
                    std::function<void(Result<FinalState>)> done);

// Checks the end-of-run invariants; returns the violations found (empty: all hold).
std::vector<std::string> CheckFinalState(const BankHistory& history, const FinalState& state,
                                         const BankOptions& options);

// A committed transaction as the journal holds it.
struct CommittedTxn {
  uint64_t t_commit = 0;
  std::map<std::string, std::string> writes;
};
// Snapshot reads (of committed transfers and of read-only snapshots) and first-committer-wins
// against the commit history (journal order). Reading exactly the state committed at t_start
// rules out aborted and intermediate reads (G1a, G1b), read skew and other cycles through
// reads (G1c, G-single); first-committer-wins rules out lost updates and G0.
std::vector<std::string> CheckAgainstCommits(const BankHistory& history,
                                             const std::vector<CommittedTxn>& commits);

}  // namespace borealis::workload
