// Scalar string and numeric functions beyond the core set of sql/functions.cc: substring /
// substr, position / strpos, repeat, btrim / ltrim / rtrim, left / right, reverse, round /
// trunc (numeric with places, float8), sign. Semantics and errors follow PostgreSQL 15
// (characters are UTF-8 code points; 22011 for a negative substring length; 54000 beyond 1 GB).
//
// Contract: registration only (RegisterScalarFunctions, called once by sql/functions.cc); the
// functions are pure and strict (NULL in, NULL out).
#pragma once

#include "sql/catalog_functions.h"  // FunctionAdder

namespace borealis::sql {

void RegisterScalarFunctions(const FunctionAdder& add);

}  // namespace borealis::sql
