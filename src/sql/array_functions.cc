#include "sql/array_functions.h"

#include <vector>

#include "sql/catalog_types.h"

namespace borealis::sql {
namespace {

// ARRAY[...]: the binder coerced every element to one type; the first element's value carries
// it (NULLs are typed too).
Result<Value> ConstructArray(std::span<const Value> args, FunctionContext&) {
  BOREALIS_CHECK(!args.empty());
  std::optional<TypeId> array_type = ArrayTypeOf(args[0].type());
  BOREALIS_CHECK(array_type.has_value());
  if (args.size() > kMaxArrayElements) {
    return Status::Sql("54000", "array size exceeds the maximum allowed");
  }
  return MakeArray(*array_type, args);
}

// Calls `name`'s VARIADIC "any" implementation with the array's elements appended to the fixed
// arguments.
template <bool kNullArrayIsNull>
Result<Value> CallExpanded(std::string_view name, std::span<const Value> args,
                           FunctionContext& context) {
  BOREALIS_CHECK(!args.empty());
  std::vector<const FunctionDef*> defs = LookupFunctions(name, false, args.size());
  const FunctionDef* real = nullptr;
  for (const FunctionDef* def : defs) {
    if (def->variadic_any) real = def;
  }
  BOREALIS_CHECK(real != nullptr);
  std::vector<Value> expanded(args.begin(), args.end() - 1);
  const Value& array = args.back();
  if (array.is_null()) {
    if (kNullArrayIsNull) return Value::Null(TypeId::kText);
  } else {
    ASSIGN_OR_RETURN(std::vector<Value> elements, ArrayElements(array));
    for (Value& element : elements) expanded.push_back(std::move(element));
  }
  return real->impl(expanded, context);
}

Result<Value> VariadicConcat(std::span<const Value> args, FunctionContext& context) {
  return CallExpanded<true>("concat", args, context);
}
Result<Value> VariadicConcatWs(std::span<const Value> args, FunctionContext& context) {
  return CallExpanded<true>("concat_ws", args, context);
}
Result<Value> VariadicFormat(std::span<const Value> args, FunctionContext& context) {
  return CallExpanded<false>("format", args, context);
}

// string_to_array(string, delimiter [, null_string]).
Result<Value> StringToArray(std::span<const Value> args, FunctionContext&) {
  if (args[0].is_null()) return Value::Null(TypeId::kTextArray);
  const std::string& s = args[0].string_value();
  std::vector<std::optional<std::string>> parts;
  if (s.empty()) return Value::String(TypeId::kTextArray, FormatArrayText(parts));
  if (args[1].is_null()) {  // every character an element
    for (size_t i = 0; i < s.size();) {
      size_t length = 1;
      while (i + length < s.size() && (static_cast<uint8_t>(s[i + length]) & 0xC0) == 0x80) {
        ++length;
      }
      parts.emplace_back(s.substr(i, length));
      i += length;
    }
  } else if (args[1].string_value().empty()) {
    parts.emplace_back(s);
  } else {
    const std::string& delimiter = args[1].string_value();
    size_t start = 0;
    for (size_t at = s.find(delimiter); at != std::string::npos; at = s.find(delimiter, start)) {
      parts.emplace_back(s.substr(start, at - start));
      start = at + delimiter.size();
    }
    parts.emplace_back(s.substr(start));
  }
  if (parts.size() > kMaxArrayElements) {
    return Status::Sql("54000", "array size exceeds the maximum allowed");
  }
  if (args.size() > 2 && !args[2].is_null()) {
    for (std::optional<std::string>& part : parts) {
      if (part == args[2].string_value()) part.reset();
    }
  }
  return Value::String(TypeId::kTextArray, FormatArrayText(parts));
}

FunctionDef MakeDef(std::string_view name, FunctionImpl impl) {
  FunctionDef def;
  def.name = name;
  def.result = TypeId::kText;
  def.impl = impl;
  def.strict = false;
  def.variadic_any = true;
  return def;
}

}  // namespace

const FunctionDef& ArrayConstructorFunction() {
  static const FunctionDef kDef = MakeDef("array", ConstructArray);
  return kDef;
}

const FunctionDef* VariadicArrayFunction(std::string_view name) {
  static const FunctionDef kConcat = MakeDef("concat", VariadicConcat);
  static const FunctionDef kConcatWs = MakeDef("concat_ws", VariadicConcatWs);
  static const FunctionDef kFormat = MakeDef("format", VariadicFormat);
  if (name == "concat") return &kConcat;
  if (name == "concat_ws") return &kConcatWs;
  if (name == "format") return &kFormat;
  return nullptr;
}

void RegisterArrayFunctions(const FunctionAdder& add) {
  add("string_to_array", {TypeId::kText, TypeId::kText}, TypeId::kTextArray, StringToArray, false)
      .strict = false;
  add("string_to_array", {TypeId::kText, TypeId::kText, TypeId::kText}, TypeId::kTextArray,
      StringToArray, false)
      .strict = false;
}

}  // namespace borealis::sql
