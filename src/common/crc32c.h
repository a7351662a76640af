// CRC-32C (Castagnoli polynomial, reflected 0x82F63B78), as used for journal entry checksums.
// Pure; thread-safe.
#pragma once

#include <cstdint>
#include <string_view>

namespace borealis {

// Extends `crc` (0 for a fresh checksum) with `data`. Uses the CPU's crc32 instruction when it
// has one (x86-64 with SSE 4.2), else a table.
uint32_t Crc32c(std::string_view data, uint32_t crc = 0);
// The table version, always: the reference the hardware path is tested against.
uint32_t Crc32cPortable(std::string_view data, uint32_t crc = 0);

}  // namespace borealis
