// HeapMeter: counts the bytes of live C++ heap allocations (global operator new/delete) of the
// whole process, and their peak, for memory tests. Linking heap_meter.cc into a test binary
// replaces the global allocation functions of that binary (and of the shared libraries it
// loads, e.g. RocksDB and protobuf): only link it into dedicated memory tests.
//
// Counts malloc_usable_size() of each block, so allocator rounding is included; memory taken
// with malloc() directly (not through operator new) is not counted.
// Thread-safe (relaxed atomics; the peak is exact up to concurrent updates of one instant).
#pragma once

#include <cstdint>

namespace borealis::testing {

struct HeapMeter {
  static int64_t Current();
  static int64_t Peak();
  // Starts a new peak measurement at the current level.
  static void ResetPeak();
};

// VmHWM (peak resident set) and VmRSS of this process, in bytes, from /proc/self/status.
int64_t ProcessPeakResidentBytes();
int64_t ProcessResidentBytes();

}  // namespace borealis::testing
