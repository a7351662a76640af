#include "sql/exec/executor.h"

#include <algorithm>
#include <optional>
#include <unordered_map>

#include "encoding/key.h"
#include "encoding/row.h"
#include "fmt/format.h"
#include "sql/exec/aggregate.h"
#include "sql/exec/constraints.h"
#include "sql/exec/index_scan.h"
#include "sql/exec/project_set.h"
#include "sql/exec/relation.h"
#include "sql/exec/window.h"
#include "sql/functions.h"
#include "sql/typmod.h"

namespace borealis::sql::exec {
namespace {

using encoding::ColumnType;
using encoding::Datum;
using planner::AccessKind;
using planner::PlanKind;
using planner::PlanNode;
using planner::TableInfo;

std::vector<encoding::KeyColumn> KeyColumns(const TableInfo& table, size_t count) {
  std::vector<encoding::KeyColumn> columns;
  for (size_t k = 0; k < count; ++k) {
    columns.push_back(encoding::KeyColumn{table.column_types[table.key_columns[k]]});
  }
  return columns;
}

// A key value converted to its column's type; nullopt when no row can match (NULL, or an
// integer outside the column type's range).
Result<std::optional<Value>> KeyValue(const Value& value, TypeId column_type) {
  if (value.is_null()) return std::optional<Value>();
  if (IsIntegerType(column_type) && IsIntegerType(value.type())) {
    Result<Value> converted = MakeInt(column_type, value.int_value());
    if (!converted.ok()) return std::optional<Value>();
    return std::optional<Value>(std::move(converted).value());
  }
  if (IsStringType(column_type)) return std::optional<Value>(value.WithType(column_type));
  return std::optional<Value>(value);
}

// The rows of a system-catalog relation, computed once when first pulled.
class VirtualScanOperator : public Operator {
 public:
  VirtualScanOperator(const PlanNode& plan, ExecContext& context)
      : plan_(plan), context_(context) {}

  Result<std::optional<Row>> Next() override {
    if (!started_) {
      started_ = true;
      ASSIGN_OR_RETURN(rows_, plan_.table->virtual_table->Rows(*context_.txn, context_.eval));
    }
    if (position_ >= rows_.size()) return std::optional<Row>();
    return std::optional<Row>(std::move(rows_[position_++]));
  }

 private:
  const PlanNode& plan_;
  ExecContext& context_;
  bool started_ = false;
  std::vector<Row> rows_;
  size_t position_ = 0;
};

class ScanOperator : public Operator {
 public:
  ScanOperator(const PlanNode& plan, ExecContext& context) : plan_(plan), context_(context) {}

  Result<std::optional<Row>> Next() override {
    if (!started_) RETURN_IF_ERROR(Start());
    while (position_ >= batch_.size()) {
      if (done_) return std::optional<Row>();
      RETURN_IF_ERROR(Fetch());
    }
    const txn::Row& kv = batch_[position_++];
    ASSIGN_OR_RETURN(Row row, DecodeTableRow(*plan_.table, kv.key, kv.value));
    return std::optional<Row>(std::move(row));
  }

 private:
  Status Start() {
    started_ = true;
    const TableInfo& table = *plan_.table;
    std::vector<Datum> values;
    for (size_t k = 0; k < plan_.key_values.size(); ++k) {
      ASSIGN_OR_RETURN(Value value, Evaluate(*plan_.key_values[k], context_.eval));
      int column = table.key_columns[k];
      ASSIGN_OR_RETURN(std::optional<Value> key_value,
                       KeyValue(value, table.scope.columns[column].type));
      if (!key_value) {
        done_ = true;
        return Status::Ok();
      }
      ASSIGN_OR_RETURN(Datum datum, ToDatum(*key_value, table.column_types[column]));
      values.push_back(std::move(datum));
    }
    std::vector<encoding::KeyColumn> columns = KeyColumns(table, values.size());
    uint32_t id = table.descriptor->id;
    if (plan_.access == AccessKind::kPointGet) {
      done_ = true;
      ASSIGN_OR_RETURN(std::string key,
                       encoding::EncodeKey(id, catalog::kPrimaryIndexId, columns, values));
      ASSIGN_OR_RETURN(std::optional<std::string> value, context_.txn->Get(key));
      if (value) batch_.push_back(txn::Row{std::move(key), std::move(*value)});
      return Status::Ok();
    }
    ASSIGN_OR_RETURN(encoding::KeySpan span,
                     encoding::PrefixSpan(id, catalog::kPrimaryIndexId, columns, values));
    begin_ = std::move(span.begin);
    end_ = std::move(span.end);
    return Status::Ok();
  }

  Status Fetch() {
    ASSIGN_OR_RETURN(batch_, context_.txn->Scan(begin_, end_, kScanBatchRows));
    position_ = 0;
    if (batch_.size() < kScanBatchRows) {
      done_ = true;
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

class OneRowOperator : public Operator {
 public:
  Result<std::optional<Row>> Next() override {
    if (done_) return std::optional<Row>();
    done_ = true;
    return std::optional<Row>(Row());
  }

 private:
  bool done_ = false;
};

class FilterOperator : public Operator {
 public:
  FilterOperator(std::unique_ptr<Operator> child, const BoundExpr& predicate, ExecContext& context)
      : child_(std::move(child)), predicate_(predicate), context_(context) {}

  Result<std::optional<Row>> Next() override {
    for (;;) {
      ASSIGN_OR_RETURN(std::optional<Row> row, child_->Next());
      if (!row) return row;
      RETURN_IF_ERROR(context_.eval.functions->CheckCancel());
      context_.eval.row = *row;
      ASSIGN_OR_RETURN(Value keep, Evaluate(predicate_, context_.eval));
      if (!keep.is_null() && keep.bool_value()) return row;
    }
  }

 private:
  std::unique_ptr<Operator> child_;
  const BoundExpr& predicate_;
  ExecContext& context_;
};

// FOR UPDATE and friends: every row that passed the filter becomes a lock-only key, checked
// and recorded by the adjudicator like a write, creating no version.
class LockRowsOperator : public Operator {
 public:
  LockRowsOperator(std::unique_ptr<Operator> child, const PlanNode& plan, ExecContext& context)
      : child_(std::move(child)), plan_(plan), context_(context) {}

  Result<std::optional<Row>> Next() override {
    ASSIGN_OR_RETURN(std::optional<Row> row, child_->Next());
    if (!row.has_value()) return row;
    ASSIGN_OR_RETURN(std::string key, EncodePrimaryKey(*plan_.table, *row));
    context_.txn->Lock(std::move(key));
    return row;
  }

 private:
  std::unique_ptr<Operator> child_;
  const PlanNode& plan_;
  ExecContext& context_;
};

class ProjectOperator : public Operator {
 public:
  ProjectOperator(std::unique_ptr<Operator> child, const PlanNode& plan, ExecContext& context)
      : child_(std::move(child)), plan_(plan), context_(context) {}

  Result<std::optional<Row>> Next() override {
    ASSIGN_OR_RETURN(std::optional<Row> row, child_->Next());
    if (!row) return row;
    context_.eval.row = *row;
    Row out;
    out.reserve(plan_.outputs.size());
    for (const BoundExprPtr& expr : plan_.outputs) {
      ASSIGN_OR_RETURN(Value value, Evaluate(*expr, context_.eval));
      out.push_back(std::move(value));
    }
    return std::optional<Row>(std::move(out));
  }

 private:
  std::unique_ptr<Operator> child_;
  const PlanNode& plan_;
  ExecContext& context_;
};

class SortOperator : public Operator {
 public:
  SortOperator(std::unique_ptr<Operator> child, const PlanNode& plan, ExecContext& context)
      : child_(std::move(child)), plan_(plan), context_(context) {}

  Result<std::optional<Row>> Next() override {
    if (!sorted_) RETURN_IF_ERROR(Sort());
    if (position_ >= rows_.size()) return std::optional<Row>();
    return std::optional<Row>(std::move(rows_[position_++].row));
  }

 private:
  struct Entry {
    Row keys;
    Row row;
  };

  Status Sort() {
    sorted_ = true;
    for (;;) {
      ASSIGN_OR_RETURN(std::optional<Row> row, child_->Next());
      if (!row) break;
      if (rows_.size() >= kMaxSortRows) {
        return Status::Sql("54000", fmt::format("ORDER BY of more than {} rows is not supported "
                                                "yet (kMaxSortRows)",
                                                kMaxSortRows));
      }
      context_.eval.row = *row;
      Entry entry;
      for (const planner::SortKey& key : plan_.sort_keys) {
        ASSIGN_OR_RETURN(Value value, Evaluate(*key.expr, context_.eval));
        entry.keys.push_back(std::move(value));
      }
      entry.row = std::move(*row);
      rows_.push_back(std::move(entry));
    }
    const auto& keys = plan_.sort_keys;
    std::stable_sort(rows_.begin(), rows_.end(), [&keys](const Entry& a, const Entry& b) {
      for (size_t i = 0; i < keys.size(); ++i) {
        const Value& x = a.keys[i];
        const Value& y = b.keys[i];
        if (x.is_null() || y.is_null()) {
          if (x.is_null() && y.is_null()) continue;
          return x.is_null() == keys[i].nulls_first;
        }
        int c = CompareValues(x, y);
        if (c != 0) return keys[i].descending ? c > 0 : c < 0;
      }
      return false;
    });
    return Status::Ok();
  }

  std::unique_ptr<Operator> child_;
  const PlanNode& plan_;
  ExecContext& context_;
  bool sorted_ = false;
  std::vector<Entry> rows_;
  size_t position_ = 0;
};

class LimitOperator : public Operator {
 public:
  LimitOperator(std::unique_ptr<Operator> child, const PlanNode& plan, ExecContext& context)
      : child_(std::move(child)), plan_(plan), context_(context) {}

  Result<std::optional<Row>> Next() override {
    if (!started_) {
      started_ = true;
      ASSIGN_OR_RETURN(limit_, Bound(plan_.limit.get(), "LIMIT", "2201W"));
      ASSIGN_OR_RETURN(std::optional<int64_t> offset, Bound(plan_.offset.get(), "OFFSET", "2201X"));
      for (int64_t i = 0; i < offset.value_or(0); ++i) {
        ASSIGN_OR_RETURN(std::optional<Row> skipped, child_->Next());
        if (!skipped) return skipped;
      }
    }
    if (limit_ && returned_ >= *limit_) {
      if (!plan_.with_ties || !last_keys_) return std::optional<Row>();
      // WITH TIES: the rows that sort equal to the last one counted.
      ASSIGN_OR_RETURN(std::optional<Row> row, child_->Next());
      if (!row) return row;
      ASSIGN_OR_RETURN(std::vector<Value> keys, SortKeys(*row));
      if (!SameKeys(keys, *last_keys_)) {
        last_keys_.reset();
        return std::optional<Row>();
      }
      return row;
    }
    ++returned_;
    ASSIGN_OR_RETURN(std::optional<Row> row, child_->Next());
    if (plan_.with_ties && row && limit_ && returned_ == *limit_) {
      ASSIGN_OR_RETURN(last_keys_, SortKeys(*row));
    }
    return row;
  }

 private:
  Result<std::vector<Value>> SortKeys(const Row& row) {
    EvalContext eval = context_.eval;
    eval.row = row;
    std::vector<Value> keys;
    for (const planner::SortKey& key : plan_.sort_keys) {
      ASSIGN_OR_RETURN(Value value, Evaluate(*key.expr, eval));
      keys.push_back(std::move(value));
    }
    return keys;
  }

  // Equal as ORDER BY sees rows: NULLs equal each other.
  static bool SameKeys(const std::vector<Value>& a, const std::vector<Value>& b) {
    for (size_t i = 0; i < a.size(); ++i) {
      if (a[i].is_null() || b[i].is_null()) {
        if (a[i].is_null() != b[i].is_null()) return false;
        continue;
      }
      if (CompareValues(a[i], b[i]) != 0) return false;
    }
    return true;
  }

  Result<std::optional<int64_t>> Bound(const BoundExpr* expr, const char* what,
                                       const char* sqlstate) {
    if (expr == nullptr) return std::optional<int64_t>();
    ASSIGN_OR_RETURN(Value value, Evaluate(*expr, context_.eval));
    if (value.is_null() && plan_.with_ties && std::string_view(what) == "LIMIT") {
      return Status::Sql("2201W", "row count cannot be null in FETCH FIRST ... WITH TIES clause");
    }
    if (value.is_null()) return std::optional<int64_t>();
    if (value.int_value() < 0) {
      return Status::Sql(sqlstate, fmt::format("{} must not be negative", what));
    }
    return std::optional<int64_t>(value.int_value());
  }

  std::unique_ptr<Operator> child_;
  const PlanNode& plan_;
  ExecContext& context_;
  bool started_ = false;
  std::optional<int64_t> limit_;
  int64_t returned_ = 0;
  std::optional<std::vector<Value>> last_keys_;  // WITH TIES: the keys of the last counted row
};

Status NotNullViolation(const TableInfo& table, const Row& row, size_t column) {
  std::string values;
  for (size_t i = 0; i < row.size(); ++i) {
    if (table.scope.columns[i].hidden) continue;
    values += values.empty() ? "" : ", ";
    values += row[i].is_null() ? "null" : FormatText(row[i], OutputOptions{});
  }
  return Status::Sql("23502", fmt::format("null value in column \"{}\" of relation \"{}\" "
                                          "violates not-null constraint",
                                          table.scope.columns[column].name, table.descriptor->name))
      .WithDetail(fmt::format("Failing row contains ({}).", values));
}

size_t CharacterCount(std::string_view s) {
  size_t count = 0;
  for (char c : s) count += (static_cast<uint8_t>(c) & 0xC0) != 0x80;
  return count;
}

// char(n) stores exactly n characters: blank-padded, or cut to n when only spaces follow
// (CheckRow has refused anything longer).
std::string PadCharacter(std::string s, size_t n) {
  size_t chars = CharacterCount(s);
  if (chars < n) return s.append(n - chars, ' ');
  size_t count = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<uint8_t>(s[i]) & 0xC0) != 0x80 && count++ == n) {
      s.resize(i);
      break;
    }
  }
  return s;
}

// EXPLAIN ANALYZE: counts what the operator of one plan node returns (ExecContext::stats).
class CountingOperator : public Operator {
 public:
  CountingOperator(std::unique_ptr<Operator> inner, planner::NodeStats& stats)
      : inner_(std::move(inner)), stats_(stats) {}
  Result<std::optional<Row>> Next() override {
    if (!started_) {
      started_ = true;
      ++stats_.loops;
    }
    Result<std::optional<Row>> row = inner_->Next();
    if (row.ok() && row->has_value()) ++stats_.rows;
    return row;
  }

 private:
  std::unique_ptr<Operator> inner_;
  planner::NodeStats& stats_;  // stable: unordered_map values do not move
  bool started_ = false;
};

Result<std::unique_ptr<Operator>> BuildUncountedOperator(const PlanNode& plan,
                                                         ExecContext& context);

}  // namespace

Result<std::unique_ptr<Operator>> BuildOperator(const PlanNode& plan, ExecContext& context) {
  ASSIGN_OR_RETURN(std::unique_ptr<Operator> op, BuildUncountedOperator(plan, context));
  if (context.stats == nullptr) return op;
  return std::unique_ptr<Operator>(new CountingOperator(std::move(op), (*context.stats)[&plan]));
}

namespace {

Result<std::unique_ptr<Operator>> BuildUncountedOperator(const PlanNode& plan,
                                                         ExecContext& context) {
  if (plan.kind == PlanKind::kScan && plan.table->virtual_table) {
    return std::unique_ptr<Operator>(new VirtualScanOperator(plan, context));
  }
  if (plan.kind == PlanKind::kScan && plan.index != nullptr) {
    return MakeIndexScanOperator(plan, context);  // sql/exec/index_scan.h
  }
  if (plan.kind == PlanKind::kScan)
    return std::unique_ptr<Operator>(new ScanOperator(plan, context));
  if (plan.kind == PlanKind::kOneRow) return std::unique_ptr<Operator>(new OneRowOperator());
  if (IsRelationKind(plan.kind)) return BuildRelationOperator(plan, context);
  if (plan.kind == PlanKind::kFunctionScan) return MakeFunctionScanOperator(plan, context);
  BOREALIS_CHECK(plan.child != nullptr);
  ASSIGN_OR_RETURN(std::unique_ptr<Operator> child, BuildOperator(*plan.child, context));
  switch (plan.kind) {
    case PlanKind::kFilter:
      return std::unique_ptr<Operator>(
          new FilterOperator(std::move(child), *plan.predicate, context));
    case PlanKind::kLockRows:
      return std::unique_ptr<Operator>(new LockRowsOperator(std::move(child), plan, context));
    case PlanKind::kProject:
      return std::unique_ptr<Operator>(new ProjectOperator(std::move(child), plan, context));
    case PlanKind::kSort:
      return std::unique_ptr<Operator>(new SortOperator(std::move(child), plan, context));
    case PlanKind::kLimit:
      return std::unique_ptr<Operator>(new LimitOperator(std::move(child), plan, context));
    case PlanKind::kAggregate:
      return MakeAggregateOperator(std::move(child), plan, context);
    case PlanKind::kDistinct:
      return MakeDistinctOperator(std::move(child), plan);
    case PlanKind::kWindow:
      return MakeWindowOperator(std::move(child), plan, context);
    case PlanKind::kProjectSet:
      return MakeProjectSetOperator(std::move(child), plan, context);
    case PlanKind::kSetOperation: {
      BOREALIS_CHECK(plan.right != nullptr);
      ASSIGN_OR_RETURN(std::unique_ptr<Operator> right, BuildOperator(*plan.right, context));
      return MakeSetOperationOperator(std::move(child), std::move(right), plan);
    }
    default:
      break;
  }
  return Status::Internal("unknown plan node");
}

}  // namespace

Result<Datum> ToDatum(const Value& value, ColumnType type) {
  if (value.is_null()) return Datum::Null(type);
  switch (type) {
    case ColumnType::kBool:
      return Datum::Bool(value.bool_value());
    case ColumnType::kInt2:
    case ColumnType::kInt4:
    case ColumnType::kInt8:
    case ColumnType::kDate:
    case ColumnType::kTime:
    case ColumnType::kTimestamp:
    case ColumnType::kTimestampTz:
      return Datum::Int(type, value.int_value());
    case ColumnType::kFloat4:
    case ColumnType::kFloat8:
      return Datum::Float(type, value.float_value());
    case ColumnType::kNumeric: {
      Result<encoding::Decimal> decimal =
          encoding::Decimal::Parse(value.numeric_value().ToString());
      if (!decimal.ok())
        return Status::Internal("numeric does not convert: " + decimal.status().ToString());
      return Datum::Numeric(std::move(decimal).value());
    }
    case ColumnType::kText:
    case ColumnType::kVarchar:
    case ColumnType::kBpchar:
    case ColumnType::kBytea:
      return Datum::Bytes(type, value.string_value());
    case ColumnType::kInterval: {
      const Interval& v = value.interval_value();
      return Datum::FromInterval(encoding::Interval{v.months, v.days, v.micros});
    }
    default:
      return Status::Sql("0A000", fmt::format("storing type {} is not supported yet",
                                              encoding::ColumnTypeName(type)));
  }
}

Result<Value> FromDatum(const Datum& datum, TypeId type) {
  if (datum.is_null()) return Value::Null(type);
  switch (datum.type()) {
    case ColumnType::kBool:
      return Value::Bool(datum.bool_value());
    case ColumnType::kInt2:
    case ColumnType::kInt4:
    case ColumnType::kInt8:
    case ColumnType::kDate:
    case ColumnType::kTime:
    case ColumnType::kTimestamp:
    case ColumnType::kTimestampTz:
      return Value::Int(type, datum.int_value());
    case ColumnType::kFloat4:
    case ColumnType::kFloat8:
      return Value::Float(type, datum.float_value());
    case ColumnType::kNumeric: {
      ASSIGN_OR_RETURN(Numeric numeric, Numeric::Parse(datum.decimal_value().ToString()));
      return Value::FromNumeric(std::move(numeric));
    }
    case ColumnType::kText:
    case ColumnType::kVarchar:
    case ColumnType::kBpchar:
    case ColumnType::kBytea:
      return Value::String(type, datum.bytes_value());
    case ColumnType::kInterval: {
      const encoding::Interval& v = datum.interval_value();
      return Value::FromInterval(Interval{v.months, v.days, v.micros});
    }
    default:
      return Status::Corruption("unexpected stored type");
  }
}

Result<std::string> EncodePrimaryKey(const TableInfo& table, const Row& row) {
  encoding::KeyEncoder key(table.descriptor->id, catalog::kPrimaryIndexId);
  for (int column : table.key_columns) {
    ColumnType type = table.column_types[column];
    ASSIGN_OR_RETURN(Datum datum, ToDatum(row[column], type));
    RETURN_IF_ERROR(key.Append(encoding::KeyColumn{type}, datum));
  }
  return std::move(key).Finish();
}

Result<std::string> EncodeRowValue(const TableInfo& table, const Row& row) {
  std::vector<encoding::RowColumn> columns;
  for (size_t i = 0; i < row.size(); ++i) {
    ColumnType type = table.column_types[i];
    const catalog::ColumnDescriptor& column = table.descriptor->columns[i];
    if (table.descriptor->IsKeyColumn(column.id) && encoding::KeyDecodingIsExact(type)) continue;
    if (row[i].is_null()) continue;  // absent means NULL (no ADD COLUMN defaults yet)
    if (type == ColumnType::kBpchar && column.typmod > 4) {
      Value padded = Value::String(
          row[i].type(),
          PadCharacter(row[i].string_value(), static_cast<size_t>(column.typmod - 4)));
      ASSIGN_OR_RETURN(Datum datum, ToDatum(padded, type));
      columns.push_back(encoding::RowColumn{column.id, std::move(datum)});
      continue;
    }
    ASSIGN_OR_RETURN(Datum datum, ToDatum(row[i], type));
    columns.push_back(encoding::RowColumn{column.id, std::move(datum)});
  }
  return encoding::EncodeRow(columns);
}

Result<Row> DecodeTableRow(const TableInfo& table, std::string_view key, std::string_view value) {
  const catalog::TableDescriptor& descriptor = *table.descriptor;
  Row row(descriptor.columns.size());
  std::vector<encoding::RowColumnSpec> specs;
  for (size_t i = 0; i < descriptor.columns.size(); ++i) {
    specs.push_back(encoding::RowColumnSpec{descriptor.columns[i].id, table.column_types[i]});
  }
  ASSIGN_OR_RETURN(std::vector<std::optional<Datum>> stored, encoding::DecodeRow(value, specs));
  for (size_t i = 0; i < stored.size(); ++i) {
    if (stored[i]) {
      ASSIGN_OR_RETURN(row[i], FromDatum(*stored[i], table.scope.columns[i].type));
    } else {
      row[i] = Value::Null(table.scope.columns[i].type);
    }
  }
  std::vector<encoding::KeyColumn> key_columns = KeyColumns(table, table.key_columns.size());
  ASSIGN_OR_RETURN(encoding::DecodedKey decoded, encoding::DecodeKey(key, key_columns));
  for (size_t k = 0; k < table.key_columns.size(); ++k) {
    int column = table.key_columns[k];
    if (stored[column]) continue;  // the exact value was kept in the row
    ASSIGN_OR_RETURN(row[column], FromDatum(decoded.values[k], table.scope.columns[column].type));
  }
  return row;
}

Status CheckRow(const TableInfo& table, const Row& row) {
  for (size_t i = 0; i < row.size(); ++i) {
    const catalog::ColumnDescriptor& column = table.descriptor->columns[i];
    bool required = column.not_null || table.descriptor->IsKeyColumn(column.id);
    if (row[i].is_null()) {
      if (required) return NotNullViolation(table, row, i);
      continue;
    }
    if (column.type_oid == static_cast<uint32_t>(TypeId::kVarchar) && column.typmod >= 4) {
      size_t max_chars = static_cast<size_t>(column.typmod - 4);
      const std::string& s = row[i].string_value();
      if (CharacterCount(s) > max_chars) {
        return Status::Sql("22001",
                           fmt::format("value too long for type character varying({})", max_chars));
      }
    }
    if (column.type_oid == static_cast<uint32_t>(TypeId::kBpchar) && column.typmod > 4) {
      size_t max_chars = static_cast<size_t>(column.typmod - 4);
      std::string_view s = row[i].string_value();
      while (!s.empty() && s.back() == ' ') s.remove_suffix(1);  // trailing blanks may be cut
      if (CharacterCount(s) > max_chars) {
        return Status::Sql("22001",
                           fmt::format("value too long for type character({})", max_chars));
      }
    }
  }
  return Status::Ok();
}

// Fits `row` to its columns' type modifiers, as PostgreSQL's assignment casts do: varchar(n)
// values longer than n characters only by trailing spaces are cut to n (varchar(varchar, int4,
// false); CheckRow refuses any other excess with 22001), numeric(p, s) is rounded to s digits
// (22003 when it does not fit) and the time types to their precision (sql/typmod.h).
namespace {
void FitVarchar(std::string_view s, size_t max_chars, Value& value) {
  if (s.size() <= max_chars) return;  // bytes >= characters
  size_t prefix = 0;
  for (size_t chars = 0; prefix < s.size() && chars < max_chars; ++chars) {
    ++prefix;
    while (prefix < s.size() && (static_cast<uint8_t>(s[prefix]) & 0xC0) == 0x80) ++prefix;
  }
  if (prefix == s.size() || s.find_first_not_of(' ', prefix) != std::string::npos) return;
  value = Value::String(value.type(), std::string(s.substr(0, prefix)));
}

}  // namespace

Status FitToColumns(const TableInfo& table, Row& row) {
  for (size_t i = 0; i < row.size(); ++i) {
    const catalog::ColumnDescriptor& column = table.descriptor->columns[i];
    if (row[i].is_null() || column.typmod < 0) continue;
    if (column.type_oid == static_cast<uint32_t>(TypeId::kVarchar)) {
      if (column.typmod >= kVarHeaderSize) {
        FitVarchar(row[i].string_value(), static_cast<size_t>(column.typmod - kVarHeaderSize),
                   row[i]);
      }
      continue;
    }
    ASSIGN_OR_RETURN(row[i], ApplyTypmod(row[i], column.typmod));
  }
  return Status::Ok();
}

Status InsertRow(txn::KvTransaction& txn, const TableInfo& table, Row& row,
                 FunctionContext* functions) {
  RETURN_IF_ERROR(FitToColumns(table, row));
  RETURN_IF_ERROR(CheckRow(table, row));
  RETURN_IF_ERROR(CheckConstraints(table, row, functions));
  ASSIGN_OR_RETURN(std::string key, EncodePrimaryKey(table, row));
  // A hidden row id comes from the cluster-wide row-id counter (qp/row_ids.h): no other row
  // has it, so the duplicate read (a storage round trip per row, e.g. per row of a bulk load)
  // is skipped for tables without a primary key.
  bool hidden_key =
      table.key_columns.size() == 1 && table.scope.columns[table.key_columns[0]].hidden;
  std::optional<std::string> existing;
  if (!hidden_key) {
    ASSIGN_OR_RETURN(existing, txn.Get(key));
  }
  if (existing) {
    std::string names;
    std::string values;
    for (int column : table.key_columns) {
      names += (names.empty() ? "" : ", ") + table.scope.columns[column].name;
      values += (values.empty() ? "" : ", ") + FormatText(row[column], OutputOptions{});
    }
    return Status::Sql("23505", fmt::format("duplicate key value violates unique constraint "
                                            "\"{}\"",
                                            table.descriptor->PrimaryKeyName()))
        .WithDetail(fmt::format("Key ({})=({}) already exists.", names, values));
  }
  ASSIGN_OR_RETURN(std::string value, EncodeRowValue(table, row));
  RETURN_IF_ERROR(InsertIndexEntries(txn, table, row));  // unique violations before the row
  return txn.Put(std::move(key), std::move(value));
}

Status UpdateRow(txn::KvTransaction& txn, const TableInfo& table, const Row& old_row, Row& row,
                 FunctionContext* functions) {
  RETURN_IF_ERROR(FitToColumns(table, row));
  RETURN_IF_ERROR(CheckRow(table, row));
  RETURN_IF_ERROR(CheckConstraints(table, row, functions));
  ASSIGN_OR_RETURN(std::string key, EncodePrimaryKey(table, row));
  ASSIGN_OR_RETURN(std::string value, EncodeRowValue(table, row));
  RETURN_IF_ERROR(txn.Put(std::move(key), std::move(value)));
  return UpdateIndexEntries(txn, table, old_row, row);
}

Status DeleteRow(txn::KvTransaction& txn, const TableInfo& table, const Row& row) {
  ASSIGN_OR_RETURN(std::string key, EncodePrimaryKey(table, row));
  RETURN_IF_ERROR(txn.Delete(std::move(key)));
  return DeleteIndexEntries(txn, table, row);
}

}  // namespace borealis::sql::exec
