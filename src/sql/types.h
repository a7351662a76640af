// SQL types known to the engine, identified by PostgreSQL's built-in type OIDs.
//
// Contract: TypeId values are the pg_type OIDs clients see in RowDescription and
// ParameterDescription. Everything here is immutable static data: thread-safe, no allocation
// beyond returned strings. Type names resolve like PostgreSQL's grammar (`int` -> int4,
// `double precision` -> float8, `varchar` -> varchar, ...).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "common/status.h"

namespace borealis::sql {

enum class TypeId : uint32_t {
  kInvalid = 0,
  kBool = 16,
  kName = 19,
  kInt8 = 20,
  kInt2 = 21,
  kInt4 = 23,
  kText = 25,
  kOid = 26,
  kFloat4 = 700,
  kFloat8 = 701,
  kUnknown = 705,
  kBpchar = 1042,
  kVarchar = 1043,
  kNumeric = 1700,
  kUuid = 2950,  // sql/uuid.h
  kJson = 114,   // sql/json_functions.h (helper J)
  kJsonb = 3802,
  kVoid = 2278,
  // Pseudo-type of polymorphic function arguments (anytextcat, textanycat): matches any
  // input type; never the type of a value or a column.
  kAnyNonArray = 2776,
  // Date/time types (sql/datetime.h has their I/O).
  kDate = 1082,
  kTime = 1083,
  kTimestamp = 1114,
  kTimestampTz = 1184,
  kInterval = 1186,  // sql/interval.h
  // System-catalog types (sql/catalog_types.h has their I/O): "char", the OID aliases
  // (int64 values), xid, and text-held types (vectors, node trees, arrays: their text form).
  kChar = 18,
  kInt2Vector = 22,
  kRegproc = 24,
  kXid = 28,
  kOidVector = 30,
  kPgNodeTree = 194,
  kRegclass = 2205,
  kRegtype = 2206,
  kRegnamespace = 4089,
  kRegrole = 4096,
  kBoolArray = 1000,
  kCharArray = 1002,
  kNameArray = 1003,
  kInt2Array = 1005,
  kInt4Array = 1007,
  kTextArray = 1009,
  kVarcharArray = 1015,
  kInt8Array = 1016,
  kFloat4Array = 1021,
  kFloat8Array = 1022,
  kOidArray = 1028,
  kAclitemArray = 1034,
  kNumericArray = 1231,
  // An anonymous row, ROW(a, b) (sql/row_expressions.h): held as its text form.
  kRecord = 2249,
};

// PostgreSQL's typcategory letters: they drive operator resolution.
enum class TypeCategory : char {
  kBoolean = 'B',
  kNumeric = 'N',
  kString = 'S',
  kUnknown = 'X',
  kPseudo = 'P',
  kDateTime = 'D',
  kTimespan = 'T',
  kArray = 'A',
  kUserDefined = 'U',
  kInternal = 'Z',
};

struct TypeInfo {
  TypeId id;
  std::string_view name;          // pg_type.typname, e.g. "int4" (the column name of a cast)
  std::string_view display_name;  // format_type(), e.g. "integer" (used in error messages)
  int16_t size;                   // pg_type.typlen; -1 varlena, -2 cstring
  TypeCategory category;
  bool preferred;  // typispreferred: float8 among numerics, text among strings
};

// REQUIRES: id is one of the TypeId enumerators other than kInvalid.
const TypeInfo& GetTypeInfo(TypeId id);

// The TypeId for a wire OID, or nullopt when the engine does not know that type.
std::optional<TypeId> TypeFromOid(uint32_t oid);

// Resolves a type name as written in SQL (qualified names as a list, e.g. {"pg_catalog",
// "int4"}). Unknown names give 42704 `type "x" does not exist`.
Result<TypeId> LookupTypeName(std::span<const std::string> names);

inline bool IsIntegerType(TypeId t) {
  return t == TypeId::kInt2 || t == TypeId::kInt4 || t == TypeId::kInt8;
}
inline bool IsFloatType(TypeId t) { return t == TypeId::kFloat4 || t == TypeId::kFloat8; }
inline bool IsStringType(TypeId t) {
  return t == TypeId::kText || t == TypeId::kVarchar || t == TypeId::kBpchar || t == TypeId::kName;
}

}  // namespace borealis::sql
