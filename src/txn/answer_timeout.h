// AnswerTimeout: the deadline of a call that is repeated until answered and whose answer may be
// large — a journal read (crossbar -> journal, storage -> crossbar) that can carry a bulk commit
// of a hundred megabytes.
//
// Why: the caller does not know the answer's size when it asks, and Messenger only extends a
// deadline by the *request's* bytes. With a fixed deadline shorter than the time a big answer
// takes to be read, sent and received (a second, on a loaded machine with one process per
// role), every attempt timed out, the caller asked again, and the callee read and sent the whole
// entry again: a livelock that only chance ended (a 110 MB commit took minutes to become
// readable; journal and crossbar busy, storage idle).
//
// Contract: current() starts at `base`; each OnTimeout() doubles it, up to `max`; OnAnswer()
// puts it back to `base`. So a caller gives up on a dead or lost request as fast as before, and
// a slow big answer is waited for after a few attempts. `max` defaults to what the largest
// message may take at kTimeoutNanosPerByte (about 54 s): a peer that answers at all is not
// asked forever. Value type; not thread-safe (the owner's event loop).
#pragma once

#include <algorithm>
#include <chrono>

#include "common/check.h"
#include "runtime/transport.h"
#include "txn/messenger.h"

namespace borealis::txn {

// The longest an answer of the largest message may take to arrive, beyond its base deadline.
inline constexpr std::chrono::nanoseconds kMaxAnswerTransfer{
    static_cast<int64_t>(runtime::kMaxMessageBytes) * kTimeoutNanosPerByte};

class AnswerTimeout {
 public:
  explicit AnswerTimeout(std::chrono::nanoseconds base)
      : AnswerTimeout(base, base + kMaxAnswerTransfer) {}
  AnswerTimeout(std::chrono::nanoseconds base, std::chrono::nanoseconds max)
      : base_(base), max_(max), current_(base) {
    BOREALIS_CHECK(base.count() > 0 && max >= base, base.count(), max.count());
  }

  std::chrono::nanoseconds current() const { return current_; }
  void OnAnswer() { current_ = base_; }
  void OnTimeout() { current_ = std::min(max_, current_ * 2); }

 private:
  std::chrono::nanoseconds base_;
  std::chrono::nanoseconds max_;
  std::chrono::nanoseconds current_;
};

}  // namespace borealis::txn
