// Window functions: the Window plan node's operator.
//
// Contract: the operator drains its child at the first Next() (at most kMaxSortRows rows,
// 54000 beyond), then for each window call of the node sorts the rows' positions by
// (partition keys, order keys) — NULLs equal to each other in partitions, ordered per the
// key's direction and NULLS FIRST/LAST — and computes the function per partition with
// PostgreSQL's default frame: row_number (1, 2, ...), rank (1 + rows before the first peer;
// peers are rows equal in every order key), dense_rank (1 + distinct peer groups before);
// all bigint. Rows are emitted in the child's order, each followed by one value per call;
// the query's ORDER BY (a Sort above) fixes the output order.
//
// Threading: like every operator, owned by one statement on one thread.
#pragma once

#include <memory>

#include "sql/exec/executor.h"

namespace borealis::sql::exec {

// REQUIRES: plan.kind == kWindow, every entry of plan.windows is a BoundKind::kWindow node;
// `plan` and `context` outlive the operator.
std::unique_ptr<Operator> MakeWindowOperator(std::unique_ptr<Operator> child,
                                             const planner::PlanNode& plan, ExecContext& context);

}  // namespace borealis::sql::exec
