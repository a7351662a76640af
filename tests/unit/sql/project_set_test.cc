// The set-returning functions (sql/set_functions.h) and their operators (sql/exec/project_set.h):
// lockstep evaluation with NULL padding, empty sets, ordinality, the series' edge cases; and
// record_out's quoting (sql/row_expressions.h).
#include "sql/exec/project_set.h"

#include <gtest/gtest.h>

#include "sql/catalog_types.h"
#include "sql/functions.h"
#include "sql/row_expressions.h"
#include "sql/set_functions.h"

namespace borealis::sql {
namespace {

using exec::ExecContext;
using exec::Row;
using planner::PlanKind;
using planner::PlanNode;
using planner::PlanPtr;

class NoSession : public FunctionContext {
 public:
  std::string CurrentUser() const override { return "u"; }
  std::string SessionUser() const override { return "u"; }
  std::string CurrentDatabase() const override { return "d"; }
  std::optional<std::string> CurrentSchema() const override { return "public"; }
  int32_t BackendPid() const override { return 1; }
  Result<std::optional<std::string>> GetSetting(std::string_view, bool) const override {
    return std::optional<std::string>();
  }
  Result<std::string> SetSetting(std::string_view, std::string_view, bool) override {
    return std::string();
  }
  OutputOptions output_options() const override { return OutputOptions{}; }
  double Random() override { return 0.5; }
  Status CheckCancel() override { return Status::Ok(); }
};

BoundExprPtr Constant(Value value) {
  auto expr = std::make_unique<BoundExpr>();
  expr->kind = BoundKind::kConstant;
  expr->type = value.type();
  expr->constant = std::move(value);
  return expr;
}

BoundExprPtr Int(std::optional<int64_t> value) {
  return Constant(value ? Value::Int(TypeId::kInt4, *value) : Value::Null(TypeId::kInt4));
}

BoundExprPtr Column(int index) {
  auto expr = std::make_unique<BoundExpr>();
  expr->kind = BoundKind::kColumn;
  expr->type = TypeId::kInt4;
  expr->column_index = index;
  return expr;
}

BoundExprPtr Call(const std::string& name, std::vector<BoundExprPtr> args) {
  Binder binder(std::make_shared<const std::string>(""), {});
  auto bound = BindSetFunctionCall(binder, name, std::move(args), -1);
  EXPECT_TRUE(bound.ok()) << bound.status().ToString();
  return std::move(bound).value();
}

BoundExprPtr Series(BoundExprPtr start, BoundExprPtr stop) {
  std::vector<BoundExprPtr> args;
  args.push_back(std::move(start));
  args.push_back(std::move(stop));
  return Call("generate_series", std::move(args));
}

// One int4 column with these values.
PlanPtr Values(const std::vector<int64_t>& values) {
  auto node = std::make_unique<PlanNode>(PlanKind::kValues);
  for (int64_t value : values) {
    std::vector<BoundExprPtr> row;
    row.push_back(Int(value));
    node->values_rows.push_back(std::move(row));
  }
  return node;
}

std::string Render(const std::vector<Row>& rows) {
  std::string out;
  for (const Row& row : rows) {
    for (const Value& value : row) {
      out += value.is_null() ? "N" : FormatText(value, OutputOptions{});
      out += ' ';
    }
    out += '|';
  }
  return out;
}

Result<std::vector<Row>> RunPlan(const PlanNode& plan) {
  NoSession session;
  ExecContext context;
  context.eval.functions = &session;
  ASSIGN_OR_RETURN(auto op, exec::BuildOperator(plan, context));
  std::vector<Row> rows;
  for (;;) {
    ASSIGN_OR_RETURN(std::optional<Row> row, op->Next());
    if (!row) return rows;
    rows.push_back(std::move(*row));
  }
}

TEST(ProjectSetTest, LockstepPadsShorterCallsWithNull) {
  // SELECT n, generate_series(1, n), generate_series(1, 2) FROM (VALUES (3), (0), (1)).
  auto plan = std::make_unique<PlanNode>(PlanKind::kProjectSet);
  plan->child = Values({3, 0, 1});
  plan->set_functions.push_back(Series(Int(1), Column(0)));
  plan->set_functions.push_back(Series(Int(1), Int(2)));
  auto rows = RunPlan(*plan);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(Render(*rows), "3 1 1 |3 2 2 |3 3 N |0 N 1 |0 N 2 |1 1 1 |1 N 2 |");
}

TEST(ProjectSetTest, InputRowWithOnlyEmptySetsProducesNothing) {
  auto plan = std::make_unique<PlanNode>(PlanKind::kProjectSet);
  plan->child = Values({0, 2});
  plan->set_functions.push_back(Series(Int(1), Column(0)));
  plan->set_functions.push_back(Series(Int(std::nullopt), Int(5)));  // strict: no rows
  auto rows = RunPlan(*plan);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(Render(*rows), "2 1 N |2 2 N |");
}

TEST(ProjectSetTest, FunctionScanWithOrdinality) {
  auto plan = std::make_unique<PlanNode>(PlanKind::kFunctionScan);
  std::vector<BoundExprPtr> args;
  args.push_back(Int(10));
  args.push_back(Int(1));
  args.push_back(Int(-4));
  plan->set_functions.push_back(Call("generate_series", std::move(args)));
  std::vector<BoundExprPtr> unnest_args;
  unnest_args.push_back(Constant(Value::String(TypeId::kTextArray, "{a,NULL,\"b c\",d}")));
  plan->set_functions.push_back(Call("unnest", std::move(unnest_args)));
  plan->with_ordinality = true;
  auto rows = RunPlan(*plan);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(Render(*rows), "10 a 1 |6 N 2 |2 b c 3 |N d 4 |");
}

TEST(ProjectSetTest, SeriesEdgeCases) {
  // Near the top of int8: no overflow past the stop value.
  std::vector<BoundExprPtr> args;
  args.push_back(Constant(Value::Int(TypeId::kInt8, INT64_MAX - 2)));
  args.push_back(Constant(Value::Int(TypeId::kInt8, INT64_MAX)));
  args.push_back(Constant(Value::Int(TypeId::kInt8, 2)));
  auto plan = std::make_unique<PlanNode>(PlanKind::kFunctionScan);
  plan->set_functions.push_back(Call("generate_series", std::move(args)));
  auto rows = RunPlan(*plan);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  EXPECT_EQ(Render(*rows), "9223372036854775805 |9223372036854775807 |");

  // Step zero is 22023.
  std::vector<BoundExprPtr> zero;
  zero.push_back(Int(1));
  zero.push_back(Int(2));
  zero.push_back(Int(0));
  auto bad = std::make_unique<PlanNode>(PlanKind::kFunctionScan);
  bad->set_functions.push_back(Call("generate_series", std::move(zero)));
  auto failed = RunPlan(*bad);
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.status().sqlstate(), "22023");

  // Numeric steps keep the step's scale after the first value, as PostgreSQL prints them.
  std::vector<BoundExprPtr> numeric;
  numeric.push_back(Constant(Value::FromNumeric(Numeric::FromInt64(1))));
  numeric.push_back(Constant(Value::FromNumeric(Numeric::FromInt64(2))));
  numeric.push_back(Constant(Value::FromNumeric(*Numeric::Parse("0.5"))));
  auto decimal = std::make_unique<PlanNode>(PlanKind::kFunctionScan);
  decimal->set_functions.push_back(Call("generate_series", std::move(numeric)));
  auto decimals = RunPlan(*decimal);
  ASSERT_TRUE(decimals.ok()) << decimals.status().ToString();
  EXPECT_EQ(Render(*decimals), "1 |1.5 |2.0 |");
}

TEST(ProjectSetTest, BindingErrors) {
  Binder binder(std::make_shared<const std::string>(""), {});
  std::vector<BoundExprPtr> one;
  one.push_back(Int(1));
  auto missing = BindSetFunctionCall(binder, "generate_series", std::move(one), -1);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().sqlstate(), "42883");
  EXPECT_EQ(missing.status().message(), "function generate_series(integer) does not exist");

  std::vector<BoundExprPtr> unknown;
  unknown.push_back(Constant(Value::String(TypeId::kUnknown, "{1}")));
  auto ambiguous = BindSetFunctionCall(binder, "unnest", std::move(unknown), -1);
  ASSERT_FALSE(ambiguous.ok());
  EXPECT_EQ(ambiguous.status().sqlstate(), "42725");
}

TEST(RecordTextTest, QuotesLikeRecordOut) {
  std::vector<std::optional<std::string>> fields = {
      "1", std::nullopt, "", "a b", "q\"x", "back\\slash", "(p)", "x,y", "plain_text"};
  EXPECT_EQ(FormatRecordText(fields),
            "(1,,\"\",\"a b\",\"q\"\"x\",\"back\\\\slash\",\"(p)\",\"x,y\",plain_text)");
  EXPECT_EQ(FormatRecordText({}), "()");
}

}  // namespace
}  // namespace borealis::sql
