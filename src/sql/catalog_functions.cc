#include "sql/catalog_functions.h"

#include <regex>

#include "fmt/format.h"
#include "sql/catalog_types.h"
#include "sql/format_functions.h"
#include "sql/sequence_functions.h"
#include "sql/typmod.h"

namespace borealis::sql {
namespace {

// Longest pattern and subject the regular-expression operators accept (std::regex recurses
// per character: bounded so a long subject cannot exhaust the stack).
constexpr size_t kMaxRegexPatternBytes = 4096;
constexpr size_t kMaxRegexSubjectBytes = 64 * 1024;

Status NoCatalog() { return Status::Sql("0A000", "catalog access is not available here"); }

Result<CatalogAccess*> CatalogOf(FunctionContext& context) {
  CatalogAccess* catalog = context.catalog();
  if (catalog == nullptr) return NoCatalog();
  return catalog;
}

uint32_t OidArg(const Value& v) { return static_cast<uint32_t>(v.int_value()); }

Value NullOf(TypeId type) { return Value::Null(type); }

template <bool kNegate, bool kFoldCase>
Result<Value> RegexMatch(std::span<const Value> args, FunctionContext&) {
  const std::string& subject = args[0].string_value();
  const std::string& pattern = args[1].string_value();
  if (pattern.size() > kMaxRegexPatternBytes || subject.size() > kMaxRegexSubjectBytes) {
    return Status::Sql("54000", "regular expression or subject too long");
  }
  auto flags = std::regex::ECMAScript;
  if (kFoldCase) flags |= std::regex::icase;
  try {
    std::regex re(pattern, flags);
    bool found = std::regex_search(subject, re);
    return Value::Bool(found != kNegate);
  } catch (const std::regex_error& error) {
    return Status::Sql("2201B", fmt::format("invalid regular expression: {}", error.what()));
  }
}

Result<Value> TableIsVisible(std::span<const Value> args, FunctionContext& c) {
  ASSIGN_OR_RETURN(CatalogAccess * catalog, CatalogOf(c));
  ASSIGN_OR_RETURN(bool visible, catalog->RelationVisible(OidArg(args[0])));
  return Value::Bool(visible);
}

Result<Value> AlwaysTrue(std::span<const Value>, FunctionContext&) { return Value::Bool(true); }

// has_table_privilege([user,] table, privileges) & co.: CatalogAccess::HasPrivilege (helper R).
template <char kKind>
Result<Value> HasPrivilegeFn(std::span<const Value> args, FunctionContext& c) {
  for (const Value& arg : args) {
    if (arg.is_null()) return NullOf(TypeId::kBool);
  }
  ASSIGN_OR_RETURN(CatalogAccess * catalog, CatalogOf(c));
  size_t next = 0;
  std::optional<std::string> user;
  if (args.size() == 3) user = args[next++].string_value();
  const Value& object = args[next++];
  std::optional<std::string> name;
  uint32_t oid = 0;
  if (object.type() == TypeId::kOid) {
    oid = OidArg(object);
  } else {
    name = object.string_value();
  }
  ASSIGN_OR_RETURN(std::optional<bool> held,
                   catalog->HasPrivilege(kKind, std::move(user), std::move(name), oid,
                                         args[next].string_value()));
  return held ? Value::Bool(*held) : NullOf(TypeId::kBool);
}
Result<Value> AlwaysFalse(std::span<const Value>, FunctionContext&) { return Value::Bool(false); }

Result<Value> UserById(std::span<const Value> args, FunctionContext& c) {
  ASSIGN_OR_RETURN(CatalogAccess * catalog, CatalogOf(c));
  uint32_t oid = OidArg(args[0]);
  ASSIGN_OR_RETURN(std::optional<std::string> name, catalog->RoleName(oid));
  return Value::String(TypeId::kName, name ? *name : fmt::format("unknown (OID={})", oid));
}

Result<Value> FormatTypeFn(std::span<const Value> args, FunctionContext&) {
  if (args[0].is_null()) return NullOf(TypeId::kText);
  std::optional<int32_t> typmod;
  if (args.size() > 1 && !args[1].is_null()) typmod = static_cast<int32_t>(args[1].int_value());
  return Value::String(TypeId::kText, FormatType(OidArg(args[0]), typmod));
}

Result<Value> ViewDef(std::span<const Value> args, FunctionContext& c) {
  if (args[0].is_null()) return NullOf(TypeId::kText);
  ASSIGN_OR_RETURN(CatalogAccess * catalog, CatalogOf(c));
  ASSIGN_OR_RETURN(std::optional<std::string> def, catalog->ViewDefinition(OidArg(args[0])));
  if (!def) return NullOf(TypeId::kText);
  return Value::String(TypeId::kText, std::move(*def));
}

Result<Value> IndexDef(std::span<const Value> args, FunctionContext& c) {
  ASSIGN_OR_RETURN(CatalogAccess * catalog, CatalogOf(c));
  ASSIGN_OR_RETURN(std::optional<std::string> def, catalog->IndexDefinition(OidArg(args[0])));
  if (!def) return NullOf(TypeId::kText);
  // The pretty form (third argument true) leaves out the schema of a table on the search path.
  constexpr std::string_view kQualified = " ON public.";
  size_t at = def->find(kQualified);
  if (args.size() == 3 && args[2].bool_value() && at != std::string::npos) {
    def->replace(at, kQualified.size(), " ON ");
  }
  if (args.size() == 3 && args[1].int_value() != 0) {
    // pg_get_indexdef(index, n, pretty): the n-th key column alone, without its ordering.
    size_t open = def->rfind(" (");
    std::string_view columns(*def);
    columns = columns.substr(open + 2, columns.size() - open - 3);
    int64_t n = args[1].int_value();
    for (int64_t k = 1;; ++k) {
      size_t comma = columns.find(", ");
      std::string_view column = columns.substr(0, comma);
      if (k == n) {
        for (std::string_view suffix : {" NULLS FIRST", " NULLS LAST", " DESC"}) {
          if (column.ends_with(suffix)) column.remove_suffix(suffix.size());
        }
        return Value::String(TypeId::kText, std::string(column));
      }
      if (comma == std::string_view::npos) return NullOf(TypeId::kText);
      columns.remove_prefix(comma + 2);
    }
  }
  return Value::String(TypeId::kText, *def);
}

Result<Value> ConstraintDef(std::span<const Value> args, FunctionContext& c) {
  ASSIGN_OR_RETURN(CatalogAccess * catalog, CatalogOf(c));
  ASSIGN_OR_RETURN(std::optional<std::string> def, catalog->ConstraintDefinition(OidArg(args[0])));
  if (!def) return NullOf(TypeId::kText);
  // The pretty form drops the parentheses PostgreSQL puts around a CHECK expression.
  if (args.size() == 2 && args[1].bool_value() && def->starts_with("CHECK ((") &&
      def->ends_with("))")) {
    *def = "CHECK (" + def->substr(8, def->size() - 10) + ")";
  }
  return Value::String(TypeId::kText, *def);
}

// pg_node_tree values hold the deparsed expression (see system_catalog), so pg_get_expr
// returns them as they are.
Result<Value> GetExpr(std::span<const Value> args, FunctionContext&) {
  return Value::String(TypeId::kText, args[0].string_value());
}

Result<Value> NullText(std::span<const Value>, FunctionContext&) { return NullOf(TypeId::kText); }

Result<Value> ZeroSize(std::span<const Value>, FunctionContext&) {
  return Value::Int(TypeId::kInt8, 0);
}

Result<Value> SizePretty(std::span<const Value> args, FunctionContext&) {
  int64_t size = args[0].int_value();
  static constexpr const char* kUnits[] = {"bytes", "kB", "MB", "GB", "TB", "PB"};
  // PostgreSQL switches unit once the value reaches 10240 of the current one, rounding half up.
  int unit = 0;
  int64_t value = size;
  while (unit < 5 && (value < 0 ? -value : value) >= 10 * 1024) {
    value = unit == 0 ? (value + (value < 0 ? -512 : 512)) / 1024 : (value + 512) / 1024;
    ++unit;
  }
  return Value::String(TypeId::kText, fmt::format("{} {}", value, kUnits[unit]));
}

// pg_typeof("any"): the argument's type as regtype (not strict: a NULL has a type too).
Result<Value> PgTypeof(std::span<const Value> args, FunctionContext&) {
  return Value::Int(TypeId::kRegtype, static_cast<int64_t>(args[0].type()));
}

Result<Value> EncodingToChar(std::span<const Value> args, FunctionContext&) {
  int64_t encoding = args[0].int_value();
  std::string name = encoding == 6 ? "UTF8" : encoding == 0 ? "SQL_ASCII" : "";
  return Value::String(TypeId::kName, name);
}

Result<Value> CurrentSchemas(std::span<const Value> args, FunctionContext& c) {
  std::vector<Value> schemas;
  if (args[0].bool_value()) schemas.push_back(Value::String(TypeId::kName, "pg_catalog"));
  ASSIGN_OR_RETURN(std::optional<std::string> path, c.GetSetting("search_path", true));
  std::string_view rest = path ? std::string_view(*path) : std::string_view();
  while (!rest.empty()) {
    size_t comma = rest.find(',');
    std::string_view item = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (item.size() >= 2 && item.front() == '"' && item.back() == '"') {
      item = item.substr(1, item.size() - 2);
    }
    std::string name = item == "$user" ? c.CurrentUser() : std::string(item);
    if (!NamespaceOid(name)) continue;
    if (name == "pg_catalog" && args[0].bool_value()) continue;
    schemas.push_back(Value::String(TypeId::kName, name));
  }
  return MakeArray(TypeId::kNameArray, schemas);
}

Result<Value> ArrayToString(std::span<const Value> args, FunctionContext&) {
  if (args[0].is_null() || args[1].is_null()) return NullOf(TypeId::kText);
  ASSIGN_OR_RETURN(std::vector<Value> elements, ArrayElements(args[0]));
  std::string out;
  bool first = true;
  for (const Value& v : elements) {
    std::string text;
    if (v.is_null()) {
      if (args.size() < 3 || args[2].is_null()) continue;
      text = args[2].string_value();
    } else {
      text = FormatText(v, OutputOptions{});
    }
    if (!first) out += args[1].string_value();
    first = false;
    out += text;
  }
  return Value::String(TypeId::kText, std::move(out));
}

// array_position(array, element): 1-based position of the first element IS NOT DISTINCT FROM
// the searched value.
Result<Value> ArrayPosition(std::span<const Value> args, FunctionContext&) {
  if (args[0].is_null()) return NullOf(TypeId::kInt4);
  ASSIGN_OR_RETURN(std::vector<Value> elements, ArrayElements(args[0]));
  for (size_t i = 0; i < elements.size(); ++i) {
    bool same = elements[i].is_null()
                    ? args[1].is_null()
                    : !args[1].is_null() &&
                          CompareValues(elements[i], args[1].WithType(elements[i].type())) == 0;
    if (same) return Value::Int(TypeId::kInt4, static_cast<int64_t>(i + 1));
  }
  return NullOf(TypeId::kInt4);
}

// array[i]: NULL outside the bounds (1-based; int2vector and oidvector count from 0).
Result<Value> ArraySubscript(std::span<const Value> args, FunctionContext&) {
  ASSIGN_OR_RETURN(std::vector<Value> elements, ArrayElements(args[0]));
  TypeId array = args[0].type();
  TypeId element = array == TypeId::kInt2Vector  ? TypeId::kInt2
                   : array == TypeId::kOidVector ? TypeId::kOid
                                                 : ArrayElementType(array);
  int64_t lower = array == TypeId::kInt2Vector || array == TypeId::kOidVector ? 0 : 1;
  int64_t index = args[1].int_value() - lower;
  if (index < 0 || index >= static_cast<int64_t>(elements.size())) return NullOf(element);
  return elements[static_cast<size_t>(index)];
}

template <int kWhich>  // 0 upper, 1 lower, 2 length
Result<Value> ArrayBound(std::span<const Value> args, FunctionContext&) {
  ASSIGN_OR_RETURN(std::vector<Value> elements, ArrayElements(args[0]));
  if (elements.empty() || args[1].int_value() != 1) return NullOf(TypeId::kInt4);
  int64_t n = static_cast<int64_t>(elements.size());
  return Value::Int(TypeId::kInt4, kWhich == 1 ? 1 : n);
}

Result<Value> Cardinality(std::span<const Value> args, FunctionContext&) {
  ASSIGN_OR_RETURN(std::vector<Value> elements, ArrayElements(args[0]));
  return Value::Int(TypeId::kInt4, static_cast<int64_t>(elements.size()));
}

// x = ANY (array) and friends: three-valued, as PostgreSQL's ScalarArrayOpExpr.
template <bool kAll, bool kNotEqual>
Result<Value> Quantified(std::span<const Value> args, FunctionContext&) {
  if (args[1].is_null()) return NullOf(TypeId::kBool);
  ASSIGN_OR_RETURN(std::vector<Value> elements, ArrayElements(args[1]));
  bool saw_null = args[0].is_null() && !elements.empty();
  if (args[0].is_null()) return elements.empty() ? Value::Bool(kAll) : NullOf(TypeId::kBool);
  for (const Value& element : elements) {
    if (element.is_null()) {
      saw_null = true;
      continue;
    }
    bool equal = CompareValues(args[0].WithType(element.type()), element) == 0;
    bool holds = equal != kNotEqual;
    if (kAll && !holds) return Value::Bool(false);
    if (!kAll && holds) return Value::Bool(true);
  }
  if (saw_null) return NullOf(TypeId::kBool);
  return Value::Bool(kAll);
}

template <bool kNotEqual>
Result<Value> ArrayEquality(std::span<const Value> args, FunctionContext&) {
  ASSIGN_OR_RETURN(std::vector<Value> a, ArrayElements(args[0]));
  ASSIGN_OR_RETURN(std::vector<Value> b, ArrayElements(args[1]));
  bool equal = a.size() == b.size();
  for (size_t i = 0; equal && i < a.size(); ++i) {
    if (a[i].is_null() || b[i].is_null()) {
      equal = a[i].is_null() && b[i].is_null();
    } else {
      equal = CompareValues(a[i], b[i]) == 0;
    }
  }
  return Value::Bool(equal != kNotEqual);
}

Result<Value> Replace(std::span<const Value> args, FunctionContext&) {
  const std::string& from = args[1].string_value();
  std::string out = args[0].string_value();
  if (from.empty()) return Value::String(TypeId::kText, out);
  const std::string& to = args[2].string_value();
  for (size_t at = out.find(from); at != std::string::npos; at = out.find(from, at + to.size())) {
    out.replace(at, from.size(), to);
  }
  return Value::String(TypeId::kText, std::move(out));
}

Result<Value> QuoteIdent(std::span<const Value> args, FunctionContext&) {
  return Value::String(TypeId::kText, QuoteIdentifierSql(args[0].string_value()));
}

// Splits `schema.name` / `"Quoted"` the way regclassin reads its input (identifiers fold to
// lower case unless quoted).
Result<std::vector<std::string>> SplitQualifiedName(std::string_view text) {
  std::vector<std::string> parts;
  std::string current;
  size_t i = 0;
  bool any = false;
  while (i < text.size()) {
    char ch = text[i];
    if (ch == '"') {
      ++i;
      while (i < text.size()) {
        if (text[i] == '"') {
          if (i + 1 < text.size() && text[i + 1] == '"') {
            current += '"';
            i += 2;
            continue;
          }
          break;
        }
        current += text[i++];
      }
      if (i >= text.size()) return Status::Sql("22P02", "invalid name syntax");
      ++i;
      any = true;
    } else if (ch == '.') {
      if (!any) return Status::Sql("22P02", "invalid name syntax");
      parts.push_back(std::move(current));
      current.clear();
      any = false;
      ++i;
    } else {
      current += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      any = true;
      ++i;
    }
  }
  if (!any) return Status::Sql("22P02", "invalid name syntax");
  parts.push_back(std::move(current));
  return parts;
}

// PostgreSQL's OIDs of built-in functions a regproc literal may name.
constexpr std::pair<std::string_view, uint32_t> kKnownProcedures[] = {
    {"array_in", 750}, {"array_out", 751}, {"record_in", 2290}, {"record_out", 2291}};

Result<Value> TextToReg(std::string_view text, TypeId to, FunctionContext& context) {
  ASSIGN_OR_RETURN(std::vector<std::string> names, SplitQualifiedName(text));
  switch (to) {
    case TypeId::kRegclass: {
      ASSIGN_OR_RETURN(CatalogAccess * catalog, CatalogOf(context));
      if (names.size() > 2)
        return Status::Sql("0A000", "cross-database references are not implemented");
      std::string_view schema = names.size() == 2 ? std::string_view(names[0]) : "";
      ASSIGN_OR_RETURN(std::optional<uint32_t> oid, catalog->RelationOid(schema, names.back()));
      if (!oid) {
        return Status::Sql("42P01", fmt::format("relation \"{}\" does not exist", text));
      }
      return Value::Int(to, *oid);
    }
    case TypeId::kRegtype: {
      Result<TypeId> type = LookupTypeName(names);
      if (!type.ok()) return type.status();
      return Value::Int(to, static_cast<int64_t>(*type));
    }
    case TypeId::kRegnamespace: {
      std::optional<uint32_t> oid = names.size() == 1 ? NamespaceOid(names[0]) : std::nullopt;
      if (!oid) return Status::Sql("3F000", fmt::format("schema \"{}\" does not exist", text));
      return Value::Int(to, *oid);
    }
    case TypeId::kRegrole: {
      ASSIGN_OR_RETURN(CatalogAccess * catalog, CatalogOf(context));
      ASSIGN_OR_RETURN(std::optional<uint32_t> oid, catalog->RoleOid(names.back()));
      if (!oid) return Status::Sql("42704", fmt::format("role \"{}\" does not exist", text));
      return Value::Int(to, *oid);
    }
    default: {
      // regproc: the few built-in functions drivers name (pgjdbc's getTypeInfo).
      for (const auto& [name, oid] : kKnownProcedures) {
        if (names.back() == name) return Value::Int(to, oid);
      }
      return Status::Sql("42883", fmt::format("function \"{}\" does not exist", text));
    }
  }
}

Result<std::string> RegToText(const Value& value, FunctionContext& context) {
  uint32_t oid = OidArg(value);
  if (oid == 0) return std::string("-");
  switch (value.type()) {
    case TypeId::kRegclass: {
      ASSIGN_OR_RETURN(CatalogAccess * catalog, CatalogOf(context));
      ASSIGN_OR_RETURN(std::optional<std::string> name, catalog->RelationName(oid));
      return name ? *name : std::to_string(oid);
    }
    case TypeId::kRegtype: {
      std::optional<TypeId> type = TypeFromOid(oid);
      return type ? FormatType(oid, std::nullopt) : std::to_string(oid);
    }
    case TypeId::kRegnamespace: {
      std::optional<std::string_view> name = NamespaceName(oid);
      return name ? std::string(*name) : std::to_string(oid);
    }
    case TypeId::kRegrole: {
      ASSIGN_OR_RETURN(CatalogAccess * catalog, CatalogOf(context));
      ASSIGN_OR_RETURN(std::optional<std::string> name, catalog->RoleName(oid));
      return name ? *name : std::to_string(oid);
    }
    case TypeId::kRegproc:
      for (const auto& [name, known] : kKnownProcedures) {
        if (known == oid) return std::string(name);
      }
      return std::to_string(oid);
    default:
      return std::to_string(oid);
  }
}

}  // namespace

std::optional<uint32_t> NamespaceOid(std::string_view name) {
  if (name == "pg_catalog") return kPgCatalogNamespaceOid;
  if (name == "public") return kPublicNamespaceOid;
  if (name == "information_schema") return kInformationSchemaNamespaceOid;
  constexpr std::string_view kTempPrefix = "pg_temp_";
  if (name.size() > kTempPrefix.size() && name.size() <= kTempPrefix.size() + 9 &&
      name.substr(0, kTempPrefix.size()) == kTempPrefix) {
    uint32_t n = 0;
    for (char c : name.substr(kTempPrefix.size())) {
      if (c < '0' || c > '9') return std::nullopt;
      n = n * 10 + static_cast<uint32_t>(c - '0');
    }
    if (n < (1u << 28)) return kTempNamespaceOidBase + n;
  }
  return std::nullopt;
}

std::optional<std::string_view> NamespaceName(uint32_t oid) {
  switch (oid) {
    case kPgCatalogNamespaceOid:
      return "pg_catalog";
    case kPublicNamespaceOid:
      return "public";
    case kInformationSchemaNamespaceOid:
      return "information_schema";
    default:
      return std::nullopt;
  }
}

std::string FormatType(uint32_t type_oid, std::optional<int32_t> typmod) {
  std::optional<TypeId> type = TypeFromOid(type_oid);
  if (!type) return "???";
  // bpchar with typmod -1 is not character(1): PostgreSQL prints "bpchar" then, and
  // "character" only when no typmod is given at all.
  if (*type == TypeId::kBpchar && typmod && *typmod < kVarHeaderSize) return "bpchar";
  if (typmod && TakesTypmod(*type)) return TypeNameWithTypmod(*type, *typmod);
  return std::string(GetTypeInfo(*type).display_name);
}

std::string DeparseConstant(TypeId type, std::string_view text) {
  switch (type) {
    case TypeId::kBool:
      return text == "t" || text == "true" ? "true" : "false";
    case TypeId::kInt4:
      if (!text.empty() && text[0] != '-') return std::string(text);
      break;
    case TypeId::kNumeric:
      if (!text.empty() && std::isdigit(static_cast<unsigned char>(text[0])) &&
          text.find_first_of("eE.") != std::string_view::npos) {
        return std::string(text);
      }
      break;
    default:
      break;
  }
  std::string quoted = "'";
  for (char ch : text) {
    if (ch == '\'') quoted += '\'';
    quoted += ch;
  }
  quoted += '\'';
  // PostgreSQL writes E'' when the literal holds a backslash.
  if (text.find('\\') != std::string_view::npos) {
    std::string escaped = "E'";
    for (char ch : text) {
      if (ch == '\'' || ch == '\\') escaped += ch;
      escaped += ch;
    }
    quoted = escaped + "'";
  }
  return fmt::format("{}::{}", quoted, FormatType(static_cast<uint32_t>(type), std::nullopt));
}

Result<Value> CastWithCatalog(const Value& value, TypeId to, FunctionContext& context) {
  if (value.is_null()) return Value::Null(to);
  if (IsRegType(to)) {
    const std::string& text = value.string_value();
    bool digits = !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
    if (digits || text == "-") return CastValue(value, to);
    return TextToReg(text, to, context);
  }
  ASSIGN_OR_RETURN(std::string text, RegToText(value, context));
  return CastValue(Value::String(TypeId::kText, std::move(text)), to);
}

std::string QuantifiedOperatorName(std::string_view op, bool all) {
  return fmt::format("{} {}", op, all ? "ALL" : "ANY");
}

void RegisterCatalogFunctions(const FunctionAdder& add) {
  RegisterSequenceFunctions(add);  // sql/sequence_functions.h
  auto fn = [&add](std::string_view name, std::vector<TypeId> args, TypeId result,
                   FunctionImpl impl) -> FunctionDef& {
    return add(name, std::move(args), result, impl, false);
  };
  auto op = [&add](std::string_view name, std::vector<TypeId> args, TypeId result,
                   FunctionImpl impl) -> FunctionDef& {
    return add(name, std::move(args), result, impl, true);
  };
  using T = TypeId;
  for (T text : {T::kText, T::kName}) {
    op("~", {text, T::kText}, T::kBool, RegexMatch<false, false>);
    op("!~", {text, T::kText}, T::kBool, RegexMatch<true, false>);
    op("~*", {text, T::kText}, T::kBool, RegexMatch<false, true>);
    op("!~*", {text, T::kText}, T::kBool, RegexMatch<true, true>);
  }
  fn("pg_table_is_visible", {T::kOid}, T::kBool, TableIsVisible);
  fn("pg_type_is_visible", {T::kOid}, T::kBool, AlwaysTrue);
  fn("pg_function_is_visible", {T::kOid}, T::kBool, AlwaysTrue);
  fn("pg_get_userbyid", {T::kOid}, T::kName, UserById);
  fn("format_type", {T::kOid, T::kInt4}, T::kText, FormatTypeFn).strict = false;
  fn("pg_get_indexdef", {T::kOid}, T::kText, IndexDef);
  fn("pg_get_indexdef", {T::kOid, T::kInt4, T::kBool}, T::kText, IndexDef);
  fn("pg_get_constraintdef", {T::kOid}, T::kText, ConstraintDef);
  fn("pg_get_constraintdef", {T::kOid, T::kBool}, T::kText, ConstraintDef);
  fn("pg_get_expr", {T::kPgNodeTree, T::kOid}, T::kText, GetExpr);
  fn("pg_get_expr", {T::kPgNodeTree, T::kOid, T::kBool}, T::kText, GetExpr);
  fn("pg_get_statisticsobjdef_columns", {T::kOid}, T::kText, NullText);
  fn("pg_get_partkeydef", {T::kOid}, T::kText, NullText);
  fn("pg_get_viewdef", {T::kOid}, T::kText, ViewDef);
  fn("pg_get_viewdef", {T::kOid, T::kBool}, T::kText, ViewDef);
  fn("obj_description", {T::kOid}, T::kText, NullText);
  fn("obj_description", {T::kOid, T::kName}, T::kText, NullText);
  fn("col_description", {T::kOid, T::kInt4}, T::kText, NullText);
  fn("shobj_description", {T::kOid, T::kName}, T::kText, NullText);
  fn("pg_relation_is_publishable", {T::kRegclass}, T::kBool, AlwaysFalse);
  for (std::string_view name :
       {"pg_relation_size", "pg_total_relation_size", "pg_table_size", "pg_indexes_size"}) {
    fn(name, {T::kRegclass}, T::kInt8, ZeroSize);
  }
  fn("pg_size_pretty", {T::kInt8}, T::kText, SizePretty);
  fn("pg_encoding_to_char", {T::kInt4}, T::kName, EncodingToChar);
  fn("pg_typeof", {T::kAnyNonArray}, T::kRegtype, PgTypeof).strict = false;
  fn("has_table_privilege", {T::kText, T::kText}, T::kBool, HasPrivilegeFn<'t'>);
  fn("has_table_privilege", {T::kOid, T::kText}, T::kBool, HasPrivilegeFn<'t'>);
  fn("has_table_privilege", {T::kName, T::kText, T::kText}, T::kBool, HasPrivilegeFn<'t'>);
  fn("has_table_privilege", {T::kName, T::kOid, T::kText}, T::kBool, HasPrivilegeFn<'t'>);
  fn("has_sequence_privilege", {T::kText, T::kText}, T::kBool, HasPrivilegeFn<'S'>);
  fn("has_sequence_privilege", {T::kName, T::kText, T::kText}, T::kBool, HasPrivilegeFn<'S'>);
  fn("pg_has_role", {T::kName, T::kText}, T::kBool, HasPrivilegeFn<'r'>);
  fn("pg_has_role", {T::kName, T::kName, T::kText}, T::kBool, HasPrivilegeFn<'r'>);
  fn("has_schema_privilege", {T::kText, T::kText}, T::kBool, AlwaysTrue);
  fn("has_schema_privilege", {T::kName, T::kText, T::kText}, T::kBool, AlwaysTrue);
  fn("has_database_privilege", {T::kText, T::kText}, T::kBool, AlwaysTrue);
  fn("current_schemas", {T::kBool}, T::kNameArray, CurrentSchemas);
  fn("quote_ident", {T::kText}, T::kText, QuoteIdent);
  fn("replace", {T::kText, T::kText, T::kText}, T::kText, Replace);
  static constexpr T kArrays[] = {T::kBoolArray,    T::kCharArray, T::kNameArray,
                                  T::kInt2Array,    T::kInt4Array, T::kTextArray,
                                  T::kVarcharArray, T::kInt8Array, T::kFloat4Array,
                                  T::kFloat8Array,  T::kOidArray,  T::kNumericArray};
  for (T array : kArrays) {
    T element = ArrayElementType(array);
    fn("array_to_string", {array, T::kText}, T::kText, ArrayToString);
    fn("array_to_string", {array, T::kText, T::kText}, T::kText, ArrayToString).strict = false;
    fn("array_position", {array, element}, T::kInt4, ArrayPosition).strict = false;
    fn("array_upper", {array, T::kInt4}, T::kInt4, ArrayBound<0>);
    fn("array_lower", {array, T::kInt4}, T::kInt4, ArrayBound<1>);
    fn("array_length", {array, T::kInt4}, T::kInt4, ArrayBound<2>);
    fn("cardinality", {array}, T::kInt4, Cardinality);
    fn("array_subscript", {array, T::kInt4}, element, ArraySubscript);
    op("=", {array, array}, T::kBool, ArrayEquality<false>);
    op("<>", {array, array}, T::kBool, ArrayEquality<true>);
    op("= ANY", {element, array}, T::kBool, Quantified<false, false>).strict = false;
    op("<> ANY", {element, array}, T::kBool, Quantified<false, true>).strict = false;
    op("= ALL", {element, array}, T::kBool, Quantified<true, false>).strict = false;
    op("<> ALL", {element, array}, T::kBool, Quantified<true, true>).strict = false;
  }
  fn("array_to_string", {T::kAclitemArray, T::kText}, T::kText, ArrayToString);
  fn("array_to_string", {T::kInt2Vector, T::kText}, T::kText, ArrayToString);
  fn("array_to_string", {T::kOidVector, T::kText}, T::kText, ArrayToString);
  fn("array_subscript", {T::kInt2Vector, T::kInt4}, T::kInt2, ArraySubscript);
  fn("array_subscript", {T::kOidVector, T::kInt4}, T::kOid, ArraySubscript);
}

}  // namespace borealis::sql
