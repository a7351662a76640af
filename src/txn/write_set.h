// WriteSet: a transaction's buffered writes, and their compact encoding for the commit request
// and the journal entry (ARCHITECTURE §2: a commit is ONE journal entry).
//
// Each key appears once; the last write to a key wins. Kinds:
// - kPut / kDelete: a new version (or tombstone) at t_commit;
// - kLock: a lock-only key (SELECT ... FOR UPDATE / FOR KEY SHARE): checked and recorded by the
//   adjudicator like a write, skipped by storage. A later Put/Delete of the same key replaces
//   the lock (it is a write anyway); a Lock never downgrades a Put/Delete.
//
// Encoding: varint count, then per entry: u8 kind, varint key length, key, and for kPut a
// varint value length and the value. Decode() validates everything and never reads past the
// input (it is fed bytes from the network and from disk).
//
// Memory: about the size of the data plus a map node per key. Not thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace borealis::txn {

enum class WriteKind : uint8_t { kPut = 1, kDelete = 2, kLock = 3 };

struct Write {
  WriteKind kind = WriteKind::kPut;
  std::string value;  // kPut only
};

class WriteSet {
 public:
  void Put(std::string key, std::string value);
  void Delete(std::string key);
  void Lock(std::string key);

  // The buffered write of `key`, if any (a kLock is reported too).
  const Write* Find(std::string_view key) const;
  const std::map<std::string, Write, std::less<>>& entries() const { return entries_; }

  size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }
  // Count of kPut/kDelete entries (rows modified) and bytes of keys + values.
  size_t modified_count() const { return modified_count_; }
  uint64_t bytes() const { return bytes_; }

  std::string Encode() const;
  static Result<WriteSet> Decode(std::string_view encoded);

 private:
  void Set(std::string key, Write write);

  std::map<std::string, Write, std::less<>> entries_;
  size_t modified_count_ = 0;
  uint64_t bytes_ = 0;
};

// A read-only view over an encoded write set, for the adjudicator and storage: iterates the
// entries without building a map. Validated on construction.
struct EncodedWrite {
  WriteKind kind;
  std::string_view key;
  std::string_view value;
};

Result<std::vector<EncodedWrite>> ParseEncodedWriteSet(std::string_view encoded);

// Encodes already-parsed writes (in key order, each key once) without building a WriteSet:
// for filtering a write set (the crossbar) at the cost of one output buffer.
std::string EncodeWrites(const std::vector<EncodedWrite>& writes);

// The payload of a commit's journal entry: the transaction id (so that a retried or duplicated
// commit request gets the original answer, even from a recovered adjudicator) and the encoded
// write set. Layout: varint id length, id, write set.
std::string EncodeCommitRecord(std::string_view txn_id, std::string_view write_set);
struct CommitRecord {
  std::string_view txn_id;
  std::string_view write_set;
};
Result<CommitRecord> ParseCommitRecord(std::string_view payload);

}  // namespace borealis::txn
