// Built-in functions and operators: signatures for resolution and their implementations.
//
// Contract: the catalog is immutable static data built once (thread-safe). Strict functions
// are never called with a NULL argument (the evaluator returns NULL instead). Implementations
// receive arguments already coerced to the declared types.
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "sql/binder.h"
#include "sql/value.h"

namespace borealis::sql {

using FunctionImpl = Result<Value> (*)(std::span<const Value> args, FunctionContext& context);

struct FunctionDef {
  std::string_view name;  // "+", "version", ...
  std::vector<TypeId> args;
  TypeId result;
  FunctionImpl impl;
  bool strict = true;
  // VARIADIC "any" after `args` (concat, concat_ws): one or more further arguments of any type.
  bool variadic_any = false;
  bool is_operator = false;
};

// All functions or operators named `name` (operators: with that arity).
std::vector<const FunctionDef*> LookupFunctions(std::string_view name, bool is_operator,
                                                size_t arity);
// Whether any function or operator has this name (for "does not exist" vs. signature errors).
bool FunctionNameExists(std::string_view name);

// Three-way comparison of two non-NULL values of comparable types (same family).
int CompareValues(const Value& a, const Value& b);

}  // namespace borealis::sql
