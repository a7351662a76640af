#include "sql/exec/aggregate.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <unordered_map>
#include <unordered_set>

#include "fmt/format.h"
#include "sql/catalog_types.h"
#include "sql/functions.h"
#include "sql/interval.h"
#include "sql/json_functions.h"

namespace borealis::sql::exec {
namespace {

using planner::PlanNode;

std::string Bytes(char tag, const void* data, size_t size) {
  std::string key(1, tag);
  key.append(static_cast<const char*>(data), size);
  return key;
}

// Length-prefixed, so concatenated keys stay unambiguous.
std::string StringKey(char tag, std::string_view s) {
  uint32_t size = static_cast<uint32_t>(s.size());
  std::string key = Bytes(tag, &size, sizeof(size));
  key.append(s);
  return key;
}

std::string ValueKey(const Value& value) {
  if (value.is_null()) return "N";
  switch (value.type()) {
    case TypeId::kBool:
      return value.bool_value() ? "T" : "F";
    case TypeId::kInt2:
    case TypeId::kInt4:
    case TypeId::kInt8:
    case TypeId::kOid:
    case TypeId::kDate:
    case TypeId::kTime:
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz: {
      int64_t v = value.int_value();
      return Bytes('I', &v, sizeof(v));
    }
    case TypeId::kFloat4:
    case TypeId::kFloat8: {
      double v = value.float_value();
      if (std::isnan(v)) v = std::numeric_limits<double>::quiet_NaN();  // all NaNs are equal
      if (v == 0) v = 0;                                                // -0 = 0
      return Bytes('R', &v, sizeof(v));
    }
    case TypeId::kNumeric: {
      // Equal numerics differ only in trailing fraction zeros (display scale).
      std::string text = value.numeric_value().ToString();
      if (text.find('.') != std::string::npos) {
        while (text.back() == '0') text.pop_back();
        if (text.back() == '.') text.pop_back();
      }
      return StringKey('D', text);
    }
    case TypeId::kBpchar: {
      std::string_view s = value.string_value();
      while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
      return StringKey('S', s);
    }
    case TypeId::kJsonb:  // 1.0 and 1 are equal jsonb numbers (sql/json.h)
      return StringKey('J', JsonbEqualityKey(value));
    case TypeId::kInterval: {
      // Equal intervals ('1 mon' = '30 days') group together, as PostgreSQL's interval_hash.
      __int128 span = IntervalSpanMicros(value.interval_value());
      return Bytes('V', &span, sizeof(span));
    }
    default:
      return StringKey('S', value.string_value());
  }
}

size_t ValueBytes(const Value& value) {
  size_t bytes = sizeof(Value);
  if (!value.is_null() && IsStringType(value.type())) bytes += value.string_value().size();
  return bytes;
}

Status TooLarge() {
  return Status::Sql("54000", fmt::format("hash aggregation needs more than {} bytes "
                                          "(kMaxHashAggregateBytes)",
                                          kMaxHashAggregateBytes));
}

Status FloatOverflow() { return Status::Sql("22003", "value out of range: overflow"); }

// Running state of one aggregate in one group.
struct AggregateState {
  int64_t count = 0;                                 // rows (count(*)) or non-NULL inputs
  __int128 int_sum = 0;                              // sum/avg of integers
  double float_sum = 0;                              // sum/avg of floats
  Numeric numeric_sum;                               // sum/avg of numerics
  Interval interval_sum;                             // sum/avg of intervals
  Value extreme;                                     // min/max so far (NULL until the first input)
  std::string text;                                  // string_agg so far
  std::vector<std::optional<std::string>> elements;  // array_agg's element texts so far
  std::vector<std::pair<Row, Row>> ordered;  // agg(... ORDER BY ...): (keys, arguments) per row
  std::unique_ptr<std::unordered_set<std::string>> seen;  // DISTINCT inputs
  bool seen_null = false;  // DISTINCT array_agg: a NULL was collected
};

struct Group {
  Row keys;
  std::vector<AggregateState> states;
};

Result<Numeric> NumericFromInt128(__int128 value) {
  bool negative = value < 0;
  unsigned __int128 magnitude =
      negative ? 0 - static_cast<unsigned __int128>(value) : static_cast<unsigned __int128>(value);
  std::string digits;
  do {
    digits.push_back(static_cast<char>('0' + static_cast<int>(magnitude % 10)));
    magnitude /= 10;
  } while (magnitude != 0);
  if (negative) digits.push_back('-');
  std::reverse(digits.begin(), digits.end());
  return Numeric::Parse(digits);
}

Status Accumulate(const BoundExpr& aggregate, const Value& input, AggregateState& state) {
  if (aggregate.aggregate == AggregateKind::kCountStar) {
    ++state.count;
    return Status::Ok();
  }
  if (aggregate.aggregate == AggregateKind::kArrayAgg) {  // NULLs are elements too
    if (state.elements.size() >= kMaxArrayElements) {
      return Status::Sql("54000", "array size exceeds the maximum allowed");
    }
    ++state.count;
    if (input.is_null()) {
      state.elements.push_back(std::nullopt);
    } else {
      state.elements.push_back(FormatText(input, OutputOptions{}));
    }
    return Status::Ok();
  }
  if (input.is_null()) return Status::Ok();
  ++state.count;
  switch (aggregate.aggregate) {
    case AggregateKind::kCountStar:
    case AggregateKind::kCount:
    case AggregateKind::kStringAgg:  // the text is appended by the caller (it has the delimiter)
    case AggregateKind::kArrayAgg:   // handled above
    case AggregateKind::kJsonAgg:    // collected by Feed
    case AggregateKind::kJsonObjectAgg:
      return Status::Ok();
    case AggregateKind::kSum:
    case AggregateKind::kAvg:
      switch (input.type()) {
        case TypeId::kInt2:
        case TypeId::kInt4:
        case TypeId::kInt8:
          state.int_sum += input.int_value();
          return Status::Ok();
        case TypeId::kFloat4:
        case TypeId::kFloat8: {
          double x = input.float_value();
          double sum = state.float_sum + x;
          // sum(float4) adds in float4 (float4pl); avg(float4) in float8.
          if (input.type() == TypeId::kFloat4 && aggregate.type == TypeId::kFloat4) {
            sum = static_cast<float>(static_cast<float>(state.float_sum) + static_cast<float>(x));
          }
          if (std::isinf(sum) && !std::isinf(state.float_sum) && !std::isinf(x)) {
            return FloatOverflow();
          }
          state.float_sum = sum;
          return Status::Ok();
        }
        case TypeId::kNumeric: {
          ASSIGN_OR_RETURN(state.numeric_sum,
                           Numeric::Add(state.numeric_sum, input.numeric_value()));
          return Status::Ok();
        }
        case TypeId::kInterval: {
          ASSIGN_OR_RETURN(state.interval_sum,
                           AddIntervals(state.interval_sum, input.interval_value()));
          return Status::Ok();
        }
        default:
          return Status::Internal("sum/avg of an unexpected type");
      }
    case AggregateKind::kMin:
    case AggregateKind::kMax: {
      if (state.extreme.is_null()) {
        state.extreme = input;
        return Status::Ok();
      }
      int c = CompareValues(input, state.extreme);
      if (aggregate.aggregate == AggregateKind::kMin ? c < 0 : c > 0) state.extreme = input;
      return Status::Ok();
    }
  }
  return Status::Internal("unknown aggregate");
}

Result<Value> Finish(const BoundExpr& aggregate, const AggregateState& state) {
  TypeId result = aggregate.type;
  switch (aggregate.aggregate) {
    case AggregateKind::kCountStar:
    case AggregateKind::kCount:
      return Value::Int(TypeId::kInt8, state.count);
    case AggregateKind::kMin:
    case AggregateKind::kMax:
      return state.extreme.is_null() ? Value::Null(result) : state.extreme.WithType(result);
    case AggregateKind::kStringAgg:
      return state.count == 0 ? Value::Null(result) : Value::String(TypeId::kText, state.text);
    case AggregateKind::kArrayAgg:
      return state.count == 0 ? Value::Null(result)
                              : Value::String(result, FormatArrayText(state.elements));
    case AggregateKind::kJsonAgg: {
      if (state.count == 0) return Value::Null(result);
      std::vector<std::string> elements;
      for (const std::optional<std::string>& e : state.elements) elements.push_back(*e);
      return FinishJsonAgg(result, elements);
    }
    case AggregateKind::kJsonObjectAgg: {
      if (state.count == 0) return Value::Null(result);
      std::vector<std::pair<std::string, std::string>> members;
      for (size_t i = 0; i + 1 < state.elements.size(); i += 2) {
        members.emplace_back(*state.elements[i], *state.elements[i + 1]);
      }
      return FinishJsonObjectAgg(result, members);
    }
    case AggregateKind::kSum:
    case AggregateKind::kAvg:
      break;
  }
  if (state.count == 0) return Value::Null(result);
  TypeId input = aggregate.children[0]->type;
  bool is_avg = aggregate.aggregate == AggregateKind::kAvg;
  if (IsIntegerType(input)) {
    if (!is_avg && result == TypeId::kInt8) {
      if (state.int_sum > std::numeric_limits<int64_t>::max() ||
          state.int_sum < std::numeric_limits<int64_t>::min()) {
        return IntegerOutOfRange(TypeId::kInt8);
      }
      return Value::Int(TypeId::kInt8, static_cast<int64_t>(state.int_sum));
    }
    ASSIGN_OR_RETURN(Numeric sum, NumericFromInt128(state.int_sum));
    if (!is_avg) return Value::FromNumeric(std::move(sum));
    ASSIGN_OR_RETURN(Numeric avg, Numeric::DivideByInteger(sum, state.count));
    return Value::FromNumeric(std::move(avg));
  }
  if (input == TypeId::kInterval) {
    if (!is_avg) return Value::FromInterval(state.interval_sum);
    ASSIGN_OR_RETURN(Interval avg,
                     DivideInterval(state.interval_sum, static_cast<double>(state.count)));
    return Value::FromInterval(avg);
  }
  if (input == TypeId::kNumeric) {
    if (!is_avg) return Value::FromNumeric(state.numeric_sum);
    ASSIGN_OR_RETURN(Numeric avg, Numeric::DivideByInteger(state.numeric_sum, state.count));
    return Value::FromNumeric(std::move(avg));
  }
  if (!is_avg) return Value::Float(result, state.float_sum);
  return Value::Float(TypeId::kFloat8, state.float_sum / static_cast<double>(state.count));
}

class AggregateOperator : public Operator {
 public:
  AggregateOperator(std::unique_ptr<Operator> child, const PlanNode& plan, ExecContext& context)
      : child_(std::move(child)), plan_(plan), context_(context) {}

  Result<std::optional<Row>> Next() override {
    if (!built_) RETURN_IF_ERROR(Build());
    if (position_ >= groups_.size()) return std::optional<Row>();
    Group& group = groups_[position_++];
    Row out = std::move(group.keys);
    for (size_t i = 0; i < plan_.aggregates.size(); ++i) {
      RETURN_IF_ERROR(FeedOrdered(*plan_.aggregates[i], group.states[i]));
      ASSIGN_OR_RETURN(Value value, Finish(*plan_.aggregates[i], group.states[i]));
      out.push_back(std::move(value));
    }
    return std::optional<Row>(std::move(out));
  }

 private:
  Status Build() {
    built_ = true;
    if (plan_.group_keys.empty()) groups_.push_back(NewGroup({}));
    for (;;) {
      ASSIGN_OR_RETURN(std::optional<Row> row, child_->Next());
      if (!row) break;
      RETURN_IF_ERROR(context_.eval.functions->CheckCancel());
      context_.eval.row = *row;
      size_t index = 0;
      if (!plan_.group_keys.empty()) {
        Row keys;
        for (const BoundExprPtr& key : plan_.group_keys) {
          ASSIGN_OR_RETURN(Value value, Evaluate(*key, context_.eval));
          keys.push_back(std::move(value));
        }
        std::string encoded = EqualityKey(keys);
        auto [it, inserted] = index_.try_emplace(encoded, groups_.size());
        if (inserted) {
          bytes_ += encoded.size() * 2 + sizeof(Group) + 64;
          for (const Value& v : keys) bytes_ += ValueBytes(v);
          groups_.push_back(NewGroup(std::move(keys)));
        }
        index = it->second;
      }
      RETURN_IF_ERROR(Update(groups_[index]));
      if (bytes_ > kMaxHashAggregateBytes) return TooLarge();
    }
    return Status::Ok();
  }

  Group NewGroup(Row keys) {
    Group group;
    group.keys = std::move(keys);
    group.states.resize(plan_.aggregates.size());
    bytes_ += plan_.aggregates.size() * sizeof(AggregateState);
    for (size_t i = 0; i < plan_.aggregates.size(); ++i) {
      if (plan_.aggregates[i]->aggregate_distinct) {
        group.states[i].seen = std::make_unique<std::unordered_set<std::string>>();
      }
    }
    return group;
  }

  Status Update(Group& group) {
    for (size_t i = 0; i < plan_.aggregates.size(); ++i) {
      const BoundExpr& aggregate = *plan_.aggregates[i];
      AggregateState& state = group.states[i];
      size_t order_keys = aggregate.window_order.size();
      size_t arg_count = aggregate.children.size() - order_keys;
      Row args;
      for (size_t a = 0; a < arg_count; ++a) {
        ASSIGN_OR_RETURN(Value value, Evaluate(*aggregate.children[a], context_.eval));
        args.push_back(std::move(value));
      }
      if (order_keys == 0) {
        RETURN_IF_ERROR(Feed(aggregate, state, args));
        continue;
      }
      // agg(... ORDER BY ...): keep the row's arguments and keys; FeedOrdered sorts them.
      Row keys;
      for (size_t k = arg_count; k < aggregate.children.size(); ++k) {
        ASSIGN_OR_RETURN(Value value, Evaluate(*aggregate.children[k], context_.eval));
        keys.push_back(std::move(value));
      }
      for (const Value& v : args) bytes_ += ValueBytes(v);
      for (const Value& v : keys) bytes_ += ValueBytes(v);
      bytes_ += 64;
      state.ordered.emplace_back(std::move(keys), std::move(args));
    }
    return Status::Ok();
  }

  // One input row (the aggregate's evaluated arguments) into the state.
  Status Feed(const BoundExpr& aggregate, AggregateState& state, const Row& args) {
    Value input = args.empty() ? Value() : args[0];
    if (state.seen != nullptr && !input.is_null()) {
      std::string encoded = EqualityKey(std::span<const Value>(&input, 1));
      size_t size = encoded.size();
      if (!state.seen->insert(std::move(encoded)).second) return Status::Ok();
      bytes_ += size + 48;
    }
    if (state.seen != nullptr && input.is_null()) {  // DISTINCT: NULLs are one value
      if (state.seen_null) return Status::Ok();
      state.seen_null = true;
    }
    // min/max keep a copy of a value; count it once per change at most.
    if (aggregate.aggregate == AggregateKind::kMin || aggregate.aggregate == AggregateKind::kMax) {
      if (state.extreme.is_null() && !input.is_null()) bytes_ += ValueBytes(input);
    }
    if (aggregate.aggregate == AggregateKind::kStringAgg && !input.is_null()) {
      const Value& delimiter = args[1];
      size_t before = state.text.size();
      if (state.count > 0 && !delimiter.is_null()) state.text += delimiter.string_value();
      state.text += input.string_value();
      bytes_ += state.text.size() - before;
    }
    if (aggregate.aggregate == AggregateKind::kArrayAgg) {
      bytes_ += (input.is_null() ? 0 : ValueBytes(input)) + 40;
    }
    if (aggregate.aggregate == AggregateKind::kJsonAgg ||
        aggregate.aggregate == AggregateKind::kJsonObjectAgg) {
      return FeedJson(aggregate, state, args);
    }
    return Accumulate(aggregate, input, state);
  }

  // json(b)_agg: every input (NULL too) as JSON text; json(b)_object_agg: key text, value JSON.
  Status FeedJson(const BoundExpr& aggregate, AggregateState& state, const Row& args) {
    if (state.elements.size() + 2 > kMaxArrayElements) {
      return Status::Sql("54000", "json aggregate exceeds the maximum number of elements");
    }
    OutputOptions options;
    if (aggregate.aggregate == AggregateKind::kJsonObjectAgg) {
      if (args[0].is_null()) return Status::Sql("22023", "field name must not be null");
      state.elements.push_back(args[0].type() == TypeId::kBool
                                   ? std::string(args[0].bool_value() ? "true" : "false")
                                   : FormatText(args[0], options));
      bytes_ += state.elements.back()->size();
    }
    ASSIGN_OR_RETURN(std::string text, ValueToJsonText(args.back(), options));
    bytes_ += text.size() + 40;
    state.elements.push_back(std::move(text));
    ++state.count;
    return Status::Ok();
  }

  // The rows an ordered aggregate kept, sorted by its keys (stable: ties keep input order).
  Status FeedOrdered(const BoundExpr& aggregate, AggregateState& state) {
    if (state.ordered.empty()) return Status::Ok();
    const std::vector<uint8_t>& flags = aggregate.window_order;
    auto before = [&flags](const std::pair<Row, Row>& a, const std::pair<Row, Row>& b) {
      for (size_t k = 0; k < flags.size(); ++k) {
        const Value& x = a.first[k];
        const Value& y = b.first[k];
        bool descending = (flags[k] & 1) != 0;
        bool nulls_first = (flags[k] & 2) != 0;
        if (x.is_null() || y.is_null()) {
          if (x.is_null() && y.is_null()) continue;
          return x.is_null() == nulls_first;
        }
        int c = CompareValues(x, y);
        if (c != 0) return descending ? c > 0 : c < 0;
      }
      return false;
    };
    std::stable_sort(state.ordered.begin(), state.ordered.end(), before);
    std::vector<std::pair<Row, Row>> rows = std::move(state.ordered);
    state.ordered.clear();
    for (const auto& [keys, args] : rows) RETURN_IF_ERROR(Feed(aggregate, state, args));
    return Status::Ok();
  }

  std::unique_ptr<Operator> child_;
  const PlanNode& plan_;
  ExecContext& context_;
  bool built_ = false;
  std::unordered_map<std::string, size_t> index_;
  std::vector<Group> groups_;
  size_t position_ = 0;
  size_t bytes_ = 0;
};

class DistinctOperator : public Operator {
 public:
  explicit DistinctOperator(std::unique_ptr<Operator> child) : child_(std::move(child)) {}

  Result<std::optional<Row>> Next() override {
    for (;;) {
      ASSIGN_OR_RETURN(std::optional<Row> row, child_->Next());
      if (!row) return row;
      std::string encoded = EqualityKey(*row);
      size_t size = encoded.size();
      if (!seen_.insert(std::move(encoded)).second) continue;
      bytes_ += size + 48;
      if (bytes_ > kMaxHashAggregateBytes) return TooLarge();
      return row;
    }
  }

 private:
  std::unique_ptr<Operator> child_;
  std::unordered_set<std::string> seen_;
  size_t bytes_ = 0;
};

class SetOperationOperator : public Operator {
 public:
  SetOperationOperator(std::unique_ptr<Operator> left, std::unique_ptr<Operator> right,
                       const PlanNode& plan)
      : left_(std::move(left)), right_(std::move(right)), plan_(plan) {}

  Result<std::optional<Row>> Next() override {
    if (plan_.set_operation == SetOperation::kUnion) return NextUnion();
    if (!built_) RETURN_IF_ERROR(CountRight());
    for (;;) {
      ASSIGN_OR_RETURN(std::optional<Row> row, left_->Next());
      if (!row) return row;
      std::string key = EqualityKey(*row);
      auto it = right_counts_.find(key);
      bool in_right = it != right_counts_.end() && it->second > 0;
      bool intersect = plan_.set_operation == SetOperation::kIntersect;
      if (plan_.set_all) {
        // INTERSECT ALL: min(m, n) copies; EXCEPT ALL: max(m - n, 0) copies.
        if (in_right) --it->second;
        if (in_right == intersect) return row;
        continue;
      }
      if (in_right != intersect) continue;
      if (!Remember(std::move(key))) continue;
      if (bytes_ > kMaxHashAggregateBytes) return TooLarge();
      return row;
    }
  }

 private:
  Result<std::optional<Row>> NextUnion() {
    for (;;) {
      ASSIGN_OR_RETURN(std::optional<Row> row, left_done_ ? right_->Next() : left_->Next());
      if (!row) {
        if (left_done_) return row;
        left_done_ = true;
        continue;
      }
      if (plan_.set_all) return row;
      if (!Remember(EqualityKey(*row))) continue;
      if (bytes_ > kMaxHashAggregateBytes) return TooLarge();
      return row;
    }
  }

  // False when the row was emitted before.
  bool Remember(std::string key) {
    size_t size = key.size();
    if (!emitted_.insert(std::move(key)).second) return false;
    bytes_ += size + 48;
    return true;
  }

  Status CountRight() {
    built_ = true;
    for (;;) {
      ASSIGN_OR_RETURN(std::optional<Row> row, right_->Next());
      if (!row) return Status::Ok();
      std::string key = EqualityKey(*row);
      bytes_ += key.size() + 56;
      ++right_counts_[std::move(key)];
      if (bytes_ > kMaxHashAggregateBytes) return TooLarge();
    }
  }

  std::unique_ptr<Operator> left_;
  std::unique_ptr<Operator> right_;
  const PlanNode& plan_;
  bool built_ = false;
  bool left_done_ = false;
  std::unordered_map<std::string, int64_t> right_counts_;
  std::unordered_set<std::string> emitted_;
  size_t bytes_ = 0;
};

}  // namespace

std::unique_ptr<Operator> MakeSetOperationOperator(std::unique_ptr<Operator> left,
                                                   std::unique_ptr<Operator> right,
                                                   const PlanNode& plan) {
  BOREALIS_CHECK(plan.kind == planner::PlanKind::kSetOperation);
  return std::make_unique<SetOperationOperator>(std::move(left), std::move(right), plan);
}

std::string EqualityKey(std::span<const Value> values) {
  std::string key;
  for (const Value& value : values) key += ValueKey(value);
  return key;
}

std::unique_ptr<Operator> MakeAggregateOperator(std::unique_ptr<Operator> child,
                                                const PlanNode& plan, ExecContext& context) {
  BOREALIS_CHECK(plan.kind == planner::PlanKind::kAggregate);
  return std::make_unique<AggregateOperator>(std::move(child), plan, context);
}

std::unique_ptr<Operator> MakeDistinctOperator(std::unique_ptr<Operator> child,
                                               const PlanNode& plan) {
  BOREALIS_CHECK(plan.kind == planner::PlanKind::kDistinct);
  return std::make_unique<DistinctOperator>(std::move(child));
}

}  // namespace borealis::sql::exec
