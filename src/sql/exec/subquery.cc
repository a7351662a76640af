#include <optional>
#include <vector>

#include "fmt/format.h"
#include "sql/catalog_types.h"
#include "sql/exec/executor.h"

namespace borealis::sql::exec {
namespace {

class Runner : public SubqueryRunner {
 public:
  Runner(std::span<const planner::PlanPtr> subplans, txn::KvTransaction* txn,
         planner::ExecutionStats* stats)
      : subplans_(subplans), txn_(txn), stats_(stats), cache_(subplans.size()) {}

  Result<Value> Run(const BoundExpr& expr, EvalContext& context) override {
    BOREALIS_CHECK(expr.kind == BoundKind::kSubquery);
    BOREALIS_CHECK_LT(static_cast<size_t>(expr.subquery_index), subplans_.size());
    if (expr.subquery == SubqueryKind::kAny) return RunAny(expr, context);
    std::optional<Value>& cached = cache_[expr.subquery_index].value;
    if (!expr.correlated && cached) return *cached;
    if (expr.subquery == SubqueryKind::kArray) {
      ASSIGN_OR_RETURN(std::vector<Value> values, Values(expr, context));
      if (values.size() > kMaxArrayElements) {
        return Status::Sql(
            "54000", fmt::format("array size exceeds the maximum allowed ({})", kMaxArrayElements));
      }
      Value array = MakeArray(expr.type, values);
      if (!expr.correlated) cached = array;
      return array;
    }
    ExecContext inner = InnerContext(context);
    ASSIGN_OR_RETURN(std::unique_ptr<Operator> op,
                     BuildOperator(*subplans_[expr.subquery_index], inner));
    ASSIGN_OR_RETURN(std::optional<Row> first, op->Next());
    Value result;
    if (expr.subquery == SubqueryKind::kExists) {
      result = Value::Bool(first.has_value());
    } else if (!first) {
      result = Value::Null(expr.type);
    } else {
      ASSIGN_OR_RETURN(std::optional<Row> second, op->Next());
      if (second) {
        return Status::Sql("21000",
                           "more than one row returned by a subquery used as an "
                           "expression");
      }
      result = (*first)[0];
    }
    if (!expr.correlated) cached = result;
    return result;
  }

 private:
  struct Cached {
    std::optional<Value> value;                // scalar / EXISTS
    std::optional<std::vector<Value>> values;  // ANY: the subquery's column
  };

  ExecContext InnerContext(EvalContext& outer) {
    ExecContext inner;
    inner.txn = txn_;
    inner.stats = stats_;
    inner.eval = EvalContext{outer.params, outer.functions, {}, this, &outer};
    return inner;
  }

  Result<std::vector<Value>> Values(const BoundExpr& expr, EvalContext& context) {
    ExecContext inner = InnerContext(context);
    ASSIGN_OR_RETURN(std::unique_ptr<Operator> op,
                     BuildOperator(*subplans_[expr.subquery_index], inner));
    std::vector<Value> values;
    for (;;) {
      ASSIGN_OR_RETURN(std::optional<Row> row, op->Next());
      if (!row) break;
      if (values.size() >= kMaxSubqueryRows) {
        return Status::Sql("54000", fmt::format("a subquery may return at most {} rows "
                                                "(kMaxSubqueryRows)",
                                                kMaxSubqueryRows));
      }
      values.push_back(std::move((*row)[0]));
    }
    return values;
  }

  // test op ANY (subquery): true if any comparison is true, else NULL if any is NULL, else false.
  Result<Value> RunAny(const BoundExpr& expr, EvalContext& context) {
    ASSIGN_OR_RETURN(Value test, Evaluate(*expr.children[0], context));
    std::optional<std::vector<Value>> fresh;
    const std::vector<Value>* values = nullptr;
    Cached& cached = cache_[expr.subquery_index];
    if (!expr.correlated && cached.values) {
      values = &*cached.values;
    } else {
      ASSIGN_OR_RETURN(fresh, Values(expr, context));
      if (!expr.correlated) {
        cached.values = std::move(fresh);
        values = &*cached.values;
      } else {
        values = &*fresh;
      }
    }
    bool saw_null = false;
    Value pair[2] = {test, Value()};
    for (const Value& value : *values) {
      pair[1] = value;
      EvalContext compare{context.params, context.functions, std::span<const Value>(pair, 2), this,
                          &context};
      ASSIGN_OR_RETURN(Value result, Evaluate(*expr.children[1], compare));
      if (result.is_null()) {
        saw_null = true;
      } else if (result.bool_value()) {
        return Value::Bool(true);
      }
    }
    return saw_null ? Value::Null(TypeId::kBool) : Value::Bool(false);
  }

  std::span<const planner::PlanPtr> subplans_;
  txn::KvTransaction* txn_;
  planner::ExecutionStats* stats_;  // EXPLAIN ANALYZE counts, or null
  std::vector<Cached> cache_;
};

}  // namespace

void AttachSubqueries(ExecContext& context, std::span<const planner::PlanPtr> subplans) {
  if (subplans.empty()) return;
  context.subquery_runner = std::make_unique<Runner>(subplans, context.txn, context.stats);
  context.eval.subqueries = context.subquery_runner.get();
}

}  // namespace borealis::sql::exec
