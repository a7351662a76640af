#include "sql/sequence_syntax.h"

#include <cctype>
#include <charconv>

#include "fmt/format.h"

namespace borealis::sql {
namespace {

using Json = nlohmann::json;

const Json* Member(const Json& node, const char* key) {
  auto it = node.find(key);
  return it == node.end() ? nullptr : &*it;
}

Status OutOfRange(std::string_view text) {
  return Status::Sql("22003", fmt::format("value \"{}\" is out of range for type bigint", text));
}

// A signed integer read from the query text at or after `location` (the option's keyword).
Result<int64_t> IntegerFromSource(const std::string& source, int location) {
  if (location < 0) return Status::Internal("sequence option without a location");
  size_t p = static_cast<size_t>(location);
  while (p < source.size() && source[p] != '-' && source[p] != '+' &&
         !std::isdigit(static_cast<unsigned char>(source[p]))) {
    ++p;
  }
  bool negative = false;
  while (p < source.size() && (source[p] == '-' || source[p] == '+' ||
                               std::isspace(static_cast<unsigned char>(source[p])))) {
    if (source[p] == '-') negative = !negative;
    ++p;
  }
  size_t start = p;
  while (p < source.size() && std::isdigit(static_cast<unsigned char>(source[p]))) ++p;
  if (p == start) return Status::Internal("cannot recover a sequence option's value");
  std::string digits = (negative ? "-" : "") + source.substr(start, p - start);
  int64_t value = 0;
  auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (error != std::errc() || end != digits.data() + digits.size()) return OutOfRange(digits);
  return value;
}

Result<int64_t> IntegerArgument(const Json& option, const std::string& source) {
  const Json* arg = Member(option, "arg");
  if (arg == nullptr) return Status::Sql("42601", "sequence option requires a value");
  if (const Json* integer = Member(*arg, "Integer")) {
    if (const Json* ival = Member(*integer, "ival"); ival != nullptr && ival->is_number_integer()) {
      return ival->get<int64_t>();
    }
    // libpg_query leaves out zero and negative values: read them back from the text.
    const Json* location = Member(option, "location");
    return IntegerFromSource(source, location != nullptr ? location->get<int>() : -1);
  }
  if (const Json* number = Member(*arg, "Float")) {
    const Json* fval = Member(*number, "fval");
    std::string text = fval != nullptr && fval->is_string() ? fval->get<std::string>() : "";
    int64_t value = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc() || end != text.data() + text.size()) return OutOfRange(text);
    return value;
  }
  return Status::Sql("42601", "sequence option value must be an integer");
}

Status Conflicting() { return Status::Sql("42601", "conflicting or redundant options"); }

}  // namespace

Result<SequenceOptions> TransformSequenceOptions(const Json& list, const std::string& source,
                                                 const TypeNameTransform& transform_type) {
  SequenceOptions options;
  if (!list.is_array()) return options;
  for (const Json& item : list) {
    const Json* option = Member(item, "DefElem");
    if (option == nullptr) return Status::Internal("sequence option is not a DefElem");
    const Json* name_node = Member(*option, "defname");
    std::string name =
        name_node != nullptr && name_node->is_string() ? name_node->get<std::string>() : "";
    const Json* arg = Member(*option, "arg");
    if (name == "as") {
      if (options.as_type) return Conflicting();
      if (arg == nullptr || Member(*arg, "TypeName") == nullptr) {
        return Status::Internal("AS without a type");
      }
      ASSIGN_OR_RETURN(TypeName type, transform_type(*Member(*arg, "TypeName")));
      options.as_type = std::move(type);
    } else if (name == "increment") {
      if (options.increment) return Conflicting();
      ASSIGN_OR_RETURN(options.increment, IntegerArgument(*option, source));
    } else if (name == "minvalue" || name == "maxvalue") {
      auto& slot = name == "minvalue" ? options.min_value : options.max_value;
      if (slot) return Conflicting();
      if (arg == nullptr) {
        slot.emplace(std::nullopt);
      } else {
        ASSIGN_OR_RETURN(int64_t value, IntegerArgument(*option, source));
        slot.emplace(value);
      }
    } else if (name == "start") {
      if (options.start) return Conflicting();
      ASSIGN_OR_RETURN(options.start, IntegerArgument(*option, source));
    } else if (name == "restart") {
      if (options.restart) return Conflicting();
      if (arg == nullptr) {
        options.restart.emplace(std::nullopt);
      } else {
        ASSIGN_OR_RETURN(int64_t value, IntegerArgument(*option, source));
        options.restart.emplace(value);
      }
    } else if (name == "cache") {
      if (options.cache) return Conflicting();
      ASSIGN_OR_RETURN(options.cache, IntegerArgument(*option, source));
    } else if (name == "cycle") {
      if (options.cycle) return Conflicting();
      const Json* boolean = arg != nullptr ? Member(*arg, "Boolean") : nullptr;
      const Json* value = boolean != nullptr ? Member(*boolean, "boolval") : nullptr;
      options.cycle = value != nullptr && value->is_boolean() && value->get<bool>();
    } else if (name == "owned_by") {
      if (options.owned_by) return Conflicting();
      std::vector<std::string> names;
      const Json* inner = arg != nullptr ? Member(*arg, "List") : nullptr;
      const Json* items = inner != nullptr ? Member(*inner, "items") : nullptr;
      if (items != nullptr && items->is_array()) {
        for (const Json& element : *items) {
          const Json* string = Member(element, "String");
          const Json* sval = string != nullptr ? Member(*string, "sval") : nullptr;
          names.push_back(sval != nullptr && sval->is_string() ? sval->get<std::string>() : "");
        }
      }
      options.owned_by = std::move(names);
      const Json* location = Member(*option, "location");
      options.owned_by_location = location != nullptr ? location->get<int>() : -1;
    } else if (name == "sequence_name") {
      return Status::Sql("0A000", "SEQUENCE NAME in identity options is not supported yet");
    } else {
      return Status::Sql("42601", fmt::format("option \"{}\" not recognized", name));
    }
  }
  return options;
}

}  // namespace borealis::sql
