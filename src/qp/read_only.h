// Read-only transactions (SET TRANSACTION READ ONLY, BEGIN READ ONLY,
// default_transaction_read_only): which statements PostgreSQL refuses in them, with its
// message (PreventCommandIfReadOnly / ExecCheckXactReadOnly).
//
// Contract: ReadOnlyViolation names the command a statement would run ("INSERT", "DROP
// TABLE", "CREATE TABLE AS", ...) when a read-only transaction must refuse it, nullopt when it
// may run. Writes to temporary tables are allowed, as in PostgreSQL (the caller says whether
// the DML target is one); CREATE TEMP TABLE is not. SELECT ... FOR UPDATE, nextval and
// EXECUTE's target are checked where they run (not here). Pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "sql/ast.h"

namespace borealis::qp {

std::optional<std::string> ReadOnlyViolation(const sql::Statement& statement,
                                             bool dml_target_is_temporary);

// 25006 `cannot execute <command> in a read-only transaction`.
Status ReadOnlyTransactionError(std::string_view command);

}  // namespace borealis::qp
