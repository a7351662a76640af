#include "sql/exec/constraints.h"

#include <unordered_set>

#include "encoding/key.h"
#include "encoding/row.h"
#include "fmt/format.h"
#include "sql/exec/executor.h"

namespace borealis::sql::exec {
namespace {

using encoding::ColumnType;
using encoding::Datum;
using planner::TableInfo;

// Functions that need a session fail when CHECK constraints are evaluated without one.
class NoSession : public FunctionContext {
 public:
  std::string CurrentUser() const override { return ""; }
  std::string SessionUser() const override { return ""; }
  std::string CurrentDatabase() const override { return ""; }
  std::optional<std::string> CurrentSchema() const override { return "public"; }
  int32_t BackendPid() const override { return 0; }
  Result<std::optional<std::string>> GetSetting(std::string_view, bool) const override {
    return Status::Sql("0A000", "settings are not available in CHECK constraints here");
  }
  Result<std::string> SetSetting(std::string_view, std::string_view, bool) override {
    return Status::Sql("0A000", "settings are not available in CHECK constraints here");
  }
  OutputOptions output_options() const override { return OutputOptions{}; }
  double Random() override { return 0.5; }
  Status CheckCancel() override { return Status::Ok(); }
};

bool AnyNull(const TableInfo& table, const catalog::IndexDescriptor& index, const Row& row) {
  for (const catalog::IndexColumn& column : index.columns) {
    if (row[table.descriptor->ColumnIndex(column.column_id)].is_null()) return true;
  }
  return false;
}

std::string KeyDetail(const TableInfo& table, const catalog::IndexDescriptor& index,
                      const Row& row) {
  std::string names;
  std::string values;
  for (const catalog::IndexColumn& column : index.columns) {
    int position = table.descriptor->ColumnIndex(column.column_id);
    names += (names.empty() ? "" : ", ") + table.scope.columns[position].name;
    values += values.empty() ? "" : ", ";
    values += row[position].is_null() ? "null" : FormatText(row[position], OutputOptions{});
  }
  return fmt::format("({})=({})", names, values);
}

Status DuplicateKey(const TableInfo& table, const catalog::IndexDescriptor& index, const Row& row) {
  return Status::Sql("23505", fmt::format("duplicate key value violates unique constraint \"{}\"",
                                          index.name))
      .WithDetail(fmt::format("Key {} already exists.", KeyDetail(table, index, row)));
}

// Writes one index entry; for a unique index without NULLs, fails when the key exists.
Status PutEntry(txn::KvTransaction& txn, const TableInfo& table,
                const catalog::IndexDescriptor& index, const Row& row, IndexEntry entry) {
  if (index.unique && !AnyNull(table, index, row)) {
    ASSIGN_OR_RETURN(std::optional<std::string> existing, txn.Get(entry.key));
    if (existing) return DuplicateKey(table, index, row);
  }
  return txn.Put(std::move(entry.key), std::move(entry.value));
}

}  // namespace

Result<std::vector<encoding::KeyColumn>> IndexKeyColumns(const TableInfo& table,
                                                         const catalog::IndexDescriptor& index) {
  std::vector<encoding::KeyColumn> columns;
  for (const catalog::IndexColumn& column : index.columns) {
    int position = table.descriptor->ColumnIndex(column.column_id);
    if (position < 0) return Status::Corruption("index column is not a table column");
    encoding::KeyColumn key{table.column_types[position]};
    key.direction =
        column.descending ? encoding::Direction::kDescending : encoding::Direction::kAscending;
    key.null_order =
        column.nulls_first ? encoding::NullOrder::kNullsFirst : encoding::NullOrder::kNullsLast;
    columns.push_back(key);
  }
  return columns;
}

Result<IndexEntry> EncodeIndexEntry(const TableInfo& table, const catalog::IndexDescriptor& index,
                                    const Row& row) {
  ASSIGN_OR_RETURN(std::vector<encoding::KeyColumn> columns, IndexKeyColumns(table, index));
  encoding::KeyEncoder key(table.descriptor->id, index.id);
  for (size_t i = 0; i < columns.size(); ++i) {
    int position = table.descriptor->ColumnIndex(index.columns[i].column_id);
    ASSIGN_OR_RETURN(Datum datum, ToDatum(row[position], columns[i].type));
    RETURN_IF_ERROR(key.Append(columns[i], datum));
  }
  IndexEntry entry;
  ASSIGN_OR_RETURN(std::string primary_key, EncodePrimaryKey(table, row));
  if (!index.unique || AnyNull(table, index, row)) {
    // The pk columns: the primary key without its (table, primary index) prefix.
    std::string prefix =
        encoding::EncodeIndexPrefix(table.descriptor->id, catalog::kPrimaryIndexId);
    BOREALIS_CHECK(primary_key.compare(0, prefix.size(), prefix) == 0);
    entry.key = std::move(key).Finish() + primary_key.substr(prefix.size());
  } else {
    entry.key = std::move(key).Finish();
  }
  std::vector<encoding::RowColumn> value;
  if (index.unique) value.push_back({1, Datum::Bytes(ColumnType::kBytea, std::move(primary_key))});
  ASSIGN_OR_RETURN(entry.value, encoding::EncodeRow(value));
  return entry;
}

Result<std::string> PrimaryKeyOfEntry(const TableInfo& table, const catalog::IndexDescriptor& index,
                                      std::string_view key, std::string_view value) {
  if (index.unique) {
    ASSIGN_OR_RETURN(std::optional<Datum> primary_key,
                     encoding::DecodeRowColumn(value, 1, ColumnType::kBytea));
    if (!primary_key || primary_key->is_null()) {
      return Status::Corruption("unique index entry without a primary key");
    }
    return primary_key->bytes_value();
  }
  ASSIGN_OR_RETURN(std::vector<encoding::KeyColumn> columns, IndexKeyColumns(table, index));
  encoding::KeyDecoder decoder(key);
  RETURN_IF_ERROR(decoder.ReadIndexPrefix().status());
  for (const encoding::KeyColumn& column : columns) {
    RETURN_IF_ERROR(decoder.Read(column).status());
  }
  return encoding::EncodeIndexPrefix(table.descriptor->id, catalog::kPrimaryIndexId) +
         std::string(decoder.remaining());
}

Status InsertIndexEntries(txn::KvTransaction& txn, const TableInfo& table, const Row& row) {
  for (const catalog::IndexDescriptor& index : table.descriptor->indexes) {
    ASSIGN_OR_RETURN(IndexEntry entry, EncodeIndexEntry(table, index, row));
    RETURN_IF_ERROR(PutEntry(txn, table, index, row, std::move(entry)));
  }
  return Status::Ok();
}

Status UpdateIndexEntries(txn::KvTransaction& txn, const TableInfo& table, const Row& old_row,
                          const Row& new_row) {
  for (const catalog::IndexDescriptor& index : table.descriptor->indexes) {
    ASSIGN_OR_RETURN(IndexEntry old_entry, EncodeIndexEntry(table, index, old_row));
    ASSIGN_OR_RETURN(IndexEntry new_entry, EncodeIndexEntry(table, index, new_row));
    if (old_entry.key == new_entry.key && old_entry.value == new_entry.value) continue;
    RETURN_IF_ERROR(txn.Delete(std::move(old_entry.key)));
    RETURN_IF_ERROR(PutEntry(txn, table, index, new_row, std::move(new_entry)));
  }
  return Status::Ok();
}

Status DeleteIndexEntries(txn::KvTransaction& txn, const TableInfo& table, const Row& row) {
  for (const catalog::IndexDescriptor& index : table.descriptor->indexes) {
    ASSIGN_OR_RETURN(IndexEntry entry, EncodeIndexEntry(table, index, row));
    RETURN_IF_ERROR(txn.Delete(std::move(entry.key)));
  }
  return Status::Ok();
}

Status BuildIndex(txn::KvTransaction& txn, const TableInfo& table,
                  const catalog::IndexDescriptor& index) {
  encoding::KeySpan span = catalog::TableRowSpan(table.descriptor->id);
  std::string begin = span.begin;
  // The index is new, so its only entries are the ones written here: duplicates are found
  // in memory (no storage read per row) up to kMaxBuildUniqueKeys keys, then by reading.
  std::unordered_set<std::string> unique_keys;
  for (;;) {
    ASSIGN_OR_RETURN(std::vector<txn::Row> rows, txn.Scan(begin, span.end, kIndexBuildBatchRows));
    for (const txn::Row& kv : rows) {
      ASSIGN_OR_RETURN(Row row, DecodeTableRow(table, kv.key, kv.value));
      ASSIGN_OR_RETURN(IndexEntry entry, EncodeIndexEntry(table, index, row));
      if (index.unique && !AnyNull(table, index, row)) {
        bool existing = unique_keys.count(entry.key) != 0;
        if (!existing && unique_keys.size() < kMaxBuildUniqueKeys) {
          unique_keys.insert(entry.key);
        } else if (!existing) {
          ASSIGN_OR_RETURN(std::optional<std::string> stored, txn.Get(entry.key));
          existing = stored.has_value();
        }
        if (existing) {
          return Status::Sql("23505",
                             fmt::format("could not create unique index \"{}\"", index.name))
              .WithDetail(fmt::format("Key {} is duplicated.", KeyDetail(table, index, row)));
        }
      }
      RETURN_IF_ERROR(txn.Put(std::move(entry.key), std::move(entry.value)));
    }
    if (rows.size() < kIndexBuildBatchRows) break;
    begin = encoding::KeySuccessor(rows.back().key);
  }
  return Status::Ok();
}

std::string FailingRowDetail(const TableInfo& table, const Row& row) {
  std::string values;
  for (size_t i = 0; i < row.size(); ++i) {
    if (table.scope.columns[i].hidden) continue;
    values += values.empty() ? "" : ", ";
    values += row[i].is_null() ? "null" : FormatText(row[i], OutputOptions{});
  }
  return fmt::format("Failing row contains ({}).", values);
}

Status CheckConstraints(const TableInfo& table, const Row& row, FunctionContext* functions) {
  if (table.checks.empty()) return Status::Ok();
  NoSession no_session;
  EvalContext eval;
  eval.functions = functions != nullptr ? functions : &no_session;
  eval.row = row;
  for (const planner::CheckInfo& check : table.checks) {
    ASSIGN_OR_RETURN(Value ok, Evaluate(*check.expr, eval));
    if (!ok.is_null() && !ok.bool_value()) {
      return Status::Sql("23514", fmt::format("new row for relation \"{}\" violates check "
                                              "constraint \"{}\"",
                                              table.descriptor->name, check.name))
          .WithDetail(FailingRowDetail(table, row));
    }
  }
  return Status::Ok();
}

}  // namespace borealis::sql::exec
