#include "adjudicator/adjudicator_server.h"

#include <algorithm>

#include "journal/journal.h"
#include "txn/write_set.h"

namespace borealis::adjudicator {
namespace {

constexpr uint32_t kReplayBatchEntries = 1024;

std::string EncodeLease(Timestamp lease_end) {
  std::string out(8, '\0');
  for (int i = 0; i < 8; ++i) out[i] = static_cast<char>((lease_end >> (8 * i)) & 0xff);
  return out;
}

Timestamp DecodeLease(std::string_view payload) {
  if (payload.size() != 8) return 0;  // heartbeats without a lease
  Timestamp lease_end = 0;
  for (int i = 7; i >= 0; --i) lease_end = (lease_end << 8) | static_cast<uint8_t>(payload[i]);
  return lease_end;
}
constexpr uint64_t kReplayBatchBytes = 8 << 20;

// The keys of a validated encoded write set, read from it on each pass (no vector of a
// million views for a bulk commit).
class EncodedWriteSetKeys final : public KeyList {
 public:
  EncodedWriteSetKeys(std::string_view encoded, size_t count) : encoded_(encoded), count_(count) {}
  size_t size() const override { return count_; }
  void ForEach(const std::function<bool(std::string_view key)>& visit) const override {
    txn::EncodedWriteSetReader reader(encoded_);
    while (std::optional<txn::EncodedWrite> write = reader.Next()) {
      if (!visit(write->key)) return;
    }
  }

 private:
  std::string_view encoded_;
  size_t count_;
};

}  // namespace

AdjudicatorServer::AdjudicatorServer(txn::Messenger* messenger, AdjudicatorServerOptions options)
    : messenger_(messenger),
      env_(messenger->env()),
      options_(std::move(options)),
      core_(options_.core),
      replay_timeout_(options_.journal_timeout) {
  messenger_->SetRequestHandler(
      [this](const std::string& from, uint64_t id, core::Envelope request) {
        OnRequest(from, id, std::move(request));
      });
  StartRecovery();
  ArmHeartbeat();
}

AdjudicatorServer::~AdjudicatorServer() {
  *alive_ = false;
  messenger_->SetRequestHandler(nullptr);
  env_.scheduler->Cancel(heartbeat_timer_);
}

void AdjudicatorServer::OnRequest(const std::string& from, uint64_t request_id,
                                  core::Envelope request) {
  if (request.body_case() == core::Envelope::kCommitRequest) {
    HandleCommit(from, request_id, *request.mutable_commit_request());
  } else if (request.body_case() == core::Envelope::kWatermarkRequest) {
    HandleWatermark(from, request_id, request.watermark_request().at_least());
  } else if (request.body_case() == core::Envelope::kStageRequest) {
    HandleStage(from, request_id, *request.mutable_stage_request());
  }
}

void AdjudicatorServer::HandleStage(const std::string& from, uint64_t request_id,
                                    core::StageRequest& request) {
  ExpireStaged();
  auto reply = [&](bool staged, std::string message) {
    core::Envelope response;
    response.mutable_stage_response()->set_staged(staged);
    response.mutable_stage_response()->set_message(std::move(message));
    messenger_->Reply(from, request_id, std::move(response));
  };
  if (state_ != State::kServing) return reply(false, "adjudicator is recovering");
  // Already decided (a resent stage after its commit): the commit request gets the answer.
  if (decided_.count(request.txn_id()) != 0) return reply(true, "");
  Result<txn::CommitRecord> record = txn::ParseCommitRecord(request.commit_record());
  if (!record.ok() || record->txn_id != request.txn_id()) {
    return reply(false, "malformed commit record");
  }
  if (auto it = staged_.find(request.txn_id()); it != staged_.end()) {
    staged_bytes_ -= it->second.record->size();  // a resend: replaced
    staged_.erase(it);
  }
  uint64_t size = request.commit_record().size();
  if (staged_.size() >= options_.max_staged_records ||
      staged_bytes_ + size > options_.max_staged_bytes) {
    return reply(false, "adjudicator staging is full");
  }
  staged_bytes_ += size;
  staged_.emplace(
      request.txn_id(),
      Staged{std::make_shared<const std::string>(std::move(*request.mutable_commit_record())),
             env_.scheduler->MonotonicNow()});
  reply(true, "");
}

void AdjudicatorServer::ExpireStaged() {
  auto now = env_.scheduler->MonotonicNow();
  for (auto it = staged_.begin(); it != staged_.end();) {
    if (now - it->second.staged_at > options_.dedup_retention) {
      staged_bytes_ -= it->second.record->size();
      it = staged_.erase(it);
    } else {
      ++it;
    }
  }
}

void AdjudicatorServer::ReplyCommit(const std::string& to, uint64_t request_id,
                                    core::CommitResponse::Verdict verdict, Timestamp t_commit,
                                    std::string conflicting_key, std::string message) {
  core::Envelope response;
  core::CommitResponse* commit = response.mutable_commit_response();
  commit->set_verdict(verdict);
  commit->set_t_commit(t_commit);
  commit->set_conflicting_key(std::move(conflicting_key));
  commit->set_message(std::move(message));
  messenger_->Reply(to, request_id, std::move(response));
}

void AdjudicatorServer::RememberDecision(const std::string& txn_id, Decided decided) {
  if (txn_id.empty()) return;
  Timestamp now = env_.clock->Now();
  decided_[txn_id] = decided;
  decided_order_.emplace_back(now, txn_id);
  uint64_t retention = static_cast<uint64_t>(options_.dedup_retention.count());
  while (!decided_order_.empty() && (decided_order_.size() > options_.max_dedup_entries ||
                                     decided_order_.front().first + retention < now)) {
    decided_.erase(decided_order_.front().second);
    decided_order_.pop_front();
  }
}

void AdjudicatorServer::HandleCommit(const std::string& from, uint64_t request_id,
                                     core::CommitRequest& request) {
  if (state_ != State::kServing) {
    ReplyCommit(from, request_id, core::CommitResponse::UNAVAILABLE, 0, {},
                "adjudicator is recovering");
    return;
  }
  if (auto it = decided_.find(request.txn_id()); it != decided_.end()) {
    // A duplicate or a retry: the original answer, never a second decision.
    const Decided& decided = it->second;
    if (decided.verdict != core::CommitResponse::COMMITTED) {
      ReplyCommit(from, request_id, decided.verdict);
    } else if (!pending_.empty() && decided.position >= pending_.front().position) {
      pending_[decided.position - pending_.front().position].waiters.push_back(
          Waiter{from, request_id});
    } else {
      AckAfterCommitWait(Waiter{from, request_id}, decided.t_commit);
    }
    return;
  }
  if (pending_.size() >= options_.max_pending_entries) {
    ReplyCommit(from, request_id, core::CommitResponse::UNAVAILABLE, 0, {},
                "adjudicator commit queue is full");
    return;
  }
  std::shared_ptr<const std::string> payload;
  if (request.staged()) {
    auto it = staged_.find(request.txn_id());
    if (it == staged_.end()) {
      // Not staged here. If it had been decided (by this or an earlier adjudicator), its entry
      // is at or above the replayed history's start and its id is in decided_; a transaction
      // older than that history may have been, so its outcome is unknown (TOO_OLD).
      if (request.t_start() < core_.conflict_set().horizon()) {
        ReplyCommit(from, request_id, core::CommitResponse::TOO_OLD, 0, {},
                    "staged transaction is older than the adjudicator's history");
      } else {
        ReplyCommit(from, request_id, core::CommitResponse::NOT_STAGED, 0, {},
                    "no staged commit record for this transaction");
      }
      return;
    }
    payload = std::move(it->second.record);
    staged_bytes_ -= payload->size();
    staged_.erase(it);
  } else {
    // The request's commit record becomes the entry's payload: moved, not copied.
    payload = std::make_shared<const std::string>(std::move(*request.mutable_commit_record()));
  }
  Result<txn::CommitRecord> record = txn::ParseCommitRecord(*payload);
  if (!record.ok() || record->txn_id != request.txn_id()) {
    ReplyCommit(from, request_id, core::CommitResponse::INVALID, 0, {}, "malformed commit record");
    return;
  }
  // One pass validates the write set and its keys' ownership; the decision reads it again.
  txn::EncodedWriteSetReader reader(record->write_set);
  while (std::optional<txn::EncodedWrite> write = reader.Next()) {
    if (!Owns(write->key)) {
      ReplyCommit(from, request_id, core::CommitResponse::INVALID, 0, std::string(write->key),
                  "key outside the adjudicator's ranges");
      return;
    }
  }
  if (Status valid = reader.status(); !valid.ok()) {
    ReplyCommit(from, request_id, core::CommitResponse::INVALID, 0, {}, valid.message());
    return;
  }
  std::vector<std::string_view> check_keys(request.check_keys().begin(),
                                           request.check_keys().end());
  Decision decision =
      core_.Decide(request.t_start(), EncodedWriteSetKeys(record->write_set, reader.count()),
                   SpanKeyList(check_keys), env_.clock->Interval().latest);
  core::CommitResponse::Verdict verdict = core::CommitResponse::COMMITTED;
  switch (decision.verdict) {
    case Verdict::kDataConflict:
      verdict = core::CommitResponse::DATA_CONFLICT;
      break;
    case Verdict::kSchemaConflict:
      verdict = core::CommitResponse::SCHEMA_CONFLICT;
      break;
    case Verdict::kTooOld:
      verdict = core::CommitResponse::TOO_OLD;
      break;
    case Verdict::kCommit:
      break;
  }
  if (verdict != core::CommitResponse::COMMITTED) {
    ++conflicts_;
    RememberDecision(request.txn_id(), Decided{verdict, 0, 0});
    ReplyCommit(from, request_id, verdict, 0, std::move(decision.conflicting_key),
                verdict == core::CommitResponse::TOO_OLD
                    ? "transaction is older than the adjudicator's window"
                    : "");
    return;
  }
  ++commits_;
  appended_since_heartbeat_ = true;
  uint64_t position = next_position_++;
  RememberDecision(request.txn_id(),
                   Decided{core::CommitResponse::COMMITTED, decision.t_commit, position});
  pending_.push_back(PendingEntry{position,
                                  decision.t_commit,
                                  static_cast<uint32_t>(journal::EntryKind::kCommit),
                                  std::move(payload),
                                  request.txn_id(),
                                  {Waiter{from, request_id}}});
  MaybeSendAppend();
}

bool AdjudicatorServer::Owns(std::string_view key) const {
  if (options_.owned_ranges.empty()) return true;
  return std::any_of(options_.owned_ranges.begin(), options_.owned_ranges.end(),
                     [&](const crossbar::KeyRange& range) { return range.Contains(key); });
}

// --- recovery

void AdjudicatorServer::StartRecovery() {
  ++generation_;
  state_ = State::kFencing;
  appends_in_flight_ = 0;
  // Anything decided but not known durable has an unknown outcome now.
  for (PendingEntry& entry : pending_) {
    for (const Waiter& waiter : entry.waiters) {
      ReplyCommit(waiter.client, waiter.request_id, core::CommitResponse::OUTCOME_UNKNOWN, 0, {},
                  "adjudicator lost its journal lease");
    }
  }
  pending_.clear();
  decided_.clear();
  decided_order_.clear();
  core_ = AdjudicatorCore(options_.core);
  oldest_replayed_ = 0;
  replayed_lease_ = 0;
  lease_until_ = 0;
  lease_pending_ = 0;
  SendFence();
}

void AdjudicatorServer::SendFence() {
  core::Envelope request;
  request.mutable_fence_request();
  uint64_t generation = generation_;
  std::weak_ptr<bool> alive = alive_;
  messenger_->Call(options_.journal_endpoint, std::move(request), options_.journal_timeout,
                   [this, alive, generation](Result<core::Envelope> response) {
                     if (alive.expired() || generation != generation_) return;
                     if (!response.ok() || !response->has_fence_response()) {
                       env_.scheduler->After(options_.retry_delay, [this, alive, generation] {
                         if (!alive.expired() && generation == generation_) SendFence();
                       });
                       return;
                     }
                     const core::FenceResponse& fence = response->fence_response();
                     epoch_ = fence.epoch();
                     recovery_end_ = fence.last_position();
                     next_position_ = fence.last_position() + 1;
                     sent_through_ = fence.last_position();
                     state_ = State::kReplaying;
                     ReplayFrom(fence.first_position());
                   });
}

void AdjudicatorServer::ReplayFrom(uint64_t position) {
  if (position > recovery_end_) {
    FinishRecovery();
    return;
  }
  core::Envelope request;
  core::ReadJournalRequest* read = request.mutable_read_journal_request();
  read->set_from_position(position);
  read->set_max_entries(kReplayBatchEntries);
  read->set_max_bytes(kReplayBatchBytes);
  uint64_t generation = generation_;
  std::weak_ptr<bool> alive = alive_;
  messenger_->Call(
      options_.journal_endpoint, std::move(request), replay_timeout_.current(),
      [this, alive, generation, position](Result<core::Envelope> response) {
        if (alive.expired() || generation != generation_) return;
        if (response.ok()) {
          replay_timeout_.OnAnswer();
        } else if (response.status().code() == Code::kDeadlineExceeded) {
          replay_timeout_.OnTimeout();  // perhaps a bulk entry still on its way: wait longer
        }
        if (!response.ok() || !response->has_read_journal_response() ||
            response->read_journal_response().status().code() != 0) {
          // A trimmed position restarts from the journal's first one.
          uint64_t retry_from = position;
          if (response.ok() && response->has_read_journal_response()) {
            retry_from = std::max(position, response->read_journal_response().first_position());
          }
          env_.scheduler->After(options_.retry_delay, [this, alive, generation, retry_from] {
            if (!alive.expired() && generation == generation_) ReplayFrom(retry_from);
          });
          return;
        }
        const core::ReadJournalResponse& read = response->read_journal_response();
        uint64_t next = position;
        for (const core::JournalEntry& entry : read.entries()) {
          if (entry.position() > recovery_end_) break;
          if (entry.timestamp() <= core_.last_timestamp()) {
            next = entry.position() + 1;  // a fence at a timestamp we already passed
            continue;
          }
          if (oldest_replayed_ == 0) oldest_replayed_ = entry.timestamp();
          if (entry.kind() == static_cast<uint32_t>(journal::EntryKind::kCommit)) {
            Result<txn::CommitRecord> record = txn::ParseCommitRecord(entry.payload());
            BOREALIS_CHECK(record.ok(), "corrupt commit record in journal entry", entry.position());
            Result<uint64_t> count = txn::ValidateEncodedWriteSet(record->write_set);
            BOREALIS_CHECK(count.ok(), "corrupt write set in journal entry", entry.position());
            RememberDecision(std::string(record->txn_id),
                             Decided{core::CommitResponse::COMMITTED, entry.timestamp(), 0});
            core_.Replay(entry.timestamp(), EncodedWriteSetKeys(record->write_set, *count));
          } else {
            if (entry.kind() == static_cast<uint32_t>(journal::EntryKind::kHeartbeat)) {
              replayed_lease_ = std::max(replayed_lease_, DecodeLease(entry.payload()));
            }
            core_.Replay(entry.timestamp(), SpanKeyList({}));
          }
          next = entry.position() + 1;
        }
        ReplayFrom(next == position ? read.next_position() : next);
      });
}

void AdjudicatorServer::FinishRecovery() {
  // The predecessor may have promised watermarks up to its lease: decide nothing until the
  // lease has passed everywhere, and never issue a timestamp at or below it.
  Timestamp earliest = env_.clock->Interval().earliest;
  if (replayed_lease_ >= earliest) {
    uint64_t generation = generation_;
    std::weak_ptr<bool> alive = alive_;
    env_.scheduler->After(std::chrono::nanoseconds(replayed_lease_ - earliest + 1),
                          [this, alive, generation] {
                            if (!alive.expired() && generation == generation_) FinishRecovery();
                          });
    return;
  }
  core_.FinishRecovery(env_.clock->Interval().latest, oldest_replayed_);
  core_.Promise(replayed_lease_);
  state_ = State::kServing;
}

// --- the journal pipeline

void AdjudicatorServer::MaybeSendAppend() {
  // Appends are pipelined: up to max_appends_in_flight carry consecutive, not yet sent entries.
  // A lost one shows up as GAP on the next (or as a timeout) and everything from the journal's
  // end is sent again; the journal skips what it already has.
  while (state_ == State::kServing && appends_in_flight_ < options_.max_appends_in_flight &&
         !pending_.empty()) {
    uint64_t first = std::max(sent_through_ + 1, pending_.front().position);
    if (first > pending_.back().position) return;  // everything is on its way
    core::Envelope request;
    core::AppendRequest* append = request.mutable_append_request();
    append->set_epoch(epoch_);
    append->set_prev_position(first - 1);
    size_t first_index = first - pending_.front().position;
    // A bulk entry goes alone, as the request's attachment: shared with pending_ (which keeps
    // it for resends until it is durable), never copied into the message.
    txn::Attachment attachment;
    uint64_t bytes = 0;
    for (size_t i = first_index; i < pending_.size(); ++i) {
      const PendingEntry& entry = pending_[i];
      bool bulk = entry.payload->size() >= txn::kMinAttachmentBytes;
      if (append->entries_size() > 0 && bulk) break;
      if (append->entries_size() >= static_cast<int>(options_.max_append_entries)) break;
      if (append->entries_size() > 0 && bytes + entry.payload->size() > options_.max_append_bytes) {
        break;
      }
      bytes += entry.payload->size();
      core::JournalEntry* out = append->add_entries();
      out->set_position(entry.position);
      out->set_timestamp(entry.timestamp);
      out->set_kind(entry.kind);
      sent_through_ = entry.position;
      if (bulk) {
        attachment = txn::Attachment{core::Envelope::FIRST_ENTRY_PAYLOAD, entry.payload};
        break;
      }
      out->set_payload(*entry.payload);
    }
    // The journal answers appends in order: this one also waits for the bytes sent before it
    // (a heartbeat behind a bulk entry must not time out and resend the bulk entry).
    uint64_t bytes_ahead = 0;
    for (size_t i = 0; i < first_index; ++i) bytes_ahead += pending_[i].payload->size();
    auto timeout = options_.journal_timeout +
                   std::chrono::nanoseconds(bytes_ahead * txn::kTimeoutNanosPerByte);
    ++appends_in_flight_;
    uint64_t generation = generation_;
    std::weak_ptr<bool> alive = alive_;
    messenger_->Call(
        options_.journal_endpoint, std::move(request), timeout,
        [this, alive, generation](Result<core::Envelope> response) {
          if (alive.expired() || generation != generation_) return;
          --appends_in_flight_;
          OnAppendResponse(std::move(response));
        },
        std::move(attachment));
  }
}

void AdjudicatorServer::ResendFrom(uint64_t journal_last_position) {
  if (pending_.empty()) return;
  uint64_t resend_after = std::max(journal_last_position, pending_.front().position - 1);
  sent_through_ = std::min(sent_through_, resend_after);
}

void AdjudicatorServer::OnAppendResponse(Result<core::Envelope> response) {
  if (!response.ok() || !response->has_append_response()) {
    ResendFrom(0);  // no answer: resend everything not known durable (idempotent)
    MaybeSendAppend();
    return;
  }
  const core::AppendResponse& append = response->append_response();
  switch (append.result()) {
    case core::AppendResponse::DURABLE:
      OnDurable(append.durable_position());
      MaybeSendAppend();
      return;
    case core::AppendResponse::STALE_EPOCH:
      StartRecovery();
      return;
    case core::AppendResponse::GAP:
      // An earlier append was lost, or the journal restarted and lost unsynced entries
      // (durable ones never are): continue from the journal's end.
      OnDurable(append.durable_position());
      ResendFrom(append.last_position());
      MaybeSendAppend();
      return;
    case core::AppendResponse::BUSY:
    default: {
      OnDurable(append.durable_position());
      ResendFrom(append.last_position());
      uint64_t generation = generation_;
      std::weak_ptr<bool> alive = alive_;
      env_.scheduler->After(options_.retry_delay, [this, alive, generation] {
        if (alive.expired() || generation != generation_) return;
        MaybeSendAppend();
      });
      return;
    }
  }
}

void AdjudicatorServer::OnDurable(uint64_t durable_position) {
  while (!pending_.empty() && pending_.front().position <= durable_position) {
    PendingEntry entry = std::move(pending_.front());
    pending_.pop_front();
    if (entry.kind == static_cast<uint32_t>(journal::EntryKind::kHeartbeat)) {
      lease_until_ = std::max(lease_until_, DecodeLease(*entry.payload));
    }
    for (Waiter& waiter : entry.waiters) AckAfterCommitWait(std::move(waiter), entry.timestamp);
  }
}

void AdjudicatorServer::AckAfterCommitWait(Waiter waiter, Timestamp t_commit) {
  Timestamp earliest = env_.clock->Interval().earliest;
  if (earliest > t_commit) {
    ReplyCommit(waiter.client, waiter.request_id, core::CommitResponse::COMMITTED, t_commit);
    return;
  }
  // Commit-wait (ARCHITECTURE §2): answer once no clock can still read a time before t_commit.
  std::weak_ptr<bool> alive = alive_;
  env_.scheduler->After(std::chrono::nanoseconds(t_commit - earliest + 1),
                        [this, alive, waiter = std::move(waiter), t_commit]() mutable {
                          if (alive.expired()) return;
                          AckAfterCommitWait(std::move(waiter), t_commit);
                        });
}

void AdjudicatorServer::ArmHeartbeat() {
  std::weak_ptr<bool> alive = alive_;
  heartbeat_timer_ = env_.scheduler->After(options_.heartbeat_interval, [this, alive] {
    if (alive.expired()) return;
    OnHeartbeatTimer();
  });
}

void AdjudicatorServer::HandleWatermark(const std::string& from, uint64_t request_id,
                                        Timestamp at_least) {
  core::Envelope response;
  core::WatermarkResponse* answer = response.mutable_watermark_response();
  if (state_ == State::kServing && at_least <= lease_until_) {
    // Under the durable lease: promise without writing. Every commit at or below the promised
    // timestamp already has a position at or below next_position_ - 1, and none will get one
    // later (Promise raises the last timestamp). The promise is for now (within the lease),
    // not just for at_least: reads that began since the storage node asked are covered by
    // this answer too, instead of waiting for another round trip. Sound for any timestamp the
    // lease covers; later commits get timestamps above it, which are above now anyway.
    Timestamp promised = std::max(at_least, std::min(env_.clock->Interval().latest, lease_until_));
    core_.Promise(promised);
    answer->set_promised(promised);
    answer->set_position(next_position_ - 1);
  } else if (state_ == State::kServing && core_.last_timestamp() < at_least) {
    AppendHeartbeat(at_least);
  }
  messenger_->Reply(from, request_id, std::move(response));
}

void AdjudicatorServer::AppendHeartbeat(Timestamp at_least) {
  if (pending_.size() >= options_.max_pending_entries) return;
  Timestamp now = env_.clock->Interval().latest;
  Timestamp t = core_.Heartbeat(std::max(now, at_least));
  // Each heartbeat renews the lease; it takes effect once the heartbeat is durable.
  Timestamp lease_end =
      std::max(lease_pending_, now + static_cast<Timestamp>(options_.lease_duration.count()));
  lease_pending_ = lease_end;
  pending_.push_back(PendingEntry{next_position_++,
                                  t,
                                  static_cast<uint32_t>(journal::EntryKind::kHeartbeat),
                                  std::make_shared<const std::string>(EncodeLease(lease_end)),
                                  "",
                                  {}});
  appended_since_heartbeat_ = true;
  MaybeSendAppend();
}

void AdjudicatorServer::OnHeartbeatTimer() {
  ExpireStaged();
  Timestamp now = env_.clock->Interval().latest;
  bool lease_short =
      lease_pending_ < now + static_cast<Timestamp>(options_.lease_duration.count() / 2);
  if (state_ == State::kServing && (!appended_since_heartbeat_ || lease_short)) {
    AppendHeartbeat(0);
  }
  appended_since_heartbeat_ = false;
  ArmHeartbeat();
}

}  // namespace borealis::adjudicator
