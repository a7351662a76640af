// Roles and privileges in the query processor (issue 4, helper R): who the session is, what
// it may do, and the statements that change roles and ACLs.
//
// AccessControl (one per session) knows the authenticated user, the session user (SET SESSION
// AUTHORIZATION) and the current role (SET ROLE), and answers privilege questions from a
// snapshot of auth::RoleStore (attributes, memberships) and an object's owner and ACL
// (catalog/acl.h). Superusers pass every check. Privileges of roles the checked role is a
// member of count when it INHERITs them (PostgreSQL's has_privs_of_role).
//
// Binding code reaches the session's AccessControl through the transaction it binds in (the
// session's SessionKv, qp/temp_tables.h): CheckTablePrivilege & co. below pass when the
// transaction is not a session's or the engine has no role store (unit tests), so callers
// need no session plumbing. While a view's query binds, its owner is the checked role
// (ViewOwnerScope), as PostgreSQL checks a view's relations with the view owner's rights.
//
// SET [LOCAL] ROLE and SET [LOCAL] SESSION AUTHORIZATION are undone at the transaction's end as
// settings are (EndTransaction). Schemas have no ACLs yet: every role may use and create
// objects in schema public (PostgreSQL 15 grants CREATE there to nobody by default).
// Role statements (CREATE/ALTER/DROP ROLE, GRANT/REVOKE role) change the RoleStore at once:
// they are not transactional, so they refuse to run inside a transaction block (25001).
// GRANT/REVOKE on relations rewrite descriptors in the transaction, as DDL.
//
// Threading: an AccessControl belongs to one session; RoleStore is thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/role_store.h"
#include "catalog/acl.h"
#include "catalog/descriptor.h"
#include "catalog/sequences.h"
#include "catalog/store.h"
#include "catalog/views.h"
#include "common/status.h"
#include "qp/session.h"
#include "sql/ast_role.h"
#include "txn/kv.h"

namespace borealis::qp {

// The OID of a session user the role store does not know (trust mode): matches no ACL item.
inline constexpr uint32_t kUnknownRoleOid = UINT32_MAX;
// Nesting of views whose owners are checked in turn (as select_binder's kMaxViewNesting).
inline constexpr size_t kMaxViewOwnerDepth = 64;

class AccessControl {
 public:
  // `store` may be null: then the session is what startup said (`startup_superuser`), role
  // statements get 0A000 and privilege checks pass. A user the store does not know at
  // session start (trust mode, `--insecure`: local development) is not a superuser but is
  // not checked either, as before roles existed; a role dropped later is denied everything.
  AccessControl(auth::RoleStore* store, std::string user, bool startup_superuser);

  bool enabled() const { return store_ != nullptr; }
  auth::RoleStore* store() const { return store_; }
  std::shared_ptr<const auth::RoleSnapshot> Snapshot() const;

  const std::string& session_user() const { return session_user_; }
  // The SET ROLE role, else the session user.
  const std::string& current_user() const { return role_ ? *role_ : session_user_; }
  // "none" unless SET ROLE is in effect (SHOW role).
  std::string role_setting() const { return role_.value_or("none"); }
  uint32_t OidOf(std::string_view name) const;
  bool IsSuperuser(std::string_view name) const;
  bool current_is_superuser() const { return IsSuperuser(current_user()); }
  bool session_is_superuser() const { return IsSuperuser(session_user_); }
  uint32_t current_oid() const { return OidOf(current_user()); }

  // SET [LOCAL] ROLE name (nullopt: NONE / RESET ROLE). 22023 `role "x" does not exist`, 42501
  // `permission denied to set role "x"` unless the session user is a superuser or a member.
  Status SetRole(std::optional<std::string> name, bool local = false);
  // SET [LOCAL] SESSION AUTHORIZATION name (nullopt: DEFAULT / RESET). 42501 `permission
  // denied to set session authorization` unless the authenticated user is a superuser. Resets
  // the role.
  Status SetSessionAuthorization(std::optional<std::string> name, bool local = false);
  // As settings are: a rollback undoes this transaction's SETs, a commit undoes its LOCAL ones.
  void EndTransaction(bool commit);

  // The role checks are made for: a view's owner while its query binds, else the current role.
  uint32_t checking_oid() const;
  bool checking_is_superuser() const;
  // Whether the checking role is a superuser or has the privileges of `role` (itself, or a
  // member of it through roles that INHERIT).
  bool HasPrivilegesOf(uint32_t role) const;
  // Same for the current role (ownership checks for DDL and GRANT; views play no part there).
  bool CurrentHasPrivilegesOf(uint32_t role) const;

  // 42501 `permission denied for <kind> <name>` unless the checking role holds every bit of
  // `all_of` (and, when `any_of` is not 0, one of its bits) through `acl`.
  Status CheckPrivilege(catalog::AclObject object, std::string_view kind, std::string_view name,
                        uint32_t owner, const std::optional<catalog::Acl>& acl, uint32_t all_of,
                        uint32_t any_of = 0) const;
  // 42501 `must be owner of <kind> <name>` unless the current role may act as `owner`.
  Status CheckOwner(std::string_view kind, std::string_view name, uint32_t owner) const;
  // What has_*_privilege answers for role `role_oid`.
  bool RoleHolds(uint32_t role_oid, catalog::AclObject object, uint32_t owner,
                 const std::optional<catalog::Acl>& acl, uint32_t privilege) const;

  Status PushViewOwner(uint32_t owner);
  void PopViewOwner();

 private:
  auth::RoleStore* store_;
  std::string authenticated_user_;
  bool startup_superuser_;
  struct Identity {
    std::string session_user;
    std::optional<std::string> role;
  };
  // Called before and after a SET of this transaction.
  void BeforeChange();
  void AfterChange(bool local);

  // True while the session acts as the unknown trust-mode user (see the constructor).
  bool Unchecked() const;

  bool unknown_at_start_ = false;
  std::string session_user_;
  std::optional<std::string> role_;
  std::optional<Identity> transaction_start_;  // before this transaction's first SET
  std::optional<Identity> at_commit_;          // what its commit keeps (no LOCAL SETs)
  std::vector<uint32_t> view_owners_;
};

// ---- Checks reached through the binding transaction (see the top) ----------------------
AccessControl* AccessOf(const txn::KvTransaction& txn);
Status CheckTablePrivilege(const txn::KvTransaction& txn, const catalog::TableDescriptor& table,
                           uint32_t privileges);
Status CheckViewPrivilege(const txn::KvTransaction& txn, const catalog::ViewDescriptor& view,
                          uint32_t privileges);
// Passes when the role holds any bit of `any_of` (nextval: USAGE or UPDATE).
Status CheckSequencePrivilege(const txn::KvTransaction& txn,
                              const catalog::SequenceDescriptor& sequence, uint32_t any_of);
Status CheckTableOwner(const txn::KvTransaction& txn, const catalog::TableDescriptor& table);
Status CheckViewOwner(const txn::KvTransaction& txn, const catalog::ViewDescriptor& view);
Status CheckSequenceOwner(const txn::KvTransaction& txn,
                          const catalog::SequenceDescriptor& sequence);
// The owner a relation created in `txn` gets: the current role (admin without roles).
uint32_t CreatingRoleOid(const txn::KvTransaction& txn);
// ALTER TABLE t OWNER TO role: `table` gets the new owner and its ACL follows (the caller
// writes the descriptor and has checked ownership); the sequences its columns own follow too.
// 42704 for an unknown role, 42501 `must be member of role "x"` unless the current role is a
// superuser or a member of the new owner; 0A000 without a role store.
Status ChangeTableOwner(txn::KvTransaction& txn, catalog::TableDescriptor& table,
                        std::string_view new_owner);

// Makes `owner` the checked role while a view's query binds.
class ViewOwnerScope {
 public:
  ViewOwnerScope(const txn::KvTransaction& txn, uint32_t owner);
  ~ViewOwnerScope();
  ViewOwnerScope(const ViewOwnerScope&) = delete;
  ViewOwnerScope& operator=(const ViewOwnerScope&) = delete;
  Status status() const { return status_; }

 private:
  AccessControl* access_ = nullptr;
  Status status_;
};

// ---- Statements -----------------------------------------------------------------------
struct RoleStatementContext {
  AccessControl& access;
  // The session's transaction (opened on demand): GRANT on relations, DROP ROLE's check.
  std::function<Result<txn::KvTransaction*>()> txn;
  catalog::DescriptorCache& cache;
  std::vector<Notice>& notices;
  bool in_transaction_block = false;
};

// Whether the statement only changes the role store (not transactional: see the top).
bool IsRoleStoreStatement(const sql::RoleStatement& statement);
// Runs the statement; returns the command tag (CREATE ROLE, GRANT, ...).
Result<std::string> RunRoleStatement(const sql::RoleStatement& statement,
                                     RoleStatementContext& context);

}  // namespace borealis::qp
