#include "txn/client.h"

#include <algorithm>

#include "common/check.h"

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
  if (std::optional<EncodedWrite> own = writes_.Find(key);
      own.has_value() && own->kind != WriteKind::kLock) {
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
        client->options().storage_endpoint, request, client->options().attempt_timeout,
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

void Transaction::GetBatch(std::vector<std::string> keys, BatchGetCallback done) {
  BOREALIS_CHECK(keys.size() <= kMaxBatchGetKeys, keys.size());
  struct State {
    std::vector<Result<std::optional<std::string>>> results;
    size_t outstanding = 0;
    BatchGetCallback done;
  };
  auto state = std::make_shared<State>();
  state->results.assign(keys.size(), std::optional<std::string>());
  state->done = std::move(done);
  std::vector<std::pair<size_t, std::shared_ptr<core::Envelope>>> requests;
  for (size_t i = 0; i < keys.size(); ++i) {
    if (std::optional<EncodedWrite> own = writes_.Find(keys[i]);
        own.has_value() && own->kind != WriteKind::kLock) {
      state->results[i] = own->kind == WriteKind::kPut ? std::optional<std::string>(own->value)
                                                       : std::optional<std::string>();
      continue;
    }
    auto request = std::make_shared<core::Envelope>();
    core::ReadRequest* read = request->mutable_read_request();
    read->set_as_of(t_start_);
    read->set_key(std::move(keys[i]));
    requests.emplace_back(i, std::move(request));
  }
  if (requests.empty()) return state->done(std::move(state->results));
  state->outstanding = requests.size();
  TxnClient* client = client_;
  client_->Dispatch([client, state, requests = std::move(requests)]() mutable {
    for (auto& [index, request] : requests) {
      client->messenger()->CallWithRetry(
          client->options().storage_endpoint, request, client->options().attempt_timeout,
          client->options().read_timeout, [state, index = index](Result<core::Envelope> response) {
            Result<std::optional<std::string>>& out = state->results[index];
            if (!response.ok()) {
              out = response.status();
            } else {
              const core::ReadResponse& read = response->read_response();
              Status status = FromWire(read.status());
              if (!status.ok()) {
                out = status;
              } else if (read.found() && read.rows_size() > 0) {
                out = std::optional<std::string>(read.rows(0).value());
              }
            }
            if (--state->outstanding == 0) state->done(std::move(state->results));
          });
    }
  });
}

// A range scan merging storage's rows with the transaction's own writes, in rounds: each round
// asks storage for the rows still needed plus one per own write left (each can hide or replace
// one stored row), at most kMaxScanRequestRows. When storage filled the request, keys beyond its
// last row are unknown, so own writes past that point wait for the next round, which continues
// after it. Own writes are copied (in scan order) so the merge on the loop thread never reads
// writes_; only those up to the limit-th own put can matter.
struct Transaction::ScanState {
  std::string begin;
  std::string end;  // empty: unbounded
  size_t limit = 0;
  bool reverse = false;
  std::vector<std::pair<std::string, std::optional<std::string>>> own;  // in scan order
  size_t own_next = 0;
  std::vector<Row> rows;
  ScanCallback done;
};

void Transaction::Scan(std::string begin, std::string end, size_t limit, bool reverse,
                       ScanCallback done) {
  auto state = std::make_shared<ScanState>();
  size_t own_puts = 0;
  writes_.ForEachInRange(begin, end, reverse, [&](const EncodedWrite& write) {
    if (write.kind == WriteKind::kLock) return true;
    if (own_puts >= limit) return false;  // beyond the limit-th own put: cannot be returned
    if (write.kind == WriteKind::kPut) ++own_puts;
    state->own.emplace_back(std::string(write.key),
                            write.kind == WriteKind::kPut
                                ? std::optional<std::string>(std::string(write.value))
                                : std::nullopt);
    return true;
  });
  state->begin = std::move(begin);
  state->end = std::move(end);
  state->limit = limit;
  state->reverse = reverse;
  state->done = std::move(done);
  if (limit == 0) return state->done(std::vector<Row>());
  TxnClient* client = client_;
  Timestamp t_start = t_start_;
  client_->Dispatch([client, t_start, state] { ScanRound(client, t_start, state); });
}

void Transaction::ScanRound(TxnClient* client, Timestamp t_start,
                            std::shared_ptr<ScanState> state) {
  size_t own_left = state->own.size() - state->own_next;
  size_t requested = std::min(state->limit - state->rows.size() + own_left, kMaxScanRequestRows);
  auto request = std::make_shared<core::Envelope>();
  core::ReadRequest* read = request->mutable_read_request();
  read->set_as_of(t_start);
  read->set_is_scan(true);
  read->mutable_range()->set_begin(state->begin);
  read->mutable_range()->set_end(state->end);
  read->set_limit(static_cast<uint32_t>(requested));
  read->set_reverse(state->reverse);
  client->messenger()->CallWithRetry(
      client->options().storage_endpoint, request, client->options().attempt_timeout,
      client->options().read_timeout,
      [client, t_start, state, requested](Result<core::Envelope> response) mutable {
        if (!response.ok()) return state->done(response.status());
        core::ReadResponse& read = *response->mutable_read_response();
        Status status = FromWire(read.status());
        if (!status.ok()) return state->done(status);
        bool truncated = static_cast<size_t>(read.rows_size()) >= requested;
        bool reverse = state->reverse;
        auto before = [reverse](const std::string& a, const std::string& b) {
          return reverse ? a > b : a < b;
        };
        // Storage's last row (copied: rows are moved into the result below).
        std::string last = truncated ? read.rows(read.rows_size() - 1).key() : std::string();
        auto own_usable = [&]() {
          if (state->own_next >= state->own.size()) return false;
          // Past storage's last row the stored keys are unknown: wait for the next round.
          return !truncated || !before(last, state->own[state->own_next].first);
        };
        int stored = 0;
        while (state->rows.size() < state->limit) {
          bool have_stored = stored < read.rows_size();
          bool have_own = own_usable();
          if (!have_stored && !have_own) break;
          if (have_own) {
            auto& own = state->own[state->own_next];
            if (!have_stored || !before(read.rows(stored).key(), own.first)) {
              if (have_stored && read.rows(stored).key() == own.first) ++stored;  // replaced
              if (own.second.has_value()) {
                state->rows.push_back(Row{std::move(own.first), std::move(*own.second)});
              }
              ++state->own_next;
              continue;
            }
          }
          core::KeyValue& row = *read.mutable_rows(stored++);
          state->rows.push_back(
              Row{std::move(*row.mutable_key()), std::move(*row.mutable_value())});
        }
        if (state->rows.size() >= state->limit || !truncated) {
          return state->done(std::move(state->rows));
        }
        // Continue after storage's last row.
        if (reverse) {
          state->end = std::move(last);
        } else {
          state->begin = std::move(last);
          state->begin.push_back('\0');  // the next key after `last`
        }
        ScanRound(client, t_start, state);
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
  // A random id: the adjudicator answers duplicates of this request with its original
  // decision instead of judging them as new transactions.
  std::string txn_id = client_->NewTxnId();
  // Encoded once, straight into the buffer that is the journal entry's payload: sent as the
  // request's attachment by every attempt (never copied), moved by the adjudicator into the
  // entry. The buffered writes are released: the transaction is spent.
  Attachment record{core::Envelope::COMMIT_RECORD,
                    std::make_shared<const std::string>(EncodeCommitRecord(txn_id, writes_))};
  commit->set_txn_id(std::move(txn_id));
  writes_ = WriteSet();
  for (const std::string& key : check_keys_) commit->add_check_keys(key);
  int64_t deadline_ns =
      env.scheduler->MonotonicNow().count() + client_->options().commit_timeout.count();
  auto shared = std::make_shared<core::Envelope>(std::move(request));
  client_->Dispatch(
      [this, shared, record = std::move(record), deadline_ns, done = std::move(done)]() mutable {
        if (record.bytes->size() >= client_->options().stage_commit_bytes) {
          Stage(shared, std::move(record), deadline_ns, std::move(done));
        } else {
          SendCommit(shared, std::move(record), deadline_ns, std::move(done));
        }
      });
}

void Transaction::Stage(std::shared_ptr<core::Envelope> commit, Attachment record,
                        int64_t deadline_ns, CommitCallback done) {
  const runtime::Env& env = client_->messenger()->env();
  int64_t remaining_ns = deadline_ns - env.scheduler->MonotonicNow().count();
  if (remaining_ns <= 0) {
    return done(Status::Unavailable(
        "the adjudicator did not take the transaction before the commit timeout (not committed)"));
  }
  auto stage = std::make_shared<core::Envelope>();
  stage->mutable_stage_request()->set_txn_id(commit->commit_request().txn_id());
  Attachment staged_record{core::Envelope::STAGED_RECORD, record.bytes};
  client_->messenger()->CallWithRetry(
      client_->options().adjudicator_endpoint, stage, client_->options().attempt_timeout,
      std::chrono::nanoseconds(remaining_ns),
      [this, commit, record = std::move(record), deadline_ns,
       done = std::move(done)](Result<core::Envelope> response) mutable {
        if (!response.ok()) {
          // Only staged, never committed: nothing can have been decided.
          return done(Status::Unavailable("could not hand the transaction to the adjudicator: " +
                                          response.status().message() + " (not committed)"));
        }
        const runtime::Env& env = client_->messenger()->env();
        if (response->stage_response().staged()) {
          // The adjudicator holds the record now: the client lets go of its copy (this one, and
          // the stage call's, which goes when this callback returns: so the commit is sent from
          // the next turn of the loop).
          record = Attachment{};
          commit->mutable_commit_request()->set_staged(true);
          env.scheduler->After(std::chrono::nanoseconds(0),
                               [this, commit, deadline_ns, done = std::move(done)]() mutable {
                                 SendCommit(commit, Attachment{}, deadline_ns, std::move(done));
                               });
          return;
        }
        env.scheduler->After(client_->options().commit_retry_delay,
                             [this, commit, record = std::move(record), deadline_ns,
                              done = std::move(done)]() mutable {
                               Stage(commit, std::move(record), deadline_ns, std::move(done));
                             });
      },
      std::move(staged_record));
}

void Transaction::SendCommit(std::shared_ptr<core::Envelope> request, Attachment record,
                             int64_t deadline_ns, CommitCallback done) {
  const runtime::Env& env = client_->messenger()->env();
  int64_t remaining_ns = deadline_ns - env.scheduler->MonotonicNow().count();
  if (remaining_ns <= 0) {
    return done(Status::Unavailable(std::string(kOutcomeUnknownMessage) +
                                    ": no decision before the commit timeout"));
  }
  client_->messenger()->CallWithRetry(
      client_->options().adjudicator_endpoint, request, client_->options().attempt_timeout,
      std::chrono::nanoseconds(remaining_ns),
      [this, request, record, deadline_ns,
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
            if (request->commit_request().staged()) {
              // The staged record is gone and the adjudicator's history does not reach back to
              // t_start: an earlier attempt may have committed.
              return done(Status::Unavailable(std::string(kOutcomeUnknownMessage) + ": " +
                                              answer.message()));
            }
            return done(Status::Sql("54000", "transaction exceeded the maximum age"));
          case core::CommitResponse::UNAVAILABLE: {
            // Not decided (yet): ask again with the same id. A recovering adjudicator may
            // learn from the journal that this very transaction already committed.
            const runtime::Env& env = client_->messenger()->env();
            env.scheduler->After(
                client_->options().commit_retry_delay,
                [this, request, record, deadline_ns, done = std::move(done)]() mutable {
                  SendCommit(request, std::move(record), deadline_ns, std::move(done));
                });
            return;
          }
          case core::CommitResponse::NOT_STAGED:
            return done(Status::Sql("40001", kNotStagedMessage));
          case core::CommitResponse::OUTCOME_UNKNOWN:
            return done(
                Status::Unavailable(std::string(kOutcomeUnknownMessage) + ": " + answer.message()));
          default:
            return done(Status::Internal("commit rejected: " + answer.message()));
        }
      },
      record);
}

}  // namespace borealis::txn
