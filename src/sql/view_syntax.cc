#include "sql/view_syntax.h"

#include <cctype>

namespace borealis::sql {
namespace {

bool IsIdentifierChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$' ||
         (static_cast<unsigned char>(c) & 0x80) != 0;
}

// The offset just past the token that starts at `p` when it is a quote, comment or dollar
// quote; `p` itself otherwise.
size_t SkipQuoted(std::string_view s, size_t p) {
  char c = s[p];
  if (c == '\'' || c == '"') {
    // E'..' strings may escape quotes with a backslash; '' and "" double them everywhere.
    bool escapes = c == '\'' && p > 0 && (s[p - 1] == 'e' || s[p - 1] == 'E') &&
                   (p < 2 || !IsIdentifierChar(s[p - 2]));
    size_t i = p + 1;
    while (i < s.size()) {
      if (escapes && s[i] == '\\') {
        i += 2;
        continue;
      }
      if (s[i] == c) {
        if (i + 1 < s.size() && s[i + 1] == c) {
          i += 2;
          continue;
        }
        return i + 1;
      }
      ++i;
    }
    return s.size();
  }
  if (c == '-' && p + 1 < s.size() && s[p + 1] == '-') {
    size_t end = s.find('\n', p);
    return end == std::string_view::npos ? s.size() : end + 1;
  }
  if (c == '/' && p + 1 < s.size() && s[p + 1] == '*') {
    int depth = 0;
    size_t i = p;
    while (i + 1 < s.size()) {
      if (s[i] == '/' && s[i + 1] == '*') {
        ++depth;
        i += 2;
      } else if (s[i] == '*' && s[i + 1] == '/') {
        i += 2;
        if (--depth == 0) return i;
      } else {
        ++i;
      }
    }
    return s.size();
  }
  if (c == '$' && (p == 0 || !IsIdentifierChar(s[p - 1]))) {
    size_t close = p + 1;
    while (close < s.size() && s[close] != '$' &&
           (std::isalnum(static_cast<unsigned char>(s[close])) || s[close] == '_')) {
      ++close;
    }
    if (close < s.size() && s[close] == '$') {
      std::string_view tag = s.substr(p, close - p + 1);
      size_t end = s.find(tag, close + 1);
      return end == std::string_view::npos ? s.size() : end + tag.size();
    }
  }
  return p;
}

}  // namespace

Result<SourceSpan> ViewQuerySpan(std::string_view s, size_t p) {
  int depth = 0;
  size_t begin = std::string_view::npos;
  while (p < s.size()) {
    size_t skipped = SkipQuoted(s, p);
    if (skipped != p) {
      p = skipped;
      continue;
    }
    char c = s[p];
    if (c == '(') ++depth;
    if (c == ')') --depth;
    if (begin == std::string_view::npos) {
      if (depth == 0 && (c == 'a' || c == 'A') && p + 1 < s.size() &&
          (s[p + 1] == 's' || s[p + 1] == 'S') && (p == 0 || !IsIdentifierChar(s[p - 1])) &&
          (p + 2 >= s.size() || !IsIdentifierChar(s[p + 2]))) {
        begin = p + 2;
        p += 2;
        continue;
      }
      if (IsIdentifierChar(c)) {  // skip whole words (names that contain "as")
        while (p < s.size() && IsIdentifierChar(s[p])) ++p;
        continue;
      }
    } else if (depth == 0 && c == ';') {
      break;
    }
    ++p;
  }
  if (begin == std::string_view::npos) {
    return Status::InvalidArgument("CREATE VIEW without AS");
  }
  size_t end = p;
  while (begin < end && std::isspace(static_cast<unsigned char>(s[begin]))) ++begin;
  while (end > begin && std::isspace(static_cast<unsigned char>(s[end - 1]))) --end;
  return SourceSpan{begin, end};
}

}  // namespace borealis::sql
