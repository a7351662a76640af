#include "sql/uuid.h"

#include "fmt/format.h"

namespace borealis::sql {
namespace {

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

Status BadUuid(std::string_view text) {
  return Status::Sql("22P02", fmt::format("invalid input syntax for type uuid: \"{}\"", text));
}

}  // namespace

Result<std::string> ParseUuid(std::string_view text) {
  std::string_view rest = text;
  bool braces = !rest.empty() && rest.front() == '{';
  if (braces) rest.remove_prefix(1);
  std::string bytes;
  bytes.reserve(kUuidBytes);
  for (size_t i = 0; i < kUuidBytes; ++i) {
    if (rest.size() < 2) return BadUuid(text);
    int high = HexDigit(rest[0]);
    int low = HexDigit(rest[1]);
    if (high < 0 || low < 0) return BadUuid(text);
    bytes.push_back(static_cast<char>(high * 16 + low));
    rest.remove_prefix(2);
    // A hyphen may follow every group of four digits but the last.
    if (!rest.empty() && rest.front() == '-' && i % 2 == 1 && i + 1 < kUuidBytes) {
      rest.remove_prefix(1);
    }
  }
  if (braces) {
    if (rest.empty() || rest.front() != '}') return BadUuid(text);
    rest.remove_prefix(1);
  }
  if (!rest.empty()) return BadUuid(text);
  return bytes;
}

std::string FormatUuid(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    auto byte = static_cast<unsigned char>(bytes[i]);
    out.push_back(kDigits[byte >> 4]);
    out.push_back(kDigits[byte & 0xf]);
  }
  return out;
}

std::string RandomUuid(uint64_t high, uint64_t low) {
  std::string bytes(kUuidBytes, '\0');
  for (int i = 0; i < 8; ++i) {
    bytes[i] = static_cast<char>(high >> (56 - 8 * i));
    bytes[8 + i] = static_cast<char>(low >> (56 - 8 * i));
  }
  bytes[6] = static_cast<char>((bytes[6] & 0x0f) | 0x40);  // version 4
  bytes[8] = static_cast<char>((bytes[8] & 0x3f) | 0x80);  // RFC 4122 variant
  return bytes;
}

}  // namespace borealis::sql
