// Tests for encoding/key.h: round trips, order properties against an independent model of
// PostgreSQL's ordering (test_values.h), spans and strict decoding.
#include "encoding/key.h"

#include <gtest/gtest.h>

#include <random>

#include "test_values.h"

namespace borealis::encoding {
namespace {

using testing::AllColumnConfigs;
using testing::CompareForColumn;
using testing::CompareValues;
using testing::kAllTypes;
using testing::RandomValue;
using testing::RandomValueOrNull;

constexpr uint32_t kTable = 7;
constexpr uint32_t kIndex = 2;

std::string Column(const KeyColumn& column, const Datum& value) {
  KeyEncoder encoder;
  Status status = encoder.Append(column, value);
  BOREALIS_CHECK(status.ok(), status.ToString(), value.DebugString());
  return std::move(encoder).Finish();
}

std::string ColumnName(const KeyColumn& column) {
  return std::string(ColumnTypeName(column.type)) +
         (column.direction == Direction::kDescending ? " DESC" : " ASC") +
         (column.nulls_first() ? " NULLS FIRST" : " NULLS LAST");
}

int Sign(int v) { return (v > 0) - (v < 0); }

TEST(KeyTest, RoundTripEveryType) {
  std::mt19937_64 rng(11);
  for (ColumnType type : kAllTypes) {
    for (const KeyColumn& column : AllColumnConfigs(type)) {
      for (int i = 0; i < 300; ++i) {
        Datum value = RandomValueOrNull(rng, type);
        Result<std::string> key = EncodeKey(kTable, kIndex, {&column, 1}, {&value, 1});
        ASSERT_TRUE(key.ok()) << key.status().ToString();
        Result<DecodedKey> decoded = DecodeKey(*key, {&column, 1});
        ASSERT_TRUE(decoded.ok()) << ColumnName(column) << " " << value.DebugString() << ": "
                                  << decoded.status().ToString();
        EXPECT_EQ(decoded->prefix.table_id, kTable);
        EXPECT_EQ(decoded->prefix.index_id, kIndex);
        const Datum& back = decoded->values[0];
        if (KeyDecodingIsExact(type) || value.is_null()) {
          EXPECT_EQ(back, value) << ColumnName(column) << " " << back.DebugString();
        } else {
          // One representative of the equality class, which encodes to the same key.
          ASSERT_FALSE(back.is_null());
          EXPECT_EQ(CompareValues(back, value), 0)
              << value.DebugString() << " read back as " << back.DebugString();
          EXPECT_EQ(*EncodeKey(kTable, kIndex, {&column, 1}, {&back, 1}), *key);
        }
      }
    }
  }
}

TEST(KeyTest, LossyTypesDecodeToCanonicalValues) {
  KeyColumn numeric{ColumnType::kNumeric};
  Datum one_fifty = Datum::Numeric(*Decimal::Parse("-1.50"));
  EXPECT_EQ(DecodeKey(*EncodeKey(1, 1, {&numeric, 1}, {&one_fifty, 1}), {&numeric, 1})
                ->values[0]
                .decimal_value()
                .ToString(),
            "-1.5");
  Datum hundred = Datum::Numeric(*Decimal::Parse("100.00"));
  EXPECT_EQ(DecodeKey(*EncodeKey(1, 1, {&numeric, 1}, {&hundred, 1}), {&numeric, 1})
                ->values[0]
                .decimal_value()
                .ToString(),
            "100");
  KeyColumn interval{ColumnType::kInterval};
  Datum days = Datum::FromInterval(Interval{0, 45, 25 * 3600 * int64_t{1000000}});
  EXPECT_EQ(DecodeKey(*EncodeKey(1, 1, {&interval, 1}, {&days, 1}), {&interval, 1})
                ->values[0]
                .interval_value(),
            (Interval{1, 16, 3600 * int64_t{1000000}}));
  KeyColumn bpchar{ColumnType::kBpchar};
  Datum padded = Datum::Bytes(ColumnType::kBpchar, "ab  ");
  EXPECT_EQ(Column(bpchar, padded), Column(bpchar, Datum::Bytes(ColumnType::kBpchar, "ab")));
  KeyColumn float8{ColumnType::kFloat8};
  EXPECT_EQ(Column(float8, Datum::Float(ColumnType::kFloat8, -0.0)),
            Column(float8, Datum::Float(ColumnType::kFloat8, 0.0)));
}

// For every type and every ASC/DESC x NULLS FIRST/LAST combination: memcmp order of encoded
// values equals the model's order, for all pairs of a pool of random and edge-case values.
TEST(KeyTest, OrderMatchesSqlOrderForEveryType) {
  std::mt19937_64 rng(12);
  for (ColumnType type : kAllTypes) {
    std::vector<Datum> pool;
    for (int i = 0; i < 160; ++i) pool.push_back(RandomValueOrNull(rng, type));
    for (const KeyColumn& column : AllColumnConfigs(type)) {
      std::vector<std::string> keys;
      for (const Datum& value : pool) keys.push_back(Column(column, value));
      for (size_t i = 0; i < pool.size(); ++i) {
        for (size_t j = 0; j < pool.size(); ++j) {
          int expected = CompareForColumn(column, pool[i], pool[j]);
          int actual = Sign(keys[i].compare(keys[j]));
          ASSERT_EQ(actual, expected) << ColumnName(column) << ": " << pool[i].DebugString()
                                      << " vs " << pool[j].DebugString();
        }
      }
    }
  }
}

TEST(KeyTest, EdgeCaseOrder) {
  KeyColumn float8{ColumnType::kFloat8};
  const double kInf = std::numeric_limits<double>::infinity();
  std::vector<double> ascending = {
      -kInf,  -1e308, -1,    -1e-310, 0,
      1e-310, 1,      1e308, kInf,    std::numeric_limits<double>::quiet_NaN()};
  for (size_t i = 0; i + 1 < ascending.size(); ++i) {
    EXPECT_LT(Column(float8, Datum::Float(ColumnType::kFloat8, ascending[i])),
              Column(float8, Datum::Float(ColumnType::kFloat8, ascending[i + 1])));
  }
  KeyColumn numeric{ColumnType::kNumeric};
  std::vector<const char*> numbers = {
      "-Infinity", "-1e1000", "-100", "-99.99", "-1.5",     "-1.49", "-0.001", "0",        "0.0001",
      "0.001",     "0.5",     "0.51", "1",      "1.000001", "10",    "1e1000", "Infinity", "NaN"};
  for (size_t i = 0; i + 1 < numbers.size(); ++i) {
    EXPECT_LT(Column(numeric, Datum::Numeric(*Decimal::Parse(numbers[i]))),
              Column(numeric, Datum::Numeric(*Decimal::Parse(numbers[i + 1]))))
        << numbers[i] << " < " << numbers[i + 1];
  }
  KeyColumn text{ColumnType::kText};
  std::vector<std::string> strings = {"",
                                      std::string("\0", 1),
                                      std::string("\0\0", 2),
                                      std::string("\0\xff", 2),
                                      "\x01",
                                      "a",
                                      std::string("a\0", 2),
                                      "ab",
                                      "\xff",
                                      "\xff\xff"};
  for (size_t i = 0; i + 1 < strings.size(); ++i) {
    EXPECT_LT(Column(text, Datum::Bytes(ColumnType::kText, strings[i])),
              Column(text, Datum::Bytes(ColumnType::kText, strings[i + 1])));
  }
  KeyColumn int8{ColumnType::kInt8};
  EXPECT_LT(Column(int8, Datum::Int(ColumnType::kInt8, INT64_MIN)),
            Column(int8, Datum::Int(ColumnType::kInt8, -1)));
  EXPECT_LT(Column(int8, Datum::Int(ColumnType::kInt8, 0)),
            Column(int8, Datum::Int(ColumnType::kInt8, INT64_MAX)));
  EXPECT_LT(Column(int8, Datum::Int(ColumnType::kInt8, INT64_MAX)),
            Column(int8, Datum::Null(ColumnType::kInt8)));  // ASC default: NULLS LAST
  KeyColumn int8_desc{ColumnType::kInt8, Direction::kDescending};
  EXPECT_LT(Column(int8_desc, Datum::Null(ColumnType::kInt8)),  // DESC default: NULLS FIRST
            Column(int8_desc, Datum::Int(ColumnType::kInt8, INT64_MAX)));
}

std::vector<KeyColumn> RandomSchema(std::mt19937_64& rng, size_t size) {
  std::vector<KeyColumn> columns;
  for (size_t i = 0; i < size; ++i) {
    std::vector<KeyColumn> configs = AllColumnConfigs(kAllTypes[rng() % std::size(kAllTypes)]);
    columns.push_back(configs[rng() % configs.size()]);
  }
  return columns;
}

std::vector<Datum> RandomTuple(std::mt19937_64& rng, const std::vector<KeyColumn>& columns,
                               const std::vector<std::vector<Datum>>& pools) {
  std::vector<Datum> tuple;
  for (size_t c = 0; c < columns.size(); ++c) tuple.push_back(pools[c][rng() % pools[c].size()]);
  return tuple;
}

// Small per-column pools so that tuples often share leading columns.
std::vector<std::vector<Datum>> SmallPools(std::mt19937_64& rng,
                                           const std::vector<KeyColumn>& columns) {
  std::vector<std::vector<Datum>> pools(columns.size());
  for (size_t c = 0; c < columns.size(); ++c) {
    for (int i = 0; i < 4; ++i) pools[c].push_back(RandomValueOrNull(rng, columns[c].type));
  }
  return pools;
}

int CompareTuples(const std::vector<KeyColumn>& columns, const std::vector<Datum>& a,
                  const std::vector<Datum>& b, size_t count) {
  for (size_t c = 0; c < count; ++c) {
    int result = CompareForColumn(columns[c], a[c], b[c]);
    if (result != 0) return result;
  }
  return 0;
}

TEST(KeyTest, MultiColumnTuplesOrderLexicographically) {
  std::mt19937_64 rng(13);
  for (int round = 0; round < 60; ++round) {
    std::vector<KeyColumn> columns = RandomSchema(rng, 1 + rng() % 4);
    std::vector<std::vector<Datum>> pools = SmallPools(rng, columns);
    std::vector<std::vector<Datum>> tuples;
    std::vector<std::string> keys;
    for (int i = 0; i < 60; ++i) {
      tuples.push_back(RandomTuple(rng, columns, pools));
      keys.push_back(*EncodeKey(kTable, kIndex, columns, tuples.back()));
      Result<DecodedKey> decoded = DecodeKey(keys.back(), columns);
      ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
      ASSERT_EQ(CompareTuples(columns, decoded->values, tuples.back(), columns.size()), 0);
    }
    for (size_t i = 0; i < tuples.size(); ++i) {
      for (size_t j = 0; j < tuples.size(); ++j) {
        ASSERT_EQ(Sign(keys[i].compare(keys[j])),
                  CompareTuples(columns, tuples[i], tuples[j], columns.size()));
      }
    }
  }
}

TEST(KeyTest, PrefixSpanContainsExactlyMatchingKeys) {
  std::mt19937_64 rng(14);
  for (int round = 0; round < 60; ++round) {
    std::vector<KeyColumn> columns = RandomSchema(rng, 1 + rng() % 4);
    std::vector<std::vector<Datum>> pools = SmallPools(rng, columns);
    std::vector<std::vector<Datum>> tuples;
    std::vector<std::string> keys;
    for (int i = 0; i < 50; ++i) {
      tuples.push_back(RandomTuple(rng, columns, pools));
      keys.push_back(*EncodeKey(kTable, kIndex, columns, tuples.back()));
    }
    // Keys of the neighbouring indexes must stay outside every span.
    keys.push_back(*EncodeKey(kTable, kIndex - 1, columns, tuples[0]));
    keys.push_back(*EncodeKey(kTable, kIndex + 1, columns, tuples[0]));
    for (int probe = 0; probe < 20; ++probe) {
      const std::vector<Datum>& target = tuples[rng() % tuples.size()];
      for (size_t k = 0; k <= columns.size(); ++k) {
        Result<KeySpan> span =
            PrefixSpan(kTable, kIndex, columns, std::span<const Datum>(target).first(k));
        ASSERT_TRUE(span.ok());
        for (size_t i = 0; i < tuples.size(); ++i) {
          bool matches = CompareTuples(columns, tuples[i], target, k) == 0;
          ASSERT_EQ(span->Contains(keys[i]), matches) << "k=" << k;
        }
        EXPECT_FALSE(span->Contains(keys[keys.size() - 1]));
        EXPECT_FALSE(span->Contains(keys[keys.size() - 2]));
      }
    }
  }
}

TEST(KeyTest, IndexSpansAreContiguousAndOrdered) {
  std::vector<uint32_t> ids = {
      0, 1, 2, 239, 240, 241, 255, 256, 65535, 65536, UINT32_MAX - 1, UINT32_MAX};
  KeyColumn text{ColumnType::kText};
  Datum high = Datum::Bytes(ColumnType::kText, "\xff\xff\xff");
  for (uint32_t table : ids) {
    for (uint32_t index : ids) {
      KeySpan span = IndexSpan(table, index);
      for (uint32_t other_table : ids) {
        for (uint32_t other_index : ids) {
          std::string key = *EncodeKey(other_table, other_index, {&text, 1}, {&high, 1});
          bool same = table == other_table && index == other_index;
          ASSERT_EQ(span.Contains(key), same) << table << "/" << index;
          ASSERT_EQ(span.Contains(EncodeIndexPrefix(other_table, other_index)), same);
          if (!same) {
            bool before = std::pair(other_table, other_index) < std::pair(table, index);
            ASSERT_EQ(key < span.begin, before);
          }
        }
      }
    }
  }
}

// The byte examples in docs/design/encoding.md.
TEST(KeyTest, DocumentedBytes) {
  KeyColumn numeric{ColumnType::kNumeric};
  EXPECT_EQ(Column(numeric, Datum::Numeric(*Decimal::Parse("-12.5"))),
            std::string("\x01\x02\x7f\xff\xff\xfd\xf2\xcc\xff", 9));
  EXPECT_EQ(EncodeIndexPrefix(5, 1), std::string("\x05\x01", 2));
  EXPECT_EQ(EncodeIndexPrefix(300, 240), std::string("\xf2\x01\x2c\xf0", 4));
  KeyColumn text_desc{ColumnType::kText, Direction::kDescending};
  EXPECT_EQ(Column(text_desc, Datum::Bytes(ColumnType::kText, std::string("a\0", 2))),
            std::string("\x01\x9e\xff\x00\xff\xfe", 6));
  EXPECT_EQ(Column(text_desc, Datum::Null(ColumnType::kText)), std::string("\x00", 1));
}

TEST(KeyTest, PrefixEndAndSuccessor) {
  EXPECT_EQ(*PrefixEnd("abc"), "abd");
  EXPECT_EQ(*PrefixEnd(std::string("a\xff\xff", 3)), "b");
  EXPECT_EQ(*PrefixEnd(std::string("a\xfe", 2)), std::string("a\xff", 2));
  EXPECT_FALSE(PrefixEnd(std::string("\xff\xff", 2)).has_value());
  EXPECT_FALSE(PrefixEnd("").has_value());
  EXPECT_EQ(KeySuccessor("ab"), std::string("ab\0", 3));
  EXPECT_LT(std::string("ab"), KeySuccessor("ab"));
  EXPECT_LT(KeySuccessor("ab"), std::string("ab\0\0", 4));
}

TEST(KeyTest, AppendRejectsTypeMismatchAndOutOfRange) {
  KeyEncoder encoder(1, 1);
  std::string before = encoder.key();
  EXPECT_FALSE(encoder.Append(KeyColumn{ColumnType::kInt4}, Datum::Int(ColumnType::kInt8, 1)).ok());
  EXPECT_FALSE(
      encoder.Append(KeyColumn{ColumnType::kInt2}, Datum::Int(ColumnType::kInt2, 1 << 20)).ok());
  EXPECT_FALSE(encoder
                   .Append(KeyColumn{ColumnType::kNumeric},
                           Datum::Numeric(Decimal{Decimal::Kind::kFinite, true, "", 0}))
                   .ok());
  EXPECT_EQ(encoder.key(), before);
}

// Every proper prefix of a valid key is rejected (each column encoding is prefix-free), and
// anything that decodes re-encodes to the same bytes.
TEST(KeyTest, TruncationsAndGarbageAreRejectedOrRoundTrip) {
  std::mt19937_64 rng(15);
  for (int round = 0; round < 300; ++round) {
    std::vector<KeyColumn> columns = RandomSchema(rng, 1 + rng() % 3);
    std::vector<Datum> tuple;
    for (const KeyColumn& column : columns) tuple.push_back(RandomValueOrNull(rng, column.type));
    std::string key = *EncodeKey(static_cast<uint32_t>(rng()), static_cast<uint32_t>(rng() % 300),
                                 columns, tuple);
    if (key.size() > 2000) continue;  // keeps the quadratic loop fast
    for (size_t n = 0; n < key.size(); ++n) {
      ASSERT_FALSE(DecodeKey(std::string_view(key).substr(0, n), columns).ok());
    }
    EXPECT_FALSE(DecodeKey(key + "x", columns).ok());
    for (int g = 0; g < 30; ++g) {
      std::string garbage = key;
      if (rng() % 2 == 0 || garbage.empty()) {
        garbage.resize(rng() % 24);
        for (char& c : garbage) c = static_cast<char>(rng());
      } else {
        garbage[rng() % garbage.size()] ^= static_cast<char>(1 << (rng() % 8));
      }
      Result<DecodedKey> decoded = DecodeKey(garbage, columns);
      if (!decoded.ok()) {
        EXPECT_EQ(decoded.status().code(), Code::kCorruption);
        continue;
      }
      Result<std::string> again =
          EncodeKey(decoded->prefix.table_id, decoded->prefix.index_id, columns, decoded->values);
      ASSERT_TRUE(again.ok()) << again.status().ToString();
      ASSERT_EQ(*again, garbage);
    }
  }
}

TEST(KeyTest, StrictDecodingRejectsNonCanonicalBytes) {
  auto decode = [](const KeyColumn& column, std::string bytes) {
    KeyDecoder decoder(bytes);
    return decoder.Read(column).ok();
  };
  KeyColumn boolean{ColumnType::kBool};
  EXPECT_TRUE(decode(boolean, std::string("\x01\x01", 2)));
  EXPECT_FALSE(decode(boolean, std::string("\x01\x02", 2)));
  EXPECT_FALSE(decode(boolean, std::string("\x03\x01", 2)));  // bad marker
  EXPECT_FALSE(decode(boolean, std::string("\x00", 1)));      // NULLS FIRST marker on NULLS LAST
  KeyColumn text{ColumnType::kText};
  EXPECT_FALSE(decode(text, std::string("\x01"
                                        "a\x00\x02",
                                        4)));  // bad escape
  KeyColumn bpchar{ColumnType::kBpchar};
  EXPECT_FALSE(decode(bpchar, std::string("\x01"
                                          "a \x00\x01",
                                          5)));  // trailing space
  KeyColumn float8{ColumnType::kFloat8};
  // -0.0: bits 0x8000... inverted to 0x7fff....
  EXPECT_FALSE(decode(float8, std::string("\x01\x7f\xff\xff\xff\xff\xff\xff\xff", 9)));
  KeyColumn numeric{ColumnType::kNumeric};
  // 0.05 * 10^1 has a leading zero; 0.1 * 10^1 is canonical, 0.100 * 10^1 is not.
  EXPECT_FALSE(decode(numeric, std::string("\x01\x04\x80\x00\x00\x01\x06\x00", 8)));
  EXPECT_TRUE(decode(numeric, std::string("\x01\x04\x80\x00\x00\x01\x0b\x00", 8)));  // 1
  EXPECT_FALSE(decode(numeric, std::string("\x01\x04\x80\x00\x00\x01\x0b\x01\x00", 9)));
  EXPECT_TRUE(decode(numeric, std::string("\x01\x04\x80\x00\x00\x01\x0c\x00", 8)));  // 0.11
  KeyColumn time{ColumnType::kTime};
  EXPECT_FALSE(decode(time, std::string("\x01\x7f\xff\xff\xff\xff\xff\xff\xff", 9)));  // -1
}

}  // namespace
}  // namespace borealis::encoding
