// Randomness for the transaction core: a seeded 64-bit generator behind an interface.
//
// Contract: a Random yields a deterministic sequence given its seed (std::mt19937_64, whose
// output the C++ standard fixes, plus our own bias-free range reduction, so runs reproduce
// across standard libraries). Production code seeds from std::random_device
// (MakeProductionRandom); the simulator hands every node a view of its one seeded stream.
// Not thread-safe: one Random per thread (or per simulated world).
#pragma once

#include <cstdint>
#include <memory>
#include <random>

namespace borealis::runtime {

class Random {
 public:
  virtual ~Random() = default;
  virtual uint64_t Next() = 0;

  // Uniform in [0, bound). REQUIRES: bound > 0.
  uint64_t Uniform(uint64_t bound);
  // Uniform in [low, high]. REQUIRES: low <= high.
  uint64_t Range(uint64_t low, uint64_t high);
  // True with probability `probability` (clamped to [0, 1]).
  bool Bernoulli(double probability);
  // Uniform in [0, 1).
  double NextDouble();
};

class SeededRandom final : public Random {
 public:
  explicit SeededRandom(uint64_t seed) : engine_(seed) {}
  uint64_t Next() override { return engine_(); }

 private:
  std::mt19937_64 engine_;
};

// Seeded from std::random_device.
std::unique_ptr<Random> MakeProductionRandom();

}  // namespace borealis::runtime
