// Replacement global operator new/delete that keep a live-byte count and its peak (see
// heap_meter.h).
#include "heap_meter.h"

#include <malloc.h>

#include <atomic>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>

namespace borealis::testing {
namespace {

std::atomic<int64_t> current_bytes{0};
std::atomic<int64_t> peak_bytes{0};

void Count(void* block) {
  if (block == nullptr) return;
  int64_t now = current_bytes.fetch_add(static_cast<int64_t>(malloc_usable_size(block)),
                                        std::memory_order_relaxed) +
                static_cast<int64_t>(malloc_usable_size(block));
  int64_t peak = peak_bytes.load(std::memory_order_relaxed);
  while (now > peak && !peak_bytes.compare_exchange_weak(peak, now, std::memory_order_relaxed)) {
  }
}

void* Allocate(std::size_t size, std::size_t alignment) {
  if (size == 0) size = 1;
  void* block = alignment <= alignof(std::max_align_t)
                    ? std::malloc(size)
                    : std::aligned_alloc(alignment, (size + alignment - 1) / alignment * alignment);
  Count(block);
  return block;
}

void Free(void* block) {
  if (block == nullptr) return;
  current_bytes.fetch_sub(static_cast<int64_t>(malloc_usable_size(block)),
                          std::memory_order_relaxed);
  std::free(block);
}

int64_t StatusField(const char* name) {
  std::FILE* file = std::fopen("/proc/self/status", "r");
  if (file == nullptr) return -1;
  char line[256];
  int64_t kilobytes = -1;
  size_t name_length = std::strlen(name);
  while (std::fgets(line, sizeof(line), file) != nullptr) {
    if (std::strncmp(line, name, name_length) == 0 && line[name_length] == ':') {
      kilobytes = std::strtoll(line + name_length + 1, nullptr, 10);
      break;
    }
  }
  std::fclose(file);
  return kilobytes < 0 ? -1 : kilobytes * 1024;
}

}  // namespace

int64_t HeapMeter::Current() { return current_bytes.load(std::memory_order_relaxed); }
int64_t HeapMeter::Peak() { return peak_bytes.load(std::memory_order_relaxed); }
void HeapMeter::ResetPeak() { peak_bytes.store(Current(), std::memory_order_relaxed); }

int64_t ProcessPeakResidentBytes() { return StatusField("VmHWM"); }
int64_t ProcessResidentBytes() { return StatusField("VmRSS"); }

}  // namespace borealis::testing

using borealis::testing::Allocate;
using borealis::testing::Free;

void* operator new(std::size_t size) {
  void* block = Allocate(size, alignof(std::max_align_t));
  if (block == nullptr) throw std::bad_alloc();
  return block;
}
void* operator new[](std::size_t size) { return operator new(size); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  return Allocate(size, alignof(std::max_align_t));
}
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept {
  return Allocate(size, alignof(std::max_align_t));
}
void* operator new(std::size_t size, std::align_val_t alignment) {
  void* block = Allocate(size, static_cast<std::size_t>(alignment));
  if (block == nullptr) throw std::bad_alloc();
  return block;
}
void* operator new[](std::size_t size, std::align_val_t alignment) {
  return operator new(size, alignment);
}
void* operator new(std::size_t size, std::align_val_t alignment, const std::nothrow_t&) noexcept {
  return Allocate(size, static_cast<std::size_t>(alignment));
}
void* operator new[](std::size_t size, std::align_val_t alignment, const std::nothrow_t&) noexcept {
  return Allocate(size, static_cast<std::size_t>(alignment));
}
void operator delete(void* block) noexcept { Free(block); }
void operator delete[](void* block) noexcept { Free(block); }
void operator delete(void* block, std::size_t) noexcept { Free(block); }
void operator delete[](void* block, std::size_t) noexcept { Free(block); }
void operator delete(void* block, const std::nothrow_t&) noexcept { Free(block); }
void operator delete[](void* block, const std::nothrow_t&) noexcept { Free(block); }
void operator delete(void* block, std::align_val_t) noexcept { Free(block); }
void operator delete[](void* block, std::align_val_t) noexcept { Free(block); }
void operator delete(void* block, std::size_t, std::align_val_t) noexcept { Free(block); }
void operator delete[](void* block, std::size_t, std::align_val_t) noexcept { Free(block); }
void operator delete(void* block, std::align_val_t, const std::nothrow_t&) noexcept { Free(block); }
void operator delete[](void* block, std::align_val_t, const std::nothrow_t&) noexcept {
  Free(block);
}
