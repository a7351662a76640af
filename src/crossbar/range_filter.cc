#include "crossbar/range_filter.h"

#include <algorithm>

#include "txn/write_set.h"

namespace borealis::crossbar {

Result<std::string> FilterWriteSet(std::string_view encoded, const std::vector<KeyRange>& ranges,
                                   size_t* kept) {
  ASSIGN_OR_RETURN(std::vector<txn::EncodedWrite> writes, txn::ParseEncodedWriteSet(encoded));
  txn::WriteSet out;
  for (const txn::EncodedWrite& write : writes) {
    if (write.kind == txn::WriteKind::kLock) continue;
    bool wanted = ranges.empty() || std::any_of(ranges.begin(), ranges.end(), [&](const auto& r) {
                    return r.Contains(write.key);
                  });
    if (!wanted) continue;
    if (write.kind == txn::WriteKind::kPut) {
      out.Put(std::string(write.key), std::string(write.value));
    } else {
      out.Delete(std::string(write.key));
    }
  }
  *kept = out.size();
  return out.Encode();
}

}  // namespace borealis::crossbar
