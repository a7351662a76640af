// End-to-end: the real Server with a fake engine, driven by libpq and by raw sockets.
#include "pgwire/server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <filesystem>
#include <thread>

#include "fake_engine.h"
#include "pgwire/tls.h"
#include "wire_test_util.h"

namespace borealis::pgwire {
namespace {

using namespace testing;  // NOLINT

struct PgConnDeleter {
  void operator()(PGconn* c) const { PQfinish(c); }
};
struct PgResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using Conn = std::unique_ptr<PGconn, PgConnDeleter>;
using ResultPtr = std::unique_ptr<PGresult, PgResultDeleter>;

std::string SqlState(const PGresult* result) {
  const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
  return state ? state : "";
}

// A running server on 127.0.0.1:<free port> with its own thread.
class TestServer {
 public:
  TestServer(AuthMethod method, bool tls, size_t max_connections = 100) {
    dir_ = ::testing::TempDir() + "/borealis_pgwire_" + std::to_string(::getpid()) + "_" +
           std::to_string(counter_++);
    std::filesystem::create_directories(dir_);
    auto store = auth::RoleStore::Open(std::make_unique<auth::MemoryBlobStorage>(), random_);
    BOREALIS_CHECK(store.ok());
    roles_ = std::move(store).value();
    BOREALIS_CHECK(roles_->CreateRole("alice", "secret", true).ok());
    ServerOptions options;
    options.port = 0;
    options.io_threads = 2;
    options.auth_method = method;
    options.max_connections = max_connections;
    options.max_message_size_bytes = 1 << 20;
    if (tls) {
      options.tls_cert_file = dir_ + "/server.crt";
      options.tls_key_file = dir_ + "/server.key";
      BOREALIS_CHECK(
          EnsureSelfSignedCertificate(options.tls_cert_file, options.tls_key_file, "test").ok());
    }
    server_ = std::make_unique<Server>(options, engine_, *roles_, random_);
    Status started = server_->Start();
    BOREALIS_CHECK(started.ok(), started.ToString());
    thread_ = std::thread([this] { server_->Run(); });
  }
  ~TestServer() {
    server_->Stop();
    thread_.join();
    server_.reset();
    std::filesystem::remove_all(dir_);
  }
  uint16_t port() const { return server_->port(); }
  Server& server() { return *server_; }

  Conn Connect(const std::string& extra) {
    std::string info = "host=127.0.0.1 port=" + std::to_string(port()) +
                       " dbname=postgres connect_timeout=5 " + extra;
    return Conn(PQconnectdb(info.c_str()));
  }

 private:
  static inline int counter_ = 0;
  std::string dir_;
  auth::OpenSslRandomSource random_;
  std::unique_ptr<auth::RoleStore> roles_;
  FakeEngine engine_;
  std::unique_ptr<Server> server_;
  std::thread thread_;
};

// A blocking raw socket speaking bytes to the server.
class RawClient {
 public:
  explicit RawClient(uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    timeval timeout{5, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  }
  ~RawClient() { ::close(fd_); }
  bool connected() const { return connected_; }
  void Send(const std::string& bytes) {
    ASSERT_EQ(::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL), ssize_t(bytes.size()));
  }
  // Reads messages until one of type `until` arrives or the peer closes. Sets closed().
  std::vector<BackendMessage> ReadUntil(char until) {
    std::vector<BackendMessage> out;
    for (;;) {
      auto messages = SplitBackend(pending_);
      size_t consumed = 0;
      for (auto& m : messages) {
        consumed += 5 + m.body.size();
        out.push_back(m);
        if (m.type == until) break;
      }
      pending_.erase(0, consumed);
      if (!out.empty() && out.back().type == until) return out;
      char buf[4096];
      ssize_t n = ::recv(fd_, buf, sizeof(buf), 0);
      if (n <= 0) {
        closed_ = true;
        return out;
      }
      pending_.append(buf, size_t(n));
    }
  }
  bool closed() const { return closed_; }
  void Login(const std::string& user) {
    Send(StartupPacket({{"user", user}, {"database", "postgres"}}));
    auto messages = ReadUntil('Z');
    ASSERT_FALSE(messages.empty());
    ASSERT_EQ(messages.back().type, 'Z') << Types(messages);
  }

 private:
  int fd_ = -1;
  bool connected_ = false;
  bool closed_ = false;
  std::string pending_;
};

TEST(ServerTest, LibpqScramOverTls) {
  TestServer server(AuthMethod::kScramSha256, /*tls=*/true);
  Conn conn = server.Connect("user=alice password=secret sslmode=require");
  ASSERT_EQ(PQstatus(conn.get()), CONNECTION_OK) << PQerrorMessage(conn.get());
  EXPECT_EQ(PQsslInUse(conn.get()), 1);
  EXPECT_STREQ(PQparameterStatus(conn.get(), "server_version"), "15.0");
  EXPECT_GT(PQbackendPID(conn.get()), 0);

  ResultPtr result(PQexec(conn.get(), "SELECT 1"));
  ASSERT_EQ(PQresultStatus(result.get()), PGRES_TUPLES_OK);
  EXPECT_STREQ(PQgetvalue(result.get(), 0, 0), "1");
  EXPECT_EQ(PQftype(result.get(), 0), 23u);

  const char* values[] = {"hello"};
  result.reset(PQexecParams(conn.get(), "SELECT $1", 1, nullptr, values, nullptr, nullptr, 0));
  ASSERT_EQ(PQresultStatus(result.get()), PGRES_TUPLES_OK) << PQerrorMessage(conn.get());
  EXPECT_STREQ(PQgetvalue(result.get(), 0, 0), "hello");

  result.reset(PQprepare(conn.get(), "s1", "SELECT $1", 1, nullptr));
  ASSERT_EQ(PQresultStatus(result.get()), PGRES_COMMAND_OK);
  result.reset(PQexecPrepared(conn.get(), "s1", 1, values, nullptr, nullptr, 0));
  EXPECT_STREQ(PQgetvalue(result.get(), 0, 0), "hello");
  result.reset(PQprepare(conn.get(), "s1", "SELECT 1", 0, nullptr));
  EXPECT_EQ(SqlState(result.get()), "42P05");
  result.reset(PQexec(conn.get(), "bogus"));
  EXPECT_EQ(SqlState(result.get()), "42601");
  result.reset(PQexec(conn.get(), "SET application_name = demo"));
  EXPECT_STREQ(PQparameterStatus(conn.get(), "application_name"), "demo");
  result.reset(PQexec(conn.get(), ""));
  EXPECT_EQ(PQresultStatus(result.get()), PGRES_EMPTY_QUERY);
  result.reset(PQexec(conn.get(), "BEGIN"));
  EXPECT_EQ(PQtransactionStatus(conn.get()), PQTRANS_INTRANS);
  result.reset(PQexec(conn.get(), "COMMIT"));
  EXPECT_EQ(PQtransactionStatus(conn.get()), PQTRANS_IDLE);
}

// Messages larger than a TLS record (16 KiB) both ways, and results larger than the flush
// threshold: OpenSSL reads and writes the socket in several records and partial writes.
TEST(ServerTest, LargeMessagesOverTls) {
  TestServer server(AuthMethod::kScramSha256, /*tls=*/true);
  Conn conn = server.Connect("user=alice password=secret sslmode=require");
  ASSERT_EQ(PQstatus(conn.get()), CONNECTION_OK) << PQerrorMessage(conn.get());
  ASSERT_EQ(PQsslInUse(conn.get()), 1);
  std::string big(512 << 10, 'x');  // the test server accepts messages up to 1 MiB
  for (size_t i = 0; i < big.size(); i += 4099) big[i] = static_cast<char>('a' + i % 26);
  const char* values[] = {big.c_str()};
  ResultPtr result(PQexecParams(conn.get(), "SELECT $1", 1, nullptr, values, nullptr, nullptr, 0));
  ASSERT_EQ(PQresultStatus(result.get()), PGRES_TUPLES_OK) << PQerrorMessage(conn.get());
  EXPECT_EQ(std::string(PQgetvalue(result.get(), 0, 0)), big);
  result.reset(PQexec(conn.get(), "GENERATE 50000"));
  ASSERT_EQ(PQresultStatus(result.get()), PGRES_TUPLES_OK) << PQerrorMessage(conn.get());
  EXPECT_EQ(PQntuples(result.get()), 50000);
  EXPECT_STREQ(PQgetvalue(result.get(), 49999, 0), "50000");
  result.reset(PQexec(conn.get(), "SELECT 1"));
  EXPECT_STREQ(PQgetvalue(result.get(), 0, 0), "1");
}

TEST(ServerTest, LibpqMultiStatementAndPipeline) {
  TestServer server(AuthMethod::kScramSha256, /*tls=*/true);
  Conn conn = server.Connect("user=alice password=secret sslmode=require");
  ASSERT_EQ(PQstatus(conn.get()), CONNECTION_OK) << PQerrorMessage(conn.get());
  ASSERT_EQ(PQsendQuery(conn.get(), "SELECT 1; GENERATE 3; FAIL; SELECT 1"), 1);
  std::vector<std::pair<ExecStatusType, int>> results;
  while (PGresult* r = PQgetResult(conn.get())) {
    results.emplace_back(PQresultStatus(r), PQntuples(r));
    PQclear(r);
  }
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[1].second, 3);
  EXPECT_EQ(results[2].first, PGRES_FATAL_ERROR);

  ASSERT_EQ(PQenterPipelineMode(conn.get()), 1);
  const char* values[] = {"a"};
  for (int i = 0; i < 3; ++i) {
    ASSERT_EQ(PQsendQueryParams(conn.get(), "SELECT $1", 1, nullptr, values, nullptr, nullptr, 0),
              1);
  }
  ASSERT_EQ(PQpipelineSync(conn.get()), 1);
  int tuples = 0;
  int syncs = 0;
  while (syncs == 0) {
    PGresult* r = PQgetResult(conn.get());
    if (r == nullptr) continue;
    if (PQresultStatus(r) == PGRES_TUPLES_OK) ++tuples;
    if (PQresultStatus(r) == PGRES_PIPELINE_SYNC) ++syncs;
    PQclear(r);
  }
  EXPECT_EQ(tuples, 3);
  EXPECT_EQ(PQexitPipelineMode(conn.get()), 1);
}

TEST(ServerTest, LibpqAuthenticationFailures) {
  TestServer server(AuthMethod::kScramSha256, /*tls=*/true);
  Conn wrong = server.Connect("user=alice password=nope sslmode=require");
  EXPECT_EQ(PQstatus(wrong.get()), CONNECTION_BAD);
  EXPECT_NE(std::string(PQerrorMessage(wrong.get()))
                .find("password authentication failed for user \"alice\""),
            std::string::npos)
      << PQerrorMessage(wrong.get());
  Conn unknown = server.Connect("user=bob password=secret sslmode=require");
  EXPECT_NE(std::string(PQerrorMessage(unknown.get()))
                .find("password authentication failed for user \"bob\""),
            std::string::npos);
}

TEST(ServerTest, LibpqCleartextOverTls) {
  TestServer server(AuthMethod::kPassword, /*tls=*/true);
  Conn conn = server.Connect("user=alice password=secret sslmode=require");
  ASSERT_EQ(PQstatus(conn.get()), CONNECTION_OK) << PQerrorMessage(conn.get());
  Conn plain = server.Connect("user=alice password=secret sslmode=disable");
  EXPECT_EQ(PQstatus(plain.get()), CONNECTION_BAD);
}

TEST(ServerTest, CancelRequest) {
  TestServer server(AuthMethod::kTrust, /*tls=*/false);
  Conn conn = server.Connect("user=anyone sslmode=prefer");
  ASSERT_EQ(PQstatus(conn.get()), CONNECTION_OK) << PQerrorMessage(conn.get());
  EXPECT_EQ(PQsslInUse(conn.get()), 0);
  ASSERT_EQ(PQsendQuery(conn.get(), "SLEEP"), 1);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  PGcancel* cancel = PQgetCancel(conn.get());
  char error[256];
  EXPECT_EQ(PQcancel(cancel, error, sizeof(error)), 1) << error;
  PQfreeCancel(cancel);
  auto start = std::chrono::steady_clock::now();
  ResultPtr result(PQgetResult(conn.get()));
  EXPECT_EQ(SqlState(result.get()), "57014");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  while (PGresult* r = PQgetResult(conn.get())) PQclear(r);
  result.reset(PQexec(conn.get(), "SELECT 1"));
  EXPECT_EQ(PQresultStatus(result.get()), PGRES_TUPLES_OK);
}

TEST(ServerTest, MalformedMessageClosesOnlyThatConnection) {
  TestServer server(AuthMethod::kTrust, /*tls=*/false);
  RawClient good(server.port());
  RawClient bad(server.port());
  ASSERT_TRUE(good.connected() && bad.connected());
  good.Login("u1");
  bad.Login("u2");
  bad.Send(std::string("Q\0\0\0\x02", 5));  // length below 4
  auto messages = bad.ReadUntil('Z');
  ASSERT_EQ(Types(messages), "E");
  EXPECT_EQ(ErrorField(messages[0].body, 'C'), "08P01");
  EXPECT_EQ(ErrorField(messages[0].body, 'S'), "FATAL");
  EXPECT_TRUE(bad.closed());

  good.Send(QueryMessage("SELECT 1"));
  EXPECT_EQ(Types(good.ReadUntil('Z')), "TDCZ");
}

TEST(ServerTest, GarbageAndTruncatedInputAtStartup) {
  TestServer server(AuthMethod::kTrust, /*tls=*/false);
  {
    RawClient http(server.port());
    http.Send("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    auto messages = http.ReadUntil('Z');
    ASSERT_EQ(Types(messages), "E");
    EXPECT_EQ(ErrorField(messages[0].body, 'C'), "08P01");
    EXPECT_TRUE(http.closed());
  }
  {
    RawClient partial(server.port());
    partial.Login("u");
    partial.Send(std::string("Q\0\0\0\x40SELE", 9));  // then disconnect mid-message
  }
  {
    RawClient oversized(server.port());
    oversized.Login("u");
    std::string header = "Q";
    PutInt32(header, 2 << 20);  // above the 1 MiB limit of this server
    oversized.Send(header);
    auto messages = oversized.ReadUntil('Z');
    ASSERT_EQ(Types(messages), "E");
    EXPECT_EQ(ErrorField(messages[0].body, 'C'), "08P01");
  }
  RawClient after(server.port());
  after.Login("u");
  after.Send(QueryMessage("SELECT 1"));
  EXPECT_EQ(Types(after.ReadUntil('Z')), "TDCZ");
  // Every closed connection is released.
  for (int i = 0; i < 200 && server.server().connection_count() != 1; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(server.server().connection_count(), 1u);
}

TEST(ServerTest, TooManyConnections) {
  TestServer server(AuthMethod::kTrust, /*tls=*/false, /*max_connections=*/2);
  RawClient first(server.port());
  RawClient second(server.port());
  first.Login("a");
  second.Login("b");
  RawClient third(server.port());
  third.Send(StartupPacket({{"user", "c"}}));
  auto messages = third.ReadUntil('Z');
  ASSERT_EQ(Types(messages), "E");
  EXPECT_EQ(ErrorField(messages[0].body, 'C'), "53300");
  EXPECT_EQ(ErrorField(messages[0].body, 'M'), "sorry, too many clients already");
  EXPECT_TRUE(third.closed());
}

TEST(ServerTest, PipelinedRawMessagesAnsweredInOrder) {
  TestServer server(AuthMethod::kTrust, /*tls=*/false);
  RawClient client(server.port());
  client.Login("u");
  client.Send(ParseMessage("", "GENERATE 3") + BindMessage("", "") + ExecuteMessage("", 2) +
              ExecuteMessage("", 2) + SyncMessage() + QueryMessage("SELECT 1"));
  auto first = client.ReadUntil('Z');
  EXPECT_EQ(Types(first), "12DDsDCZ");
  EXPECT_EQ(Types(client.ReadUntil('Z')), "TDCZ");
}

}  // namespace
}  // namespace borealis::pgwire
