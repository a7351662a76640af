// Time for the transaction core: a hybrid logical clock (HLC) over an injected physical clock.
//
// Contract:
// - A timestamp is a uint64 count of nanoseconds since the Unix epoch (ARCHITECTURE.md §2).
// - Clock::Now() never goes backwards and is strictly increasing across calls on one Clock,
//   whatever the physical clock does (a stalled or backwards physical clock is absorbed by
//   advancing the logical part by one nanosecond).
// - Clock::Update(t) records a timestamp received from another node; every later Now() is > t.
// - Clock::Interval() reports [earliest, latest] = [now - max_clock_error, now + max_clock_error]
//   around a fresh Now(); with max_clock_error == 0 both bounds equal that Now().
// - HybridLogicalClock is thread-safe (lock-free). It does not own its PhysicalClock, which must
//   outlive it.
// - SystemPhysicalClock reads the system real-time clock; the simulator supplies virtual time.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace borealis::runtime {

using Timestamp = uint64_t;  // nanoseconds since the Unix epoch

// A source of physical time. May jump backwards (NTP) or stall; the HLC hides both.
class PhysicalClock {
 public:
  virtual ~PhysicalClock() = default;
  virtual Timestamp NowNs() const = 0;
};

// The production physical clock: std::chrono::system_clock.
class SystemPhysicalClock final : public PhysicalClock {
 public:
  Timestamp NowNs() const override;
};

// An uncertainty interval: the true time is believed to be within [earliest, latest].
struct ClockInterval {
  Timestamp earliest = 0;
  Timestamp latest = 0;
};

class Clock {
 public:
  virtual ~Clock() = default;
  // Strictly greater than every timestamp returned by Now() or passed to Update() before.
  virtual Timestamp Now() = 0;
  // Moves the clock past `received` (a timestamp carried by a message from another node).
  virtual void Update(Timestamp received) = 0;
  // [Now() - max_clock_error, Now() + max_clock_error] around one fresh Now().
  virtual ClockInterval Interval() = 0;
  virtual std::chrono::nanoseconds max_clock_error() const = 0;
};

class HybridLogicalClock final : public Clock {
 public:
  // REQUIRES: physical outlives this clock.
  HybridLogicalClock(const PhysicalClock* physical, std::chrono::nanoseconds max_clock_error);

  Timestamp Now() override;
  void Update(Timestamp received) override;
  ClockInterval Interval() override;
  std::chrono::nanoseconds max_clock_error() const override { return max_clock_error_; }

 private:
  const PhysicalClock* physical_;
  const std::chrono::nanoseconds max_clock_error_;
  std::atomic<Timestamp> last_{0};  // the largest timestamp issued or received
};

}  // namespace borealis::runtime
