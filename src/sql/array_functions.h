// ARRAY[...] constructors and VARIADIC array arguments, over the text-held array values of
// sql/catalog_types.h.
//
// ARRAY[a, b, ...] binds (sql/binder.cc) to a call of ArrayConstructorFunction() whose result
// type is the array type of the elements' common type; NULL elements stay NULL.
// f(x, VARIADIC arr) binds to VariadicArrayFunction(f) for the VARIADIC "any" functions concat,
// concat_ws and format: at run time the array's elements become the trailing arguments (a NULL
// array: concat and concat_ws return NULL, format sees no further arguments), as PostgreSQL does.
//
// RegisterArrayFunctions adds string_to_array(text, text [, text]) -> text[] (PostgreSQL's: not
// strict; a NULL delimiter splits into characters, an empty one keeps the string whole, elements
// equal to the third argument become NULL).
//
// Contract: the definitions are immutable static data (thread-safe); the bound node's type, not
// FunctionDef::result, is the constructor's result type.
#pragma once

#include <string_view>

#include "sql/catalog_functions.h"  // FunctionAdder
#include "sql/functions.h"

namespace borealis::sql {

const FunctionDef& ArrayConstructorFunction();
// nullptr when `name` takes no VARIADIC array here.
const FunctionDef* VariadicArrayFunction(std::string_view name);

void RegisterArrayFunctions(const FunctionAdder& add);

}  // namespace borealis::sql
