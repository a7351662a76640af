#include "sql/types.h"

#include <array>

#include "fmt/format.h"
#include "sql/catalog_types.h"
#include "sql/datetime.h"
#include "sql/interval.h"

namespace borealis::sql {
namespace {

constexpr std::array<TypeInfo, 18> kTypes = {{
    {TypeId::kBool, "bool", "boolean", 1, TypeCategory::kBoolean, true},
    {TypeId::kName, "name", "name", 64, TypeCategory::kString, false},
    {TypeId::kInt8, "int8", "bigint", 8, TypeCategory::kNumeric, false},
    {TypeId::kInt2, "int2", "smallint", 2, TypeCategory::kNumeric, false},
    {TypeId::kInt4, "int4", "integer", 4, TypeCategory::kNumeric, false},
    {TypeId::kText, "text", "text", -1, TypeCategory::kString, true},
    {TypeId::kOid, "oid", "oid", 4, TypeCategory::kNumeric, true},
    {TypeId::kFloat4, "float4", "real", 4, TypeCategory::kNumeric, false},
    {TypeId::kFloat8, "float8", "double precision", 8, TypeCategory::kNumeric, true},
    {TypeId::kUnknown, "unknown", "unknown", -2, TypeCategory::kUnknown, false},
    {TypeId::kBpchar, "bpchar", "character", -1, TypeCategory::kString, false},
    {TypeId::kVarchar, "varchar", "character varying", -1, TypeCategory::kString, false},
    {TypeId::kNumeric, "numeric", "numeric", -1, TypeCategory::kNumeric, false},
    {TypeId::kUuid, "uuid", "uuid", 16, TypeCategory::kUserDefined, false},
    {TypeId::kJson, "json", "json", -1, TypeCategory::kUserDefined, false},
    {TypeId::kJsonb, "jsonb", "jsonb", -1, TypeCategory::kUserDefined, false},
    {TypeId::kVoid, "void", "void", 4, TypeCategory::kPseudo, false},
    {TypeId::kAnyNonArray, "anynonarray", "anynonarray", 4, TypeCategory::kPseudo, false},
}};

struct Alias {
  std::string_view name;
  TypeId id;
};

// Names the grammar or pg_type accept; the grammar maps `int`, `integer`, `smallint`, `real`,
// `float`, `double precision`, `decimal`, `boolean`, `char`, `varchar` to pg_catalog names.
constexpr std::array<Alias, 27> kAliases = {{
    {"bool", TypeId::kBool},       {"boolean", TypeId::kBool},    {"int2", TypeId::kInt2},
    {"smallint", TypeId::kInt2},   {"int4", TypeId::kInt4},       {"int", TypeId::kInt4},
    {"integer", TypeId::kInt4},    {"int8", TypeId::kInt8},       {"bigint", TypeId::kInt8},
    {"float4", TypeId::kFloat4},   {"real", TypeId::kFloat4},     {"float8", TypeId::kFloat8},
    {"float", TypeId::kFloat8},    {"numeric", TypeId::kNumeric}, {"decimal", TypeId::kNumeric},
    {"text", TypeId::kText},       {"varchar", TypeId::kVarchar}, {"bpchar", TypeId::kBpchar},
    {"char", TypeId::kChar},       {"name", TypeId::kName},       {"oid", TypeId::kOid},
    {"unknown", TypeId::kUnknown}, {"void", TypeId::kVoid},       {"character", TypeId::kBpchar},
    {"uuid", TypeId::kUuid},       {"json", TypeId::kJson},       {"jsonb", TypeId::kJsonb},
}};

}  // namespace

const TypeInfo& GetTypeInfo(TypeId id) {
  for (const TypeInfo& info : kTypes) {
    if (info.id == id) return info;
  }
  if (IsCatalogType(id)) return CatalogTypeInfo(id);
  if (IsDateTimeType(id)) return DateTimeTypeInfo(id);
  if (id == TypeId::kInterval) return IntervalTypeInfo();
  BOREALIS_CHECK(false, "unknown type id", static_cast<uint32_t>(id));
  __builtin_unreachable();
}

std::optional<TypeId> TypeFromOid(uint32_t oid) {
  for (const TypeInfo& info : kTypes) {
    if (info.id == TypeId::kAnyNonArray) continue;  // not a type a value can have
    if (static_cast<uint32_t>(info.id) == oid) return info.id;
  }
  if (IsCatalogType(static_cast<TypeId>(oid))) return static_cast<TypeId>(oid);
  if (IsDateTimeType(static_cast<TypeId>(oid))) return static_cast<TypeId>(oid);
  if (oid == static_cast<uint32_t>(TypeId::kInterval)) return TypeId::kInterval;
  return std::nullopt;
}

Result<TypeId> LookupTypeName(std::span<const std::string> names) {
  std::string full;
  for (const std::string& part : names) full += (full.empty() ? "" : ".") + part;
  if (names.empty() || names.size() > 2 || (names.size() == 2 && names[0] != "pg_catalog")) {
    return Status::Sql("42704", fmt::format("type \"{}\" does not exist", full));
  }
  const std::string& name = names.back();
  for (const Alias& alias : kAliases) {
    if (alias.name == name) return alias.id;
  }
  if (name == "double precision" || name == "character varying") {
    return name[0] == 'd' ? TypeId::kFloat8 : TypeId::kVarchar;
  }
  if (std::optional<TypeId> catalog_type = CatalogTypeFromName(name)) return *catalog_type;
  if (std::optional<TypeId> datetime = DateTimeTypeFromName(name)) return *datetime;
  if (name == "interval") return TypeId::kInterval;
  if (name == "timetz" || name == "time with time zone") {
    return Status::Sql("0A000", fmt::format("type {} is not supported yet", name));
  }
  return Status::Sql("42704", fmt::format("type \"{}\" does not exist", full));
}

}  // namespace borealis::sql
