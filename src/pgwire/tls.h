// TLS material for the server: a self-signed certificate generated at first start.
//
// Contract: EnsureSelfSignedCertificate creates `cert_path` and `key_path` (ECDSA P-256,
// SHA-256, valid 10 years, CN = common_name) when neither exists; the key file is created with
// mode 0600 and never overwritten. If exactly one of the two exists it fails rather than guess.
// Thread-compatible (call it once at start-up).
#pragma once

#include <string>
#include <string_view>

#include "common/status.h"

namespace borealis::pgwire {

inline constexpr int kSelfSignedValidityDays = 3650;

Status EnsureSelfSignedCertificate(const std::string& cert_path, const std::string& key_path,
                                   std::string_view common_name);

}  // namespace borealis::pgwire
