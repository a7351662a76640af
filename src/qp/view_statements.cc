#include "qp/view_statements.h"

#include <algorithm>
#include <map>
#include <set>

#include "fmt/format.h"
#include "qp/roles.h"
#include "qp/select_binder.h"
#include "qp/system_catalog.h"
#include "qp/table_statements.h"
#include "sql/parser.h"

namespace borealis::qp {
namespace {

// PostgreSQL's view_query_is_auto_updatable: why the view's query cannot be written through,
// or nullopt for a simple view (which PostgreSQL would update and Borealis does not yet).
std::optional<std::string> NotUpdatableReason(const sql::SelectStatement& query) {
  const char* reason = nullptr;
  if (query.set_operation != sql::SetOperation::kNone) {
    reason = "Views containing UNION, INTERSECT, or EXCEPT are not automatically updatable.";
  } else if (query.distinct) {
    reason = "Views containing DISTINCT are not automatically updatable.";
  } else if (!query.group_by.empty()) {
    reason = "Views containing GROUP BY are not automatically updatable.";
  } else if (query.having) {
    reason = "Views containing HAVING are not automatically updatable.";
  } else if (query.with) {
    reason = "Views containing WITH are not automatically updatable.";
  } else if (query.limit || query.offset) {
    reason = "Views containing LIMIT or OFFSET are not automatically updatable.";
  } else if (query.calls_aggregates) {
    reason = "Views that return aggregate functions are not automatically updatable.";
  } else if (query.from.size() != 1 || query.from[0].kind != sql::FromKind::kTable ||
             query.from[0].table.is_function) {
    reason =
        "Views that do not select from a single table or view are not automatically "
        "updatable.";
  }
  if (reason == nullptr) return std::nullopt;
  return std::string(reason);
}

Status SchemaMissing(const sql::TableRef& ref) {
  return Status::Sql("3F000", fmt::format("schema \"{}\" does not exist", ref.schema));
}

// PostgreSQL's checks of CREATE OR REPLACE VIEW (checkViewTupleDesc): columns may only be
// added at the end.
Status CheckReplacement(const catalog::ViewDescriptor& old_view,
                        const std::vector<catalog::ViewColumn>& columns) {
  if (columns.size() < old_view.columns.size()) {
    return Status::Sql("42P16", "cannot drop columns from view");
  }
  for (size_t i = 0; i < old_view.columns.size(); ++i) {
    const catalog::ViewColumn& old_column = old_view.columns[i];
    if (old_column.name != columns[i].name) {
      return Status::Sql("42P16", fmt::format("cannot change name of view column \"{}\" to \"{}\"",
                                              old_column.name, columns[i].name))
          .WithHint(
              "Use ALTER VIEW ... RENAME COLUMN ... to change name of view column "
              "instead.");
    }
    if (old_column.type_oid != columns[i].type_oid) {
      auto name = [](uint32_t oid) {
        std::optional<sql::TypeId> type = sql::TypeFromOid(oid);
        return type ? std::string(sql::GetTypeInfo(*type).display_name) : std::to_string(oid);
      };
      return Status::Sql(
          "42P16",
          fmt::format("cannot change data type of view column \"{}\" from {} to {}",
                      old_column.name, name(old_column.type_oid), name(columns[i].type_oid)));
    }
  }
  return Status::Ok();
}

// The type modifiers of the view's columns (varchar(n), char(n), numeric(p,s)) where a column
// is a relation's column passed through unchanged by name (a plain column reference or `*`),
// as PostgreSQL derives them; -1 elsewhere. Names that any other kind of target produces (an
// expression or a cast, even one named like a column) keep -1.
Status DeriveTypmods(const sql::SelectStatement& query, const TablePlan& plan,
                     txn::KvTransaction& txn, std::vector<catalog::ViewColumn>& columns) {
  if (query.set_operation != sql::SetOperation::kNone || query.targets.empty()) {
    return Status::Ok();
  }
  std::set<std::string> unsafe;
  std::map<std::string, std::string> renamed;  // `a AS b`: b -> a
  for (const sql::ResultTarget& target : query.targets) {
    bool plain = target.expr->kind == sql::ExprKind::kColumnRef;
    if (plain) {
      const auto& ref = static_cast<const sql::ColumnRefExpr&>(*target.expr);
      if (ref.star) continue;
      if (target.alias && !ref.names.empty()) renamed[*target.alias] = ref.names.back();
      continue;
    }
    unsafe.insert(target.alias ? *target.alias : sql::ColumnName(*target.expr));
  }
  // name -> (type oid, typmod) of every visible column of what the query reads; names with
  // different facts are dropped.
  std::map<std::string, std::optional<std::pair<uint32_t, int32_t>>> sources;
  auto offer = [&sources](const std::string& name, uint32_t type, int32_t typmod) {
    std::optional<std::pair<uint32_t, int32_t>> facts = std::make_pair(type, typmod);
    auto [it, inserted] = sources.emplace(name, facts);
    if (!inserted && it->second != facts) it->second.reset();  // same name, other facts
  };
  for (const auto& table : plan.tables) {
    if (table->virtual_table || !table->descriptor) continue;
    for (const catalog::ColumnDescriptor& column : table->descriptor->columns) {
      if (!column.hidden) offer(column.name, column.type_oid, column.typmod);
    }
  }
  for (uint32_t id : plan.relations_read) {
    ASSIGN_OR_RETURN(std::optional<catalog::ViewDescriptor> view, catalog::ReadView(txn, id));
    if (!view) continue;
    for (const catalog::ViewColumn& column : view->columns) {
      offer(column.name, column.type_oid, column.typmod);
    }
  }
  for (size_t i = 0; i < columns.size() && i < plan.column_names.size(); ++i) {
    const std::string& name = plan.column_names[i];
    if (unsafe.count(name) != 0) continue;
    auto rename = renamed.find(name);
    auto it = sources.find(rename != renamed.end() ? rename->second : name);
    if (it == sources.end() || !it->second || it->second->first != columns[i].type_oid) continue;
    columns[i].typmod = it->second->second;
  }
  return Status::Ok();
}

// Rewrites what the view reads with its current value, so that a concurrent DROP of it
// conflicts with this CREATE (write-write) instead of leaving a view over nothing.
Status TouchDependencies(txn::KvTransaction& txn, const std::vector<uint32_t>& ids) {
  for (uint32_t id : ids) {
    ASSIGN_OR_RETURN(std::optional<std::string> view, txn.Get(catalog::ViewKey(id)));
    if (view) {
      RETURN_IF_ERROR(txn.Put(catalog::ViewKey(id), *view));
      continue;
    }
    std::string key = catalog::SchemaVersionKey(id);
    ASSIGN_OR_RETURN(std::optional<std::string> version, txn.Get(key));
    if (version) RETURN_IF_ERROR(txn.Put(std::move(key), *version));
  }
  return Status::Ok();
}

Result<std::string> RunCreateView(const sql::ViewStatement& create,
                                  std::shared_ptr<const std::string> source,
                                  txn::KvTransaction& txn, catalog::DescriptorCache& cache) {
  const sql::TableRef& ref = create.view;
  if (!ref.schema.empty() && ref.schema != kPublicSchema) return SchemaMissing(ref);
  if (create.query_text.size() > catalog::kMaxViewQueryBytes) {
    return Status::Sql("54000", fmt::format("a view's query may have at most {} bytes "
                                            "(kMaxViewQueryBytes)",
                                            catalog::kMaxViewQueryBytes));
  }
  ASSIGN_OR_RETURN(std::shared_ptr<const TablePlan> plan,
                   BindTableStatement(*create.query, source, {}, txn, cache));
  if (!plan->parameter_types.empty()) {
    return Status::Sql("42P02", "there is no parameter $1");
  }
  std::vector<catalog::ViewColumn> columns;
  for (size_t i = 0; i < plan->column_names.size(); ++i) {
    sql::TypeId type = plan->column_types[i];
    if (type == sql::TypeId::kUnknown) type = sql::TypeId::kText;
    columns.push_back(catalog::ViewColumn{plan->column_names[i], static_cast<uint32_t>(type), -1});
  }
  RETURN_IF_ERROR(DeriveTypmods(*create.query, *plan, txn, columns));
  if (create.column_names.size() > columns.size()) {
    return Status::Sql("42601", "CREATE VIEW specifies more column names than columns");
  }
  for (size_t i = 0; i < create.column_names.size(); ++i) {
    columns[i].name = create.column_names[i];
  }
  if (columns.empty()) {
    return Status::Sql("0A000", "views without columns are not supported yet");
  }
  std::set<std::string> seen;
  for (const catalog::ViewColumn& column : columns) {
    if (!seen.insert(column.name).second) {
      return Status::Sql("42701",
                         fmt::format("column \"{}\" specified more than once", column.name));
    }
  }
  std::vector<uint32_t> depends_on = plan->relations_read;
  std::sort(depends_on.begin(), depends_on.end());
  depends_on.erase(std::unique(depends_on.begin(), depends_on.end()), depends_on.end());
  if (depends_on.size() > catalog::kMaxViewDependencies) {
    return Status::Sql("54000", fmt::format("a view may read at most {} relations",
                                            catalog::kMaxViewDependencies));
  }

  ASSIGN_OR_RETURN(std::optional<catalog::ViewDescriptor> existing,
                   catalog::LookupView(txn, kPublicSchema, ref.name));
  catalog::ViewDescriptor view;
  if (existing) {
    if (!create.or_replace) {
      return Status::Sql("42P07", fmt::format("relation \"{}\" already exists", ref.name));
    }
    RETURN_IF_ERROR(CheckViewOwner(txn, *existing));  // qp/roles.h
    RETURN_IF_ERROR(CheckReplacement(*existing, columns));
    // A query that reads the view itself (directly or through others) is accepted, as in
    // PostgreSQL; using the view then fails with 42P17 (select_binder.cc, kMaxViewNesting).
    view = *existing;
    view.query = create.query_text;
    view.columns = std::move(columns);
    view.depends_on = std::move(depends_on);
    ASSIGN_OR_RETURN(view, catalog::ReplaceView(txn, std::move(view)));
  } else {
    if (create.or_replace) {
      ASSIGN_OR_RETURN(auto table, FindTable(ref, txn, cache));
      if (table) return Status::Sql("42809", fmt::format("\"{}\" is not a view", ref.name));
    }
    view.schema = kPublicSchema;
    view.name = ref.name.substr(0, catalog::kMaxIdentifierBytes);
    view.query = create.query_text;
    view.columns = std::move(columns);
    view.depends_on = std::move(depends_on);
    view.owner = CreatingRoleOid(txn);  // qp/roles.h
    ASSIGN_OR_RETURN(view, catalog::CreateView(txn, std::move(view)));
  }
  RETURN_IF_ERROR(TouchDependencies(txn, view.depends_on));
  return std::string("CREATE VIEW");
}

Result<std::string> RunDropView(const sql::ViewStatement& drop, txn::KvTransaction& txn,
                                catalog::DescriptorCache& cache, std::vector<Notice>& notices) {
  std::vector<catalog::ViewDescriptor> views;
  for (const sql::TableRef& ref : drop.views) {
    std::optional<catalog::ViewDescriptor> view;
    if (ref.schema.empty() || ref.schema == kPublicSchema) {
      ASSIGN_OR_RETURN(view, catalog::LookupView(txn, kPublicSchema, ref.name));
    }
    if (!view) {
      ASSIGN_OR_RETURN(auto table, FindTable(ref, txn, cache));
      if (table) {
        return Status::Sql("42809", fmt::format("\"{}\" is not a view", ref.name))
            .WithHint("Use DROP TABLE to remove a table.");
      }
      if (drop.if_exists) {
        notices.push_back(Notice{"NOTICE", "00000",
                                 fmt::format("view \"{}\" does not exist, skipping", ref.name), "",
                                 ""});
        continue;
      }
      return Status::Sql("42P01", fmt::format("view \"{}\" does not exist", QualifiedName(ref)));
    }
    RETURN_IF_ERROR(CheckViewOwner(txn, *view));  // qp/roles.h
    bool duplicate = false;
    for (const catalog::ViewDescriptor& other : views) duplicate |= other.id == view->id;
    if (!duplicate) views.push_back(std::move(*view));
  }
  std::vector<uint32_t> ids;
  std::vector<std::string> names;
  for (const catalog::ViewDescriptor& view : views) {
    ids.push_back(view.id);
    names.push_back(view.name);
  }
  RETURN_IF_ERROR(DropDependentViews(txn, ids, names, "view", drop.cascade, notices));
  for (const catalog::ViewDescriptor& view : views) RETURN_IF_ERROR(catalog::DropView(txn, view));
  return std::string("DROP VIEW");
}

}  // namespace

Status ViewWriteError(const catalog::ViewDescriptor& view, const char* verb) {
  std::string_view command = verb;
  const char* action = command == "insert into" ? "inserting into"
                       : command == "update"    ? "updating"
                                                : "deleting from";
  const char* keyword = command == "insert into" ? "INSERT"
                        : command == "update"    ? "UPDATE"
                                                 : "DELETE";
  std::optional<std::string> reason;
  Result<sql::ParseResult> parsed = sql::Parse(view.query);
  if (parsed.ok() && parsed->statements.size() == 1 && parsed->statements[0].statement &&
      parsed->statements[0].statement->kind == sql::StatementKind::kSelect) {
    reason = NotUpdatableReason(parsed->statements[0].statement->As<sql::SelectStatement>());
  }
  if (!reason) {
    return Status::Sql("0A000", fmt::format("cannot {} view \"{}\"", verb, view.name))
        .WithDetail("Automatically updatable views are not supported yet.");
  }
  return Status::Sql("55000", fmt::format("cannot {} view \"{}\"", verb, view.name))
      .WithDetail(std::move(*reason))
      .WithHint(fmt::format("To enable {} the view, provide an INSTEAD OF {} trigger or an "
                            "unconditional ON {} DO INSTEAD rule.",
                            action, keyword, keyword));
}

Result<std::string> RunViewStatement(const sql::ViewStatement& statement,
                                     std::shared_ptr<const std::string> source,
                                     txn::KvTransaction& txn, catalog::DescriptorCache& cache,
                                     std::vector<Notice>& notices) {
  if (statement.drop) return RunDropView(statement, txn, cache, notices);
  return RunCreateView(statement, std::move(source), txn, cache);
}

Status DropDependentViews(txn::KvTransaction& txn, const std::vector<uint32_t>& ids,
                          const std::vector<std::string>& names, const char* kind, bool cascade,
                          std::vector<Notice>& notices) {
  BOREALIS_CHECK(ids.size() == names.size(), ids.size(), names.size());
  ASSIGN_OR_RETURN(std::vector<catalog::ViewDescriptor> all, catalog::ListViews(txn));
  if (all.empty()) return Status::Ok();
  // Relation id -> how messages name it ("table t", "view v").
  std::map<uint32_t, std::string> removed;
  for (size_t i = 0; i < ids.size(); ++i) {
    bool is_view = false;
    for (const catalog::ViewDescriptor& view : all) is_view |= view.id == ids[i];
    removed[ids[i]] = fmt::format("{} {}", is_view ? "view" : kind, names[i]);
  }
  std::vector<const catalog::ViewDescriptor*> dependents;
  std::vector<std::string> lines;
  std::string first_root;
  for (bool changed = true; changed;) {
    changed = false;
    for (const catalog::ViewDescriptor& view : all) {
      if (removed.count(view.id) != 0) continue;
      for (uint32_t dependency : view.depends_on) {
        auto it = removed.find(dependency);
        if (it == removed.end()) continue;
        if (first_root.empty()) first_root = it->second;
        lines.push_back(fmt::format("view {} depends on {}", view.name, it->second));
        removed[view.id] = fmt::format("view {}", view.name);
        dependents.push_back(&view);
        changed = true;
        break;
      }
    }
  }
  if (dependents.empty()) return Status::Ok();
  if (!cascade) {
    std::string detail;
    for (const std::string& line : lines) detail += (detail.empty() ? "" : "\n") + line;
    return Status::Sql("2BP01",
                       fmt::format("cannot drop {} because other objects depend on it", first_root))
        .WithDetail(std::move(detail))
        .WithHint("Use DROP ... CASCADE to drop the dependent objects too.");
  }
  if (dependents.size() == 1) {
    notices.push_back(Notice{"NOTICE", "00000",
                             fmt::format("drop cascades to view {}", dependents[0]->name), "", ""});
  } else {
    std::string detail;
    for (const catalog::ViewDescriptor* view : dependents) {
      detail += fmt::format("{}drop cascades to view {}", detail.empty() ? "" : "\n", view->name);
    }
    notices.push_back(Notice{"NOTICE", "00000",
                             fmt::format("drop cascades to {} other objects", dependents.size()),
                             std::move(detail), ""});
  }
  for (const catalog::ViewDescriptor* view : dependents) {
    RETURN_IF_ERROR(catalog::DropView(txn, *view));
  }
  return Status::Ok();
}

Result<std::optional<catalog::ViewDescriptor>> FindView(const sql::TableRef& ref,
                                                        txn::KvTransaction& txn,
                                                        catalog::DescriptorCache& cache) {
  if (ref.is_function || (!ref.schema.empty() && ref.schema != kPublicSchema)) {
    return std::optional<catalog::ViewDescriptor>();
  }
  if (ref.schema.empty() && ResolveSystemTable(ref) != nullptr) {
    return std::optional<catalog::ViewDescriptor>();
  }
  // A cached view costs no read (its expectations ride on the statement's first read).
  ASSIGN_OR_RETURN(std::shared_ptr<const catalog::ViewDescriptor> cached,
                   cache.CachedView(txn, kPublicSchema, ref.name));
  if (cached) return std::optional<catalog::ViewDescriptor>(*cached);
  ASSIGN_OR_RETURN(auto table, FindTable(ref, txn, cache));
  if (table) return std::optional<catalog::ViewDescriptor>();
  ASSIGN_OR_RETURN(std::optional<catalog::ViewDescriptor> view,
                   catalog::LookupView(txn, kPublicSchema, ref.name));
  if (view) cache.RememberView(txn, *view);
  return view;
}

}  // namespace borealis::qp
