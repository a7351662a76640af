// Crossbar: follows the journal and serves each storage replica exactly the updates of the key
// ranges it asks for, in journal (= t_commit) order, with the watermark (ARCHITECTURE §3).
//
// Protocol: storage pulls (ReadJournalRequest with its ranges, from the position after the last
// one it applied); the crossbar answers from its cache of recent entries, or, for positions
// older than the cache, by reading the journal on the replica's behalf. Entries with nothing
// for the replica are left out; next_position and watermark still advance, so an idle replica
// keeps up. A pull at the end long-polls until new entries arrive. Pull-based delivery is the
// backpressure: a slow replica simply asks less often, and the cache is bounded.
//
// One journal for now; with several journals the cache becomes a merge by t_commit whose
// watermark is the minimum over the journals.
// Payloads are commit records (txn::EncodeCommitRecord), passed through unchanged when the
// replica's ranges keep every write; the cache shares them with responses (a bulk entry is sent
// as an attachment, never copied). An entry larger than the whole cache is not cached: replicas
// get it through the journal.
// Trimming: replicas report the position they have durably applied; the crossbar passes the
// minimum over replicas seen within replica_expiry to the journal, which trims below it.
// Limits: cache_bytes of cached entries, kMaxParkedPulls long polls, kMaxReplicas tracked.
// Threading: the node's event loop.
#pragma once

#include <chrono>
#include <deque>
#include <map>
#include <memory>
#include <set>
#include <string>

#include "crossbar/range_filter.h"
#include "txn/answer_timeout.h"
#include "txn/messenger.h"

namespace borealis::crossbar {

inline constexpr size_t kMaxParkedPulls = 4096;
inline constexpr size_t kMaxReplicas = 4096;

struct CrossbarOptions {
  std::string journal_endpoint;
  uint64_t cache_bytes = 64 << 20;
  uint32_t fetch_entries = 1024;
  uint64_t fetch_bytes = 8 << 20;
  std::chrono::nanoseconds long_poll = std::chrono::milliseconds(20);
  // A journal read's first deadline (beyond long_poll). An answer may carry a bulk-load entry
  // of many megabytes: after each timeout the next read waits twice as long, back to this after
  // an answer (txn::AnswerTimeout; without it a big entry was asked for again and again).
  std::chrono::nanoseconds journal_timeout = std::chrono::seconds(1);
  std::chrono::nanoseconds retry_delay = std::chrono::milliseconds(5);
  // A replica that has not pulled for this long no longer holds back journal trimming.
  std::chrono::nanoseconds replica_expiry = std::chrono::minutes(10);
};

class Crossbar {
 public:
  // A journal entry whose payload can be shared with responses in flight. A bulk payload (sent
  // as an attachment) is dropped once every live replica was sent it: the entry stays, hollow
  // (payload null), and a pull that needs it again is served from the journal.
  struct CachedEntry {
    uint64_t position;
    uint64_t timestamp;
    uint32_t kind;
    std::shared_ptr<const std::string> payload;
    std::set<std::string> sent_to;  // bulk entries only
  };

  Crossbar(txn::Messenger* messenger, CrossbarOptions options);
  ~Crossbar();

  uint64_t next_position() const { return next_position_; }
  uint64_t watermark() const { return watermark_; }

 private:
  struct ParkedPull {
    std::string to;
    uint64_t request_id;
    core::ReadJournalRequest request;
    runtime::TimerId timer;
  };

  void OnRequest(const std::string& from, uint64_t request_id, core::Envelope request);
  void Fetch();
  // The minimum durable position over live replicas (0 when none is known).
  uint64_t TrimPosition();
  void OnFetched(Result<core::Envelope> response);
  // Adapts `timeout` to how a read of the journal ended.
  static void OnJournalAnswer(const Result<core::Envelope>& response, txn::AnswerTimeout& timeout);
  void HandlePull(const std::string& from, uint64_t request_id, core::ReadJournalRequest request);
  void AnswerFromCache(const std::string& to, uint64_t request_id,
                       const core::ReadJournalRequest& request);
  void AnswerFromJournal(const std::string& to, uint64_t request_id,
                         core::ReadJournalRequest request);
  // Filters entries [begin, end) for the replica's ranges into `response`, setting its
  // next_position and the watermark reached (0 when no entry was consumed).
  // From the cache, or from the journal for positions before it.
  void Answer(const std::string& to, uint64_t request_id, core::ReadJournalRequest request);
  // Commit payloads are passed through unchanged when the ranges keep all of their writes; a
  // bulk first entry's payload is returned as the response's attachment (shared, not copied).
  template <typename Iterator>
  static txn::Attachment FilterRange(const core::ReadJournalRequest& request, Iterator begin,
                                     Iterator end, core::ReadJournalResponse* response);

  txn::Messenger* messenger_;
  const runtime::Env env_;
  CrossbarOptions options_;
  // Following the journal, and reading it for a replica: apart, because the long polls that
  // follow it are answered at once and would keep resetting a shared one.
  txn::AnswerTimeout fetch_timeout_;
  txn::AnswerTimeout forward_timeout_;
  std::deque<CachedEntry> cache_;  // contiguous positions ending at next_position_ - 1
  uint64_t cache_bytes_ = 0;
  uint64_t next_position_ = 1;  // the next journal position to fetch
  uint64_t watermark_ = 0;      // every commit at or below it is before next_position_
  uint64_t next_parked_id_ = 1;
  std::map<uint64_t, ParkedPull> parked_;
  struct Replica {
    uint64_t durable_position = 0;
    std::chrono::nanoseconds last_pull{0};
  };
  std::map<std::string, Replica> replicas_;  // by endpoint: what they have durably applied
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace borealis::crossbar
