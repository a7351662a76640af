#include "sql/role_syntax.h"

#include <cctype>

#include "fmt/format.h"

namespace borealis::sql {
namespace {

using Json = nlohmann::json;

Status NotSupported(const std::string& what) {
  return Status::Sql("0A000", what + " is not supported yet");
}

std::string Str(const Json& node, const char* field) {
  auto it = node.find(field);
  return it != node.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool Flag(const Json& node, const char* field) {
  auto it = node.find(field);
  return it != node.end() && it->is_boolean() && it->get<bool>();
}

const Json& Child(const Json& node, const char* field) {
  static const Json kNull;
  auto it = node.find(field);
  return it != node.end() ? *it : kNull;
}

std::pair<std::string, const Json*> NodeOf(const Json& node) {
  if (!node.is_object() || node.size() != 1) return {"", &node};
  return {node.begin().key(), &node.begin().value()};
}

RoleName TransformRoleSpec(const Json& spec) {
  RoleName name;
  std::string type = Str(spec, "roletype");
  if (type == "ROLESPEC_PUBLIC") {
    name.kind = RoleName::Kind::kPublic;
  } else if (type == "ROLESPEC_CURRENT_USER") {
    name.kind = RoleName::Kind::kCurrentUser;
  } else if (type == "ROLESPEC_SESSION_USER") {
    name.kind = RoleName::Kind::kSessionUser;
  } else if (type == "ROLESPEC_CURRENT_ROLE") {
    name.kind = RoleName::Kind::kCurrentRole;
  } else {
    name.name = Str(spec, "rolename");
  }
  return name;
}

// A list of {"RoleSpec": {...}} nodes.
std::vector<RoleName> TransformRoleList(const Json& list) {
  std::vector<RoleName> names;
  if (!list.is_array()) return names;
  for (const Json& item : list) {
    auto [kind, spec] = NodeOf(item);
    if (kind == "RoleSpec") names.push_back(TransformRoleSpec(*spec));
  }
  return names;
}

// A DefElem argument {"List": {"items": [RoleSpec...]}}.
std::vector<std::string> PlainRoleNames(const Json& arg) {
  std::vector<std::string> names;
  auto [kind, list] = NodeOf(arg);
  const Json& items = kind == "List" ? Child(*list, "items") : arg;
  for (const RoleName& name : TransformRoleList(items)) names.push_back(name.name);
  return names;
}

bool BoolArg(const Json& def) {
  auto [kind, value] = NodeOf(Child(def, "arg"));
  if (kind == "Boolean") return Flag(*value, "boolval");
  if (kind == "Integer") return value->value("ival", 0) != 0;
  return true;
}

Status TransformRoleOptions(const Json& options, RoleStatement& role, bool create) {
  if (!options.is_array()) return Status::Ok();
  for (const Json& item : options) {
    auto [kind, def] = NodeOf(item);
    if (kind != "DefElem") return Status::Internal("role option is not a DefElem");
    std::string name = Str(*def, "defname");
    if (name == "canlogin") {
      role.login = BoolArg(*def);
    } else if (name == "superuser") {
      role.superuser = BoolArg(*def);
    } else if (name == "createdb") {
      role.create_db = BoolArg(*def);
    } else if (name == "createrole") {
      role.create_role = BoolArg(*def);
    } else if (name == "inherit") {
      role.inherit = BoolArg(*def);
    } else if (name == "connectionlimit") {
      auto [value_kind, value] = NodeOf(Child(*def, "arg"));
      int64_t limit = value_kind == "Integer" ? value->value("ival", 0) : 0;
      if (limit < -1 || limit > INT32_MAX) {
        return Status::Sql("22023", fmt::format("invalid connection limit: {}", limit));
      }
      role.connection_limit = static_cast<int32_t>(limit);
    } else if (name == "password") {
      auto [value_kind, value] = NodeOf(Child(*def, "arg"));
      if (value_kind == "String") {
        role.password = std::optional<std::string>(Str(*value, "sval"));
      } else {
        role.password = std::optional<std::string>();  // PASSWORD NULL
      }
    } else if ((name == "isreplication" || name == "bypassrls") && !BoolArg(*def)) {
      // NOREPLICATION / NOBYPASSRLS: what every Borealis role is.
    } else if (create && name == "addroleto") {
      role.in_roles = PlainRoleNames(Child(*def, "arg"));
    } else if (create && name == "rolemembers") {
      role.member_roles = PlainRoleNames(Child(*def, "arg"));
    } else {
      static const std::map<std::string, std::string> kNames = {
          {"validUntil", "VALID UNTIL"},
          {"isreplication", "REPLICATION"},
          {"bypassrls", "BYPASSRLS"},
          {"adminmembers", "CREATE ROLE ... ADMIN"},
          {"sysid", "SYSID"},
          {"rolemembers", "ALTER GROUP ... ADD/DROP USER"}};
      auto it = kNames.find(name);
      return NotSupported("role option " + (it != kNames.end() ? it->second : name));
    }
  }
  return Status::Ok();
}

Result<TableRef> TransformRangeVar(const Json& node) {
  TableRef ref;
  ref.schema = Str(node, "schemaname");
  ref.name = Str(node, "relname");
  ref.location = node.value("location", -1);
  if (!Str(node, "catalogname").empty()) {
    return NotSupported("cross-database references");
  }
  return ref;
}

Result<std::unique_ptr<Statement>> TransformGrant(const Json& node) {
  auto grant = std::make_unique<RoleStatement>();
  bool is_grant = Flag(node, "is_grant");
  grant->action = is_grant ? RoleAction::kGrantPrivileges : RoleAction::kRevokePrivileges;
  grant->grant_option = Flag(node, "grant_option");
  grant->cascade = Str(node, "behavior") == "DROP_CASCADE";
  std::string target = Str(node, "targtype");
  std::string type = Str(node, "objtype");
  if (target == "ACL_TARGET_DEFAULTS") return NotSupported("ALTER DEFAULT PRIVILEGES");
  bool all_in_schema = target == "ACL_TARGET_ALL_IN_SCHEMA";
  if (type == "OBJECT_TABLE") {
    grant->object = all_in_schema ? GrantObject::kAllTablesInSchema : GrantObject::kTable;
  } else if (type == "OBJECT_SEQUENCE") {
    grant->object = all_in_schema ? GrantObject::kAllSequencesInSchema : GrantObject::kSequence;
  } else if (type == "OBJECT_SCHEMA") {
    grant->object = GrantObject::kSchema;
  } else {
    std::string what = type.rfind("OBJECT_", 0) == 0 ? type.substr(7) : type;
    return NotSupported(fmt::format("{} ON {}", is_grant ? "GRANT" : "REVOKE", what));
  }
  for (const Json& item : Child(node, "objects")) {
    auto [kind, object] = NodeOf(item);
    if (kind == "RangeVar") {
      ASSIGN_OR_RETURN(TableRef ref, TransformRangeVar(*object));
      grant->tables.push_back(std::move(ref));
    } else if (kind == "String") {
      grant->schemas.push_back(Str(*object, "sval"));
    }
  }
  for (const Json& item : Child(node, "privileges")) {
    auto [kind, privilege] = NodeOf(item);
    if (kind != "AccessPriv") return Status::Internal("privilege is not an AccessPriv");
    if (Child(*privilege, "cols").is_array() && !Child(*privilege, "cols").empty()) {
      grant->column_privileges = true;
    }
    // ALL [PRIVILEGES] (cols) has no name.
    std::string name = Str(*privilege, "priv_name");
    grant->privileges.push_back(name.empty() ? "all" : name);
  }
  grant->grantees = TransformRoleList(Child(node, "grantees"));
  return std::unique_ptr<Statement>(std::move(grant));
}

Result<std::unique_ptr<Statement>> TransformGrantRole(const Json& node) {
  auto grant = std::make_unique<RoleStatement>();
  grant->action = Flag(node, "is_grant") ? RoleAction::kGrantRole : RoleAction::kRevokeRole;
  grant->admin_option = Flag(node, "admin_opt");
  grant->cascade = Str(node, "behavior") == "DROP_CASCADE";
  if (!Child(node, "grantor").is_null()) return NotSupported("GRANTED BY");
  for (const Json& item : Child(node, "granted_roles")) {
    auto [kind, privilege] = NodeOf(item);
    if (kind != "AccessPriv") return Status::Internal("granted role is not an AccessPriv");
    RoleName name;
    name.name = Str(*privilege, "priv_name");
    grant->roles.push_back(std::move(name));
  }
  grant->grantees = TransformRoleList(Child(node, "grantee_roles"));
  return std::unique_ptr<Statement>(std::move(grant));
}

}  // namespace

bool IsRoleStatementNode(const std::string& node_name, const Json& body) {
  if (node_name == "RenameStmt") return Str(body, "renameType") == "OBJECT_ROLE";
  return node_name == "CreateRoleStmt" || node_name == "AlterRoleStmt" ||
         node_name == "DropRoleStmt" || node_name == "GrantRoleStmt" || node_name == "GrantStmt";
}

Result<std::unique_ptr<Statement>> TransformRoleStatement(const std::string& node_name,
                                                          const Json& body) {
  if (node_name == "GrantStmt") return TransformGrant(body);
  if (node_name == "GrantRoleStmt") return TransformGrantRole(body);
  auto role = std::make_unique<RoleStatement>();
  if (node_name == "CreateRoleStmt") {
    role->action = RoleAction::kCreate;
    role->role.name = Str(body, "role");
    role->create_user = Str(body, "stmt_type") == "ROLESTMT_USER";
    RETURN_IF_ERROR(TransformRoleOptions(Child(body, "options"), *role, /*create=*/true));
  } else if (node_name == "AlterRoleStmt") {
    role->action = RoleAction::kAlter;
    role->role = TransformRoleSpec(Child(body, "role"));
    RETURN_IF_ERROR(TransformRoleOptions(Child(body, "options"), *role, /*create=*/false));
  } else if (node_name == "RenameStmt") {
    role->action = RoleAction::kRename;
    role->role.name = Str(body, "subname");
    role->new_name = Str(body, "newname");
  } else if (node_name == "DropRoleStmt") {
    role->action = RoleAction::kDrop;
    role->roles = TransformRoleList(Child(body, "roles"));
    role->if_exists = Flag(body, "missing_ok");
  } else {
    return Status::Internal("not a role statement: " + node_name);
  }
  return std::unique_ptr<Statement>(std::move(role));
}

}  // namespace borealis::sql
