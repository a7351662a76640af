// WriteSet: a transaction's buffered writes, and their compact encoding for the commit request
// and the journal entry (ARCHITECTURE §2: a commit is ONE journal entry).
//
// Each key appears once; the last write to a key wins. Kinds:
// - kPut / kDelete: a new version (or tombstone) at t_commit;
// - kLock: a lock-only key (SELECT ... FOR UPDATE / FOR KEY SHARE): checked and recorded by the
//   adjudicator like a write, skipped by storage. A later Put/Delete of the same key replaces
//   the lock (it is a write anyway); a Lock never downgrades a Put/Delete.
//
// Encoding: varint count, then per entry in ascending key order: u8 kind, varint key length,
// key, and for kPut a varint value length and the value. Decoding validates everything and
// never reads past the input (it is fed bytes from the network and from disk).
//
// Memory (a bulk load is a million rows and more): entries are appended to an arena of large
// blocks (u8 kind, varint key length, key, varint value length, value: no allocation per key);
// an open-addressing hash table of 8-byte entry references finds a key (last write wins); key
// order is kept lazily as sorted runs of references (a new key goes to an unsorted tail; an
// ordered read sorts the tail into a run and merges runs of similar size, so a transaction that
// alternates writes and range reads costs O(log n) per write, never a re-sort of everything).
// About the data's own size + 3 bytes of header + 19-29 bytes per key (index and order). A rewrite
// whose value has the same length is done in place; other rewrites append and leave the old bytes
// dead (the arena is compacted when they exceed half of it). Views returned by Find/ForEachInRange
// point into the arena: valid until the next write. Not thread-safe.
//
// Marks (SQL savepoints): SetMark() remembers the current state; RollbackToMark(m) brings the
// set back to it exactly (keys written since are gone, rewritten keys have their earlier kind
// and value, every counter is as it was) and keeps mark m; ReleaseMark(m) forgets m and every
// later mark and keeps the writes. A mark is the arena position at SetMark (entries are only
// appended, so everything past it is newer) plus an undo log: the first rewrite of a key that
// was written before the innermost mark appends instead of rewriting in place and records
// (new entry, previous entry); a key new since the mark records (new entry, none). Rolling back
// replays that log backwards into the index and truncates the arena to the mark. While a mark
// is set the arena is never compacted (refs must stay put), so a transaction holding a
// savepoint over many rewrites of old keys keeps their old bytes until the mark goes.
// Cost: 16 bytes of undo per key first written under a mark; nothing when no mark is set.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace borealis::txn {

enum class WriteKind : uint8_t { kPut = 1, kDelete = 2, kLock = 3 };

// One buffered or encoded write: views into a WriteSet's arena or into an encoded write set.
struct EncodedWrite {
  WriteKind kind;
  std::string_view key;
  std::string_view value;  // kPut only
};

class WriteSet {
 public:
  WriteSet();
  WriteSet(WriteSet&&) noexcept;
  WriteSet& operator=(WriteSet&&) noexcept;
  ~WriteSet();

  void Put(std::string_view key, std::string_view value);
  void Delete(std::string_view key);
  void Lock(std::string_view key);

  // The buffered write of `key`, if any (a kLock is reported too).
  std::optional<EncodedWrite> Find(std::string_view key) const;
  // Calls `visit` for each write with begin <= key < end (end empty: unbounded) in ascending
  // key order (descending when `reverse`) until it returns false.
  void ForEachInRange(std::string_view begin, std::string_view end, bool reverse,
                      const std::function<bool(const EncodedWrite&)>& visit) const;

  // Savepoints (see the top of this file); returns the new mark's index (marks nest).
  // REQUIRES: mark < mark_count().
  size_t SetMark();
  void RollbackToMark(size_t mark);
  void ReleaseMark(size_t mark);
  size_t mark_count() const { return marks_.size(); }

  size_t size() const { return count_; }
  bool empty() const { return count_ == 0; }
  // Count of kPut/kDelete entries (rows modified) and bytes of keys + values.
  size_t modified_count() const { return modified_count_; }
  uint64_t bytes() const { return bytes_; }
  // Heap bytes held (arena blocks, hash table, order), for limits and tests.
  uint64_t memory_bytes() const;

  // The encoding (see above), appended to `out`; `out` is reserved to fit first.
  void EncodeTo(std::string& out) const;
  std::string Encode() const;
  static Result<WriteSet> Decode(std::string_view encoded);
  // The exact size of Encode().
  uint64_t EncodedSize() const;

 private:
  using Ref = uint64_t;  // block index << 32 | offset in the block
  struct Block {
    std::unique_ptr<char[]> data;
    uint32_t size = 0;
    uint32_t used = 0;
  };

  void Set(std::string_view key, WriteKind kind, std::string_view value);
  Ref Append(std::string_view key, WriteKind kind, std::string_view value);
  EncodedWrite At(Ref ref) const;
  std::string_view KeyAt(Ref ref) const;
  // The index slot holding `key`, or the empty slot where it would go.
  size_t SlotOf(std::string_view key, size_t hash) const;
  Ref RefIn(size_t slot) const;
  void Store(size_t slot, size_t hash, Ref ref);
  void Grow();
  void Compact();
  // Makes runs_ cover every key (sorts the tail; merges runs of similar size).
  void SortPending() const;
  bool KeyLess(Ref a, Ref b) const { return KeyAt(a) < KeyAt(b); }

  // The state SetMark saved; `position` is the arena position (as a Ref) at the mark: every ref
  // >= position was appended after it.
  struct Mark {
    size_t block_count = 0;
    uint32_t block_used = 0;
    Ref position = 0;
    size_t undo_start = 0;
    size_t count = 0;
    size_t modified_count = 0;
    uint64_t bytes = 0;
    uint64_t arena_bytes = 0;
    uint64_t dead_bytes = 0;
  };
  struct Undo {
    Ref written;
    Ref previous;  // kNoRef: the key was not in the set
  };
  static constexpr Ref kNoRef = ~Ref{0};
  // Whether a write of the key now at `ref` must keep `ref` for a rollback.
  bool NeedsUndo(Ref ref) const { return !marks_.empty() && ref < marks_.back().position; }
  // Removes the index entry in `slot` (backward-shift deletion keeps every probe chain whole).
  void EraseSlot(size_t slot);

  std::vector<Block> blocks_;
  std::vector<Mark> marks_;
  std::vector<Undo> undo_;
  // Open addressing, linear probing; 0 = empty, else hash tag | (ref + 1) (see SlotOf).
  std::vector<uint64_t> slots_;
  size_t count_ = 0;
  size_t modified_count_ = 0;
  uint64_t bytes_ = 0;
  uint64_t arena_bytes_ = 0;  // bytes of entries in the arena
  uint64_t dead_bytes_ = 0;   // of which replaced entries
  // Key order: sorted runs of refs (a ref may be stale after a rewrite: the key is resolved
  // through the index) and the refs of keys added since the last ordered read.
  mutable std::vector<std::vector<Ref>> runs_;
  mutable std::vector<Ref> tail_;
};

// Iterates an encoded write set without materialising it: validates as it goes.
// Usage: EncodedWriteSetReader reader(encoded); while (auto w = reader.Next()) {...};
// then reader.status() tells whether the whole input was well formed.
class EncodedWriteSetReader {
 public:
  explicit EncodedWriteSetReader(std::string_view encoded);
  // The next write, or nullopt at the end or on malformed input.
  std::optional<EncodedWrite> Next();
  // Ok once every announced entry was read and nothing follows; Corruption when malformed.
  Status status() const;
  uint64_t count() const { return count_; }

 private:
  std::string_view rest_;
  uint64_t count_ = 0;
  uint64_t read_ = 0;
  bool malformed_ = false;
};

// Validates a whole encoded write set; returns its entry count.
Result<uint64_t> ValidateEncodedWriteSet(std::string_view encoded);
// Every entry as a vector of views (40 bytes per entry: for tests and small sets; the commit
// path iterates with EncodedWriteSetReader instead).
Result<std::vector<EncodedWrite>> ParseEncodedWriteSet(std::string_view encoded);

// Encodes already-parsed writes (in key order, each key once) without building a WriteSet:
// for filtering a write set (the crossbar) at the cost of one output buffer.
std::string EncodeWrites(const std::vector<EncodedWrite>& writes);

// The payload of a commit's journal entry: the transaction id (so that a retried or duplicated
// commit request gets the original answer, even from a recovered adjudicator) and the encoded
// write set. Layout: varint id length, id, write set. The client encodes it straight into the
// commit request, and the adjudicator moves that buffer into the journal entry unchanged.
std::string EncodeCommitRecord(std::string_view txn_id, std::string_view write_set);
std::string EncodeCommitRecord(std::string_view txn_id, const WriteSet& writes);
struct CommitRecord {
  std::string_view txn_id;
  std::string_view write_set;
};
Result<CommitRecord> ParseCommitRecord(std::string_view payload);

}  // namespace borealis::txn
