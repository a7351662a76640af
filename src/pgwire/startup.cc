#include "pgwire/startup.h"

#include <array>

namespace borealis::pgwire {
namespace {

constexpr int32_t kSupportedMinorVersion = 0;
constexpr std::string_view kProtocolOptionPrefix = "_pq_.";

}  // namespace

StartupMachine::StartupMachine(StartupOptions options, const auth::RoleStore& roles,
                               auth::RandomSource& random, BackendWriter& out)
    : options_(options), roles_(roles), random_(random), out_(out) {}

StartupAction StartupMachine::Fatal(const Status& status) {
  state_ = State::kDone;
  out_.ErrorResponse(status, Severity::kFatal);
  return StartupAction::kClose;
}

StartupAction StartupMachine::AuthenticationFailed() {
  const char* what = options_.auth_method == AuthMethod::kScramSha256 ||
                             options_.auth_method == AuthMethod::kPassword
                         ? "password"
                         : "authentication";
  return Fatal(Status::Sql("28P01", std::string(what) + " authentication failed for user \"" +
                                        session_options_.user + "\""));
}

void StartupMachine::OnTlsEstablished() {
  BOREALIS_CHECK(state_ == State::kAwaitTlsHandshake);
  tls_active_ = true;
  state_ = State::kAwaitStartup;
}

StartupAction StartupMachine::Step(const Frame& frame) {
  switch (state_) {
    case State::kAwaitStartup:
      return OnStartupFrame(frame);
    case State::kAwaitTlsHandshake:
    case State::kDone:
      return Fatal(ProtocolViolation("unexpected message during startup"));
    case State::kAwaitPassword:
    case State::kAwaitSaslInitial:
    case State::kAwaitSaslResponse:
      break;
  }
  if (frame.type == 'X') {
    state_ = State::kDone;
    return StartupAction::kClose;
  }
  if (frame.type != 'p') {
    return Fatal(ProtocolViolation("expected password response, got message type " +
                                   std::to_string(int(uint8_t(frame.type)))));
  }
  if (state_ == State::kAwaitPassword) return OnPassword(frame.body);
  if (state_ == State::kAwaitSaslInitial) return OnSaslInitial(frame.body);
  return OnSaslResponse(frame.body);
}

StartupAction StartupMachine::OnStartupFrame(const Frame& frame) {
  auto decoded = DecodeStartupFrame(frame);
  if (!decoded.ok()) return Fatal(decoded.status());
  FrontendMessage& message = *decoded;
  if (std::holds_alternative<SslRequest>(message)) {
    // A second SSLRequest (also after TLS is up) is a protocol violation, as in PostgreSQL.
    if (ssl_requested_) return Fatal(ProtocolViolation("duplicate SSLRequest"));
    ssl_requested_ = true;
    if (!options_.tls_available) {
      out_.RawByte('N');
      return StartupAction::kContinue;
    }
    out_.RawByte('S');
    state_ = State::kAwaitTlsHandshake;
    return StartupAction::kStartTls;
  }
  if (std::holds_alternative<GssEncRequest>(message)) {
    if (gss_requested_) return Fatal(ProtocolViolation("duplicate GSSENCRequest"));
    gss_requested_ = true;
    out_.RawByte('N');
    return StartupAction::kContinue;
  }
  if (auto* cancel = std::get_if<CancelRequest>(&message)) {
    cancel_request_ = *cancel;
    state_ = State::kDone;
    return StartupAction::kCancel;
  }
  return OnStartupMessage(std::move(std::get<StartupMessage>(message)));
}

StartupAction StartupMachine::OnStartupMessage(StartupMessage message) {
  int major = message.protocol_version >> 16;
  int minor = message.protocol_version & 0xffff;
  if (major != 3) {
    return Fatal(Status::Sql("0A000", "unsupported frontend protocol " + std::to_string(major) +
                                          "." + std::to_string(minor) +
                                          ": server supports 3.0 to 3.0"));
  }
  std::vector<std::string> unknown_options;
  for (auto& [name, value] : message.parameters) {
    if (name == "user") {
      session_options_.user = value;
    } else if (name == "database") {
      session_options_.database = value;
    } else if (name.rfind(kProtocolOptionPrefix, 0) == 0) {
      unknown_options.push_back(name);
    } else if (name == "replication") {
      if (value != "false" && value != "off" && value != "0" && value != "no") {
        return Fatal(Status::Sql("0A000", "replication connections are not supported"));
      }
    } else {
      session_options_.startup_parameters.emplace_back(name, value);
    }
  }
  if (session_options_.user.empty()) {
    return Fatal(Status::Sql("28000", "no PostgreSQL user name specified in startup packet"));
  }
  if (session_options_.database.empty()) session_options_.database = session_options_.user;
  if (minor > kSupportedMinorVersion || !unknown_options.empty()) {
    out_.NegotiateProtocolVersion(kProtocolVersion3 | kSupportedMinorVersion, unknown_options);
  }
  if (options_.too_many_connections) {
    return Fatal(Status::Sql("53300", "sorry, too many clients already"));
  }
  role_ = roles_.Find(session_options_.user);
  switch (options_.auth_method) {
    case AuthMethod::kTrust:
      return Authenticated();
    case AuthMethod::kPassword:
      if (!tls_active_) {
        return Fatal(Status::Sql("28000", "password authentication requires an SSL connection")
                         .WithHint("Connect with sslmode=require."));
      }
      out_.AuthenticationCleartextPassword();
      state_ = State::kAwaitPassword;
      return StartupAction::kContinue;
    case AuthMethod::kScramSha256: {
      std::array<std::string_view, 1> mechanisms = {auth::kScramSha256Name};
      out_.AuthenticationSasl(mechanisms);
      state_ = State::kAwaitSaslInitial;
      return StartupAction::kContinue;
    }
  }
  return Fatal(Status::Internal("unknown authentication method"));
}

StartupAction StartupMachine::OnPassword(std::string_view body) {
  auto password = DecodePasswordMessage(body);
  if (!password.ok()) return Fatal(password.status());
  if (password->empty()) {
    return Fatal(Status::Sql("28P01", "empty password returned by client"));
  }
  if (!role_ || !role_->has_password ||
      !auth::PasswordMatchesVerifier(*password, role_->verifier)) {
    return AuthenticationFailed();
  }
  return Authenticated();
}

StartupAction StartupMachine::OnSaslInitial(std::string_view body) {
  auto initial = DecodeSaslInitialResponse(body);
  if (!initial.ok()) return Fatal(initial.status());
  if (initial->mechanism != auth::kScramSha256Name) {
    return Fatal(ProtocolViolation("client selected an invalid SASL authentication mechanism"));
  }
  if (!initial->data) return Fatal(ProtocolViolation("malformed SCRAM message"));
  // A role without a password fails exactly like an unknown one (mock exchange).
  bool usable = role_ && role_->has_password;
  auth::ScramVerifier verifier =
      usable ? role_->verifier : roles_.MockVerifier(session_options_.user);
  std::string nonce = auth::Base64Encode(random_.Bytes(auth::kScramNonceSizeBytes));
  scram_ = std::make_unique<auth::ScramServer>(std::move(verifier), usable, std::move(nonce));
  auto server_first = scram_->HandleClientFirst(*initial->data);
  if (!server_first.ok()) return Fatal(server_first.status());
  out_.AuthenticationSaslContinue(*server_first);
  state_ = State::kAwaitSaslResponse;
  return StartupAction::kContinue;
}

StartupAction StartupMachine::OnSaslResponse(std::string_view body) {
  BOREALIS_CHECK(scram_ != nullptr);
  auto server_final = scram_->HandleClientFinal(body);
  if (!server_final.ok()) {
    if (server_final.status().sqlstate() == "28P01") return AuthenticationFailed();
    return Fatal(server_final.status());
  }
  out_.AuthenticationSaslFinal(*server_final);
  return Authenticated();
}

StartupAction StartupMachine::Authenticated() {
  state_ = State::kDone;
  session_options_.is_superuser = role_ && role_->superuser;
  out_.AuthenticationOk();
  // As PostgreSQL's InitializeSessionUserId: checked after authentication succeeded.
  if (role_ && !role_->login) {
    return Fatal(
        Status::Sql("28000", "role \"" + session_options_.user + "\" is not permitted to log in"));
  }
  return StartupAction::kAuthenticated;
}

}  // namespace borealis::pgwire
