#include "sql/set_functions.h"

#include <string>

#include "fmt/format.h"
#include "sql/catalog_types.h"
#include "sql/interval.h"
#include "sql/json_functions.h"
#include "sql/numeric.h"
#include "sql/types.h"

namespace borealis::sql {
namespace {

using T = TypeId;

bool IsUnknownArg(const BoundExpr& arg) {
  return arg.type == T::kUnknown || arg.type == T::kInvalid;
}

std::string ArgumentTypes(const std::vector<BoundExprPtr>& args) {
  std::string out;
  for (const BoundExprPtr& arg : args) {
    if (!out.empty()) out += ", ";
    out += IsUnknownArg(*arg) ? std::string("unknown")
                              : std::string(GetTypeInfo(arg->type).display_name);
  }
  return out;
}

Status NoSuchFunction(std::string_view name, const std::vector<BoundExprPtr>& args) {
  return Status::Sql("42883",
                     fmt::format("function {}({}) does not exist", name, ArgumentTypes(args)))
      .WithHint(
          "No function matches the given name and argument types. You might need to add "
          "explicit type casts.");
}

BoundExprPtr MakeCall(SetFunctionKind kind, TypeId type, std::vector<BoundExprPtr> args,
                      int location) {
  auto node = std::make_unique<BoundExpr>();
  node->kind = BoundKind::kSetFunction;
  node->set_function = kind;
  node->type = type;
  node->children = std::move(args);
  node->location = location;
  return node;
}

// generate_series(timestamp[tz], timestamp[tz], interval): the version with more exact matches
// among the first two arguments, timestamptz (the preferred type) on a tie.
Result<BoundExprPtr> BindTimestampSeries(Binder& binder, std::vector<BoundExprPtr> args,
                                         int location) {
  if (args.size() != 3) return NoSuchFunction("generate_series", args);
  int plain = 0;
  int zoned = 0;
  for (size_t i = 0; i < 2; ++i) {
    TypeId type = args[i]->type;
    if (type == T::kTimestamp) ++plain;
    if (type == T::kTimestampTz) ++zoned;
    if (!IsUnknownArg(*args[i]) && type != T::kTimestamp && type != T::kTimestampTz &&
        type != T::kDate) {
      return NoSuchFunction("generate_series", args);
    }
  }
  if (!IsUnknownArg(*args[2]) && args[2]->type != T::kInterval) {
    return NoSuchFunction("generate_series", args);
  }
  TypeId type = plain > zoned ? T::kTimestamp : T::kTimestampTz;
  for (size_t i = 0; i < 2; ++i) {
    ASSIGN_OR_RETURN(args[i], binder.Coerce(std::move(args[i]), type, "generate_series"));
  }
  ASSIGN_OR_RETURN(args[2], binder.Coerce(std::move(args[2]), T::kInterval, "generate_series"));
  return MakeCall(SetFunctionKind::kGenerateSeries, type, std::move(args), location);
}

Result<BoundExprPtr> BindGenerateSeries(Binder& binder, std::vector<BoundExprPtr> args,
                                        int location) {
  if (args.size() < 2 || args.size() > 3) return NoSuchFunction("generate_series", args);
  bool any_int8 = false;
  bool any_numeric = false;
  bool any_datetime = false;
  for (const BoundExprPtr& arg : args) {
    if (IsUnknownArg(*arg) || arg->type == T::kInt2 || arg->type == T::kInt4) continue;
    if (arg->type == T::kInt8) {
      any_int8 = true;
    } else if (arg->type == T::kNumeric) {
      any_numeric = true;
    } else if (arg->type == T::kTimestamp || arg->type == T::kTimestampTz ||
               arg->type == T::kDate || arg->type == T::kInterval) {
      any_datetime = true;
    } else {
      return NoSuchFunction("generate_series", args);
    }
  }
  if (any_datetime) return BindTimestampSeries(binder, std::move(args), location);
  bool any_exact = any_int8 || any_numeric;
  for (const BoundExprPtr& arg : args) any_exact |= arg->type == T::kInt4;
  if (!any_exact) {
    // int2 and unknown arguments fit the int4, int8 and numeric versions alike.
    return Status::Sql("42725", fmt::format("function generate_series({}) is not unique",
                                            ArgumentTypes(args)))
        .WithHint(
            "Could not choose a best candidate function. You might need to add explicit type "
            "casts.");
  }
  TypeId type = any_numeric ? T::kNumeric : any_int8 ? T::kInt8 : T::kInt4;
  for (BoundExprPtr& arg : args) {
    ASSIGN_OR_RETURN(arg, binder.Coerce(std::move(arg), type, "generate_series"));
  }
  return MakeCall(SetFunctionKind::kGenerateSeries, type, std::move(args), location);
}

Result<BoundExprPtr> BindUnnest(std::vector<BoundExprPtr> args, int location) {
  if (args.size() == 1 && IsUnknownArg(*args[0])) {
    return Status::Sql("42725", "function unnest(unknown) is not unique")
        .WithHint(
            "Could not choose a best candidate function. You might need to add explicit type "
            "casts.");
  }
  if (args.size() != 1 || !IsArrayType(args[0]->type)) return NoSuchFunction("unnest", args);
  TypeId element = ArrayElementType(args[0]->type);
  return MakeCall(SetFunctionKind::kUnnest, element, std::move(args), location);
}

class IntegerSeries : public SetFunctionIterator {
 public:
  IntegerSeries(TypeId type, int64_t start, int64_t stop, int64_t step)
      : type_(type), next_(start), stop_(stop), step_(step) {}

  Result<std::optional<Value>> Next() override {
    if (step_ > 0 ? next_ > stop_ : next_ < stop_) return std::optional<Value>();
    auto value = static_cast<int64_t>(next_);
    next_ += step_;
    return std::optional<Value>(Value::Int(type_, value));
  }

 private:
  TypeId type_;
  __int128 next_;  // may step past the int64 range once
  int64_t stop_;
  int64_t step_;
};

class NumericSeries : public SetFunctionIterator {
 public:
  NumericSeries(Numeric start, Numeric stop, Numeric step)
      : next_(std::move(start)), stop_(std::move(stop)), step_(std::move(step)) {}

  Result<std::optional<Value>> Next() override {
    std::optional<Value> out;
    int order = Numeric::Compare(next_, stop_);
    if (step_.negative() ? order < 0 : order > 0) return out;
    out.emplace(Value::FromNumeric(next_));
    Result<Numeric> next = Numeric::Add(next_, step_);
    if (!next.ok()) return next.status();
    next_ = std::move(*next);
    return out;
  }

 private:
  Numeric next_;
  Numeric stop_;
  Numeric step_;
};

// Each value is the previous one plus the step (so month steps drift as in PostgreSQL:
// Jan 31, Feb 29, Mar 29, ...); an infinite stop never ends (the caller's LIMIT or a cancel
// does), as in PostgreSQL 15.
class TimestampSeries : public SetFunctionIterator {
 public:
  TimestampSeries(TypeId type, int64_t start, int64_t stop, Interval step, bool ascending)
      : type_(type), next_(start), stop_(stop), step_(step), ascending_(ascending) {}

  Result<std::optional<Value>> Next() override {
    std::optional<Value> out;
    if (ascending_ ? next_ > stop_ : next_ < stop_) return out;
    out.emplace(Value::Int(type_, next_));
    Result<int64_t> next = AddIntervalToTimestamp(next_, step_);
    if (!next.ok()) return next.status();
    next_ = *next;
    return out;
  }

 private:
  TypeId type_;
  int64_t next_;
  int64_t stop_;
  Interval step_;
  bool ascending_;
};

class ValueList : public SetFunctionIterator {
 public:
  explicit ValueList(std::vector<Value> values) : values_(std::move(values)) {}

  Result<std::optional<Value>> Next() override {
    if (next_ >= values_.size()) return std::optional<Value>();
    return std::optional<Value>(std::move(values_[next_++]));
  }

 private:
  std::vector<Value> values_;
  size_t next_ = 0;
};

Result<std::unique_ptr<SetFunctionIterator>> StartSeries(TypeId type,
                                                         const std::vector<Value>& args) {
  if (type == T::kTimestamp || type == T::kTimestampTz) {
    const Interval& step = args[2].interval_value();
    __int128 span = IntervalSpanMicros(step);
    if (span == 0) return Status::Sql("22023", "step size cannot equal zero");
    return std::unique_ptr<SetFunctionIterator>(
        new TimestampSeries(type, args[0].int_value(), args[1].int_value(), step, span > 0));
  }
  if (type == T::kNumeric) {
    static constexpr const char* kNames[] = {"start value", "stop value", "step size"};
    for (size_t i = 0; i < args.size(); ++i) {
      if (args[i].numeric_value().is_nan()) {
        return Status::Sql("22023", fmt::format("{} cannot be NaN", kNames[i]));
      }
    }
    Numeric step = args.size() > 2 ? args[2].numeric_value() : Numeric::FromInt64(1);
    if (step.is_zero()) return Status::Sql("22023", "step size cannot equal zero");
    return std::unique_ptr<SetFunctionIterator>(
        new NumericSeries(args[0].numeric_value(), args[1].numeric_value(), std::move(step)));
  }
  int64_t step = args.size() > 2 ? args[2].int_value() : 1;
  if (step == 0) return Status::Sql("22023", "step size cannot equal zero");
  return std::unique_ptr<SetFunctionIterator>(
      new IntegerSeries(type, args[0].int_value(), args[1].int_value(), step));
}

}  // namespace

Result<BoundExprPtr> BindSetFunctionCall(Binder& binder, std::string_view name,
                                         std::vector<BoundExprPtr> args, int location) {
  if (IsJsonSetFunctionName(name)) {  // sql/json_functions.h (helper J)
    Result<BoundExprPtr> json = BindJsonSetFunction(binder, name, std::move(args));
    if (json.ok()) (*json)->location = location;
    if (json.ok() || json.status().position() > 0) return json;
    return binder.PositionAt(json.status(), location);
  }
  Result<BoundExprPtr> bound = name == "unnest"
                                   ? BindUnnest(std::move(args), location)
                                   : BindGenerateSeries(binder, std::move(args), location);
  if (bound.ok() || bound.status().position() > 0) return bound;
  // Positioned at the call, as PostgreSQL's ParseFuncOrColumn reports it.
  return binder.PositionAt(bound.status(), location);
}

BoundExprPtr ScalarAsSet(BoundExprPtr call) {
  TypeId type = call->type;
  int location = call->location;
  std::vector<BoundExprPtr> children;
  children.push_back(std::move(call));
  return MakeCall(SetFunctionKind::kScalar, type, std::move(children), location);
}

std::string_view SetFunctionName(SetFunctionKind kind) {
  switch (kind) {
    case SetFunctionKind::kGenerateSeries:
      return "generate_series";
    case SetFunctionKind::kUnnest:
      return "unnest";
    case SetFunctionKind::kScalar:
      return "function";
    case SetFunctionKind::kJson:
      return "json function";
  }
  return "?";
}

Result<std::unique_ptr<SetFunctionIterator>> StartSetFunction(const BoundExpr& call,
                                                              EvalContext& context) {
  BOREALIS_CHECK(call.kind == BoundKind::kSetFunction);
  if (call.set_function == SetFunctionKind::kScalar) {
    ASSIGN_OR_RETURN(Value value, Evaluate(*call.children[0], context));
    std::vector<Value> one;
    one.push_back(std::move(value));
    return std::unique_ptr<SetFunctionIterator>(new ValueList(std::move(one)));
  }
  std::vector<Value> args;
  args.reserve(call.children.size());
  for (const BoundExprPtr& child : call.children) {
    ASSIGN_OR_RETURN(Value value, Evaluate(*child, context));
    // Both functions are strict: a NULL argument gives the empty set.
    if (value.is_null()) return std::unique_ptr<SetFunctionIterator>(new ValueList({}));
    args.push_back(std::move(value));
  }
  if (call.set_function == SetFunctionKind::kJson) {  // sql/json_functions.h (helper J)
    ASSIGN_OR_RETURN(std::vector<Value> rows, JsonSetFunctionRows(call, args[0]));
    return std::unique_ptr<SetFunctionIterator>(new ValueList(std::move(rows)));
  }
  if (call.set_function == SetFunctionKind::kUnnest) {
    ASSIGN_OR_RETURN(std::vector<Value> elements, ArrayElements(args[0]));
    return std::unique_ptr<SetFunctionIterator>(new ValueList(std::move(elements)));
  }
  return StartSeries(call.type, args);
}

}  // namespace borealis::sql
