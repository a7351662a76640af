// Date/time values (sql/datetime.h): ISO input and output, ranges, casts. Expected values are
// PostgreSQL 15's (TimeZone UTC).
#include "sql/datetime.h"

#include <gtest/gtest.h>

namespace borealis::sql {
namespace {

std::string RoundTrip(TypeId type, std::string_view text) {
  Result<Value> value = ParseText(type, text);
  if (!value.ok()) return value.status().sqlstate();
  return FormatText(*value, OutputOptions{});
}

TEST(DateTimeTest, InputOutput) {
  EXPECT_EQ(RoundTrip(TypeId::kDate, "2000-01-01"), "2000-01-01");
  EXPECT_EQ(RoundTrip(TypeId::kDate, " 1999-12-31 "), "1999-12-31");
  EXPECT_EQ(RoundTrip(TypeId::kDate, "0001-01-01 BC"), "0001-01-01 BC");
  EXPECT_EQ(RoundTrip(TypeId::kDate, "2024-02-30"), "22008");
  EXPECT_EQ(RoundTrip(TypeId::kDate, "yesterday-ish"), "22007");
  EXPECT_EQ(RoundTrip(TypeId::kTimestamp, "1970-01-01 00:00:00"), "1970-01-01 00:00:00");
  EXPECT_EQ(RoundTrip(TypeId::kTimestamp, "2024-03-10T01:02:03.000450"),
            "2024-03-10 01:02:03.00045");
  EXPECT_EQ(RoundTrip(TypeId::kTimestamp, "1900-02-28 23:59:59.9999995"), "1900-03-01 00:00:00");
  EXPECT_EQ(RoundTrip(TypeId::kTimestampTz, "2024-01-01 00:00:00+05:30"), "2023-12-31 18:30:00+00");
  EXPECT_EQ(RoundTrip(TypeId::kTimestampTz, "2024-01-01 00:00:00 UTC"), "2024-01-01 00:00:00+00");
  EXPECT_EQ(RoundTrip(TypeId::kTimestamp, "infinity"), "infinity");
  EXPECT_EQ(RoundTrip(TypeId::kTime, "24:00:00"), "24:00:00");
  EXPECT_EQ(RoundTrip(TypeId::kTime, "12:60"), "22008");
}

TEST(DateTimeTest, Representation) {
  EXPECT_EQ(ParseText(TypeId::kDate, "2000-01-01")->int_value(), 0);
  EXPECT_EQ(ParseText(TypeId::kDate, "1970-01-01")->int_value(), -10957);
  EXPECT_EQ(ParseText(TypeId::kTimestamp, "2000-01-02 00:00:01")->int_value(),
            kMicrosPerDay + 1'000'000);
  Value now = TimestampFromUnixNanos(946'684'800'000'000'000ULL + 1'500, TypeId::kTimestampTz);
  EXPECT_EQ(now.int_value(), 1);
  Value value = *ParseText(TypeId::kTimestamp, "2021-06-30 12:00:00.25");
  EXPECT_EQ(ReceiveBinary(TypeId::kTimestamp, SendBinary(value))->int_value(), value.int_value());
}

TEST(DateTimeTest, Casts) {
  Value ts = *ParseText(TypeId::kTimestamp, "1960-05-06 07:08:09");
  EXPECT_EQ(FormatText(*CastValue(ts, TypeId::kDate), OutputOptions{}), "1960-05-06");
  EXPECT_EQ(FormatText(*CastValue(ts, TypeId::kTime), OutputOptions{}), "07:08:09");
  Value date = *ParseText(TypeId::kDate, "1960-05-06");
  EXPECT_EQ(FormatText(*CastValue(date, TypeId::kTimestamp), OutputOptions{}),
            "1960-05-06 00:00:00");
  EXPECT_TRUE(CanCast(TypeId::kDate, TypeId::kTimestamp, CastContext::kImplicit));
  EXPECT_FALSE(CanCast(TypeId::kTimestamp, TypeId::kDate, CastContext::kImplicit));
  EXPECT_TRUE(CanCast(TypeId::kTimestamp, TypeId::kDate, CastContext::kAssignment));
  EXPECT_FALSE(CanCast(TypeId::kTime, TypeId::kDate, CastContext::kExplicit));
}

}  // namespace
}  // namespace borealis::sql
