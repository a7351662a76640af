// The types of PostgreSQL's system catalogs that user tables cannot store: "char", the OID
// alias types (regclass, regtype, regproc, regnamespace, regrole), xid, int2vector, oidvector,
// pg_node_tree, and one-dimensional arrays of the basic types (values in expressions only:
// CREATE TABLE refuses array columns with 0A000).
//
// Contract: values follow sql/value.h: "char" holds a string of at most one byte; the OID
// aliases and xid hold an int64 in [0, 2^32); every other type here holds its text form
// (arrays in PostgreSQL's `{a,"b c",NULL}` syntax, canonicalized on input). Text output of an
// OID alias needs the catalog (regclass prints a relation name): FormatText prints the number
// and catalog_functions.h's CastWithCatalog gives the name. Pure functions over static data.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "sql/types.h"
#include "sql/value.h"

namespace borealis::sql {

// Elements one array value may hold (54000 beyond).
inline constexpr size_t kMaxArrayElements = 1'000'000;

bool IsCatalogType(TypeId type);
// REQUIRES: IsCatalogType(type).
const TypeInfo& CatalogTypeInfo(TypeId type);
// A catalog type named by its pg_type name (e.g. "regclass", "_text", "int2vector").
std::optional<TypeId> CatalogTypeFromName(std::string_view name);

bool IsRegType(TypeId type);  // regclass, regtype, regproc, regnamespace, regrole
bool IsArrayType(TypeId type);
// The element type of an array type (REQUIRES IsArrayType), and the array type of an element
// type (nullopt when the engine has no such array type).
TypeId ArrayElementType(TypeId array);
std::optional<TypeId> ArrayTypeOf(TypeId element);

// I/O and casts of the types here (sql/value.cc delegates to these).
Result<Value> ParseCatalogText(TypeId type, std::string_view text);
std::string FormatCatalogText(const Value& value);
Result<Value> ReceiveCatalogBinary(TypeId type, std::string_view bytes);
std::string SendCatalogBinary(const Value& value);
// REQUIRES: from or to is a catalog type, from != to.
bool CanCastCatalog(TypeId from, TypeId to, CastContext context);
// Casts that need no catalog lookup; text <-> OID alias casts fail with XX000 here (the
// evaluator routes them through CastWithCatalog).
Result<Value> CastCatalogValue(const Value& value, TypeId to);
// Whether a cast from `from` to `to` reads the catalog (text-like <-> OID alias).
bool CastNeedsCatalog(TypeId from, TypeId to);

// Array text form: the elements' text (nullopt for NULL). 22P02 on malformed input.
Result<std::vector<std::optional<std::string>>> SplitArrayText(std::string_view text);
std::string FormatArrayText(std::span<const std::optional<std::string>> elements);
// The elements of an array value as values of its element type.
Result<std::vector<Value>> ArrayElements(const Value& array);
// An array value of `array_type` from element values (NULLs allowed).
Value MakeArray(TypeId array_type, std::span<const Value> elements);

}  // namespace borealis::sql
