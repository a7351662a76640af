#include "adjudicator/conflict_set.h"

#include <algorithm>
#include <functional>

#include "common/check.h"

namespace borealis::adjudicator {

ConflictSet::ConflictSet(ConflictSetOptions options)
    : options_(options), summary_(options.summary_buckets, 0) {
  BOREALIS_CHECK(options_.max_exact_keys > 0);
  BOREALIS_CHECK(options_.summary_buckets > 0 &&
                     (options_.summary_buckets & (options_.summary_buckets - 1)) == 0,
                 "summary_buckets must be a power of two:", options_.summary_buckets);
}

size_t ConflictSet::Bucket(std::string_view key) const {
  return std::hash<std::string_view>{}(key) & (options_.summary_buckets - 1);
}

CheckResult ConflictSet::Check(Timestamp t_start, const KeyList& keys) const {
  if (t_start < horizon_) return {CheckOutcome::kTooOld, 0, 0, {}};
  CheckResult result;
  size_t index = 0;
  keys.ForEach([&](std::string_view key) {
    Timestamp latest = 0;
    if (summary_max_ > t_start) latest = summary_[Bucket(key)];
    if (auto it = exact_.find(std::string(key)); it != exact_.end()) {
      latest = std::max(latest, it->second);
    }
    if (latest > t_start) {
      result = CheckResult{CheckOutcome::kConflict, index, latest, key};
      return false;
    }
    ++index;
    return true;
  });
  return result;
}

void ConflictSet::Record(Timestamp t_commit, const KeyList& keys) {
  BOREALIS_CHECK(t_commit >= last_commit_, "t_commit went backwards:", t_commit, last_commit_);
  BOREALIS_CHECK(t_commit > horizon_, "t_commit at or below the horizon:", t_commit, horizon_);
  last_commit_ = t_commit;
  keys.ForEach([&](std::string_view key) {
    auto [it, inserted] = exact_.try_emplace(std::string(key), t_commit);
    if (!inserted) it->second = t_commit;
    order_.push_back(Recorded{t_commit, std::string(key)});
    while (exact_.size() > options_.max_exact_keys) EvictOldest();
    return true;
  });
  // Stale entries accumulate when the same keys are rewritten; keep the log proportional to
  // the exact map so memory stays bounded.
  while (order_.size() > 2 * options_.max_exact_keys + keys.size()) EvictOldest();
}

void ConflictSet::RecordSummarized(Timestamp t_commit, const KeyList& keys) {
  BOREALIS_CHECK(t_commit >= last_commit_, "t_commit went backwards:", t_commit, last_commit_);
  BOREALIS_CHECK(t_commit > horizon_, "t_commit at or below the horizon:", t_commit, horizon_);
  last_commit_ = t_commit;
  keys.ForEach([&](std::string_view key) {
    Timestamp& bucket = summary_[Bucket(key)];
    bucket = std::max(bucket, t_commit);
    return true;
  });
  if (keys.size() > 0) summary_max_ = std::max(summary_max_, t_commit);
}

void ConflictSet::EvictOldest() {
  BOREALIS_CHECK(!order_.empty());
  Recorded oldest = std::move(order_.front());
  order_.pop_front();
  auto it = exact_.find(oldest.key);
  if (it == exact_.end() || it->second != oldest.t_commit) return;  // stale or already gone
  // Only the key's newest record reaches here; fold it into the summary before forgetting it.
  Timestamp& bucket = summary_[Bucket(oldest.key)];
  bucket = std::max(bucket, oldest.t_commit);
  summary_max_ = std::max(summary_max_, oldest.t_commit);
  exact_.erase(it);
}

void ConflictSet::Trim(Timestamp horizon) {
  if (horizon <= horizon_) return;
  horizon_ = horizon;
  while (!order_.empty() && order_.front().t_commit <= horizon) {
    auto it = exact_.find(order_.front().key);
    if (it != exact_.end() && it->second == order_.front().t_commit) exact_.erase(it);
    order_.pop_front();
  }
  if (summary_max_ <= horizon) {
    // Every summarized commit is at or below the horizon: the summary can no longer matter.
    std::fill(summary_.begin(), summary_.end(), 0);
    summary_max_ = 0;
  }
}

}  // namespace borealis::adjudicator
