#include "pgwire/tls.h"

#include <fcntl.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

namespace borealis::pgwire {
namespace {

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct X509Free {
  void operator()(X509* p) const { X509_free(p); }
};
struct FileClose {
  void operator()(FILE* f) const { std::fclose(f); }
};

bool Exists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

// Opens a new file (fails if it exists) with the given mode.
Result<std::unique_ptr<FILE, FileClose>> CreateFile(const std::string& path, mode_t mode) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) return Status::IoError("create " + path + ": " + std::strerror(errno));
  FILE* file = ::fdopen(fd, "w");
  if (file == nullptr) {
    ::close(fd);
    return Status::IoError("fdopen " + path);
  }
  return std::unique_ptr<FILE, FileClose>(file);
}

Status SyncAndClose(std::unique_ptr<FILE, FileClose> file, const std::string& path) {
  if (std::fflush(file.get()) != 0 || ::fsync(::fileno(file.get())) != 0) {
    return Status::IoError("write " + path + ": " + std::strerror(errno));
  }
  return Status::Ok();
}

}  // namespace

Status EnsureSelfSignedCertificate(const std::string& cert_path, const std::string& key_path,
                                   std::string_view common_name) {
  bool have_cert = Exists(cert_path);
  bool have_key = Exists(key_path);
  if (have_cert && have_key) return Status::Ok();
  if (have_cert != have_key) {
    return Status::InvalidArgument("only one of " + cert_path + " and " + key_path +
                                   " exists; remove it or provide both");
  }
  std::unique_ptr<EVP_PKEY, PkeyFree> key(EVP_EC_gen("P-256"));
  if (!key) return Status::Internal("EC key generation failed");
  std::unique_ptr<X509, X509Free> cert(X509_new());
  if (!cert) return Status::Internal("X509_new failed");
  X509_set_version(cert.get(), 2);
  unsigned char serial_bytes[16];
  if (RAND_bytes(serial_bytes, sizeof(serial_bytes)) != 1) return Status::Internal("RAND_bytes");
  serial_bytes[0] &= 0x7f;  // positive
  BIGNUM* serial = BN_bin2bn(serial_bytes, sizeof(serial_bytes), nullptr);
  BN_to_ASN1_INTEGER(serial, X509_get_serialNumber(cert.get()));
  BN_free(serial);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -60);
  X509_time_adj_ex(X509_getm_notAfter(cert.get()), kSelfSignedValidityDays, 0, nullptr);
  X509_set_pubkey(cert.get(), key.get());
  X509_NAME* name = X509_get_subject_name(cert.get());
  std::string cn(common_name);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);
  if (X509_sign(cert.get(), key.get(), EVP_sha256()) == 0) {
    return Status::Internal("X509_sign failed");
  }
  ASSIGN_OR_RETURN(auto key_file, CreateFile(key_path, 0600));
  if (PEM_write_PrivateKey(key_file.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    return Status::IoError("write " + key_path);
  }
  RETURN_IF_ERROR(SyncAndClose(std::move(key_file), key_path));
  ASSIGN_OR_RETURN(auto cert_file, CreateFile(cert_path, 0644));
  if (PEM_write_X509(cert_file.get(), cert.get()) != 1) {
    return Status::IoError("write " + cert_path);
  }
  return SyncAndClose(std::move(cert_file), cert_path);
}

}  // namespace borealis::pgwire
