// StartupMachine: the startup and authentication exchange of one connection, as a pure state
// machine (frames in -> backend messages out + one decision), so it can be tested with scripted
// frames and fuzzed. The connection coroutine only moves bytes and acts on the decisions.
//
// Flow (protocol 3.0, "Message Flow / Start-up"):
//   [SSLRequest -> 'S' (then TLS) | 'N'] [GSSENCRequest -> 'N'] StartupMessage
//   -> [NegotiateProtocolVersion] -> authentication request(s) -> AuthenticationOk (kAuthenticated)
//   CancelRequest -> kCancel (the connection closes without a reply).
// Authentication methods: kTrust (any user, no password; --insecure only), kScramSha256
// (default), kPassword (cleartext, refused unless the connection is encrypted). Failures end
// with a FATAL ErrorResponse and kClose; unknown roles fail exactly like wrong passwords (28P01).
//
// Ownership/threading: borrows the RoleStore (thread-safe), the RandomSource and the writer;
// one machine per connection, used by that connection's coroutine only.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "auth/random.h"
#include "auth/role_store.h"
#include "auth/scram.h"
#include "pgwire/encoder.h"
#include "pgwire/protocol.h"
#include "qp/session.h"

namespace borealis::pgwire {

enum class AuthMethod { kTrust, kScramSha256, kPassword };

struct StartupOptions {
  AuthMethod auth_method = AuthMethod::kScramSha256;
  bool tls_available = false;
  // Set when the server is over its connection limit: FATAL 53300 after the startup packet.
  bool too_many_connections = false;
};

enum class StartupAction {
  kContinue,       // send the output, read the next frame
  kStartTls,       // send the output ('S'), then run the TLS handshake and call OnTlsEstablished
  kCancel,         // close silently; cancel_request() says what to cancel
  kAuthenticated,  // send the output; session_options() is ready
  kClose,          // send the output (maybe a FATAL error) and close
};

class StartupMachine {
 public:
  StartupMachine(StartupOptions options, const auth::RoleStore& roles, auth::RandomSource& random,
                 BackendWriter& out);

  // Frames must be scanned with phase().
  StartupAction Step(const Frame& frame);
  void OnTlsEstablished();

  Phase phase() const { return state_ == State::kAwaitStartup ? Phase::kStartup : Phase::kTyped; }
  bool tls_active() const { return tls_active_; }
  // Valid after kAuthenticated (backend_pid is left to the server).
  const qp::SessionOptions& session_options() const { return session_options_; }
  // Valid after kCancel.
  const CancelRequest& cancel_request() const { return cancel_request_; }

 private:
  enum class State {
    kAwaitStartup,
    kAwaitTlsHandshake,
    kAwaitPassword,
    kAwaitSaslInitial,
    kAwaitSaslResponse,
    kDone,
  };

  StartupAction OnStartupFrame(const Frame& frame);
  StartupAction OnStartupMessage(StartupMessage message);
  StartupAction OnPassword(std::string_view body);
  StartupAction OnSaslInitial(std::string_view body);
  StartupAction OnSaslResponse(std::string_view body);
  StartupAction Authenticated();
  StartupAction Fatal(const Status& status);
  StartupAction AuthenticationFailed();

  StartupOptions options_;
  const auth::RoleStore& roles_;
  auth::RandomSource& random_;
  BackendWriter& out_;
  State state_ = State::kAwaitStartup;
  bool tls_active_ = false;
  bool ssl_requested_ = false;
  bool gss_requested_ = false;
  qp::SessionOptions session_options_;
  CancelRequest cancel_request_;
  std::optional<auth::Role> role_;
  std::unique_ptr<auth::ScramServer> scram_;
};

}  // namespace borealis::pgwire
