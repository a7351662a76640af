// Math functions and operators of PostgreSQL 15's numeric types beyond sql/functions.cc's
// arithmetic: the integer bit operators (& | # ~ << >>), prefix @ |/ ||/, gcd / lcm /
// factorial, the boolean comparison functions (booleq, boolne, ...), and the float8 math
// functions (sqrt, cbrt, exp, ln, log, log10, power / pow, ceil / ceiling / floor, the
// trigonometric functions in radians and degrees, the hyperbolic ones, degrees / radians / pi).
// Results, SQLSTATEs and messages follow PostgreSQL 15 (22003 "input is out of range" and
// overflow/underflow, 2201E for logarithms, 2201F for powers and square roots; the degree
// functions return exact results at the standard angles, as PostgreSQL's do).
//
// Numeric overloads that PostgreSQL has but this engine cannot compute exactly yet (sqrt, exp,
// ln, log, power, gcd, lcm on numeric) are registered so that resolution picks the same
// overload as PostgreSQL, and fail with 0A000 instead of a float answer of the wrong type.
//
// Contract: registration only (RegisterMathFunctions, called once by sql/functions.cc); every
// function is pure and strict (NULL in, NULL out).
#pragma once

#include "sql/catalog_functions.h"  // FunctionAdder

namespace borealis::sql {

void RegisterMathFunctions(const FunctionAdder& add);

}  // namespace borealis::sql
