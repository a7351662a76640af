// A minimal SCRAM-SHA-256 client (RFC 5802 section 3) for tests: builds client-first and
// client-final messages and checks the server signature. Not for production use.
#pragma once

#include <string>
#include <string_view>

#include "auth/scram.h"

namespace borealis::auth::testing {

class ScramTestClient {
 public:
  ScramTestClient(std::string password, std::string client_nonce)
      : password_(std::move(password)), client_nonce_(std::move(client_nonce)) {}

  std::string ClientFirst() {
    client_first_bare_ = "n=,r=" + client_nonce_;
    return "n,," + client_first_bare_;
  }

  // Returns the client-final-message, or "" when server-first is unusable.
  std::string ClientFinal(std::string_view server_first) {
    std::string nonce, salt_b64;
    int iterations = 0;
    size_t start = 0;
    std::string text(server_first);
    while (start <= text.size()) {
      size_t comma = text.find(',', start);
      std::string part =
          text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      if (part.rfind("r=", 0) == 0) nonce = part.substr(2);
      if (part.rfind("s=", 0) == 0) salt_b64 = part.substr(2);
      if (part.rfind("i=", 0) == 0) iterations = std::stoi(part.substr(2));
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
    auto salt = Base64Decode(salt_b64);
    if (!salt || iterations <= 0) return "";
    std::string salted = ScramSaltedPassword(password_, *salt, iterations);
    std::string client_key = HmacSha256(salted, "Client Key");
    std::string stored_key = Sha256(client_key);
    server_key_ = HmacSha256(salted, "Server Key");
    std::string without_proof = "c=biws,r=" + nonce;
    auth_message_ = client_first_bare_ + "," + std::string(server_first) + "," + without_proof;
    std::string signature = HmacSha256(stored_key, auth_message_);
    std::string proof(client_key.size(), '\0');
    for (size_t i = 0; i < proof.size(); ++i) proof[i] = client_key[i] ^ signature[i];
    return without_proof + ",p=" + Base64Encode(proof);
  }

  bool VerifyServerFinal(std::string_view server_final) const {
    return server_final == "v=" + Base64Encode(HmacSha256(server_key_, auth_message_));
  }

 private:
  std::string password_;
  std::string client_nonce_;
  std::string client_first_bare_;
  std::string auth_message_;
  std::string server_key_;
};

}  // namespace borealis::auth::testing
