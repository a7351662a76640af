#include "sql/exec/relation.h"

#include <optional>
#include <unordered_map>
#include <unordered_set>

#include "fmt/format.h"
#include "sql/exec/aggregate.h"

namespace borealis::sql::exec {
namespace {

using planner::JoinType;
using planner::PlanKind;
using planner::PlanNode;

Row NullRow(const std::vector<TypeId>& types) {
  Row row;
  row.reserve(types.size());
  for (TypeId type : types) row.push_back(Value::Null(type));
  return row;
}

Row Concat(const Row& left, const Row& right) {
  Row row;
  row.reserve(left.size() + right.size());
  row.insert(row.end(), left.begin(), left.end());
  row.insert(row.end(), right.begin(), right.end());
  return row;
}

// A context for operators built below this one (a lateral right side, a derived table): same
// transaction, parameters, functions, subqueries and work tables.
std::unique_ptr<ExecContext> ChildContext(const ExecContext& parent) {
  auto child = std::make_unique<ExecContext>();
  child->txn = parent.txn;
  child->eval.params = parent.eval.params;
  child->eval.functions = parent.eval.functions;
  child->eval.subqueries = parent.eval.subqueries;
  child->eval.outer = parent.eval.outer;
  child->work_tables = parent.work_tables;
  child->stats = parent.stats;
  return child;
}

// Joins (see relation.h). Non-lateral: the right side is read once into memory (indexed by
// the hash keys when there are any), then paired with each left row.
class JoinOperator : public Operator {
 public:
  JoinOperator(std::unique_ptr<Operator> left, const PlanNode& plan, ExecContext& context)
      : left_(std::move(left)), plan_(plan), context_(context) {}

  Status Init() {
    if (!plan_.lateral) {
      ASSIGN_OR_RETURN(right_, BuildOperator(*plan_.right, context_));
      return Status::Ok();
    }
    right_context_ = ChildContext(context_);
    return Status::Ok();
  }

  Result<std::optional<Row>> Next() override {
    if (!plan_.lateral && !loaded_) RETURN_IF_ERROR(Load());
    bool pads_left = plan_.join_type == JoinType::kLeft || plan_.join_type == JoinType::kFull;
    if (!plan_.lateral && inner_.empty() && !pads_left) return std::optional<Row>();
    for (;;) {
      if (!current_) {
        if (left_done_) return EmitUnmatchedRight();
        ASSIGN_OR_RETURN(current_, left_->Next());
        if (!current_) {
          left_done_ = true;
          continue;
        }
        RETURN_IF_ERROR(context_.eval.functions->CheckCancel());
        current_matched_ = false;
        position_ = 0;
        RETURN_IF_ERROR(FindMatches());
      }
      ASSIGN_OR_RETURN(std::optional<Row> candidate, NextCandidate());
      if (!candidate) {
        bool pad = !current_matched_ &&
                   (plan_.join_type == JoinType::kLeft || plan_.join_type == JoinType::kFull);
        Row left = std::move(*current_);
        current_.reset();
        if (pad) return std::optional<Row>(Concat(left, NullRow(plan_.right_types)));
        continue;
      }
      Row row = Concat(*current_, *candidate);
      if (plan_.predicate) {
        context_.eval.row = row;
        ASSIGN_OR_RETURN(Value keep, Evaluate(*plan_.predicate, context_.eval));
        if (keep.is_null() || !keep.bool_value()) continue;
      }
      current_matched_ = true;
      if (!plan_.lateral && !matched_.empty()) matched_[candidate_index_] = true;
      return std::optional<Row>(std::move(row));
    }
  }

 private:
  bool TracksRightMatches() const {
    return plan_.join_type == JoinType::kRight || plan_.join_type == JoinType::kFull;
  }

  // The key of `row` over `keys`, or nullopt when a key is NULL (it can match nothing).
  Result<std::optional<std::string>> Key(const std::vector<BoundExprPtr>& keys, const Row& row) {
    context_.eval.row = row;
    Row values;
    for (const BoundExprPtr& key : keys) {
      ASSIGN_OR_RETURN(Value value, Evaluate(*key, context_.eval));
      if (value.is_null()) return std::optional<std::string>();
      values.push_back(std::move(value));
    }
    return std::optional<std::string>(EqualityKey(values));
  }

  Status FindMatches() {
    if (plan_.lateral) {
      lateral_values_.clear();
      for (int column : plan_.lateral_columns) {
        if (column >= 0) {
          lateral_values_.push_back((*current_)[column]);
          continue;
        }
        // Inherited from an enclosing lateral join (planner's PlanList).
        size_t inherited = static_cast<size_t>(-column - 1);
        BOREALIS_CHECK_LT(inherited, context_.lateral_row.size());
        lateral_values_.push_back(context_.lateral_row[inherited]);
      }
      right_context_->lateral_row = lateral_values_;
      right_context_->eval.outer = context_.eval.outer;
      ASSIGN_OR_RETURN(right_, BuildOperator(*plan_.right, *right_context_));
      return Status::Ok();
    }
    matches_.clear();
    if (plan_.left_keys.empty()) {
      all_inner_ = true;
      return Status::Ok();
    }
    all_inner_ = false;
    ASSIGN_OR_RETURN(std::optional<std::string> key, Key(plan_.left_keys, *current_));
    if (!key) return Status::Ok();
    auto it = index_.find(*key);
    if (it != index_.end()) matches_ = it->second;
    return Status::Ok();
  }

  Result<std::optional<Row>> NextCandidate() {
    if (plan_.lateral) return right_->Next();
    size_t count = all_inner_ ? inner_.size() : matches_.size();
    if (position_ >= count) return std::optional<Row>();
    candidate_index_ = all_inner_ ? position_ : matches_[position_];
    ++position_;
    return std::optional<Row>(inner_[candidate_index_]);
  }

  Result<std::optional<Row>> EmitUnmatchedRight() {
    if (plan_.lateral || !TracksRightMatches()) return std::optional<Row>();
    while (unmatched_position_ < inner_.size()) {
      size_t i = unmatched_position_++;
      if (!matched_[i]) return std::optional<Row>(Concat(NullRow(plan_.left_types), inner_[i]));
    }
    return std::optional<Row>();
  }

  Status Load() {
    loaded_ = true;
    for (;;) {
      ASSIGN_OR_RETURN(std::optional<Row> row, right_->Next());
      if (!row) break;
      if (inner_.size() >= kMaxJoinInnerRows) {
        return Status::Sql("54000", fmt::format("a join may hold at most {} rows of its inner "
                                                "side (kMaxJoinInnerRows)",
                                                kMaxJoinInnerRows));
      }
      if (!plan_.right_keys.empty()) {
        ASSIGN_OR_RETURN(std::optional<std::string> key, Key(plan_.right_keys, *row));
        // A NULL key matches nothing; RIGHT/FULL still pad the row, the others drop it.
        if (!key && !TracksRightMatches()) continue;
        if (key) index_[*key].push_back(inner_.size());
      }
      inner_.push_back(std::move(*row));
    }
    if (TracksRightMatches()) matched_.assign(inner_.size(), false);
    return Status::Ok();
  }

  std::unique_ptr<Operator> left_;
  std::unique_ptr<Operator> right_;
  const PlanNode& plan_;
  ExecContext& context_;
  std::unique_ptr<ExecContext> right_context_;  // lateral: the right side's context
  std::vector<Value> lateral_values_;
  bool loaded_ = false;
  bool left_done_ = false;
  std::vector<Row> inner_;
  std::vector<bool> matched_;  // RIGHT/FULL: inner rows that matched a left row
  std::unordered_map<std::string, std::vector<size_t>> index_;  // hash join: key -> inner_ rows
  std::optional<Row> current_;
  bool current_matched_ = false;
  bool all_inner_ = false;
  std::vector<size_t> matches_;
  size_t position_ = 0;
  size_t candidate_index_ = 0;
  size_t unmatched_position_ = 0;
};

class ValuesOperator : public Operator {
 public:
  ValuesOperator(const PlanNode& plan, ExecContext& context) : plan_(plan), context_(context) {}

  Result<std::optional<Row>> Next() override {
    if (next_ >= plan_.values_rows.size()) return std::optional<Row>();
    const std::vector<BoundExprPtr>& exprs = plan_.values_rows[next_++];
    context_.eval.row = {};
    Row row;
    row.reserve(exprs.size());
    for (const BoundExprPtr& expr : exprs) {
      ASSIGN_OR_RETURN(Value value, Evaluate(*expr, context_.eval));
      row.push_back(std::move(value));
    }
    return std::optional<Row>(std::move(row));
  }

 private:
  const PlanNode& plan_;
  ExecContext& context_;
  size_t next_ = 0;
};

// A derived table: its child runs one query level deeper (see relation.h).
class SubqueryScanOperator : public Operator {
 public:
  static Result<std::unique_ptr<Operator>> Make(const PlanNode& plan, ExecContext& context) {
    auto op = std::unique_ptr<SubqueryScanOperator>(new SubqueryScanOperator());
    if (plan.reads_lateral_row) {
      op->lateral_values_.assign(context.lateral_row.begin(), context.lateral_row.end());
    }
    op->outer_ = EvalContext{context.eval.params, context.eval.functions, op->lateral_values_,
                             context.eval.subqueries, context.eval.outer};
    op->inner_ = ChildContext(context);
    op->inner_->eval.outer = &op->outer_;
    ASSIGN_OR_RETURN(op->child_, BuildOperator(*plan.child, *op->inner_));
    return std::unique_ptr<Operator>(std::move(op));
  }

  Result<std::optional<Row>> Next() override { return child_->Next(); }

 private:
  SubqueryScanOperator() = default;
  std::vector<Value> lateral_values_;
  EvalContext outer_;
  std::unique_ptr<ExecContext> inner_;
  std::unique_ptr<Operator> child_;
};

class RecursiveUnionOperator : public Operator {
 public:
  RecursiveUnionOperator(const PlanNode& plan, ExecContext& context)
      : plan_(plan), context_(context) {}

  Status Init() {
    if (!context_.work_tables) {
      context_.work_tables =
          std::make_shared<std::vector<const std::vector<std::vector<Value>>*>>();
    }
    auto& tables = *context_.work_tables;
    if (tables.size() <= static_cast<size_t>(plan_.work_table)) {
      tables.resize(plan_.work_table + 1, nullptr);
    }
    ASSIGN_OR_RETURN(source_, BuildOperator(*plan_.child, context_));
    return Status::Ok();
  }

  Result<std::optional<Row>> Next() override {
    for (;;) {
      ASSIGN_OR_RETURN(std::optional<Row> row, source_->Next());
      if (row) {
        ASSIGN_OR_RETURN(bool fresh, Remember(*row));
        if (!fresh) continue;
        next_.push_back(*row);
        return row;
      }
      // The source (first the non-recursive term, then each iteration) ended.
      if (next_.empty()) return std::optional<Row>();
      RETURN_IF_ERROR(context_.eval.functions->CheckCancel());
      working_ = std::move(next_);
      next_.clear();
      (*context_.work_tables)[plan_.work_table] = &working_;
      ASSIGN_OR_RETURN(source_, BuildOperator(*plan_.right, context_));
    }
  }

 private:
  // Counts the row against the limit; with UNION (not ALL), false for a repeated row.
  Result<bool> Remember(const Row& row) {
    if (!plan_.set_all && !seen_.insert(EqualityKey(row)).second) return false;
    if (++count_ > kMaxRecursiveRows) {
      return Status::Sql("54000", fmt::format("a recursive query may produce at most {} rows "
                                              "(kMaxRecursiveRows)",
                                              kMaxRecursiveRows));
    }
    return true;
  }

  const PlanNode& plan_;
  ExecContext& context_;
  std::unique_ptr<Operator> source_;
  std::vector<Row> working_;
  std::vector<Row> next_;
  std::unordered_set<std::string> seen_;
  size_t count_ = 0;
};

class WorkTableScanOperator : public Operator {
 public:
  explicit WorkTableScanOperator(const std::vector<Row>* rows) : rows_(rows) {}

  Result<std::optional<Row>> Next() override {
    if (rows_ == nullptr || next_ >= rows_->size()) return std::optional<Row>();
    return std::optional<Row>((*rows_)[next_++]);
  }

 private:
  const std::vector<Row>* rows_;
  size_t next_ = 0;
};

}  // namespace

bool IsRelationKind(PlanKind kind) {
  switch (kind) {
    case PlanKind::kJoin:
    case PlanKind::kValues:
    case PlanKind::kSubqueryScan:
    case PlanKind::kRecursiveUnion:
    case PlanKind::kWorkTableScan:
      return true;
    default:
      return false;
  }
}

Result<std::unique_ptr<Operator>> BuildRelationOperator(const PlanNode& plan,
                                                        ExecContext& context) {
  switch (plan.kind) {
    case PlanKind::kJoin: {
      BOREALIS_CHECK(plan.child != nullptr && plan.right != nullptr);
      ASSIGN_OR_RETURN(std::unique_ptr<Operator> left, BuildOperator(*plan.child, context));
      auto join = std::make_unique<JoinOperator>(std::move(left), plan, context);
      RETURN_IF_ERROR(join->Init());
      return std::unique_ptr<Operator>(std::move(join));
    }
    case PlanKind::kValues:
      return std::unique_ptr<Operator>(new ValuesOperator(plan, context));
    case PlanKind::kSubqueryScan:
      BOREALIS_CHECK(plan.child != nullptr);
      return SubqueryScanOperator::Make(plan, context);
    case PlanKind::kRecursiveUnion: {
      BOREALIS_CHECK(plan.child != nullptr && plan.right != nullptr);
      auto op = std::make_unique<RecursiveUnionOperator>(plan, context);
      RETURN_IF_ERROR(op->Init());
      return std::unique_ptr<Operator>(std::move(op));
    }
    case PlanKind::kWorkTableScan: {
      const std::vector<Row>* rows = nullptr;
      if (context.work_tables &&
          static_cast<size_t>(plan.work_table) < context.work_tables->size()) {
        rows = (*context.work_tables)[plan.work_table];
      }
      return std::unique_ptr<Operator>(new WorkTableScanOperator(rows));
    }
    default:
      break;
  }
  return Status::Internal("not a relation plan node");
}

}  // namespace borealis::sql::exec
