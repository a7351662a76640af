#include "qp/roles.h"

#include <cctype>
#include <set>

#include "catalog/indexes.h"
#include "encoding/key.h"
#include "fmt/format.h"
#include "qp/select_binder.h"
#include "qp/system_catalog.h"
#include "qp/temp_tables.h"
#include "qp/view_statements.h"

namespace borealis::qp {
namespace {

using catalog::AclObject;
using sql::RoleAction;
using sql::RoleName;

Status PermissionDenied(std::string message) { return Status::Sql("42501", std::move(message)); }

Status NoSuchRole(std::string_view name) {
  return Status::Sql("42704", fmt::format("role \"{}\" does not exist", name));
}

}  // namespace

// ---- AccessControl ----------------------------------------------------------------------

AccessControl::AccessControl(auth::RoleStore* store, std::string user, bool startup_superuser)
    : store_(store),
      authenticated_user_(user),
      startup_superuser_(startup_superuser),
      unknown_at_start_(store != nullptr && !store->Find(user).has_value()),
      session_user_(std::move(user)) {}

bool AccessControl::Unchecked() const {
  return unknown_at_start_ && !role_ && session_user_ == authenticated_user_;
}

std::shared_ptr<const auth::RoleSnapshot> AccessControl::Snapshot() const {
  if (store_ == nullptr) return std::make_shared<const auth::RoleSnapshot>(auth::RoleMap());
  return store_->Snapshot();
}

uint32_t AccessControl::OidOf(std::string_view name) const {
  if (store_ == nullptr) return catalog::kBootstrapOwnerOid;
  const auth::Role* role = store_->Snapshot()->Find(name);
  return role != nullptr ? role->oid : kUnknownRoleOid;
}

bool AccessControl::IsSuperuser(std::string_view name) const {
  if (store_ == nullptr) return startup_superuser_;
  const auth::Role* role = store_->Snapshot()->Find(name);
  return role != nullptr && role->superuser;
}

void AccessControl::BeforeChange() {
  if (!transaction_start_) {
    transaction_start_ = Identity{session_user_, role_};
    at_commit_ = transaction_start_;
  }
}

void AccessControl::AfterChange(bool local) {
  if (!local) at_commit_ = Identity{session_user_, role_};
}

void AccessControl::EndTransaction(bool commit) {
  if (!transaction_start_) return;
  const Identity& kept = commit ? *at_commit_ : *transaction_start_;
  session_user_ = kept.session_user;
  role_ = kept.role;
  transaction_start_.reset();
  at_commit_.reset();
}

Status AccessControl::SetRole(std::optional<std::string> name, bool local) {
  if (!name) {
    BeforeChange();
    role_.reset();
    AfterChange(local);
    return Status::Ok();
  }
  if (store_ == nullptr) return Status::Sql("0A000", "SET ROLE needs the role store");
  auto snapshot = store_->Snapshot();
  const auth::Role* role = snapshot->Find(*name);
  if (role == nullptr)
    return Status::Sql("22023", fmt::format("role \"{}\" does not exist", *name));
  const auth::Role* session = snapshot->Find(session_user_);
  bool allowed = session != nullptr &&
                 (session->superuser || snapshot->IsMemberOf(session->oid, role->oid, false));
  if (!allowed) return PermissionDenied(fmt::format("permission denied to set role \"{}\"", *name));
  BeforeChange();
  role_ = role->name;
  AfterChange(local);
  return Status::Ok();
}

Status AccessControl::SetSessionAuthorization(std::optional<std::string> name, bool local) {
  std::string target = name.value_or(authenticated_user_);
  if (target != authenticated_user_ || name) {
    if (store_ == nullptr) {
      return Status::Sql("0A000", "SET SESSION AUTHORIZATION needs the role store");
    }
    auto snapshot = store_->Snapshot();
    if (snapshot->Find(target) == nullptr) {
      return Status::Sql("22023", fmt::format("role \"{}\" does not exist", target));
    }
    const auth::Role* authenticated = snapshot->Find(authenticated_user_);
    if (target != authenticated_user_ && (authenticated == nullptr || !authenticated->superuser)) {
      return PermissionDenied("permission denied to set session authorization");
    }
  }
  BeforeChange();
  session_user_ = std::move(target);
  role_.reset();
  AfterChange(local);
  return Status::Ok();
}

uint32_t AccessControl::checking_oid() const {
  return view_owners_.empty() ? current_oid() : view_owners_.back();
}

bool AccessControl::checking_is_superuser() const {
  if (view_owners_.empty()) return current_is_superuser();
  if (store_ == nullptr) return true;
  const auth::Role* owner = store_->Snapshot()->FindOid(view_owners_.back());
  return owner != nullptr && owner->superuser;
}

bool AccessControl::HasPrivilegesOf(uint32_t role) const {
  if (store_ == nullptr || checking_is_superuser()) return true;
  if (view_owners_.empty() && Unchecked()) return true;
  uint32_t me = checking_oid();
  return me != kUnknownRoleOid && store_->Snapshot()->IsMemberOf(me, role, /*inherit_only=*/true);
}

bool AccessControl::CurrentHasPrivilegesOf(uint32_t role) const {
  if (store_ == nullptr || current_is_superuser() || Unchecked()) return true;
  uint32_t me = current_oid();
  return me != kUnknownRoleOid && store_->Snapshot()->IsMemberOf(me, role, /*inherit_only=*/true);
}

bool AccessControl::RoleHolds(uint32_t role_oid, AclObject object, uint32_t owner,
                              const std::optional<catalog::Acl>& acl, uint32_t privilege) const {
  if (store_ == nullptr) return true;
  auto snapshot = store_->Snapshot();
  const auth::Role* role = snapshot->FindOid(role_oid);
  if (role != nullptr && role->superuser) return true;
  uint32_t held = catalog::HeldPrivileges(acl, object, owner, [&](uint32_t grantee) {
    return role != nullptr && snapshot->IsMemberOf(role_oid, grantee, /*inherit_only=*/true);
  });
  return (held & privilege) == privilege;
}

Status AccessControl::CheckPrivilege(AclObject object, std::string_view kind, std::string_view name,
                                     uint32_t owner, const std::optional<catalog::Acl>& acl,
                                     uint32_t all_of, uint32_t any_of) const {
  if (store_ == nullptr || checking_is_superuser()) return Status::Ok();
  if (view_owners_.empty() && Unchecked()) return Status::Ok();
  uint32_t me = checking_oid();
  auto snapshot = store_->Snapshot();
  uint32_t held = catalog::HeldPrivileges(acl, object, owner, [&](uint32_t grantee) {
    return me != kUnknownRoleOid && snapshot->IsMemberOf(me, grantee, /*inherit_only=*/true);
  });
  if ((held & all_of) == all_of && (any_of == 0 || (held & any_of) != 0)) return Status::Ok();
  return PermissionDenied(fmt::format("permission denied for {} {}", kind, name));
}

Status AccessControl::CheckOwner(std::string_view kind, std::string_view name,
                                 uint32_t owner) const {
  if (CurrentHasPrivilegesOf(owner)) return Status::Ok();
  return PermissionDenied(fmt::format("must be owner of {} {}", kind, name));
}

Status AccessControl::PushViewOwner(uint32_t owner) {
  if (view_owners_.size() >= kMaxViewOwnerDepth) {
    return Status::Sql("54001", "views nest too deeply (kMaxViewOwnerDepth)");
  }
  view_owners_.push_back(owner);
  return Status::Ok();
}

void AccessControl::PopViewOwner() {
  BOREALIS_CHECK(!view_owners_.empty());
  view_owners_.pop_back();
}

// ---- Checks through the transaction -----------------------------------------------------

AccessControl* AccessOf(const txn::KvTransaction& txn) {
  const auto* session = dynamic_cast<const SessionKv*>(&txn);
  if (session == nullptr || session->access() == nullptr || !session->access()->enabled()) {
    return nullptr;
  }
  return session->access();
}

Status CheckTablePrivilege(const txn::KvTransaction& txn, const catalog::TableDescriptor& table,
                           uint32_t privileges) {
  AccessControl* access = AccessOf(txn);
  if (access == nullptr) return Status::Ok();
  return access->CheckPrivilege(AclObject::kTable, "table", table.name, table.owner, table.acl,
                                privileges);
}

Status CheckViewPrivilege(const txn::KvTransaction& txn, const catalog::ViewDescriptor& view,
                          uint32_t privileges) {
  AccessControl* access = AccessOf(txn);
  if (access == nullptr) return Status::Ok();
  return access->CheckPrivilege(AclObject::kTable, "view", view.name, view.owner, view.acl,
                                privileges);
}

Status CheckSequencePrivilege(const txn::KvTransaction& txn,
                              const catalog::SequenceDescriptor& sequence, uint32_t any_of) {
  AccessControl* access = AccessOf(txn);
  if (access == nullptr) return Status::Ok();
  return access->CheckPrivilege(AclObject::kSequence, "sequence", sequence.name, sequence.owner,
                                sequence.acl, 0, any_of);
}

Status CheckTableOwner(const txn::KvTransaction& txn, const catalog::TableDescriptor& table) {
  AccessControl* access = AccessOf(txn);
  return access == nullptr ? Status::Ok() : access->CheckOwner("table", table.name, table.owner);
}

Status CheckViewOwner(const txn::KvTransaction& txn, const catalog::ViewDescriptor& view) {
  AccessControl* access = AccessOf(txn);
  return access == nullptr ? Status::Ok() : access->CheckOwner("view", view.name, view.owner);
}

Status CheckSequenceOwner(const txn::KvTransaction& txn,
                          const catalog::SequenceDescriptor& sequence) {
  AccessControl* access = AccessOf(txn);
  return access == nullptr ? Status::Ok()
                           : access->CheckOwner("sequence", sequence.name, sequence.owner);
}

uint32_t CreatingRoleOid(const txn::KvTransaction& txn) {
  AccessControl* access = AccessOf(txn);
  if (access == nullptr) return catalog::kBootstrapOwnerOid;
  uint32_t oid = access->current_oid();
  return oid == kUnknownRoleOid ? catalog::kBootstrapOwnerOid : oid;
}

Status ChangeTableOwner(txn::KvTransaction& txn, catalog::TableDescriptor& table,
                        std::string_view new_owner) {
  AccessControl* access = AccessOf(txn);
  if (access == nullptr) return Status::Sql("0A000", "OWNER TO needs the role store");
  auto snapshot = access->Snapshot();
  const auth::Role* role = snapshot->Find(new_owner);
  if (role == nullptr) return NoSuchRole(new_owner);
  uint32_t me = access->current_oid();
  if (!access->current_is_superuser() &&
      (me == kUnknownRoleOid || !snapshot->IsMemberOf(me, role->oid, /*inherit_only=*/false))) {
    return PermissionDenied(fmt::format("must be member of role \"{}\"", new_owner));
  }
  if (role->oid == table.owner) return Status::Ok();
  if (table.acl) table.acl = catalog::ChangeAclOwner(*table.acl, table.owner, role->oid);
  ASSIGN_OR_RETURN(std::vector<catalog::SequenceDescriptor> sequences, catalog::ListSequences(txn));
  for (catalog::SequenceDescriptor& sequence : sequences) {
    if (sequence.owner_table_id != table.id || sequence.owner != table.owner) continue;
    ASSIGN_OR_RETURN(std::optional<catalog::SequenceState> state,
                     catalog::ReadSequenceState(txn, sequence.id));
    if (!state) return Status::Corruption("sequence without a state: " + sequence.name);
    if (sequence.acl) {
      sequence.acl = catalog::ChangeAclOwner(*sequence.acl, sequence.owner, role->oid);
    }
    sequence.owner = role->oid;
    RETURN_IF_ERROR(catalog::WriteSequence(txn, std::move(sequence), *state).status());
  }
  table.owner = role->oid;
  return Status::Ok();
}

ViewOwnerScope::ViewOwnerScope(const txn::KvTransaction& txn, uint32_t owner)
    : access_(AccessOf(txn)) {
  if (access_ == nullptr) return;
  status_ = access_->PushViewOwner(owner);
  if (!status_.ok()) access_ = nullptr;
}

ViewOwnerScope::~ViewOwnerScope() {
  if (access_ != nullptr) access_->PopViewOwner();
}

// ---- Statements -------------------------------------------------------------------------
namespace {

Status CheckNewRoleName(std::string_view name) {
  if (name == "public" || name == "none") {
    return Status::Sql("42939", fmt::format("role name \"{}\" is reserved", name));
  }
  if (name.rfind("pg_", 0) == 0) {
    return Status::Sql("42939", fmt::format("role name \"{}\" is reserved", name))
        .WithDetail("Role names starting with \"pg_\" are reserved.");
  }
  return Status::Ok();
}

// A role name as written, resolved for the session. PUBLIC is refused where a role is needed.
Result<std::string> Resolve(const RoleName& name, const AccessControl& access) {
  switch (name.kind) {
    case RoleName::Kind::kName:
      return name.name;
    case RoleName::Kind::kCurrentUser:
    case RoleName::Kind::kCurrentRole:
      return access.current_user();
    case RoleName::Kind::kSessionUser:
      return access.session_user();
    case RoleName::Kind::kPublic:
      return Status::Sql("42704", "role \"public\" does not exist");
  }
  return Status::Internal("unknown role name kind");
}

auth::RoleOptions OptionsOf(const sql::RoleStatement& statement) {
  auth::RoleOptions options;
  options.superuser = statement.superuser;
  options.login = statement.login;
  options.create_db = statement.create_db;
  options.create_role = statement.create_role;
  options.inherit = statement.inherit;
  options.connection_limit = statement.connection_limit;
  options.password = statement.password;
  return options;
}

bool ChangesAttributes(const sql::RoleStatement& s) {
  return s.superuser || s.login || s.create_db || s.create_role || s.inherit || s.connection_limit;
}

void EmptyPasswordNotice(const sql::RoleStatement& statement, std::vector<Notice>& notices) {
  if (statement.password && *statement.password && (*statement.password)->empty()) {
    Notice notice;
    notice.message = "empty string is not a valid password, clearing password";
    notices.push_back(std::move(notice));
  }
}

const auth::Role* CurrentRole(const AccessControl& access, const auth::RoleSnapshot& snapshot) {
  return snapshot.Find(access.current_user());
}

bool HasCreateRole(const AccessControl& access, const auth::RoleSnapshot& snapshot) {
  const auth::Role* me = CurrentRole(access, snapshot);
  return me != nullptr && (me->superuser || me->create_role);
}

Result<std::string> CreateRole(const sql::RoleStatement& statement, RoleStatementContext& c) {
  auth::RoleStore& store = *c.access.store();
  auto snapshot = store.Snapshot();
  const std::string& name = statement.role.name;
  RETURN_IF_ERROR(CheckNewRoleName(name));
  if (!HasCreateRole(c.access, *snapshot))
    return PermissionDenied("permission denied to create role");
  if (statement.superuser.value_or(false) && !c.access.current_is_superuser()) {
    return PermissionDenied("must be superuser to create superusers");
  }
  // Every role named must exist before anything changes.
  for (const auto* list : {&statement.in_roles, &statement.member_roles}) {
    for (const std::string& other : *list) {
      if (snapshot->Find(other) == nullptr) return NoSuchRole(other);
    }
  }
  auth::RoleOptions options = OptionsOf(statement);
  if (!options.login) options.login = statement.create_user;
  RETURN_IF_ERROR(store.CreateRole(name, options));
  EmptyPasswordNotice(statement, c.notices);
  for (const std::string& group : statement.in_roles) {
    RETURN_IF_ERROR(store.GrantMembership(group, name, false).status());
  }
  for (const std::string& member : statement.member_roles) {
    RETURN_IF_ERROR(store.GrantMembership(name, member, false).status());
  }
  return std::string("CREATE ROLE");
}

Result<std::string> AlterRole(const sql::RoleStatement& statement, RoleStatementContext& c) {
  auth::RoleStore& store = *c.access.store();
  auto snapshot = store.Snapshot();
  ASSIGN_OR_RETURN(std::string name, Resolve(statement.role, c.access));
  const auth::Role* target = snapshot->Find(name);
  if (target == nullptr) return NoSuchRole(name);
  const auth::Role* me = CurrentRole(c.access, *snapshot);
  bool superuser = me != nullptr && me->superuser;
  if ((target->superuser || statement.superuser) && !superuser) {
    return PermissionDenied(
        "must be superuser to alter superuser roles or change superuser attribute");
  }
  bool self_password_only =
      me != nullptr && me->oid == target->oid && !ChangesAttributes(statement);
  if (!superuser && !(me != nullptr && me->create_role) && !self_password_only) {
    return PermissionDenied("permission denied");
  }
  RETURN_IF_ERROR(store.AlterRole(name, OptionsOf(statement)));
  EmptyPasswordNotice(statement, c.notices);
  return std::string("ALTER ROLE");
}

Result<std::string> RenameRole(const sql::RoleStatement& statement, RoleStatementContext& c) {
  auth::RoleStore& store = *c.access.store();
  auto snapshot = store.Snapshot();
  const std::string& name = statement.role.name;
  const auth::Role* target = snapshot->Find(name);
  if (target == nullptr) return NoSuchRole(name);
  if (name == c.access.session_user()) {
    return Status::Sql("0A000", "session user cannot be renamed");
  }
  if (name == c.access.current_user()) {
    return Status::Sql("0A000", "current user cannot be renamed");
  }
  RETURN_IF_ERROR(CheckNewRoleName(statement.new_name));
  if (target->superuser && !c.access.current_is_superuser()) {
    return PermissionDenied("must be superuser to rename superusers");
  }
  if (!HasCreateRole(c.access, *snapshot))
    return PermissionDenied("permission denied to rename role");
  RETURN_IF_ERROR(store.RenameRole(name, statement.new_name));
  return std::string("ALTER ROLE");
}

// What in the catalog depends on role `oid` (DROP ROLE's 2BP01 detail lines), in id order.
Result<std::vector<std::string>> Dependents(txn::KvTransaction& txn, uint32_t oid) {
  std::vector<std::string> lines;
  auto note = [&](const char* kind, const std::string& name, uint32_t owner,
                  const std::optional<catalog::Acl>& acl) {
    if (owner == oid) lines.push_back(fmt::format("owner of {} {}", kind, name));
    if (acl && owner != oid && catalog::AclMentions(*acl, oid)) {
      lines.push_back(fmt::format("privileges for {} {}", kind, name));
    }
  };
  encoding::KeySpan span = encoding::IndexSpan(catalog::kSystemTableId, catalog::kDescriptorIndex);
  std::string begin = span.begin;
  for (size_t scanned = 0;;) {
    constexpr size_t kBatch = 256;
    ASSIGN_OR_RETURN(std::vector<txn::Row> rows, txn.Scan(begin, span.end, kBatch));
    for (const txn::Row& row : rows) {
      ASSIGN_OR_RETURN(catalog::TableDescriptor table, catalog::DecodeDescriptor(row.value));
      note("table", table.name, table.owner, table.acl);
    }
    scanned += rows.size();
    if (rows.size() < kBatch || scanned >= kMaxCatalogTables) break;
    begin = encoding::KeySuccessor(rows.back().key);
  }
  ASSIGN_OR_RETURN(std::vector<catalog::ViewDescriptor> views, catalog::ListViews(txn));
  for (const auto& view : views) note("view", view.name, view.owner, view.acl);
  ASSIGN_OR_RETURN(std::vector<catalog::SequenceDescriptor> sequences, catalog::ListSequences(txn));
  for (const auto& sequence : sequences) {
    note("sequence", sequence.name, sequence.owner, sequence.acl);
  }
  return lines;
}

Result<std::string> DropRoles(const sql::RoleStatement& statement, RoleStatementContext& c) {
  auth::RoleStore& store = *c.access.store();
  auto snapshot = store.Snapshot();
  if (!HasCreateRole(c.access, *snapshot))
    return PermissionDenied("permission denied to drop role");
  // PostgreSQL checks every role before dropping any.
  std::vector<std::string> doomed;
  for (const RoleName& role_name : statement.roles) {
    ASSIGN_OR_RETURN(std::string name, Resolve(role_name, c.access));
    const auth::Role* role = snapshot->Find(name);
    if (role == nullptr) {
      if (!statement.if_exists) return NoSuchRole(name);
      Notice notice;
      notice.message = fmt::format("role \"{}\" does not exist, skipping", name);
      c.notices.push_back(std::move(notice));
      continue;
    }
    if (name == c.access.current_user()) {
      return Status::Sql("55006", "current user cannot be dropped");
    }
    if (name == c.access.session_user()) {
      return Status::Sql("55006", "session user cannot be dropped");
    }
    if (role->superuser && !c.access.current_is_superuser()) {
      return PermissionDenied("must be superuser to drop superusers");
    }
    ASSIGN_OR_RETURN(txn::KvTransaction * txn, c.txn());
    ASSIGN_OR_RETURN(std::vector<std::string> lines, Dependents(*txn, role->oid));
    if (!lines.empty()) {
      std::string detail;
      for (const std::string& line : lines) detail += (detail.empty() ? "" : "\n") + line;
      return Status::Sql("2BP01", fmt::format("role \"{}\" cannot be dropped because some "
                                              "objects depend on it",
                                              name))
          .WithDetail(detail);
    }
    doomed.push_back(name);
  }
  for (const std::string& name : doomed) RETURN_IF_ERROR(store.DropRole(name));
  return std::string("DROP ROLE");
}

Result<std::string> GrantRoles(const sql::RoleStatement& statement, RoleStatementContext& c) {
  auth::RoleStore& store = *c.access.store();
  bool grant = statement.action == RoleAction::kGrantRole;
  if (!grant && statement.admin_option) {
    return Status::Sql("0A000", "REVOKE ADMIN OPTION FOR is not supported yet");
  }
  for (const RoleName& granted : statement.roles) {
    auto snapshot = store.Snapshot();
    const std::string& role_name = granted.name;
    const auth::Role* role = snapshot->Find(role_name);
    if (role == nullptr) return NoSuchRole(role_name);
    const auth::Role* me = CurrentRole(c.access, *snapshot);
    bool superuser = me != nullptr && me->superuser;
    if (role->superuser && !superuser) {
      return PermissionDenied("must be superuser to alter superusers");
    }
    bool admin = superuser || (me != nullptr && me->create_role);
    for (const auth::Membership& m :
         me != nullptr ? me->member_of : std::vector<auth::Membership>()) {
      admin |= m.role_oid == role->oid && m.admin_option;
    }
    if (!admin) {
      return PermissionDenied(fmt::format("must have admin option on role \"{}\"", role_name));
    }
    for (const RoleName& grantee : statement.grantees) {
      ASSIGN_OR_RETURN(std::string member, Resolve(grantee, c.access));
      if (snapshot->Find(member) == nullptr) return NoSuchRole(member);
      if (grant) {
        ASSIGN_OR_RETURN(bool changed,
                         store.GrantMembership(role_name, member, statement.admin_option));
        if (!changed) {
          Notice notice;
          notice.message =
              fmt::format("role \"{}\" is already a member of role \"{}\"", member, role_name);
          c.notices.push_back(std::move(notice));
        }
      } else {
        ASSIGN_OR_RETURN(bool changed, store.RevokeMembership(role_name, member));
        if (!changed) {
          Notice notice;
          notice.severity = "WARNING";
          notice.sqlstate = "01000";
          notice.message =
              fmt::format("role \"{}\" is not a member of role \"{}\"", member, role_name);
          c.notices.push_back(std::move(notice));
        }
      }
    }
  }
  return std::string(grant ? "GRANT ROLE" : "REVOKE ROLE");
}

// ---- GRANT / REVOKE privileges ----------------------------------------------------------

Result<std::vector<uint32_t>> GranteeOids(const sql::RoleStatement& statement,
                                          const AccessControl& access) {
  auto snapshot = access.Snapshot();
  std::vector<uint32_t> oids;
  for (const RoleName& grantee : statement.grantees) {
    if (grantee.kind == RoleName::Kind::kPublic) {
      oids.push_back(catalog::kPublicGrantee);
      continue;
    }
    ASSIGN_OR_RETURN(std::string name, Resolve(grantee, access));
    const auth::Role* role = snapshot->Find(name);
    if (role == nullptr) return NoSuchRole(name);
    oids.push_back(role->oid);
  }
  return oids;
}

Result<uint32_t> PrivilegeMask(const sql::RoleStatement& statement, AclObject object,
                               std::string_view kind) {
  if (statement.privileges.empty()) return catalog::AllPrivileges(object);
  uint32_t mask = 0;
  for (const std::string& keyword : statement.privileges) {
    std::optional<uint32_t> bits = catalog::PrivilegeBits(object, keyword);
    if (!bits) {
      std::string upper;
      for (char ch : keyword) upper += static_cast<char>(std::toupper(ch));
      return Status::Sql("0LP01", fmt::format("invalid privilege type {} for {}", upper, kind));
    }
    mask |= *bits;
  }
  return mask;
}

// Applies the statement to one ACL, as granted by `owner`.
Result<catalog::Acl> Apply(const sql::RoleStatement& statement,
                           const std::optional<catalog::Acl>& acl, AclObject object, uint32_t owner,
                           uint32_t mask, const std::vector<uint32_t>& grantees) {
  std::optional<catalog::Acl> current = acl;
  for (uint32_t grantee : grantees) {
    if (statement.action == RoleAction::kGrantPrivileges) {
      ASSIGN_OR_RETURN(current, catalog::GrantPrivileges(current, object, owner, grantee, mask));
    } else {
      current = catalog::RevokePrivileges(current, object, owner, grantee, mask);
    }
  }
  return current ? *current : catalog::DefaultAcl(object, owner);
}

// Every relation of `schema` (public, or the session's temporary schema).
Result<std::vector<catalog::TableDescriptor>> TablesInSchema(txn::KvTransaction& txn,
                                                             std::string_view schema) {
  std::vector<catalog::TableDescriptor> tables;
  encoding::KeySpan span = encoding::IndexSpan(catalog::kSystemTableId, catalog::kDescriptorIndex);
  std::string begin = span.begin;
  for (;;) {
    constexpr size_t kBatch = 256;
    ASSIGN_OR_RETURN(std::vector<txn::Row> rows, txn.Scan(begin, span.end, kBatch));
    for (const txn::Row& row : rows) {
      ASSIGN_OR_RETURN(catalog::TableDescriptor table, catalog::DecodeDescriptor(row.value));
      if (table.schema != schema) continue;
      if (tables.size() >= kMaxCatalogTables) {
        return Status::Sql("54000", "too many tables for GRANT ... ALL TABLES IN SCHEMA");
      }
      tables.push_back(std::move(table));
    }
    if (rows.size() < kBatch) break;
    begin = encoding::KeySuccessor(rows.back().key);
  }
  return tables;
}

Status GrantOnTable(const sql::RoleStatement& statement, RoleStatementContext& c,
                    txn::KvTransaction& txn, catalog::TableDescriptor table, uint32_t mask,
                    const std::vector<uint32_t>& grantees) {
  if (!c.access.CurrentHasPrivilegesOf(table.owner)) {
    return PermissionDenied(fmt::format("permission denied for table {}", table.name));
  }
  ASSIGN_OR_RETURN(table.acl,
                   Apply(statement, table.acl, AclObject::kTable, table.owner, mask, grantees));
  return catalog::WriteNewVersion(txn, std::move(table)).status();
}

Status GrantOnView(const sql::RoleStatement& statement, RoleStatementContext& c,
                   txn::KvTransaction& txn, catalog::ViewDescriptor view, uint32_t mask,
                   const std::vector<uint32_t>& grantees) {
  if (!c.access.CurrentHasPrivilegesOf(view.owner)) {
    return PermissionDenied(fmt::format("permission denied for view {}", view.name));
  }
  ASSIGN_OR_RETURN(view.acl,
                   Apply(statement, view.acl, AclObject::kTable, view.owner, mask, grantees));
  return catalog::ReplaceView(txn, std::move(view)).status();
}

Status GrantOnSequence(const sql::RoleStatement& statement, RoleStatementContext& c,
                       txn::KvTransaction& txn, catalog::SequenceDescriptor sequence, uint32_t mask,
                       const std::vector<uint32_t>& grantees) {
  if (!c.access.CurrentHasPrivilegesOf(sequence.owner)) {
    return PermissionDenied(fmt::format("permission denied for sequence {}", sequence.name));
  }
  ASSIGN_OR_RETURN(sequence.acl, Apply(statement, sequence.acl, AclObject::kSequence,
                                       sequence.owner, mask, grantees));
  ASSIGN_OR_RETURN(std::optional<catalog::SequenceState> state,
                   catalog::ReadSequenceState(txn, sequence.id));
  if (!state) return Status::Corruption("sequence without a state: " + sequence.name);
  return catalog::WriteSequence(txn, std::move(sequence), *state).status();
}

// There are no schema ACLs yet: every role may use and create objects in schema public (as
// before PostgreSQL 15) and use pg_catalog / information_schema. A GRANT that changes nothing
// of that is accepted; anything else (REVOKE, other schemas) is 0A000 rather than a lie.
Result<std::string> GrantOnSchemas(const sql::RoleStatement& statement, RoleStatementContext& c) {
  bool grant = statement.action == RoleAction::kGrantPrivileges;
  ASSIGN_OR_RETURN(uint32_t mask, PrivilegeMask(statement, AclObject::kSchema, "schema"));
  ASSIGN_OR_RETURN(std::vector<uint32_t> grantees, GranteeOids(statement, c.access));
  (void)grantees;
  for (const std::string& schema : statement.schemas) {
    bool system = schema == "pg_catalog" || schema == "information_schema";
    if (schema != kPublicSchema && !system) {
      if (schema.rfind("pg_temp", 0) == 0) {
        return Status::Sql("0A000", "GRANT on temporary schemas is not supported yet");
      }
      return Status::Sql("3F000", fmt::format("schema \"{}\" does not exist", schema));
    }
    bool holds_already = schema == kPublicSchema || mask == catalog::kAclUsage;
    if (!grant || !holds_already) {
      return Status::Sql("0A000", fmt::format("{} ON SCHEMA {} is not supported yet",
                                              grant ? "GRANT" : "REVOKE", schema))
          .WithHint("Every role may use schema public and create objects in it.");
    }
  }
  return std::string(grant ? "GRANT" : "REVOKE");
}

Result<std::string> GrantPrivileges(const sql::RoleStatement& statement, RoleStatementContext& c) {
  bool grant = statement.action == RoleAction::kGrantPrivileges;
  const char* tag = grant ? "GRANT" : "REVOKE";
  if (statement.grant_option) {
    return Status::Sql("0A000", "WITH GRANT OPTION is not supported yet");
  }
  if (statement.column_privileges) {
    return Status::Sql("0A000", "column privileges are not supported yet");
  }
  if (statement.object == sql::GrantObject::kSchema) return GrantOnSchemas(statement, c);
  bool sequences = statement.object == sql::GrantObject::kSequence ||
                   statement.object == sql::GrantObject::kAllSequencesInSchema;
  AclObject object = sequences ? AclObject::kSequence : AclObject::kTable;
  ASSIGN_OR_RETURN(uint32_t mask,
                   PrivilegeMask(statement, object, sequences ? "sequence" : "table"));
  ASSIGN_OR_RETURN(std::vector<uint32_t> grantees, GranteeOids(statement, c.access));
  ASSIGN_OR_RETURN(txn::KvTransaction * txn, c.txn());
  if (statement.object == sql::GrantObject::kAllTablesInSchema ||
      statement.object == sql::GrantObject::kAllSequencesInSchema) {
    for (const std::string& schema : statement.schemas) {
      if (schema != kPublicSchema) {
        return Status::Sql("3F000", fmt::format("schema \"{}\" does not exist", schema));
      }
      if (sequences) {
        ASSIGN_OR_RETURN(std::vector<catalog::SequenceDescriptor> all,
                         catalog::ListSequences(*txn));
        for (auto& sequence : all) {
          if (sequence.schema != schema) continue;
          RETURN_IF_ERROR(GrantOnSequence(statement, c, *txn, std::move(sequence), mask, grantees));
        }
        continue;
      }
      ASSIGN_OR_RETURN(std::vector<catalog::TableDescriptor> tables, TablesInSchema(*txn, schema));
      for (auto& table : tables) {
        RETURN_IF_ERROR(GrantOnTable(statement, c, *txn, std::move(table), mask, grantees));
      }
      ASSIGN_OR_RETURN(std::vector<catalog::ViewDescriptor> views, catalog::ListViews(*txn));
      for (auto& view : views) {
        if (view.schema != schema) continue;
        RETURN_IF_ERROR(GrantOnView(statement, c, *txn, std::move(view), mask, grantees));
      }
    }
    return std::string(tag);
  }
  for (const sql::TableRef& ref : statement.tables) {
    auto missing = [&ref] {
      std::string name = ref.schema.empty() ? ref.name : ref.schema + "." + ref.name;
      return Status::Sql("42P01", fmt::format("relation \"{}\" does not exist", name));
    };
    if (sequences) {
      if (!ref.schema.empty() && ref.schema != kPublicSchema) return missing();
      ASSIGN_OR_RETURN(std::optional<catalog::SequenceDescriptor> sequence,
                       catalog::LookupSequence(*txn, kPublicSchema, ref.name));
      if (!sequence) {
        ASSIGN_OR_RETURN(auto table, FindTable(ref, *txn, c.cache));
        if (table) return Status::Sql("42809", fmt::format("\"{}\" is not a sequence", ref.name));
        return missing();
      }
      RETURN_IF_ERROR(GrantOnSequence(statement, c, *txn, std::move(*sequence), mask, grantees));
      continue;
    }
    ASSIGN_OR_RETURN(auto table, FindTable(ref, *txn, c.cache));
    if (table) {
      RETURN_IF_ERROR(GrantOnTable(statement, c, *txn, *table, mask, grantees));
      continue;
    }
    ASSIGN_OR_RETURN(std::optional<catalog::ViewDescriptor> view, FindView(ref, *txn, c.cache));
    if (view) {
      RETURN_IF_ERROR(GrantOnView(statement, c, *txn, std::move(*view), mask, grantees));
      continue;
    }
    if (ref.schema.empty() || ref.schema == kPublicSchema) {
      ASSIGN_OR_RETURN(std::optional<catalog::SequenceDescriptor> sequence,
                       catalog::LookupSequence(*txn, kPublicSchema, ref.name));
      if (sequence) {
        return Status::Sql("0A000", "GRANT ON TABLE of a sequence is not supported yet")
            .WithHint("Use GRANT ... ON SEQUENCE.");
      }
    }
    return missing();
  }
  return std::string(tag);
}

}  // namespace

bool IsRoleStoreStatement(const sql::RoleStatement& statement) {
  return statement.action != RoleAction::kGrantPrivileges &&
         statement.action != RoleAction::kRevokePrivileges;
}

Result<std::string> RunRoleStatement(const sql::RoleStatement& statement,
                                     RoleStatementContext& context) {
  if (!context.access.enabled()) {
    return Status::Sql("0A000", "roles need the role store (not available in this engine)");
  }
  if (IsRoleStoreStatement(statement) && context.in_transaction_block) {
    return Status::Sql("25001",
                       "role statements cannot run inside a transaction block in "
                       "Borealis (roles are not transactional yet)");
  }
  switch (statement.action) {
    case RoleAction::kCreate:
      return CreateRole(statement, context);
    case RoleAction::kAlter:
      return AlterRole(statement, context);
    case RoleAction::kRename:
      return RenameRole(statement, context);
    case RoleAction::kDrop:
      return DropRoles(statement, context);
    case RoleAction::kGrantRole:
    case RoleAction::kRevokeRole:
      return GrantRoles(statement, context);
    case RoleAction::kGrantPrivileges:
    case RoleAction::kRevokePrivileges:
      return GrantPrivileges(statement, context);
  }
  return Status::Internal("unknown role statement");
}

}  // namespace borealis::qp
