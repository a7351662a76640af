#include "catalog/descriptor.h"

#include <cctype>

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
  // Secondary indexes and constraints (ids 20+ keep clear of other additions).
  kTablePrimaryKeyName = 20,  // text, absent: "<table>_pkey"
  kTableIndexes = 21,         // bytes: uvarint count, then (uvarint length, index row)*
  kTableNextIndexId = 22,
  kTableChecks = 23,  // bytes: uvarint count, then (uvarint length, check row)*
  kTableOwner = 24,   // int8 role OID, absent: kBootstrapOwnerOid
  kTableAcl = 25,     // bytes: catalog/acl.h EncodeAcl, absent: the default ACL
};
enum IndexField : uint32_t {
  kIndexId = 1,
  kIndexName = 2,
  kIndexUnique = 3,
  kIndexConstraint = 4,
  kIndexColumns = 5,  // bytes: uvarint count, then (uvarint column id, uvarint flags)*
};
// Flags of an index column.
constexpr uint64_t kIndexColumnDescending = 1;
constexpr uint64_t kIndexColumnNullsFirst = 2;
enum CheckField : uint32_t {
  kCheckName = 1,
  kCheckExpression = 2,
};
enum ColumnField : uint32_t {
  kColumnId = 1,
  kColumnName = 2,
  kColumnTypeOid = 3,
  kColumnTypmod = 4,
  kColumnNotNull = 5,
  kColumnDefault = 6,
  kColumnHidden = 7,
  kColumnDefaultExpression = 20,  // text
  kColumnIdentity = 21,           // int8: 'a' or 'd'
};

using fields::Bytes;
using fields::EncodeRowOrDie;
using fields::Int;
using fields::Text;

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
  if (column.default_expression) {
    fields.push_back({kColumnDefaultExpression, Text(*column.default_expression)});
  }
  if (column.identity != 0) fields.push_back({kColumnIdentity, Int(column.identity)});
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

constexpr std::string_view kTableObject = "table descriptor";

Result<ColumnDescriptor> DecodeColumn(std::string_view row) {
  ASSIGN_OR_RETURN(auto fields, ReadFields(row, {{kColumnId, ColumnType::kInt8},
                                                 {kColumnName, ColumnType::kText},
                                                 {kColumnTypeOid, ColumnType::kInt8},
                                                 {kColumnTypmod, ColumnType::kInt8},
                                                 {kColumnNotNull, ColumnType::kBool},
                                                 {kColumnDefault, ColumnType::kText},
                                                 {kColumnHidden, ColumnType::kBool},
                                                 {kColumnDefaultExpression, ColumnType::kText},
                                                 {kColumnIdentity, ColumnType::kInt8}}));
  ColumnDescriptor column;
  ASSIGN_OR_RETURN(int64_t id, RequiredInt(fields[0], kTableObject, "column id"));
  if (id <= 0 || id > UINT32_MAX) return Corrupt("column id out of range");
  column.id = static_cast<uint32_t>(id);
  ASSIGN_OR_RETURN(column.name, RequiredBytes(fields[1], kTableObject, "column name"));
  ASSIGN_OR_RETURN(int64_t oid, RequiredInt(fields[2], kTableObject, "column type"));
  if (oid <= 0 || oid > UINT32_MAX) return Corrupt("column type out of range");
  column.type_oid = static_cast<uint32_t>(oid);
  ASSIGN_OR_RETURN(int64_t typmod, RequiredInt(fields[3], kTableObject, "column typmod"));
  if (typmod < INT32_MIN || typmod > INT32_MAX) return Corrupt("typmod out of range");
  column.typmod = static_cast<int32_t>(typmod);
  column.not_null = fields[4] && !fields[4]->is_null() && fields[4]->bool_value();
  if (fields[5] && !fields[5]->is_null()) column.default_text = fields[5]->bytes_value();
  column.hidden = fields[6] && !fields[6]->is_null() && fields[6]->bool_value();
  if (fields[7] && !fields[7]->is_null()) column.default_expression = fields[7]->bytes_value();
  if (fields[8] && !fields[8]->is_null()) {
    int64_t identity = fields[8]->int_value();
    if (identity != 'a' && identity != 'd') return Corrupt("bad identity kind");
    column.identity = static_cast<char>(identity);
  }
  return column;
}

std::string EncodeIndex(const IndexDescriptor& index) {
  std::string columns;
  encoding::AppendUvarint(columns, index.columns.size());
  for (const IndexColumn& column : index.columns) {
    encoding::AppendUvarint(columns, column.column_id);
    encoding::AppendUvarint(columns, (column.descending ? kIndexColumnDescending : 0) |
                                         (column.nulls_first ? kIndexColumnNullsFirst : 0));
  }
  return EncodeRowOrDie({{kIndexId, Int(index.id)},
                         {kIndexName, Text(index.name)},
                         {kIndexUnique, Datum::Bool(index.unique)},
                         {kIndexConstraint, Datum::Bool(index.constraint)},
                         {kIndexColumns, Bytes(std::move(columns))}});
}

Result<IndexDescriptor> DecodeIndex(std::string_view row, const TableDescriptor& table) {
  ASSIGN_OR_RETURN(auto fields, ReadFields(row, {{kIndexId, ColumnType::kInt8},
                                                 {kIndexName, ColumnType::kText},
                                                 {kIndexUnique, ColumnType::kBool},
                                                 {kIndexConstraint, ColumnType::kBool},
                                                 {kIndexColumns, ColumnType::kBytea}}));
  IndexDescriptor index;
  ASSIGN_OR_RETURN(int64_t id, RequiredInt(fields[0], kTableObject, "index id"));
  if (id < kFirstSecondaryIndexId || id >= table.next_index_id) {
    return Corrupt("index id out of range");
  }
  index.id = static_cast<uint32_t>(id);
  ASSIGN_OR_RETURN(index.name, RequiredBytes(fields[1], kTableObject, "index name"));
  index.unique = fields[2] && !fields[2]->is_null() && fields[2]->bool_value();
  index.constraint = fields[3] && !fields[3]->is_null() && fields[3]->bool_value();
  ASSIGN_OR_RETURN(std::string columns, RequiredBytes(fields[4], kTableObject, "index columns"));
  encoding::ByteReader reader(columns);
  ASSIGN_OR_RETURN(uint64_t count, reader.ReadUvarint());
  if (count == 0 || count > kMaxKeyColumns) return Corrupt("index column count out of range");
  for (uint64_t i = 0; i < count; ++i) {
    ASSIGN_OR_RETURN(uint64_t column_id, reader.ReadUvarint());
    ASSIGN_OR_RETURN(uint64_t flags, reader.ReadUvarint());
    if (column_id > UINT32_MAX ||
        table.FindColumnById(static_cast<uint32_t>(column_id)) == nullptr ||
        flags > (kIndexColumnDescending | kIndexColumnNullsFirst)) {
      return Corrupt("bad index column");
    }
    index.columns.push_back(IndexColumn{static_cast<uint32_t>(column_id),
                                        (flags & kIndexColumnDescending) != 0,
                                        (flags & kIndexColumnNullsFirst) != 0});
  }
  if (!reader.empty()) return Corrupt("bytes after the index columns");
  return index;
}

std::string EncodeCheck(const CheckConstraint& check) {
  return EncodeRowOrDie(
      {{kCheckName, Text(check.name)}, {kCheckExpression, Text(check.expression)}});
}

Result<CheckConstraint> DecodeCheck(std::string_view row) {
  ASSIGN_OR_RETURN(auto fields, ReadFields(row, {{kCheckName, ColumnType::kText},
                                                 {kCheckExpression, ColumnType::kText}}));
  CheckConstraint check;
  ASSIGN_OR_RETURN(check.name, RequiredBytes(fields[0], kTableObject, "check name"));
  ASSIGN_OR_RETURN(check.expression, RequiredBytes(fields[1], kTableObject, "check expression"));
  return check;
}

// Encodes a list of nested rows: uvarint count, then (uvarint length, row)*.
template <typename T, typename F>
std::string EncodeList(const std::vector<T>& items, F encode) {
  std::string out;
  encoding::AppendUvarint(out, items.size());
  for (const T& item : items) {
    std::string row = encode(item);
    encoding::AppendUvarint(out, row.size());
    out += row;
  }
  return out;
}

// Decodes EncodeList's output with `decode` (row -> Result<T>), at most `max` items.
template <typename T, typename F>
Result<std::vector<T>> DecodeList(std::string_view bytes, size_t max, F decode) {
  encoding::ByteReader reader(bytes);
  ASSIGN_OR_RETURN(uint64_t count, reader.ReadUvarint());
  if (count > max) return Corrupt("list too long");
  std::vector<T> items;
  for (uint64_t i = 0; i < count; ++i) {
    ASSIGN_OR_RETURN(uint64_t length, reader.ReadUvarint());
    ASSIGN_OR_RETURN(std::string_view row, reader.ReadBytes(length));
    ASSIGN_OR_RETURN(T item, decode(row));
    items.push_back(std::move(item));
  }
  if (!reader.empty()) return Corrupt("bytes after a list");
  return items;
}

// PostgreSQL's quote_identifier: plain lower-case identifiers stay bare.
std::string QuoteIdentifier(std::string_view name) {
  bool plain =
      !name.empty() && (std::islower(static_cast<unsigned char>(name[0])) || name[0] == '_');
  for (char c : name) {
    if (!std::islower(static_cast<unsigned char>(c)) &&
        !std::isdigit(static_cast<unsigned char>(c)) && c != '_') {
      plain = false;
    }
  }
  if (plain) return std::string(name);
  std::string out = "\"";
  for (char c : name) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::string TableDescriptor::PrimaryKeyName() const {
  if (!primary_key_name.empty()) return primary_key_name;
  if (primary_key.size() == 1) {
    const ColumnDescriptor* column = FindColumnById(primary_key[0]);
    if (column != nullptr && column->hidden) return "";
  }
  return name + "_pkey";
}

const IndexDescriptor* TableDescriptor::FindIndex(std::string_view index_name) const {
  for (const IndexDescriptor& index : indexes) {
    if (index.name == index_name) return &index;
  }
  return nullptr;
}

const IndexDescriptor* TableDescriptor::FindIndexById(uint32_t index_id) const {
  for (const IndexDescriptor& index : indexes) {
    if (index.id == index_id) return &index;
  }
  return nullptr;
}

std::string IndexDefinition(const TableDescriptor& table, const IndexDescriptor& index) {
  std::string columns;
  for (const IndexColumn& column : index.columns) {
    if (!columns.empty()) columns += ", ";
    const ColumnDescriptor* descriptor = table.FindColumnById(column.column_id);
    columns += QuoteIdentifier(descriptor != nullptr ? descriptor->name : "?");
    if (column.descending) columns += " DESC";
    if (column.nulls_first != column.descending) {
      columns += column.nulls_first ? " NULLS FIRST" : " NULLS LAST";
    }
  }
  return fmt::format("CREATE {}INDEX {} ON {}.{} USING btree ({})", index.unique ? "UNIQUE " : "",
                     QuoteIdentifier(index.name), QuoteIdentifier(table.schema),
                     QuoteIdentifier(table.name), columns);
}

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
    case 19:  // name: text of at most 63 bytes
      return ColumnType::kText;
    case 1043:
      return ColumnType::kVarchar;
    case 1042:
      return ColumnType::kBpchar;
    case 1082:
      return ColumnType::kDate;
    case 1083:
      return ColumnType::kTime;
    case 1114:
      return ColumnType::kTimestamp;
    case 1184:
      return ColumnType::kTimestampTz;
    case 1186:
      return ColumnType::kInterval;
    case 2950:  // uuid: its 16 bytes (sql/uuid.h)
      return ColumnType::kBytea;
    case 114:   // json: its text as given
    case 3802:  // jsonb: its canonical text (sql/json.h)
      return ColumnType::kText;
    default:
      return Status::InvalidArgument(fmt::format("no column type for type oid {}", type_oid));
  }
}

Status CheckKeyColumnTypes(const TableDescriptor& table) {
  auto check = [&table](uint32_t column_id) -> Status {
    const ColumnDescriptor* column = table.FindColumnById(column_id);
    if (column == nullptr) return Status::Ok();
    if (column->type_oid == 114) {
      return Status::Sql("42704",
                         "data type json has no default operator class for access method "
                         "\"btree\"")
          .WithHint(
              "You must specify an operator class for the index or define a default "
              "operator class for the data type.");
    }
    if (column->type_oid == 3802) {
      return Status::Sql("0A000", fmt::format("column \"{}\" of type jsonb cannot be part of a "
                                              "primary key or an index yet",
                                              column->name));
    }
    return Status::Ok();
  };
  for (uint32_t id : table.primary_key) RETURN_IF_ERROR(check(id));
  for (const IndexDescriptor& index : table.indexes) {
    for (const IndexColumn& column : index.columns) RETURN_IF_ERROR(check(column.column_id));
  }
  return Status::Ok();
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
  std::vector<RowColumn> fields = {{kTableId, Int(table.id)},
                                   {kTableSchema, Text(table.schema)},
                                   {kTableName, Text(table.name)},
                                   {kTableVersion, Int(static_cast<int64_t>(table.version))},
                                   {kTableNextColumnId, Int(table.next_column_id)},
                                   {kTableColumns, Bytes(std::move(columns))},
                                   {kTablePrimaryKey, Bytes(std::move(key))}};
  if (!table.primary_key_name.empty()) {
    fields.push_back({kTablePrimaryKeyName, Text(table.primary_key_name)});
  }
  if (!table.indexes.empty()) {
    fields.push_back({kTableIndexes, Bytes(EncodeList(table.indexes, EncodeIndex))});
  }
  if (table.next_index_id != kFirstSecondaryIndexId) {
    fields.push_back({kTableNextIndexId, Int(table.next_index_id)});
  }
  if (!table.checks.empty()) {
    fields.push_back({kTableChecks, Bytes(EncodeList(table.checks, EncodeCheck))});
  }
  if (table.owner != kBootstrapOwnerOid) fields.push_back({kTableOwner, Int(table.owner)});
  if (table.acl) fields.push_back({kTableAcl, Bytes(EncodeAcl(*table.acl))});
  return EncodeRowOrDie(std::move(fields));
}

Result<TableDescriptor> DecodeDescriptor(std::string_view bytes) {
  ASSIGN_OR_RETURN(auto fields, ReadFields(bytes, {{kTableId, ColumnType::kInt8},
                                                   {kTableSchema, ColumnType::kText},
                                                   {kTableName, ColumnType::kText},
                                                   {kTableVersion, ColumnType::kInt8},
                                                   {kTableNextColumnId, ColumnType::kInt8},
                                                   {kTableColumns, ColumnType::kBytea},
                                                   {kTablePrimaryKey, ColumnType::kBytea},
                                                   {kTablePrimaryKeyName, ColumnType::kText},
                                                   {kTableIndexes, ColumnType::kBytea},
                                                   {kTableNextIndexId, ColumnType::kInt8},
                                                   {kTableChecks, ColumnType::kBytea},
                                                   {kTableOwner, ColumnType::kInt8},
                                                   {kTableAcl, ColumnType::kBytea}}));
  TableDescriptor table;
  ASSIGN_OR_RETURN(int64_t id, RequiredInt(fields[0], kTableObject, "table id"));
  if (id < kFirstUserTableId || id > UINT32_MAX) return Corrupt("table id out of range");
  table.id = static_cast<uint32_t>(id);
  ASSIGN_OR_RETURN(table.schema, RequiredBytes(fields[1], kTableObject, "schema"));
  ASSIGN_OR_RETURN(table.name, RequiredBytes(fields[2], kTableObject, "name"));
  ASSIGN_OR_RETURN(int64_t version, RequiredInt(fields[3], kTableObject, "version"));
  if (version <= 0) return Corrupt("version out of range");
  table.version = static_cast<uint64_t>(version);
  ASSIGN_OR_RETURN(int64_t next, RequiredInt(fields[4], kTableObject, "next column id"));
  if (next <= 0 || next > UINT32_MAX) return Corrupt("next column id out of range");
  table.next_column_id = static_cast<uint32_t>(next);

  ASSIGN_OR_RETURN(std::string columns, RequiredBytes(fields[5], kTableObject, "columns"));
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

  ASSIGN_OR_RETURN(std::string key, RequiredBytes(fields[6], kTableObject, "primary key"));
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

  if (fields[7] && !fields[7]->is_null()) table.primary_key_name = fields[7]->bytes_value();
  if (fields[9] && !fields[9]->is_null()) {
    int64_t next_index = fields[9]->int_value();
    if (next_index < kFirstSecondaryIndexId || next_index > UINT32_MAX) {
      return Corrupt("next index id out of range");
    }
    table.next_index_id = static_cast<uint32_t>(next_index);
  }
  if (fields[8] && !fields[8]->is_null()) {
    ASSIGN_OR_RETURN(table.indexes,
                     DecodeList<IndexDescriptor>(
                         fields[8]->bytes_value(), kMaxIndexes,
                         [&table](std::string_view row) { return DecodeIndex(row, table); }));
    for (size_t i = 0; i < table.indexes.size(); ++i) {
      for (size_t j = 0; j < i; ++j) {
        if (table.indexes[i].id == table.indexes[j].id) return Corrupt("duplicate index id");
      }
    }
  }
  if (fields[10] && !fields[10]->is_null()) {
    ASSIGN_OR_RETURN(table.checks, DecodeList<CheckConstraint>(fields[10]->bytes_value(),
                                                               kMaxChecks, DecodeCheck));
  }
  if (fields[11] && !fields[11]->is_null()) {
    int64_t owner = fields[11]->int_value();
    if (owner <= 0 || owner > UINT32_MAX) return Corrupt("owner out of range");
    table.owner = static_cast<uint32_t>(owner);
  }
  if (fields[12] && !fields[12]->is_null()) {
    ASSIGN_OR_RETURN(table.acl, DecodeAcl(fields[12]->bytes_value()));
  }
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

encoding::KeySpan TableSpan(uint32_t table_id) {
  BOREALIS_CHECK(table_id < UINT32_MAX);
  return encoding::KeySpan{encoding::EncodeIndexPrefix(table_id, 0),
                           encoding::EncodeIndexPrefix(table_id + 1, 0)};
}

encoding::KeySpan TableRowSpan(uint32_t table_id) {
  return encoding::IndexSpan(table_id, kPrimaryIndexId);
}

Result<int64_t> RequiredInt(const std::optional<Datum>& datum, std::string_view object,
                            std::string_view field) {
  if (!datum || datum->is_null()) {
    return Status::Corruption(fmt::format("{}: missing {}", object, field));
  }
  return datum->int_value();
}

Result<std::string> RequiredBytes(const std::optional<Datum>& datum, std::string_view object,
                                  std::string_view field) {
  if (!datum || datum->is_null()) {
    return Status::Corruption(fmt::format("{}: missing {}", object, field));
  }
  return datum->bytes_value();
}

std::string EncodeInt(int64_t value) { return EncodeRowOrDie({{1, Int(value)}}); }

Result<int64_t> DecodeInt(std::string_view bytes) {
  ASSIGN_OR_RETURN(std::optional<Datum> datum,
                   encoding::DecodeRowColumn(bytes, 1, ColumnType::kInt8));
  return RequiredInt(datum, "catalog row", "value");
}

namespace fields {

Datum Int(int64_t value) { return Datum::Int(ColumnType::kInt8, value); }
Datum Text(std::string value) { return Datum::Bytes(ColumnType::kText, std::move(value)); }
Datum Bytes(std::string value) { return Datum::Bytes(ColumnType::kBytea, std::move(value)); }

std::string EncodeRowOrDie(std::vector<encoding::RowColumn> columns) {
  Result<std::string> row = encoding::EncodeRow(columns);
  BOREALIS_CHECK(row.ok(), row.status().ToString());
  return std::move(row).value();
}

}  // namespace fields

}  // namespace borealis::catalog
