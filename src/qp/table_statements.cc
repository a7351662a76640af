#include "qp/table_statements.h"

#include <algorithm>
#include <optional>
#include <set>
#include <utility>

#include "fmt/format.h"
#include "sql/functions.h"
#include "sql/parser.h"

namespace borealis::qp {
namespace {

using sql::BoundExpr;
using sql::BoundExprPtr;
using sql::ExprKind;
using sql::TypeId;
using sql::Value;
using sql::planner::PlanKind;
using sql::planner::PlanNode;
using sql::planner::PlanPtr;
using sql::planner::TableInfo;

constexpr char kPublicSchema[] = "public";

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
  if (!ref.schema.empty() && ref.schema != kPublicSchema) {
    return std::shared_ptr<const catalog::TableDescriptor>();
  }
  return cache.Lookup(txn, kPublicSchema, ref.name);
}

Result<std::unique_ptr<TableInfo>> ResolveTable(const sql::TableRef& ref, const std::string& source,
                                                txn::KvTransaction& txn,
                                                catalog::DescriptorCache& cache) {
  ASSIGN_OR_RETURN(auto descriptor, FindTable(ref, txn, cache));
  if (!descriptor) {
    return Positioned(
        Status::Sql("42P01", fmt::format("relation \"{}\" does not exist", QualifiedName(ref))),
        source, ref.location);
  }
  ASSIGN_OR_RETURN(TableInfo info, sql::planner::MakeTableInfo(std::move(descriptor),
                                                               ref.alias.value_or(ref.name)));
  return std::make_unique<TableInfo>(std::move(info));
}

BoundExprPtr Constant(Value value, int location) {
  auto expr = std::make_unique<BoundExpr>();
  expr->kind = sql::BoundKind::kConstant;
  expr->type = value.type();
  expr->constant = std::move(value);
  expr->location = location;
  return expr;
}

// The column's DEFAULT as a constant of its type (NULL when it has none).
Result<BoundExprPtr> DefaultFor(const TableInfo& table, int column) {
  const catalog::ColumnDescriptor& descriptor = table.descriptor->columns[column];
  TypeId type = table.scope.columns[column].type;
  if (!descriptor.default_text) return Constant(Value::Null(type), -1);
  ASSIGN_OR_RETURN(Value value, sql::ParseText(type, *descriptor.default_text));
  return Constant(std::move(value), -1);
}

Result<BoundExprPtr> AssignTo(sql::Binder& binder, const TableInfo& table, int column,
                              const sql::ParsedExpr& parsed, const std::string& source) {
  ASSIGN_OR_RETURN(BoundExprPtr bound, binder.BindExpr(parsed));
  TypeId from = bound->type == TypeId::kInvalid ? TypeId::kUnknown : bound->type;
  TypeId to = table.scope.columns[column].type;
  ASSIGN_OR_RETURN(BoundExprPtr coerced, binder.CoerceForAssignment(std::move(bound), to));
  if (!coerced) {
    return Positioned(
        Status::Sql("42804",
                    fmt::format("column \"{}\" is of type {} but expression is of type {}",
                                table.scope.columns[column].name, sql::GetTypeInfo(to).display_name,
                                sql::GetTypeInfo(from).display_name))
            .WithHint("You will need to rewrite or cast the expression."),
        source, parsed.location);
  }
  return coerced;
}

bool IsStar(const sql::ParsedExpr& expr) {
  return expr.kind == ExprKind::kColumnRef && expr.As<sql::ColumnRefExpr>().star;
}

BoundExprPtr ColumnOf(int index, TypeId type, int location) {
  auto column = std::make_unique<BoundExpr>();
  column->kind = sql::BoundKind::kColumn;
  column->type = type;
  column->column_index = index;
  column->location = location;
  return column;
}

// Binds a target list (SELECT list or RETURNING) over `scope` (null: no FROM), expanding `*`.
Status BindTargets(sql::Binder& binder, const sql::Scope* scope,
                   const std::vector<sql::ResultTarget>& targets, const std::string& source,
                   TablePlan& plan) {
  for (const sql::ResultTarget& target : targets) {
    if (IsStar(*target.expr)) {
      if (scope == nullptr) {
        return Positioned(Status::Sql("42601", "SELECT * with no tables specified is not valid"),
                          source, target.expr->location);
      }
      const auto& ref = target.expr->As<sql::ColumnRefExpr>();
      bool found = false;
      for (size_t i = 0; i < scope->columns.size(); ++i) {
        const sql::ScopeColumn& column = scope->columns[i];
        if (!ref.names.empty() && column.table != ref.names.back()) continue;
        found = true;
        if (column.hidden) continue;
        plan.column_names.push_back(column.name);
        plan.column_types.push_back(column.type);
        plan.returning.push_back(ColumnOf(static_cast<int>(i), column.type, target.expr->location));
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
    if (bound->type == TypeId::kUnknown || bound->type == TypeId::kInvalid) {
      ASSIGN_OR_RETURN(bound, binder.Coerce(std::move(bound), TypeId::kText, "SELECT"));
    }
    plan.column_names.push_back(target.alias ? *target.alias : sql::ColumnName(*target.expr));
    plan.column_types.push_back(bound->type);
    plan.returning.push_back(std::move(bound));
  }
  plan.returns_rows = true;
  return Status::Ok();
}

PlanPtr Wrap(PlanKind kind, PlanPtr child) {
  auto node = std::make_unique<PlanNode>(kind);
  node->child = std::move(child);
  return node;
}

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
      if (!expr->children.empty()) {  // ANY: the test is ours, the comparison the subquery's
        ASSIGN_OR_RETURN(expr->children[0], Rewrite(std::move(expr->children[0])));
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

// PostgreSQL's functional dependency rule: when GROUP BY lists every primary-key column, the
// table's other columns may be used ungrouped. They become extra keys (which changes no group).
std::vector<BoundExprPtr> FunctionallyDependentKeys(const TableInfo& table,
                                                    const std::vector<BoundExprPtr>& keys) {
  std::vector<BoundExprPtr> extra;
  auto is_key = [&keys](int column) {
    for (const BoundExprPtr& key : keys) {
      if (key->kind == sql::BoundKind::kColumn && key->column_index == column) return true;
    }
    return false;
  };
  for (int column : table.key_columns) {
    if (!is_key(column)) return extra;
  }
  for (size_t i = 0; i < table.scope.columns.size(); ++i) {
    int column = static_cast<int>(i);
    if (!is_key(column)) extra.push_back(ColumnOf(column, table.scope.columns[i].type, -1));
  }
  return extra;
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

bool IsIntegerConstant(const sql::ParsedExpr& expr) {
  return expr.kind == ExprKind::kConstant &&
         expr.As<sql::ConstantExpr>().literal == sql::LiteralKind::kInteger;
}

// A GROUP BY item as PostgreSQL's findTargetlistEntrySQL92 resolves it: an integer is an
// output position; a bare name is an input column, else an output column's alias; anything
// else an expression over the input.
Result<const sql::ParsedExpr*> ResolveGroupItem(const sql::SelectStatement& select,
                                                const sql::ParsedExpr& item,
                                                const sql::Scope* scope,
                                                const std::string& source) {
  if (IsIntegerConstant(item)) {
    int64_t position = item.As<sql::ConstantExpr>().int_value;
    if (position < 1 || static_cast<size_t>(position) > select.targets.size() ||
        IsStar(*select.targets[position - 1].expr)) {
      return Positioned(Status::Sql("42P10", fmt::format("GROUP BY position {} is not in select "
                                                         "list",
                                                         position)),
                        source, item.location);
    }
    return select.targets[position - 1].expr.get();
  }
  if (item.kind == ExprKind::kColumnRef && item.As<sql::ColumnRefExpr>().names.size() == 1 &&
      !item.As<sql::ColumnRefExpr>().star) {
    const std::string& name = item.As<sql::ColumnRefExpr>().names[0];
    bool is_input = false;
    if (scope != nullptr) {
      for (const sql::ScopeColumn& column : scope->columns) is_input |= column.name == name;
    }
    if (!is_input) {
      for (const sql::ResultTarget& target : select.targets) {
        if (target.alias && *target.alias == name) return target.expr.get();
      }
    }
  }
  return &item;
}

// Rewrites column indexes through `layout` (a join's reordering). The comparison of an ANY
// subquery reads its own two-value row and is left alone.
void RemapColumns(BoundExpr& expr, const std::vector<int>& layout) {
  if (expr.kind == sql::BoundKind::kColumn) {
    expr.column_index = layout[expr.column_index];
    return;
  }
  if (expr.kind == sql::BoundKind::kSubquery) {
    if (!expr.children.empty()) RemapColumns(*expr.children[0], layout);
    return;
  }
  for (BoundExprPtr& child : expr.children) RemapColumns(*child, layout);
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

// Which tables (by FROM position) an expression reads; `correlated` when it holds a correlated
// subquery (which may read any of them).
struct TableUse {
  std::vector<bool> tables;
  bool correlated = false;
};

TableUse CollectTableUse(const BoundExpr& expr, const std::vector<int>& table_of_column,
                         size_t table_count) {
  TableUse use{std::vector<bool>(table_count, false), false};
  if (expr.kind == sql::BoundKind::kColumn) {
    use.tables[table_of_column[expr.column_index]] = true;
    return use;
  }
  std::vector<const BoundExpr*> children;
  if (expr.kind == sql::BoundKind::kSubquery) {
    use.correlated = expr.correlated;
    if (!expr.children.empty()) children.push_back(expr.children[0].get());
  } else {
    for (const BoundExprPtr& child : expr.children) children.push_back(child.get());
  }
  for (const BoundExpr* child : children) {
    TableUse inner = CollectTableUse(*child, table_of_column, table_count);
    use.correlated |= inner.correlated;
    for (size_t t = 0; t < table_count; ++t) {
      if (inner.tables[t]) use.tables[t] = true;
    }
  }
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

struct JoinPlan {
  PlanPtr root;
  std::vector<int> layout;  // FROM-order column index -> index in the joined row
};

struct JoinKeys {
  std::vector<BoundExprPtr> left;
  std::vector<BoundExprPtr> right;
};

// When `conjunct` (FROM-order columns, placed at join position `level`) is `left = right` with
// one side over the tables joined before `level` and the other over the table joined there,
// returns the two sides as hash keys: the left over the joined row, the right over that
// table's own row (its columns start at `right_offset` in FROM order).
std::optional<std::pair<BoundExprPtr, BoundExprPtr>> JoinKeyPair(
    const BoundExpr& conjunct, const std::vector<int>& table_of_column, size_t n,
    const std::vector<int>& position, int level, int right_offset, size_t right_width,
    const std::vector<int>& layout) {
  if (!HashableEquality(conjunct)) return std::nullopt;
  const BoundExpr* sides[2] = {conjunct.children[0].get(), conjunct.children[1].get()};
  // Which side is over earlier tables only, which over the level's table only.
  int before = -1;
  int here = -1;
  for (int s = 0; s < 2; ++s) {
    TableUse use = CollectTableUse(*sides[s], table_of_column, n);
    if (use.correlated) return std::nullopt;
    bool any = false, only_here = true, only_before = true;
    for (size_t t = 0; t < n; ++t) {
      if (!use.tables[t]) continue;
      any = true;
      only_here &= position[t] == level;
      only_before &= position[t] < level;
    }
    if (!any) return std::nullopt;
    if (only_here) here = s;
    if (only_before) before = s;
  }
  if (before < 0 || here < 0 || before == here) return std::nullopt;
  BoundExprPtr left = sql::planner::CopyExpr(*sides[before]);
  RemapColumns(*left, layout);
  std::vector<int> local(table_of_column.size(), -1);
  for (size_t c = 0; c < right_width; ++c) local[right_offset + c] = static_cast<int>(c);
  BoundExprPtr right = sql::planner::CopyExpr(*sides[here]);
  RemapColumns(*right, local);
  return std::make_pair(std::move(left), std::move(right));
}

// FROM a, b, ...: a left-deep tree of nested-loop joins. Conjuncts of WHERE over one table
// filter its scan (so the primary-key rule applies there); the others sit at the lowest join
// that has all their tables; those with correlated subqueries filter the joined rows. With
// `reorder`, tables are joined greedily: the one with the most single-table conjuncts first,
// then tables connected to those already joined by a conjunct (most filtered first).
JoinPlan PlanJoin(const std::vector<std::unique_ptr<TableInfo>>& tables, BoundExprPtr where,
                  bool reorder) {
  size_t n = tables.size();
  std::vector<int> table_of_column;
  std::vector<int> offset;
  for (size_t t = 0; t < n; ++t) {
    offset.push_back(static_cast<int>(table_of_column.size()));
    table_of_column.insert(table_of_column.end(), tables[t]->scope.columns.size(),
                           static_cast<int>(t));
  }
  std::vector<BoundExprPtr> conjuncts = SplitConjuncts(std::move(where));
  std::vector<TableUse> uses;
  std::vector<int> single(n, 0);
  for (const BoundExprPtr& conjunct : conjuncts) {
    TableUse use = CollectTableUse(*conjunct, table_of_column, n);
    int count = static_cast<int>(std::count(use.tables.begin(), use.tables.end(), true));
    if (count == 1 && !use.correlated) {
      ++single[std::find(use.tables.begin(), use.tables.end(), true) - use.tables.begin()];
    }
    uses.push_back(std::move(use));
  }
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
      for (const TableUse& use : uses) {
        if (!use.tables[t] || use.correlated) continue;
        bool others_chosen = true;
        bool any_other = false;
        for (size_t u = 0; u < n; ++u) {
          if (u == t || !use.tables[u]) continue;
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
  JoinPlan plan;
  plan.layout.assign(table_of_column.size(), -1);
  std::vector<int> position(n);
  int next = 0;
  for (size_t p = 0; p < n; ++p) {
    int t = order[p];
    position[t] = static_cast<int>(p);
    for (size_t c = 0; c < tables[t]->scope.columns.size(); ++c) {
      plan.layout[offset[t] + c] = next++;
    }
  }
  std::vector<std::vector<BoundExprPtr>> scan_filters(n);  // by join position
  std::vector<std::vector<BoundExprPtr>> join_filters(n);  // by join position
  std::vector<JoinKeys> join_keys(n);                      // by join position
  std::vector<BoundExprPtr> top_filters;
  for (size_t i = 0; i < conjuncts.size(); ++i) {
    const TableUse& use = uses[i];
    int count = 0;
    int last = 0;
    int only = -1;
    for (size_t t = 0; t < n; ++t) {
      if (!use.tables[t]) continue;
      ++count;
      only = static_cast<int>(t);
      last = std::max(last, position[t]);
    }
    if (use.correlated) {
      RemapColumns(*conjuncts[i], plan.layout);
      top_filters.push_back(std::move(conjuncts[i]));
    } else if (count <= 1) {
      int t = count == 0 ? order[0] : only;
      std::vector<int> local(table_of_column.size(), -1);
      for (size_t c = 0; c < tables[t]->scope.columns.size(); ++c) {
        local[offset[t] + c] = static_cast<int>(c);
      }
      RemapColumns(*conjuncts[i], local);
      scan_filters[position[t]].push_back(std::move(conjuncts[i]));
    } else {
      auto keys =
          JoinKeyPair(*conjuncts[i], table_of_column, n, position, last, offset[order[last]],
                      tables[order[last]]->scope.columns.size(), plan.layout);
      if (keys) {
        join_keys[last].left.push_back(std::move(keys->first));
        join_keys[last].right.push_back(std::move(keys->second));
      }
      RemapColumns(*conjuncts[i], plan.layout);
      join_filters[last].push_back(std::move(conjuncts[i]));
    }
  }
  for (size_t p = 0; p < n; ++p) {
    PlanPtr scan = sql::planner::MakeScan(*tables[order[p]]);
    if (BoundExprPtr filter = MakeAnd(std::move(scan_filters[p]))) {
      scan = sql::planner::MakeFilter(std::move(scan), std::move(filter));
    }
    if (p == 0) {
      plan.root = std::move(scan);
      continue;
    }
    PlanPtr join = std::make_unique<PlanNode>(PlanKind::kJoin);
    join->child = std::move(plan.root);
    join->right = std::move(scan);
    join->predicate = MakeAnd(std::move(join_filters[p]));
    join->left_keys = std::move(join_keys[p].left);
    join->right_keys = std::move(join_keys[p].right);
    plan.root = std::move(join);
  }
  if (BoundExprPtr filter = MakeAnd(std::move(top_filters))) {
    plan.root = sql::planner::MakeFilter(std::move(plan.root), std::move(filter));
  }
  return plan;
}

Status BindSelectFrom(const sql::SelectStatement& select, const std::string& source,
                      sql::Binder& binder, txn::KvTransaction& txn, catalog::DescriptorCache& cache,
                      TablePlan& plan) {
  std::unique_ptr<TableInfo> table;
  std::vector<std::unique_ptr<TableInfo>> joined;  // FROM a, b, ...: every table, FROM order
  sql::Scope joined_scope;
  sql::Scope physical_scope;  // joined_scope in the join's row order
  const sql::Scope* scope = nullptr;
  PlanPtr root;
  if (!select.more_from.empty()) {
    if (select.locking != sql::LockStrength::kNone) {
      return Status::Sql("0A000", fmt::format("{} with several tables is not supported yet",
                                              LockingName(select.locking)));
    }
    std::vector<const sql::TableRef*> refs = {&*select.from};
    for (const sql::TableRef& ref : select.more_from) refs.push_back(&ref);
    for (const sql::TableRef* ref : refs) {
      ASSIGN_OR_RETURN(std::unique_ptr<TableInfo> info, ResolveTable(*ref, source, txn, cache));
      for (const auto& other : joined) {
        if (other->scope.table_name == info->scope.table_name) {
          return Status::Sql("42712", fmt::format("table name \"{}\" specified more than once",
                                                  info->scope.table_name));
        }
      }
      for (const sql::ScopeColumn& column : info->scope.columns) {
        joined_scope.columns.push_back(column);
      }
      joined.push_back(std::move(info));
    }
    scope = &joined_scope;
  } else if (select.from) {
    ASSIGN_OR_RETURN(table, ResolveTable(*select.from, source, txn, cache));
    scope = &table->scope;
    root = sql::planner::MakeScan(*table);
  } else {
    root = std::make_unique<PlanNode>(PlanKind::kOneRow);
  }
  binder.SetScope(scope);
  binder.AllowAggregates(true);
  RETURN_IF_ERROR(BindTargets(binder, scope, select.targets, source, plan));
  BoundExprPtr where;
  if (select.where) {
    binder.AllowAggregates(false, "WHERE");
    ASSIGN_OR_RETURN(where, binder.BindCondition(*select.where, "WHERE"));
  }
  // Join order and the row layout it gives (old column index -> new); identity for one table.
  std::vector<int> layout;
  if (!joined.empty()) {
    JoinPlan join = PlanJoin(joined, std::move(where), !select.has_subqueries);
    root = std::move(join.root);
    layout = std::move(join.layout);
  } else if (where) {
    root = sql::planner::MakeFilter(std::move(root), std::move(where));
  }
  GroupedOutput grouped(scope, source);
  binder.AllowAggregates(false, "GROUP BY");
  for (const sql::ExprPtr& item : select.group_by) {
    ASSIGN_OR_RETURN(const sql::ParsedExpr* expr, ResolveGroupItem(select, *item, scope, source));
    ASSIGN_OR_RETURN(BoundExprPtr key, binder.BindExpr(*expr));
    if (key->type == TypeId::kUnknown || key->type == TypeId::kInvalid) {
      ASSIGN_OR_RETURN(key, binder.Coerce(std::move(key), TypeId::kText, "GROUP BY"));
    }
    grouped.keys.push_back(std::move(key));
  }
  if (table && !grouped.keys.empty()) {
    for (BoundExprPtr& key : FunctionallyDependentKeys(*table, grouped.keys)) {
      grouped.keys.push_back(std::move(key));
    }
  }
  binder.AllowAggregates(true);
  BoundExprPtr having;
  if (select.having) {
    ASSIGN_OR_RETURN(having, binder.BindCondition(*select.having, "HAVING"));
  }
  std::vector<sql::planner::SortKey> sort_keys;
  std::vector<int> sort_locations;
  for (const sql::OrderItem& item : select.order_by) {
    const sql::ParsedExpr* expr = item.expr.get();
    // ORDER BY n (output position) and ORDER BY output-name, as PostgreSQL resolves them.
    if (IsIntegerConstant(*expr)) {
      int64_t position = expr->As<sql::ConstantExpr>().int_value;
      if (position < 1 || static_cast<size_t>(position) > select.targets.size() ||
          IsStar(*select.targets[position - 1].expr)) {
        return Positioned(Status::Sql("42P10", fmt::format("ORDER BY position {} is not in "
                                                           "select list",
                                                           position)),
                          source, expr->location);
      }
      expr = select.targets[position - 1].expr.get();
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
    ASSIGN_OR_RETURN(BoundExprPtr key, binder.BindExpr(*expr));
    if (key->type == TypeId::kUnknown || key->type == TypeId::kInvalid) {
      ASSIGN_OR_RETURN(key, binder.Coerce(std::move(key), TypeId::kText, "ORDER BY"));
    }
    sql::planner::SortKey sort_key;
    sort_key.expr = std::move(key);
    sort_key.descending = item.descending;
    sort_key.nulls_first = item.nulls_first.value_or(item.descending);
    sort_keys.push_back(std::move(sort_key));
    sort_locations.push_back(item.expr->location);
  }
  if (!layout.empty()) {
    for (BoundExprPtr& output : plan.returning) RemapColumns(*output, layout);
    for (BoundExprPtr& key : grouped.keys) RemapColumns(*key, layout);
    if (having) RemapColumns(*having, layout);
    for (auto& key : sort_keys) RemapColumns(*key.expr, layout);
    physical_scope.columns.resize(joined_scope.columns.size());
    for (size_t i = 0; i < layout.size(); ++i) {
      physical_scope.columns[layout[i]] = joined_scope.columns[i];
    }
    grouped.SetScope(&physical_scope);
  }
  bool has_aggregates = having != nullptr && sql::ContainsAggregate(*having);
  for (const BoundExprPtr& output : plan.returning)
    has_aggregates |= sql::ContainsAggregate(*output);
  for (const auto& key : sort_keys) has_aggregates |= sql::ContainsAggregate(*key.expr);
  bool is_grouped = !select.group_by.empty() || select.having || has_aggregates;
  if (select.locking != sql::LockStrength::kNone) {
    if (is_grouped || select.distinct) {
      std::string clause = select.distinct            ? "DISTINCT clause"
                           : !select.group_by.empty() ? "GROUP BY clause"
                           : select.having            ? "HAVING clause"
                                                      : "aggregate functions";
      return Status::Sql(
          "0A000", fmt::format("{} is not allowed with {}", LockingName(select.locking), clause));
    }
    root = Wrap(PlanKind::kLockRows, std::move(root));
    root->table = table.get();
  }
  if (is_grouped) {
    for (BoundExprPtr& output : plan.returning) {
      ASSIGN_OR_RETURN(output, grouped.Rewrite(std::move(output)));
    }
    if (having) {
      ASSIGN_OR_RETURN(having, grouped.Rewrite(std::move(having)));
    }
    for (auto& key : sort_keys) {
      ASSIGN_OR_RETURN(key.expr, grouped.Rewrite(std::move(key.expr)));
    }
    root = Wrap(PlanKind::kAggregate, std::move(root));
    root->group_keys = std::move(grouped.keys);
    root->aggregates = std::move(grouped.aggregates);
    if (having) root = sql::planner::MakeFilter(std::move(root), std::move(having));
  }
  if (select.distinct) {
    for (size_t i = 0; i < sort_keys.size(); ++i) {
      bool in_list = false;
      for (const BoundExprPtr& output : plan.returning) {
        in_list |= sql::SameExpr(*sort_keys[i].expr, *output);
      }
      if (!in_list) {
        return Positioned(Status::Sql("42P10",
                                      "for SELECT DISTINCT, ORDER BY expressions must "
                                      "appear in select list"),
                          source, sort_locations[i]);
      }
    }
  }
  if (!sort_keys.empty()) {
    root = Wrap(PlanKind::kSort, std::move(root));
    root->sort_keys = std::move(sort_keys);
  }
  root = Wrap(PlanKind::kProject, std::move(root));
  root->outputs = std::move(plan.returning);
  plan.returning.clear();
  if (select.distinct) root = Wrap(PlanKind::kDistinct, std::move(root));
  if (select.limit || select.offset) {
    root = Wrap(PlanKind::kLimit, std::move(root));
    if (select.limit) {
      ASSIGN_OR_RETURN(root->limit, BindLimit(binder, *select.limit, "LIMIT"));
    }
    if (select.offset) {
      ASSIGN_OR_RETURN(root->offset, BindLimit(binder, *select.offset, "OFFSET"));
    }
  }
  sql::planner::Optimize(*root);
  plan.plan = std::move(root);
  if (table) plan.tables.push_back(std::move(table));
  for (auto& info : joined) plan.tables.push_back(std::move(info));
  return Status::Ok();
}

Status BindQuery(const sql::SelectStatement& select, const std::string& source, sql::Binder& binder,
                 txn::KvTransaction& txn, catalog::DescriptorCache& cache, TablePlan& plan);

// A SELECT's column `index` of type `from`, coerced to `to` (a set operation's common type).
Result<BoundExprPtr> CoerceColumn(sql::Binder& binder, int index, TypeId from, TypeId to,
                                  const char* context) {
  return binder.Coerce(ColumnOf(index, from, -1), to, context);
}

// left UNION/INTERSECT/EXCEPT [ALL] right, then ORDER BY (output names and positions only, as
// in PostgreSQL) and LIMIT/OFFSET.
Status BindSetOperation(const sql::SelectStatement& select, const std::string& source,
                        sql::Binder& binder, txn::KvTransaction& txn,
                        catalog::DescriptorCache& cache, TablePlan& plan) {
  const char* name = select.set_operation == sql::SetOperation::kUnion       ? "UNION"
                     : select.set_operation == sql::SetOperation::kIntersect ? "INTERSECT"
                                                                             : "EXCEPT";
  TablePlan sides[2];
  RETURN_IF_ERROR(BindQuery(*select.left, source, binder, txn, cache, sides[0]));
  RETURN_IF_ERROR(BindQuery(*select.right, source, binder, txn, cache, sides[1]));
  size_t width = sides[0].column_types.size();
  if (sides[1].column_types.size() != width) {
    const sql::SelectStatement& right = *select.right;
    int location = right.targets.empty() ? -1 : right.targets[0].expr->location;
    return Positioned(
        Status::Sql("42601",
                    fmt::format("each {} query must have the same number of columns", name)),
        source, location);
  }
  std::vector<TypeId> types;
  for (size_t i = 0; i < width; ++i) {
    std::vector<BoundExprPtr> columns;
    for (TablePlan& side : sides) {
      columns.push_back(ColumnOf(static_cast<int>(i), side.column_types[i], -1));
    }
    ASSIGN_OR_RETURN(TypeId type, binder.CommonType(columns, name));
    types.push_back(type);
  }
  for (TablePlan& side : sides) {
    if (side.column_types == types) continue;
    PlanPtr project = Wrap(PlanKind::kProject, std::move(side.plan));
    for (size_t i = 0; i < width; ++i) {
      ASSIGN_OR_RETURN(BoundExprPtr column, CoerceColumn(binder, static_cast<int>(i),
                                                         side.column_types[i], types[i], name));
      project->outputs.push_back(std::move(column));
    }
    side.plan = std::move(project);
  }
  PlanPtr root = std::make_unique<PlanNode>(PlanKind::kSetOperation);
  root->set_operation = select.set_operation;
  root->set_all = select.set_all;
  root->child = std::move(sides[0].plan);
  root->right = std::move(sides[1].plan);
  plan.column_names = sides[0].column_names;
  plan.column_types = types;
  for (TablePlan& side : sides) {
    for (auto& table : side.tables) plan.tables.push_back(std::move(table));
  }
  if (!select.order_by.empty()) {
    root = Wrap(PlanKind::kSort, std::move(root));
    for (const sql::OrderItem& item : select.order_by) {
      const sql::ParsedExpr& expr = *item.expr;
      int column = -1;
      if (IsIntegerConstant(expr)) {
        int64_t position = expr.As<sql::ConstantExpr>().int_value;
        if (position < 1 || static_cast<size_t>(position) > width) {
          return Positioned(Status::Sql("42P10", fmt::format("ORDER BY position {} is not in "
                                                             "select list",
                                                             position)),
                            source, expr.location);
        }
        column = static_cast<int>(position - 1);
      } else if (expr.kind == ExprKind::kColumnRef &&
                 expr.As<sql::ColumnRefExpr>().names.size() == 1) {
        const std::string& wanted = expr.As<sql::ColumnRefExpr>().names[0];
        for (size_t i = 0; i < width && column < 0; ++i) {
          if (plan.column_names[i] == wanted) column = static_cast<int>(i);
        }
        if (column < 0) {
          return Positioned(
              Status::Sql("42703", fmt::format("column \"{}\" does not exist", wanted)), source,
              expr.location);
        }
      } else {
        return Positioned(
            Status::Sql("0A000", "invalid UNION/INTERSECT/EXCEPT ORDER BY clause")
                .WithDetail("Only result column names can be used, not expressions or "
                            "functions.")
                .WithHint(fmt::format("Add the expression/function to every SELECT, or move "
                                      "the {} into a FROM clause.",
                                      name)),
            source, expr.location);
      }
      sql::planner::SortKey key;
      key.expr = ColumnOf(column, types[column], expr.location);
      key.descending = item.descending;
      key.nulls_first = item.nulls_first.value_or(item.descending);
      root->sort_keys.push_back(std::move(key));
    }
  }
  if (select.limit || select.offset) {
    binder.SetScope(nullptr);
    root = Wrap(PlanKind::kLimit, std::move(root));
    if (select.limit) {
      ASSIGN_OR_RETURN(root->limit, BindLimit(binder, *select.limit, "LIMIT"));
    }
    if (select.offset) {
      ASSIGN_OR_RETURN(root->offset, BindLimit(binder, *select.offset, "OFFSET"));
    }
  }
  plan.plan = std::move(root);
  plan.returns_rows = true;
  return Status::Ok();
}

Status BindQuery(const sql::SelectStatement& select, const std::string& source, sql::Binder& binder,
                 txn::KvTransaction& txn, catalog::DescriptorCache& cache, TablePlan& plan) {
  if (select.set_operation != sql::SetOperation::kNone) {
    return BindSetOperation(select, source, binder, txn, cache, plan);
  }
  return BindSelectFrom(select, source, binder, txn, cache, plan);
}

// Plans the subqueries of one SELECT into its TablePlan (they share the binder, so $n and
// outer column references resolve as in PostgreSQL).
class StatementSubqueries : public sql::SubqueryPlanner {
 public:
  StatementSubqueries(const std::string& source, txn::KvTransaction& txn,
                      catalog::DescriptorCache& cache, TablePlan& plan)
      : source_(source), txn_(txn), cache_(cache), plan_(plan) {}

  Result<sql::PlannedSubquery> PlanSubquery(const sql::SelectStatement& select,
                                            sql::Binder& binder) override {
    if (!select.values.empty())
      return Status::Sql("0A000", "VALUES in subqueries is not supported yet");
    if (plan_.subplans.size() >= kMaxSubqueries) {
      return Status::Sql("54000", fmt::format("a statement may have at most {} subqueries "
                                              "(kMaxSubqueries)",
                                              kMaxSubqueries));
    }
    TablePlan inner;
    RETURN_IF_ERROR(BindQuery(select, source_, binder, txn_, cache_, inner));
    sql::PlannedSubquery planned;
    planned.index = static_cast<int>(plan_.subplans.size());
    planned.column_types = inner.column_types;
    plan_.subplans.push_back(std::move(inner.plan));
    for (auto& table : inner.tables) plan_.tables.push_back(std::move(table));
    return planned;
  }

 private:
  const std::string& source_;
  txn::KvTransaction& txn_;
  catalog::DescriptorCache& cache_;
  TablePlan& plan_;
};

Result<int> TargetColumn(const TableInfo& table, const sql::NamedColumn& column,
                         const std::string& source) {
  for (size_t i = 0; i < table.scope.columns.size(); ++i) {
    if (!table.scope.columns[i].hidden && table.scope.columns[i].name == column.name) {
      return static_cast<int>(i);
    }
  }
  return Positioned(Status::Sql("42703", fmt::format("column \"{}\" of relation \"{}\" does not "
                                                     "exist",
                                                     column.name, table.descriptor->name)),
                    source, column.location);
}

Status BindInsert(const sql::InsertStatement& insert, const std::string& source,
                  sql::Binder& binder, txn::KvTransaction& txn, catalog::DescriptorCache& cache,
                  TablePlan& plan) {
  ASSIGN_OR_RETURN(auto table, ResolveTable(insert.table, source, txn, cache));
  std::vector<int> targets;
  if (insert.columns.empty()) {
    for (size_t i = 0; i < table->scope.columns.size(); ++i) {
      if (!table->scope.columns[i].hidden) targets.push_back(static_cast<int>(i));
    }
  } else {
    std::set<int> seen;
    for (const sql::NamedColumn& column : insert.columns) {
      ASSIGN_OR_RETURN(int index, TargetColumn(*table, column, source));
      if (!seen.insert(index).second) {
        return Positioned(Status::Sql("42701", fmt::format("column \"{}\" specified more than once",
                                                           column.name)),
                          source, column.location);
      }
      targets.push_back(index);
    }
  }
  if (insert.rows.size() > kMaxInsertRows) {
    return Status::Sql(
        "54000", fmt::format("INSERT may list at most {} rows (kMaxInsertRows)", kMaxInsertRows));
  }
  std::vector<const std::vector<sql::ExprPtr>*> rows;
  static const std::vector<sql::ExprPtr> kDefaultValues;
  if (insert.rows.empty()) {
    rows.push_back(&kDefaultValues);
  } else {
    for (const auto& row : insert.rows) rows.push_back(&row);
  }
  // Without a column list, VALUES fills the first columns and the rest take their defaults.
  if (insert.columns.empty() && !insert.rows.empty() && insert.rows[0].size() < targets.size()) {
    targets.resize(insert.rows[0].size());
  }
  for (const std::vector<sql::ExprPtr>* row : rows) {
    bool default_values = insert.rows.empty();
    if (!default_values && row->size() > targets.size()) {
      return Positioned(Status::Sql("42601", "INSERT has more expressions than target columns"),
                        source, (*row)[targets.size()] ? (*row)[targets.size()]->location : -1);
    }
    if (!default_values && row->size() < targets.size()) {
      return Positioned(Status::Sql("42601", "INSERT has more target columns than expressions"),
                        source, insert.columns.empty() ? -1 : insert.columns[row->size()].location);
    }
    std::vector<BoundExprPtr> full(table->scope.columns.size());
    for (size_t i = 0; i < targets.size() && !default_values; ++i) {
      if ((*row)[i]) {
        ASSIGN_OR_RETURN(full[targets[i]],
                         AssignTo(binder, *table, targets[i], *(*row)[i], source));
      }
    }
    for (size_t i = 0; i < full.size(); ++i) {
      if (!full[i]) {
        ASSIGN_OR_RETURN(full[i], DefaultFor(*table, static_cast<int>(i)));
      }
    }
    plan.insert_rows.push_back(std::move(full));
  }
  if (!insert.returning.empty()) {
    binder.SetScope(&table->scope);
    RETURN_IF_ERROR(BindTargets(binder, &table->scope, insert.returning, source, plan));
  }
  plan.tables.push_back(std::move(table));
  return Status::Ok();
}

// The rows an UPDATE or DELETE touches: a scan of `table` filtered by WHERE (with the
// primary-key access path chosen), plus the RETURNING list.
Status BindRowSource(std::unique_ptr<TableInfo> table, const sql::ExprPtr& where,
                     const std::vector<sql::ResultTarget>& returning, const std::string& source,
                     sql::Binder& binder, TablePlan& plan) {
  PlanPtr root = sql::planner::MakeScan(*table);
  if (where) {
    ASSIGN_OR_RETURN(BoundExprPtr bound, binder.BindCondition(*where, "WHERE"));
    root = sql::planner::MakeFilter(std::move(root), std::move(bound));
  }
  sql::planner::Optimize(*root);
  plan.plan = std::move(root);
  if (!returning.empty()) {
    RETURN_IF_ERROR(BindTargets(binder, &table->scope, returning, source, plan));
  }
  plan.tables.push_back(std::move(table));
  return Status::Ok();
}

Status BindUpdate(const sql::UpdateStatement& update, const std::string& source,
                  sql::Binder& binder, txn::KvTransaction& txn, catalog::DescriptorCache& cache,
                  TablePlan& plan) {
  ASSIGN_OR_RETURN(auto table, ResolveTable(update.table, source, txn, cache));
  binder.SetScope(&table->scope);
  std::set<int> seen;
  for (const sql::Assignment& assignment : update.assignments) {
    ASSIGN_OR_RETURN(int column, TargetColumn(*table, assignment.column, source));
    if (!seen.insert(column).second) {
      return Positioned(Status::Sql("42601", fmt::format("multiple assignments to same column "
                                                         "\"{}\"",
                                                         assignment.column.name)),
                        source, assignment.column.location);
    }
    if (table->descriptor->IsKeyColumn(table->descriptor->columns[column].id)) {
      return Positioned(Status::Sql("0A000", "updating primary key columns is not supported yet"),
                        source, assignment.column.location);
    }
    BoundExprPtr value;
    if (assignment.value) {
      ASSIGN_OR_RETURN(value, AssignTo(binder, *table, column, *assignment.value, source));
    } else {
      ASSIGN_OR_RETURN(value, DefaultFor(*table, column));
    }
    plan.assignments.emplace_back(column, std::move(value));
  }
  return BindRowSource(std::move(table), update.where, update.returning, source, binder, plan);
}

Status BindDelete(const sql::DeleteStatement& remove, const std::string& source,
                  sql::Binder& binder, txn::KvTransaction& txn, catalog::DescriptorCache& cache,
                  TablePlan& plan) {
  ASSIGN_OR_RETURN(auto table, ResolveTable(remove.table, source, txn, cache));
  binder.SetScope(&table->scope);
  return BindRowSource(std::move(table), remove.where, remove.returning, source, binder, plan);
}

Result<std::vector<Value>> EvaluateAll(const std::vector<BoundExprPtr>& exprs,
                                       sql::EvalContext& eval) {
  std::vector<Value> out;
  out.reserve(exprs.size());
  for (const BoundExprPtr& expr : exprs) {
    ASSIGN_OR_RETURN(Value value, sql::Evaluate(*expr, eval));
    out.push_back(std::move(value));
  }
  return out;
}

// A DEFAULT must be a constant here: a literal, possibly negated or cast.
bool IsConstantExpression(const sql::ParsedExpr& expr) {
  switch (expr.kind) {
    case ExprKind::kConstant:
      return true;
    case ExprKind::kCast:
      return IsConstantExpression(*expr.As<sql::CastExpr>().arg);
    case ExprKind::kOperator: {
      const auto& op = expr.As<sql::OperatorExpr>();
      return !op.left && (op.name == "-" || op.name == "+") && IsConstantExpression(*op.right);
    }
    default:
      return false;
  }
}

struct ColumnTypeChoice {
  TypeId type;
  int32_t typmod = -1;
};

Result<ColumnTypeChoice> ChooseColumnType(const sql::ColumnDef& column, const std::string& source) {
  sql::Binder binder(nullptr, {});
  Result<TypeId> bound = binder.BindTypeName(column.type);
  if (!bound.ok()) return Positioned(bound.status(), source, column.type.location);
  ColumnTypeChoice choice{*bound};
  switch (choice.type) {
    case TypeId::kBool:
    case TypeId::kInt2:
    case TypeId::kInt4:
    case TypeId::kInt8:
    case TypeId::kFloat4:
    case TypeId::kFloat8:
    case TypeId::kText:
    case TypeId::kNumeric:
    case TypeId::kVarchar:
      break;
    default:
      return Positioned(
          Status::Sql("0A000", fmt::format("columns of type {} are not supported yet",
                                           sql::GetTypeInfo(choice.type).display_name)),
          source, column.type.location);
  }
  if (column.type.has_modifiers) {
    if (choice.type == TypeId::kVarchar && column.type.modifiers.size() == 1) {
      int64_t length = column.type.modifiers[0];
      if (length < 1 || length > 10485760) {
        return Positioned(Status::Sql("22023", "length for type varchar must be at least 1"),
                          source, column.type.location);
      }
      choice.typmod = static_cast<int32_t>(length + 4);
    } else {
      return Positioned(
          Status::Sql("0A000", fmt::format("type modifiers on {} are not supported yet",
                                           sql::GetTypeInfo(choice.type).display_name)),
          source, column.type.location);
    }
  }
  return choice;
}

}  // namespace

Result<std::shared_ptr<const TablePlan>> BindTableStatement(
    const sql::Statement& statement, std::shared_ptr<const std::string> source,
    std::vector<TypeId> declared, txn::KvTransaction& txn, catalog::DescriptorCache& cache) {
  auto plan = std::make_shared<TablePlan>();
  plan->kind = statement.kind;
  sql::Binder binder(source, std::move(declared));
  StatementSubqueries subqueries(*source, txn, cache, *plan);
  switch (statement.kind) {
    case sql::StatementKind::kSelect:
      binder.SetSubqueryPlanner(&subqueries);
      RETURN_IF_ERROR(
          BindQuery(statement.As<sql::SelectStatement>(), *source, binder, txn, cache, *plan));
      break;
    case sql::StatementKind::kInsert:
      RETURN_IF_ERROR(
          BindInsert(statement.As<sql::InsertStatement>(), *source, binder, txn, cache, *plan));
      break;
    case sql::StatementKind::kUpdate:
      RETURN_IF_ERROR(
          BindUpdate(statement.As<sql::UpdateStatement>(), *source, binder, txn, cache, *plan));
      break;
    case sql::StatementKind::kDelete:
      RETURN_IF_ERROR(
          BindDelete(statement.As<sql::DeleteStatement>(), *source, binder, txn, cache, *plan));
      break;
    default:
      return Status::Internal("not a table statement");
  }
  ASSIGN_OR_RETURN(plan->parameter_types, binder.FinalParameterTypes());
  return std::shared_ptr<const TablePlan>(std::move(plan));
}

Result<DmlResult> RunDml(const TablePlan& plan, txn::KvTransaction& txn, sql::EvalContext eval,
                         const std::function<int64_t()>& next_row_id) {
  DmlResult result;
  const TableInfo& table = *plan.tables[0];
  txn.AddCheckKey(catalog::SchemaVersionKey(table.descriptor->id));
  if (plan.kind == sql::StatementKind::kInsert) {
    for (const std::vector<BoundExprPtr>& exprs : plan.insert_rows) {
      eval.row = {};
      ASSIGN_OR_RETURN(sql::exec::Row row, EvaluateAll(exprs, eval));
      for (size_t i = 0; i < row.size(); ++i) {
        if (table.scope.columns[i].hidden) row[i] = Value::Int(TypeId::kInt8, next_row_id());
      }
      RETURN_IF_ERROR(sql::exec::InsertRow(txn, table, row));
      ++result.count;
      if (plan.returns_rows) {
        eval.row = row;
        ASSIGN_OR_RETURN(sql::exec::Row out, EvaluateAll(plan.returning, eval));
        result.rows.push_back(std::move(out));
      }
    }
    return result;
  }
  sql::exec::ExecContext context{&txn, eval};
  ASSIGN_OR_RETURN(std::unique_ptr<sql::exec::Operator> source,
                   sql::exec::BuildOperator(*plan.plan, context));
  // Read every target row first: writes never feed back into the scan.
  std::vector<sql::exec::Row> targets;
  for (;;) {
    ASSIGN_OR_RETURN(std::optional<sql::exec::Row> row, source->Next());
    if (!row) break;
    targets.push_back(std::move(*row));
  }
  for (sql::exec::Row& row : targets) {
    if (plan.kind == sql::StatementKind::kUpdate) {
      eval.row = row;
      sql::exec::Row updated = row;
      for (const auto& [column, expr] : plan.assignments) {
        ASSIGN_OR_RETURN(updated[column], sql::Evaluate(*expr, eval));
      }
      RETURN_IF_ERROR(sql::exec::UpdateRow(txn, table, updated));
      row = std::move(updated);
    } else {
      RETURN_IF_ERROR(sql::exec::DeleteRow(txn, table, row));
    }
    ++result.count;
    if (plan.returns_rows) {
      eval.row = row;
      ASSIGN_OR_RETURN(sql::exec::Row out, EvaluateAll(plan.returning, eval));
      result.rows.push_back(std::move(out));
    }
  }
  return result;
}

Result<std::string> RunCreateTable(const sql::CreateTableStatement& create,
                                   std::shared_ptr<const std::string> source,
                                   txn::KvTransaction& txn, catalog::DescriptorCache& cache,
                                   std::vector<Notice>& notices) {
  const std::string& text = *source;
  if (!create.table.schema.empty() && create.table.schema != kPublicSchema) {
    return Positioned(
        Status::Sql("3F000", fmt::format("schema \"{}\" does not exist", create.table.schema)),
        text, create.table.location);
  }
  ASSIGN_OR_RETURN(auto existing, FindTable(create.table, txn, cache));
  if (existing) {
    if (create.if_not_exists) {
      notices.push_back(Notice{
          "NOTICE", "42P07",
          fmt::format("relation \"{}\" already exists, skipping", create.table.name), "", ""});
      return std::string("CREATE TABLE");
    }
    return Status::Sql("42P07", fmt::format("relation \"{}\" already exists", create.table.name));
  }
  if (create.columns.size() > catalog::kMaxColumns) {
    return Status::Sql("54011",
                       fmt::format("tables can have at most {} columns", catalog::kMaxColumns));
  }
  catalog::TableDescriptor table;
  table.schema = kPublicSchema;
  table.name = create.table.name;
  std::vector<std::string> key_names = create.primary_key;
  int key_location = create.primary_key_location;
  for (const sql::ColumnDef& def : create.columns) {
    if (table.FindColumn(def.name) != nullptr) {
      return Positioned(
          Status::Sql("42701", fmt::format("column \"{}\" specified more than once", def.name)),
          text, def.location);
    }
    ASSIGN_OR_RETURN(ColumnTypeChoice type, ChooseColumnType(def, text));
    catalog::ColumnDescriptor column;
    column.id = table.next_column_id++;
    column.name = def.name;
    column.type_oid = static_cast<uint32_t>(type.type);
    column.typmod = type.typmod;
    column.not_null = def.not_null;
    if (def.primary_key) {
      if (!key_names.empty()) {
        return Positioned(Status::Sql("42P16", fmt::format("multiple primary keys for table \"{}\" "
                                                           "are not allowed",
                                                           table.name)),
                          text, def.location);
      }
      key_names.push_back(def.name);
    }
    if (def.default_value) {
      if (!IsConstantExpression(*def.default_value)) {
        return Positioned(Status::Sql("0A000",
                                      "DEFAULT expressions other than constants are not "
                                      "supported yet"),
                          text, def.default_value->location);
      }
      sql::Binder binder(source, {}, sql::ParameterMode::kFixed);
      TableInfo info;
      info.scope.columns.push_back(sql::ScopeColumn{def.name, type.type, false, ""});
      ASSIGN_OR_RETURN(BoundExprPtr bound, binder.BindExpr(*def.default_value));
      TypeId from = bound->type == TypeId::kInvalid ? TypeId::kUnknown : bound->type;
      ASSIGN_OR_RETURN(BoundExprPtr coerced,
                       binder.CoerceForAssignment(std::move(bound), type.type));
      if (!coerced) {
        return Positioned(
            Status::Sql("42804", fmt::format("column \"{}\" is of type {} but default expression "
                                             "is of type {}",
                                             def.name, sql::GetTypeInfo(type.type).display_name,
                                             sql::GetTypeInfo(from).display_name))
                .WithHint("You will need to rewrite or cast the expression."),
            text, def.default_value->location);
      }
      sql::EvalContext eval;
      ASSIGN_OR_RETURN(Value value, sql::Evaluate(*coerced, eval));
      if (!value.is_null()) {
        sql::OutputOptions exact;
        exact.extra_float_digits = 3;
        column.default_text = sql::FormatText(value, exact);
      }
    }
    table.columns.push_back(std::move(column));
  }
  if (table.columns.empty()) {
    return Status::Sql("0A000", "tables without columns are not supported yet");
  }
  if (key_names.size() > catalog::kMaxKeyColumns) {
    return Status::Sql("54011", fmt::format("cannot use more than {} columns in an index",
                                            catalog::kMaxKeyColumns));
  }
  for (const std::string& name : key_names) {
    const catalog::ColumnDescriptor* column = table.FindColumn(name);
    if (column == nullptr) {
      return Positioned(Status::Sql("42703", fmt::format("column \"{}\" named in key does not "
                                                         "exist",
                                                         name)),
                        text, key_location);
    }
    if (table.IsKeyColumn(column->id)) {
      return Positioned(Status::Sql("42701", fmt::format("column \"{}\" appears twice in primary "
                                                         "key constraint",
                                                         name)),
                        text, key_location);
    }
    table.primary_key.push_back(column->id);
    const_cast<catalog::ColumnDescriptor*>(column)->not_null = true;
  }
  if (table.primary_key.empty()) {
    std::string name = catalog::kRowIdColumnName;
    for (int suffix = 1; table.FindColumn(name) != nullptr; ++suffix) {
      name = fmt::format("{}_{}", catalog::kRowIdColumnName, suffix);
    }
    catalog::ColumnDescriptor rowid;
    rowid.id = table.next_column_id++;
    rowid.name = name;
    rowid.type_oid = static_cast<uint32_t>(TypeId::kInt8);
    rowid.not_null = true;
    rowid.hidden = true;
    table.primary_key.push_back(rowid.id);
    table.columns.push_back(std::move(rowid));
  }
  RETURN_IF_ERROR(catalog::CreateTable(txn, std::move(table)).status());
  return std::string("CREATE TABLE");
}

Result<std::string> RunDropTable(const sql::DropTableStatement& drop, txn::KvTransaction& txn,
                                 catalog::DescriptorCache& cache, std::vector<Notice>& notices) {
  std::vector<std::shared_ptr<const catalog::TableDescriptor>> tables;
  for (const sql::TableRef& ref : drop.tables) {
    ASSIGN_OR_RETURN(auto table, FindTable(ref, txn, cache));
    if (!table) {
      if (drop.if_exists) {
        notices.push_back(Notice{"NOTICE", "00000",
                                 fmt::format("table \"{}\" does not exist, skipping", ref.name), "",
                                 ""});
        continue;
      }
      return Status::Sql("42P01", fmt::format("table \"{}\" does not exist", QualifiedName(ref)));
    }
    tables.push_back(std::move(table));
  }
  for (const auto& table : tables) RETURN_IF_ERROR(catalog::DropTable(txn, *table));
  return std::string("DROP TABLE");
}

}  // namespace borealis::qp
