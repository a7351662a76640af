// Binding of queries (SELECT, VALUES, set operations, WITH) into logical plans, and the FROM
// clause every statement over tables shares (qp/table_statements.cc binds INSERT/UPDATE/
// DELETE with it). Internal to qp.
//
// FROM (PostgreSQL's semantics, docs/design/sql.md "FROM clause"): a FROM item is a table, a
// derived table `(query) AS s(a, b)` (VALUES too), optionally LATERAL, a reference to a WITH
// query, or a join: [INNER] / LEFT / RIGHT / FULL [OUTER] JOIN ... ON | USING (...), NATURAL,
// CROSS JOIN, nested and aliased. Items bind left to right into one FROM-order row (every
// item's columns in order); USING/NATURAL add merged columns (ScopeColumn::expr) and `*`
// expands in PostgreSQL's order (merged columns, then the left's others, then the right's).
// Planning pushes each WHERE conjunct to the lowest place that cannot change results: into a
// table's scan, into the preserved side of an outer join, never into its nullable side; ON
// conditions stay at their join except conjuncts over the nullable side alone, which filter
// that side's input. Inner-joined items are reordered greedily unless the statement has
// subqueries or a LATERAL item (whose outer references read the FROM-order row).
//
// Errors carry PostgreSQL's SQLSTATEs (42P01, 42703, 42702, 42712, 42P10, 42P19, 42804);
// what is not implemented is 0A000. Threading: one statement on one thread.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "catalog/store.h"
#include "qp/table_statements.h"
#include "sql/ast.h"
#include "sql/binder.h"
#include "sql/planner/plan.h"
#include "txn/kv.h"

namespace borealis::qp {

inline constexpr char kPublicSchema[] = "public";
// WITH queries visible at once (nested WITH clauses included).
inline constexpr size_t kMaxCommonTableExpressions = 1000;
// References to WITH queries one statement may bind (each reference binds its query again).
inline constexpr size_t kMaxCteReferences = 10'000;

Status Positioned(Status status, const std::string& source, int location);
std::string QualifiedName(const sql::TableRef& ref);
// The table `ref` names, or null when there is none (the caller words the error).
Result<std::shared_ptr<const catalog::TableDescriptor>> FindTable(const sql::TableRef& ref,
                                                                  txn::KvTransaction& txn,
                                                                  catalog::DescriptorCache& cache);
// The table `ref` names, or 42P01. A view is 42809, or with `view_verb` ("insert into",
// "update", "delete from") 0A000 `cannot <verb> view "v"` (views are read-only for now).
Result<std::unique_ptr<sql::planner::TableInfo>> ResolveTable(const sql::TableRef& ref,
                                                              const std::string& source,
                                                              txn::KvTransaction& txn,
                                                              catalog::DescriptorCache& cache,
                                                              const char* view_verb = nullptr);
sql::BoundExprPtr ColumnOf(int index, sql::TypeId type, int location);
sql::planner::PlanPtr Wrap(sql::planner::PlanKind kind, sql::planner::PlanPtr child);
// Rewrites column indexes through `layout` (old index -> new).
void RemapColumns(sql::BoundExpr& expr, const std::vector<int>& layout);

// A result list (SELECT list, RETURNING) bound over a scope.
struct TargetList {
  std::vector<std::string> names;
  std::vector<sql::TypeId> types;
  std::vector<sql::BoundExprPtr> exprs;
};
// The order `*` and `name.*` expand to (indexes into a scope's columns): PostgreSQL's column
// order of the FROM clause and of each relation in it.
struct StarOrder {
  std::vector<int> all;
  std::map<std::string, std::vector<int>> by_relation;
};

// Binds `targets` over `scope` (null: no FROM), expanding `*` in the order of `star` (null:
// every visible row column in scope order). Unknown-typed outputs become text
// unless `resolve_unknowns` is false (INSERT ... SELECT coerces them to the target columns).
Status BindTargets(sql::Binder& binder, const sql::Scope* scope, const StarOrder* star,
                   const std::vector<sql::ResultTarget>& targets, const std::string& source,
                   TargetList& out, bool resolve_unknowns = true);

// A bound query: its plan and result columns.
struct BoundQuery {
  sql::planner::PlanPtr plan;
  std::vector<std::string> column_names;
  std::vector<sql::TypeId> column_types;
  // A set operation: its right side's column names (PostgreSQL's hint for an ORDER BY name
  // only that side has).
  std::vector<std::string> right_column_names;
};

// The rows of a FROM list filtered by WHERE, ready for the caller's expressions: `scope` is
// the FROM-order scope the expressions bind against; `layout` maps its row columns to the
// plan's (RemapColumns) and `star` is the order `*` expands to.
struct BoundFrom {
  sql::planner::PlanPtr plan;
  sql::Scope scope;
  std::vector<int> layout;
  StarOrder star;
  // The FROM-order offset of each plain table item (functional dependencies, FOR UPDATE).
  std::vector<std::pair<const sql::planner::TableInfo*, int>> tables;
};

class SelectBinder : public sql::SubqueryPlanner {
 public:
  // `statement` receives the tables and subplans of everything bound (borrowed).
  SelectBinder(const std::string& source, sql::Binder& binder, txn::KvTransaction& txn,
               catalog::DescriptorCache& cache, TablePlan& statement);
  ~SelectBinder() override;

  // A SELECT, VALUES or set operation (with its WITH clause).
  Status BindQuery(const sql::SelectStatement& select, BoundQuery& out,
                   bool resolve_unknowns = true);

  // UPDATE ... FROM / DELETE ... USING: `target` (a table already in the statement's tables)
  // joined with `items`, filtered by `where`. The target's columns come first in FROM order.
  // Leaves the binder's scope at out.scope (borrowed: `out` must stay in place).
  Status BindDmlFrom(const sql::planner::TableInfo& target, const std::vector<sql::FromItem>& items,
                     const sql::ExprPtr& where, BoundFrom& out);

  // WITH of INSERT/UPDATE/DELETE: its queries are visible to everything bound afterwards.
  Status UseWith(const sql::WithClause& with);

  Result<sql::PlannedSubquery> PlanSubquery(const sql::SelectStatement& select,
                                            sql::Binder& binder) override;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace borealis::qp
