// Catalog-reading functions and operators: PostgreSQL's system information functions
// (pg_table_is_visible, pg_get_userbyid, format_type, pg_get_indexdef, ...), the regular
// expression operators (~, ~*, !~, !~*, with std::regex's ECMAScript grammar standing in for
// PostgreSQL's ARE syntax: the common subset psql and drivers use behaves the same), array
// functions over the array types of sql/catalog_types.h (array_to_string, array_position,
// x = ANY(array), ...), and the casts between text and the OID alias types (regclass, ...).
//
// Contract: what needs the catalog reads it through FunctionContext::catalog() (a
// CatalogAccess implemented by the query processor at the statement's snapshot); without one
// those calls fail with 0A000. Everything registered here is immutable static data.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "sql/binder.h"
#include "sql/functions.h"
#include "sql/value.h"

namespace borealis::sql {

// The catalog as functions see it. OIDs are those the pg_catalog virtual tables report.
class CatalogAccess {
 public:
  virtual ~CatalogAccess() = default;
  // regclassin: a relation (table or index) by name; `schema` empty means the search path.
  virtual Result<std::optional<uint32_t>> RelationOid(std::string_view schema,
                                                      std::string_view name) = 0;
  // regclassout: the name, schema-qualified when not visible on the search path.
  virtual Result<std::optional<std::string>> RelationName(uint32_t oid) = 0;
  virtual Result<bool> RelationVisible(uint32_t oid) = 0;
  // pg_get_indexdef / pg_get_constraintdef; nullopt for an unknown OID.
  virtual Result<std::optional<std::string>> IndexDefinition(uint32_t oid) = 0;
  virtual Result<std::optional<std::string>> ConstraintDefinition(uint32_t oid) = 0;
  virtual Result<std::optional<std::string>> RoleName(uint32_t oid) = 0;
  virtual Result<std::optional<uint32_t>> RoleOid(std::string_view name) = 0;
  // pg_get_serial_sequence(table, column): the qualified name of the sequence the column owns
  // (SERIAL, identity), nullopt when it owns none. 42P01 / 42703 for a missing table / column.
  virtual Result<std::optional<std::string>> SerialSequence(std::string_view table,
                                                            std::string_view column) {
    (void)table;
    (void)column;
    return std::optional<std::string>();
  }
  // pg_get_viewdef: a view's definition (qp/view_statements.h), nullopt for other OIDs.
  virtual Result<std::optional<std::string>> ViewDefinition(uint32_t oid) {
    (void)oid;
    return std::optional<std::string>();
  }
  // has_table_privilege ('t'), has_sequence_privilege ('S') and pg_has_role ('r'), answered
  // by qp/roles.h: does `user` (nullopt: the current user) hold any of the comma-separated
  // `privileges` on the object named `object_name` (or with OID `object_oid` when no name)?
  // nullopt (SQL NULL) for an unknown OID; 42P01 / 42704 / 22023 as PostgreSQL's otherwise.
  virtual Result<std::optional<bool>> HasPrivilege(char object_kind,
                                                   std::optional<std::string> user,
                                                   std::optional<std::string> object_name,
                                                   uint32_t object_oid,
                                                   std::string_view privileges) {
    (void)object_kind, (void)user, (void)object_name, (void)object_oid, (void)privileges;
    return std::optional<bool>(true);
  }
};

// PostgreSQL's fixed namespace OIDs.
inline constexpr uint32_t kPgCatalogNamespaceOid = 11;
inline constexpr uint32_t kPublicNamespaceOid = 2200;
inline constexpr uint32_t kInformationSchemaNamespaceOid = 13207;
inline constexpr uint32_t kBootstrapSuperuserOid = 10;
// A session's temporary schema pg_temp_<n> (qp/temp_tables.h) has OID kTempNamespaceOidBase +
// n (n below 2^28).
inline constexpr uint32_t kTempNamespaceOidBase = 0x70000000;

// The OID of a namespace name, or nullopt.
std::optional<uint32_t> NamespaceOid(std::string_view name);
std::optional<std::string_view> NamespaceName(uint32_t oid);

// format_type(type_oid, typmod): "integer", "character varying(10)", "numeric(10,2)", ...
std::string FormatType(uint32_t type_oid, std::optional<int32_t> typmod);

// A default expression as pg_get_expr prints it for a constant given in its type's text form,
// e.g. 'x'::text, 5, '5'::bigint, 1.5, true.
std::string DeparseConstant(TypeId type, std::string_view text);

// Casts that read the catalog: text-like <-> regclass/regtype/regnamespace/regrole/regproc.
Result<Value> CastWithCatalog(const Value& value, TypeId to, FunctionContext& context);

// Adds this file's functions to the function catalog (called once by sql/functions.cc).
using FunctionAdder =
    std::function<FunctionDef&(std::string_view name, std::vector<TypeId> args, TypeId result,
                               FunctionImpl impl, bool is_operator)>;
void RegisterCatalogFunctions(const FunctionAdder& add);

// The operator name under which `x op ANY (array)` is registered ("= ANY", "<> ALL", ...).
std::string QuantifiedOperatorName(std::string_view op, bool all);

}  // namespace borealis::sql
