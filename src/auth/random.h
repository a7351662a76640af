// RandomSource: where authentication gets its unpredictable bytes (salts, nonces, secrets).
//
// Contract: Bytes(n) returns exactly n bytes. OpenSslRandomSource draws from OpenSSL's CSPRNG
// and is thread-safe; test doubles may be deterministic. Injected so that the SCRAM exchange and
// the startup state machine stay pure and reproducible under tests and fuzzing.
#pragma once

#include <cstddef>
#include <string>

namespace borealis::auth {

class RandomSource {
 public:
  virtual ~RandomSource() = default;
  virtual std::string Bytes(size_t n) = 0;
};

// Cryptographically secure; aborts if OpenSSL cannot produce randomness (never limps on).
class OpenSslRandomSource final : public RandomSource {
 public:
  std::string Bytes(size_t n) override;
};

}  // namespace borealis::auth
