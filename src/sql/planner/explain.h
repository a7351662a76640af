// EXPLAIN's plan printer: a planned tree (sql/planner/plan.h) as the lines of PostgreSQL's
// TEXT format, one text row per line of the "QUERY PLAN" column.
//
// Contract: pure; reads the plan (and, for EXPLAIN ANALYZE, the per-node counts the executor
// collected in an ExecutionStats) and returns the lines. Node names follow PostgreSQL where a
// node does the same work: Seq Scan on t, Index Scan [Backward] using i on t (primary-key point
// gets and prefix ranges print the primary key's index), Function Scan, Values Scan, Result,
// Sort, Limit, LockRows, Aggregate / HashAggregate (also SELECT DISTINCT), Hash Join (with a
// Hash node over its inner side), Nested Loop, Append (UNION ALL; HashAggregate over Append for
// UNION), HashSetOp Intersect/Except, Subquery Scan, Recursive Union, WorkTable Scan,
// WindowAgg, Insert/Update/Delete on t. Borealis's Filter nodes print as PostgreSQL's "Filter:"
// property of the node below them and Project nodes as VERBOSE's "Output:". Children are
// indented as PostgreSQL does ("->  " six columns per level). There is no cost model: COSTS
// prints nothing; ANALYZE prints "(actual rows=R loops=L)" (R per loop, rounded) or
// "(never executed)", and "Rows Removed by Filter: N" below filtered nodes. Subqueries follow
// the root as "SubPlan N" (N = subquery index + 1).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "sql/ast_explain.h"
#include "sql/planner/plan.h"

namespace borealis::sql::planner {

// EXPLAIN ANALYZE: what the operator of one plan node did, summed over its runs (a node is
// run again for every row of a lateral join's left side or of a correlated subquery).
struct NodeStats {
  uint64_t rows = 0;   // rows the node returned
  uint64_t loops = 0;  // times the node started returning rows
};
// Filled by the executor when ExecContext::stats is set (sql/exec/executor.h).
using ExecutionStats = std::unordered_map<const PlanNode*, NodeStats>;

// What EXPLAIN prints for one statement.
struct ExplainTarget {
  // INSERT/UPDATE/DELETE: "Insert on t" (etc.), printed above `plan`; empty for queries.
  std::string modify;
  std::optional<NodeStats> modify_stats;  // ANALYZE: the modify line's counts
  // The query, or the rows an UPDATE/DELETE changes, or an INSERT's SELECT. Null for a SELECT
  // without tables and for INSERT ... VALUES, which print "Result" (one row) or a Values Scan.
  const PlanNode* plan = nullptr;
  size_t values_rows = 1;                  // plan == null: rows of the VALUES list
  std::vector<std::string> values_output;  // plan == null, VERBOSE: the deparsed columns
  std::optional<NodeStats> values_stats;   // plan == null, ANALYZE
  std::span<const PlanPtr> subplans;
};

// REQUIRES: `stats` is set iff options.analyze.
std::vector<std::string> PrintPlan(const ExplainTarget& target, const ExplainOptions& options,
                                   const ExecutionStats* stats);

// An expression as PostgreSQL's ruleutils prints it in plans: `(a = 1)`, `(b)::bigint`,
// `'x'::text`, `count(*)`; column k prints columns[k] (`$c<k>` beyond them).
std::string DeparseExpr(const BoundExpr& expr, std::span<const std::string> columns);

}  // namespace borealis::sql::planner
