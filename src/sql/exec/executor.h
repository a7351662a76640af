// The executor: pull-based physical operators built from a planned tree (sql/planner/plan.h),
// the table row codec, and the write paths of INSERT/UPDATE/DELETE.
//
// Operators: Next() returns the next row or nullopt at the end; rows are vectors of Values
// (a Scan's rows have every table column in descriptor order; a Project's its outputs). Reads
// go through the transaction (txn::KvTransaction), so they see the snapshot plus the
// transaction's own writes. Scans read storage in batches of kScanBatchRows; Sort holds at
// most kMaxSortRows rows (54000 beyond). Errors carry PostgreSQL's SQLSTATEs: 23502 not-null
// violations, 23505 duplicate keys (with PostgreSQL's DETAIL), 22001 too-long varchar.
//
// Threading: an operator tree belongs to one statement on one thread.
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "sql/binder.h"
#include "sql/planner/explain.h"
#include "sql/planner/plan.h"
#include "txn/kv.h"

namespace borealis::sql::exec {

inline constexpr size_t kScanBatchRows = 1024;
inline constexpr size_t kMaxSortRows = 10'000'000;
// A nested-loop join holds its right side in memory: at most this many rows (54000 beyond).
inline constexpr size_t kMaxJoinInnerRows = 10'000'000;

using Row = std::vector<Value>;

struct ExecContext {
  txn::KvTransaction* txn = nullptr;
  EvalContext eval;  // parameters and session functions; `row` is set per row
  // Runs the statement's subqueries (eval.subqueries points at it); null without subqueries.
  std::unique_ptr<SubqueryRunner> subquery_runner;
  // LATERAL: the values of the left row a lateral subquery (kSubqueryScan) refers to; set by
  // the lateral join before it builds its right side (sql/exec/relation.h).
  std::span<const Value> lateral_row;
  // WITH RECURSIVE: each work table's rows of the current iteration (PlanNode::work_table).
  std::shared_ptr<std::vector<const std::vector<std::vector<Value>>*>> work_tables;
  // EXPLAIN ANALYZE: when set, every operator built with this context (and the contexts
  // derived from it) counts its rows and runs into the entry of its plan node. Borrowed.
  planner::ExecutionStats* stats = nullptr;
};

inline constexpr size_t kMaxSubqueryRows = 10'000'000;

// Gives `context` a runner for the statement's subplans (borrowed; they outlive the context).
// Each run of a subquery builds its operators with the enclosing query's EvalContext as the
// outer context (kOuterColumn); results of uncorrelated subqueries are computed once. A scalar
// subquery with several rows fails with 21000; x IN (subquery) keeps PostgreSQL's three-valued
// result; an uncorrelated IN list holds at most kMaxSubqueryRows values (54000).
void AttachSubqueries(ExecContext& context, std::span<const planner::PlanPtr> subplans);

class Operator {
 public:
  virtual ~Operator() = default;
  virtual Result<std::optional<Row>> Next() = 0;
};

// REQUIRES: `plan` was optimized, outlives the operator, and so does `context`.
Result<std::unique_ptr<Operator>> BuildOperator(const planner::PlanNode& plan,
                                                ExecContext& context);

// Table row codec: the primary key from the key columns; the value holds the other columns
// and the key columns whose key encoding is not exact (numeric scale, float -0).
Result<std::string> EncodePrimaryKey(const planner::TableInfo& table, const Row& row);
Result<std::string> EncodeRowValue(const planner::TableInfo& table, const Row& row);
Result<Row> DecodeTableRow(const planner::TableInfo& table, std::string_view key,
                           std::string_view value);

// Checks NOT NULL (23502) and varchar lengths (22001) of a full row about to be written.
Status CheckRow(const planner::TableInfo& table, const Row& row);

// Fits `row` to its columns' type modifiers in place (varchar(n) cuts trailing blanks,
// numeric(p, s) and the time types round; 22003 for numeric overflow), as PostgreSQL's
// assignment casts do. InsertRow and UpdateRow do it first; idempotent.
Status FitToColumns(const planner::TableInfo& table, Row& row);
// INSERT of one full row: 23505 when the key exists in the snapshot or was written earlier
// in the transaction. Also checks CHECK constraints (23514; `functions` may be null) and writes
// the secondary-index entries (sql/exec/constraints.h; 23505 for unique indexes). `row` is
// first fitted to the columns' type modifiers in place (what RETURNING then sees).
Status InsertRow(txn::KvTransaction& txn, const planner::TableInfo& table, Row& row,
                 FunctionContext* functions = nullptr);
// Overwrites a row whose key is unchanged (UPDATE; `old_row` is the row as read, so only the
// index entries that change are rewritten), or deletes one and its index entries (DELETE).
Status UpdateRow(txn::KvTransaction& txn, const planner::TableInfo& table, const Row& old_row,
                 Row& row, FunctionContext* functions = nullptr);
Status DeleteRow(txn::KvTransaction& txn, const planner::TableInfo& table, const Row& row);

// sql::Value <-> encoding::Datum for the storable types.
Result<encoding::Datum> ToDatum(const Value& value, encoding::ColumnType type);
Result<Value> FromDatum(const encoding::Datum& datum, TypeId type);

}  // namespace borealis::sql::exec
