#include "sql/functions.h"

#include <locale.h>  // newlocale (POSIX)
#include <wctype.h>  // towlower_l (POSIX)

#include <clocale>
#include <cmath>
#include <cwctype>
#include <limits>
#include <map>
#include <memory>

#include "fmt/format.h"
#include "sql/array_functions.h"
#include "sql/catalog_functions.h"
#include "sql/datetime.h"
#include "sql/datetime_format.h"
#include "sql/datetime_functions.h"
#include "sql/format_functions.h"
#include "sql/interval.h"
#include "sql/json_functions.h"
#include "sql/math_functions.h"
#include "sql/number_format.h"
#include "sql/scalar_functions.h"
#include "sql/typmod.h"
#include "sql/uuid.h"

namespace borealis::sql {
namespace {

constexpr TypeId kIntTypes[] = {TypeId::kInt2, TypeId::kInt4, TypeId::kInt8};
constexpr TypeId kFloatTypes[] = {TypeId::kFloat4, TypeId::kFloat8};

TypeId Wider(TypeId a, TypeId b) {
  auto rank = [](TypeId t) { return t == TypeId::kInt2 ? 0 : (t == TypeId::kInt4 ? 1 : 2); };
  return rank(a) >= rank(b) ? a : b;
}

Status DivisionByZero() { return Status::Sql("22012", "division by zero"); }

Status NumericNotYet(std::string_view what) {
  return Status::Sql("0A000", fmt::format("numeric {} is not supported yet", what));
}

// Integer arithmetic: compute in 128 bits, range-check against the result type. The result
// type of an int operator is carried by the caller through the `Int*` impl's template.
template <TypeId kResult, char kOp>
Result<Value> IntArith(std::span<const Value> args, FunctionContext&) {
  __int128 a = args[0].int_value();
  __int128 b = args[1].int_value();
  __int128 r = 0;
  switch (kOp) {
    case '+':
      r = a + b;
      break;
    case '-':
      r = a - b;
      break;
    case '*':
      r = a * b;
      break;
    case '/':
      if (b == 0) return DivisionByZero();
      r = a / b;
      break;
    case '%':
      if (b == 0) return DivisionByZero();
      r = a % b;
      break;
  }
  if (r < std::numeric_limits<int64_t>::min() || r > std::numeric_limits<int64_t>::max()) {
    return IntegerOutOfRange(kResult);
  }
  return MakeInt(kResult, static_cast<int64_t>(r));
}

template <TypeId kResult>
Result<Value> IntNegate(std::span<const Value> args, FunctionContext&) {
  if (args[0].int_value() == std::numeric_limits<int64_t>::min()) {
    return IntegerOutOfRange(kResult);
  }
  return MakeInt(kResult, -args[0].int_value());
}

template <TypeId kResult>
Result<Value> IntAbs(std::span<const Value> args, FunctionContext&) {
  if (args[0].int_value() == std::numeric_limits<int64_t>::min()) {
    return IntegerOutOfRange(kResult);
  }
  return MakeInt(kResult, std::llabs(args[0].int_value()));
}

Result<Value> FloatResult(TypeId type, double r, bool inputs_infinite, bool inputs_zero) {
  if (std::isinf(r) && !inputs_infinite)
    return Status::Sql("22003", "value out of range: overflow");
  if (r == 0.0 && !inputs_zero) return Status::Sql("22003", "value out of range: underflow");
  if (type == TypeId::kFloat4) {
    if (std::isfinite(r) && std::fabs(r) > std::numeric_limits<float>::max()) {
      return Status::Sql("22003", "value out of range: overflow");
    }
    return Value::Float(type, static_cast<float>(r));
  }
  return Value::Float(type, r);
}

template <TypeId kResult, char kOp>
Result<Value> FloatArith(std::span<const Value> args, FunctionContext&) {
  double a = args[0].float_value();
  double b = args[1].float_value();
  bool any_inf = std::isinf(a) || std::isinf(b);
  switch (kOp) {
    case '+':
      return FloatResult(kResult, a + b, any_inf, true);
    case '-':
      return FloatResult(kResult, a - b, any_inf, true);
    case '*':
      return FloatResult(kResult, a * b, any_inf, a == 0 || b == 0);
    case '/':
      if (b == 0 && !std::isnan(a)) return DivisionByZero();
      return FloatResult(kResult, a / b, any_inf, a == 0 || std::isinf(b));
    default:
      break;
  }
  return Status::Internal("bad float operator");
}

template <TypeId kResult>
Result<Value> FloatNegate(std::span<const Value> args, FunctionContext&) {
  return Value::Float(kResult, -args[0].float_value());
}

template <TypeId kResult>
Result<Value> FloatAbs(std::span<const Value> args, FunctionContext&) {
  return Value::Float(kResult, std::fabs(args[0].float_value()));
}

template <char kOp>
Result<Value> NumericArith(std::span<const Value> args, FunctionContext&) {
  const Numeric& a = args[0].numeric_value();
  const Numeric& b = args[1].numeric_value();
  Result<Numeric> r = Numeric();
  switch (kOp) {
    case '+':
      r = Numeric::Add(a, b);
      break;
    case '-':
      r = Numeric::Subtract(a, b);
      break;
    case '*':
      r = Numeric::Multiply(a, b);
      break;
    case '/':
      r = Numeric::Divide(a, b);
      break;
    case '%':
      r = Numeric::Modulo(a, b);
      break;
    case '^':
      return NumericNotYet("power");
  }
  if (!r.ok()) return r.status();
  return Value::FromNumeric(std::move(r).value());
}

Result<Value> NumericNegate(std::span<const Value> args, FunctionContext&) {
  return Value::FromNumeric(args[0].numeric_value().Negate());
}

Result<Value> NumericAbs(std::span<const Value> args, FunctionContext&) {
  return Value::FromNumeric(args[0].numeric_value().Abs());
}

Result<Value> Identity(std::span<const Value> args, FunctionContext&) { return args[0]; }

template <int kWhich>  // 0 =, 1 <>, 2 <, 3 <=, 4 >, 5 >=
Result<Value> Comparison(std::span<const Value> args, FunctionContext&) {
  int c = CompareValues(args[0], args[1]);
  switch (kWhich) {
    case 0:
      return Value::Bool(c == 0);
    case 1:
      return Value::Bool(c != 0);
    case 2:
      return Value::Bool(c < 0);
    case 3:
      return Value::Bool(c <= 0);
    case 4:
      return Value::Bool(c > 0);
    default:
      return Value::Bool(c >= 0);
  }
}

Result<Value> TextConcat(std::span<const Value> args, FunctionContext&) {
  return Value::String(TypeId::kText, args[0].string_value() + args[1].string_value());
}

// `v::text`, what anytextcat/textanycat concatenate: bool casts to "true"/"false" (unlike its
// output function, which concat uses), string types lose bpchar padding.
Result<std::string> CastToText(const Value& v, FunctionContext& c) {
  if (v.type() == TypeId::kBool || IsStringType(v.type())) {
    ASSIGN_OR_RETURN(Value text, CastValue(v, TypeId::kText));
    return text.string_value();
  }
  return FormatText(v, c.output_options());
}

// anynonarray || text and text || anynonarray.
Result<Value> AnyTextConcat(std::span<const Value> args, FunctionContext& c) {
  ASSIGN_OR_RETURN(std::string left, CastToText(args[0], c));
  ASSIGN_OR_RETURN(std::string right, CastToText(args[1], c));
  return Value::String(TypeId::kText, left + right);
}

// LIKE with % and _ and the default escape `\`, byte-wise on UTF-8 (characters for `_`).
bool LikeMatch(std::string_view text, std::string_view pattern, bool fold_case) {
  auto fold = [fold_case](char c) {
    return fold_case ? static_cast<char>(std::tolower(static_cast<unsigned char>(c))) : c;
  };
  auto char_len = [](std::string_view s, size_t at) {
    uint8_t c = static_cast<uint8_t>(s[at]);
    size_t n = c < 0x80 ? 1 : (c < 0xE0 ? 2 : (c < 0xF0 ? 3 : 4));
    return std::min(n, s.size() - at);
  };
  size_t t = 0;
  size_t p = 0;
  size_t star_p = std::string_view::npos;
  size_t star_t = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '%') {
      star_p = ++p;
      star_t = t;
      continue;
    }
    if (p < pattern.size()) {
      if (pattern[p] == '_') {
        t += char_len(text, t);
        ++p;
        continue;
      }
      size_t lit = p;
      if (pattern[p] == '\\' && p + 1 < pattern.size()) lit = p + 1;
      if (fold(pattern[lit]) == fold(text[t])) {
        p = lit + 1;
        ++t;
        continue;
      }
    }
    if (star_p == std::string_view::npos) return false;
    p = star_p;
    star_t += char_len(text, star_t);
    t = star_t;
  }
  while (p < pattern.size() && pattern[p] == '%') ++p;
  return p == pattern.size();
}

template <bool kNegate, bool kFoldCase>
Result<Value> Like(std::span<const Value> args, FunctionContext&) {
  const std::string& pattern = args[1].string_value();
  if (!pattern.empty() && pattern.back() == '\\' &&
      (pattern.size() < 2 || pattern[pattern.size() - 2] != '\\')) {
    return Status::Sql("22025", "LIKE pattern must not end with escape character");
  }
  return Value::Bool(LikeMatch(args[0].string_value(), pattern, kFoldCase) != kNegate);
}

Result<Value> Version(std::span<const Value>, FunctionContext&) {
  return Value::String(TypeId::kText,
                       "PostgreSQL 15.18 (Borealis 0.1.0) on x86_64-pc-linux-gnu, compiled by "
                       "g++ 12, 64-bit");
}

Result<Value> CurrentUser(std::span<const Value>, FunctionContext& c) {
  return Value::String(TypeId::kName, c.CurrentUser());
}
Result<Value> SessionUser(std::span<const Value>, FunctionContext& c) {
  return Value::String(TypeId::kName, c.SessionUser());
}
Result<Value> CurrentDatabase(std::span<const Value>, FunctionContext& c) {
  return Value::String(TypeId::kName, c.CurrentDatabase());
}
Result<Value> CurrentSchema(std::span<const Value>, FunctionContext& c) {
  std::optional<std::string> schema = c.CurrentSchema();
  if (!schema) return Value::Null(TypeId::kName);
  return Value::String(TypeId::kName, *schema);
}
Result<Value> Random(std::span<const Value>, FunctionContext& c) {
  return Value::Float(TypeId::kFloat8, c.Random());
}
// gen_random_uuid(): 122 random bits from the session's stream (53 per random() draw).
Result<Value> GenRandomUuid(std::span<const Value>, FunctionContext& c) {
  auto bits = [&c] { return static_cast<uint64_t>(c.Random() * 0x1.0p53); };
  uint64_t high = (bits() << 11) ^ bits();
  uint64_t low = (bits() << 11) ^ bits();
  return Value::String(TypeId::kUuid, RandomUuid(high, low));
}
// date + integer / date - integer (days) and date - date (days), PostgreSQL's date_pli,
// date_mii and date_mi. Infinite dates stay infinite in +/-; date - date of an infinity is an
// error, as in PostgreSQL.
template <char kOp>
Result<Value> DateDays(std::span<const Value> args, FunctionContext&) {
  int64_t date = args[0].int_value();
  int64_t infinity = std::numeric_limits<int32_t>::max();
  bool infinite = date == infinity || date == -infinity - 1;
  if (kOp == 'd') {
    int64_t other = args[1].int_value();
    if (infinite || other == infinity || other == -infinity - 1) {
      return Status::Sql("22008", "cannot subtract infinite dates");
    }
    return MakeInt(TypeId::kInt4, date - other);
  }
  if (infinite) return args[0];
  int64_t days = kOp == '+' ? date + args[1].int_value() : date - args[1].int_value();
  // PostgreSQL's date range: 4714-11-24 BC .. 5874897-12-31.
  if (days < -2451545 || days >= 2145031948) return Status::Sql("22008", "date out of range");
  return Value::Int(TypeId::kDate, days);
}

// now() / CURRENT_TIMESTAMP and friends: the transaction's start, as in PostgreSQL.
Result<Value> Now(std::span<const Value>, FunctionContext& c) {
  ASSIGN_OR_RETURN(uint64_t nanos, c.TransactionStartUnixNanos());
  return TimestampFromUnixNanos(nanos, TypeId::kTimestampTz);
}
Result<Value> LocalTimestamp(std::span<const Value>, FunctionContext& c) {
  ASSIGN_OR_RETURN(uint64_t nanos, c.TransactionStartUnixNanos());
  return TimestampFromUnixNanos(nanos, TypeId::kTimestamp);
}
Result<Value> CurrentDate(std::span<const Value>, FunctionContext& c) {
  ASSIGN_OR_RETURN(uint64_t nanos, c.TransactionStartUnixNanos());
  return CastValue(TimestampFromUnixNanos(nanos, TypeId::kTimestamp), TypeId::kDate);
}
Result<Value> LocalTime(std::span<const Value>, FunctionContext& c) {
  ASSIGN_OR_RETURN(uint64_t nanos, c.TransactionStartUnixNanos());
  return CastValue(TimestampFromUnixNanos(nanos, TypeId::kTimestamp), TypeId::kTime);
}

Result<Value> BackendPid(std::span<const Value>, FunctionContext& c) {
  return Value::Int(TypeId::kInt4, c.BackendPid());
}

Result<Value> CurrentSetting(std::span<const Value> args, FunctionContext& c) {
  bool missing_ok = args.size() > 1 && args[1].bool_value();
  ASSIGN_OR_RETURN(std::optional<std::string> value,
                   c.GetSetting(args[0].string_value(), missing_ok));
  if (!value) return Value::Null(TypeId::kText);
  return Value::String(TypeId::kText, *value);
}

Result<Value> SetConfig(std::span<const Value> args, FunctionContext& c) {
  if (args[0].is_null()) return Status::Sql("22004", "SET requires parameter name");
  std::string value = args[1].is_null() ? "" : args[1].string_value();
  bool is_local = !args[2].is_null() && args[2].bool_value();
  // A NULL value means RESET, as in PostgreSQL's set_config_by_name.
  ASSIGN_OR_RETURN(
      std::string shown,
      c.SetSetting(args[0].string_value(),
                   args[1].is_null() ? std::string_view() : std::string_view(value), is_local));
  return Value::String(TypeId::kText, shown);
}

size_t Utf8Length(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<uint8_t>(c) & 0xC0) != 0x80;
  return n;
}

Result<Value> Length(std::span<const Value> args, FunctionContext&) {
  return Value::Int(TypeId::kInt4, static_cast<int64_t>(Utf8Length(args[0].string_value())));
}

void AppendUtf8(std::string& out, char32_t code) {
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xC0 | (code >> 6));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else if (code < 0x10000) {
    out += static_cast<char>(0xE0 | (code >> 12));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code >> 18));
    out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  }
}

// The C.UTF-8 locale, for Unicode case mapping as PostgreSQL does it in a UTF8 database with a
// libc locale. Created once, immutable, never installed as the process locale; null when the C
// library lacks it (then only ASCII letters change case).
locale_t Utf8Locale() {
  static const locale_t kLocale = newlocale(LC_CTYPE_MASK, "C.UTF-8", locale_t{});
  return kLocale;
}

// Maps each code point with towupper/towlower; text is valid UTF-8 (checked on input), so
// decoding trusts the lead byte.
template <bool kUpper>
std::string Utf8ChangeCase(std::string_view s) {
  locale_t locale = Utf8Locale();
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    auto byte = static_cast<unsigned char>(s[i]);
    if (byte < 0x80) {
      out += static_cast<char>(kUpper ? std::toupper(byte) : std::tolower(byte));
      ++i;
      continue;
    }
    size_t length = byte >= 0xF0 ? 4 : (byte >= 0xE0 ? 3 : 2);
    if (locale == locale_t{} || i + length > s.size()) {
      out.append(s.substr(i, length));
      i += length;
      continue;
    }
    char32_t code = byte & (length == 2 ? 0x1F : (length == 3 ? 0x0F : 0x07));
    for (size_t k = 1; k < length; ++k) code = (code << 6) | (s[i + k] & 0x3F);
    auto mapped = static_cast<char32_t>(kUpper ? towupper_l(static_cast<wint_t>(code), locale)
                                               : towlower_l(static_cast<wint_t>(code), locale));
    AppendUtf8(out, mapped);
    i += length;
  }
  return out;
}

std::string Utf8Upper(std::string_view s) { return Utf8ChangeCase<true>(s); }
std::string Utf8Lower(std::string_view s) { return Utf8ChangeCase<false>(s); }

Result<Value> OctetLength(std::span<const Value> args, FunctionContext&) {
  return Value::Int(TypeId::kInt4, static_cast<int64_t>(args[0].string_value().size()));
}

template <bool kUpper>
Result<Value> ChangeCase(std::span<const Value> args, FunctionContext&) {
  return Value::String(TypeId::kText, kUpper ? Utf8Upper(args[0].string_value())
                                             : Utf8Lower(args[0].string_value()));
}

// chr(int) in a UTF8 database: the character with that code point.
Result<Value> Chr(std::span<const Value> args, FunctionContext&) {
  int64_t code = args[0].int_value();
  if (code < 0) return Status::Sql("22023", "character number must be positive");
  if (code == 0) return Status::Sql("54000", "null character not permitted");
  if (code > 0x10FFFF) {
    return Status::Sql("54000",
                       fmt::format("requested character too large for encoding: {}", code));
  }
  if (code >= 0xD800 && code <= 0xDFFF) {
    return Status::Sql("54000",
                       fmt::format("requested character not valid for encoding: {}", code));
  }
  std::string out;
  AppendUtf8(out, static_cast<char32_t>(code));
  return Value::String(TypeId::kText, std::move(out));
}

// The byte length of the first `n` characters of `s` (all of it when shorter).
size_t Utf8Prefix(std::string_view s, int64_t n) {
  size_t i = 0;
  for (int64_t chars = 0; i < s.size() && chars < n; ++chars) {
    ++i;
    while (i < s.size() && (static_cast<uint8_t>(s[i]) & 0xC0) == 0x80) ++i;
  }
  return i;
}

// PostgreSQL's varchar(varchar, int4, bool) and bpchar(bpchar, int4, bool): apply a length
// modifier. An explicit cast truncates; otherwise only trailing spaces may be cut (22001).
// character(n) is padded with spaces to n characters.
template <TypeId kType>
Result<Value> ApplyLength(std::span<const Value> args, FunctionContext&) {
  const std::string& s = args[0].string_value();
  int64_t length = args[1].int_value();
  bool is_explicit = args[2].bool_value();
  size_t prefix = Utf8Prefix(s, length);
  if (prefix < s.size() && !is_explicit && s.find_first_not_of(' ', prefix) != std::string::npos) {
    return Status::Sql("22001", fmt::format("value too long for type {}({})",
                                            GetTypeInfo(kType).display_name, length));
  }
  std::string out = s.substr(0, prefix);
  if (kType == TypeId::kBpchar) {
    size_t chars = Utf8Length(out);
    if (chars < static_cast<size_t>(length)) out.append(length - chars, ' ');
  }
  return Value::String(kType, std::move(out));
}

Result<Value> ApplyTypmodFunction(std::span<const Value> args, FunctionContext&) {
  return ApplyTypmod(args[0], static_cast<int32_t>(args[1].int_value()));
}

// A value as concat/concat_ws print it: the type's output function.
std::string OutputText(const Value& v, FunctionContext& c) {
  if (v.type() == TypeId::kBool) return v.bool_value() ? "t" : "f";
  return FormatText(v, c.output_options());
}

Result<Value> Concat(std::span<const Value> args, FunctionContext& c) {
  std::string out;
  for (const Value& v : args) {
    if (!v.is_null()) out += OutputText(v, c);
  }
  return Value::String(TypeId::kText, std::move(out));
}

// concat_ws(separator, ...): NULL separator gives NULL; NULL values are skipped.
Result<Value> ConcatWs(std::span<const Value> args, FunctionContext& c) {
  if (args[0].is_null()) return Value::Null(TypeId::kText);
  std::string out;
  bool first = true;
  for (const Value& v : args.subspan(1)) {
    if (v.is_null()) continue;
    if (!first) out += args[0].string_value();
    out += OutputText(v, c);
    first = false;
  }
  return Value::String(TypeId::kText, std::move(out));
}

class Catalog {
 public:
  Catalog() {
    for (TypeId a : kIntTypes) {
      for (TypeId b : kIntTypes) {
        TypeId r = Wider(a, b);
        AddIntArith(a, b, r);
        AddComparisons(a, b);
      }
    }
    for (TypeId a : kFloatTypes) {
      for (TypeId b : kFloatTypes) {
        TypeId r = (a == TypeId::kFloat8 || b == TypeId::kFloat8) ? TypeId::kFloat8 : a;
        AddFloatArith(a, b, r);
        AddComparisons(a, b);
      }
    }
    for (char op : std::string_view("+-*/%^")) AddNumericArith(op);
    AddComparisons(TypeId::kNumeric, TypeId::kNumeric);
    AddComparisons(TypeId::kBool, TypeId::kBool);
    AddComparisons(TypeId::kText, TypeId::kText);
    AddComparisons(TypeId::kName, TypeId::kName);
    AddComparisons(TypeId::kBpchar, TypeId::kBpchar);
    AddComparisons(TypeId::kOid, TypeId::kOid);
    AddComparisons(TypeId::kUuid, TypeId::kUuid);
    Op("||", {TypeId::kText, TypeId::kText}, TypeId::kText, TextConcat);
    Op("||", {TypeId::kAnyNonArray, TypeId::kText}, TypeId::kText, AnyTextConcat);  // anytextcat
    Op("||", {TypeId::kText, TypeId::kAnyNonArray}, TypeId::kText, AnyTextConcat);  // textanycat
    Op("~~", {TypeId::kText, TypeId::kText}, TypeId::kBool, Like<false, false>);
    Op("!~~", {TypeId::kText, TypeId::kText}, TypeId::kBool, Like<true, false>);
    Op("~~*", {TypeId::kText, TypeId::kText}, TypeId::kBool, Like<false, true>);
    Op("!~~*", {TypeId::kText, TypeId::kText}, TypeId::kBool, Like<true, true>);
    Op("-", {TypeId::kInt2}, TypeId::kInt2, IntNegate<TypeId::kInt2>);
    Op("-", {TypeId::kInt4}, TypeId::kInt4, IntNegate<TypeId::kInt4>);
    Op("-", {TypeId::kInt8}, TypeId::kInt8, IntNegate<TypeId::kInt8>);
    Op("-", {TypeId::kFloat4}, TypeId::kFloat4, FloatNegate<TypeId::kFloat4>);
    Op("-", {TypeId::kFloat8}, TypeId::kFloat8, FloatNegate<TypeId::kFloat8>);
    Op("-", {TypeId::kNumeric}, TypeId::kNumeric, NumericNegate);
    for (TypeId t : {TypeId::kInt2, TypeId::kInt4, TypeId::kInt8, TypeId::kFloat4, TypeId::kFloat8,
                     TypeId::kNumeric}) {
      Op("+", {t}, t, Identity);
    }
    Fn("abs", {TypeId::kInt2}, TypeId::kInt2, IntAbs<TypeId::kInt2>);
    Fn("abs", {TypeId::kInt4}, TypeId::kInt4, IntAbs<TypeId::kInt4>);
    Fn("abs", {TypeId::kInt8}, TypeId::kInt8, IntAbs<TypeId::kInt8>);
    Fn("abs", {TypeId::kFloat4}, TypeId::kFloat4, FloatAbs<TypeId::kFloat4>);
    Fn("abs", {TypeId::kFloat8}, TypeId::kFloat8, FloatAbs<TypeId::kFloat8>);
    Fn("abs", {TypeId::kNumeric}, TypeId::kNumeric, NumericAbs);
    Fn("version", {}, TypeId::kText, Version);
    Fn("current_user", {}, TypeId::kName, CurrentUser);
    Fn("session_user", {}, TypeId::kName, SessionUser);
    Fn("current_database", {}, TypeId::kName, CurrentDatabase);
    Fn("current_schema", {}, TypeId::kName, CurrentSchema);
    Fn("pg_backend_pid", {}, TypeId::kInt4, BackendPid);
    Fn("random", {}, TypeId::kFloat8, Random);
    Fn("gen_random_uuid", {}, TypeId::kUuid, GenRandomUuid);
    Fn("now", {}, TypeId::kTimestampTz, Now);
    Fn("transaction_timestamp", {}, TypeId::kTimestampTz, Now);
    Fn("statement_timestamp", {}, TypeId::kTimestampTz, Now);
    Fn("current_date", {}, TypeId::kDate, CurrentDate);  // CURRENT_DATE (the binder's name)
    Fn("localtimestamp", {}, TypeId::kTimestamp, LocalTimestamp);
    Fn("localtime", {}, TypeId::kTime, LocalTime);
    for (TypeId type : {TypeId::kDate, TypeId::kTime, TypeId::kTimestamp, TypeId::kTimestampTz}) {
      AddComparisons(type, type);
    }
    Op("+", {TypeId::kDate, TypeId::kInt4}, TypeId::kDate, DateDays<'+'>);
    Op("-", {TypeId::kDate, TypeId::kInt4}, TypeId::kDate, DateDays<'-'>);
    Op("-", {TypeId::kDate, TypeId::kDate}, TypeId::kInt4, DateDays<'d'>);
    Fn("current_setting", {TypeId::kText}, TypeId::kText, CurrentSetting);
    Fn("current_setting", {TypeId::kText, TypeId::kBool}, TypeId::kText, CurrentSetting);
    Fn("set_config", {TypeId::kText, TypeId::kText, TypeId::kBool}, TypeId::kText, SetConfig)
        .strict = false;
    Fn("length", {TypeId::kText}, TypeId::kInt4, Length);
    Fn("char_length", {TypeId::kText}, TypeId::kInt4, Length);
    Fn("character_length", {TypeId::kText}, TypeId::kInt4, Length);
    Fn("octet_length", {TypeId::kText}, TypeId::kInt4, OctetLength);
    // bpcharoctetlen: the padding counts (the text cast would strip it).
    Fn("octet_length", {TypeId::kBpchar}, TypeId::kInt4, OctetLength);
    Fn("chr", {TypeId::kInt4}, TypeId::kText, Chr);
    Fn("varchar", {TypeId::kVarchar, TypeId::kInt4, TypeId::kBool}, TypeId::kVarchar,
       ApplyLength<TypeId::kVarchar>);
    Fn("bpchar", {TypeId::kBpchar, TypeId::kInt4, TypeId::kBool}, TypeId::kBpchar,
       ApplyLength<TypeId::kBpchar>);
    // The length-coercion functions of numeric and the time types take the encoded typmod,
    // as PostgreSQL's numeric(numeric, int4) and timestamp(timestamp, int4) do.
    for (TypeId type :
         {TypeId::kNumeric, TypeId::kTime, TypeId::kTimestamp, TypeId::kTimestampTz}) {
      Fn(GetTypeInfo(type).name, {type, TypeId::kInt4}, type, ApplyTypmodFunction);
    }
    Fn("lower", {TypeId::kText}, TypeId::kText, ChangeCase<false>);
    Fn("upper", {TypeId::kText}, TypeId::kText, ChangeCase<true>);
    FunctionDef& concat = Fn("concat", {}, TypeId::kText, Concat);
    concat.strict = false;
    concat.variadic_any = true;
    FunctionDef& concat_ws = Fn("concat_ws", {TypeId::kText}, TypeId::kText, ConcatWs);
    concat_ws.strict = false;
    concat_ws.variadic_any = true;
    AddComparisons(TypeId::kChar, TypeId::kChar);
    // sql/scalar_functions.h; mod() over numeric shares NumericArith with the % operator.
    Fn("mod", {TypeId::kNumeric, TypeId::kNumeric}, TypeId::kNumeric, NumericArith<'%'>);
    Fn("mod", {TypeId::kInt2, TypeId::kInt2}, TypeId::kInt2, IntArith<TypeId::kInt2, '%'>);
    Fn("mod", {TypeId::kInt4, TypeId::kInt4}, TypeId::kInt4, IntArith<TypeId::kInt4, '%'>);
    Fn("mod", {TypeId::kInt8, TypeId::kInt8}, TypeId::kInt8, IntArith<TypeId::kInt8, '%'>);
    RegisterFormatFunctions([this](std::string_view name, std::vector<TypeId> args, TypeId result,
                                   FunctionImpl impl, bool is_operator) -> FunctionDef& {
      return Add(name, std::move(args), result, impl, is_operator);
    });
    RegisterArrayFunctions([this](std::string_view name, std::vector<TypeId> args, TypeId result,
                                  FunctionImpl impl, bool is_operator) -> FunctionDef& {
      return Add(name, std::move(args), result, impl, is_operator);
    });
    RegisterNumberFormatFunctions([this](std::string_view name, std::vector<TypeId> args,
                                         TypeId result, FunctionImpl impl,
                                         bool is_operator) -> FunctionDef& {
      return Add(name, std::move(args), result, impl, is_operator);
    });
    RegisterDateTimeFormatFunctions([this](std::string_view name, std::vector<TypeId> args,
                                           TypeId result, FunctionImpl impl,
                                           bool is_operator) -> FunctionDef& {
      return Add(name, std::move(args), result, impl, is_operator);
    });
    RegisterMathFunctions([this](std::string_view name, std::vector<TypeId> args, TypeId result,
                                 FunctionImpl impl, bool is_operator) -> FunctionDef& {
      return Add(name, std::move(args), result, impl, is_operator);
    });
    RegisterScalarFunctions([this](std::string_view name, std::vector<TypeId> args, TypeId result,
                                   FunctionImpl impl, bool is_operator) -> FunctionDef& {
      return Add(name, std::move(args), result, impl, is_operator);
    });
    RegisterIntervalFunctions([this](std::string_view name, std::vector<TypeId> args, TypeId result,
                                     FunctionImpl impl, bool is_operator) -> FunctionDef& {
      return Add(name, std::move(args), result, impl, is_operator);
    });
    RegisterDateTimeFunctions([this](std::string_view name, std::vector<TypeId> args, TypeId result,
                                     FunctionImpl impl, bool is_operator) -> FunctionDef& {
      return Add(name, std::move(args), result, impl, is_operator);
    });
    RegisterCatalogFunctions([this](std::string_view name, std::vector<TypeId> args, TypeId result,
                                    FunctionImpl impl, bool is_operator) -> FunctionDef& {
      return Add(name, std::move(args), result, impl, is_operator);
    });
    AddComparisons(TypeId::kJsonb, TypeId::kJsonb);  // jsonb's btree order (sql/json.h)
    RegisterJsonFunctions([this](std::string_view name, std::vector<TypeId> args, TypeId result,
                                 FunctionImpl impl, bool is_operator) -> FunctionDef& {
      return Add(name, std::move(args), result, impl, is_operator);
    });
  }

  std::vector<const FunctionDef*> Lookup(std::string_view name, bool is_operator,
                                         size_t arity) const {
    std::vector<const FunctionDef*> out;
    auto [begin, end] = by_name_.equal_range(std::string(name));
    for (auto it = begin; it != end; ++it) {
      const FunctionDef* def = it->second.get();
      if (def->is_operator != is_operator) continue;
      // VARIADIC "any" takes at least one argument after the fixed ones.
      bool fits = def->variadic_any ? arity > def->args.size() : def->args.size() == arity;
      if (fits) out.push_back(def);
    }
    return out;
  }

  bool Exists(std::string_view name) const { return by_name_.count(std::string(name)) > 0; }

 private:
  FunctionDef& Add(std::string_view name, std::vector<TypeId> args, TypeId result,
                   FunctionImpl impl, bool is_operator) {
    auto def = std::make_unique<FunctionDef>();
    def->name = name;
    def->args = std::move(args);
    def->result = result;
    def->impl = impl;
    def->is_operator = is_operator;
    FunctionDef& ref = *def;
    by_name_.emplace(std::string(name), std::move(def));
    return ref;
  }
  FunctionDef& Op(std::string_view name, std::vector<TypeId> args, TypeId result,
                  FunctionImpl impl) {
    return Add(name, std::move(args), result, impl, true);
  }
  FunctionDef& Fn(std::string_view name, std::vector<TypeId> args, TypeId result,
                  FunctionImpl impl) {
    return Add(name, std::move(args), result, impl, false);
  }

  void AddIntArith(TypeId a, TypeId b, TypeId r) {
    static const std::map<std::pair<TypeId, char>, FunctionImpl> kImpls = {
        {{TypeId::kInt2, '+'}, IntArith<TypeId::kInt2, '+'>},
        {{TypeId::kInt2, '-'}, IntArith<TypeId::kInt2, '-'>},
        {{TypeId::kInt2, '*'}, IntArith<TypeId::kInt2, '*'>},
        {{TypeId::kInt2, '/'}, IntArith<TypeId::kInt2, '/'>},
        {{TypeId::kInt2, '%'}, IntArith<TypeId::kInt2, '%'>},
        {{TypeId::kInt4, '+'}, IntArith<TypeId::kInt4, '+'>},
        {{TypeId::kInt4, '-'}, IntArith<TypeId::kInt4, '-'>},
        {{TypeId::kInt4, '*'}, IntArith<TypeId::kInt4, '*'>},
        {{TypeId::kInt4, '/'}, IntArith<TypeId::kInt4, '/'>},
        {{TypeId::kInt4, '%'}, IntArith<TypeId::kInt4, '%'>},
        {{TypeId::kInt8, '+'}, IntArith<TypeId::kInt8, '+'>},
        {{TypeId::kInt8, '-'}, IntArith<TypeId::kInt8, '-'>},
        {{TypeId::kInt8, '*'}, IntArith<TypeId::kInt8, '*'>},
        {{TypeId::kInt8, '/'}, IntArith<TypeId::kInt8, '/'>},
        {{TypeId::kInt8, '%'}, IntArith<TypeId::kInt8, '%'>},
    };
    static constexpr std::string_view kNames[] = {"+", "-", "*", "/", "%"};
    for (std::string_view op : kNames) {
      // PostgreSQL has % only for same-typed integers.
      if (op == "%" && a != b) continue;
      Op(op, {a, b}, r, kImpls.at({r, op[0]}));
    }
  }

  void AddFloatArith(TypeId a, TypeId b, TypeId r) {
    FunctionImpl plus =
        r == TypeId::kFloat4 ? FloatArith<TypeId::kFloat4, '+'> : FloatArith<TypeId::kFloat8, '+'>;
    FunctionImpl minus =
        r == TypeId::kFloat4 ? FloatArith<TypeId::kFloat4, '-'> : FloatArith<TypeId::kFloat8, '-'>;
    FunctionImpl times =
        r == TypeId::kFloat4 ? FloatArith<TypeId::kFloat4, '*'> : FloatArith<TypeId::kFloat8, '*'>;
    FunctionImpl divide =
        r == TypeId::kFloat4 ? FloatArith<TypeId::kFloat4, '/'> : FloatArith<TypeId::kFloat8, '/'>;
    Op("+", {a, b}, r, plus);
    Op("-", {a, b}, r, minus);
    Op("*", {a, b}, r, times);
    Op("/", {a, b}, r, divide);
  }

  void AddNumericArith(char op) {
    static const std::map<char, FunctionImpl> kImpls = {
        {'+', NumericArith<'+'>}, {'-', NumericArith<'-'>}, {'*', NumericArith<'*'>},
        {'/', NumericArith<'/'>}, {'%', NumericArith<'%'>}, {'^', NumericArith<'^'>},
    };
    static constexpr std::string_view kNames[] = {"+", "-", "*", "/", "%", "^"};
    for (std::string_view name : kNames) {
      if (name[0] == op) {
        Op(name, {TypeId::kNumeric, TypeId::kNumeric}, TypeId::kNumeric, kImpls.at(op));
      }
    }
  }

  void AddComparisons(TypeId a, TypeId b) {
    Op("=", {a, b}, TypeId::kBool, Comparison<0>);
    Op("<>", {a, b}, TypeId::kBool, Comparison<1>);
    Op("<", {a, b}, TypeId::kBool, Comparison<2>);
    Op("<=", {a, b}, TypeId::kBool, Comparison<3>);
    Op(">", {a, b}, TypeId::kBool, Comparison<4>);
    Op(">=", {a, b}, TypeId::kBool, Comparison<5>);
  }

  std::multimap<std::string, std::unique_ptr<FunctionDef>> by_name_;
};

const Catalog& GetCatalog() {
  static const Catalog* const kCatalog = new Catalog();  // immutable after construction
  return *kCatalog;
}

}  // namespace

std::vector<const FunctionDef*> LookupFunctions(std::string_view name, bool is_operator,
                                                size_t arity) {
  return GetCatalog().Lookup(name, is_operator, arity);
}

bool FunctionNameExists(std::string_view name) { return GetCatalog().Exists(name); }

int CompareValues(const Value& a, const Value& b) {
  BOREALIS_CHECK(!a.is_null() && !b.is_null());
  auto three_way = [](auto x, auto y) { return x < y ? -1 : (x > y ? 1 : 0); };
  switch (a.type()) {
    case TypeId::kBool:
      return three_way(a.bool_value(), b.bool_value());
    case TypeId::kInt2:
    case TypeId::kInt4:
    case TypeId::kInt8:
    case TypeId::kOid:
    case TypeId::kDate:
    case TypeId::kTime:
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz:
    case TypeId::kXid:
    case TypeId::kRegproc:
    case TypeId::kRegclass:
    case TypeId::kRegtype:
    case TypeId::kRegnamespace:
    case TypeId::kRegrole:
      return three_way(a.int_value(), b.int_value());
    case TypeId::kFloat4:
    case TypeId::kFloat8: {
      // PostgreSQL orders NaN above everything and equal to itself.
      double x = a.float_value();
      double y = b.float_value();
      if (std::isnan(x) || std::isnan(y)) return std::isnan(x) - std::isnan(y);
      return three_way(x, y);
    }
    case TypeId::kNumeric:
      return Numeric::Compare(a.numeric_value(), b.numeric_value());
    case TypeId::kInterval:
      return CompareIntervals(a.interval_value(), b.interval_value());
    case TypeId::kJsonb:
      return CompareJsonb(a, b);
    case TypeId::kBpchar: {
      // bpchar compares without trailing spaces.
      std::string_view x = a.string_value();
      std::string_view y = b.string_value();
      while (!x.empty() && x.back() == ' ') x.remove_suffix(1);
      while (!y.empty() && y.back() == ' ') y.remove_suffix(1);
      return three_way(x.compare(y), 0);
    }
    default:
      return three_way(a.string_value().compare(b.string_value()), 0);
  }
}

}  // namespace borealis::sql
