#include "storage/storage_server.h"

#include <algorithm>

#include "txn/write_set.h"

namespace borealis::storage {
namespace {

void SetStatus(core::Status* out, const Status& status) {
  out->set_code(static_cast<uint32_t>(status.code()));
  out->set_message(status.message());
}

}  // namespace

StorageServer::StorageServer(txn::Messenger* messenger, Engine* engine,
                             StorageServerOptions options)
    : messenger_(messenger),
      env_(messenger->env()),
      engine_(engine),
      options_(std::move(options)),
      pull_timeout_(options_.long_poll + options_.crossbar_timeout) {
  messenger_->SetRequestHandler(
      [this](const std::string& from, uint64_t id, core::Envelope request) {
        OnRequest(from, id, std::move(request));
      });
  Pull();
  Maintain();
}

void StorageServer::Maintain() {
  if (Result<uint64_t> durable = engine_->SyncApplied(); durable.ok()) {
    durable_position_ = std::max(durable_position_, *durable);
  }
  AppliedState state = engine_->applied();
  uint64_t retention = static_cast<uint64_t>(options_.gc_retention.count());
  if (state.watermark > retention && state.watermark - retention > engine_->gc_horizon()) {
    (void)engine_->CollectGarbage(state.watermark - retention);  // retried next round
  }
  std::weak_ptr<bool> alive = alive_;
  maintenance_timer_ = env_.scheduler->After(options_.maintenance_interval, [this, alive] {
    if (!alive.expired()) Maintain();
  });
}

StorageServer::~StorageServer() {
  *alive_ = false;
  messenger_->SetRequestHandler(nullptr);
  for (auto& [as_of, entry] : parked_) env_.scheduler->Cancel(entry.second.timer);
  env_.scheduler->Cancel(maintenance_timer_);
}

void StorageServer::OnRequest(const std::string& from, uint64_t request_id,
                              core::Envelope request) {
  if (request.body_case() == core::Envelope::kReadRequest) {
    HandleRead(from, request_id, std::move(*request.mutable_read_request()));
  }
}

// --- applying updates

void StorageServer::Pull() {
  core::Envelope request;
  core::ReadJournalRequest* pull = request.mutable_read_journal_request();
  pull->set_from_position(engine_->applied().position + 1);
  pull->set_max_entries(options_.pull_entries);
  pull->set_max_bytes(options_.pull_bytes);
  pull->set_wait_ns(options_.long_poll.count());
  pull->set_durable_position(durable_position_);
  for (const crossbar::KeyRange& range : options_.ranges) {
    core::KeyRange* out = pull->add_ranges();
    out->set_begin(range.begin);
    out->set_end(range.end);
  }
  std::weak_ptr<bool> alive = alive_;
  messenger_->Call(options_.crossbar_endpoint, std::move(request), pull_timeout_.current(),
                   [this, alive](Result<core::Envelope> response) {
                     if (alive.expired()) return;
                     OnPulled(std::move(response));
                   });
}

void StorageServer::OnPulled(Result<core::Envelope> response) {
  if (response.ok()) {
    pull_timeout_.OnAnswer();
  } else if (response.status().code() == Code::kDeadlineExceeded) {
    pull_timeout_.OnTimeout();  // perhaps a bulk entry still on its way: wait longer next time
  }
  bool progressed = false;
  if (response.ok() && response->has_read_journal_response() &&
      response->read_journal_response().status().code() == 0) {
    const core::ReadJournalResponse& pulled = response->read_journal_response();
    AppliedState state = engine_->applied();
    for (const core::JournalEntry& entry : pulled.entries()) {
      if (entry.position() <= state.position) continue;  // duplicate answer
      ApplyEntry(entry.position(), entry.timestamp(), entry.payload());
      state = engine_->applied();
      progressed = true;
    }
    // Entries with nothing for us were skipped by the crossbar: record how far we got.
    uint64_t last = pulled.next_position() > 0 ? pulled.next_position() - 1 : 0;
    if (last > state.position && pulled.watermark() > state.watermark) {
      Status advanced = engine_->Apply(last, pulled.watermark(), {});
      BOREALIS_CHECK(advanced.ok(), "storage apply failed:", advanced.ToString());
      progressed = true;
    } else if (last == state.position && pulled.watermark() > state.watermark) {
      BOREALIS_CHECK(engine_->AdvanceWatermark(pulled.watermark()).ok());
      progressed = true;
    }
  }
  if (progressed) WakeReads();
  if (progressed || (response.ok() && response->has_read_journal_response())) {
    Pull();
    return;
  }
  std::weak_ptr<bool> alive = alive_;
  env_.scheduler->After(options_.retry_delay, [this, alive] {
    if (!alive.expired()) Pull();
  });
}

void StorageServer::ApplyEntry(uint64_t position, uint64_t t_commit, std::string_view payload) {
  Result<txn::CommitRecord> record = txn::ParseCommitRecord(payload);
  BOREALIS_CHECK(record.ok(), "corrupt commit record at journal position", position);
  // Streamed from the entry in bounded batches: no vector of a million mutations, and no
  // RocksDB write batch as large as the entry.
  std::vector<Mutation> batch;
  uint64_t batch_bytes = 0;
  txn::EncodedWriteSetReader reader(record->write_set);
  while (std::optional<txn::EncodedWrite> write = reader.Next()) {
    if (write->kind == txn::WriteKind::kLock) continue;  // lock-only keys create no version
    if (batch.size() >= kApplyBatchMutations || batch_bytes >= kApplyBatchBytes) {
      Status part = engine_->ApplyPart(t_commit, batch);
      BOREALIS_CHECK(part.ok(), "storage apply failed:", part.ToString());
      batch.clear();
      batch_bytes = 0;
    }
    batch.push_back(Mutation{write->key, write->kind == txn::WriteKind::kPut
                                             ? std::optional<std::string_view>(write->value)
                                             : std::nullopt});
    batch_bytes += write->key.size() + write->value.size();
  }
  BOREALIS_CHECK(reader.status().ok(), "corrupt write set at journal position", position);
  Status applied = engine_->Apply(position, t_commit, batch);
  BOREALIS_CHECK(applied.ok(), "storage apply failed:", applied.ToString());
}

// --- reads

void StorageServer::HandleRead(const std::string& from, uint64_t request_id,
                               core::ReadRequest request) {
  if (request.as_of() <= ReadableWatermark()) {
    AnswerRead(from, request_id, request);
    return;
  }
  if (parked_.size() >= kMaxParkedReads) {
    core::Envelope response;
    SetStatus(response.mutable_read_response()->mutable_status(),
              Status::ResourceExhausted("too many reads waiting for the storage watermark"));
    messenger_->Reply(from, request_id, std::move(response));
    return;
  }
  uint64_t id = next_parked_id_++;
  std::weak_ptr<bool> alive = alive_;
  runtime::TimerId timer = env_.scheduler->After(options_.read_wait_max, [this, alive, id] {
    if (alive.expired()) return;
    auto it = by_id_.find(id);
    if (it == by_id_.end()) return;
    ParkedRead parked = std::move(it->second->second.second);
    parked_.erase(it->second);
    by_id_.erase(it);
    core::Envelope response;
    SetStatus(response.mutable_read_response()->mutable_status(),
              Status::Unavailable("read at " + std::to_string(parked.request.as_of()) +
                                  " timed out waiting for the storage watermark"));
    messenger_->Reply(parked.to, parked.request_id, std::move(response));
  });
  uint64_t as_of = request.as_of();
  AskForWatermark(as_of);
  auto it = parked_.emplace(
      as_of, std::make_pair(id, ParkedRead{from, request_id, std::move(request), timer}));
  by_id_.emplace(id, it);
}

void StorageServer::AskForWatermark(uint64_t at_least) {
  if (options_.adjudicator_endpoint.empty() || at_least <= watermark_asked_) return;
  if (watermark_request_in_flight_) return;  // asked again for the highest when it returns
  watermark_asked_ = at_least;
  watermark_request_in_flight_ = true;
  core::Envelope request;
  request.mutable_watermark_request()->set_at_least(at_least);
  std::weak_ptr<bool> alive = alive_;
  messenger_->Call(options_.adjudicator_endpoint, std::move(request), options_.crossbar_timeout,
                   [this, alive](Result<core::Envelope> response) {
                     if (alive.expired()) return;
                     watermark_request_in_flight_ = false;
                     if (response.ok() && response->has_watermark_response() &&
                         response->watermark_response().promised() > 0) {
                       const core::WatermarkResponse& promise = response->watermark_response();
                       uint64_t& t = promises_[promise.position()];
                       t = std::max<uint64_t>(t, promise.promised());
                       while (promises_.size() > kMaxPromises) promises_.erase(promises_.begin());
                       WakeReads();
                     }
                     // Reads parked meanwhile may want more.
                     if (!parked_.empty()) AskForWatermark(parked_.rbegin()->first);
                   });
}

uint64_t StorageServer::ReadableWatermark() const {
  return std::max(engine_->applied().watermark, promised_watermark_);
}

void StorageServer::WakeReads() {
  uint64_t applied = engine_->applied().position;
  while (!promises_.empty() && promises_.begin()->first <= applied) {
    promised_watermark_ = std::max(promised_watermark_, promises_.begin()->second);
    promises_.erase(promises_.begin());
  }
  uint64_t watermark = ReadableWatermark();
  while (!parked_.empty() && parked_.begin()->first <= watermark) {
    auto [id, parked] = std::move(parked_.begin()->second);
    parked_.erase(parked_.begin());
    by_id_.erase(id);
    env_.scheduler->Cancel(parked.timer);
    AnswerRead(parked.to, parked.request_id, parked.request);
  }
}

void StorageServer::AnswerRead(const std::string& to, uint64_t request_id,
                               const core::ReadRequest& request) {
  core::Envelope response;
  core::ReadResponse* read = response.mutable_read_response();
  if (!request.is_scan()) {
    Result<std::optional<KeyValue>> row = engine_->Get(request.key(), request.as_of());
    if (!row.ok()) {
      SetStatus(read->mutable_status(), row.status());
    } else if (row->has_value()) {
      read->set_found(true);
      core::KeyValue* out = read->add_rows();
      out->set_key(std::move((*row)->key));
      out->set_value(std::move((*row)->value));
      out->set_t_commit((*row)->t_commit);
    }
  } else {
    ScanRange range{request.range().begin(), request.range().end(),
                    std::clamp<uint32_t>(request.limit(), 1, kMaxScanRows),
                    request.reverse() ? ScanDirection::kReverse : ScanDirection::kForward};
    Result<std::vector<KeyValue>> rows = engine_->Scan(range, request.as_of());
    if (!rows.ok()) {
      SetStatus(read->mutable_status(), rows.status());
    } else {
      for (KeyValue& row : *rows) {
        core::KeyValue* out = read->add_rows();
        out->set_key(std::move(row.key));
        out->set_value(std::move(row.value));
        out->set_t_commit(row.t_commit);
      }
    }
  }
  messenger_->Reply(to, request_id, std::move(response));
}

}  // namespace borealis::storage
