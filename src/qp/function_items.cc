#include "qp/function_items.h"

#include "fmt/format.h"
#include "sql/set_functions.h"

namespace borealis::qp {
namespace {

using sql::BoundExpr;
using sql::BoundExprPtr;
using sql::planner::PlanKind;
using sql::planner::PlanNode;
using sql::planner::PlanPtr;

// Whether a set-returning call of `expr` has none in its arguments (the lowest level).
bool IsInnermostCall(const BoundExpr& expr) {
  if (expr.kind != sql::BoundKind::kSetFunction) return false;
  for (const BoundExprPtr& child : expr.children) {
    if (sql::ContainsSetFunction(*child)) return false;
  }
  return true;
}

// Moves the innermost calls of `expr` into `calls` (once per distinct call), referring to each
// as the column `width + index`.
void ExtractInnermost(BoundExprPtr& expr, int width, std::vector<BoundExprPtr>& calls) {
  if (IsInnermostCall(*expr)) {
    size_t index = calls.size();
    for (size_t j = 0; j < calls.size(); ++j) {
      if (sql::SameExpr(*expr, *calls[j])) index = j;
    }
    sql::TypeId type = expr->type;
    int location = expr->location;
    if (index == calls.size()) calls.push_back(std::move(expr));
    auto column = std::make_unique<BoundExpr>();
    column->kind = sql::BoundKind::kColumn;
    column->type = type;
    column->column_index = width + static_cast<int>(index);
    column->location = location;
    expr = std::move(column);
    return;
  }
  for (BoundExprPtr& child : expr->children) ExtractInnermost(child, width, calls);
}

}  // namespace

Result<BoundFunctionItem> BindFunctionItem(sql::Binder& binder, const sql::TableRef& ref,
                                           const std::vector<std::string>& column_aliases,
                                           const std::string& relation_name) {
  BOREALIS_CHECK(ref.is_function && !ref.functions.empty());
  // Multi-argument unnest outside ROWS FROM is one unnest per argument.
  std::vector<std::pair<std::string, std::vector<const sql::ParsedExpr*>>> calls;
  std::vector<int> locations;
  for (const auto& parsed : ref.functions) {
    const auto& call = parsed->As<sql::FuncCallExpr>();
    if (call.names.size() > 2 || (call.names.size() == 2 && call.names[0] != "pg_catalog")) {
      return binder.PositionAt(
          Status::Sql("3F000", fmt::format("schema \"{}\" does not exist", call.names[0])),
          call.location);
    }
    const std::string& name = call.names.back();
    if (!sql::IsSetFunctionName(call.names) || call.star || call.distinct || call.variadic ||
        call.has_over || !call.aggregate_order.empty()) {
      calls.push_back({name, {}});
      locations.push_back(-1 - static_cast<int>(&parsed - &ref.functions[0]));  // a plain call
      continue;
    }
    std::vector<const sql::ParsedExpr*> args;
    for (const sql::ExprPtr& arg : call.args) args.push_back(arg.get());
    if (name == "unnest" && !ref.rows_from && ref.functions.size() == 1 && args.size() > 1) {
      for (const sql::ParsedExpr* arg : args) {
        calls.push_back({name, {arg}});
        locations.push_back(call.location);
      }
      continue;
    }
    calls.push_back({name, std::move(args)});
    locations.push_back(call.location);
  }
  BoundFunctionItem out;
  auto plan = std::make_unique<PlanNode>(PlanKind::kFunctionScan);
  plan->with_ordinality = ref.with_ordinality;
  plan->relation_name = relation_name;
  binder.AllowAggregates(false, "functions in FROM");
  for (size_t i = 0; i < calls.size(); ++i) {
    BoundExprPtr call;
    if (locations[i] < 0) {
      // A plain function: one row with its value (PostgreSQL's scalar function in FROM).
      const sql::ParsedExpr& parsed = *ref.functions[static_cast<size_t>(-1 - locations[i])];
      ASSIGN_OR_RETURN(BoundExprPtr scalar, binder.BindExpr(parsed));
      if (scalar->type == sql::TypeId::kUnknown || scalar->type == sql::TypeId::kInvalid) {
        ASSIGN_OR_RETURN(scalar, binder.Coerce(std::move(scalar), sql::TypeId::kText, "FROM"));
      }
      call = sql::ScalarAsSet(std::move(scalar));
    } else {
      std::vector<BoundExprPtr> args;
      for (const sql::ParsedExpr* arg : calls[i].second) {
        ASSIGN_OR_RETURN(BoundExprPtr bound, binder.BindExpr(*arg));
        args.push_back(std::move(bound));
      }
      ASSIGN_OR_RETURN(
          call, sql::BindSetFunctionCall(binder, calls[i].first, std::move(args), locations[i]));
    }
    out.column_names.push_back(calls.size() == 1 && ref.alias ? *ref.alias : calls[i].first);
    out.column_types.push_back(call->type);
    plan->set_functions.push_back(std::move(call));
  }
  if (ref.with_ordinality) {
    out.column_names.push_back("ordinality");
    out.column_types.push_back(sql::TypeId::kInt8);
  }
  if (column_aliases.size() > out.column_names.size()) {
    return Status::Sql("42P10",
                       fmt::format("table \"{}\" has {} columns available but {} "
                                   "columns specified",
                                   relation_name, out.column_names.size(), column_aliases.size()));
  }
  for (size_t i = 0; i < column_aliases.size(); ++i) out.column_names[i] = column_aliases[i];
  out.plan = std::move(plan);
  return out;
}

PlanPtr PlanSetFunctions(PlanPtr root, int width, const std::vector<BoundExprPtr*>& exprs) {
  for (;;) {
    bool any = false;
    for (BoundExprPtr* expr : exprs) any |= sql::ContainsSetFunction(**expr);
    if (!any) return root;
    std::vector<BoundExprPtr> calls;
    for (BoundExprPtr* expr : exprs) ExtractInnermost(*expr, width, calls);
    BOREALIS_CHECK(!calls.empty());
    auto node = std::make_unique<PlanNode>(PlanKind::kProjectSet);
    node->child = std::move(root);
    width += static_cast<int>(calls.size());
    node->set_functions = std::move(calls);
    root = std::move(node);
  }
}

}  // namespace borealis::qp
