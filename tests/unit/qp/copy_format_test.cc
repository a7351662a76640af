// COPY's text and csv formats (qp/copy_format.h): option validation, parsing of data split
// into arbitrary chunks, formatting. Expected values are PostgreSQL 15's.
#include "qp/copy_format.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace borealis::qp {
namespace {

using Fields = std::vector<std::optional<std::string>>;

sql::OptionItem Option(std::string name, std::optional<std::string> value = std::nullopt) {
  sql::OptionItem item;
  item.name = std::move(name);
  item.value = std::move(value);
  return item;
}

CopyOptions Options(std::vector<sql::OptionItem> items, bool is_from = true) {
  Result<CopyOptions> options = ParseCopyOptions(items, is_from, "");
  EXPECT_TRUE(options.ok()) << options.status().ToString();
  return options.ok() ? *options : CopyOptions{};
}

// Feeds `data` in chunks of `chunk` bytes and returns the records' fields.
std::vector<Fields> Parse(const CopyOptions& options, std::string_view data, size_t chunk) {
  CopyParser parser(options);
  std::vector<CopyRecord> records;
  for (size_t i = 0; i < data.size(); i += chunk) {
    Status fed = parser.Feed(data.substr(i, chunk), records);
    EXPECT_TRUE(fed.ok()) << fed.ToString();
  }
  Status finished = parser.Finish(records);
  EXPECT_TRUE(finished.ok()) << finished.ToString();
  std::vector<Fields> out;
  for (const CopyRecord& record : records) out.push_back(record.fields);
  return out;
}

TEST(CopyFormatTest, TextEscapesAndNulls) {
  std::string data = "1\ta\\tb\t\\N\n2\t\\\\\\101\\x41\t\\.x\n";
  for (size_t chunk : {1, 2, 3, 7, 100}) {
    std::vector<Fields> rows = Parse(CopyOptions{}, data, chunk);
    ASSERT_EQ(rows.size(), 2u) << chunk;
    EXPECT_EQ(rows[0], (Fields{"1", "a\tb", std::nullopt}));
    EXPECT_EQ(rows[1], (Fields{"2", "\\AA", ".x"}));
  }
}

TEST(CopyFormatTest, TextLineEndsAndEndMarker) {
  EXPECT_EQ(Parse(CopyOptions{}, "a\r\nb\r\n", 1), (std::vector<Fields>{{"a"}, {"b"}}));
  EXPECT_EQ(Parse(CopyOptions{}, "a\rb\r", 2), (std::vector<Fields>{{"a"}, {"b"}}));
  // The last line may lack its newline; data after \. is ignored.
  EXPECT_EQ(Parse(CopyOptions{}, "a\nb", 1), (std::vector<Fields>{{"a"}, {"b"}}));
  EXPECT_EQ(Parse(CopyOptions{}, "a\n\\.\nignored\n", 3), (std::vector<Fields>{{"a"}}));
  // An empty line is one empty field.
  EXPECT_EQ(Parse(CopyOptions{}, "\n", 1), (std::vector<Fields>{{""}}));
}

TEST(CopyFormatTest, MixedLineEndsAre22P04) {
  CopyParser parser(CopyOptions{});
  std::vector<CopyRecord> records;
  Status status = parser.Feed("a\nb\rc\n", records);
  EXPECT_EQ(status.sqlstate(), "22P04");
  EXPECT_EQ(status.message(), "literal carriage return found in data");
}

TEST(CopyFormatTest, Csv) {
  CopyOptions csv = Options({Option("format", "csv"), Option("header", "true")});
  std::string data = "h1,h2,h3\n1,\"a,b\",\n2,\"say \"\"hi\"\"\",\"\"\n3,\"multi\nline\",x\n";
  for (size_t chunk : {1, 4, 1000}) {
    std::vector<Fields> rows = Parse(csv, data, chunk);
    ASSERT_EQ(rows.size(), 3u) << chunk;
    EXPECT_EQ(rows[0], (Fields{"1", "a,b", std::nullopt}));
    EXPECT_EQ(rows[1], (Fields{"2", "say \"hi\"", ""}));
    EXPECT_EQ(rows[2], (Fields{"3", "multi\nline", "x"}));
  }
  CopyParser parser(csv);
  std::vector<CopyRecord> records;
  ASSERT_TRUE(parser.Feed("h\n1,\"open\n", records).ok());
  EXPECT_EQ(parser.Finish(records).sqlstate(), "22P04");
}

TEST(CopyFormatTest, CsvEscape) {
  CopyOptions csv = Options({Option("format", "csv"), Option("escape", "\\")});
  EXPECT_EQ(Parse(csv, "\"a\\\"b\",\"c\\\\d\"\n", 2), (std::vector<Fields>{{"a\"b", "c\\d"}}));
}

TEST(CopyFormatTest, OptionErrors) {
  auto error = [](std::vector<sql::OptionItem> items, bool is_from = true) {
    return ParseCopyOptions(items, is_from, "").status().sqlstate();
  };
  EXPECT_EQ(error({Option("format", "json")}), "22023");
  EXPECT_EQ(error({Option("format", "binary")}), "0A000");
  EXPECT_EQ(error({Option("bogus", "1")}), "42601");
  EXPECT_EQ(error({Option("format", "csv"), Option("format", "csv")}), "42601");
  EXPECT_EQ(error({Option("delimiter", "ab")}), "0A000");
  EXPECT_EQ(error({Option("delimiter", "\n")}), "22023");
  EXPECT_EQ(error({Option("delimiter", "x")}), "22023");
  EXPECT_EQ(error({Option("quote", "'")}), "0A000");
  EXPECT_EQ(error({Option("format", "csv"), Option("delimiter", "\"")}), "22023");
  EXPECT_EQ(error({Option("header", "maybe")}), "22023");
  EXPECT_EQ(error({Option("delimiter", ","), Option("null", "a,b")}), "0A000");
  sql::OptionItem force_quote = Option("force_quote");
  force_quote.star = true;
  EXPECT_EQ(error({Option("format", "csv"), force_quote}, true), "0A000");
  EXPECT_TRUE(ParseCopyOptions({Option("format", "csv"), force_quote}, false, "").ok());
}

TEST(CopyFormatTest, Format) {
  std::string out;
  FormatCopyRecord(CopyOptions{}, {"a\tb\\c\nd", std::nullopt, ""}, {}, out);
  EXPECT_EQ(out, "a\\tb\\\\c\\nd\t\\N\t\n");
  CopyOptions csv = Options({Option("format", "csv")}, false);
  out.clear();
  FormatCopyRecord(csv, {"plain", "a,b", "say \"hi\"", std::nullopt, ""}, {}, out);
  EXPECT_EQ(out, "plain,\"a,b\",\"say \"\"hi\"\"\",,\"\"\n");
  out.clear();
  FormatCopyRecord(csv, {"\\."}, {}, out);
  EXPECT_EQ(out, "\"\\.\"\n");
  out.clear();
  FormatCopyRecord(csv, {"x", "y"}, {true, false}, out);
  EXPECT_EQ(out, "\"x\",y\n");
}

TEST(CopyFormatTest, RoundTrip) {
  Fields fields = {"tab\there", std::nullopt, "back\\slash", "new\nline", "", "\\N"};
  for (CopyOptions options : {CopyOptions{}, Options({Option("format", "csv")})}) {
    std::string out;
    FormatCopyRecord(options, fields, {}, out);
    EXPECT_EQ(Parse(options, out, 3), (std::vector<Fields>{fields}));
  }
}

}  // namespace
}  // namespace borealis::qp
