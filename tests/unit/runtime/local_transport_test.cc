// LocalTransport: in-process delivery through a LocalHub, TCP for everyone else.
#include "runtime/local_transport.h"

#include <gtest/gtest.h>

#include <asio/io_context.hpp>
#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace borealis::runtime {
namespace {

using namespace std::chrono_literals;
using Received = std::vector<std::pair<std::string, std::string>>;

bool RunUntil(asio::io_context& io, const std::function<bool()>& done,
              std::chrono::milliseconds guard = 5s) {
  const auto end = std::chrono::steady_clock::now() + guard;
  while (!done() && std::chrono::steady_clock::now() < end) {
    io.restart();
    io.run_for(1ms);
  }
  return done();
}

TEST(LocalTransportTest, PeersInTheHubExchangeWithoutSocketsInOrder) {
  asio::io_context io;
  LocalHub hub;
  LocalTransport a(io, {}, &hub);
  LocalTransport b(io, {}, &hub);
  ASSERT_TRUE(a.Start().ok());
  ASSERT_TRUE(b.Start().ok());
  Received at_a, at_b;
  a.SetHandler([&](const std::string& from, std::string m) { at_a.emplace_back(from, m); });
  b.SetHandler([&](const std::string& from, std::string m) { at_b.emplace_back(from, m); });
  for (int i = 0; i < 100; ++i) a.Send(b.LocalEndpoint(), "m" + std::to_string(i));
  b.SendGathered(a.LocalEndpoint(), std::make_shared<const std::string>("body"), "|trailer");
  ASSERT_TRUE(RunUntil(io, [&] { return at_b.size() == 100 && at_a.size() == 1; }));
  for (int i = 0; i < 100; ++i) {
    EXPECT_EQ(at_b[i].first, a.LocalEndpoint());
    EXPECT_EQ(at_b[i].second, "m" + std::to_string(i));
  }
  EXPECT_EQ(at_a[0], std::make_pair(b.LocalEndpoint(), std::string("body|trailer")));
  EXPECT_EQ(a.local_sent(), 100u);
  EXPECT_EQ(a.tcp_stats().sent, 0u);  // not one message went through a socket
  EXPECT_EQ(b.tcp_stats().received, 0u);
}

TEST(LocalTransportTest, PeersOutsideTheHubUseTcpBothWays) {
  asio::io_context io;
  LocalHub hub;
  LocalTransport local(io, {}, &hub);
  TcpTransport remote(io, {});  // another process, as far as the hub knows
  ASSERT_TRUE(local.Start().ok());
  ASSERT_TRUE(remote.Start().ok());
  Received at_local, at_remote;
  local.SetHandler([&](const std::string& from, std::string m) { at_local.emplace_back(from, m); });
  remote.SetHandler(
      [&](const std::string& from, std::string m) { at_remote.emplace_back(from, m); });
  local.Send(remote.LocalEndpoint(), "to remote");
  ASSERT_TRUE(RunUntil(io, [&] { return at_remote.size() == 1; }));
  remote.Send(at_remote[0].first, "reply");
  ASSERT_TRUE(RunUntil(io, [&] { return at_local.size() == 1; }));
  EXPECT_EQ(at_remote[0], std::make_pair(local.LocalEndpoint(), std::string("to remote")));
  EXPECT_EQ(at_local[0].second, "reply");
  EXPECT_EQ(local.local_sent(), 0u);
}

TEST(LocalTransportTest, MessagesToAStoppedPeerAreDroppedAndItsLoopMayGo) {
  LocalHub hub;
  asio::io_context io_a;
  LocalTransport a(io_a, {}, &hub);
  ASSERT_TRUE(a.Start().ok());
  std::string b_endpoint;
  int delivered = 0;
  {
    asio::io_context io_b;
    LocalTransport b(io_b, {}, &hub);
    ASSERT_TRUE(b.Start().ok());
    b_endpoint = b.LocalEndpoint();
    b.SetHandler([&](const std::string&, std::string) { ++delivered; });
    a.Send(b_endpoint, "queued, never run");
    b.Stop();  // leaves the hub: the queued message finds no handler
    io_b.run_for(10ms);
  }                                  // io_b destroyed: nothing may post to it any more
  a.Send(b_endpoint, "after stop");  // not local any more: TCP, which finds nobody listening
  io_a.run_for(20ms);
  EXPECT_EQ(delivered, 0);
  EXPECT_EQ(a.local_sent(), 1u);
}

TEST(LocalTransportTest, CrossThreadDeliveryRunsOnTheReceiversLoop) {
  LocalHub hub;
  asio::io_context io_a, io_b;
  LocalTransport a(io_a, {}, &hub);
  LocalTransport b(io_b, {}, &hub);
  ASSERT_TRUE(a.Start().ok());
  ASSERT_TRUE(b.Start().ok());
  constexpr int kMessages = 1000;
  std::thread::id b_thread;
  std::atomic<bool> ready{false};
  bool wrong_thread = false;
  int count = 0;
  b.SetHandler([&](const std::string&, std::string) {
    wrong_thread |= std::this_thread::get_id() != b_thread;
    ++count;
  });
  std::thread loop_b([&] {
    b_thread = std::this_thread::get_id();
    ready = true;
    RunUntil(io_b, [&] { return count == kMessages; });
  });
  while (!ready) std::this_thread::yield();
  for (int i = 0; i < kMessages; ++i) a.Send(b.LocalEndpoint(), "x");
  loop_b.join();
  EXPECT_EQ(count, kMessages);
  EXPECT_FALSE(wrong_thread);
}

}  // namespace
}  // namespace borealis::runtime
