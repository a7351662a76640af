#include "runtime/simulator.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "common/check.h"

namespace borealis::runtime {
namespace {

constexpr uint64_t kFnvOffset = 14695981039346656037ull;
constexpr uint64_t kFnvPrime = 1099511628211ull;

// Printing the seed from a SIGABRT handler: a handler can only reach process-wide state, so
// this is the one global of the runtime. It holds the repro line of the newest live
// Simulator; the handler writes it and returns, and abort() then terminates as usual.
char g_abort_note[128];
volatile sig_atomic_t g_abort_note_length = 0;
bool g_abort_handler_installed = false;

void PrintSeedOnAbort(int /*signal*/) {
  const sig_atomic_t length = g_abort_note_length;
  if (length > 0) {
    ssize_t ignored = ::write(STDERR_FILENO, g_abort_note, static_cast<size_t>(length));
    (void)ignored;
  }
}

void SetAbortNote(const std::string& note) {
  if (!g_abort_handler_installed) {
    struct sigaction action;
    std::memset(&action, 0, sizeof(action));
    action.sa_handler = PrintSeedOnAbort;
    sigemptyset(&action.sa_mask);
    ::sigaction(SIGABRT, &action, nullptr);
    g_abort_handler_installed = true;
  }
  g_abort_note_length = 0;
  const size_t length = std::min(note.size(), sizeof(g_abort_note));
  std::memcpy(g_abort_note, note.data(), length);
  g_abort_note_length = static_cast<sig_atomic_t>(length);
}

}  // namespace

uint64_t HashBytes(uint64_t hash, std::string_view bytes) {
  for (const char c : bytes) {
    hash ^= static_cast<unsigned char>(c);
    hash *= kFnvPrime;
  }
  return hash;
}

std::vector<uint64_t> SimulationSeeds(uint64_t first, size_t count) {
  if (const char* one = std::getenv("BOREALIS_SIM_SEED")) {
    return {std::strtoull(one, nullptr, 10)};
  }
  if (const char* many = std::getenv("BOREALIS_SIM_SEEDS")) {
    count = std::strtoull(many, nullptr, 10);
  }
  std::vector<uint64_t> seeds;
  for (size_t i = 0; i < count; ++i) seeds.push_back(first + i);
  return seeds;
}

class Simulator::NodePhysicalClock final : public PhysicalClock {
 public:
  NodePhysicalClock(const Simulator* sim, const std::chrono::nanoseconds* skew)
      : sim_(sim), skew_(skew) {}
  Timestamp NowNs() const override {
    return static_cast<Timestamp>(static_cast<int64_t>(sim_->now_) + skew_->count());
  }

 private:
  const Simulator* sim_;
  const std::chrono::nanoseconds* skew_;
};

class Simulator::NodeTransport final : public Transport {
 public:
  NodeTransport(Simulator* sim, int node, std::string endpoint)
      : sim_(sim), node_(node), endpoint_(std::move(endpoint)) {}
  const std::string& LocalEndpoint() const override { return endpoint_; }
  void SetHandler(MessageHandler handler) override { handler_ = std::move(handler); }
  void Send(const std::string& to, std::string message) override {
    sim_->SendMessage(node_, to, std::move(message));
  }
  void Deliver(const std::string& from, std::string message) {
    if (handler_) handler_(from, std::move(message));
  }

 private:
  Simulator* sim_;
  const int node_;
  const std::string endpoint_;
  MessageHandler handler_;
};

class Simulator::NodeScheduler final : public Scheduler {
 public:
  NodeScheduler(Simulator* sim, int node) : sim_(sim), node_(node) {}

  TimerId After(std::chrono::nanoseconds delay, std::function<void()> fn) override {
    BOREALIS_CHECK(live_.size() < kMaxPendingTimers, live_.size());
    BOREALIS_CHECK(delay.count() >= 0, delay.count());
    const TimerId id = next_id_++;
    live_.insert(id);
    sim_->Push(sim_->now_ + static_cast<Timestamp>(delay.count()), node_,
               HashBytes(kFnvOffset, "timer"), [this, id, fn = std::move(fn)] {
                 if (live_.erase(id) > 0) fn();
               });
    return id;
  }
  bool Cancel(TimerId id) override { return live_.erase(id) > 0; }
  void Post(std::function<void()> fn) override {
    sim_->Push(sim_->now_, node_, HashBytes(kFnvOffset, "post"), std::move(fn));
  }
  std::chrono::nanoseconds MonotonicNow() const override {
    return std::chrono::nanoseconds(sim_->now_);
  }

 private:
  Simulator* sim_;
  const int node_;
  TimerId next_id_ = 1;
  std::set<TimerId> live_;
};

struct Simulator::Node {
  int index = 0;
  std::string endpoint;
  ProcessFactory factory;
  bool up = false;
  uint64_t incarnation = 0;
  std::chrono::nanoseconds skew{0};
  std::unique_ptr<SimulatedDisk> disk;
  std::unique_ptr<NodePhysicalClock> physical;
  std::unique_ptr<HybridLogicalClock> clock;
  std::unique_ptr<NodeTransport> transport;
  std::unique_ptr<NodeScheduler> scheduler;
  std::unique_ptr<Process> process;
};

Simulator::Simulator(SimulatorOptions options)
    : options_(std::move(options)),
      random_(options_.seed),
      now_(options_.start_time_ns),
      trace_hash_(kFnvOffset) {
  BOREALIS_CHECK(options_.network.min_delay <= options_.network.max_delay);
  BOREALIS_CHECK(options_.max_clock_error.count() >= 0);
  Mix(options_.seed);
  SetAbortNote("\n*** " + ReproLine() + "\n");
}

Simulator::~Simulator() {
  g_abort_note_length = 0;
  // Processes first: their destructors may still call into their environment.
  for (auto& node : nodes_) node->process.reset();
}

std::string Simulator::ReproLine() const {
  const std::string seed = std::to_string(options_.seed);
  return "simulation seed=" + seed + " (rerun with BOREALIS_SIM_SEED=" + seed + ")";
}

void Simulator::Mix(uint64_t value) {
  for (int i = 0; i < 8; ++i) {
    trace_hash_ ^= (value >> (8 * i)) & 0xff;
    trace_hash_ *= kFnvPrime;
  }
}

void Simulator::Trace(std::string_view fact) {
  Mix(now_);
  Mix(HashBytes(kFnvOffset, fact));
}

Simulator::Node& Simulator::FindNode(const std::string& endpoint) {
  auto it = node_index_.find(endpoint);
  BOREALIS_CHECK(it != node_index_.end(), "unknown simulated node", endpoint);
  return *nodes_[it->second];
}

const Simulator::Node* Simulator::FindNodeOrNull(const std::string& endpoint) const {
  auto it = node_index_.find(endpoint);
  return it == node_index_.end() ? nullptr : nodes_[it->second].get();
}

void Simulator::AddNode(const std::string& endpoint, ProcessFactory factory) {
  BOREALIS_CHECK(node_index_.count(endpoint) == 0, "duplicate simulated node", endpoint);
  auto node = std::make_unique<Node>();
  node->index = static_cast<int>(nodes_.size());
  node->endpoint = endpoint;
  node->factory = std::move(factory);
  const auto error = static_cast<uint64_t>(options_.max_clock_error.count());
  node->skew = std::chrono::nanoseconds(static_cast<int64_t>(random_.Range(0, 2 * error)) -
                                        static_cast<int64_t>(error));
  node->disk = std::make_unique<SimulatedDisk>(&random_, options_.disk);
  node_index_[endpoint] = node->index;
  nodes_.push_back(std::move(node));
  StartNode(*nodes_.back());
}

void Simulator::StartNode(Node& node) {
  BOREALIS_CHECK(!node.up);
  node.physical = std::make_unique<NodePhysicalClock>(this, &node.skew);
  node.clock = std::make_unique<HybridLogicalClock>(node.physical.get(), options_.max_clock_error);
  node.transport = std::make_unique<NodeTransport>(this, node.index, node.endpoint);
  node.scheduler = std::make_unique<NodeScheduler>(this, node.index);
  node.up = true;
  const Env env{node.clock.get(), &random_, node.disk.get(), node.transport.get(),
                node.scheduler.get()};
  const int previous = current_node_;
  current_node_ = node.index;
  node.process = node.factory(env);
  current_node_ = previous;
  Trace("start " + node.endpoint);
}

void Simulator::Crash(const std::string& endpoint) {
  Node& node = FindNode(endpoint);
  BOREALIS_CHECK(node.up, "crashing a node that is down", endpoint);
  BOREALIS_CHECK(current_node_ != node.index, "a node cannot crash itself; use Schedule()");
  node.process.reset();
  node.scheduler.reset();
  node.transport.reset();
  node.clock.reset();
  node.physical.reset();
  node.disk->Crash();
  node.up = false;
  ++node.incarnation;  // pending timers and messages for the old incarnation are dropped
  Trace("crash " + endpoint);
}

void Simulator::Restart(const std::string& endpoint) {
  Node& node = FindNode(endpoint);
  BOREALIS_CHECK(!node.up, "restarting a node that is up", endpoint);
  ++node.incarnation;  // messages sent to it while it was down are dropped
  StartNode(node);
}

bool Simulator::IsUp(const std::string& endpoint) const {
  const Node* node = FindNodeOrNull(endpoint);
  return node != nullptr && node->up;
}

Process* Simulator::process(const std::string& endpoint) {
  return FindNode(endpoint).process.get();
}

SimulatedDisk& Simulator::disk(const std::string& endpoint) { return *FindNode(endpoint).disk; }

void Simulator::SetClockSkew(const std::string& endpoint, std::chrono::nanoseconds skew) {
  BOREALIS_CHECK(skew <= options_.max_clock_error && -skew <= options_.max_clock_error,
                 "skew beyond max_clock_error", skew.count());
  FindNode(endpoint).skew = skew;
}

void Simulator::Block(const std::string& from, const std::string& to) {
  blocked_.insert({from, to});
}

void Simulator::Partition(const std::vector<std::string>& side_a,
                          const std::vector<std::string>& side_b) {
  for (const auto& a : side_a) {
    for (const auto& b : side_b) {
      blocked_.insert({a, b});
      blocked_.insert({b, a});
    }
  }
  Trace("partition");
}

void Simulator::HealAll() {
  blocked_.clear();
  Trace("heal");
}

bool Simulator::Blocked(const std::string& from, const std::string& to) const {
  return blocked_.count({from, to}) > 0;
}

void Simulator::Schedule(std::chrono::nanoseconds delay, std::function<void()> fn) {
  BOREALIS_CHECK(delay.count() >= 0);
  Push(now_ + static_cast<Timestamp>(delay.count()), -1, HashBytes(kFnvOffset, "schedule"),
       std::move(fn));
}

void Simulator::Push(Timestamp time, int node, uint64_t trace, std::function<void()> fn) {
  BOREALIS_CHECK(events_.size() < kMaxPendingEvents, events_.size());
  BOREALIS_CHECK(time >= now_);
  const uint64_t incarnation = node >= 0 ? nodes_[node]->incarnation : 0;
  events_.push(Event{time, next_sequence_++, node, incarnation, trace, std::move(fn)});
}

void Simulator::SendMessage(int from, const std::string& to, std::string message) {
  const std::string& from_endpoint = nodes_[from]->endpoint;
  auto target = node_index_.find(to);
  const NetworkFaults& faults = options_.network;
  if (message.size() > kMaxMessageBytes || target == node_index_.end() ||
      Blocked(from_endpoint, to) || random_.Bernoulli(faults.loss_probability)) {
    ++messages_dropped_;
    return;
  }
  const int to_index = target->second;
  const int copies = random_.Bernoulli(faults.duplicate_probability) ? 2 : 1;
  uint64_t trace = HashBytes(kFnvOffset, from_endpoint);
  trace = HashBytes(trace, to);
  trace = HashBytes(trace, message);
  for (int copy = 0; copy < copies; ++copy) {
    const auto delay = random_.Range(static_cast<uint64_t>(faults.min_delay.count()),
                                     static_cast<uint64_t>(faults.max_delay.count()));
    Timestamp time = now_ + delay;
    Timestamp& last = link_last_delivery_[{from, to_index}];
    if (!random_.Bernoulli(faults.reorder_probability)) time = std::max(time, last);
    last = std::max(last, time);
    Push(time, to_index, trace,
         [this, from_endpoint, to_index,
          payload = copy + 1 < copies ? message : std::move(message)]() mutable {
           Node& node = *nodes_[to_index];
           if (Blocked(from_endpoint, node.endpoint)) {
             ++messages_dropped_;
             return;
           }
           ++messages_delivered_;
           node.transport->Deliver(from_endpoint, std::move(payload));
         });
  }
}

bool Simulator::Step() {
  if (events_.empty()) return false;
  Event event = std::move(const_cast<Event&>(events_.top()));
  events_.pop();
  BOREALIS_CHECK(event.time >= now_);
  now_ = event.time;
  if (event.node >= 0) {
    const Node& node = *nodes_[event.node];
    if (!node.up || node.incarnation != event.incarnation) return true;  // died with its node
  }
  Mix(event.time);
  Mix(static_cast<uint64_t>(event.node + 1));
  Mix(event.trace);
  ++events_executed_;
  current_node_ = event.node;
  event.fn();
  current_node_ = -1;
  return true;
}

void Simulator::RunFor(std::chrono::nanoseconds duration) {
  const Timestamp end = now_ + static_cast<Timestamp>(duration.count());
  while (!events_.empty() && events_.top().time <= end) Step();
  now_ = end;
}

bool Simulator::RunUntil(const std::function<bool()>& done, std::chrono::nanoseconds limit) {
  const Timestamp end = now_ + static_cast<Timestamp>(limit.count());
  while (!done()) {
    if (events_.empty() || events_.top().time > end) return false;
    Step();
  }
  return true;
}

}  // namespace borealis::runtime
