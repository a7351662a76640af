#include "auth/role_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>
#include <vector>

namespace borealis::auth {
namespace {

constexpr int kRoleStoreVersion = 2;
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

RoleSnapshot::RoleSnapshot(RoleMap roles) : roles_(std::move(roles)) {
  for (const auto& [name, role] : roles_) by_oid_.emplace(role.oid, &role);
}

const Role* RoleSnapshot::Find(std::string_view name) const {
  auto it = roles_.find(name);
  return it == roles_.end() ? nullptr : &it->second;
}

const Role* RoleSnapshot::FindOid(uint32_t oid) const {
  auto it = by_oid_.find(oid);
  return it == by_oid_.end() ? nullptr : it->second;
}

bool RoleSnapshot::IsMemberOf(uint32_t member, uint32_t role, bool inherit_only) const {
  if (member == role) return true;
  // Breadth-first over member_of edges; each role is visited once.
  std::vector<uint32_t> frontier = {member};
  std::map<uint32_t, bool> seen = {{member, true}};
  while (!frontier.empty()) {
    uint32_t current = frontier.back();
    frontier.pop_back();
    const Role* entry = FindOid(current);
    if (entry == nullptr || (inherit_only && !entry->inherit)) continue;
    for (const Membership& m : entry->member_of) {
      if (m.role_oid == role) return true;
      if (seen.emplace(m.role_oid, true).second) frontier.push_back(m.role_oid);
    }
  }
  return false;
}

RoleStore::RoleStore(std::unique_ptr<BlobStorage> storage, RandomSource& random)
    : storage_(std::move(storage)),
      random_(random),
      mock_secret_(random.Bytes(kMockSecretBytes)),
      snapshot_(std::make_shared<const RoleSnapshot>(RoleMap())) {}

namespace {

bool IsBool(const nlohmann::json& entry, const char* field) {
  return entry.contains(field) && entry[field].is_boolean();
}

}  // namespace

Result<std::unique_ptr<RoleStore>> RoleStore::Open(std::unique_ptr<BlobStorage> storage,
                                                   RandomSource& random) {
  BOREALIS_CHECK(storage != nullptr);
  ASSIGN_OR_RETURN(std::optional<std::string> blob, storage->Load());
  std::unique_ptr<RoleStore> store(new RoleStore(std::move(storage), random));
  if (!blob) return store;
  nlohmann::json json = nlohmann::json::parse(*blob, nullptr, /*allow_exceptions=*/false);
  int version = json.is_object() ? json.value("version", 0) : 0;
  if (json.is_discarded() || !json.is_object() || (version != 1 && version != kRoleStoreVersion) ||
      !json.contains("roles") || !json["roles"].is_array()) {
    return Status::Corruption("role store: unreadable blob");
  }
  RoleMap roles;
  uint32_t next_oid = kFirstRoleOid;
  if (version == kRoleStoreVersion) {
    if (!json.contains("next_oid") || !json["next_oid"].is_number_unsigned() ||
        json["next_oid"].get<uint64_t>() < kFirstRoleOid ||
        json["next_oid"].get<uint64_t>() > UINT32_MAX) {
      return Status::Corruption("role store: bad next_oid");
    }
    next_oid = json["next_oid"].get<uint32_t>();
  }
  std::map<uint32_t, std::string> names_by_oid;
  for (const auto& entry : json["roles"]) {
    if (!entry.is_object() || !entry.contains("name") || !entry["name"].is_string() ||
        !entry.contains("verifier") || !IsBool(entry, "superuser")) {
      return Status::Corruption("role store: invalid role entry");
    }
    Role role;
    role.name = entry["name"].get<std::string>();
    role.superuser = entry["superuser"].get<bool>();
    if (entry["verifier"].is_null() && version == kRoleStoreVersion) {
      role.has_password = false;
      role.verifier = store->MockVerifier(role.name);
    } else {
      if (!entry["verifier"].is_string()) return Status::Corruption("role store: bad verifier");
      auto verifier = ScramVerifier::Parse(entry["verifier"].get<std::string>());
      if (!verifier.ok()) return Status::Corruption("role store: bad verifier for " + role.name);
      role.verifier = std::move(verifier).value();
    }
    if (version == 1) {
      role.oid = role.name == kAdminRoleName ? kAdminRoleOid : next_oid++;
      role.create_db = role.create_role = role.superuser;
    } else {
      if (!entry.contains("oid") || !entry["oid"].is_number_unsigned() || !IsBool(entry, "login") ||
          !IsBool(entry, "createdb") || !IsBool(entry, "createrole") || !IsBool(entry, "inherit") ||
          !entry.contains("connlimit") || !entry["connlimit"].is_number_integer() ||
          !entry.contains("member_of") || !entry["member_of"].is_array() ||
          entry["member_of"].size() > kMaxMembershipsPerRole) {
        return Status::Corruption("role store: invalid role entry " + role.name);
      }
      uint64_t oid = entry["oid"].get<uint64_t>();
      if (oid == 0 || oid >= next_oid || (oid < kFirstRoleOid && oid != kAdminRoleOid)) {
        return Status::Corruption("role store: bad oid for " + role.name);
      }
      role.oid = static_cast<uint32_t>(oid);
      role.login = entry["login"].get<bool>();
      role.create_db = entry["createdb"].get<bool>();
      role.create_role = entry["createrole"].get<bool>();
      role.inherit = entry["inherit"].get<bool>();
      role.connection_limit = entry["connlimit"].get<int32_t>();
      for (const auto& m : entry["member_of"]) {
        if (!m.is_object() || !m.contains("oid") || !m["oid"].is_number_unsigned() ||
            !IsBool(m, "admin")) {
          return Status::Corruption("role store: bad membership of " + role.name);
        }
        role.member_of.push_back({m["oid"].get<uint32_t>(), m["admin"].get<bool>()});
      }
    }
    if (CheckRoleName(role.name).ok() == false || roles.count(role.name) != 0 ||
        !names_by_oid.emplace(role.oid, role.name).second) {
      return Status::Corruption("role store: duplicate or invalid role " + role.name);
    }
    if (roles.size() >= kMaxRoles) return Status::Corruption("role store: too many roles");
    std::string name = role.name;
    roles.emplace(std::move(name), std::move(role));
  }
  for (const auto& [name, role] : roles) {
    for (const Membership& m : role.member_of) {
      if (names_by_oid.count(m.role_oid) == 0) {
        return Status::Corruption("role store: membership of " + name + " in a missing role");
      }
    }
  }
  store->next_oid_ = next_oid;
  store->snapshot_ = std::make_shared<const RoleSnapshot>(std::move(roles));
  return store;
}

std::string RoleStore::EncodeLocked(const RoleMap& roles, uint32_t next_oid) const {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& [name, role] : roles) {
    nlohmann::json members = nlohmann::json::array();
    for (const Membership& m : role.member_of) {
      members.push_back({{"oid", m.role_oid}, {"admin", m.admin_option}});
    }
    nlohmann::json verifier =
        role.has_password ? nlohmann::json(role.verifier.ToString()) : nlohmann::json(nullptr);
    list.push_back({{"name", name},
                    {"oid", role.oid},
                    {"superuser", role.superuser},
                    {"login", role.login},
                    {"createdb", role.create_db},
                    {"createrole", role.create_role},
                    {"inherit", role.inherit},
                    {"connlimit", role.connection_limit},
                    {"verifier", std::move(verifier)},
                    {"member_of", std::move(members)}});
  }
  nlohmann::json json = {
      {"version", kRoleStoreVersion}, {"next_oid", next_oid}, {"roles", std::move(list)}};
  return json.dump(1);
}

Status RoleStore::CommitLocked(RoleMap next, uint32_t next_oid) {
  RETURN_IF_ERROR(storage_->Save(EncodeLocked(next, next_oid)));
  snapshot_ = std::make_shared<const RoleSnapshot>(std::move(next));
  next_oid_ = next_oid;
  return Status::Ok();
}

namespace {

Status NoSuchRole(std::string_view name) {
  return Status::Sql("42704", "role \"" + std::string(name) + "\" does not exist");
}

void ApplyOptions(const RoleOptions& options, Role& role) {
  if (options.superuser) role.superuser = *options.superuser;
  if (options.login) role.login = *options.login;
  if (options.create_db) role.create_db = *options.create_db;
  if (options.create_role) role.create_role = *options.create_role;
  if (options.inherit) role.inherit = *options.inherit;
  if (options.connection_limit) role.connection_limit = *options.connection_limit;
}

}  // namespace

Result<std::optional<ScramVerifier>> RoleStore::VerifierFor(
    const std::optional<std::string>& password) {
  if (!password || password->empty()) return std::optional<ScramVerifier>();
  if (password->rfind("SCRAM-SHA-256$", 0) == 0) {
    Result<ScramVerifier> parsed = ScramVerifier::Parse(*password);
    // PostgreSQL hashes a string that only looks like a verifier; so do we.
    if (parsed.ok()) return std::optional<ScramVerifier>(std::move(parsed).value());
  }
  return std::optional<ScramVerifier>(
      MakeScramVerifier(*password, random_.Bytes(kScramSaltSizeBytes), kScramDefaultIterations));
}

Status RoleStore::CreateRole(std::string_view name, std::string_view password, bool superuser) {
  RoleOptions options;
  options.superuser = superuser;
  options.login = true;
  options.create_db = options.create_role = superuser;
  options.password = std::optional<std::string>(std::string(password));
  return CreateRole(name, options);
}

Status RoleStore::CreateRole(std::string_view name, const RoleOptions& options) {
  RETURN_IF_ERROR(CheckRoleName(name));
  Role role;
  role.name = std::string(name);
  role.login = false;
  ApplyOptions(options, role);
  // PBKDF2 runs outside the lock: it takes milliseconds.
  ASSIGN_OR_RETURN(std::optional<ScramVerifier> verifier,
                   VerifierFor(options.password.value_or(std::nullopt)));
  role.has_password = verifier.has_value();
  role.verifier = verifier ? std::move(*verifier) : MockVerifier(name);
  std::lock_guard lock(mutex_);
  if (snapshot_->Find(name) != nullptr) {
    return Status::Sql("42710", "role \"" + std::string(name) + "\" already exists");
  }
  if (snapshot_->roles().size() >= kMaxRoles) return Status::Sql("54000", "too many roles");
  uint32_t next_oid = next_oid_;
  if (name == kAdminRoleName && snapshot_->FindOid(kAdminRoleOid) == nullptr) {
    role.oid = kAdminRoleOid;
  } else {
    if (next_oid == UINT32_MAX) return Status::Sql("54000", "role OIDs exhausted");
    role.oid = next_oid++;
  }
  RoleMap next = snapshot_->roles();
  next.emplace(role.name, std::move(role));
  return CommitLocked(std::move(next), next_oid);
}

Status RoleStore::SetPassword(std::string_view name, std::string_view password) {
  RoleOptions options;
  options.password = std::optional<std::string>(std::string(password));
  return AlterRole(name, options);
}

Status RoleStore::AlterRole(std::string_view name, const RoleOptions& options) {
  std::optional<ScramVerifier> verifier;
  if (options.password) {
    ASSIGN_OR_RETURN(verifier, VerifierFor(*options.password));
  }
  std::lock_guard lock(mutex_);
  if (snapshot_->Find(name) == nullptr) return NoSuchRole(name);
  RoleMap next = snapshot_->roles();
  Role& role = next.find(name)->second;
  ApplyOptions(options, role);
  if (options.password) {
    role.has_password = verifier.has_value();
    role.verifier = verifier ? std::move(*verifier) : MockVerifier(name);
  }
  return CommitLocked(std::move(next), next_oid_);
}

Status RoleStore::RenameRole(std::string_view name, std::string_view new_name) {
  RETURN_IF_ERROR(CheckRoleName(new_name));
  std::lock_guard lock(mutex_);
  if (snapshot_->Find(name) == nullptr) return NoSuchRole(name);
  if (snapshot_->Find(new_name) != nullptr) {
    return Status::Sql("42710", "role \"" + std::string(new_name) + "\" already exists");
  }
  RoleMap next = snapshot_->roles();
  auto node = next.extract(std::string(name));
  node.key() = std::string(new_name);
  node.mapped().name = std::string(new_name);
  // PostgreSQL clears an MD5 password on rename (the name is its salt); SCRAM ones stay.
  next.insert(std::move(node));
  return CommitLocked(std::move(next), next_oid_);
}

Status RoleStore::DropRole(std::string_view name) {
  std::lock_guard lock(mutex_);
  const Role* role = snapshot_->Find(name);
  if (role == nullptr) return NoSuchRole(name);
  uint32_t oid = role->oid;
  RoleMap next = snapshot_->roles();
  next.erase(next.find(name));
  for (auto& [other_name, other] : next) {
    std::erase_if(other.member_of, [oid](const Membership& m) { return m.role_oid == oid; });
  }
  return CommitLocked(std::move(next), next_oid_);
}

Result<bool> RoleStore::GrantMembership(std::string_view role_name, std::string_view member_name,
                                        bool admin_option) {
  std::lock_guard lock(mutex_);
  const Role* role = snapshot_->Find(role_name);
  if (role == nullptr) return NoSuchRole(role_name);
  const Role* member = snapshot_->Find(member_name);
  if (member == nullptr) return NoSuchRole(member_name);
  if (snapshot_->IsMemberOf(role->oid, member->oid, /*inherit_only=*/false)) {
    return Status::Sql("0LP01", "role \"" + std::string(member_name) + "\" is a member of role \"" +
                                    std::string(role_name) + "\"");
  }
  for (const Membership& m : member->member_of) {
    if (m.role_oid == role->oid && (m.admin_option || !admin_option)) return false;
  }
  if (member->member_of.size() >= kMaxMembershipsPerRole) {
    return Status::Sql("54000", "too many memberships for role \"" + member->name + "\"");
  }
  uint32_t role_oid = role->oid;
  RoleMap next = snapshot_->roles();
  Role& changed = next.find(member_name)->second;
  std::erase_if(changed.member_of, [&](const Membership& m) { return m.role_oid == role_oid; });
  changed.member_of.push_back({role_oid, admin_option});
  RETURN_IF_ERROR(CommitLocked(std::move(next), next_oid_));
  return true;
}

Result<bool> RoleStore::RevokeMembership(std::string_view role_name, std::string_view member_name) {
  std::lock_guard lock(mutex_);
  const Role* role = snapshot_->Find(role_name);
  if (role == nullptr) return NoSuchRole(role_name);
  const Role* member = snapshot_->Find(member_name);
  if (member == nullptr) return NoSuchRole(member_name);
  uint32_t role_oid = role->oid;
  RoleMap next = snapshot_->roles();
  Role& changed = next.find(member_name)->second;
  if (std::erase_if(changed.member_of,
                    [&](const Membership& m) { return m.role_oid == role_oid; }) == 0) {
    return false;
  }
  RETURN_IF_ERROR(CommitLocked(std::move(next), next_oid_));
  return true;
}

std::optional<Role> RoleStore::Find(std::string_view name) const {
  std::lock_guard lock(mutex_);
  const Role* role = snapshot_->Find(name);
  if (role == nullptr) return std::nullopt;
  return *role;
}

std::shared_ptr<const RoleSnapshot> RoleStore::Snapshot() const {
  std::lock_guard lock(mutex_);
  return snapshot_;
}

size_t RoleStore::size() const {
  std::lock_guard lock(mutex_);
  return snapshot_->roles().size();
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
