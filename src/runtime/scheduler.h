// Timers for the transaction core: "call me after d", behind an interface so that the simulator
// controls time.
//
// Contract:
// - After(delay, fn) runs fn once, no earlier than `delay` from now (virtual time in the
//   simulator), on the scheduler's thread (the event loop of the node). Callbacks never run
//   inside After() itself, even for a zero delay.
// - Cancel(id) before fn ran guarantees fn never runs and returns true; otherwise false.
// - Post(fn) runs fn soon on the scheduler's thread, after the current callback returns.
// - MonotonicNow() is for measuring intervals only (not a timestamp; see Clock).
// - All methods must be called on the scheduler's thread. Callbacks must not be coroutines
//   (STYLE.md: lambda coroutines stored in callbacks dangle); they are plain functions that
//   drive a state machine.
// - Pending timers are bounded by kMaxPendingTimers; After() CHECK-fails beyond it (a core that
//   arms unbounded timers has a bug).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <unordered_map>

namespace asio {
class io_context;
}

namespace borealis::runtime {

using TimerId = uint64_t;
inline constexpr TimerId kNoTimer = 0;
inline constexpr size_t kMaxPendingTimers = 1 << 20;

class Scheduler {
 public:
  virtual ~Scheduler() = default;
  virtual TimerId After(std::chrono::nanoseconds delay, std::function<void()> fn) = 0;
  virtual bool Cancel(TimerId id) = 0;
  virtual void Post(std::function<void()> fn) = 0;
  virtual std::chrono::nanoseconds MonotonicNow() const = 0;
};

// Production scheduler on an asio::io_context (one steady_timer per pending timer). The
// io_context must outlive it; destroying it cancels every pending timer.
class AsioScheduler final : public Scheduler {
 public:
  explicit AsioScheduler(asio::io_context& io);
  ~AsioScheduler() override;

  TimerId After(std::chrono::nanoseconds delay, std::function<void()> fn) override;
  bool Cancel(TimerId id) override;
  void Post(std::function<void()> fn) override;
  std::chrono::nanoseconds MonotonicNow() const override;
  size_t pending() const { return timers_.size(); }

 private:
  struct Timer;
  asio::io_context& io_;
  TimerId next_id_ = 1;
  std::unordered_map<TimerId, std::unique_ptr<Timer>> timers_;
  // Set to false on destruction so that completion handlers of cancelled timers, which still
  // run later, do not touch this object.
  std::shared_ptr<bool> alive_;
};

}  // namespace borealis::runtime
