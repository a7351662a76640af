#include "catalog/indexes.h"

#include "encoding/row.h"
#include "fmt/format.h"

namespace borealis::catalog {
namespace {

using encoding::ColumnType;
using encoding::Datum;

std::string EncodeNameRow(uint32_t table_id, uint32_t index_id) {
  std::vector<encoding::RowColumn> fields = {{1, Datum::Int(ColumnType::kInt8, table_id)},
                                             {2, Datum::Int(ColumnType::kInt8, index_id)}};
  Result<std::string> row = encoding::EncodeRow(fields);
  BOREALIS_CHECK(row.ok(), row.status().ToString());
  return std::move(row).value();
}

// Cuts `s` to at most `bytes` bytes without splitting a UTF-8 character (pg_mbcliplen).
size_t ClipLength(std::string_view s, size_t bytes) {
  if (s.size() <= bytes) return s.size();
  while (bytes > 0 && (static_cast<uint8_t>(s[bytes]) & 0xC0) == 0x80) --bytes;
  return bytes;
}

}  // namespace

Status PutRelationName(txn::KvTransaction& txn, const TableDescriptor& table,
                       const std::string& name, uint32_t index_id) {
  std::string key = NameKey(table.schema, name);
  ASSIGN_OR_RETURN(std::optional<std::string> existing, txn.Get(key));
  if (existing) return Status::Sql("42P07", fmt::format("relation \"{}\" already exists", name));
  return txn.Put(std::move(key), EncodeNameRow(table.id, index_id));
}

Result<std::optional<RelationEntry>> LookupRelation(txn::KvTransaction& txn,
                                                    std::string_view schema,
                                                    std::string_view name) {
  ASSIGN_OR_RETURN(std::optional<std::string> row, txn.Get(NameKey(schema, name)));
  if (!row) return std::optional<RelationEntry>();
  std::vector<encoding::RowColumnSpec> specs = {{1, ColumnType::kInt8}, {2, ColumnType::kInt8}};
  ASSIGN_OR_RETURN(auto fields, encoding::DecodeRow(*row, specs));
  if (!fields[0] || fields[0]->is_null()) return Status::Corruption("name row without a table id");
  int64_t table_id = fields[0]->int_value();
  int64_t index_id = fields[1] && !fields[1]->is_null() ? fields[1]->int_value() : 0;
  if (table_id < kFirstUserTableId || table_id > UINT32_MAX || index_id < 0 ||
      index_id > UINT32_MAX) {
    return Status::Corruption("name row out of range");
  }
  return std::optional<RelationEntry>(
      RelationEntry{static_cast<uint32_t>(table_id), static_cast<uint32_t>(index_id)});
}

std::string MakeObjectName(std::string_view name1, std::string_view name2, std::string_view label) {
  size_t overhead = (label.empty() ? 0 : label.size() + 1) + (name2.empty() ? 0 : 1);
  size_t available = kMaxIdentifierBytes - overhead;
  size_t chars1 = name1.size();
  size_t chars2 = name2.size();
  while (chars1 + chars2 > available) {
    if (chars1 > chars2) {
      --chars1;
    } else {
      --chars2;
    }
  }
  chars1 = ClipLength(name1, chars1);
  chars2 = ClipLength(name2, chars2);
  std::string out(name1.substr(0, chars1));
  if (!name2.empty()) out += "_" + std::string(name2.substr(0, chars2));
  if (!label.empty()) out += "_" + std::string(label);
  return out;
}

Result<std::string> ChooseRelationName(txn::KvTransaction& txn, std::string_view schema,
                                       std::string_view name1, std::string_view name2,
                                       std::string_view label,
                                       const std::set<std::string>& also_taken) {
  std::string modified_label(label);
  for (int pass = 1; pass <= kMaxNameAttempts; ++pass) {
    std::string name = MakeObjectName(name1, name2, modified_label);
    if (also_taken.count(name) == 0) {
      ASSIGN_OR_RETURN(std::optional<std::string> existing, txn.Get(NameKey(schema, name)));
      if (!existing) return name;
    }
    modified_label = fmt::format("{}{}", label, pass);
  }
  return Status::Sql("54000", "could not choose a free relation name");
}

Result<TableDescriptor> WriteNewVersion(txn::KvTransaction& txn, TableDescriptor table) {
  RETURN_IF_ERROR(CheckKeyColumnTypes(table));
  ++table.version;
  RETURN_IF_ERROR(txn.Put(DescriptorKey(table.id), EncodeDescriptor(table)));
  RETURN_IF_ERROR(
      txn.Put(SchemaVersionKey(table.id), EncodeInt(static_cast<int64_t>(table.version))));
  return table;
}

Result<TableDescriptor> AddIndex(txn::KvTransaction& txn, TableDescriptor table,
                                 IndexDescriptor index) {
  if (table.indexes.size() >= kMaxIndexes) {
    return Status::Sql(
        "54000", fmt::format("a table may have at most {} indexes (kMaxIndexes)", kMaxIndexes));
  }
  if (table.next_index_id >= UINT32_MAX) return Status::Sql("54000", "no index ids left");
  BOREALIS_CHECK(!index.columns.empty() && index.columns.size() <= kMaxKeyColumns,
                 index.columns.size());
  index.id = table.next_index_id++;
  RETURN_IF_ERROR(PutRelationName(txn, table, index.name, index.id));
  table.indexes.push_back(std::move(index));
  return WriteNewVersion(txn, std::move(table));
}

Result<TableDescriptor> DropIndex(txn::KvTransaction& txn, TableDescriptor table,
                                  uint32_t index_id) {
  auto it = table.indexes.begin();
  while (it != table.indexes.end() && it->id != index_id) ++it;
  BOREALIS_CHECK(it != table.indexes.end(), index_id);
  encoding::KeySpan span = encoding::IndexSpan(table.id, index_id);
  std::string begin = span.begin;
  for (;;) {
    ASSIGN_OR_RETURN(std::vector<txn::Row> rows,
                     txn.Scan(begin, span.end, kDropIndexScanBatchRows));
    for (const txn::Row& row : rows) RETURN_IF_ERROR(txn.Delete(row.key));
    if (rows.size() < kDropIndexScanBatchRows) break;
    begin = encoding::KeySuccessor(rows.back().key);
  }
  RETURN_IF_ERROR(txn.Delete(NameKey(table.schema, it->name)));
  table.indexes.erase(it);
  return WriteNewVersion(txn, std::move(table));
}

Status PutIndexNames(txn::KvTransaction& txn, const TableDescriptor& table) {
  std::string primary = table.PrimaryKeyName();
  if (!primary.empty()) RETURN_IF_ERROR(PutRelationName(txn, table, primary, kPrimaryIndexId));
  for (const IndexDescriptor& index : table.indexes) {
    RETURN_IF_ERROR(PutRelationName(txn, table, index.name, index.id));
  }
  return Status::Ok();
}

Status DeleteIndexNames(txn::KvTransaction& txn, const TableDescriptor& table) {
  std::string primary = table.PrimaryKeyName();
  if (!primary.empty()) {
    // Tables created before index names existed have no such key; only delete our own.
    ASSIGN_OR_RETURN(std::optional<RelationEntry> entry,
                     LookupRelation(txn, table.schema, primary));
    if (entry && entry->table_id == table.id) {
      RETURN_IF_ERROR(txn.Delete(NameKey(table.schema, primary)));
    }
  }
  for (const IndexDescriptor& index : table.indexes) {
    RETURN_IF_ERROR(txn.Delete(NameKey(table.schema, index.name)));
  }
  return Status::Ok();
}

}  // namespace borealis::catalog
