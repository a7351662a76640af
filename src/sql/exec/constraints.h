// Secondary-index entries and CHECK constraints of table rows (issue 4): the write side
// (maintenance on INSERT/UPDATE/DELETE, the backfill of a new index) and the read side (from an
// index entry back to the row's primary key).
//
// Entry layout (docs/design/encoding.md, "Keys"):
//   non-unique: (table, index, index columns..., pk columns...) -> empty row
//   unique:     (table, index, index columns...)                -> row {1: bytea primary key}
//               (pk columns appended to the key when an index column is NULL: NULLs are
//               distinct, as in PostgreSQL)
// so two transactions inserting the same unique value write the same key and the adjudicator
// aborts one of them (write-write conflict, 40001); within a transaction (and against the
// snapshot) the writer reads the key first and fails with 23505 and PostgreSQL's message.
// CHECK constraints are bound by the planner (TableInfo::checks) and pass unless false (23514).
//
// Contract: pure functions of (table, row) over txn::KvTransaction; rows are full table rows
// in descriptor order (executor.h). Threading: one statement on one thread.
#pragma once

#include <string>
#include <string_view>

#include "catalog/descriptor.h"
#include "sql/planner/plan.h"
#include "txn/kv.h"

namespace borealis::sql::exec {

using Row = std::vector<Value>;

// Rows read per storage scan by BuildIndex.
inline constexpr size_t kIndexBuildBatchRows = 1024;
// Keys of a new unique index BuildIndex checks in memory (beyond: one read per row).
inline constexpr size_t kMaxBuildUniqueKeys = 4'000'000;

struct IndexEntry {
  std::string key;
  std::string value;
};
Result<IndexEntry> EncodeIndexEntry(const planner::TableInfo& table,
                                    const catalog::IndexDescriptor& index, const Row& row);

// The KeyColumns of the index's own columns (directions and NULL order included).
Result<std::vector<encoding::KeyColumn>> IndexKeyColumns(const planner::TableInfo& table,
                                                         const catalog::IndexDescriptor& index);

// The primary key (primary-index key bytes) of the row an index entry points at.
Result<std::string> PrimaryKeyOfEntry(const planner::TableInfo& table,
                                      const catalog::IndexDescriptor& index, std::string_view key,
                                      std::string_view value);

// Maintenance of every secondary index of the table. Insert checks unique indexes (23505,
// `duplicate key value violates unique constraint "name"`, DETAIL `Key (a)=(1) already
// exists.`); Update rewrites only the entries whose key or value changes.
Status InsertIndexEntries(txn::KvTransaction& txn, const planner::TableInfo& table, const Row& row);
Status UpdateIndexEntries(txn::KvTransaction& txn, const planner::TableInfo& table,
                          const Row& old_row, const Row& new_row);
Status DeleteIndexEntries(txn::KvTransaction& txn, const planner::TableInfo& table, const Row& row);

// Builds the entries of `index` for every row of the table, in the transaction (CREATE INDEX,
// ADD CONSTRAINT UNIQUE, ...). A unique index over duplicate rows fails with 23505
// `could not create unique index "name"`, DETAIL `Key (a)=(1) is duplicated.`
Status BuildIndex(txn::KvTransaction& txn, const planner::TableInfo& table,
                  const catalog::IndexDescriptor& index);

// CHECK constraints (table.checks): 23514 `new row for relation "t" violates check constraint
// "c"` with DETAIL `Failing row contains (...).` when one is false. `functions` may be null
// (functions that need a session then fail).
Status CheckConstraints(const planner::TableInfo& table, const Row& row,
                        FunctionContext* functions);

// "Failing row contains (...)." of PostgreSQL's constraint errors (visible columns).
std::string FailingRowDetail(const planner::TableInfo& table, const Row& row);

}  // namespace borealis::sql::exec
