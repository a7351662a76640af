#include "sql/sequence_functions.h"

#include "fmt/format.h"

namespace borealis::sql {
namespace {

using T = TypeId;

uint32_t RelationArg(const Value& value) { return static_cast<uint32_t>(value.int_value()); }

Result<Value> NextVal(std::span<const Value> args, FunctionContext& c) {
  ASSIGN_OR_RETURN(int64_t value, c.SequenceNext(RelationArg(args[0])));
  return Value::Int(T::kInt8, value);
}

Result<Value> CurrVal(std::span<const Value> args, FunctionContext& c) {
  ASSIGN_OR_RETURN(int64_t value, c.SequenceCurrent(RelationArg(args[0])));
  return Value::Int(T::kInt8, value);
}

Result<Value> SetVal(std::span<const Value> args, FunctionContext& c) {
  bool is_called = args.size() < 3 || args[2].bool_value();
  ASSIGN_OR_RETURN(int64_t value,
                   c.SequenceSet(RelationArg(args[0]), args[1].int_value(), is_called));
  return Value::Int(T::kInt8, value);
}

Result<Value> LastVal(std::span<const Value>, FunctionContext& c) {
  ASSIGN_OR_RETURN(int64_t value, c.SequenceLast());
  return Value::Int(T::kInt8, value);
}

Result<Value> SerialSequence(std::span<const Value> args, FunctionContext& c) {
  CatalogAccess* catalog = c.catalog();
  if (catalog == nullptr) return Status::Sql("0A000", "the catalog is not available");
  ASSIGN_OR_RETURN(std::optional<std::string> name,
                   catalog->SerialSequence(args[0].string_value(), args[1].string_value()));
  if (!name) return Value::Null(T::kText);
  return Value::String(T::kText, *name);
}

}  // namespace

void RegisterSequenceFunctions(const FunctionAdder& add) {
  add("nextval", {T::kRegclass}, T::kInt8, NextVal, false);
  add("currval", {T::kRegclass}, T::kInt8, CurrVal, false);
  add("setval", {T::kRegclass, T::kInt8}, T::kInt8, SetVal, false);
  add("setval", {T::kRegclass, T::kInt8, T::kBool}, T::kInt8, SetVal, false);
  add("lastval", {}, T::kInt8, LastVal, false);
  add("pg_get_serial_sequence", {T::kText, T::kText}, T::kText, SerialSequence, false);
}

}  // namespace borealis::sql
