// Tests for encoding/datum.h and encoding/varint.h.
#include "encoding/datum.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

#include "encoding/varint.h"

namespace borealis::encoding {
namespace {

TEST(DecimalTest, ParseKeepsScale) {
  struct Case {
    const char* text;
    bool negative;
    const char* digits;
    int32_t scale;
    const char* formatted;
  };
  const Case cases[] = {
      {"-123.4500", true, "1234500", 4, "-123.4500"},
      {"1.50", false, "150", 2, "1.50"},
      {"0", false, "", 0, "0"},
      {"-0.00", false, "", 2, "0.00"},
      {".5", false, "5", 1, "0.5"},
      {"007", false, "7", 0, "7"},
      {"1.5e3", false, "1500", 0, "1500"},
      {"+1.5E-3", false, "15", 4, "0.0015"},
      {"0.0010", false, "10", 4, "0.0010"},
      {"5.", false, "5", 0, "5"},
  };
  for (const Case& c : cases) {
    Result<Decimal> d = Decimal::Parse(c.text);
    ASSERT_TRUE(d.ok()) << c.text << ": " << d.status().ToString();
    EXPECT_EQ(d->negative, c.negative) << c.text;
    EXPECT_EQ(d->digits, c.digits) << c.text;
    EXPECT_EQ(d->scale, c.scale) << c.text;
    EXPECT_EQ(d->ToString(), c.formatted) << c.text;
    EXPECT_TRUE(d->Validate().ok()) << c.text;
  }
}

TEST(DecimalTest, ParseSpecialValues) {
  EXPECT_EQ(Decimal::Parse("NaN")->kind, Decimal::Kind::kNaN);
  EXPECT_EQ(Decimal::Parse("infinity")->kind, Decimal::Kind::kPositiveInfinity);
  EXPECT_EQ(Decimal::Parse("-Infinity")->kind, Decimal::Kind::kNegativeInfinity);
  EXPECT_EQ(Decimal::Parse("-Infinity")->ToString(), "-Infinity");
}

TEST(DecimalTest, ParseRejectsGarbage) {
  for (const char* text :
       {"", "-", ".", "1.2.3", "1e", "e5", "1x", " 1", "--1", "-NaN", "1e99999999", "1e-20000"}) {
    EXPECT_FALSE(Decimal::Parse(text).ok()) << text;
  }
}

TEST(DecimalTest, ValidateRejectsNonCanonical) {
  EXPECT_FALSE((Decimal{Decimal::Kind::kFinite, false, "012", 0}).Validate().ok());
  EXPECT_FALSE((Decimal{Decimal::Kind::kFinite, true, "", 0}).Validate().ok());
  EXPECT_FALSE((Decimal{Decimal::Kind::kFinite, false, "1a", 0}).Validate().ok());
  EXPECT_FALSE((Decimal{Decimal::Kind::kFinite, false, "1", -1}).Validate().ok());
  EXPECT_FALSE((Decimal{Decimal::Kind::kNaN, true, "", 0}).Validate().ok());
  EXPECT_FALSE(
      (Decimal{Decimal::Kind::kFinite, false, "1", Decimal::kMaxScale + 1}).Validate().ok());
}

TEST(DatumTest, ValidateRanges) {
  EXPECT_TRUE(ValidateDatum(Datum::Int(ColumnType::kInt2, 32767)).ok());
  EXPECT_FALSE(ValidateDatum(Datum::Int(ColumnType::kInt2, 32768)).ok());
  EXPECT_FALSE(ValidateDatum(Datum::Int(ColumnType::kInt4, int64_t{1} << 31)).ok());
  EXPECT_FALSE(ValidateDatum(Datum::Int(ColumnType::kOid, -1)).ok());
  EXPECT_FALSE(ValidateDatum(Datum::Int(ColumnType::kTime, kMicrosecondsPerDay + 1)).ok());
  EXPECT_FALSE(ValidateDatum(Datum::Float(ColumnType::kFloat4, 0.1)).ok());
  EXPECT_TRUE(ValidateDatum(Datum::Float(ColumnType::kFloat4, 0.5)).ok());
  EXPECT_FALSE(ValidateDatum(Datum::Bytes(ColumnType::kUuid, "short")).ok());
  EXPECT_TRUE(ValidateDatum(Datum::Null(ColumnType::kUuid)).ok());
}

TEST(DatumTest, EqualityIsRepresentational) {
  double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(Datum::Float(ColumnType::kFloat8, nan), Datum::Float(ColumnType::kFloat8, -nan));
  EXPECT_NE(Datum::Float(ColumnType::kFloat8, 0.0), Datum::Float(ColumnType::kFloat8, -0.0));
  EXPECT_NE(Datum::Numeric(*Decimal::Parse("1.5")), Datum::Numeric(*Decimal::Parse("1.50")));
  EXPECT_NE(Datum::Int(ColumnType::kInt4, 1), Datum::Int(ColumnType::kInt8, 1));
  EXPECT_NE(Datum::Null(ColumnType::kInt4), Datum::Int(ColumnType::kInt4, 0));
}

TEST(IntervalTest, SpanUsesThirtyDayMonths) {
  EXPECT_EQ((Interval{1, 0, 0}).SpanMicroseconds(), (Interval{0, 30, 0}).SpanMicroseconds());
  EXPECT_EQ((Interval{0, 1, 0}).SpanMicroseconds(),
            (Interval{0, 0, kMicrosecondsPerDay}).SpanMicroseconds());
}

TEST(VarintTest, UvarintRoundTripAndStrictness) {
  std::mt19937_64 rng(1);
  for (int i = 0; i < 2000; ++i) {
    uint64_t v = rng() >> (rng() % 64);
    std::string bytes;
    AppendUvarint(bytes, v);
    ByteReader reader(bytes);
    ASSERT_EQ(*reader.ReadUvarint(), v);
    EXPECT_TRUE(reader.empty());
    for (size_t n = 0; n < bytes.size(); ++n) {
      EXPECT_FALSE(ByteReader(std::string_view(bytes).substr(0, n)).ReadUvarint().ok());
    }
  }
  EXPECT_FALSE(ByteReader(std::string("\x80\x00", 2)).ReadUvarint().ok());  // non-minimal
  EXPECT_FALSE(ByteReader(std::string(10, '\xff') + "\x01").ReadUvarint().ok());
  EXPECT_FALSE(ByteReader(std::string(9, '\xff') + "\x02").ReadUvarint().ok());  // > 64 bits
  EXPECT_EQ(*ByteReader(std::string(9, '\xff') + "\x01").ReadUvarint(), ~uint64_t{0});
}

TEST(VarintTest, OrderedUvarintKeepsOrder) {
  std::vector<uint64_t> values = {
      0,           1, 239, 240, 241, 255, 256, 65535, 65536, UINT32_MAX, uint64_t{UINT32_MAX} + 1,
      ~uint64_t{0}};
  std::mt19937_64 rng(2);
  for (int i = 0; i < 500; ++i) values.push_back(rng() >> (rng() % 64));
  for (uint64_t a : values) {
    std::string x;
    AppendOrderedUvarint(x, a);
    ByteReader reader(x);
    ASSERT_EQ(*reader.ReadOrderedUvarint(), a);
    ASSERT_TRUE(reader.empty());
    for (uint64_t b : values) {
      std::string y;
      AppendOrderedUvarint(y, b);
      ASSERT_EQ(x < y, a < b) << a << " " << b;
    }
  }
  EXPECT_FALSE(ByteReader(std::string("\xf1\x05", 2)).ReadOrderedUvarint().ok());  // <= 240
  EXPECT_FALSE(ByteReader(std::string("\xf2\x00\xff", 3)).ReadOrderedUvarint().ok());
  EXPECT_FALSE(ByteReader(std::string("\xf9" + std::string(9, '\x01'))).ReadOrderedUvarint().ok());
  EXPECT_FALSE(ByteReader(std::string("\xf3\x01\x01", 3)).ReadOrderedUvarint().ok());
}

}  // namespace
}  // namespace borealis::encoding
