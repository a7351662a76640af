// CREATE TABLE [IF NOT EXISTS] t [(names)] AS query [WITH [NO] DATA] and SELECT ... INTO t
// (docs/design/sql.md "CREATE TABLE AS").
//
// Contract: the query is bound first (its errors come first, as in PostgreSQL); the new table
// gets a hidden row id and one column per result column, named by the optional list (42601
// when it names more columns than the query has) or the result's names, typed by the result's
// types (type modifiers are not carried: a varchar(n) column becomes varchar, numeric(p,s)
// numeric). WITH DATA then inserts the query's rows, in the same transaction as the DDL (the
// session runs the statement as DDL: DDL and its own rows commit together, and no other DML
// may share the transaction). Returns the tag: "SELECT n" with data, "CREATE TABLE AS" without
// or when IF NOT EXISTS skipped an existing table (NOTICE 42P07).
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
#include "txn/kv.h"

namespace borealis::qp {

// REQUIRES: create.as_query set.
Result<std::string> RunCreateTableAs(const sql::CreateTableStatement& create,
                                     std::shared_ptr<const std::string> source,
                                     txn::KvTransaction& txn, catalog::DescriptorCache& cache,
                                     std::vector<Notice>& notices, sql::EvalContext eval,
                                     const std::function<int64_t()>& next_row_id);

}  // namespace borealis::qp
