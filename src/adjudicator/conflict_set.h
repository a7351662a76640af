// ConflictSet: the adjudicator's pure conflict-detection core (ARCHITECTURE §2-3; the shape of
// FoundationDB's ConflictSet). No I/O, no clock, no threads: the adjudicator service wraps it.
//
// It answers one question for optimistic commits: "was any of these keys written by a
// transaction that committed after t_start?" (first committer wins). Keys are opaque byte
// strings (the order-preserving key encoding of ARCHITECTURE §4).
//
// Guarantees:
// - Never misses a conflict: every Record()ed (key, t_commit) is remembered either exactly or in
//   a conservative summary (max t_commit per key-hash bucket) until Trim() moves the horizon
//   past it. The summary may report a conflict that an exact answer would not (a false
//   positive for a long transaction); it never hides a real one.
// - Memory is bounded: at most `max_exact_keys` exact entries plus `summary_buckets` buckets.
// - Check() with t_start below the horizon answers kTooOld: the transaction outlived the
//   window and must be rejected (the service turns it into a typed error).
//
// REQUIRES: Record() is called with non-decreasing t_commit (the adjudicator assigns them in
// increasing order); Trim() with non-decreasing horizons.
// Thread safety: none; one owner (the adjudicator's state machine).
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace borealis::adjudicator {

using Timestamp = uint64_t;

struct ConflictSetOptions {
  // Exact per-key entries kept before the oldest are folded into the summary.
  size_t max_exact_keys = size_t{1} << 22;
  // Buckets of the conservative summary (power of two).
  size_t summary_buckets = size_t{1} << 16;
};

// Keys visited one at a time, so a bulk commit's million keys are read straight from its
// encoded write set instead of being gathered into a vector first.
class KeyList {
 public:
  virtual ~KeyList() = default;
  virtual size_t size() const = 0;
  // Calls `visit` on each key in order until it returns false.
  virtual void ForEach(const std::function<bool(std::string_view key)>& visit) const = 0;
};

class SpanKeyList final : public KeyList {
 public:
  explicit SpanKeyList(std::span<const std::string_view> keys) : keys_(keys) {}
  size_t size() const override { return keys_.size(); }
  void ForEach(const std::function<bool(std::string_view key)>& visit) const override {
    for (std::string_view key : keys_) {
      if (!visit(key)) return;
    }
  }

 private:
  std::span<const std::string_view> keys_;
};

enum class CheckOutcome : uint8_t { kOk, kConflict, kTooOld };

struct CheckResult {
  CheckOutcome outcome = CheckOutcome::kOk;
  // For kConflict: index (into the keys passed to Check) of the first conflicting key.
  size_t key_index = 0;
  // For kConflict: the t_commit that conflicted (exact or summarized).
  Timestamp conflicting_commit = 0;
  // For kConflict: the key (a view into the caller's keys).
  std::string_view key;
};

class ConflictSet {
 public:
  explicit ConflictSet(ConflictSetOptions options = {});

  // Checks whether any key was written after t_start. Pure: changes nothing.
  CheckResult Check(Timestamp t_start, const KeyList& keys) const;
  CheckResult Check(Timestamp t_start, std::span<const std::string_view> keys) const {
    return Check(t_start, SpanKeyList(keys));
  }

  // Records that a transaction committed at t_commit wrote (or locked) `keys`.
  void Record(Timestamp t_commit, const KeyList& keys);
  void Record(Timestamp t_commit, std::span<const std::string_view> keys) {
    Record(t_commit, SpanKeyList(keys));
  }
  // Records `keys` in the summary only (no per-key memory): for bulk transactions, whose
  // million keys would otherwise fill the exact map. Conservative like every summary entry.
  void RecordSummarized(Timestamp t_commit, const KeyList& keys);
  void RecordSummarized(Timestamp t_commit, std::span<const std::string_view> keys) {
    RecordSummarized(t_commit, SpanKeyList(keys));
  }

  // Forgets everything at or below `horizon`; afterwards Check(t_start < horizon) is kTooOld.
  void Trim(Timestamp horizon);

  Timestamp horizon() const { return horizon_; }
  Timestamp last_commit() const { return last_commit_; }
  size_t exact_key_count() const { return exact_.size(); }
  // True once anything was folded into the summary (answers may then be conservative).
  bool summary_in_use() const { return summary_max_ > horizon_; }

 private:
  struct Recorded {
    Timestamp t_commit;
    std::string key;
  };

  size_t Bucket(std::string_view key) const;
  void EvictOldest();

  ConflictSetOptions options_;
  Timestamp horizon_ = 0;
  Timestamp last_commit_ = 0;
  std::unordered_map<std::string, Timestamp> exact_;
  // Record order (t_commit non-decreasing). An entry is stale when exact_ holds a newer
  // t_commit for its key; stale entries are skipped when evicting or trimming.
  std::deque<Recorded> order_;
  std::vector<Timestamp> summary_;
  Timestamp summary_max_ = 0;
};

}  // namespace borealis::adjudicator
