#include "adjudicator/adjudicator_core.h"

#include <gtest/gtest.h>

namespace borealis::adjudicator {
namespace {

constexpr Timestamp kSecond = 1'000'000'000;

DecideRequest Request(Timestamp t_start, std::vector<std::string_view> writes,
                      std::vector<std::string_view> checks = {}) {
  return DecideRequest{t_start, std::move(writes), std::move(checks)};
}

TEST(AdjudicatorCoreTest, AssignsIncreasingCommitTimestamps) {
  AdjudicatorCore core;
  Decision a = core.Decide(Request(100, {"a"}), 1000);
  ASSERT_EQ(a.verdict, Verdict::kCommit);
  EXPECT_EQ(a.t_commit, 1000u);
  Decision b = core.Decide(Request(100, {"b"}), 900);  // clock reading behind: still increases
  ASSERT_EQ(b.verdict, Verdict::kCommit);
  EXPECT_EQ(b.t_commit, 1001u);
  Decision c = core.Decide(Request(5000, {"c"}), 1002);  // t_start ahead of the clock
  EXPECT_EQ(c.t_commit, 5001u);
  EXPECT_GT(core.Heartbeat(10), c.t_commit);
}

TEST(AdjudicatorCoreTest, FirstCommitterWinsAndLocksConflictLikeWrites) {
  AdjudicatorCore core;
  ASSERT_EQ(core.Decide(Request(100, {"row"}), 200).verdict, Verdict::kCommit);
  Decision late = core.Decide(Request(150, {"row"}), 300);
  EXPECT_EQ(late.verdict, Verdict::kDataConflict);
  EXPECT_EQ(late.conflicting_key, "row");
  EXPECT_EQ(core.Decide(Request(250, {"row"}), 300).verdict, Verdict::kCommit);
}

TEST(AdjudicatorCoreTest, CheckKeysAreValidatedNotRecorded) {
  AdjudicatorCore core;
  // DML that read table version key "schema/t" commits; the key is not recorded...
  ASSERT_EQ(core.Decide(Request(100, {"row1"}, {"schema/t"}), 200).verdict, Verdict::kCommit);
  // ...so a later DML with the same check key and an old snapshot does not conflict on it.
  EXPECT_EQ(core.Decide(Request(150, {"row2"}, {"schema/t"}), 300).verdict, Verdict::kCommit);
  // A DDL writes the schema key; DML that started before it fails with a schema conflict.
  ASSERT_EQ(core.Decide(Request(300, {"schema/t"}), 400).verdict, Verdict::kCommit);
  Decision dml = core.Decide(Request(350, {"row3"}, {"schema/t"}), 500);
  EXPECT_EQ(dml.verdict, Verdict::kSchemaConflict);
}

TEST(AdjudicatorCoreTest, RejectsTransactionsOlderThanTheWindow) {
  AdjudicatorCore core(AdjudicatorOptions{.window_ns = 10 * kSecond});
  EXPECT_EQ(core.Decide(Request(100 * kSecond, {"a"}), 105 * kSecond).verdict, Verdict::kCommit);
  EXPECT_EQ(core.Decide(Request(100 * kSecond, {"b"}), 111 * kSecond).verdict, Verdict::kTooOld);
}

TEST(AdjudicatorCoreTest, RecoveryReplaysTheJournal) {
  AdjudicatorCore core;
  std::vector<std::string_view> keys = {"x"};
  core.Replay(1000, keys);
  core.Replay(1100, {});  // heartbeat
  core.FinishRecovery(1200, 1000);
  EXPECT_EQ(core.Decide(Request(999, {"y"}), 1300).verdict, Verdict::kCommit);  // t_start=999 ok
  EXPECT_EQ(core.Decide(Request(998, {"y"}), 1300).verdict, Verdict::kTooOld);
  EXPECT_EQ(core.Decide(Request(1050, {"x"}), 1300).verdict, Verdict::kCommit);
  EXPECT_EQ(core.Decide(Request(999, {"x"}), 1400).verdict, Verdict::kDataConflict);
  EXPECT_GT(core.Decide(Request(2000, {"z"}), 10).t_commit, 1100u);
}

}  // namespace
}  // namespace borealis::adjudicator

namespace borealis::adjudicator {
namespace {

TEST(AdjudicatorCoreTest, TheBrokenTestModeSkipsTheCheck) {
  AdjudicatorCore core(AdjudicatorOptions{.unsafe_skip_conflict_check = true});
  ASSERT_EQ(core.Decide(DecideRequest{100, {"row"}, {}}, 200).verdict, Verdict::kCommit);
  EXPECT_EQ(core.Decide(DecideRequest{150, {"row"}, {}}, 300).verdict, Verdict::kCommit);
}

}  // namespace
}  // namespace borealis::adjudicator

namespace borealis::adjudicator {
namespace {

TEST(AdjudicatorCoreTest, BulkTransactionsAreSummarizedButStillConflict) {
  AdjudicatorCore core(AdjudicatorOptions{.bulk_keys_threshold = 3});
  std::vector<std::string> keys = {"k1", "k2", "k3", "k4"};
  std::vector<std::string_view> views(keys.begin(), keys.end());
  ASSERT_EQ(core.Decide(DecideRequest{100, views, {}}, 200).verdict, Verdict::kCommit);
  EXPECT_EQ(core.conflict_set().exact_key_count(), 0u);  // no per-key memory
  EXPECT_TRUE(core.conflict_set().summary_in_use());
  EXPECT_EQ(core.Decide(DecideRequest{150, {"k3"}, {}}, 300).verdict, Verdict::kDataConflict);
  EXPECT_EQ(core.Decide(DecideRequest{250, {"k3"}, {}}, 300).verdict, Verdict::kCommit);
}

}  // namespace
}  // namespace borealis::adjudicator
