// Table descriptors and the system keys of the catalog (ARCHITECTURE §3: the catalog lives in
// the same transactional key space as user data).
//
// System keys all belong to table id kSystemTableId; the index id says what they hold:
//   (1, kDescriptorIndex, int8 table id)          -> descriptor row (EncodeDescriptor)
//   (1, kNameIndex, text schema, text name)      -> row {1: int8 table id[, 2: int8 index id]}
//     (tables and indexes share PostgreSQL's relation namespace; an index's name row names
//     its table and its index id)
//   (1, kIdAllocatorIndex)                        -> row {1: int8 next table id}
//   (1, kSchemaVersionIndex, int8 table id)      -> row {1: int8 version}
//   (1, kRowIdCounterIndex)                       -> row {1: int8 last hidden row id handed
//     out to a QP} (qp/row_ids.h; sequences use 5 and 6, catalog/sequences.h)
// DDL writes a table's schema-version key; every DML transaction adds it to its check set, so
// a DDL that commits after the DML's t_start aborts the DML with OC001. User tables get ids
// from kFirstUserTableId; their rows live under (table id, kPrimaryIndexId, pk columns...).
//
// Descriptors are encoded with the row format (encoding/row.h), nested rows for the columns,
// so new fields can be added without breaking old descriptors. Decoding is strict
// (Corruption). Pure functions; plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/acl.h"
#include "common/status.h"
#include "encoding/datum.h"
#include "encoding/key.h"
#include "encoding/row.h"

namespace borealis::catalog {

inline constexpr uint32_t kSystemTableId = 1;
inline constexpr uint32_t kDescriptorIndex = 1;
inline constexpr uint32_t kNameIndex = 2;
inline constexpr uint32_t kIdAllocatorIndex = 3;
inline constexpr uint32_t kSchemaVersionIndex = 4;
inline constexpr uint32_t kRowIdCounterIndex = 15;
inline constexpr uint32_t kFirstUserTableId = 100;
inline constexpr uint32_t kPrimaryIndexId = 1;
inline constexpr uint32_t kFirstSecondaryIndexId = 2;
// Secondary indexes and CHECK constraints per table.
inline constexpr size_t kMaxIndexes = 1000;
inline constexpr size_t kMaxChecks = 1000;
// PostgreSQL's NAMEDATALEN - 1: longer identifiers are truncated.
inline constexpr size_t kMaxIdentifierBytes = 63;
// PostgreSQL's limits on a table.
inline constexpr size_t kMaxColumns = 1600;
inline constexpr size_t kMaxKeyColumns = 32;
// Name of the hidden row-id column of a table without a primary key (never shown by *).
inline constexpr char kRowIdColumnName[] = "rowid";

struct ColumnDescriptor {
  uint32_t id = 0;  // > 0, never reused within a table
  std::string name;
  uint32_t type_oid = 0;  // a pg_type OID the SQL layer knows
  int32_t typmod = -1;    // e.g. varchar(10) -> 14 (PostgreSQL's atttypmod), -1 none
  bool not_null = false;
  // The DEFAULT constant in the type's text form (nullopt: no default, i.e. NULL).
  std::optional<std::string> default_text;
  bool hidden = false;  // the row id of a table without a primary key
  // A DEFAULT that is not a constant, as SQL text re-bound by the SQL layer at each use, e.g.
  // "nextval('t_id_seq'::regclass)" (SERIAL, identity). Never set together with default_text.
  std::optional<std::string> default_expression;
  // GENERATED ALWAYS ('a') | BY DEFAULT ('d') AS IDENTITY (pg_attribute.attidentity), 0 none;
  // an identity column's default_expression is the nextval of its sequence.
  char identity = 0;
  friend bool operator==(const ColumnDescriptor&, const ColumnDescriptor&) = default;
};

// One key column of a secondary index. `nulls_first` is always resolved (PostgreSQL's
// default: NULLS FIRST exactly for DESC).
struct IndexColumn {
  uint32_t column_id = 0;
  bool descending = false;
  bool nulls_first = false;
  friend bool operator==(const IndexColumn&, const IndexColumn&) = default;
};

// A secondary index (CREATE [UNIQUE] INDEX, or a UNIQUE constraint). Its entries live under
// (table id, index id, ...) with the layout of docs/design/encoding.md ("Non-unique / Unique
// secondary index"). What pg_catalog needs (helper F): `name` (pg_class.relname), `columns`
// (pg_index.indkey / indoption), `unique` (indisunique), `constraint` (a pg_constraint row of
// type 'u' named like the index exists), and IndexDefinition() below for pg_get_indexdef.
// The primary key is not in `indexes`: it is index kPrimaryIndexId, named
// TableDescriptor::PrimaryKeyName().
struct IndexDescriptor {
  uint32_t id = 0;  // >= kFirstSecondaryIndexId, never reused within a table
  std::string name;
  std::vector<IndexColumn> columns;
  bool unique = false;
  bool constraint = false;  // created by a UNIQUE table/column constraint (t_a_key)
  friend bool operator==(const IndexDescriptor&, const IndexDescriptor&) = default;
};

// A CHECK constraint: `expression` is the SQL text of the condition (re-parsed and bound by
// the SQL layer over the table's columns).
struct CheckConstraint {
  std::string name;
  std::string expression;
  friend bool operator==(const CheckConstraint&, const CheckConstraint&) = default;
};

struct TableDescriptor {
  uint32_t id = 0;
  std::string schema = "public";
  std::string name;
  uint64_t version = 1;  // equals the schema-version key's value
  std::vector<ColumnDescriptor> columns;
  std::vector<uint32_t> primary_key;  // column ids, in key order (ascending)
  uint32_t next_column_id = 1;
  // Name of the primary-key constraint; empty: "<table>_pkey" (or none for a hidden row id).
  std::string primary_key_name;
  std::vector<IndexDescriptor> indexes;
  uint32_t next_index_id = kFirstSecondaryIndexId;
  std::vector<CheckConstraint> checks;
  // pg_class.relowner (a role OID) and relacl (nullopt: never granted, i.e. NULL; catalog/acl.h).
  uint32_t owner = kBootstrapOwnerOid;
  std::optional<Acl> acl;

  // The primary key's constraint (and index) name; empty when the key is the hidden row id.
  std::string PrimaryKeyName() const;
  const IndexDescriptor* FindIndex(std::string_view index_name) const;
  const IndexDescriptor* FindIndexById(uint32_t index_id) const;
  const ColumnDescriptor* FindColumn(std::string_view column_name) const;
  const ColumnDescriptor* FindColumnById(uint32_t column_id) const;
  // Position of a column id in `columns`, or -1.
  int ColumnIndex(uint32_t column_id) const;
  bool IsKeyColumn(uint32_t column_id) const;
  friend bool operator==(const TableDescriptor&, const TableDescriptor&) = default;
};

// PostgreSQL's pg_type OIDs of the column types a table may have, mapped to the encoding's.
// InvalidArgument for other OIDs.
Result<encoding::ColumnType> ColumnTypeForOid(uint32_t type_oid);

// json and jsonb columns (stored as their text, whose order is not the types' order) may not be
// primary-key or index columns: json has no btree order in PostgreSQL (42704), jsonb's is not
// kept by the text encoding (0A000). Checked whenever a descriptor is written. (helper J)
Status CheckKeyColumnTypes(const TableDescriptor& table);

// PostgreSQL's pg_get_indexdef text, e.g.
// "CREATE UNIQUE INDEX t_a_idx ON public.t USING btree (a DESC, b NULLS FIRST)".
std::string IndexDefinition(const TableDescriptor& table, const IndexDescriptor& index);

std::string EncodeDescriptor(const TableDescriptor& table);
Result<TableDescriptor> DecodeDescriptor(std::string_view bytes);

// Keys.
std::string DescriptorKey(uint32_t table_id);
std::string NameKey(std::string_view schema, std::string_view name);
std::string IdAllocatorKey();
std::string SchemaVersionKey(uint32_t table_id);
// Every key of the table: its rows and all its index entries.
encoding::KeySpan TableSpan(uint32_t table_id);
// All keys of a table's primary index (its rows).
encoding::KeySpan TableRowSpan(uint32_t table_id);

// Values of the single-int8 rows (table id, next id, version).
// A field every row of a catalog object has (rows read with encoding::DecodeRow): its value,
// or Corruption "<object>: missing <field>". Shared by the descriptor codecs of tables,
// sequences and views.
Result<int64_t> RequiredInt(const std::optional<encoding::Datum>& datum, std::string_view object,
                            std::string_view field);
Result<std::string> RequiredBytes(const std::optional<encoding::Datum>& datum,
                                  std::string_view object, std::string_view field);
std::string EncodeInt(int64_t value);
Result<int64_t> DecodeInt(std::string_view bytes);

// Field values and rows of the catalog codecs (tables, sequences, views): int8, text and bytea
// datums, and a row whose encoding cannot fail (the codec built it from valid fields).
namespace fields {
encoding::Datum Int(int64_t value);
encoding::Datum Text(std::string value);
encoding::Datum Bytes(std::string value);
std::string EncodeRowOrDie(std::vector<encoding::RowColumn> columns);
}  // namespace fields

}  // namespace borealis::catalog
