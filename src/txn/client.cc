#include "txn/client.h"

#include <algorithm>
#include <map>

namespace borealis::txn {
namespace {

Status FromWire(const core::Status& status) {
  if (status.code() == 0) return Status::Ok();
  return Status::Error(static_cast<Code>(status.code()), status.message());
}

}  // namespace

TxnClient::TxnClient(Messenger* messenger, TxnClientOptions options, Dispatcher dispatcher)
    : messenger_(messenger), options_(std::move(options)), dispatcher_(std::move(dispatcher)) {}

void TxnClient::Dispatch(std::function<void()> fn) const {
  if (dispatcher_) {
    dispatcher_(std::move(fn));
  } else {
    fn();
  }
}

std::string TxnClient::NewTxnId() {
  std::lock_guard lock(random_mutex_);
  std::string txn_id(16, '\0');
  for (size_t i = 0; i < txn_id.size(); i += 8) {
    uint64_t bits = messenger_->env().random->Next();
    for (size_t b = 0; b < 8; ++b) txn_id[i + b] = static_cast<char>(bits >> (8 * b));
  }
  return txn_id;
}

std::unique_ptr<Transaction> TxnClient::Begin() {
  return std::make_unique<Transaction>(this, messenger_->env().clock->Interval().latest);
}

Transaction::Transaction(TxnClient* client, Timestamp t_start)
    : client_(client), t_start_(t_start) {}

Status Transaction::CheckLimits() const {
  const TxnClientOptions& options = client_->options();
  if (writes_.modified_count() > options.max_rows) {
    return Status::Sql("54000", "transaction modifies more than " +
                                    std::to_string(options.max_rows) +
                                    " rows (limit max_transaction_rows)");
  }
  if (writes_.bytes() > options.max_bytes) {
    return Status::Sql("54000", "transaction writes more than " +
                                    std::to_string(options.max_bytes) +
                                    " bytes (limit max_transaction_bytes)");
  }
  return Status::Ok();
}

Status Transaction::Put(std::string key, std::string value) {
  writes_.Put(std::move(key), std::move(value));
  return CheckLimits();
}

Status Transaction::Delete(std::string key) {
  writes_.Delete(std::move(key));
  return CheckLimits();
}

void Transaction::Get(std::string key, GetCallback done) {
  if (const Write* own = writes_.Find(key); own != nullptr && own->kind != WriteKind::kLock) {
    done(own->kind == WriteKind::kPut ? std::optional<std::string>(own->value) : std::nullopt);
    return;
  }
  auto request = std::make_shared<core::Envelope>();
  core::ReadRequest* read = request->mutable_read_request();
  read->set_as_of(t_start_);
  read->set_key(std::move(key));
  TxnClient* client = client_;
  client_->Dispatch([client, request, done = std::move(done)]() mutable {
    client->messenger()->CallWithRetry(
        client->options().storage_endpoint, std::move(*request), client->options().attempt_timeout,
        client->options().read_timeout, [done = std::move(done)](Result<core::Envelope> response) {
          if (!response.ok()) return done(response.status());
          const core::ReadResponse& read = response->read_response();
          Status status = FromWire(read.status());
          if (!status.ok()) return done(status);
          if (!read.found() || read.rows_size() == 0) return done(std::optional<std::string>());
          done(std::optional<std::string>(read.rows(0).value()));
        });
  });
}

void Transaction::Scan(std::string begin, std::string end, size_t limit, bool reverse,
                       ScanCallback done) {
  // Own writes in the range can hide at most that many stored rows: ask for that many more.
  // They are copied so the merge (on the loop thread) never reads writes_.
  auto own = std::make_shared<std::map<std::string, std::optional<std::string>>>();
  auto own_begin = writes_.entries().lower_bound(begin);
  auto own_end = end.empty() ? writes_.entries().end() : writes_.entries().lower_bound(end);
  for (auto it = own_begin; it != own_end; ++it) {
    if (it->second.kind == WriteKind::kPut) own->emplace(it->first, it->second.value);
    if (it->second.kind == WriteKind::kDelete) own->emplace(it->first, std::nullopt);
  }
  auto request = std::make_shared<core::Envelope>();
  core::ReadRequest* read = request->mutable_read_request();
  read->set_as_of(t_start_);
  read->set_is_scan(true);
  read->mutable_range()->set_begin(begin);
  read->mutable_range()->set_end(end);
  read->set_limit(static_cast<uint32_t>(std::min<size_t>(limit + own->size(), UINT32_MAX)));
  read->set_reverse(reverse);
  TxnClient* client = client_;
  client_->Dispatch([client, request, own, limit, reverse, done = std::move(done)]() mutable {
    client->messenger()->CallWithRetry(
        client->options().storage_endpoint, std::move(*request), client->options().attempt_timeout,
        client->options().read_timeout,
        [done = std::move(done), own, limit, reverse](Result<core::Envelope> response) {
          if (!response.ok()) return done(response.status());
          const core::ReadResponse& read = response->read_response();
          Status status = FromWire(read.status());
          if (!status.ok()) return done(status);
          std::map<std::string, std::string> merged;
          for (const core::KeyValue& row : read.rows()) merged.emplace(row.key(), row.value());
          // If storage hit its limit, keys beyond its last row are unknown: own writes past
          // that point must not be merged in, or they would jump ahead of stored rows.
          bool truncated = static_cast<size_t>(read.rows_size()) >= limit + own->size();
          std::string boundary = read.rows_size() > 0 ? read.rows(read.rows_size() - 1).key() : "";
          for (const auto& [key, value] : *own) {
            if (truncated && (reverse ? key < boundary : key > boundary)) continue;
            if (value.has_value()) {
              merged[key] = *value;
            } else {
              merged.erase(key);
            }
          }
          std::vector<Row> rows;
          auto take = [&](const auto& kv) {
            if (rows.size() < limit) rows.push_back(Row{kv.first, kv.second});
          };
          if (reverse) {
            std::for_each(merged.rbegin(), merged.rend(), take);
          } else {
            std::for_each(merged.begin(), merged.end(), take);
          }
          done(std::move(rows));
        });
  });
}

void Transaction::Commit(CommitCallback done) {
  if (writes_.empty()) {
    done(t_start_);  // read-only: commits at its snapshot, no adjudicator
    return;
  }
  Status limits = CheckLimits();
  if (!limits.ok()) return done(limits);
  const runtime::Env& env = client_->messenger()->env();
  Timestamp now = env.clock->Interval().latest;  // the HLC is thread-safe
  if (now > t_start_ &&
      now - t_start_ > static_cast<uint64_t>(client_->options().max_age.count())) {
    return done(Status::Sql("54000",
                            "transaction is older than " +
                                std::to_string(client_->options().max_age.count() / 1'000'000'000) +
                                " seconds (limit max_transaction_age)"));
  }
  core::Envelope request;
  core::CommitRequest* commit = request.mutable_commit_request();
  commit->set_t_start(t_start_);
  commit->set_write_set(writes_.Encode());
  // A random id: the adjudicator answers duplicates of this request with its original
  // decision instead of judging them as new transactions.
  commit->set_txn_id(client_->NewTxnId());
  for (const std::string& key : check_keys_) commit->add_check_keys(key);
  int64_t deadline_ns =
      env.scheduler->MonotonicNow().count() + client_->options().commit_timeout.count();
  auto shared = std::make_shared<core::Envelope>(std::move(request));
  client_->Dispatch([this, shared, deadline_ns, done = std::move(done)]() mutable {
    SendCommit(shared, deadline_ns, std::move(done));
  });
}

void Transaction::SendCommit(std::shared_ptr<core::Envelope> request, int64_t deadline_ns,
                             CommitCallback done) {
  const runtime::Env& env = client_->messenger()->env();
  int64_t remaining_ns = deadline_ns - env.scheduler->MonotonicNow().count();
  if (remaining_ns <= 0) {
    return done(Status::Unavailable(std::string(kOutcomeUnknownMessage) +
                                    ": no decision before the commit timeout"));
  }
  client_->messenger()->CallWithRetry(
      client_->options().adjudicator_endpoint, *request, client_->options().attempt_timeout,
      std::chrono::nanoseconds(remaining_ns),
      [this, request, deadline_ns,
       done = std::move(done)](Result<core::Envelope> response) mutable {
        if (!response.ok()) {
          // No answer: the commit may or may not have happened.
          return done(Status::Unavailable(std::string(kOutcomeUnknownMessage) + ": " +
                                          response.status().message()));
        }
        const core::CommitResponse& answer = response->commit_response();
        switch (answer.verdict()) {
          case core::CommitResponse::COMMITTED:
            return done(answer.t_commit());
          case core::CommitResponse::DATA_CONFLICT:
            return done(Status::Sql("40001", kDataConflictMessage));
          case core::CommitResponse::SCHEMA_CONFLICT:
            return done(Status::Sql("40001", kSchemaConflictMessage));
          case core::CommitResponse::TOO_OLD:
            return done(Status::Sql("54000", "transaction exceeded the maximum age"));
          case core::CommitResponse::UNAVAILABLE: {
            // Not decided (yet): ask again with the same id. A recovering adjudicator may
            // learn from the journal that this very transaction already committed.
            const runtime::Env& env = client_->messenger()->env();
            env.scheduler->After(client_->options().commit_retry_delay,
                                 [this, request, deadline_ns, done = std::move(done)]() mutable {
                                   SendCommit(request, deadline_ns, std::move(done));
                                 });
            return;
          }
          case core::CommitResponse::OUTCOME_UNKNOWN:
            return done(
                Status::Unavailable(std::string(kOutcomeUnknownMessage) + ": " + answer.message()));
          default:
            return done(Status::Internal("commit rejected: " + answer.message()));
        }
      });
}

}  // namespace borealis::txn
