// RoleStore: the roles (PostgreSQL's pg_authid and pg_auth_members): names, OIDs, attributes,
// SCRAM-SHA-256 verifiers and memberships (issue 4, helper R).
//
// Contract: all methods are thread-safe (one mutex). Every change is written through the
// injected BlobStorage before the call returns; a failed save leaves memory unchanged. Readers
// take an immutable Snapshot (copy-on-write: a change builds a new map and swaps it in), so
// privilege checks never hold the lock. The blob is JSON {"version":2,"next_oid":N,"roles":[
// {"name","oid","superuser","login","createdb","createrole","inherit","connlimit","verifier"
// (null: no password),"member_of":[{"oid","admin"}]}]}; version 1 blobs (name, superuser,
// verifier) still load (admin gets OID 10, others the next OIDs). Passwords are never stored,
// only verifiers. The store also owns a random per-process mock secret used to answer SCRAM for
// unknown roles (and roles without a password) exactly like for known ones (same salt for the
// same name, always failing). Who may change roles is decided by the caller (qp/roles.h).
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/random.h"
#include "auth/scram.h"
#include "common/status.h"

namespace borealis::auth {

inline constexpr size_t kMaxRoles = 100000;
inline constexpr size_t kMaxRoleNameBytes = 63;  // PostgreSQL's NAMEDATALEN - 1
inline constexpr size_t kMaxRoleStoreBlobBytes = 64 << 20;
inline constexpr size_t kGeneratedPasswordBytes = 18;  // 24 base64 characters
inline constexpr std::string_view kAdminRoleName = "admin";
// PostgreSQL's OID of the bootstrap superuser; other roles get OIDs from kFirstRoleOid.
inline constexpr uint32_t kAdminRoleOid = 10;
inline constexpr uint32_t kFirstRoleOid = 16384;
// Direct memberships of one role (GRANT r TO role).
inline constexpr size_t kMaxMembershipsPerRole = 1000;

// Where the role blob lives. Load returns nullopt when nothing was saved yet.
class BlobStorage {
 public:
  virtual ~BlobStorage() = default;
  virtual Result<std::optional<std::string>> Load() = 0;
  virtual Status Save(std::string_view blob) = 0;
};

// A file replaced atomically: write a temporary file, fsync it, rename it over the target,
// fsync the directory.
class FileBlobStorage final : public BlobStorage {
 public:
  explicit FileBlobStorage(std::string path) : path_(std::move(path)) {}
  Result<std::optional<std::string>> Load() override;
  Status Save(std::string_view blob) override;

 private:
  std::string path_;
};

// Keeps the blob in memory (tests, fuzzing).
class MemoryBlobStorage final : public BlobStorage {
 public:
  Result<std::optional<std::string>> Load() override { return blob_; }
  Status Save(std::string_view blob) override {
    blob_ = std::string(blob);
    return Status::Ok();
  }

 private:
  std::optional<std::string> blob_;
};

// GRANT role TO member: kept in the member's entry.
struct Membership {
  uint32_t role_oid = 0;
  bool admin_option = false;
  friend bool operator==(const Membership&, const Membership&) = default;
};

struct Role {
  std::string name;
  uint32_t oid = 0;
  bool superuser = false;
  bool login = true;
  bool create_db = false;
  bool create_role = false;
  bool inherit = true;
  int32_t connection_limit = -1;
  // False: no password (PASSWORD NULL); `verifier` is then unusable and login always fails.
  bool has_password = true;
  ScramVerifier verifier;
  std::vector<Membership> member_of;
};

using RoleMap = std::map<std::string, Role, std::less<>>;

// An immutable view of every role at one moment.
class RoleSnapshot {
 public:
  explicit RoleSnapshot(RoleMap roles);
  const Role* Find(std::string_view name) const;
  const Role* FindOid(uint32_t oid) const;
  const RoleMap& roles() const { return roles_; }
  // Whether `member` is `role` or a member of it, directly or through other roles; with
  // `inherit_only`, only through roles that INHERIT (whose privileges `member` uses without
  // SET ROLE). Bounded by the number of roles (cycles are refused when granting).
  bool IsMemberOf(uint32_t member, uint32_t role, bool inherit_only) const;

 private:
  RoleMap roles_;
  std::map<uint32_t, const Role*> by_oid_;
};

// CREATE ROLE / ALTER ROLE options; unset fields keep their value (CREATE: the defaults).
struct RoleOptions {
  std::optional<bool> superuser, login, create_db, create_role, inherit;
  std::optional<int32_t> connection_limit;
  // Set: change the password; an inner nullopt (or "") clears it. A value in PostgreSQL's
  // verifier form `SCRAM-SHA-256$...` is stored as is, anything else is hashed.
  std::optional<std::optional<std::string>> password;
};
class RoleStore {
 public:
  // Loads the roles saved in `storage`, if any. `random` must outlive the store.
  static Result<std::unique_ptr<RoleStore>> Open(std::unique_ptr<BlobStorage> storage,
                                                 RandomSource& random);

  // 42710 `role "x" already exists`; 42602 for an invalid name.
  Status CreateRole(std::string_view name, std::string_view password, bool superuser);
  // CREATE ROLE with options (login defaults to false, as CREATE ROLE; CREATE USER passes it).
  Status CreateRole(std::string_view name, const RoleOptions& options);
  // 42704 `role "x" does not exist` for the changes below.
  Status SetPassword(std::string_view name, std::string_view password);
  Status AlterRole(std::string_view name, const RoleOptions& options);
  // 42710 when `new_name` exists.
  Status RenameRole(std::string_view name, std::string_view new_name);
  // Also removes every membership in it.
  Status DropRole(std::string_view name);
  // GRANT role TO member. 0LP01 `role "m" is a member of role "r"` for a cycle; returns false
  // (nothing changed) when `member` already is a direct member with the same admin option.
  Result<bool> GrantMembership(std::string_view role, std::string_view member, bool admin_option);
  // REVOKE role FROM member; false when `member` was not a direct member.
  Result<bool> RevokeMembership(std::string_view role, std::string_view member);
  std::optional<Role> Find(std::string_view name) const;
  // The current roles; every change makes a new snapshot (so its identity tells a change).
  std::shared_ptr<const RoleSnapshot> Snapshot() const;
  size_t size() const;

  // A verifier for a role that does not exist: stable per name, never matching any password.
  ScramVerifier MockVerifier(std::string_view name) const;

 private:
  RoleStore(std::unique_ptr<BlobStorage> storage, RandomSource& random);
  std::string EncodeLocked(const RoleMap& roles, uint32_t next_oid) const;
  // Saves `next` and makes it current. REQUIRES: mutex_ held.
  Status CommitLocked(RoleMap next, uint32_t next_oid);
  // The verifier for a password option (hashed outside the lock by the caller).
  Result<std::optional<ScramVerifier>> VerifierFor(const std::optional<std::string>& password);

  std::unique_ptr<BlobStorage> storage_;
  RandomSource& random_;
  std::string mock_secret_;
  mutable std::mutex mutex_;
  std::shared_ptr<const RoleSnapshot> snapshot_;  // GUARDED_BY(mutex_)
  uint32_t next_oid_ = kFirstRoleOid;             // GUARDED_BY(mutex_)
};

// First start: creates `admin` (superuser) when the store has no such role. The password is
// `password` when given, else a random one. Returns the generated password (for printing once)
// or nullopt when none was generated or the role already existed.
Result<std::optional<std::string>> BootstrapAdmin(RoleStore& store,
                                                  std::optional<std::string> password,
                                                  RandomSource& random);

}  // namespace borealis::auth
