// Set-returning functions (helper S): generate_series and unnest, the calls that may stand in a
// SELECT list (a ProjectSet plan node, sql/exec/project_set.h) or in FROM (a Function Scan).
//
// Contract (PostgreSQL 15's signatures and errors):
//   * generate_series(start, stop [, step]) over int4, int8 (int2 promotes to int4, any int8
//     argument makes the call int8) and numeric; step 0 is 22023 `step size cannot equal
//     zero`, a NaN argument 22023 `start value cannot be NaN` (stop/step alike). Values run
//     from start while they do not pass stop; NULL arguments give no rows (strict).
//   * unnest(anyarray): the elements in order, NULL elements included; a NULL array gives no
//     rows. An untyped literal is 42725 (PostgreSQL's unnest(anyarray)/unnest(tsvector)).
//   * generate_series(timestamp[tz], timestamp[tz], interval): each value the previous plus
//     the step (a zero step is 22023); an infinite stop gives an endless series (LIMIT or
//     cancel ends it), as in PostgreSQL 15.
//   * Other argument types: 42883 `function f(types) does not exist`; only int2/unknown
//     arguments: 42725 `... is not unique`.
// Binding returns a BoundKind::kSetFunction node whose children are the coerced arguments.
// Iterators stream: generate_series holds three numbers, unnest one array's elements (at most
// kMaxArrayElements). Threading: an iterator belongs to one operator on one thread.
#pragma once

#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "sql/binder.h"
#include "sql/value.h"

namespace borealis::sql {

// REQUIRES: IsSetFunctionName({name}); `args` are bound.
Result<BoundExprPtr> BindSetFunctionCall(Binder& binder, std::string_view name,
                                         std::vector<BoundExprPtr> args, int location);

// A plain function call in FROM as a set of one row (its value, NULL included).
BoundExprPtr ScalarAsSet(BoundExprPtr call);

std::string_view SetFunctionName(SetFunctionKind kind);

class SetFunctionIterator {
 public:
  virtual ~SetFunctionIterator() = default;
  // The next value, or nullopt when the set is exhausted.
  virtual Result<std::optional<Value>> Next() = 0;
};

// Evaluates the call's arguments in `context` and starts the set.
// REQUIRES: call.kind == BoundKind::kSetFunction.
Result<std::unique_ptr<SetFunctionIterator>> StartSetFunction(const BoundExpr& call,
                                                              EvalContext& context);

}  // namespace borealis::sql
