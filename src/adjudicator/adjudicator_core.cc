#include "adjudicator/adjudicator_core.h"

#include <algorithm>

#include "common/check.h"

namespace borealis::adjudicator {

AdjudicatorCore::AdjudicatorCore(AdjudicatorOptions options)
    : options_(options), conflict_set_(options.conflict_set) {}

void AdjudicatorCore::AdvanceWindow(Timestamp now_latest) {
  if (now_latest > options_.window_ns) {
    // Never trim past what was issued: a horizon above last_timestamp_ would make
    // Record(t_commit) with t_commit <= horizon impossible to check later.
    conflict_set_.Trim(std::min(now_latest - options_.window_ns, last_timestamp_));
  }
}

Decision AdjudicatorCore::Decide(Timestamp t_start, const KeyList& write_keys,
                                 const KeyList& check_keys, Timestamp now_latest) {
  AdvanceWindow(now_latest);
  if (now_latest > options_.window_ns && t_start < now_latest - options_.window_ns) {
    return Decision{Verdict::kTooOld, 0, {}};
  }
  CheckResult writes = options_.unsafe_skip_conflict_check
                           ? CheckResult{}
                           : conflict_set_.Check(t_start, write_keys);
  if (writes.outcome == CheckOutcome::kTooOld) return Decision{Verdict::kTooOld, 0, {}};
  if (writes.outcome == CheckOutcome::kConflict) {
    return Decision{Verdict::kDataConflict, 0, std::string(writes.key)};
  }
  CheckResult checks = options_.unsafe_skip_conflict_check
                           ? CheckResult{}
                           : conflict_set_.Check(t_start, check_keys);
  if (checks.outcome == CheckOutcome::kTooOld) return Decision{Verdict::kTooOld, 0, {}};
  if (checks.outcome == CheckOutcome::kConflict) {
    return Decision{Verdict::kSchemaConflict, 0, std::string(checks.key)};
  }
  Timestamp t_commit = std::max({now_latest, t_start + 1, last_timestamp_ + 1});
  last_timestamp_ = t_commit;
  if (write_keys.size() > options_.bulk_keys_threshold) {
    conflict_set_.RecordSummarized(t_commit, write_keys);
  } else {
    conflict_set_.Record(t_commit, write_keys);
  }
  return Decision{Verdict::kCommit, t_commit, {}};
}

Timestamp AdjudicatorCore::Heartbeat(Timestamp now_latest) {
  last_timestamp_ = std::max(now_latest, last_timestamp_ + 1);
  return last_timestamp_;
}

void AdjudicatorCore::Replay(Timestamp t_commit, const KeyList& write_keys) {
  BOREALIS_CHECK(t_commit > last_timestamp_, "replay out of order:", t_commit, last_timestamp_);
  last_timestamp_ = t_commit;
  if (write_keys.size() > options_.bulk_keys_threshold) {
    conflict_set_.RecordSummarized(t_commit, write_keys);
  } else if (write_keys.size() > 0) {
    conflict_set_.Record(t_commit, write_keys);
  }
}

void AdjudicatorCore::FinishRecovery(Timestamp now_latest, Timestamp oldest_replayed) {
  // Transactions that started before the oldest replayed entry could conflict with history we
  // no longer have: reject them as too old.
  if (oldest_replayed > 0) conflict_set_.Trim(std::min(oldest_replayed - 1, last_timestamp_));
  AdvanceWindow(now_latest);
}

}  // namespace borealis::adjudicator
