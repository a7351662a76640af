#include "sql/catalog_types.h"

#include <strings.h>  // strncasecmp (POSIX)

#include <algorithm>
#include <array>
#include <charconv>
#include <cstring>

#include "fmt/format.h"

namespace borealis::sql {
namespace {

constexpr std::array<TypeInfo, 24> kCatalogTypes = {{
    {TypeId::kChar, "char", "\"char\"", 1, TypeCategory::kInternal, false},
    {TypeId::kInt2Vector, "int2vector", "int2vector", -1, TypeCategory::kArray, false},
    {TypeId::kRegproc, "regproc", "regproc", 4, TypeCategory::kNumeric, false},
    {TypeId::kXid, "xid", "xid", 4, TypeCategory::kUserDefined, false},
    {TypeId::kOidVector, "oidvector", "oidvector", -1, TypeCategory::kArray, false},
    {TypeId::kPgNodeTree, "pg_node_tree", "pg_node_tree", -1, TypeCategory::kString, false},
    {TypeId::kRegclass, "regclass", "regclass", 4, TypeCategory::kNumeric, false},
    {TypeId::kRegtype, "regtype", "regtype", 4, TypeCategory::kNumeric, false},
    {TypeId::kRegnamespace, "regnamespace", "regnamespace", 4, TypeCategory::kNumeric, false},
    {TypeId::kRegrole, "regrole", "regrole", 4, TypeCategory::kNumeric, false},
    {TypeId::kBoolArray, "_bool", "boolean[]", -1, TypeCategory::kArray, false},
    {TypeId::kCharArray, "_char", "\"char\"[]", -1, TypeCategory::kArray, false},
    {TypeId::kNameArray, "_name", "name[]", -1, TypeCategory::kArray, false},
    {TypeId::kInt2Array, "_int2", "smallint[]", -1, TypeCategory::kArray, false},
    {TypeId::kInt4Array, "_int4", "integer[]", -1, TypeCategory::kArray, false},
    {TypeId::kTextArray, "_text", "text[]", -1, TypeCategory::kArray, false},
    {TypeId::kVarcharArray, "_varchar", "character varying[]", -1, TypeCategory::kArray, false},
    {TypeId::kInt8Array, "_int8", "bigint[]", -1, TypeCategory::kArray, false},
    {TypeId::kFloat4Array, "_float4", "real[]", -1, TypeCategory::kArray, false},
    {TypeId::kFloat8Array, "_float8", "double precision[]", -1, TypeCategory::kArray, false},
    {TypeId::kOidArray, "_oid", "oid[]", -1, TypeCategory::kArray, false},
    {TypeId::kAclitemArray, "_aclitem", "aclitem[]", -1, TypeCategory::kArray, false},
    {TypeId::kNumericArray, "_numeric", "numeric[]", -1, TypeCategory::kArray, false},
    {TypeId::kRecord, "record", "record", -1, TypeCategory::kPseudo, false},
}};

struct ArrayPair {
  TypeId array;
  TypeId element;  // kInvalid: aclitem (kept as text)
};
constexpr std::array<ArrayPair, 13> kArrays = {{
    {TypeId::kBoolArray, TypeId::kBool},
    {TypeId::kCharArray, TypeId::kChar},
    {TypeId::kNameArray, TypeId::kName},
    {TypeId::kInt2Array, TypeId::kInt2},
    {TypeId::kInt4Array, TypeId::kInt4},
    {TypeId::kTextArray, TypeId::kText},
    {TypeId::kVarcharArray, TypeId::kVarchar},
    {TypeId::kInt8Array, TypeId::kInt8},
    {TypeId::kFloat4Array, TypeId::kFloat4},
    {TypeId::kFloat8Array, TypeId::kFloat8},
    {TypeId::kOidArray, TypeId::kOid},
    {TypeId::kAclitemArray, TypeId::kText},
    {TypeId::kNumericArray, TypeId::kNumeric},
}};

bool IsOidLike(TypeId type) { return IsRegType(type) || type == TypeId::kOid; }

Status BadArray(std::string_view text, std::string_view detail) {
  return Status::Sql("22P02", fmt::format("malformed array literal: \"{}\"", text))
      .WithDetail(std::string(detail));
}

Result<Value> ParseOidNumber(TypeId type, std::string_view text) {
  if (type != TypeId::kXid && text == "-") return Value::Int(type, 0);
  uint64_t v = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() || v > UINT32_MAX) {
    return Status::Sql("22P02", fmt::format("invalid input syntax for type {}: \"{}\"",
                                            CatalogTypeInfo(type).display_name, text));
  }
  return Value::Int(type, static_cast<int64_t>(v));
}

bool IsDigits(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// int2vector / oidvector text: space-separated integers of the element type.
Result<Value> ParseVector(TypeId type, std::string_view text) {
  TypeId element = type == TypeId::kInt2Vector ? TypeId::kInt2 : TypeId::kOid;
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && text[i] == ' ') ++i;
    size_t start = i;
    while (i < text.size() && text[i] != ' ') ++i;
    if (start == i) break;
    ASSIGN_OR_RETURN(Value v, ParseText(element, text.substr(start, i - start)));
    if (!out.empty()) out += ' ';
    out += std::to_string(v.int_value());
  }
  return Value::String(type, std::move(out));
}

void PutBigEndian32(std::string& out, uint32_t v) {
  for (int i = 3; i >= 0; --i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

// record_send with every field sent as text (OID 25): the engine keeps a record as its text
// form, so the fields' own types are not known here.
std::string SendRecordAsText(std::string_view text) {
  std::vector<std::optional<std::string>> fields;
  size_t i = 1;  // past '('
  while (i < text.size() && !(fields.empty() && text[i] == ')')) {
    std::string field;
    bool quoted = false;
    bool any = false;
    for (; i < text.size() && (quoted || (text[i] != ',' && text[i] != ')')); ++i) {
      char c = text[i];
      any = true;
      if (c == '"') {
        if (quoted && i + 1 < text.size() && text[i + 1] == '"') {
          field += '"';
          ++i;
        } else {
          quoted = !quoted;
        }
      } else if (c == '\\' && i + 1 < text.size()) {
        field += text[++i];
      } else {
        field += c;
      }
    }
    fields.push_back(any ? std::optional<std::string>(std::move(field)) : std::nullopt);
    if (i >= text.size() || text[i] == ')') break;
    ++i;  // ','
  }
  std::string out;
  PutBigEndian32(out, static_cast<uint32_t>(fields.size()));
  for (const std::optional<std::string>& field : fields) {
    PutBigEndian32(out, static_cast<uint32_t>(TypeId::kText));
    if (!field) {
      PutBigEndian32(out, UINT32_MAX);
      continue;
    }
    PutBigEndian32(out, static_cast<uint32_t>(field->size()));
    out += *field;
  }
  return out;
}

}  // namespace

bool IsCatalogType(TypeId type) {
  for (const TypeInfo& info : kCatalogTypes) {
    if (info.id == type) return true;
  }
  return false;
}

const TypeInfo& CatalogTypeInfo(TypeId type) {
  for (const TypeInfo& info : kCatalogTypes) {
    if (info.id == type) return info;
  }
  BOREALIS_CHECK(false, "not a catalog type", static_cast<uint32_t>(type));
  __builtin_unreachable();
}

std::optional<TypeId> CatalogTypeFromName(std::string_view name) {
  for (const TypeInfo& info : kCatalogTypes) {
    if (info.name == name) return info.id;
  }
  return std::nullopt;
}

bool IsRegType(TypeId type) {
  return type == TypeId::kRegclass || type == TypeId::kRegtype || type == TypeId::kRegproc ||
         type == TypeId::kRegnamespace || type == TypeId::kRegrole;
}

bool IsArrayType(TypeId type) {
  for (const ArrayPair& pair : kArrays) {
    if (pair.array == type) return true;
  }
  return false;
}

TypeId ArrayElementType(TypeId array) {
  for (const ArrayPair& pair : kArrays) {
    if (pair.array == array) return pair.element;
  }
  BOREALIS_CHECK(false, "not an array type", static_cast<uint32_t>(array));
  __builtin_unreachable();
}

std::optional<TypeId> ArrayTypeOf(TypeId element) {
  for (const ArrayPair& pair : kArrays) {
    if (pair.element == element && pair.array != TypeId::kAclitemArray) return pair.array;
  }
  return std::nullopt;
}

Result<std::vector<std::optional<std::string>>> SplitArrayText(std::string_view text) {
  std::vector<std::optional<std::string>> out;
  size_t i = 0;
  auto skip_space = [&] {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n')) ++i;
  };
  skip_space();
  if (i >= text.size() || text[i] != '{') {
    return BadArray(text, "Array value must start with \"{\" or dimension information.");
  }
  ++i;
  skip_space();
  if (i < text.size() && text[i] == '}') {
    ++i;
    skip_space();
    if (i != text.size()) return BadArray(text, "Junk after closing right brace.");
    return out;
  }
  for (;;) {
    skip_space();
    if (i >= text.size()) return BadArray(text, "Unexpected end of input.");
    if (text[i] == '{') {
      return Status::Sql("0A000", "multidimensional arrays are not supported yet");
    }
    std::string element;
    bool quoted = false;
    if (text[i] == '"') {
      quoted = true;
      ++i;
      while (i < text.size() && text[i] != '"') {
        if (text[i] == '\\' && i + 1 < text.size()) ++i;
        element += text[i++];
      }
      if (i >= text.size()) return BadArray(text, "Unexpected end of input.");
      ++i;
    } else {
      while (i < text.size() && text[i] != ',' && text[i] != '}') {
        if (text[i] == '\\' && i + 1 < text.size()) ++i;
        element += text[i++];
      }
      while (!element.empty() && (element.back() == ' ' || element.back() == '\t')) {
        element.pop_back();
      }
      if (element.empty()) return BadArray(text, "Unexpected \"}\" character.");
    }
    if (out.size() >= kMaxArrayElements) {
      return Status::Sql(
          "54000", fmt::format("array size exceeds the maximum allowed ({})", kMaxArrayElements));
    }
    bool is_null = !quoted && element.size() == 4 && strncasecmp(element.c_str(), "null", 4) == 0;
    out.push_back(is_null ? std::nullopt : std::optional<std::string>(std::move(element)));
    skip_space();
    if (i >= text.size()) return BadArray(text, "Unexpected end of input.");
    if (text[i] == ',') {
      ++i;
      continue;
    }
    if (text[i] != '}') return BadArray(text, "Unexpected array element.");
    ++i;
    skip_space();
    if (i != text.size()) return BadArray(text, "Junk after closing right brace.");
    return out;
  }
}

std::string FormatArrayText(std::span<const std::optional<std::string>> elements) {
  std::string out = "{";
  for (size_t k = 0; k < elements.size(); ++k) {
    if (k > 0) out += ',';
    if (!elements[k]) {
      out += "NULL";
      continue;
    }
    const std::string& e = *elements[k];
    bool quote = e.empty() || (e.size() == 4 && strncasecmp(e.c_str(), "null", 4) == 0);
    for (char c : e) {
      quote |= c == '{' || c == '}' || c == ',' || c == '"' || c == '\\' || c == ' ' || c == '\t' ||
               c == '\n' || c == '\r' || c == '\v' || c == '\f';
    }
    if (!quote) {
      out += e;
      continue;
    }
    out += '"';
    for (char c : e) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  out += '}';
  return out;
}

Result<std::vector<Value>> ArrayElements(const Value& array) {
  BOREALIS_CHECK(IsArrayType(array.type()) || array.type() == TypeId::kInt2Vector ||
                 array.type() == TypeId::kOidVector);
  std::vector<Value> out;
  if (array.type() == TypeId::kInt2Vector || array.type() == TypeId::kOidVector) {
    TypeId element = array.type() == TypeId::kInt2Vector ? TypeId::kInt2 : TypeId::kOid;
    std::string_view text = array.string_value();
    size_t i = 0;
    while (i < text.size()) {
      size_t end = text.find(' ', i);
      if (end == std::string_view::npos) end = text.size();
      ASSIGN_OR_RETURN(Value v, ParseText(element, text.substr(i, end - i)));
      out.push_back(std::move(v));
      i = end + 1;
    }
    return out;
  }
  TypeId element = ArrayElementType(array.type());
  ASSIGN_OR_RETURN(auto texts, SplitArrayText(array.string_value()));
  for (const auto& text : texts) {
    if (!text) {
      out.push_back(Value::Null(element));
      continue;
    }
    ASSIGN_OR_RETURN(Value v, ParseText(element, *text));
    out.push_back(std::move(v));
  }
  return out;
}

Value MakeArray(TypeId array_type, std::span<const Value> elements) {
  std::vector<std::optional<std::string>> texts;
  for (const Value& v : elements) {
    if (v.is_null()) {
      texts.push_back(std::nullopt);
    } else {
      texts.push_back(FormatText(v, OutputOptions{}));
    }
  }
  return Value::String(array_type, FormatArrayText(texts));
}

Result<Value> ParseCatalogText(TypeId type, std::string_view text) {
  switch (type) {
    case TypeId::kChar: {
      // charin: a backslash and three octal digits give that byte; else the first byte.
      auto octal = [](char c) { return c >= '0' && c <= '7'; };
      if (text.size() == 4 && text[0] == '\\' && octal(text[1]) && octal(text[2]) &&
          octal(text[3])) {
        int byte = ((text[1] - '0') << 6) | ((text[2] - '0') << 3) | (text[3] - '0');
        return Value::String(type,
                             byte == 0 ? std::string() : std::string(1, static_cast<char>(byte)));
      }
      return Value::String(type, std::string(text.substr(0, std::min<size_t>(1, text.size()))));
    }
    case TypeId::kRegclass:
    case TypeId::kRegtype:
    case TypeId::kRegproc:
    case TypeId::kRegnamespace:
    case TypeId::kRegrole:
      if (!IsDigits(text) && text != "-") {
        return Status::Internal(
            fmt::format("{} input needs the catalog", CatalogTypeInfo(type).name));
      }
      return ParseOidNumber(type, text);
    case TypeId::kXid:
      return ParseOidNumber(type, text);
    case TypeId::kInt2Vector:
    case TypeId::kOidVector:
      return ParseVector(type, text);
    case TypeId::kPgNodeTree:
      return Status::Sql("0A000", "cannot accept a value of type pg_node_tree");
    case TypeId::kRecord:
      return Status::Sql("0A000", "input of anonymous composite types is not implemented");
    case TypeId::kAclitemArray: {
      ASSIGN_OR_RETURN(auto texts, SplitArrayText(text));
      return Value::String(type, FormatArrayText(texts));
    }
    default:
      break;
  }
  BOREALIS_CHECK(IsArrayType(type), static_cast<uint32_t>(type));
  TypeId element = ArrayElementType(type);
  ASSIGN_OR_RETURN(auto texts, SplitArrayText(text));
  std::vector<Value> values;
  for (const auto& t : texts) {
    if (!t) {
      values.push_back(Value::Null(element));
      continue;
    }
    ASSIGN_OR_RETURN(Value v, ParseText(element, *t));
    values.push_back(std::move(v));
  }
  return MakeArray(type, values);
}

std::string FormatCatalogText(const Value& value) {
  BOREALIS_CHECK(!value.is_null());
  if (IsRegType(value.type())) {
    return value.int_value() == 0 ? "-" : std::to_string(value.int_value());
  }
  if (value.type() == TypeId::kXid) return std::to_string(value.int_value());
  if (value.type() == TypeId::kChar && !value.string_value().empty() &&
      static_cast<uint8_t>(value.string_value()[0]) >= 0x80) {
    // charout: a high-bit byte prints as a backslash and three octal digits.
    return fmt::format("\\{:03o}", static_cast<uint8_t>(value.string_value()[0]));
  }
  return value.string_value();
}

Result<Value> ReceiveCatalogBinary(TypeId type, std::string_view bytes) {
  if (type == TypeId::kRecord) {
    return Status::Sql("0A000", "input of anonymous composite types is not implemented");
  }
  if (type == TypeId::kChar) {
    if (bytes.size() != 1) {
      return Status::Sql("22P03", "insufficient data left in message");
    }
    return Value::String(type, bytes[0] == 0 ? std::string() : std::string(bytes));
  }
  if (IsRegType(type) || type == TypeId::kXid) {
    if (bytes.size() != 4) return Status::Sql("22P03", "insufficient data left in message");
    uint32_t v = 0;
    for (char c : bytes) v = (v << 8) | static_cast<uint8_t>(c);
    return Value::Int(type, v);
  }
  return Status::Sql("0A000", fmt::format("binary input of type {} is not supported yet",
                                          CatalogTypeInfo(type).display_name));
}

std::string SendCatalogBinary(const Value& value) {
  TypeId type = value.type();
  std::string out;
  if (type == TypeId::kChar) {
    out = value.string_value().empty() ? std::string(1, '\0') : value.string_value();
    return out;
  }
  if (IsRegType(type) || type == TypeId::kXid) {
    PutBigEndian32(out, static_cast<uint32_t>(value.int_value()));
    return out;
  }
  if (type == TypeId::kPgNodeTree) return value.string_value();
  if (type == TypeId::kRecord) return SendRecordAsText(value.string_value());
  // Arrays and vectors: PostgreSQL's array_send (one dimension, lower bound 1).
  TypeId element = type == TypeId::kInt2Vector     ? TypeId::kInt2
                   : type == TypeId::kOidVector    ? TypeId::kOid
                   : type == TypeId::kAclitemArray ? TypeId::kText
                                                   : ArrayElementType(type);
  Result<std::vector<Value>> elements = ArrayElements(value);
  BOREALIS_CHECK(elements.ok(), elements.status().ToString());  // canonical on input
  bool has_null = false;
  for (const Value& v : *elements) has_null |= v.is_null();
  PutBigEndian32(out, elements->empty() ? 0 : 1);
  PutBigEndian32(out, has_null ? 1 : 0);
  PutBigEndian32(out, type == TypeId::kAclitemArray ? 1033 : static_cast<uint32_t>(element));
  if (!elements->empty()) {
    PutBigEndian32(out, static_cast<uint32_t>(elements->size()));
    PutBigEndian32(out, 1);
  }
  for (const Value& v : *elements) {
    if (v.is_null()) {
      PutBigEndian32(out, UINT32_MAX);
      continue;
    }
    std::string bytes = SendBinary(v);
    PutBigEndian32(out, static_cast<uint32_t>(bytes.size()));
    out += bytes;
  }
  return out;
}

bool CastNeedsCatalog(TypeId from, TypeId to) {
  bool from_text = IsStringType(from) || from == TypeId::kUnknown;
  bool to_text = IsStringType(to);
  return (from_text && IsRegType(to)) || (IsRegType(from) && to_text);
}

bool CanCastCatalog(TypeId from, TypeId to, CastContext context) {
  auto allowed = [context](CastContext needed) { return context >= needed; };
  if (from == TypeId::kUnknown) return true;
  if (from == TypeId::kPgNodeTree) return to == TypeId::kText;
  if (IsStringType(to)) {
    // "char" -> text is implicit; the rest are I/O conversions (assignment).
    if (from == TypeId::kChar && to == TypeId::kText) return true;
    return allowed(CastContext::kAssignment);
  }
  if (IsStringType(from)) {
    if (to == TypeId::kChar) return allowed(CastContext::kAssignment);
    return to != TypeId::kPgNodeTree && allowed(CastContext::kExplicit);
  }
  if (IsOidLike(to) && (IsOidLike(from) || IsIntegerType(from))) {
    // oid, int2/int4/int8 -> reg*: implicit; reg* -> reg* only through oid (explicit).
    if (IsRegType(from) && IsRegType(to)) return allowed(CastContext::kExplicit);
    return true;
  }
  if (IsRegType(from) && IsIntegerType(to))
    return to != TypeId::kInt2 && allowed(CastContext::kAssignment);
  if (from == TypeId::kChar && to == TypeId::kInt4) return allowed(CastContext::kExplicit);
  if (from == TypeId::kInt4 && to == TypeId::kChar) return allowed(CastContext::kExplicit);
  if (from == TypeId::kInt2Vector) return to == TypeId::kInt2Array;
  if (from == TypeId::kOidVector) return to == TypeId::kOidArray;
  if (IsArrayType(from) && IsArrayType(to)) {
    TypeId a = ArrayElementType(from);
    TypeId b = ArrayElementType(to);
    return from != TypeId::kAclitemArray && to != TypeId::kAclitemArray &&
           (a == b || CanCast(a, b, context));
  }
  return false;
}

Result<Value> CastCatalogValue(const Value& value, TypeId to) {
  TypeId from = value.type();
  if (value.is_null()) return Value::Null(to);
  if (from == to) return value;
  if (CastNeedsCatalog(from, to)) {
    // Numbers convert without the catalog, as regclassin accepts them.
    if (!IsRegType(from) && IsDigits(value.string_value())) {
      return ParseOidNumber(to, value.string_value());
    }
    return Status::Internal("cast needs the catalog");
  }
  if (IsStringType(to)) return Value::String(to, FormatCatalogText(value));
  if (IsStringType(from) || from == TypeId::kUnknown)
    return ParseCatalogText(to, value.string_value());
  if (IsOidLike(to) && (IsOidLike(from) || IsIntegerType(from))) {
    int64_t v = value.int_value();
    if (from == TypeId::kInt4 || from == TypeId::kInt2) v = static_cast<uint32_t>(v);
    if (v < 0 || v > UINT32_MAX) return Status::Sql("22003", "OID out of range");
    return Value::Int(to, v);
  }
  if (IsRegType(from) && IsIntegerType(to)) {
    int64_t v = value.int_value();
    if (to == TypeId::kInt4) v = static_cast<int32_t>(v);
    return Value::Int(to, v);
  }
  if (from == TypeId::kChar && to == TypeId::kInt4) {
    const std::string& s = value.string_value();
    return Value::Int(to, s.empty() ? 0 : static_cast<int8_t>(s[0]));
  }
  if (from == TypeId::kInt4 && to == TypeId::kChar) {
    int64_t v = value.int_value();
    if (v < -128 || v > 127) return Status::Sql("22003", "\"char\" out of range");
    return Value::String(to, v == 0 ? std::string() : std::string(1, static_cast<char>(v)));
  }
  if (from == TypeId::kInt2Vector || from == TypeId::kOidVector) {
    ASSIGN_OR_RETURN(std::vector<Value> elements, ArrayElements(value));
    return MakeArray(to, elements);
  }
  if (IsArrayType(from) && IsArrayType(to)) {
    ASSIGN_OR_RETURN(std::vector<Value> elements, ArrayElements(value));
    TypeId element = ArrayElementType(to);
    for (Value& v : elements) {
      ASSIGN_OR_RETURN(v, CastValue(v, element));
    }
    return MakeArray(to, elements);
  }
  return Status::Sql("42846",
                     fmt::format("cannot cast type {} to {}", GetTypeInfo(from).display_name,
                                 GetTypeInfo(to).display_name));
}

}  // namespace borealis::sql
