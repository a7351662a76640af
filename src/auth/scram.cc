#include "auth/scram.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <array>
#include <charconv>

#include "common/check.h"

namespace borealis::auth {
namespace {

constexpr std::string_view kBase64Alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int Base64Value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

Status Malformed(std::string detail) {
  return Status::Sql("08P01", "malformed SCRAM message").WithDetail(std::move(detail));
}

Status InvalidProof() { return Status::Sql("28P01", "SCRAM authentication failed"); }

// Splits "k=value" and checks the attribute letter.
std::optional<std::string_view> Attribute(std::string_view part, char name) {
  if (part.size() < 2 || part[0] != name || part[1] != '=') return std::nullopt;
  return part.substr(2);
}

// Takes the text up to the next ',' (or the end) and advances `rest` past the comma.
std::string_view NextPart(std::string_view& rest) {
  size_t comma = rest.find(',');
  std::string_view part = rest.substr(0, comma);
  rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
  return part;
}

bool IsPrintableNonce(std::string_view nonce) {
  if (nonce.empty()) return false;
  for (char c : nonce) {
    if (c < 0x21 || c > 0x7e || c == ',') return false;
  }
  return true;
}

std::string XorBytes(std::string_view a, std::string_view b) {
  BOREALIS_CHECK_EQ(a.size(), b.size());
  std::string out(a.size(), '\0');
  for (size_t i = 0; i < a.size(); ++i) out[i] = static_cast<char>(a[i] ^ b[i]);
  return out;
}

}  // namespace

std::string Base64Encode(std::string_view data) {
  std::string out;
  out.reserve((data.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= data.size(); i += 3) {
    uint32_t v = (uint8_t(data[i]) << 16) | (uint8_t(data[i + 1]) << 8) | uint8_t(data[i + 2]);
    out += kBase64Alphabet[(v >> 18) & 63];
    out += kBase64Alphabet[(v >> 12) & 63];
    out += kBase64Alphabet[(v >> 6) & 63];
    out += kBase64Alphabet[v & 63];
  }
  size_t rest = data.size() - i;
  if (rest == 1) {
    uint32_t v = uint8_t(data[i]) << 16;
    out += kBase64Alphabet[(v >> 18) & 63];
    out += kBase64Alphabet[(v >> 12) & 63];
    out += "==";
  } else if (rest == 2) {
    uint32_t v = (uint8_t(data[i]) << 16) | (uint8_t(data[i + 1]) << 8);
    out += kBase64Alphabet[(v >> 18) & 63];
    out += kBase64Alphabet[(v >> 12) & 63];
    out += kBase64Alphabet[(v >> 6) & 63];
    out += '=';
  }
  return out;
}

std::optional<std::string> Base64Decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  std::string out;
  out.reserve(text.size() / 4 * 3);
  for (size_t i = 0; i < text.size(); i += 4) {
    bool last = i + 4 == text.size();
    int pad = 0;
    if (last && text[i + 3] == '=') pad = text[i + 2] == '=' ? 2 : 1;
    uint32_t v = 0;
    for (int j = 0; j < 4; ++j) {
      int value = 0;
      if (j >= 4 - pad) {
        value = 0;
      } else {
        value = Base64Value(text[i + j]);
        if (value < 0) return std::nullopt;
      }
      v = (v << 6) | static_cast<uint32_t>(value);
    }
    out += static_cast<char>((v >> 16) & 0xff);
    if (pad < 2) out += static_cast<char>((v >> 8) & 0xff);
    if (pad < 1) out += static_cast<char>(v & 0xff);
  }
  // Canonical form only: re-encoding must give the same text (rejects stray bits in padding).
  if (Base64Encode(out) != text) return std::nullopt;
  return out;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string HmacSha256(std::string_view key, std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
  unsigned int length = 0;
  unsigned char* rc =
      HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(data.data()), data.size(), out.data(), &length);
  BOREALIS_CHECK(rc != nullptr, "HMAC failed");
  BOREALIS_CHECK_EQ(length, kScramKeySizeBytes);
  return std::string(reinterpret_cast<const char*>(out.data()), length);
}

std::string Sha256(std::string_view data) {
  std::array<unsigned char, SHA256_DIGEST_LENGTH> out{};
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), out.data());
  return std::string(reinterpret_cast<const char*>(out.data()), out.size());
}

std::string ScramSaltedPassword(std::string_view password, std::string_view salt, int iterations) {
  BOREALIS_CHECK(iterations > 0 && iterations <= kScramMaxIterations, iterations);
  std::string out(kScramKeySizeBytes, '\0');
  int rc =
      PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                        reinterpret_cast<const unsigned char*>(salt.data()),
                        static_cast<int>(salt.size()), iterations, EVP_sha256(),
                        static_cast<int>(out.size()), reinterpret_cast<unsigned char*>(out.data()));
  BOREALIS_CHECK(rc == 1, "PBKDF2 failed");
  return out;
}

ScramVerifier MakeScramVerifier(std::string_view password, std::string_view salt, int iterations) {
  std::string salted = ScramSaltedPassword(password, salt, iterations);
  ScramVerifier verifier;
  verifier.iterations = iterations;
  verifier.salt = std::string(salt);
  verifier.stored_key = Sha256(HmacSha256(salted, "Client Key"));
  verifier.server_key = HmacSha256(salted, "Server Key");
  return verifier;
}

bool PasswordMatchesVerifier(std::string_view password, const ScramVerifier& verifier) {
  ScramVerifier computed = MakeScramVerifier(password, verifier.salt, verifier.iterations);
  return ConstantTimeEquals(computed.stored_key, verifier.stored_key);
}

std::string ScramVerifier::ToString() const {
  return std::string(kScramSha256Name) + "$" + std::to_string(iterations) + ":" +
         Base64Encode(salt) + "$" + Base64Encode(stored_key) + ":" + Base64Encode(server_key);
}

Result<ScramVerifier> ScramVerifier::Parse(std::string_view text) {
  auto invalid = [] { return Status::InvalidArgument("invalid SCRAM-SHA-256 verifier"); };
  std::string prefix = std::string(kScramSha256Name) + "$";
  if (text.substr(0, prefix.size()) != prefix) return invalid();
  text.remove_prefix(prefix.size());
  size_t dollar = text.find('$');
  if (dollar == std::string_view::npos) return invalid();
  std::string_view params = text.substr(0, dollar);
  std::string_view keys = text.substr(dollar + 1);
  size_t colon = params.find(':');
  size_t key_colon = keys.find(':');
  if (colon == std::string_view::npos || key_colon == std::string_view::npos) return invalid();
  ScramVerifier verifier;
  std::string_view iterations = params.substr(0, colon);
  auto [end, ec] = std::from_chars(iterations.data(), iterations.data() + iterations.size(),
                                   verifier.iterations);
  if (ec != std::errc() || end != iterations.data() + iterations.size() ||
      verifier.iterations <= 0 || verifier.iterations > kScramMaxIterations) {
    return invalid();
  }
  auto salt = Base64Decode(params.substr(colon + 1));
  auto stored_key = Base64Decode(keys.substr(0, key_colon));
  auto server_key = Base64Decode(keys.substr(key_colon + 1));
  if (!salt || salt->empty() || !stored_key || stored_key->size() != kScramKeySizeBytes ||
      !server_key || server_key->size() != kScramKeySizeBytes) {
    return invalid();
  }
  verifier.salt = std::move(*salt);
  verifier.stored_key = std::move(*stored_key);
  verifier.server_key = std::move(*server_key);
  return verifier;
}

ScramServer::ScramServer(ScramVerifier verifier, bool role_exists, std::string server_nonce)
    : verifier_(std::move(verifier)),
      role_exists_(role_exists),
      server_nonce_(std::move(server_nonce)) {
  BOREALIS_CHECK(IsPrintableNonce(server_nonce_), "server nonce must be printable");
}

// client-first-message = gs2-header client-first-message-bare
// gs2-header = gs2-cbind-flag "," [ authzid ] ","
// client-first-message-bare = [reserved-mext ","] username "," nonce ["," extensions]
Result<std::string> ScramServer::HandleClientFirst(std::string_view message) {
  bool expected = state_ == State::kAwaitClientFirst;
  state_ = State::kDone;  // any failure ends the exchange
  if (!expected) return Malformed("unexpected client-first-message");
  if (message.size() > kScramMaxMessageSizeBytes) return Malformed("message too long");
  std::string_view rest = message;
  std::string_view flag = NextPart(rest);
  if (flag == "p" || flag.substr(0, 2) == "p=") {
    return Malformed("channel binding is not supported (SCRAM-SHA-256-PLUS was not offered)");
  }
  if (flag != "n" && flag != "y") return Malformed("invalid channel binding flag");
  if (rest.empty() && message.find(',') == std::string_view::npos) {
    return Malformed("missing authorization identity field");
  }
  std::string_view authzid = NextPart(rest);
  if (!authzid.empty()) return Malformed("authorization identities are not supported");
  gs2_header_ = std::string(message.substr(0, message.size() - rest.size()));
  if (gs2_header_.empty() || gs2_header_.back() != ',') return Malformed("truncated gs2 header");
  client_first_bare_ = std::string(rest);
  std::string_view user_part = NextPart(rest);
  if (user_part.substr(0, 2) == "m=") return Malformed("mandatory extensions are not supported");
  if (!Attribute(user_part, 'n')) return Malformed("expected username attribute");
  auto client_nonce = Attribute(NextPart(rest), 'r');
  if (!client_nonce || !IsPrintableNonce(*client_nonce)) return Malformed("invalid client nonce");
  combined_nonce_ = std::string(*client_nonce) + server_nonce_;
  server_first_ = "r=" + combined_nonce_ + ",s=" + Base64Encode(verifier_.salt) +
                  ",i=" + std::to_string(verifier_.iterations);
  state_ = State::kAwaitClientFinal;
  return server_first_;
}

// client-final-message = channel-binding "," nonce ["," extensions] "," proof
Result<std::string> ScramServer::HandleClientFinal(std::string_view message) {
  bool expected = state_ == State::kAwaitClientFinal;
  state_ = State::kDone;  // any failure ends the exchange
  if (!expected) return Malformed("unexpected client-final-message");
  if (message.size() > kScramMaxMessageSizeBytes) return Malformed("message too long");
  size_t proof_at = message.rfind(",p=");
  if (proof_at == std::string_view::npos) return Malformed("missing proof");
  std::string_view without_proof = message.substr(0, proof_at);
  std::string_view rest = without_proof;
  auto binding = Attribute(NextPart(rest), 'c');
  if (!binding) return Malformed("expected channel binding attribute");
  auto binding_bytes = Base64Decode(*binding);
  if (!binding_bytes || *binding_bytes != gs2_header_) {
    return Malformed("unexpected channel binding data");
  }
  auto nonce = Attribute(NextPart(rest), 'r');
  if (!nonce || *nonce != combined_nonce_) return Malformed("nonce does not match");
  auto proof = Base64Decode(message.substr(proof_at + 3));
  if (!proof || proof->size() != kScramKeySizeBytes) return Malformed("invalid proof encoding");

  std::string auth_message =
      client_first_bare_ + "," + server_first_ + "," + std::string(without_proof);
  std::string client_signature = HmacSha256(verifier_.stored_key, auth_message);
  std::string client_key = XorBytes(*proof, client_signature);
  bool proof_ok = ConstantTimeEquals(Sha256(client_key), verifier_.stored_key);
  if (!proof_ok || !role_exists_) return InvalidProof();
  return "v=" + Base64Encode(HmacSha256(verifier_.server_key, auth_message));
}

}  // namespace borealis::auth
