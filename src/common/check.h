// Always-on assertions. A broken invariant crashes loudly with the condition, the location and
// any operands given; it never limps on and never throws.
#pragma once

#include <sstream>
#include <string>

namespace borealis::internal {
[[noreturn]] void CheckFailed(const char* condition, const char* file, int line,
                              const std::string& message);

inline std::string CheckMessage() { return {}; }
template <typename... Args>
std::string CheckMessage(const Args&... args) {
  std::ostringstream out;
  ((out << args << ' '), ...);
  return out.str();
}
}  // namespace borealis::internal

// BOREALIS_CHECK(cond, operands...): operands are streamed into the crash message.
#define BOREALIS_CHECK(cond, ...)                                                         \
  do {                                                                                    \
    if (!(cond)) [[unlikely]] {                                                           \
      ::borealis::internal::CheckFailed(#cond, __FILE__, __LINE__,                        \
                                        ::borealis::internal::CheckMessage(__VA_ARGS__)); \
    }                                                                                     \
  } while (0)

#define BOREALIS_CHECK_EQ(a, b) BOREALIS_CHECK((a) == (b), "lhs:", (a), "rhs:", (b))
#define BOREALIS_CHECK_LE(a, b) BOREALIS_CHECK((a) <= (b), "lhs:", (a), "rhs:", (b))
#define BOREALIS_CHECK_LT(a, b) BOREALIS_CHECK((a) < (b), "lhs:", (a), "rhs:", (b))
