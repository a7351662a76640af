// AST of the role and privilege statements (issue 4, helper R): CREATE ROLE / USER / GROUP,
// ALTER ROLE (options, RENAME TO), DROP ROLE, GRANT / REVOKE role membership, GRANT / REVOKE
// privileges ON tables, sequences, schemas. Produced by sql/role_syntax.cc (called from
// sql/parser.cc), run by qp/roles.h. SET ROLE and SET SESSION AUTHORIZATION stay SET
// statements (the session intercepts their names).
//
// Contract: plain values. Option fields are optional: unset means "keep" (ALTER) or
// PostgreSQL's default (CREATE).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sql/ast.h"

namespace borealis::sql {

enum class RoleAction {
  kCreate,
  kAlter,
  kRename,
  kDrop,
  kGrantRole,
  kRevokeRole,
  kGrantPrivileges,
  kRevokePrivileges,
};

// A role as written: a name, PUBLIC, or CURRENT_USER / SESSION_USER / CURRENT_ROLE.
struct RoleName {
  enum class Kind { kName, kPublic, kCurrentUser, kSessionUser, kCurrentRole };
  Kind kind = Kind::kName;
  std::string name;  // kName
};

enum class GrantObject { kTable, kSequence, kSchema, kAllTablesInSchema, kAllSequencesInSchema };

struct RoleStatement : Statement {
  static constexpr StatementKind kKind = StatementKind::kRole;
  RoleStatement() : Statement(kKind) {}
  RoleAction action = RoleAction::kCreate;
  // CREATE / ALTER / RENAME: the role; RENAME: new_name.
  RoleName role;
  std::string new_name;
  bool create_user = false;  // CREATE USER: LOGIN by default
  // CREATE / ALTER options.
  std::optional<bool> superuser, login, create_db, create_role, inherit;
  std::optional<int32_t> connection_limit;
  std::optional<std::optional<std::string>> password;  // PASSWORD 'x' | PASSWORD NULL
  std::vector<std::string> in_roles;                   // CREATE ROLE ... IN ROLE a, b
  std::vector<std::string> member_roles;               // CREATE ROLE ... ROLE a, b
  // DROP ROLE [IF EXISTS] a, b; GRANT a, b TO ...: the roles granted.
  std::vector<RoleName> roles;
  bool if_exists = false;
  // GRANT / REVOKE: grantees; WITH ADMIN OPTION (roles) / WITH GRANT OPTION (privileges);
  // REVOKE ... CASCADE.
  std::vector<RoleName> grantees;
  bool admin_option = false;
  bool grant_option = false;
  bool cascade = false;
  // GRANT / REVOKE privileges: lower-case keywords ("select", ...); empty means ALL.
  std::vector<std::string> privileges;
  bool column_privileges = false;  // GRANT SELECT (a) ON t: 0A000
  GrantObject object = GrantObject::kTable;
  std::vector<TableRef> tables;      // kTable, kSequence
  std::vector<std::string> schemas;  // kSchema, k*InSchema
};

}  // namespace borealis::sql
