// The parser's transform of role and privilege statements (sql/ast_role.h). Internal to
// sql/parser.cc, which calls it for CreateRoleStmt, AlterRoleStmt, DropRoleStmt,
// GrantRoleStmt, GrantStmt and RenameStmt of a role.
//
// Contract: pure. Options PostgreSQL has but Borealis does not honour (VALID UNTIL,
// REPLICATION, BYPASSRLS, ADMIN, SYSID, ALTER ROLE ... SET, IN DATABASE) are 0A000, never
// ignored; reserved names (public, none, pg_*) are 42939 like PostgreSQL's.
#pragma once

#include <memory>
#include <string>

#include "common/status.h"
#include "nlohmann/json.hpp"
#include "sql/ast_role.h"

namespace borealis::sql {

// Whether the parse node named `node_name` (with `body`) is one this file transforms.
bool IsRoleStatementNode(const std::string& node_name, const nlohmann::json& body);

Result<std::unique_ptr<Statement>> TransformRoleStatement(const std::string& node_name,
                                                          const nlohmann::json& body);

}  // namespace borealis::sql
