#include "catalog/descriptor.h"

#include "encoding/row.h"
#include "fmt/format.h"

namespace borealis::catalog {
namespace {

using encoding::ColumnType;
using encoding::Datum;
using encoding::RowColumn;

// Field ids of the descriptor row and of each nested column row. Never reuse an id.
enum TableField : uint32_t {
  kTableId = 1,
  kTableSchema = 2,
  kTableName = 3,
  kTableVersion = 4,
  kTableNextColumnId = 5,
  kTableColumns = 6,     // bytes: uvarint count, then (uvarint length, column row)*
  kTablePrimaryKey = 7,  // bytes: uvarint count, then uvarint column id*
};
enum ColumnField : uint32_t {
  kColumnId = 1,
  kColumnName = 2,
  kColumnTypeOid = 3,
  kColumnTypmod = 4,
  kColumnNotNull = 5,
  kColumnDefault = 6,
  kColumnHidden = 7,
};

Datum Int(int64_t value) { return Datum::Int(ColumnType::kInt8, value); }
Datum Text(std::string value) { return Datum::Bytes(ColumnType::kText, std::move(value)); }
Datum Bytes(std::string value) { return Datum::Bytes(ColumnType::kBytea, std::move(value)); }

std::string EncodeRowOrDie(std::vector<RowColumn> columns) {
  Result<std::string> row = encoding::EncodeRow(columns);
  BOREALIS_CHECK(row.ok(), row.status().ToString());
  return std::move(row).value();
}

std::string EncodeColumn(const ColumnDescriptor& column) {
  std::vector<RowColumn> fields = {
      {kColumnId, Int(column.id)},
      {kColumnName, Text(column.name)},
      {kColumnTypeOid, Int(column.type_oid)},
      {kColumnTypmod, Int(column.typmod)},
      {kColumnNotNull, Datum::Bool(column.not_null)},
      {kColumnHidden, Datum::Bool(column.hidden)},
  };
  if (column.default_text) fields.push_back({kColumnDefault, Text(*column.default_text)});
  return EncodeRowOrDie(std::move(fields));
}

Status Corrupt(std::string_view what) {
  return Status::Corruption(fmt::format("table descriptor: {}", what));
}

// Reads the fields of a row by id; `specs` lists (id, type).
Result<std::vector<std::optional<Datum>>> ReadFields(std::string_view row,
                                                     std::vector<encoding::RowColumnSpec> specs) {
  return encoding::DecodeRow(row, specs);
}

Result<int64_t> RequiredInt(const std::optional<Datum>& datum, std::string_view what) {
  if (!datum || datum->is_null()) return Corrupt(fmt::format("missing {}", what));
  return datum->int_value();
}

Result<std::string> RequiredBytes(const std::optional<Datum>& datum, std::string_view what) {
  if (!datum || datum->is_null()) return Corrupt(fmt::format("missing {}", what));
  return datum->bytes_value();
}

Result<ColumnDescriptor> DecodeColumn(std::string_view row) {
  ASSIGN_OR_RETURN(auto fields, ReadFields(row, {{kColumnId, ColumnType::kInt8},
                                                 {kColumnName, ColumnType::kText},
                                                 {kColumnTypeOid, ColumnType::kInt8},
                                                 {kColumnTypmod, ColumnType::kInt8},
                                                 {kColumnNotNull, ColumnType::kBool},
                                                 {kColumnDefault, ColumnType::kText},
                                                 {kColumnHidden, ColumnType::kBool}}));
  ColumnDescriptor column;
  ASSIGN_OR_RETURN(int64_t id, RequiredInt(fields[0], "column id"));
  if (id <= 0 || id > UINT32_MAX) return Corrupt("column id out of range");
  column.id = static_cast<uint32_t>(id);
  ASSIGN_OR_RETURN(column.name, RequiredBytes(fields[1], "column name"));
  ASSIGN_OR_RETURN(int64_t oid, RequiredInt(fields[2], "column type"));
  if (oid <= 0 || oid > UINT32_MAX) return Corrupt("column type out of range");
  column.type_oid = static_cast<uint32_t>(oid);
  ASSIGN_OR_RETURN(int64_t typmod, RequiredInt(fields[3], "column typmod"));
  if (typmod < INT32_MIN || typmod > INT32_MAX) return Corrupt("typmod out of range");
  column.typmod = static_cast<int32_t>(typmod);
  column.not_null = fields[4] && !fields[4]->is_null() && fields[4]->bool_value();
  if (fields[5] && !fields[5]->is_null()) column.default_text = fields[5]->bytes_value();
  column.hidden = fields[6] && !fields[6]->is_null() && fields[6]->bool_value();
  return column;
}

}  // namespace

const ColumnDescriptor* TableDescriptor::FindColumn(std::string_view column_name) const {
  for (const ColumnDescriptor& column : columns) {
    if (column.name == column_name) return &column;
  }
  return nullptr;
}

const ColumnDescriptor* TableDescriptor::FindColumnById(uint32_t column_id) const {
  int index = ColumnIndex(column_id);
  return index < 0 ? nullptr : &columns[index];
}

int TableDescriptor::ColumnIndex(uint32_t column_id) const {
  for (size_t i = 0; i < columns.size(); ++i) {
    if (columns[i].id == column_id) return static_cast<int>(i);
  }
  return -1;
}

bool TableDescriptor::IsKeyColumn(uint32_t column_id) const {
  for (uint32_t id : primary_key) {
    if (id == column_id) return true;
  }
  return false;
}

Result<ColumnType> ColumnTypeForOid(uint32_t type_oid) {
  switch (type_oid) {
    case 16:
      return ColumnType::kBool;
    case 21:
      return ColumnType::kInt2;
    case 23:
      return ColumnType::kInt4;
    case 20:
      return ColumnType::kInt8;
    case 700:
      return ColumnType::kFloat4;
    case 701:
      return ColumnType::kFloat8;
    case 1700:
      return ColumnType::kNumeric;
    case 25:
      return ColumnType::kText;
    case 1043:
      return ColumnType::kVarchar;
    case 1042:
      return ColumnType::kBpchar;
    default:
      return Status::InvalidArgument(fmt::format("no column type for type oid {}", type_oid));
  }
}

std::string EncodeDescriptor(const TableDescriptor& table) {
  std::string columns;
  encoding::AppendUvarint(columns, table.columns.size());
  for (const ColumnDescriptor& column : table.columns) {
    std::string row = EncodeColumn(column);
    encoding::AppendUvarint(columns, row.size());
    columns += row;
  }
  std::string key;
  encoding::AppendUvarint(key, table.primary_key.size());
  for (uint32_t id : table.primary_key) encoding::AppendUvarint(key, id);
  return EncodeRowOrDie({{kTableId, Int(table.id)},
                         {kTableSchema, Text(table.schema)},
                         {kTableName, Text(table.name)},
                         {kTableVersion, Int(static_cast<int64_t>(table.version))},
                         {kTableNextColumnId, Int(table.next_column_id)},
                         {kTableColumns, Bytes(std::move(columns))},
                         {kTablePrimaryKey, Bytes(std::move(key))}});
}

Result<TableDescriptor> DecodeDescriptor(std::string_view bytes) {
  ASSIGN_OR_RETURN(auto fields, ReadFields(bytes, {{kTableId, ColumnType::kInt8},
                                                   {kTableSchema, ColumnType::kText},
                                                   {kTableName, ColumnType::kText},
                                                   {kTableVersion, ColumnType::kInt8},
                                                   {kTableNextColumnId, ColumnType::kInt8},
                                                   {kTableColumns, ColumnType::kBytea},
                                                   {kTablePrimaryKey, ColumnType::kBytea}}));
  TableDescriptor table;
  ASSIGN_OR_RETURN(int64_t id, RequiredInt(fields[0], "table id"));
  if (id < kFirstUserTableId || id > UINT32_MAX) return Corrupt("table id out of range");
  table.id = static_cast<uint32_t>(id);
  ASSIGN_OR_RETURN(table.schema, RequiredBytes(fields[1], "schema"));
  ASSIGN_OR_RETURN(table.name, RequiredBytes(fields[2], "name"));
  ASSIGN_OR_RETURN(int64_t version, RequiredInt(fields[3], "version"));
  if (version <= 0) return Corrupt("version out of range");
  table.version = static_cast<uint64_t>(version);
  ASSIGN_OR_RETURN(int64_t next, RequiredInt(fields[4], "next column id"));
  if (next <= 0 || next > UINT32_MAX) return Corrupt("next column id out of range");
  table.next_column_id = static_cast<uint32_t>(next);

  ASSIGN_OR_RETURN(std::string columns, RequiredBytes(fields[5], "columns"));
  encoding::ByteReader reader(columns);
  ASSIGN_OR_RETURN(uint64_t count, reader.ReadUvarint());
  if (count == 0 || count > kMaxColumns) return Corrupt("column count out of range");
  for (uint64_t i = 0; i < count; ++i) {
    ASSIGN_OR_RETURN(uint64_t length, reader.ReadUvarint());
    ASSIGN_OR_RETURN(std::string_view row, reader.ReadBytes(length));
    ASSIGN_OR_RETURN(ColumnDescriptor column, DecodeColumn(row));
    if (column.id >= table.next_column_id || table.FindColumnById(column.id) != nullptr) {
      return Corrupt("bad column id");
    }
    table.columns.push_back(std::move(column));
  }
  if (!reader.empty()) return Corrupt("bytes after the columns");

  ASSIGN_OR_RETURN(std::string key, RequiredBytes(fields[6], "primary key"));
  encoding::ByteReader key_reader(key);
  ASSIGN_OR_RETURN(uint64_t key_count, key_reader.ReadUvarint());
  if (key_count == 0 || key_count > kMaxKeyColumns) return Corrupt("key size out of range");
  for (uint64_t i = 0; i < key_count; ++i) {
    ASSIGN_OR_RETURN(uint64_t column_id, key_reader.ReadUvarint());
    if (column_id > UINT32_MAX ||
        table.FindColumnById(static_cast<uint32_t>(column_id)) == nullptr ||
        table.IsKeyColumn(static_cast<uint32_t>(column_id))) {
      return Corrupt("bad primary key column");
    }
    table.primary_key.push_back(static_cast<uint32_t>(column_id));
  }
  if (!key_reader.empty()) return Corrupt("bytes after the primary key");
  return table;
}

std::string DescriptorKey(uint32_t table_id) {
  encoding::KeyEncoder key(kSystemTableId, kDescriptorIndex);
  BOREALIS_CHECK(key.Append({ColumnType::kInt8}, Int(table_id)).ok());
  return std::move(key).Finish();
}

std::string NameKey(std::string_view schema, std::string_view name) {
  encoding::KeyEncoder key(kSystemTableId, kNameIndex);
  BOREALIS_CHECK(key.Append({ColumnType::kText}, Text(std::string(schema))).ok());
  BOREALIS_CHECK(key.Append({ColumnType::kText}, Text(std::string(name))).ok());
  return std::move(key).Finish();
}

std::string IdAllocatorKey() {
  return encoding::EncodeIndexPrefix(kSystemTableId, kIdAllocatorIndex);
}

std::string SchemaVersionKey(uint32_t table_id) {
  encoding::KeyEncoder key(kSystemTableId, kSchemaVersionIndex);
  BOREALIS_CHECK(key.Append({ColumnType::kInt8}, Int(table_id)).ok());
  return std::move(key).Finish();
}

encoding::KeySpan TableRowSpan(uint32_t table_id) {
  return encoding::IndexSpan(table_id, kPrimaryIndexId);
}

std::string EncodeInt(int64_t value) { return EncodeRowOrDie({{1, Int(value)}}); }

Result<int64_t> DecodeInt(std::string_view bytes) {
  ASSIGN_OR_RETURN(std::optional<Datum> datum,
                   encoding::DecodeRowColumn(bytes, 1, ColumnType::kInt8));
  return RequiredInt(datum, "value");
}

}  // namespace borealis::catalog
