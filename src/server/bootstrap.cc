#include "server/bootstrap.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "pgwire/tls.h"

namespace borealis::server {

Result<Bootstrapped> Bootstrap(const BootstrapOptions& options, auth::RandomSource& random) {
  if (options.data_dir.empty()) return Status::InvalidArgument("--data-dir is required");
  std::error_code ec;
  std::filesystem::create_directories(options.data_dir, ec);
  if (ec) return Status::IoError("create " + options.data_dir + ": " + ec.message());
  ::chmod(options.data_dir.c_str(), 0700);

  Bootstrapped out;
  auto storage = std::make_unique<auth::FileBlobStorage>(options.data_dir + "/" + kRolesFileName);
  ASSIGN_OR_RETURN(out.roles, auth::RoleStore::Open(std::move(storage), random));
  ASSIGN_OR_RETURN(out.generated_admin_password,
                   auth::BootstrapAdmin(*out.roles, options.admin_password, random));

  if (options.tls_cert_file.empty() != options.tls_key_file.empty()) {
    return Status::InvalidArgument("--tls-cert and --tls-key must be given together");
  }
  if (!options.tls_cert_file.empty()) {
    out.tls_cert_file = options.tls_cert_file;
    out.tls_key_file = options.tls_key_file;
  } else {
    out.tls_cert_file = options.data_dir + "/" + kCertFileName;
    out.tls_key_file = options.data_dir + "/" + kKeyFileName;
    RETURN_IF_ERROR(
        pgwire::EnsureSelfSignedCertificate(out.tls_cert_file, out.tls_key_file, "borealis"));
  }
  return out;
}

}  // namespace borealis::server
