// Hidden row ids (qp/row_ids.h): block sizing, and the fallback when no counter transaction
// can run. The counter path itself runs end to end in tests/sql/tables/row_order.test.
#include "qp/row_ids.h"

#include <gtest/gtest.h>

#include <set>

namespace borealis::qp {
namespace {

TEST(RowIdAllocatorTest, ColdRefillTakesTheMinimumBlock) {
  EXPECT_EQ(RowIdAllocator::NextBlockSize(0, 0, 5'000'000'000), kMinRowIdBlock);
  // A refill long after the previous one starts small again.
  EXPECT_EQ(RowIdAllocator::NextBlockSize(kMaxRowIdBlock, 1, 1 + kHotRowIdRefillNs),
            kMinRowIdBlock);
  // A clock that went backwards is not "hot".
  EXPECT_EQ(RowIdAllocator::NextBlockSize(4096, 10'000, 9'000), kMinRowIdBlock);
}

TEST(RowIdAllocatorTest, HotRefillsDoubleUpToTheMaximum) {
  int64_t block = kMinRowIdBlock;
  uint64_t now = 1'000'000'000;
  int refills = 0;
  while (block < kMaxRowIdBlock) {
    int64_t next = RowIdAllocator::NextBlockSize(block, now, now + 1000);
    EXPECT_EQ(next, block * 2);
    block = next;
    now += 1000;
    ++refills;
  }
  EXPECT_EQ(refills, 10);  // 1024 -> 1,048,576: a million-row load needs ~11 counter commits
  EXPECT_EQ(RowIdAllocator::NextBlockSize(block, now, now + 1), kMaxRowIdBlock);
}

TEST(RowIdAllocatorTest, WithoutACoreIdsAreRandomAboveTheCounterRange) {
  RowIdAllocator allocator(nullptr);
  std::set<int64_t> seen;
  for (uint64_t seed = 1; seed <= 1000; ++seed) {
    int64_t id = allocator.Next(seed * 0x9e3779b97f4a7c15ULL);
    EXPECT_GE(id, kRandomRowIdBase);
    seen.insert(id);
  }
  EXPECT_EQ(seen.size(), 1000u);
}

}  // namespace
}  // namespace borealis::qp
