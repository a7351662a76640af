// SCRAM-SHA-256 (RFC 5802 section 5, RFC 7677): verifiers and the server side of one exchange.
//
// Contract: pure computation (OpenSSL for PBKDF2-HMAC-SHA-256, HMAC and SHA-256); no I/O. A
// ScramServer is one exchange, used by one thread; verifiers are plain values. Verifiers use
// PostgreSQL's text format `SCRAM-SHA-256$<iterations>:<salt b64>$<StoredKey b64>:<ServerKey b64>`
// so roles can be moved to and from PostgreSQL. Channel binding is not implemented: the server
// advertises only SCRAM-SHA-256 and accepts gs2 flags "n" and "y", refusing "p".
// Passwords are used as given (no SASLprep normalisation; identical for ASCII passwords).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/status.h"

namespace borealis::auth {

inline constexpr std::string_view kScramSha256Name = "SCRAM-SHA-256";
inline constexpr int kScramDefaultIterations = 4096;
inline constexpr int kScramMaxIterations = 1 << 20;
inline constexpr size_t kScramSaltSizeBytes = 16;
inline constexpr size_t kScramNonceSizeBytes = 18;  // 24 base64 characters
inline constexpr size_t kScramKeySizeBytes = 32;    // SHA-256 output
inline constexpr size_t kScramMaxMessageSizeBytes = 4096;

std::string Base64Encode(std::string_view data);
// nullopt when `text` is not canonical padded base64.
std::optional<std::string> Base64Decode(std::string_view text);

// Compares two byte strings in time independent of where they differ.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

struct ScramVerifier {
  int iterations = kScramDefaultIterations;
  std::string salt;        // raw bytes
  std::string stored_key;  // raw, kScramKeySizeBytes
  std::string server_key;  // raw, kScramKeySizeBytes

  std::string ToString() const;
  static Result<ScramVerifier> Parse(std::string_view text);
};

// SaltedPassword := Hi(password, salt, i) (RFC 5802 section 2.2).
std::string ScramSaltedPassword(std::string_view password, std::string_view salt, int iterations);
ScramVerifier MakeScramVerifier(std::string_view password, std::string_view salt, int iterations);
// For cleartext password authentication against a stored verifier.
bool PasswordMatchesVerifier(std::string_view password, const ScramVerifier& verifier);

// HMAC-SHA-256 and SHA-256, exposed for the client side used in tests.
std::string HmacSha256(std::string_view key, std::string_view data);
std::string Sha256(std::string_view data);

// The server side of one exchange.
//   HandleClientFirst(client-first-message) -> server-first-message
//   HandleClientFinal(client-final-message) -> server-final-message
// Errors: malformed input -> 08P01; a wrong proof (or an unknown role, see below) -> 28P01 with
// a generic message the caller replaces with PostgreSQL's per-user message.
class ScramServer {
 public:
  // `server_nonce` must be printable ASCII without ','. When `role_exists` is false the exchange
  // runs against `verifier` (a mock one) and always fails at the proof, so a client cannot tell
  // unknown roles from wrong passwords (as PostgreSQL does).
  ScramServer(ScramVerifier verifier, bool role_exists, std::string server_nonce);

  Result<std::string> HandleClientFirst(std::string_view message);
  Result<std::string> HandleClientFinal(std::string_view message);

 private:
  enum class State { kAwaitClientFirst, kAwaitClientFinal, kDone };

  ScramVerifier verifier_;
  bool role_exists_;
  std::string server_nonce_;
  State state_ = State::kAwaitClientFirst;
  std::string gs2_header_;
  std::string client_first_bare_;
  std::string server_first_;
  std::string combined_nonce_;
};

}  // namespace borealis::auth
