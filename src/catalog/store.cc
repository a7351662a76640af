#include "catalog/store.h"

#include "catalog/indexes.h"
#include "catalog/sequences.h"
#include "catalog/views.h"
#include "encoding/row.h"
#include "fmt/format.h"

namespace borealis::catalog {

Result<std::shared_ptr<const TableDescriptor>> DescriptorCache::Lookup(txn::KvTransaction& txn,
                                                                       std::string_view schema,
                                                                       std::string_view name) {
  auto cache_key = std::make_pair(std::string(schema), std::string(name));
  std::shared_ptr<const TableDescriptor> cached;
  {
    std::lock_guard lock(mutex_);
    auto it = tables_.find(cache_key);
    if (it != tables_.end()) cached = it->second;
  }
  if (cached) {
    // Valid while the version key holds the cached version in this snapshot. The transaction
    // may check that later, with its next read (txn::KvTransaction::Expect): the caller then
    // learns of a stale entry before anything was read or written with it.
    Status current =
        txn.Expect(SchemaVersionKey(cached->id), EncodeInt(static_cast<int64_t>(cached->version)));
    if (current.ok()) return cached;
    if (!txn::KvTransaction::IsStaleExpectation(current)) return current;
  }
  ASSIGN_OR_RETURN(std::optional<std::string> id_row, txn.Get(NameKey(schema, name)));
  if (!id_row) {
    // A dropped table's entry goes: a deferred check would otherwise keep handing it out
    // (qp/temp_tables.h: a dropped temporary table must uncover the permanent one at once).
    if (cached) {
      std::lock_guard lock(mutex_);
      auto it = tables_.find(cache_key);
      if (it != tables_.end() && it->second == cached) tables_.erase(it);
    }
    return std::shared_ptr<const TableDescriptor>();
  }
  // An index's name row also holds its index id: that name is not a table.
  ASSIGN_OR_RETURN(std::optional<encoding::Datum> index_id,
                   encoding::DecodeRowColumn(*id_row, 2, encoding::ColumnType::kInt8));
  if (index_id) return std::shared_ptr<const TableDescriptor>();
  // Neither is a sequence's (catalog/sequences.h).
  ASSIGN_OR_RETURN(bool is_sequence, IsSequenceNameRow(*id_row));
  if (is_sequence) return std::shared_ptr<const TableDescriptor>();
  // Nor a view's (catalog/views.h).
  ASSIGN_OR_RETURN(bool is_view, IsViewNameRow(*id_row));
  if (is_view) return std::shared_ptr<const TableDescriptor>();
  ASSIGN_OR_RETURN(int64_t id, DecodeInt(*id_row));
  if (id < kFirstUserTableId || id > UINT32_MAX) return Status::Corruption("bad table id");
  ASSIGN_OR_RETURN(std::optional<std::string> bytes,
                   txn.Get(DescriptorKey(static_cast<uint32_t>(id))));
  if (!bytes) return Status::Corruption(fmt::format("table {} has a name but no descriptor", id));
  ASSIGN_OR_RETURN(TableDescriptor table, DecodeDescriptor(*bytes));
  auto shared = std::make_shared<const TableDescriptor>(std::move(table));
  // A descriptor this transaction wrote itself (DDL earlier in it) is not committed: it may
  // roll back, and a later table could get the same id and version with other columns. Such
  // a descriptor is used but never cached.
  if (txn.HasOwnWrite(DescriptorKey(shared->id))) return shared;
  std::lock_guard lock(mutex_);
  if (tables_.size() >= kMaxCachedDescriptors) tables_.clear();
  tables_[cache_key] = shared;
  return shared;
}

Result<std::shared_ptr<const ViewDescriptor>> DescriptorCache::CachedView(txn::KvTransaction& txn,
                                                                          std::string_view schema,
                                                                          std::string_view name) {
  std::shared_ptr<const ViewDescriptor> cached;
  {
    std::lock_guard lock(mutex_);
    auto it = views_.find(std::make_pair(std::string(schema), std::string(name)));
    if (it != views_.end()) cached = it->second;
  }
  if (!cached) return cached;
  Status named = txn.Expect(NameKey(schema, name), ViewNameRow(cached->id));
  if (named.ok()) named = txn.Expect(ViewKey(cached->id), EncodeView(*cached));
  if (named.ok()) return cached;
  if (!txn::KvTransaction::IsStaleExpectation(named)) return named;
  std::lock_guard lock(mutex_);
  views_.erase(std::make_pair(std::string(schema), std::string(name)));
  return std::shared_ptr<const ViewDescriptor>();
}

void DescriptorCache::RememberView(txn::KvTransaction& txn, const ViewDescriptor& view) {
  if (txn.HasOwnWrite(ViewKey(view.id))) return;
  std::lock_guard lock(mutex_);
  if (views_.size() >= kMaxCachedDescriptors) views_.clear();
  views_[std::make_pair(view.schema, view.name)] = std::make_shared<const ViewDescriptor>(view);
}

void DescriptorCache::Clear() {
  std::lock_guard lock(mutex_);
  tables_.clear();
  views_.clear();
}

Result<uint32_t> AllocateRelationId(txn::KvTransaction& txn) {
  ASSIGN_OR_RETURN(std::optional<std::string> next_row, txn.Get(IdAllocatorKey()));
  int64_t next = kFirstUserTableId;
  if (next_row) {
    ASSIGN_OR_RETURN(next, DecodeInt(*next_row));
  }
  if (next < kFirstUserTableId || next >= UINT32_MAX) {
    return Status::Sql("54000", "no table ids left");
  }
  RETURN_IF_ERROR(txn.Put(IdAllocatorKey(), EncodeInt(next + 1)));
  return static_cast<uint32_t>(next);
}

Result<TableDescriptor> CreateTable(txn::KvTransaction& txn, TableDescriptor table) {
  ASSIGN_OR_RETURN(std::optional<std::string> existing, txn.Get(NameKey(table.schema, table.name)));
  if (existing) {
    return Status::Sql("42P07", fmt::format("relation \"{}\" already exists", table.name));
  }
  RETURN_IF_ERROR(CheckKeyColumnTypes(table));
  ASSIGN_OR_RETURN(table.id, AllocateRelationId(txn));
  table.version = 1;
  RETURN_IF_ERROR(txn.Put(DescriptorKey(table.id), EncodeDescriptor(table)));
  RETURN_IF_ERROR(txn.Put(NameKey(table.schema, table.name), EncodeInt(table.id)));
  RETURN_IF_ERROR(
      txn.Put(SchemaVersionKey(table.id), EncodeInt(static_cast<int64_t>(table.version))));
  RETURN_IF_ERROR(PutIndexNames(txn, table));
  return table;
}

Status DropTable(txn::KvTransaction& txn, const TableDescriptor& table) {
  RETURN_IF_ERROR(DeleteIndexNames(txn, table));
  encoding::KeySpan span = TableSpan(table.id);  // rows and index entries
  std::string begin = span.begin;
  for (;;) {
    ASSIGN_OR_RETURN(std::vector<txn::Row> rows, txn.Scan(begin, span.end, kDropScanBatchRows));
    for (const txn::Row& row : rows) RETURN_IF_ERROR(txn.Delete(row.key));
    if (rows.size() < kDropScanBatchRows) break;
    begin = encoding::KeySuccessor(rows.back().key);
  }
  RETURN_IF_ERROR(txn.Delete(DescriptorKey(table.id)));
  RETURN_IF_ERROR(txn.Delete(NameKey(table.schema, table.name)));
  return txn.Delete(SchemaVersionKey(table.id));
}

}  // namespace borealis::catalog
