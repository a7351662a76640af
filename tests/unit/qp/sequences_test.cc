// Sequences (issue 4): PostgreSQL's nextval arithmetic (ComputeBlock), the catalog's sequence
// descriptors and name rows, and the column descriptor fields SERIAL/identity add.
#include "catalog/sequences.h"

#include <gtest/gtest.h>

#include <map>

#include "catalog/store.h"
#include "qp/sequences.h"
#include "qp/system_catalog.h"

namespace borealis {
namespace {

using catalog::SequenceDescriptor;
using catalog::SequenceState;

class MemoryTxn : public txn::KvTransaction {
 public:
  Result<std::optional<std::string>> Get(std::string key) override {
    auto it = data_.find(key);
    if (it == data_.end()) return std::optional<std::string>();
    return std::optional<std::string>(it->second);
  }
  Result<std::vector<txn::Row>> Scan(std::string begin, std::string end, size_t limit,
                                     bool) override {
    std::vector<txn::Row> rows;
    for (auto it = data_.lower_bound(begin);
         it != data_.end() && (end.empty() || it->first < end) && rows.size() < limit; ++it) {
      rows.push_back({it->first, it->second});
    }
    return rows;
  }
  Status Put(std::string key, std::string value) override {
    data_[std::move(key)] = std::move(value);
    return Status::Ok();
  }
  Status Delete(std::string key) override {
    data_.erase(key);
    return Status::Ok();
  }
  void Lock(std::string) override {}
  void AddCheckKey(std::string) override {}

 private:
  std::map<std::string, std::string> data_;
};

SequenceDescriptor Sequence(int64_t increment, int64_t min, int64_t max, int64_t cache,
                            bool cycle) {
  SequenceDescriptor s;
  s.id = 100;
  s.name = "s";
  s.increment = increment;
  s.min_value = min;
  s.max_value = max;
  s.start = increment > 0 ? min : max;
  s.cache = cache;
  s.cycle = cycle;
  return s;
}

TEST(ComputeBlockTest, FirstCallReturnsStartThenIncrements) {
  SequenceDescriptor s = Sequence(1, 1, 100, 1, false);
  auto first = qp::ComputeBlock(s, SequenceState{1, false, 1});
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->block.first, 1);
  EXPECT_EQ(first->block.last, 1);
  EXPECT_EQ(first->state, (SequenceState{1, true, 1}));
  auto second = qp::ComputeBlock(s, first->state);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->block.first, 2);
  EXPECT_EQ(second->state.last_value, 2);
}

TEST(ComputeBlockTest, CacheReservesABlockThatStopsAtTheBound) {
  SequenceDescriptor s = Sequence(2, 1, 10, 4, true);
  auto block = qp::ComputeBlock(s, SequenceState{1, false, 1});
  ASSERT_TRUE(block.ok());
  EXPECT_EQ(block->block.first, 1);
  EXPECT_EQ(block->block.last, 7);  // 1 3 5 7
  auto next = qp::ComputeBlock(s, block->state);
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(next->block.first, 9);
  EXPECT_EQ(next->block.last, 9);  // a block never wraps: it ends at the bound
  auto wrapped = qp::ComputeBlock(s, next->state);
  ASSERT_TRUE(wrapped.ok());
  EXPECT_EQ(wrapped->block.first, 1);  // CYCLE restarts at MINVALUE
}

TEST(ComputeBlockTest, ExhaustedSequencesFailWith2200H) {
  auto up = qp::ComputeBlock(Sequence(1, 1, 3, 1, false), SequenceState{3, true, 1});
  ASSERT_FALSE(up.ok());
  EXPECT_EQ(up.status().sqlstate(), "2200H");
  EXPECT_EQ(up.status().message(), "nextval: reached maximum value of sequence \"s\" (3)");
  auto down = qp::ComputeBlock(Sequence(-1, -3, 0, 1, false), SequenceState{-3, true, 1});
  ASSERT_FALSE(down.ok());
  EXPECT_EQ(down.status().message(), "nextval: reached minimum value of sequence \"s\" (-3)");
  // Overflow-safe near the int64 bounds.
  auto top =
      qp::ComputeBlock(Sequence(1, 1, INT64_MAX, 1, false), SequenceState{INT64_MAX, true, 1});
  EXPECT_EQ(top.status().sqlstate(), "2200H");
}

TEST(TakeFromRunTest, HandsOutCacheSizedBlocksUntilEmpty) {
  qp::SequenceBlock run{10, 30, 5};  // 10 15 20 25 30
  qp::SequenceBlock first = qp::TakeFromRun(run, 2);
  EXPECT_EQ(first.first, 10);
  EXPECT_EQ(first.last, 15);
  EXPECT_EQ(run.first, 20);
  qp::SequenceBlock rest = qp::TakeFromRun(run, 10);
  EXPECT_EQ(rest.first, 20);
  EXPECT_EQ(rest.last, 30);
  EXPECT_GT(run.first, run.last);  // empty
  qp::SequenceBlock down{-1, -3, -1};
  qp::SequenceBlock one = qp::TakeFromRun(down, 1);
  EXPECT_EQ(one.first, -1);
  EXPECT_EQ(one.last, -1);
  EXPECT_EQ(down.first, -2);
}

TEST(SequenceCatalogTest, CreateLookupDropAndEncodings) {
  MemoryTxn txn;
  SequenceDescriptor s = Sequence(5, 1, 1000, 10, false);
  s.name = "seq";
  s.owner_table_id = 150;
  s.owner_column_id = 2;
  auto created = catalog::CreateSequence(txn, s);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  auto decoded = catalog::DecodeSequence(catalog::EncodeSequence(*created));
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(*decoded, *created);
  auto found = catalog::LookupSequence(txn, "public", "seq");
  ASSERT_TRUE(found.ok());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->increment, 5);
  auto state = catalog::ReadSequenceState(txn, created->id);
  ASSERT_TRUE(state.ok() && state->has_value());
  EXPECT_EQ(**state, (SequenceState{1, false, 1}));
  // The name is taken for tables too, and the table cache does not mistake it for a table.
  EXPECT_EQ(catalog::CreateSequence(txn, s).status().sqlstate(), "42P07");
  catalog::DescriptorCache cache;
  auto table = cache.Lookup(txn, "public", "seq");
  ASSERT_TRUE(table.ok()) << table.status().ToString();
  EXPECT_EQ(*table, nullptr);
  EXPECT_EQ(qp::SequenceIdOfOid(qp::TableOid(created->id)), created->id);
  ASSERT_TRUE(catalog::DropSequence(txn, *created).ok());
  auto gone = catalog::LookupSequence(txn, "public", "seq");
  ASSERT_TRUE(gone.ok());
  EXPECT_FALSE(gone->has_value());
}

TEST(SequenceCatalogTest, ColumnDefaultExpressionAndIdentityRoundTrip) {
  catalog::TableDescriptor table;
  table.id = 120;
  table.name = "t";
  catalog::ColumnDescriptor column;
  column.id = 1;
  column.name = "id";
  column.type_oid = 23;
  column.not_null = true;
  column.default_expression = "nextval('t_id_seq'::regclass)";
  column.identity = 'a';
  table.columns.push_back(column);
  table.primary_key = {1};
  table.next_column_id = 2;
  auto decoded = catalog::DecodeDescriptor(catalog::EncodeDescriptor(table));
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(*decoded, table);
}

}  // namespace
}  // namespace borealis
