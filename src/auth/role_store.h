// RoleStore: the roles that may log in and their SCRAM-SHA-256 verifiers.
//
// Contract: all methods are thread-safe (one mutex). Every change is written through the
// injected BlobStorage before the call returns; a failed save leaves memory unchanged. The blob
// is JSON {"version":1,"roles":[{"name","superuser","verifier"}]}. Passwords are never stored,
// only verifiers. The store also owns a random per-process mock secret used to answer SCRAM for
// unknown roles exactly like for known ones (same salt for the same name, always failing).
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "auth/random.h"
#include "auth/scram.h"
#include "common/status.h"

namespace borealis::auth {

inline constexpr size_t kMaxRoles = 100000;
inline constexpr size_t kMaxRoleNameBytes = 63;  // PostgreSQL's NAMEDATALEN - 1
inline constexpr size_t kMaxRoleStoreBlobBytes = 64 << 20;
inline constexpr size_t kGeneratedPasswordBytes = 18;  // 24 base64 characters
inline constexpr std::string_view kAdminRoleName = "admin";

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

struct Role {
  std::string name;
  bool superuser = false;
  ScramVerifier verifier;
};

class RoleStore {
 public:
  // Loads the roles saved in `storage`, if any. `random` must outlive the store.
  static Result<std::unique_ptr<RoleStore>> Open(std::unique_ptr<BlobStorage> storage,
                                                 RandomSource& random);

  // 42710 `role "x" already exists`; 42602 for an invalid name.
  Status CreateRole(std::string_view name, std::string_view password, bool superuser);
  // 42704 `role "x" does not exist`.
  Status SetPassword(std::string_view name, std::string_view password);
  std::optional<Role> Find(std::string_view name) const;
  size_t size() const;

  // A verifier for a role that does not exist: stable per name, never matching any password.
  ScramVerifier MockVerifier(std::string_view name) const;

 private:
  RoleStore(std::unique_ptr<BlobStorage> storage, RandomSource& random);
  std::string EncodeLocked(const std::map<std::string, Role, std::less<>>& roles) const;

  std::unique_ptr<BlobStorage> storage_;
  RandomSource& random_;
  std::string mock_secret_;
  mutable std::mutex mutex_;
  std::map<std::string, Role, std::less<>> roles_;  // GUARDED_BY(mutex_)
};

// First start: creates `admin` (superuser) when the store has no such role. The password is
// `password` when given, else a random one. Returns the generated password (for printing once)
// or nullopt when none was generated or the role already existed.
Result<std::optional<std::string>> BootstrapAdmin(RoleStore& store,
                                                  std::optional<std::string> password,
                                                  RandomSource& random);

}  // namespace borealis::auth
