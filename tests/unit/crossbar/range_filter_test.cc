// FilterCommitRecord: a replica whose ranges keep every write gets the journal payload as it is
// (no copy of a bulk entry); otherwise a commit record of its puts and deletes only.
#include "crossbar/range_filter.h"

#include <gtest/gtest.h>

#include "txn/write_set.h"

namespace borealis::crossbar {
namespace {

std::string Record() {
  txn::WriteSet writes;
  writes.Put("a/1", "one");
  writes.Delete("b/1");
  writes.Lock("c/1");
  writes.Put("d/1", "four");
  return txn::EncodeCommitRecord("txn-id", writes);
}

TEST(RangeFilterTest, PassesThroughWhenNothingIsDropped) {
  std::string record = Record();
  for (const std::vector<KeyRange>& ranges :
       {std::vector<KeyRange>{}, std::vector<KeyRange>{{"", ""}},
        std::vector<KeyRange>{{"a", "c"}, {"d", "e"}}}) {  // the lock on c/1 does not count
    Result<FilteredRecord> filtered = FilterCommitRecord(record, ranges);
    ASSERT_TRUE(filtered.ok()) << filtered.status().ToString();
    EXPECT_TRUE(filtered->unchanged);
    EXPECT_EQ(filtered->kept, 3u);
    EXPECT_TRUE(filtered->filtered.empty());
  }
}

TEST(RangeFilterTest, RewritesWhenARangeDropsAWrite) {
  Result<FilteredRecord> filtered = FilterCommitRecord(Record(), {{"b", "z"}});
  ASSERT_TRUE(filtered.ok());
  EXPECT_FALSE(filtered->unchanged);
  EXPECT_EQ(filtered->kept, 2u);
  Result<txn::CommitRecord> record = txn::ParseCommitRecord(filtered->filtered);
  ASSERT_TRUE(record.ok());
  EXPECT_EQ(record->txn_id, "txn-id");
  auto writes = txn::ParseEncodedWriteSet(record->write_set);
  ASSERT_TRUE(writes.ok());
  ASSERT_EQ(writes->size(), 2u);  // the lock is gone, a/1 is outside
  EXPECT_EQ((*writes)[0].key, "b/1");
  EXPECT_EQ((*writes)[0].kind, txn::WriteKind::kDelete);
  EXPECT_EQ((*writes)[1].key, "d/1");
  EXPECT_EQ((*writes)[1].value, "four");

  Result<FilteredRecord> none = FilterCommitRecord(Record(), {{"x", "y"}});
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->kept, 0u);
  EXPECT_FALSE(none->unchanged);
}

TEST(RangeFilterTest, RejectsMalformedPayloads) {
  std::string record = Record();
  EXPECT_FALSE(FilterCommitRecord(record.substr(0, record.size() - 1), {}).ok());
  EXPECT_FALSE(FilterCommitRecord("", {}).ok());
}

}  // namespace
}  // namespace borealis::crossbar
