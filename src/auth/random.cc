#include "auth/random.h"

#include <openssl/rand.h>

#include "common/check.h"

namespace borealis::auth {

std::string OpenSslRandomSource::Bytes(size_t n) {
  std::string out(n, '\0');
  if (n == 0) return out;
  int rc = RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n));
  BOREALIS_CHECK(rc == 1, "RAND_bytes failed");
  return out;
}

}  // namespace borealis::auth
