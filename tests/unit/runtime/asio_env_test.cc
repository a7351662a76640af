// The production bindings: AsioScheduler and TcpTransport on loopback.
#include <gtest/gtest.h>

#include <asio/io_context.hpp>
#include <chrono>
#include <vector>

#include "runtime/env.h"
#include "runtime/scheduler.h"
#include "runtime/tcp_transport.h"

namespace borealis::runtime {
namespace {

using namespace std::chrono_literals;

// Runs the io_context until done() or a generous wall-clock guard expires.
bool RunUntil(asio::io_context& io, const std::function<bool()>& done,
              std::chrono::milliseconds guard = 5s) {
  const auto end = std::chrono::steady_clock::now() + guard;
  while (!done() && std::chrono::steady_clock::now() < end) {
    io.restart();
    io.run_for(1ms);
  }
  return done();
}

TEST(AsioSchedulerTest, TimersFireInOrderAndCancelWorks) {
  asio::io_context io;
  AsioScheduler scheduler(io);
  std::vector<int> fired;
  scheduler.After(3ms, [&] { fired.push_back(3); });
  scheduler.After(1ms, [&] { fired.push_back(1); });
  const TimerId cancelled = scheduler.After(2ms, [&] { fired.push_back(2); });
  scheduler.Post([&] { fired.push_back(0); });
  EXPECT_TRUE(scheduler.Cancel(cancelled));
  EXPECT_FALSE(scheduler.Cancel(cancelled));
  ASSERT_TRUE(RunUntil(io, [&] { return fired.size() == 3; }));
  EXPECT_EQ(fired, (std::vector<int>{0, 1, 3}));
  EXPECT_EQ(scheduler.pending(), 0u);
}

TEST(AsioSchedulerTest, DestroyingTheSchedulerCancelsPendingTimers) {
  asio::io_context io;
  bool fired = false;
  {
    AsioScheduler scheduler(io);
    scheduler.After(1ms, [&] { fired = true; });
    scheduler.Post([&] { fired = true; });
  }
  io.run_for(5ms);
  EXPECT_FALSE(fired);
}

TEST(ParseEndpointTest, AcceptsHostPortRejectsGarbage) {
  auto parsed = ParseEndpoint("127.0.0.1:5432");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->first, "127.0.0.1");
  EXPECT_EQ(parsed->second, 5432);
  EXPECT_EQ(ParseEndpoint("[::1]:80")->first, "::1");
  EXPECT_FALSE(ParseEndpoint("localhost").ok());
  EXPECT_FALSE(ParseEndpoint("h:99999").ok());
  EXPECT_FALSE(ParseEndpoint("h:1x").ok());
  EXPECT_FALSE(ParseEndpoint(":1").ok());
}

struct Received {
  std::string from;
  std::string message;
};

TEST(TcpTransportTest, ExchangesMessagesInOrderBothWays) {
  asio::io_context io;
  TcpTransport a(io, {});
  TcpTransport b(io, {});
  ASSERT_TRUE(a.Start().ok());
  ASSERT_TRUE(b.Start().ok());
  std::vector<Received> at_a;
  std::vector<Received> at_b;
  a.SetHandler([&](const std::string& from, std::string m) { at_a.push_back({from, m}); });
  b.SetHandler([&](const std::string& from, std::string m) {
    at_b.push_back({from, m});
    b.Send(from, "re:" + m);
  });
  constexpr int kMessages = 1000;
  for (int i = 0; i < kMessages; ++i) a.Send(b.LocalEndpoint(), std::to_string(i));
  a.Send(b.LocalEndpoint(), std::string(100'000, 'x'));  // larger than one socket buffer read
  ASSERT_TRUE(RunUntil(io, [&] { return at_a.size() == kMessages + 1; }));
  for (int i = 0; i < kMessages; ++i) {
    EXPECT_EQ(at_b[i].message, std::to_string(i));
    EXPECT_EQ(at_b[i].from, a.LocalEndpoint());
    EXPECT_EQ(at_a[i].message, "re:" + std::to_string(i));
    EXPECT_EQ(at_a[i].from, b.LocalEndpoint());
  }
  EXPECT_EQ(at_b.back().message.size(), 100'000u);
  EXPECT_EQ(a.stats().sent, kMessages + 1u);
  EXPECT_EQ(a.stats().connects, 1u);
}

// SendGathered writes a shared body and a trailer as one message, body first, and leaves the
// body to its owner (who may send it again).
TEST(TcpTransportTest, SendsGatheredMessagesWithoutTakingTheBody) {
  asio::io_context io;
  TcpTransport a(io, {});
  TcpTransport b(io, {});
  ASSERT_TRUE(a.Start().ok());
  ASSERT_TRUE(b.Start().ok());
  std::vector<std::string> at_b;
  b.SetHandler([&](const std::string&, std::string m) { at_b.push_back(std::move(m)); });
  auto body = std::make_shared<const std::string>(std::string(300'000, 'b'));
  a.SendGathered(b.LocalEndpoint(), body, "trailer-1");
  a.Send(b.LocalEndpoint(), "plain");
  a.SendGathered(b.LocalEndpoint(), body, "trailer-2");
  a.SendGathered(b.LocalEndpoint(), nullptr, "no body");
  ASSERT_TRUE(RunUntil(io, [&] { return at_b.size() == 4; }));
  EXPECT_EQ(at_b[0], *body + "trailer-1");
  EXPECT_EQ(at_b[1], "plain");
  EXPECT_EQ(at_b[2], *body + "trailer-2");
  EXPECT_EQ(at_b[3], "no body");
  EXPECT_EQ(body->size(), 300'000u);
}

TEST(TcpTransportTest, ReconnectsAfterThePeerRestarts) {
  asio::io_context io;
  TcpTransport a(io, {});
  ASSERT_TRUE(a.Start().ok());
  auto b = std::make_unique<TcpTransport>(io, TcpTransportOptions{});
  ASSERT_TRUE(b->Start().ok());
  const std::string b_endpoint = b->LocalEndpoint();
  int received = 0;
  b->SetHandler([&](const std::string&, std::string) { ++received; });
  a.Send(b_endpoint, "one");
  ASSERT_TRUE(RunUntil(io, [&] { return received == 1; }));

  b.reset();  // the peer goes away; its port is free again
  io.restart();
  io.run_for(5ms);
  TcpTransportOptions same_port;
  same_port.listen_endpoint = b_endpoint;
  b = std::make_unique<TcpTransport>(io, same_port);
  ASSERT_TRUE(b->Start().ok());
  int received_after_restart = 0;
  b->SetHandler([&](const std::string&, std::string) { ++received_after_restart; });
  // Best effort: the first sends may die with the old connection; keep sending until one lands.
  ASSERT_TRUE(RunUntil(io, [&] {
    if (received_after_restart == 0) a.Send(b_endpoint, "again");
    return received_after_restart > 0;
  }));
  EXPECT_GE(a.stats().connects, 2u);
}

TEST(TcpTransportTest, OversizedAndMalformedInputIsDroppedNotFatal) {
  asio::io_context io;
  TcpTransportOptions small;
  small.max_message_bytes = 16;
  TcpTransport a(io, small);
  TcpTransport b(io, small);
  ASSERT_TRUE(a.Start().ok());
  ASSERT_TRUE(b.Start().ok());
  int received = 0;
  b.SetHandler([&](const std::string&, std::string) { ++received; });
  a.Send(b.LocalEndpoint(), std::string(17, 'x'));
  EXPECT_EQ(a.stats().dropped_oversized, 1u);
  a.Send(b.LocalEndpoint(), "ok");
  ASSERT_TRUE(RunUntil(io, [&] { return received == 1; }));
}

TEST(ProductionEnvTest, BindsEverything) {
  asio::io_context io;
  ProductionEnv production(io, {});
  ASSERT_TRUE(production.Start().ok());
  Env env = production.env();
  EXPECT_GT(env.clock->Now(), 1'600'000'000'000'000'000u);
  EXPECT_NE(env.transport->LocalEndpoint().find("127.0.0.1:"), std::string::npos);
  bool fired = false;
  env.scheduler->After(1ms, [&] { fired = true; });
  ASSERT_TRUE(RunUntil(io, [&] { return fired; }));
}

}  // namespace
}  // namespace borealis::runtime
