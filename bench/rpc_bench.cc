// RPC layer benchmark: loopback round-trip latency (one outstanding call) and throughput (many
// outstanding calls on one connection). The server runs on its own thread and io_context; the
// client runs on the benchmark thread. Not a test: nothing here is timed by CI.
#include <benchmark/benchmark.h>

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/executor_work_guard.hpp>
#include <asio/io_context.hpp>
#include <thread>

#include "rpc/client.h"
#include "rpc/in_process_channel.h"
#include "rpc/server.h"
#include "rpc/testing/echo_service.h"

namespace borealis::rpc {
namespace {

using testing::EchoRequest;
using testing::EchoResponse;

constexpr size_t kPayloadBytes = 64;

struct ServerThread {
  ServerThread() : service(io.get_executor()), guard(asio::make_work_guard(io)) {
    service.RegisterWith(registry);
    server = std::make_unique<Server>(io.get_executor(), &registry, ServerOptions{});
    BOREALIS_CHECK(server->Start().ok());
    thread = std::thread([this] { io.run(); });
  }
  ~ServerThread() {
    asio::post(io, [this] { server->Stop(); });
    guard.reset();
    io.stop();
    thread.join();
  }
  asio::io_context io;
  testing::EchoService service;
  ServiceRegistry registry;
  std::unique_ptr<Server> server;
  asio::executor_work_guard<asio::io_context::executor_type> guard;
  std::thread thread;
};

asio::awaitable<void> CallOnce(Channel* channel, int* remaining, int* failures) {
  EchoRequest request;
  request.set_payload(std::string(kPayloadBytes, 'p'));
  auto result = co_await CallMethod<EchoResponse>(*channel, "Echo/Echo", std::move(request));
  if (!result.ok()) ++*failures;
  --*remaining;
}

// Issues `depth` concurrent calls per iteration and waits for all of them.
void RunCalls(benchmark::State& state, asio::io_context& io, Channel& channel, int depth) {
  int failures = 0;
  for (auto _ : state) {
    int remaining = depth;
    for (int i = 0; i < depth; ++i) {
      asio::co_spawn(io, CallOnce(&channel, &remaining, &failures), asio::detached);
    }
    while (remaining > 0) io.run_one();
  }
  state.SetItemsProcessed(state.iterations() * depth);
  state.counters["failures"] = failures;
}

void BM_TcpEcho(benchmark::State& state) {
  ServerThread server;
  asio::io_context io;
  auto guard = asio::make_work_guard(io);
  Client client(io.get_executor(), server.server->LocalEndpoint());
  RunCalls(state, io, client, static_cast<int>(state.range(0)));
  client.Close();
  io.run_for(std::chrono::milliseconds(5));
}
BENCHMARK(BM_TcpEcho)->ArgName("outstanding")->Arg(1)->Arg(16)->Arg(128)->UseRealTime();

void BM_InProcessEcho(benchmark::State& state) {
  asio::io_context io;
  auto guard = asio::make_work_guard(io);
  testing::EchoService service(io.get_executor());
  ServiceRegistry registry;
  service.RegisterWith(registry);
  InProcessChannel channel(io.get_executor(), &registry);
  RunCalls(state, io, channel, static_cast<int>(state.range(0)));
}
BENCHMARK(BM_InProcessEcho)->ArgName("outstanding")->Arg(1)->Arg(128)->UseRealTime();

}  // namespace
}  // namespace borealis::rpc

BENCHMARK_MAIN();
