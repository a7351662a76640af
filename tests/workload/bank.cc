#include "workload/bank.h"

namespace borealis::workload {

std::string AccountKey(int i) { return std::string(kAccountsBegin) + std::to_string(i); }

BankClient::BankClient(runtime::Env env, txn::TxnClient* client, std::string name,
                       BankHistory* history, BankOptions options)
    : env_(env), client_(client), name_(std::move(name)), history_(history), options_(options) {
  Next();
}

BankClient::~BankClient() { *alive_ = false; }

void BankClient::Finish() {
  txn_.reset();
  Next();
}

void BankClient::Next() {
  if (stopped_) return;
  std::weak_ptr<bool> alive = alive_;
  env_.scheduler->After(
      std::chrono::microseconds(env_.random->Range(options_.think_us_min, options_.think_us_max)),
      [this, alive] {
        if (alive.expired() || stopped_) return;
        if (env_.random->Bernoulli(options_.read_fraction)) {
          ReadAll();
        } else {
          Transfer();
        }
      });
}

void BankClient::ReadAll() {
  txn_ = client_->Begin();
  std::weak_ptr<bool> alive = alive_;
  txn_->Scan(kAccountsBegin, kAccountsEnd, 10000, false,
             [this, alive](Result<std::vector<txn::Row>> rows) {
               if (alive.expired()) return;
               if (rows.ok() && static_cast<int>(rows->size()) == options_.accounts) {
                 int64_t sum = 0;
                 SnapshotRecord snapshot{txn_->t_start(), {}};
                 for (const txn::Row& row : *rows) {
                   sum += std::stoll(row.value);
                   snapshot.balances[row.key] = std::stoll(row.value);
                 }
                 if (history_->snapshots.size() < kMaxRecordedSnapshots) {
                   history_->snapshots.push_back(std::move(snapshot));
                 }
                 ++history_->reads_checked;
                 if (sum != options_.accounts * options_.initial_balance) {
                   history_->violations.push_back("snapshot at " + std::to_string(txn_->t_start()) +
                                                  " sums to " + std::to_string(sum));
                 }
               }
               Finish();
             });
}

void BankClient::Transfer() {
  txn_ = client_->Begin();
  int accounts = options_.accounts;
  int from = static_cast<int>(env_.random->Uniform(accounts));
  int to = static_cast<int>((from + 1 + env_.random->Uniform(accounts - 1)) % accounts);
  int64_t amount = static_cast<int64_t>(env_.random->Range(1, 10));
  std::weak_ptr<bool> alive = alive_;
  txn_->Get(AccountKey(from), [this, alive, from, to, amount](auto from_value) {
    if (alive.expired()) return;
    if (!from_value.ok() || !from_value->has_value()) return Finish();
    txn_->Get(AccountKey(to), [this, alive, from, to, amount,
                               from_balance = std::stoll(**from_value)](auto to_value) {
      if (alive.expired()) return;
      if (!to_value.ok() || !to_value->has_value()) return Finish();
      int64_t to_balance = std::stoll(**to_value);
      BOREALIS_CHECK(txn_->Put(AccountKey(from), std::to_string(from_balance - amount)).ok());
      BOREALIS_CHECK(txn_->Put(AccountKey(to), std::to_string(to_balance + amount)).ok());
      // Unique across restarts of this client: a crashed incarnation's commits may land.
      std::string marker =
          std::string(kMarkersBegin) + name_ + "/" + std::to_string(++history_->next_marker);
      BOREALIS_CHECK(txn_->Put(marker, "1").ok());
      history_->attempts[marker] = TransferRecord{txn_->t_start(), AccountKey(from), AccountKey(to),
                                                  from_balance, to_balance};
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
        Finish();
      });
    });
  });
}

void CreateAccounts(txn::TxnClient* client, const BankOptions& options, int attempts,
                    std::function<void(bool)> done) {
  std::shared_ptr<txn::Transaction> txn(client->Begin());
  for (int i = 0; i < options.accounts; ++i) {
    BOREALIS_CHECK(txn->Put(AccountKey(i), std::to_string(options.initial_balance)).ok());
  }
  txn->Commit([client, options, attempts, done, txn](Result<txn::Timestamp> committed) {
    if (committed.ok()) return done(true);
    if (attempts <= 1) return done(false);
    const runtime::Env& env = client->messenger()->env();
    env.scheduler->After(std::chrono::milliseconds(10), [client, options, attempts, done] {
      CreateAccounts(client, options, attempts - 1, done);
    });
  });
}

void ReadFinalState(txn::TxnClient* client, int attempts,
                    std::function<void(Result<FinalState>)> done) {
  std::shared_ptr<txn::Transaction> txn(client->Begin());
  auto retry = [client, attempts, done](Status status) {
    if (attempts <= 1) return done(status);
    const runtime::Env& env = client->messenger()->env();
    env.scheduler->After(std::chrono::milliseconds(50),
                         [client, attempts, done] { ReadFinalState(client, attempts - 1, done); });
  };
  txn->Scan(kAccountsBegin, kAccountsEnd, 10000, false,
            [txn, retry, done](Result<std::vector<txn::Row>> rows) {
              if (!rows.ok()) return retry(rows.status());
              auto state = std::make_shared<FinalState>();
              state->sum = 0;
              for (const txn::Row& row : *rows) state->sum += std::stoll(row.value);
              state->accounts_found = static_cast<int>(rows->size());
              // Markers page through storage's scan limit.
              auto page = std::make_shared<std::function<void(std::string)>>();
              std::weak_ptr<std::function<void(std::string)>> weak_page = page;
              *page = [txn, retry, done, state, weak_page](std::string from) {
                auto self = weak_page.lock();
                txn->Scan(from, kMarkersEnd, 5000, false,
                          [self, retry, done, state](Result<std::vector<txn::Row>> markers) {
                            if (!markers.ok()) return retry(markers.status());
                            for (const txn::Row& row : *markers) state->markers.insert(row.key);
                            if (markers->size() < 5000) return done(*state);
                            (*self)(markers->back().key + std::string(1, '\0'));
                          });
              };
              (*page)(kMarkersBegin);
            });
}

std::vector<std::string> CheckFinalState(const BankHistory& history, const FinalState& state,
                                         const BankOptions& options) {
  std::vector<std::string> violations = history.violations;
  if (state.accounts_found != options.accounts) {
    violations.push_back("found " + std::to_string(state.accounts_found) + " accounts");
  }
  if (state.sum != options.accounts * options.initial_balance) {
    violations.push_back("final balances sum to " + std::to_string(state.sum));
  }
  for (const std::string& marker : history.acknowledged) {
    if (!state.markers.count(marker)) violations.push_back("acknowledged commit lost: " + marker);
  }
  for (const std::string& marker : history.failed) {
    if (state.markers.count(marker)) violations.push_back("failed commit visible: " + marker);
  }
  return violations;
}

std::vector<std::string> CheckAgainstCommits(const BankHistory& history,
                                             const std::vector<CommittedTxn>& commits) {
  std::vector<std::string> violations;
  auto value_at = [&](const std::string& key, uint64_t t) -> int64_t {
    int64_t value = -1;
    for (const CommittedTxn& c : commits) {
      if (c.t_commit > t) break;
      if (auto it = c.writes.find(key); it != c.writes.end()) value = std::stoll(it->second);
    }
    return value;
  };
  for (const SnapshotRecord& snapshot : history.snapshots) {
    for (const auto& [key, balance] : snapshot.balances) {
      int64_t committed = value_at(key, snapshot.t_start);
      if (committed != balance) {
        violations.push_back("snapshot at " + std::to_string(snapshot.t_start) + " read " + key +
                             "=" + std::to_string(balance) + " but " + std::to_string(committed) +
                             " was committed then");
        break;
      }
    }
  }
  for (const CommittedTxn& c : commits) {
    for (const auto& [key, value] : c.writes) {
      auto attempt = history.attempts.find(key);
      if (key.rfind(kMarkersBegin, 0) != 0 || attempt == history.attempts.end()) continue;
      const TransferRecord& r = attempt->second;
      int64_t from_then = value_at(r.from_key, r.t_start);
      int64_t to_then = value_at(r.to_key, r.t_start);
      if (from_then != r.from_read || to_then != r.to_read) {
        violations.push_back(key + " read stale values at t_start " + std::to_string(r.t_start) +
                             ": " + r.from_key + "=" + std::to_string(r.from_read) +
                             " (committed " + std::to_string(from_then) + "), " + r.to_key + "=" +
                             std::to_string(r.to_read) + " (committed " + std::to_string(to_then) +
                             ")");
      }
      for (const CommittedTxn& other : commits) {
        if (other.t_commit <= r.t_start || other.t_commit >= c.t_commit) continue;
        if (other.writes.count(r.from_key) || other.writes.count(r.to_key)) {
          violations.push_back(key + " committed at " + std::to_string(c.t_commit) +
                               " despite a conflicting commit at " +
                               std::to_string(other.t_commit) + " after its t_start " +
                               std::to_string(r.t_start));
        }
      }
    }
  }
  return violations;
}

}  // namespace borealis::workload
