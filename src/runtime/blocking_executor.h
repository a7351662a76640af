// BlockingExecutor: where a node runs blocking work (fdatasync, large reads) so its event loop
// keeps moving (ARCHITECTURE §6: no blocking calls on an event-loop thread).
//
// Contract: Run(work, done) runs `work` somewhere, then `done` on the node's event-loop thread
// (via its Scheduler). `work` must touch only thread-safe state. Jobs run in submission order.
// - InlineExecutor (simulator, tests): runs `work` immediately, `done` via Scheduler::Post.
// - ThreadExecutor (production): one worker thread with a bounded queue
//   (kMaxQueuedBlockingJobs; Run CHECK-fails beyond it: callers bound their own in-flight
//   work, e.g. one journal sync at a time); `done` is posted back with a thread-safe post
//   function given at construction (asio::post on the node's io_context).
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <utility>

#include "common/check.h"
#include "runtime/scheduler.h"

namespace borealis::runtime {

inline constexpr size_t kMaxQueuedBlockingJobs = 1024;

class BlockingExecutor {
 public:
  virtual ~BlockingExecutor() = default;
  virtual void Run(std::function<void()> work, std::function<void()> done) = 0;
};

class InlineExecutor final : public BlockingExecutor {
 public:
  explicit InlineExecutor(Scheduler* scheduler) : scheduler_(scheduler) {}
  void Run(std::function<void()> work, std::function<void()> done) override {
    work();
    scheduler_->Post(std::move(done));
  }

 private:
  Scheduler* scheduler_;
};

class ThreadExecutor final : public BlockingExecutor {
 public:
  // `post_to_loop` must be thread-safe and run its argument on the node's event loop.
  explicit ThreadExecutor(std::function<void(std::function<void()>)> post_to_loop)
      : post_to_loop_(std::move(post_to_loop)), worker_([this] { Loop(); }) {}

  ~ThreadExecutor() override {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_one();
    worker_.join();
  }

  void Run(std::function<void()> work, std::function<void()> done) override {
    {
      std::lock_guard lock(mutex_);
      BOREALIS_CHECK(jobs_.size() < kMaxQueuedBlockingJobs, "blocking queue overflow");
      jobs_.emplace_back(std::move(work), std::move(done));
    }
    wake_.notify_one();
  }

 private:
  void Loop() {
    while (true) {
      std::pair<std::function<void()>, std::function<void()>> job;
      {
        std::unique_lock lock(mutex_);
        wake_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
        if (jobs_.empty()) return;  // stopping and drained
        job = std::move(jobs_.front());
        jobs_.pop_front();
      }
      job.first();
      post_to_loop_(std::move(job.second));
    }
  }

  std::function<void(std::function<void()>)> post_to_loop_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::pair<std::function<void()>, std::function<void()>>> jobs_;
  bool stopping_ = false;
  std::thread worker_;  // last: starts after the other members exist
};

}  // namespace borealis::runtime
