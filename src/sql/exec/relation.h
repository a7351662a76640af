// Operators of FROM-clause relations beyond a table scan: joins of every type (hash join on
// equi-join keys, nested loop otherwise, lateral nested loop), VALUES, derived tables
// (subquery scans) and WITH RECURSIVE (recursive union over a work table).
//
// Contract (PostgreSQL's semantics):
//   * kJoin keeps a pair of rows when `predicate` (the ON condition) is true; LEFT/FULL emit
//     each left row that matched nothing padded with NULLs (`right_types`), RIGHT/FULL each
//     right row that matched nothing, after the left side ends, padded with `left_types`.
//     NULL hash keys match nothing but their rows are still padded. The right side is held in
//     memory (at most kMaxJoinInnerRows, 54000 beyond), except for a lateral join, which
//     rebuilds its right side for every left row with ExecContext::lateral_row set.
//   * kSubqueryScan runs its child in a context whose outer row is the lateral row (or none)
//     and whose next outer context is the enclosing query's: the subquery was bound one level
//     deeper (sql::Binder::EnterSubquery).
//   * kRecursiveUnion emits the non-recursive term's rows, then runs the recursive term over
//     the previous iteration's rows until an iteration yields none; UNION (not ALL) drops rows
//     equal to any earlier row. At most kMaxRecursiveRows rows in all (54000 beyond), so an
//     unbounded recursion fails instead of running forever.
// Threading: like every operator, owned by one statement on one thread.
#pragma once

#include <memory>

#include "sql/exec/executor.h"

namespace borealis::sql::exec {

inline constexpr size_t kMaxRecursiveRows = 1'000'000;

// Whether BuildRelationOperator builds `kind`.
bool IsRelationKind(planner::PlanKind kind);

// REQUIRES: IsRelationKind(plan.kind); `plan` and `context` outlive the operator.
Result<std::unique_ptr<Operator>> BuildRelationOperator(const planner::PlanNode& plan,
                                                        ExecContext& context);

}  // namespace borealis::sql::exec
