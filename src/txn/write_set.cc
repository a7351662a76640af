#include "txn/write_set.h"

#include <algorithm>
#include <cstring>

#include "common/check.h"

namespace borealis::txn {
namespace {

// Arena blocks grow from kFirstBlockBytes (a small transaction allocates little) by doubling
// to kBlockBytes: large enough that a million small rows take a few dozen allocations, small
// enough that the unused tail of the last block is noise. Larger entries get their own block.
constexpr uint32_t kFirstBlockBytes = 4 << 10;
constexpr uint32_t kBlockBytes = 1 << 20;
constexpr size_t kInitialSlots = 16;
// Tail keys sorted into a run at each ordered read; runs are merged while the newer one is at
// least half the size of the older (so at most ~log2(n) runs exist).
constexpr size_t kMergeRatio = 2;

size_t VarintBytes(uint64_t value) {
  size_t bytes = 1;
  while (value >= 0x80) {
    value >>= 7;
    ++bytes;
  }
  return bytes;
}

char* PutVarint(char* out, uint64_t value) {
  while (value >= 0x80) {
    *out++ = static_cast<char>(value | 0x80);
    value >>= 7;
  }
  *out++ = static_cast<char>(value);
  return out;
}

void PutVarint(std::string& out, uint64_t value) {
  char buffer[10];
  out.append(buffer, PutVarint(buffer, value) - buffer);
}

bool GetVarint(std::string_view& in, uint64_t* value) {
  uint64_t result = 0;
  for (int shift = 0; shift <= 63 && !in.empty(); shift += 7) {
    uint8_t byte = static_cast<uint8_t>(in.front());
    in.remove_prefix(1);
    result |= uint64_t{byte & 0x7fu} << shift;
    if ((byte & 0x80) == 0) {
      *value = result;
      return true;
    }
  }
  return false;
}

bool GetBytes(std::string_view& in, std::string_view* out) {
  uint64_t length = 0;
  if (!GetVarint(in, &length) || length > in.size()) return false;
  *out = in.substr(0, length);
  in.remove_prefix(length);
  return true;
}

// Bytes of one entry in the arena: kind, key length, key, value length, value.
size_t ArenaEntryBytes(std::string_view key, std::string_view value) {
  return 1 + VarintBytes(key.size()) + key.size() + VarintBytes(value.size()) + value.size();
}

// Bytes of one entry in the encoding: the value (and its length) only for kPut.
size_t EncodedEntryBytes(WriteKind kind, std::string_view key, std::string_view value) {
  size_t bytes = 1 + VarintBytes(key.size()) + key.size();
  if (kind == WriteKind::kPut) bytes += VarintBytes(value.size()) + value.size();
  return bytes;
}

void AppendEncoded(std::string& out, const EncodedWrite& write) {
  out.push_back(static_cast<char>(write.kind));
  PutVarint(out, write.key.size());
  out.append(write.key);
  if (write.kind == WriteKind::kPut) {
    PutVarint(out, write.value.size());
    out.append(write.value);
  }
}

size_t HashKey(std::string_view key) { return std::hash<std::string_view>{}(key); }

}  // namespace

WriteSet::WriteSet() = default;
WriteSet::WriteSet(WriteSet&&) noexcept = default;
WriteSet& WriteSet::operator=(WriteSet&&) noexcept = default;
WriteSet::~WriteSet() = default;

WriteSet::Ref WriteSet::Append(std::string_view key, WriteKind kind, std::string_view value) {
  size_t entry_bytes = ArenaEntryBytes(key, value);
  BOREALIS_CHECK(entry_bytes < (uint64_t{1} << 32), "write set entry too large:", entry_bytes);
  if (blocks_.empty() || blocks_.back().size - blocks_.back().used < entry_bytes) {
    BOREALIS_CHECK(blocks_.size() < (uint64_t{1} << 32));
    uint32_t next = blocks_.empty() ? kFirstBlockBytes
                                    : static_cast<uint32_t>(std::min<uint64_t>(
                                          kBlockBytes, uint64_t{blocks_.back().size} * 2));
    uint32_t size = std::max<uint32_t>(next, static_cast<uint32_t>(entry_bytes));
    blocks_.push_back(Block{std::make_unique_for_overwrite<char[]>(size), size, 0});
  }
  Block& block = blocks_.back();
  Ref ref = (Ref{blocks_.size() - 1} << 32) | block.used;
  char* out = block.data.get() + block.used;
  *out++ = static_cast<char>(kind);
  out = PutVarint(out, key.size());
  std::memcpy(out, key.data(), key.size());
  out = PutVarint(out + key.size(), value.size());
  std::memcpy(out, value.data(), value.size());
  block.used += static_cast<uint32_t>(entry_bytes);
  arena_bytes_ += entry_bytes;
  return ref;
}

EncodedWrite WriteSet::At(Ref ref) const {
  const Block& block = blocks_[ref >> 32];
  uint32_t offset = static_cast<uint32_t>(ref);
  std::string_view in(block.data.get() + offset, block.used - offset);
  EncodedWrite write{static_cast<WriteKind>(static_cast<uint8_t>(in.front())), {}, {}};
  in.remove_prefix(1);
  bool ok = GetBytes(in, &write.key) && GetBytes(in, &write.value);
  BOREALIS_CHECK(ok, "write set arena damaged at", ref);
  return write;
}

std::string_view WriteSet::KeyAt(Ref ref) const {
  const Block& block = blocks_[ref >> 32];
  uint32_t offset = static_cast<uint32_t>(ref);
  std::string_view in(block.data.get() + offset + 1, block.used - offset - 1);
  std::string_view key;
  BOREALIS_CHECK(GetBytes(in, &key), "write set arena damaged at", ref);
  return key;
}

// A slot holds (ref + 1) in its low 48 bits and the key hash's top 16 bits above them, so that
// probing rarely reads the arena for a key that is not the one sought.
namespace {
constexpr int kTagShift = 48;
constexpr uint64_t kRefMask = (uint64_t{1} << kTagShift) - 1;
uint64_t TagOf(size_t hash) { return static_cast<uint64_t>(hash) >> kTagShift << kTagShift; }
}  // namespace

size_t WriteSet::SlotOf(std::string_view key, size_t hash) const {
  size_t mask = slots_.size() - 1;
  uint64_t tag = TagOf(hash);
  for (size_t slot = hash & mask;; slot = (slot + 1) & mask) {
    uint64_t stored = slots_[slot];
    if (stored == 0) return slot;
    if ((stored & ~kRefMask) == tag && KeyAt((stored & kRefMask) - 1) == key) return slot;
  }
}

WriteSet::Ref WriteSet::RefIn(size_t slot) const { return (slots_[slot] & kRefMask) - 1; }

void WriteSet::Store(size_t slot, size_t hash, Ref ref) {
  BOREALIS_CHECK(ref + 1 <= kRefMask, "write set arena too large:", ref);
  slots_[slot] = TagOf(hash) | (ref + 1);
}

void WriteSet::Grow() {
  std::vector<Ref> old = std::move(slots_);
  slots_.assign(std::max(kInitialSlots, old.size() * 2), 0);
  for (Ref stored : old) {
    if (stored == 0) continue;
    Ref ref = (stored & kRefMask) - 1;
    size_t hash = HashKey(KeyAt(ref));
    Store(SlotOf(KeyAt(ref), hash), hash, ref);
  }
}

void WriteSet::Set(std::string_view key, WriteKind kind, std::string_view value) {
  if ((count_ + 1) * 4 > slots_.size() * 3) Grow();  // load factor at most 3/4
  size_t hash = HashKey(key);
  size_t slot = SlotOf(key, hash);
  if (slots_[slot] == 0) {
    Ref ref = Append(key, kind, value);
    Store(slot, hash, ref);
    ++count_;
    bytes_ += key.size() + value.size();
    if (kind != WriteKind::kLock) ++modified_count_;
    tail_.push_back(ref);
    if (!marks_.empty()) undo_.push_back(Undo{ref, kNoRef});
    return;
  }
  Ref ref = RefIn(slot);
  EncodedWrite old = At(ref);
  if (kind == WriteKind::kLock) return;  // already written or locked
  if (old.kind == WriteKind::kLock) ++modified_count_;
  bytes_ = bytes_ - old.value.size() + value.size();
  // An entry older than the innermost mark is kept as it is for a rollback.
  bool keep_old = NeedsUndo(ref);
  if (!keep_old && old.value.size() == value.size()) {
    // In place: same length, so the layout is unchanged.
    Block& block = blocks_[ref >> 32];
    char* entry = block.data.get() + static_cast<uint32_t>(ref);
    entry[0] = static_cast<char>(kind);
    std::memmove(const_cast<char*>(old.value.data()), value.data(), value.size());
    return;
  }
  dead_bytes_ += ArenaEntryBytes(old.key, old.value);
  Ref written = Append(key, kind, value);  // `old` may dangle from here on
  Store(slot, hash, written);
  if (keep_old) undo_.push_back(Undo{written, ref});
  // Compaction moves entries: never while a mark needs them where they are.
  if (marks_.empty() && dead_bytes_ > kBlockBytes && dead_bytes_ * 2 > arena_bytes_) Compact();
}

size_t WriteSet::SetMark() {
  Mark mark;
  mark.block_count = blocks_.size();
  mark.block_used = blocks_.empty() ? 0 : blocks_.back().used;
  mark.position = blocks_.empty() ? 0 : (Ref{blocks_.size() - 1} << 32) | blocks_.back().used;
  mark.undo_start = undo_.size();
  mark.count = count_;
  mark.modified_count = modified_count_;
  mark.bytes = bytes_;
  mark.arena_bytes = arena_bytes_;
  mark.dead_bytes = dead_bytes_;
  marks_.push_back(mark);
  return marks_.size() - 1;
}

void WriteSet::RollbackToMark(size_t mark_index) {
  BOREALIS_CHECK(mark_index < marks_.size(), mark_index, marks_.size());
  const Mark mark = marks_[mark_index];
  BOREALIS_CHECK(mark.undo_start <= undo_.size(), mark.undo_start, undo_.size());
  // Newest first, so a key rewritten under several marks ends at its state before this one.
  for (size_t i = undo_.size(); i-- > mark.undo_start;) {
    const Undo& undo = undo_[i];
    BOREALIS_CHECK(undo.written >= mark.position, undo.written, mark.position);
    std::string_view key = KeyAt(undo.written);
    size_t hash = HashKey(key);
    size_t slot = SlotOf(key, hash);
    BOREALIS_CHECK(slots_[slot] != 0, "a key of the undo log is not in the index");
    if (undo.previous == kNoRef) {
      EraseSlot(slot);
    } else {
      BOREALIS_CHECK(undo.previous < undo.written, undo.previous, undo.written);
      Store(slot, hash, undo.previous);
    }
  }
  undo_.resize(mark.undo_start);
  // Nothing references the arena past the mark any more: drop it, and its refs from the order.
  blocks_.resize(mark.block_count);
  if (!blocks_.empty()) blocks_.back().used = mark.block_used;
  auto newer = [&mark](Ref ref) { return ref >= mark.position; };
  if (mark.block_count == 0) {
    runs_.clear();
    tail_.clear();
  } else {
    for (std::vector<Ref>& run : runs_) std::erase_if(run, newer);
    std::erase_if(runs_, [](const std::vector<Ref>& run) { return run.empty(); });
    std::erase_if(tail_, newer);
  }
  count_ = mark.count;
  modified_count_ = mark.modified_count;
  bytes_ = mark.bytes;
  arena_bytes_ = mark.arena_bytes;
  dead_bytes_ = mark.dead_bytes;
  marks_.resize(mark_index + 1);
}

void WriteSet::ReleaseMark(size_t mark_index) {
  BOREALIS_CHECK(mark_index < marks_.size(), mark_index, marks_.size());
  // The released marks' undo entries now serve the enclosing mark, if any.
  marks_.resize(mark_index);
  if (marks_.empty()) undo_.clear();
}

void WriteSet::EraseSlot(size_t slot) {
  size_t mask = slots_.size() - 1;
  size_t hole = slot;
  for (size_t next = (hole + 1) & mask; slots_[next] != 0; next = (next + 1) & mask) {
    size_t home = HashKey(KeyAt(RefIn(next))) & mask;
    // The entry at `next` stays unless its home lies cyclically in (hole, next].
    bool reachable = hole <= next ? (hole < home && home <= next) : (hole < home || home <= next);
    if (!reachable) {
      slots_[hole] = slots_[next];
      hole = next;
    }
  }
  slots_[hole] = 0;
}

void WriteSet::Compact() {
  WriteSet fresh;
  fresh.slots_.assign(slots_.size(), 0);
  for (size_t slot = 0; slot < slots_.size(); ++slot) {
    if (slots_[slot] == 0) continue;
    EncodedWrite write = At(RefIn(slot));
    Ref ref = fresh.Append(write.key, write.kind, write.value);
    size_t hash = HashKey(write.key);
    fresh.Store(fresh.SlotOf(write.key, hash), hash, ref);
    fresh.tail_.push_back(ref);
  }
  fresh.count_ = count_;
  fresh.modified_count_ = modified_count_;
  fresh.bytes_ = bytes_;
  *this = std::move(fresh);
}

void WriteSet::Put(std::string_view key, std::string_view value) {
  Set(key, WriteKind::kPut, value);
}
void WriteSet::Delete(std::string_view key) { Set(key, WriteKind::kDelete, {}); }
void WriteSet::Lock(std::string_view key) { Set(key, WriteKind::kLock, {}); }

std::optional<EncodedWrite> WriteSet::Find(std::string_view key) const {
  if (slots_.empty()) return std::nullopt;
  size_t slot = SlotOf(key, HashKey(key));
  if (slots_[slot] == 0) return std::nullopt;
  return At(RefIn(slot));
}

void WriteSet::SortPending() const {
  if (tail_.empty()) return;
  auto less = [this](Ref a, Ref b) { return KeyLess(a, b); };
  // Bulk loads often write in key order: then there is nothing to sort.
  if (!std::is_sorted(tail_.begin(), tail_.end(), less))
    std::sort(tail_.begin(), tail_.end(), less);
  runs_.push_back(std::move(tail_));
  tail_ = {};
  while (runs_.size() >= 2 && runs_[runs_.size() - 2].size() <= kMergeRatio * runs_.back().size()) {
    std::vector<Ref>& older = runs_[runs_.size() - 2];
    std::vector<Ref>& newer = runs_.back();
    std::vector<Ref> merged(older.size() + newer.size());
    std::merge(older.begin(), older.end(), newer.begin(), newer.end(), merged.begin(), less);
    runs_.pop_back();
    runs_.back() = std::move(merged);
  }
}

void WriteSet::ForEachInRange(std::string_view begin, std::string_view end, bool reverse,
                              const std::function<bool(const EncodedWrite&)>& visit) const {
  SortPending();
  // A k-way merge over the runs (each key is in exactly one run); [low, high) per run.
  struct Cursor {
    const std::vector<Ref>* run;
    size_t low;
    size_t high;
  };
  std::vector<Cursor> cursors;
  cursors.reserve(runs_.size());
  auto key_before = [this](Ref ref, std::string_view key) { return KeyAt(ref) < key; };
  for (const std::vector<Ref>& run : runs_) {
    size_t low = std::lower_bound(run.begin(), run.end(), begin, key_before) - run.begin();
    size_t high = end.empty()
                      ? run.size()
                      : std::lower_bound(run.begin(), run.end(), end, key_before) - run.begin();
    if (low < high) cursors.push_back(Cursor{&run, low, high});
  }
  while (!cursors.empty()) {
    size_t best = 0;
    for (size_t i = 1; i < cursors.size(); ++i) {
      std::string_view candidate = KeyAt(reverse ? (*cursors[i].run)[cursors[i].high - 1]
                                                 : (*cursors[i].run)[cursors[i].low]);
      std::string_view current = KeyAt(reverse ? (*cursors[best].run)[cursors[best].high - 1]
                                               : (*cursors[best].run)[cursors[best].low]);
      if (reverse ? candidate > current : candidate < current) best = i;
    }
    Cursor& cursor = cursors[best];
    Ref ref = reverse ? (*cursor.run)[--cursor.high] : (*cursor.run)[cursor.low++];
    if (cursor.low == cursor.high) cursors.erase(cursors.begin() + static_cast<ptrdiff_t>(best));
    // The run may hold a replaced entry's ref: the index has the key's current one.
    std::string_view key = KeyAt(ref);
    Ref current = RefIn(SlotOf(key, HashKey(key)));
    if (!visit(At(current))) return;
  }
}

uint64_t WriteSet::EncodedSize() const {
  uint64_t bytes = VarintBytes(count_);
  for (size_t slot = 0; slot < slots_.size(); ++slot) {
    if (slots_[slot] == 0) continue;
    EncodedWrite write = At(RefIn(slot));
    bytes += EncodedEntryBytes(write.kind, write.key, write.value);
  }
  return bytes;
}

uint64_t WriteSet::memory_bytes() const {
  uint64_t bytes = slots_.capacity() * sizeof(Ref) + tail_.capacity() * sizeof(Ref) +
                   blocks_.capacity() * sizeof(Block) + undo_.capacity() * sizeof(Undo) +
                   marks_.capacity() * sizeof(Mark);
  for (const Block& block : blocks_) bytes += block.size;
  for (const std::vector<Ref>& run : runs_) bytes += run.capacity() * sizeof(Ref);
  return bytes;
}

void WriteSet::EncodeTo(std::string& out) const {
  out.reserve(out.size() + EncodedSize());
  PutVarint(out, count_);
  ForEachInRange({}, {}, false, [&out](const EncodedWrite& write) {
    AppendEncoded(out, write);
    return true;
  });
}

std::string WriteSet::Encode() const {
  std::string out;
  EncodeTo(out);
  return out;
}

Result<WriteSet> WriteSet::Decode(std::string_view encoded) {
  WriteSet set;
  EncodedWriteSetReader reader(encoded);
  while (std::optional<EncodedWrite> write = reader.Next()) {
    set.Set(write->key, write->kind, write->value);
  }
  RETURN_IF_ERROR(reader.status());
  return set;
}

// --- encoded write sets

EncodedWriteSetReader::EncodedWriteSetReader(std::string_view encoded) : rest_(encoded) {
  // Each entry takes at least 2 bytes: a larger count is malformed.
  malformed_ = !GetVarint(rest_, &count_) || count_ > rest_.size();
}

std::optional<EncodedWrite> EncodedWriteSetReader::Next() {
  if (malformed_ || read_ == count_) return std::nullopt;
  if (rest_.empty()) {
    malformed_ = true;
    return std::nullopt;
  }
  auto kind = static_cast<WriteKind>(static_cast<uint8_t>(rest_.front()));
  rest_.remove_prefix(1);
  EncodedWrite write{kind, {}, {}};
  if ((kind != WriteKind::kPut && kind != WriteKind::kDelete && kind != WriteKind::kLock) ||
      !GetBytes(rest_, &write.key) || (kind == WriteKind::kPut && !GetBytes(rest_, &write.value))) {
    malformed_ = true;
    return std::nullopt;
  }
  ++read_;
  return write;
}

Status EncodedWriteSetReader::status() const {
  if (malformed_ || read_ != count_ || !rest_.empty()) {
    return Status::Corruption("malformed write set");
  }
  return Status::Ok();
}

Result<uint64_t> ValidateEncodedWriteSet(std::string_view encoded) {
  EncodedWriteSetReader reader(encoded);
  while (reader.Next().has_value()) {
  }
  RETURN_IF_ERROR(reader.status());
  return reader.count();
}

Result<std::vector<EncodedWrite>> ParseEncodedWriteSet(std::string_view encoded) {
  EncodedWriteSetReader reader(encoded);
  std::vector<EncodedWrite> out;
  out.reserve(reader.count() <= encoded.size() ? reader.count() : 0);
  while (std::optional<EncodedWrite> write = reader.Next()) out.push_back(*write);
  RETURN_IF_ERROR(reader.status());
  return out;
}

std::string EncodeWrites(const std::vector<EncodedWrite>& writes) {
  size_t bytes = VarintBytes(writes.size());
  for (const EncodedWrite& w : writes) bytes += EncodedEntryBytes(w.kind, w.key, w.value);
  std::string out;
  out.reserve(bytes);
  PutVarint(out, writes.size());
  for (const EncodedWrite& w : writes) AppendEncoded(out, w);
  return out;
}

std::string EncodeCommitRecord(std::string_view txn_id, std::string_view write_set) {
  std::string out;
  out.reserve(VarintBytes(txn_id.size()) + txn_id.size() + write_set.size());
  PutVarint(out, txn_id.size());
  out.append(txn_id);
  out.append(write_set);
  return out;
}

std::string EncodeCommitRecord(std::string_view txn_id, const WriteSet& writes) {
  std::string out;
  out.reserve(VarintBytes(txn_id.size()) + txn_id.size() + writes.EncodedSize());
  PutVarint(out, txn_id.size());
  out.append(txn_id);
  writes.EncodeTo(out);
  return out;
}

Result<CommitRecord> ParseCommitRecord(std::string_view payload) {
  CommitRecord record;
  if (!GetBytes(payload, &record.txn_id)) return Status::Corruption("malformed commit record");
  record.write_set = payload;
  return record;
}

}  // namespace borealis::txn
