// Type modifiers (sql/typmod.h), Numeric::Round (sql/numeric.h) and DateStyle output
// (sql/datetime.h): encodings as PostgreSQL's atttypmod, rounding and overflow at the edges.
#include "sql/typmod.h"

#include <gtest/gtest.h>

#include <vector>

#include "sql/datetime.h"
#include "sql/numeric.h"

namespace borealis::sql {
namespace {

Value NumericValue(const char* text) { return Value::FromNumeric(*Numeric::Parse(text)); }

std::string Applied(const char* text, int32_t typmod) {
  Result<Value> v = ApplyTypmod(NumericValue(text), typmod);
  return v.ok() ? v->numeric_value().ToString() : v.status().sqlstate();
}

int32_t Typmod(TypeId type, std::vector<int64_t> modifiers) {
  std::vector<std::string> warnings;
  Result<int32_t> typmod = TypmodFromModifiers(type, modifiers, warnings);
  EXPECT_TRUE(typmod.ok()) << typmod.status().message();
  return typmod.ok() ? *typmod : -1;
}

TEST(TypmodTest, EncodesAsPostgres) {
  EXPECT_EQ(Typmod(TypeId::kNumeric, {10, 2}), (10 << 16 | 2) + 4);
  EXPECT_EQ(Typmod(TypeId::kNumeric, {5}), (5 << 16) + 4);
  int32_t negative = Typmod(TypeId::kNumeric, {3, -2});
  EXPECT_EQ(NumericTypmodPrecision(negative), 3);
  EXPECT_EQ(NumericTypmodScale(negative), -2);
  EXPECT_EQ(NumericTypmodScale(Typmod(TypeId::kNumeric, {1000, 1000})), 1000);
  EXPECT_EQ(NumericTypmodScale(Typmod(TypeId::kNumeric, {1, -1000})), -1000);
  EXPECT_EQ(Typmod(TypeId::kVarchar, {10}), 14);
  EXPECT_EQ(Typmod(TypeId::kTimestamp, {3}), 3);
  EXPECT_EQ(TypeNameWithTypmod(TypeId::kNumeric, Typmod(TypeId::kNumeric, {10, 2})),
            "numeric(10,2)");
  EXPECT_EQ(TypeNameWithTypmod(TypeId::kTimestampTz, 3), "timestamp(3) with time zone");
  EXPECT_EQ(TypeNameWithTypmod(TypeId::kTime, 0), "time(0) without time zone");
  EXPECT_EQ(TypeNameWithTypmod(TypeId::kVarchar, 14), "character varying(10)");
}

TEST(TypmodTest, RefusesWhatPostgresRefuses) {
  std::vector<std::string> warnings;
  for (std::vector<int64_t> bad :
       std::vector<std::vector<int64_t>>{{0}, {1001}, {5, 1001}, {5, -1001}, {1, 2, 3}, {}}) {
    Result<int32_t> typmod = TypmodFromModifiers(TypeId::kNumeric, bad, warnings);
    ASSERT_FALSE(typmod.ok());
    EXPECT_EQ(typmod.status().sqlstate(), "22023");
  }
  EXPECT_EQ(TypmodFromModifiers(TypeId::kTimestamp, std::vector<int64_t>{-1}, warnings)
                .status()
                .sqlstate(),
            "22023");
  EXPECT_EQ(
      TypmodFromModifiers(TypeId::kInt4, std::vector<int64_t>{1}, warnings).status().sqlstate(),
      "42601");
  EXPECT_TRUE(warnings.empty());
  EXPECT_EQ(*TypmodFromModifiers(TypeId::kTimestamp, std::vector<int64_t>{7}, warnings), 6);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0], "TIMESTAMP(7) precision reduced to maximum allowed, 6");
}

TEST(TypmodTest, NumericRoundsAndOverflows) {
  int32_t five_two = Typmod(TypeId::kNumeric, {5, 2});
  EXPECT_EQ(Applied("1.235", five_two), "1.24");
  EXPECT_EQ(Applied("-1.235", five_two), "-1.24");
  EXPECT_EQ(Applied("999.994", five_two), "999.99");
  EXPECT_EQ(Applied("999.995", five_two), "22003");  // rounds to 1000.00
  EXPECT_EQ(Applied("0", five_two), "0.00");
  EXPECT_EQ(Applied("NaN", five_two), "NaN");
  int32_t two_two = Typmod(TypeId::kNumeric, {2, 2});
  EXPECT_EQ(Applied("0.994", two_two), "0.99");
  EXPECT_EQ(Applied("0.995", two_two), "22003");
  int32_t three_minus_two = Typmod(TypeId::kNumeric, {3, -2});
  EXPECT_EQ(Applied("12345", three_minus_two), "12300");
  EXPECT_EQ(Applied("99950", three_minus_two), "22003");
  Result<Value> overflow = ApplyTypmod(NumericValue("10"), two_two);
  EXPECT_EQ(overflow.status().detail(),
            "A field with precision 2, scale 2 must round to an absolute value less than 1.");
}

TEST(TypmodTest, NumericRound) {
  EXPECT_EQ(Numeric::Parse("9.995")->Round(2).ToString(), "10.00");
  EXPECT_EQ(Numeric::Parse("0.0049")->Round(2).ToString(), "0.00");
  EXPECT_EQ(Numeric::Parse("-0.005")->Round(2).ToString(), "-0.01");
  EXPECT_EQ(Numeric::Parse("1234.5678")->Round(-2).ToString(), "1200");
  EXPECT_EQ(Numeric::Parse("1250")->Round(-2).ToString(), "1300");
  EXPECT_EQ(Numeric::Parse("49")->Round(-2).ToString(), "0");
  EXPECT_EQ(Numeric::Parse("1.5")->Round(4).ToString(), "1.5000");
  EXPECT_EQ(Numeric::Parse("-1.99")->Round(0, /*truncate=*/true).ToString(), "-1");
  EXPECT_EQ(Numeric::Parse("123.45")->IntegerDigits(), 3);
  EXPECT_EQ(Numeric::Parse("0.45")->IntegerDigits(), 0);
}

TEST(TypmodTest, TimestampsRoundHalfAwayFromZero) {
  auto ts = [](const char* text) { return *ParseText(TypeId::kTimestamp, text); };
  auto applied = [](const Value& v, int32_t typmod) {
    return FormatText(*ApplyTypmod(v, typmod), OutputOptions{});
  };
  EXPECT_EQ(applied(ts("2024-01-01 10:00:00.5"), 0), "2024-01-01 10:00:01");
  EXPECT_EQ(applied(ts("2024-01-01 10:00:00.123456"), 3), "2024-01-01 10:00:00.123");
  EXPECT_EQ(applied(ts("1999-12-31 23:59:59.5"), 0), "1999-12-31 23:59:59");  // negative
  EXPECT_EQ(applied(ts("infinity"), 0), "infinity");
  EXPECT_EQ(applied(*ParseText(TypeId::kTime, "23:59:59.99"), 1), "24:00:00");
}

TEST(DateStyleTest, EveryStyleAndOrder) {
  Value date = *ParseText(TypeId::kDate, "2010-03-09");
  Value bc = *ParseText(TypeId::kTimestampTz, "0044-03-15 10:00:00.5+00 BC");
  auto out = [](const Value& v, DateStyle style, DateOrder order) {
    OutputOptions options;
    options.date_style = style;
    options.date_order = order;
    return FormatText(v, options);
  };
  EXPECT_EQ(out(date, DateStyle::kIso, DateOrder::kDmy), "2010-03-09");
  EXPECT_EQ(out(date, DateStyle::kSql, DateOrder::kMdy), "03/09/2010");
  EXPECT_EQ(out(date, DateStyle::kSql, DateOrder::kDmy), "09/03/2010");
  EXPECT_EQ(out(date, DateStyle::kPostgres, DateOrder::kMdy), "03-09-2010");
  EXPECT_EQ(out(date, DateStyle::kGerman, DateOrder::kMdy), "09.03.2010");
  EXPECT_EQ(out(bc, DateStyle::kPostgres, DateOrder::kMdy), "Fri Mar 15 10:00:00.5 0044 UTC BC");
  EXPECT_EQ(out(bc, DateStyle::kPostgres, DateOrder::kDmy), "Fri 15 Mar 10:00:00.5 0044 UTC BC");
  EXPECT_EQ(out(bc, DateStyle::kIso, DateOrder::kMdy), "0044-03-15 10:00:00.5+00 BC");
}

}  // namespace
}  // namespace borealis::sql
