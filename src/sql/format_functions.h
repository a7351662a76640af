// String formatting functions of PostgreSQL 15: format(formatstr, VARIADIC "any") with %s, %I,
// %L, %%, positions (%2$s), flags (-) and widths (%10s, %*s, %*1$s); quote_literal and
// quote_nullable (text and any value); and the identifier quoting rule that %I and quote_ident
// share (lower-case identifiers that are not reserved, column-name or type/function-name
// keywords stay bare). Errors and messages follow PostgreSQL (22023 for bad format strings,
// 22004 for a NULL identifier).
//
// Contract: registration only (RegisterFormatFunctions, called once by sql/functions.cc) plus
// QuoteIdentifierSql, a pure function. Everything is thread-safe; format's output is bounded
// by PostgreSQL's 1 GB value limit (54000).
#pragma once

#include <string>
#include <string_view>

#include "sql/catalog_functions.h"  // FunctionAdder

namespace borealis::sql {

// PostgreSQL's quote_identifier: `name` bare when it is a plain lower-case identifier and no
// keyword that needs quoting, else double-quoted with embedded quotes doubled.
std::string QuoteIdentifierSql(std::string_view name);

void RegisterFormatFunctions(const FunctionAdder& add);

}  // namespace borealis::sql
