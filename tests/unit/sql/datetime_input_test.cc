// (helper D) Date/time text input by DateStyle order (sql/datetime_input.h) and the session
// dependence that keeps the binder from folding such literals. Expected values are PostgreSQL
// 15's (TimeZone UTC).
#include "sql/datetime_input.h"

#include <gtest/gtest.h>

#include "sql/datetime.h"

namespace borealis::sql {
namespace {

std::string Parse(TypeId type, std::string_view text, DateOrder order = DateOrder::kMdy,
                  std::optional<int64_t> now = std::nullopt) {
  Result<Value> value = ParseDateTimeInput(type, text, DateTimeInputOptions{order, now});
  if (!value.ok()) return value.status().sqlstate();
  return FormatText(*value, OutputOptions{});
}

TEST(DateTimeInputTest, DateStyleOrder) {
  EXPECT_EQ(Parse(TypeId::kDate, "03/09/2010"), "2010-03-09");
  EXPECT_EQ(Parse(TypeId::kDate, "03/09/2010", DateOrder::kDmy), "2010-09-03");
  EXPECT_EQ(Parse(TypeId::kDate, "03/09/2010", DateOrder::kYmd), "22008");
  EXPECT_EQ(Parse(TypeId::kDate, "10-03-09", DateOrder::kYmd), "2010-03-09");
  EXPECT_EQ(Parse(TypeId::kDate, "13/01/2020"), "22008");
  EXPECT_EQ(Parse(TypeId::kDate, "3-9-69"), "2069-03-09");
  EXPECT_EQ(Parse(TypeId::kDate, "3-9-70"), "1970-03-09");
}

TEST(DateTimeInputTest, Words) {
  EXPECT_EQ(Parse(TypeId::kDate, "March 9, 2010"), "2010-03-09");
  EXPECT_EQ(Parse(TypeId::kDate, "9 Mar 2010", DateOrder::kYmd), "2010-03-09");
  EXPECT_EQ(Parse(TypeId::kTimestampTz, "Tue Mar 09 12:34:56 2010 UTC"), "2010-03-09 12:34:56+00");
  EXPECT_EQ(Parse(TypeId::kDate, "1999.008"), "1999-01-08");
  EXPECT_EQ(Parse(TypeId::kDate, "J2451187"), "1999-01-08");
  EXPECT_EQ(Parse(TypeId::kTime, "04:05 PM"), "16:05:00");
  EXPECT_EQ(Parse(TypeId::kTime, "040506"), "04:05:06");
  EXPECT_EQ(Parse(TypeId::kTime, "allballs"), "00:00:00");
  EXPECT_EQ(Parse(TypeId::kDate, "blue moon"), "22007");
  EXPECT_EQ(Parse(TypeId::kTimestampTz, "2010-03-09 12:00+16"), "22009");
}

TEST(DateTimeInputTest, RelativeToNow) {
  int64_t noon = 10 * kMicrosPerDay + kMicrosPerDay / 2;  // 2000-01-11 12:00
  EXPECT_EQ(Parse(TypeId::kDate, "today"), "0A000");
  EXPECT_EQ(Parse(TypeId::kDate, "today-ish"), "22007");
  EXPECT_EQ(Parse(TypeId::kDate, "tomorrow", DateOrder::kMdy, noon), "2000-01-12");
  EXPECT_EQ(Parse(TypeId::kTimestamp, "yesterday 10:00", DateOrder::kMdy, noon),
            "2000-01-10 10:00:00");
  EXPECT_EQ(Parse(TypeId::kTimestamp, "now", DateOrder::kMdy, noon), "2000-01-11 12:00:00");
  EXPECT_EQ(Parse(TypeId::kTime, "now", DateOrder::kMdy, noon), "12:00:00");
}

TEST(DateTimeInputTest, SessionDependence) {
  EXPECT_FALSE(DateTimeTextDependsOnSession("2010-03-09 12:34:56"));
  EXPECT_FALSE(DateTimeTextDependsOnSession("2010-Mar-09"));
  EXPECT_FALSE(DateTimeTextDependsOnSession("March 9, 2010"));         // the same in every order
  EXPECT_FALSE(DateTimeTextDependsOnSession("Feb 29 17:32:01 1997"));  // fails in every order
  EXPECT_TRUE(DateTimeTextDependsOnSession("03/09/2010"));
  EXPECT_TRUE(DateTimeTextDependsOnSession("13/09/2010"));  // valid in DMY
  EXPECT_TRUE(DateTimeTextDependsOnSession("today"));
  EXPECT_TRUE(DateTimeTextDependsOnSession("now"));
}

}  // namespace
}  // namespace borealis::sql
