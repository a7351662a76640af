#include "runtime/clock.h"

#include "common/check.h"

namespace borealis::runtime {

Timestamp SystemPhysicalClock::NowNs() const {
  auto since_epoch = std::chrono::system_clock::now().time_since_epoch();
  return static_cast<Timestamp>(
      std::chrono::duration_cast<std::chrono::nanoseconds>(since_epoch).count());
}

HybridLogicalClock::HybridLogicalClock(const PhysicalClock* physical,
                                       std::chrono::nanoseconds max_clock_error)
    : physical_(physical), max_clock_error_(max_clock_error) {
  BOREALIS_CHECK(physical_ != nullptr);
  BOREALIS_CHECK(max_clock_error_.count() >= 0, max_clock_error_.count());
}

Timestamp HybridLogicalClock::Now() {
  const Timestamp physical = physical_->NowNs();
  Timestamp last = last_.load(std::memory_order_relaxed);
  while (true) {
    const Timestamp next = physical > last ? physical : last + 1;
    if (last_.compare_exchange_weak(last, next, std::memory_order_relaxed)) {
      BOREALIS_CHECK_LT(last, next);
      return next;
    }
  }
}

void HybridLogicalClock::Update(Timestamp received) {
  Timestamp last = last_.load(std::memory_order_relaxed);
  while (received > last &&
         !last_.compare_exchange_weak(last, received, std::memory_order_relaxed)) {
  }
}

ClockInterval HybridLogicalClock::Interval() {
  const Timestamp now = Now();
  const auto error = static_cast<Timestamp>(max_clock_error_.count());
  BOREALIS_CHECK(now >= error, "clock error larger than the time since the epoch");
  return ClockInterval{now - error, now + error};
}

}  // namespace borealis::runtime
