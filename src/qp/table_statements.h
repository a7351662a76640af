// Statements over tables: binding (names, types, PostgreSQL's rules) into a plan, and running
// them in a transaction. The pipeline of docs/design/sql.md:
//   AST --BindTableStatement--> TablePlan (logical plan, planner::Optimize) --RunTable*--> rows
//
// Contract: binding reads the catalog at the transaction's snapshot (through the per-engine
// DescriptorCache) and fails with PostgreSQL's errors (42P01, 42703, 42804, 42P07, ...).
// A TablePlan is immutable once bound and refers to the descriptors it was bound with; the
// session binds again at every Bind or reuses a plan only while everything binding read still
// holds (qp/plan_cache.h), so a plan never outlives a schema change it did not see
// (and DML adds the tables' schema-version keys to the transaction's check set: OC001).
// Threading: one statement on one thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "catalog/store.h"
#include "qp/session.h"
#include "sql/ast.h"
#include "sql/binder.h"
#include "sql/exec/executor.h"
#include "sql/planner/plan.h"
#include "txn/kv.h"

namespace borealis::qp {

// Rows one INSERT ... VALUES may list.
inline constexpr size_t kMaxInsertRows = 1'000'000;
// Rows an INSERT ... SELECT, UPDATE or DELETE reads before it writes (held in memory).
inline constexpr size_t kMaxDmlSourceRows = 10'000'000;

struct OnConflictPlan;  // qp/on_conflict.h

struct TablePlan {
  sql::StatementKind kind = sql::StatementKind::kSelect;
  // The tables the plan reads or writes (stable addresses: plan nodes point at them).
  std::vector<std::unique_ptr<sql::planner::TableInfo>> tables;
  // SELECT: the whole query; UPDATE/DELETE: the rows to change (Scan + Filter).
  sql::planner::PlanPtr plan;
  // SELECT: the plans of its subqueries (BoundExpr::subquery_index), at most kMaxSubqueries.
  std::vector<sql::planner::PlanPtr> subplans;
  // Result columns (SELECT, or RETURNING); empty names for DML without RETURNING.
  std::vector<std::string> column_names;
  std::vector<sql::TypeId> column_types;
  bool returns_rows = false;
  // INSERT: full rows in table column order (defaults filled; the hidden row id is generated).
  std::vector<std::vector<sql::BoundExprPtr>> insert_rows;
  // UPDATE: (column index, new value) in SET order.
  std::vector<std::pair<int, sql::BoundExprPtr>> assignments;
  // RETURNING, evaluated over the written (INSERT/UPDATE) or deleted (DELETE) row.
  std::vector<sql::BoundExprPtr> returning;
  // UPDATE ... FROM / DELETE ... USING: `plan` yields joined rows and the target's columns sit
  // at these positions in them (SET and RETURNING read the joined row); each target row is
  // changed once. Empty: `plan` yields the target's rows. INSERT ... SELECT: `plan` is the
  // query and insert_rows[0] the row to insert, over each query row.
  std::vector<int> target_columns;
  std::vector<sql::TypeId> parameter_types;
  // The relations named in the statement's FROM clauses (tables and views, not those read
  // through views; ids in binding order, may repeat): CREATE VIEW's dependencies.
  std::vector<uint32_t> relations_read;
  // INSERT ... ON CONFLICT (null without).
  std::shared_ptr<const OnConflictPlan> on_conflict;
};

inline constexpr size_t kMaxSubqueries = 1000;

// REQUIRES: statement is SELECT, INSERT, UPDATE or DELETE.
Result<std::shared_ptr<const TablePlan>> BindTableStatement(
    const sql::Statement& statement, std::shared_ptr<const std::string> source,
    std::vector<sql::TypeId> declared, txn::KvTransaction& txn, catalog::DescriptorCache& cache);

// Runs INSERT/UPDATE/DELETE: returns the RETURNING rows (empty without RETURNING) and the
// number of rows written. `next_row_id` gives hidden row ids of tables without a primary key.
struct DmlResult {
  std::vector<sql::exec::Row> rows;
  uint64_t count = 0;
};
// `stats` (EXPLAIN ANALYZE, may be null) receives the row counts of the plan's nodes.
Result<DmlResult> RunDml(const TablePlan& plan, txn::KvTransaction& txn, sql::EvalContext eval,
                         const std::function<int64_t()>& next_row_id,
                         sql::planner::ExecutionStats* stats = nullptr);

// The storable type of a column definition and its type modifier (PostgreSQL's atttypmod,
// -1 none): 0A000 for types and modifiers columns cannot have yet (CREATE TABLE, ADD COLUMN).
struct ColumnTypeChoice {
  sql::TypeId type;
  int32_t typmod = -1;
};
Result<ColumnTypeChoice> ChooseColumnType(const sql::ColumnDef& column, const std::string& source);

// CREATE TABLE / DROP TABLE. Return the command tag.
Result<std::string> RunCreateTable(const sql::CreateTableStatement& create,
                                   std::shared_ptr<const std::string> source,
                                   txn::KvTransaction& txn, catalog::DescriptorCache& cache,
                                   std::vector<Notice>& notices);
Result<std::string> RunDropTable(const sql::DropTableStatement& drop, txn::KvTransaction& txn,
                                 catalog::DescriptorCache& cache, std::vector<Notice>& notices);

}  // namespace borealis::qp
