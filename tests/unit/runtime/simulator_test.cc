#include "runtime/simulator.h"

#include <gtest/gtest.h>

#include <map>

namespace borealis::runtime {
namespace {

std::unique_ptr<File> MustOpen(Disk& disk, const std::string& path, OpenMode mode) {
  auto file = disk.Open(path, mode);
  BOREALIS_CHECK(file.ok(), file.status().ToString());
  return std::move(file).value();
}

using namespace std::chrono_literals;

const std::vector<std::string> kNodes = {"n1:1", "n2:1", "n3:1"};

// A randomized ping-pong node: every few ms it pings a random peer; it answers pings with
// pongs, counts pongs, and now and then appends its count to a log file and syncs it.
class PingPong final : public Process {
 public:
  PingPong(Simulator* sim, const Env& env) : sim_(sim), env_(env) {
    env_.transport->SetHandler(
        [this](const std::string& from, std::string message) { OnMessage(from, message); });
    auto file = env_.disk->Open("log", OpenMode::kCreateIfMissing);
    BOREALIS_CHECK(file.ok());
    log_ = std::move(file).value();
    (void)env_.disk->SyncDir("");  // may fail: I/O errors are injected
    Arm();
  }

  int pongs = 0;

 private:
  void Arm() {
    env_.scheduler->After(std::chrono::microseconds(env_.random->Range(50, 1000)), [this] {
      const std::string& to = kNodes[env_.random->Uniform(kNodes.size())];
      env_.transport->Send(to, "ping " + std::to_string(env_.clock->Now()));
      Arm();
    });
  }
  void OnMessage(const std::string& from, const std::string& message) {
    sim_->Trace(env_.transport->LocalEndpoint() + "<-" + from + ":" + message);
    if (message.rfind("ping ", 0) == 0) {
      env_.clock->Update(std::stoull(message.substr(5)));
      env_.transport->Send(from, "pong " + std::to_string(env_.clock->Now()));
      return;
    }
    ++pongs;
    // Injected I/O errors are possible; a real core would handle them, this one ignores them.
    (void)log_->Append(std::to_string(pongs) + "\n");
    if (env_.random->Bernoulli(0.3)) (void)log_->Sync();
  }

  Simulator* sim_;
  Env env_;
  std::unique_ptr<File> log_;
};

SimulatorOptions FaultyOptions(uint64_t seed) {
  SimulatorOptions options;
  options.seed = seed;
  options.max_clock_error = 1ms;
  options.network.loss_probability = 0.05;
  options.network.duplicate_probability = 0.05;
  options.network.reorder_probability = 0.2;
  options.disk.io_error_probability = 0.01;
  return options;
}

// Runs the workload with a nemesis (crashes, restarts, partitions) and returns the trace hash.
uint64_t RunPingPong(uint64_t seed, uint64_t* events = nullptr) {
  Simulator sim(FaultyOptions(seed));
  for (const auto& endpoint : kNodes) {
    sim.AddNode(endpoint, [&sim](const Env& env) { return std::make_unique<PingPong>(&sim, env); });
  }
  for (int round = 0; round < 20; ++round) {
    sim.RunFor(std::chrono::microseconds(sim.random().Range(1000, 20000)));
    const std::string& victim = kNodes[sim.random().Uniform(kNodes.size())];
    switch (sim.random().Uniform(3)) {
      case 0:
        if (sim.IsUp(victim))
          sim.Crash(victim);
        else
          sim.Restart(victim);
        break;
      case 1:
        sim.Partition({victim}, kNodes);
        break;
      default:
        sim.HealAll();
    }
  }
  sim.HealAll();
  for (const auto& endpoint : kNodes) {
    if (!sim.IsUp(endpoint)) sim.Restart(endpoint);
  }
  sim.RunFor(50ms);
  if (events != nullptr) *events = sim.events_executed();
  return sim.TraceHash();
}

TEST(SimulatorTest, SameSeedSameRunDifferentSeedDifferentRun) {
  for (uint64_t seed : SimulationSeeds(1, 4)) {
    SCOPED_TRACE("simulation seed=" + std::to_string(seed));
    uint64_t events = 0;
    const uint64_t first = RunPingPong(seed, &events);
    EXPECT_GT(events, 1000u);
    EXPECT_EQ(first, RunPingPong(seed));
    EXPECT_NE(first, RunPingPong(seed + 1000));
  }
}

struct Recorder final : public Process {
  explicit Recorder(const Env& e) : env(e) {
    env.transport->SetHandler(
        [this](const std::string& from, std::string m) { received.push_back(from + ":" + m); });
  }
  Env env;
  std::vector<std::string> received;
};

Recorder* RecorderAt(Simulator& sim, const std::string& endpoint) {
  return static_cast<Recorder*>(sim.process(endpoint));
}

void AddRecorders(Simulator& sim) {
  for (const auto& endpoint : kNodes) {
    sim.AddNode(endpoint, [](const Env& env) { return std::make_unique<Recorder>(env); });
  }
}

TEST(SimulatorTest, CrashDropsPendingTimersAndUndeliveredMessages) {
  Simulator sim(SimulatorOptions{});
  AddRecorders(sim);
  int fired = 0;
  RecorderAt(sim, "n1:1")->env.scheduler->After(10ms, [&] { ++fired; });
  RecorderAt(sim, "n2:1")->env.transport->Send("n1:1", "in flight");
  sim.RunFor(10us);  // less than the minimum network delay
  sim.Crash("n1:1");
  EXPECT_EQ(sim.process("n1:1"), nullptr);
  sim.Restart("n1:1");
  sim.RunFor(20ms);
  EXPECT_EQ(fired, 0);
  EXPECT_TRUE(RecorderAt(sim, "n1:1")->received.empty());

  RecorderAt(sim, "n2:1")->env.transport->Send("n1:1", "after restart");
  sim.RunFor(5ms);
  EXPECT_EQ(RecorderAt(sim, "n1:1")->received, std::vector<std::string>{"n2:1:after restart"});
}

TEST(SimulatorTest, PartitionsBlockUntilHealed) {
  Simulator sim(SimulatorOptions{});
  AddRecorders(sim);
  sim.Partition({"n1:1"}, {"n2:1", "n3:1"});
  RecorderAt(sim, "n1:1")->env.transport->Send("n2:1", "blocked");
  RecorderAt(sim, "n3:1")->env.transport->Send("n1:1", "blocked");
  RecorderAt(sim, "n2:1")->env.transport->Send("n3:1", "fine");
  RecorderAt(sim, "n2:1")->env.transport->Send("nowhere:1", "unknown endpoint");
  sim.RunFor(5ms);
  EXPECT_TRUE(RecorderAt(sim, "n1:1")->received.empty());
  EXPECT_TRUE(RecorderAt(sim, "n2:1")->received.empty());
  EXPECT_EQ(RecorderAt(sim, "n3:1")->received.size(), 1u);
  EXPECT_EQ(sim.messages_dropped(), 3u);
  sim.HealAll();
  RecorderAt(sim, "n1:1")->env.transport->Send("n2:1", "healed");
  sim.RunFor(5ms);
  EXPECT_EQ(RecorderAt(sim, "n2:1")->received, std::vector<std::string>{"n1:1:healed"});
}

std::vector<int> SendNumbered(double reorder_probability) {
  SimulatorOptions options;
  options.network.reorder_probability = reorder_probability;
  Simulator sim(options);
  AddRecorders(sim);
  for (int i = 0; i < 200; ++i)
    RecorderAt(sim, "n1:1")->env.transport->Send("n2:1", std::to_string(i));
  sim.RunFor(10ms);
  std::vector<int> order;
  for (const auto& m : RecorderAt(sim, "n2:1")->received) order.push_back(std::stoi(m.substr(5)));
  return order;
}

TEST(SimulatorTest, LinksAreFifoUnlessReorderingIsInjected) {
  std::vector<int> fifo = SendNumbered(0);
  ASSERT_EQ(fifo.size(), 200u);
  EXPECT_TRUE(std::is_sorted(fifo.begin(), fifo.end()));
  std::vector<int> shuffled = SendNumbered(1);
  ASSERT_EQ(shuffled.size(), 200u);
  EXPECT_FALSE(std::is_sorted(shuffled.begin(), shuffled.end()));
}

TEST(SimulatorTest, LossAndDuplicationFollowTheirProbabilities) {
  SimulatorOptions options;
  options.network.loss_probability = 0.2;
  options.network.duplicate_probability = 0.2;
  Simulator sim(options);
  AddRecorders(sim);
  for (int i = 0; i < 1000; ++i) RecorderAt(sim, "n1:1")->env.transport->Send("n2:1", "m");
  sim.RunFor(10ms);
  const size_t received = RecorderAt(sim, "n2:1")->received.size();
  // Expected 1000 * 0.8 * 1.2 = 960.
  EXPECT_GT(received, 880u);
  EXPECT_LT(received, 1040u);
  EXPECT_GT(sim.messages_dropped(), 150u);
}

TEST(SimulatorTest, SkewedClocksStayWithinTheirUncertainty) {
  SimulatorOptions options;
  options.max_clock_error = 2ms;
  Simulator sim(options);
  AddRecorders(sim);
  sim.SetClockSkew("n3:1", -2ms);
  for (int step = 0; step < 50; ++step) {
    for (const auto& endpoint : kNodes) {
      const ClockInterval interval = RecorderAt(sim, endpoint)->env.clock->Interval();
      EXPECT_LE(interval.earliest, sim.NowNs());
      EXPECT_GE(interval.latest, sim.NowNs());
    }
    sim.RunFor(100us);
  }
}

TEST(SimulatorTest, CrashLosesUnsyncedDiskWritesOnly) {
  SimulatorOptions options;
  options.disk = SimulatedDiskOptions{0, 0, 0};
  Simulator sim(options);
  AddRecorders(sim);
  {
    Disk* disk = RecorderAt(sim, "n1:1")->env.disk;
    auto file = MustOpen(*disk, "state", OpenMode::kCreateNew);
    ASSERT_TRUE(disk->SyncDir("").ok());
    ASSERT_TRUE(file->Append("synced;").ok());
    ASSERT_TRUE(file->Sync().ok());
    ASSERT_TRUE(file->Append("unsynced;").ok());
  }
  sim.Crash("n1:1");
  sim.Restart("n1:1");
  auto file = MustOpen(*RecorderAt(sim, "n1:1")->env.disk, "state", OpenMode::kOpenExisting);
  EXPECT_EQ(*file->ReadAt(0, 100), "synced;");
}

TEST(SimulatorTest, ScheduleAndRunUntil) {
  Simulator sim(SimulatorOptions{});
  const Timestamp start = sim.NowNs();
  bool done = false;
  sim.Schedule(7ms, [&] { done = true; });
  EXPECT_TRUE(sim.RunUntil([&] { return done; }, 1s));
  EXPECT_EQ(sim.NowNs() - start, 7'000'000u);
  EXPECT_FALSE(sim.RunUntil([] { return false; }, 1s));
  EXPECT_NE(sim.ReproLine().find("BOREALIS_SIM_SEED=1"), std::string::npos);
}

TEST(SimulatorDeathTest, CheckFailureInsideASimulationPrintsTheSeed) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(
      {
        SimulatorOptions options;
        options.seed = 4242;
        Simulator sim(options);
        sim.Schedule(1ms, [] { BOREALIS_CHECK(false, "boom"); });
        sim.RunFor(2ms);
      },
      "BOREALIS_SIM_SEED=4242");
}

}  // namespace
}  // namespace borealis::runtime
