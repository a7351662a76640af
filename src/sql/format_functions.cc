#include "sql/format_functions.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <limits>
#include <optional>

#include "fmt/format.h"

namespace borealis::sql {
namespace {

using T = TypeId;

// PostgreSQL's values are at most 1 GB.
constexpr size_t kMaxResultBytes = size_t{1} << 30;

// The keywords that are not UNRESERVED in PostgreSQL 15 (pg_get_keywords() where catcode <>
// 'U'), sorted: an identifier spelled like one must be quoted.
constexpr std::array<std::string_view, 151> kQuotedKeywords = {
    "all",
    "analyse",
    "analyze",
    "and",
    "any",
    "array",
    "as",
    "asc",
    "asymmetric",
    "authorization",
    "between",
    "bigint",
    "binary",
    "bit",
    "boolean",
    "both",
    "case",
    "cast",
    "char",
    "character",
    "check",
    "coalesce",
    "collate",
    "collation",
    "column",
    "concurrently",
    "constraint",
    "create",
    "cross",
    "current_catalog",
    "current_date",
    "current_role",
    "current_schema",
    "current_time",
    "current_timestamp",
    "current_user",
    "dec",
    "decimal",
    "default",
    "deferrable",
    "desc",
    "distinct",
    "do",
    "else",
    "end",
    "except",
    "exists",
    "extract",
    "false",
    "fetch",
    "float",
    "for",
    "foreign",
    "freeze",
    "from",
    "full",
    "grant",
    "greatest",
    "group",
    "grouping",
    "having",
    "ilike",
    "in",
    "initially",
    "inner",
    "inout",
    "int",
    "integer",
    "intersect",
    "interval",
    "into",
    "is",
    "isnull",
    "join",
    "lateral",
    "leading",
    "least",
    "left",
    "like",
    "limit",
    "localtime",
    "localtimestamp",
    "national",
    "natural",
    "nchar",
    "none",
    "normalize",
    "not",
    "notnull",
    "null",
    "nullif",
    "numeric",
    "offset",
    "on",
    "only",
    "or",
    "order",
    "out",
    "outer",
    "overlaps",
    "overlay",
    "placing",
    "position",
    "precision",
    "primary",
    "real",
    "references",
    "returning",
    "right",
    "row",
    "select",
    "session_user",
    "setof",
    "similar",
    "smallint",
    "some",
    "substring",
    "symmetric",
    "table",
    "tablesample",
    "then",
    "time",
    "timestamp",
    "to",
    "trailing",
    "treat",
    "trim",
    "true",
    "union",
    "unique",
    "user",
    "using",
    "values",
    "varchar",
    "variadic",
    "verbose",
    "when",
    "where",
    "window",
    "with",
    "xmlattributes",
    "xmlconcat",
    "xmlelement",
    "xmlexists",
    "xmlforest",
    "xmlnamespaces",
    "xmlparse",
    "xmlpi",
    "xmlroot",
    "xmlserialize",
    "xmltable",
};
static_assert(std::is_sorted(kQuotedKeywords.begin(), kQuotedKeywords.end()));

// quote_literal's rule: single quotes doubled; a string with a backslash becomes an E'' string
// with the backslashes doubled.
std::string QuoteLiteralText(std::string_view s) {
  bool backslash = s.find('\\') != std::string_view::npos;
  std::string out = backslash ? "E'" : "'";
  for (char ch : s) {
    if (ch == '\'' || ch == '\\') out += ch;
    out += ch;
  }
  out += '\'';
  return out;
}

// `v::text`: bool as true/false, string types as they are, others by their output function.
Result<std::string> TextOf(const Value& v, FunctionContext& context) {
  if (v.type() == T::kBool || IsStringType(v.type()) || v.type() == T::kUnknown) {
    ASSIGN_OR_RETURN(
        Value text, CastValue(v.WithType(v.type() == T::kUnknown ? T::kText : v.type()), T::kText));
    return text.string_value();
  }
  return FormatText(v, context.output_options());
}

// The type's output function (what format's %s prints): bool as t/f.
std::string OutputOf(const Value& v, FunctionContext& context) {
  if (v.type() == T::kBool) return v.bool_value() ? "t" : "f";
  return FormatText(v, context.output_options());
}

Result<Value> QuoteLiteral(std::span<const Value> args, FunctionContext& context) {
  ASSIGN_OR_RETURN(std::string text, TextOf(args[0], context));
  return Value::String(T::kText, QuoteLiteralText(text));
}

// quote_nullable: NULL gives the string NULL (the function is not strict).
Result<Value> QuoteNullable(std::span<const Value> args, FunctionContext& context) {
  if (args[0].is_null()) return Value::String(T::kText, "NULL");
  return QuoteLiteral(args, context);
}

Status FormatError(std::string message, bool with_hint) {
  Status status = Status::Sql("22023", std::move(message));
  if (with_hint) return std::move(status).WithHint("For a single \"%\" use \"%%\".");
  return status;
}

Status Unterminated() { return FormatError("unterminated format() type specifier", true); }

// Reads a decimal number at `at` (advancing it); nullopt when there is no digit. 22003 when it
// does not fit an int.
Result<std::optional<int64_t>> ReadNumber(std::string_view f, size_t& at) {
  if (at >= f.size() || f[at] < '0' || f[at] > '9') return std::optional<int64_t>();
  int64_t n = 0;
  while (at < f.size() && f[at] >= '0' && f[at] <= '9') {
    n = n * 10 + (f[at] - '0');
    if (n > std::numeric_limits<int32_t>::max()) {
      return Status::Sql("22003", "number is out of range");
    }
    ++at;
  }
  return std::optional<int64_t>(n);
}

Status ArgumentZero() {
  return FormatError("format specifies argument 0, but arguments are numbered from 1", false);
}

// The number of characters of UTF-8 text.
size_t CharacterCount(std::string_view s) {
  return static_cast<size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<uint8_t>(c) & 0xC0) != 0x80; }));
}

// A width taken from an argument (`*`): an integer, or text that reads as one; NULL is 0.
Result<int64_t> WidthFromArgument(const Value& v, FunctionContext& context) {
  if (v.is_null()) return int64_t{0};
  if (IsIntegerType(v.type())) return v.int_value();
  ASSIGN_OR_RETURN(Value as_int,
                   CastValue(Value::String(T::kText, OutputOf(v, context)), T::kInt4));
  return as_int.int_value();
}

// format(formatstr, args...): PostgreSQL's text_format. `args[0]` is the format string.
Result<Value> Format(std::span<const Value> args, FunctionContext& context) {
  if (args[0].is_null()) return Value::Null(T::kText);
  std::string_view f = args[0].string_value();
  std::span<const Value> values = args.subspan(1);
  size_t next = 0;  // the argument a specifier without position takes
  std::string out;
  for (size_t at = 0; at < f.size(); ++at) {
    if (f[at] != '%') {
      out += f[at];
      continue;
    }
    ++at;
    if (at >= f.size()) return Unterminated();
    if (f[at] == '%') {
      out += '%';
      continue;
    }
    // [position$][flags][width]type, width being digits, * or *position$.
    std::optional<int64_t> position;
    std::optional<int64_t> width;
    bool left_align = false;
    ASSIGN_OR_RETURN(std::optional<int64_t> number, ReadNumber(f, at));
    if (number) {
      if (at < f.size() && f[at] == '$') {
        if (*number == 0) return ArgumentZero();
        position = number;
        ++at;
      } else {
        width = number;  // digits without $ are the width (no flags can follow)
      }
    }
    if (!width) {
      while (at < f.size() && f[at] == '-') {
        left_align = true;
        ++at;
      }
      if (at < f.size() && f[at] == '*') {
        ++at;
        ASSIGN_OR_RETURN(std::optional<int64_t> width_position, ReadNumber(f, at));
        size_t width_index = next;
        if (width_position) {
          if (at >= f.size() || f[at] != '$') return Unterminated();
          if (*width_position == 0) return ArgumentZero();
          ++at;
          width_index = static_cast<size_t>(*width_position - 1);
        }
        if (width_index >= values.size()) {
          return FormatError("too few arguments for format()", false);
        }
        next = width_index + 1;
        ASSIGN_OR_RETURN(int64_t w, WidthFromArgument(values[width_index], context));
        if (w < 0) {
          if (w == std::numeric_limits<int32_t>::min()) {
            return Status::Sql("22003", "number is out of range");
          }
          left_align = true;
          w = -w;
        }
        width = w;
      } else {
        ASSIGN_OR_RETURN(width, ReadNumber(f, at));
      }
    }
    if (at >= f.size()) return Unterminated();
    char type = f[at];
    if (type != 's' && type != 'I' && type != 'L') {
      size_t length = 1;
      auto lead = static_cast<uint8_t>(type);
      if (lead >= 0xC0) length = lead >= 0xF0 ? 4 : (lead >= 0xE0 ? 3 : 2);
      return FormatError(
          fmt::format("unrecognized format() type specifier \"{}\"", f.substr(at, length)), true);
    }
    size_t index = position ? static_cast<size_t>(*position - 1) : next;
    if (index >= values.size()) return FormatError("too few arguments for format()", false);
    next = index + 1;
    const Value& v = values[index];
    std::string piece;
    if (type == 's') {
      if (!v.is_null()) piece = OutputOf(v, context);
    } else if (type == 'I') {
      if (v.is_null()) {
        return Status::Sql("22004", "null values cannot be formatted as an SQL identifier");
      }
      piece = QuoteIdentifierSql(OutputOf(v, context));
    } else {
      piece = v.is_null() ? "NULL" : QuoteLiteralText(OutputOf(v, context));
    }
    size_t chars = CharacterCount(piece);
    size_t pad = width && static_cast<size_t>(*width) > chars ? *width - chars : 0;
    if (out.size() + piece.size() + pad > kMaxResultBytes) {
      return Status::Sql("54000", "requested length too large");
    }
    if (!left_align) out.append(pad, ' ');
    out += piece;
    if (left_align) out.append(pad, ' ');
  }
  return Value::String(T::kText, std::move(out));
}

}  // namespace

std::string QuoteIdentifierSql(std::string_view name) {
  bool plain = !name.empty() && ((name[0] >= 'a' && name[0] <= 'z') || name[0] == '_');
  for (char ch : name) {
    plain = plain && ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_');
  }
  if (plain && std::binary_search(kQuotedKeywords.begin(), kQuotedKeywords.end(), name)) {
    plain = false;
  }
  if (plain) return std::string(name);
  std::string out = "\"";
  for (char ch : name) {
    if (ch == '"') out += '"';
    out += ch;
  }
  out += '"';
  return out;
}

void RegisterFormatFunctions(const FunctionAdder& add) {
  add("format", {T::kText}, T::kText, Format, false).strict = false;
  FunctionDef& format = add("format", {T::kText}, T::kText, Format, false);
  format.strict = false;
  format.variadic_any = true;
  add("quote_literal", {T::kText}, T::kText, QuoteLiteral, false);
  add("quote_literal", {T::kAnyNonArray}, T::kText, QuoteLiteral, false);
  add("quote_nullable", {T::kText}, T::kText, QuoteNullable, false).strict = false;
  add("quote_nullable", {T::kAnyNonArray}, T::kText, QuoteNullable, false).strict = false;
}

}  // namespace borealis::sql
