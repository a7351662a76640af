// The interval type (sql/interval.h): input forms, the four IntervalStyle outputs, type
// modifiers, binary I/O, comparison and arithmetic. Expected values are PostgreSQL 15's.
#include "sql/interval.h"

#include <gtest/gtest.h>

#include "sql/datetime.h"

namespace borealis::sql {
namespace {

struct Case {
  std::string_view input;
  std::string_view postgres;
  std::string_view verbose;
  std::string_view sql_standard;
  std::string_view iso_8601;
};

// Produced by PostgreSQL 15 (`SET IntervalStyle ...; SELECT interval '<input>'`).
constexpr Case kCases[] = {
    {"1 day 2 hours", "1 day 02:00:00", "@ 1 day 2 hours", "1 2:00:00", "P1DT2H"},
    {"1-2", "1 year 2 mons", "@ 1 year 2 mons", "1-2", "P1Y2M"},
    {"@ 1 minute ago", "-00:01:00", "@ 1 min ago", "-0:01:00", "PT-1M"},
    {"P1Y2M3DT4H5M6S", "1 year 2 mons 3 days 04:05:06",
     "@ 1 year 2 mons 3 days 4 hours 5 mins 6 secs", "+1-2 +3 +4:05:06", "P1Y2M3DT4H5M6S"},
    {"1 day 02:03:04.5", "1 day 02:03:04.5", "@ 1 day 2 hours 3 mins 4.5 secs", "1 2:03:04.5",
     "P1DT2H3M4.5S"},
    {"-1 days +2 hours", "-1 days +02:00:00", "@ 1 day -2 hours ago", "+0-0 -1 +2:00:00",
     "P-1DT2H"},
    {"1.5 years", "1 year 6 mons", "@ 1 year 6 mons", "1-6", "P1Y6M"},
    {"-1.5 days", "-1 days -12:00:00", "@ 1 day 12 hours ago", "-1 12:00:00", "P-1DT-12H"},
    {"1:2.5", "00:01:02.5", "@ 1 min 2.5 secs", "0:01:02.5", "PT1M2.5S"},
    {"1 2:03", "1 day 02:03:00", "@ 1 day 2 hours 3 mins", "1 2:03:00", "P1DT2H3M"},
    {"P0001-02-03T04:05:06", "1 year 2 mons 3 days 04:05:06",
     "@ 1 year 2 mons 3 days 4 hours 5 mins 6 secs", "+1-2 +3 +4:05:06", "P1Y2M3DT4H5M6S"},
    {"3 microseconds 2 milliseconds", "00:00:00.002003", "@ 0.002003 secs", "0:00:00.002003",
     "PT0.002003S"},
    {"-0.5", "-00:00:00.5", "@ 0.5 secs ago", "-0:00:00.5", "PT-0.5S"},
    {"1 week 2 days", "9 days", "@ 9 days", "9 0:00:00", "P9D"},
    {"+1 -2:30", "1 day -02:30:00", "@ 1 day -2 hours -30 mins", "+0-0 +1 -2:30:00", "P1DT-2H-30M"},
    {"1 year -1 month 3 days -04:05:06.789", "11 mons 3 days -04:05:06.789",
     "@ 11 mons 3 days -4 hours -5 mins -6.789 secs", "+0-11 +3 -4:05:06.789",
     "P11M3DT-4H-5M-6.789S"},
    {"100:00:00", "100:00:00", "@ 100 hours", "100:00:00", "PT100H"},
    {"-1-2", "-1 years -2 mons", "@ 1 year 2 mons ago", "-1-2", "P-1Y-2M"},
    {"0", "00:00:00", "@ 0", "0", "PT0S"},
    {"1 mon 30 days", "1 mon 30 days", "@ 1 mon 30 days", "+0-1 +30 +0:00:00", "P1M30D"},
    {"2 weeks ago", "-14 days", "@ 14 days ago", "-14 0:00:00", "P-14D"},
    {"1 millennium 2 centuries 3 decades", "1230 years", "@ 1230 years", "1230-0", "P1230Y"},
    {"1.25 months", "1 mon 7 days 12:00:00", "@ 1 mon 7 days 12 hours", "+0-1 +7 +12:00:00",
     "P1M7DT12H"},
    {"0.5 weeks", "3 days 12:00:00", "@ 3 days 12 hours", "3 12:00:00", "P3DT12H"},
    {"P1.5Y", "1 year 6 mons", "@ 1 year 6 mons", "1-6", "P1Y6M"},
    {"PT1.5S", "00:00:01.5", "@ 1.5 secs", "0:00:01.5", "PT1.5S"},
    {"P-1Y-2M", "-1 years -2 mons", "@ 1 year 2 mons ago", "-1-2", "P-1Y-2M"},
    {"1 hour 30 minutes", "01:30:00", "@ 1 hour 30 mins", "1:30:00", "PT1H30M"},
    {"10 secs", "00:00:10", "@ 10 secs", "0:00:10", "PT10S"},
    {"1 sec", "00:00:01", "@ 1 sec", "0:00:01", "PT1S"},
    {"-1 sec", "-00:00:01", "@ 1 sec ago", "-0:00:01", "PT-1S"},
    {"-0.000001 sec", "-00:00:00.000001", "@ 0.000001 secs ago", "-0:00:00.000001", "PT-0.000001S"},
    {"123456789 hours", "123456789:00:00", "@ 123456789 hours", "123456789:00:00", "PT123456789H"},
};

Interval Parse(std::string_view text, int32_t typmod = kNoIntervalTypmod) {
  Result<Interval> r = ParseInterval(text, typmod);
  EXPECT_TRUE(r.ok()) << text << ": " << r.status().ToString();
  return r.ok() ? *r : Interval{};
}

std::string Show(const Result<Interval>& r) {
  if (!r.ok()) return std::string(r.status().sqlstate());
  return FormatInterval(*r, IntervalStyle::kPostgres);
}

TEST(IntervalTest, InputAndAllOutputStyles) {
  for (const Case& c : kCases) {
    Interval v = Parse(c.input);
    EXPECT_EQ(FormatInterval(v, IntervalStyle::kPostgres), c.postgres) << c.input;
    EXPECT_EQ(FormatInterval(v, IntervalStyle::kPostgresVerbose), c.verbose) << c.input;
    EXPECT_EQ(FormatInterval(v, IntervalStyle::kSqlStandard), c.sql_standard) << c.input;
    EXPECT_EQ(FormatInterval(v, IntervalStyle::kIso8601), c.iso_8601) << c.input;
    // Every style's output reads back as the same fields (PostgreSQL's round trip).
    for (IntervalStyle style :
         {IntervalStyle::kPostgres, IntervalStyle::kPostgresVerbose, IntervalStyle::kIso8601}) {
      EXPECT_EQ(Parse(FormatInterval(v, style)), v) << c.input;
    }
  }
}

TEST(IntervalTest, FieldsAreKeptApart) {
  Interval v = Parse("1 year 2 mons 3 days 04:05:06.5");
  EXPECT_EQ(v.months, 14);
  EXPECT_EQ(v.days, 3);
  EXPECT_EQ(v.micros, ((4 * 60 + 5) * 60 + 6) * 1'000'000LL + 500'000);
  EXPECT_EQ(Parse("30 days").days, 30);
  EXPECT_EQ(Parse("30 days").months, 0);
}

TEST(IntervalTest, InputErrors) {
  EXPECT_EQ(Show(ParseInterval("1 day 2 days")), "22007");
  EXPECT_EQ(Show(ParseInterval("1 2")), "22007");
  EXPECT_EQ(Show(ParseInterval("")), "22007");
  EXPECT_EQ(Show(ParseInterval("ago")), "22007");
  EXPECT_EQ(Show(ParseInterval("1 qtr")), "22007");
  EXPECT_EQ(Show(ParseInterval("1,2")), "22007");
  EXPECT_EQ(Show(ParseInterval("1 mon, 2 days")), "1 mon 2 days");
  EXPECT_EQ(Show(ParseInterval("x")), "22007");
  EXPECT_EQ(Show(ParseInterval("2147483648 days")), "22015");
  EXPECT_EQ(Show(ParseInterval("1:60")), "22015");
  EXPECT_EQ(ParseInterval("x").status().message(), "invalid input syntax for type interval: \"x\"");
}

TEST(IntervalTest, TypeModifiers) {
  auto typmod = [](std::initializer_list<int64_t> mods) {
    std::vector<int64_t> v(mods);
    Result<int32_t> t = IntervalTypmodFromModifiers(v);
    EXPECT_TRUE(t.ok());
    return t.ok() ? *t : kNoIntervalTypmod;
  };
  constexpr int64_t kYear = 1 << 2, kMonth = 1 << 1, kDay = 1 << 3, kHour = 1 << 10,
                    kMinute = 1 << 11, kSecond = 1 << 12;
  EXPECT_EQ(Show(ParseInterval("1", typmod({kYear}))), "1 year");
  EXPECT_EQ(Show(ParseInterval("1 2", typmod({kDay | kHour}))), "1 day 02:00:00");
  EXPECT_EQ(Show(ParseInterval("12:34", typmod({kMinute | kSecond}))), "00:12:34");
  EXPECT_EQ(Show(ParseInterval("1 year 2 months 3 days", typmod({kYear | kMonth}))),
            "1 year 2 mons");
  EXPECT_EQ(Show(ParseInterval("1 day 02:03:04", typmod({kDay | kHour | kMinute}))),
            "1 day 02:03:00");
  EXPECT_EQ(Show(ParseInterval("1.23456 sec", typmod({0x7FFF, 2}))), "00:00:01.23");
  EXPECT_EQ(Show(ParseInterval("-1.235 sec", typmod({kDay | kHour | kMinute | kSecond, 2}))),
            "-00:00:01.24");
  std::vector<int64_t> bad = {12345};
  EXPECT_EQ(IntervalTypmodFromModifiers(bad).status().sqlstate(), "22023");
}

TEST(IntervalTest, Binary) {
  Interval v = Parse("1 year 2 mons -3 days 04:05:06.000007");
  std::string bytes = SendIntervalBinary(v);
  ASSERT_EQ(bytes.size(), 16u);
  EXPECT_EQ(static_cast<uint8_t>(bytes[15]), 14);  // months last, big-endian
  EXPECT_EQ(*ReceiveIntervalBinary(bytes), v);
  EXPECT_EQ(ReceiveIntervalBinary("short").status().sqlstate(), "22P03");
}

TEST(IntervalTest, ComparesBySpan) {
  EXPECT_EQ(CompareIntervals(Parse("1 mon"), Parse("30 days")), 0);
  EXPECT_EQ(CompareIntervals(Parse("1 day"), Parse("24 hours")), 0);
  EXPECT_LT(CompareIntervals(Parse("1 day"), Parse("24 hours 1 usec")), 0);
  EXPECT_EQ(CompareIntervals(Parse("1 year"), Parse("360 days")), 0);
  EXPECT_GT(CompareIntervals(Parse("1 year 1 usec"), Parse("360 days")), 0);
}

TEST(IntervalTest, Arithmetic) {
  EXPECT_EQ(Show(AddIntervals(Parse("1 day"), Parse("-2 hours"))), "1 day -02:00:00");
  EXPECT_EQ(Show(MultiplyInterval(Parse("1 mon"), 1.5)), "1 mon 15 days");
  EXPECT_EQ(Show(MultiplyInterval(Parse("1 day"), 0.3)), "07:12:00");
  EXPECT_EQ(Show(DivideInterval(Parse("1 mon"), 7)), "4 days 06:51:25.6896");
  EXPECT_EQ(Show(DivideInterval(Parse("1 day"), 0)), "22012");
  EXPECT_EQ(Show(MultiplyInterval(Parse("1 day"), 1e300)), "22008");
  EXPECT_EQ(Show(NegateInterval(Parse("-2147483648 days"))), "22008");
}

TEST(IntervalTest, TimestampPlusInterval) {
  auto ts = [](std::string_view text) { return ParseText(TypeId::kTimestamp, text)->int_value(); };
  auto show = [](Result<int64_t> r) {
    if (!r.ok()) return std::string(r.status().sqlstate());
    return FormatText(Value::Int(TypeId::kTimestamp, *r), OutputOptions{});
  };
  // Month arithmetic clamps to the month's end.
  EXPECT_EQ(show(AddIntervalToTimestamp(ts("2024-01-31 10:00"), Parse("1 mon"))),
            "2024-02-29 10:00:00");
  EXPECT_EQ(show(AddIntervalToTimestamp(ts("2023-01-31"), Parse("1 mon 1 day"))),
            "2023-03-01 00:00:00");
  EXPECT_EQ(show(AddIntervalToTimestamp(ts("2024-03-31"), Parse("-1 mon"))), "2024-02-29 00:00:00");
  EXPECT_EQ(show(AddIntervalToTimestamp(ts("2024-01-01"), Parse("-13 mons"))),
            "2022-12-01 00:00:00");
  EXPECT_EQ(show(AddIntervalToTimestamp(ts("294276-12-31"), Parse("1 day"))), "22008");
  EXPECT_EQ(show(AddIntervalToTimestamp(ts("infinity"), Parse("1 day"))), "infinity");
}

}  // namespace
}  // namespace borealis::sql
