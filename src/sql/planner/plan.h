// Logical plans and the rule-based planner for single-table queries.
//
// A statement over a table binds (qp) into a tree of PlanNodes, logical at first:
//   Limit? <- Distinct? <- Project <- Sort? <- Window? <- [Filter(HAVING) <- Aggregate]?
//     <- LockRows?
//     <- Filter? <- Scan(table, full) | OneRow
// Optimize() applies the rewrite rules and leaves the tree ready for the executor
// (sql/exec/executor.h), which builds one pull-based operator per node. Rules today:
//   * access path: a Filter over a full Scan whose predicate fixes the leading primary-key
//     columns with `=` (AND-ed conjuncts, the other side not referencing the row) turns the
//     scan into a point get (all key columns fixed) or a prefix range (some). The Filter stays
//     (it re-checks the conjuncts, so the rule never changes results).
//   * index access and ordered index scans (sql/planner/index_selection.h): otherwise, `=` on
//     an index prefix and a range on the next column (primary key included) read an index
//     range; under a Limit a Sort that follows an index's order is dropped.
// Later rules (pushdown into storage, joins) extend this file.
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
#include "sql/planner/virtual_table.h"

namespace borealis::sql::planner {

struct CheckInfo {
  std::string name;
  std::shared_ptr<const BoundExpr> expr;  // boolean, over the table's row
};

// A table as the planner and executor see it: the descriptor plus SQL types, in the
// descriptor's column order (which is the order of Scope::columns and of executor rows).
struct TableInfo {
  std::shared_ptr<const catalog::TableDescriptor> descriptor;
  Scope scope;
  std::vector<encoding::ColumnType> column_types;
  std::vector<int> key_columns;  // indexes into columns, primary-key order
  // Set for a system-catalog relation: scans ask it for rows (no key columns, no storage).
  std::shared_ptr<const VirtualTable> virtual_table;
  // CHECK constraints bound over the table's row (sql/planner/checks.h).
  std::vector<CheckInfo> checks;
  // The primary key seen as an index (id kPrimaryIndexId, ASC): index scans over it read rows
  // directly (ranges and ordered scans on the primary key, sql/planner/index_selection.h).
  catalog::IndexDescriptor primary_index;
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
  // FROM-clause relations (qp/select_binder.cc):
  kValues,          // VALUES rows (`values_rows`, evaluated per execution)
  kSubqueryScan,    // a derived table: `child` run in a context of its own (see below)
  kRecursiveUnion,  // WITH RECURSIVE: child (non-recursive term) then right (recursive term)
                    // repeated over the work table until it yields no rows
  kWorkTableScan,   // the rows of the enclosing recursive union's last iteration
  kWindow,          // each child row followed by one column per entry of `windows`
  // Set-returning functions (sql/exec/project_set.h): kProjectSet is each child row followed
  // by one column per entry of `set_functions`, the calls run in lockstep (shorter ones padded
  // with NULL); kFunctionScan (a leaf, FROM f(...)) is those columns alone, plus a bigint
  // ordinality column when `with_ordinality`.
  kProjectSet,
  kFunctionScan,
};
// kJoin variants: kInner keeps matching pairs; kLeft also each unmatched left row padded with
// NULLs; kRight also each unmatched right row; kFull both. `predicate` is the ON condition
// (never pushed to the side whose rows it would drop).
using JoinType = sql::JoinType;
enum class AccessKind { kFullScan, kPointGet, kPrefixRange, kIndexScan };

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
  // Secondary-index access (sql/planner/index_selection.h): when `index` is set the scan reads
  // that index instead of the primary one: `key_values` fix its leading columns, `range_*`
  // bound the next one, and each entry's row is fetched by primary key.
  const catalog::IndexDescriptor* index = nullptr;
  BoundExprPtr range_lower;  // may be null
  BoundExprPtr range_upper;  // may be null
  bool range_lower_inclusive = false;
  bool range_upper_inclusive = false;
  bool index_reverse = false;  // read the index range backwards (ORDER BY ... DESC)
  // kFilter; kJoin (may be null: cross product), over the concatenated row
  BoundExprPtr predicate;
  // kJoin: equi-join keys (hash join when not empty): left_keys over the left row, right_keys
  // over the right row alone; rows match when all keys are equal and not NULL. `predicate`
  // still holds the equalities.
  std::vector<BoundExprPtr> left_keys;
  std::vector<BoundExprPtr> right_keys;
  // kJoin: outer variants; `right_types`/`left_types` give the NULL padding.
  JoinType join_type = JoinType::kInner;
  std::vector<TypeId> left_types;
  std::vector<TypeId> right_types;
  // kJoin with a LATERAL right side: the right operators are rebuilt for every left row, with
  // ExecContext::lateral_row = the left row's values at `lateral_columns` (positions in the
  // left row, in the order the lateral subquery's outer references use; -(i + 1) takes entry i
  // of the lateral row this join itself was built with).
  bool lateral = false;
  std::vector<int> lateral_columns;
  // kSubqueryScan: whether the subquery reads ExecContext::lateral_row (LATERAL).
  bool reads_lateral_row = false;
  // kValues
  std::vector<std::vector<BoundExprPtr>> values_rows;
  // kRecursiveUnion / kWorkTableScan: which work table (per statement, from 0).
  int work_table = -1;
  // kProject
  std::vector<BoundExprPtr> outputs;
  // kSort
  std::vector<SortKey> sort_keys;
  // kAggregate: keys and aggregate arguments are evaluated over the child's rows; every entry
  // of `aggregates` is a BoundKind::kAggregate node. No keys: exactly one output row.
  std::vector<BoundExprPtr> group_keys;
  std::vector<BoundExprPtr> aggregates;
  // kWindow: BoundKind::kWindow calls whose keys are evaluated over the child's rows
  // (sql/exec/window.h).
  std::vector<BoundExprPtr> windows;
  // kProjectSet / kFunctionScan: BoundKind::kSetFunction calls (arguments over the child's row;
  // a Function Scan's over the lateral and outer rows only). `relation_name`: a Function
  // Scan's alias for EXPLAIN.
  std::vector<BoundExprPtr> set_functions;
  bool with_ordinality = false;
  std::string relation_name;
  // kLimit (either may be null)
  BoundExprPtr limit;
  BoundExprPtr offset;
  // kLimit, FETCH FIRST n ROWS WITH TIES: also the rows after the n-th that are equal to it on
  // `sort_keys` (the Limit then sits directly over the Sort whose keys these are copies of).
  bool with_ties = false;
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
