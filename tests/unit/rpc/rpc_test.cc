#include <gtest/gtest.h>

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/read.hpp>
#include <asio/steady_timer.hpp>
#include <asio/write.hpp>
#include <optional>

#include "rpc/client.h"
#include "rpc/frame.h"
#include "rpc/in_process_channel.h"
#include "rpc/server.h"
#include "rpc/testing/echo_service.h"
#include "runtime/random.h"

namespace borealis::rpc {
namespace {

using namespace std::chrono_literals;
using testing::EchoRequest;
using testing::EchoResponse;
using testing::EchoService;

// Runs the io_context until done() or a wall-clock guard expires.
bool RunUntil(asio::io_context& io, const std::function<bool()>& done,
              std::chrono::milliseconds guard = 5s) {
  const auto end = std::chrono::steady_clock::now() + guard;
  while (!done() && std::chrono::steady_clock::now() < end) {
    io.restart();
    io.run_for(1ms);
  }
  return done();
}

using Outcome = std::shared_ptr<std::optional<Result<EchoResponse>>>;

asio::awaitable<void> CallInto(Outcome out, Channel* channel, std::string method,
                               EchoRequest request, CallOptions options) {
  out->emplace(
      co_await CallMethod<EchoResponse>(*channel, std::move(method), std::move(request), options));
}

// Starts a call; its outcome lands in the returned optional when it completes.
std::shared_ptr<std::optional<Result<EchoResponse>>> Start(asio::io_context& io, Channel& channel,
                                                           std::string method, EchoRequest request,
                                                           CallOptions options = {}) {
  auto out = std::make_shared<std::optional<Result<EchoResponse>>>();
  asio::co_spawn(io, CallInto(out, &channel, std::move(method), std::move(request), options),
                 asio::detached);
  return out;
}

Result<EchoResponse> CallAndWait(asio::io_context& io, Channel& channel, std::string method,
                                 EchoRequest request, CallOptions options = {}) {
  auto out = Start(io, channel, std::move(method), std::move(request), options);
  BOREALIS_CHECK(RunUntil(io, [&] { return out->has_value(); }), "call did not complete");
  return std::move(**out);
}

EchoRequest Payload(std::string payload, uint32_t sleep_ms = 0) {
  EchoRequest request;
  request.set_payload(std::move(payload));
  request.set_sleep_ms(sleep_ms);
  return request;
}

// Every behavioural test runs over loopback TCP and over the in-process channel.
class RpcTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    service_.RegisterWith(registry_);
    if (GetParam()) {
      server_ = std::make_unique<Server>(io_.get_executor(), &registry_, ServerOptions{});
      ASSERT_TRUE(server_->Start().ok());
      ClientOptions options;
      options.max_in_flight = 4;
      client_ = std::make_unique<Client>(io_.get_executor(), server_->LocalEndpoint(), options);
      channel_ = client_.get();
    } else {
      in_process_ = std::make_unique<InProcessChannel>(io_.get_executor(), &registry_, 4);
      channel_ = in_process_.get();
    }
  }
  void TearDown() override {
    client_.reset();
    server_.reset();
    io_.restart();
    io_.run_for(5ms);  // let the spawned coroutines see the closed sockets and finish
  }

  asio::io_context io_;
  EchoService service_{io_.get_executor()};
  ServiceRegistry registry_;
  std::unique_ptr<Server> server_;
  std::unique_ptr<Client> client_;
  std::unique_ptr<InProcessChannel> in_process_;
  Channel* channel_ = nullptr;
};

TEST_P(RpcTest, EchoRoundTrips) {
  auto result = CallAndWait(io_, *channel_, "Echo/Echo", Payload("hello"));
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->payload(), "hello");
  const std::string big(1 << 20, 'b');
  result = CallAndWait(io_, *channel_, "Echo/Echo", Payload(big));
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->payload(), big);
}

TEST_P(RpcTest, ErrorsComeBackAsStatuses) {
  auto unknown = CallAndWait(io_, *channel_, "Echo/Nope", Payload("x"));
  EXPECT_EQ(unknown.status().code(), Code::kNotFound);
  EchoRequest fail;
  fail.set_error_code(static_cast<uint32_t>(Code::kAborted));
  auto failed = CallAndWait(io_, *channel_, "Echo/Fail", fail);
  EXPECT_EQ(failed.status().code(), Code::kAborted);
  EXPECT_EQ(failed.status().message(), "requested failure");
}

TEST_P(RpcTest, DeadlineExpiresAndTheHandlerIsTold) {
  CallOptions options;
  options.timeout = 20ms;
  const auto start = std::chrono::steady_clock::now();
  auto result = CallAndWait(io_, *channel_, "Echo/Sleep", Payload("x", 5000), options);
  EXPECT_EQ(result.status().code(), Code::kDeadlineExceeded);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
  EXPECT_TRUE(RunUntil(io_, [&] { return service_.sleeps_cancelled == 1; }));
}

TEST_P(RpcTest, CancellationCompletesTheCallAndReachesTheHandler) {
  CancelToken token;
  CallOptions options;
  options.cancel = &token;
  auto out = Start(io_, *channel_, "Echo/Sleep", Payload("x", 5000), options);
  ASSERT_TRUE(RunUntil(io_, [&] { return service_.sleeps_started == 1; }));
  EXPECT_FALSE(out->has_value());
  token.Cancel();
  ASSERT_TRUE(RunUntil(io_, [&] { return out->has_value(); }));
  EXPECT_EQ((*out)->status().code(), Code::kCancelled);
  EXPECT_TRUE(RunUntil(io_, [&] { return service_.sleeps_cancelled == 1; }));
  // A token that already fired cancels new calls at once.
  EXPECT_EQ(CallAndWait(io_, *channel_, "Echo/Echo", Payload("x"), options).status().code(),
            Code::kCancelled);
}

TEST_P(RpcTest, InFlightLimitRejectsTheExtraCall) {
  CancelToken token;
  CallOptions options;
  options.cancel = &token;
  std::vector<std::shared_ptr<std::optional<Result<EchoResponse>>>> sleeping;
  for (int i = 0; i < 4; ++i) {
    sleeping.push_back(Start(io_, *channel_, "Echo/Sleep", Payload("x", 5000), options));
  }
  auto extra = CallAndWait(io_, *channel_, "Echo/Echo", Payload("x"));
  EXPECT_EQ(extra.status().code(), Code::kResourceExhausted);
  token.Cancel();
  ASSERT_TRUE(RunUntil(io_, [&] {
    return std::all_of(sleeping.begin(), sleeping.end(), [](auto& s) { return s->has_value(); });
  }));
  // Capacity is back once they are done.
  EXPECT_TRUE(CallAndWait(io_, *channel_, "Echo/Echo", Payload("x")).ok());
}

INSTANTIATE_TEST_SUITE_P(Channels, RpcTest, ::testing::Values(true, false),
                         [](const auto& info) { return info.param ? "Tcp" : "InProcess"; });

class RpcTcpTest : public ::testing::Test {
 protected:
  void SetUp() override { service_.RegisterWith(registry_); }
  void TearDown() override {
    io_.restart();
    io_.run_for(5ms);
  }
  asio::io_context io_;
  EchoService service_{io_.get_executor()};
  ServiceRegistry registry_;
};

TEST_F(RpcTcpTest, ManyOutstandingCallsShareOneConnection) {
  Server server(io_.get_executor(), &registry_, {});
  ASSERT_TRUE(server.Start().ok());
  Client client(io_.get_executor(), server.LocalEndpoint());
  std::vector<std::shared_ptr<std::optional<Result<EchoResponse>>>> calls;
  for (int i = 0; i < 200; ++i) {
    calls.push_back(Start(io_, client, "Echo/Echo", Payload(std::to_string(i))));
  }
  ASSERT_TRUE(RunUntil(io_, [&] {
    return std::all_of(calls.begin(), calls.end(), [](auto& c) { return c->has_value(); });
  }));
  for (int i = 0; i < 200; ++i) {
    ASSERT_TRUE((*calls[i])->ok());
    EXPECT_EQ((**calls[i])->payload(), std::to_string(i));
  }
  EXPECT_EQ(client.stats().connects, 1u);
  EXPECT_EQ(server.stats().calls, 200u);
}

TEST_F(RpcTcpTest, ClientReconnectsAfterServerRestart) {
  auto server = std::make_unique<Server>(io_.get_executor(), &registry_, ServerOptions{});
  ASSERT_TRUE(server->Start().ok());
  const std::string endpoint = server->LocalEndpoint();
  Client client(io_.get_executor(), endpoint);
  ASSERT_TRUE(CallAndWait(io_, client, "Echo/Echo", Payload("before")).ok());

  server.reset();  // Stop(): listener and connections closed
  auto down = CallAndWait(io_, client, "Echo/Echo", Payload("while down"));
  EXPECT_EQ(down.status().code(), Code::kUnavailable) << down.status().ToString();

  ServerOptions same_port;
  same_port.listen_endpoint = endpoint;
  server = std::make_unique<Server>(io_.get_executor(), &registry_, same_port);
  ASSERT_TRUE(server->Start().ok());
  auto after = CallAndWait(io_, client, "Echo/Echo", Payload("after"));
  ASSERT_TRUE(after.ok()) << after.status().ToString();
  EXPECT_EQ(after->payload(), "after");
  EXPECT_EQ(client.stats().connects, 2u);
}

TEST_F(RpcTcpTest, ConnectFailureIsUnavailable) {
  Client client(io_.get_executor(), "127.0.0.1:1");  // nothing listens on port 1
  EXPECT_EQ(CallAndWait(io_, client, "Echo/Echo", Payload("x")).status().code(),
            Code::kUnavailable);
  Client bad(io_.get_executor(), "no-port");
  EXPECT_EQ(CallAndWait(io_, bad, "Echo/Echo", Payload("x")).status().code(),
            Code::kInvalidArgument);
}

// Sends raw bytes on a fresh connection and reports whether the server closed it.
bool ServerClosesAfter(asio::io_context& io, const std::string& endpoint,
                       const std::string& bytes) {
  using asio::ip::tcp;
  const auto port = static_cast<uint16_t>(std::stoi(endpoint.substr(endpoint.rfind(':') + 1)));
  tcp::socket socket(io);
  socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  asio::write(socket, asio::buffer(bytes));
  bool closed = false;
  char byte;
  socket.async_read_some(asio::buffer(&byte, 1),
                         [&](const std::error_code& error, size_t) { closed = bool(error); });
  return RunUntil(
      io, [&] { return closed; }, 2s);
}

TEST_F(RpcTcpTest, MalformedFramesCloseTheConnectionNotTheServer) {
  ServerOptions options;
  options.max_frame_bytes = 1 << 16;
  Server server(io_.get_executor(), &registry_, options);
  ASSERT_TRUE(server.Start().ok());
  const std::string endpoint = server.LocalEndpoint();
  // Oversized length prefix.
  EXPECT_TRUE(ServerClosesAfter(io_, endpoint, std::string("\xff\xff\xff\xff", 4)));
  // Header length beyond the frame.
  EXPECT_TRUE(ServerClosesAfter(io_, endpoint, std::string("\0\0\0\x06\0\0\x10\0ab", 10)));
  // Garbage header.
  EXPECT_TRUE(
      ServerClosesAfter(io_, endpoint, std::string("\0\0\0\x08\0\0\0\x04\xff\xff\xff\xff", 12)));
  // A response sent to the server.
  FrameHeader response;
  response.set_kind(FrameHeader::RESPONSE);
  EXPECT_TRUE(ServerClosesAfter(io_, endpoint, EncodeFrame(response, "x")));
  EXPECT_EQ(server.stats().malformed_frames, 4u);
  // The server still serves well-formed clients.
  Client client(io_.get_executor(), endpoint);
  EXPECT_TRUE(CallAndWait(io_, client, "Echo/Echo", Payload("still here")).ok());
}

TEST(FrameTest, EncodeDecodeRoundTripAndGarbageNeverCrashes) {
  FrameHeader header;
  header.set_kind(FrameHeader::REQUEST);
  header.set_request_id(42);
  header.set_method("Echo/Echo");
  header.set_timeout_ns(123);
  const std::string frame = EncodeFrame(header, "payload");
  auto decoded = DecodeFrame(std::string_view(frame).substr(kFrameLengthBytes));
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(decoded->header.request_id(), 42u);
  EXPECT_EQ(decoded->header.method(), "Echo/Echo");
  EXPECT_EQ(decoded->header.timeout_ns(), 123u);
  EXPECT_EQ(decoded->payload, "payload");

  runtime::SeededRandom random(5);
  for (int i = 0; i < 20000; ++i) {
    std::string body = frame.substr(kFrameLengthBytes);
    const int flips = 1 + static_cast<int>(random.Uniform(4));
    for (int f = 0; f < flips; ++f)
      body[random.Uniform(body.size())] = static_cast<char>(random.Next());
    body.resize(random.Uniform(body.size() + 1));
    (void)DecodeFrame(body);  // must not crash
  }
}

}  // namespace
}  // namespace borealis::rpc
