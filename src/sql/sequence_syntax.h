// The parser's transform of sequence options (sql/ast_sequence.h): the DefElem list of
// CREATE/ALTER SEQUENCE and of an identity column's `(options)`. Internal to sql/parser.cc.
//
// Contract: pure. Integer arguments are read from the parse tree, or from the query text when
// libpg_query's JSON leaves them out (zero and negative values print as `"Integer": {}`).
// Values outside int64 are 22003 like PostgreSQL's; unknown options 42601.
#pragma once

#include <functional>
#include <string>

#include "common/status.h"
#include "nlohmann/json.hpp"
#include "sql/ast_sequence.h"

namespace borealis::sql {

using TypeNameTransform = std::function<Result<TypeName>(const nlohmann::json&)>;

Result<SequenceOptions> TransformSequenceOptions(const nlohmann::json& list,
                                                 const std::string& source,
                                                 const TypeNameTransform& transform_type);

}  // namespace borealis::sql
