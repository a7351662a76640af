#include "sql/scalar_functions.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "sql/numeric.h"

namespace borealis::sql {
namespace {

// Byte offsets of the UTF-8 characters of `s`.
std::vector<size_t> CharacterOffsets(const std::string& s) {
  std::vector<size_t> offsets;
  for (size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<uint8_t>(s[i]) & 0xC0) != 0x80) offsets.push_back(i);
  }
  return offsets;
}

// round(numeric [, int]) / trunc(numeric [, int]): to `places` digits after the point (negative:
// before it), half away from zero for round; the result's scale is max(places, 0).
template <bool kRound>
Result<Value> NumericRoundTo(std::span<const Value> args, FunctionContext&) {
  const Numeric& n = args[0].numeric_value();
  int64_t places = args.size() > 1 ? args[1].int_value() : 0;
  places = std::clamp<int64_t>(places, -Numeric::kMaxScale, Numeric::kMaxScale);
  return Value::FromNumeric(n.Round(static_cast<int>(places), !kRound));
}

// round(float8) rounds half to even (rint), trunc(float8) toward zero, as in PostgreSQL.
template <bool kRound>
Result<Value> FloatRoundTo(std::span<const Value> args, FunctionContext&) {
  double x = args[0].float_value();
  return Value::Float(TypeId::kFloat8, kRound ? std::nearbyint(x) : std::trunc(x));
}

// substring(text FROM start [FOR count]) / substr: 1-based, in characters; a start before 1
// shortens the count as PostgreSQL does; 22011 for a negative count.
Result<Value> Substring(std::span<const Value> args, FunctionContext&) {
  const std::string& s = args[0].string_value();
  int64_t start = args[1].int_value();
  std::vector<size_t> offsets = CharacterOffsets(s);
  int64_t length = static_cast<int64_t>(offsets.size());
  int64_t end = length + 1;  // exclusive, 1-based
  if (args.size() > 2) {
    int64_t count = args[2].int_value();
    if (count < 0) return Status::Sql("22011", "negative substring length not allowed");
    end = start > INT64_MAX - count ? INT64_MAX : start + count;
  }
  int64_t from = std::max<int64_t>(start, 1);
  int64_t to = std::min<int64_t>(end, length + 1);
  if (from >= to) return Value::String(TypeId::kText, "");
  size_t begin_byte = offsets[static_cast<size_t>(from - 1)];
  size_t end_byte = to > length ? s.size() : offsets[static_cast<size_t>(to - 1)];
  return Value::String(TypeId::kText, s.substr(begin_byte, end_byte - begin_byte));
}

// repeat(text, n): n copies (none for n <= 0); 54000 beyond 1 GB, like PostgreSQL.
Result<Value> Repeat(std::span<const Value> args, FunctionContext&) {
  const std::string& s = args[0].string_value();
  int64_t n = std::max<int64_t>(args[1].int_value(), 0);
  if (!s.empty() && static_cast<uint64_t>(n) > (1ull << 30) / s.size()) {
    return Status::Sql("54000", "requested length too large");
  }
  std::string out;
  out.reserve(s.size() * static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) out += s;
  return Value::String(TypeId::kText, std::move(out));
}

// position(substring IN string) / strpos(string, substring): the 1-based character position
// of the first occurrence, 0 when absent (an empty substring is at 1).
Result<Value> Position(std::span<const Value> args, FunctionContext&) {
  const std::string& s = args[0].string_value();
  size_t at = s.find(args[1].string_value());
  if (at == std::string::npos) return Value::Int(TypeId::kInt4, 0);
  std::vector<size_t> offsets = CharacterOffsets(s.substr(0, at));
  return Value::Int(TypeId::kInt4, static_cast<int64_t>(offsets.size()) + 1);
}

// btrim / ltrim / rtrim (string [, characters]): removes the longest prefix and/or suffix made
// of the given characters (default a space).
template <bool kLeft, bool kRight>
Result<Value> Trim(std::span<const Value> args, FunctionContext&) {
  const std::string& s = args[0].string_value();
  std::string set = args.size() > 1 ? args[1].string_value() : " ";
  std::vector<size_t> set_offsets = CharacterOffsets(set);
  std::vector<std::string> chars;
  for (size_t i = 0; i < set_offsets.size(); ++i) {
    size_t end = i + 1 < set_offsets.size() ? set_offsets[i + 1] : set.size();
    chars.push_back(set.substr(set_offsets[i], end - set_offsets[i]));
  }
  auto starts_with_any = [&chars](std::string_view v) -> size_t {
    for (const std::string& c : chars) {
      if (v.starts_with(c)) return c.size();
    }
    return 0;
  };
  auto ends_with_any = [&chars](std::string_view v) -> size_t {
    for (const std::string& c : chars) {
      if (v.ends_with(c)) return c.size();
    }
    return 0;
  };
  std::string_view v = s;
  if (kLeft) {
    while (size_t n = starts_with_any(v)) v.remove_prefix(n);
  }
  if (kRight) {
    while (size_t n = ends_with_any(v)) v.remove_suffix(n);
  }
  return Value::String(TypeId::kText, std::string(v));
}

// left(string, n) / right(string, n): the first / last n characters; a negative n drops |n|
// characters from the other end.
template <bool kLeft>
Result<Value> Side(std::span<const Value> args, FunctionContext&) {
  const std::string& s = args[0].string_value();
  std::vector<size_t> offsets = CharacterOffsets(s);
  int64_t length = static_cast<int64_t>(offsets.size());
  int64_t n = args[1].int_value();
  int64_t take = n >= 0 ? std::min(n, length) : std::max<int64_t>(length + n, 0);
  auto byte_at = [&](int64_t chars) {
    return chars >= length ? s.size() : offsets[static_cast<size_t>(chars)];
  };
  if (kLeft) return Value::String(TypeId::kText, s.substr(0, byte_at(take)));
  return Value::String(TypeId::kText, s.substr(byte_at(length - take)));
}

Result<Value> Reverse(std::span<const Value> args, FunctionContext&) {
  const std::string& s = args[0].string_value();
  std::vector<size_t> offsets = CharacterOffsets(s);
  std::string out;
  out.reserve(s.size());
  for (size_t i = offsets.size(); i-- > 0;) {
    size_t end = i + 1 < offsets.size() ? offsets[i + 1] : s.size();
    out.append(s, offsets[i], end - offsets[i]);
  }
  return Value::String(TypeId::kText, std::move(out));
}

Result<Value> NumericSign(std::span<const Value> args, FunctionContext&) {
  const Numeric& n = args[0].numeric_value();
  if (n.is_nan()) return Value::FromNumeric(n);
  return Value::FromNumeric(Numeric::FromInt64(n.is_zero() ? 0 : (n.negative() ? -1 : 1)));
}

Result<Value> FloatSign(std::span<const Value> args, FunctionContext&) {
  double x = args[0].float_value();
  return Value::Float(TypeId::kFloat8, x > 0 ? 1.0 : (x < 0 ? -1.0 : 0.0));
}

}  // namespace

void RegisterScalarFunctions(const FunctionAdder& add) {
  auto fn = [&add](std::string_view name, std::vector<TypeId> args, TypeId result,
                   FunctionImpl impl) { add(name, std::move(args), result, impl, false); };
  using T = TypeId;
  for (std::string_view name : {"substring", "substr"}) {
    fn(name, {T::kText, T::kInt4}, T::kText, Substring);
    fn(name, {T::kText, T::kInt4, T::kInt4}, T::kText, Substring);
  }
  fn("position", {T::kText, T::kText}, T::kInt4, Position);
  fn("strpos", {T::kText, T::kText}, T::kInt4, Position);
  fn("repeat", {T::kText, T::kInt4}, T::kText, Repeat);
  fn("btrim", {T::kText}, T::kText, Trim<true, true>);
  fn("btrim", {T::kText, T::kText}, T::kText, Trim<true, true>);
  fn("ltrim", {T::kText}, T::kText, Trim<true, false>);
  fn("ltrim", {T::kText, T::kText}, T::kText, Trim<true, false>);
  fn("rtrim", {T::kText}, T::kText, Trim<false, true>);
  fn("rtrim", {T::kText, T::kText}, T::kText, Trim<false, true>);
  fn("left", {T::kText, T::kInt4}, T::kText, Side<true>);
  fn("right", {T::kText, T::kInt4}, T::kText, Side<false>);
  fn("reverse", {T::kText}, T::kText, Reverse);
  fn("round", {T::kNumeric}, T::kNumeric, NumericRoundTo<true>);
  fn("round", {T::kNumeric, T::kInt4}, T::kNumeric, NumericRoundTo<true>);
  fn("round", {T::kFloat8}, T::kFloat8, FloatRoundTo<true>);
  fn("trunc", {T::kNumeric}, T::kNumeric, NumericRoundTo<false>);
  fn("trunc", {T::kNumeric, T::kInt4}, T::kNumeric, NumericRoundTo<false>);
  fn("trunc", {T::kFloat8}, T::kFloat8, FloatRoundTo<false>);
  fn("sign", {T::kNumeric}, T::kNumeric, NumericSign);
  fn("sign", {T::kFloat8}, T::kFloat8, FloatSign);
}

}  // namespace borealis::sql
