// A small SQL lexer for the two spots where the index statements need the source text itself
// (sql/ast_index.h): DSQL's ASYNC keyword and the text of CHECK conditions.
#include <cctype>

#include "sql/ast_index.h"

namespace borealis::sql {
namespace {

struct Token {
  size_t begin = 0;
  size_t end = 0;
  bool word = false;  // an unquoted identifier or keyword
};

bool IsWordStart(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || (c & 0x80) != 0;
}
bool IsWordPart(char c) {
  return IsWordStart(c) || std::isdigit(static_cast<unsigned char>(c)) || c == '$';
}

// Walks `sql` token by token, skipping whitespace and comments; quoted strings, quoted
// identifiers and dollar-quoted strings are single non-word tokens.
class Lexer {
 public:
  explicit Lexer(std::string_view sql, size_t start = 0) : sql_(sql), pos_(start) {}

  std::optional<Token> Next() {
    SkipSpaceAndComments();
    if (pos_ >= sql_.size()) return std::nullopt;
    Token token{pos_, pos_, false};
    char c = sql_[pos_];
    if ((c == 'e' || c == 'E') && pos_ + 1 < sql_.size() && sql_[pos_ + 1] == '\'') {
      ++pos_;
      SkipQuoted('\'', true);
    } else if (IsWordStart(c)) {
      while (pos_ < sql_.size() && IsWordPart(sql_[pos_])) ++pos_;
      token.word = true;
    } else if (c == '\'') {
      SkipQuoted('\'', false);
    } else if (c == '"') {
      SkipQuoted('"', false);
    } else if (c == '$' && SkipDollarQuoted()) {
    } else {
      ++pos_;
    }
    token.end = pos_;
    return token;
  }

 private:
  void SkipSpaceAndComments() {
    for (;;) {
      while (pos_ < sql_.size() && std::isspace(static_cast<unsigned char>(sql_[pos_]))) ++pos_;
      if (sql_.compare(pos_, 2, "--") == 0) {
        while (pos_ < sql_.size() && sql_[pos_] != '\n') ++pos_;
      } else if (sql_.compare(pos_, 2, "/*") == 0) {
        int depth = 0;
        while (pos_ < sql_.size()) {
          if (sql_.compare(pos_, 2, "/*") == 0) {
            ++depth;
            pos_ += 2;
          } else if (sql_.compare(pos_, 2, "*/") == 0) {
            pos_ += 2;
            if (--depth == 0) break;
          } else {
            ++pos_;
          }
        }
      } else {
        return;
      }
    }
  }

  // At the opening quote: moves past the closing one (a doubled quote is part of the text).
  void SkipQuoted(char quote, bool backslash_escapes) {
    ++pos_;
    while (pos_ < sql_.size()) {
      char c = sql_[pos_++];
      if (backslash_escapes && c == '\\') {
        ++pos_;
      } else if (c == quote) {
        if (pos_ < sql_.size() && sql_[pos_] == quote) {
          ++pos_;
        } else {
          return;
        }
      }
    }
  }

  // $tag$ ... $tag$; false (nothing consumed) when this `$` does not open one.
  bool SkipDollarQuoted() {
    size_t close = pos_ + 1;
    while (close < sql_.size() && sql_[close] != '$' && IsWordPart(sql_[close])) ++close;
    if (close >= sql_.size() || sql_[close] != '$') return false;
    std::string_view tag = sql_.substr(pos_, close - pos_ + 1);
    size_t end = sql_.find(tag, close + 1);
    pos_ = end == std::string_view::npos ? sql_.size() : end + tag.size();
    return true;
  }

  std::string_view sql_;
  size_t pos_;
};

bool WordIs(std::string_view sql, const Token& token, std::string_view keyword) {
  if (!token.word || token.end - token.begin != keyword.size()) return false;
  for (size_t i = 0; i < keyword.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(sql[token.begin + i])) != keyword[i]) return false;
  }
  return true;
}

}  // namespace

BlankedAsync BlankAsyncKeywords(std::string_view sql) {
  BlankedAsync out;
  out.text = std::string(sql);
  // The last three tokens, to recognise CREATE [UNIQUE] INDEX ASYNC.
  std::optional<Token> previous[3];
  Lexer lexer(sql);
  while (std::optional<Token> token = lexer.Next()) {
    if (WordIs(sql, *token, "async") && previous[0] && WordIs(sql, *previous[0], "index")) {
      bool create = previous[1] && WordIs(sql, *previous[1], "create");
      bool unique_create = previous[1] && WordIs(sql, *previous[1], "unique") && previous[2] &&
                           WordIs(sql, *previous[2], "create");
      if ((create || unique_create) && out.offsets.size() < kMaxAsyncKeywords) {
        out.offsets.push_back(token->begin);
        for (size_t i = token->begin; i < token->end; ++i) out.text[i] = ' ';
      }
    }
    previous[2] = previous[1];
    previous[1] = previous[0];
    previous[0] = token;
  }
  return out;
}

std::optional<std::string> CheckConditionText(std::string_view sql, int location) {
  if (location < 0 || static_cast<size_t>(location) >= sql.size()) return std::nullopt;
  Lexer lexer(sql, static_cast<size_t>(location));
  std::optional<Token> token;
  while ((token = lexer.Next()) && !WordIs(sql, *token, "check")) {
  }
  if (!token) return std::nullopt;
  token = lexer.Next();
  if (!token || sql[token->begin] != '(') return std::nullopt;
  size_t begin = token->end;
  int depth = 1;
  while ((token = lexer.Next())) {
    char c = sql[token->begin];
    if (token->end - token->begin == 1 && c == '(') ++depth;
    if (token->end - token->begin == 1 && c == ')' && --depth == 0) {
      std::string_view text = sql.substr(begin, token->begin - begin);
      while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) {
        text.remove_prefix(1);
      }
      while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) {
        text.remove_suffix(1);
      }
      return std::string(text);
    }
  }
  return std::nullopt;
}

}  // namespace borealis::sql
