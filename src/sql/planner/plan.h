// Logical plans and the rule-based planner for single-table queries.
//
// A statement over a table binds (qp) into a tree of PlanNodes, logical at first:
//   Limit? <- Distinct? <- Project <- Sort? <- [Filter(HAVING) <- Aggregate]? <- LockRows?
//     <- Filter? <- Scan(table, full) | OneRow
// Optimize() applies the rewrite rules and leaves the tree ready for the executor
// (sql/exec/executor.h), which builds one pull-based operator per node. Rules today:
//   * access path: a Filter over a full Scan whose predicate fixes the leading primary-key
//     columns with `=` (AND-ed conjuncts, the other side not referencing the row) turns the
//     scan into a point get (all key columns fixed) or a prefix range (some). The Filter stays
//     (it re-checks the conjuncts, so the rule never changes results).
// Later rules (secondary indexes, pushdown into storage, joins) extend this file.
//
// Plans are plain trees owned by their root; bound expressions are evaluated by the executor
// with the statement's parameters, so one plan serves every execution of a prepared statement.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "catalog/descriptor.h"
#include "encoding/datum.h"
#include "sql/binder.h"

namespace borealis::sql::planner {

// A table as the planner and executor see it: the descriptor plus SQL types, in the
// descriptor's column order (which is the order of Scope::columns and of executor rows).
struct TableInfo {
  std::shared_ptr<const catalog::TableDescriptor> descriptor;
  Scope scope;
  std::vector<encoding::ColumnType> column_types;
  std::vector<int> key_columns;  // indexes into columns, primary-key order
};

// 0A000 for column types the engine cannot store yet.
Result<TableInfo> MakeTableInfo(std::shared_ptr<const catalog::TableDescriptor> descriptor,
                                std::string scope_name);

// kLockRows: adds each row's primary key to the transaction as a lock-only key (FOR UPDATE).
// kOneRow: a single row without columns (SELECT count(*) without FROM).
// kAggregate: one output row per group: the group key values, then the aggregate results.
// kDistinct: drops rows equal to an earlier row (SELECT DISTINCT), keeping the first.
enum class PlanKind {
  kScan,
  kOneRow,
  kFilter,
  kLockRows,
  kAggregate,
  kProject,
  kSort,
  kDistinct,
  kLimit,
  kSetOperation,  // child UNION/INTERSECT/EXCEPT [ALL] right
  kJoin,          // nested loop: each child row followed by each right row, kept if `predicate`
};
enum class AccessKind { kFullScan, kPointGet, kPrefixRange };

struct SortKey {
  BoundExprPtr expr;
  bool descending = false;
  bool nulls_first = false;
};

struct PlanNode {
  explicit PlanNode(PlanKind k) : kind(k) {}
  PlanKind kind;
  std::unique_ptr<PlanNode> child;  // all but kScan
  std::unique_ptr<PlanNode> right;  // kSetOperation: the right operand
  SetOperation set_operation = SetOperation::kNone;
  bool set_all = false;
  // kScan: rows of `table` (every column, descriptor order); kLockRows: the locked table.
  const TableInfo* table = nullptr;
  AccessKind access = AccessKind::kFullScan;
  std::vector<BoundExprPtr> key_values;  // point get / prefix: values of the leading pk columns
  // kFilter; kJoin (may be null: cross product), over the concatenated row
  BoundExprPtr predicate;
  // kJoin: equi-join keys (hash join when not empty): left_keys over the left row, right_keys
  // over the right row alone; rows match when all keys are equal and not NULL. `predicate`
  // still holds the equalities.
  std::vector<BoundExprPtr> left_keys;
  std::vector<BoundExprPtr> right_keys;
  // kProject
  std::vector<BoundExprPtr> outputs;
  // kSort
  std::vector<SortKey> sort_keys;
  // kAggregate: keys and aggregate arguments are evaluated over the child's rows; every entry
  // of `aggregates` is a BoundKind::kAggregate node. No keys: exactly one output row.
  std::vector<BoundExprPtr> group_keys;
  std::vector<BoundExprPtr> aggregates;
  // kLimit (either may be null)
  BoundExprPtr limit;
  BoundExprPtr offset;
};
using PlanPtr = std::unique_ptr<PlanNode>;

PlanPtr MakeScan(const TableInfo& table);
// A deep copy of a bound expression.
BoundExprPtr CopyExpr(const BoundExpr& expr);
PlanPtr MakeFilter(PlanPtr child, BoundExprPtr predicate);

// Applies the rewrite rules (see the top of this file) in place.
void Optimize(PlanNode& root);

// A one-line-per-node description, e.g. "Filter\n  Scan t point get (1 key column)".
std::string Explain(const PlanNode& root);

}  // namespace borealis::sql::planner
