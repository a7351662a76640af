#include "sql/exec/index_scan.h"

#include <limits>

#include "encoding/key.h"
#include "sql/exec/constraints.h"
#include "sql/functions.h"

namespace borealis::sql::exec {
namespace {

using encoding::Datum;
using planner::PlanNode;
using planner::TableInfo;

// A bound converted to the column's type. kNone: no row can match (NULL, or an `=` value out
// of the type's range); kBelow / kAbove: an integer beyond the type's range on that side.
enum class Fit { kValue, kNone, kBelow, kAbove };
struct Converted {
  Fit fit = Fit::kValue;
  Datum datum;  // meaningful when fit == kValue
};

Result<Converted> Convert(const Value& value, TypeId column_type, encoding::ColumnType type) {
  if (value.is_null()) return Converted{Fit::kNone, Datum::Null(type)};
  if (IsIntegerType(column_type) && IsIntegerType(value.type())) {
    Result<Value> converted = MakeInt(column_type, value.int_value());
    if (!converted.ok()) {
      return Converted{value.int_value() < 0 ? Fit::kBelow : Fit::kAbove, Datum::Null(type)};
    }
    ASSIGN_OR_RETURN(Datum datum, ToDatum(*converted, type));
    return Converted{Fit::kValue, std::move(datum)};
  }
  Value typed = IsStringType(column_type) ? value.WithType(column_type) : value;
  ASSIGN_OR_RETURN(Datum datum, ToDatum(typed, type));
  return Converted{Fit::kValue, std::move(datum)};
}

class IndexScanOperator : public Operator {
 public:
  IndexScanOperator(const PlanNode& plan, ExecContext& context) : plan_(plan), context_(context) {}

  Result<std::optional<Row>> Next() override {
    if (!started_) RETURN_IF_ERROR(Start());
    for (;;) {
      while (position_ >= batch_.size()) {
        if (done_) return std::optional<Row>();
        RETURN_IF_ERROR(Fetch());
      }
      const txn::Row& entry = batch_[position_++];
      if (plan_.index->id == catalog::kPrimaryIndexId) {  // the entry is the row
        ASSIGN_OR_RETURN(Row row, DecodeTableRow(*plan_.table, entry.key, entry.value));
        return std::optional<Row>(std::move(row));
      }
      ASSIGN_OR_RETURN(std::string primary_key,
                       PrimaryKeyOfEntry(*plan_.table, *plan_.index, entry.key, entry.value));
      ASSIGN_OR_RETURN(std::optional<std::string> value, context_.txn->Get(primary_key));
      if (!value) continue;  // cannot happen with consistent entries; the Filter is the judge
      ASSIGN_OR_RETURN(Row row, DecodeTableRow(*plan_.table, primary_key, *value));
      return std::optional<Row>(std::move(row));
    }
  }

 private:
  Status Start() {
    started_ = true;
    const TableInfo& table = *plan_.table;
    const catalog::IndexDescriptor& index = *plan_.index;
    ASSIGN_OR_RETURN(std::vector<encoding::KeyColumn> columns, IndexKeyColumns(table, index));
    encoding::KeyEncoder prefix(table.descriptor->id, index.id);
    size_t k = 0;
    for (; k < plan_.key_values.size(); ++k) {
      ASSIGN_OR_RETURN(Value value, Evaluate(*plan_.key_values[k], context_.eval));
      int position = table.descriptor->ColumnIndex(index.columns[k].column_id);
      ASSIGN_OR_RETURN(Converted converted,
                       Convert(value, table.scope.columns[position].type, columns[k].type));
      if (converted.fit != Fit::kValue) return Empty();
      RETURN_IF_ERROR(prefix.Append(columns[k], converted.datum));
    }
    std::string base = std::move(prefix).Finish();
    std::optional<std::string> base_end = encoding::PrefixEnd(base);
    BOREALIS_CHECK(base_end.has_value());
    begin_ = base;
    end_ = *base_end;
    if (!plan_.range_lower && !plan_.range_upper) return Status::Ok();
    BOREALIS_CHECK(k < columns.size());
    int position = table.descriptor->ColumnIndex(index.columns[k].column_id);
    TypeId column_type = table.scope.columns[position].type;
    bool descending = columns[k].direction == encoding::Direction::kDescending;
    // SQL lower bound: the key start (ASC) or end (DESC); upper bound the other way round.
    for (int bound = 0; bound < 2; ++bound) {
      const BoundExprPtr& expr = bound == 0 ? plan_.range_lower : plan_.range_upper;
      if (!expr) continue;
      bool inclusive = bound == 0 ? plan_.range_lower_inclusive : plan_.range_upper_inclusive;
      ASSIGN_OR_RETURN(Value value, Evaluate(*expr, context_.eval));
      ASSIGN_OR_RETURN(Converted converted, Convert(value, column_type, columns[k].type));
      bool is_lower = bound == 0;
      if (converted.fit == Fit::kNone) return Empty();
      // Beyond the type's range: either every value passes this bound or none does.
      if (converted.fit == Fit::kBelow) {
        if (is_lower) continue;
        return Empty();
      }
      if (converted.fit == Fit::kAbove) {
        if (!is_lower) continue;
        return Empty();
      }
      encoding::KeyEncoder key;
      RETURN_IF_ERROR(key.Append(columns[k], converted.datum));
      std::string at = base + key.key();
      std::optional<std::string> after = encoding::PrefixEnd(at);
      BOREALIS_CHECK(after.has_value());
      bool key_start = is_lower != descending;  // this bound limits the key range's start
      if (key_start) {
        std::string start = inclusive ? at : *after;
        if (start > begin_) begin_ = std::move(start);
      } else {
        std::string end = inclusive ? *after : at;
        if (end < end_) end_ = std::move(end);
      }
      // Non-NULL bounds never admit NULLs: skip the NULL entries at the range's edge.
    }
    if (begin_ >= end_) return Empty();
    return Status::Ok();
  }

  Status Empty() {
    done_ = true;
    batch_.clear();
    return Status::Ok();
  }

  Status Fetch() {
    ASSIGN_OR_RETURN(batch_, context_.txn->Scan(begin_, end_, kScanBatchRows, plan_.index_reverse));
    position_ = 0;
    if (batch_.size() < kScanBatchRows) {
      done_ = true;
    } else if (plan_.index_reverse) {
      end_ = batch_.back().key;  // exclusive: continue below the last key read
    } else {
      begin_ = encoding::KeySuccessor(batch_.back().key);
    }
    return Status::Ok();
  }

  const PlanNode& plan_;
  ExecContext& context_;
  bool started_ = false;
  bool done_ = false;
  std::string begin_;
  std::string end_;
  std::vector<txn::Row> batch_;
  size_t position_ = 0;
};

}  // namespace

std::unique_ptr<Operator> MakeIndexScanOperator(const planner::PlanNode& plan,
                                                ExecContext& context) {
  BOREALIS_CHECK(plan.kind == planner::PlanKind::kScan && plan.index != nullptr);
  return std::make_unique<IndexScanOperator>(plan, context);
}

}  // namespace borealis::sql::exec
