// Range filtering for the crossbar: which part of a journal entry a storage replica receives.
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace borealis::crossbar {

struct KeyRange {
  std::string begin;  // inclusive
  std::string end;    // exclusive; empty = unbounded
  bool Contains(std::string_view key) const { return key >= begin && (end.empty() || key < end); }
};

// The puts and deletes of an encoded write set whose keys fall in any of `ranges`, re-encoded
// as a write set (lock-only keys never reach storage). An empty `ranges` means everything.
// Returns the number of kept entries through `kept`.
Result<std::string> FilterWriteSet(std::string_view encoded, const std::vector<KeyRange>& ranges,
                                   size_t* kept);

}  // namespace borealis::crossbar
