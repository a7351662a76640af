// The index scan operator (issue 4): reads a key range of a secondary index chosen by the
// planner (sql/planner/index_selection.h) and yields the table rows its entries point at.
//
// Contract: the range is [index prefix + `=` values + lower bound, ... upper bound) in the
// index's key order (DESC columns swap the bounds); a NULL bound or `=` value yields no rows;
// integer bounds outside the column type's range saturate. Each entry's row is fetched by
// primary key with one point read through the transaction (its own writes included); rows come
// in index order with every table column (descriptor order), like a Scan's. The Filter above
// re-checks the predicate. Entries are read in batches of kScanBatchRows, backwards when
// plan.index_reverse (an ordered scan for ORDER BY ... DESC ... LIMIT).
// Threading: one statement on one thread.
#pragma once

#include <memory>

#include "sql/exec/executor.h"

namespace borealis::sql::exec {

// REQUIRES: plan.kind == kScan and plan.index != nullptr.
std::unique_ptr<Operator> MakeIndexScanOperator(const planner::PlanNode& plan,
                                                ExecContext& context);

}  // namespace borealis::sql::exec
