#include "auth/role_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>

namespace borealis::auth {
namespace {

constexpr int kRoleStoreVersion = 1;
constexpr size_t kMockSecretBytes = 32;

Status ErrnoStatus(const std::string& what, const std::string& path) {
  return Status::IoError(what + " " + path + ": " + std::strerror(errno));
}

Status WriteAll(int fd, std::string_view data, const std::string& path) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus("write", path);
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return Status::Ok();
}

Status CheckRoleName(std::string_view name) {
  if (name.empty() || name.size() > kMaxRoleNameBytes || name.find('\0') != name.npos) {
    return Status::Sql("42602", "invalid role name \"" + std::string(name) + "\"");
  }
  return Status::Ok();
}

}  // namespace

Result<std::optional<std::string>> FileBlobStorage::Load() {
  int fd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return std::optional<std::string>();
    return ErrnoStatus("open", path_);
  }
  std::string data;
  char chunk[8192];
  for (;;) {
    ssize_t n = ::read(fd, chunk, sizeof(chunk));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      Status status = ErrnoStatus("read", path_);
      ::close(fd);
      return status;
    }
    if (n == 0) break;
    data.append(chunk, static_cast<size_t>(n));
    if (data.size() > kMaxRoleStoreBlobBytes) {
      ::close(fd);
      return Status::Corruption("role file too large: " + path_);
    }
  }
  ::close(fd);
  return std::optional<std::string>(std::move(data));
}

Status FileBlobStorage::Save(std::string_view blob) {
  std::string temp = path_ + ".tmp";
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return ErrnoStatus("open", temp);
  Status status = WriteAll(fd, blob, temp);
  if (status.ok() && ::fsync(fd) != 0) status = ErrnoStatus("fsync", temp);
  ::close(fd);
  RETURN_IF_ERROR(status);
  if (::rename(temp.c_str(), path_.c_str()) != 0) return ErrnoStatus("rename", temp);
  size_t slash = path_.rfind('/');
  std::string dir = slash == std::string::npos ? "." : path_.substr(0, slash == 0 ? 1 : slash);
  int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd < 0) return ErrnoStatus("open", dir);
  int rc = ::fsync(dir_fd);
  ::close(dir_fd);
  if (rc != 0) return ErrnoStatus("fsync", dir);
  return Status::Ok();
}

RoleStore::RoleStore(std::unique_ptr<BlobStorage> storage, RandomSource& random)
    : storage_(std::move(storage)), random_(random), mock_secret_(random.Bytes(kMockSecretBytes)) {}

Result<std::unique_ptr<RoleStore>> RoleStore::Open(std::unique_ptr<BlobStorage> storage,
                                                   RandomSource& random) {
  BOREALIS_CHECK(storage != nullptr);
  ASSIGN_OR_RETURN(std::optional<std::string> blob, storage->Load());
  std::unique_ptr<RoleStore> store(new RoleStore(std::move(storage), random));
  if (!blob) return store;
  nlohmann::json json = nlohmann::json::parse(*blob, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded() || !json.is_object() || json.value("version", 0) != kRoleStoreVersion ||
      !json.contains("roles") || !json["roles"].is_array()) {
    return Status::Corruption("role store: unreadable blob");
  }
  for (const auto& entry : json["roles"]) {
    if (!entry.is_object() || !entry.contains("name") || !entry["name"].is_string() ||
        !entry.contains("verifier") || !entry["verifier"].is_string() ||
        !entry.contains("superuser") || !entry["superuser"].is_boolean()) {
      return Status::Corruption("role store: invalid role entry");
    }
    Role role;
    role.name = entry["name"].get<std::string>();
    role.superuser = entry["superuser"].get<bool>();
    auto verifier = ScramVerifier::Parse(entry["verifier"].get<std::string>());
    if (!verifier.ok()) return Status::Corruption("role store: bad verifier for " + role.name);
    role.verifier = std::move(verifier).value();
    if (store->roles_.size() >= kMaxRoles) return Status::Corruption("role store: too many roles");
    std::string name = role.name;
    store->roles_.emplace(std::move(name), std::move(role));
  }
  return store;
}

std::string RoleStore::EncodeLocked(const std::map<std::string, Role, std::less<>>& roles) const {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& [name, role] : roles) {
    list.push_back(
        {{"name", name}, {"superuser", role.superuser}, {"verifier", role.verifier.ToString()}});
  }
  nlohmann::json json = {{"version", kRoleStoreVersion}, {"roles", std::move(list)}};
  return json.dump(1);
}

Status RoleStore::CreateRole(std::string_view name, std::string_view password, bool superuser) {
  RETURN_IF_ERROR(CheckRoleName(name));
  Role role;
  role.name = std::string(name);
  role.superuser = superuser;
  // PBKDF2 runs outside the lock: it takes milliseconds.
  role.verifier =
      MakeScramVerifier(password, random_.Bytes(kScramSaltSizeBytes), kScramDefaultIterations);
  std::lock_guard lock(mutex_);
  if (roles_.count(name) != 0) {
    return Status::Sql("42710", "role \"" + std::string(name) + "\" already exists");
  }
  if (roles_.size() >= kMaxRoles) return Status::Sql("54000", "too many roles");
  auto next = roles_;
  next.emplace(role.name, role);
  RETURN_IF_ERROR(storage_->Save(EncodeLocked(next)));
  roles_ = std::move(next);
  return Status::Ok();
}

Status RoleStore::SetPassword(std::string_view name, std::string_view password) {
  ScramVerifier verifier =
      MakeScramVerifier(password, random_.Bytes(kScramSaltSizeBytes), kScramDefaultIterations);
  std::lock_guard lock(mutex_);
  auto it = roles_.find(name);
  if (it == roles_.end()) {
    return Status::Sql("42704", "role \"" + std::string(name) + "\" does not exist");
  }
  auto next = roles_;
  next.find(name)->second.verifier = std::move(verifier);
  RETURN_IF_ERROR(storage_->Save(EncodeLocked(next)));
  roles_ = std::move(next);
  return Status::Ok();
}

std::optional<Role> RoleStore::Find(std::string_view name) const {
  std::lock_guard lock(mutex_);
  auto it = roles_.find(name);
  if (it == roles_.end()) return std::nullopt;
  return it->second;
}

size_t RoleStore::size() const {
  std::lock_guard lock(mutex_);
  return roles_.size();
}

ScramVerifier RoleStore::MockVerifier(std::string_view name) const {
  ScramVerifier verifier;
  verifier.iterations = kScramDefaultIterations;
  std::string digest = HmacSha256(mock_secret_, std::string("salt:") + std::string(name));
  verifier.salt = digest.substr(0, kScramSaltSizeBytes);
  verifier.stored_key = HmacSha256(mock_secret_, std::string("stored:") + std::string(name));
  verifier.server_key = HmacSha256(mock_secret_, std::string("server:") + std::string(name));
  return verifier;
}

Result<std::optional<std::string>> BootstrapAdmin(RoleStore& store,
                                                  std::optional<std::string> password,
                                                  RandomSource& random) {
  if (store.Find(kAdminRoleName)) return std::optional<std::string>();
  std::optional<std::string> generated;
  if (!password || password->empty()) {
    generated = Base64Encode(random.Bytes(kGeneratedPasswordBytes));
    password = generated;
  }
  RETURN_IF_ERROR(store.CreateRole(kAdminRoleName, *password, /*superuser=*/true));
  return generated;
}

}  // namespace borealis::auth
