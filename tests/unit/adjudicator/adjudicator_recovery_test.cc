// AdjudicatorServer recovery against a scripted journal in the simulator: replaying a bulk
// entry whose answer takes longer than the first read deadline must still finish. With a fixed
// deadline (journal_timeout, 100 ms) every replay read of a 100 MB entry on a loaded machine
// timed out and was asked again, so recovery never ended (the crossbar had the same livelock;
// txn/answer_timeout.h).
#include <gtest/gtest.h>

#include "adjudicator/adjudicator_server.h"
#include "journal/journal.h"
#include "runtime/simulator.h"
#include "txn/write_set.h"

namespace borealis::adjudicator {
namespace {

using namespace std::chrono_literals;

constexpr char kJournal[] = "journal";
constexpr char kAdjudicator[] = "adjudicator";

// Holds a bulk commit at position 1 and the fence at 2; answers a replay read of the bulk
// entry only after `answer_delay`, everything else at once. Appends go unanswered.
class ScriptedJournal : public runtime::Process {
 public:
  ScriptedJournal(const runtime::Env& env, std::chrono::nanoseconds answer_delay)
      : env_(env), messenger_(env), answer_delay_(answer_delay) {
    messenger_.SetRequestHandler(
        [this](const std::string& from, uint64_t id, core::Envelope request) {
          core::Envelope response;
          std::chrono::nanoseconds delay{0};
          if (request.has_fence_request()) {
            core::FenceResponse* fence = response.mutable_fence_response();
            fence->set_epoch(1);
            fence->set_first_position(1);
            fence->set_last_position(2);
            fence->set_last_timestamp(11);
          } else if (request.has_read_journal_request()) {
            const core::ReadJournalRequest& read = request.read_journal_request();
            core::ReadJournalResponse* out = response.mutable_read_journal_response();
            out->set_first_position(1);
            if (read.from_position() <= 1) {
              ++bulk_reads_;
              txn::WriteSet writes;
              for (int i = 0; i < 1024; ++i) {
                writes.Put("bulk/" + std::to_string(i), std::string(256, 'v'));
              }
              core::JournalEntry* entry = out->add_entries();
              entry->set_position(1);
              entry->set_timestamp(10);
              entry->set_kind(static_cast<uint32_t>(journal::EntryKind::kCommit));
              entry->set_payload(txn::EncodeCommitRecord(std::string(16, 't'), writes));
              out->set_next_position(2);
              delay = answer_delay_;
            } else {
              core::JournalEntry* entry = out->add_entries();
              entry->set_position(2);
              entry->set_timestamp(11);
              entry->set_kind(static_cast<uint32_t>(journal::EntryKind::kFence));
              out->set_next_position(3);
            }
          } else {
            return;
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

class AdjudicatorProcess : public runtime::Process {
 public:
  explicit AdjudicatorProcess(const runtime::Env& env)
      : messenger_(env),
        server_(&messenger_, AdjudicatorServerOptions{.journal_endpoint = kJournal}) {}
  const AdjudicatorServer& server() const { return server_; }

 private:
  txn::Messenger messenger_;
  AdjudicatorServer server_;
};

TEST(AdjudicatorRecoveryTest, ReplaysABulkEntrySlowerThanTheFirstDeadline) {
  runtime::Simulator sim(runtime::SimulatorOptions{.seed = 11});
  // 250 ms: longer than the first two deadlines (100, 200 ms), shorter than the third.
  sim.AddNode(kJournal, [](const runtime::Env& env) {
    return std::make_unique<ScriptedJournal>(env, 250ms);
  });
  sim.AddNode(kAdjudicator,
              [](const runtime::Env& env) { return std::make_unique<AdjudicatorProcess>(env); });
  auto* adjudicator = static_cast<AdjudicatorProcess*>(sim.process(kAdjudicator));
  auto* journal = static_cast<ScriptedJournal*>(sim.process(kJournal));
  bool serving = sim.RunUntil([&] { return adjudicator->server().serving(); }, 30s);
  EXPECT_TRUE(serving) << "recovery never finished; the journal was asked for the bulk entry "
                       << journal->bulk_reads() << " times";
  EXPECT_LE(journal->bulk_reads(), 4);
}

}  // namespace
}  // namespace borealis::adjudicator
