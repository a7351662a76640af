// Crossbar against a scripted journal in the simulator: a journal read whose answer (a bulk
// entry) takes longer to arrive than the crossbar's first deadline must still get through.
// Before txn::AnswerTimeout, every attempt timed out and was asked again: the journal re-sent
// the whole entry forever (a 110 MB commit took minutes to become readable, one process per
// role on a loaded machine).
#include "crossbar/crossbar.h"

#include <gtest/gtest.h>

#include "journal/journal.h"
#include "runtime/simulator.h"
#include "storage/engine.h"
#include "storage/storage_server.h"
#include "txn/answer_timeout.h"
#include "txn/write_set.h"

namespace borealis::crossbar {
namespace {

using namespace std::chrono_literals;

constexpr char kJournal[] = "journal";
constexpr char kCrossbar[] = "crossbar";
constexpr char kStorage[] = "storage";

// A valid commit record (the crossbar filters what it forwards) of about 1 MiB.
std::string BulkRecord() {
  txn::WriteSet writes;
  for (int i = 0; i < 1024; ++i) writes.Put("bulk/" + std::to_string(i), std::string(1024, 'v'));
  return txn::EncodeCommitRecord(std::string(16, 't'), writes);
}
constexpr uint64_t kBulkTimestamp = 10;

// Holds one durable bulk entry at position 1; answers a read of it only after `answer_delay`
// (the time the answer takes to be read, sent and received), and long-polls reads past it.
class ScriptedJournal : public runtime::Process {
 public:
  ScriptedJournal(const runtime::Env& env, std::chrono::nanoseconds answer_delay)
      : env_(env), messenger_(env), answer_delay_(answer_delay) {
    messenger_.SetRequestHandler(
        [this](const std::string& from, uint64_t id, core::Envelope request) {
          if (!request.has_read_journal_request()) return;
          const core::ReadJournalRequest& read = request.read_journal_request();
          core::Envelope response;
          core::ReadJournalResponse* out = response.mutable_read_journal_response();
          out->set_first_position(1);
          out->set_watermark(kBulkTimestamp);
          std::chrono::nanoseconds delay(read.wait_ns());
          if (read.from_position() <= 1) {
            ++bulk_reads_;
            core::JournalEntry* entry = out->add_entries();
            entry->set_position(1);
            entry->set_timestamp(kBulkTimestamp);
            entry->set_kind(static_cast<uint32_t>(journal::EntryKind::kCommit));
            entry->set_payload(BulkRecord());
            out->set_next_position(2);
            delay = answer_delay_;
          } else {
            out->set_next_position(read.from_position());
          }
          env_.scheduler->After(delay, [this, from, id, response = std::move(response)]() mutable {
            messenger_.Reply(from, id, std::move(response));
          });
        });
  }
  int bulk_reads() const { return bulk_reads_; }

 private:
  runtime::Env env_;
  txn::Messenger messenger_;
  std::chrono::nanoseconds answer_delay_;
  int bulk_reads_ = 0;
};

class CrossbarProcess : public runtime::Process {
 public:
  explicit CrossbarProcess(const runtime::Env& env, uint64_t cache_bytes = 64 << 20)
      : messenger_(env),
        crossbar_(&messenger_, {.journal_endpoint = kJournal, .cache_bytes = cache_bytes}) {}
  const Crossbar& crossbar() const { return crossbar_; }

 private:
  txn::Messenger messenger_;
  Crossbar crossbar_;
};

TEST(CrossbarTest, BulkEntrySlowerThanTheFirstDeadlineGetsThrough) {
  runtime::Simulator sim(runtime::SimulatorOptions{.seed = 7});
  // 1.5 s: longer than the first deadline (long poll + 1 s), shorter than the second.
  sim.AddNode(kJournal, [](const runtime::Env& env) {
    return std::make_unique<ScriptedJournal>(env, 1500ms);
  });
  sim.AddNode(kCrossbar,
              [](const runtime::Env& env) { return std::make_unique<CrossbarProcess>(env); });
  auto* crossbar = static_cast<CrossbarProcess*>(sim.process(kCrossbar));
  auto* journal = static_cast<ScriptedJournal*>(sim.process(kJournal));
  bool reached = sim.RunUntil([&] { return crossbar->crossbar().next_position() >= 2; }, 30s);
  EXPECT_TRUE(reached) << "the crossbar never got the bulk entry; the journal was asked for it "
                       << journal->bulk_reads() << " times";
  EXPECT_EQ(crossbar->crossbar().watermark(), kBulkTimestamp);
  EXPECT_LE(journal->bulk_reads(), 3);
  // Once answered, reads are back to the first deadline: the long polls keep flowing.
  sim.RunFor(5s);
  EXPECT_LE(journal->bulk_reads(), 3);
}

class StorageProcess : public runtime::Process {
 public:
  explicit StorageProcess(const runtime::Env& env)
      : messenger_(env),
        engine_(storage::NewMemoryEngine(storage::NewMemoryEngineDurableState())),
        server_(&messenger_, engine_.get(), {.crossbar_endpoint = kCrossbar}) {}
  const storage::Engine& engine() const { return *engine_; }

 private:
  txn::Messenger messenger_;
  std::unique_ptr<storage::Engine> engine_;
  storage::StorageServer server_;
};

// An entry larger than the crossbar's cache is read from the journal for each replica's pull:
// the crossbar's forwarded read and the replica's pull must both outwait a slow answer.
TEST(CrossbarTest, BulkEntryLargerThanTheCacheReachesStorageThroughASlowJournal) {
  runtime::Simulator sim(runtime::SimulatorOptions{.seed = 8});
  sim.AddNode(kJournal, [](const runtime::Env& env) {
    return std::make_unique<ScriptedJournal>(env, 1500ms);
  });
  sim.AddNode(kCrossbar, [](const runtime::Env& env) {
    return std::make_unique<CrossbarProcess>(env, /*cache_bytes=*/64 << 10);
  });
  sim.AddNode(kStorage,
              [](const runtime::Env& env) { return std::make_unique<StorageProcess>(env); });
  auto* storage = static_cast<StorageProcess*>(sim.process(kStorage));
  auto* journal = static_cast<ScriptedJournal*>(sim.process(kJournal));
  bool applied = sim.RunUntil([&] { return storage->engine().applied().position >= 1; }, 60s);
  EXPECT_TRUE(applied) << "storage never applied the bulk entry; the journal was asked for it "
                       << journal->bulk_reads() << " times";
  EXPECT_EQ(storage->engine().applied().watermark, kBulkTimestamp);
  EXPECT_LE(journal->bulk_reads(), 8);
}

TEST(AnswerTimeoutTest, DoublesOnTimeoutUpToTheMaximumAndResetsOnAnswer) {
  txn::AnswerTimeout timeout(1s, 5s);
  EXPECT_EQ(timeout.current(), 1s);
  timeout.OnTimeout();
  EXPECT_EQ(timeout.current(), 2s);
  timeout.OnTimeout();
  timeout.OnTimeout();
  EXPECT_EQ(timeout.current(), 5s);
  timeout.OnAnswer();
  EXPECT_EQ(timeout.current(), 1s);
  // The default maximum covers the largest message at kTimeoutNanosPerByte.
  txn::AnswerTimeout unbounded(1s);
  for (int i = 0; i < 64; ++i) unbounded.OnTimeout();
  EXPECT_EQ(unbounded.current(), 1s + txn::kMaxAnswerTransfer);
  EXPECT_GE(txn::kMaxAnswerTransfer, 50s);
}

}  // namespace
}  // namespace borealis::crossbar
