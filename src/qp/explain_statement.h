// EXPLAIN [ANALYZE] of a bound statement (sql/ast_explain.h): the lines of the "QUERY PLAN"
// column, printed by sql/planner/explain.h.
//
// Contract: the caller (qp/session.cc) binds the explained statement as it would bind it to
// run (so EXPLAIN reports the same errors) and passes the result here. Without ANALYZE
// nothing runs. With ANALYZE the statement runs to completion in the caller's transaction:
// a query's rows are read and dropped; INSERT/UPDATE/DELETE write for real through RunDml, as
// in PostgreSQL (the caller has checked that DML may run in this transaction), and their
// RETURNING rows are dropped. Errors of the run are the statement's own.
// Borealis has no cost model and no clock in the query processor: COSTS and TIMING print
// nothing, and SUMMARY prints no planning/execution times.
// Threading: one statement on one thread.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "common/status.h"
#include "qp/table_statements.h"
#include "sql/ast_explain.h"
#include "sql/binder.h"
#include "txn/kv.h"

namespace borealis::qp {

// SELECT over tables, INSERT, UPDATE, DELETE. `next_row_id`: as for RunDml.
Result<std::vector<std::string>> ExplainTableStatement(const TablePlan& plan,
                                                       const sql::ExplainOptions& options,
                                                       txn::KvTransaction& txn,
                                                       sql::EvalContext eval,
                                                       const std::function<int64_t()>& next_row_id);

// SELECT without tables (a target list or VALUES rows evaluated without a plan).
Result<std::vector<std::string>> ExplainSelectWithoutTables(const sql::BoundSelect& select,
                                                            const sql::ExplainOptions& options,
                                                            sql::EvalContext eval);

// CREATE TABLE [IF NOT EXISTS] t AS query [WITH [NO] DATA], PostgreSQL's ExplainOneUtility: an
// existing table is 42P07, or with IF NOT EXISTS a NOTICE and no plan lines. Without ANALYZE
// the query's plan is printed and nothing is created; with ANALYZE the table is created (the
// caller has checked that DDL may run in this transaction) and, WITH DATA, filled through the
// printed plan; WITH NO DATA prints it as never executed.
Result<std::vector<std::string>> ExplainCreateTableAs(
    const sql::CreateTableStatement& create, std::shared_ptr<const std::string> source,
    const sql::ExplainOptions& options, txn::KvTransaction& txn, catalog::DescriptorCache& cache,
    std::vector<Notice>& notices, sql::EvalContext eval,
    const std::function<int64_t()>& next_row_id);

}  // namespace borealis::qp
