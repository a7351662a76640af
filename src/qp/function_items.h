// Set-returning functions in queries (helper S): FROM items that call functions, and the
// ProjectSet nodes for calls in a SELECT list. Internal to qp (select_binder.cc calls in).
//
// FROM (PostgreSQL's semantics): `f(args) [WITH ORDINALITY] [AS t(a, ...)]`, `ROWS FROM (f(),
// g()) ...` and multi-argument `unnest(a, b)` (= ROWS FROM (unnest(a), unnest(b))) bind to a
// kFunctionScan plan node whose calls run in lockstep (sql/exec/project_set.h). Columns: one
// per call, named by the function (one call: by the table alias when there is one), then
// `ordinality`; column aliases rename them in order (42P10 when there are more aliases than
// columns). The caller binds the arguments one query level deeper with the FROM items to the
// left as the outer scope, so they may refer to those items (functions in FROM are
// implicitly LATERAL). Functions other than the set-returning ones: 0A000.
//
// SELECT list: PlanSetFunctions moves every set-returning call of the given expressions into
// ProjectSet nodes above `root` (one per nesting level: a call whose arguments hold another
// call sits above it) and replaces it with a column reference; equal calls are evaluated once.
#pragma once

#include <string>
#include <vector>

#include "sql/ast.h"
#include "sql/binder.h"
#include "sql/planner/plan.h"

namespace borealis::qp {

struct BoundFunctionItem {
  sql::planner::PlanPtr plan;  // kFunctionScan
  std::vector<std::string> column_names;
  std::vector<sql::TypeId> column_types;
};

// REQUIRES: ref.is_function. `relation_name` is the alias (or the function's name).
Result<BoundFunctionItem> BindFunctionItem(sql::Binder& binder, const sql::TableRef& ref,
                                           const std::vector<std::string>& column_aliases,
                                           const std::string& relation_name);

// `width`: the number of columns of root's rows. Returns the new root (unchanged when no
// expression holds a set-returning call).
sql::planner::PlanPtr PlanSetFunctions(sql::planner::PlanPtr root, int width,
                                       const std::vector<sql::BoundExprPtr*>& exprs);

}  // namespace borealis::qp
