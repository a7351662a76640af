// The deterministic simulator: many nodes in one thread, virtual time, one seeded random
// stream, injected faults (FoundationDB-style simulation; TESTING.md layer 3).
//
// Contract:
// - Single-threaded: every method, and every callback of every simulated node, runs on the
//   thread that calls Step()/Run*(). Nothing reads the wall clock or the OS.
// - Determinism: the run is a pure function of SimulatorOptions (including the seed) and of
//   the calls the test makes. Events run in (virtual time, insertion order); every random
//   choice (message delay, loss, duplication, reordering, clock skew, disk crash outcomes, and
//   whatever nodes draw from env.random) comes from the one stream seeded with options.seed.
//   TraceHash() digests every executed event (time, node, kind, message bytes) and anything
//   passed to Trace(): two runs with the same seed produce the same hash.
// - Nodes: AddNode(endpoint, factory) creates the node's environment and calls factory(env) to
//   build its Process. Crash(endpoint) destroys the Process, drops its pending timers, the
//   messages not yet delivered to it, its clock state, and the disk's unsynced writes
//   (SimulatedDisk::Crash). Restart(endpoint) builds a fresh environment over the same disk
//   and calls the factory again. Messages already sent by a crashed node stay in flight.
//   Crash() must not be called from a callback of the node being crashed (its code would run
//   on a destroyed object); schedule it with Schedule() instead.
// - Network fault model (per message, at Send): dropped when the destination is unknown or the
//   link is blocked (Partition/Block) at send or at delivery time, or with loss_probability;
//   duplicated with duplicate_probability (each copy has its own delay); delayed uniformly in
//   [min_delay, max_delay]; delivered in send order on each directed link unless
//   reorder_probability lets it overtake earlier messages.
// - Clocks: node i's physical clock is virtual time plus a skew drawn uniformly from
//   [-max_clock_error, +max_clock_error] (changeable with SetClockSkew within that bound); its
//   HybridLogicalClock reports max_clock_error as its uncertainty, so the true (virtual) time
//   is always inside Clock::Interval().
// - Limits: at most kMaxPendingEvents queued events (CHECK-fails beyond: a runaway workload).
// - While a Simulator exists, a CHECK failure (abort) prints its seed to stderr first, so a
//   crash inside a simulated run names the seed that reproduces it.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <queue>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/clock.h"
#include "runtime/env.h"
#include "runtime/random.h"
#include "runtime/simulated_disk.h"

namespace borealis::runtime {

inline constexpr size_t kMaxPendingEvents = 10'000'000;

struct NetworkFaults {
  std::chrono::nanoseconds min_delay{std::chrono::microseconds(50)};
  std::chrono::nanoseconds max_delay{std::chrono::milliseconds(2)};
  double loss_probability = 0;
  double duplicate_probability = 0;
  double reorder_probability = 0;
};

struct SimulatorOptions {
  uint64_t seed = 1;
  Timestamp start_time_ns = 1'700'000'000'000'000'000;  // Nov 2023, so timestamps look real
  std::chrono::nanoseconds max_clock_error{0};
  NetworkFaults network;
  SimulatedDiskOptions disk;
};

// What a simulated node runs. The simulator owns it and destroys it on Crash().
class Process {
 public:
  virtual ~Process() = default;
};

using ProcessFactory = std::function<std::unique_ptr<Process>(const Env& env)>;

class Simulator {
 public:
  explicit Simulator(SimulatorOptions options);
  ~Simulator();
  Simulator(const Simulator&) = delete;
  Simulator& operator=(const Simulator&) = delete;

  uint64_t seed() const { return options_.seed; }
  // "seed=N; rerun with BOREALIS_SIM_SEED=N": print it when a simulated test fails.
  std::string ReproLine() const;

  Timestamp NowNs() const { return now_; }
  Random& random() { return random_; }

  // Nodes. The endpoint names the node on the simulated network.
  void AddNode(const std::string& endpoint, ProcessFactory factory);
  void Crash(const std::string& endpoint);
  void Restart(const std::string& endpoint);
  bool IsUp(const std::string& endpoint) const;
  // The node's Process, or null while it is down.
  Process* process(const std::string& endpoint);
  SimulatedDisk& disk(const std::string& endpoint);
  void SetClockSkew(const std::string& endpoint, std::chrono::nanoseconds skew);

  // Network faults. Block is one direction; Partition cuts both directions between the sides.
  NetworkFaults& network() { return options_.network; }
  void Block(const std::string& from, const std::string& to);
  void Partition(const std::vector<std::string>& side_a, const std::vector<std::string>& side_b);
  void HealAll();

  // A test-level event (nemesis actions, checks) at now + delay, not tied to any node.
  void Schedule(std::chrono::nanoseconds delay, std::function<void()> fn);

  // Runs the next event; false when none is pending.
  bool Step();
  // Runs every event due within `duration` and leaves virtual time at now + duration.
  void RunFor(std::chrono::nanoseconds duration);
  // Runs until done() holds (checked after each event), no event is left, or `limit` of
  // virtual time passes. Returns done().
  bool RunUntil(const std::function<bool()>& done, std::chrono::nanoseconds limit);

  // Mixes test-chosen facts into the trace hash.
  void Trace(std::string_view fact);
  uint64_t TraceHash() const { return trace_hash_; }
  uint64_t events_executed() const { return events_executed_; }
  uint64_t messages_delivered() const { return messages_delivered_; }
  uint64_t messages_dropped() const { return messages_dropped_; }

  class NodeTransport;
  class NodeScheduler;
  class NodePhysicalClock;

 private:
  struct Node;
  struct Event {
    Timestamp time = 0;
    uint64_t sequence = 0;
    int node = -1;  // -1: not tied to a node
    uint64_t incarnation = 0;
    uint64_t trace = 0;  // digest of what the event is, mixed into the trace when it runs
    std::function<void()> fn;
  };
  struct Later {
    bool operator()(const Event& a, const Event& b) const {
      return a.time != b.time ? a.time > b.time : a.sequence > b.sequence;
    }
  };

  Node& FindNode(const std::string& endpoint);
  const Node* FindNodeOrNull(const std::string& endpoint) const;
  void StartNode(Node& node);
  void Push(Timestamp time, int node, uint64_t trace, std::function<void()> fn);
  void SendMessage(int from, const std::string& to, std::string message);
  bool Blocked(const std::string& from, const std::string& to) const;
  void Mix(uint64_t value);

  SimulatorOptions options_;
  SeededRandom random_;
  Timestamp now_;
  uint64_t next_sequence_ = 0;
  std::priority_queue<Event, std::vector<Event>, Later> events_;
  std::vector<std::unique_ptr<Node>> nodes_;
  std::map<std::string, int> node_index_;
  std::set<std::pair<std::string, std::string>> blocked_;
  std::map<std::pair<int, int>, Timestamp> link_last_delivery_;  // FIFO per directed link
  int current_node_ = -1;  // the node whose callback is running
  uint64_t trace_hash_;
  uint64_t events_executed_ = 0;
  uint64_t messages_delivered_ = 0;
  uint64_t messages_dropped_ = 0;
};

// Seeds for a randomized simulation test: BOREALIS_SIM_SEED=N runs just N; otherwise `count`
// seeds from `first` (BOREALIS_SIM_SEEDS=M overrides the count).
std::vector<uint64_t> SimulationSeeds(uint64_t first, size_t count);

// FNV-1a over bytes, continuing from `hash`.
uint64_t HashBytes(uint64_t hash, std::string_view bytes);

}  // namespace borealis::runtime
