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
    std::optional<Value> value;            // scalar / EXISTS
    std::optional<std::vector<Row>> rows;  // ANY: the subquery's rows
  };

  ExecContext InnerContext(EvalContext& outer) {
    ExecContext inner;
    inner.txn = txn_;
    inner.stats = stats_;
    inner.eval = EvalContext{outer.params, outer.functions, {}, this, &outer};
    return inner;
  }

  Result<std::vector<Row>> Rows(const BoundExpr& expr, EvalContext& context) {
    ExecContext inner = InnerContext(context);
    ASSIGN_OR_RETURN(std::unique_ptr<Operator> op,
                     BuildOperator(*subplans_[expr.subquery_index], inner));
    std::vector<Row> rows;
    for (;;) {
      ASSIGN_OR_RETURN(std::optional<Row> row, op->Next());
      if (!row) break;
      if (rows.size() >= kMaxSubqueryRows) {
        return Status::Sql("54000", fmt::format("a subquery may return at most {} rows "
                                                "(kMaxSubqueryRows)",
                                                kMaxSubqueryRows));
      }
      rows.push_back(std::move(*row));
    }
    return rows;
  }

  Result<std::vector<Value>> Values(const BoundExpr& expr, EvalContext& context) {
    ASSIGN_OR_RETURN(std::vector<Row> rows, Rows(expr, context));
    std::vector<Value> values;
    values.reserve(rows.size());
    for (Row& row : rows) values.push_back(std::move(row[0]));
    return values;
  }

  // test op ANY (subquery): true if any comparison is true, else NULL if any is NULL, else false.
  // Children: the tests (one, or a row's fields), then the comparison over the tests' columns
  // followed by a subquery row's (sql/row_expressions.h).
  Result<Value> RunAny(const BoundExpr& expr, EvalContext& context) {
    BOREALIS_CHECK_LE(size_t{2}, expr.children.size());
    size_t width = expr.children.size() - 1;
    std::vector<Value> slots(2 * width);
    for (size_t i = 0; i < width; ++i) {
      ASSIGN_OR_RETURN(slots[i], Evaluate(*expr.children[i], context));
    }
    std::optional<std::vector<Row>> fresh;
    const std::vector<Row>* rows = nullptr;
    Cached& cached = cache_[expr.subquery_index];
    if (!expr.correlated && cached.rows) {
      rows = &*cached.rows;
    } else {
      ASSIGN_OR_RETURN(fresh, Rows(expr, context));
      if (!expr.correlated) {
        cached.rows = std::move(fresh);
        rows = &*cached.rows;
      } else {
        rows = &*fresh;
      }
    }
    bool saw_null = false;
    for (const Row& row : *rows) {
      BOREALIS_CHECK_EQ(row.size(), width);
      for (size_t i = 0; i < width; ++i) slots[width + i] = row[i];
      EvalContext compare{context.params, context.functions, std::span<const Value>(slots), this,
                          &context};
      ASSIGN_OR_RETURN(Value result, Evaluate(*expr.children[width], compare));
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
