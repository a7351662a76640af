// The source text of a column's DEFAULT expression (issue 4): CREATE TABLE keeps a
// non-constant DEFAULT as SQL text (catalog ColumnDescriptor::default_expression) and binds it
// again at each INSERT, so the text must be exactly the expression the user wrote.
//
// ColumnDefaultText scans `source` from the start of a column definition (its name's byte
// offset, as the parser reports it) to the DEFAULT keyword at parenthesis depth 0, then takes
// everything up to the end of the definition: a ',' or an unbalanced ')' at depth 0, or a
// column constraint that cannot continue an expression (CONSTRAINT, PRIMARY, UNIQUE, CHECK,
// REFERENCES, GENERATED, NOT NULL / NULL not preceded by IS). Quoted strings ('...', E'...',
// "...", $tag$...$tag$) and comments are skipped as units. Returns the trimmed text, or
// nullopt when there is no DEFAULT or the text is unterminated. The caller re-parses the text
// and refuses what does not bind, so a scan that stops early cannot store a wrong default
// silently unless the prefix is itself a valid expression of the column's type — the stop
// words above never end a valid expression prefix of that kind in PostgreSQL's grammar.
// Pure function.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace borealis::sql {

std::optional<std::string> ColumnDefaultText(std::string_view source, size_t column_location);

}  // namespace borealis::sql
