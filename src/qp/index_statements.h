// Index DDL and table constraints (issue 4): CREATE [UNIQUE] INDEX [ASYNC], DROP INDEX, and the
// PRIMARY KEY / UNIQUE / CHECK constraints of CREATE TABLE.
//
// Contract: everything runs in the caller's transaction, at its snapshot, with PostgreSQL's
// names and errors: generated names follow ChooseRelationName / ChooseConstraintName
// (t_a_idx, t_a_b_idx, t_a_idx1, t_a_key, t_pkey, t_a_check, t_check); 42P07 for a taken
// relation name, 42P01 / 42703 / 42704 for missing tables, columns and indexes. CREATE INDEX
// writes the index descriptor (a new table version: concurrent DML aborts with OC001) and
// backfills the entries of every existing row in the same transaction (sql::exec::BuildIndex,
// also what ALTER TABLE ... ADD CONSTRAINT UNIQUE / ADD PRIMARY KEY should call). DSQL's
// CREATE INDEX ASYNC is accepted and built synchronously, like CREATE INDEX (no job id).
// Threading: one statement on one thread.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "catalog/store.h"
#include "qp/session.h"
#include "sql/ast.h"
#include "txn/kv.h"

namespace borealis::qp {

// CREATE INDEX or DROP INDEX (sql/ast_index.h); returns the command tag.
Result<std::string> RunIndexStatement(const sql::Statement& statement,
                                      std::shared_ptr<const std::string> source,
                                      txn::KvTransaction& txn, catalog::DescriptorCache& cache,
                                      std::vector<Notice>& notices);

// Whether `ref` names an index (secondary, or a primary key's) rather than a table: callers
// that found no table report PostgreSQL's 42809 (`"x" is an index`) instead of 42P01.
Result<bool> IsIndexName(txn::KvTransaction& txn, const sql::TableRef& ref);

// Adds `index` to the table (catalog::AddIndex: id, name key, new version) and builds its
// entries for every existing row (sql::exec::BuildIndex) in the transaction. The reusable
// step of CREATE INDEX for ALTER TABLE ... ADD CONSTRAINT ... UNIQUE (index.constraint = true).
// Returns the new descriptor; the index is its last one.
Result<catalog::TableDescriptor> AddIndexAndBuild(txn::KvTransaction& txn,
                                                  const catalog::TableDescriptor& table,
                                                  catalog::IndexDescriptor index);

// Adds the constraints of CREATE TABLE to a new table's descriptor (columns and primary key
// already set): the primary key's name, UNIQUE constraints as unique indexes (ids assigned;
// those equal to the primary key or to an earlier one are dropped, as in PostgreSQL) and
// CHECK constraints (validated by binding them over the columns). The table is empty, so
// nothing is backfilled; catalog::CreateTable writes the index names.
Status AddTableConstraints(const sql::CreateTableStatement& create, const std::string& source,
                           txn::KvTransaction& txn, catalog::TableDescriptor& table);

}  // namespace borealis::qp
