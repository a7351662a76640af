// The plan cache (issue 4; helper P): a session keeps the bound, optimized plans of its table
// statements and the parse results of its simple-query strings, so a statement that runs again
// is neither parsed nor bound again while nothing it depended on changed.
//
// Contract:
// - What a plan depends on. Binding (qp/table_statements.h BindTableStatement) is a function of
//   the statement (its source text and position in it), the declared parameter types, the
//   session's binding context (its temporary schema, the role privileges are checked for, the
//   role store's snapshot, and the settings that could steer name resolution: BindingContext
//   in session.cc) and the catalog rows it reads in the
//   transaction. A RecordingKv records those reads while a statement is bound: every Get with
//   its result (absent keys too) and every Expect that held. A CachedPlan is reused only when
//   the key and the context are equal and, in the transaction that reuses it, every recorded
//   key still holds the recorded value (ExpectDependencies: txn::KvTransaction::Expect /
//   ExpectAbsent, which the session defers into the statement's first storage request as it
//   does for cached descriptors). Equal inputs give an equal plan, so a reused plan is the
//   plan a fresh bind would make; a stale dependency fails the statement before it read,
//   wrote or returned anything, and the session binds it again (qp/session.cc
//   ExecuteChecked). Binding that scans or writes is not cached.
// - Plans are shared, never copied: a TablePlan is immutable once bound (operators, which hold
//   execution state, are built from it per execution: sql/exec BuildOperator), and it owns or
//   shares everything it points at (its TableInfos, their descriptors), not the AST.
// - Parse results depend on the text alone and are never invalidated, only evicted.
// - Admission: a key is kept the second time it is seen (a filter remembers the hashes of keys
//   seen once), so texts that never repeat (literals that differ every time) cost a hash, not
//   an insertion and an eviction.
// - Bounds: both caches are LRU with a limit on entries and on (estimated) bytes; texts longer
//   than kMaxCachedQueryBytes and plans with more than kMaxPlanDependencies reads are not kept.
// Threading: one session's, used by one thread at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "common/status.h"
#include "qp/table_statements.h"
#include "qp/temp_tables.h"
#include "sql/parser.h"
#include "txn/kv.h"

namespace borealis::qp {

// Per-session limits (PostgreSQL's plan cache is per session too: see docs/design/sql.md
// "Plan cache" for why not per QP).
inline constexpr size_t kMaxCachedPlans = 256;
inline constexpr size_t kMaxCachedPlanBytes = size_t{2} << 20;
inline constexpr size_t kMaxCachedParses = 256;
inline constexpr size_t kMaxCachedParseBytes = size_t{1} << 20;
// Query strings longer than this are neither parse- nor plan-cached.
inline constexpr size_t kMaxCachedQueryBytes = size_t{16} << 10;
// A plan whose binding read more catalog keys than this is not cached.
inline constexpr size_t kMaxPlanDependencies = 256;
// Hashes of keys seen once (the admission filter below); forgotten all at once beyond this.
inline constexpr size_t kMaxAdmissionFilterKeys = 4096;

// One catalog read of a binding: `key` held `value` (nullopt: nothing).
struct PlanDependency {
  std::string key;
  std::optional<std::string> value;
};

// The session's transaction while a statement is bound: forwards everything to `inner` (and
// carries its temporary schema) and records what binding read.
class RecordingKv : public SessionKv {
 public:
  explicit RecordingKv(SessionKv& inner);

  Result<std::optional<std::string>> Get(std::string key) override;
  Result<std::vector<txn::Row>> Scan(std::string begin, std::string end, size_t limit,
                                     bool reverse = false) override;
  Status Put(std::string key, std::string value) override;
  Status Delete(std::string key) override;
  void Lock(std::string key) override;
  void AddCheckKey(std::string key) override;
  Status Expect(std::string key, std::string value) override;
  Status ExpectAbsent(std::string key) override;

  // False once binding did something a recorded read cannot stand for (a scan, a write, too
  // many reads).
  bool cacheable() const { return cacheable_; }
  std::vector<PlanDependency> TakeDependencies() { return std::move(dependencies_); }

 private:
  void Record(const std::string& key, std::optional<std::string> value);

  std::vector<PlanDependency> dependencies_;
  bool cacheable_ = true;
};

// Makes `txn` proceed as if every dependency holds (Expect / ExpectAbsent); the first failure
// (kStaleExpectationMessage when checked at once) is returned.
Status ExpectDependencies(txn::KvTransaction& txn, const std::vector<PlanDependency>& dependencies);

// A least-recently-used map from strings to values with limits on entries and bytes (the
// caller gives each value's size). An entry larger than the byte limit is not kept.
template <typename Value>
class BoundedLru {
 public:
  BoundedLru(size_t max_entries, size_t max_bytes)
      : max_entries_(max_entries), max_bytes_(max_bytes) {}

  // The value under `key`, now the most recently used, or null. Valid until the next change.
  const Value* Find(std::string_view key) {
    auto it = index_.find(std::string(key));
    if (it == index_.end()) return nullptr;
    order_.splice(order_.begin(), order_, it->second);
    return &it->second->value;
  }
  void Insert(std::string key, Value value, size_t bytes) {
    Erase(key);
    if (bytes > max_bytes_ || max_entries_ == 0) return;
    order_.push_front(Node{key, std::move(value), bytes});
    index_.emplace(std::move(key), order_.begin());
    bytes_ += bytes;
    while (order_.size() > max_entries_ || bytes_ > max_bytes_) {
      bytes_ -= order_.back().bytes;
      index_.erase(order_.back().key);
      order_.pop_back();
      ++evictions_;
    }
  }
  bool Erase(const std::string& key) {
    auto it = index_.find(key);
    if (it == index_.end()) return false;
    bytes_ -= it->second->bytes;
    order_.erase(it->second);
    index_.erase(it);
    return true;
  }
  void Clear() {
    index_.clear();
    order_.clear();
    bytes_ = 0;
  }
  size_t size() const { return order_.size(); }
  size_t bytes() const { return bytes_; }
  uint64_t evictions() const { return evictions_; }

 private:
  struct Node {
    std::string key;
    Value value;
    size_t bytes;
  };
  size_t max_entries_;
  size_t max_bytes_;
  std::list<Node> order_;  // most recently used first
  std::unordered_map<std::string, typename std::list<Node>::iterator> index_;
  size_t bytes_ = 0;
  uint64_t evictions_ = 0;
};

struct CachedPlan {
  std::shared_ptr<const TablePlan> plan;
  std::vector<PlanDependency> dependencies;
  std::string context;  // the binding context it was bound in
  // An immutable object binding read that is replaced, never changed, when what it holds
  // changes (the role store's snapshot: privileges are checked while binding, qp/roles.h).
  // Held, so its address identifies it; null when none.
  std::shared_ptr<const void> pinned;
};

// The estimated memory of a plan (nodes and expressions; descriptors are shared, not counted).
size_t EstimatePlanBytes(const TablePlan& plan);

class PlanCache {
 public:
  struct Limits {
    size_t max_plans = kMaxCachedPlans;
    size_t max_plan_bytes = kMaxCachedPlanBytes;
    size_t max_parses = kMaxCachedParses;
    size_t max_parse_bytes = kMaxCachedParseBytes;
  };
  struct Stats {
    uint64_t plan_hits = 0;
    uint64_t plan_misses = 0;
    uint64_t parse_hits = 0;
    uint64_t parse_misses = 0;
  };

  PlanCache() : PlanCache(Limits{}) {}
  explicit PlanCache(Limits limits)
      : plans_(limits.max_plans, limits.max_plan_bytes),
        parses_(limits.max_parses, limits.max_parse_bytes) {}

  // The plan cached under `key` for `context` and `pinned`, or null (one cached for another
  // context is dropped). The caller still re-establishes its dependencies
  // (ExpectDependencies).
  const CachedPlan* FindPlan(std::string_view key, std::string_view context,
                             const void* pinned = nullptr);
  // Whether `key` was offered before (see Admission above); records the offer. Callers insert
  // only admitted keys, and skip recording a binding that would not be kept.
  bool Admit(std::string_view key);
  void InsertPlan(std::string key, CachedPlan plan);
  void ErasePlan(const std::string& key) { plans_.Erase(key); }
  // After a stale dependency: which plan it belonged to is not known, so all go.
  void ClearPlans() { plans_.Clear(); }

  // The parse of `text`, or null.
  const sql::ParseResult* FindParse(std::string_view text);
  // Keeps the parse of `text` (not when it is longer than kMaxCachedQueryBytes).
  void InsertParse(std::string text, sql::ParseResult parsed);

  void Clear() {
    plans_.Clear();
    parses_.Clear();
  }
  const Stats& stats() const { return stats_; }
  size_t plan_count() const { return plans_.size(); }
  size_t plan_bytes() const { return plans_.bytes(); }
  size_t parse_count() const { return parses_.size(); }
  size_t parse_bytes() const { return parses_.bytes(); }
  uint64_t evictions() const { return plans_.evictions() + parses_.evictions(); }

 private:
  BoundedLru<CachedPlan> plans_;
  BoundedLru<sql::ParseResult> parses_;
  std::unordered_set<size_t> seen_once_;  // hashes of keys offered once
  Stats stats_;
};

}  // namespace borealis::qp
