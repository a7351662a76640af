// INSERT ... ON CONFLICT (issue 4): binding the clause and inserting one row under it.
// Internal to qp (qp/table_statements.cc calls it).
//
// Semantics (PostgreSQL's, docs/design/sql.md "INSERT ... ON CONFLICT"):
// * Arbiters: the primary key and the unique indexes whose column set equals the conflict
//   target's `(columns)` (42P10 when none does), the one named by `ON CONSTRAINT name` (42704
//   when there is none), or without a target (DO NOTHING only; DO UPDATE is 42601) all of them.
//   A NULL in an arbiter's columns never conflicts.
// * Each proposed row (defaults filled) is checked against the arbiters in the transaction's
//   snapshot plus its own writes (the row as read, with PostgreSQL's `Key` semantics): without
//   a conflict it is inserted (other unique indexes may still fail with 23505); with one, DO
//   NOTHING skips it and DO UPDATE evaluates WHERE and SET over the existing row followed by
//   EXCLUDED (the proposed row) and updates the existing row. A row inserted or updated
//   earlier by the same statement met again under DO UPDATE is 21000 ("cannot affect row a
//   second time"); under DO NOTHING it is skipped.
// * Concurrency (optimistic): the check reads, the insert or update writes the conflicting
//   key, so two transactions that both insert (or update) one key write the same key and the
//   adjudicator aborts one of them (40001) — never both succeed. A transaction that found the
//   row and did nothing wrote nothing for it: it serializes before a concurrent delete.
// Threading: one statement on one thread.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "sql/ast_view.h"
#include "sql/binder.h"
#include "sql/exec/executor.h"
#include "sql/planner/plan.h"
#include "txn/kv.h"

namespace borealis::qp {

struct OnConflictPlan {
  bool do_update = false;
  bool primary_key = false;              // the primary key is an arbiter
  std::vector<uint32_t> unique_indexes;  // arbiter index ids
  // DO UPDATE: (column index, value) and WHERE, over the existing row followed by EXCLUDED.
  std::vector<std::pair<int, sql::BoundExprPtr>> assignments;
  sql::BoundExprPtr where;
};

// REQUIRES: the binder's parameters are the statement's; `table` is the INSERT's target.
Result<std::shared_ptr<const OnConflictPlan>> BindOnConflict(const sql::OnConflictClause& clause,
                                                             const sql::planner::TableInfo& table,
                                                             const std::string& source,
                                                             sql::Binder& binder);

// Inserts `row` (a full row, hidden row id filled) or resolves its conflict. Returns the row
// written (inserted or updated: RETURNING reads it) or nullopt when nothing was written.
// `touched` holds the primary keys this statement wrote so far.
Result<std::optional<sql::exec::Row>> InsertOnConflict(
    txn::KvTransaction& txn, const sql::planner::TableInfo& table, const OnConflictPlan& plan,
    const sql::exec::Row& row, sql::EvalContext& eval, std::set<std::string>& touched);

}  // namespace borealis::qp
