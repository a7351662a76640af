// qp/cursors.h: FETCH/MOVE positions as PostgreSQL's, rows read lazily, transaction end.
#include "qp/cursors.h"

#include <gtest/gtest.h>

namespace borealis::qp {
namespace {

// A cursor over the integers 1..n that counts how many rows its query produced.
struct Source {
  int64_t n = 0;
  int64_t produced = 0;
  CursorTable::RowSource Make() {
    return [this]() -> Result<std::optional<CursorTable::Row>> {
      if (produced >= n) return std::optional<CursorTable::Row>();
      ++produced;
      return std::optional<CursorTable::Row>(
          CursorTable::Row{sql::Value::Int(sql::TypeId::kInt4, produced)});
    };
  }
};

std::vector<int64_t> Fetch(CursorTable& table, sql::FetchDirection direction, int64_t count) {
  sql::FetchStatement fetch;
  fetch.name = "c";
  fetch.direction = direction;
  fetch.count = count;
  Result<CursorTable::Fetched> fetched = table.Fetch(fetch);
  BOREALIS_CHECK(fetched.ok(), fetched.status().ToString());
  std::vector<int64_t> values;
  for (const CursorTable::Row* row : fetched->rows) values.push_back((*row)[0].int_value());
  return values;
}

using V = std::vector<int64_t>;
constexpr auto kForward = sql::FetchDirection::kForward;
constexpr auto kBackward = sql::FetchDirection::kBackward;
constexpr auto kAbsolute = sql::FetchDirection::kAbsolute;
constexpr auto kRelative = sql::FetchDirection::kRelative;
constexpr int64_t kAll = sql::FetchStatement::kAll;

TEST(CursorTest, PositionsAsPostgres) {
  Source source{3};
  CursorTable table;
  sql::DeclareCursorStatement declare;
  declare.name = "c";
  ASSERT_TRUE(table.Declare(declare, {}, source.Make()).ok());
  EXPECT_EQ(source.produced, 0);  // nothing runs before the first FETCH
  EXPECT_EQ(Fetch(table, kForward, 1), V{1});
  EXPECT_EQ(source.produced, 1);
  EXPECT_EQ(Fetch(table, kForward, kAll), (V{2, 3}));
  EXPECT_EQ(Fetch(table, kForward, 1), V{});
  EXPECT_EQ(Fetch(table, kBackward, 1), V{3});
  EXPECT_EQ(Fetch(table, kBackward, kAll), (V{2, 1}));
  EXPECT_EQ(Fetch(table, kBackward, 1), V{});
  EXPECT_EQ(Fetch(table, kAbsolute, -1), V{3});
  EXPECT_EQ(Fetch(table, kAbsolute, 1), V{1});
  EXPECT_EQ(Fetch(table, kRelative, 1), V{2});
  EXPECT_EQ(Fetch(table, kRelative, 0), V{2});
  EXPECT_EQ(Fetch(table, kAbsolute, 5), V{});
  EXPECT_EQ(Fetch(table, kBackward, 1), V{3});
  EXPECT_EQ(Fetch(table, kForward, -2), (V{2, 1}));
  EXPECT_EQ(source.produced, 3);
}

TEST(CursorTest, NoScrollUnknownAndTransactionEnd) {
  Source source{2};
  CursorTable table;
  sql::DeclareCursorStatement declare;
  declare.name = "c";
  declare.no_scroll = true;
  ASSERT_TRUE(table.Declare(declare, {}, source.Make()).ok());
  EXPECT_EQ(table.Declare(declare, {}, source.Make()).sqlstate(), "42P03");
  EXPECT_EQ(Fetch(table, kForward, 1), V{1});
  sql::FetchStatement back;
  back.name = "c";
  back.direction = kBackward;
  EXPECT_EQ(table.Fetch(back).status().sqlstate(), "55000");
  sql::DeclareCursorStatement hold;
  hold.name = "h";
  hold.hold = true;
  Source held{1};
  ASSERT_TRUE(table.Declare(hold, {}, held.Make()).ok());
  table.EndTransaction(/*commit=*/true);
  EXPECT_EQ(table.Fields("c"), nullptr);
  EXPECT_NE(table.Fields("h"), nullptr);
  back.name = "missing";
  EXPECT_EQ(table.Fetch(back).status().sqlstate(), "34000");
}

}  // namespace
}  // namespace borealis::qp
