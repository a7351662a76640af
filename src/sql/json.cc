#include "sql/json.h"

#include <algorithm>
#include <cstring>

#include "fmt/format.h"
#include "sql/numeric.h"

namespace borealis::sql::json {
namespace {

enum class Token {
  kString,
  kNumber,
  kTrue,
  kFalse,
  kNull,
  kObjectStart,
  kObjectEnd,
  kArrayStart,
  kArrayEnd,
  kComma,
  kColon,
  kEnd,
};

bool IsAlphanumeric(char c) {  // PostgreSQL's JSON_ALPHANUMERIC_CHAR
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         (static_cast<unsigned char>(c) & 0x80) != 0;
}
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

Status SyntaxError(std::string detail) {
  return Status::Sql("22P02", "invalid input syntax for type json").WithDetail(std::move(detail));
}

void AppendUtf8(std::string& out, uint32_t code_point) {
  if (code_point < 0x80) {
    out.push_back(static_cast<char>(code_point));
  } else if (code_point < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (code_point >> 6)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else if (code_point < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (code_point >> 12)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (code_point >> 18)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  }
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The byte length of the UTF-8 character at `s[i]` (1 for a stray byte), bounded by s.size().
size_t CharLength(std::string_view s, size_t i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 1;
  return std::min(n, s.size() - i);
}

// jsonb's object order: by key length, then bytes; the last of duplicate keys wins.
void SortMembers(Node& node) {
  auto& members = node.members;
  // Stable, so among duplicates the last one written stays last; keep that one.
  std::stable_sort(members.begin(), members.end(), [](const auto& a, const auto& b) {
    if (a.first.size() != b.first.size()) return a.first.size() < b.first.size();
    return a.first < b.first;
  });
  std::vector<std::pair<std::string, Node>> unique;
  unique.reserve(members.size());
  for (size_t i = 0; i < members.size(); ++i) {
    if (i + 1 < members.size() && members[i + 1].first == members[i].first) continue;
    unique.push_back(std::move(members[i]));
  }
  members = std::move(unique);
}

// PostgreSQL's json_lex/json_lex_string/json_lex_number plus its recursive-descent parser.
class Parser {
 public:
  Parser(std::string_view input, Mode mode) : input_(input), mode_(mode) {}

  Result<Node> ParseDocument() {
    Node root;
    Status status = Lex();
    if (status.ok()) status = ParseValue(root, 0);
    if (status.ok() && token_ != Token::kEnd) {
      status = SyntaxError(fmt::format("Expected end of input, but found \"{}\".", TokenText()));
    }
    if (status.ok()) return root;
    if (status.sqlstate() == "22P02" || status.sqlstate() == "22P05") {
      return std::move(status).WithContext(Context());
    }
    return status;
  }

 private:
  // PostgreSQL's report_json_context: the error's line up to the bad token, at most ~50 bytes.
  std::string Context() const {
    size_t end = std::min(token_end_, input_.size());
    size_t start = std::min(line_start_, end);
    while (end - start >= 50) start += CharLength(input_, start);
    if (start - line_start_ <= 3) start = line_start_;
    bool more = !(token_ == Token::kEnd && !lexer_error_) && end < input_.size() &&
                input_[end] != '\n' && input_[end] != '\r';
    return fmt::format("JSON data, line {}: {}{}{}", line_number_, start > line_start_ ? "..." : "",
                       input_.substr(start, end - start), more ? "..." : "");
  }

  std::string_view TokenText() const {
    return input_.substr(token_start_, token_end_ - token_start_);
  }

  // report_parse_error: at the end of input every parse error is "ended unexpectedly".
  Status Expected(std::string_view what) const {
    if (token_ == Token::kEnd) return SyntaxError("The input string ended unexpectedly.");
    return SyntaxError(fmt::format("Expected {}, but found \"{}\".", what, TokenText()));
  }

  Status InvalidToken(size_t end) {
    lexer_error_ = true;
    token_end_ = end;
    return SyntaxError(fmt::format("Token \"{}\" is invalid.", TokenText()));
  }

  // Reads the next token into token_ (and string_/bad_escape_ for strings).
  Status Lex() {
    size_t i = position_;
    while (i < input_.size() &&
           (input_[i] == ' ' || input_[i] == '\t' || input_[i] == '\n' || input_[i] == '\r')) {
      if (input_[i] == '\n') {
        ++line_number_;
        line_start_ = i + 1;
      }
      ++i;
    }
    token_start_ = i;
    if (i >= input_.size()) {
      token_ = Token::kEnd;
      token_end_ = position_ = i;
      return Status::Ok();
    }
    char c = input_[i];
    auto punctuation = [&](Token t) {
      token_ = t;
      token_end_ = position_ = i + 1;
      return Status::Ok();
    };
    switch (c) {
      case '{':
        return punctuation(Token::kObjectStart);
      case '}':
        return punctuation(Token::kObjectEnd);
      case '[':
        return punctuation(Token::kArrayStart);
      case ']':
        return punctuation(Token::kArrayEnd);
      case ',':
        return punctuation(Token::kComma);
      case ':':
        return punctuation(Token::kColon);
      case '"':
        return LexString(i);
      default:
        break;
    }
    if (c == '-' || IsDigit(c)) return LexNumber(i);
    size_t end = i;
    while (end < input_.size() && IsAlphanumeric(input_[end])) ++end;
    if (end == i) return InvalidToken(i + 1);
    std::string_view word = input_.substr(i, end - i);
    if (word == "true" || word == "false" || word == "null") {
      token_ = word == "true" ? Token::kTrue : word == "false" ? Token::kFalse : Token::kNull;
      token_end_ = position_ = end;
      return Status::Ok();
    }
    return InvalidToken(end);
  }

  Status LexNumber(size_t start) {
    size_t i = start;
    bool error = false;
    if (i < input_.size() && input_[i] == '-') ++i;
    if (i < input_.size() && input_[i] == '0') {
      ++i;
    } else if (i < input_.size() && input_[i] >= '1' && input_[i] <= '9') {
      while (i < input_.size() && IsDigit(input_[i])) ++i;
    } else {
      error = true;
    }
    if (i < input_.size() && input_[i] == '.') {
      ++i;
      if (i >= input_.size() || !IsDigit(input_[i])) {
        error = true;
      } else {
        while (i < input_.size() && IsDigit(input_[i])) ++i;
      }
    }
    if (i < input_.size() && (input_[i] == 'e' || input_[i] == 'E')) {
      ++i;
      if (i < input_.size() && (input_[i] == '+' || input_[i] == '-')) ++i;
      if (i >= input_.size() || !IsDigit(input_[i])) {
        error = true;
      } else {
        while (i < input_.size() && IsDigit(input_[i])) ++i;
      }
    }
    size_t end = i;
    while (end < input_.size() && IsAlphanumeric(input_[end])) ++end;
    if (end > i || error) return InvalidToken(end);
    token_ = Token::kNumber;
    token_end_ = position_ = end;
    return Status::Ok();
  }

  Status LexString(size_t start) {
    string_.clear();
    bad_escape_ = false;
    bool de_escape = mode_ == Mode::kJsonb;
    int high_surrogate = -1;
    // In json mode a surrogate or \u0000 problem is remembered, not reported (json_in does
    // not de-escape); in jsonb mode it is reported as PostgreSQL does.
    size_t i = start;
    lexer_error_ = true;  // until the string ends well
    // An error at input_[i] shows the input through that character (FAIL_AT_CHAR_END).
    auto at_char = [&](Status error) {
      token_end_ = i + CharLength(input_, i);
      return error;
    };
    auto unicode_problem = [&](Status error) -> Status {
      if (de_escape) return at_char(std::move(error));
      bad_escape_ = true;
      return Status::Ok();
    };
    auto low_surrogate_error = [] {
      return SyntaxError("Unicode low surrogate must follow a high surrogate.");
    };
    for (;;) {
      ++i;
      if (i >= input_.size()) return InvalidToken(i);
      char c = input_[i];
      if (c == '"') break;
      if (static_cast<unsigned char>(c) < 32) {
        token_end_ = i;
        return SyntaxError(fmt::format("Character with value 0x{:02x} must be escaped.",
                                       static_cast<int>(static_cast<unsigned char>(c))));
      }
      if (c != '\\') {
        if (high_surrogate != -1) {
          RETURN_IF_ERROR(unicode_problem(low_surrogate_error()));
          high_surrogate = -1;
        }
        string_.push_back(c);
        continue;
      }
      ++i;
      if (i >= input_.size()) return InvalidToken(i);
      c = input_[i];
      if (c == 'u') {
        int code = 0;
        for (int k = 0; k < 4; ++k) {
          ++i;
          if (i >= input_.size()) return InvalidToken(i);
          int digit = HexValue(input_[i]);
          if (digit < 0) {
            token_end_ = i + CharLength(input_, i);
            return SyntaxError("\"\\u\" must be followed by four hexadecimal digits.");
          }
          code = code * 16 + digit;
        }
        if (code >= 0xD800 && code <= 0xDBFF) {
          if (high_surrogate != -1) {
            RETURN_IF_ERROR(unicode_problem(
                SyntaxError("Unicode high surrogate must not follow a high surrogate.")));
          }
          high_surrogate = code;
          continue;
        }
        if (code >= 0xDC00 && code <= 0xDFFF) {
          if (high_surrogate == -1) {
            RETURN_IF_ERROR(unicode_problem(low_surrogate_error()));
            continue;
          }
          code = 0x10000 + ((high_surrogate & 0x3FF) << 10) + (code & 0x3FF);
          high_surrogate = -1;
        }
        if (high_surrogate != -1) {
          RETURN_IF_ERROR(unicode_problem(low_surrogate_error()));
          high_surrogate = -1;
        }
        if (code == 0) {
          RETURN_IF_ERROR(
              unicode_problem(Status::Sql("22P05", "unsupported Unicode escape sequence")
                                  .WithDetail("\\u0000 cannot be converted to text.")));
          continue;
        }
        AppendUtf8(string_, static_cast<uint32_t>(code));
        continue;
      }
      if (de_escape && high_surrogate != -1) return at_char(low_surrogate_error());
      if (high_surrogate != -1) {
        bad_escape_ = true;
        high_surrogate = -1;
      }
      char decoded;
      switch (c) {
        case '"':
        case '\\':
        case '/':
          decoded = c;
          break;
        case 'b':
          decoded = '\b';
          break;
        case 'f':
          decoded = '\f';
          break;
        case 'n':
          decoded = '\n';
          break;
        case 'r':
          decoded = '\r';
          break;
        case 't':
          decoded = '\t';
          break;
        default:
          token_start_ = i;
          token_end_ = i + CharLength(input_, i);
          return SyntaxError(fmt::format("Escape sequence \"\\{}\" is invalid.", TokenText()));
      }
      string_.push_back(decoded);
    }
    if (high_surrogate != -1) RETURN_IF_ERROR(unicode_problem(low_surrogate_error()));
    lexer_error_ = false;
    token_ = Token::kString;
    token_end_ = position_ = i + 1;
    return Status::Ok();
  }

  Status ParseValue(Node& node, int depth) {
    switch (token_) {
      case Token::kObjectStart:
        return ParseObject(node, depth + 1);
      case Token::kArrayStart:
        return ParseArray(node, depth + 1);
      default:
        return ParseScalar(node);
    }
  }

  Status ParseScalar(Node& node) {
    node.raw = TokenText();
    switch (token_) {
      case Token::kString:
        node.kind = Kind::kString;
        node.text = string_;
        node.bad_escape = bad_escape_;
        break;
      case Token::kNumber:
        node.kind = Kind::kNumber;
        if (mode_ == Mode::kJsonb) {
          ASSIGN_OR_RETURN(Numeric number, Numeric::Parse(TokenText()));
          node.text = number.ToString();
        } else {
          node.text = std::string(TokenText());
        }
        break;
      case Token::kTrue:
      case Token::kFalse:
        node.kind = Kind::kBool;
        node.boolean = token_ == Token::kTrue;
        break;
      case Token::kNull:
        node.kind = Kind::kNull;
        break;
      default:
        return Expected("JSON value");
    }
    return Lex();
  }

  Status CheckDepth(int depth) const {
    if (depth > kMaxDepth) {
      return Status::Sql("54001", "stack depth limit exceeded")
          .WithHint(fmt::format("JSON values nest at most {} arrays and objects deep.", kMaxDepth));
    }
    return Status::Ok();
  }

  Status ParseArray(Node& node, int depth) {
    RETURN_IF_ERROR(CheckDepth(depth));
    size_t start = token_start_;
    node.kind = Kind::kArray;
    RETURN_IF_ERROR(Lex());
    if (token_ != Token::kArrayEnd) {
      for (;;) {
        node.elements.emplace_back();
        RETURN_IF_ERROR(ParseValue(node.elements.back(), depth));
        if (token_ != Token::kComma) break;
        RETURN_IF_ERROR(Lex());
      }
    }
    if (token_ != Token::kArrayEnd) return Expected("\",\" or \"]\"");
    node.raw = input_.substr(start, token_end_ - start);
    return Lex();
  }

  Status ParseObject(Node& node, int depth) {
    RETURN_IF_ERROR(CheckDepth(depth));
    size_t start = token_start_;
    node.kind = Kind::kObject;
    RETURN_IF_ERROR(Lex());
    if (token_ == Token::kString) {
      for (;;) {
        if (token_ != Token::kString) return Expected("string");
        node.members.emplace_back(string_, Node{});
        RETURN_IF_ERROR(Lex());
        if (token_ != Token::kColon) return Expected("\":\"");
        RETURN_IF_ERROR(Lex());
        RETURN_IF_ERROR(ParseValue(node.members.back().second, depth));
        if (token_ != Token::kComma) break;
        RETURN_IF_ERROR(Lex());
      }
    } else if (token_ != Token::kObjectEnd) {
      return Expected("string or \"}\"");
    }
    if (token_ != Token::kObjectEnd) return Expected("\",\" or \"}\"");
    node.raw = input_.substr(start, token_end_ - start);
    if (mode_ == Mode::kJsonb) SortMembers(node);
    return Lex();
  }

  std::string_view input_;
  Mode mode_;
  size_t position_ = 0;
  Token token_ = Token::kEnd;
  size_t token_start_ = 0;
  size_t token_end_ = 0;
  std::string string_;  // the current string token, de-escaped
  bool bad_escape_ = false;
  bool lexer_error_ = false;  // the error is the lexer's (token_ is still the previous token)
  int line_number_ = 1;
  size_t line_start_ = 0;
};

void AppendCanonical(std::string& out, const Node& node, bool normalize_numbers) {
  switch (node.kind) {
    case Kind::kNull:
      out += "null";
      return;
    case Kind::kBool:
      out += node.boolean ? "true" : "false";
      return;
    case Kind::kString:
      out += Quote(node.text);
      return;
    case Kind::kNumber: {
      if (!normalize_numbers) {
        out += node.text;
        return;
      }
      std::string text = node.text;
      if (text.find('.') != std::string::npos) {
        while (text.back() == '0') text.pop_back();
        if (text.back() == '.') text.pop_back();
      }
      if (text == "-0") text = "0";
      out += text;
      return;
    }
    case Kind::kArray:
      out.push_back('[');
      for (size_t i = 0; i < node.elements.size(); ++i) {
        if (i > 0) out += ", ";
        AppendCanonical(out, node.elements[i], normalize_numbers);
      }
      out.push_back(']');
      return;
    case Kind::kObject:
      out.push_back('{');
      for (size_t i = 0; i < node.members.size(); ++i) {
        if (i > 0) out += ", ";
        out += Quote(node.members[i].first);
        out += ": ";
        AppendCanonical(out, node.members[i].second, normalize_numbers);
      }
      out.push_back('}');
      return;
  }
}

void AppendPretty(std::string& out, const Node& node, int level) {
  if (out.size() > kMaxPrettyBytes) return;  // Pretty() reports it
  auto indent = [&out](int n) {
    if (out.size() <= kMaxPrettyBytes) out.append(static_cast<size_t>(n) * 4, ' ');
  };
  if (node.kind == Kind::kArray) {
    out.push_back('[');
    for (size_t i = 0; i < node.elements.size(); ++i) {
      if (i > 0) out.push_back(',');
      out.push_back('\n');
      indent(level + 1);
      AppendPretty(out, node.elements[i], level + 1);
    }
    out.push_back('\n');
    indent(level);
    out.push_back(']');
    return;
  }
  if (node.kind == Kind::kObject) {
    out.push_back('{');
    for (size_t i = 0; i < node.members.size(); ++i) {
      if (i > 0) out.push_back(',');
      out.push_back('\n');
      indent(level + 1);
      out += Quote(node.members[i].first);
      out += ": ";
      AppendPretty(out, node.members[i].second, level + 1);
    }
    out.push_back('\n');
    indent(level);
    out.push_back('}');
    return;
  }
  AppendCanonical(out, node, false);
}

int CompareStrings(std::string_view a, std::string_view b) {
  int c = a.compare(b);
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

int CompareNumbers(const std::string& a, const std::string& b) {
  Result<Numeric> x = Numeric::Parse(a);
  Result<Numeric> y = Numeric::Parse(b);
  if (!x.ok() || !y.ok()) return CompareStrings(a, b);  // not from a parse: keep a total order
  return Numeric::Compare(*x, *y);
}

// compareJsonbContainers below the top level.
int CompareNodes(const Node& a, const Node& b) {
  if (a.kind != b.kind) return a.kind < b.kind ? -1 : 1;
  switch (a.kind) {
    case Kind::kNull:
      return 0;
    case Kind::kBool:
      return static_cast<int>(a.boolean) - static_cast<int>(b.boolean);
    case Kind::kString:
      return CompareStrings(a.text, b.text);
    case Kind::kNumber:
      return CompareNumbers(a.text, b.text);
    case Kind::kArray:
      if (a.elements.size() != b.elements.size()) {
        return a.elements.size() < b.elements.size() ? -1 : 1;
      }
      for (size_t i = 0; i < a.elements.size(); ++i) {
        int c = CompareNodes(a.elements[i], b.elements[i]);
        if (c != 0) return c;
      }
      return 0;
    case Kind::kObject:
      if (a.members.size() != b.members.size()) {
        return a.members.size() < b.members.size() ? -1 : 1;
      }
      for (size_t i = 0; i < a.members.size(); ++i) {
        int c = CompareStrings(a.members[i].first, b.members[i].first);
        if (c != 0) return c;
        c = CompareNodes(a.members[i].second, b.members[i].second);
        if (c != 0) return c;
      }
      return 0;
  }
  return 0;
}

bool IsScalar(const Node& node) { return node.kind != Kind::kArray && node.kind != Kind::kObject; }

bool ScalarEquals(const Node& a, const Node& b) { return CompareNodes(a, b) == 0; }

// JsonbDeepContains below the top level: same container kinds only.
bool DeepContains(const Node& a, const Node& b) {
  if (a.kind != b.kind) return false;
  if (IsScalar(a)) return ScalarEquals(a, b);
  if (a.kind == Kind::kObject) {
    for (const auto& [key, wanted] : b.members) {
      const Node* have = nullptr;
      for (const auto& member : a.members) {
        if (member.first == key) {
          have = &member.second;
          break;
        }
      }
      if (have == nullptr || have->kind != wanted.kind) return false;
      if (IsScalar(wanted) ? !ScalarEquals(*have, wanted) : !DeepContains(*have, wanted)) {
        return false;
      }
    }
    return true;
  }
  for (const Node& wanted : b.elements) {
    bool found = false;
    for (const Node& have : a.elements) {
      if (have.kind != wanted.kind) continue;
      if (IsScalar(wanted) ? ScalarEquals(have, wanted) : DeepContains(have, wanted)) {
        found = true;
        break;
      }
    }
    if (!found) return false;
  }
  return true;
}

}  // namespace

Result<Node> Parse(std::string_view text, Mode mode) {
  Parser parser(text, mode);
  return parser.ParseDocument();
}

Result<std::string> CanonicalText(std::string_view text) {
  ASSIGN_OR_RETURN(Node node, Parse(text, Mode::kJsonb));
  return Canonical(node);
}

Status Validate(std::string_view text) { return Parse(text, Mode::kJson).status(); }

std::string Canonical(const Node& node) {
  std::string out;
  AppendCanonical(out, node, false);
  return out;
}

Result<std::string> Pretty(const Node& node) {
  std::string out;
  AppendPretty(out, node, 0);
  if (out.size() > kMaxPrettyBytes) {
    return Status::Sql("54000", fmt::format("jsonb_pretty result exceeds {} bytes "
                                            "(kMaxPrettyBytes)",
                                            kMaxPrettyBytes));
  }
  return out;
}

void Normalize(Node& node) {
  for (Node& element : node.elements) Normalize(element);
  for (auto& member : node.members) Normalize(member.second);
  if (node.kind == Kind::kObject) SortMembers(node);
}

std::string Quote(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out.push_back('"');
  for (char c : s) {
    switch (c) {
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      default:
        if (static_cast<unsigned char>(c) < ' ') {
          out += fmt::format("\\u{:04x}", static_cast<int>(c));
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
  return out;
}

Result<std::string> StringOf(const Node& node) {
  if (!node.bad_escape) return node.text;
  // Re-lex the string as jsonb does to report its escape error.
  ASSIGN_OR_RETURN(Node strict, Parse(node.raw, Mode::kJsonb));
  return strict.text;
}

int Compare(const Node& a, const Node& b) {
  bool scalar_a = IsScalar(a);
  bool scalar_b = IsScalar(b);
  if (scalar_a != scalar_b) {
    // A top-level scalar is PostgreSQL's one-element "raw scalar" array: below objects; against
    // an array, the element count decides first, then the raw scalar sorts first.
    const Node& container = scalar_a ? b : a;
    int scalar_side;
    if (container.kind == Kind::kObject) {
      scalar_side = -1;
    } else if (container.elements.size() != 1) {
      scalar_side = container.elements.size() > 1 ? -1 : 1;
    } else {
      scalar_side = -1;
    }
    return scalar_a ? scalar_side : -scalar_side;
  }
  return CompareNodes(a, b);
}

std::string EqualityKey(const Node& node) {
  std::string out;
  AppendCanonical(out, node, true);
  return out;
}

std::string_view TypeName(Kind kind) {
  switch (kind) {
    case Kind::kNull:
      return "null";
    case Kind::kString:
      return "string";
    case Kind::kNumber:
      return "number";
    case Kind::kBool:
      return "boolean";
    case Kind::kArray:
      return "array";
    case Kind::kObject:
      return "object";
  }
  return "null";
}

bool Contains(const Node& a, const Node& b) {
  // A top-level array contains a top-level scalar it has as an element (raw scalars are
  // one-element arrays); a scalar never contains an array.
  if (a.kind == Kind::kArray && IsScalar(b)) {
    for (const Node& element : a.elements) {
      if (IsScalar(element) && element.kind == b.kind && ScalarEquals(element, b)) return true;
    }
    return false;
  }
  return DeepContains(a, b);
}

int Depth(const Node& node) {
  int depth = 0;
  for (const Node& element : node.elements) depth = std::max(depth, Depth(element));
  for (const auto& member : node.members) depth = std::max(depth, Depth(member.second));
  return IsScalar(node) ? 0 : depth + 1;
}

}  // namespace borealis::sql::json
