// Secondary indexes in the catalog: the relation namespace they share with tables, PostgreSQL's
// generated names, and adding/dropping an index's descriptor (issue 4).
//
// Contract: an index is a part of its table's descriptor (catalog/descriptor.h,
// IndexDescriptor); its name is a relation name in the table's schema, held by a name key
// whose row is {1: table id, 2: index id}, so a table and an index never share a name (42P07)
// and DROP INDEX finds the table by the index name. Every change to a table's indexes writes
// the table's descriptor with a new version and its schema-version key, so DML that bound the
// old descriptor and commits after the change aborts with OC001. Index *entries* are the SQL
// layer's (sql/exec/index_maintenance.h builds, maintains and reads them); DropIndex deletes
// them here because it needs no decoding.
// Threading: as txn::KvTransaction (one thread at a time).
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "catalog/descriptor.h"
#include "txn/kv.h"

namespace borealis::catalog {

// Rows deleted per storage scan when an index is dropped.
inline constexpr size_t kDropIndexScanBatchRows = 1024;
// Attempts at a free generated name (t_a_idx, t_a_idx1, ...) before giving up (54000).
inline constexpr int kMaxNameAttempts = 10000;

// What a relation name in a schema refers to: a table (index_id 0), the primary key's index
// (kPrimaryIndexId) or a secondary index.
struct RelationEntry {
  uint32_t table_id = 0;
  uint32_t index_id = 0;
};
Result<std::optional<RelationEntry>> LookupRelation(txn::KvTransaction& txn,
                                                    std::string_view schema, std::string_view name);

// PostgreSQL's makeObjectName: name1[_name2][_label], with name1/name2 truncated (longer one
// first) so the result fits kMaxIdentifierBytes. `name2` and `label` may be empty.
std::string MakeObjectName(std::string_view name1, std::string_view name2, std::string_view label);

// PostgreSQL's ChooseRelationName: MakeObjectName(name1, name2, label), then label1, label2, ...
// until the name is free in the schema and not in `also_taken` (names chosen earlier by the
// same statement). 54000 after kMaxNameAttempts.
Result<std::string> ChooseRelationName(txn::KvTransaction& txn, std::string_view schema,
                                       std::string_view name1, std::string_view name2,
                                       std::string_view label,
                                       const std::set<std::string>& also_taken);

// Writes `table` with version + 1 (descriptor and schema-version key); returns what it wrote.
Result<TableDescriptor> WriteNewVersion(txn::KvTransaction& txn, TableDescriptor table);

// Adds `index` to the table: assigns its id, writes its name key (42P07 `relation "x" already
// exists` when taken) and a new version of the table. The new index is the last of
// `indexes` in the result. The caller builds its entries in the same transaction.
Result<TableDescriptor> AddIndex(txn::KvTransaction& txn, TableDescriptor table,
                                 IndexDescriptor index);

// Deletes the index's entries and name key and writes a new version of the table.
Result<TableDescriptor> DropIndex(txn::KvTransaction& txn, TableDescriptor table,
                                  uint32_t index_id);

// Registers `name` as the relation name of the table's index `index_id` (kPrimaryIndexId for
// the primary key's index, e.g. after ALTER TABLE ... ADD PRIMARY KEY). 42P07 when taken.
Status PutRelationName(txn::KvTransaction& txn, const TableDescriptor& table,
                       const std::string& name, uint32_t index_id);

// The name keys of the primary key's index and of every secondary index (used by CreateTable:
// 42P07 when one is taken; by DropTable).
Status PutIndexNames(txn::KvTransaction& txn, const TableDescriptor& table);
Status DeleteIndexNames(txn::KvTransaction& txn, const TableDescriptor& table);

}  // namespace borealis::catalog
