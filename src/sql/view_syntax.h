// The source text of a CREATE VIEW's query (sql/ast_view.h). Internal to sql/parser.cc.
//
// Contract: pure. libpg_query gives no location for a SelectStmt, so the text is found by
// scanning the statement from the view's name: the query starts after the first `AS` keyword
// outside parentheses, quotes and comments, and ends before the first `;` outside them (or at
// the end of the source). String constants ('...', E'...', $tag$...$tag$), quoted identifiers
// and comments (-- and nested /* */) are skipped. InvalidArgument when no such AS exists.
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace borealis::sql {

struct SourceSpan {
  size_t begin = 0;  // byte offsets into the source
  size_t end = 0;
};

Result<SourceSpan> ViewQuerySpan(std::string_view source, size_t view_name_location);

}  // namespace borealis::sql
