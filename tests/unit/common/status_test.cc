#include "common/status.h"

#include <gtest/gtest.h>

namespace borealis {
namespace {

Result<int> Half(int x) {
  if (x % 2 != 0) return Status::InvalidArgument("odd");
  return x / 2;
}

Result<int> Quarter(int x) {
  ASSIGN_OR_RETURN(int half, Half(x));
  return Half(half);
}

TEST(StatusTest, OkCarriesNothing) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.code(), Code::kOk);
  EXPECT_EQ(s.message(), "");
}

TEST(StatusTest, SqlErrorKeepsFields) {
  Status s = Status::Sql("42601", "syntax error at or near \"x\"").WithPosition(8).WithHint("h");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.sqlstate(), "42601");
  EXPECT_EQ(s.position(), 8);
  EXPECT_EQ(s.hint(), "h");
  Status copy = s;
  Status changed = Status(copy).WithDetail("d");
  EXPECT_EQ(s.detail(), "");  // copies do not share mutations
  EXPECT_EQ(changed.detail(), "d");
}

TEST(StatusTest, DefaultSqlStates) {
  EXPECT_EQ(Status::NotSupported("x").sqlstate(), "0A000");
  EXPECT_EQ(Status::ResourceExhausted("x").sqlstate(), "54000");
}

TEST(ResultTest, PropagatesErrors) {
  EXPECT_EQ(Quarter(8).value(), 2);
  EXPECT_FALSE(Quarter(6).ok());
  EXPECT_EQ(Quarter(6).status().message(), "odd");
}

TEST(CheckDeathTest, CrashesWithOperands) {
  EXPECT_DEATH(BOREALIS_CHECK_EQ(1, 2), "lhs: 1 rhs: 2");
}

}  // namespace
}  // namespace borealis
