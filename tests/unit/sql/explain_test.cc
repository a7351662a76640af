// EXPLAIN: option validation (sql/explain_syntax.h) and the plan printer
// (sql/planner/explain.h) over hand-built plans.
#include "sql/planner/explain.h"

#include <gtest/gtest.h>

#include "sql/ast_explain.h"
#include "sql/parser.h"

namespace borealis::sql::planner {
namespace {

ExplainOptions OptionsOf(const std::string& sql) {
  Result<ParseResult> parsed = Parse(sql);
  BOREALIS_CHECK(parsed.ok(), parsed.status().ToString());
  const ParsedStatement& statement = parsed->statements[0];
  BOREALIS_CHECK(statement.error.ok(), statement.error.ToString());
  return statement.statement->As<ExplainStatement>().options;
}

Status ErrorOf(const std::string& sql) {
  Result<ParseResult> parsed = Parse(sql);
  if (!parsed.ok()) return parsed.status();
  return parsed->statements[0].error;
}

TEST(ExplainTest, Options) {
  ExplainOptions plain = OptionsOf("EXPLAIN SELECT 1");
  EXPECT_FALSE(plain.analyze);
  EXPECT_TRUE(plain.costs);
  EXPECT_FALSE(plain.timing);
  ExplainOptions analyze = OptionsOf("EXPLAIN ANALYZE VERBOSE SELECT 1");
  EXPECT_TRUE(analyze.analyze);
  EXPECT_TRUE(analyze.verbose);
  EXPECT_TRUE(analyze.timing);
  EXPECT_TRUE(analyze.summary);
  ExplainOptions listed =
      OptionsOf("EXPLAIN (ANALYZE on, COSTS off, TIMING 0, SUMMARY false) SELECT 1");
  EXPECT_TRUE(listed.analyze);
  EXPECT_FALSE(listed.costs);
  EXPECT_FALSE(listed.timing);
  EXPECT_FALSE(listed.summary);
  EXPECT_EQ(ErrorOf("EXPLAIN (foo) SELECT 1").sqlstate(), "42601");
  EXPECT_EQ(ErrorOf("EXPLAIN (foo) SELECT 1").position(), 10);
  EXPECT_EQ(ErrorOf("EXPLAIN (analyze maybe) SELECT 1").message(),
            "analyze requires a Boolean value");
  EXPECT_EQ(ErrorOf("EXPLAIN (timing) SELECT 1").sqlstate(), "22023");
  EXPECT_EQ(ErrorOf("EXPLAIN (wal) SELECT 1").sqlstate(), "22023");
  EXPECT_EQ(ErrorOf("EXPLAIN (format yaml) SELECT 1").sqlstate(), "0A000");
  EXPECT_EQ(ErrorOf("EXPLAIN (format nope) SELECT 1").sqlstate(), "22023");
}

// Table t (a int4 primary key, b text).
TableInfo Table(const std::string& alias) {
  auto descriptor = std::make_shared<catalog::TableDescriptor>();
  descriptor->id = 200;
  descriptor->name = "t";
  descriptor->columns.push_back({1, "a", 23, -1, true, std::nullopt, false});
  descriptor->columns.push_back({2, "b", 25, -1, false, std::nullopt, false});
  descriptor->primary_key = {1};
  descriptor->next_column_id = 3;
  Result<TableInfo> info = MakeTableInfo(descriptor, alias);
  BOREALIS_CHECK(info.ok());
  return std::move(info).value();
}

BoundExprPtr Where(const TableInfo& table, const std::string& where) {
  Result<ParseResult> parsed = Parse("SELECT 1 FROM t WHERE " + where);
  BOREALIS_CHECK(parsed.ok());
  const auto& select = parsed->statements[0].statement->As<SelectStatement>();
  Binder binder(parsed->source, {});
  binder.SetScope(&table.scope);
  Result<BoundExprPtr> predicate = binder.BindCondition(*select.where, "WHERE");
  BOREALIS_CHECK(predicate.ok(), predicate.status().ToString());
  return std::move(predicate).value();
}

std::string Print(const PlanNode& plan, const ExplainOptions& options,
                  const ExecutionStats* stats = nullptr) {
  ExplainTarget target;
  target.plan = &plan;
  std::string out;
  for (const std::string& line : PrintPlan(target, options, stats)) out += line + "\n";
  return out;
}

TEST(ExplainTest, FiltersFoldIntoScansAndIndexConditions) {
  TableInfo table = Table("t");
  PlanPtr scan = MakeFilter(MakeScan(table), Where(table, "b = 'x'"));
  Optimize(*scan);
  EXPECT_EQ(Print(*scan, {}), "Seq Scan on t\n  Filter: (b = 'x'::text)\n");
  PlanPtr point = MakeFilter(MakeScan(table), Where(table, "a = 1 AND b <> 'y'"));
  Optimize(*point);
  EXPECT_EQ(Print(*point, {}),
            "Index Scan using t_pkey on t\n  Index Cond: (a = 1)\n  Filter: (b <> 'y'::text)\n");
}

TEST(ExplainTest, NestedNodesAndAnalyzeCounts) {
  TableInfo table = Table("x");
  auto limit = std::make_unique<PlanNode>(PlanKind::kLimit);
  auto sort = std::make_unique<PlanNode>(PlanKind::kSort);
  PlanPtr filter = MakeFilter(MakeScan(table), Where(table, "x.a > 2"));
  const PlanNode* filter_node = filter.get();
  const PlanNode* scan_node = filter->child.get();
  sort->child = std::move(filter);
  SortKey key;
  auto column = std::make_unique<BoundExpr>();
  column->kind = BoundKind::kColumn;
  column->type = TypeId::kText;
  column->column_index = 1;
  key.expr = std::move(column);
  key.descending = true;
  key.nulls_first = true;  // DESC's default
  sort->sort_keys.push_back(std::move(key));
  const PlanNode* sort_node = sort.get();
  limit->child = std::move(sort);
  ExplainOptions options;
  EXPECT_EQ(Print(*limit, options),
            "Limit\n"
            "  ->  Sort\n"
            "        Sort Key: b DESC\n"
            "        ->  Seq Scan on t x\n"
            "              Filter: (a > 2)\n");
  options.analyze = true;
  ExecutionStats stats;
  stats[limit.get()] = {1, 1};
  stats[sort_node] = {1, 1};
  stats[filter_node] = {3, 1};
  stats[scan_node] = {10, 1};
  EXPECT_EQ(Print(*limit, options, &stats),
            "Limit (actual rows=1 loops=1)\n"
            "  ->  Sort (actual rows=1 loops=1)\n"
            "        Sort Key: b DESC\n"
            "        ->  Seq Scan on t x (actual rows=3 loops=1)\n"
            "              Filter: (a > 2)\n"
            "              Rows Removed by Filter: 7\n");
  ExecutionStats none;
  EXPECT_EQ(Print(*limit, options, &none).substr(0, 24), "Limit (never executed)\n ");
}

}  // namespace
}  // namespace borealis::sql::planner
