#include <gtest/gtest.h>

#include "sql/parser.h"
#include "sql/planner/plan.h"

namespace borealis::sql::planner {
namespace {

// Table t (a int4, b text, c int8) with primary key (a, b).
TableInfo Table() {
  auto descriptor = std::make_shared<catalog::TableDescriptor>();
  descriptor->id = 200;
  descriptor->name = "t";
  descriptor->columns.push_back({1, "a", 23, -1, true, std::nullopt, false});
  descriptor->columns.push_back({2, "b", 25, -1, true, std::nullopt, false});
  descriptor->columns.push_back({3, "c", 20, -1, false, std::nullopt, false});
  descriptor->primary_key = {1, 2};
  descriptor->next_column_id = 4;
  Result<TableInfo> info = MakeTableInfo(descriptor, "t");
  BOREALIS_CHECK(info.ok());
  return std::move(info).value();
}

// Plans `SELECT * FROM t WHERE <where>` as Filter(Scan) and returns the scan's access path.
std::string AccessFor(const std::string& where) {
  TableInfo table = Table();
  Result<ParseResult> parsed = Parse("SELECT 1 FROM t WHERE " + where);
  BOREALIS_CHECK(parsed.ok());
  const auto& select = parsed->statements[0].statement->As<SelectStatement>();
  Binder binder(parsed->source, {});
  binder.SetScope(&table.scope);
  Result<BoundExprPtr> predicate = binder.BindCondition(*select.where, "WHERE");
  BOREALIS_CHECK(predicate.ok(), predicate.status().ToString());
  PlanPtr plan = MakeFilter(MakeScan(table), std::move(predicate).value());
  Optimize(*plan);
  return Explain(*plan);
}

TEST(PlannerTest, ChoosesAccessPathFromLeadingKeyColumns) {
  EXPECT_EQ(AccessFor("a = 1 AND b = 'x'"), "Filter\n  Scan t point get (2 key columns)\n");
  EXPECT_EQ(AccessFor("b = 'x' AND 1 = a AND c > 3"),
            "Filter\n  Scan t point get (2 key columns)\n");
  EXPECT_EQ(AccessFor("a = 1"), "Filter\n  Scan t prefix range (1 key columns)\n");
  EXPECT_EQ(AccessFor("a = $1"), "Filter\n  Scan t prefix range (1 key columns)\n");
  EXPECT_EQ(AccessFor("a = 5000000000"), "Filter\n  Scan t prefix range (1 key columns)\n");
}

TEST(PlannerTest, FullScanWhenLeadingKeyIsNotFixed) {
  EXPECT_EQ(AccessFor("b = 'x'"), "Filter\n  Scan t full scan\n");
  // A range on the leading key column reads that range of the primary key.
  EXPECT_EQ(AccessFor("a > 1"), "Filter\n  Scan t index scan t_pkey (range)\n");
  EXPECT_EQ(AccessFor("b > 'x'"), "Filter\n  Scan t full scan\n");
  EXPECT_EQ(AccessFor("a = 1 OR b = 'x'"), "Filter\n  Scan t full scan\n");
  EXPECT_EQ(AccessFor("a = c"), "Filter\n  Scan t full scan\n");
}

}  // namespace
}  // namespace borealis::sql::planner
