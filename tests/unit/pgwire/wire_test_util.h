// Test helpers: build frontend messages as bytes and split backend bytes into messages.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace borealis::pgwire::testing {

inline void PutInt32(std::string& out, int32_t value) {
  uint32_t v = static_cast<uint32_t>(value);
  out.push_back(char(v >> 24));
  out.push_back(char(v >> 16));
  out.push_back(char(v >> 8));
  out.push_back(char(v));
}
inline void PutInt16(std::string& out, int16_t value) {
  out.push_back(char(uint16_t(value) >> 8));
  out.push_back(char(value));
}
inline void PutString(std::string& out, std::string_view s) {
  out.append(s);
  out.push_back('\0');
}

inline std::string Typed(char type, std::string_view body) {
  std::string out(1, type);
  PutInt32(out, static_cast<int32_t>(body.size() + 4));
  out.append(body);
  return out;
}

inline std::string Untyped(int32_t code, std::string_view body) {
  std::string out;
  PutInt32(out, static_cast<int32_t>(body.size() + 8));
  PutInt32(out, code);
  out.append(body);
  return out;
}

inline std::string StartupPacket(std::vector<std::pair<std::string, std::string>> params,
                                 int32_t version = 196608) {
  std::string body;
  for (auto& [k, v] : params) {
    PutString(body, k);
    PutString(body, v);
  }
  body.push_back('\0');
  return Untyped(version, body);
}

inline std::string QueryMessage(std::string_view sql) {
  std::string body;
  PutString(body, sql);
  return Typed('Q', body);
}

inline std::string ParseMessage(std::string_view name, std::string_view sql,
                                std::vector<int32_t> types = {}) {
  std::string body;
  PutString(body, name);
  PutString(body, sql);
  PutInt16(body, static_cast<int16_t>(types.size()));
  for (int32_t t : types) PutInt32(body, t);
  return Typed('P', body);
}

inline std::string BindMessage(std::string_view portal, std::string_view statement,
                               std::vector<std::string> values = {}) {
  std::string body;
  PutString(body, portal);
  PutString(body, statement);
  PutInt16(body, 0);
  PutInt16(body, static_cast<int16_t>(values.size()));
  for (auto& v : values) {
    PutInt32(body, static_cast<int32_t>(v.size()));
    body += v;
  }
  PutInt16(body, 0);
  return Typed('B', body);
}

inline std::string DescribeMessage(char kind, std::string_view name) {
  std::string body(1, kind);
  PutString(body, name);
  return Typed('D', body);
}

inline std::string ExecuteMessage(std::string_view portal, int32_t max_rows) {
  std::string body;
  PutString(body, portal);
  PutInt32(body, max_rows);
  return Typed('E', body);
}

inline std::string SyncMessage() { return Typed('S', ""); }

struct BackendMessage {
  char type;
  std::string body;
};

// Splits backend bytes into messages; stops at an incomplete tail.
inline std::vector<BackendMessage> SplitBackend(std::string_view data) {
  std::vector<BackendMessage> out;
  while (data.size() >= 5) {
    uint32_t len = (uint32_t(uint8_t(data[1])) << 24) | (uint32_t(uint8_t(data[2])) << 16) |
                   (uint32_t(uint8_t(data[3])) << 8) | uint32_t(uint8_t(data[4]));
    if (len < 4 || data.size() < len + 1) break;
    out.push_back({data[0], std::string(data.substr(5, len - 4))});
    data.remove_prefix(len + 1);
  }
  return out;
}

inline std::string Types(const std::vector<BackendMessage>& messages) {
  std::string out;
  for (auto& m : messages) out.push_back(m.type);
  return out;
}

// The value of one field (e.g. 'C', 'M') of an ErrorResponse/NoticeResponse body.
inline std::string ErrorField(const std::string& body, char code) {
  size_t i = 0;
  while (i < body.size() && body[i] != '\0') {
    char c = body[i++];
    size_t end = body.find('\0', i);
    if (end == std::string::npos) return "";
    if (c == code) return body.substr(i, end - i);
    i = end + 1;
  }
  return "";
}

}  // namespace borealis::pgwire::testing
