// Parser front end, value I/O and numeric tests; expected texts come from PostgreSQL 15.
#include <gtest/gtest.h>

#include "sql/parser.h"
#include "sql/value.h"

namespace borealis::sql {
namespace {

TEST(ParserTest, SplitsStatements) {
  auto result = Parse("SELECT 1; SET x = 1;SHOW y");
  ASSERT_TRUE(result.ok());
  ASSERT_EQ(result->statements.size(), 3u);
  EXPECT_EQ(result->statements[0].text, "SELECT 1");
  EXPECT_EQ(result->statements[1].statement->kind, StatementKind::kSet);
  EXPECT_EQ(result->statements[2].statement->kind, StatementKind::kShow);
}

TEST(ParserTest, EmptyAndCommentOnly) {
  for (const char* sql : {"", "  ", "-- hi", "/* x */"}) {
    auto result = Parse(sql);
    ASSERT_TRUE(result.ok());
    ASSERT_EQ(result->statements.size(), 1u);
    EXPECT_TRUE(result->statements[0].empty);
  }
}

TEST(ParserTest, SyntaxErrors) {
  auto result = Parse("SELECT 1; SELECT (");
  EXPECT_EQ(result.status().sqlstate(), "42601");
  EXPECT_EQ(result.status().message(), "syntax error at end of input");
  EXPECT_EQ(result.status().position(), 19);
  result = Parse("SELECT 'abc");
  EXPECT_EQ(result.status().message(), "unterminated quoted string at or near \"'abc\"");
  EXPECT_EQ(result.status().position(), 8);
  result = Parse(std::string("SELECT 1\0", 9));
  EXPECT_FALSE(result.ok());
}

TEST(ParserTest, NegativeIntegersSurviveJson) {
  auto result = Parse("SELECT -3, - 42, 0");
  ASSERT_TRUE(result.ok());
  const auto& select = result->statements[0].statement->As<SelectStatement>();
  EXPECT_EQ(select.targets[0].expr->As<ConstantExpr>().int_value, -3);
  EXPECT_EQ(select.targets[1].expr->As<ConstantExpr>().int_value, -42);
  EXPECT_EQ(select.targets[2].expr->As<ConstantExpr>().int_value, 0);
}

TEST(ParserTest, UnsupportedIsDeferredPerStatement) {
  auto result = Parse("SELECT 1; LISTEN ch");
  ASSERT_TRUE(result.ok());
  EXPECT_TRUE(result->statements[0].error.ok());
  EXPECT_EQ(result->statements[1].error.sqlstate(), "0A000");
  EXPECT_EQ(result->statements[1].error.message(), "LISTEN is not supported yet");
}

TEST(ParserTest, DeepNestingIsAnError) {
  std::string sql = "SELECT 1";
  for (int i = 0; i < 3000; ++i) sql += "+1";
  auto result = Parse(sql);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->statements[0].error.sqlstate(), "54001");
}

TEST(ParserTest, PrepareExecuteDeallocate) {
  auto result = Parse(
      "PREPARE add_one(int, numeric(10,2)) AS SELECT $1::int + 1; EXECUTE add_one(41, 1 + 2); "
      "EXECUTE y; DEALLOCATE add_one; DEALLOCATE PREPARE \"X\"; DEALLOCATE ALL");
  ASSERT_TRUE(result.ok());
  ASSERT_EQ(result->statements.size(), 6u);
  for (const ParsedStatement& statement : result->statements) {
    ASSERT_TRUE(statement.error.ok()) << statement.error.ToString();
  }
  const auto& prepare = result->statements[0].statement->As<PrepareStatement>();
  EXPECT_EQ(prepare.kind, StatementKind::kPrepare);
  EXPECT_EQ(prepare.name, "add_one");
  ASSERT_EQ(prepare.parameter_types.size(), 2u);
  EXPECT_EQ(prepare.parameter_types[0].names, (std::vector<std::string>{"pg_catalog", "int4"}));
  EXPECT_EQ(prepare.parameter_types[0].location, 16);
  EXPECT_EQ(prepare.parameter_types[1].modifiers, (std::vector<int64_t>{10, 2}));
  ASSERT_NE(prepare.statement, nullptr);
  EXPECT_EQ(prepare.statement->kind, StatementKind::kSelect);
  const auto& execute = result->statements[1].statement->As<ExecuteStatement>();
  EXPECT_EQ(execute.name, "add_one");
  ASSERT_EQ(execute.parameters.size(), 2u);
  EXPECT_EQ(execute.parameters[1]->kind, ExprKind::kOperator);
  EXPECT_TRUE(result->statements[2].statement->As<ExecuteStatement>().parameters.empty());
  EXPECT_EQ(result->statements[3].statement->As<DeallocateStatement>().name, "add_one");
  EXPECT_EQ(result->statements[4].statement->As<DeallocateStatement>().name, "X");
  EXPECT_EQ(result->statements[5].statement->As<DeallocateStatement>().name, std::nullopt);

  // An unsupported prepared statement's own error is the PREPARE's.
  result = Parse("PREPARE p AS WITH w AS (DELETE FROM t RETURNING *) SELECT * FROM w");
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->statements[0].error.sqlstate(), "0A000");
  EXPECT_EQ(result->statements[0].error.message(),
            "data-modifying statements in WITH is not supported yet");
  // PostgreSQL's grammar accepts only preparable statements after AS.
  EXPECT_EQ(Parse("PREPARE p AS SHOW x").status().sqlstate(), "42601");
}

TEST(ParserTest, WindowCalls) {
  auto result = Parse("SELECT rank() OVER (PARTITION BY a, b ORDER BY c DESC NULLS LAST) FROM t");
  ASSERT_TRUE(result.ok());
  ASSERT_TRUE(result->statements[0].error.ok());
  const auto& select = result->statements[0].statement->As<SelectStatement>();
  EXPECT_TRUE(select.calls_aggregates);  // routes a SELECT without FROM through the planner
  const auto& call = select.targets[0].expr->As<FuncCallExpr>();
  EXPECT_TRUE(call.has_over);
  EXPECT_EQ(call.partition_by.size(), 2u);
  ASSERT_EQ(call.window_order.size(), 1u);
  EXPECT_TRUE(call.window_order[0].descending);
  EXPECT_EQ(call.window_order[0].nulls_first, std::optional<bool>(false));
  // Explicit frames and named windows are refused per statement with 0A000.
  for (const char* sql : {"SELECT rank() OVER (ROWS UNBOUNDED PRECEDING) FROM t",
                          "SELECT rank() OVER w FROM t WINDOW w AS ()"}) {
    result = Parse(sql);
    ASSERT_TRUE(result.ok()) << sql;
    EXPECT_EQ(result->statements[0].error.sqlstate(), "0A000") << sql;
  }
}

TEST(ParserTest, PositionCountsCharacters) { EXPECT_EQ(ErrorPosition("SELECT 'é', x", 13), 13); }

TEST(ValueTest, IntegerInput) {
  EXPECT_EQ(ParseText(TypeId::kInt4, " 12 ")->int_value(), 12);
  auto bad = ParseText(TypeId::kInt4, "x");
  EXPECT_EQ(bad.status().sqlstate(), "22P02");
  EXPECT_EQ(bad.status().message(), "invalid input syntax for type integer: \"x\"");
  auto big = ParseText(TypeId::kInt2, "40000");
  EXPECT_EQ(big.status().message(), "value \"40000\" is out of range for type smallint");
  EXPECT_EQ(ParseText(TypeId::kInt8, "-9223372036854775808")->int_value(), INT64_MIN);
}

TEST(ValueTest, BoolInput) {
  EXPECT_TRUE(ParseText(TypeId::kBool, "yes")->bool_value());
  EXPECT_FALSE(ParseText(TypeId::kBool, " OFF ")->bool_value());
  EXPECT_EQ(ParseText(TypeId::kBool, "o").status().sqlstate(), "22P02");
}

TEST(ValueTest, FloatOutput) {
  OutputOptions options;
  auto f8 = [&](double v) { return FormatText(Value::Float(TypeId::kFloat8, v), options); };
  EXPECT_EQ(f8(1e16), "1e+16");
  EXPECT_EQ(f8(123456789012345678.0), "1.2345678901234568e+17");
  EXPECT_EQ(f8(0.0001), "0.0001");
  EXPECT_EQ(f8(0.00001), "1e-05");
  EXPECT_EQ(f8(100), "100");
  EXPECT_EQ(f8(1e15), "1e+15");
  EXPECT_EQ(FormatText(Value::Float(TypeId::kFloat8, 0.1f), options), "0.10000000149011612");
  options.extra_float_digits = 0;
  EXPECT_EQ(f8(1.0 / 3), "0.333333333333333");
  EXPECT_EQ(ParseText(TypeId::kFloat8, "1e400").status().message(),
            "\"1e400\" is out of range for type double precision");
  EXPECT_EQ(FormatText(*ParseText(TypeId::kFloat8, "-inf"), options), "-Infinity");
}

TEST(ValueTest, BinaryRoundTrips) {
  std::vector<Value> values = {
      Value::Bool(true),
      Value::Int(TypeId::kInt2, -2),
      Value::Int(TypeId::kInt4, 123456),
      Value::Int(TypeId::kInt8, INT64_MIN),
      Value::Int(TypeId::kOid, 4294967295u),
      Value::Float(TypeId::kFloat4, 1.5),
      Value::Float(TypeId::kFloat8, -0.1),
      Value::String(TypeId::kText, "héllo"),
      *ParseText(TypeId::kNumeric, "-12345.678900"),
      *ParseText(TypeId::kNumeric, "0.00012"),
      *ParseText(TypeId::kNumeric, "100000000"),
      *ParseText(TypeId::kNumeric, "0"),
      *ParseText(TypeId::kNumeric, "NaN"),
  };
  OutputOptions options;
  for (const Value& v : values) {
    auto back = ReceiveBinary(v.type(), SendBinary(v));
    ASSERT_TRUE(back.ok()) << FormatText(v, options);
    EXPECT_EQ(FormatText(*back, options), FormatText(v, options));
  }
  EXPECT_EQ(ReceiveBinary(TypeId::kInt4, "abc").status().sqlstate(), "22P03");
}

TEST(NumericTest, BinaryLayout) {
  // numeric_send('1234.5') = ndigits 2, weight 0, sign 0, dscale 1, digits {1234, 5000}.
  std::string bytes = ParseText(TypeId::kNumeric, "1234.5")->numeric_value().SendBinary();
  EXPECT_EQ(bytes, std::string("\x00\x02\x00\x00\x00\x00\x00\x01\x04\xd2\x13\x88", 12));
}

TEST(NumericTest, Arithmetic) {
  auto n = [](const char* s) { return *Numeric::Parse(s); };
  EXPECT_EQ(Numeric::Add(n("1.50"), n("1"))->ToString(), "2.50");
  EXPECT_EQ(Numeric::Subtract(n("1"), n("1.25"))->ToString(), "-0.25");
  EXPECT_EQ(Numeric::Multiply(n("1.5"), n("-2.0"))->ToString(), "-3.00");
  EXPECT_EQ(n("1e5").ToString(), "100000");
  EXPECT_EQ(n("-0.0").ToString(), "0.0");
  EXPECT_EQ(*n("-2.5").ToInt64(), -3);
  EXPECT_EQ(Numeric::Parse("1.2.3").status().message(),
            "invalid input syntax for type numeric: \"1.2.3\"");
}

TEST(NumericTest, DivideByIntegerUsesPostgresScale) {
  // Expected values are PostgreSQL 15's numeric_div results.
  auto div = [](const char* a, int64_t b) {
    return Numeric::DivideByInteger(*Numeric::Parse(a), b)->ToString();
  };
  EXPECT_EQ(div("0", 5), "0.00000000000000000000");
  EXPECT_EQ(div("1", 3), "0.33333333333333333333");
  EXPECT_EQ(div("-2", 3), "-0.66666666666666666667");
  EXPECT_EQ(div("123456789012345678", 7), "17636684144620811");
  EXPECT_EQ(div("0.001", 3), "0.00033333333333333333");
  EXPECT_EQ(div("99999", 1), "99999.000000000000");
  EXPECT_EQ(div("6.633", 4), "1.6582500000000000");
  EXPECT_EQ(Numeric::DivideByInteger(*Numeric::Parse("1"), 0).status().sqlstate(), "22012");
}

TEST(CastTest, Rules) {
  EXPECT_TRUE(CanCast(TypeId::kInt4, TypeId::kInt8, CastContext::kImplicit));
  EXPECT_FALSE(CanCast(TypeId::kInt8, TypeId::kInt4, CastContext::kImplicit));
  EXPECT_TRUE(CanCast(TypeId::kInt8, TypeId::kInt4, CastContext::kAssignment));
  EXPECT_FALSE(CanCast(TypeId::kBool, TypeId::kFloat8, CastContext::kExplicit));
  EXPECT_EQ(CastValue(Value::Bool(true), TypeId::kText)->string_value(), "true");
  EXPECT_EQ(CastValue(Value::Int(TypeId::kInt8, 1LL << 40), TypeId::kInt4).status().message(),
            "integer out of range");
}

}  // namespace
}  // namespace borealis::sql
