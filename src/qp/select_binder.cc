#include "qp/select_binder.h"

#include <algorithm>
#include <limits>
#include <optional>
#include <set>
#include <utility>

#include "fmt/format.h"
#include "qp/function_items.h"
#include "qp/index_statements.h"
#include "qp/roles.h"
#include "qp/system_catalog.h"
#include "qp/temp_tables.h"
#include "qp/view_statements.h"
#include "sql/functions.h"
#include "sql/parser.h"

namespace borealis::qp {

using sql::BoundExpr;
using sql::BoundExprPtr;
using sql::ExprKind;
using sql::TypeId;
using sql::Value;
using sql::planner::PlanKind;
using sql::planner::PlanNode;
using sql::planner::PlanPtr;
using sql::planner::TableInfo;

Status Positioned(Status status, const std::string& source, int location) {
  if (location < 0) return status;
  return std::move(status).WithPosition(sql::ErrorPosition(source, location));
}

std::string QualifiedName(const sql::TableRef& ref) {
  return ref.schema.empty() ? ref.name : ref.schema + "." + ref.name;
}

Result<std::shared_ptr<const catalog::TableDescriptor>> FindTable(const sql::TableRef& ref,
                                                                  txn::KvTransaction& txn,
                                                                  catalog::DescriptorCache& cache) {
  // The session's temporary schema comes first (qp/temp_tables.h).
  std::string_view temp = TempSchemaOf(txn);
  if (ref.schema.empty() && !temp.empty()) {
    ASSIGN_OR_RETURN(auto found, cache.Lookup(txn, temp, ref.name));
    if (found) return found;
  }
  if (!ref.schema.empty() && ref.schema != kPublicSchema) {
    std::optional<std::string> schema = ResolveSchemaQualifier(txn, ref.schema);
    if (!schema || !IsTempSchemaName(*schema)) {
      return std::shared_ptr<const catalog::TableDescriptor>();
    }
    return cache.Lookup(txn, *schema, ref.name);
  }
  return cache.Lookup(txn, kPublicSchema, ref.name);
}

Result<std::unique_ptr<TableInfo>> ResolveTable(const sql::TableRef& ref, const std::string& source,
                                                txn::KvTransaction& txn,
                                                catalog::DescriptorCache& cache,
                                                const char* view_verb) {
  // pg_catalog / information_schema relations (qp/system_catalog.h).
  if (std::unique_ptr<TableInfo> system = ResolveSystemTable(ref)) return system;
  ASSIGN_OR_RETURN(auto descriptor, FindTable(ref, txn, cache));
  if (!descriptor) {
    ASSIGN_OR_RETURN(bool is_index, IsIndexName(txn, ref));  // qp/index_statements.h
    if (is_index) {
      return Positioned(Status::Sql("42809", fmt::format("\"{}\" is an index", ref.name)), source,
                        ref.location);
    }
    ASSIGN_OR_RETURN(std::optional<catalog::ViewDescriptor> view, FindView(ref, txn, cache));
    if (view && view_verb != nullptr) {  // views are read-only for now (view_statements.h)
      return Positioned(ViewWriteError(*view, view_verb), source, ref.location);
    }
    if (view) {
      return Positioned(Status::Sql("42809", fmt::format("\"{}\" is not a table", ref.name)),
                        source, ref.location);
    }
    return Positioned(
        Status::Sql("42P01", fmt::format("relation \"{}\" does not exist", QualifiedName(ref))),
        source, ref.location);
  }
  // qp/roles.h: the verb says what the statement does to its target; FROM items are read.
  std::string_view verb = view_verb != nullptr ? view_verb : "";
  uint32_t wanted = verb == "insert into"   ? catalog::kAclInsert
                    : verb == "update"      ? catalog::kAclUpdate
                    : verb == "delete from" ? catalog::kAclDelete
                                            : catalog::kAclSelect;
  RETURN_IF_ERROR(CheckTablePrivilege(txn, *descriptor, wanted));
  ASSIGN_OR_RETURN(TableInfo info, sql::planner::MakeTableInfo(std::move(descriptor),
                                                               ref.alias.value_or(ref.name)));
  return std::make_unique<TableInfo>(std::move(info));
}

BoundExprPtr ColumnOf(int index, TypeId type, int location) {
  auto column = std::make_unique<BoundExpr>();
  column->kind = sql::BoundKind::kColumn;
  column->type = type;
  column->column_index = index;
  column->location = location;
  return column;
}

PlanPtr Wrap(PlanKind kind, PlanPtr child) {
  auto node = std::make_unique<PlanNode>(kind);
  node->child = std::move(child);
  return node;
}

// The comparison of an ANY subquery reads its own two-value row and is left alone.
void RemapColumns(BoundExpr& expr, const std::vector<int>& layout) {
  if (expr.kind == sql::BoundKind::kColumn) {
    BOREALIS_CHECK_LT(static_cast<size_t>(expr.column_index), layout.size());
    BOREALIS_CHECK_LE(0, layout[expr.column_index]);
    expr.column_index = layout[expr.column_index];
    return;
  }
  if (expr.kind == sql::BoundKind::kSubquery) {
    // ANY: the tests are ours, the last child compares the subquery's own row.
    for (size_t i = 0; i + 1 < expr.children.size(); ++i) RemapColumns(*expr.children[i], layout);
    return;
  }
  for (BoundExprPtr& child : expr.children) RemapColumns(*child, layout);
}

namespace {

bool IsStar(const sql::ParsedExpr& expr) {
  return expr.kind == ExprKind::kColumnRef && expr.As<sql::ColumnRefExpr>().star;
}

bool IsIntegerConstant(const sql::ParsedExpr& expr) {
  return expr.kind == ExprKind::kConstant &&
         expr.As<sql::ConstantExpr>().literal == sql::LiteralKind::kInteger;
}

// PostgreSQL reads a bare constant in GROUP BY / ORDER BY as an output position, so one that is
// not an integer (0.5, 'x', NULL) is an error rather than a constant key.
Status CheckPositionConstant(const sql::ParsedExpr& expr, const char* clause,
                             const std::string& source) {
  if (expr.kind != ExprKind::kConstant || IsIntegerConstant(expr)) return Status::Ok();
  return Positioned(Status::Sql("42601", fmt::format("non-integer constant in {}", clause)), source,
                    expr.location);
}

// The expression a scope column stands for: the row column, or a merged column's expression.
BoundExprPtr ScopeColumnExpr(const sql::Scope& scope, int index, int location) {
  const sql::ScopeColumn& column = scope.columns[index];
  if (column.expr) {
    BoundExprPtr copy = sql::CopyBoundExpr(*column.expr);
    copy->location = location;
    return copy;
  }
  return ColumnOf(index, column.type, location);
}

}  // namespace

Status BindTargets(sql::Binder& binder, const sql::Scope* scope, const StarOrder* star,
                   const std::vector<sql::ResultTarget>& targets, const std::string& source,
                   TargetList& out, bool resolve_unknowns) {
  for (const sql::ResultTarget& target : targets) {
    if (IsStar(*target.expr)) {
      if (scope == nullptr) {
        return Positioned(Status::Sql("42601", "SELECT * with no tables specified is not valid"),
                          source, target.expr->location);
      }
      const auto& ref = target.expr->As<sql::ColumnRefExpr>();
      bool found = false;
      auto emit = [&](size_t i) {
        const sql::ScopeColumn& column = scope->columns[i];
        out.names.push_back(column.name);
        out.types.push_back(column.type);
        out.exprs.push_back(ScopeColumnExpr(*scope, static_cast<int>(i), target.expr->location));
      };
      if (star != nullptr) {
        const std::vector<int>* order = &star->all;
        if (!ref.names.empty()) {
          auto it = star->by_relation.find(ref.names.back());
          order = it == star->by_relation.end() ? nullptr : &it->second;
        }
        found = order != nullptr;
        if (order != nullptr) {
          for (int i : *order) emit(static_cast<size_t>(i));
        }
      } else {
        for (size_t i = 0; i < scope->columns.size(); ++i) {
          const sql::ScopeColumn& column = scope->columns[i];
          if (!ref.names.empty() && column.table != ref.names.back()) continue;
          if (ref.names.empty() && column.qualified_only) continue;
          // A merged USING column belongs to `*` of its join, not to a table's `t.*`.
          if (!ref.names.empty() && column.expr && column.qualified_only) continue;
          found = true;
          if (column.hidden) continue;
          emit(i);
        }
      }
      if (!found) {
        return Positioned(Status::Sql("42P01", fmt::format("missing FROM-clause entry for table "
                                                           "\"{}\"",
                                                           ref.names.back())),
                          source, target.expr->location);
      }
      continue;
    }
    ASSIGN_OR_RETURN(BoundExprPtr bound, binder.BindExpr(*target.expr));
    if (bound->type == TypeId::kInvalid || (resolve_unknowns && bound->type == TypeId::kUnknown)) {
      ASSIGN_OR_RETURN(bound, binder.Coerce(std::move(bound), TypeId::kText, "SELECT"));
    }
    out.names.push_back(target.alias ? *target.alias : sql::ColumnName(*target.expr));
    out.types.push_back(bound->type);
    out.exprs.push_back(std::move(bound));
  }
  return Status::Ok();
}

namespace {

Result<BoundExprPtr> BindLimit(sql::Binder& binder, const sql::ParsedExpr& expr,
                               const char* context) {
  binder.AllowAggregates(false, context);
  ASSIGN_OR_RETURN(BoundExprPtr bound, binder.BindExpr(expr));
  return binder.Coerce(std::move(bound), TypeId::kInt8, context);
}

// The output of a grouped SELECT: expressions bound over the input rows are rewritten over
// the Aggregate node's rows (group keys, then aggregates), as PostgreSQL's parseCheckAggregates
// does: a subtree equal to a GROUP BY expression becomes that key, an aggregate call becomes
// its result, and any other column reference is 42803.
class GroupedOutput {
 public:
  GroupedOutput(const sql::Scope* scope, const std::string& source)
      : scope_(scope), source_(source) {}

  std::vector<BoundExprPtr> keys;
  std::vector<BoundExprPtr> aggregates;

  // The scope whose column order the expressions use (for messages).
  void SetScope(const sql::Scope* scope) { scope_ = scope; }

  Result<BoundExprPtr> Rewrite(BoundExprPtr expr) {
    for (size_t i = 0; i < keys.size(); ++i) {
      if (sql::SameExpr(*expr, *keys[i])) {
        return ColumnOf(static_cast<int>(i), expr->type, expr->location);
      }
    }
    if (expr->kind == sql::BoundKind::kAggregate) {
      size_t index = aggregates.size();
      for (size_t j = 0; j < aggregates.size(); ++j) {
        if (sql::SameExpr(*expr, *aggregates[j])) index = j;
      }
      TypeId type = expr->type;
      int location = expr->location;
      if (index == aggregates.size()) aggregates.push_back(std::move(expr));
      return ColumnOf(static_cast<int>(keys.size() + index), type, location);
    }
    if (expr->kind == sql::BoundKind::kSubquery) {
      if (expr->correlated) {
        return Positioned(Status::Sql("0A000",
                                      "correlated subqueries in grouped queries are "
                                      "not supported yet"),
                          source_, expr->location);
      }
      // ANY: the tests are ours, the comparison (last) the subquery's.
      for (size_t i = 0; i + 1 < expr->children.size(); ++i) {
        ASSIGN_OR_RETURN(expr->children[i], Rewrite(std::move(expr->children[i])));
      }
      return expr;
    }
    if (expr->kind == sql::BoundKind::kColumn) {
      BOREALIS_CHECK(scope_ != nullptr);
      return Positioned(
          Status::Sql("42803", fmt::format("column \"{}.{}\" must appear in the GROUP BY clause "
                                           "or be used in an aggregate function",
                                           scope_->columns[expr->column_index].table,
                                           scope_->columns[expr->column_index].name)),
          source_, expr->location);
    }
    for (BoundExprPtr& child : expr->children) {
      ASSIGN_OR_RETURN(child, Rewrite(std::move(child)));
    }
    return expr;
  }

 private:
  const sql::Scope* scope_;
  const std::string& source_;
};

// Moves each window call of `expr` into `windows` (once per distinct call) and refers to its
// result as the column after the Window node's child's `width` columns.
void ExtractWindows(BoundExprPtr& expr, int width, std::vector<BoundExprPtr>& windows) {
  if (expr->kind == sql::BoundKind::kWindow) {
    size_t index = windows.size();
    for (size_t j = 0; j < windows.size(); ++j) {
      if (sql::SameExpr(*expr, *windows[j])) index = j;
    }
    TypeId type = expr->type;
    int location = expr->location;
    if (index == windows.size()) windows.push_back(std::move(expr));
    expr = ColumnOf(width + static_cast<int>(index), type, location);
    return;
  }
  for (BoundExprPtr& child : expr->children) ExtractWindows(child, width, windows);
}

// PostgreSQL's functional dependency rule: when GROUP BY lists every primary-key column of a
// table, that table's other columns may be used ungrouped. They become extra keys (which
// changes no group). `offset` is the table's first column in the FROM-order row.
void AddFunctionallyDependentKeys(const TableInfo& table, int offset,
                                  std::vector<BoundExprPtr>& keys) {
  auto is_key = [&keys](int column) {
    for (const BoundExprPtr& key : keys) {
      if (key->kind == sql::BoundKind::kColumn && key->column_index == column) return true;
    }
    return false;
  };
  if (table.key_columns.empty()) return;
  for (int column : table.key_columns) {
    if (!is_key(offset + column)) return;
  }
  for (size_t i = 0; i < table.scope.columns.size(); ++i) {
    int column = offset + static_cast<int>(i);
    if (!is_key(column)) keys.push_back(ColumnOf(column, table.scope.columns[i].type, -1));
  }
}

const char* LockingName(sql::LockStrength strength) {
  switch (strength) {
    case sql::LockStrength::kUpdate:
      return "FOR UPDATE";
    case sql::LockStrength::kNoKeyUpdate:
      return "FOR NO KEY UPDATE";
    case sql::LockStrength::kShare:
      return "FOR SHARE";
    case sql::LockStrength::kKeyShare:
      return "FOR KEY SHARE";
    case sql::LockStrength::kNone:
      break;
  }
  return "";
}

// A GROUP BY item as PostgreSQL's findTargetlistEntrySQL92 resolves it (positions are handled
// by the caller): a bare name is an input column, else an output column's alias; anything
// else an expression over the input.
Result<const sql::ParsedExpr*> ResolveGroupItem(const sql::SelectStatement& select,
                                                const sql::ParsedExpr& item,
                                                const sql::Scope* scope) {
  if (item.kind == ExprKind::kColumnRef && item.As<sql::ColumnRefExpr>().names.size() == 1 &&
      !item.As<sql::ColumnRefExpr>().star) {
    const std::string& name = item.As<sql::ColumnRefExpr>().names[0];
    bool is_input = false;
    if (scope != nullptr) {
      for (const sql::ScopeColumn& column : scope->columns) {
        is_input |= column.name == name && !column.qualified_only;
      }
    }
    if (!is_input) {
      for (const sql::ResultTarget& target : select.targets) {
        if (target.alias && *target.alias == name) return target.expr.get();
      }
    }
  }
  return &item;
}

std::vector<BoundExprPtr> SplitConjuncts(BoundExprPtr expr) {
  std::vector<BoundExprPtr> out;
  if (!expr) return out;
  if (expr->kind == sql::BoundKind::kAnd) {
    for (BoundExprPtr& child : expr->children) {
      for (BoundExprPtr& conjunct : SplitConjuncts(std::move(child))) {
        out.push_back(std::move(conjunct));
      }
    }
    return out;
  }
  out.push_back(std::move(expr));
  return out;
}

BoundExprPtr MakeAnd(std::vector<BoundExprPtr> conjuncts) {
  if (conjuncts.empty()) return nullptr;
  if (conjuncts.size() == 1) return std::move(conjuncts[0]);
  auto node = std::make_unique<BoundExpr>();
  node->kind = sql::BoundKind::kAnd;
  node->type = TypeId::kBool;
  node->children = std::move(conjuncts);
  return node;
}

// The FROM-order columns an expression reads; `correlated` when it holds a correlated
// subquery (which may read any of them through the row it is evaluated on).
struct ColumnUse {
  std::vector<int> columns;
  bool correlated = false;

  bool Within(size_t begin, size_t end) const {
    for (int c : columns) {
      if (static_cast<size_t>(c) < begin || static_cast<size_t>(c) >= end) return false;
    }
    return true;
  }
  bool Touches(size_t begin, size_t end) const {
    for (int c : columns) {
      if (static_cast<size_t>(c) >= begin && static_cast<size_t>(c) < end) return true;
    }
    return false;
  }
};

void CollectUse(const BoundExpr& expr, ColumnUse& use) {
  if (expr.kind == sql::BoundKind::kColumn) {
    use.columns.push_back(expr.column_index);
    return;
  }
  if (expr.kind == sql::BoundKind::kSubquery) {
    use.correlated |= expr.correlated;
    for (size_t i = 0; i + 1 < expr.children.size(); ++i) CollectUse(*expr.children[i], use);
    return;
  }
  for (const BoundExprPtr& child : expr.children) CollectUse(*child, use);
}

ColumnUse UseOf(const BoundExpr& expr) {
  ColumnUse use;
  CollectUse(expr, use);
  return use;
}

// Whether `=` between these argument types is the equality of EqualityKey (so a join on it
// can hash): the same type, or integers of any width.
bool HashableEquality(const BoundExpr& expr) {
  if (expr.kind != sql::BoundKind::kFunction || expr.function == nullptr ||
      !expr.function->is_operator || expr.function->name != "=" || expr.children.size() != 2) {
    return false;
  }
  TypeId left = expr.children[0]->type;
  TypeId right = expr.children[1]->type;
  if (sql::IsIntegerType(left) && sql::IsIntegerType(right)) return true;
  if (left != right) return false;
  switch (left) {
    case TypeId::kBool:
    case TypeId::kFloat4:
    case TypeId::kFloat8:
    case TypeId::kNumeric:
    case TypeId::kText:
    case TypeId::kVarchar:
    case TypeId::kBpchar:
    case TypeId::kName:
    case TypeId::kOid:
      return true;
    default:
      return false;
  }
}

// A bound FROM item. Its row columns occupy [first, first + width) of the FROM-order row.
struct FromNode {
  enum class Kind { kTable, kDerived, kList, kOuterJoin };
  Kind kind = Kind::kTable;
  size_t first = 0;
  size_t width = 0;
  const TableInfo* table = nullptr;  // kTable
  PlanPtr derived;                   // kDerived: rows of its columns
  // kDerived read by a lateral join: the subquery's outer references read FROM-order columns
  // [lateral_first, first) (the left side of its join).
  bool lateral = false;
  size_t lateral_first = 0;
  std::vector<std::unique_ptr<FromNode>> children;  // kList: inner-joined; kOuterJoin: 2
  std::vector<BoundExprPtr> conditions;             // ON conjuncts (FROM-order columns)
  sql::JoinType join_type = sql::JoinType::kInner;  // kOuterJoin
  int location = -1;
};

// A FROM clause being bound: the FROM-order row columns and the merged (virtual) columns.
// Star entries: >= 0 a row column, < 0 the virtual column -(entry + 1).
struct FromState {
  std::vector<sql::ScopeColumn> real;
  std::vector<sql::ScopeColumn> merged;
  std::vector<std::string> names;                         // relation names, for 42712
  std::map<std::string, std::vector<int>> relation_star;  // `name.*` (star entries)
  std::vector<std::pair<const TableInfo*, int>> tables;
  bool has_lateral = false;
};

// PostgreSQL's wording when a FROM item names a relation of the same FROM clause that it may
// not see (a subquery without LATERAL, an ON condition referring outside its join).
Status InvalidReference(Status status, const FromState& state) {
  const std::string prefix = "missing FROM-clause entry for table \"";
  if (status.ok() || status.sqlstate() != "42P01" ||
      status.message().compare(0, prefix.size(), prefix) != 0) {
    return status;
  }
  std::string name = status.message().substr(prefix.size());
  if (!name.empty()) name.pop_back();
  if (std::find(state.names.begin(), state.names.end(), name) == state.names.end()) return status;
  Status out = Status::Sql("42P01", fmt::format("invalid reference to FROM-clause entry for "
                                                "table \"{}\"",
                                                name))
                   .WithHint(fmt::format("There is an entry for table \"{}\", but it cannot be "
                                         "referenced from this part of the query.",
                                         name));
  if (status.position() > 0) out = std::move(out).WithPosition(status.position());
  return out;
}

struct Planned {
  PlanPtr root;
  std::vector<int> layout;  // node-local FROM-order column -> position in root's rows
};

struct CteEntry {
  const sql::CommonTableExpr* cte = nullptr;
  bool recursive_with = false;
  size_t depth = 0;                      // binder depth of the WITH clause
  std::vector<const CteEntry*> visible;  // what its body sees (itself too when recursive)
  // While its body binds: the non-recursive term may not refer to it; the recursive term's
  // reference is the work table.
  bool forbid_self = false;
  const char* forbid_message = nullptr;
  int work_table = -1;
  size_t recursive_depth = 0;
  bool self_referenced = false;
  std::vector<std::string> work_names;
  std::vector<TypeId> work_types;
};

}  // namespace

class SelectBinder::Impl {
 public:
  Impl(const std::string& source, sql::Binder& binder, txn::KvTransaction& txn,
       catalog::DescriptorCache& cache, TablePlan& statement)
      : source_(source), binder_(binder), txn_(txn), cache_(cache), statement_(statement) {}

  Status BindQuery(const sql::SelectStatement& select, BoundQuery& out, bool resolve_unknowns);
  Status BindDmlFrom(const TableInfo& target, const std::vector<sql::FromItem>& items,
                     const sql::ExprPtr& where, BoundFrom& out);
  Result<sql::PlannedSubquery> PlanSubquery(const sql::SelectStatement& select);
  Status UseWith(const sql::WithClause& with);

 private:
  Status EnterWith(const sql::WithClause& with, std::vector<std::unique_ptr<CteEntry>>& entries);
  Status BindQueryBody(const sql::SelectStatement& select, BoundQuery& out, bool resolve_unknowns);
  Status ProbeHavingAndOrderBy(const sql::SelectStatement& select,
                               const std::vector<std::string>& output_names);
  Status BindSelectFrom(const sql::SelectStatement& select, BoundQuery& out, bool resolve_unknowns);
  Status BindValues(const sql::SelectStatement& select, BoundQuery& out);
  Status BindSetOperation(const sql::SelectStatement& select, BoundQuery& out);
  Status BindOutputOrderAndLimit(const sql::SelectStatement& select, const char* name,
                                 BoundQuery& out);

  // FROM binding.
  Status BindFrom(const std::vector<const sql::FromItem*>& items, const TableInfo* leading,
                  FromState& state, std::unique_ptr<FromNode>& root, std::vector<int>& star);
  Result<std::unique_ptr<FromNode>> BindItem(const sql::FromItem& item, size_t lateral_first,
                                             FromState& state, std::vector<int>& star);
  Result<std::unique_ptr<FromNode>> BindTable(const TableInfo& table, const std::string& name,
                                              const std::vector<std::string>& column_aliases,
                                              int location, FromState& state,
                                              std::vector<int>& star);
  Result<std::unique_ptr<FromNode>> BindDerived(const sql::SelectStatement* query,
                                                const CteEntry* cte, const std::string& name,
                                                const std::vector<std::string>& column_aliases,
                                                bool lateral, size_t lateral_first, int location,
                                                FromState& state, std::vector<int>& star);
  Result<std::unique_ptr<FromNode>> BindJoin(const sql::FromItem& item, size_t lateral_first,
                                             FromState& state, std::vector<int>& star);
  // f(...) in FROM (qp/function_items.h): a derived table over a Function Scan, implicitly
  // LATERAL.
  Result<std::unique_ptr<FromNode>> BindFunctionFrom(const sql::FromItem& item,
                                                     size_t lateral_first, FromState& state,
                                                     std::vector<int>& star);
  Status BindCteBody(CteEntry& entry, BoundQuery& out);
  // A FROM item naming a view: its stored query, bound as a derived table (view_statements.h).
  Result<std::unique_ptr<FromNode>> BindView(const catalog::ViewDescriptor& view,
                                             const sql::FromItem& item, const std::string& name,
                                             size_t lateral_first, FromState& state,
                                             std::vector<int>& star);
  Status AddRelationName(const std::string& name, FromState& state);
  // The scope of FROM-order columns [begin, end): rebased to start at 0 (a lateral subquery's
  // outer scope), or with the global indexes kept and earlier columns unreachable (ON).
  sql::Scope SubScope(const FromState& state, size_t begin, size_t end, bool rebase) const;
  sql::Scope FinalScope(const FromState& state, StarOrder& star) const;

  // FROM planning.
  Result<Planned> PlanFromNode(FromNode& node, std::vector<BoundExprPtr> conjuncts);
  Result<Planned> PlanList(FromNode& node, std::vector<BoundExprPtr> conjuncts);
  Result<Planned> PlanOuterJoin(FromNode& node, std::vector<BoundExprPtr> conjuncts);
  Result<Planned> PlanFrom(FromNode& root, BoundExprPtr where, const FromState& state);

  const CteEntry* FindCte(const std::string& name) const {
    for (auto it = visible_ctes_.rbegin(); it != visible_ctes_.rend(); ++it) {
      if ((*it)->cte->name == name) return *it;
    }
    return nullptr;
  }

  const std::string& source_;
  sql::Binder& binder_;
  txn::KvTransaction& txn_;
  catalog::DescriptorCache& cache_;
  TablePlan& statement_;
  std::vector<const CteEntry*> visible_ctes_;
  std::vector<std::unique_ptr<CteEntry>> statement_ctes_;  // UseWith's
  int next_work_table_ = 0;
  size_t cte_references_ = 0;
  bool reorder_ = true;        // the query being planned may reorder inner joins
  size_t total_ = 0;           // FROM-order row width of the query being planned
  std::vector<TypeId> types_;  // its column types
  // While planning an item rebuilt per row of earlier list items: the FROM-order columns
  // [first, second) it receives as ExecContext::lateral_row.
  std::pair<size_t, size_t> inherited_{0, 0};
  size_t view_depth_ = 0;                       // views being expanded around what is bound now
  std::vector<sql::ParseResult> view_queries_;  // the parsed view queries (borrowed by binding)
};

// ---------------------------------------------------------------------------------------------
// Queries

Status SelectBinder::Impl::EnterWith(const sql::WithClause& with,
                                     std::vector<std::unique_ptr<CteEntry>>& entries) {
  size_t first = entries.size();
  for (const sql::CommonTableExpr& cte : with.ctes) {
    for (size_t e = first; e < entries.size(); ++e) {
      if (entries[e]->cte->name == cte.name) {
        return Positioned(Status::Sql("42712", fmt::format("WITH query name \"{}\" specified "
                                                           "more than once",
                                                           cte.name)),
                          source_, cte.location);
      }
    }
    if (visible_ctes_.size() >= kMaxCommonTableExpressions) {
      return Status::Sql("54000", fmt::format("at most {} WITH queries may be visible at once "
                                              "(kMaxCommonTableExpressions)",
                                              kMaxCommonTableExpressions));
    }
    auto entry = std::make_unique<CteEntry>();
    entry->cte = &cte;
    entry->recursive_with = with.recursive;
    entry->depth = binder_.Depth();
    entry->visible = visible_ctes_;
    if (entry->recursive_with) entry->visible.push_back(entry.get());
    visible_ctes_.push_back(entry.get());
    entries.push_back(std::move(entry));
  }
  return Status::Ok();
}

Status SelectBinder::Impl::UseWith(const sql::WithClause& with) {
  return EnterWith(with, statement_ctes_);
}

Status SelectBinder::Impl::BindQuery(const sql::SelectStatement& select, BoundQuery& out,
                                     bool resolve_unknowns) {
  if (!select.with) return BindQueryBody(select, out, resolve_unknowns);
  std::vector<std::unique_ptr<CteEntry>> entries;
  std::vector<const CteEntry*> saved = visible_ctes_;
  Status status = EnterWith(*select.with, entries);
  if (status.ok()) status = BindQueryBody(select, out, resolve_unknowns);
  visible_ctes_ = std::move(saved);
  return status;
}

Status SelectBinder::Impl::BindQueryBody(const sql::SelectStatement& select, BoundQuery& out,
                                         bool resolve_unknowns) {
  bool saved_reorder = reorder_;
  size_t saved_total = total_;
  Status status = select.set_operation != sql::SetOperation::kNone ? BindSetOperation(select, out)
                  : !select.values.empty()                         ? BindValues(select, out)
                                           : BindSelectFrom(select, out, resolve_unknowns);
  reorder_ = saved_reorder;
  total_ = saved_total;
  return status;
}

Status SelectBinder::Impl::BindValues(const sql::SelectStatement& select, BoundQuery& out) {
  binder_.AllowAggregates(false, "VALUES");
  ASSIGN_OR_RETURN(sql::BoundSelect bound, binder_.BindSelect(select));
  auto values = std::make_unique<PlanNode>(PlanKind::kValues);
  values->values_rows = std::move(bound.rows);
  out.plan = std::move(values);
  out.column_names = std::move(bound.column_names);
  out.column_types = std::move(bound.column_types);
  return BindOutputOrderAndLimit(select, "VALUES", out);
}

// ORDER BY over a query's output (names and positions only, as PostgreSQL allows after a set
// operation or VALUES), then LIMIT/OFFSET.
Status SelectBinder::Impl::BindOutputOrderAndLimit(const sql::SelectStatement& select,
                                                   const char* name, BoundQuery& out) {
  size_t width = out.column_types.size();
  PlanPtr root = std::move(out.plan);
  if (!select.order_by.empty()) {
    root = Wrap(PlanKind::kSort, std::move(root));
    for (const sql::OrderItem& item : select.order_by) {
      const sql::ParsedExpr& expr = *item.expr;
      int column = -1;
      RETURN_IF_ERROR(CheckPositionConstant(expr, "ORDER BY", source_));
      if (IsIntegerConstant(expr)) {
        int64_t position = expr.As<sql::ConstantExpr>().int_value;
        if (position < 1 || static_cast<size_t>(position) > width) {
          return Positioned(Status::Sql("42P10", fmt::format("ORDER BY position {} is not in "
                                                             "select list",
                                                             position)),
                            source_, expr.location);
        }
        column = static_cast<int>(position - 1);
      } else if (expr.kind == ExprKind::kColumnRef &&
                 expr.As<sql::ColumnRefExpr>().names.size() == 1) {
        const std::string& wanted = expr.As<sql::ColumnRefExpr>().names[0];
        for (size_t i = 0; i < width && column < 0; ++i) {
          if (out.column_names[i] == wanted) column = static_cast<int>(i);
        }
        if (column < 0) {
          std::string message = fmt::format("column \"{}\" does not exist", wanted);
          const auto& right = out.right_column_names;
          if (std::find(right.begin(), right.end(), wanted) != right.end()) {
            return Positioned(
                Status::Sql("42703", message)
                    .WithHint(fmt::format("There is a column named \"{}\" in table \"*SELECT* "
                                          "2\", but it cannot be referenced from this part of "
                                          "the query.",
                                          wanted)),
                source_, expr.location);
          }
          return Positioned(Status::Sql("42703", message), source_, expr.location);
        }
      } else if (std::string_view(name) == "VALUES") {
        return Positioned(
            Status::Sql("0A000", "ORDER BY expressions over VALUES are not supported yet"), source_,
            expr.location);
      } else {
        return Positioned(
            Status::Sql("0A000", "invalid UNION/INTERSECT/EXCEPT ORDER BY clause")
                .WithDetail("Only result column names can be used, not expressions or "
                            "functions.")
                .WithHint(fmt::format("Add the expression/function to every SELECT, or move "
                                      "the {} into a FROM clause.",
                                      name)),
            source_, expr.location);
      }
      sql::planner::SortKey key;
      key.expr = ColumnOf(column, out.column_types[column], expr.location);
      key.descending = item.descending;
      key.nulls_first = item.nulls_first.value_or(item.descending);
      root->sort_keys.push_back(std::move(key));
    }
  }
  if (select.limit_with_ties) {
    return Status::Sql("0A000",
                       "FETCH ... WITH TIES over UNION/INTERSECT/EXCEPT or VALUES is not "
                       "supported yet");
  }
  if (select.limit || select.offset) {
    binder_.SetScope(nullptr);
    root = Wrap(PlanKind::kLimit, std::move(root));
    if (select.limit) {
      ASSIGN_OR_RETURN(root->limit, BindLimit(binder_, *select.limit, "LIMIT"));
    }
    if (select.offset) {
      ASSIGN_OR_RETURN(root->offset, BindLimit(binder_, *select.offset, "OFFSET"));
    }
  }
  out.plan = std::move(root);
  return Status::Ok();
}

// left UNION/INTERSECT/EXCEPT [ALL] right, then ORDER BY and LIMIT/OFFSET.
// Record values are held as their text (sql/row_expressions.h): compared as text, (10) would
// sort before (9) and (1.0) differ from (1.00). Until records keep their fields, whatever
// sorts, groups or removes duplicates of them is refused rather than answered differently
// from PostgreSQL. Row comparisons such as (a, b) < (c, d) compare field by field and work.
namespace {
Status RefuseRecordKey(TypeId type, std::string_view what, const std::string& source,
                       int location) {
  if (type != TypeId::kRecord) return Status::Ok();
  return Positioned(
      Status::Sql("0A000", fmt::format("{} over record values is not supported yet", what)), source,
      location);
}
}  // namespace

Status SelectBinder::Impl::BindSetOperation(const sql::SelectStatement& select, BoundQuery& out) {
  const char* name = select.set_operation == sql::SetOperation::kUnion       ? "UNION"
                     : select.set_operation == sql::SetOperation::kIntersect ? "INTERSECT"
                                                                             : "EXCEPT";
  BoundQuery sides[2];
  // Untyped literals (NULL, 'x') in either side stay unknown until the common type of the
  // column is chosen, as PostgreSQL resolves `SELECT NULL UNION SELECT 1` to integer.
  RETURN_IF_ERROR(BindQuery(*select.left, sides[0], false));
  RETURN_IF_ERROR(BindQuery(*select.right, sides[1], false));
  size_t width = sides[0].column_types.size();
  if (sides[1].column_types.size() != width) {
    const sql::SelectStatement& right = *select.right;
    int location = right.targets.empty() ? -1 : right.targets[0].expr->location;
    return Positioned(
        Status::Sql("42601",
                    fmt::format("each {} query must have the same number of columns", name)),
        source_, location);
  }
  std::vector<TypeId> types;
  for (size_t i = 0; i < width; ++i) {
    std::vector<BoundExprPtr> columns;
    for (BoundQuery& side : sides) {
      columns.push_back(ColumnOf(static_cast<int>(i), side.column_types[i], -1));
    }
    ASSIGN_OR_RETURN(TypeId type, binder_.CommonType(columns, name));
    bool compares = select.set_operation != sql::SetOperation::kUnion || !select.set_all;
    if (compares) RETURN_IF_ERROR(RefuseRecordKey(type, name, source_, -1));
    types.push_back(type);
  }
  for (BoundQuery& side : sides) {
    if (side.column_types == types) continue;
    PlanPtr project = Wrap(PlanKind::kProject, std::move(side.plan));
    for (size_t i = 0; i < width; ++i) {
      ASSIGN_OR_RETURN(
          BoundExprPtr column,
          binder_.Coerce(ColumnOf(static_cast<int>(i), side.column_types[i], -1), types[i], name));
      project->outputs.push_back(std::move(column));
    }
    side.plan = std::move(project);
  }
  PlanPtr root = std::make_unique<PlanNode>(PlanKind::kSetOperation);
  root->set_operation = select.set_operation;
  root->set_all = select.set_all;
  root->child = std::move(sides[0].plan);
  root->right = std::move(sides[1].plan);
  out.plan = std::move(root);
  out.column_names = sides[0].column_names;
  out.right_column_names = sides[1].column_names;
  out.column_types = types;
  return BindOutputOrderAndLimit(select, name, out);
}

// Binds HAVING and ORDER BY of `select` in the FROM scope (aggregates allowed) for their
// errors only, in PostgreSQL's order (transformSelectStmt: HAVING, then ORDER BY, then GROUP
// BY): a GROUP BY that fails reports theirs first. ORDER BY positions and output names are
// left out (they name select-list entries, which bound already).
Status SelectBinder::Impl::ProbeHavingAndOrderBy(const sql::SelectStatement& select,
                                                 const std::vector<std::string>& output_names) {
  binder_.AllowAggregates(true);
  binder_.AllowWindows(false, "HAVING");
  if (select.having) RETURN_IF_ERROR(binder_.BindCondition(*select.having, "HAVING").status());
  binder_.AllowWindows(true);
  for (const sql::OrderItem& order : select.order_by) {
    const sql::ParsedExpr& order_expr = *order.expr;
    RETURN_IF_ERROR(CheckPositionConstant(order_expr, "ORDER BY", source_));
    if (IsIntegerConstant(order_expr)) continue;
    if (order_expr.kind == ExprKind::kColumnRef &&
        order_expr.As<sql::ColumnRefExpr>().names.size() == 1 &&
        std::find(output_names.begin(), output_names.end(),
                  order_expr.As<sql::ColumnRefExpr>().names[0]) != output_names.end()) {
      continue;
    }
    RETURN_IF_ERROR(binder_.BindExpr(order_expr).status());
  }
  return Status::Ok();
}

Status SelectBinder::Impl::BindSelectFrom(const sql::SelectStatement& select, BoundQuery& out,
                                          bool resolve_unknowns) {
  FromState state;
  std::unique_ptr<FromNode> from_root;
  StarOrder star;
  sql::Scope scope;
  const sql::Scope* scope_ptr = nullptr;
  PlanPtr root;
  reorder_ = !select.has_subqueries;
  if (!select.from.empty()) {
    std::vector<const sql::FromItem*> items;
    for (const sql::FromItem& item : select.from) items.push_back(&item);
    RETURN_IF_ERROR(BindFrom(items, nullptr, state, from_root, star.all));
    scope = FinalScope(state, star);
    scope_ptr = &scope;
  } else {
    root = std::make_unique<PlanNode>(PlanKind::kOneRow);
  }
  // FOR UPDATE locks the rows of a single table.
  const TableInfo* locked = nullptr;
  if (select.locking != sql::LockStrength::kNone) {
    if (from_root->kind != FromNode::Kind::kList || from_root->children.size() != 1 ||
        from_root->children[0]->kind != FromNode::Kind::kTable) {
      return Status::Sql("0A000", fmt::format("{} with joins or subqueries in FROM is not "
                                              "supported yet",
                                              LockingName(select.locking)));
    }
    locked = from_root->children[0]->table;
  }
  binder_.SetScope(scope_ptr);
  binder_.AllowAggregates(true);
  binder_.AllowWindows(true);
  TargetList targets;
  RETURN_IF_ERROR(BindTargets(binder_, scope_ptr, scope_ptr ? &star : nullptr, select.targets,
                              source_, targets, resolve_unknowns));
  binder_.AllowWindows(false);
  BoundExprPtr where;
  if (select.where) {
    binder_.AllowAggregates(false, "WHERE");
    ASSIGN_OR_RETURN(where, binder_.BindCondition(*select.where, "WHERE"));
  }
  std::vector<int> layout;
  if (from_root) {
    ASSIGN_OR_RETURN(Planned planned, PlanFrom(*from_root, std::move(where), state));
    root = std::move(planned.root);
    layout = std::move(planned.layout);
  } else if (where) {
    root = sql::planner::MakeFilter(std::move(root), std::move(where));
  }
  GroupedOutput grouped(scope_ptr, source_);
  binder_.AllowAggregates(false, "GROUP BY");
  auto bind_group_item = [&](const sql::ExprPtr& item) -> Status {
    BoundExprPtr key;
    RETURN_IF_ERROR(CheckPositionConstant(*item, "GROUP BY", source_));
    if (IsIntegerConstant(*item)) {
      // A position in the select list as `*` expanded it.
      int64_t position = item->As<sql::ConstantExpr>().int_value;
      if (position < 1 || static_cast<size_t>(position) > targets.exprs.size()) {
        return Positioned(Status::Sql("42P10", fmt::format("GROUP BY position {} is not in "
                                                           "select list",
                                                           position)),
                          source_, item->location);
      }
      const BoundExpr& output = *targets.exprs[position - 1];
      if (sql::ContainsAggregate(output)) {
        return Positioned(Status::Sql("42803", "aggregate functions are not allowed in GROUP BY"),
                          source_, output.location);
      }
      if (sql::ContainsWindow(output)) {
        return Positioned(Status::Sql("42P20", "window functions are not allowed in GROUP BY"),
                          source_, output.location);
      }
      grouped.keys.push_back(sql::CopyBoundExpr(output));
      return Status::Ok();
    }
    ASSIGN_OR_RETURN(const sql::ParsedExpr* expr, ResolveGroupItem(select, *item, scope_ptr));
    ASSIGN_OR_RETURN(key, binder_.BindExpr(*expr));
    if (key->type == TypeId::kUnknown || key->type == TypeId::kInvalid) {
      ASSIGN_OR_RETURN(key, binder_.Coerce(std::move(key), TypeId::kText, "GROUP BY"));
    }
    if (key->type == TypeId::kJson) {  // json has no equality (sql/json_functions.h)
      return Positioned(
          Status::Sql("42883", "could not identify an equality operator for type json"), source_,
          expr->location);
    }
    RETURN_IF_ERROR(RefuseRecordKey(key->type, "GROUP BY", source_, expr->location));
    grouped.keys.push_back(std::move(key));
    return Status::Ok();
  };
  for (const sql::ExprPtr& item : select.group_by) {
    Status bound = bind_group_item(item);
    if (!bound.ok()) {
      // PostgreSQL transforms HAVING and ORDER BY before GROUP BY: their errors come first.
      RETURN_IF_ERROR(ProbeHavingAndOrderBy(select, targets.names));
      return bound;
    }
  }
  for (const BoundExprPtr& key : grouped.keys) {
    if (sql::ContainsSetFunction(*key)) {
      return Positioned(Status::Sql("0A000",
                                    "set-returning functions in GROUP BY are not "
                                    "supported yet"),
                        source_, key->location);
    }
  }
  if (!grouped.keys.empty()) {
    for (const auto& [table, offset] : state.tables) {
      AddFunctionallyDependentKeys(*table, offset, grouped.keys);
    }
  }
  binder_.AllowAggregates(true);
  BoundExprPtr having;
  if (select.having) {
    binder_.AllowWindows(false, "HAVING");
    ASSIGN_OR_RETURN(having, binder_.BindCondition(*select.having, "HAVING"));
  }
  std::vector<sql::planner::SortKey> sort_keys;
  std::vector<int> sort_locations;
  binder_.AllowWindows(true);
  for (const sql::OrderItem& item : select.order_by) {
    const sql::ParsedExpr* expr = item.expr.get();
    // ORDER BY n (output position) and ORDER BY output-name, as PostgreSQL resolves them.
    BoundExprPtr key;
    RETURN_IF_ERROR(CheckPositionConstant(*expr, "ORDER BY", source_));
    if (IsIntegerConstant(*expr)) {
      int64_t position = expr->As<sql::ConstantExpr>().int_value;
      if (position < 1 || static_cast<size_t>(position) > targets.exprs.size()) {
        return Positioned(Status::Sql("42P10", fmt::format("ORDER BY position {} is not in "
                                                           "select list",
                                                           position)),
                          source_, expr->location);
      }
      key = sql::CopyBoundExpr(*targets.exprs[position - 1]);
    } else if (expr->kind == ExprKind::kColumnRef &&
               expr->As<sql::ColumnRefExpr>().names.size() == 1) {
      const std::string& name = expr->As<sql::ColumnRefExpr>().names[0];
      for (const sql::ResultTarget& target : select.targets) {
        if (target.alias && *target.alias == name) {
          expr = target.expr.get();
          break;
        }
      }
    }
    if (!key) {
      ASSIGN_OR_RETURN(key, binder_.BindExpr(*expr));
    }
    if (key->type == TypeId::kUnknown || key->type == TypeId::kInvalid) {
      ASSIGN_OR_RETURN(key, binder_.Coerce(std::move(key), TypeId::kText, "ORDER BY"));
    }
    if (key->type == TypeId::kJson) {  // json has no ordering (sql/json_functions.h)
      return Positioned(
          Status::Sql("42883", "could not identify an ordering operator for type json")
              .WithHint("Use an explicit ordering operator or modify the query."),
          source_, item.expr->location);
    }
    RETURN_IF_ERROR(RefuseRecordKey(key->type, "ORDER BY", source_, item.expr->location));
    sql::planner::SortKey sort_key;
    sort_key.expr = std::move(key);
    sort_key.descending = item.descending;
    sort_key.nulls_first = item.nulls_first.value_or(item.descending);
    sort_keys.push_back(std::move(sort_key));
    sort_locations.push_back(item.expr->location);
  }
  binder_.AllowWindows(false);
  sql::Scope physical_scope;
  if (from_root) {
    for (BoundExprPtr& output : targets.exprs) RemapColumns(*output, layout);
    for (BoundExprPtr& key : grouped.keys) RemapColumns(*key, layout);
    if (having) RemapColumns(*having, layout);
    for (auto& key : sort_keys) RemapColumns(*key.expr, layout);
    physical_scope.columns.resize(state.real.size());
    for (size_t i = 0; i < layout.size(); ++i) physical_scope.columns[layout[i]] = state.real[i];
    grouped.SetScope(&physical_scope);
  }
  bool has_aggregates = having != nullptr && sql::ContainsAggregate(*having);
  for (const BoundExprPtr& output : targets.exprs)
    has_aggregates |= sql::ContainsAggregate(*output);
  for (const auto& key : sort_keys) has_aggregates |= sql::ContainsAggregate(*key.expr);
  bool is_grouped = !select.group_by.empty() || select.having || has_aggregates;
  bool has_windows = false;
  for (const BoundExprPtr& output : targets.exprs) has_windows |= sql::ContainsWindow(*output);
  for (const auto& key : sort_keys) has_windows |= sql::ContainsWindow(*key.expr);
  if (select.locking != sql::LockStrength::kNone) {
    if (is_grouped || select.distinct || has_windows) {
      std::string clause = select.distinct            ? "DISTINCT clause"
                           : !select.group_by.empty() ? "GROUP BY clause"
                           : select.having            ? "HAVING clause"
                           : has_aggregates           ? "aggregate functions"
                                                      : "window functions";
      return Status::Sql(
          "0A000", fmt::format("{} is not allowed with {}", LockingName(select.locking), clause));
    }
    root = Wrap(PlanKind::kLockRows, std::move(root));
    root->table = locked;
  }
  int window_width = from_root ? static_cast<int>(state.real.size()) : 0;
  if (is_grouped) {
    for (BoundExprPtr& output : targets.exprs) {
      ASSIGN_OR_RETURN(output, grouped.Rewrite(std::move(output)));
    }
    if (having) {
      ASSIGN_OR_RETURN(having, grouped.Rewrite(std::move(having)));
    }
    for (auto& key : sort_keys) {
      ASSIGN_OR_RETURN(key.expr, grouped.Rewrite(std::move(key.expr)));
    }
    if (select.group_by.empty() && !has_aggregates && grouped.keys.empty()) {
      // PostgreSQL's degenerate grouping: HAVING without GROUP BY or aggregates makes one
      // group whatever the input holds, so the input is not read at all.
      root = std::make_unique<sql::planner::PlanNode>(PlanKind::kOneRow);
    }
    root = Wrap(PlanKind::kAggregate, std::move(root));
    root->group_keys = std::move(grouped.keys);
    root->aggregates = std::move(grouped.aggregates);
    window_width = static_cast<int>(root->group_keys.size() + root->aggregates.size());
    if (having) root = sql::planner::MakeFilter(std::move(root), std::move(having));
  }
  if (has_windows) {
    std::vector<BoundExprPtr> windows;
    for (BoundExprPtr& output : targets.exprs) ExtractWindows(output, window_width, windows);
    for (auto& key : sort_keys) ExtractWindows(key.expr, window_width, windows);
    root = Wrap(PlanKind::kWindow, std::move(root));
    root->windows = std::move(windows);
  }
  {
    // Set-returning calls of the SELECT list and ORDER BY (qp/function_items.h).
    std::vector<BoundExprPtr*> exprs;
    for (BoundExprPtr& output : targets.exprs) exprs.push_back(&output);
    for (auto& key : sort_keys) exprs.push_back(&key.expr);
    int width = window_width + (has_windows ? static_cast<int>(root->windows.size()) : 0);
    root = PlanSetFunctions(std::move(root), width, exprs);
  }
  if (select.distinct) {
    for (const BoundExprPtr& output : targets.exprs) {
      if (output->type == TypeId::kJson) {  // json has no equality (sql/json_functions.h)
        return Positioned(
            Status::Sql("42883", "could not identify an equality operator for type json"), source_,
            output->location);
      }
      RETURN_IF_ERROR(RefuseRecordKey(output->type, "DISTINCT", source_, output->location));
    }
    for (size_t i = 0; i < sort_keys.size(); ++i) {
      bool in_list = false;
      for (const BoundExprPtr& output : targets.exprs) {
        in_list |= sql::SameExpr(*sort_keys[i].expr, *output);
      }
      if (!in_list) {
        return Positioned(Status::Sql("42P10",
                                      "for SELECT DISTINCT, ORDER BY expressions must "
                                      "appear in select list"),
                          source_, sort_locations[i]);
      }
    }
  }
  if (!sort_keys.empty()) {
    root = Wrap(PlanKind::kSort, std::move(root));
    root->sort_keys = std::move(sort_keys);
  }
  if (select.limit_with_ties) {
    // The Limit compares rows on the sort keys, so it reads the Sort's rows (a Project above
    // it changes nothing it counts: one output row per input row).
    if (select.distinct || root->kind != PlanKind::kSort) {
      return Status::Sql("0A000", "FETCH ... WITH TIES with DISTINCT is not supported yet");
    }
    std::vector<sql::planner::SortKey> tie_keys;
    for (const sql::planner::SortKey& key : root->sort_keys) {
      tie_keys.push_back({sql::CopyBoundExpr(*key.expr), key.descending, key.nulls_first});
    }
    root = Wrap(PlanKind::kLimit, std::move(root));
    root->with_ties = true;
    root->sort_keys = std::move(tie_keys);
    if (select.limit) {
      ASSIGN_OR_RETURN(root->limit, BindLimit(binder_, *select.limit, "LIMIT"));
    }
    if (select.offset) {
      ASSIGN_OR_RETURN(root->offset, BindLimit(binder_, *select.offset, "OFFSET"));
    }
  }
  root = Wrap(PlanKind::kProject, std::move(root));
  root->outputs = std::move(targets.exprs);
  if (select.distinct) root = Wrap(PlanKind::kDistinct, std::move(root));
  if ((select.limit || select.offset) && !select.limit_with_ties) {
    root = Wrap(PlanKind::kLimit, std::move(root));
    if (select.limit) {
      ASSIGN_OR_RETURN(root->limit, BindLimit(binder_, *select.limit, "LIMIT"));
    }
    if (select.offset) {
      ASSIGN_OR_RETURN(root->offset, BindLimit(binder_, *select.offset, "OFFSET"));
    }
  }
  sql::planner::Optimize(*root);
  out.plan = std::move(root);
  out.column_names = std::move(targets.names);
  out.column_types = std::move(targets.types);
  return Status::Ok();
}

Status SelectBinder::Impl::BindDmlFrom(const TableInfo& target,
                                       const std::vector<sql::FromItem>& items,
                                       const sql::ExprPtr& where, BoundFrom& out) {
  FromState state;
  std::unique_ptr<FromNode> root;
  std::vector<const sql::FromItem*> list;
  for (const sql::FromItem& item : items) list.push_back(&item);
  RETURN_IF_ERROR(BindFrom(list, &target, state, root, out.star.all));
  out.scope = FinalScope(state, out.star);
  binder_.SetScope(&out.scope);
  BoundExprPtr bound_where;
  if (where) {
    binder_.AllowAggregates(false, "WHERE");
    ASSIGN_OR_RETURN(bound_where, binder_.BindCondition(*where, "WHERE"));
  }
  // SET, RETURNING and WHERE may hold correlated subqueries, which read the FROM-order row:
  // keep the FROM order.
  reorder_ = false;
  ASSIGN_OR_RETURN(Planned planned, PlanFrom(*root, std::move(bound_where), state));
  sql::planner::Optimize(*planned.root);
  out.plan = std::move(planned.root);
  out.layout = std::move(planned.layout);
  out.tables = std::move(state.tables);
  return Status::Ok();
}

Result<sql::PlannedSubquery> SelectBinder::Impl::PlanSubquery(const sql::SelectStatement& select) {
  if (statement_.subplans.size() >= kMaxSubqueries) {
    return Status::Sql("54000", fmt::format("a statement may have at most {} subqueries "
                                            "(kMaxSubqueries)",
                                            kMaxSubqueries));
  }
  BoundQuery inner;
  RETURN_IF_ERROR(BindQuery(select, inner, true));
  sql::PlannedSubquery planned;
  planned.index = static_cast<int>(statement_.subplans.size());
  planned.column_types = inner.column_types;
  statement_.subplans.push_back(std::move(inner.plan));
  return planned;
}

// ---------------------------------------------------------------------------------------------
// FROM binding

Status SelectBinder::Impl::AddRelationName(const std::string& name, FromState& state) {
  if (name.empty()) return Status::Ok();
  for (const std::string& other : state.names) {
    if (other == name) {
      return Status::Sql("42712", fmt::format("table name \"{}\" specified more than once", name));
    }
  }
  state.names.push_back(name);
  return Status::Ok();
}

sql::Scope SelectBinder::Impl::SubScope(const FromState& state, size_t begin, size_t end,
                                        bool rebase) const {
  sql::Scope scope;
  std::vector<int> map(state.real.size(), -1);
  for (size_t i = 0; i < end; ++i) {
    if (i < begin) {
      if (rebase) continue;
      sql::ScopeColumn hidden = state.real[i];
      hidden.table.clear();
      hidden.qualified_only = true;  // unreachable: not a column of this join
      scope.columns.push_back(std::move(hidden));
      continue;
    }
    map[i] = static_cast<int>(rebase ? i - begin : i);
    scope.columns.push_back(state.real[i]);
  }
  for (const sql::ScopeColumn& merged : state.merged) {
    ColumnUse use = UseOf(*merged.expr);
    if (use.columns.empty() || !use.Within(begin, end)) continue;
    sql::ScopeColumn copy = merged;
    BoundExprPtr expr = sql::CopyBoundExpr(*merged.expr);
    RemapColumns(*expr, map);
    copy.expr = std::move(expr);
    scope.columns.push_back(std::move(copy));
  }
  return scope;
}

sql::Scope SelectBinder::Impl::FinalScope(const FromState& state, StarOrder& star) const {
  sql::Scope scope;
  scope.columns = state.real;
  for (const sql::ScopeColumn& merged : state.merged) scope.columns.push_back(merged);
  star.by_relation = state.relation_star;
  auto convert = [&state](std::vector<int>& entries) {
    for (int& entry : entries) {
      if (entry < 0) entry = static_cast<int>(state.real.size()) + (-entry - 1);
    }
  };
  convert(star.all);
  for (auto& [name, entries] : star.by_relation) convert(entries);
  return scope;
}

Status SelectBinder::Impl::BindFrom(const std::vector<const sql::FromItem*>& items,
                                    const TableInfo* leading, FromState& state,
                                    std::unique_ptr<FromNode>& root, std::vector<int>& star) {
  root = std::make_unique<FromNode>();
  root->kind = FromNode::Kind::kList;
  if (leading != nullptr) {
    ASSIGN_OR_RETURN(auto node,
                     BindTable(*leading, leading->scope.table_name, {}, -1, state, star));
    root->children.push_back(std::move(node));
  }
  for (const sql::FromItem* item : items) {
    ASSIGN_OR_RETURN(auto node, BindItem(*item, 0, state, star));
    // Inner joins flatten into the list (their ON conjuncts join it).
    if (node->kind == FromNode::Kind::kList) {
      for (auto& child : node->children) root->children.push_back(std::move(child));
      for (auto& condition : node->conditions) root->conditions.push_back(std::move(condition));
    } else {
      root->children.push_back(std::move(node));
    }
  }
  root->first = 0;
  root->width = state.real.size();
  return Status::Ok();
}

Result<std::unique_ptr<FromNode>> SelectBinder::Impl::BindItem(const sql::FromItem& item,
                                                               size_t lateral_first,
                                                               FromState& state,
                                                               std::vector<int>& star) {
  switch (item.kind) {
    case sql::FromKind::kJoin:
      return BindJoin(item, lateral_first, state, star);
    case sql::FromKind::kSubquery:
      return BindDerived(item.subquery.get(), nullptr, *item.alias, item.column_aliases,
                         item.lateral, lateral_first, item.location, state, star);
    case sql::FromKind::kTable:
      break;
  }
  const sql::TableRef& ref = item.table;
  std::string name = ref.alias.value_or(ref.name);
  if (ref.schema.empty()) {
    if (const CteEntry* cte = FindCte(ref.name)) {
      return BindDerived(nullptr, cte, name, item.column_aliases, false, lateral_first,
                         ref.location, state, star);
    }
  }
  if (ref.is_function) return BindFunctionFrom(item, lateral_first, state, star);
  std::unique_ptr<TableInfo> info;
  ASSIGN_OR_RETURN(std::optional<catalog::ViewDescriptor> view, FindView(ref, txn_, cache_));
  if (view) return BindView(*view, item, name, lateral_first, state, star);
  ASSIGN_OR_RETURN(info, ResolveTable(ref, source_, txn_, cache_));
  if (view_depth_ == 0 && !info->virtual_table && info->descriptor) {
    statement_.relations_read.push_back(info->descriptor->id);
  }
  const TableInfo* table = info.get();
  statement_.tables.push_back(std::move(info));
  return BindTable(*table, name, item.column_aliases, ref.location, state, star);
}

Result<std::unique_ptr<FromNode>> SelectBinder::Impl::BindTable(
    const TableInfo& table, const std::string& name, const std::vector<std::string>& column_aliases,
    int location, FromState& state, std::vector<int>& star) {
  RETURN_IF_ERROR(AddRelationName(name, state));
  auto node = std::make_unique<FromNode>();
  node->kind = FromNode::Kind::kTable;
  node->table = &table;
  node->first = state.real.size();
  node->width = table.scope.columns.size();
  node->location = location;
  size_t visible = 0;
  for (const sql::ScopeColumn& column : table.scope.columns) visible += !column.hidden;
  if (column_aliases.size() > visible) {
    // No position, as PostgreSQL reports it.
    return Status::Sql("42P10", fmt::format("table \"{}\" has {} columns available but {} "
                                            "columns specified",
                                            name, visible, column_aliases.size()));
  }
  size_t next_alias = 0;
  std::vector<int>& own = state.relation_star[name];
  for (const sql::ScopeColumn& column : table.scope.columns) {
    sql::ScopeColumn copy = column;
    copy.table = name;
    if (!column.hidden) {
      if (next_alias < column_aliases.size()) copy.name = column_aliases[next_alias++];
      star.push_back(static_cast<int>(state.real.size()));
      own.push_back(static_cast<int>(state.real.size()));
    }
    state.real.push_back(std::move(copy));
  }
  state.tables.emplace_back(&table, static_cast<int>(node->first));
  return node;
}

Result<std::unique_ptr<FromNode>> SelectBinder::Impl::BindDerived(
    const sql::SelectStatement* query, const CteEntry* cte, const std::string& name,
    const std::vector<std::string>& column_aliases, bool lateral, size_t lateral_first,
    int location, FromState& state, std::vector<int>& star) {
  RETURN_IF_ERROR(AddRelationName(name, state));
  auto node = std::make_unique<FromNode>();
  node->kind = FromNode::Kind::kDerived;
  node->first = state.real.size();
  node->location = location;
  node->lateral = lateral && lateral_first < node->first;
  node->lateral_first = lateral_first;
  BoundQuery inner;
  if (cte != nullptr && cte->work_table >= 0 && !cte->forbid_self) {
    // The recursive term's reference to its own WITH query: the work table.
    auto* entry = const_cast<CteEntry*>(cte);
    if (binder_.Depth() != entry->recursive_depth) {
      return Positioned(Status::Sql("42P19", fmt::format("recursive reference to query \"{}\" "
                                                         "must not appear within a subquery",
                                                         cte->cte->name)),
                        source_, location);
    }
    if (entry->self_referenced) {
      return Positioned(Status::Sql("42P19", fmt::format("recursive reference to query \"{}\" "
                                                         "must not appear more than once",
                                                         cte->cte->name)),
                        source_, location);
    }
    entry->self_referenced = true;
    auto scan = std::make_unique<PlanNode>(PlanKind::kWorkTableScan);
    scan->work_table = cte->work_table;
    node->derived = std::move(scan);
    inner.column_names = cte->work_names;
    inner.column_types = cte->work_types;
  } else {
    if (cte != nullptr && cte->forbid_self) {
      return Positioned(
          Status::Sql("42P19", fmt::format(fmt::runtime(cte->forbid_message), cte->cte->name)),
          source_, location);
    }
    // Each reference binds the WITH query again: bound the total (nested references could
    // otherwise grow exponentially).
    if (cte != nullptr && ++cte_references_ > kMaxCteReferences) {
      return Status::Sql("54000", fmt::format("a statement may refer to WITH queries at most {} "
                                              "times, counting nested references "
                                              "(kMaxCteReferences)",
                                              kMaxCteReferences));
    }
    sql::Scope lateral_scope;
    if (node->lateral) lateral_scope = SubScope(state, lateral_first, node->first, true);
    binder_.SetScope(node->lateral ? &lateral_scope : nullptr);
    sql::Binder::SubqueryState saved = binder_.EnterSubquery();
    Status bound;
    if (cte != nullptr) {
      std::vector<const CteEntry*> saved_ctes = visible_ctes_;
      visible_ctes_ = cte->visible;
      bound = BindCteBody(*const_cast<CteEntry*>(cte), inner);
      visible_ctes_ = std::move(saved_ctes);
    } else {
      bound = BindQuery(*query, inner, true);
    }
    bool correlated = binder_.LeaveSubquery(std::move(saved));
    RETURN_IF_ERROR(InvalidReference(std::move(bound), state));
    if (cte != nullptr && correlated && binder_.Depth() != cte->depth) {
      return Positioned(
          Status::Sql("0A000", fmt::format("WITH query \"{}\" refers to an enclosing query "
                                           "and is used in a subquery: not supported yet",
                                           cte->cte->name)),
          source_, location);
    }
    PlanPtr scan = Wrap(PlanKind::kSubqueryScan, std::move(inner.plan));
    scan->reads_lateral_row = node->lateral;
    node->derived = std::move(scan);
    if (node->lateral) state.has_lateral = true;
  }
  std::vector<std::string> names = inner.column_names;
  std::vector<const std::vector<std::string>*> renames;
  if (cte != nullptr) renames.push_back(&cte->cte->column_aliases);
  renames.push_back(&column_aliases);
  for (const std::vector<std::string>* aliases : renames) {
    if (aliases->size() > names.size()) {
      const std::string& relation = aliases == &column_aliases ? name : cte->cte->name;
      Status too_many =
          Status::Sql("42P10", fmt::format("{} \"{}\" has {} columns available but {} columns "
                                           "specified",
                                           aliases == &column_aliases ? "table" : "WITH query",
                                           relation, names.size(), aliases->size()));
      // PostgreSQL positions the WITH query's error only (a table alias's has no location).
      if (aliases == &column_aliases) return too_many;
      return Positioned(std::move(too_many), source_, location);
    }
    for (size_t i = 0; i < aliases->size(); ++i) names[i] = (*aliases)[i];
  }
  node->width = names.size();
  std::vector<int>& own = state.relation_star[name];
  for (size_t i = 0; i < names.size(); ++i) {
    star.push_back(static_cast<int>(state.real.size()));
    own.push_back(static_cast<int>(state.real.size()));
    state.real.push_back(sql::ScopeColumn{names[i], inner.column_types[i], false, name});
  }
  return node;
}

Result<std::unique_ptr<FromNode>> SelectBinder::Impl::BindFunctionFrom(const sql::FromItem& item,
                                                                       size_t lateral_first,
                                                                       FromState& state,
                                                                       std::vector<int>& star) {
  const sql::TableRef& ref = item.table;
  std::string name = ref.alias.value_or(ref.name);
  RETURN_IF_ERROR(AddRelationName(name, state));
  auto node = std::make_unique<FromNode>();
  node->kind = FromNode::Kind::kDerived;
  node->first = state.real.size();
  node->location = ref.location;
  node->lateral_first = lateral_first;
  sql::Scope lateral_scope = SubScope(state, lateral_first, node->first, true);
  binder_.SetScope(&lateral_scope);
  sql::Binder::SubqueryState saved = binder_.EnterSubquery();
  Result<BoundFunctionItem> bound = BindFunctionItem(binder_, ref, item.column_aliases, name);
  bool correlated = binder_.LeaveSubquery(std::move(saved));
  binder_.SetScope(nullptr);
  RETURN_IF_ERROR(InvalidReference(bound.status(), state));
  node->lateral = correlated && lateral_first < node->first;
  PlanPtr scan = Wrap(PlanKind::kSubqueryScan, std::move(bound->plan));
  scan->reads_lateral_row = node->lateral;
  node->derived = std::move(scan);
  if (node->lateral) state.has_lateral = true;
  node->width = bound->column_names.size();
  std::vector<int>& own = state.relation_star[name];
  for (size_t i = 0; i < bound->column_names.size(); ++i) {
    star.push_back(static_cast<int>(state.real.size()));
    own.push_back(static_cast<int>(state.real.size()));
    state.real.push_back(
        sql::ScopeColumn{bound->column_names[i], bound->column_types[i], false, name});
  }
  return node;
}

Result<std::unique_ptr<FromNode>> SelectBinder::Impl::BindView(
    const catalog::ViewDescriptor& view, const sql::FromItem& item, const std::string& name,
    size_t lateral_first, FromState& state, std::vector<int>& star) {
  int location = item.table.location;
  if (view_depth_ >= kMaxViewNesting) {
    return Positioned(Status::Sql("42P17", fmt::format("infinite recursion detected in rules for "
                                                       "relation \"{}\"",
                                                       view.name)),
                      source_, location);
  }
  if (view_depth_ == 0) statement_.relations_read.push_back(view.id);
  // The view's relations are checked with its owner's rights (qp/roles.h).
  RETURN_IF_ERROR(CheckViewPrivilege(txn_, view, catalog::kAclSelect));
  ViewOwnerScope owner_scope(txn_, view.owner);
  RETURN_IF_ERROR(owner_scope.status());
  ASSIGN_OR_RETURN(sql::ParseResult parsed, sql::Parse(view.query));
  if (parsed.statements.size() != 1 || parsed.statements[0].statement == nullptr ||
      parsed.statements[0].statement->kind != sql::StatementKind::kSelect) {
    return Status::Corruption(fmt::format("view \"{}\" does not hold one query", view.name));
  }
  view_queries_.push_back(std::move(parsed));
  const auto& query = view_queries_.back().statements[0].statement->As<sql::SelectStatement>();
  // The view's own column names, then the FROM item's aliases over them.
  std::vector<std::string> aliases;
  for (const catalog::ViewColumn& column : view.columns) aliases.push_back(column.name);
  if (item.column_aliases.size() > aliases.size()) {
    return Positioned(
        Status::Sql("42P10", fmt::format("table \"{}\" has {} columns available "
                                         "but {} columns specified",
                                         name, aliases.size(), item.column_aliases.size())),
        source_, location);
  }
  for (size_t i = 0; i < item.column_aliases.size(); ++i) aliases[i] = item.column_aliases[i];
  // The view's query sees the catalog, never the WITH queries around the reference.
  std::vector<const CteEntry*> saved_ctes = std::move(visible_ctes_);
  visible_ctes_.clear();
  ++view_depth_;
  Result<std::unique_ptr<FromNode>> node =
      BindDerived(&query, nullptr, name, aliases, false, lateral_first, location, state, star);
  --view_depth_;
  visible_ctes_ = std::move(saved_ctes);
  if (!node.ok()) {
    // Positions inside the view's text mean nothing in the statement's.
    Status status = node.status();
    if (status.position() > 0) return std::move(status).WithPosition(0);
    return status;
  }
  size_t first = (*node)->first;
  bool same = (*node)->width == view.columns.size();
  for (size_t i = 0; same && i < view.columns.size(); ++i) {
    same = static_cast<uint32_t>(state.real[first + i].type) == view.columns[i].type_oid ||
           (state.real[first + i].type == TypeId::kUnknown && view.columns[i].type_oid == 25);
  }
  if (!same) {
    return Positioned(Status::Sql("0A000", fmt::format("the columns of view \"{}\" changed since "
                                                       "it was created (the tables it reads "
                                                       "were altered); create it again",
                                                       view.name)),
                      source_, location);
  }
  return node;
}

Status SelectBinder::Impl::BindCteBody(CteEntry& entry, BoundQuery& out) {
  const sql::SelectStatement& body = *entry.cte->query;
  const std::string& name = entry.cte->name;
  if (!entry.recursive_with) return BindQuery(body, out, true);
  if (body.set_operation != sql::SetOperation::kUnion || body.with) {
    entry.forbid_self = true;
    entry.forbid_message =
        "recursive query \"{}\" does not have the form non-recursive-term UNION [ALL] "
        "recursive-term";
    Status status = BindQuery(body, out, true);
    entry.forbid_self = false;
    return status;
  }
  BoundQuery left;
  entry.forbid_self = true;
  entry.forbid_message =
      "recursive reference to query \"{}\" must not appear within its "
      "non-recursive term";
  Status status = BindQuery(*body.left, left, true);
  entry.forbid_self = false;
  RETURN_IF_ERROR(status);
  std::vector<std::string> names = left.column_names;
  for (size_t i = 0; i < entry.cte->column_aliases.size() && i < names.size(); ++i) {
    names[i] = entry.cte->column_aliases[i];
  }
  int saved_work_table = entry.work_table;
  entry.work_table = next_work_table_++;
  entry.recursive_depth = binder_.Depth();
  entry.self_referenced = false;
  entry.work_names = names;
  entry.work_types = left.column_types;
  BoundQuery right;
  status = BindQuery(*body.right, right, true);
  bool recursive = entry.self_referenced;
  int work_table = entry.work_table;
  entry.work_table = saved_work_table;
  RETURN_IF_ERROR(status);
  if (!recursive) return BindQuery(body, out, true);  // a plain UNION after all
  if (!body.order_by.empty()) {
    return Status::Sql("0A000", "ORDER BY in a recursive query is not implemented");
  }
  if (body.offset) return Status::Sql("0A000", "OFFSET in a recursive query is not implemented");
  if (body.limit) return Status::Sql("0A000", "LIMIT in a recursive query is not implemented");
  size_t width = left.column_types.size();
  if (right.column_types.size() != width) {
    return Status::Sql("42601", "each UNION query must have the same number of columns");
  }
  bool cast = false;
  for (size_t i = 0; i < width; ++i) {
    std::vector<BoundExprPtr> columns;
    columns.push_back(ColumnOf(0, left.column_types[i], -1));
    columns.push_back(ColumnOf(0, right.column_types[i], -1));
    ASSIGN_OR_RETURN(TypeId common, binder_.CommonType(columns, "UNION"));
    if (common != left.column_types[i]) {
      return Positioned(
          Status::Sql("42804",
                      fmt::format("recursive query \"{}\" column {} has type {} in "
                                  "non-recursive term but type {} overall",
                                  name, i + 1, sql::GetTypeInfo(left.column_types[i]).display_name,
                                  sql::GetTypeInfo(common).display_name))
              .WithHint("Cast the output of the non-recursive term to the correct type."),
          source_, entry.cte->location);
    }
    cast |= right.column_types[i] != common;
  }
  if (cast) {
    PlanPtr project = Wrap(PlanKind::kProject, std::move(right.plan));
    for (size_t i = 0; i < width; ++i) {
      ASSIGN_OR_RETURN(BoundExprPtr column,
                       binder_.Coerce(ColumnOf(static_cast<int>(i), right.column_types[i], -1),
                                      left.column_types[i], "UNION"));
      project->outputs.push_back(std::move(column));
    }
    right.plan = std::move(project);
  }
  auto node = std::make_unique<PlanNode>(PlanKind::kRecursiveUnion);
  node->child = std::move(left.plan);
  node->right = std::move(right.plan);
  node->set_all = body.set_all;
  node->work_table = work_table;
  out.plan = std::move(node);
  out.column_names = left.column_names;
  out.column_types = left.column_types;
  return Status::Ok();
}

Result<std::unique_ptr<FromNode>> SelectBinder::Impl::BindJoin(const sql::FromItem& item,
                                                               size_t lateral_first,
                                                               FromState& state,
                                                               std::vector<int>& star) {
  size_t first = state.real.size();
  size_t merged_first = state.merged.size();
  size_t names_first = state.names.size();
  bool inner = item.join_type == sql::JoinType::kInner;
  std::vector<int> left_star;
  std::vector<int> right_star;
  ASSIGN_OR_RETURN(auto left,
                   BindItem(*item.left, inner ? lateral_first : first, state, left_star));
  size_t right_first = state.real.size();
  // A LATERAL item sees the items on its left: all of an inner join's (flattened) list; for a
  // LEFT JOIN its left input and the items before the join in the enclosing list; nothing of
  // RIGHT/FULL joins (PostgreSQL refuses those).
  size_t right_lateral =
      inner ? lateral_first
      : item.join_type == sql::JoinType::kLeft &&
              (item.right->kind == sql::FromKind::kSubquery ||
               (item.right->kind == sql::FromKind::kTable && item.right->table.is_function))
          ? lateral_first
          : right_first;
  ASSIGN_OR_RETURN(auto right, BindItem(*item.right, right_lateral, state, right_star));
  size_t end = state.real.size();
  std::vector<BoundExprPtr> conditions;

  // USING / NATURAL: the merged columns.
  auto entry_name = [&state](int entry) -> const std::string& {
    return entry >= 0 ? state.real[entry].name : state.merged[-entry - 1].name;
  };
  auto entry_expr = [&state](int entry) -> BoundExprPtr {
    if (entry >= 0) return ColumnOf(entry, state.real[entry].type, -1);
    return sql::CopyBoundExpr(*state.merged[-entry - 1].expr);
  };
  auto find_in = [&](const std::vector<int>& side, const std::string& name, const char* which,
                     bool required) -> Result<int> {
    std::optional<int> found;  // a star entry (negative for merged columns)
    for (int entry : side) {
      if (entry_name(entry) != name) continue;
      if (found) {
        return Positioned(Status::Sql("42702", fmt::format("common column name \"{}\" appears "
                                                           "more than once in {} table",
                                                           name, which)),
                          source_, item.location);
      }
      found = entry;
    }
    if (!found && required) {
      return Positioned(Status::Sql("42703", fmt::format("column \"{}\" specified in USING "
                                                         "clause does not exist in {} table",
                                                         name, which)),
                        source_, item.location);
    }
    return found.value_or(std::numeric_limits<int>::min());
  };
  std::vector<std::string> using_names = item.using_columns;
  if (item.natural) {
    for (int entry : left_star) {
      const std::string& name = entry_name(entry);
      bool in_right = false;
      for (int other : right_star) in_right |= entry_name(other) == name;
      if (in_right) using_names.push_back(name);
    }
  }
  std::vector<int> merged_star;
  std::set<int> used_left;
  std::set<int> used_right;
  for (size_t u = 0; u < using_names.size(); ++u) {
    const std::string& name = using_names[u];
    for (size_t v = 0; v < u; ++v) {
      if (using_names[v] == name) {
        return Positioned(Status::Sql("42701", fmt::format("column name \"{}\" appears more "
                                                           "than once in USING clause",
                                                           name)),
                          source_, item.location);
      }
    }
    ASSIGN_OR_RETURN(int l, find_in(left_star, name, "left", true));
    ASSIGN_OR_RETURN(int r, find_in(right_star, name, "right", true));
    used_left.insert(l);
    used_right.insert(r);
    // PostgreSQL resolves the merged column's type first (42804 "JOIN/USING types ... cannot
    // be matched"), then the equality.
    std::vector<BoundExprPtr> pair;
    pair.push_back(entry_expr(l));
    pair.push_back(entry_expr(r));
    ASSIGN_OR_RETURN(TypeId type, binder_.CommonType(pair, "JOIN/USING"));
    ASSIGN_OR_RETURN(BoundExprPtr equal,
                     binder_.BindBinaryOperator("=", entry_expr(l), entry_expr(r), item.location));
    if (equal->type != TypeId::kBool) {
      return Positioned(Status::Sql("42804", "JOIN/USING equality must yield type boolean"),
                        source_, item.location);
    }
    conditions.push_back(std::move(equal));
    ASSIGN_OR_RETURN(BoundExprPtr left_value, binder_.Coerce(entry_expr(l), type, "JOIN/USING"));
    ASSIGN_OR_RETURN(BoundExprPtr right_value, binder_.Coerce(entry_expr(r), type, "JOIN/USING"));
    BoundExprPtr merged;
    switch (item.join_type) {
      case sql::JoinType::kInner:
      case sql::JoinType::kLeft:
        merged = std::move(left_value);
        break;
      case sql::JoinType::kRight:
        merged = std::move(right_value);
        break;
      case sql::JoinType::kFull: {
        merged = std::make_unique<BoundExpr>();
        merged->kind = sql::BoundKind::kCoalesce;
        merged->type = type;
        merged->children.push_back(std::move(left_value));
        merged->children.push_back(std::move(right_value));
        break;
      }
    }
    sql::ScopeColumn column{name, type, false, ""};
    column.expr = std::shared_ptr<const BoundExpr>(std::move(merged));
    state.merged.push_back(std::move(column));
    merged_star.push_back(-static_cast<int>(state.merged.size()));
    // The inputs answer only to qualified names now.
    for (int entry : {l, r}) {
      if (entry >= 0) {
        state.real[entry].qualified_only = true;
      } else {
        state.merged[-entry - 1].qualified_only = true;
      }
    }
  }
  if (item.on) {
    sql::Scope on_scope = SubScope(state, first, end, false);
    binder_.SetScope(&on_scope);
    binder_.AllowAggregates(false, "JOIN conditions");
    Result<BoundExprPtr> bound_on = binder_.BindCondition(*item.on, "JOIN/ON");
    binder_.SetScope(nullptr);
    if (!bound_on.ok()) return InvalidReference(bound_on.status(), state);
    BoundExprPtr on = std::move(bound_on).value();
    for (BoundExprPtr& conjunct : SplitConjuncts(std::move(on))) {
      conditions.push_back(std::move(conjunct));
    }
  }
  // `*` of the join: merged columns, then the left's others, then the right's.
  std::vector<int> join_star = merged_star;
  for (int entry : left_star) {
    if (!used_left.count(entry)) join_star.push_back(entry);
  }
  for (int entry : right_star) {
    if (!used_right.count(entry)) join_star.push_back(entry);
  }
  if (item.alias) {
    // The alias hides the joined relations' names: the join's columns answer to alias.column.
    std::set<int> in_star(join_star.begin(), join_star.end());
    auto entry_column = [&state](int entry) -> sql::ScopeColumn& {
      return entry >= 0 ? state.real[entry] : state.merged[-entry - 1];
    };
    for (size_t c = first; c < end; ++c) {
      if (!in_star.count(static_cast<int>(c))) {
        state.real[c].table.clear();
        state.real[c].qualified_only = true;
      }
    }
    for (size_t m = merged_first; m < state.merged.size(); ++m) {
      if (!in_star.count(-static_cast<int>(m) - 1)) {
        state.merged[m].table.clear();
        state.merged[m].qualified_only = true;
      }
    }
    if (item.column_aliases.size() > join_star.size()) {
      return Positioned(Status::Sql("42P10", fmt::format("table \"{}\" has {} columns available "
                                                         "but {} columns specified",
                                                         *item.alias, join_star.size(),
                                                         item.column_aliases.size())),
                        source_, item.location);
    }
    for (size_t i = 0; i < join_star.size(); ++i) {
      sql::ScopeColumn& column = entry_column(join_star[i]);
      column.table = *item.alias;
      column.qualified_only = false;
      if (i < item.column_aliases.size()) column.name = item.column_aliases[i];
    }
    // The joined relations' names are hidden behind the alias.
    for (size_t n = names_first; n < state.names.size(); ++n) {
      state.relation_star.erase(state.names[n]);
    }
    state.names.resize(names_first);
    RETURN_IF_ERROR(AddRelationName(*item.alias, state));
    state.relation_star[*item.alias] = join_star;
  }
  star.insert(star.end(), join_star.begin(), join_star.end());

  auto node = std::make_unique<FromNode>();
  node->first = first;
  node->width = end - first;
  node->location = item.location;
  node->conditions = std::move(conditions);
  if (inner) {
    node->kind = FromNode::Kind::kList;
    for (auto* side : {&left, &right}) {
      if ((*side)->kind == FromNode::Kind::kList) {
        for (auto& child : (*side)->children) node->children.push_back(std::move(child));
        for (auto& c : (*side)->conditions) node->conditions.push_back(std::move(c));
      } else {
        node->children.push_back(std::move(*side));
      }
    }
  } else {
    node->kind = FromNode::Kind::kOuterJoin;
    node->join_type = item.join_type;
    node->children.push_back(std::move(left));
    node->children.push_back(std::move(right));
  }
  return node;
}

// ---------------------------------------------------------------------------------------------
// FROM planning

namespace {

// Maps FROM-order columns of `node_first + i` to `layout[i] + offset`; others stay -1.
void MapInto(std::vector<int>& map, size_t node_first, const std::vector<int>& layout, int offset) {
  for (size_t i = 0; i < layout.size(); ++i) map[node_first + i] = layout[i] + offset;
}

// Whether `expr` may move below a derived table's projection: no subqueries, outer
// references, aggregates or window calls, and only operators among the functions (never
// volatile ones such as random()).
bool Pushable(const BoundExpr& expr) {
  switch (expr.kind) {
    case sql::BoundKind::kSubquery:
    case sql::BoundKind::kOuterColumn:
    case sql::BoundKind::kAggregate:
    case sql::BoundKind::kWindow:
    case sql::BoundKind::kSetFunction:
      return false;
    case sql::BoundKind::kFunction:
      if (expr.function == nullptr || !expr.function->is_operator) return false;
      break;
    default:
      break;
  }
  for (const BoundExprPtr& child : expr.children) {
    if (!Pushable(*child)) return false;
  }
  return true;
}

// Whether every column of the derived table `expr` reads is a plain column of the projection
// below it (same type).
bool ThroughProjection(const BoundExpr& expr, const std::vector<BoundExprPtr>& outputs) {
  if (expr.kind == sql::BoundKind::kColumn) {
    if (expr.column_index < 0 || static_cast<size_t>(expr.column_index) >= outputs.size()) {
      return false;
    }
    const BoundExpr& output = *outputs[expr.column_index];
    return output.kind == sql::BoundKind::kColumn && output.type == expr.type;
  }
  for (const BoundExprPtr& child : expr.children) {
    if (!ThroughProjection(*child, outputs)) return false;
  }
  return true;
}

// REQUIRES: ThroughProjection(expr, outputs).
void RewriteThroughProjection(BoundExpr& expr, const std::vector<BoundExprPtr>& outputs) {
  if (expr.kind == sql::BoundKind::kColumn) {
    expr.column_index = outputs[expr.column_index]->column_index;
    return;
  }
  for (BoundExprPtr& child : expr.children) RewriteThroughProjection(*child, outputs);
}

// WHERE conjuncts over a derived table (a view, a subquery in FROM) whose query is a plain
// projection of one table scan (filtered or not, no key access chosen yet) move into that
// scan's filter, so that the outer Optimize can choose the table's access paths (primary key,
// indexes) for them; the others are returned.
std::vector<BoundExprPtr> PushIntoDerived(PlanNode& scan, std::vector<BoundExprPtr> conjuncts) {
  if (conjuncts.empty() || scan.kind != PlanKind::kSubqueryScan || scan.reads_lateral_row ||
      !scan.child || scan.child->kind != PlanKind::kProject || !scan.child->child) {
    return conjuncts;
  }
  PlanNode& project = *scan.child;
  PlanNode* below = project.child.get();
  bool filtered =
      below->kind == PlanKind::kFilter && below->child && below->child->kind == PlanKind::kScan;
  if (!filtered && below->kind != PlanKind::kScan) return conjuncts;
  const PlanNode& table_scan = filtered ? *below->child : *below;
  if (table_scan.access != sql::planner::AccessKind::kFullScan || table_scan.index != nullptr ||
      table_scan.table == nullptr || table_scan.table->virtual_table) {
    return conjuncts;
  }
  std::vector<BoundExprPtr> kept;
  std::vector<BoundExprPtr> moved;
  for (BoundExprPtr& conjunct : conjuncts) {
    if (Pushable(*conjunct) && ThroughProjection(*conjunct, project.outputs)) {
      RewriteThroughProjection(*conjunct, project.outputs);
      moved.push_back(std::move(conjunct));
    } else {
      kept.push_back(std::move(conjunct));
    }
  }
  if (moved.empty()) return kept;
  if (filtered) {
    moved.push_back(std::move(below->predicate));
    below->predicate = MakeAnd(std::move(moved));
  } else {
    project.child = sql::planner::MakeFilter(std::move(project.child), MakeAnd(std::move(moved)));
  }
  return kept;
}

PlanPtr FilterOver(PlanPtr root, std::vector<BoundExprPtr> conjuncts) {
  if (BoundExprPtr filter = MakeAnd(std::move(conjuncts))) {
    return sql::planner::MakeFilter(std::move(root), std::move(filter));
  }
  return root;
}

// The first FROM-order column a LATERAL subquery inside `node` refers to (SIZE_MAX: none).
size_t LateralReach(const FromNode& node) {
  if (node.kind == FromNode::Kind::kDerived) {
    return node.lateral ? node.lateral_first : std::numeric_limits<size_t>::max();
  }
  size_t reach = std::numeric_limits<size_t>::max();
  for (const auto& child : node.children) reach = std::min(reach, LateralReach(*child));
  return reach;
}

std::vector<int> Identity(size_t width) {
  std::vector<int> layout(width);
  for (size_t i = 0; i < width; ++i) layout[i] = static_cast<int>(i);
  return layout;
}

}  // namespace

Result<Planned> SelectBinder::Impl::PlanFrom(FromNode& root, BoundExprPtr where,
                                             const FromState& state) {
  total_ = state.real.size();
  types_.clear();
  for (const sql::ScopeColumn& column : state.real) types_.push_back(column.type);
  return PlanFromNode(root, SplitConjuncts(std::move(where)));
}

Result<Planned> SelectBinder::Impl::PlanFromNode(FromNode& node,
                                                 std::vector<BoundExprPtr> conjuncts) {
  switch (node.kind) {
    case FromNode::Kind::kList:
      return PlanList(node, std::move(conjuncts));
    case FromNode::Kind::kOuterJoin:
      return PlanOuterJoin(node, std::move(conjuncts));
    case FromNode::Kind::kTable:
    case FromNode::Kind::kDerived:
      break;
  }
  Planned planned;
  planned.layout = Identity(node.width);
  std::vector<int> map(total_, -1);
  MapInto(map, node.first, planned.layout, 0);
  for (BoundExprPtr& conjunct : conjuncts) RemapColumns(*conjunct, map);
  PlanPtr leaf = node.kind == FromNode::Kind::kTable ? sql::planner::MakeScan(*node.table)
                                                     : std::move(node.derived);
  if (node.kind == FromNode::Kind::kDerived)
    conjuncts = PushIntoDerived(*leaf, std::move(conjuncts));
  planned.root = FilterOver(std::move(leaf), std::move(conjuncts));
  return planned;
}

// Inner-joined items: a left-deep tree. Conjuncts over one item filter it (pushed down into
// it); the others sit at the lowest join that has all their items (hash keys for equalities
// between the items joined so far and the new one); those with correlated subqueries filter
// the joined rows. Items are joined greedily when reordering is allowed: the most filtered
// first, then items connected to those already joined.
Result<Planned> SelectBinder::Impl::PlanList(FromNode& node, std::vector<BoundExprPtr> conjuncts) {
  size_t n = node.children.size();
  BOREALIS_CHECK_LT(0u, n);
  for (BoundExprPtr& condition : node.conditions) conjuncts.push_back(std::move(condition));
  node.conditions.clear();
  auto child_of = [&node, n](int column) -> int {
    for (size_t t = 0; t < n; ++t) {
      const FromNode& child = *node.children[t];
      if (static_cast<size_t>(column) >= child.first &&
          static_cast<size_t>(column) < child.first + child.width) {
        return static_cast<int>(t);
      }
    }
    return -1;
  };
  struct Use {
    std::vector<bool> children;
    bool correlated = false;
    int count = 0;
  };
  std::vector<Use> uses;
  std::vector<int> single(n, 0);
  bool lateral = false;
  for (const auto& child : node.children) lateral |= LateralReach(*child) < child->first;
  for (const BoundExprPtr& conjunct : conjuncts) {
    ColumnUse use = UseOf(*conjunct);
    Use u{std::vector<bool>(n, false), use.correlated, 0};
    for (int column : use.columns) {
      int t = child_of(column);
      BOREALIS_CHECK_LE(0, t);
      if (!u.children[t]) ++u.count;
      u.children[t] = true;
    }
    if (u.count == 1 && !u.correlated) {
      ++single[std::find(u.children.begin(), u.children.end(), true) - u.children.begin()];
    }
    uses.push_back(std::move(u));
  }
  bool reorder = reorder_ && !lateral;
  std::vector<int> order;
  std::vector<bool> chosen(n, false);
  for (size_t step = 0; step < n; ++step) {
    int best = -1;
    bool best_connected = false;
    for (size_t t = 0; t < n; ++t) {
      if (chosen[t]) continue;
      if (!reorder) {
        best = static_cast<int>(t);
        break;
      }
      bool connected = false;
      for (const Use& use : uses) {
        if (!use.children[t] || use.correlated) continue;
        bool others_chosen = true;
        bool any_other = false;
        for (size_t u = 0; u < n; ++u) {
          if (u == t || !use.children[u]) continue;
          any_other = true;
          others_chosen &= chosen[u];
        }
        connected |= any_other && others_chosen;
      }
      if (best < 0 || (connected && !best_connected) ||
          (connected == best_connected && single[t] > single[best])) {
        best = static_cast<int>(t);
        best_connected = connected;
      }
    }
    chosen[best] = true;
    order.push_back(best);
  }
  std::vector<int> position(n);
  for (size_t p = 0; p < n; ++p) position[order[p]] = static_cast<int>(p);

  std::vector<std::vector<BoundExprPtr>> child_conjuncts(n);  // by child
  std::vector<std::vector<BoundExprPtr>> join_conjuncts(n);   // by join position
  std::vector<BoundExprPtr> top;
  for (size_t i = 0; i < conjuncts.size(); ++i) {
    const Use& use = uses[i];
    if (use.correlated) {
      if (node.first != 0) {
        return Positioned(Status::Sql("0A000",
                                      "correlated subqueries in the conditions of a nested "
                                      "join are not supported yet"),
                          source_, conjuncts[i]->location);
      }
      top.push_back(std::move(conjuncts[i]));
    } else if (use.count <= 1) {
      int t = use.count == 0
                  ? order[0]
                  : static_cast<int>(std::find(use.children.begin(), use.children.end(), true) -
                                     use.children.begin());
      child_conjuncts[t].push_back(std::move(conjuncts[i]));
    } else {
      int last = 0;
      for (size_t t = 0; t < n; ++t) {
        if (use.children[t]) last = std::max(last, position[t]);
      }
      join_conjuncts[last].push_back(std::move(conjuncts[i]));
    }
  }
  Planned planned;
  planned.layout.assign(node.width, -1);
  std::vector<int> map(total_, -1);  // FROM-order -> joined row so far
  int next = 0;
  for (size_t p = 0; p < n; ++p) {
    FromNode& child = *node.children[order[p]];
    // A composite item holding a LATERAL subquery that refers to earlier items of this list
    // (`a, b LEFT JOIN LATERAL (... a ...) ON ...`) is rebuilt for every row of those items,
    // which it inherits as ExecContext::lateral_row.
    size_t reach = LateralReach(child);
    bool inherits = child.kind != FromNode::Kind::kDerived && reach < child.first;
    std::pair<size_t, size_t> saved_inherited = inherited_;
    if (inherits) inherited_ = {reach, child.first};
    Result<Planned> planned_part = PlanFromNode(child, std::move(child_conjuncts[order[p]]));
    inherited_ = saved_inherited;
    if (!planned_part.ok()) return planned_part.status();
    Planned part = std::move(planned_part).value();
    int offset = next;
    MapInto(map, child.first, part.layout, offset);
    for (size_t i = 0; i < part.layout.size(); ++i) {
      planned.layout[child.first - node.first + i] = part.layout[i] + offset;
    }
    next += static_cast<int>(child.width);
    if (p == 0) {
      planned.root = std::move(part.root);
      continue;
    }
    auto join = std::make_unique<PlanNode>(PlanKind::kJoin);
    join->join_type = sql::JoinType::kInner;
    if (child.lateral || inherits) {
      join->lateral = true;
      for (size_t c = inherits ? reach : child.lateral_first; c < child.first; ++c) {
        BOREALIS_CHECK_LE(0, map[c]);
        join->lateral_columns.push_back(map[c]);
      }
    } else {
      // Hash keys: `x = y` with x over the items joined so far and y over this one.
      std::vector<int> local(total_, -1);
      MapInto(local, child.first, part.layout, 0);
      for (const BoundExprPtr& conjunct : join_conjuncts[p]) {
        if (!HashableEquality(*conjunct)) continue;
        const BoundExpr* sides[2] = {conjunct->children[0].get(), conjunct->children[1].get()};
        int here = -1;
        int before = -1;
        for (int s = 0; s < 2; ++s) {
          ColumnUse use = UseOf(*sides[s]);
          if (use.correlated || use.columns.empty()) continue;
          if (use.Within(child.first, child.first + child.width)) {
            here = s;
            continue;
          }
          bool earlier = true;
          for (int column : use.columns) earlier &= map[column] >= 0 && map[column] < offset;
          if (earlier) before = s;
        }
        if (here < 0 || before < 0 || here == before) continue;
        BoundExprPtr left = sql::CopyBoundExpr(*sides[before]);
        RemapColumns(*left, map);
        BoundExprPtr right = sql::CopyBoundExpr(*sides[here]);
        RemapColumns(*right, local);
        join->left_keys.push_back(std::move(left));
        join->right_keys.push_back(std::move(right));
      }
    }
    for (BoundExprPtr& conjunct : join_conjuncts[p]) RemapColumns(*conjunct, map);
    join->predicate = MakeAnd(std::move(join_conjuncts[p]));
    join->child = std::move(planned.root);
    join->right = std::move(part.root);
    planned.root = std::move(join);
  }
  for (BoundExprPtr& conjunct : top) RemapColumns(*conjunct, map);
  planned.root = FilterOver(std::move(planned.root), std::move(top));
  return planned;
}

// LEFT/RIGHT/FULL JOIN. WHERE conjuncts over the preserved side alone go into it; ON
// conjuncts over the nullable side alone filter that side's input; the rest of ON is the
// join's predicate (with hash keys for equalities across the sides), the rest of WHERE filters
// the joined rows.
Result<Planned> SelectBinder::Impl::PlanOuterJoin(FromNode& node,
                                                  std::vector<BoundExprPtr> conjuncts) {
  FromNode& left = *node.children[0];
  FromNode& right = *node.children[1];
  size_t left_end = left.first + left.width;
  size_t right_end = right.first + right.width;
  bool left_preserved = node.join_type != sql::JoinType::kRight;  // LEFT, FULL
  bool right_preserved = node.join_type != sql::JoinType::kLeft;  // RIGHT, FULL
  std::vector<BoundExprPtr> left_conjuncts;
  std::vector<BoundExprPtr> right_conjuncts;
  std::vector<BoundExprPtr> above;
  for (BoundExprPtr& conjunct : conjuncts) {
    ColumnUse use = UseOf(*conjunct);
    bool has_columns = !use.columns.empty() && !use.correlated;
    if (has_columns && use.Within(left.first, left_end) && left_preserved && !right_preserved) {
      left_conjuncts.push_back(std::move(conjunct));
    } else if (has_columns && use.Within(right.first, right_end) && right_preserved &&
               !left_preserved) {
      right_conjuncts.push_back(std::move(conjunct));
    } else {
      above.push_back(std::move(conjunct));
    }
  }
  std::vector<BoundExprPtr> on;
  for (BoundExprPtr& condition : node.conditions) {
    ColumnUse use = UseOf(*condition);
    if (use.correlated && node.first != 0) {
      return Positioned(Status::Sql("0A000",
                                    "correlated subqueries in the conditions of a nested join "
                                    "are not supported yet"),
                        source_, condition->location);
    }
    bool has_columns = !use.columns.empty() && !use.correlated;
    if (has_columns && node.join_type == sql::JoinType::kLeft && !right.lateral &&
        use.Within(right.first, right_end)) {
      right_conjuncts.push_back(std::move(condition));
    } else if (has_columns && node.join_type == sql::JoinType::kRight &&
               use.Within(left.first, left_end)) {
      left_conjuncts.push_back(std::move(condition));
    } else {
      on.push_back(std::move(condition));
    }
  }
  node.conditions.clear();
  ASSIGN_OR_RETURN(Planned left_plan, PlanFromNode(left, std::move(left_conjuncts)));
  ASSIGN_OR_RETURN(Planned right_plan, PlanFromNode(right, std::move(right_conjuncts)));
  std::vector<int> map(total_, -1);
  MapInto(map, left.first, left_plan.layout, 0);
  MapInto(map, right.first, right_plan.layout, static_cast<int>(left.width));
  auto join = std::make_unique<PlanNode>(PlanKind::kJoin);
  join->join_type = node.join_type;
  join->left_types.resize(left.width);
  join->right_types.resize(right.width);
  // NULL padding in physical order: the FROM-order columns' types through each side's layout.
  for (size_t i = 0; i < left.width; ++i) {
    join->left_types[left_plan.layout[i]] = types_[left.first + i];
  }
  for (size_t i = 0; i < right.width; ++i) {
    join->right_types[right_plan.layout[i]] = types_[right.first + i];
  }
  if (right.lateral) {
    join->lateral = true;
    for (size_t c = right.lateral_first; c < right.first; ++c) {
      if (c < left.first) {
        // Inherited from the enclosing list's lateral join (see PlanList).
        BOREALIS_CHECK(c >= inherited_.first && c < inherited_.second);
        join->lateral_columns.push_back(-static_cast<int>(c - inherited_.first) - 1);
        continue;
      }
      BOREALIS_CHECK_LE(0, map[c]);
      join->lateral_columns.push_back(map[c]);
    }
  } else {
    std::vector<int> local(total_, -1);
    MapInto(local, right.first, right_plan.layout, 0);
    for (const BoundExprPtr& conjunct : on) {
      if (!HashableEquality(*conjunct)) continue;
      int left_side = -1;
      int right_side = -1;
      for (int s = 0; s < 2; ++s) {
        ColumnUse use = UseOf(*conjunct->children[s]);
        if (use.correlated || use.columns.empty()) continue;
        if (use.Within(left.first, left_end)) left_side = s;
        if (use.Within(right.first, right_end)) right_side = s;
      }
      if (left_side < 0 || right_side < 0 || left_side == right_side) continue;
      BoundExprPtr left_key = sql::CopyBoundExpr(*conjunct->children[left_side]);
      RemapColumns(*left_key, map);
      BoundExprPtr right_key = sql::CopyBoundExpr(*conjunct->children[right_side]);
      RemapColumns(*right_key, local);
      join->left_keys.push_back(std::move(left_key));
      join->right_keys.push_back(std::move(right_key));
    }
  }
  for (BoundExprPtr& conjunct : on) RemapColumns(*conjunct, map);
  join->predicate = MakeAnd(std::move(on));
  join->child = std::move(left_plan.root);
  join->right = std::move(right_plan.root);
  Planned planned;
  planned.layout.resize(node.width);
  for (size_t i = 0; i < node.width; ++i) planned.layout[i] = map[node.first + i];
  planned.root = std::move(join);
  for (BoundExprPtr& conjunct : above) RemapColumns(*conjunct, map);
  planned.root = FilterOver(std::move(planned.root), std::move(above));
  return planned;
}

// ---------------------------------------------------------------------------------------------

SelectBinder::SelectBinder(const std::string& source, sql::Binder& binder, txn::KvTransaction& txn,
                           catalog::DescriptorCache& cache, TablePlan& statement)
    : impl_(std::make_unique<Impl>(source, binder, txn, cache, statement)) {}

SelectBinder::~SelectBinder() = default;

Status SelectBinder::BindQuery(const sql::SelectStatement& select, BoundQuery& out,
                               bool resolve_unknowns) {
  return impl_->BindQuery(select, out, resolve_unknowns);
}

Result<sql::PlannedSubquery> SelectBinder::PlanSubquery(const sql::SelectStatement& select,
                                                        sql::Binder& /*binder: the same*/) {
  return impl_->PlanSubquery(select);
}

Status SelectBinder::UseWith(const sql::WithClause& with) { return impl_->UseWith(with); }

Status SelectBinder::BindDmlFrom(const TableInfo& target, const std::vector<sql::FromItem>& items,
                                 const sql::ExprPtr& where, BoundFrom& out) {
  return impl_->BindDmlFrom(target, items, where, out);
}

}  // namespace borealis::qp
