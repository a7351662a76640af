// The uuid type (issue 4; SQL_SURFACE.md "Types"): PostgreSQL's text and binary forms.
//
// A uuid Value holds its 16 bytes, in order, as a std::string (value.h), so comparison is
// bytewise — PostgreSQL orders uuids by memcmp too — and it is stored as bytes
// (encoding::ColumnType::kBytea), which keeps key order. Input accepts what PostgreSQL's
// uuid_in accepts: 32 hex digits, optionally in braces, with an optional hyphen after any
// group of four digits except the last ('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
// '{a0eebc999c0b4ef8bb6d6bb9bd380a11}', 'a0ee-bc99-9c0b-4ef8-bb6d-6bb9-bd38-0a11'); anything
// else is 22P02 `invalid input syntax for type uuid: "..."`. Output is lowercase 8-4-4-4-12.
// Pure functions.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace borealis::sql {

inline constexpr size_t kUuidBytes = 16;

// The 16 bytes of `text`, or 22P02.
Result<std::string> ParseUuid(std::string_view text);
// REQUIRES: bytes.size() == kUuidBytes.
std::string FormatUuid(std::string_view bytes);
// A version-4 (random) uuid from 128 random bits, as gen_random_uuid() makes.
std::string RandomUuid(uint64_t high, uint64_t low);

}  // namespace borealis::sql
