#include <asio/io_context.hpp>
#include <asio/post.hpp>
#include <asio/steady_timer.hpp>

#include "common/check.h"
#include "runtime/scheduler.h"

namespace borealis::runtime {

struct AsioScheduler::Timer {
  explicit Timer(asio::io_context& io) : timer(io) {}
  asio::steady_timer timer;
  std::function<void()> fn;
};

AsioScheduler::AsioScheduler(asio::io_context& io)
    : io_(io), alive_(std::make_shared<bool>(true)) {}

AsioScheduler::~AsioScheduler() {
  // Destroying a steady_timer aborts its wait; the aborted handlers run later and only look
  // at alive_.
  *alive_ = false;
  timers_.clear();
}

TimerId AsioScheduler::After(std::chrono::nanoseconds delay, std::function<void()> fn) {
  BOREALIS_CHECK(timers_.size() < kMaxPendingTimers, timers_.size());
  const TimerId id = next_id_++;
  auto timer = std::make_unique<Timer>(io_);
  timer->fn = std::move(fn);
  timer->timer.expires_after(delay);
  timer->timer.async_wait([this, id, alive = alive_](const std::error_code& error) {
    if (!*alive || error) return;
    auto it = timers_.find(id);
    if (it == timers_.end()) return;
    std::unique_ptr<Timer> fired = std::move(it->second);
    timers_.erase(it);
    fired->fn();
  });
  timers_.emplace(id, std::move(timer));
  return id;
}

bool AsioScheduler::Cancel(TimerId id) {
  auto it = timers_.find(id);
  if (it == timers_.end()) return false;
  timers_.erase(it);  // destroying the steady_timer aborts its wait
  return true;
}

void AsioScheduler::Post(std::function<void()> fn) {
  asio::post(io_, [alive = alive_, fn = std::move(fn)] {
    if (*alive) fn();
  });
}

std::chrono::nanoseconds AsioScheduler::MonotonicNow() const {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
      std::chrono::steady_clock::now().time_since_epoch());
}

}  // namespace borealis::runtime
