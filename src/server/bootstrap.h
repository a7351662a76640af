// Data-directory bootstrap for `borealis start`: creates the directory (mode 0700), opens the
// role store (DATA_DIR/roles.json, replaced atomically), creates the `admin` superuser at first
// start and generates a self-signed certificate (DATA_DIR/server.crt, server.key 0600) when
// none is configured.
//
// Contract: idempotent; never overwrites existing roles, keys or certificates. Runs once at
// start-up on the main thread.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "auth/random.h"
#include "auth/role_store.h"
#include "common/status.h"

namespace borealis::server {

inline constexpr const char* kRolesFileName = "roles.json";
inline constexpr const char* kCertFileName = "server.crt";
inline constexpr const char* kKeyFileName = "server.key";

struct BootstrapOptions {
  std::string data_dir;
  std::optional<std::string> admin_password;  // else generated
  std::string tls_cert_file;                  // both empty: generate into data_dir
  std::string tls_key_file;
};

struct Bootstrapped {
  std::unique_ptr<auth::RoleStore> roles;
  std::optional<std::string> generated_admin_password;  // print once
  std::string tls_cert_file;
  std::string tls_key_file;
};

Result<Bootstrapped> Bootstrap(const BootstrapOptions& options, auth::RandomSource& random);

}  // namespace borealis::server
