// The transaction client the QP uses (ARCHITECTURE §2): snapshot reads at t_start from storage,
// writes buffered in a WriteSet, optimistic commit at the adjudicator.
//
// Contract:
// - Begin() takes t_start = clock.latest(). Every read is served by storage as of t_start,
//   merged with the transaction's own buffered writes (read-your-writes).
// - Put/Delete buffer writes; Lock adds a lock-only key (SELECT ... FOR UPDATE) that conflicts
//   like a write but creates no version; AddCheckKey adds a key validated at commit but never
//   recorded (schema versions).
// - Commit(): a read-only transaction (no writes, no locks) commits locally at t_start without
//   the adjudicator. A bulk one (kMinStagedCommitBytes) stages its record first, and fails
//   with 40001 kNotStagedMessage (not committed) if the adjudicator restarted in between. Otherwise
//   the adjudicator answers: t_commit; or kAborted with SQLSTATE 40001 and "change conflicts with
//   another transaction (OC000)" / "schema has been updated by another transaction, please retry:
//   (OC001)"; or kUnavailable (not committed, safe to retry); or kUnknown-outcome (kUnavailable
//   with "commit outcome unknown").
// - Limits (each a typed 54000 error): max_rows modified, max_bytes of writes, max_age of the
//   transaction at commit.
// Threading: without a Dispatcher, the node's event loop; with one, any single thread per
// transaction (see TxnClient). Callbacks run on the loop. A Transaction must outlive its
// outstanding calls.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "runtime/env.h"
#include "txn/kv.h"
#include "txn/messenger.h"
#include "txn/write_set.h"

namespace borealis::txn {

using Timestamp = uint64_t;

// SQLSTATE 40001 messages DSQL clients already handle (ARCHITECTURE §2).
inline constexpr char kDataConflictMessage[] = "change conflicts with another transaction (OC000)";
inline constexpr char kSchemaConflictMessage[] =
    "schema has been updated by another transaction, please retry: (OC001)";
inline constexpr char kOutcomeUnknownMessage[] = "commit outcome unknown";
inline constexpr char kNotStagedMessage[] =
    "the adjudicator lost the transaction before deciding it (not committed), please retry";
// Commit records at least this large are staged at the adjudicator first (core.proto
// StageRequest): the client then drops its copy while the commit is decided and made durable,
// so a bulk load is held by one component at a time. Costs one more round trip.
inline constexpr size_t kMinStagedCommitBytes = 1 << 20;

struct TxnClientOptions {
  std::string adjudicator_endpoint;
  std::string storage_endpoint;  // one range for now
  // Longer than storage's read_wait_max, so a read parked behind a bulk apply gets storage's
  // answer rather than "no answer".
  std::chrono::nanoseconds read_timeout = std::chrono::seconds(30);
  // Reads and commit requests unanswered after this long are sent again (both are idempotent:
  // commits carry a transaction id the adjudicator deduplicates).
  std::chrono::nanoseconds attempt_timeout = std::chrono::milliseconds(100);
  std::chrono::nanoseconds commit_timeout = std::chrono::seconds(10);
  // UNAVAILABLE (adjudicator recovering or busy) is retried with the same transaction id
  // after this delay until commit_timeout has passed.
  std::chrono::nanoseconds commit_retry_delay = std::chrono::milliseconds(20);
  // Commit records at least this large are staged first (see kMinStagedCommitBytes).
  size_t stage_commit_bytes = kMinStagedCommitBytes;
  size_t max_rows = 10'000'000;
  uint64_t max_bytes = uint64_t{2} << 30;
  std::chrono::nanoseconds max_age = std::chrono::seconds(300);
};

class Transaction;

// Keys of one Transaction::GetBatch.
inline constexpr size_t kMaxBatchGetKeys = 64;

// Rows asked of storage per scan request (storage answers at most storage::kMaxScanRows).
inline constexpr size_t kMaxScanRequestRows = 10000;

// Runs a function on the Messenger's event-loop thread (e.g. asio::post to its io_context).
using Dispatcher = std::function<void(std::function<void()>)>;

class TxnClient {
 public:
  // Without a dispatcher every method must be called on the messenger's loop thread. With
  // one, Begin() and Transaction methods may be called from any one thread per transaction:
  // messages are dispatched to the loop and callbacks run there.
  TxnClient(Messenger* messenger, TxnClientOptions options, Dispatcher dispatcher = nullptr);
  std::unique_ptr<Transaction> Begin();
  const TxnClientOptions& options() const { return options_; }
  Messenger* messenger() const { return messenger_; }

  // Runs `fn` on the loop thread (directly when there is no dispatcher).
  void Dispatch(std::function<void()> fn) const;
  // A random 128-bit transaction id (thread-safe).
  std::string NewTxnId();

 private:
  Messenger* messenger_;
  TxnClientOptions options_;
  Dispatcher dispatcher_;
  std::mutex random_mutex_;
};

class Transaction {
 public:
  using GetCallback = std::function<void(Result<std::optional<std::string>>)>;
  using ScanCallback = std::function<void(Result<std::vector<Row>>)>;
  using CommitCallback = std::function<void(Result<Timestamp>)>;

  Transaction(TxnClient* client, Timestamp t_start);

  Timestamp t_start() const { return t_start_; }
  const WriteSet& writes() const { return writes_; }

  void Get(std::string key, GetCallback done);
  // Several point reads sent together (one hand-off to the loop, requests in flight at once),
  // each merged with own writes like Get; `done` gets one result per key, in order. At most
  // kMaxBatchGetKeys keys.
  using BatchGetCallback = std::function<void(std::vector<Result<std::optional<std::string>>>)>;
  void GetBatch(std::vector<std::string> keys, BatchGetCallback done);
  // Rows with begin <= key < end (end empty: unbounded), at most `limit`, in key order
  // (reverse: descending).
  void Scan(std::string begin, std::string end, size_t limit, bool reverse, ScanCallback done);

  Status Put(std::string key, std::string value);
  Status Delete(std::string key);
  void Lock(std::string key) { writes_.Lock(key); }
  void AddCheckKey(std::string key) { check_keys_.push_back(std::move(key)); }

  // Savepoints are marks in the write set (WriteSet::SetMark & co.): rolling back undoes the
  // writes and locks made since the mark; check keys added since stay (conservative: they can
  // only make the commit fail with OC001, never let a wrong one through). Reads are never
  // validated at commit, so nothing else needs undoing. REQUIRES: no call in flight.
  size_t SetSavepoint() { return writes_.SetMark(); }
  void RollbackToSavepoint(size_t mark) { writes_.RollbackToMark(mark); }
  void ReleaseSavepoint(size_t mark) { writes_.ReleaseMark(mark); }

  void Commit(CommitCallback done);

 private:
  struct ScanState;
  static void ScanRound(TxnClient* client, Timestamp t_start, std::shared_ptr<ScanState> state);
  Status CheckLimits() const;
  // Sends the commit request (again, for a retry) until `deadline_ns` of the scheduler's
  // monotonic time.
  // Hands a bulk commit record to the adjudicator (resent until staged or the deadline),
  // then sends the commit with staged=true.
  void Stage(std::shared_ptr<core::Envelope> commit, Attachment record, int64_t deadline_ns,
             CommitCallback done);
  void SendCommit(std::shared_ptr<core::Envelope> request, Attachment record, int64_t deadline_ns,
                  CommitCallback done);

  TxnClient* client_;
  Timestamp t_start_;
  WriteSet writes_;
  std::vector<std::string> check_keys_;
};

}  // namespace borealis::txn
