// Tests for encoding/row.h: exact round trips, schema changes, strict decoding.
#include "encoding/row.h"

#include <gtest/gtest.h>

#include <random>

#include "test_values.h"

namespace borealis::encoding {
namespace {

using testing::kAllTypes;
using testing::RandomValueOrNull;

std::vector<RowColumnSpec> SpecsOf(const std::vector<RowColumn>& columns) {
  std::vector<RowColumnSpec> specs;
  for (const RowColumn& c : columns) specs.push_back(RowColumnSpec{c.column_id, c.value.type()});
  return specs;
}

std::vector<RowColumn> RandomRow(std::mt19937_64& rng) {
  std::vector<RowColumn> columns;
  uint32_t id = 0;
  size_t count = rng() % 8;
  for (size_t i = 0; i < count; ++i) {
    id += 1 + static_cast<uint32_t>(rng() % (rng() % 4 == 0 ? 100000 : 3));
    ColumnType type = kAllTypes[rng() % std::size(kAllTypes)];
    columns.push_back(RowColumn{id, RandomValueOrNull(rng, type)});
  }
  return columns;
}

TEST(RowTest, RoundTripEveryTypeExactly) {
  std::mt19937_64 rng(21);
  for (ColumnType type : kAllTypes) {
    for (int i = 0; i < 300; ++i) {
      std::vector<RowColumn> columns = {RowColumn{5, RandomValueOrNull(rng, type)}};
      Result<std::string> row = EncodeRow(columns);
      ASSERT_TRUE(row.ok()) << row.status().ToString();
      Result<std::optional<Datum>> back = DecodeRowColumn(*row, 5, type);
      ASSERT_TRUE(back.ok()) << back.status().ToString();
      ASSERT_TRUE(back->has_value());
      EXPECT_EQ(**back, columns[0].value) << (*back)->DebugString();
    }
  }
  // Exact representations that keys do not keep.
  for (Datum value :
       {Datum::Float(ColumnType::kFloat8, -0.0), Datum::Numeric(*Decimal::Parse("-1.500")),
        Datum::Numeric(*Decimal::Parse("0.00")), Datum::FromInterval(Interval{1, -30, 5}),
        Datum::Bytes(ColumnType::kBpchar, "ab  ")}) {
    std::string row = *EncodeRow(std::vector<RowColumn>{{1, value}});
    EXPECT_EQ(**DecodeRowColumn(row, 1, value.type()), value) << value.DebugString();
  }
}

TEST(RowTest, RandomRowsRoundTrip) {
  std::mt19937_64 rng(22);
  for (int i = 0; i < 2000; ++i) {
    std::vector<RowColumn> columns = RandomRow(rng);
    std::string row = *EncodeRow(columns);
    std::vector<RowColumnSpec> specs = SpecsOf(columns);
    Result<std::vector<std::optional<Datum>>> values = DecodeRow(row, specs);
    ASSERT_TRUE(values.ok()) << values.status().ToString();
    for (size_t c = 0; c < columns.size(); ++c) {
      ASSERT_TRUE((*values)[c].has_value());
      EXPECT_EQ(*(*values)[c], columns[c].value);
    }
    Result<std::vector<RowColumn>> untyped = DecodeRowUntyped(row);
    ASSERT_TRUE(untyped.ok()) << untyped.status().ToString();
    ASSERT_EQ(untyped->size(), columns.size());
    EXPECT_EQ(*EncodeRow(*untyped), row);
  }
}

TEST(RowTest, NullsAreCheapAndDistinctFromAbsent) {
  std::string empty = *EncodeRow({});
  EXPECT_EQ(empty.size(), 1u);
  std::vector<RowColumn> nulls;
  for (uint32_t id = 1; id <= 10; ++id)
    nulls.push_back(RowColumn{id, Datum::Null(ColumnType::kText)});
  std::string row = *EncodeRow(nulls);
  EXPECT_EQ(row.size(), 11u);  // count + one byte per NULL
  Result<std::optional<Datum>> present = DecodeRowColumn(row, 3, ColumnType::kText);
  ASSERT_TRUE(present.ok() && present->has_value());
  EXPECT_TRUE((*present)->is_null());
  Result<std::optional<Datum>> absent = DecodeRowColumn(row, 11, ColumnType::kText);
  ASSERT_TRUE(absent.ok());
  EXPECT_FALSE(absent->has_value());
}

// ADD COLUMN: an old row has no entry for the new id (absent; the SQL layer applies the
// default). DROP COLUMN: the reader's schema no longer lists the id and the entry is skipped.
TEST(RowTest, SchemaChangesNeedNoRewrite) {
  std::vector<RowColumn> written = {
      {1, Datum::Int(ColumnType::kInt4, 42)},
      {3, Datum::Bytes(ColumnType::kText, std::string("x\0y", 3))},
      {7, Datum::Numeric(*Decimal::Parse("3.14"))},
      {9, Datum::FromInterval(Interval{1, 2, 3})},
  };
  std::string row = *EncodeRow(written);
  std::vector<RowColumnSpec> reader_schema = {
      {9, ColumnType::kInterval},
      {1, ColumnType::kInt4},
      {12, ColumnType::kBool},
      {2, ColumnType::kFloat8}};  // 3 and 7 dropped, 2 and 12 added, any order
  Result<std::vector<std::optional<Datum>>> values = DecodeRow(row, reader_schema);
  ASSERT_TRUE(values.ok()) << values.status().ToString();
  EXPECT_EQ(*(*values)[0], written[3].value);
  EXPECT_EQ(*(*values)[1], written[0].value);
  EXPECT_FALSE((*values)[2].has_value());
  EXPECT_FALSE((*values)[3].has_value());
  EXPECT_EQ(**DecodeRowColumn(row, 7, ColumnType::kNumeric), written[2].value);
}

TEST(RowTest, EncodeRejectsBadInput) {
  EXPECT_FALSE(EncodeRow(std::vector<RowColumn>{{0, Datum::Bool(true)}}).ok());
  EXPECT_FALSE(
      EncodeRow(std::vector<RowColumn>{{2, Datum::Bool(true)}, {2, Datum::Bool(false)}}).ok());
  EXPECT_FALSE(EncodeRow(std::vector<RowColumn>{{2, Datum::Int(ColumnType::kInt2, 1 << 16)}}).ok());
  EXPECT_TRUE(EncodeRow(std::vector<RowColumn>{{UINT32_MAX, Datum::Bool(true)}}).ok());
}

TEST(RowTest, DecodeChecksTypeAgainstTag) {
  std::string row = *EncodeRow(std::vector<RowColumn>{{1, Datum::Int(ColumnType::kInt8, 1 << 20)},
                                                      {2, Datum::Bytes(ColumnType::kText, "a")}});
  EXPECT_FALSE(DecodeRowColumn(row, 1, ColumnType::kInt2).ok());  // out of range
  EXPECT_TRUE(DecodeRowColumn(row, 1, ColumnType::kInt4).ok());
  EXPECT_FALSE(DecodeRowColumn(row, 2, ColumnType::kInt4).ok());  // wrong tag
  EXPECT_FALSE(DecodeRowColumn(row, 1, ColumnType::kText).ok());
}

TEST(RowTest, StrictDecodingRejectsNonCanonicalBytes) {
  auto decodes = [](std::string bytes) { return DecodeRowUntyped(bytes).ok(); };
  EXPECT_TRUE(decodes(std::string("\x00", 1)));
  EXPECT_FALSE(decodes(""));                                  // no count
  EXPECT_FALSE(decodes(std::string("\x00\x10", 2)));          // bytes after the last entry
  EXPECT_FALSE(decodes(std::string("\x02\x10", 2)));          // count past the end
  EXPECT_FALSE(decodes(std::string("\x01\x00", 2)));          // column id delta 0
  EXPECT_FALSE(decodes(std::string("\x01\x1a", 2)));          // unknown tag 10
  EXPECT_TRUE(decodes(std::string("\x01\x13\x02", 3)));       // id 1, int 1
  EXPECT_FALSE(decodes(std::string("\x01\x13\x82\x00", 4)));  // non-minimal varint
  EXPECT_FALSE(
      decodes(std::string("\x01\x16\x05"
                          "ab",
                          5)));  // length past the end
  // Non-canonical float NaN.
  EXPECT_FALSE(decodes(std::string("\x01\x14\x01\x00\xc0\x7f", 6)));
  EXPECT_TRUE(decodes(std::string("\x01\x14\x00\x00\xc0\x7f", 6)));
  // Numeric: leading zero digit, bad nibble, padding nibble set, negative zero.
  EXPECT_FALSE(decodes(std::string("\x01\x17\x04\x00\x00\x02\x01", 7)));
  EXPECT_TRUE(decodes(std::string("\x01\x17\x04\x00\x00\x02\x12", 7)));
  EXPECT_FALSE(decodes(std::string("\x01\x17\x04\x00\x00\x02\x1a", 7)));
  EXPECT_FALSE(decodes(std::string("\x01\x17\x04\x00\x00\x01\x11", 7)));
  EXPECT_FALSE(decodes(std::string("\x01\x17\x03\x01\x00\x00", 6)));
  // Column id overflow past 2^32 - 1.
  std::string big = *EncodeRow(std::vector<RowColumn>{{UINT32_MAX, Datum::Bool(true)}});
  big[0] = '\x02';
  big.push_back('\x12');  // one more column, delta 1
  EXPECT_FALSE(decodes(big));
}

TEST(RowTest, TruncationsAndGarbageAreRejectedOrRoundTrip) {
  std::mt19937_64 rng(23);
  for (int i = 0; i < 500; ++i) {
    std::string row = *EncodeRow(RandomRow(rng));
    if (row.size() > 4000) continue;
    for (size_t n = 0; n < row.size(); ++n) {
      ASSERT_FALSE(DecodeRowUntyped(std::string_view(row).substr(0, n)).ok()) << n;
    }
    for (int g = 0; g < 30; ++g) {
      std::string garbage = row;
      if (rng() % 2 == 0) {
        garbage.resize(rng() % 24);
        for (char& c : garbage) c = static_cast<char>(rng());
      } else {
        garbage[rng() % garbage.size()] ^= static_cast<char>(1 << (rng() % 8));
      }
      Result<std::vector<RowColumn>> decoded = DecodeRowUntyped(garbage);
      if (!decoded.ok()) {
        EXPECT_EQ(decoded.status().code(), Code::kCorruption);
        continue;
      }
      ASSERT_EQ(*EncodeRow(*decoded), garbage);
    }
  }
}

}  // namespace
}  // namespace borealis::encoding
