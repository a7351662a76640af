#include "sql/json_functions.h"

#include <array>
#include <charconv>
#include <climits>
#include <cmath>
#include <tuple>

#include "fmt/format.h"
#include "sql/catalog_types.h"
#include "sql/datetime.h"
#include "sql/json.h"

namespace borealis::sql {
namespace {

using json::Kind;
using json::Node;

Status InvalidParameter(std::string message) { return Status::Sql("22023", std::move(message)); }

// A jsonb Value's tree (its text is canonical, so parsing it cannot fail but for corruption).
Result<Node> JsonbNode(const Value& value) {
  return json::Parse(value.string_value(), json::Mode::kJsonb);
}
// A json Value's tree; raw views point into the Value's string.
Result<Node> JsonNode(const Value& value) {
  return json::Parse(value.string_value(), json::Mode::kJson);
}
Result<Node> AnyJsonNode(const Value& value) {
  return value.type() == TypeId::kJsonb ? JsonbNode(value) : JsonNode(value);
}

Value JsonbValue(const Node& node) { return Value::String(TypeId::kJsonb, json::Canonical(node)); }

// The Value a json(b) node becomes for ->, #> (same type) and ->>, #>> (text).
Result<Value> NodeResult(const Node& node, TypeId json_type, bool as_text) {
  if (as_text) {
    if (node.kind == Kind::kNull) return Value::Null(TypeId::kText);
    if (node.kind == Kind::kString) {
      ASSIGN_OR_RETURN(std::string text, json::StringOf(node));
      return Value::String(TypeId::kText, std::move(text));
    }
    if (json_type == TypeId::kJson) return Value::String(TypeId::kText, std::string(node.raw));
    return Value::String(TypeId::kText, json::Canonical(node));
  }
  if (json_type == TypeId::kJson) return Value::String(TypeId::kJson, std::string(node.raw));
  return JsonbValue(node);
}

const Node* FindMember(const Node& node, std::string_view key) {
  // json objects may repeat a key: PostgreSQL's field lookup finds the last one.
  const Node* found = nullptr;
  for (const auto& member : node.members) {
    if (member.first == key) found = &member.second;
  }
  return found;
}

std::optional<int64_t> ParseIndex(std::string_view text) {
  int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  if (v < INT_MIN || v > INT_MAX) return std::nullopt;
  return v;
}

const Node* ElementAt(const Node& node, int64_t index) {
  int64_t n = static_cast<int64_t>(node.elements.size());
  if (index < 0) index += n;
  if (index < 0 || index >= n) return nullptr;
  return &node.elements[static_cast<size_t>(index)];
}

// -> and ->> with a text key.
template <bool kAsText>
Result<Value> FieldByKey(std::span<const Value> args, FunctionContext&) {
  TypeId type = args[0].type();
  ASSIGN_OR_RETURN(Node node, AnyJsonNode(args[0]));
  TypeId result = kAsText ? TypeId::kText : type;
  if (node.kind != Kind::kObject) return Value::Null(result);
  const Node* found = FindMember(node, args[1].string_value());
  if (found == nullptr) return Value::Null(result);
  return NodeResult(*found, type, kAsText);
}

// -> and ->> with an int index. A jsonb scalar is PostgreSQL's one-element raw-scalar array.
template <bool kAsText>
Result<Value> ElementByIndex(std::span<const Value> args, FunctionContext&) {
  TypeId type = args[0].type();
  ASSIGN_OR_RETURN(Node node, AnyJsonNode(args[0]));
  TypeId result = kAsText ? TypeId::kText : type;
  int64_t index = args[1].int_value();
  if (node.kind != Kind::kArray) {
    if (type == TypeId::kJsonb && node.kind != Kind::kObject && (index == 0 || index == -1)) {
      return NodeResult(node, type, kAsText);
    }
    return Value::Null(result);
  }
  const Node* found = ElementAt(node, index);
  if (found == nullptr) return Value::Null(result);
  return NodeResult(*found, type, kAsText);
}

// The text[] path's elements; nullopt elements are NULL.
Result<std::vector<std::optional<std::string>>> PathElements(const Value& path) {
  return SplitArrayText(path.string_value());
}

// #> and #>>: a missing step, a NULL step or a non-integer array index gives NULL.
template <bool kAsText>
Result<Value> ByPath(std::span<const Value> args, FunctionContext&) {
  TypeId type = args[0].type();
  TypeId result = kAsText ? TypeId::kText : type;
  ASSIGN_OR_RETURN(Node node, AnyJsonNode(args[0]));
  ASSIGN_OR_RETURN(auto path, PathElements(args[1]));
  const Node* at = &node;
  for (const std::optional<std::string>& step : path) {
    if (!step) return Value::Null(result);
    if (at->kind == Kind::kObject) {
      at = FindMember(*at, *step);
    } else if (at->kind == Kind::kArray) {
      std::optional<int64_t> index = ParseIndex(*step);
      at = index ? ElementAt(*at, *index) : nullptr;
    } else {
      at = nullptr;
    }
    if (at == nullptr) return Value::Null(result);
  }
  return NodeResult(*at, type, kAsText);
}

// json(b)_extract_path(_text)(from, VARIADIC path text[]).
template <bool kAsText>
Result<Value> ExtractPath(std::span<const Value> args, FunctionContext& context) {
  std::vector<std::optional<std::string>> path;
  for (const Value& step : args.subspan(1)) {
    if (step.is_null()) {
      path.push_back(std::nullopt);
    } else if (IsStringType(step.type()) || step.type() == TypeId::kUnknown) {
      path.push_back(step.string_value());
    } else {
      return Status::Sql(
          "42883",
          fmt::format("function {}_extract_path{}({}, {}) does not exist",
                      GetTypeInfo(args[0].type()).name, kAsText ? "_text" : "",
                      GetTypeInfo(args[0].type()).name, GetTypeInfo(step.type()).display_name));
    }
  }
  std::array<Value, 2> call = {args[0], Value::String(TypeId::kTextArray, FormatArrayText(path))};
  return ByPath<kAsText>(call, context);
}

Result<Value> JsonbContains(std::span<const Value> args, FunctionContext&) {
  ASSIGN_OR_RETURN(Node a, JsonbNode(args[0]));
  ASSIGN_OR_RETURN(Node b, JsonbNode(args[1]));
  return Value::Bool(json::Contains(a, b));
}

Result<Value> JsonbContained(std::span<const Value> args, FunctionContext& context) {
  std::array<Value, 2> swapped = {args[1], args[0]};
  return JsonbContains(swapped, context);
}

// jsonb ? key: a top-level key, or a string element of a top-level array (or raw scalar).
bool HasKey(const Node& node, std::string_view key) {
  if (node.kind == Kind::kObject) return FindMember(node, key) != nullptr;
  if (node.kind == Kind::kArray) {
    for (const Node& element : node.elements) {
      if (element.kind == Kind::kString && element.text == key) return true;
    }
    return false;
  }
  return node.kind == Kind::kString && node.text == key;
}

Result<Value> JsonbExists(std::span<const Value> args, FunctionContext&) {
  ASSIGN_OR_RETURN(Node node, JsonbNode(args[0]));
  return Value::Bool(HasKey(node, args[1].string_value()));
}

template <bool kAll>
Result<Value> JsonbExistsArray(std::span<const Value> args, FunctionContext&) {
  ASSIGN_OR_RETURN(Node node, JsonbNode(args[0]));
  ASSIGN_OR_RETURN(auto keys, PathElements(args[1]));
  for (const std::optional<std::string>& key : keys) {
    if (!key) continue;  // NULL keys are ignored
    bool has = HasKey(node, *key);
    if (kAll && !has) return Value::Bool(false);
    if (!kAll && has) return Value::Bool(true);
  }
  return Value::Bool(kAll);
}

// jsonb || jsonb (IteratorConcat): objects merge (the right side wins), anything else
// concatenates as arrays with a scalar or an object as one element.
Result<Value> JsonbConcat(std::span<const Value> args, FunctionContext&) {
  ASSIGN_OR_RETURN(Node a, JsonbNode(args[0]));
  ASSIGN_OR_RETURN(Node b, JsonbNode(args[1]));
  if (a.kind == Kind::kObject && b.kind == Kind::kObject) {
    for (auto& member : b.members) a.members.push_back(std::move(member));
    json::Normalize(a);
    return JsonbValue(a);
  }
  Node out;
  out.kind = Kind::kArray;
  for (Node* side : {&a, &b}) {
    if (side->kind == Kind::kArray) {
      for (Node& element : side->elements) out.elements.push_back(std::move(element));
    } else {
      out.elements.push_back(std::move(*side));
    }
  }
  return JsonbValue(out);
}

bool IsScalar(const Node& node) { return node.kind != Kind::kArray && node.kind != Kind::kObject; }

// jsonb - text and jsonb - text[].
Result<Value> DeleteKeys(const Value& value, const std::vector<std::optional<std::string>>& keys) {
  ASSIGN_OR_RETURN(Node node, JsonbNode(value));
  if (IsScalar(node)) return InvalidParameter("cannot delete from scalar");
  auto matches = [&keys](std::string_view s) {
    for (const std::optional<std::string>& key : keys) {
      if (key && *key == s) return true;
    }
    return false;
  };
  if (node.kind == Kind::kObject) {
    std::erase_if(node.members, [&](const auto& member) { return matches(member.first); });
  } else {
    std::erase_if(node.elements, [&](const Node& element) {
      return element.kind == Kind::kString && matches(element.text);
    });
  }
  return JsonbValue(node);
}

Result<Value> JsonbDeleteKey(std::span<const Value> args, FunctionContext&) {
  return DeleteKeys(args[0], {args[1].string_value()});
}

Result<Value> JsonbDeleteKeys(std::span<const Value> args, FunctionContext&) {
  ASSIGN_OR_RETURN(auto keys, PathElements(args[1]));
  return DeleteKeys(args[0], keys);
}

Result<Value> JsonbDeleteIndex(std::span<const Value> args, FunctionContext&) {
  ASSIGN_OR_RETURN(Node node, JsonbNode(args[0]));
  if (IsScalar(node)) return InvalidParameter("cannot delete from scalar");
  if (node.kind == Kind::kObject) {
    return InvalidParameter("cannot delete from object using integer index");
  }
  int64_t n = static_cast<int64_t>(node.elements.size());
  int64_t index = args[1].int_value();
  if (index < 0) index += n;
  if (index < 0 || index >= n) return args[0];
  node.elements.erase(node.elements.begin() + index);
  return JsonbValue(node);
}

// PostgreSQL's setPath for jsonb_set, jsonb_insert and #-.
enum class PathOp { kCreate, kReplace, kInsertBefore, kInsertAfter, kDelete };

Status SetPath(Node& node, const std::vector<std::optional<std::string>>& path, size_t level,
               const Node* new_value, PathOp op);

Status SetPathObject(Node& node, const std::vector<std::optional<std::string>>& path, size_t level,
                     const Node* new_value, PathOp op) {
  bool last = level + 1 == path.size();
  bool create = op == PathOp::kCreate || op == PathOp::kInsertBefore || op == PathOp::kInsertAfter;
  const std::string& key = *path[level];
  for (size_t i = 0; i < node.members.size(); ++i) {
    if (node.members[i].first != key) continue;
    if (!last) return SetPath(node.members[i].second, path, level + 1, new_value, op);
    if (op == PathOp::kInsertBefore || op == PathOp::kInsertAfter) {
      return InvalidParameter("cannot replace existing key")
          .WithHint("Try using the function jsonb_set to replace key value.");
    }
    if (op == PathOp::kDelete) {
      node.members.erase(node.members.begin() + static_cast<ptrdiff_t>(i));
    } else {
      node.members[i].second = *new_value;
    }
    return Status::Ok();
  }
  if (create && last) {
    node.members.emplace_back(key, *new_value);
    json::Normalize(node);
  }
  return Status::Ok();
}

Status SetPathArray(Node& node, const std::vector<std::optional<std::string>>& path, size_t level,
                    const Node* new_value, PathOp op) {
  const std::string& step = *path[level];
  std::optional<int64_t> parsed = ParseIndex(step);
  if (!parsed) {
    return Status::Sql("22P02", fmt::format("path element at position {} is not an integer: "
                                            "\"{}\"",
                                            level + 1, step));
  }
  bool last = level + 1 == path.size();
  bool create = op == PathOp::kCreate || op == PathOp::kInsertBefore || op == PathOp::kInsertAfter;
  int64_t n = static_cast<int64_t>(node.elements.size());
  int64_t index = *parsed;
  bool prepend = false;
  if (index < 0) {
    if (-index > n) {
      prepend = true;
    } else {
      index += n;
    }
  }
  if (index > n) index = n;
  if ((prepend || n == 0) && last && create) {
    node.elements.insert(node.elements.begin(), *new_value);
    return Status::Ok();
  }
  if (!prepend && index < n) {
    Node& target = node.elements[static_cast<size_t>(index)];
    if (!last) return SetPath(target, path, level + 1, new_value, op);
    auto at = node.elements.begin() + index;
    switch (op) {
      case PathOp::kCreate:
      case PathOp::kReplace:
        target = *new_value;
        break;
      case PathOp::kInsertBefore:
        node.elements.insert(at, *new_value);
        break;
      case PathOp::kInsertAfter:
        node.elements.insert(at + 1, *new_value);
        break;
      case PathOp::kDelete:
        node.elements.erase(at);
        break;
    }
    return Status::Ok();
  }
  if (create && last) node.elements.push_back(*new_value);
  return Status::Ok();
}

Status SetPath(Node& node, const std::vector<std::optional<std::string>>& path, size_t level,
               const Node* new_value, PathOp op) {
  if (IsScalar(node)) return Status::Ok();  // a path through a scalar changes nothing
  if (!path[level]) {
    return Status::Sql("22004", fmt::format("path element at position {} is null", level + 1));
  }
  if (node.kind == Kind::kObject) return SetPathObject(node, path, level, new_value, op);
  return SetPathArray(node, path, level, new_value, op);
}

Result<Value> ModifyPath(std::span<const Value> args, PathOp op, std::string_view scalar_error) {
  ASSIGN_OR_RETURN(Node node, JsonbNode(args[0]));
  ASSIGN_OR_RETURN(auto path, PathElements(args[1]));
  if (IsScalar(node)) return InvalidParameter(std::string(scalar_error));
  if (path.empty()) return args[0];
  std::optional<Node> new_value;
  if (op != PathOp::kDelete) {
    ASSIGN_OR_RETURN(new_value, JsonbNode(args[2]));
  }
  RETURN_IF_ERROR(SetPath(node, path, 0, new_value ? &*new_value : nullptr, op));
  return JsonbValue(node);
}

Result<Value> JsonbSet(std::span<const Value> args, FunctionContext&) {
  bool create = args.size() < 4 || args[3].bool_value();
  return ModifyPath(args, create ? PathOp::kCreate : PathOp::kReplace, "cannot set path in scalar");
}

Result<Value> JsonbInsert(std::span<const Value> args, FunctionContext&) {
  bool after = args.size() >= 4 && args[3].bool_value();
  return ModifyPath(args, after ? PathOp::kInsertAfter : PathOp::kInsertBefore,
                    "cannot set path in scalar");
}

Result<Value> JsonbDeletePath(std::span<const Value> args, FunctionContext&) {
  return ModifyPath(args, PathOp::kDelete, "cannot delete path in scalar");
}

Result<Value> TypeOf(std::span<const Value> args, FunctionContext&) {
  ASSIGN_OR_RETURN(Node node, AnyJsonNode(args[0]));
  return Value::String(TypeId::kText, std::string(json::TypeName(node.kind)));
}

Result<Value> ArrayLength(std::span<const Value> args, FunctionContext&) {
  ASSIGN_OR_RETURN(Node node, AnyJsonNode(args[0]));
  if (IsScalar(node)) return InvalidParameter("cannot get array length of a scalar");
  if (node.kind != Kind::kArray) return InvalidParameter("cannot get array length of a non-array");
  return Value::Int(TypeId::kInt4, static_cast<int64_t>(node.elements.size()));
}

Result<Value> JsonbPretty(std::span<const Value> args, FunctionContext&) {
  ASSIGN_OR_RETURN(Node node, JsonbNode(args[0]));
  ASSIGN_OR_RETURN(std::string text, json::Pretty(node));
  return Value::String(TypeId::kText, std::move(text));
}

void StripNulls(Node& node) {
  std::erase_if(node.members, [](const auto& member) { return member.second.kind == Kind::kNull; });
  for (auto& member : node.members) StripNulls(member.second);
  for (Node& element : node.elements) StripNulls(element);
}

// json_strip_nulls prints its result without whitespace, strings re-escaped.
Status AppendCompact(std::string& out, const Node& node) {
  switch (node.kind) {
    case Kind::kArray:
      out.push_back('[');
      for (size_t i = 0; i < node.elements.size(); ++i) {
        if (i > 0) out.push_back(',');
        RETURN_IF_ERROR(AppendCompact(out, node.elements[i]));
      }
      out.push_back(']');
      return Status::Ok();
    case Kind::kObject:
      out.push_back('{');
      for (size_t i = 0; i < node.members.size(); ++i) {
        if (i > 0) out.push_back(',');
        out += json::Quote(node.members[i].first);
        out.push_back(':');
        RETURN_IF_ERROR(AppendCompact(out, node.members[i].second));
      }
      out.push_back('}');
      return Status::Ok();
    case Kind::kString: {
      ASSIGN_OR_RETURN(std::string text, json::StringOf(node));
      out += json::Quote(text);
      return Status::Ok();
    }
    default:
      out += node.raw;
      return Status::Ok();
  }
}

Result<Value> StripNullsFunction(std::span<const Value> args, FunctionContext&) {
  ASSIGN_OR_RETURN(Node node, AnyJsonNode(args[0]));
  StripNulls(node);
  if (args[0].type() == TypeId::kJsonb) return JsonbValue(node);
  std::string out;
  RETURN_IF_ERROR(AppendCompact(out, node));
  return Value::String(TypeId::kJson, std::move(out));
}

// A json(b) result from json text built here (jsonb: canonicalized, which also checks depth).
Result<Value> FromBuiltText(TypeId type, std::string text) {
  if (type == TypeId::kJson) return Value::String(TypeId::kJson, std::move(text));
  ASSIGN_OR_RETURN(std::string canonical, json::CanonicalText(text));
  return Value::String(TypeId::kJsonb, std::move(canonical));
}

template <TypeId kType>
Result<Value> ToJson(std::span<const Value> args, FunctionContext& context) {
  if (args.size() != 1) {
    return Status::Sql("42883", fmt::format("function to_{}() with {} arguments does not exist",
                                            GetTypeInfo(kType).name, args.size()));
  }
  ASSIGN_OR_RETURN(std::string text, ValueToJsonText(args[0], context.output_options()));
  return FromBuiltText(kType, std::move(text));
}

// array_to_json(anyarray [, pretty bool]): pretty puts a line feed after each top-level comma.
Result<Value> ArrayToJson(std::span<const Value> args, FunctionContext& context) {
  bool fits = (args.size() == 1 || (args.size() == 2 && args[1].type() == TypeId::kBool)) &&
              IsArrayType(args[0].type());
  if (!fits) {
    std::string types;
    for (const Value& arg : args) {
      types += (types.empty() ? "" : ", ") + std::string(GetTypeInfo(arg.type()).display_name);
    }
    return Status::Sql("42883", fmt::format("function array_to_json({}) does not exist", types));
  }
  bool pretty = args.size() == 2 && args[1].bool_value();
  ASSIGN_OR_RETURN(std::vector<Value> elements, ArrayElements(args[0]));
  std::string out = "[";
  for (size_t i = 0; i < elements.size(); ++i) {
    if (i > 0) out += pretty ? ",\n " : ",";
    ASSIGN_OR_RETURN(std::string element, ValueToJsonText(elements[i], context.output_options()));
    out += element;
  }
  out += "]";
  return Value::String(TypeId::kJson, std::move(out));
}

// An object key from a build argument: its text output (NULL refused).
Result<std::string> KeyText(const Value& key, size_t position, const OutputOptions& options) {
  if (key.is_null()) {
    return Status::Sql("22023", fmt::format("argument {} cannot be null", position))
        .WithHint("Object keys should be text.");
  }
  if (key.type() == TypeId::kBool) return std::string(key.bool_value() ? "true" : "false");
  return FormatText(key, options);
}

template <TypeId kType>
Result<Value> BuildObject(std::span<const Value> args, FunctionContext& context) {
  OutputOptions options = context.output_options();
  if (args.size() % 2 != 0) {
    return InvalidParameter("argument list must have even number of elements")
        .WithHint(fmt::format("The arguments of {}_build_object() must consist of alternating "
                              "keys and values.",
                              GetTypeInfo(kType).name));
  }
  std::string out = "{";
  for (size_t i = 0; i < args.size(); i += 2) {
    ASSIGN_OR_RETURN(std::string key, KeyText(args[i], i + 1, options));
    ASSIGN_OR_RETURN(std::string value, ValueToJsonText(args[i + 1], options));
    if (i > 0) out += ", ";
    out += json::Quote(key) + " : " + value;
  }
  out += "}";
  return FromBuiltText(kType, std::move(out));
}

template <TypeId kType>
Result<Value> BuildArray(std::span<const Value> args, FunctionContext& context) {
  std::string out = "[";
  for (size_t i = 0; i < args.size(); ++i) {
    ASSIGN_OR_RETURN(std::string value, ValueToJsonText(args[i], context.output_options()));
    if (i > 0) out += ", ";
    out += value;
  }
  out += "]";
  return FromBuiltText(kType, std::move(out));
}

// json_object(text[]): a flat array of alternating keys and values, or a two-column one.
template <TypeId kType>
Result<Value> ObjectFromArray(std::span<const Value> args, FunctionContext&) {
  const std::string& text = args[0].string_value();
  std::vector<std::optional<std::string>> flat;
  bool two_dimensional =
      text.size() > 1 && text[0] == '{' && text.find('{', 1) != std::string::npos;
  if (two_dimensional) {
    ASSIGN_OR_RETURN(auto rows, SplitArrayText(text));
    (void)rows;
    return Status::Sql("0A000", "two-dimensional arrays are not supported yet");
  }
  ASSIGN_OR_RETURN(flat, SplitArrayText(text));
  if (flat.size() % 2 != 0) return Status::Sql("2202E", "array must have even number of elements");
  std::string out = "{";
  for (size_t i = 0; i < flat.size(); i += 2) {
    if (!flat[i]) return Status::Sql("22004", "null value not allowed for object key");
    if (i > 0) out += ", ";
    out += json::Quote(*flat[i]) + " : " + (flat[i + 1] ? json::Quote(*flat[i + 1]) : "null");
  }
  out += "}";
  return FromBuiltText(kType, std::move(out));
}

template <TypeId kType>
Result<Value> ObjectFromArrays(std::span<const Value> args, FunctionContext&) {
  ASSIGN_OR_RETURN(auto keys, SplitArrayText(args[0].string_value()));
  ASSIGN_OR_RETURN(auto values, SplitArrayText(args[1].string_value()));
  if (keys.size() != values.size()) {
    return Status::Sql("2202E", "mismatched array dimensions");
  }
  std::string out = "{";
  for (size_t i = 0; i < keys.size(); ++i) {
    if (!keys[i]) return Status::Sql("22004", "null value not allowed for object key");
    if (i > 0) out += ", ";
    out += json::Quote(*keys[i]) + " : " + (values[i] ? json::Quote(*values[i]) : "null");
  }
  out += "}";
  return FromBuiltText(kType, std::move(out));
}

Result<Value> NotSetReturning(std::span<const Value>, FunctionContext&) {
  return Status::Sql("0A000",
                     "the two-column set-returning json functions (json_each, jsonb_each, "
                     "json_each_text, jsonb_each_text) are not supported yet");
}

// ISO 8601 as PostgreSQL's JSON output writes date/time values: `T` between date and time,
// zone offsets as +hh:mm.
std::string IsoDateTime(const Value& value) {
  OutputOptions iso;
  iso.date_style = DateStyle::kIso;
  std::string text = FormatText(value, iso);
  if (text == "infinity" || text == "-infinity") return text;
  if (value.type() == TypeId::kTimestamp || value.type() == TypeId::kTimestampTz) {
    size_t space = text.find(' ');
    if (space != std::string::npos) text[space] = 'T';
  }
  if (value.type() == TypeId::kTimestampTz) {
    size_t sign = text.find_last_of("+-");
    if (sign != std::string::npos && sign > 10 && text.size() - sign == 3) text += ":00";
  }
  return text;
}

}  // namespace

Result<Value> ParseJsonText(TypeId type, std::string_view text) {
  if (type == TypeId::kJson) {
    RETURN_IF_ERROR(json::Validate(text));
    return Value::String(TypeId::kJson, std::string(text));
  }
  ASSIGN_OR_RETURN(std::string canonical, json::CanonicalText(text));
  return Value::String(TypeId::kJsonb, std::move(canonical));
}

Result<Value> ReceiveJsonBinary(TypeId type, std::string_view bytes) {
  if (type == TypeId::kJsonb) {
    if (bytes.empty() || bytes[0] != 1) {
      return Status::Sql("22P03", fmt::format("unsupported jsonb version number {}",
                                              bytes.empty() ? 0 : static_cast<int>(bytes[0])));
    }
    bytes.remove_prefix(1);
  }
  return ParseJsonText(type, bytes);
}

std::string SendJsonBinary(const Value& value) {
  if (value.type() == TypeId::kJson) return value.string_value();
  return std::string(1, '\x01') + value.string_value();
}

bool CanCastJson(TypeId from, TypeId to, CastContext context) {
  if (IsJsonType(from) && IsJsonType(to)) return context >= CastContext::kAssignment;
  if (IsStringType(to)) return context >= CastContext::kAssignment;
  if (IsStringType(from)) return context >= CastContext::kExplicit;
  if (from == TypeId::kJsonb) {
    switch (to) {
      case TypeId::kBool:
      case TypeId::kNumeric:
      case TypeId::kInt2:
      case TypeId::kInt4:
      case TypeId::kInt8:
      case TypeId::kFloat4:
      case TypeId::kFloat8:
        return context >= CastContext::kExplicit;
      default:
        return false;
    }
  }
  return false;
}

Result<Value> CastJsonValue(const Value& value, TypeId to, const OutputOptions& options) {
  TypeId from = value.type();
  if (value.is_null()) return Value::Null(to);
  if (from == to) return value;
  if (IsStringType(to) || (IsJsonType(from) && to == TypeId::kJson)) {
    return CastValue(Value::String(TypeId::kText, value.string_value()), to, options);
  }
  if (IsStringType(from) || from == TypeId::kUnknown || IsJsonType(from)) {
    if (!IsJsonType(to) && from != TypeId::kJsonb) {
      return Status::Sql("42846",
                         fmt::format("cannot cast type {} to {}", GetTypeInfo(from).display_name,
                                     GetTypeInfo(to).display_name));
    }
    if (IsJsonType(to)) return ParseJsonText(to, value.string_value());
  }
  // jsonb -> boolean / numbers: from a matching scalar only.
  ASSIGN_OR_RETURN(Node node, JsonbNode(value));
  Kind wanted = to == TypeId::kBool ? Kind::kBool : Kind::kNumber;
  if (node.kind != wanted) {
    std::string_view kind = node.kind == Kind::kNumber ? "numeric" : json::TypeName(node.kind);
    return InvalidParameter(
        fmt::format("cannot cast jsonb {} to type {}", kind, GetTypeInfo(to).display_name));
  }
  if (to == TypeId::kBool) return Value::Bool(node.boolean);
  ASSIGN_OR_RETURN(Numeric number, Numeric::Parse(node.text));
  return CastValue(Value::FromNumeric(std::move(number)), to, options);
}

int CompareJsonb(const Value& a, const Value& b) {
  Result<Node> x = JsonbNode(a);
  Result<Node> y = JsonbNode(b);
  BOREALIS_CHECK(x.ok() && y.ok(), "stored jsonb does not parse", a.string_value(),
                 b.string_value());
  return json::Compare(*x, *y);
}

std::string JsonbEqualityKey(const Value& value) {
  Result<Node> node = JsonbNode(value);
  BOREALIS_CHECK(node.ok(), "stored jsonb does not parse", value.string_value());
  return json::EqualityKey(*node);
}

Result<std::string> ValueToJsonText(const Value& value, const OutputOptions& options) {
  if (value.is_null()) return std::string("null");
  TypeId type = value.type();
  switch (type) {
    case TypeId::kBool:
      return std::string(value.bool_value() ? "true" : "false");
    case TypeId::kInt2:
    case TypeId::kInt4:
    case TypeId::kInt8:
      return std::to_string(value.int_value());
    case TypeId::kFloat4:
    case TypeId::kFloat8: {
      std::string text = FormatText(value, options);
      if (std::isnan(value.float_value()) || std::isinf(value.float_value())) {
        return json::Quote(text);
      }
      return text;
    }
    case TypeId::kNumeric: {
      std::string text = value.numeric_value().ToString();
      return value.numeric_value().is_nan() ? json::Quote(text) : text;
    }
    case TypeId::kJson:
      return value.string_value();
    case TypeId::kJsonb:
      return value.string_value();
    case TypeId::kDate:
    case TypeId::kTime:
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz:
      return json::Quote(IsoDateTime(value));
    case TypeId::kRecord:
      return Status::Sql("0A000", "converting a record to json is not supported yet");
    default:
      break;
  }
  if (IsArrayType(type)) {
    ASSIGN_OR_RETURN(std::vector<Value> elements, ArrayElements(value));
    std::string out = "[";
    for (size_t i = 0; i < elements.size(); ++i) {
      if (i > 0) out.push_back(',');
      ASSIGN_OR_RETURN(std::string element, ValueToJsonText(elements[i], options));
      out += element;
    }
    out.push_back(']');
    return out;
  }
  if (type == TypeId::kUnknown) return json::Quote(value.string_value());
  return json::Quote(FormatText(value, options));
}

Result<Value> FinishJsonAgg(TypeId result, const std::vector<std::string>& elements) {
  std::string out = "[";
  for (size_t i = 0; i < elements.size(); ++i) {
    if (i > 0) out += ", ";
    out += elements[i];
  }
  out += "]";
  return FromBuiltText(result, std::move(out));
}

Result<Value> FinishJsonObjectAgg(TypeId result,
                                  const std::vector<std::pair<std::string, std::string>>& members) {
  std::string out = "{ ";
  for (size_t i = 0; i < members.size(); ++i) {
    if (i > 0) out += ", ";
    out += json::Quote(members[i].first) + " : " + members[i].second;
  }
  out += " }";
  return FromBuiltText(result, std::move(out));
}

namespace {

struct JsonSetFunction {
  std::string_view name;
  TypeId argument;
  TypeId result;
  bool keys;  // object keys, else array elements
};

constexpr JsonSetFunction kJsonSetFunctions[] = {
    {"json_array_elements", TypeId::kJson, TypeId::kJson, false},
    {"json_array_elements_text", TypeId::kJson, TypeId::kText, false},
    {"jsonb_array_elements", TypeId::kJsonb, TypeId::kJsonb, false},
    {"jsonb_array_elements_text", TypeId::kJsonb, TypeId::kText, false},
    {"json_object_keys", TypeId::kJson, TypeId::kText, true},
    {"jsonb_object_keys", TypeId::kJsonb, TypeId::kText, true},
};

const JsonSetFunction* FindJsonSetFunction(std::string_view name) {
  for (const JsonSetFunction& f : kJsonSetFunctions) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

// Identifies the function of a bound kJson call (its `function` field); never called.
const FunctionDef& JsonSetFunctionDef(const JsonSetFunction& f) {
  static const std::vector<FunctionDef>* const kDefs = [] {
    auto* defs = new std::vector<FunctionDef>();
    for (const JsonSetFunction& each : kJsonSetFunctions) {
      defs->push_back(FunctionDef{each.name, {each.argument}, each.result, NotSetReturning});
    }
    return defs;
  }();
  return (*kDefs)[static_cast<size_t>(&f - kJsonSetFunctions)];
}

}  // namespace

bool IsJsonSetFunctionName(std::string_view name) { return FindJsonSetFunction(name) != nullptr; }

Result<BoundExprPtr> BindJsonSetFunction(Binder& binder, std::string_view name,
                                         std::vector<BoundExprPtr> args) {
  const JsonSetFunction* f = FindJsonSetFunction(name);
  BOREALIS_CHECK(f != nullptr, name);
  bool fits = args.size() == 1 && (args[0]->type == TypeId::kUnknown ||
                                   CanCast(args[0]->type, f->argument, CastContext::kImplicit));
  if (!fits) {
    std::string types;
    for (const BoundExprPtr& arg : args) {
      types += (types.empty() ? "" : ", ") + std::string(GetTypeInfo(arg->type).display_name);
    }
    return Status::Sql("42883", fmt::format("function {}({}) does not exist", name, types))
        .WithHint(
            "No function matches the given name and argument types. You might need to add "
            "explicit type casts.");
  }
  ASSIGN_OR_RETURN(args[0], binder.Coerce(std::move(args[0]), f->argument, name));
  auto node = std::make_unique<BoundExpr>();
  node->kind = BoundKind::kSetFunction;
  node->set_function = SetFunctionKind::kJson;
  node->type = f->result;
  node->children = std::move(args);
  node->function = &JsonSetFunctionDef(*f);
  return node;
}

Result<std::vector<Value>> JsonSetFunctionRows(const BoundExpr& call, const Value& argument) {
  BOREALIS_CHECK(call.function != nullptr);
  const JsonSetFunction* f = FindJsonSetFunction(call.function->name);
  BOREALIS_CHECK(f != nullptr, call.function->name);
  ASSIGN_OR_RETURN(Node node, AnyJsonNode(argument));
  bool is_json = f->argument == TypeId::kJson;
  std::vector<Value> rows;
  if (f->keys) {
    if (node.kind != Kind::kObject) {
      return InvalidParameter(fmt::format("cannot call {} on {}", f->name,
                                          node.kind == Kind::kArray ? "an array" : "a scalar"));
    }
    for (const auto& member : node.members)
      rows.push_back(Value::String(TypeId::kText, member.first));
    return rows;
  }
  if (node.kind != Kind::kArray) {
    if (is_json) {
      return InvalidParameter(fmt::format("cannot call {} on {}", f->name,
                                          IsScalar(node) ? "a scalar" : "a non-array"));
    }
    return InvalidParameter(
        fmt::format("cannot extract elements from {}", IsScalar(node) ? "a scalar" : "an object"));
  }
  if (node.elements.size() > kMaxArrayElements) {
    return Status::Sql("54000", "array size exceeds the maximum allowed");
  }
  for (const Node& element : node.elements) {
    ASSIGN_OR_RETURN(Value row, NodeResult(element, f->argument, f->result == TypeId::kText));
    rows.push_back(std::move(row));
  }
  return rows;
}

void RegisterJsonFunctions(const FunctionAdder& add) {
  constexpr TypeId kJson = TypeId::kJson;
  constexpr TypeId kJsonb = TypeId::kJsonb;
  constexpr TypeId kText = TypeId::kText;
  constexpr TypeId kTextArray = TypeId::kTextArray;
  constexpr TypeId kInt4 = TypeId::kInt4;
  constexpr TypeId kBool = TypeId::kBool;
  for (TypeId type : {kJson, kJsonb}) {
    add("->", {type, kText}, type, FieldByKey<false>, true);
    add("->", {type, kInt4}, type, ElementByIndex<false>, true);
    add("->>", {type, kText}, kText, FieldByKey<true>, true);
    add("->>", {type, kInt4}, kText, ElementByIndex<true>, true);
    add("#>", {type, kTextArray}, type, ByPath<false>, true);
    add("#>>", {type, kTextArray}, kText, ByPath<true>, true);
  }
  add("@>", {kJsonb, kJsonb}, kBool, JsonbContains, true);
  add("<@", {kJsonb, kJsonb}, kBool, JsonbContained, true);
  add("?", {kJsonb, kText}, kBool, JsonbExists, true);
  add("?|", {kJsonb, kTextArray}, kBool, JsonbExistsArray<false>, true);
  add("?&", {kJsonb, kTextArray}, kBool, JsonbExistsArray<true>, true);
  add("||", {kJsonb, kJsonb}, kJsonb, JsonbConcat, true);
  add("-", {kJsonb, kText}, kJsonb, JsonbDeleteKey, true);
  add("-", {kJsonb, kInt4}, kJsonb, JsonbDeleteIndex, true);
  add("-", {kJsonb, kTextArray}, kJsonb, JsonbDeleteKeys, true);
  add("#-", {kJsonb, kTextArray}, kJsonb, JsonbDeletePath, true);

  FunctionDef& to_json = add("to_json", {}, kJson, ToJson<kJson>, false);
  to_json.variadic_any = true;
  FunctionDef& to_jsonb = add("to_jsonb", {}, kJsonb, ToJson<kJsonb>, false);
  to_jsonb.variadic_any = true;
  for (auto [name, type, impl] : {std::tuple{"json_build_object", kJson, &BuildObject<kJson>},
                                  std::tuple{"jsonb_build_object", kJsonb, &BuildObject<kJsonb>},
                                  std::tuple{"json_build_array", kJson, &BuildArray<kJson>},
                                  std::tuple{"jsonb_build_array", kJsonb, &BuildArray<kJsonb>}}) {
    add(name, {}, type, impl, false).strict = false;  // no arguments: {} or []
    FunctionDef& variadic = add(name, {}, type, impl, false);
    variadic.variadic_any = true;
    variadic.strict = false;
  }
  add("json_object", {kTextArray}, kJson, ObjectFromArray<kJson>, false);
  add("jsonb_object", {kTextArray}, kJsonb, ObjectFromArray<kJsonb>, false);
  add("json_object", {kTextArray, kTextArray}, kJson, ObjectFromArrays<kJson>, false);
  add("jsonb_object", {kTextArray, kTextArray}, kJsonb, ObjectFromArrays<kJsonb>, false);
  FunctionDef& array_to_json = add("array_to_json", {}, kJson, ArrayToJson, false);
  array_to_json.variadic_any = true;
  add("json_typeof", {kJson}, kText, TypeOf, false);
  add("jsonb_typeof", {kJsonb}, kText, TypeOf, false);
  add("json_array_length", {kJson}, kInt4, ArrayLength, false);
  add("jsonb_array_length", {kJsonb}, kInt4, ArrayLength, false);
  add("jsonb_pretty", {kJsonb}, kText, JsonbPretty, false);
  add("json_strip_nulls", {kJson}, kJson, StripNullsFunction, false);
  add("jsonb_strip_nulls", {kJsonb}, kJsonb, StripNullsFunction, false);
  add("json_extract_path", {kJson}, kJson, ExtractPath<false>, false).variadic_any = true;
  add("json_extract_path_text", {kJson}, kText, ExtractPath<true>, false).variadic_any = true;
  add("jsonb_extract_path", {kJsonb}, kJsonb, ExtractPath<false>, false).variadic_any = true;
  add("jsonb_extract_path_text", {kJsonb}, kText, ExtractPath<true>, false).variadic_any = true;
  add("jsonb_set", {kJsonb, kTextArray, kJsonb}, kJsonb, JsonbSet, false);
  add("jsonb_set", {kJsonb, kTextArray, kJsonb, kBool}, kJsonb, JsonbSet, false);
  add("jsonb_insert", {kJsonb, kTextArray, kJsonb}, kJsonb, JsonbInsert, false);
  add("jsonb_insert", {kJsonb, kTextArray, kJsonb, kBool}, kJsonb, JsonbInsert, false);
  for (std::string_view name : {"json_each", "jsonb_each", "json_each_text", "jsonb_each_text"}) {
    add(name, {}, kText, NotSetReturning, false).variadic_any = true;
  }
}

}  // namespace borealis::sql
