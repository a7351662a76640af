// Hidden row ids of tables without a primary key (issue 4; docs/design/sql.md "Hidden row ids").
//
// A table without a primary key is keyed by a hidden int8 row id. The ids come from one
// cluster-wide counter (a catalog key, kRowIdCounterIndex) that each QP advances a block at a
// time in a small transaction of its own, as nextval does (qp/sequences.h), and hands out
// from memory. So:
//   - ids are unique across the cluster without a duplicate check per row (an insert with a
//     hidden key is a blind put);
//   - the ids one QP hands out only grow, so a session reads back the rows of such a table in
//     the order it inserted them, as PostgreSQL's heap order does for a quiet table (no
//     guarantee in either system; pg_regress output and many users rely on it);
//   - a bulk load costs a handful of counter transactions: a refill soon after the previous
//     one reserves twice as many ids, up to kMaxRowIdBlock.
// Rows of concurrent QPs interleave by block, not by time. When no counter transaction can
// commit (core unreachable), Next falls back to 62 random bits above kRandomRowIdBase — still
// unique in practice, like the ids of tables written before this allocator; the statement's
// own transaction then usually fails the same way.
// Threading: RowIdAllocator is thread-safe (one per QP, shared by its sessions); a refill runs
// under its mutex, so sessions that need an id meanwhile wait for that one small transaction.
#pragma once

#include <cstdint>
#include <mutex>

#include "common/status.h"
#include "txn/sync_client.h"

namespace borealis::qp {

inline constexpr int64_t kMinRowIdBlock = 1024;
inline constexpr int64_t kMaxRowIdBlock = int64_t{1} << 20;
// A refill within this long (by the allocating transaction's HLC start) of the previous one
// doubles the block.
inline constexpr uint64_t kHotRowIdRefillNs = 1'000'000'000;
// Counter ids stay below this; fallback random ids lie above it.
inline constexpr int64_t kRandomRowIdBase = int64_t{1} << 62;

// The counter's key in the system table.
std::string RowIdCounterKey();

class RowIdAllocator {
 public:
  explicit RowIdAllocator(txn::SyncTxnClient* client) : client_(client) {}

  // An id no call anywhere in the cluster returned before, greater than every counter id this
  // allocator returned before. `seed` jitters retries and draws the fallback.
  int64_t Next(uint64_t seed);

  // The next block's size after a refill at `now_ns` following one at `previous_ns` (0: none)
  // of `previous_block` ids. Pure; exposed for tests.
  static int64_t NextBlockSize(int64_t previous_block, uint64_t previous_ns, uint64_t now_ns);

 private:
  Result<int64_t> Refill(uint64_t seed);

  txn::SyncTxnClient* client_;
  std::mutex mutex_;
  int64_t next_ = 0;  // [next_, end_) reserved and not handed out
  int64_t end_ = 0;
  int64_t block_ = 0;
  uint64_t last_refill_ns_ = 0;
};

}  // namespace borealis::qp
