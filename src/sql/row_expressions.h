// Row constructors (helper S): ROW(a, b) and the implicit row `(a, b)`, as PostgreSQL 15
// treats them.
//
// Contract:
//   * A row on its own is a value of type record (OID 2249), held as its text form
//     (`(1,abc)`, record_out's quoting: empty strings, quotes, backslashes, parentheses,
//     commas and white space are double-quoted; NULL fields are empty). Input of anonymous
//     records is 0A000, as in PostgreSQL; binary send is refused with 0A000 (field types are
//     not kept). Unknown literals in a row become text.
//   * `row op row` for = <> < <= > >= compares field by field with PostgreSQL's semantics
//     (= / <>: all / any pair; ordering: the first pair that is not equal decides, NULL when it
//     is NULL), bound as AND/OR trees of the pairwise operators. Rows of different lengths are
//     42601 `unequal number of entries in row expressions`; other operators 42883.
//   * `row IS [NOT] NULL`: every field NULL / every field not NULL. `row IS [NOT] DISTINCT
//     FROM row`: any / no pair distinct. `row [NOT] IN (row, ...)`: OR / AND of row (in)equality.
//   * `row [NOT] IN (subquery)` and `row op ANY (subquery)`: a kSubquery node with children
//     {field tests..., comparison}, the comparison over columns 0..n-1 (the tests) and n..2n-1
//     (a subquery row); 42601 when the subquery's width differs.
//   * A whole-row reference `t` (a FROM item's name where a column is expected; the Binder
//     resolves it) is the record of t's visible columns.
//   * Comparing a row with a record value, or a record value with another: 0A000.
// Pure binding; the Binder calls in here before its own dispatch (HasRowOperand).
#pragma once

#include "sql/ast.h"
#include "sql/binder.h"

namespace borealis::sql {

// Whether `expr` is a row constructor or an operation with one as an operand.
bool HasRowOperand(const ParsedExpr& expr);

// REQUIRES: HasRowOperand(expr).
Result<BoundExprPtr> BindRowExpression(Binder& binder, const ParsedExpr& expr);

// A record value built from `fields` at run time (ROW(...) and whole-row references).
BoundExprPtr MakeRecord(std::vector<BoundExprPtr> fields, int location);

// record_out's text for the fields of a row (NULL fields as nullopt).
std::string FormatRecordText(std::span<const std::optional<std::string>> fields);

}  // namespace borealis::sql
