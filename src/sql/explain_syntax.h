// The parser's validation of EXPLAIN options (sql/ast_explain.h), PostgreSQL 15's ExplainQuery
// rules: ANALYZE, VERBOSE, COSTS, SETTINGS, BUFFERS, WAL, TIMING, SUMMARY take a Boolean
// (none = true; true/false/on/off/1/0, else 42601 "X requires a Boolean value"); FORMAT takes
// TEXT (XML, JSON, YAML: 0A000; other values 22023); unknown options are 42601 with the
// option's position; WAL or an explicit TIMING without ANALYZE are 22023. Internal to
// sql/parser.cc. Pure.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "sql/ast_bulk.h"
#include "sql/ast_explain.h"

namespace borealis::sql {

Result<ExplainOptions> ValidateExplainOptions(const std::vector<OptionItem>& options,
                                              const std::string& source);

}  // namespace borealis::sql
