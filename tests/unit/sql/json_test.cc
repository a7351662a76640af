// json/jsonb parsing, canonical form, ordering and containment (sql/json.h), and the Value-level
// I/O and casts (sql/json_functions.h), with a fuzz-style loop over malformed inputs. (helper J)
#include "sql/json.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "sql/json_functions.h"
#include "sql/value.h"

namespace borealis::sql {
namespace {

std::string Canon(std::string_view text) {
  Result<std::string> canonical = json::CanonicalText(text);
  EXPECT_TRUE(canonical.ok()) << text << ": " << canonical.status().ToString();
  return canonical.ok() ? *canonical : "";
}

std::string DetailOf(std::string_view text, json::Mode mode) {
  Result<json::Node> node = json::Parse(text, mode);
  EXPECT_FALSE(node.ok()) << text;
  if (node.ok()) return "";
  EXPECT_EQ(node.status().sqlstate(), "22P02") << text;
  return node.status().detail();
}

int Cmp(std::string_view a, std::string_view b) {
  Result<json::Node> x = json::Parse(a, json::Mode::kJsonb);
  Result<json::Node> y = json::Parse(b, json::Mode::kJsonb);
  EXPECT_TRUE(x.ok() && y.ok()) << a << " " << b;
  return json::Compare(*x, *y);
}

TEST(JsonTest, CanonicalForm) {
  EXPECT_EQ(Canon(R"({"b":1,"aa":2,"a":3,"a":4})"), R"({"a": 4, "b": 1, "aa": 2})");
  EXPECT_EQ(Canon(" [1.50, 1e2, -0, 1E-2, true, null, {}, []] "),
            "[1.50, 100, 0, 0.01, true, null, {}, []]");
  EXPECT_EQ(Canon(R"("a\"b\\c\/d\b\f\n\r\t\u0001\u00e9")"),
            "\"a\\\"b\\\\c/d\\b\\f\\n\\r\\t\\u0001é\"");
  EXPECT_EQ(Canon(R"("\ud83d\ude00")"), "\"\xF0\x9F\x98\x80\"");
  EXPECT_EQ(Canon(R"({"a": {"c": 1, "b": [{"z": 1, "y": 2}]}})"),
            R"({"a": {"b": [{"y": 2, "z": 1}], "c": 1}})");
}

TEST(JsonTest, PostgresErrorDetails) {
  using json::Mode;
  EXPECT_EQ(DetailOf(R"({"a" 1})", Mode::kJson), "Expected \":\", but found \"1\".");
  EXPECT_EQ(DetailOf("[1,]", Mode::kJsonb), "Expected JSON value, but found \"]\".");
  EXPECT_EQ(DetailOf("", Mode::kJson), "The input string ended unexpectedly.");
  EXPECT_EQ(DetailOf("[1", Mode::kJson), "The input string ended unexpectedly.");
  EXPECT_EQ(DetailOf("01", Mode::kJson), "Token \"01\" is invalid.");
  EXPECT_EQ(DetailOf("1.", Mode::kJson), "Token \"1.\" is invalid.");
  EXPECT_EQ(DetailOf("-x", Mode::kJson), "Token \"-x\" is invalid.");
  EXPECT_EQ(DetailOf("tru", Mode::kJson), "Token \"tru\" is invalid.");
  EXPECT_EQ(DetailOf("#", Mode::kJson), "Token \"#\" is invalid.");
  EXPECT_EQ(DetailOf("[1] x", Mode::kJson), "Token \"x\" is invalid.");
  EXPECT_EQ(DetailOf("[1] 2", Mode::kJson), "Expected end of input, but found \"2\".");
  EXPECT_EQ(DetailOf(R"("a\x")", Mode::kJson), "Escape sequence \"\\x\" is invalid.");
  EXPECT_EQ(DetailOf(R"("\u00zz")", Mode::kJson),
            "\"\\u\" must be followed by four hexadecimal digits.");
  EXPECT_EQ(DetailOf("\"a\nb\"", Mode::kJson), "Character with value 0x0a must be escaped.");
  EXPECT_EQ(DetailOf(R"("abc)", Mode::kJson), "Token \"\"abc\" is invalid.");
  EXPECT_EQ(DetailOf("{1:2}", Mode::kJson), "Expected string or \"}\", but found \"1\".");
  EXPECT_EQ(DetailOf(R"({"a":1,})", Mode::kJson), "Expected string, but found \"}\".");
  EXPECT_EQ(DetailOf("[1 2]", Mode::kJson), "Expected \",\" or \"]\", but found \"2\".");
  EXPECT_EQ(DetailOf(R"({"a":1 "b")", Mode::kJson),
            "Expected \",\" or \"}\", but found \"\"b\"\".");
  EXPECT_EQ(DetailOf(R"("\ud800")", Mode::kJsonb),
            "Unicode low surrogate must follow a high surrogate.");
  EXPECT_EQ(DetailOf(R"("\ud800\ud800")", Mode::kJsonb),
            "Unicode high surrogate must not follow a high surrogate.");
}

std::string ContextOf(std::string_view text, json::Mode mode) {
  Result<json::Node> node = json::Parse(text, mode);
  EXPECT_FALSE(node.ok()) << text;
  return node.ok() ? "" : node.status().context();
}

TEST(JsonTest, PostgresErrorContext) {
  using json::Mode;
  EXPECT_EQ(ContextOf(R"({"a" 1})", Mode::kJson), R"(JSON data, line 1: {"a" 1...)");
  EXPECT_EQ(ContextOf("[1,]", Mode::kJson), "JSON data, line 1: [1,]");
  EXPECT_EQ(ContextOf("", Mode::kJson), "JSON data, line 1: ");
  EXPECT_EQ(ContextOf(R"("a\x")", Mode::kJson), R"(JSON data, line 1: "a\x...)");
  EXPECT_EQ(ContextOf(R"("\u00zz")", Mode::kJson), R"(JSON data, line 1: "\u00z...)");
  EXPECT_EQ(ContextOf(R"("\u0000")", Mode::kJsonb), R"(JSON data, line 1: "\u0000...)");
  EXPECT_EQ(ContextOf(R"("\ud800")", Mode::kJsonb), R"(JSON data, line 1: "\ud800")");
  EXPECT_EQ(ContextOf(R"("\ud800x")", Mode::kJsonb), R"(JSON data, line 1: "\ud800x...)");
  EXPECT_EQ(ContextOf(R"("\udc00")", Mode::kJsonb), R"(JSON data, line 1: "\udc00...)");
  EXPECT_EQ(ContextOf("[1] x", Mode::kJson), "JSON data, line 1: [1] x");
  EXPECT_EQ(ContextOf("\"a\nb\"", Mode::kJson), "JSON data, line 1: \"a");
  EXPECT_EQ(ContextOf(R"("abc)", Mode::kJson), R"(JSON data, line 1: "abc)");
  EXPECT_EQ(ContextOf("{1:2}", Mode::kJson), "JSON data, line 1: {1...");
  EXPECT_EQ(ContextOf("[1 2]", Mode::kJson), "JSON data, line 1: [1 2...");
  EXPECT_EQ(ContextOf(std::string(10000, '['), Mode::kJson),
            "JSON data, line 1: ..." + std::string(49, '['));
  EXPECT_EQ(ContextOf("[1,\n 2,\n x]", Mode::kJson), "JSON data, line 3:  x...");
}

TEST(JsonTest, JsonKeepsWhatJsonbRejects) {
  // json_in does not de-escape: \u0000 and lone surrogates are valid json, not valid jsonb.
  EXPECT_TRUE(json::Validate(R"("\u0000")").ok());
  EXPECT_TRUE(json::Validate(R"("\ud800")").ok());
  Result<json::Node> zero = json::Parse(R"("\u0000")", json::Mode::kJsonb);
  ASSERT_FALSE(zero.ok());
  EXPECT_EQ(zero.status().sqlstate(), "22P05");
  Result<json::Node> node = json::Parse(R"("\u0000")", json::Mode::kJson);
  ASSERT_TRUE(node.ok());
  EXPECT_FALSE(json::StringOf(*node).ok());  // ->> would have to de-escape it
}

TEST(JsonTest, DepthLimit) {
  std::string ok = std::string(json::kMaxDepth, '[') + std::string(json::kMaxDepth, ']');
  EXPECT_TRUE(json::Validate(ok).ok());
  EXPECT_EQ(json::Depth(*json::Parse(ok, json::Mode::kJsonb)), json::kMaxDepth);
  std::string deep = std::string(json::kMaxDepth + 1, '[') + std::string(json::kMaxDepth + 1, ']');
  Result<json::Node> node = json::Parse(deep, json::Mode::kJsonb);
  ASSERT_FALSE(node.ok());
  EXPECT_EQ(node.status().sqlstate(), "54001");
  std::string objects;
  for (int i = 0; i < 200000; ++i) objects += "{\"a\":";
  EXPECT_EQ(json::Validate(objects).sqlstate(), "54001");
}

TEST(JsonTest, EqualityAndOrder) {
  EXPECT_EQ(Cmp("1.0", "1"), 0);
  EXPECT_EQ(Cmp(R"({"a": [1, 2.00]})", R"({"a": [1.0, 2]})"), 0);
  EXPECT_LT(Cmp("[]", "null"), 0);  // PostgreSQL's raw-scalar quirk
  EXPECT_LT(Cmp("null", "\"a\""), 0);
  EXPECT_LT(Cmp("\"z\"", "1"), 0);
  EXPECT_LT(Cmp("1", "true"), 0);
  EXPECT_LT(Cmp("false", "true"), 0);
  EXPECT_LT(Cmp("true", "[1]"), 0);
  EXPECT_LT(Cmp("1", "[1, 2]"), 0);
  EXPECT_LT(Cmp("[1]", "{}"), 0);
  EXPECT_LT(Cmp("[9]", "[1, 1]"), 0);
  EXPECT_LT(Cmp(R"({"b": 1})", R"({"a": 1, "b": 1})"), 0);
  EXPECT_GT(Cmp(R"({"a": 2})", R"({"a": 1})"), 0);
  EXPECT_NE(Cmp("\"a\"", "\"a \""), 0);
  auto key = [](std::string_view text) {
    return json::EqualityKey(*json::Parse(text, json::Mode::kJsonb));
  };
  EXPECT_EQ(key("[1.0, -0.00, 2.50]"), key("[1, 0, 2.5]"));
  EXPECT_NE(key("[1]"), key("[\"1\"]"));
}

TEST(JsonTest, Containment) {
  auto contains = [](std::string_view a, std::string_view b) {
    return json::Contains(*json::Parse(a, json::Mode::kJsonb), *json::Parse(b, json::Mode::kJsonb));
  };
  EXPECT_TRUE(contains(R"({"a": 1, "b": {"c": [1, 2, 3]}})", R"({"b": {"c": [3]}})"));
  EXPECT_TRUE(contains("[1, [2, 3]]", "[[3]]"));
  EXPECT_TRUE(contains("[1, 2]", "1"));
  EXPECT_TRUE(contains("[1, 2]", "[]"));
  EXPECT_FALSE(contains("1", "[1]"));
  EXPECT_FALSE(contains("[[1]]", "[1]"));
  EXPECT_FALSE(contains(R"({"a": [1, 2]})", R"({"a": 1})"));
  EXPECT_TRUE(contains("1.0", "1"));
}

TEST(JsonTest, ValueIoAndCasts) {
  Result<Value> jsonb = ParseText(TypeId::kJsonb, R"({"b": 1, "a": 2})");
  ASSERT_TRUE(jsonb.ok());
  EXPECT_EQ(FormatText(*jsonb, OutputOptions{}), R"({"a": 2, "b": 1})");
  std::string binary = SendBinary(*jsonb);
  EXPECT_EQ(binary[0], '\x01');
  Result<Value> back = ReceiveBinary(TypeId::kJsonb, binary);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->string_value(), jsonb->string_value());
  EXPECT_EQ(ReceiveBinary(TypeId::kJsonb, "\x02{}").status().sqlstate(), "22P03");
  EXPECT_TRUE(CanCast(TypeId::kJson, TypeId::kJsonb, CastContext::kAssignment));
  EXPECT_FALSE(CanCast(TypeId::kText, TypeId::kJson, CastContext::kAssignment));
  EXPECT_TRUE(CanCast(TypeId::kJsonb, TypeId::kInt4, CastContext::kExplicit));
  EXPECT_FALSE(CanCast(TypeId::kJson, TypeId::kInt4, CastContext::kExplicit));
  Result<Value> number = CastValue(*ParseText(TypeId::kJsonb, "1.5"), TypeId::kInt4);
  ASSERT_TRUE(number.ok());
  EXPECT_EQ(number->int_value(), 2);
  Result<Value> bad = CastValue(*ParseText(TypeId::kJsonb, "\"a\""), TypeId::kNumeric);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "cannot cast jsonb string to type numeric");
  EXPECT_EQ(CompareJsonb(*ParseText(TypeId::kJsonb, "1.0"), *ParseText(TypeId::kJsonb, "1")), 0);
}

// Malformed inputs never crash: random mutations of valid documents either parse or fail with
// a SQL error, and whatever jsonb accepts is a fixed point of its canonical form.
TEST(JsonTest, FuzzMalformedInputs) {
  const std::string seeds[] = {
      R"({"a": [1, 2.5e3, -0.1, "x\ny\u00e9\ud83d\ude00"], "b": {"c": null, "d": true}})",
      R"([[[[]]], {}, "", 0, false])", R"("\u0041\\\/")", "  123  "};
  const std::string alphabet = "{}[]:,\"\\ufe0123456789.-+ntrl \t\n\x01\xc3\xa9";
  std::mt19937 random(4);
  int accepted = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string text = seeds[random() % std::size(seeds)];
    int edits = 1 + static_cast<int>(random() % 4);
    for (int e = 0; e < edits; ++e) {
      size_t at = text.empty() ? 0 : random() % text.size();
      char c = alphabet[random() % alphabet.size()];
      switch (random() % 3) {
        case 0:
          if (!text.empty()) text[at] = c;
          break;
        case 1:
          text.insert(text.begin() + static_cast<ptrdiff_t>(at), c);
          break;
        default:
          if (!text.empty()) text.erase(at, 1);
      }
    }
    for (json::Mode mode : {json::Mode::kJson, json::Mode::kJsonb}) {
      Result<json::Node> node = json::Parse(text, mode);
      if (!node.ok()) {
        const std::string& state = node.status().sqlstate();
        EXPECT_TRUE(state == "22P02" || state == "22P05" || state == "22003") << text << state;
        continue;
      }
      ++accepted;
      if (mode == json::Mode::kJsonb) {
        std::string canonical = json::Canonical(*node);
        EXPECT_EQ(Canon(canonical), canonical) << text;
        EXPECT_EQ(json::Compare(*node, *json::Parse(canonical, mode)), 0) << text;
      }
    }
  }
  EXPECT_GT(accepted, 100);
}

}  // namespace
}  // namespace borealis::sql
