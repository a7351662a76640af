#include "catalog/sequences.h"

#include "catalog/store.h"
#include "encoding/key.h"
#include "encoding/row.h"
#include "fmt/format.h"

namespace borealis::catalog {
namespace {

using encoding::ColumnType;
using encoding::Datum;

// Field ids of the descriptor row. Never reuse an id.
enum SequenceField : uint32_t {
  kId = 1,
  kSchema = 2,
  kName = 3,
  kVersion = 4,
  kTypeOid = 5,
  kIncrement = 6,
  kMinValue = 7,
  kMaxValue = 8,
  kStart = 9,
  kCache = 10,
  kCycle = 11,
  kOwnerTable = 12,
  kOwnerColumn = 13,
  kOwnerRole = 14,  // int8 role OID, absent: kBootstrapOwnerOid
  kAcl = 15,        // catalog/acl.h EncodeAcl, absent: the default ACL
};
// The name row's marker column (a table's name row has only column 1, an index's 1 and 2).
constexpr uint32_t kNameRowSequence = 3;

using fields::Bytes;
using fields::EncodeRowOrDie;
using fields::Int;
using fields::Text;

Status Corrupt(std::string_view what) {
  return Status::Corruption(fmt::format("sequence descriptor: {}", what));
}

constexpr std::string_view kSequenceObject = "sequence descriptor";

std::string IdKey(uint32_t index, uint32_t id) {
  encoding::KeyEncoder key(kSystemTableId, index);
  BOREALIS_CHECK(key.Append({ColumnType::kInt8}, Int(id)).ok());
  return std::move(key).Finish();
}

}  // namespace

std::string SequenceKey(uint32_t id) { return IdKey(kSequenceIndex, id); }
std::string SequenceStateKey(uint32_t id) { return IdKey(kSequenceStateIndex, id); }

std::string EncodeSequence(const SequenceDescriptor& s) {
  std::vector<encoding::RowColumn> fields = {{kId, Int(s.id)},
                                             {kSchema, Text(s.schema)},
                                             {kName, Text(s.name)},
                                             {kVersion, Int(static_cast<int64_t>(s.version))},
                                             {kTypeOid, Int(s.type_oid)},
                                             {kIncrement, Int(s.increment)},
                                             {kMinValue, Int(s.min_value)},
                                             {kMaxValue, Int(s.max_value)},
                                             {kStart, Int(s.start)},
                                             {kCache, Int(s.cache)},
                                             {kCycle, Datum::Bool(s.cycle)},
                                             {kOwnerTable, Int(s.owner_table_id)},
                                             {kOwnerColumn, Int(s.owner_column_id)}};
  if (s.owner != kBootstrapOwnerOid) fields.push_back({kOwnerRole, Int(s.owner)});
  if (s.acl) fields.push_back({kAcl, Bytes(EncodeAcl(*s.acl))});
  return EncodeRowOrDie(std::move(fields));
}

Result<SequenceDescriptor> DecodeSequence(std::string_view bytes) {
  std::vector<encoding::RowColumnSpec> specs = {
      {kId, ColumnType::kInt8},          {kSchema, ColumnType::kText},
      {kName, ColumnType::kText},        {kVersion, ColumnType::kInt8},
      {kTypeOid, ColumnType::kInt8},     {kIncrement, ColumnType::kInt8},
      {kMinValue, ColumnType::kInt8},    {kMaxValue, ColumnType::kInt8},
      {kStart, ColumnType::kInt8},       {kCache, ColumnType::kInt8},
      {kCycle, ColumnType::kBool},       {kOwnerTable, ColumnType::kInt8},
      {kOwnerColumn, ColumnType::kInt8}, {kOwnerRole, ColumnType::kInt8},
      {kAcl, ColumnType::kBytea}};
  ASSIGN_OR_RETURN(auto f, encoding::DecodeRow(bytes, specs));
  SequenceDescriptor s;
  if (f[13] && !f[13]->is_null()) {
    if (f[13]->int_value() <= 0 || f[13]->int_value() > UINT32_MAX) return Corrupt("bad owner");
    s.owner = static_cast<uint32_t>(f[13]->int_value());
  }
  if (f[14] && !f[14]->is_null()) {
    ASSIGN_OR_RETURN(s.acl, DecodeAcl(f[14]->bytes_value()));
  }
  ASSIGN_OR_RETURN(int64_t id, RequiredInt(f[0], kSequenceObject, "id"));
  if (id < kFirstUserTableId || id > UINT32_MAX) return Corrupt("id out of range");
  s.id = static_cast<uint32_t>(id);
  if (!f[1] || !f[2] || f[1]->is_null() || f[2]->is_null()) return Corrupt("missing name");
  s.schema = f[1]->bytes_value();
  s.name = f[2]->bytes_value();
  ASSIGN_OR_RETURN(int64_t version, RequiredInt(f[3], kSequenceObject, "version"));
  s.version = static_cast<uint64_t>(version);
  ASSIGN_OR_RETURN(int64_t type_oid, RequiredInt(f[4], kSequenceObject, "type"));
  if (type_oid != 20 && type_oid != 21 && type_oid != 23) return Corrupt("bad type");
  s.type_oid = static_cast<uint32_t>(type_oid);
  ASSIGN_OR_RETURN(s.increment, RequiredInt(f[5], kSequenceObject, "increment"));
  ASSIGN_OR_RETURN(s.min_value, RequiredInt(f[6], kSequenceObject, "minvalue"));
  ASSIGN_OR_RETURN(s.max_value, RequiredInt(f[7], kSequenceObject, "maxvalue"));
  ASSIGN_OR_RETURN(s.start, RequiredInt(f[8], kSequenceObject, "start"));
  ASSIGN_OR_RETURN(s.cache, RequiredInt(f[9], kSequenceObject, "cache"));
  if (s.increment == 0 || s.min_value > s.max_value || s.cache < 1) return Corrupt("bad options");
  s.cycle = f[10] && !f[10]->is_null() && f[10]->bool_value();
  ASSIGN_OR_RETURN(int64_t owner_table, RequiredInt(f[11], kSequenceObject, "owner table"));
  ASSIGN_OR_RETURN(int64_t owner_column, RequiredInt(f[12], kSequenceObject, "owner column"));
  if (owner_table < 0 || owner_table > UINT32_MAX || owner_column < 0 ||
      owner_column > UINT32_MAX) {
    return Corrupt("owner out of range");
  }
  s.owner_table_id = static_cast<uint32_t>(owner_table);
  s.owner_column_id = static_cast<uint32_t>(owner_column);
  return s;
}

std::string EncodeSequenceState(const SequenceState& state) {
  return EncodeRowOrDie({{1, Int(state.last_value)},
                         {2, Datum::Bool(state.is_called)},
                         {3, Int(static_cast<int64_t>(state.version))}});
}

Result<SequenceState> DecodeSequenceState(std::string_view bytes) {
  std::vector<encoding::RowColumnSpec> specs = {
      {1, ColumnType::kInt8}, {2, ColumnType::kBool}, {3, ColumnType::kInt8}};
  ASSIGN_OR_RETURN(auto f, encoding::DecodeRow(bytes, specs));
  SequenceState state;
  ASSIGN_OR_RETURN(state.last_value, RequiredInt(f[0], kSequenceObject, "last_value"));
  state.is_called = f[1] && !f[1]->is_null() && f[1]->bool_value();
  ASSIGN_OR_RETURN(int64_t version, RequiredInt(f[2], kSequenceObject, "state version"));
  state.version = static_cast<uint64_t>(version);
  return state;
}

Result<bool> IsSequenceNameRow(std::string_view row) {
  ASSIGN_OR_RETURN(std::optional<Datum> marker,
                   encoding::DecodeRowColumn(row, kNameRowSequence, ColumnType::kBool));
  return marker.has_value() && !marker->is_null() && marker->bool_value();
}

Result<SequenceDescriptor> CreateSequence(txn::KvTransaction& txn, SequenceDescriptor sequence) {
  std::string name_key = NameKey(sequence.schema, sequence.name);
  ASSIGN_OR_RETURN(std::optional<std::string> existing, txn.Get(name_key));
  if (existing) {
    return Status::Sql("42P07", fmt::format("relation \"{}\" already exists", sequence.name));
  }
  ASSIGN_OR_RETURN(sequence.id, AllocateRelationId(txn));
  sequence.version = 1;
  RETURN_IF_ERROR(txn.Put(SequenceKey(sequence.id), EncodeSequence(sequence)));
  RETURN_IF_ERROR(
      txn.Put(std::move(name_key),
              EncodeRowOrDie({{1, Int(sequence.id)}, {kNameRowSequence, Datum::Bool(true)}})));
  RETURN_IF_ERROR(txn.Put(SequenceStateKey(sequence.id),
                          EncodeSequenceState(SequenceState{sequence.start, false, 1})));
  return sequence;
}

Result<std::optional<SequenceDescriptor>> ReadSequence(txn::KvTransaction& txn, uint32_t id) {
  ASSIGN_OR_RETURN(std::optional<std::string> bytes, txn.Get(SequenceKey(id)));
  if (!bytes) return std::optional<SequenceDescriptor>();
  ASSIGN_OR_RETURN(SequenceDescriptor sequence, DecodeSequence(*bytes));
  return std::optional<SequenceDescriptor>(std::move(sequence));
}

Result<std::optional<SequenceDescriptor>> LookupSequence(txn::KvTransaction& txn,
                                                         std::string_view schema,
                                                         std::string_view name) {
  ASSIGN_OR_RETURN(std::optional<std::string> row, txn.Get(NameKey(schema, name)));
  if (!row) return std::optional<SequenceDescriptor>();
  ASSIGN_OR_RETURN(bool is_sequence, IsSequenceNameRow(*row));
  if (!is_sequence) return std::optional<SequenceDescriptor>();
  ASSIGN_OR_RETURN(int64_t id, DecodeInt(*row));
  if (id < kFirstUserTableId || id > UINT32_MAX) return Corrupt("name row id out of range");
  ASSIGN_OR_RETURN(std::optional<SequenceDescriptor> sequence,
                   ReadSequence(txn, static_cast<uint32_t>(id)));
  if (!sequence) return Corrupt(fmt::format("sequence {} has a name but no descriptor", id));
  return sequence;
}

Result<SequenceDescriptor> WriteSequence(txn::KvTransaction& txn, SequenceDescriptor sequence,
                                         SequenceState state) {
  sequence.version += 1;
  state.version = sequence.version;
  RETURN_IF_ERROR(txn.Put(SequenceKey(sequence.id), EncodeSequence(sequence)));
  RETURN_IF_ERROR(txn.Put(SequenceStateKey(sequence.id), EncodeSequenceState(state)));
  return sequence;
}

Result<std::optional<SequenceState>> ReadSequenceState(txn::KvTransaction& txn, uint32_t id) {
  ASSIGN_OR_RETURN(std::optional<std::string> bytes, txn.Get(SequenceStateKey(id)));
  if (!bytes) return std::optional<SequenceState>();
  ASSIGN_OR_RETURN(SequenceState state, DecodeSequenceState(*bytes));
  return std::optional<SequenceState>(state);
}

Status DropSequence(txn::KvTransaction& txn, const SequenceDescriptor& sequence) {
  RETURN_IF_ERROR(txn.Delete(NameKey(sequence.schema, sequence.name)));
  RETURN_IF_ERROR(txn.Delete(SequenceKey(sequence.id)));
  return txn.Delete(SequenceStateKey(sequence.id));
}

Result<std::vector<SequenceDescriptor>> ListSequences(txn::KvTransaction& txn) {
  encoding::KeySpan span = encoding::IndexSpan(kSystemTableId, kSequenceIndex);
  ASSIGN_OR_RETURN(std::vector<txn::Row> rows, txn.Scan(span.begin, span.end, kMaxSequences));
  std::vector<SequenceDescriptor> out;
  out.reserve(rows.size());
  for (const txn::Row& row : rows) {
    ASSIGN_OR_RETURN(SequenceDescriptor sequence, DecodeSequence(row.value));
    out.push_back(std::move(sequence));
  }
  return out;
}

int64_t SequenceTypeMin(uint32_t type_oid) {
  return type_oid == 21 ? INT16_MIN : type_oid == 23 ? INT32_MIN : INT64_MIN;
}
int64_t SequenceTypeMax(uint32_t type_oid) {
  return type_oid == 21 ? INT16_MAX : type_oid == 23 ? INT32_MAX : INT64_MAX;
}

}  // namespace borealis::catalog
