// The FROM-clause operators of sql/exec/relation.h over VALUES inputs: outer joins (hash and
// nested loop, NULL keys), lateral joins, and the recursive union's row limit.
#include "sql/exec/relation.h"

#include <gtest/gtest.h>

#include "sql/functions.h"

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

BoundExprPtr Int(std::optional<int64_t> value) {
  auto expr = std::make_unique<BoundExpr>();
  expr->kind = BoundKind::kConstant;
  expr->type = TypeId::kInt4;
  expr->constant = value ? Value::Int(TypeId::kInt4, *value) : Value::Null(TypeId::kInt4);
  return expr;
}

BoundExprPtr Column(int index) {
  auto expr = std::make_unique<BoundExpr>();
  expr->kind = BoundKind::kColumn;
  expr->type = TypeId::kInt4;
  expr->column_index = index;
  return expr;
}

// One int4 column with these values.
PlanPtr Values(const std::vector<std::optional<int64_t>>& values) {
  auto node = std::make_unique<PlanNode>(PlanKind::kValues);
  for (const auto& value : values) {
    std::vector<BoundExprPtr> row;
    row.push_back(Int(value));
    node->values_rows.push_back(std::move(row));
  }
  return node;
}

// Binds `left_name op right_name` over a two-column row.
BoundExprPtr Compare(const char* op, int left, int right) {
  Binder binder(std::make_shared<const std::string>(""), {});
  auto bound = binder.BindBinaryOperator(op, Column(left), Column(right), -1);
  EXPECT_TRUE(bound.ok()) << bound.status().ToString();
  return std::move(bound).value();
}

std::string Render(const std::vector<Row>& rows) {
  std::string out;
  for (const Row& row : rows) {
    for (const Value& value : row) {
      out += value.is_null() ? "N" : std::to_string(value.int_value());
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

PlanPtr Join(JoinType type, bool hash, BoundExprPtr predicate = nullptr) {
  auto join = std::make_unique<PlanNode>(PlanKind::kJoin);
  join->join_type = type;
  join->child = Values({1, 2, std::nullopt});
  join->right = Values({2, 3, std::nullopt});
  join->left_types = {TypeId::kInt4};
  join->right_types = {TypeId::kInt4};
  join->predicate = predicate ? std::move(predicate) : Compare("=", 0, 1);
  if (hash) {
    join->left_keys.push_back(Column(0));
    join->right_keys.push_back(Column(0));
  }
  return join;
}

TEST(RelationTest, OuterJoinsPadUnmatchedRowsAndNullKeysMatchNothing) {
  for (bool hash : {false, true}) {
    SCOPED_TRACE(hash ? "hash" : "nested loop");
    EXPECT_EQ(Render(*RunPlan(*Join(JoinType::kInner, hash))), "2 2 |");
    EXPECT_EQ(Render(*RunPlan(*Join(JoinType::kLeft, hash))), "1 N |2 2 |N N |");
    EXPECT_EQ(Render(*RunPlan(*Join(JoinType::kRight, hash))), "2 2 |N 3 |N N |");
    EXPECT_EQ(Render(*RunPlan(*Join(JoinType::kFull, hash))), "1 N |2 2 |N N |N 3 |N N |");
  }
  // A predicate that is never true still pads every row of the preserved sides.
  auto never = std::make_unique<BoundExpr>();
  never->kind = BoundKind::kConstant;
  never->type = TypeId::kBool;
  never->constant = Value::Bool(false);
  EXPECT_EQ(Render(*RunPlan(*Join(JoinType::kFull, false, std::move(never)))),
            "1 N |2 N |N N |N 2 |N 3 |N N |");
  EXPECT_EQ(Render(*RunPlan(*Join(JoinType::kLeft, false, Compare("<", 0, 1)))),
            "1 2 |1 3 |2 3 |N N |");
}

TEST(RelationTest, LateralJoinRebuildsTheRightSidePerLeftRow) {
  // FROM (VALUES 1, 2) l LEFT JOIN LATERAL (SELECT l.x WHERE l.x > 1) ON true
  auto inner = std::make_unique<PlanNode>(PlanKind::kProject);
  auto outer = std::make_unique<BoundExpr>();
  outer->kind = BoundKind::kOuterColumn;
  outer->type = TypeId::kInt4;
  outer->column_index = 0;
  outer->outer_level = 1;
  auto filter = std::make_unique<PlanNode>(PlanKind::kFilter);
  filter->child = std::make_unique<PlanNode>(PlanKind::kOneRow);
  Binder binder(std::make_shared<const std::string>(""), {});
  BoundExprPtr outer_copy = CopyBoundExpr(*outer);
  filter->predicate =
      std::move(binder.BindBinaryOperator(">", std::move(outer_copy), Int(1), -1)).value();
  inner->child = std::move(filter);
  inner->outputs.push_back(std::move(outer));
  auto scan = std::make_unique<PlanNode>(PlanKind::kSubqueryScan);
  scan->reads_lateral_row = true;
  scan->child = std::move(inner);
  auto join = std::make_unique<PlanNode>(PlanKind::kJoin);
  join->join_type = JoinType::kLeft;
  join->lateral = true;
  join->lateral_columns = {0};
  join->child = Values({1, 2});
  join->right = std::move(scan);
  join->right_types = {TypeId::kInt4};
  EXPECT_EQ(Render(*RunPlan(*join)), "1 N |2 2 |");
}

TEST(RelationTest, RecursiveUnionStopsAtTheRowLimit) {
  // WITH RECURSIVE r(n) AS (VALUES (1) UNION [ALL] SELECT n % 3 + 1 FROM r)
  auto make = [](bool all) {
    auto node = std::make_unique<PlanNode>(PlanKind::kRecursiveUnion);
    node->set_all = all;
    node->work_table = 0;
    node->child = Values({1});
    auto step = std::make_unique<PlanNode>(PlanKind::kProject);
    auto scan = std::make_unique<PlanNode>(PlanKind::kWorkTableScan);
    scan->work_table = 0;
    step->child = std::move(scan);
    Binder binder(std::make_shared<const std::string>(""), {});
    BoundExprPtr mod = std::move(binder.BindBinaryOperator("%", Column(0), Int(3), -1)).value();
    step->outputs.push_back(
        std::move(binder.BindBinaryOperator("+", std::move(mod), Int(1), -1)).value());
    node->right = std::move(step);
    return node;
  };
  EXPECT_EQ(Render(*RunPlan(*make(false))), "1 |2 |3 |");
  auto unbounded = RunPlan(*make(true));
  ASSERT_FALSE(unbounded.ok());
  EXPECT_EQ(unbounded.status().sqlstate(), "54000");
}

}  // namespace
}  // namespace borealis::sql
