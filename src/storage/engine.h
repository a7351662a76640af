// storage::Engine: the MVCC key-value engine under one storage node (ARCHITECTURE §3 "Storage").
//
// Contract:
// - Versions are keyed by (user key, t_commit). A read "as of t" sees, for each key, the newest
//   version with t_commit <= t; a tombstone hides the key.
// - Apply() makes one journal entry's mutations visible atomically at its t_commit and records
//   the journal position durably in the same atomic write, so that after a restart the node
//   resumes from AppliedPosition() + 1 and never applies an entry twice or skips one.
//   REQUIRES: positions strictly increase; t_commit strictly increases and is above the
//   watermark. A large entry may first write parts of its mutations with ApplyPart() (below):
//   visible to the engine's own reads at or above t_commit, never through the storage service,
//   which reads at or below the watermark only.
// - AdvanceWatermark(t): the journal promised no commit at or below t is still to come
//   (heartbeat). The watermark is max(t of every Apply, every AdvanceWatermark) and is
//   persisted with the position. Waiting for the watermark is the storage service's job, not
//   the engine's: engines answer immediately.
// - CollectGarbage(horizon): versions that no read at t >= horizon can see may be dropped;
//   reads below the horizon then fail with kInvalidArgument ("snapshot too old").
// - Limits: Scan returns at most `limit` rows (callers page); keys and values are opaque bytes.
// Thread safety: reads may run concurrently with each other and with one writer (Apply,
// AdvanceWatermark, CollectGarbage are called from one thread at a time).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace borealis::storage {

using Timestamp = uint64_t;

// Views into the caller's buffer (e.g. the journal entry being applied): no copy per row.
struct Mutation {
  std::string_view key;
  std::optional<std::string_view> value;  // nullopt: delete (tombstone)
};

struct KeyValue {
  std::string key;
  std::string value;
  Timestamp t_commit = 0;
};

struct AppliedState {
  uint64_t position = 0;    // last journal position applied (0: none)
  Timestamp watermark = 0;  // every commit at or below it is applied
};

enum class ScanDirection : uint8_t { kForward, kReverse };

struct ScanRange {
  std::string begin;  // inclusive
  std::string end;    // exclusive; empty means "to the end of the key space"
  size_t limit = 1000;
  ScanDirection direction = ScanDirection::kForward;
};

class Engine {
 public:
  virtual ~Engine() = default;

  virtual Status Apply(uint64_t position, Timestamp t_commit,
                       std::span<const Mutation> mutations) = 0;
  // Writes part of the mutations of the next entry (position applied().position + 1) without
  // changing the applied state, so that an entry of any size is applied in bounded batches; the
  // caller then calls Apply() for that entry with the rest. The part is not visible through
  // the storage service: reads are served at or below the watermark, and t_commit is above it.
  // After a crash before Apply(), the entry is applied again from the journal, rewriting the
  // same (key, t_commit) versions with the same values.
  // REQUIRES: t_commit > applied().watermark; the same t_commit in the following Apply().
  virtual Status ApplyPart(Timestamp t_commit, std::span<const Mutation> mutations) = 0;
  virtual Status AdvanceWatermark(Timestamp watermark) = 0;
  virtual AppliedState applied() const = 0;

  virtual Result<std::optional<KeyValue>> Get(std::string_view key, Timestamp as_of) const = 0;
  virtual Result<std::vector<KeyValue>> Scan(const ScanRange& range, Timestamp as_of) const = 0;

  // Makes the applied state durable (data and position) and returns the position it covers:
  // the journal may be trimmed below it. The in-memory engine keeps nothing and returns 0.
  virtual Result<uint64_t> SyncApplied() = 0;

  virtual Status CollectGarbage(Timestamp horizon) = 0;
  virtual Timestamp gc_horizon() const = 0;
};

// In memory, for the simulator and unit tests. Without `durable` it loses everything when
// destroyed and SyncApplied() returns 0. With `durable` (owned outside the simulated process,
// so it survives a crash), SyncApplied() copies the state there and a new engine starts from
// it: a crash loses exactly what was applied since the last sync, like a real disk.
struct MemoryEngineDurableState;
std::shared_ptr<MemoryEngineDurableState> NewMemoryEngineDurableState();
std::unique_ptr<Engine> NewMemoryEngine(
    std::shared_ptr<MemoryEngineDurableState> durable = nullptr);

// RocksDB's memtables for the versions: write_buffer_size x max_write_buffer_number. Writes
// stall (the storage loop waits for a flush) rather than growing past it, so a bulk entry of any
// size is applied within this much memtable memory.
inline constexpr uint64_t kRocksDbWriteBufferBytes = uint64_t{32} << 20;
inline constexpr int kRocksDbMaxWriteBuffers = 2;
inline constexpr uint64_t kRocksDbMemtableBudgetBytes =
    kRocksDbWriteBufferBytes * kRocksDbMaxWriteBuffers;

// RocksDB with u64 user timestamps in `directory` (created if missing). Durable: Apply writes
// with WAL sync so an applied position survives a crash.
Result<std::unique_ptr<Engine>> OpenRocksDbEngine(const std::string& directory);

}  // namespace borealis::storage
