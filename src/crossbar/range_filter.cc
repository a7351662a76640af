#include "crossbar/range_filter.h"

#include <algorithm>

#include "txn/write_set.h"

namespace borealis::crossbar {

Result<std::string> FilterWriteSet(std::string_view encoded, const std::vector<KeyRange>& ranges,
                                   size_t* kept) {
  ASSIGN_OR_RETURN(std::vector<txn::EncodedWrite> writes, txn::ParseEncodedWriteSet(encoded));
  std::vector<txn::EncodedWrite> kept_writes;
  kept_writes.reserve(writes.size());
  for (const txn::EncodedWrite& write : writes) {
    if (write.kind == txn::WriteKind::kLock) continue;
    bool wanted = ranges.empty() || std::any_of(ranges.begin(), ranges.end(), [&](const auto& r) {
                    return r.Contains(write.key);
                  });
    if (wanted) kept_writes.push_back(write);
  }
  *kept = kept_writes.size();
  if (kept_writes.size() == writes.size()) return std::string(encoded);  // nothing to remove
  return txn::EncodeWrites(kept_writes);
}

}  // namespace borealis::crossbar
