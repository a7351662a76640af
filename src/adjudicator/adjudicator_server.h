// AdjudicatorServer: the adjudicator role (ARCHITECTURE §2-3). Wraps AdjudicatorCore with the
// journal: decides commits, writes each committed transaction as ONE journal entry, and answers
// the client after the entry is durable and the commit-wait has passed.
//
// Lifecycle: on start it fences the journal (becoming the only writer), replays the journal's
// retained entries into the core, then serves. If the journal reports a newer epoch, it stops
// serving, answers its undecided-durability commits with OUTCOME_UNKNOWN and recovers again.
//
// Guarantees:
// - A COMMITTED answer means the entry is durable in the journal and clock.earliest() >
//   t_commit (commit-wait), so any transaction that starts after the answer sees it.
// - DATA_CONFLICT / SCHEMA_CONFLICT / TOO_OLD / UNAVAILABLE mean nothing was written.
// - OUTCOME_UNKNOWN means the entry may or may not be in the journal.
// - Entries reach the journal in t_commit order with dense positions. Appends are pipelined
//   (max_appends_in_flight); entries decided while they are in flight go in the next one (group
//   commit). Lost or unanswered appends are resent (the journal is idempotent per epoch).
// - When nothing was appended for heartbeat_interval, a heartbeat entry advances the
//   watermark so storage can serve reads at recent timestamps. Heartbeats also carry a
//   timestamp lease; under a durable lease a WatermarkRequest from storage (a read is waiting)
//   is answered with a promise (no commit at or below t beyond position P) without any write;
//   otherwise a heartbeat is appended at once. After a restart no commit is decided until the
//   predecessor's lease has passed (clock.earliest() > lease end).
// - Bulk transactions may stage their commit record first (StageRequest), so the client need
//   not hold it while the commit is decided; a commit with staged=true uses the staged record,
//   or, when it has none (expired, or this process restarted), answers NOT_STAGED (not
//   committed: no decision for that id within the replayed history) or TOO_OLD (its t_start is
//   older than that history, so it may have been decided: outcome unknown to the client).
// Limits: max_pending_entries decided-but-not-durable entries (beyond: UNAVAILABLE),
// max_append_entries / max_append_bytes per append.
// Threading: the node's event loop.
#pragma once

#include <chrono>
#include <deque>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "adjudicator/adjudicator_core.h"
#include "crossbar/range_filter.h"
#include "txn/answer_timeout.h"
#include "txn/messenger.h"

namespace borealis::adjudicator {

struct AdjudicatorServerOptions {
  std::string journal_endpoint;
  // The key ranges this adjudicator decides for; empty = the whole key space (one partition,
  // today). A commit touching a key outside them is refused (INVALID): with several
  // partitions, the client (later the router of cross-partition commits) picks the owner.
  std::vector<crossbar::KeyRange> owned_ranges;
  AdjudicatorOptions core;
  // Reads use lease promises, so heartbeats mainly renew the lease and move the journal's
  // watermark for pulls: a slow tick keeps an idle node from fsyncing hundreds of times a second.
  std::chrono::nanoseconds heartbeat_interval = std::chrono::milliseconds(50);
  // Timestamp lease: heartbeats carry a lease end (now + lease_duration) in their payload; once
  // durable, the adjudicator may promise watermarks up to it without writing anything, and a
  // successor waits until the lease has passed before it commits anything.
  std::chrono::nanoseconds lease_duration = std::chrono::milliseconds(500);
  std::chrono::nanoseconds journal_timeout = std::chrono::milliseconds(100);
  std::chrono::nanoseconds retry_delay = std::chrono::milliseconds(5);
  size_t max_pending_entries = 1 << 16;
  // How long (and how many) decisions are remembered for duplicate commit requests; must
  // exceed the clients' commit timeout.
  std::chrono::nanoseconds dedup_retention = std::chrono::seconds(60);
  size_t max_dedup_entries = 1 << 20;
  // Staged commit records (bulk transactions hand theirs over before committing, see
  // core.proto StageRequest): at most this many and this many bytes; each expires after
  // dedup_retention if no commit takes it.
  size_t max_staged_records = 1024;
  uint64_t max_staged_bytes = uint64_t{4} << 30;
  size_t max_append_entries = 4096;
  size_t max_appends_in_flight = 8;
  uint64_t max_append_bytes = 8 << 20;
};

class AdjudicatorServer {
 public:
  AdjudicatorServer(txn::Messenger* messenger, AdjudicatorServerOptions options);
  ~AdjudicatorServer();

  bool serving() const { return state_ == State::kServing; }
  uint64_t epoch() const { return epoch_; }
  uint64_t commits() const { return commits_; }
  uint64_t conflicts() const { return conflicts_; }

 private:
  enum class State { kFencing, kReplaying, kServing };
  struct Waiter {
    std::string client;
    uint64_t request_id = 0;
  };
  struct PendingEntry {
    uint64_t position;
    Timestamp timestamp;
    uint32_t kind;
    // Shared with an append in flight when it is sent as an attachment (a bulk entry).
    std::shared_ptr<const std::string> payload;
    std::string txn_id;           // empty for heartbeats
    std::vector<Waiter> waiters;  // the request and its duplicates
  };
  // What was decided for a transaction id, kept for dedup_retention so that duplicated or
  // retried commit requests get the original answer.
  struct Decided {
    core::CommitResponse::Verdict verdict;
    Timestamp t_commit;
    uint64_t position;  // journal position for commits (pending until durable)
  };

  void OnRequest(const std::string& from, uint64_t request_id, core::Envelope request);
  // Takes the request's commit record (moved into the journal entry).
  void HandleCommit(const std::string& from, uint64_t request_id, core::CommitRequest& request);
  void HandleWatermark(const std::string& from, uint64_t request_id, Timestamp at_least);
  // Takes the request's commit record into staged_.
  void HandleStage(const std::string& from, uint64_t request_id, core::StageRequest& request);
  void ExpireStaged();
  void ReplyCommit(const std::string& to, uint64_t request_id,
                   core::CommitResponse::Verdict verdict, Timestamp t_commit = 0,
                   std::string conflicting_key = {}, std::string message = {});

  bool Owns(std::string_view key) const;
  void StartRecovery();
  void SendFence();
  void ReplayFrom(uint64_t position);
  void FinishRecovery();

  void MaybeSendAppend();
  void OnAppendResponse(Result<core::Envelope> response);
  // Makes the next append start after `journal_last_position` (or at the oldest pending).
  void ResendFrom(uint64_t journal_last_position);
  void OnDurable(uint64_t durable_position);
  void AckAfterCommitWait(Waiter waiter, Timestamp t_commit);
  void RememberDecision(const std::string& txn_id, Decided decided);
  void AppendHeartbeat(Timestamp at_least);
  void ArmHeartbeat();
  void OnHeartbeatTimer();

  txn::Messenger* messenger_;
  const runtime::Env env_;
  AdjudicatorServerOptions options_;
  AdjudicatorCore core_;
  State state_ = State::kFencing;
  uint64_t epoch_ = 0;
  uint64_t recovery_end_ = 0;  // replay up to this position (the fence)
  // Replay reads may carry a bulk entry of a hundred megabytes: their deadline grows after
  // each timeout (txn/answer_timeout.h), or recovery would ask for it forever.
  txn::AnswerTimeout replay_timeout_;
  Timestamp oldest_replayed_ = 0;
  uint64_t next_position_ = 0;
  std::deque<PendingEntry> pending_;  // not yet known durable, ascending positions
  uint64_t sent_through_ = 0;         // highest position sent (lowered to resend after a loss)
  size_t appends_in_flight_ = 0;
  bool appended_since_heartbeat_ = false;
  runtime::TimerId heartbeat_timer_ = runtime::kNoTimer;
  uint64_t generation_ = 0;  // bumps on every recovery: stale callbacks check it
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
  std::unordered_map<std::string, Decided> decided_;
  struct Staged {
    std::shared_ptr<const std::string> record;
    std::chrono::nanoseconds staged_at;  // scheduler monotonic time
  };
  std::unordered_map<std::string, Staged> staged_;  // by txn id
  uint64_t staged_bytes_ = 0;
  std::deque<std::pair<Timestamp, std::string>> decided_order_;  // (decision time, txn id)
  Timestamp lease_until_ = 0;                                    // covered by a durable heartbeat
  Timestamp lease_pending_ = 0;   // asked for in a heartbeat not yet durable
  Timestamp replayed_lease_ = 0;  // the predecessor's lease, found during replay
  uint64_t commits_ = 0;
  uint64_t conflicts_ = 0;
};

}  // namespace borealis::adjudicator
