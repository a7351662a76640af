#include "txn/write_set.h"

namespace borealis::txn {
namespace {

void PutVarint(std::string& out, uint64_t value) {
  while (value >= 0x80) {
    out.push_back(static_cast<char>(value | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<char>(value));
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

}  // namespace

void WriteSet::Set(std::string key, Write write) {
  auto it = entries_.find(key);
  if (it != entries_.end()) {
    if (write.kind == WriteKind::kLock) return;  // already written or locked
    if (it->second.kind != WriteKind::kLock) --modified_count_;
    bytes_ -= it->second.value.size();
    bytes_ += write.value.size();
    it->second = std::move(write);
    ++modified_count_;
    return;
  }
  bytes_ += key.size() + write.value.size();
  if (write.kind != WriteKind::kLock) ++modified_count_;
  entries_.emplace(std::move(key), std::move(write));
}

void WriteSet::Put(std::string key, std::string value) {
  Set(std::move(key), Write{WriteKind::kPut, std::move(value)});
}
void WriteSet::Delete(std::string key) { Set(std::move(key), Write{WriteKind::kDelete, {}}); }
void WriteSet::Lock(std::string key) { Set(std::move(key), Write{WriteKind::kLock, {}}); }

const Write* WriteSet::Find(std::string_view key) const {
  auto it = entries_.find(key);
  return it == entries_.end() ? nullptr : &it->second;
}

std::string WriteSet::Encode() const {
  std::string out;
  out.reserve(bytes_ + 12 * entries_.size() + 10);
  PutVarint(out, entries_.size());
  for (const auto& [key, write] : entries_) {
    out.push_back(static_cast<char>(write.kind));
    PutVarint(out, key.size());
    out.append(key);
    if (write.kind == WriteKind::kPut) {
      PutVarint(out, write.value.size());
      out.append(write.value);
    }
  }
  return out;
}

Result<std::vector<EncodedWrite>> ParseEncodedWriteSet(std::string_view in) {
  auto malformed = [] { return Status::Corruption("malformed write set"); };
  uint64_t count = 0;
  if (!GetVarint(in, &count) || count > in.size()) return malformed();  // >= 2 bytes per entry
  std::vector<EncodedWrite> out;
  out.reserve(count);
  for (uint64_t i = 0; i < count; ++i) {
    if (in.empty()) return malformed();
    auto kind = static_cast<WriteKind>(static_cast<uint8_t>(in.front()));
    in.remove_prefix(1);
    if (kind != WriteKind::kPut && kind != WriteKind::kDelete && kind != WriteKind::kLock) {
      return malformed();
    }
    EncodedWrite write{kind, {}, {}};
    if (!GetBytes(in, &write.key)) return malformed();
    if (kind == WriteKind::kPut && !GetBytes(in, &write.value)) return malformed();
    out.push_back(write);
  }
  if (!in.empty()) return malformed();
  return out;
}

std::string EncodeWrites(const std::vector<EncodedWrite>& writes) {
  size_t bytes = 10;
  for (const EncodedWrite& w : writes) bytes += 21 + w.key.size() + w.value.size();
  std::string out;
  out.reserve(bytes);
  PutVarint(out, writes.size());
  for (const EncodedWrite& w : writes) {
    out.push_back(static_cast<char>(w.kind));
    PutVarint(out, w.key.size());
    out.append(w.key);
    if (w.kind == WriteKind::kPut) {
      PutVarint(out, w.value.size());
      out.append(w.value);
    }
  }
  return out;
}

std::string EncodeCommitRecord(std::string_view txn_id, std::string_view write_set) {
  std::string out;
  out.reserve(10 + txn_id.size() + write_set.size());
  PutVarint(out, txn_id.size());
  out.append(txn_id);
  out.append(write_set);
  return out;
}

Result<CommitRecord> ParseCommitRecord(std::string_view payload) {
  CommitRecord record;
  if (!GetBytes(payload, &record.txn_id)) return Status::Corruption("malformed commit record");
  record.write_set = payload;
  return record;
}

Result<WriteSet> WriteSet::Decode(std::string_view encoded) {
  ASSIGN_OR_RETURN(std::vector<EncodedWrite> writes, ParseEncodedWriteSet(encoded));
  WriteSet set;
  for (const EncodedWrite& w : writes) {
    set.Set(std::string(w.key), Write{w.kind, std::string(w.value)});
  }
  return set;
}

}  // namespace borealis::txn
