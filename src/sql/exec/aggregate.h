// Hash aggregation (GROUP BY, aggregates), duplicate elimination (SELECT DISTINCT) and set
// operations (UNION/INTERSECT/EXCEPT [ALL]).
//
// Both operators drain their child at the first Next() into a hash table keyed by the
// PostgreSQL equality of the values (numeric 1.0 = 1.00, float -0 = 0, NULLs equal to each
// other, bpchar without trailing spaces), then emit rows in first-seen order. The table holds
// at most kMaxHashAggregateBytes (an estimate of keys, values and states; 54000 beyond).
// Aggregates follow PostgreSQL: count -> int8; sum(int2/int4) -> int8, sum(int8/numeric) ->
// numeric, sum(float4/float8) keeps the type; avg(integers/numeric) -> numeric with numeric
// division's scale, avg(floats) -> float8; min/max keep the type; NULL inputs are skipped and
// an aggregate without inputs is NULL (count: 0). DISTINCT aggregates see each value once.
//
// Threading: like every operator, owned by one statement on one thread.
#pragma once

#include <memory>
#include <span>
#include <string>

#include "sql/exec/executor.h"

namespace borealis::sql::exec {

inline constexpr size_t kMaxHashAggregateBytes = size_t{256} << 20;

// REQUIRES: plan.kind == kAggregate; `plan` and `context` outlive the operator.
std::unique_ptr<Operator> MakeAggregateOperator(std::unique_ptr<Operator> child,
                                                const planner::PlanNode& plan,
                                                ExecContext& context);
// REQUIRES: plan.kind == kDistinct.
std::unique_ptr<Operator> MakeDistinctOperator(std::unique_ptr<Operator> child,
                                               const planner::PlanNode& plan);

// REQUIRES: plan.kind == kSetOperation. UNION ALL streams left then right; the others hash
// rows by EqualityKey: UNION keeps the first of equal rows, INTERSECT [ALL] / EXCEPT [ALL]
// count the right side's rows first (PostgreSQL's multiset rules for ALL).
std::unique_ptr<Operator> MakeSetOperationOperator(std::unique_ptr<Operator> left,
                                                   std::unique_ptr<Operator> right,
                                                   const planner::PlanNode& plan);

// An encoding of `values` such that two rows of the same column types encode equally iff
// PostgreSQL's equality (with NULL = NULL) holds column by column.
std::string EqualityKey(std::span<const Value> values);

}  // namespace borealis::sql::exec
