#include "sql/exec/window.h"

#include <algorithm>
#include <numeric>
#include <vector>

#include "fmt/format.h"
#include "sql/functions.h"

namespace borealis::sql::exec {
namespace {

using planner::PlanNode;

// Equality as PARTITION BY and peer groups see it: NULL equals NULL.
bool SameKey(const Value& a, const Value& b) {
  if (a.is_null() || b.is_null()) return a.is_null() && b.is_null();
  return CompareValues(a, b) == 0;
}

class WindowOperator : public Operator {
 public:
  WindowOperator(std::unique_ptr<Operator> child, const PlanNode& plan, ExecContext& context)
      : child_(std::move(child)), plan_(plan), context_(context) {}

  Result<std::optional<Row>> Next() override {
    if (!computed_) RETURN_IF_ERROR(Compute());
    if (position_ >= rows_.size()) return std::optional<Row>();
    return std::optional<Row>(std::move(rows_[position_++]));
  }

 private:
  Status Compute() {
    computed_ = true;
    for (;;) {
      ASSIGN_OR_RETURN(std::optional<Row> row, child_->Next());
      if (!row) break;
      if (rows_.size() >= kMaxSortRows) {
        return Status::Sql("54000", fmt::format("window functions over more than {} rows are "
                                                "not supported yet (kMaxSortRows)",
                                                kMaxSortRows));
      }
      rows_.push_back(std::move(*row));
    }
    // Results go into a side table first: keys are evaluated over the child's row alone.
    std::vector<Row> results(rows_.size());
    for (const BoundExprPtr& call : plan_.windows) {
      RETURN_IF_ERROR(ComputeCall(*call, results));
    }
    for (size_t i = 0; i < rows_.size(); ++i) {
      for (Value& value : results[i]) rows_[i].push_back(std::move(value));
    }
    return Status::Ok();
  }

  Status ComputeCall(const BoundExpr& call, std::vector<Row>& results) {
    BOREALIS_CHECK(call.kind == BoundKind::kWindow);
    const size_t partitions = static_cast<size_t>(call.window_partitions);
    const size_t key_count = call.children.size();
    std::vector<Row> keys(rows_.size());
    for (size_t i = 0; i < rows_.size(); ++i) {
      context_.eval.row = rows_[i];
      keys[i].reserve(key_count);
      for (const BoundExprPtr& key : call.children) {
        ASSIGN_OR_RETURN(Value value, Evaluate(*key, context_.eval));
        keys[i].push_back(std::move(value));
      }
    }
    std::vector<size_t> order(rows_.size());
    std::iota(order.begin(), order.end(), size_t{0});
    const std::vector<uint8_t>& flags = call.window_order;
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      for (size_t k = 0; k < key_count; ++k) {
        const Value& x = keys[a][k];
        const Value& y = keys[b][k];
        bool descending = k >= partitions && (flags[k - partitions] & 1) != 0;
        bool nulls_first = k >= partitions && (flags[k - partitions] & 2) != 0;
        if (x.is_null() || y.is_null()) {
          if (x.is_null() && y.is_null()) continue;
          return x.is_null() == nulls_first;
        }
        int c = CompareValues(x, y);
        if (c != 0) return descending ? c > 0 : c < 0;
      }
      return false;
    });
    auto same = [&](size_t a, size_t b, size_t from, size_t to) {
      for (size_t k = from; k < to; ++k) {
        if (!SameKey(keys[a][k], keys[b][k])) return false;
      }
      return true;
    };
    int64_t row_number = 0;
    int64_t rank = 0;
    int64_t dense_rank = 0;
    for (size_t i = 0; i < order.size(); ++i) {
      size_t row = order[i];
      bool new_partition = i == 0 || !same(order[i - 1], row, 0, partitions);
      if (new_partition) {
        row_number = 0;
        rank = 0;
        dense_rank = 0;
      }
      ++row_number;
      if (new_partition || !same(order[i - 1], row, partitions, key_count)) {
        rank = row_number;
        ++dense_rank;
      }
      int64_t value = call.window == WindowFunction::kRowNumber ? row_number
                      : call.window == WindowFunction::kRank    ? rank
                                                                : dense_rank;
      results[row].push_back(Value::Int(TypeId::kInt8, value));
    }
    return Status::Ok();
  }

  std::unique_ptr<Operator> child_;
  const PlanNode& plan_;
  ExecContext& context_;
  bool computed_ = false;
  std::vector<Row> rows_;
  size_t position_ = 0;
};

}  // namespace

std::unique_ptr<Operator> MakeWindowOperator(std::unique_ptr<Operator> child,
                                             const planner::PlanNode& plan, ExecContext& context) {
  BOREALIS_CHECK(plan.kind == planner::PlanKind::kWindow);
  return std::make_unique<WindowOperator>(std::move(child), plan, context);
}

}  // namespace borealis::sql::exec
