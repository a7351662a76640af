#include "journal/journal_server.h"

#include <algorithm>
#include <chrono>

namespace borealis::journal {

JournalServer::JournalServer(txn::Messenger* messenger, runtime::BlockingExecutor* executor,
                             Journal* journal)
    : messenger_(messenger),
      executor_(executor),
      journal_(journal),
      epoch_(journal->last_fence_position()) {
  messenger_->SetRequestHandler(
      [this](const std::string& from, uint64_t id, core::Envelope request) {
        OnRequest(from, id, std::move(request));
      });
}

JournalServer::~JournalServer() {
  *alive_ = false;
  messenger_->SetRequestHandler(nullptr);
  for (auto& [id, parked] : parked_reads_) messenger_->env().scheduler->Cancel(parked.timer);
}

void JournalServer::OnRequest(const std::string& from, uint64_t request_id,
                              core::Envelope request) {
  switch (request.body_case()) {
    case core::Envelope::kFenceRequest:
      HandleFence(from, request_id);
      break;
    case core::Envelope::kAppendRequest:
      HandleAppend(from, request_id, *request.mutable_append_request());
      break;
    case core::Envelope::kReadJournalRequest:
      HandleRead(from, request_id, request.read_journal_request());
      break;
    default:
      break;  // not ours: the caller times out
  }
}

void JournalServer::HandleFence(const std::string& from, uint64_t request_id) {
  Timestamp timestamp = journal_->last_timestamp() + 1;
  Result<uint64_t> position = journal_->Append(timestamp, EntryKind::kFence, "");
  if (!position.ok()) return;  // busy: the adjudicator retries
  // The epoch changes now, not when the fence is durable: from this moment no append of an
  // older epoch may land after the fence.
  epoch_ = *position;
  pending_replies_.push_back(PendingReply{from, request_id, *position, true});
  RequestSync();
}

void JournalServer::HandleAppend(const std::string& from, uint64_t request_id,
                                 core::AppendRequest& request) {
  if (epoch_ == 0 || request.epoch() != epoch_ || request.prev_position() < epoch_) {
    ReplyAppend(from, request_id, core::AppendResponse::STALE_EPOCH);
    return;
  }
  if (request.prev_position() > journal_->last_position()) {
    ReplyAppend(from, request_id, core::AppendResponse::GAP);
    return;
  }
  if (pending_replies_.size() >= kMaxPendingAppendReplies) {
    ReplyAppend(from, request_id, core::AppendResponse::BUSY);
    return;
  }
  uint64_t last = request.prev_position();
  for (core::JournalEntry& entry : *request.mutable_entries()) {
    last = entry.position();
    if (entry.position() <= journal_->last_position()) continue;  // a retry: already here
    BOREALIS_CHECK_EQ(entry.position(), journal_->last_position() + 1);
    // The payload moves from the message into the journal: no copy of a bulk entry.
    Result<uint64_t> appended =
        journal_->Append(entry.timestamp(), static_cast<EntryKind>(entry.kind()),
                         std::move(*entry.mutable_payload()));
    if (!appended.ok()) {
      ReplyAppend(from, request_id, core::AppendResponse::BUSY);
      return;
    }
  }
  pending_replies_.push_back(PendingReply{from, request_id, last, false});
  RequestSync();
}

void JournalServer::RequestSync() {
  if (sync_running_) {
    sync_again_ = true;
    return;
  }
  sync_running_ = true;
  sync_again_ = false;
  Journal* journal = journal_;
  std::weak_ptr<bool> alive = alive_;
  executor_->Run(
      [journal] {
        // A failed sync leaves entries pending; they are retried with the next sync, and the
        // waiting appends time out and resend meanwhile.
        (void)journal->Sync();
      },
      [this, alive] {
        if (alive.expired()) return;
        OnSynced();
      });
}

void JournalServer::OnSynced() {
  sync_running_ = false;
  uint64_t durable = journal_->durable_position();
  while (!pending_replies_.empty() && pending_replies_.front().position <= durable) {
    PendingReply reply = std::move(pending_replies_.front());
    pending_replies_.pop_front();
    if (reply.is_fence) {
      core::Envelope response;
      core::FenceResponse* fence = response.mutable_fence_response();
      fence->set_epoch(reply.position);
      fence->set_first_position(journal_->first_position());
      fence->set_last_position(reply.position);
      fence->set_last_timestamp(journal_->watermark());
      messenger_->Reply(reply.to, reply.request_id, std::move(response));
    } else {
      ReplyAppend(reply.to, reply.request_id, core::AppendResponse::DURABLE);
    }
  }
  // Wake long polls that can now be answered.
  std::vector<uint64_t> ready;
  for (auto& [id, parked] : parked_reads_) {
    if (parked.request.from_position() <= durable) ready.push_back(id);
  }
  for (uint64_t id : ready) {
    ParkedRead parked = std::move(parked_reads_[id]);
    parked_reads_.erase(id);
    messenger_->env().scheduler->Cancel(parked.timer);
    AnswerRead(parked.to, parked.request_id, parked.request);
  }
  if (sync_again_ || journal_->last_position() > durable) RequestSync();
}

void JournalServer::ReplyAppend(const std::string& to, uint64_t request_id,
                                core::AppendResponse::Result result) {
  core::Envelope response;
  core::AppendResponse* append = response.mutable_append_response();
  append->set_result(result);
  append->set_durable_position(journal_->durable_position());
  append->set_last_position(journal_->last_position());
  messenger_->Reply(to, request_id, std::move(response));
}

void JournalServer::MaybeTrim(uint64_t durable_position) {
  // Readers (the crossbar, for its replicas) have durably applied everything at or below
  // durable_position: whole segments below it can go. One trim at a time, on the blocking pool.
  if (durable_position <= trimmed_through_ || trim_running_) return;
  trimmed_through_ = durable_position;
  trim_running_ = true;
  Journal* journal = journal_;
  std::weak_ptr<bool> alive = alive_;
  executor_->Run([journal, durable_position] { (void)journal->TrimBefore(durable_position + 1); },
                 [this, alive] {
                   if (!alive.expired()) trim_running_ = false;
                 });
}

void JournalServer::HandleRead(const std::string& from, uint64_t request_id,
                               const core::ReadJournalRequest& request) {
  if (request.durable_position() > 0) MaybeTrim(request.durable_position());
  if (request.from_position() <= journal_->durable_position() || request.wait_ns() == 0 ||
      parked_reads_.size() >= kMaxParkedReads) {
    AnswerRead(from, request_id, request);
    return;
  }
  uint64_t id = next_parked_id_++;
  runtime::TimerId timer =
      messenger_->env().scheduler->After(std::chrono::nanoseconds(request.wait_ns()), [this, id] {
        auto it = parked_reads_.find(id);
        if (it == parked_reads_.end()) return;
        ParkedRead parked = std::move(it->second);
        parked_reads_.erase(it);
        AnswerRead(parked.to, parked.request_id, parked.request);
      });
  parked_reads_.emplace(id, ParkedRead{from, request_id, request, timer});
}

void JournalServer::AnswerRead(const std::string& to, uint64_t request_id,
                               const core::ReadJournalRequest& request) {
  core::Envelope response;
  core::ReadJournalResponse* read = response.mutable_read_journal_response();
  read->set_first_position(journal_->first_position());
  uint64_t from = std::max<uint64_t>(request.from_position(), 1);
  uint32_t max_entries = std::clamp<uint32_t>(request.max_entries(), 1, kMaxReadEntries);
  uint64_t max_bytes = std::clamp<uint64_t>(request.max_bytes(), 1, kMaxReadBytes);
  // Read the watermark before the entries: entries can only add to what it covers.
  uint64_t durable = journal_->durable_position();
  Timestamp watermark = journal_->watermark();
  Result<std::vector<Entry>> entries = journal_->Read(from, max_entries, max_bytes);
  if (!entries.ok()) {
    read->mutable_status()->set_code(static_cast<uint32_t>(entries.status().code()));
    read->mutable_status()->set_message(entries.status().message());
    messenger_->Reply(to, request_id, std::move(response));
    return;
  }
  uint64_t next = from;
  for (Entry& entry : *entries) {
    if (entry.position > durable) break;
    core::JournalEntry* out = read->add_entries();
    out->set_position(entry.position);
    out->set_timestamp(entry.timestamp);
    out->set_kind(static_cast<uint32_t>(entry.kind));
    out->set_payload(std::move(entry.payload));
    next = entry.position + 1;
  }
  read->set_next_position(next);
  // The watermark is exact only when the reader has reached the durable end.
  read->set_watermark(next > durable            ? watermark
                      : read->entries().empty() ? 0
                                                : read->entries().rbegin()->timestamp());
  messenger_->Reply(to, request_id, std::move(response));
}

}  // namespace borealis::journal
