// JournalServer: the journal role. Serves the Journal over the Messenger protocol (core.proto)
// to one adjudicator (appends) and to crossbars (reads). Design note:
// docs/design/transaction-core.md.
//
// Contract:
// - Fence: appends and syncs a kFence entry; its position becomes the current epoch. From then
//   on, appends with another epoch are refused (STALE_EPOCH), so a replaced adjudicator's late
//   messages can never interleave with its successor's entries.
// - Append(epoch, prev_position, entries): idempotent. Entries at positions the journal already
//   holds are skipped (same epoch => same entries), the rest are appended; answered DURABLE once
//   a sync covers the last entry. prev_position beyond the journal's end -> GAP with the
//   journal's last position (the sender resends from there).
// - ReadJournal(from, ...): durable entries only; long-polls up to wait_ns when none is new.
// - Group commit: at most one Sync in flight; appends that arrive meanwhile ride the next one.
// - Trimming: a read carrying durable_position (the crossbar's minimum over its storage
//   replicas) lets the journal drop whole segments at or below it (Journal::TrimBefore).
// - Limits: kMaxParkedReads long polls, kMaxPendingAppendReplies unanswered appends (beyond:
//   BUSY), entry counts/bytes per read as requested up to kMaxReadEntries/kMaxReadBytes.
// Threading: the node's event loop; Sync runs on the BlockingExecutor.
#pragma once

#include <deque>
#include <map>
#include <memory>
#include <string>

#include "journal/journal.h"
#include "runtime/blocking_executor.h"
#include "txn/messenger.h"

namespace borealis::journal {

inline constexpr size_t kMaxParkedReads = 4096;
inline constexpr size_t kMaxPendingAppendReplies = 1 << 16;
inline constexpr uint32_t kMaxReadEntries = 4096;
inline constexpr uint64_t kMaxReadBytes = 8 << 20;

class JournalServer {
 public:
  // REQUIRES: every pointer outlives the server.
  JournalServer(txn::Messenger* messenger, runtime::BlockingExecutor* executor, Journal* journal);
  ~JournalServer();

  uint64_t epoch() const { return epoch_; }

 private:
  struct PendingReply {
    std::string to;
    uint64_t request_id;
    uint64_t position;  // answer when durable >= position
    bool is_fence;
  };
  struct ParkedRead {
    std::string to;
    uint64_t request_id;
    core::ReadJournalRequest request;
    runtime::TimerId timer;
  };

  void OnRequest(const std::string& from, uint64_t request_id, core::Envelope request);
  void HandleFence(const std::string& from, uint64_t request_id);
  // Moves the entries' payloads out of the request.
  void HandleAppend(const std::string& from, uint64_t request_id, core::AppendRequest& request);
  void HandleRead(const std::string& from, uint64_t request_id,
                  const core::ReadJournalRequest& request);
  void AnswerRead(const std::string& to, uint64_t request_id,
                  const core::ReadJournalRequest& request);
  void RequestSync();
  void MaybeTrim(uint64_t durable_position);
  void OnSynced();
  void ReplyAppend(const std::string& to, uint64_t request_id, core::AppendResponse::Result result);

  txn::Messenger* messenger_;
  runtime::BlockingExecutor* executor_;
  Journal* journal_;
  uint64_t epoch_;  // position of the last fence entry appended (durable or not)
  bool sync_running_ = false;
  bool trim_running_ = false;
  uint64_t trimmed_through_ = 0;
  bool sync_again_ = false;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
  std::deque<PendingReply> pending_replies_;
  uint64_t next_parked_id_ = 1;
  std::map<uint64_t, ParkedRead> parked_reads_;
};

}  // namespace borealis::journal
