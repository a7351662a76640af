#include "pgwire/startup.h"

#include <gtest/gtest.h>

#include "auth/scram_test_client.h"
#include "wire_test_util.h"

namespace borealis::pgwire {
namespace {

using namespace testing;  // NOLINT

class FixedRandom final : public auth::RandomSource {
 public:
  std::string Bytes(size_t n) override { return std::string(n, 'r'); }
};

class StartupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = auth::RoleStore::Open(std::make_unique<auth::MemoryBlobStorage>(), random_);
    ASSERT_TRUE(store.ok());
    roles_ = std::move(store).value();
    ASSERT_TRUE(roles_->CreateRole("alice", "secret", true).ok());
  }

  StartupAction Feed(StartupMachine& machine, const std::string& bytes) {
    auto scan = ScanFrame(bytes, machine.phase(), kDefaultMaxMessageSizeBytes);
    if (!scan.ok()) return StartupAction::kClose;
    EXPECT_TRUE(scan->frame.has_value());
    return machine.Step(*scan->frame);
  }

  std::string SaslInitial(const std::string& data) {
    std::string body;
    PutString(body, "SCRAM-SHA-256");
    PutInt32(body, static_cast<int32_t>(data.size()));
    body += data;
    return Typed('p', body);
  }

  // Runs a SCRAM login; returns the last action and leaves the output in out_.
  StartupAction ScramLogin(const std::string& user, const std::string& password) {
    StartupMachine machine({AuthMethod::kScramSha256, false, false}, *roles_, random_, out_);
    EXPECT_EQ(Feed(machine, StartupPacket({{"user", user}})), StartupAction::kContinue);
    auth::testing::ScramTestClient client(password, "cnonce");
    EXPECT_EQ(Feed(machine, SaslInitial(client.ClientFirst())), StartupAction::kContinue);
    auto messages = SplitBackend(out_.data());
    EXPECT_EQ(Types(messages), "RR");
    std::string server_first = messages[1].body.substr(4);
    out_.Clear();
    StartupAction action = Feed(machine, Typed('p', client.ClientFinal(server_first)));
    if (action == StartupAction::kAuthenticated) {
      auto final_messages = SplitBackend(out_.data());
      EXPECT_EQ(Types(final_messages), "RR");
      EXPECT_TRUE(client.VerifyServerFinal(final_messages[0].body.substr(4)));
      EXPECT_EQ(machine.session_options().user, user);
      EXPECT_EQ(machine.session_options().database, user);
      EXPECT_TRUE(machine.session_options().is_superuser);
    }
    return action;
  }

  FixedRandom random_;
  std::unique_ptr<auth::RoleStore> roles_;
  BackendWriter out_;
};

TEST_F(StartupTest, ScramSuccess) {
  EXPECT_EQ(ScramLogin("alice", "secret"), StartupAction::kAuthenticated);
}

TEST_F(StartupTest, ScramWrongPasswordAndUnknownRoleLookTheSame) {
  EXPECT_EQ(ScramLogin("alice", "wrong"), StartupAction::kClose);
  auto wrong = SplitBackend(out_.data());
  ASSERT_EQ(Types(wrong), "E");
  EXPECT_EQ(ErrorField(wrong[0].body, 'S'), "FATAL");
  EXPECT_EQ(ErrorField(wrong[0].body, 'C'), "28P01");
  EXPECT_EQ(ErrorField(wrong[0].body, 'M'), "password authentication failed for user \"alice\"");
  out_.Clear();
  EXPECT_EQ(ScramLogin("nobody", "secret"), StartupAction::kClose);
  auto unknown = SplitBackend(out_.data());
  ASSERT_EQ(Types(unknown), "E");
  EXPECT_EQ(ErrorField(unknown[0].body, 'M'), "password authentication failed for user \"nobody\"");
}

// Roles from CREATE ROLE (qp/roles.h): NOLOGIN authenticates, then fails with 28000 as in
// PostgreSQL; a role without a password fails exactly like an unknown role.
TEST_F(StartupTest, NoLoginAndPasswordlessRoles) {
  auth::RoleOptions locked;
  locked.password = std::optional<std::string>("pw");  // CREATE ROLE: NOLOGIN by default
  ASSERT_TRUE(roles_->CreateRole("locked", locked).ok());
  auth::RoleOptions no_password;
  no_password.login = true;
  ASSERT_TRUE(roles_->CreateRole("nopw", no_password).ok());

  EXPECT_EQ(ScramLogin("locked", "pw"), StartupAction::kClose);
  auto refused = SplitBackend(out_.data());
  ASSERT_EQ(Types(refused), "RRE");  // SASLFinal, AuthenticationOk, then the error
  EXPECT_EQ(ErrorField(refused[2].body, 'S'), "FATAL");
  EXPECT_EQ(ErrorField(refused[2].body, 'C'), "28000");
  EXPECT_EQ(ErrorField(refused[2].body, 'M'), "role \"locked\" is not permitted to log in");
  out_.Clear();
  EXPECT_EQ(ScramLogin("locked", "wrong"), StartupAction::kClose);
  EXPECT_EQ(ErrorField(SplitBackend(out_.data())[0].body, 'C'), "28P01");
  out_.Clear();
  EXPECT_EQ(ScramLogin("nopw", ""), StartupAction::kClose);
  auto no_password_error = SplitBackend(out_.data());
  ASSERT_EQ(Types(no_password_error), "E");
  EXPECT_EQ(ErrorField(no_password_error[0].body, 'M'),
            "password authentication failed for user \"nopw\"");
  out_.Clear();
  StartupMachine trust({AuthMethod::kTrust, false, false}, *roles_, random_, out_);
  EXPECT_EQ(Feed(trust, StartupPacket({{"user", "locked"}})), StartupAction::kClose);
  EXPECT_EQ(ErrorField(SplitBackend(out_.data()).back().body, 'C'), "28000");
}

TEST_F(StartupTest, SslThenStartupWithTrust) {
  StartupMachine machine({AuthMethod::kTrust, true, false}, *roles_, random_, out_);
  EXPECT_EQ(Feed(machine, Untyped(kGssEncRequestCode, "")), StartupAction::kContinue);
  EXPECT_EQ(Feed(machine, Untyped(kSslRequestCode, "")), StartupAction::kStartTls);
  EXPECT_EQ(out_.data(), "NS");
  out_.Clear();
  machine.OnTlsEstablished();
  EXPECT_TRUE(machine.tls_active());
  EXPECT_EQ(Feed(machine, Untyped(kSslRequestCode, "")), StartupAction::kClose);
}

TEST_F(StartupTest, TrustAcceptsAnyUserAndKeepsParameters) {
  StartupMachine machine({AuthMethod::kTrust, false, false}, *roles_, random_, out_);
  EXPECT_EQ(Feed(machine, Untyped(kSslRequestCode, "")), StartupAction::kContinue);
  EXPECT_EQ(out_.data(), "N");
  out_.Clear();
  EXPECT_EQ(Feed(machine, StartupPacket({{"user", "x"},
                                         {"database", "postgres"},
                                         {"application_name", "psql"},
                                         {"_pq_.foo", "1"}})),
            StartupAction::kAuthenticated);
  EXPECT_EQ(Types(SplitBackend(out_.data())), "vR");
  ASSERT_EQ(machine.session_options().startup_parameters.size(), 1u);
  EXPECT_EQ(machine.session_options().startup_parameters[0].first, "application_name");
  EXPECT_FALSE(machine.session_options().is_superuser);
}

TEST_F(StartupTest, CleartextRequiresTls) {
  StartupMachine plain({AuthMethod::kPassword, true, false}, *roles_, random_, out_);
  EXPECT_EQ(Feed(plain, StartupPacket({{"user", "alice"}})), StartupAction::kClose);
  out_.Clear();
  StartupMachine tls({AuthMethod::kPassword, true, false}, *roles_, random_, out_);
  EXPECT_EQ(Feed(tls, Untyped(kSslRequestCode, "")), StartupAction::kStartTls);
  tls.OnTlsEstablished();
  out_.Clear();
  EXPECT_EQ(Feed(tls, StartupPacket({{"user", "alice"}})), StartupAction::kContinue);
  EXPECT_EQ(Types(SplitBackend(out_.data())), "R");
  std::string body;
  PutString(body, "secret");
  EXPECT_EQ(Feed(tls, Typed('p', body)), StartupAction::kAuthenticated);
}

TEST_F(StartupTest, ErrorsAreFatal) {
  struct Case {
    std::string bytes;
    std::string sqlstate;
  };
  std::vector<Case> cases = {
      {StartupPacket({{"database", "x"}}), "28000"},
      {StartupPacket({{"user", "x"}}, 2 << 16), "0A000"},
      {StartupPacket({{"user", "x"}, {"replication", "true"}}), "0A000"},
      {Untyped(kProtocolVersion3, "garbage"), "08P01"},
  };
  for (const Case& c : cases) {
    out_.Clear();
    StartupMachine machine({AuthMethod::kTrust, false, false}, *roles_, random_, out_);
    EXPECT_EQ(Feed(machine, c.bytes), StartupAction::kClose);
    auto messages = SplitBackend(out_.data());
    ASSERT_EQ(Types(messages), "E");
    EXPECT_EQ(ErrorField(messages[0].body, 'C'), c.sqlstate);
    EXPECT_EQ(ErrorField(messages[0].body, 'S'), "FATAL");
  }
}

TEST_F(StartupTest, TooManyConnections) {
  StartupMachine machine({AuthMethod::kTrust, false, true}, *roles_, random_, out_);
  EXPECT_EQ(Feed(machine, StartupPacket({{"user", "x"}})), StartupAction::kClose);
  auto messages = SplitBackend(out_.data());
  ASSERT_EQ(Types(messages), "E");
  EXPECT_EQ(ErrorField(messages[0].body, 'C'), "53300");
  EXPECT_EQ(ErrorField(messages[0].body, 'M'), "sorry, too many clients already");
}

TEST_F(StartupTest, CancelRequest) {
  StartupMachine machine({AuthMethod::kScramSha256, false, false}, *roles_, random_, out_);
  std::string body;
  PutInt32(body, 5);
  PutInt32(body, 6);
  EXPECT_EQ(Feed(machine, Untyped(kCancelRequestCode, body)), StartupAction::kCancel);
  EXPECT_EQ(machine.cancel_request().pid, 5);
  EXPECT_EQ(machine.cancel_request().secret, 6);
  EXPECT_TRUE(out_.empty());
}

TEST_F(StartupTest, WrongMessageDuringSasl) {
  StartupMachine machine({AuthMethod::kScramSha256, false, false}, *roles_, random_, out_);
  EXPECT_EQ(Feed(machine, StartupPacket({{"user", "alice"}})), StartupAction::kContinue);
  out_.Clear();
  EXPECT_EQ(Feed(machine, QueryMessage("SELECT 1")), StartupAction::kClose);
  EXPECT_EQ(ErrorField(SplitBackend(out_.data())[0].body, 'C'), "08P01");
  out_.Clear();
  StartupMachine other({AuthMethod::kScramSha256, false, false}, *roles_, random_, out_);
  EXPECT_EQ(Feed(other, StartupPacket({{"user", "alice"}})), StartupAction::kContinue);
  std::string body;
  PutString(body, "PLAIN");
  PutInt32(body, -1);
  EXPECT_EQ(Feed(other, Typed('p', body)), StartupAction::kClose);
}

}  // namespace
}  // namespace borealis::pgwire
