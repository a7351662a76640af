// AdjudicatorCore: the commit decision of ARCHITECTURE §2 as a pure state machine. No I/O, no
// clock reads: the caller passes the clock reading; the adjudicator service wraps this core
// with the journal (append, group commit) and the commit-wait.
//
// Decide(request, now_latest):
// - t_start older than the window (now_latest - window) -> kTooOld;
// - any write/lock key written after t_start -> kDataConflict (OC000);
// - any check-set key (schema versions) written after t_start -> kSchemaConflict (OC001);
// - else commits: t_commit = max(now_latest, t_start + 1, last t_commit + 1), and the write and
//   lock keys are recorded at t_commit (check-set keys are not recorded).
// Heartbeat(now_latest) reserves a timestamp above every t_commit so far, for the journal's
// watermark when idle. Replay() rebuilds the state from journal entries after a restart.
//
// Thread safety: none; one owner.
#pragma once

#include <algorithm>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "adjudicator/conflict_set.h"

namespace borealis::adjudicator {

struct AdjudicatorOptions {
  // The maximum transaction age (DSQL: 5 minutes).
  uint64_t window_ns = uint64_t{300} * 1'000'000'000;
  ConflictSetOptions conflict_set;
  // TEST ONLY: decide every commit without checking conflicts (a deliberately broken mode that
  // proves the consistency checker finds the anomalies it must). Never set in production.
  bool unsafe_skip_conflict_check = false;
  // Transactions writing more keys than this are recorded in the conflict set's summary only
  // (bulk loads: bounded adjudicator memory, at the price of conservative conflicts for
  // transactions that overlap them in time).
  size_t bulk_keys_threshold = 100'000;
};

enum class Verdict : uint8_t { kCommit, kDataConflict, kSchemaConflict, kTooOld };

struct Decision {
  Verdict verdict = Verdict::kCommit;
  Timestamp t_commit = 0;       // kCommit only
  std::string conflicting_key;  // conflicts only (for diagnostics and sys.conflicts)
};

// A small request as vectors of keys (tests, tools); the service passes KeyLists.
struct DecideRequest {
  Timestamp t_start = 0;
  std::vector<std::string_view> write_keys;  // puts, deletes and lock-only keys
  std::vector<std::string_view> check_keys;  // validated, never recorded
};

class AdjudicatorCore {
 public:
  explicit AdjudicatorCore(AdjudicatorOptions options = {});

  Decision Decide(const DecideRequest& request, Timestamp now_latest) {
    return Decide(request.t_start, SpanKeyList(request.write_keys), SpanKeyList(request.check_keys),
                  now_latest);
  }
  // write_keys: puts, deletes and lock-only keys; check_keys: validated, never recorded.
  Decision Decide(Timestamp t_start, const KeyList& write_keys, const KeyList& check_keys,
                  Timestamp now_latest);
  Timestamp Heartbeat(Timestamp now_latest);
  // Promises that no later commit gets a timestamp at or below `t` (a watermark promise, or
  // the end of a predecessor's lease after recovery).
  void Promise(Timestamp t) { last_timestamp_ = std::max(last_timestamp_, t); }
  // Re-applies a journal entry (commit keys, or none for a heartbeat) during recovery.
  // REQUIRES: called in journal order, before any Decide().
  void Replay(Timestamp t_commit, const KeyList& write_keys);
  void Replay(Timestamp t_commit, std::span<const std::string_view> write_keys) {
    Replay(t_commit, SpanKeyList(write_keys));
  }
  // Ends recovery: the conflict set covers the window ending at `now_latest`, and everything
  // older is rejected as too old (its history was not replayed).
  void FinishRecovery(Timestamp now_latest, Timestamp oldest_replayed);

  Timestamp last_timestamp() const { return last_timestamp_; }
  const ConflictSet& conflict_set() const { return conflict_set_; }

 private:
  void AdvanceWindow(Timestamp now_latest);

  AdjudicatorOptions options_;
  ConflictSet conflict_set_;
  Timestamp last_timestamp_ = 0;  // the last t_commit or heartbeat issued
};

}  // namespace borealis::adjudicator
