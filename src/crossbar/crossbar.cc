#include "crossbar/crossbar.h"

#include <algorithm>

#include "journal/journal.h"
#include "txn/write_set.h"

namespace borealis::crossbar {
namespace {

Crossbar::CachedEntry Cached(core::JournalEntry&& entry) {
  return Crossbar::CachedEntry{
      entry.position(),
      entry.timestamp(),
      entry.kind(),
      std::make_shared<const std::string>(std::move(*entry.mutable_payload())),
      {}};
}

std::vector<KeyRange> RangesOf(const core::ReadJournalRequest& request) {
  std::vector<KeyRange> ranges;
  for (const core::KeyRange& r : request.ranges()) ranges.push_back(KeyRange{r.begin(), r.end()});
  return ranges;
}

}  // namespace

Crossbar::Crossbar(txn::Messenger* messenger, CrossbarOptions options)
    : messenger_(messenger),
      env_(messenger->env()),
      options_(std::move(options)),
      fetch_timeout_(options_.journal_timeout),
      forward_timeout_(options_.journal_timeout) {
  messenger_->SetRequestHandler(
      [this](const std::string& from, uint64_t id, core::Envelope request) {
        OnRequest(from, id, std::move(request));
      });
  Fetch();
}

Crossbar::~Crossbar() {
  *alive_ = false;
  messenger_->SetRequestHandler(nullptr);
  for (auto& [id, parked] : parked_) env_.scheduler->Cancel(parked.timer);
}

void Crossbar::OnRequest(const std::string& from, uint64_t request_id, core::Envelope request) {
  if (request.body_case() == core::Envelope::kReadJournalRequest) {
    HandlePull(from, request_id, std::move(*request.mutable_read_journal_request()));
  }
}

// --- following the journal

void Crossbar::Fetch() {
  core::Envelope request;
  core::ReadJournalRequest* read = request.mutable_read_journal_request();
  read->set_from_position(next_position_);
  read->set_max_entries(options_.fetch_entries);
  read->set_max_bytes(options_.fetch_bytes);
  read->set_wait_ns(options_.long_poll.count());
  read->set_durable_position(TrimPosition());
  std::weak_ptr<bool> alive = alive_;
  messenger_->Call(options_.journal_endpoint, std::move(request),
                   options_.long_poll + fetch_timeout_.current(),
                   [this, alive](Result<core::Envelope> response) {
                     if (alive.expired()) return;
                     OnJournalAnswer(response, fetch_timeout_);
                     OnFetched(std::move(response));
                   });
}

void Crossbar::OnJournalAnswer(const Result<core::Envelope>& response,
                               txn::AnswerTimeout& timeout) {
  if (response.ok()) {
    timeout.OnAnswer();
  } else if (response.status().code() == Code::kDeadlineExceeded) {
    timeout.OnTimeout();  // perhaps a bulk entry still on its way: wait longer
  }
}

void Crossbar::OnFetched(Result<core::Envelope> response) {
  if (!response.ok() || !response->has_read_journal_response()) {
    std::weak_ptr<bool> alive = alive_;
    env_.scheduler->After(options_.retry_delay, [this, alive] {
      if (!alive.expired()) Fetch();
    });
    return;
  }
  core::ReadJournalResponse& read = *response->mutable_read_journal_response();
  if (read.status().code() != 0) {
    // Trimmed below us: continue from the journal's first position.
    next_position_ = std::max(next_position_, read.first_position());
    cache_.clear();
    cache_bytes_ = 0;
    Fetch();
    return;
  }
  for (core::JournalEntry& entry : *read.mutable_entries()) {
    if (entry.position() != next_position_) continue;  // duplicate or stale answer
    next_position_ = entry.position() + 1;
    if (entry.payload().size() > options_.cache_bytes) {
      // Larger than the whole cache: replicas get it through AnswerFromJournal. The cache
      // stays contiguous by starting again after it.
      cache_.clear();
      cache_bytes_ = 0;
      continue;
    }
    cache_bytes_ += entry.payload().size();
    cache_.push_back(Cached(std::move(entry)));
  }
  if (read.next_position() == next_position_) watermark_ = std::max(watermark_, read.watermark());
  while (!cache_.empty() && cache_bytes_ > options_.cache_bytes) {
    cache_bytes_ -= cache_.front().payload ? cache_.front().payload->size() : 0;
    cache_.pop_front();
  }
  // Answer the long polls that can now make progress (or learn the new watermark).
  std::vector<uint64_t> ready;
  for (auto& [id, parked] : parked_) {
    if (parked.request.from_position() < next_position_) ready.push_back(id);
  }
  for (uint64_t id : ready) {
    ParkedPull parked = std::move(parked_[id]);
    parked_.erase(id);
    env_.scheduler->Cancel(parked.timer);
    Answer(parked.to, parked.request_id, std::move(parked.request));
  }
  Fetch();
}

// --- serving storage replicas

uint64_t Crossbar::TrimPosition() {
  auto now = env_.scheduler->MonotonicNow();
  uint64_t minimum = 0;
  bool any = false;
  for (auto it = replicas_.begin(); it != replicas_.end();) {
    if (now - it->second.last_pull > options_.replica_expiry) {
      it = replicas_.erase(it);
      continue;
    }
    minimum = any ? std::min(minimum, it->second.durable_position) : it->second.durable_position;
    any = true;
    ++it;
  }
  return minimum;
}

void Crossbar::HandlePull(const std::string& from, uint64_t request_id,
                          core::ReadJournalRequest request) {
  if (replicas_.count(from) != 0 || replicas_.size() < kMaxReplicas) {
    Replica& replica = replicas_[from];
    replica.durable_position = request.durable_position();
    replica.last_pull = env_.scheduler->MonotonicNow();
  }
  uint64_t position = std::max<uint64_t>(request.from_position(), 1);
  request.set_from_position(position);
  if (position < next_position_ || request.wait_ns() == 0 || parked_.size() >= kMaxParkedPulls) {
    Answer(from, request_id, std::move(request));
    return;
  }
  uint64_t id = next_parked_id_++;
  std::weak_ptr<bool> alive = alive_;
  runtime::TimerId timer =
      env_.scheduler->After(std::chrono::nanoseconds(request.wait_ns()), [this, alive, id] {
        if (alive.expired()) return;
        auto it = parked_.find(id);
        if (it == parked_.end()) return;
        ParkedPull parked = std::move(it->second);
        parked_.erase(it);
        Answer(parked.to, parked.request_id, std::move(parked.request));
      });
  parked_.emplace(id, ParkedPull{from, request_id, std::move(request), timer});
}

void Crossbar::Answer(const std::string& to, uint64_t request_id,
                      core::ReadJournalRequest request) {
  uint64_t cache_first = cache_.empty() ? next_position_ : cache_.front().position;
  uint64_t from = request.from_position();
  bool hollow = from >= cache_first && from < next_position_ && !cache_[from - cache_first].payload;
  if (from < cache_first || hollow) {
    AnswerFromJournal(to, request_id, std::move(request));
  } else {
    AnswerFromCache(to, request_id, request);
  }
}

template <typename Iterator>
txn::Attachment Crossbar::FilterRange(const core::ReadJournalRequest& request, Iterator begin,
                                      Iterator end, core::ReadJournalResponse* response) {
  txn::Attachment attachment;
  std::vector<KeyRange> ranges = RangesOf(request);
  uint32_t max_entries = std::max<uint32_t>(request.max_entries(), 1);
  uint64_t max_bytes = std::max<uint64_t>(request.max_bytes(), 1);
  uint64_t bytes = 0;
  uint64_t next = request.from_position();
  uint64_t watermark = 0;
  for (Iterator it = begin; it != end; ++it) {
    const CachedEntry& entry = *it;
    if (entry.position < next) continue;
    if (!entry.payload) break;  // hollow: the next pull is served from the journal
    if (response->entries_size() >= static_cast<int>(max_entries)) break;
    if (response->entries_size() > 0 && bytes + entry.payload->size() > max_bytes) break;
    next = entry.position + 1;
    watermark = entry.timestamp;
    // Heartbeats and fences only move the watermark.
    if (entry.kind != static_cast<uint32_t>(journal::EntryKind::kCommit)) continue;
    Result<FilteredRecord> filtered = FilterCommitRecord(*entry.payload, ranges);
    BOREALIS_CHECK(filtered.ok(), "corrupt commit record at journal position", entry.position,
                   filtered.status().ToString());
    if (filtered->kept == 0) continue;
    core::JournalEntry* out = response->add_entries();
    out->set_position(entry.position);
    out->set_timestamp(entry.timestamp);
    out->set_kind(entry.kind);
    if (!filtered->unchanged) {
      bytes += filtered->filtered.size();
      out->set_payload(std::move(filtered->filtered));
      continue;
    }
    bytes += entry.payload->size();
    if (response->entries_size() == 1 && entry.payload->size() >= txn::kMinAttachmentBytes) {
      // A bulk entry passes through as the response's attachment: shared, not copied.
      attachment = txn::Attachment{core::Envelope::FIRST_ENTRY_PAYLOAD, entry.payload};
    } else {
      out->set_payload(*entry.payload);
    }
  }
  response->set_next_position(next);
  response->set_watermark(watermark);
  return attachment;
}

void Crossbar::AnswerFromCache(const std::string& to, uint64_t request_id,
                               const core::ReadJournalRequest& request) {
  core::Envelope response;
  core::ReadJournalResponse* read = response.mutable_read_journal_response();
  uint64_t from = request.from_position();
  txn::Attachment attachment;
  if (!cache_.empty() && from >= cache_.front().position && from < next_position_) {
    auto begin = cache_.begin() + static_cast<std::ptrdiff_t>(from - cache_.front().position);
    attachment = FilterRange(request, begin, cache_.end(), read);
    if (attachment.bytes) {
      // A bulk entry went out (shared): once every live replica has it, the cache lets go.
      CachedEntry& sent = cache_[read->entries(0).position() - cache_.front().position];
      sent.sent_to.insert(to);
      bool everyone = std::all_of(replicas_.begin(), replicas_.end(), [&](const auto& replica) {
        return sent.sent_to.count(replica.first) != 0;
      });
      if (everyone) {
        cache_bytes_ -= sent.payload->size();
        sent.payload.reset();
        sent.sent_to.clear();
      }
    }
  } else {
    read->set_next_position(from);
  }
  // At the end of what we have, the crossbar's watermark covers everything before it.
  if (read->next_position() >= next_position_) {
    read->set_watermark(watermark_);
  } else if (read->watermark() == 0 && from > 1) {
    read->set_next_position(from);  // nothing new: keep the replica where it is
  }
  messenger_->Reply(to, request_id, std::move(response), std::move(attachment));
}

void Crossbar::AnswerFromJournal(const std::string& to, uint64_t request_id,
                                 core::ReadJournalRequest request) {
  core::Envelope forward;
  core::ReadJournalRequest* read = forward.mutable_read_journal_request();
  read->set_from_position(request.from_position());
  read->set_max_entries(request.max_entries());
  read->set_max_bytes(request.max_bytes());
  std::weak_ptr<bool> alive = alive_;
  messenger_->Call(
      options_.journal_endpoint, std::move(forward), forward_timeout_.current(),
      [this, alive, to, request_id, request = std::move(request)](Result<core::Envelope> answer) {
        if (alive.expired()) return;
        OnJournalAnswer(answer, forward_timeout_);
        if (!answer.ok() || !answer->has_read_journal_response()) return;  // replica retries
        core::ReadJournalResponse& journal = *answer->mutable_read_journal_response();
        core::Envelope response;
        core::ReadJournalResponse* read = response.mutable_read_journal_response();
        *read->mutable_status() = journal.status();
        read->set_first_position(journal.first_position());
        txn::Attachment attachment;
        if (journal.status().code() == 0) {
          std::vector<CachedEntry> entries;
          for (core::JournalEntry& entry : *journal.mutable_entries()) {
            entries.push_back(Cached(std::move(entry)));
          }
          attachment = FilterRange(request, entries.begin(), entries.end(), read);
          if (read->next_position() >= journal.next_position()) {
            read->set_watermark(std::max(read->watermark(), journal.watermark()));
          }
        }
        messenger_->Reply(to, request_id, std::move(response), std::move(attachment));
      });
}

}  // namespace borealis::crossbar
