#include "sql/default_text.h"

#include <cctype>
#include <utility>

namespace borealis::sql {
namespace {

bool IsWordChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$' ||
         static_cast<unsigned char>(c) >= 0x80;
}

std::string Lower(std::string_view word) {
  std::string out(word);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Skips a quoted unit or comment starting at `i`; returns its end, or npos if unterminated,
// or `i` when nothing quoted starts there.
size_t SkipQuoted(std::string_view s, size_t i) {
  char c = s[i];
  if (c == '-' && i + 1 < s.size() && s[i + 1] == '-') {
    size_t end = s.find('\n', i);
    return end == std::string_view::npos ? s.size() : end + 1;
  }
  if (c == '/' && i + 1 < s.size() && s[i + 1] == '*') {
    size_t end = s.find("*/", i + 2);
    return end == std::string_view::npos ? std::string_view::npos : end + 2;
  }
  if (c == '\'' || c == '"') {
    bool backslashes = c == '\'' && i > 0 && (s[i - 1] == 'E' || s[i - 1] == 'e');
    for (size_t j = i + 1; j < s.size(); ++j) {
      if (backslashes && s[j] == '\\') {
        ++j;
        continue;
      }
      if (s[j] == c) {
        if (j + 1 < s.size() && s[j + 1] == c) {
          ++j;  // doubled quote
          continue;
        }
        return j + 1;
      }
    }
    return std::string_view::npos;
  }
  if (c == '$') {
    size_t close = s.find('$', i + 1);
    if (close == std::string_view::npos) return i;
    std::string_view tag = s.substr(i, close - i + 1);
    for (char t : tag.substr(1, tag.size() - 2)) {
      if (!IsWordChar(t) || t == '$') return i;  // not a dollar-quote tag ($1 parameters)
    }
    if (tag.size() > 2 && std::isdigit(static_cast<unsigned char>(tag[1]))) return i;
    size_t end = s.find(tag, close + 1);
    return end == std::string_view::npos ? std::string_view::npos : end + tag.size();
  }
  return i;
}

}  // namespace

std::optional<std::string> ColumnDefaultText(std::string_view source, size_t column_location) {
  // The last two lexical units as lower-cased words ("" for punctuation or a quoted unit):
  // enough to tell `IS [NOT] NULL` from a NOT NULL / NULL constraint.
  std::string previous;
  std::string before_previous;
  auto advance = [&](std::string word) {
    before_previous = std::exchange(previous, std::move(word));
  };
  size_t i = column_location;
  int depth = 0;
  bool in_default = false;
  size_t default_begin = 0;
  auto finish = [&](size_t end) -> std::optional<std::string> {
    std::string_view text = source.substr(default_begin, end - default_begin);
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
      text.remove_suffix(1);
    }
    while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
      text.remove_prefix(1);
    }
    if (text.empty()) return std::nullopt;
    return std::string(text);
  };
  while (i < source.size()) {
    char c = source[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
      continue;
    }
    size_t quoted_end = SkipQuoted(source, i);
    if (quoted_end == std::string_view::npos) return std::nullopt;
    if (quoted_end != i) {
      advance("");
      i = quoted_end;
      continue;
    }
    if (IsWordChar(c)) {
      size_t end = i;
      while (end < source.size() && IsWordChar(source[end])) ++end;
      std::string word = Lower(source.substr(i, end - i));
      if (depth == 0) {
        if (!in_default && word == "default") {
          in_default = true;
          default_begin = end;
        } else if (in_default) {
          bool after_is = previous == "is" || (previous == "not" && before_previous == "is");
          bool stop = word == "constraint" || word == "primary" || word == "unique" ||
                      word == "check" || word == "references" || word == "generated" ||
                      (word == "null" && !after_is) || (word == "not" && previous != "is");
          if (stop) {
            // NOT ends the expression only as NOT NULL.
            if (word == "not") {
              size_t next = end;
              while (next < source.size() &&
                     std::isspace(static_cast<unsigned char>(source[next]))) {
                ++next;
              }
              size_t next_end = next;
              while (next_end < source.size() && IsWordChar(source[next_end])) ++next_end;
              stop = Lower(source.substr(next, next_end - next)) == "null";
            }
            if (stop) return finish(i);
          }
        }
      }
      advance(std::move(word));
      i = end;
      continue;
    }
    if (c == '(') {
      ++depth;
    } else if (c == ')') {
      if (depth == 0) return in_default ? finish(i) : std::nullopt;
      --depth;
    } else if (c == ',' && depth == 0) {
      return in_default ? finish(i) : std::nullopt;
    }
    advance("");
    ++i;
  }
  return in_default ? finish(source.size()) : std::nullopt;
}

}  // namespace borealis::sql
