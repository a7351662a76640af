#include "qp/index_statements.h"

#include <set>

#include "catalog/indexes.h"
#include "fmt/format.h"
#include "qp/roles.h"
#include "qp/select_binder.h"
#include "sql/ast_index.h"
#include "sql/exec/constraints.h"
#include "sql/parser.h"
#include "sql/planner/checks.h"
#include "sql/planner/plan.h"

namespace borealis::qp {
namespace {

Status TooManyColumns() {
  return Status::Sql(
      "54011", fmt::format("cannot use more than {} columns in an index", catalog::kMaxKeyColumns));
}

// The names index column names are built from, joined by "_" (PostgreSQL's
// ChooseIndexNameAddition: cut once the buffer holds NAMEDATALEN bytes).
std::string NameAddition(const std::vector<std::string>& columns) {
  std::string out;
  for (const std::string& column : columns) {
    if (!out.empty()) out += "_";
    out += column;
    if (out.size() >= catalog::kMaxIdentifierBytes) break;
  }
  return out.substr(0, std::min(out.size(), catalog::kMaxIdentifierBytes));
}

Result<std::shared_ptr<const catalog::TableDescriptor>> ReadDescriptor(txn::KvTransaction& txn,
                                                                       uint32_t table_id) {
  ASSIGN_OR_RETURN(std::optional<std::string> bytes, txn.Get(catalog::DescriptorKey(table_id)));
  if (!bytes) return Status::Corruption(fmt::format("table {} has no descriptor", table_id));
  ASSIGN_OR_RETURN(catalog::TableDescriptor table, catalog::DecodeDescriptor(*bytes));
  return std::make_shared<const catalog::TableDescriptor>(std::move(table));
}

Result<std::string> CreateIndex(const sql::CreateIndexStatement& create, const std::string& source,
                                txn::KvTransaction& txn, catalog::DescriptorCache& cache,
                                std::vector<Notice>& notices) {
  std::shared_ptr<const catalog::TableDescriptor> table;
  if (create.table.schema.empty() || create.table.schema == kPublicSchema) {
    ASSIGN_OR_RETURN(table, cache.Lookup(txn, kPublicSchema, create.table.name));
  }
  if (!table) {
    ASSIGN_OR_RETURN(bool is_index, IsIndexName(txn, create.table));
    if (is_index) {
      return Status::Sql("42809", fmt::format("\"{}\" is an index", create.table.name));
    }
    std::string name = create.table.schema.empty() ? create.table.name
                                                   : create.table.schema + "." + create.table.name;
    return Positioned(Status::Sql("42P01", fmt::format("relation \"{}\" does not exist", name)),
                      source, create.table.location);
  }
  RETURN_IF_ERROR(CheckTableOwner(txn, *table));  // qp/roles.h
  if (create.name) {
    ASSIGN_OR_RETURN(std::optional<catalog::RelationEntry> existing,
                     catalog::LookupRelation(txn, kPublicSchema, *create.name));
    if (existing) {
      if (create.if_not_exists) {
        notices.push_back(
            Notice{"NOTICE", "42P07",
                   fmt::format("relation \"{}\" already exists, skipping", *create.name), "", ""});
        return std::string("CREATE INDEX");
      }
      return Status::Sql("42P07", fmt::format("relation \"{}\" already exists", *create.name));
    }
  }
  if (create.columns.size() > catalog::kMaxKeyColumns) return TooManyColumns();
  catalog::IndexDescriptor index;
  index.unique = create.unique;
  std::vector<std::string> names;
  for (const sql::IndexElement& element : create.columns) {
    const catalog::ColumnDescriptor* column = table->FindColumn(element.column);
    if (column == nullptr || column->hidden) {
      return Positioned(
          Status::Sql("42703", fmt::format("column \"{}\" does not exist", element.column)), source,
          element.location);
    }
    bool nulls_first = element.nulls_first.value_or(element.descending);
    index.columns.push_back(catalog::IndexColumn{column->id, element.descending, nulls_first});
    names.push_back(column->name);
  }
  if (create.name) {
    index.name = *create.name;
  } else {
    ASSIGN_OR_RETURN(index.name, catalog::ChooseRelationName(txn, kPublicSchema, table->name,
                                                             NameAddition(names), "idx", {}));
  }
  RETURN_IF_ERROR(AddIndexAndBuild(txn, *table, std::move(index)).status());
  return std::string("CREATE INDEX");
}

Result<std::string> DropIndexes(const sql::DropIndexStatement& drop, txn::KvTransaction& txn,
                                std::vector<Notice>& notices) {
  // Resolve every name first: nothing is dropped when one is missing.
  std::vector<std::pair<catalog::RelationEntry, std::string>> targets;
  for (const sql::TableRef& ref : drop.indexes) {
    std::optional<catalog::RelationEntry> entry;
    if (ref.schema.empty() || ref.schema == kPublicSchema) {
      ASSIGN_OR_RETURN(entry, catalog::LookupRelation(txn, kPublicSchema, ref.name));
    }
    if (!entry) {
      if (drop.if_exists) {
        notices.push_back(Notice{"NOTICE", "00000",
                                 fmt::format("index \"{}\" does not exist, skipping", ref.name), "",
                                 ""});
        continue;
      }
      return Status::Sql("42704", fmt::format("index \"{}\" does not exist", ref.name));
    }
    if (entry->index_id == 0) {
      return Status::Sql("42809", fmt::format("\"{}\" is not an index", ref.name));
    }
    targets.emplace_back(*entry, ref.name);
  }
  for (const auto& [entry, name] : targets) {
    ASSIGN_OR_RETURN(auto table, ReadDescriptor(txn, entry.table_id));
    if (!CheckTableOwner(txn, *table).ok()) {  // qp/roles.h: PostgreSQL names the index
      return Status::Sql("42501", fmt::format("must be owner of index {}", name));
    }
    const catalog::IndexDescriptor* index = table->FindIndexById(entry.index_id);
    if (entry.index_id == catalog::kPrimaryIndexId || (index != nullptr && index->constraint)) {
      return Status::Sql("2BP01", fmt::format("cannot drop index {} because constraint {} on "
                                              "table {} requires it",
                                              name, name, table->name))
          .WithHint(
              fmt::format("You can drop constraint {} on table {} instead.", name, table->name));
    }
    if (index == nullptr) return Status::Corruption("index name without an index");
    RETURN_IF_ERROR(catalog::DropIndex(txn, *table, entry.index_id).status());
  }
  return std::string("DROP INDEX");
}

void CollectColumns(const sql::BoundExpr& expr, std::set<int>& columns) {
  if (expr.kind == sql::BoundKind::kColumn) columns.insert(expr.column_index);
  for (const sql::BoundExprPtr& child : expr.children) CollectColumns(*child, columns);
}

// PostgreSQL's ChooseConstraintName against the names this table already uses.
std::string ChooseConstraintName(const std::string& table, const std::string& column,
                                 const std::string& label, const std::set<std::string>& taken) {
  std::string name = catalog::MakeObjectName(table, column, label);
  for (int pass = 1; taken.count(name) != 0 && pass < catalog::kMaxNameAttempts; ++pass) {
    name = catalog::MakeObjectName(table, column, fmt::format("{}{}", label, pass));
  }
  return name;
}

// 42710 when a constraint of this table already has `name`; else records it.
Status ClaimConstraintName(const std::string& name, const catalog::TableDescriptor& table,
                           std::set<std::string>& constraint_names) {
  if (!constraint_names.insert(name).second) {
    return Status::Sql("42710", fmt::format("constraint \"{}\" for relation \"{}\" already exists",
                                            name, table.name));
  }
  return Status::Ok();
}

Status AddUnique(const sql::TableConstraint& constraint, const std::string& source,
                 txn::KvTransaction& txn, catalog::TableDescriptor& table,
                 std::set<std::string>& taken, std::set<std::string>& constraint_names) {
  if (constraint.columns.size() > catalog::kMaxKeyColumns) return TooManyColumns();
  catalog::IndexDescriptor index;
  index.unique = true;
  index.constraint = true;
  std::vector<uint32_t> ids;
  for (const std::string& name : constraint.columns) {
    const catalog::ColumnDescriptor* column = table.FindColumn(name);
    if (column == nullptr || column->hidden) {
      return Positioned(
          Status::Sql("42703", fmt::format("column \"{}\" named in key does not exist", name)),
          source, constraint.location);
    }
    for (uint32_t id : ids) {
      if (id == column->id) {
        return Positioned(Status::Sql("42701", fmt::format("column \"{}\" appears twice in "
                                                           "unique constraint",
                                                           name)),
                          source, constraint.location);
      }
    }
    ids.push_back(column->id);
    index.columns.push_back(catalog::IndexColumn{column->id, false, false});
  }
  // PostgreSQL keeps one index per column list (the primary key's, or the first).
  if (ids == table.primary_key) return Status::Ok();
  for (const catalog::IndexDescriptor& other : table.indexes) {
    std::vector<uint32_t> other_ids;
    for (const catalog::IndexColumn& column : other.columns) other_ids.push_back(column.column_id);
    if (other_ids == ids) return Status::Ok();
  }
  if (constraint.name) {
    index.name = *constraint.name;
    RETURN_IF_ERROR(ClaimConstraintName(index.name, table, constraint_names));
    if (!taken.insert(index.name).second) {
      return Status::Sql("42P07", fmt::format("relation \"{}\" already exists", index.name));
    }
  } else {
    ASSIGN_OR_RETURN(index.name,
                     catalog::ChooseRelationName(txn, table.schema, table.name,
                                                 NameAddition(constraint.columns), "key", taken));
    taken.insert(index.name);
    constraint_names.insert(index.name);
  }
  if (table.indexes.size() >= catalog::kMaxIndexes) {
    return Status::Sql("54000", "too many indexes");
  }
  index.id = table.next_index_id++;
  table.indexes.push_back(std::move(index));
  return Status::Ok();
}

Status AddCheck(const sql::TableConstraint& constraint, catalog::TableDescriptor& table,
                const sql::Scope& scope, std::set<std::string>& constraint_names) {
  if (table.checks.size() >= catalog::kMaxChecks) return Status::Sql("54000", "too many checks");
  ASSIGN_OR_RETURN(sql::BoundExprPtr bound,
                   sql::planner::BindCheckText(constraint.check_text, scope));
  catalog::CheckConstraint check;
  check.expression = constraint.check_text;
  if (constraint.name) {
    check.name = *constraint.name;
    if (constraint_names.count(check.name) != 0) {
      return Status::Sql("42710",
                         fmt::format("check constraint \"{}\" already exists", check.name));
    }
  } else {
    std::set<int> columns;
    CollectColumns(*bound, columns);
    std::string column = columns.size() == 1 ? scope.columns[*columns.begin()].name : "";
    check.name = ChooseConstraintName(table.name, column, "check", constraint_names);
  }
  constraint_names.insert(check.name);
  table.checks.push_back(std::move(check));
  return Status::Ok();
}

}  // namespace

Result<bool> IsIndexName(txn::KvTransaction& txn, const sql::TableRef& ref) {
  if (!ref.schema.empty() && ref.schema != kPublicSchema) return false;
  ASSIGN_OR_RETURN(std::optional<catalog::RelationEntry> entry,
                   catalog::LookupRelation(txn, kPublicSchema, ref.name));
  return entry.has_value() && entry->index_id != 0;
}

Result<catalog::TableDescriptor> AddIndexAndBuild(txn::KvTransaction& txn,
                                                  const catalog::TableDescriptor& table,
                                                  catalog::IndexDescriptor index) {
  ASSIGN_OR_RETURN(catalog::TableDescriptor updated,
                   catalog::AddIndex(txn, table, std::move(index)));
  auto shared = std::make_shared<const catalog::TableDescriptor>(std::move(updated));
  ASSIGN_OR_RETURN(sql::planner::TableInfo info, sql::planner::MakeTableInfo(shared, shared->name));
  RETURN_IF_ERROR(sql::exec::BuildIndex(txn, info, shared->indexes.back()));
  return *shared;
}

Result<std::string> RunIndexStatement(const sql::Statement& statement,
                                      std::shared_ptr<const std::string> source,
                                      txn::KvTransaction& txn, catalog::DescriptorCache& cache,
                                      std::vector<Notice>& notices) {
  if (statement.kind == sql::StatementKind::kCreateIndex) {
    return CreateIndex(statement.As<sql::CreateIndexStatement>(), *source, txn, cache, notices);
  }
  BOREALIS_CHECK(statement.kind == sql::StatementKind::kDropIndex);
  return DropIndexes(statement.As<sql::DropIndexStatement>(), txn, notices);
}

Status AddTableConstraints(const sql::CreateTableStatement& create, const std::string& source,
                           txn::KvTransaction& txn, catalog::TableDescriptor& table) {
  // PostgreSQL creates the CHECK constraints with the table and the indexes afterwards, so
  // generated index names avoid the check names (t_a_key1 when a check is named t_a_key).
  std::set<std::string> constraint_names;
  sql::Scope scope;
  scope.table_name = table.name;
  for (const catalog::ColumnDescriptor& column : table.columns) {
    std::optional<sql::TypeId> type = sql::TypeFromOid(column.type_oid);
    if (!type) return Status::Internal("column type without a SQL type");
    scope.columns.push_back(sql::ScopeColumn{column.name, *type, column.hidden, table.name});
  }
  for (const sql::TableConstraint& constraint : create.constraints) {
    if (constraint.kind == sql::ConstraintKind::kCheck) {
      RETURN_IF_ERROR(AddCheck(constraint, table, scope, constraint_names));
    }
  }
  std::set<std::string> taken = constraint_names;  // relation or constraint names in use
  taken.insert(table.name);
  std::optional<std::string> primary_name = create.primary_key_name;
  for (const sql::ColumnDef& column : create.columns) {
    if (column.primary_key_name) primary_name = column.primary_key_name;
  }
  if (!table.PrimaryKeyName().empty()) {
    if (primary_name) {
      RETURN_IF_ERROR(ClaimConstraintName(*primary_name, table, constraint_names));
      table.primary_key_name = *primary_name;
    } else {
      ASSIGN_OR_RETURN(
          table.primary_key_name,
          catalog::ChooseRelationName(txn, table.schema, table.name, "", "pkey", taken));
      constraint_names.insert(table.primary_key_name);
    }
    taken.insert(table.primary_key_name);
  }
  for (const sql::TableConstraint& constraint : create.constraints) {
    if (constraint.kind == sql::ConstraintKind::kUnique) {
      RETURN_IF_ERROR(AddUnique(constraint, source, txn, table, taken, constraint_names));
    }
  }
  return Status::Ok();
}

}  // namespace borealis::qp
