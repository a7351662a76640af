#include "runtime/random.h"

#include "common/check.h"

namespace borealis::runtime {

uint64_t Random::Uniform(uint64_t bound) {
  BOREALIS_CHECK(bound > 0);
  // Rejection sampling: drop the top partial bucket so every residue is equally likely.
  const uint64_t limit = UINT64_MAX - (UINT64_MAX % bound + 1) % bound;
  while (true) {
    const uint64_t value = Next();
    if (value <= limit) return value % bound;
  }
}

uint64_t Random::Range(uint64_t low, uint64_t high) {
  BOREALIS_CHECK_LE(low, high);
  if (low == 0 && high == UINT64_MAX) return Next();
  return low + Uniform(high - low + 1);
}

double Random::NextDouble() {
  // 53 random bits: every representable double in [0, 1) with that spacing.
  return static_cast<double>(Next() >> 11) * 0x1.0p-53;
}

bool Random::Bernoulli(double probability) {
  if (probability <= 0) return false;
  if (probability >= 1) return true;
  return NextDouble() < probability;
}

std::unique_ptr<Random> MakeProductionRandom() {
  std::random_device device;
  const uint64_t seed = (static_cast<uint64_t>(device()) << 32) ^ device();
  return std::make_unique<SeededRandom>(seed);
}

}  // namespace borealis::runtime
