#include "sql/exec/project_set.h"

#include <optional>
#include <vector>

#include "sql/set_functions.h"

namespace borealis::sql::exec {
namespace {

using planner::PlanKind;
using planner::PlanNode;

class SetRowsOperator : public Operator {
 public:
  // `child` null: a Function Scan (one empty input row).
  SetRowsOperator(std::unique_ptr<Operator> child, const PlanNode& plan, ExecContext& context)
      : child_(std::move(child)), plan_(plan), context_(context) {}

  Result<std::optional<Row>> Next() override {
    for (;;) {
      if (!active_) {
        ASSIGN_OR_RETURN(bool started, StartNextInput());
        if (!started) return std::optional<Row>();
      }
      if (++rows_ % kSetRowsPerCancelCheck == 0) {
        RETURN_IF_ERROR(context_.eval.functions->CheckCancel());
      }
      Row out;
      if (child_) out = input_;
      out.reserve(out.size() + calls_.size() + 1);
      bool any = false;
      for (size_t i = 0; i < calls_.size(); ++i) {
        std::optional<Value> value;
        if (calls_[i]) {
          ASSIGN_OR_RETURN(value, calls_[i]->Next());
          if (!value) calls_[i].reset();
        }
        any |= value.has_value();
        out.push_back(value ? std::move(*value) : Value::Null(plan_.set_functions[i]->type));
      }
      if (!any) {
        active_ = false;
        continue;
      }
      if (plan_.with_ordinality) out.push_back(Value::Int(TypeId::kInt8, ++ordinal_));
      return std::optional<Row>(std::move(out));
    }
  }

 private:
  // Reads the next input row and starts every call over it; false at the end of the input.
  Result<bool> StartNextInput() {
    if (child_) {
      ASSIGN_OR_RETURN(std::optional<Row> row, child_->Next());
      if (!row) return false;
      input_ = std::move(*row);
    } else {
      if (scanned_) return false;
      scanned_ = true;
    }
    context_.eval.row = input_;
    calls_.clear();
    for (const BoundExprPtr& call : plan_.set_functions) {
      ASSIGN_OR_RETURN(std::unique_ptr<SetFunctionIterator> iterator,
                       StartSetFunction(*call, context_.eval));
      calls_.push_back(std::move(iterator));
    }
    ordinal_ = 0;
    active_ = true;
    return true;
  }

  std::unique_ptr<Operator> child_;
  const PlanNode& plan_;
  ExecContext& context_;
  Row input_;
  std::vector<std::unique_ptr<SetFunctionIterator>> calls_;  // null: ran out
  bool active_ = false;
  bool scanned_ = false;
  int64_t ordinal_ = 0;
  uint64_t rows_ = 0;
};

}  // namespace

std::unique_ptr<Operator> MakeProjectSetOperator(std::unique_ptr<Operator> child,
                                                 const PlanNode& plan, ExecContext& context) {
  BOREALIS_CHECK(plan.kind == PlanKind::kProjectSet && child != nullptr);
  return std::make_unique<SetRowsOperator>(std::move(child), plan, context);
}

std::unique_ptr<Operator> MakeFunctionScanOperator(const PlanNode& plan, ExecContext& context) {
  BOREALIS_CHECK(plan.kind == PlanKind::kFunctionScan);
  return std::make_unique<SetRowsOperator>(nullptr, plan, context);
}

}  // namespace borealis::sql::exec
