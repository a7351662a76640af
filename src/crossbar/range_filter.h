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

struct FilteredRecord {
  size_t kept = 0;         // puts and deletes for the replica (0: nothing, skip the entry)
  bool unchanged = false;  // every put/delete is in the ranges: send the payload as it is
  std::string filtered;    // otherwise (kept > 0): a commit record of the kept puts/deletes
};

// Filters a commit's journal payload (txn::EncodeCommitRecord) to `ranges` (empty: everything).
// When no put or delete falls outside them, the payload is to be passed on unchanged — no copy
// of a bulk entry; lock-only keys, which storage skips, do not force a rewrite. Otherwise the
// kept puts and deletes are re-encoded as a commit record with the same transaction id.
Result<FilteredRecord> FilterCommitRecord(std::string_view payload,
                                          const std::vector<KeyRange>& ranges);

}  // namespace borealis::crossbar
