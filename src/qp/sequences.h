// nextval / currval / setval / lastval: sequence values handed out apart from the caller's
// transaction (issue 4; docs/design/sql.md "Sequences").
//
// PostgreSQL's semantics: nextval is never rolled back and never waits for other transactions.
// SequenceAllocator (one per engine, i.e. per QP) runs each allocation as its own small
// transaction on the sequence's state key (catalog/sequences.h): read the state, reserve a
// block of CACHE values, write the new state, commit; on a conflict (another QP, or DDL) it
// retries with jitter, at most kMaxAllocationAttempts times. A hot sequence (refills in quick
// succession) gets a larger reservation than CACHE, kept by the allocator and handed to
// sessions CACHE values at a time, so bulk inserts into SERIAL tables do not commit once per
// row; pg_sequences.last_value then shows the end of the reservation. Allocations of one
// sequence are
// serialized inside a QP (striped mutexes), so sessions of one QP never conflict with each
// other. The caller's transaction never reads or writes the state key, so it cannot conflict
// on it. SessionSequences is one session's view (PostgreSQL's SeqTable): the block it holds,
// currval per sequence and lastval; values of an unused block are lost, as in PostgreSQL.
//
// ComputeBlock is PostgreSQL's nextval_internal arithmetic, pure.
// Threading: SequenceAllocator is thread-safe; SessionSequences belongs to one session.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "catalog/sequences.h"
#include "common/status.h"
#include "txn/sync_client.h"

namespace borealis::qp {

inline constexpr int kMaxAllocationAttempts = 50;
// Prefetch for hot sequences: a refill that comes within kHotRefillWindowNs (by the
// transactions' HLC start times) of the previous one for the same sequence reserves twice as
// many values as that one did, up to kMaxPrefetchValues (never fewer than CACHE); a cold
// refill reserves CACHE values.
inline constexpr uint64_t kHotRefillWindowNs = 50'000'000;
inline constexpr int64_t kMaxPrefetchValues = 1024;
inline constexpr int64_t kAllocationRetryJitterMaxUs = 2000;
inline constexpr size_t kAllocationLockStripes = 64;
// Sequences one session remembers (currval state); beyond it the oldest-id entries are dropped.
inline constexpr size_t kMaxSessionSequences = 10000;

// A reserved run of values: first, first + increment, ..., last (never wrapping: a cycling
// sequence ends the block at its bound, as PostgreSQL does).
struct SequenceBlock {
  int64_t first = 0;
  int64_t last = 0;
  int64_t increment = 1;
};

// The block nextval reserves from `state` (CACHE values at most) and the state to store
// afterwards. 2200H `nextval: reached maximum value of sequence "s" (n)` (or minimum) when no
// value is left and the sequence does not cycle.
struct BlockAndState {
  SequenceBlock block;
  catalog::SequenceState state;
};
Result<BlockAndState> ComputeBlock(const catalog::SequenceDescriptor& sequence,
                                   const catalog::SequenceState& state);

// Takes the first block of `count` values (at least one) off `run`, which must not be empty;
// `run` keeps the rest (first > last: empty).
SequenceBlock TakeFromRun(SequenceBlock& run, int64_t count);

// The descriptor id of a sequence's relation OID (qp/system_catalog.h's numbering), or nullopt.
std::optional<uint32_t> SequenceIdOfOid(uint32_t oid);

// Runs `body` in a fresh transaction of `client` and commits it, retrying the whole on data
// conflicts (jittered by `seed`, at most kMaxAllocationAttempts times): the shape of every
// allocation that must not depend on the caller's transaction (nextval, hidden row ids).
Status RunAllocationTransaction(txn::SyncTxnClient* client, uint64_t seed,
                                const std::function<Status(txn::SyncTxnClient::Txn&)>& body);

class SequenceAllocator {
 public:
  explicit SequenceAllocator(txn::SyncTxnClient* client) : client_(client) {}

  // Reserves the next block of CACHE values for a session: from this QP's prefetched run of
  // the sequence, else from a new allocation transaction. 42809 when `id` is no sequence.
  Result<SequenceBlock> Allocate(uint32_t id, uint64_t seed);
  // setval: 22003 when `value` is outside the sequence's bounds. Drops the prefetched run.
  Status Set(uint32_t id, int64_t value, bool is_called, uint64_t seed);
  // Drops the prefetched runs (this QP ran DDL on sequences: ALTER, DROP, RESTART IDENTITY).
  void ForgetAll();

 private:
  // Values reserved by this QP and not handed to a session yet (PostgreSQL has none: this is
  // the prefetch of hot sequences). Guarded by runs_mutex_.
  struct Run {
    SequenceBlock values{0, -1, 1};  // empty when no value is left (see Remaining)
    bool has_values = false;
    int64_t cache = 1;     // the sequence's CACHE at the last refill
    int64_t prefetch = 1;  // values reserved by the last refill
    uint64_t last_refill_ns = 0;
  };

  txn::SyncTxnClient* client_;
  std::array<std::mutex, kAllocationLockStripes> locks_;
  std::mutex runs_mutex_;
  std::map<uint32_t, Run> runs_;
};

class SessionSequences {
 public:
  explicit SessionSequences(SequenceAllocator* allocator) : allocator_(allocator) {}

  // `name` is used in error messages only.
  Result<int64_t> Next(uint32_t id, uint64_t seed);
  Result<int64_t> Current(uint32_t id, const std::string& name) const;
  Result<int64_t> Set(uint32_t id, int64_t value, bool is_called, uint64_t seed);
  Result<int64_t> Last() const;
  // Forgets the cached block (ALTER SEQUENCE in this session, as PostgreSQL's new relfilenode).
  void Forget(uint32_t id);

 private:
  struct Entry {
    int64_t last = 0;    // the value currval returns
    int64_t cached = 0;  // the last value of the block held (== last: none left)
    int64_t increment = 1;
    bool last_valid = false;
  };
  Entry& EntryFor(uint32_t id);

  SequenceAllocator* allocator_;
  std::map<uint32_t, Entry> entries_;
  uint32_t last_used_ = 0;
};

}  // namespace borealis::qp
