// Set-returning functions at run time (helper S): the ProjectSet and Function Scan operators.
//
// Contract (PostgreSQL 10+ semantics): for each input row (a Function Scan has one empty input
// row), every call of plan.set_functions starts with its arguments evaluated over that row;
// output rows are then produced in lockstep, one value per call, calls that ran out giving
// NULL, until every call has run out (an input row whose calls all yield nothing produces no
// output). A ProjectSet row is the input row followed by the values; a Function Scan row is
// the values, then the 1-based ordinality (bigint) when plan.with_ordinality. Values stream:
// nothing is materialized beyond what a call holds (sql/set_functions.h). Cancellation is
// checked every kSetRowsPerCancelCheck rows.
// Threading: like every operator, owned by one statement on one thread.
#pragma once

#include <memory>

#include "sql/exec/executor.h"

namespace borealis::sql::exec {

inline constexpr size_t kSetRowsPerCancelCheck = 4096;

// REQUIRES: plan.kind == kProjectSet; `plan` and `context` outlive the operator.
std::unique_ptr<Operator> MakeProjectSetOperator(std::unique_ptr<Operator> child,
                                                 const planner::PlanNode& plan,
                                                 ExecContext& context);
// REQUIRES: plan.kind == kFunctionScan; `plan` and `context` outlive the operator.
std::unique_ptr<Operator> MakeFunctionScanOperator(const planner::PlanNode& plan,
                                                   ExecContext& context);

}  // namespace borealis::sql::exec
