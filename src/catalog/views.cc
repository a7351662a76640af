#include "catalog/views.h"

#include <algorithm>

#include "catalog/store.h"
#include "encoding/key.h"
#include "encoding/row.h"
#include "encoding/varint.h"
#include "fmt/format.h"

namespace borealis::catalog {
namespace {

using encoding::ColumnType;
using encoding::Datum;

// Field ids of the descriptor row. Never reuse an id.
enum ViewField : uint32_t {
  kId = 1,
  kSchema = 2,
  kName = 3,
  kVersion = 4,
  kQuery = 5,
  kColumns = 6,       // uvarint count, then per column: uvarint length + nested row
  kDependencies = 7,  // uvarint count, then uvarint ids
  kOwner = 8,         // int8 role OID, absent: kBootstrapOwnerOid
  kAcl = 9,           // catalog/acl.h EncodeAcl, absent: the default ACL
};
enum ViewColumnField : uint32_t { kColumnName = 1, kColumnType = 2, kColumnTypmod = 3 };
// The name row's marker column (a table's name row has only column 1, an index's 1 and 2, a
// sequence's 1 and 3).
constexpr uint32_t kNameRowView = 4;

using fields::Bytes;
using fields::EncodeRowOrDie;
using fields::Int;
using fields::Text;

Status Corrupt(std::string_view what) {
  return Status::Corruption(fmt::format("view descriptor: {}", what));
}

constexpr std::string_view kViewObject = "view descriptor";

Result<ViewColumn> DecodeColumn(std::string_view bytes) {
  std::vector<encoding::RowColumnSpec> specs = {{kColumnName, ColumnType::kText},
                                                {kColumnType, ColumnType::kInt8},
                                                {kColumnTypmod, ColumnType::kInt8}};
  ASSIGN_OR_RETURN(auto f, encoding::DecodeRow(bytes, specs));
  ViewColumn column;
  ASSIGN_OR_RETURN(column.name, RequiredBytes(f[0], kViewObject, "column name"));
  ASSIGN_OR_RETURN(int64_t type, RequiredInt(f[1], kViewObject, "column type"));
  ASSIGN_OR_RETURN(int64_t typmod, RequiredInt(f[2], kViewObject, "column typmod"));
  if (type <= 0 || type > UINT32_MAX || typmod < INT32_MIN || typmod > INT32_MAX) {
    return Corrupt("column type out of range");
  }
  column.type_oid = static_cast<uint32_t>(type);
  column.typmod = static_cast<int32_t>(typmod);
  return column;
}

}  // namespace

std::string ViewKey(uint32_t id) {
  encoding::KeyEncoder key(kSystemTableId, kViewIndex);
  BOREALIS_CHECK(key.Append({ColumnType::kInt8}, Int(id)).ok());
  return std::move(key).Finish();
}

std::string EncodeView(const ViewDescriptor& view) {
  BOREALIS_CHECK(!view.columns.empty() && view.columns.size() <= kMaxColumns, view.columns.size());
  BOREALIS_CHECK(view.depends_on.size() <= kMaxViewDependencies, view.depends_on.size());
  std::string columns;
  encoding::AppendUvarint(columns, view.columns.size());
  for (const ViewColumn& column : view.columns) {
    std::string row = EncodeRowOrDie({{kColumnName, Text(column.name)},
                                      {kColumnType, Int(column.type_oid)},
                                      {kColumnTypmod, Int(column.typmod)}});
    encoding::AppendUvarint(columns, row.size());
    columns += row;
  }
  std::string dependencies;
  encoding::AppendUvarint(dependencies, view.depends_on.size());
  for (uint32_t id : view.depends_on) encoding::AppendUvarint(dependencies, id);
  std::vector<encoding::RowColumn> fields = {{kId, Int(view.id)},
                                             {kSchema, Text(view.schema)},
                                             {kName, Text(view.name)},
                                             {kVersion, Int(static_cast<int64_t>(view.version))},
                                             {kQuery, Text(view.query)},
                                             {kColumns, Bytes(std::move(columns))},
                                             {kDependencies, Bytes(std::move(dependencies))}};
  if (view.owner != kBootstrapOwnerOid) fields.push_back({kOwner, Int(view.owner)});
  if (view.acl) fields.push_back({kAcl, Bytes(EncodeAcl(*view.acl))});
  return EncodeRowOrDie(std::move(fields));
}

Result<ViewDescriptor> DecodeView(std::string_view bytes) {
  std::vector<encoding::RowColumnSpec> specs = {{kId, ColumnType::kInt8},
                                                {kSchema, ColumnType::kText},
                                                {kName, ColumnType::kText},
                                                {kVersion, ColumnType::kInt8},
                                                {kQuery, ColumnType::kText},
                                                {kColumns, ColumnType::kBytea},
                                                {kDependencies, ColumnType::kBytea},
                                                {kOwner, ColumnType::kInt8},
                                                {kAcl, ColumnType::kBytea}};
  ASSIGN_OR_RETURN(auto f, encoding::DecodeRow(bytes, specs));
  ViewDescriptor view;
  if (f[7] && !f[7]->is_null()) {
    if (f[7]->int_value() <= 0 || f[7]->int_value() > UINT32_MAX) return Corrupt("bad owner");
    view.owner = static_cast<uint32_t>(f[7]->int_value());
  }
  if (f[8] && !f[8]->is_null()) {
    ASSIGN_OR_RETURN(view.acl, DecodeAcl(f[8]->bytes_value()));
  }
  ASSIGN_OR_RETURN(int64_t id, RequiredInt(f[0], kViewObject, "id"));
  if (id < kFirstUserTableId || id > UINT32_MAX) return Corrupt("id out of range");
  view.id = static_cast<uint32_t>(id);
  ASSIGN_OR_RETURN(view.schema, RequiredBytes(f[1], kViewObject, "schema"));
  ASSIGN_OR_RETURN(view.name, RequiredBytes(f[2], kViewObject, "name"));
  ASSIGN_OR_RETURN(int64_t version, RequiredInt(f[3], kViewObject, "version"));
  if (version <= 0) return Corrupt("version out of range");
  view.version = static_cast<uint64_t>(version);
  ASSIGN_OR_RETURN(view.query, RequiredBytes(f[4], kViewObject, "query"));
  ASSIGN_OR_RETURN(std::string columns, RequiredBytes(f[5], kViewObject, "columns"));
  encoding::ByteReader reader(columns);
  ASSIGN_OR_RETURN(uint64_t count, reader.ReadUvarint());
  if (count == 0 || count > kMaxColumns) return Corrupt("column count out of range");
  for (uint64_t i = 0; i < count; ++i) {
    ASSIGN_OR_RETURN(uint64_t length, reader.ReadUvarint());
    ASSIGN_OR_RETURN(std::string_view row, reader.ReadBytes(length));
    ASSIGN_OR_RETURN(ViewColumn column, DecodeColumn(row));
    view.columns.push_back(std::move(column));
  }
  if (!reader.empty()) return Corrupt("bytes after the columns");
  ASSIGN_OR_RETURN(std::string dependencies, RequiredBytes(f[6], kViewObject, "dependencies"));
  encoding::ByteReader ids(dependencies);
  ASSIGN_OR_RETURN(uint64_t dependency_count, ids.ReadUvarint());
  if (dependency_count > kMaxViewDependencies) return Corrupt("too many dependencies");
  for (uint64_t i = 0; i < dependency_count; ++i) {
    ASSIGN_OR_RETURN(uint64_t dependency, ids.ReadUvarint());
    if (dependency < kFirstUserTableId || dependency > UINT32_MAX) {
      return Corrupt("dependency out of range");
    }
    view.depends_on.push_back(static_cast<uint32_t>(dependency));
  }
  if (!ids.empty()) return Corrupt("bytes after the dependencies");
  return view;
}

std::string ViewNameRow(uint32_t id) {
  return EncodeRowOrDie({{1, Int(id)}, {kNameRowView, Datum::Bool(true)}});
}

Result<bool> IsViewNameRow(std::string_view row) {
  ASSIGN_OR_RETURN(std::optional<Datum> marker,
                   encoding::DecodeRowColumn(row, kNameRowView, ColumnType::kBool));
  return marker.has_value() && !marker->is_null() && marker->bool_value();
}

Result<ViewDescriptor> CreateView(txn::KvTransaction& txn, ViewDescriptor view) {
  std::string name_key = NameKey(view.schema, view.name);
  ASSIGN_OR_RETURN(std::optional<std::string> existing, txn.Get(name_key));
  if (existing) {
    return Status::Sql("42P07", fmt::format("relation \"{}\" already exists", view.name));
  }
  ASSIGN_OR_RETURN(view.id, AllocateRelationId(txn));
  view.version = 1;
  RETURN_IF_ERROR(txn.Put(ViewKey(view.id), EncodeView(view)));
  RETURN_IF_ERROR(txn.Put(std::move(name_key), ViewNameRow(view.id)));
  return view;
}

Result<std::optional<ViewDescriptor>> LookupView(txn::KvTransaction& txn, std::string_view schema,
                                                 std::string_view name) {
  ASSIGN_OR_RETURN(std::optional<std::string> row, txn.Get(NameKey(schema, name)));
  if (!row) return std::optional<ViewDescriptor>();
  ASSIGN_OR_RETURN(bool is_view, IsViewNameRow(*row));
  if (!is_view) return std::optional<ViewDescriptor>();
  ASSIGN_OR_RETURN(int64_t id, DecodeInt(*row));
  if (id < kFirstUserTableId || id > UINT32_MAX) return Corrupt("name row id out of range");
  ASSIGN_OR_RETURN(std::optional<std::string> bytes, txn.Get(ViewKey(static_cast<uint32_t>(id))));
  if (!bytes) return Corrupt(fmt::format("view {} has a name but no descriptor", id));
  ASSIGN_OR_RETURN(ViewDescriptor view, DecodeView(*bytes));
  return std::optional<ViewDescriptor>(std::move(view));
}

Result<std::optional<ViewDescriptor>> ReadView(txn::KvTransaction& txn, uint32_t id) {
  ASSIGN_OR_RETURN(std::optional<std::string> bytes, txn.Get(ViewKey(id)));
  if (!bytes) return std::optional<ViewDescriptor>();
  ASSIGN_OR_RETURN(ViewDescriptor view, DecodeView(*bytes));
  return std::optional<ViewDescriptor>(std::move(view));
}

Result<ViewDescriptor> ReplaceView(txn::KvTransaction& txn, ViewDescriptor view) {
  view.version += 1;
  RETURN_IF_ERROR(txn.Put(ViewKey(view.id), EncodeView(view)));
  return view;
}

Status DropView(txn::KvTransaction& txn, const ViewDescriptor& view) {
  RETURN_IF_ERROR(txn.Delete(NameKey(view.schema, view.name)));
  return txn.Delete(ViewKey(view.id));
}

Result<std::vector<ViewDescriptor>> ListViews(txn::KvTransaction& txn) {
  encoding::KeySpan span = encoding::IndexSpan(kSystemTableId, kViewIndex);
  ASSIGN_OR_RETURN(std::vector<txn::Row> rows, txn.Scan(span.begin, span.end, kMaxViews));
  std::vector<ViewDescriptor> out;
  out.reserve(rows.size());
  for (const txn::Row& row : rows) {
    ASSIGN_OR_RETURN(ViewDescriptor view, DecodeView(row.value));
    out.push_back(std::move(view));
  }
  return out;
}

}  // namespace borealis::catalog
