#include "catalog/descriptor.h"

#include <gtest/gtest.h>

namespace borealis::catalog {
namespace {

TableDescriptor Sample() {
  TableDescriptor table;
  table.id = 123;
  table.name = "items";
  table.version = 7;
  table.columns.push_back({1, "id", 23, -1, true, std::nullopt, false});
  table.columns.push_back({2, "name", 1043, 14, false, std::string("x"), false});
  table.columns.push_back({3, "rowid", 20, -1, true, std::nullopt, true});
  table.primary_key = {3, 1};
  table.next_column_id = 4;
  return table;
}

TEST(DescriptorTest, RoundTrip) {
  TableDescriptor table = Sample();
  std::string bytes = EncodeDescriptor(table);
  Result<TableDescriptor> decoded = DecodeDescriptor(bytes);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(*decoded, table);
  EXPECT_EQ(EncodeDescriptor(*decoded), bytes);
}

TEST(DescriptorTest, TruncationAndGarbageAreCorruption) {
  std::string bytes = EncodeDescriptor(Sample());
  for (size_t n = 0; n < bytes.size(); ++n) {
    EXPECT_FALSE(DecodeDescriptor(bytes.substr(0, n)).ok()) << n;
  }
  EXPECT_FALSE(DecodeDescriptor("garbage").ok());
}

TEST(DescriptorTest, BadKeyIsCorruption) {
  TableDescriptor table = Sample();
  table.primary_key = {9};  // no such column
  EXPECT_EQ(DecodeDescriptor(EncodeDescriptor(table)).status().code(), Code::kCorruption);
}

TEST(DescriptorTest, SystemKeysAreDistinctAndOutsideUserTables) {
  EXPECT_NE(DescriptorKey(100), SchemaVersionKey(100));
  EXPECT_NE(NameKey("public", "a"), NameKey("public", "b"));
  encoding::KeySpan user = TableRowSpan(kFirstUserTableId);
  EXPECT_FALSE(user.Contains(DescriptorKey(kFirstUserTableId)));
  EXPECT_FALSE(user.Contains(IdAllocatorKey()));
  Result<int64_t> value = DecodeInt(EncodeInt(42));
  ASSERT_TRUE(value.ok());
  EXPECT_EQ(*value, 42);
}

}  // namespace
}  // namespace borealis::catalog
