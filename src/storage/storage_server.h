// StorageServer: the storage role (ARCHITECTURE §3 "Storage"). Pulls its ranges' updates from
// the crossbar, applies them to its Engine in journal order, and serves reads "as of t".
//
// Guarantees:
// - Applies every update of its ranges exactly once and in order: the engine records the
//   journal position atomically with the data, and pulls resume from it after a restart.
// - A read at t is answered only when the watermark has reached t (every commit at or below t
//   is applied); until then it waits, up to read_wait_max, then fails with kUnavailable.
// - Periodically syncs its applied state and reports the durable position with its pulls (the
//   journal trims below the minimum over replicas), and garbage-collects old versions.
// Payloads are commit records (txn::EncodeCommitRecord), applied in bounded batches.
// Limits: kMaxParkedReads waiting reads (beyond: kResourceExhausted), scan limit capped at
// kMaxScanRows per request.
// Threading: the node's event loop. Engine calls block briefly (memtable/block cache); a
// blocking pool for cold reads comes with the performance work.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "crossbar/range_filter.h"
#include "storage/engine.h"
#include "txn/answer_timeout.h"
#include "txn/messenger.h"

namespace borealis::storage {

inline constexpr size_t kMaxParkedReads = 1 << 16;
inline constexpr uint32_t kMaxScanRows = 10000;
inline constexpr size_t kMaxPromises = 1024;
// An entry is applied in engine batches of at most this many mutations / bytes of keys and
// values (Engine::ApplyPart), whatever its size.
inline constexpr size_t kApplyBatchMutations = 1 << 14;
inline constexpr uint64_t kApplyBatchBytes = 4 << 20;

struct StorageServerOptions {
  std::string crossbar_endpoint;
  // When set, a read waiting for the watermark asks this adjudicator for a heartbeat at its
  // timestamp instead of waiting for the next heartbeat tick.
  std::string adjudicator_endpoint;
  std::vector<crossbar::KeyRange> ranges;  // empty: everything
  uint32_t pull_entries = 1024;
  uint64_t pull_bytes = 8 << 20;
  std::chrono::nanoseconds long_poll = std::chrono::milliseconds(20);
  // A pull's first deadline (beyond long_poll). An answer may carry a bulk-load entry of many
  // megabytes: after each timeout the next pull waits twice as long (txn::AnswerTimeout).
  std::chrono::nanoseconds crossbar_timeout = std::chrono::seconds(1);
  std::chrono::nanoseconds retry_delay = std::chrono::milliseconds(5);
  // A read may wait behind the apply of a bulk commit (a million rows take seconds on a busy
  // machine), so this is generous; the client's read_timeout is longer still.
  std::chrono::nanoseconds read_wait_max = std::chrono::seconds(20);
  // Every maintenance_interval the applied state is made durable (so the journal may be
  // trimmed below it) and versions older than gc_retention below the watermark are dropped:
  // reads older than that (beyond the 300 s transaction age limit) get "snapshot too old".
  std::chrono::nanoseconds maintenance_interval = std::chrono::seconds(2);
  std::chrono::nanoseconds gc_retention = std::chrono::seconds(360);
};

class StorageServer {
 public:
  // REQUIRES: messenger and engine outlive the server.
  StorageServer(txn::Messenger* messenger, Engine* engine, StorageServerOptions options);
  ~StorageServer();

  AppliedState applied() const { return engine_->applied(); }

 private:
  struct ParkedRead {
    std::string to;
    uint64_t request_id;
    core::ReadRequest request;
    runtime::TimerId timer;
  };

  void OnRequest(const std::string& from, uint64_t request_id, core::Envelope request);
  void Pull();
  void OnPulled(Result<core::Envelope> response);
  // Applies one commit payload at `position` (CHECK-fails on a corrupt one: the journal
  // checksums every entry).
  void ApplyEntry(uint64_t position, uint64_t t_commit, std::string_view payload);
  void HandleRead(const std::string& from, uint64_t request_id, core::ReadRequest request);
  void AnswerRead(const std::string& to, uint64_t request_id, const core::ReadRequest& request);
  void WakeReads();
  void AskForWatermark(uint64_t at_least);
  // The watermark reads may use: the applied one, or a promise whose position was reached.
  uint64_t ReadableWatermark() const;
  void Maintain();

  txn::Messenger* messenger_;
  const runtime::Env env_;
  Engine* engine_;
  StorageServerOptions options_;
  uint64_t durable_position_ = 0;
  txn::AnswerTimeout pull_timeout_;  // starts at long_poll + crossbar_timeout
  uint64_t watermark_asked_ = 0;     // the highest timestamp asked of the adjudicator
  // Adjudicator promises (position -> promised timestamp): reads at or below the timestamp
  // are safe once the engine has applied through the position. Bounded by kMaxPromises.
  std::map<uint64_t, uint64_t> promises_;
  uint64_t promised_watermark_ = 0;           // the best promise already reached
  bool watermark_request_in_flight_ = false;  // reported to the crossbar with every pull
  runtime::TimerId maintenance_timer_ = runtime::kNoTimer;
  uint64_t next_parked_id_ = 1;
  std::multimap<uint64_t, std::pair<uint64_t, ParkedRead>> parked_;  // by as_of
  std::map<uint64_t, std::multimap<uint64_t, std::pair<uint64_t, ParkedRead>>::iterator> by_id_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace borealis::storage
