#include "qp/bulk_statements.h"

#include <algorithm>
#include <set>
#include <utility>

#include "catalog/indexes.h"
#include "encoding/row.h"
#include "fmt/format.h"
#include "qp/index_statements.h"
#include "qp/roles.h"
#include "qp/select_binder.h"
#include "qp/sequence_statements.h"
#include "qp/table_statements.h"
#include "sql/datetime.h"
#include "sql/datetime_input.h"
#include "sql/exec/executor.h"
#include "sql/parser.h"
#include "sql/planner/checks.h"

namespace borealis::qp {
namespace {

using sql::TypeId;
using sql::Value;
using sql::planner::TableInfo;

Status NoSuchRelation(const sql::TableRef& ref) {
  return Status::Sql("42P01", fmt::format("relation \"{}\" does not exist", QualifiedName(ref)));
}

Result<std::shared_ptr<const catalog::TableDescriptor>> RequireTable(
    const sql::TableRef& ref, txn::KvTransaction& txn, catalog::DescriptorCache& cache) {
  ASSIGN_OR_RETURN(auto table, FindTable(ref, txn, cache));
  if (!table) return NoSuchRelation(ref);
  return table;
}

Result<std::unique_ptr<TableInfo>> MakeInfo(std::shared_ptr<const catalog::TableDescriptor> table) {
  std::string name = table->name;
  ASSIGN_OR_RETURN(TableInfo info, sql::planner::MakeTableInfo(std::move(table), name));
  ASSIGN_OR_RETURN(info.checks, sql::planner::BindChecks(*info.descriptor, info.scope));
  return std::make_unique<TableInfo>(std::move(info));
}

// Calls `visit` with every row (key, value) of the table's primary index, in batches.
Status ForEachRow(txn::KvTransaction& txn, uint32_t table_id, size_t batch,
                  const std::function<Status(const txn::Row&)>& visit) {
  encoding::KeySpan span = catalog::TableRowSpan(table_id);
  std::string begin = span.begin;
  for (;;) {
    ASSIGN_OR_RETURN(std::vector<txn::Row> rows, txn.Scan(begin, span.end, batch));
    for (const txn::Row& row : rows) RETURN_IF_ERROR(visit(row));
    if (rows.size() < batch) return Status::Ok();
    begin = encoding::KeySuccessor(rows.back().key);
  }
}

}  // namespace

// ---- TRUNCATE --------------------------------------------------------------------------------

Result<std::string> RunTruncate(const sql::TruncateStatement& truncate, txn::KvTransaction& txn,
                                catalog::DescriptorCache& cache) {
  std::vector<std::shared_ptr<const catalog::TableDescriptor>> tables;
  std::set<uint32_t> seen;
  for (const sql::TableRef& ref : truncate.tables) {
    ASSIGN_OR_RETURN(auto table, RequireTable(ref, txn, cache));
    RETURN_IF_ERROR(CheckTablePrivilege(txn, *table, catalog::kAclTruncate));  // qp/roles.h
    if (seen.insert(table->id).second) tables.push_back(std::move(table));
  }
  // CASCADE has no foreign keys to follow yet.
  for (const auto& table : tables) {
    // RESTART IDENTITY: the sequences the table's columns own (qp/sequence_statements.h).
    if (truncate.restart_identity) RETURN_IF_ERROR(RestartOwnedSequences(txn, *table));
    std::string version_key = catalog::SchemaVersionKey(table->id);
    txn.AddCheckKey(version_key);
    RETURN_IF_ERROR(txn.Put(version_key, catalog::EncodeInt(static_cast<int64_t>(table->version))));
    encoding::KeySpan span = catalog::TableSpan(table->id);  // rows and index entries
    std::string begin = span.begin;
    for (;;) {
      ASSIGN_OR_RETURN(std::vector<txn::Row> rows,
                       txn.Scan(begin, span.end, kTruncateScanBatchRows));
      for (const txn::Row& row : rows) RETURN_IF_ERROR(txn.Delete(row.key));
      if (rows.size() < kTruncateScanBatchRows) break;
      begin = encoding::KeySuccessor(rows.back().key);
    }
  }
  return std::string("TRUNCATE TABLE");
}

// ---- VACUUM / ANALYZE ------------------------------------------------------------------------

Result<std::string> RunVacuum(const sql::VacuumStatement& vacuum, txn::KvTransaction& txn,
                              catalog::DescriptorCache& cache) {
  for (const sql::OptionItem& option : vacuum.options) {
    static const std::set<std::string> kKnown = {
        "verbose",     "analyze",       "freeze",        "full",     "disable_page_skipping",
        "skip_locked", "index_cleanup", "process_toast", "truncate", "parallel"};
    if (kKnown.count(option.name) == 0) {
      return Status::Sql("42601",
                         fmt::format("unrecognized {} option \"{}\"",
                                     vacuum.is_vacuum ? "VACUUM" : "ANALYZE", option.name));
    }
  }
  for (const sql::TableRef& ref : vacuum.tables) {
    RETURN_IF_ERROR(RequireTable(ref, txn, cache).status());
  }
  return std::string(vacuum.is_vacuum ? "VACUUM" : "ANALYZE");
}

// ---- COPY FROM STDIN -------------------------------------------------------------------------

namespace {

Result<std::vector<bool>> ColumnFlags(const std::vector<std::string>& names,
                                      const std::vector<int>& targets, const TableInfo& table,
                                      const char* option) {
  std::vector<bool> flags(targets.size(), false);
  for (const std::string& name : names) {
    bool found = false;
    for (size_t i = 0; i < targets.size(); ++i) {
      if (table.scope.columns[targets[i]].name == name) {
        flags[i] = true;
        found = true;
      }
    }
    if (!found) {
      return Status::Sql("42P10",
                         fmt::format("{} column \"{}\" not referenced by COPY", option, name));
    }
  }
  return flags;
}

// The table columns COPY names (all visible ones when `columns` is empty).
Result<std::vector<int>> CopyTargets(const std::vector<sql::NamedColumn>& columns,
                                     const TableInfo& table) {
  std::vector<int> targets;
  if (columns.empty()) {
    for (size_t i = 0; i < table.scope.columns.size(); ++i) {
      if (!table.scope.columns[i].hidden) targets.push_back(static_cast<int>(i));
    }
    return targets;
  }
  for (const sql::NamedColumn& column : columns) {
    int found = -1;
    for (size_t i = 0; i < table.scope.columns.size(); ++i) {
      if (!table.scope.columns[i].hidden && table.scope.columns[i].name == column.name) {
        found = static_cast<int>(i);
      }
    }
    if (found < 0) {
      return Status::Sql("42703", fmt::format("column \"{}\" of relation \"{}\" does not exist",
                                              column.name, table.descriptor->name));
    }
    if (std::find(targets.begin(), targets.end(), found) != targets.end()) {
      return Status::Sql("42701",
                         fmt::format("column \"{}\" specified more than once", column.name));
    }
    targets.push_back(found);
  }
  return targets;
}

// varchar(n) / char(n): at most n characters (trailing blanks of char(n) do not count).
Status CheckLength(const catalog::ColumnDescriptor& column, const Value& value) {
  bool varchar = column.type_oid == static_cast<uint32_t>(TypeId::kVarchar);
  bool character = column.type_oid == static_cast<uint32_t>(TypeId::kBpchar);
  if ((!varchar && !character) || column.typmod <= 4 || value.is_null()) return Status::Ok();
  std::string_view s = value.string_value();
  if (character) {
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  }
  size_t chars = 0;
  for (char c : s) chars += (static_cast<uint8_t>(c) & 0xC0) != 0x80;
  size_t limit = static_cast<size_t>(column.typmod - 4);
  if (chars <= limit) return Status::Ok();
  return Status::Sql("22001", fmt::format("value too long for type {}({})",
                                          varchar ? "character varying" : "character", limit));
}

}  // namespace

Result<std::unique_ptr<CopyIn>> CopyIn::Start(const sql::CopyStatement& copy,
                                              const std::string& source, txn::KvTransaction& txn,
                                              catalog::DescriptorCache& cache,
                                              std::function<int64_t()> next_row_id,
                                              sql::FunctionContext* functions) {
  BOREALIS_CHECK(copy.is_from && copy.table.has_value());
  ASSIGN_OR_RETURN(CopyOptions options, ParseCopyOptions(copy.options, true, source));
  ASSIGN_OR_RETURN(auto descriptor, RequireTable(*copy.table, txn, cache));
  RETURN_IF_ERROR(CheckTablePrivilege(txn, *descriptor, catalog::kAclInsert));  // qp/roles.h
  std::unique_ptr<CopyIn> in(new CopyIn(txn, options));
  ASSIGN_OR_RETURN(in->table_, MakeInfo(std::move(descriptor)));
  const TableInfo& table = *in->table_;
  ASSIGN_OR_RETURN(in->targets_, CopyTargets(copy.columns, table));
  ASSIGN_OR_RETURN(in->force_not_null_,
                   ColumnFlags(options.force_not_null, in->targets_, table, "FORCE_NOT_NULL"));
  ASSIGN_OR_RETURN(in->force_null_,
                   ColumnFlags(options.force_null, in->targets_, table, "FORCE_NULL"));
  for (size_t i = 0; i < table.scope.columns.size(); ++i) {
    const catalog::ColumnDescriptor& column = table.descriptor->columns[i];
    TypeId type = table.scope.columns[i].type;
    if (column.default_text) {
      ASSIGN_OR_RETURN(Value value, sql::ParseText(type, *column.default_text));
      in->defaults_.push_back(std::move(value));
    } else {
      in->defaults_.push_back(Value::Null(type));
    }
  }
  for (size_t i = 0; i < table.scope.columns.size(); ++i) {
    const catalog::ColumnDescriptor& column = table.descriptor->columns[i];
    bool filled = std::find(in->targets_.begin(), in->targets_.end(), static_cast<int>(i)) !=
                  in->targets_.end();
    if (!column.default_expression || filled) continue;
    ASSIGN_OR_RETURN(sql::BoundExprPtr expr,
                     BindDefaultExpression(*column.default_expression, table.scope.columns[i].type,
                                           column.name));
    in->default_expressions_.emplace_back(static_cast<int>(i), std::move(expr));
  }
  in->next_row_id_ = std::move(next_row_id);
  in->functions_ = functions;
  txn.AddCheckKey(catalog::SchemaVersionKey(table.descriptor->id));
  return in;
}

Status CopyIn::WithLine(Status status) const {
  if (status.ok() || !status.context().empty()) return status;
  return std::move(status).WithContext(
      fmt::format("COPY {}, line {}", table_->descriptor->name, error_line_));
}

Status CopyIn::InsertRecord(const CopyRecord& record) {
  const TableInfo& table = *table_;
  auto context = [&](Status status) {
    std::string raw = record.raw;
    return std::move(status).WithContext(
        fmt::format("COPY {}, line {}: \"{}\"", table.descriptor->name, record.line, raw));
  };
  if (record.fields.size() > targets_.size()) {
    return context(Status::Sql("22P04", "extra data after last expected column"));
  }
  if (record.fields.size() < targets_.size()) {
    return context(Status::Sql(
        "22P04", fmt::format("missing data for column \"{}\"",
                             table.scope.columns[targets_[record.fields.size()]].name)));
  }
  sql::exec::Row row = defaults_;
  for (size_t i = 0; i < row.size(); ++i) {
    if (table.scope.columns[i].hidden) row[i] = Value::Int(TypeId::kInt8, next_row_id_());
  }
  for (const auto& [column, expr] : default_expressions_) {
    sql::EvalContext eval{{}, functions_};
    Result<Value> value = sql::Evaluate(*expr, eval);
    if (!value.ok()) return context(value.status());
    row[column] = std::move(value).value();
  }
  for (size_t f = 0; f < targets_.size(); ++f) {
    int column = targets_[f];
    TypeId type = table.scope.columns[column].type;
    std::optional<std::string> text = record.fields[f];
    if (!text && force_not_null_[f]) text = options_.null_string;
    if (text && force_null_[f] && record.quoted[f] && *text == options_.null_string) {
      text.reset();
    }
    if (!text) {
      row[column] = Value::Null(type);
      continue;
    }
    // Dates and times are read in the session's DateStyle order, as PostgreSQL's COPY does.
    Result<Value> value = sql::IsDateTimeType(type) && functions_ != nullptr
                              ? sql::ParseDateTimeInContext(type, *text, *functions_)
                              : sql::ParseText(type, *text);
    if (!value.ok()) {
      return Status(value.status())
          .WithContext(fmt::format("COPY {}, line {}, column {}: \"{}\"", table.descriptor->name,
                                   record.line, table.scope.columns[column].name, *text));
    }
    row[column] = std::move(value).value();
    // Length limits are part of the input conversion in PostgreSQL (the column context).
    Status length = CheckLength(table.descriptor->columns[column], row[column]);
    if (!length.ok()) {
      return std::move(length).WithContext(fmt::format("COPY {}, line {}, column {}: \"{}\"",
                                                       table.descriptor->name, record.line,
                                                       table.scope.columns[column].name, *text));
    }
  }
  // InsertRow skips the duplicate read for hidden row ids (no round trip per row).
  Status written = sql::exec::InsertRow(txn_, table, row, functions_);
  if (!written.ok()) return context(std::move(written));
  ++rows_;
  return Status::Ok();
}

Status CopyIn::InsertRecords() {
  for (const CopyRecord& record : records_) RETURN_IF_ERROR(InsertRecord(record));
  records_.clear();
  return Status::Ok();
}

Status CopyIn::Feed(std::string_view data) {
  error_line_ = parser_.line() + 1;
  RETURN_IF_ERROR(WithLine(parser_.Feed(data, records_)));
  return InsertRecords();
}

Result<uint64_t> CopyIn::Finish() {
  error_line_ = parser_.line() + 1;
  RETURN_IF_ERROR(WithLine(parser_.Finish(records_)));
  RETURN_IF_ERROR(InsertRecords());
  return rows_;
}

// ---- COPY TO STDOUT --------------------------------------------------------------------------

Result<uint64_t> RunCopyTo(const sql::CopyStatement& copy,
                           std::shared_ptr<const std::string> source, txn::KvTransaction& txn,
                           catalog::DescriptorCache& cache, sql::EvalContext eval,
                           const sql::OutputOptions& output,
                           const std::function<Status(size_t)>& begin,
                           const std::function<Status(std::string_view)>& emit) {
  ASSIGN_OR_RETURN(CopyOptions options, ParseCopyOptions(copy.options, false, *source));
  // COPY t TO is SELECT cols FROM t; COPY (query) TO runs the query.
  sql::SelectStatement table_select;
  const sql::SelectStatement* select = copy.query.get();
  if (select == nullptr) {
    BOREALIS_CHECK(copy.table.has_value());
    ASSIGN_OR_RETURN(auto descriptor, RequireTable(*copy.table, txn, cache));
    RETURN_IF_ERROR(CheckTablePrivilege(txn, *descriptor, catalog::kAclSelect));  // qp/roles.h
    ASSIGN_OR_RETURN(auto info, MakeInfo(descriptor));
    ASSIGN_OR_RETURN(std::vector<int> targets, CopyTargets(copy.columns, *info));
    for (int column : targets) {
      auto ref = std::make_unique<sql::ColumnRefExpr>(-1);
      ref->names.push_back(info->scope.columns[column].name);
      sql::ResultTarget target;
      target.expr = std::move(ref);
      table_select.targets.push_back(std::move(target));
    }
    sql::FromItem item;
    item.kind = sql::FromKind::kTable;
    item.table = *copy.table;
    table_select.from.push_back(std::move(item));
    select = &table_select;
  } else if (!copy.columns.empty()) {
    return Status::Sql("42601", "COPY (query) cannot have a column list");
  }
  ASSIGN_OR_RETURN(std::shared_ptr<const TablePlan> plan,
                   BindTableStatement(*select, source, {}, txn, cache));
  if (!plan->parameter_types.empty()) {
    return Status::Sql("42P02", "there is no parameter $1");
  }
  std::vector<bool> force_quote(plan->column_names.size(), options.force_quote_all);
  for (const std::string& name : options.force_quote) {
    bool found = false;
    for (size_t i = 0; i < plan->column_names.size(); ++i) {
      if (plan->column_names[i] == name) force_quote[i] = found = true;
    }
    if (!found) {
      return Status::Sql("42P10",
                         fmt::format("FORCE_QUOTE column \"{}\" not referenced by COPY", name));
    }
  }
  RETURN_IF_ERROR(begin(plan->column_names.size()));
  std::string line;
  if (options.header) {
    std::vector<std::optional<std::string>> names(plan->column_names.begin(),
                                                  plan->column_names.end());
    FormatCopyRecord(options, names, {}, line);
    RETURN_IF_ERROR(emit(line));
  }
  sql::exec::ExecContext context;
  context.txn = &txn;
  context.eval = eval;
  sql::exec::AttachSubqueries(context, plan->subplans);
  ASSIGN_OR_RETURN(std::unique_ptr<sql::exec::Operator> op,
                   sql::exec::BuildOperator(*plan->plan, context));
  uint64_t rows = 0;
  std::vector<std::optional<std::string>> fields;
  for (;;) {
    if (eval.functions != nullptr) RETURN_IF_ERROR(eval.functions->CheckCancel());
    ASSIGN_OR_RETURN(std::optional<sql::exec::Row> row, op->Next());
    if (!row) break;
    fields.clear();
    for (const Value& value : *row) {
      if (value.is_null()) {
        fields.emplace_back(std::nullopt);
      } else {
        fields.emplace_back(sql::FormatText(value, output));
      }
    }
    line.clear();
    FormatCopyRecord(options, fields, force_quote, line);
    RETURN_IF_ERROR(emit(line));
    ++rows;
  }
  return rows;
}

// ---- ALTER TABLE -----------------------------------------------------------------------------

namespace {

struct AlterContext {
  const sql::AlterTableStatement& alter;
  std::shared_ptr<const std::string> source;
  txn::KvTransaction& txn;
  catalog::DescriptorCache& cache;
  std::vector<Notice>& notices;
};

Status NoSuchColumn(const std::string& column, const catalog::TableDescriptor& table) {
  return Status::Sql(
      "42703", fmt::format("column \"{}\" of relation \"{}\" does not exist", column, table.name));
}

catalog::ColumnDescriptor* FindVisibleColumn(catalog::TableDescriptor& table,
                                             const std::string& name) {
  for (catalog::ColumnDescriptor& column : table.columns) {
    if (!column.hidden && column.name == name) return &column;
  }
  return nullptr;
}

bool HasRows(txn::KvTransaction& txn, uint32_t table_id) {
  encoding::KeySpan span = catalog::TableRowSpan(table_id);
  Result<std::vector<txn::Row>> rows = txn.Scan(span.begin, span.end, 1);
  return !rows.ok() || !rows->empty();
}

// A DEFAULT (a constant, as CREATE TABLE accepts) in the column type's text form; nullopt for
// NULL.
Result<std::optional<std::string>> DefaultText(const sql::ParsedExpr& expr, TypeId type,
                                               const std::string& column,
                                               const std::shared_ptr<const std::string>& source) {
  std::function<bool(const sql::ParsedExpr&)> constant = [&](const sql::ParsedExpr& e) {
    switch (e.kind) {
      case sql::ExprKind::kConstant:
        return true;
      case sql::ExprKind::kCast:
        return constant(*e.As<sql::CastExpr>().arg);
      case sql::ExprKind::kOperator: {
        const auto& op = e.As<sql::OperatorExpr>();
        return !op.left && (op.name == "-" || op.name == "+") && constant(*op.right);
      }
      default:
        return false;
    }
  };
  if (!constant(expr)) {
    return Positioned(
        Status::Sql("0A000", "DEFAULT expressions other than constants are not supported yet"),
        *source, expr.location);
  }
  sql::Binder binder(source, {}, sql::ParameterMode::kFixed);
  ASSIGN_OR_RETURN(sql::BoundExprPtr bound, binder.BindExpr(expr));
  TypeId from = bound->type == TypeId::kInvalid ? TypeId::kUnknown : bound->type;
  ASSIGN_OR_RETURN(sql::BoundExprPtr coerced, binder.CoerceForAssignment(std::move(bound), type));
  if (!coerced) {
    return Positioned(
        Status::Sql("42804", fmt::format("column \"{}\" is of type {} but default expression is of "
                                         "type {}",
                                         column, sql::GetTypeInfo(type).display_name,
                                         sql::GetTypeInfo(from).display_name))
            .WithHint("You will need to rewrite or cast the expression."),
        *source, expr.location);
  }
  sql::EvalContext eval;
  ASSIGN_OR_RETURN(Value value, sql::Evaluate(*coerced, eval));
  if (value.is_null()) return std::optional<std::string>();
  sql::OutputOptions exact;
  exact.extra_float_digits = 3;
  return std::optional<std::string>(sql::FormatText(value, exact));
}

Status AddColumn(AlterContext& c, catalog::TableDescriptor& table, const sql::AlterCommand& cmd,
                 bool& rewrite) {
  const sql::ColumnDef& def = *cmd.column;
  if (FindVisibleColumn(table, def.name) != nullptr) {
    if (cmd.missing_ok) {
      c.notices.push_back(Notice{"NOTICE", "42701",
                                 fmt::format("column \"{}\" of relation \"{}\" already exists, "
                                             "skipping",
                                             def.name, table.name),
                                 "", ""});
      return Status::Ok();
    }
    return Status::Sql("42701", fmt::format("column \"{}\" of relation \"{}\" already exists",
                                            def.name, table.name));
  }
  if (def.primary_key)
    return Status::Sql("0A000", "ADD COLUMN ... PRIMARY KEY is not supported yet");
  if (table.columns.size() >= catalog::kMaxColumns) {
    return Status::Sql("54011",
                       fmt::format("tables can have at most {} columns", catalog::kMaxColumns));
  }
  // A hidden row id with the same name steps aside, as CREATE TABLE would have named it.
  for (catalog::ColumnDescriptor& column : table.columns) {
    if (column.hidden && column.name == def.name) {
      std::string name = catalog::kRowIdColumnName;
      for (int suffix = 1; table.FindColumn(name) != nullptr; ++suffix) {
        name = fmt::format("{}_{}", catalog::kRowIdColumnName, suffix);
      }
      column.name = name;
    }
  }
  ASSIGN_OR_RETURN(ColumnTypeChoice choice, ChooseColumnType(def, *c.source));
  TypeId* type = &choice.type;
  catalog::ColumnDescriptor column;
  column.id = table.next_column_id++;
  column.name = def.name;
  column.type_oid = static_cast<uint32_t>(*type);
  column.typmod = choice.typmod;
  column.not_null = def.not_null;
  if (def.default_value) {
    ASSIGN_OR_RETURN(column.default_text,
                     DefaultText(*def.default_value, *type, def.name, c.source));
  }
  bool has_rows = HasRows(c.txn, table.id);
  if (has_rows && column.not_null && !column.default_text) {
    return Status::Sql("23502", fmt::format("column \"{}\" of relation \"{}\" contains null values",
                                            def.name, table.name));
  }
  if (has_rows && column.default_text) rewrite = true;
  // Keep the hidden row id last (it is never shown, and `*` order is the columns' order).
  auto position = table.columns.end();
  if (!table.columns.empty() && table.columns.back().hidden) --position;
  table.columns.insert(position, std::move(column));
  return Status::Ok();
}

// Rewrites every row with the new descriptor (fills ADD COLUMN defaults) and checks NOT NULL.
Status RewriteRows(AlterContext& c, const catalog::TableDescriptor& old_table,
                   const catalog::TableDescriptor& table) {
  auto old_shared = std::make_shared<const catalog::TableDescriptor>(old_table);
  auto new_shared = std::make_shared<const catalog::TableDescriptor>(table);
  ASSIGN_OR_RETURN(auto old_info, MakeInfo(old_shared));
  ASSIGN_OR_RETURN(auto new_info, MakeInfo(new_shared));
  std::vector<Value> defaults;
  for (size_t i = 0; i < table.columns.size(); ++i) {
    TypeId type = new_info->scope.columns[i].type;
    if (table.columns[i].default_text) {
      ASSIGN_OR_RETURN(Value value, sql::ParseText(type, *table.columns[i].default_text));
      defaults.push_back(std::move(value));
    } else {
      defaults.push_back(Value::Null(type));
    }
  }
  return ForEachRow(c.txn, table.id, kAlterScanBatchRows, [&](const txn::Row& stored) -> Status {
    ASSIGN_OR_RETURN(sql::exec::Row old_row,
                     sql::exec::DecodeTableRow(*old_info, stored.key, stored.value));
    sql::exec::Row row;
    for (size_t i = 0; i < table.columns.size(); ++i) {
      int old_index = old_table.ColumnIndex(table.columns[i].id);
      row.push_back(old_index >= 0 ? old_row[old_index] : defaults[i]);
    }
    RETURN_IF_ERROR(sql::exec::CheckRow(*new_info, row));
    ASSIGN_OR_RETURN(std::string value, sql::exec::EncodeRowValue(*new_info, row));
    return c.txn.Put(stored.key, std::move(value));
  });
}

Status CheckNoNulls(AlterContext& c, const catalog::TableDescriptor& table,
                    const catalog::ColumnDescriptor& column) {
  auto shared = std::make_shared<const catalog::TableDescriptor>(table);
  ASSIGN_OR_RETURN(auto info, MakeInfo(shared));
  int index = table.ColumnIndex(column.id);
  return ForEachRow(c.txn, table.id, kAlterScanBatchRows, [&](const txn::Row& stored) -> Status {
    ASSIGN_OR_RETURN(sql::exec::Row row,
                     sql::exec::DecodeTableRow(*info, stored.key, stored.value));
    if (row[index].is_null()) {
      return Status::Sql("23502", fmt::format("column \"{}\" of relation \"{}\" contains null "
                                              "values",
                                              column.name, table.name));
    }
    return Status::Ok();
  });
}

// ADD PRIMARY KEY: the table is re-created under a new table id whose rows are keyed by the
// new key; the old rows, descriptor and version key are deleted (all in this transaction).
Result<std::string> AddPrimaryKey(AlterContext& c, const catalog::TableDescriptor& old_table,
                                  const sql::AlterCommand& cmd) {
  const std::string& source = *c.source;
  bool hidden_key = old_table.primary_key.size() == 1 &&
                    old_table.FindColumnById(old_table.primary_key[0])->hidden;
  if (!hidden_key) {
    return Positioned(Status::Sql("42P16", fmt::format("multiple primary keys for table \"{}\" are "
                                                       "not allowed",
                                                       old_table.name)),
                      source, cmd.location);
  }
  if (!old_table.indexes.empty()) {
    return Status::Sql("0A000",
                       "ADD PRIMARY KEY on a table with secondary indexes is not supported yet");
  }
  if (cmd.key.size() > catalog::kMaxKeyColumns) {
    return Status::Sql("54011", fmt::format("cannot use more than {} columns in an index",
                                            catalog::kMaxKeyColumns));
  }
  catalog::TableDescriptor table = old_table;
  uint32_t hidden_id = old_table.primary_key[0];
  table.columns.erase(table.columns.begin() + table.ColumnIndex(hidden_id));
  table.primary_key.clear();
  for (const std::string& name : cmd.key) {
    catalog::ColumnDescriptor* column = FindVisibleColumn(table, name);
    if (column == nullptr) {
      return Positioned(
          Status::Sql("42703", fmt::format("column \"{}\" of relation \"{}\" does not exist", name,
                                           table.name)),
          source, cmd.location);
    }
    if (table.IsKeyColumn(column->id)) {
      return Positioned(Status::Sql("42701", fmt::format("column \"{}\" appears twice in primary "
                                                         "key constraint",
                                                         name)),
                        source, cmd.location);
    }
    table.primary_key.push_back(column->id);
    column->not_null = true;
  }
  table.primary_key_name = cmd.name;
  // New name keys first (the old ones go), then CreateTable allocates the id and writes them.
  RETURN_IF_ERROR(catalog::DeleteIndexNames(c.txn, old_table));
  RETURN_IF_ERROR(c.txn.Delete(catalog::NameKey(old_table.schema, old_table.name)));
  ASSIGN_OR_RETURN(table, catalog::CreateTable(c.txn, std::move(table)));
  auto old_shared = std::make_shared<const catalog::TableDescriptor>(old_table);
  auto new_shared = std::make_shared<const catalog::TableDescriptor>(table);
  ASSIGN_OR_RETURN(auto old_info, MakeInfo(old_shared));
  ASSIGN_OR_RETURN(auto new_info, MakeInfo(new_shared));
  std::vector<int> from;  // old column of each new column
  for (const catalog::ColumnDescriptor& column : table.columns) {
    from.push_back(old_table.ColumnIndex(column.id));
  }
  std::vector<std::string> keys;  // for the duplicate check (the new span is empty in storage)
  RETURN_IF_ERROR(
      ForEachRow(c.txn, old_table.id, kAlterScanBatchRows, [&](const txn::Row& stored) -> Status {
        ASSIGN_OR_RETURN(sql::exec::Row old_row,
                         sql::exec::DecodeTableRow(*old_info, stored.key, stored.value));
        sql::exec::Row row;
        row.reserve(from.size());
        for (int index : from) row.push_back(old_row[index]);
        for (uint32_t id : table.primary_key) {
          int index = table.ColumnIndex(id);
          if (row[index].is_null()) {
            return Status::Sql("23502",
                               fmt::format("column \"{}\" of relation \"{}\" contains null values",
                                           table.columns[index].name, table.name));
          }
        }
        RETURN_IF_ERROR(sql::exec::CheckRow(*new_info, row));
        ASSIGN_OR_RETURN(std::string key, sql::exec::EncodePrimaryKey(*new_info, row));
        ASSIGN_OR_RETURN(std::string value, sql::exec::EncodeRowValue(*new_info, row));
        keys.push_back(key);
        RETURN_IF_ERROR(c.txn.Put(std::move(key), std::move(value)));
        return c.txn.Delete(stored.key);
      }));
  std::sort(keys.begin(), keys.end());
  auto duplicate = std::adjacent_find(keys.begin(), keys.end());
  if (duplicate != keys.end()) {
    ASSIGN_OR_RETURN(std::string no_columns, encoding::EncodeRow({}));
    ASSIGN_OR_RETURN(sql::exec::Row row,
                     sql::exec::DecodeTableRow(*new_info, *duplicate, no_columns));
    std::string names;
    std::string values;
    for (int column : new_info->key_columns) {
      names += (names.empty() ? "" : ", ") + new_info->scope.columns[column].name;
      values += (values.empty() ? "" : ", ") + sql::FormatText(row[column], sql::OutputOptions{});
    }
    return Status::Sql("23505",
                       fmt::format("could not create unique index \"{}\"", table.PrimaryKeyName()))
        .WithDetail(fmt::format("Key ({})=({}) is duplicated.", names, values));
  }
  RETURN_IF_ERROR(c.txn.Delete(catalog::DescriptorKey(old_table.id)));
  RETURN_IF_ERROR(c.txn.Delete(catalog::SchemaVersionKey(old_table.id)));
  return std::string("ALTER TABLE");
}

// ADD [CONSTRAINT name] UNIQUE (cols): a unique index built over the existing rows
// (qp/index_statements.h), named like PostgreSQL's (t_a_b_key) unless named.
Result<std::string> AddUnique(AlterContext& c, const catalog::TableDescriptor& table,
                              const sql::AlterCommand& cmd) {
  if (cmd.key.size() > catalog::kMaxKeyColumns) {
    return Status::Sql("54011", fmt::format("cannot use more than {} columns in an index",
                                            catalog::kMaxKeyColumns));
  }
  catalog::IndexDescriptor index;
  index.unique = true;
  index.constraint = true;
  std::string column_names;
  for (const std::string& name : cmd.key) {
    const catalog::ColumnDescriptor* column = nullptr;
    for (const catalog::ColumnDescriptor& candidate : table.columns) {
      if (!candidate.hidden && candidate.name == name) column = &candidate;
    }
    if (column == nullptr) {
      return Positioned(Status::Sql("42703", fmt::format("column \"{}\" named in key does not "
                                                         "exist",
                                                         name)),
                        *c.source, cmd.location);
    }
    for (const catalog::IndexColumn& existing : index.columns) {
      if (existing.column_id == column->id) {
        return Positioned(Status::Sql("42701", fmt::format("column \"{}\" appears twice in "
                                                           "unique constraint",
                                                           name)),
                          *c.source, cmd.location);
      }
    }
    index.columns.push_back(catalog::IndexColumn{column->id, false, false});
    column_names += (column_names.empty() ? "" : "_") + name;
  }
  if (cmd.name.empty()) {
    ASSIGN_OR_RETURN(index.name, catalog::ChooseRelationName(c.txn, table.schema, table.name,
                                                             column_names, "key", {}));
  } else {
    index.name = cmd.name;
  }
  RETURN_IF_ERROR(AddIndexAndBuild(c.txn, table, std::move(index)).status());
  return std::string("ALTER TABLE");
}

Status RenameTable(AlterContext& c, catalog::TableDescriptor& table, const std::string& newname) {
  ASSIGN_OR_RETURN(std::optional<std::string> existing,
                   c.txn.Get(catalog::NameKey(table.schema, newname)));
  if (existing) return Status::Sql("42P07", fmt::format("relation \"{}\" already exists", newname));
  // The primary key's index keeps its name, as in PostgreSQL.
  if (table.primary_key_name.empty()) table.primary_key_name = table.PrimaryKeyName();
  RETURN_IF_ERROR(c.txn.Delete(catalog::NameKey(table.schema, table.name)));
  table.name = newname;
  return c.txn.Put(catalog::NameKey(table.schema, table.name), catalog::EncodeInt(table.id));
}

Status RenameColumn(catalog::TableDescriptor& table, const sql::AlterCommand& cmd) {
  catalog::ColumnDescriptor* column = FindVisibleColumn(table, cmd.name);
  if (column == nullptr) {
    return Status::Sql("42703", fmt::format("column \"{}\" does not exist", cmd.name));
  }
  if (FindVisibleColumn(table, cmd.newname) != nullptr) {
    return Status::Sql("42701", fmt::format("column \"{}\" of relation \"{}\" already exists",
                                            cmd.newname, table.name));
  }
  if (!table.checks.empty()) {
    return Status::Sql("0A000",
                       "RENAME COLUMN on a table with CHECK constraints is not supported "
                       "yet");
  }
  for (catalog::ColumnDescriptor& other : table.columns) {
    if (other.hidden && other.name == cmd.newname) {
      std::string name = catalog::kRowIdColumnName;
      for (int suffix = 1; table.FindColumn(name) != nullptr || name == cmd.newname; ++suffix) {
        name = fmt::format("{}_{}", catalog::kRowIdColumnName, suffix);
      }
      other.name = name;
    }
  }
  column->name = cmd.newname;
  return Status::Ok();
}

Status DropColumn(AlterContext& c, catalog::TableDescriptor& table, const sql::AlterCommand& cmd) {
  catalog::ColumnDescriptor* column = FindVisibleColumn(table, cmd.name);
  if (column == nullptr) {
    if (cmd.missing_ok) {
      c.notices.push_back(Notice{"NOTICE", "00000",
                                 fmt::format("column \"{}\" of relation \"{}\" does not exist, "
                                             "skipping",
                                             cmd.name, table.name),
                                 "", ""});
      return Status::Ok();
    }
    return NoSuchColumn(cmd.name, table);
  }
  if (table.IsKeyColumn(column->id)) {
    return Status::Sql("0A000", "dropping a primary-key column is not supported yet");
  }
  for (const catalog::IndexDescriptor& index : table.indexes) {
    for (const catalog::IndexColumn& key : index.columns) {
      if (key.column_id == column->id) {
        return Status::Sql("0A000", "dropping an indexed column is not supported yet");
      }
    }
  }
  if (!table.checks.empty()) {
    return Status::Sql("0A000",
                       "DROP COLUMN on a table with CHECK constraints is not supported yet");
  }
  // The stored values stay in the rows; decoding ignores column ids it does not know.
  table.columns.erase(table.columns.begin() + table.ColumnIndex(column->id));
  return Status::Ok();
}

}  // namespace

Result<std::string> RunAlterTable(const sql::AlterTableStatement& alter,
                                  std::shared_ptr<const std::string> source,
                                  txn::KvTransaction& txn, catalog::DescriptorCache& cache,
                                  std::vector<Notice>& notices) {
  AlterContext c{alter, source, txn, cache, notices};
  ASSIGN_OR_RETURN(auto found, FindTable(alter.table, txn, cache));
  if (!found) {
    if (alter.if_exists) {
      notices.push_back(Notice{
          "NOTICE", "00000",
          fmt::format("relation \"{}\" does not exist, skipping", QualifiedName(alter.table)), "",
          ""});
      return std::string("ALTER TABLE");
    }
    return NoSuchRelation(alter.table);
  }
  const catalog::TableDescriptor& old_table = *found;
  RETURN_IF_ERROR(CheckTableOwner(txn, old_table));  // qp/roles.h
  for (const sql::AlterCommand& cmd : alter.commands) {
    bool add_key = cmd.kind == sql::AlterKind::kAddPrimaryKey;
    if (!add_key && cmd.kind != sql::AlterKind::kAddUnique) continue;
    if (alter.commands.size() != 1) {
      return Status::Sql("0A000", fmt::format("ADD {} together with other ALTER TABLE commands is "
                                              "not supported yet",
                                              add_key ? "PRIMARY KEY" : "UNIQUE"));
    }
    if (add_key) return AddPrimaryKey(c, old_table, cmd);
    return AddUnique(c, old_table, cmd);
  }
  catalog::TableDescriptor table = old_table;
  bool rewrite = false;
  std::vector<const catalog::ColumnDescriptor*> check_not_null;
  std::vector<uint32_t> not_null_ids;
  for (const sql::AlterCommand& cmd : alter.commands) {
    switch (cmd.kind) {
      case sql::AlterKind::kAddPrimaryKey:
      case sql::AlterKind::kAddUnique:
        break;
      case sql::AlterKind::kAddColumn:
        RETURN_IF_ERROR(AddColumn(c, table, cmd, rewrite));
        break;
      case sql::AlterKind::kDropColumn:
        RETURN_IF_ERROR(DropColumn(c, table, cmd));
        break;
      case sql::AlterKind::kRenameColumn:
        RETURN_IF_ERROR(RenameColumn(table, cmd));
        break;
      case sql::AlterKind::kRenameTable:
        RETURN_IF_ERROR(RenameTable(c, table, cmd.newname));
        break;
      case sql::AlterKind::kOwnerTo:  // qp/roles.h
        RETURN_IF_ERROR(ChangeTableOwner(txn, table, cmd.newname));
        break;
      case sql::AlterKind::kSetDefault:
      case sql::AlterKind::kDropDefault:
      case sql::AlterKind::kSetNotNull:
      case sql::AlterKind::kDropNotNull: {
        catalog::ColumnDescriptor* column = FindVisibleColumn(table, cmd.name);
        if (column == nullptr) return NoSuchColumn(cmd.name, table);
        if (cmd.kind == sql::AlterKind::kSetDefault) {
          ASSIGN_OR_RETURN(column->default_text,
                           DefaultText(*cmd.default_value, static_cast<TypeId>(column->type_oid),
                                       column->name, source));
        } else if (cmd.kind == sql::AlterKind::kDropDefault) {
          column->default_text.reset();
        } else if (cmd.kind == sql::AlterKind::kSetNotNull) {
          if (!column->not_null) not_null_ids.push_back(column->id);
          column->not_null = true;
        } else {
          if (table.IsKeyColumn(column->id)) {
            return Status::Sql("42P16",
                               fmt::format("column \"{}\" is in a primary key", column->name));
          }
          column->not_null = false;
        }
        break;
      }
    }
  }
  if (rewrite) {
    RETURN_IF_ERROR(RewriteRows(c, old_table, table));
  } else {
    for (uint32_t id : not_null_ids) {
      const catalog::ColumnDescriptor* column = table.FindColumnById(id);
      if (column != nullptr) RETURN_IF_ERROR(CheckNoNulls(c, table, *column));
    }
  }
  RETURN_IF_ERROR(catalog::WriteNewVersion(txn, std::move(table)).status());
  return std::string("ALTER TABLE");
}

}  // namespace borealis::qp
