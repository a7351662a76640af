#include "runtime/clock.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "runtime/random.h"

namespace borealis::runtime {
namespace {

class FakePhysicalClock final : public PhysicalClock {
 public:
  Timestamp NowNs() const override { return now; }
  Timestamp now = 1000;
};

TEST(HybridLogicalClockTest, StrictlyIncreasingWhenPhysicalClockStallsOrGoesBack) {
  FakePhysicalClock physical;
  HybridLogicalClock clock(&physical, std::chrono::nanoseconds(0));
  Timestamp previous = clock.Now();
  EXPECT_EQ(previous, 1000u);
  for (int i = 0; i < 100; ++i) {
    if (i == 50) physical.now = 500;  // NTP stepped back
    const Timestamp next = clock.Now();
    EXPECT_GT(next, previous);
    previous = next;
  }
  physical.now = 5000;
  EXPECT_EQ(clock.Now(), 5000u);
}

TEST(HybridLogicalClockTest, UpdateMovesPastReceivedTimestamps) {
  FakePhysicalClock physical;
  HybridLogicalClock clock(&physical, std::chrono::nanoseconds(0));
  clock.Update(1'000'000);
  EXPECT_GT(clock.Now(), 1'000'000u);
  clock.Update(10);  // an old timestamp changes nothing
  EXPECT_GT(clock.Now(), 1'000'001u);
}

TEST(HybridLogicalClockTest, IntervalWidthIsTwiceTheMaxError) {
  FakePhysicalClock physical;
  physical.now = 1'000'000;
  HybridLogicalClock exact(&physical, std::chrono::nanoseconds(0));
  ClockInterval point = exact.Interval();
  EXPECT_EQ(point.earliest, point.latest);
  EXPECT_EQ(point.latest, 1'000'000u);

  HybridLogicalClock loose(&physical, std::chrono::microseconds(250));
  ClockInterval interval = loose.Interval();
  EXPECT_EQ(interval.latest - interval.earliest, 500'000u);
  EXPECT_EQ(interval.earliest + 250'000, loose.Now() - 1);
}

TEST(HybridLogicalClockTest, ConcurrentCallersNeverSeeDuplicates) {
  SystemPhysicalClock physical;
  HybridLogicalClock clock(&physical, std::chrono::nanoseconds(0));
  constexpr int kPerThread = 20000;
  std::vector<std::vector<Timestamp>> seen(2);
  std::vector<std::thread> threads;
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) seen[t].push_back(clock.Now());
    });
  }
  for (auto& thread : threads) thread.join();
  std::vector<Timestamp> all;
  for (auto& list : seen) {
    for (size_t i = 1; i < list.size(); ++i) ASSERT_GT(list[i], list[i - 1]);
    all.insert(all.end(), list.begin(), list.end());
  }
  std::sort(all.begin(), all.end());
  EXPECT_EQ(std::adjacent_find(all.begin(), all.end()), all.end());
}

TEST(RandomTest, SameSeedSameSequenceAndBoundsHold) {
  SeededRandom a(42);
  SeededRandom b(42);
  SeededRandom c(43);
  bool differs = false;
  for (int i = 0; i < 1000; ++i) {
    const uint64_t x = a.Next();
    EXPECT_EQ(x, b.Next());
    differs |= x != c.Next();
    EXPECT_LT(a.Uniform(7), 7u);
    const uint64_t r = a.Range(10, 12);
    EXPECT_GE(r, 10u);
    EXPECT_LE(r, 12u);
    b.Uniform(7);
    b.Range(10, 12);
    const double d = a.NextDouble();
    b.NextDouble();
    EXPECT_GE(d, 0.0);
    EXPECT_LT(d, 1.0);
  }
  EXPECT_TRUE(differs);
  EXPECT_FALSE(a.Bernoulli(0));
  EXPECT_TRUE(a.Bernoulli(1));
  auto production = MakeProductionRandom();
  EXPECT_NE(production->Next(), production->Next());
}

}  // namespace
}  // namespace borealis::runtime
