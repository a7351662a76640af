// CHECK constraints of a table, bound over its row (issue 4).
//
// Contract: the descriptor keeps each condition as SQL text (catalog::CheckConstraint); BindChecks
// parses and binds them again with the table's scope whenever a TableInfo is made, so the
// executor evaluates them on every INSERT and UPDATE (sql/exec/constraints.h). Pure.
#pragma once

#include <vector>

#include "catalog/descriptor.h"
#include "sql/planner/plan.h"

namespace borealis::sql::planner {

// Binds every CHECK of `table` over `scope` (the table's columns, descriptor order), sorted by
// name (PostgreSQL's evaluation order, so the same one is reported). A
// condition that no longer binds (a corrupt descriptor) is Corruption.
Result<std::vector<CheckInfo>> BindChecks(const catalog::TableDescriptor& table,
                                          const Scope& scope);

// Binds one condition text over `scope` as a boolean (PostgreSQL's 42804 `argument of CHECK
// must be type boolean, not type x` otherwise); used by CREATE TABLE to validate.
Result<BoundExprPtr> BindCheckText(const std::string& text, const Scope& scope);

}  // namespace borealis::sql::planner
