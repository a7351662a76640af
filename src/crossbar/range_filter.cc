#include "crossbar/range_filter.h"

#include <algorithm>

#include "txn/write_set.h"

namespace borealis::crossbar {

Result<FilteredRecord> FilterCommitRecord(std::string_view payload,
                                          const std::vector<KeyRange>& ranges) {
  ASSIGN_OR_RETURN(txn::CommitRecord record, txn::ParseCommitRecord(payload));
  auto wanted = [&](std::string_view key) {
    return ranges.empty() || std::any_of(ranges.begin(), ranges.end(),
                                         [&](const KeyRange& r) { return r.Contains(key); });
  };
  // First pass: count, without building anything.
  FilteredRecord result;
  size_t dropped = 0;
  txn::EncodedWriteSetReader reader(record.write_set);
  while (std::optional<txn::EncodedWrite> write = reader.Next()) {
    if (write->kind == txn::WriteKind::kLock) continue;
    if (wanted(write->key)) {
      ++result.kept;
    } else {
      ++dropped;
    }
  }
  RETURN_IF_ERROR(reader.status());
  if (dropped == 0 || result.kept == 0) {
    result.unchanged = dropped == 0 && result.kept > 0;
    return result;
  }
  std::vector<txn::EncodedWrite> kept_writes;
  kept_writes.reserve(result.kept);
  txn::EncodedWriteSetReader again(record.write_set);
  while (std::optional<txn::EncodedWrite> write = again.Next()) {
    if (write->kind != txn::WriteKind::kLock && wanted(write->key)) kept_writes.push_back(*write);
  }
  result.filtered = txn::EncodeCommitRecord(record.txn_id, txn::EncodeWrites(kept_writes));
  return result;
}

}  // namespace borealis::crossbar
