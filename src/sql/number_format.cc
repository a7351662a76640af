#include "sql/number_format.h"

#include <cmath>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "fmt/format.h"
#include "sql/numeric.h"

namespace borealis::sql {
namespace {

using T = TypeId;

enum class Kind {
  kNine,     // 9
  kZero,     // 0
  kPoint,    // . D
  kGroup,    // , G
  kPR,       // PR
  kS,        // S
  kMI,       // MI
  kPL,       // PL
  kSG,       // SG
  kL,        // L
  kTH,       // TH / th
  kV,        // V
  kEEEE,     // EEEE
  kRN,       // RN / rn
  kFM,       // FM
  kB,        // B
  kLiteral,  // anything else, and "quoted text"
};

struct Token {
  Kind kind;
  std::string text;    // kLiteral: the characters to copy
  bool lower = false;  // th / rn
};

struct Keyword {
  std::string_view upper;
  Kind kind;
};

// Longest first, so that "PR" wins over "P" (not a keyword) and "EEEE" is read whole.
constexpr Keyword kKeywords[] = {
    {"EEEE", Kind::kEEEE}, {"FM", Kind::kFM},   {"MI", Kind::kMI},   {"PL", Kind::kPL},
    {"PR", Kind::kPR},     {"RN", Kind::kRN},   {"SG", Kind::kSG},   {"TH", Kind::kTH},
    {"9", Kind::kNine},    {"0", Kind::kZero},  {".", Kind::kPoint}, {",", Kind::kGroup},
    {"B", Kind::kB},       {"D", Kind::kPoint}, {"G", Kind::kGroup}, {"L", Kind::kL},
    {"S", Kind::kS},       {"V", Kind::kV},
};

// A keyword matches when spelled all upper case or all lower case, as in PostgreSQL.
std::optional<std::pair<Kind, bool>> MatchKeyword(std::string_view rest, size_t& length) {
  for (const Keyword& k : kKeywords) {
    if (rest.size() < k.upper.size()) continue;
    std::string_view head = rest.substr(0, k.upper.size());
    std::string lower(k.upper);
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (head == k.upper || head == lower) {
      length = k.upper.size();
      bool is_lower = head == lower && head != k.upper;
      return std::make_pair(k.kind, is_lower);
    }
  }
  return std::nullopt;
}

std::vector<Token> Tokenize(std::string_view format) {
  std::vector<Token> tokens;
  auto literal = [&tokens](std::string_view s) {
    if (!tokens.empty() && tokens.back().kind == Kind::kLiteral) {
      tokens.back().text += s;
    } else {
      tokens.push_back({Kind::kLiteral, std::string(s)});
    }
  };
  size_t i = 0;
  while (i < format.size()) {
    if (format[i] == '"') {  // quoted text, with \" for a quote
      ++i;
      std::string text;
      while (i < format.size() && format[i] != '"') {
        if (format[i] == '\\' && i + 1 < format.size()) ++i;
        text += format[i++];
      }
      ++i;  // closing quote
      literal(text);
      continue;
    }
    if (format[i] == '\\' && i + 1 < format.size() && format[i + 1] == '"') {
      literal("\"");
      i += 2;
      continue;
    }
    size_t length = 0;
    if (auto match = MatchKeyword(format.substr(i), length)) {
      tokens.push_back({match->first, "", match->second});
      i += length;
      continue;
    }
    literal(format.substr(i, 1));
    ++i;
  }
  return tokens;
}

// The number as exact decimal text: sign, integer digits (no leading zeros, "" for zero) and
// fraction digits.
struct Decimal {
  bool negative = false;
  bool nan = false;
  bool infinite = false;
  std::string integer;
  std::string fraction;
};

Decimal FromPlainText(std::string_view text) {  // "-123.450" -> parts
  Decimal d;
  if (!text.empty() && text[0] == '-') {
    d.negative = true;
    text.remove_prefix(1);
  }
  size_t point = text.find('.');
  d.integer = std::string(text.substr(0, point));
  if (point != std::string_view::npos) d.fraction = std::string(text.substr(point + 1));
  size_t nonzero = d.integer.find_first_not_of('0');
  d.integer = nonzero == std::string::npos ? "" : d.integer.substr(nonzero);
  return d;
}

// Moves the decimal point `places` to the right (the V multiplier).
void Shift(Decimal& d, int places) {
  for (int i = 0; i < places; ++i) {
    char next = d.fraction.empty() ? '0' : d.fraction[0];
    if (!d.fraction.empty()) d.fraction.erase(0, 1);
    if (!d.integer.empty() || next != '0') d.integer += next;
  }
}

// Rounds half away from zero to `post` fraction digits (padding with zeros).
void RoundTo(Decimal& d, size_t post) {
  if (d.fraction.size() <= post) {
    d.fraction.append(post - d.fraction.size(), '0');
    return;
  }
  bool up = d.fraction[post] >= '5';
  d.fraction.resize(post);
  if (!up) return;
  std::string all = d.integer + d.fraction;
  size_t i = all.size();
  while (i > 0) {
    if (all[i - 1] == '9') {
      all[i - 1] = '0';
      --i;
      continue;
    }
    ++all[i - 1];
    break;
  }
  if (i == 0) all.insert(all.begin(), '1');
  d.integer = all.substr(0, all.size() - post);
  d.fraction = all.substr(all.size() - post);
  size_t nonzero = d.integer.find_first_not_of('0');
  d.integer = nonzero == std::string::npos ? "" : d.integer.substr(nonzero);
}

bool IsZero(const Decimal& d) {
  return d.integer.empty() && d.fraction.find_first_not_of('0') == std::string::npos;
}

// What the format asks for, from one pass over the tokens.
struct Layout {
  size_t pre = 0;      // integer digit positions (including those after V)
  size_t post = 0;     // fraction digit positions
  int multiplier = 0;  // digits after V
  bool point = false;
  bool fill_mode = false;
  bool sign_leading = false;  // S before the first digit
  bool sign_placed = false;   // S, MI, SG or PR place the sign (no sign slot)
  bool bracket = false;       // PR
  bool eeee = false;
  bool roman = false;
  bool roman_lower = false;
};

Result<Layout> Analyze(const std::vector<Token>& tokens) {
  Layout l;
  bool seen_digit = false;
  bool after_v = false;
  for (const Token& t : tokens) {
    switch (t.kind) {
      case Kind::kNine:
      case Kind::kZero:
        seen_digit = true;
        if (l.point) {
          ++l.post;
        } else {
          ++l.pre;
          if (after_v) ++l.multiplier;
        }
        break;
      case Kind::kPoint:
        if (l.point) return Status::Sql("42601", "multiple decimal points");
        if (after_v) {
          return Status::Sql("42601", "cannot use \"V\" and decimal point together");
        }
        l.point = true;
        break;
      case Kind::kV:
        if (l.point) return Status::Sql("42601", "cannot use \"V\" and decimal point together");
        after_v = true;
        break;
      case Kind::kS:
        if (l.sign_placed && !l.bracket) return Status::Sql("42601", "cannot use \"S\" twice");
        if (l.bracket) return Status::Sql("42601", "cannot use \"S\" and \"PR\" together");
        l.sign_placed = true;
        l.sign_leading = !seen_digit;
        break;
      case Kind::kPR:
        if (l.sign_placed)
          return Status::Sql("42601", "cannot use \"PR\" and \"S\"/\"PL\"/\"MI\"/\"SG\" together");
        l.sign_placed = true;
        l.bracket = true;
        break;
      case Kind::kMI:
      case Kind::kSG:
        l.sign_placed = true;
        break;
      case Kind::kFM:
        l.fill_mode = true;
        break;
      case Kind::kEEEE:
        l.eeee = true;
        break;
      case Kind::kRN:
        l.roman = true;
        l.roman_lower = t.lower;
        break;
      default:
        break;
    }
  }
  return l;
}

std::string Ordinal(const std::string& integer, bool lower) {
  int last_two = 0;
  for (char c : integer) last_two = (last_two * 10 + (c - '0')) % 100;
  std::string_view suffix = "TH";
  if (last_two / 10 != 1) {
    switch (last_two % 10) {
      case 1:
        suffix = "ST";
        break;
      case 2:
        suffix = "ND";
        break;
      case 3:
        suffix = "RD";
        break;
      default:
        break;
    }
  }
  std::string out(suffix);
  if (lower) {
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

std::string Roman(const Decimal& rounded, const Layout& l) {
  constexpr size_t kWidth = 15;
  int64_t value = 0;
  bool fits = !rounded.negative && !rounded.nan && !rounded.infinite && rounded.integer.size() <= 4;
  if (fits) value = rounded.integer.empty() ? 0 : std::stoll(rounded.integer);
  if (!fits || value < 1 || value > 3999) return std::string(kWidth, '#');
  static constexpr std::pair<int, std::string_view> kNumerals[] = {
      {1000, "M"}, {900, "CM"}, {500, "D"}, {400, "CD"}, {100, "C"}, {90, "XC"}, {50, "L"},
      {40, "XL"},  {10, "X"},   {9, "IX"},  {5, "V"},    {4, "IV"},  {1, "I"}};
  std::string out;
  for (const auto& [n, numeral] : kNumerals) {
    while (value >= n) {
      out += numeral;
      value -= n;
    }
  }
  if (l.roman_lower) {
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  if (!l.fill_mode && out.size() < kWidth) out.insert(0, kWidth - out.size(), ' ');
  return out;
}

// The sign written before the first printed digit (the "sign slot").
std::string SignSlot(const Decimal& d, const Layout& l) {
  bool negative = d.negative && !IsZero(d);
  if (l.bracket) return negative ? "<" : (l.fill_mode ? "" : " ");
  if (l.sign_leading) return negative ? "-" : "+";
  if (l.sign_placed) return "";
  return negative ? "-" : (l.fill_mode ? "" : " ");
}

std::string Scientific(double value, const Layout& l, bool special) {
  bool negative = std::signbit(value) && value != 0;
  std::string slot = l.fill_mode && !negative ? "" : (negative ? "-" : " ");
  if (special) {
    return " #" + (l.post > 0 ? "." + std::string(l.post, '#') : std::string()) + "####";
  }
  return slot + fmt::format("{:.{}e}", std::fabs(value), l.post);
}

// Scientific() for exact decimals of any magnitude (numeric's exponent is not bounded by
// double's): the first significant digit, l.post more rounded half away from zero, and a
// signed exponent of at least two digits, as numeric_out_sci prints (a carry out of the first
// digit is not renormalized: -9.9996 with 9.999EEEE is -10.000e+00 there too).
std::string ScientificExact(const Decimal& d, const Layout& l) {
  std::string all = d.integer + d.fraction;
  size_t first = all.find_first_not_of('0');
  int64_t exponent = 0;
  std::string mantissa(1 + l.post, '0');
  if (first != std::string::npos) {
    exponent = static_cast<int64_t>(d.integer.size()) - 1 - static_cast<int64_t>(first);
    std::string significant = all.substr(first);
    for (size_t i = 0; i < mantissa.size() && i < significant.size(); ++i) {
      mantissa[i] = significant[i];
    }
    if (significant.size() > mantissa.size() && significant[mantissa.size()] >= '5') {
      size_t i = mantissa.size();
      while (i > 0 && mantissa[i - 1] == '9') mantissa[--i] = '0';
      if (i == 0) mantissa.insert(mantissa.begin(), '1');  // "10.000e+00", as PostgreSQL
      if (i != 0) {
        ++mantissa[i - 1];
      }
    }
  }
  bool negative = d.negative && first != std::string::npos;
  std::string out = l.fill_mode && !negative ? "" : (negative ? "-" : " ");
  size_t integer_digits = mantissa.size() - l.post;  // 2 after a carry out of 9.99...
  out += mantissa.substr(0, integer_digits);
  if (l.post > 0) out += "." + mantissa.substr(integer_digits);
  out += fmt::format("e{}{:02}", exponent < 0 ? '-' : '+', exponent < 0 ? -exponent : exponent);
  return out;
}

// Lays the digits of `d` (already rounded to `available_post` fraction digits) out along the
// tokens.
std::string Render(const std::vector<Token>& tokens, const Layout& l, Decimal d,
                   size_t available_post) {
  bool negative = d.negative && !IsZero(d);
  bool overflow = d.infinite || d.integer.size() > l.pre;
  if (d.nan) {
    size_t width = 1 + l.pre + (l.post > 0 ? l.post + 1 : 0);
    std::string out = "NaN";
    if (!l.fill_mode && out.size() < width) out.insert(0, width - out.size(), ' ');
    return out;
  }
  if (d.integer.empty() && available_post == 0) d.integer = "0";
  // FM drops trailing zeros in '9' fraction positions.
  std::vector<Kind> fraction_kinds;  // the digit tokens after the point, in order
  {
    bool after_point = false;
    for (const Token& t : tokens) {
      if (t.kind == Kind::kPoint) after_point = true;
      if (after_point && (t.kind == Kind::kNine || t.kind == Kind::kZero)) {
        fraction_kinds.push_back(t.kind);
      }
    }
  }
  size_t fraction_keep = std::min(available_post, d.fraction.size());
  if (l.fill_mode && !overflow) {
    while (fraction_keep > 0 && d.fraction[fraction_keep - 1] == '0' &&
           fraction_kinds[fraction_keep - 1] == Kind::kNine) {
      --fraction_keep;
    }
    if (d.integer.empty() && fraction_keep == 0) d.integer = "0";
  }
  size_t zero_start = l.pre;
  {
    size_t index = 0;
    for (const Token& t : tokens) {
      if (t.kind == Kind::kPoint) break;
      if (t.kind == Kind::kZero && zero_start == l.pre) zero_start = index;
      if (t.kind == Kind::kNine || t.kind == Kind::kZero) ++index;
    }
  }
  size_t start = overflow ? 0 : l.pre - d.integer.size();  // first position of d.integer
  size_t first_printed = overflow ? 0 : std::min(start, zero_start);
  std::string slot = SignSlot(d, l);
  bool slot_written = false;
  auto write_slot = [&](std::string& out) {
    if (!slot_written) out += slot;
    slot_written = true;
  };
  std::string out;
  size_t int_index = 0;
  size_t fraction_index = 0;
  bool in_fraction = false;
  for (const Token& t : tokens) {
    switch (t.kind) {
      case Kind::kNine:
      case Kind::kZero:
        if (!in_fraction) {
          if (int_index < first_printed) {
            if (!l.fill_mode) out += ' ';
          } else {
            write_slot(out);
            if (overflow) {
              out += '#';
            } else {
              out += int_index < start ? '0' : d.integer[int_index - start];
            }
          }
          ++int_index;
        } else {
          if (overflow) {
            out += '#';
          } else if (fraction_index < fraction_keep) {
            out += d.fraction[fraction_index];
          }
          ++fraction_index;
        }
        break;
      case Kind::kPoint:
        if (available_post == 0 && !overflow) return out;  // nothing after the point
        write_slot(out);
        out += '.';
        in_fraction = true;
        break;
      case Kind::kGroup:
        if (in_fraction || int_index > first_printed) {
          out += ',';
        } else if (!l.fill_mode) {
          out += ' ';
        }
        break;
      case Kind::kPR:
        out += negative ? ">" : (l.fill_mode ? "" : " ");
        break;
      case Kind::kS:
        if (!l.sign_leading) out += negative ? '-' : '+';
        break;
      case Kind::kMI:
        out += negative ? "-" : (l.fill_mode ? "" : " ");
        break;
      case Kind::kPL:
        out += negative ? (l.fill_mode ? "" : " ") : "+";
        break;
      case Kind::kSG:
        out += negative ? '-' : '+';
        break;
      case Kind::kL:
        out += ' ';
        break;
      case Kind::kTH:
        if (!negative && !overflow) out += Ordinal(d.integer, t.lower);
        break;
      case Kind::kLiteral:
        out += t.text;
        break;
      default:
        break;
    }
  }
  return out;
}

Result<std::vector<Token>> ParseFormat(const Value& format) {
  const std::string& text = format.string_value();
  if (text.size() > kMaxFormatBytes) {
    return Status::Sql("54000", fmt::format("to_char format longer than {} bytes is not "
                                            "supported",
                                            kMaxFormatBytes));
  }
  return Tokenize(text);
}

// int4, int8 and numeric: exact decimal text, rounded half away from zero.
Result<Value> FormatExact(Decimal d, const std::vector<Token>& tokens) {
  ASSIGN_OR_RETURN(Layout l, Analyze(tokens));
  if (l.eeee) {
    if (d.nan || d.infinite) return Value::String(T::kText, Scientific(0, l, true));
    return Value::String(T::kText, ScientificExact(d, l));
  }
  if (!d.nan && !d.infinite) {
    Shift(d, l.multiplier);
    RoundTo(d, l.roman ? 0 : l.post);
  }
  if (l.roman) return Value::String(T::kText, Roman(d, l));
  return Value::String(T::kText, Render(tokens, l, std::move(d), l.post));
}

Result<Value> IntToChar(std::span<const Value> args, FunctionContext&) {
  ASSIGN_OR_RETURN(std::vector<Token> tokens, ParseFormat(args[1]));
  return FormatExact(FromPlainText(std::to_string(args[0].int_value())), tokens);
}

Result<Value> NumericToChar(std::span<const Value> args, FunctionContext&) {
  ASSIGN_OR_RETURN(std::vector<Token> tokens, ParseFormat(args[1]));
  const Numeric& n = args[0].numeric_value();
  Decimal d;
  if (n.is_nan()) {
    d.nan = true;
  } else {
    d = FromPlainText(n.ToString());
  }
  return FormatExact(std::move(d), tokens);
}

// float4 / float8: printf's rounding, at most kDigits significant digits before rounding the
// fraction (FLT_DIG 6, DBL_DIG 15), as PostgreSQL's float4_to_char / float8_to_char.
template <int kDigits>
Result<Value> FloatToChar(std::span<const Value> args, FunctionContext&) {
  ASSIGN_OR_RETURN(std::vector<Token> tokens, ParseFormat(args[1]));
  ASSIGN_OR_RETURN(Layout l, Analyze(tokens));
  double value = args[0].float_value();
  bool special = std::isnan(value) || std::isinf(value);
  if (l.eeee) return Value::String(T::kText, Scientific(value, l, special));
  Decimal d;
  if (std::isnan(value)) {
    d.nan = true;
    return Value::String(T::kText, Render(tokens, l, d, l.post));
  }
  if (std::isinf(value)) {
    d.infinite = true;
    d.negative = value < 0;
    return Value::String(T::kText, Render(tokens, l, d, l.post));
  }
  double scaled = value * std::pow(10.0, l.multiplier);
  if (l.roman) {
    d = FromPlainText(fmt::format("{:.0f}", scaled));
    return Value::String(T::kText, Roman(d, l));
  }
  std::string whole = fmt::format("{:.0f}", std::fabs(scaled));
  size_t integer_digits = whole == "0" ? 0 : whole.size();
  size_t post = l.post;
  if (integer_digits + post > static_cast<size_t>(kDigits)) {
    post = integer_digits >= static_cast<size_t>(kDigits) ? 0 : kDigits - integer_digits;
  }
  d = FromPlainText(fmt::format("{:.{}f}", scaled, post));
  return Value::String(T::kText, Render(tokens, l, std::move(d), post));
}

}  // namespace

void RegisterNumberFormatFunctions(const FunctionAdder& add) {
  add("to_char", {T::kInt4, T::kText}, T::kText, IntToChar, false);
  add("to_char", {T::kInt8, T::kText}, T::kText, IntToChar, false);
  add("to_char", {T::kNumeric, T::kText}, T::kText, NumericToChar, false);
  add("to_char", {T::kFloat4, T::kText}, T::kText, FloatToChar<6>, false);
  add("to_char", {T::kFloat8, T::kText}, T::kText, FloatToChar<15>, false);
}

}  // namespace borealis::sql
