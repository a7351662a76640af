// Journal: the durable, ordered, segmented log of the transaction core (ARCHITECTURE §3
// "Journal"). A commit is ONE entry; heartbeats are entries too, so the watermark survives
// restarts.
//
// Guarantees:
// - Positions are dense (1, 2, 3, ...) and timestamps strictly increase with position.
// - An entry is durable once Sync() that covered it returned ok; durable entries survive any
//   crash and are never truncated by recovery. Open() drops only a torn or unsynced tail of the
//   last segment (detected by length and CRC-32C per entry) and reports Corruption for damage
//   anywhere else.
// - Read() returns durable entries only, in position order.
// - The watermark is the timestamp of the last durable entry: every commit at or below it is in
//   the journal.
//
// Shaped for Raft (next stage): Append/Sync mirror "unstable entries -> persisted", positions
// are log indexes, and TruncateAfter() removes an uncommitted suffix.
//
// Limits: max_entry_bytes per entry, max_pending_entries/max_pending_bytes appended but not yet
// synced (Append fails with kResourceExhausted beyond them: backpressure), max_segment_bytes per
// file, tail_cache_bytes of recent entries served from memory (an entry larger than a quarter of
// it is not cached: a bulk commit is written from its own buffer, dropped once durable and read
// back alone, without a copy beyond the read buffer).
//
// Threading: all methods are thread-safe. Sync() calls are serialized and do their file I/O
// without blocking Append() or Read() of cached entries, so appends that arrive during an
// fdatasync form the next group commit. Disk I/O blocks: call from a blocking pool, never from
// an event-loop thread.
#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "common/status.h"
#include "runtime/disk.h"

namespace borealis::journal {

using Timestamp = uint64_t;

// kFence: a new adjudicator took over (its position is the adjudicator's epoch).
enum class EntryKind : uint8_t { kCommit = 1, kHeartbeat = 2, kFence = 3 };

struct Entry {
  uint64_t position = 0;
  Timestamp timestamp = 0;
  EntryKind kind = EntryKind::kCommit;
  std::string payload;
};

struct JournalOptions {
  std::string directory;
  uint64_t max_segment_bytes = uint64_t{64} << 20;
  uint64_t max_entry_bytes = uint64_t{1} << 30;
  size_t max_pending_entries = 1 << 16;
  uint64_t max_pending_bytes = uint64_t{2} << 30;
  uint64_t tail_cache_bytes = uint64_t{64} << 20;
};

class Journal {
 public:
  // Opens (creating the directory if needed) and recovers.
  static Result<std::unique_ptr<Journal>> Open(runtime::Disk* disk, JournalOptions options);
  ~Journal();

  // Buffers an entry at position last_position() + 1. REQUIRES: timestamp > last_timestamp().
  // Not durable until a later Sync() returns ok.
  Result<uint64_t> Append(Timestamp timestamp, EntryKind kind, std::string payload);

  // Writes every buffered entry and fdatasyncs. Returns the durable position reached.
  Result<uint64_t> Sync();

  // Up to max_entries durable entries starting at `from` (inclusive), stopping before
  // max_bytes of payload is exceeded (at least one entry when any is available; a read that
  // crosses segments may exceed max_bytes by one entry).
  // `from` below first_position() fails with kNotFound (trimmed).
  Result<std::vector<Entry>> Read(uint64_t from, size_t max_entries, uint64_t max_bytes);

  // Removes whole segments whose entries are all below `position` (never the active one).
  Status TrimBefore(uint64_t position);

  // Removes durable and pending entries after `position` (a Raft follower's log repair).
  // REQUIRES: position >= first_position() - 1.
  Status TruncateAfter(uint64_t position);

  uint64_t first_position() const;
  uint64_t last_position() const;  // including pending entries
  Timestamp last_timestamp() const;
  uint64_t durable_position() const;
  Timestamp watermark() const;           // timestamp of the last durable entry (0 if none)
  uint64_t last_fence_position() const;  // the last durable kFence entry (0 if none)

 private:
  struct Segment {
    uint64_t first_position = 0;
    std::string path;
    std::vector<uint64_t> offsets;  // offsets[i]: entry first_position + i
    uint64_t size = 0;
  };

  Journal(runtime::Disk* disk, JournalOptions options);
  Status Recover();
  Status RecoverSegment(Segment& segment, bool is_last);
  Status OpenActive();
  uint64_t FirstPositionLocked() const;          // REQUIRES: mutex_ held
  Status StartSegment(uint64_t first_position);  // REQUIRES: sync_mutex_ held
  Result<std::vector<Entry>> ReadFromDisk(uint64_t from, size_t max_entries, uint64_t max_bytes);
  void CacheDurable(std::vector<Entry> entries);  // REQUIRES: mutex_ held

  runtime::Disk* disk_;
  const JournalOptions options_;

  std::mutex sync_mutex_;  // serializes Sync/Trim/Truncate file work; taken before mutex_
  std::unique_ptr<runtime::File> active_;  // the last segment, open for appends

  mutable std::mutex mutex_;
  std::vector<Segment> segments_;  // ascending; the last one is active
  std::vector<Entry> pending_;
  uint64_t pending_bytes_ = 0;
  uint64_t last_position_ = 0;
  Timestamp last_timestamp_ = 0;
  uint64_t durable_position_ = 0;
  Timestamp durable_timestamp_ = 0;
  uint64_t last_fence_position_ = 0;
  std::deque<Entry> tail_cache_;  // recent durable entries, contiguous, ending at durable
  uint64_t tail_cache_bytes_ = 0;
};

}  // namespace borealis::journal
