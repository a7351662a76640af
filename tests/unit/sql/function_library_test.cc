// The math, format and to_char functions (sql/math_functions.h, sql/format_functions.h,
// sql/number_format.h) called through the function catalog; expected values come from
// PostgreSQL 15.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "sql/format_functions.h"
#include "sql/functions.h"
#include "sql/value.h"

namespace borealis::sql {
namespace {

// A session with nothing in it: these functions read only output_options().
class NoSession : public FunctionContext {
 public:
  std::string CurrentUser() const override { return "u"; }
  std::string SessionUser() const override { return "u"; }
  std::string CurrentDatabase() const override { return "d"; }
  std::optional<std::string> CurrentSchema() const override { return std::nullopt; }
  int32_t BackendPid() const override { return 1; }
  Result<std::optional<std::string>> GetSetting(std::string_view, bool) const override {
    return std::optional<std::string>();
  }
  Result<std::string> SetSetting(std::string_view, std::string_view, bool) override {
    return std::string();
  }
  OutputOptions output_options() const override { return OutputOptions{}; }
  double Random() override { return 0.5; }
  Status CheckCancel() override { return Status::Ok(); }
};

// Calls the overload of `name` whose parameter types are those of `args`.
Result<Value> Call(std::string_view name, std::vector<Value> args, bool is_operator = false) {
  NoSession session;
  for (const FunctionDef* def : LookupFunctions(name, is_operator, args.size())) {
    // VARIADIC "any" functions: the fixed parameters must match, the rest is free.
    bool exact = def->variadic_any || def->args.size() == args.size();
    for (size_t i = 0; exact && i < def->args.size(); ++i) exact = def->args[i] == args[i].type();
    if (exact) return def->impl(args, session);
  }
  ADD_FAILURE() << "no overload of " << name;
  return Status::Internal("no overload");
}

std::string Text(const Result<Value>& v) {
  EXPECT_TRUE(v.ok()) << v.status().ToString();
  return v.ok() ? FormatText(*v, OutputOptions{}) : "";
}

Value I2(int64_t v) { return Value::Int(TypeId::kInt2, v); }
Value I4(int64_t v) { return Value::Int(TypeId::kInt4, v); }
Value I8(int64_t v) { return Value::Int(TypeId::kInt8, v); }
Value F8(double v) { return Value::Float(TypeId::kFloat8, v); }
Value S(std::string v) { return Value::String(TypeId::kText, std::move(v)); }

TEST(MathFunctionsTest, ShiftsWrapLikeC) {
  EXPECT_EQ(Text(Call("<<", {I2(-1), I4(15)}, true)), "-32768");
  EXPECT_EQ(Text(Call("<<", {I2(1), I4(16)}, true)), "0");
  EXPECT_EQ(Text(Call("<<", {I4(1), I4(33)}, true)), "2");
  EXPECT_EQ(Text(Call("<<", {I8(1), I4(65)}, true)), "2");
  EXPECT_EQ(Text(Call(">>", {I4(-8), I4(33)}, true)), "-4");
  EXPECT_EQ(Text(Call("#", {I8(4567890123456789), I8(-4567890123456789)}, true)), "-2");
}

TEST(MathFunctionsTest, GcdLcmOverflow) {
  EXPECT_EQ(Text(Call("gcd", {I8(-9223372036854775807 - 1), I8(4611686018427387904)})),
            "4611686018427387904");
  EXPECT_EQ(Call("gcd", {I4(-2147483648), I4(0)}).status().sqlstate(), "22003");
  EXPECT_EQ(Call("lcm", {I4(2147483647), I4(2147483646)}).status().sqlstate(), "22003");
  EXPECT_EQ(Text(Call("factorial", {I8(20)})), "2432902008176640000");
}

TEST(MathFunctionsTest, DegreeFunctionsAreExact) {
  EXPECT_EQ(Call("sind", {F8(30)})->float_value(), 0.5);
  EXPECT_EQ(Call("sind", {F8(-150)})->float_value(), -0.5);
  EXPECT_EQ(Call("cosd", {F8(120)})->float_value(), -0.5);
  EXPECT_EQ(Call("tand", {F8(225)})->float_value(), 1.0);
  EXPECT_EQ(Call("acosd", {F8(-0.5)})->float_value(), 120.0);
  EXPECT_TRUE(std::isinf(Call("cotd", {F8(0)})->float_value()));
  EXPECT_EQ(Call("sind", {F8(INFINITY)}).status().sqlstate(), "22003");
}

TEST(MathFunctionsTest, PowerEdgeCases) {
  EXPECT_EQ(Call("power", {F8(NAN), F8(0)})->float_value(), 1.0);
  EXPECT_EQ(Call("power", {F8(1), F8(NAN)})->float_value(), 1.0);
  EXPECT_EQ(Call("power", {F8(0), F8(-1)}).status().sqlstate(), "2201F");
  EXPECT_EQ(Call("power", {F8(10), F8(400)}).status().sqlstate(), "22003");
  EXPECT_EQ(Call("ln", {F8(0)}).status().sqlstate(), "2201E");
}

TEST(FormatFunctionsTest, FormatAndQuoting) {
  EXPECT_EQ(Text(Call("format", {S(">>%2$*1$L<<"), I4(-10), Value::Null(TypeId::kText)})),
            ">>NULL      <<");
  EXPECT_EQ(Text(Call("format", {S("%I %s"), S("order"), I4(1)})), "\"order\" 1");
  EXPECT_EQ(Call("format", {S("%x"), I4(1)}).status().sqlstate(), "22023");
  EXPECT_EQ(Call("format", {S("%s %s"), I4(1)}).status().message(),
            "too few arguments for format()");
  EXPECT_EQ(QuoteIdentifierSql("abc"), "abc");
  EXPECT_EQ(QuoteIdentifierSql("select"), "\"select\"");
  EXPECT_EQ(QuoteIdentifierSql("a\"B"), "\"a\"\"B\"");
}

TEST(NumberFormatTest, ToChar) {
  EXPECT_EQ(Text(Call("to_char", {I8(-4567890123456789), S("9,999,999,999,999,999.999,999")})),
            "-4,567,890,123,456,789.000,000");
  EXPECT_EQ(Text(Call("to_char", {I8(456), S("999999SG9999999999")})), "      +       456");
  EXPECT_EQ(Text(Call("to_char", {I4(-7), S("99PR")})), " <7>");
  EXPECT_EQ(Text(Call("to_char", {I4(12345), S("999")})), " ###");
  EXPECT_EQ(Text(Call("to_char", {F8(0.125), S("9.99")})), "  .12");  // printf rounds to even
  EXPECT_EQ(Text(Call("to_char", {I4(485), S("FMRN")})), "CDLXXXV");
  EXPECT_EQ(Text(Call("to_char", {I4(100), S("999.PR")})), " 100");
}

}  // namespace
}  // namespace borealis::sql
