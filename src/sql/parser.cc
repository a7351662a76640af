// libpg_query JSON -> AST. One Transform function per node kind; each checks the node's shape
// and refuses (0A000) anything this stage does not implement rather than ignoring it.
#include "sql/parser.h"

#include <pg_query.h>

#include <cctype>
#include <map>
#include <optional>

#include "fmt/format.h"
#include "nlohmann/json.hpp"
#include "sql/ast_bulk.h"
#include "sql/ast_cursor.h"
#include "sql/ast_explain.h"
#include "sql/ast_index.h"
#include "sql/ast_sequence.h"
#include "sql/ast_view.h"
#include "sql/explain_syntax.h"
#include "sql/role_syntax.h"
#include "sql/sequence_syntax.h"
#include "sql/view_syntax.h"

namespace borealis::sql {

// The most entries a SELECT list or RETURNING list may have (PostgreSQL: 1664).
constexpr size_t kMaxTargetListEntries = 1664;
namespace {

using Json = nlohmann::json;

Status NotSupported(std::string what) {
  return Status::Sql("0A000", fmt::format("{} is not supported yet", what));
}

// Shared transform state: the source text (for error positions and constant recovery) and the
// current nesting depth.
class Transformer {
 public:
  explicit Transformer(const std::string& source) : source_(source) {}

  Result<std::unique_ptr<Statement>> TransformStatement(const Json& node);

 private:
  class DepthGuard {
   public:
    explicit DepthGuard(int& depth) : depth_(depth) { ++depth_; }
    ~DepthGuard() { --depth_; }

   private:
    int& depth_;
  };

  Status WithPosition(Status status, int location) const {
    if (location < 0) return status;
    return std::move(status).WithPosition(ErrorPosition(source_, location));
  }

  Result<std::unique_ptr<Statement>> TransformSelect(const Json& node);
  Result<std::unique_ptr<Statement>> TransformVariableSet(const Json& node);
  Result<std::unique_ptr<Statement>> TransformVariableShow(const Json& node);
  // EXPLAIN: options validated by sql/explain_syntax.h, the statement transformed as usual.
  Result<std::unique_ptr<Statement>> TransformExplain(const Json& node);
  // DECLARE CURSOR, FETCH / MOVE, CLOSE (sql/ast_cursor.h).
  Result<std::unique_ptr<Statement>> TransformCursorStatement(const std::string& name,
                                                              const Json& node);
  Result<std::unique_ptr<Statement>> TransformTransaction(const Json& node);
  Result<std::unique_ptr<Statement>> TransformDiscard(const Json& node);
  Result<std::unique_ptr<Statement>> TransformPrepare(const Json& node);
  Result<std::unique_ptr<Statement>> TransformExecute(const Json& node);
  Result<std::unique_ptr<Statement>> TransformDeallocate(const Json& node);
  Result<std::unique_ptr<Statement>> TransformCreateTable(const Json& node);
  // CREATE TABLE AS (node: CreateTableAsStmt) and SELECT INTO (node: SelectStmt).
  // With `execute`: CREATE TABLE AS EXECUTE (`query` is not read).
  Result<std::unique_ptr<Statement>> TransformCreateTableAs(
      const Json& query, const Json& into, bool if_not_exists,
      std::unique_ptr<Statement> execute = nullptr);
  Result<std::unique_ptr<Statement>> TransformDrop(const Json& node);
  Result<std::unique_ptr<Statement>> TransformInsert(const Json& node);
  Result<std::unique_ptr<Statement>> TransformUpdate(const Json& node);
  Result<std::vector<Assignment>> TransformAssignments(const Json& target_list);
  Result<std::unique_ptr<Statement>> TransformDelete(const Json& node);
  // The bulk-loading and maintenance statements (sql/ast_bulk.h).
  Result<std::unique_ptr<Statement>> TransformTruncate(const Json& node);
  Result<std::unique_ptr<Statement>> TransformCopy(const Json& node);
  Result<std::unique_ptr<Statement>> TransformVacuum(const Json& node);
  Result<std::unique_ptr<Statement>> TransformAlterTable(const Json& node);
  Result<std::unique_ptr<Statement>> TransformRename(const Json& node);
  Result<std::vector<OptionItem>> TransformOptions(const Json& list);
  // FROM items may carry column aliases (the caller reads them); other places refuse them.
  Result<TableRef> TransformRangeVar(const Json& node, bool allow_column_aliases = false);
  Result<std::vector<ResultTarget>> TransformTargetList(const Json& list);
  // Secondary indexes and constraints (sql/ast_index.h).
  Result<std::unique_ptr<Statement>> TransformCreateIndex(const Json& node);
  Result<std::unique_ptr<Statement>> TransformDropIndex(const Json& node);
  // CREATE / ALTER / DROP SEQUENCE (sql/ast_sequence.h).
  Result<std::unique_ptr<Statement>> TransformSequence(const Json& node, bool create);
  Result<std::unique_ptr<Statement>> TransformDropSequence(const Json& node);
  // CREATE [OR REPLACE] VIEW, DROP VIEW, INSERT ... ON CONFLICT (sql/ast_view.h).
  Result<std::unique_ptr<Statement>> TransformView(const Json& node);
  Result<std::unique_ptr<Statement>> TransformDropView(const Json& node);
  Result<std::shared_ptr<const OnConflictClause>> TransformOnConflict(const Json& node);
  Result<TableConstraint> TransformConstraint(const Json& node, const std::string& column);
  Result<ColumnDef> TransformColumnDef(const Json& node);
  Result<TransactionOptions> TransformTransactionOptions(const Json& options);
  Result<TypeName> TransformTypeName(const Json& node);

  Result<ExprPtr> TransformExpr(const Json& node);
  Result<std::vector<ExprPtr>> TransformExprList(const Json& list);
  Result<ExprPtr> TransformConstant(const Json& node);
  Result<ExprPtr> TransformColumnRef(const Json& node);
  Result<ExprPtr> TransformParamRef(const Json& node);
  Result<ExprPtr> TransformTypeCast(const Json& node);
  Result<ExprPtr> TransformAExpr(const Json& node);
  Result<ExprPtr> TransformBoolExpr(const Json& node);
  // One FROM item: a table, a subquery (LATERAL, VALUES) or a join tree.
  Result<FromItem> TransformFromItem(const Json& entry);
  Result<FromItem> TransformRangeFunction(const Json& node);
  Result<std::vector<FromItem>> TransformFromList(const Json& list);
  Result<std::shared_ptr<const WithClause>> TransformWith(const Json& node);
  Result<std::shared_ptr<const SelectStatement>> TransformSubselect(const Json& node);
  Result<ExprPtr> TransformNullTest(const Json& node);
  Result<ExprPtr> TransformBooleanTest(const Json& node);
  Result<ExprPtr> TransformMinMax(const Json& node);
  Result<ExprPtr> TransformCase(const Json& node);
  Result<ExprPtr> TransformCoalesce(const Json& node);
  Result<ExprPtr> TransformFuncCall(const Json& node);
  Result<std::vector<ExprPtr>> TransformCallArgs(const std::vector<std::string>& names,
                                                 const Json& args, int location);
  Result<ExprPtr> TransformSubLink(const Json& node);
  Status TransformSortAndLimit(const Json& node, SelectStatement& select);
  // A list of SortBy nodes (ORDER BY of a query or of a window).
  Result<std::vector<OrderItem>> TransformSortList(const Json& list);
  Result<ExprPtr> TransformSqlValueFunction(const Json& node);
  Result<int64_t> RecoverIntegerConstant(int location) const;
  Status TransformOver(const Json& over, int location, FuncCallExpr& expr);

  const std::string& source_;
  int depth_ = 0;
  bool saw_aggregate_ = false;         // an aggregate call was transformed (see calls_aggregates)
  bool saw_subquery_ = false;          // a subquery was transformed (see has_subqueries)
  bool saw_set_function_ = false;      // a set-returning call (see calls_set_functions)
  const Json* select_into_ = nullptr;  // the top-level SelectStmt of a SELECT INTO
};

// A member or a shared null: never copies (copying a deep tree would recurse).
const Json& Child(const Json& node, const char* key) {
  static const Json* const kNull = new Json();
  auto it = node.find(key);
  return it == node.end() ? *kNull : *it;
}

int Location(const Json& node) {
  auto it = node.find("location");
  return it != node.end() && it->is_number_integer() ? it->get<int>() : -1;
}

std::string StringField(const Json& node, const char* key) {
  auto it = node.find(key);
  return it != node.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool BoolField(const Json& node, const char* key) {
  auto it = node.find(key);
  return it != node.end() && it->is_boolean() && it->get<bool>();
}

bool HasNonEmpty(const Json& node, const char* key) {
  auto it = node.find(key);
  return it != node.end() && !it->is_null() && !(it->is_array() && it->empty());
}

// A list of {"String": {"sval": ...}} nodes, e.g. a qualified name.
std::vector<std::string> NameList(const Json& list) {
  std::vector<std::string> names;
  if (!list.is_array()) return names;
  for (const Json& item : list) {
    auto it = item.find("String");
    if (it != item.end()) names.push_back(StringField(*it, "sval"));
  }
  return names;
}

// The single (type name, body) pair of a parse node.
std::pair<std::string, const Json*> NodeOf(const Json& node) {
  if (!node.is_object() || node.size() != 1) return {"", &node};
  return {node.begin().key(), &node.begin().value()};
}

std::string StatementDisplayName(const std::string& node_name) {
  static const std::map<std::string, std::string> kNames = {
      {"InsertStmt", "INSERT"},
      {"UpdateStmt", "UPDATE"},
      {"DeleteStmt", "DELETE"},
      {"MergeStmt", "MERGE"},
      {"CreateStmt", "CREATE TABLE"},
      {"DropStmt", "DROP"},
      {"AlterTableStmt", "ALTER TABLE"},
      {"IndexStmt", "CREATE INDEX"},
      {"ViewStmt", "CREATE VIEW"},
      {"CreateSchemaStmt", "CREATE SCHEMA"},
      {"CreateSeqStmt", "CREATE SEQUENCE"},
      {"CreateRoleStmt", "CREATE ROLE"},
      {"GrantStmt", "GRANT"},
      {"TruncateStmt", "TRUNCATE"},
      {"CopyStmt", "COPY"},
      {"ExplainStmt", "EXPLAIN"},
      {"VacuumStmt", "VACUUM"},
      {"DeclareCursorStmt", "DECLARE CURSOR"},
      {"FetchStmt", "FETCH"},
      {"ClosePortalStmt", "CLOSE"},
      {"ListenStmt", "LISTEN"},
      {"NotifyStmt", "NOTIFY"},
      {"LockStmt", "LOCK"},
      {"CreateFunctionStmt", "CREATE FUNCTION"},
      {"DoStmt", "DO"},
      {"CallStmt", "CALL"},
      {"CommentStmt", "COMMENT"},
      {"CreateTableAsStmt", "CREATE TABLE AS"},
  };
  auto it = kNames.find(node_name);
  return it != kNames.end() ? it->second : node_name;
}

Result<std::unique_ptr<Statement>> Transformer::TransformStatement(const Json& node) {
  saw_aggregate_ = false;
  saw_subquery_ = false;
  auto [name, body] = NodeOf(node);
  if (name == "SelectStmt" && HasNonEmpty(*body, "intoClause")) {
    select_into_ = body;
    return TransformCreateTableAs(*body, Child(*body, "intoClause"), false);
  }
  if (name == "SelectStmt") return TransformSelect(*body);
  if (name == "CreateTableAsStmt") {
    if (StringField(*body, "objtype") != "OBJECT_TABLE") {
      return NotSupported("CREATE MATERIALIZED VIEW");
    }
    auto [query_kind, query] = NodeOf(Child(*body, "query"));
    if (query_kind == "ExecuteStmt") {
      ASSIGN_OR_RETURN(std::unique_ptr<Statement> execute, TransformExecute(*query));
      return TransformCreateTableAs(*query, Child(*body, "into"), BoolField(*body, "if_not_exists"),
                                    std::move(execute));
    }
    if (query_kind != "SelectStmt") return NotSupported("CREATE TABLE AS " + query_kind);
    return TransformCreateTableAs(*query, Child(*body, "into"), BoolField(*body, "if_not_exists"));
  }
  if (name == "VariableSetStmt") return TransformVariableSet(*body);
  if (name == "VariableShowStmt") return TransformVariableShow(*body);
  if (name == "ExplainStmt") return TransformExplain(*body);
  if (name == "DeclareCursorStmt" || name == "FetchStmt" || name == "ClosePortalStmt") {
    return TransformCursorStatement(name, *body);
  }
  if (name == "TransactionStmt") return TransformTransaction(*body);
  if (name == "DiscardStmt") return TransformDiscard(*body);
  if (name == "PrepareStmt") return TransformPrepare(*body);
  if (name == "ExecuteStmt") return TransformExecute(*body);
  if (name == "DeallocateStmt") return TransformDeallocate(*body);
  if (name == "CreateStmt") return TransformCreateTable(*body);
  if (name == "IndexStmt") return TransformCreateIndex(*body);
  if (name == "DropStmt") return TransformDrop(*body);
  if (name == "InsertStmt") return TransformInsert(*body);
  if (name == "UpdateStmt") return TransformUpdate(*body);
  if (name == "DeleteStmt") return TransformDelete(*body);
  if (name == "TruncateStmt") return TransformTruncate(*body);
  if (name == "CopyStmt") return TransformCopy(*body);
  if (name == "VacuumStmt") return TransformVacuum(*body);
  if (name == "AlterTableStmt") return TransformAlterTable(*body);
  if (IsRoleStatementNode(name, *body)) return TransformRoleStatement(name, *body);  // helper R
  if (name == "RenameStmt") return TransformRename(*body);
  if (name == "CreateSeqStmt" || name == "AlterSeqStmt") {
    return TransformSequence(*body, name == "CreateSeqStmt");
  }
  if (name == "ViewStmt") return TransformView(*body);
  return NotSupported(StatementDisplayName(name));
}

Result<std::unique_ptr<Statement>> Transformer::TransformSelect(const Json& node) {
  std::string op = StringField(node, "op");
  if (HasNonEmpty(node, "intoClause") && &node != select_into_) {
    return WithPosition(Status::Sql("42601", "SELECT ... INTO is not allowed here"),
                        Location(Child(Child(node, "intoClause"), "rel")));
  }
  auto select = std::make_unique<SelectStatement>();
  if (HasNonEmpty(node, "withClause")) {
    ASSIGN_OR_RETURN(select->with, TransformWith(node["withClause"]));
  }
  if (!op.empty() && op != "SETOP_NONE") {
    if (HasNonEmpty(node, "lockingClause")) {
      auto [kind, locking] = NodeOf(node["lockingClause"][0]);
      std::string strength = StringField(*locking, "strength");
      std::string clause = strength == "LCS_FORKEYSHARE"      ? "FOR KEY SHARE"
                           : strength == "LCS_FORSHARE"       ? "FOR SHARE"
                           : strength == "LCS_FORNOKEYUPDATE" ? "FOR NO KEY UPDATE"
                                                              : "FOR UPDATE";
      return Status::Sql("0A000",
                         fmt::format("{} is not allowed with UNION/INTERSECT/EXCEPT", clause));
    }
    select->set_operation = op == "SETOP_UNION"       ? SetOperation::kUnion
                            : op == "SETOP_INTERSECT" ? SetOperation::kIntersect
                                                      : SetOperation::kExcept;
    select->set_all = BoolField(node, "all");
    for (const char* side : {"larg", "rarg"}) {
      ASSIGN_OR_RETURN(std::unique_ptr<Statement> branch, TransformSelect(Child(node, side)));
      auto* branch_select = static_cast<SelectStatement*>(branch.release());
      (side[0] == 'l' ? select->left : select->right).reset(branch_select);
    }
    select->has_subqueries = select->left->has_subqueries || select->right->has_subqueries;
    RETURN_IF_ERROR(TransformSortAndLimit(node, *select));
    return std::unique_ptr<Statement>(std::move(select));
  }
  ASSIGN_OR_RETURN(select->from, TransformFromList(Child(node, "fromClause")));
  if (HasNonEmpty(node, "whereClause")) {
    ASSIGN_OR_RETURN(select->where, TransformExpr(node["whereClause"]));
  }
  if (HasNonEmpty(node, "groupClause")) {
    if (BoolField(node, "groupDistinct")) return NotSupported("GROUP BY DISTINCT");
    for (const Json& item : node["groupClause"]) {
      auto [kind, body] = NodeOf(item);
      if (kind == "GroupingSet") return NotSupported("GROUPING SETS/ROLLUP/CUBE");
      ASSIGN_OR_RETURN(ExprPtr expr, TransformExpr(item));
      select->group_by.push_back(std::move(expr));
    }
  }
  if (HasNonEmpty(node, "havingClause")) {
    ASSIGN_OR_RETURN(select->having, TransformExpr(node["havingClause"]));
  }
  if (HasNonEmpty(node, "distinctClause")) {
    for (const Json& item : node["distinctClause"]) {
      if (!item.is_null() && !item.empty()) return NotSupported("DISTINCT ON");
    }
    select->distinct = true;
  }
  RETURN_IF_ERROR(TransformSortAndLimit(node, *select));
  if (HasNonEmpty(node, "lockingClause")) {
    if (select->from.empty()) return NotSupported("FOR UPDATE/SHARE without FROM");
    for (const Json& item : node["lockingClause"]) {
      auto [kind, clause] = NodeOf(item);
      if (kind != "LockingClause") return Status::Internal("locking item is not a LockingClause");
      // NOWAIT is what optimistic concurrency does anyway; SKIP LOCKED would change results.
      if (StringField(*clause, "waitPolicy") == "LockWaitSkip") return NotSupported("SKIP LOCKED");
      std::string strength = StringField(*clause, "strength");
      LockStrength parsed = strength == "LCS_FORKEYSHARE"      ? LockStrength::kKeyShare
                            : strength == "LCS_FORSHARE"       ? LockStrength::kShare
                            : strength == "LCS_FORNOKEYUPDATE" ? LockStrength::kNoKeyUpdate
                                                               : LockStrength::kUpdate;
      select->locking = std::max(select->locking, parsed);
    }
  }
  if (HasNonEmpty(node, "windowClause")) return NotSupported("WINDOW");

  if (HasNonEmpty(node, "valuesLists")) {
    for (const Json& row : node["valuesLists"]) {
      auto [kind, list] = NodeOf(row);
      if (kind != "List") return Status::Internal("VALUES row is not a List");
      ASSIGN_OR_RETURN(std::vector<ExprPtr> exprs, TransformExprList((*list)["items"]));
      if (exprs.size() > kMaxTargetListEntries) {
        return Status::Sql("54011", "target lists can have at most " +
                                        std::to_string(kMaxTargetListEntries) + " entries");
      }
      select->values.push_back(std::move(exprs));
    }
    select->calls_set_functions = saw_set_function_;  // for the VALUES error (table planner)
    return std::unique_ptr<Statement>(std::move(select));
  }
  bool outer_saw_aggregate = saw_aggregate_;
  bool outer_saw_set_function = saw_set_function_;
  saw_aggregate_ = false;
  saw_set_function_ = false;
  ASSIGN_OR_RETURN(select->targets, TransformTargetList(Child(node, "targetList")));
  select->calls_aggregates = saw_aggregate_;
  select->calls_set_functions = saw_set_function_;
  saw_aggregate_ = outer_saw_aggregate;
  saw_set_function_ = outer_saw_set_function;
  select->has_subqueries = saw_subquery_;  // in this SELECT or earlier in its statement
  return std::unique_ptr<Statement>(std::move(select));
}

Result<std::vector<OrderItem>> Transformer::TransformSortList(const Json& list) {
  std::vector<OrderItem> items;
  for (const Json& item : list) {
    auto [kind, sort] = NodeOf(item);
    if (kind != "SortBy") return Status::Internal("sort item is not a SortBy");
    OrderItem order;
    ASSIGN_OR_RETURN(order.expr, TransformExpr(Child(*sort, "node")));
    order.descending = StringField(*sort, "sortby_dir") == "SORTBY_DESC";
    if (HasNonEmpty(*sort, "useOp")) {
      // USING < / USING > are ASC / DESC: the btree ordering operators of every sortable type.
      std::vector<std::string> op = NameList(Child(*sort, "useOp"));
      std::string name = op.empty() ? "" : op.back();
      if (name != "<" && name != ">") {
        return WithPosition(NotSupported(fmt::format("ORDER BY ... USING {}", name)),
                            Location(*sort));
      }
      order.descending = name == ">";
    }
    std::string nulls = StringField(*sort, "sortby_nulls");
    if (nulls == "SORTBY_NULLS_FIRST") order.nulls_first = true;
    if (nulls == "SORTBY_NULLS_LAST") order.nulls_first = false;
    items.push_back(std::move(order));
  }
  return items;
}

Status Transformer::TransformSortAndLimit(const Json& node, SelectStatement& select) {
  if (HasNonEmpty(node, "sortClause")) {
    ASSIGN_OR_RETURN(select.order_by, TransformSortList(node["sortClause"]));
  }
  if (HasNonEmpty(node, "limitCount") || HasNonEmpty(node, "limitOffset")) {
    select.limit_with_ties = StringField(node, "limitOption") == "LIMIT_OPTION_WITH_TIES";
    if (HasNonEmpty(node, "limitCount")) {
      ASSIGN_OR_RETURN(select.limit, TransformExpr(node["limitCount"]));
      if (select.limit_with_ties && select.limit->kind == ExprKind::kConstant &&
          select.limit->As<ConstantExpr>().literal == LiteralKind::kNull) {
        return Status::Sql("2201W", "row count cannot be null in FETCH FIRST ... WITH TIES clause");
      }
    }
    if (HasNonEmpty(node, "limitOffset")) {
      ASSIGN_OR_RETURN(select.offset, TransformExpr(node["limitOffset"]));
    }
  }
  return Status::Ok();
}

Result<std::vector<ResultTarget>> Transformer::TransformTargetList(const Json& list) {
  std::vector<ResultTarget> targets;
  if (!list.is_array()) return targets;
  // PostgreSQL's MaxTupleAttributeNumber: a row description cannot carry more columns.
  if (list.size() > kMaxTargetListEntries) {
    return Status::Sql("54011", "target lists can have at most " +
                                    std::to_string(kMaxTargetListEntries) + " entries");
  }
  for (const Json& item : list) {
    auto [kind, target] = NodeOf(item);
    if (kind != "ResTarget") return Status::Internal("target list item is not a ResTarget");
    ResultTarget result;
    result.location = Location(*target);
    if (target->contains("name")) result.alias = StringField(*target, "name");
    ASSIGN_OR_RETURN(result.expr, TransformExpr((*target)["val"]));
    targets.push_back(std::move(result));
  }
  return targets;
}

Result<TableRef> Transformer::TransformRangeVar(const Json& node, bool allow_column_aliases) {
  TableRef table;
  table.schema = StringField(node, "schemaname");
  table.name = StringField(node, "relname");
  table.location = Location(node);
  if (!StringField(node, "catalogname").empty()) {
    return WithPosition(NotSupported("cross-database references"), table.location);
  }
  if (node.contains("alias")) {
    const Json& alias = node["alias"];
    if (HasNonEmpty(alias, "colnames") && !allow_column_aliases) {
      return WithPosition(NotSupported("column aliases on a table"), table.location);
    }
    table.alias = StringField(alias, "aliasname");
  }
  return table;
}

Result<ColumnDef> Transformer::TransformColumnDef(const Json& node) {
  ColumnDef column;
  column.name = StringField(node, "colname");
  column.location = Location(node);
  ASSIGN_OR_RETURN(column.type, TransformTypeName(Child(node, "typeName")));
  if (HasNonEmpty(node, "collClause"))
    return WithPosition(NotSupported("COLLATE"), column.location);
  for (const Json& item : Child(node, "constraints")) {
    auto [kind, constraint] = NodeOf(item);
    if (kind != "Constraint") return Status::Internal("column constraint is not a Constraint");
    std::string type = StringField(*constraint, "contype");
    int location = Location(*constraint);
    if (type == "CONSTR_NOTNULL") {
      column.not_null = true;
    } else if (type == "CONSTR_NULL") {
      column.not_null = false;
    } else if (type == "CONSTR_PRIMARY") {
      column.primary_key = true;
      if (!StringField(*constraint, "conname").empty()) {
        column.primary_key_name = StringField(*constraint, "conname");
      }
    } else if (type == "CONSTR_UNIQUE" || type == "CONSTR_CHECK") {
      ASSIGN_OR_RETURN(TableConstraint table_constraint,
                       TransformConstraint(*constraint, column.name));
      column.constraints.push_back(std::move(table_constraint));
    } else if (type == "CONSTR_DEFAULT") {
      ASSIGN_OR_RETURN(column.default_value, TransformExpr(Child(*constraint, "raw_expr")));
    } else if (type == "CONSTR_IDENTITY") {
      if (column.identity != 0) {
        return WithPosition(Status::Sql("42601", fmt::format("multiple identity specifications "
                                                             "for column \"{}\" of table",
                                                             column.name)),
                            location);
      }
      column.identity = StringField(*constraint, "generated_when") == "a" ? 'a' : 'd';
      column.identity_location = location;
      ASSIGN_OR_RETURN(SequenceOptions options,
                       TransformSequenceOptions(
                           Child(*constraint, "options"), source_,
                           [this](const Json& type_node) { return TransformTypeName(type_node); }));
      column.identity_options = std::make_shared<const SequenceOptions>(std::move(options));
    } else {
      static const std::map<std::string, std::string> kNames = {
          {"CONSTR_UNIQUE", "UNIQUE constraints"},   {"CONSTR_CHECK", "CHECK constraints"},
          {"CONSTR_FOREIGN", "FOREIGN KEY"},         {"CONSTR_IDENTITY", "identity columns"},
          {"CONSTR_GENERATED", "generated columns"}, {"CONSTR_EXCLUSION", "EXCLUDE constraints"},
      };
      auto it = kNames.find(type);
      return WithPosition(NotSupported(it != kNames.end() ? it->second : "constraint " + type),
                          location);
    }
  }
  return column;
}

Result<std::unique_ptr<Statement>> Transformer::TransformCreateTableAs(
    const Json& query, const Json& into_node, bool if_not_exists,
    std::unique_ptr<Statement> execute) {
  auto [into_kind, into_body] = NodeOf(into_node);
  const Json& into = into_kind == "IntoClause" ? *into_body : into_node;
  auto create = std::make_unique<CreateTableStatement>();
  const Json& relation = Child(into, "rel");
  ASSIGN_OR_RETURN(create->table, TransformRangeVar(relation));
  if (StringField(relation, "relpersistence") == "t") return NotSupported("temporary tables");
  if (HasNonEmpty(into, "tableSpaceName")) return NotSupported("tablespaces");
  if (HasNonEmpty(into, "accessMethod")) return NotSupported("table access methods");
  std::string on_commit = StringField(into, "onCommit");
  if (!on_commit.empty() && on_commit != "ONCOMMIT_NOOP") return NotSupported("ON COMMIT");
  for (const std::string& name : NameList(Child(into, "colNames"))) {
    ColumnDef column;
    column.name = name;
    create->columns.push_back(std::move(column));
  }
  create->if_not_exists = if_not_exists;
  create->with_data = !BoolField(into, "skipData");
  if (execute != nullptr) {
    create->as_execute = std::move(execute);
    return std::unique_ptr<Statement>(std::move(create));
  }
  ASSIGN_OR_RETURN(std::unique_ptr<Statement> select, TransformSelect(query));
  if (select->kind != StatementKind::kSelect) return NotSupported("CREATE TABLE AS");
  create->as_query.reset(static_cast<SelectStatement*>(select.release()));
  return std::unique_ptr<Statement>(std::move(create));
}

Result<std::unique_ptr<Statement>> Transformer::TransformCreateTable(const Json& node) {
  auto create = std::make_unique<CreateTableStatement>();
  const Json& relation = Child(node, "relation");
  ASSIGN_OR_RETURN(create->table, TransformRangeVar(relation));
  create->temporary = StringField(relation, "relpersistence") == "t";
  if (create->table.schema == "pg_temp") {
    create->temporary = true;
  } else if (create->temporary && !create->table.schema.empty()) {
    return Status::Sql("42P16", "cannot create temporary relation in non-temporary schema");
  }
  std::string on_commit = StringField(node, "oncommit");
  if (on_commit == "ONCOMMIT_PRESERVE_ROWS") create->on_commit = OnCommitAction::kPreserveRows;
  if (on_commit == "ONCOMMIT_DELETE_ROWS") create->on_commit = OnCommitAction::kDeleteRows;
  if (on_commit == "ONCOMMIT_DROP") create->on_commit = OnCommitAction::kDrop;
  if (create->on_commit != OnCommitAction::kNoop && !create->temporary) {
    return Status::Sql("42P16", "ON COMMIT can only be used on temporary tables");
  }
  // UNLOGGED (e.g. pgbench -i --unlogged-tables): created as an ordinary, durable table, a
  // stronger guarantee than PostgreSQL's (which empties it after a crash).
  if (HasNonEmpty(node, "inhRelations")) return NotSupported("INHERITS");
  if (HasNonEmpty(node, "partspec") || HasNonEmpty(node, "partbound")) {
    return NotSupported("partitioned tables");
  }
  if (HasNonEmpty(node, "ofTypename")) return NotSupported("typed tables");
  // WITH (storage parameters): accepted and ignored (docs/design/sql.md), except OIDS.
  for (const Json& item : Child(node, "options")) {
    auto [kind, option] = NodeOf(item);
    if (kind == "DefElem" && StringField(*option, "defname") == "oids") {
      return NotSupported("WITH (OIDS)");
    }
  }
  if (HasNonEmpty(node, "tablespacename")) return NotSupported("tablespaces");
  if (HasNonEmpty(node, "accessMethod")) return NotSupported("table access methods");
  create->if_not_exists = BoolField(node, "if_not_exists");
  for (const Json& item : Child(node, "tableElts")) {
    auto [kind, element] = NodeOf(item);
    if (kind == "ColumnDef") {
      ASSIGN_OR_RETURN(ColumnDef column, TransformColumnDef(*element));
      for (TableConstraint& constraint : column.constraints) {
        create->constraints.push_back(std::move(constraint));
      }
      column.constraints.clear();
      create->columns.push_back(std::move(column));
    } else if (kind == "Constraint") {
      std::string type = StringField(*element, "contype");
      if (type == "CONSTR_UNIQUE" || type == "CONSTR_CHECK") {
        ASSIGN_OR_RETURN(TableConstraint constraint, TransformConstraint(*element, ""));
        create->constraints.push_back(std::move(constraint));
        continue;
      }
      if (type != "CONSTR_PRIMARY") {
        return WithPosition(NotSupported("table constraints other than PRIMARY KEY"),
                            Location(*element));
      }
      if (HasNonEmpty(*element, "including")) return NotSupported("PRIMARY KEY ... INCLUDE");
      if (!create->primary_key.empty()) {
        return WithPosition(Status::Sql("42P16", fmt::format("multiple primary keys for table "
                                                             "\"{}\" are not allowed",
                                                             create->table.name)),
                            Location(*element));
      }
      create->primary_key = NameList(Child(*element, "keys"));
      create->primary_key_location = Location(*element);
      if (!StringField(*element, "conname").empty()) {
        create->primary_key_name = StringField(*element, "conname");
      }
    } else {
      return NotSupported("CREATE TABLE element " + kind);
    }
  }
  return std::unique_ptr<Statement>(std::move(create));
}

Result<std::unique_ptr<Statement>> Transformer::TransformDrop(const Json& node) {
  std::string type = StringField(node, "removeType");
  if (type == "OBJECT_INDEX") return TransformDropIndex(node);
  if (type == "OBJECT_SEQUENCE") return TransformDropSequence(node);
  if (type == "OBJECT_VIEW") return TransformDropView(node);
  if (type != "OBJECT_TABLE") {
    std::string what = type.rfind("OBJECT_", 0) == 0 ? type.substr(7) : type;
    for (char& c : what) c = c == '_' ? ' ' : static_cast<char>(std::toupper(c));
    return NotSupported("DROP " + what);
  }
  if (BoolField(node, "concurrent")) return NotSupported("DROP ... CONCURRENTLY");
  auto drop = std::make_unique<DropTableStatement>();
  drop->if_exists = BoolField(node, "missing_ok");
  drop->cascade = StringField(node, "behavior") == "DROP_CASCADE";
  for (const Json& object : Child(node, "objects")) {
    auto [kind, list] = NodeOf(object);
    std::vector<std::string> names = NameList(Child(*list, "items"));
    if (names.empty() || names.size() > 3) return Status::Internal("bad DROP object name");
    if (names.size() == 3) return NotSupported("cross-database references");
    TableRef table;
    table.name = names.back();
    if (names.size() == 2) table.schema = names[0];
    drop->tables.push_back(std::move(table));
  }
  return std::unique_ptr<Statement>(std::move(drop));
}

Result<std::unique_ptr<Statement>> Transformer::TransformInsert(const Json& node) {
  auto insert = std::make_unique<InsertStatement>();
  ASSIGN_OR_RETURN(insert->table, TransformRangeVar(Child(node, "relation")));
  if (HasNonEmpty(node, "onConflictClause")) {
    ASSIGN_OR_RETURN(insert->on_conflict, TransformOnConflict(node["onConflictClause"]));
  }
  if (HasNonEmpty(node, "withClause")) {
    ASSIGN_OR_RETURN(insert->with, TransformWith(node["withClause"]));
  }
  std::string override_kind = StringField(node, "override");
  if (override_kind == "OVERRIDING_SYSTEM_VALUE") insert->overriding = 's';
  if (override_kind == "OVERRIDING_USER_VALUE") insert->overriding = 'u';
  for (const Json& item : Child(node, "cols")) {
    auto [kind, target] = NodeOf(item);
    if (HasNonEmpty(*target, "indirection")) {
      return WithPosition(NotSupported("subscripts and field selection in INSERT"),
                          Location(*target));
    }
    insert->columns.push_back(NamedColumn{StringField(*target, "name"), Location(*target)});
  }
  if (HasNonEmpty(node, "selectStmt")) {
    auto [kind, select] = NodeOf(node["selectStmt"]);
    if (kind != "SelectStmt") return NotSupported("INSERT ... " + kind);
    if (!HasNonEmpty(*select, "valuesLists") || HasNonEmpty(*select, "sortClause") ||
        HasNonEmpty(*select, "limitCount") || HasNonEmpty(*select, "limitOffset") ||
        HasNonEmpty(*select, "withClause")) {
      // INSERT ... SELECT (or a VALUES list with ORDER BY/LIMIT/WITH: a query like any other).
      ASSIGN_OR_RETURN(insert->select, TransformSubselect(node["selectStmt"]));
      ASSIGN_OR_RETURN(insert->returning, TransformTargetList(Child(node, "returningList")));
      return std::unique_ptr<Statement>(std::move(insert));
    }
    bool outer_saw_set_function = saw_set_function_;
    saw_set_function_ = false;
    bool has_default = false;
    for (const Json& row : (*select)["valuesLists"]) {
      auto [list_kind, list] = NodeOf(row);
      std::vector<ExprPtr> values;
      for (const Json& item : Child(*list, "items")) {
        if (NodeOf(item).first == "SetToDefault") {
          values.push_back(nullptr);
          has_default = true;
          continue;
        }
        ASSIGN_OR_RETURN(ExprPtr value, TransformExpr(item));
        values.push_back(std::move(value));
      }
      insert->rows.push_back(std::move(values));
    }
    if (saw_set_function_ && insert->rows.size() == 1 && !has_default) {
      // PostgreSQL expands set-returning calls of a single VALUES row (VALUES_SINGLE): the
      // row becomes the target list of an INSERT ... SELECT (sql/set_functions.h).
      auto query = std::make_shared<SelectStatement>();
      for (ExprPtr& value : insert->rows[0]) {
        ResultTarget target;
        target.location = value->location;
        target.expr = std::move(value);
        query->targets.push_back(std::move(target));
      }
      query->calls_set_functions = true;
      query->has_subqueries = saw_subquery_;
      insert->rows.clear();
      insert->select = std::move(query);
    }
    saw_set_function_ = saw_set_function_ || outer_saw_set_function;
  }
  ASSIGN_OR_RETURN(insert->returning, TransformTargetList(Child(node, "returningList")));
  return std::unique_ptr<Statement>(std::move(insert));
}

// The SET list of UPDATE and of ON CONFLICT DO UPDATE.
Result<std::vector<Assignment>> Transformer::TransformAssignments(const Json& target_list) {
  std::vector<Assignment> assignments;
  for (const Json& item : target_list) {
    auto [kind, target] = NodeOf(item);
    if (HasNonEmpty(*target, "indirection")) {
      return WithPosition(NotSupported("subscripts and field selection in UPDATE"),
                          Location(*target));
    }
    const Json* value = &Child(*target, "val");
    auto [value_kind, value_body] = NodeOf(*value);
    if (value_kind == "MultiAssignRef") {
      // SET (a, b) = (x, y) or ROW(x, y): each column takes its element of the row. The
      // subquery form SET (a, b) = (SELECT ...) is not supported.
      const Json& source = Child(*value_body, "source");
      auto [source_kind, source_body] = NodeOf(source);
      const Json& elements = Child(*source_body, "args");
      int64_t column = Child(*value_body, "colno").get<int64_t>();
      int64_t count = Child(*value_body, "ncolumns").get<int64_t>();
      if (source_kind == "SubLink") {
        return WithPosition(NotSupported("multiple-column assignment from a subquery"),
                            Location(*target));
      }
      if (source_kind != "RowExpr") {
        return WithPosition(Status::Sql("0A000",
                                        "source for a multiple-column UPDATE item must "
                                        "be a sub-SELECT or ROW() expression"),
                            Location(*source_body));
      }
      if (static_cast<int64_t>(elements.size()) != count) {
        return WithPosition(
            Status::Sql("42601", "number of columns does not match number of values"),
            Location(*target));
      }
      if (column < 1 || column > count) return Status::Internal("bad MultiAssignRef colno");
      value = &elements[static_cast<size_t>(column - 1)];
      std::tie(value_kind, value_body) = NodeOf(*value);
    }
    Assignment assignment;
    assignment.column = NamedColumn{StringField(*target, "name"), Location(*target)};
    if (value_kind != "SetToDefault") {
      ASSIGN_OR_RETURN(assignment.value, TransformExpr(*value));
    }
    assignments.push_back(std::move(assignment));
  }
  return assignments;
}

Result<std::unique_ptr<Statement>> Transformer::TransformUpdate(const Json& node) {
  auto update = std::make_unique<UpdateStatement>();
  ASSIGN_OR_RETURN(update->table, TransformRangeVar(Child(node, "relation")));
  ASSIGN_OR_RETURN(update->from, TransformFromList(Child(node, "fromClause")));
  if (HasNonEmpty(node, "withClause")) {
    ASSIGN_OR_RETURN(update->with, TransformWith(node["withClause"]));
  }
  ASSIGN_OR_RETURN(update->assignments, TransformAssignments(Child(node, "targetList")));
  if (HasNonEmpty(node, "whereClause")) {
    ASSIGN_OR_RETURN(update->where, TransformExpr(node["whereClause"]));
  }
  ASSIGN_OR_RETURN(update->returning, TransformTargetList(Child(node, "returningList")));
  return std::unique_ptr<Statement>(std::move(update));
}

Result<std::unique_ptr<Statement>> Transformer::TransformDelete(const Json& node) {
  auto remove = std::make_unique<DeleteStatement>();
  ASSIGN_OR_RETURN(remove->table, TransformRangeVar(Child(node, "relation")));
  ASSIGN_OR_RETURN(remove->using_items, TransformFromList(Child(node, "usingClause")));
  if (HasNonEmpty(node, "withClause")) {
    ASSIGN_OR_RETURN(remove->with, TransformWith(node["withClause"]));
  }
  if (HasNonEmpty(node, "whereClause")) {
    ASSIGN_OR_RETURN(remove->where, TransformExpr(node["whereClause"]));
  }
  ASSIGN_OR_RETURN(remove->returning, TransformTargetList(Child(node, "returningList")));
  return std::unique_ptr<Statement>(std::move(remove));
}

Result<TransactionOptions> Transformer::TransformTransactionOptions(const Json& options) {
  TransactionOptions result;
  if (!options.is_array()) return result;
  for (const Json& item : options) {
    auto [kind, def] = NodeOf(item);
    if (kind != "DefElem") return Status::Internal("transaction option is not a DefElem");
    if (result.location < 0) result.location = Location(*def);
    std::string name = StringField(*def, "defname");
    auto [arg_kind, arg] = NodeOf((*def)["arg"]);
    if (arg_kind != "A_Const") return Status::Internal("transaction option value");
    if (name == "transaction_isolation") {
      result.isolation_level = StringField((*arg)["sval"], "sval");
    } else {
      bool on = arg->contains("ival") && (*arg)["ival"].value("ival", 0) != 0;
      if (name == "transaction_read_only") result.read_only = on;
      if (name == "transaction_deferrable") result.deferrable = on;
    }
  }
  return result;
}

Result<std::unique_ptr<Statement>> Transformer::TransformVariableSet(const Json& node) {
  auto set = std::make_unique<SetStatement>();
  std::string kind = StringField(node, "kind");
  set->name = StringField(node, "name");
  set->is_local = BoolField(node, "is_local");
  if (kind == "VAR_SET_VALUE") {
    set->set_kind = SetKind::kValue;
    ASSIGN_OR_RETURN(set->values, TransformExprList(Child(node, "args")));
  } else if (kind == "VAR_SET_DEFAULT") {
    set->set_kind = SetKind::kDefault;
  } else if (kind == "VAR_RESET") {
    set->set_kind = SetKind::kReset;
  } else if (kind == "VAR_RESET_ALL") {
    set->set_kind = SetKind::kResetAll;
  } else if (kind == "VAR_SET_MULTI" && set->name == "TRANSACTION") {
    set->set_kind = SetKind::kTransaction;
    ASSIGN_OR_RETURN(set->options, TransformTransactionOptions(Child(node, "args")));
  } else if (kind == "VAR_SET_MULTI" && set->name == "SESSION CHARACTERISTICS") {
    set->set_kind = SetKind::kSessionCharacteristics;
    ASSIGN_OR_RETURN(set->options, TransformTransactionOptions(Child(node, "args")));
  } else if (kind == "VAR_SET_MULTI") {
    return NotSupported("SET " + set->name);
  } else {
    return NotSupported("SET ... FROM CURRENT");
  }
  return std::unique_ptr<Statement>(std::move(set));
}

Result<std::unique_ptr<Statement>> Transformer::TransformCursorStatement(const std::string& name,
                                                                         const Json& node) {
  if (name == "ClosePortalStmt") {
    auto close = std::make_unique<CloseCursorStatement>();
    if (node.contains("portalname")) close->name = StringField(node, "portalname");
    return std::unique_ptr<Statement>(std::move(close));
  }
  if (name == "FetchStmt") {
    auto fetch = std::make_unique<FetchStatement>();
    fetch->name = StringField(node, "portalname");
    fetch->is_move = BoolField(node, "ismove");
    std::string direction = StringField(node, "direction");
    fetch->direction = direction == "FETCH_BACKWARD"   ? FetchDirection::kBackward
                       : direction == "FETCH_ABSOLUTE" ? FetchDirection::kAbsolute
                       : direction == "FETCH_RELATIVE" ? FetchDirection::kRelative
                                                       : FetchDirection::kForward;
    const Json& count = Child(node, "howMany");
    fetch->count = count.is_number_integer() ? count.get<int64_t>() : 0;
    return std::unique_ptr<Statement>(std::move(fetch));
  }
  auto declare = std::make_unique<DeclareCursorStatement>();
  declare->name = StringField(node, "portalname");
  const Json& options = Child(node, "options");
  int bits = options.is_number_integer() ? options.get<int>() : 0;
  // PostgreSQL's CURSOR_OPT_BINARY, _NO_SCROLL and _HOLD bits.
  declare->binary = (bits & 0x1) != 0;
  declare->no_scroll = (bits & 0x4) != 0;
  declare->hold = (bits & 0x20) != 0;
  auto [kind, query] = NodeOf(Child(node, "query"));
  if (kind != "SelectStmt") return NotSupported("DECLARE CURSOR FOR " + kind);
  ASSIGN_OR_RETURN(declare->query, TransformSelect(*query));
  return std::unique_ptr<Statement>(std::move(declare));
}

Result<std::unique_ptr<Statement>> Transformer::TransformExplain(const Json& node) {
  auto explain = std::make_unique<ExplainStatement>();
  ASSIGN_OR_RETURN(std::vector<OptionItem> options, TransformOptions(Child(node, "options")));
  ASSIGN_OR_RETURN(explain->options, ValidateExplainOptions(options, source_));
  ASSIGN_OR_RETURN(std::unique_ptr<Statement> statement, TransformStatement(Child(node, "query")));
  explain->statement = std::move(statement);
  return std::unique_ptr<Statement>(std::move(explain));
}

Result<std::unique_ptr<Statement>> Transformer::TransformVariableShow(const Json& node) {
  auto show = std::make_unique<ShowStatement>();
  show->name = StringField(node, "name");
  return std::unique_ptr<Statement>(std::move(show));
}

Result<std::unique_ptr<Statement>> Transformer::TransformTransaction(const Json& node) {
  auto txn = std::make_unique<TransactionStatement>();
  std::string kind = StringField(node, "kind");
  if (kind == "TRANS_STMT_BEGIN") {
    txn->transaction_kind = TransactionKind::kBegin;
  } else if (kind == "TRANS_STMT_START") {
    txn->transaction_kind = TransactionKind::kStart;
  } else if (kind == "TRANS_STMT_COMMIT") {
    txn->transaction_kind = TransactionKind::kCommit;
  } else if (kind == "TRANS_STMT_ROLLBACK") {
    txn->transaction_kind = TransactionKind::kRollback;
  } else if (kind == "TRANS_STMT_SAVEPOINT") {
    txn->transaction_kind = TransactionKind::kSavepoint;
  } else if (kind == "TRANS_STMT_RELEASE") {
    txn->transaction_kind = TransactionKind::kRelease;
  } else if (kind == "TRANS_STMT_ROLLBACK_TO") {
    txn->transaction_kind = TransactionKind::kRollbackTo;
  } else {
    return NotSupported("two-phase commit (PREPARE TRANSACTION)");
  }
  txn->chain = BoolField(node, "chain");
  txn->savepoint_name = StringField(node, "savepoint_name");
  ASSIGN_OR_RETURN(txn->options, TransformTransactionOptions(Child(node, "options")));
  return std::unique_ptr<Statement>(std::move(txn));
}

Result<std::unique_ptr<Statement>> Transformer::TransformDiscard(const Json& node) {
  auto discard = std::make_unique<DiscardStatement>();
  std::string target = StringField(node, "target");
  if (target == "DISCARD_ALL") {
    discard->target = DiscardTarget::kAll;
  } else if (target == "DISCARD_PLANS") {
    discard->target = DiscardTarget::kPlans;
  } else if (target == "DISCARD_SEQUENCES") {
    discard->target = DiscardTarget::kSequences;
  } else {
    discard->target = DiscardTarget::kTemp;
  }
  return std::unique_ptr<Statement>(std::move(discard));
}

// The grammar's PreparableStmt: SELECT, INSERT, UPDATE, DELETE, MERGE (the last four are
// refused by TransformStatement until they exist).
Result<std::unique_ptr<Statement>> Transformer::TransformPrepare(const Json& node) {
  auto prepare = std::make_unique<PrepareStatement>();
  prepare->name = StringField(node, "name");
  for (const Json& item : Child(node, "argtypes")) {
    auto [kind, type] = NodeOf(item);
    if (kind != "TypeName") return Status::Internal("PREPARE argument type is not a TypeName");
    ASSIGN_OR_RETURN(TypeName name, TransformTypeName(*type));
    prepare->parameter_types.push_back(std::move(name));
  }
  ASSIGN_OR_RETURN(prepare->statement, TransformStatement(node["query"]));
  return std::unique_ptr<Statement>(std::move(prepare));
}

Result<std::unique_ptr<Statement>> Transformer::TransformExecute(const Json& node) {
  auto execute = std::make_unique<ExecuteStatement>();
  execute->name = StringField(node, "name");
  ASSIGN_OR_RETURN(execute->parameters, TransformExprList(Child(node, "params")));
  return std::unique_ptr<Statement>(std::move(execute));
}

Result<std::unique_ptr<Statement>> Transformer::TransformDeallocate(const Json& node) {
  auto deallocate = std::make_unique<DeallocateStatement>();
  // DEALLOCATE ALL has no name.
  if (node.contains("name")) deallocate->name = StringField(node, "name");
  return std::unique_ptr<Statement>(std::move(deallocate));
}

Result<std::vector<ExprPtr>> Transformer::TransformExprList(const Json& list) {
  std::vector<ExprPtr> exprs;
  if (!list.is_array()) return exprs;
  for (const Json& item : list) {
    ASSIGN_OR_RETURN(ExprPtr expr, TransformExpr(item));
    exprs.push_back(std::move(expr));
  }
  return exprs;
}

Result<ExprPtr> Transformer::TransformExpr(const Json& node) {
  DepthGuard guard(depth_);
  if (depth_ > kMaxExpressionDepth) {
    return Status::Sql("54001", "stack depth limit exceeded")
        .WithHint(fmt::format("Expressions may nest at most {} levels.", kMaxExpressionDepth));
  }
  auto [name, body] = NodeOf(node);
  if (name == "A_Const") return TransformConstant(*body);
  if (name == "ColumnRef") return TransformColumnRef(*body);
  if (name == "ParamRef") return TransformParamRef(*body);
  if (name == "TypeCast") return TransformTypeCast(*body);
  if (name == "A_Expr") return TransformAExpr(*body);
  if (name == "BoolExpr") return TransformBoolExpr(*body);
  if (name == "NullTest") return TransformNullTest(*body);
  if (name == "BooleanTest") return TransformBooleanTest(*body);
  if (name == "MinMaxExpr") return TransformMinMax(*body);
  if (name == "CaseExpr") return TransformCase(*body);
  if (name == "CoalesceExpr") return TransformCoalesce(*body);
  if (name == "FuncCall") return TransformFuncCall(*body);
  if (name == "SQLValueFunction") return TransformSqlValueFunction(*body);
  if (name == "SubLink") return TransformSubLink(*body);
  if (name == "RowExpr") {
    auto row = std::make_unique<RowExpr>(Location(*body));
    row->explicit_row = StringField(*body, "row_format") == "COERCE_EXPLICIT_CALL";
    ASSIGN_OR_RETURN(row->args, TransformExprList(Child(*body, "args")));
    return ExprPtr(std::move(row));
  }
  if (name == "A_Indirection") {
    // arr[i] (one index, no slice) becomes pg_catalog.array_subscript(arr, i), registered per
    // array type in sql/catalog_functions.cc; field selection and slices are refused.
    const Json& indirection = Child(*body, "indirection");
    if (indirection.is_array() && indirection.size() == 1) {
      auto [index_kind, index] = NodeOf(indirection[0]);
      if (index_kind == "A_Indices" && !BoolField(*index, "is_slice") &&
          !HasNonEmpty(*index, "lidx") && HasNonEmpty(*index, "uidx")) {
        auto call = std::make_unique<FuncCallExpr>(Location(Child(*body, "arg")));
        call->names = {"pg_catalog", "array_subscript"};
        ASSIGN_OR_RETURN(ExprPtr array, TransformExpr((*body)["arg"]));
        ASSIGN_OR_RETURN(ExprPtr subscript, TransformExpr((*index)["uidx"]));
        call->args.push_back(std::move(array));
        call->args.push_back(std::move(subscript));
        return ExprPtr(std::move(call));
      }
    }
  }
  if (name == "A_ArrayExpr") {
    // ARRAY[...] becomes pg_catalog.array(...), bound by sql/binder.cc (sql/array_functions.h).
    for (const Json& element : Child(*body, "elements")) {
      if (NodeOf(element).first == "A_ArrayExpr") {
        return WithPosition(NotSupported("multidimensional arrays"), Location(*body));
      }
    }
    auto call = std::make_unique<FuncCallExpr>(Location(*body));
    call->names = {"pg_catalog", "array"};
    ASSIGN_OR_RETURN(call->args, TransformExprList(Child(*body, "elements")));
    return ExprPtr(std::move(call));
  }
  if (name == "CollateClause") {
    // The engine compares strings bytewise (collation C); the collations that mean exactly
    // that are accepted and dropped, others refused.
    std::vector<std::string> collation = NameList(Child(*body, "collname"));
    std::string last = collation.empty() ? "" : collation.back();
    if (last == "default" || last == "C" || last == "POSIX" || last == "ucs_basic") {
      return TransformExpr((*body)["arg"]);
    }
    return WithPosition(NotSupported("COLLATE \"" + last + "\""), Location(*body));
  }
  static const std::map<std::string, std::string> kNames = {
      {"A_ArrayExpr", "ARRAY constructors"},
      {"RowExpr", "row constructors"},
      {"A_Indirection", "subscripts and field selection"},
      {"CollateClause", "COLLATE"},
      {"GroupingFunc", "GROUPING"},
  };
  auto it = kNames.find(name);
  return WithPosition(NotSupported(it != kNames.end() ? it->second : "expression " + name),
                      Location(*body));
}

// libpg_query 15-4.0's JSON output drops negative Integer values (they print as "ival": {}),
// so the value is read back from the source text: the grammar folds `- 3` (and `- ( 3 )`,
// `- ( - - 3 )`: parentheses make no node) into one constant located at the first minus sign.
Result<int64_t> Transformer::RecoverIntegerConstant(int location) const {
  size_t p = static_cast<size_t>(location);
  bool negative = false;
  while (p < source_.size() && (source_[p] == '-' || source_[p] == '(' ||
                                std::isspace(static_cast<unsigned char>(source_[p])))) {
    if (source_[p] == '-') negative = !negative;
    ++p;
  }
  __int128 value = 0;
  size_t start = p;
  while (p < source_.size() && std::isdigit(static_cast<unsigned char>(source_[p]))) {
    value = value * 10 + (source_[p] - '0');
    if (value > (static_cast<__int128>(1) << 64)) break;
    ++p;
  }
  if (p == start) return Status::Internal("cannot recover integer constant from query text");
  value = negative ? -value : value;
  if (value < INT64_MIN || value > INT64_MAX) {
    return Status::Internal("integer constant out of range");
  }
  return static_cast<int64_t>(value);
}

Result<ExprPtr> Transformer::TransformConstant(const Json& node) {
  auto constant = std::make_unique<ConstantExpr>(Location(node));
  if (BoolField(node, "isnull")) {
    constant->literal = LiteralKind::kNull;
  } else if (auto it = node.find("ival"); it != node.end()) {
    constant->literal = LiteralKind::kInteger;
    if (it->contains("ival")) {
      constant->int_value = (*it)["ival"].get<int64_t>();
    } else if (constant->location >= 0 &&
               static_cast<size_t>(constant->location) < source_.size() &&
               source_[constant->location] != '0') {
      ASSIGN_OR_RETURN(constant->int_value, RecoverIntegerConstant(constant->location));
    }
  } else if (auto it = node.find("fval"); it != node.end()) {
    constant->literal = LiteralKind::kNumeric;
    constant->text = StringField(*it, "fval");
  } else if (auto it = node.find("sval"); it != node.end()) {
    constant->literal = LiteralKind::kString;
    constant->text = StringField(*it, "sval");
  } else if (auto it = node.find("boolval"); it != node.end()) {
    constant->literal = LiteralKind::kBool;
    constant->bool_value = BoolField(*it, "boolval");
  } else if (auto it = node.find("bsval"); it != node.end()) {
    constant->literal = LiteralKind::kBitString;
    constant->text = StringField(*it, "bsval");
  } else {
    return Status::Internal("A_Const without a value");
  }
  return ExprPtr(std::move(constant));
}

Result<ExprPtr> Transformer::TransformColumnRef(const Json& node) {
  auto ref = std::make_unique<ColumnRefExpr>(Location(node));
  for (const Json& field : Child(node, "fields")) {
    auto [kind, body] = NodeOf(field);
    if (kind == "A_Star") {
      ref->star = true;
    } else {
      ref->names.push_back(StringField(*body, "sval"));
    }
  }
  return ExprPtr(std::move(ref));
}

Result<ExprPtr> Transformer::TransformParamRef(const Json& node) {
  auto param = std::make_unique<ParamExpr>(Location(node));
  param->number = node.value("number", 0);
  return ExprPtr(std::move(param));
}

Result<TypeName> Transformer::TransformTypeName(const Json& node) {
  TypeName type;
  type.names = NameList(Child(node, "names"));
  type.location = Location(node);
  type.array_bounds = HasNonEmpty(node, "arrayBounds");
  if (HasNonEmpty(node, "typmods")) {
    type.has_modifiers = true;
    for (const Json& mod : node["typmods"]) {
      auto [kind, body] = NodeOf(mod);
      if (kind != "A_Const" || !body->contains("ival")) {
        return WithPosition(Status::Sql("22023", "type modifiers must be simple constants"),
                            Location(*body));
      }
      int64_t value = (*body)["ival"].value("ival", 0);
      int location = Location(*body);
      if (!(*body)["ival"].contains("ival") && location >= 0 &&
          static_cast<size_t>(location) < source_.size() && source_[location] != '0') {
        ASSIGN_OR_RETURN(value, RecoverIntegerConstant(location));  // numeric(3, -2)
      }
      type.modifiers.push_back(value);
    }
  }
  return type;
}

Result<ExprPtr> Transformer::TransformTypeCast(const Json& node) {
  const Json& type_name = node["typeName"];
  // `int '1'` has no location of its own; PostgreSQL then reports the literal's.
  int location = Location(node);
  auto cast_arg = TransformExpr(node["arg"]);
  if (!cast_arg.ok()) return cast_arg.status();
  if (location < 0) location = Location(type_name);
  auto cast = std::make_unique<CastExpr>(location);
  cast->arg = std::move(cast_arg).value();
  ASSIGN_OR_RETURN(cast->type, TransformTypeName(type_name));
  return ExprPtr(std::move(cast));
}

Result<ExprPtr> Transformer::TransformAExpr(const Json& node) {
  std::string kind = StringField(node, "kind");
  std::vector<std::string> names = NameList(Child(node, "name"));
  std::string op = names.empty() ? "" : names.back();
  int location = Location(node);
  ExprPtr left;
  if (node.contains("lexpr")) {
    ASSIGN_OR_RETURN(left, TransformExpr(node["lexpr"]));
  }
  const Json& rexpr = Child(node, "rexpr");
  if (kind == "AEXPR_OP") {
    auto expr = std::make_unique<OperatorExpr>(location);
    expr->name = op;
    expr->left = std::move(left);
    ASSIGN_OR_RETURN(expr->right, TransformExpr(rexpr));
    return ExprPtr(std::move(expr));
  }
  if (kind == "AEXPR_DISTINCT" || kind == "AEXPR_NOT_DISTINCT") {
    auto expr = std::make_unique<DistinctExpr>(location);
    expr->left = std::move(left);
    ASSIGN_OR_RETURN(expr->right, TransformExpr(rexpr));
    expr->is_not = kind == "AEXPR_NOT_DISTINCT";
    return ExprPtr(std::move(expr));
  }
  if (kind == "AEXPR_NULLIF") {
    auto expr = std::make_unique<NullIfExpr>(location);
    expr->left = std::move(left);
    ASSIGN_OR_RETURN(expr->right, TransformExpr(rexpr));
    return ExprPtr(std::move(expr));
  }
  if (kind == "AEXPR_IN") {
    auto expr = std::make_unique<InListExpr>(location);
    expr->arg = std::move(left);
    expr->negated = op == "<>";
    auto [list_kind, list] = NodeOf(rexpr);
    if (list_kind != "List") return NotSupported("IN (subquery)");
    ASSIGN_OR_RETURN(expr->list, TransformExprList((*list)["items"]));
    return ExprPtr(std::move(expr));
  }
  if (kind == "AEXPR_LIKE" || kind == "AEXPR_ILIKE") {
    auto expr = std::make_unique<LikeExpr>(location);
    expr->arg = std::move(left);
    expr->negated = !op.empty() && op[0] == '!';
    expr->case_insensitive = kind == "AEXPR_ILIKE";
    ASSIGN_OR_RETURN(expr->pattern, TransformExpr(rexpr));
    return ExprPtr(std::move(expr));
  }
  if (kind.rfind("AEXPR_BETWEEN", 0) == 0 || kind.rfind("AEXPR_NOT_BETWEEN", 0) == 0) {
    auto expr = std::make_unique<BetweenExpr>(location);
    expr->arg = std::move(left);
    expr->negated = kind.rfind("AEXPR_NOT", 0) == 0;
    expr->symmetric = kind.find("SYM") != std::string::npos;
    auto [list_kind, list] = NodeOf(rexpr);
    if (list_kind != "List" || (*list)["items"].size() != 2) {
      return Status::Internal("BETWEEN without two bounds");
    }
    ASSIGN_OR_RETURN(expr->low, TransformExpr((*list)["items"][0]));
    ASSIGN_OR_RETURN(expr->high, TransformExpr((*list)["items"][1]));
    return ExprPtr(std::move(expr));
  }
  if (kind == "AEXPR_OP_ANY" || kind == "AEXPR_OP_ALL") {
    auto expr = std::make_unique<OperatorExpr>(location);
    expr->name = op;
    expr->quantifier =
        kind == "AEXPR_OP_ANY" ? OperatorExpr::Quantifier::kAny : OperatorExpr::Quantifier::kAll;
    expr->left = std::move(left);
    ASSIGN_OR_RETURN(expr->right, TransformExpr(rexpr));
    return ExprPtr(std::move(expr));
  }
  if (kind == "AEXPR_SIMILAR") return WithPosition(NotSupported("SIMILAR TO"), location);
  return WithPosition(NotSupported("operator kind " + kind), location);
}

Result<std::vector<FromItem>> Transformer::TransformFromList(const Json& list) {
  std::vector<FromItem> items;
  if (!list.is_array()) return items;
  for (const Json& entry : list) {
    ASSIGN_OR_RETURN(FromItem item, TransformFromItem(entry));
    items.push_back(std::move(item));
  }
  return items;
}

Result<std::shared_ptr<const SelectStatement>> Transformer::TransformSubselect(const Json& node) {
  auto [kind, body] = NodeOf(node);
  if (kind != "SelectStmt") return NotSupported("subquery " + kind);
  // A subquery's aggregates belong to it, not to the enclosing target list.
  bool outer_saw_aggregate = saw_aggregate_;
  ASSIGN_OR_RETURN(std::unique_ptr<Statement> statement, TransformSelect(*body));
  saw_aggregate_ = outer_saw_aggregate;
  return std::shared_ptr<const SelectStatement>(static_cast<SelectStatement*>(statement.release()));
}

Result<std::shared_ptr<const WithClause>> Transformer::TransformWith(const Json& node) {
  auto with = std::make_shared<WithClause>();
  with->recursive = BoolField(node, "recursive");
  for (const Json& item : Child(node, "ctes")) {
    auto [kind, cte] = NodeOf(item);
    if (kind != "CommonTableExpr") return Status::Internal("WITH item is not a CommonTableExpr");
    CommonTableExpr out;
    out.name = StringField(*cte, "ctename");
    out.location = Location(*cte);
    out.column_aliases = NameList(Child(*cte, "aliascolnames"));
    if (HasNonEmpty(*cte, "search_clause") || HasNonEmpty(*cte, "cycle_clause")) {
      return WithPosition(NotSupported("SEARCH/CYCLE clauses"), out.location);
    }
    auto [query_kind, query] = NodeOf(Child(*cte, "ctequery"));
    if (query_kind != "SelectStmt") {
      return WithPosition(NotSupported("data-modifying statements in WITH"), out.location);
    }
    ASSIGN_OR_RETURN(out.query, TransformSubselect(Child(*cte, "ctequery")));
    with->ctes.push_back(std::move(out));
  }
  return std::shared_ptr<const WithClause>(std::move(with));
}

// A function in FROM: one plain call (no ROWS FROM, WITH ORDINALITY or column definition
// list). It becomes a table reference the binder resolves as a set-returning function; a
// scalar function's one column is named by the alias, as in PostgreSQL.
Result<FromItem> Transformer::TransformRangeFunction(const Json& node) {
  int location = Location(node);
  if (HasNonEmpty(node, "coldeflist")) {
    return WithPosition(NotSupported("column definition lists"), location);
  }
  const Json& functions = Child(node, "functions");
  if (!functions.is_array() || functions.empty()) {
    return Status::Internal("RangeFunction without functions");
  }
  FromItem out;
  out.kind = FromKind::kTable;
  out.location = location;
  out.table.is_function = true;
  out.table.with_ordinality = BoolField(node, "ordinality");
  out.table.rows_from = BoolField(node, "is_rowsfrom");
  for (const Json& entry : functions) {
    const Json& pair =
        Child(entry, "List").is_object() ? Child(Child(entry, "List"), "items") : entry;
    if (pair.is_array() && pair.size() > 1 && !pair[1].is_null() && !pair[1].empty()) {
      return WithPosition(NotSupported("column definition lists"), location);
    }
    const Json& call = pair.is_array() && !pair.empty() ? pair[0] : pair;
    auto [call_kind, call_body] = NodeOf(call);
    if (call_kind != "FuncCall") {
      return WithPosition(NotSupported("this FROM function"), location);
    }
    ASSIGN_OR_RETURN(ExprPtr parsed, TransformFuncCall(*call_body));
    out.table.functions.push_back(std::shared_ptr<const ParsedExpr>(std::move(parsed)));
  }
  const auto& first = out.table.functions[0]->As<FuncCallExpr>();
  out.table.location = first.location;
  out.table.name = first.names.back();
  if (first.names.size() == 2) out.table.schema = first.names[0];
  const Json& alias = Child(node, "alias");
  if (alias.is_object()) {
    out.table.alias = StringField(alias, "aliasname");
    out.column_aliases = NameList(Child(alias, "colnames"));
  }
  return out;
}

Result<FromItem> Transformer::TransformFromItem(const Json& entry) {
  auto [kind, item] = NodeOf(entry);
  FromItem out;
  out.location = Location(*item);
  const Json& alias = Child(*item, "alias");
  if (alias.is_object()) {
    out.alias = StringField(alias, "aliasname");
    out.column_aliases = NameList(Child(alias, "colnames"));
  }
  if (kind == "JoinExpr") {
    out.kind = FromKind::kJoin;
    std::string type = StringField(*item, "jointype");
    out.join_type = type == "JOIN_LEFT"    ? JoinType::kLeft
                    : type == "JOIN_RIGHT" ? JoinType::kRight
                    : type == "JOIN_FULL"  ? JoinType::kFull
                                           : JoinType::kInner;
    if (type != "JOIN_INNER" && type != "JOIN_LEFT" && type != "JOIN_RIGHT" &&
        type != "JOIN_FULL") {
      return NotSupported("join type " + type);
    }
    out.natural = BoolField(*item, "isNatural");
    out.using_columns = NameList(Child(*item, "usingClause"));
    if (HasNonEmpty(*item, "join_using_alias")) {
      return NotSupported("an alias for JOIN ... USING");
    }
    ASSIGN_OR_RETURN(FromItem left, TransformFromItem(Child(*item, "larg")));
    ASSIGN_OR_RETURN(FromItem right, TransformFromItem(Child(*item, "rarg")));
    out.left = std::make_unique<FromItem>(std::move(left));
    out.right = std::make_unique<FromItem>(std::move(right));
    if (HasNonEmpty(*item, "quals")) {
      ASSIGN_OR_RETURN(out.on, TransformExpr((*item)["quals"]));
    }
    return out;
  }
  if (kind == "RangeSubselect") {
    out.kind = FromKind::kSubquery;
    out.lateral = BoolField(*item, "lateral");
    ASSIGN_OR_RETURN(out.subquery, TransformSubselect(Child(*item, "subquery")));
    if (!out.alias) {
      return NotSupported("a subquery in FROM without an alias");
    }
    return out;
  }
  if (kind == "RangeFunction") return TransformRangeFunction(*item);
  if (kind != "RangeVar") return NotSupported("FROM clause item " + kind);
  out.kind = FromKind::kTable;
  ASSIGN_OR_RETURN(out.table, TransformRangeVar(*item, /*allow_column_aliases=*/true));
  out.alias.reset();
  return out;
}

Result<ExprPtr> Transformer::TransformBoolExpr(const Json& node) {
  auto expr = std::make_unique<BoolOpExpr>(Location(node));
  std::string op = StringField(node, "boolop");
  expr->op = op == "AND_EXPR" ? BoolOp::kAnd : (op == "OR_EXPR" ? BoolOp::kOr : BoolOp::kNot);
  ASSIGN_OR_RETURN(expr->args, TransformExprList(Child(node, "args")));
  return ExprPtr(std::move(expr));
}

Result<ExprPtr> Transformer::TransformNullTest(const Json& node) {
  auto expr = std::make_unique<NullTestExpr>(Location(node));
  expr->is_not = StringField(node, "nulltesttype") == "IS_NOT_NULL";
  ASSIGN_OR_RETURN(expr->arg, TransformExpr(node["arg"]));
  return ExprPtr(std::move(expr));
}

Result<ExprPtr> Transformer::TransformBooleanTest(const Json& node) {
  auto expr = std::make_unique<BooleanTestExpr>(Location(node));
  std::string kind = StringField(node, "booltesttype");  // IS_TRUE, IS_NOT_FALSE, ...
  expr->is_not = kind.starts_with("IS_NOT_");
  std::string value = kind.substr(expr->is_not ? 7 : 3);
  if (value == "TRUE") {
    expr->test = BooleanTestKind::kTrue;
  } else if (value == "FALSE") {
    expr->test = BooleanTestKind::kFalse;
  } else if (value == "UNKNOWN") {
    expr->test = BooleanTestKind::kUnknown;
  } else {
    return Status::Internal(fmt::format("unknown booltesttype {}", kind));
  }
  ASSIGN_OR_RETURN(expr->arg, TransformExpr(node["arg"]));
  return ExprPtr(std::move(expr));
}

Result<ExprPtr> Transformer::TransformMinMax(const Json& node) {
  auto expr = std::make_unique<MinMaxExpr>(Location(node));
  expr->greatest = StringField(node, "op") == "IS_GREATEST";
  ASSIGN_OR_RETURN(expr->args, TransformExprList(Child(node, "args")));
  return ExprPtr(std::move(expr));
}

Result<ExprPtr> Transformer::TransformCase(const Json& node) {
  auto expr = std::make_unique<CaseExpr>(Location(node));
  if (node.contains("arg")) {
    ASSIGN_OR_RETURN(expr->arg, TransformExpr(node["arg"]));
  }
  for (const Json& item : Child(node, "args")) {
    auto [kind, when] = NodeOf(item);
    if (kind != "CaseWhen") return Status::Internal("CASE arm is not a CaseWhen");
    ASSIGN_OR_RETURN(ExprPtr condition, TransformExpr((*when)["expr"]));
    ASSIGN_OR_RETURN(ExprPtr result, TransformExpr((*when)["result"]));
    expr->whens.emplace_back(std::move(condition), std::move(result));
  }
  if (node.contains("defresult")) {
    ASSIGN_OR_RETURN(expr->else_result, TransformExpr(node["defresult"]));
  }
  return ExprPtr(std::move(expr));
}

Result<ExprPtr> Transformer::TransformCoalesce(const Json& node) {
  auto expr = std::make_unique<CoalesceExpr>(Location(node));
  ASSIGN_OR_RETURN(expr->args, TransformExprList(Child(node, "args")));
  return ExprPtr(std::move(expr));
}

// Named notation (`make_interval(years => 1, secs := 2.5)`) for the built-in functions whose
// parameter names and defaults are listed here: the call becomes positional, omitted
// parameters taking their defaults. Other functions fail as before (0A000).
Result<std::vector<ExprPtr>> Transformer::TransformCallArgs(const std::vector<std::string>& names,
                                                            const Json& args, int location) {
  struct Parameter {
    std::string_view name;
    std::string_view default_value;  // an integer or numeric literal
  };
  static const std::map<std::string_view, std::vector<Parameter>> kNamedParameters = {
      {"make_interval",
       {{"years", "0"},
        {"months", "0"},
        {"weeks", "0"},
        {"days", "0"},
        {"hours", "0"},
        {"mins", "0"},
        {"secs", "0.0"}}},
  };
  bool named = false;
  if (args.is_array()) {
    for (const Json& item : args) named = named || NodeOf(item).first == "NamedArgExpr";
  }
  auto function = kNamedParameters.find(names.empty() ? "" : std::string_view(names.back()));
  if (!named || function == kNamedParameters.end()) return TransformExprList(args);
  const std::vector<Parameter>& parameters = function->second;
  std::vector<ExprPtr> slots(parameters.size());
  size_t used = 0;
  size_t position = 0;
  for (const Json& item : args) {
    auto [kind, body] = NodeOf(item);
    size_t slot = position++;
    const Json* value = &item;
    if (kind == "NamedArgExpr") {
      std::string name = StringField(*body, "name");
      slot = parameters.size();
      for (size_t i = 0; i < parameters.size(); ++i) {
        if (parameters[i].name == name) slot = i;
      }
      if (slot == parameters.size() || slots[slot] != nullptr) {
        return WithPosition(Status::Sql("42883", fmt::format("function {}() has no parameter "
                                                             "\"{}\" or it is given twice",
                                                             names.back(), name)),
                            location);
      }
      value = &Child(*body, "arg");
    }
    if (slot >= parameters.size()) {
      return WithPosition(Status::Sql("42883", "too many arguments"), location);
    }
    ASSIGN_OR_RETURN(slots[slot], TransformExpr(*value));
    used = std::max(used, slot + 1);
  }
  for (size_t i = 0; i < used; ++i) {
    if (slots[i] != nullptr) continue;
    auto constant = std::make_unique<ConstantExpr>(location);
    std::string_view text = parameters[i].default_value;
    constant->literal =
        text.find('.') == std::string_view::npos ? LiteralKind::kInteger : LiteralKind::kNumeric;
    constant->text = std::string(text);
    constant->int_value = 0;
    slots[i] = std::move(constant);
  }
  slots.resize(used);
  return slots;
}

Result<ExprPtr> Transformer::TransformFuncCall(const Json& node) {
  int location = Location(node);
  if (HasNonEmpty(node, "agg_filter") || BoolField(node, "agg_within_group")) {
    return WithPosition(NotSupported("FILTER/WITHIN GROUP in calls"), location);
  }
  auto expr = std::make_unique<FuncCallExpr>(location);
  expr->variadic = BoolField(node, "func_variadic");
  expr->names = NameList(Child(node, "funcname"));
  if (IsAggregateName(expr->names)) saw_aggregate_ = true;
  if (IsSetFunctionName(expr->names)) saw_set_function_ = true;
  expr->star = BoolField(node, "agg_star");
  expr->distinct = BoolField(node, "agg_distinct");
  ASSIGN_OR_RETURN(expr->args, TransformCallArgs(expr->names, Child(node, "args"), location));
  if (HasNonEmpty(node, "agg_order")) {
    ASSIGN_OR_RETURN(expr->aggregate_order, TransformSortList(node["agg_order"]));
  }
  if (HasNonEmpty(node, "over")) {
    RETURN_IF_ERROR(TransformOver(node["over"], location, *expr));
    saw_aggregate_ = true;  // a SELECT without FROM goes through the table planner too
  }
  return ExprPtr(std::move(expr));
}

// OVER (PARTITION BY ... ORDER BY ...) with the default frame; named windows and explicit
// frames are 0A000.
Status Transformer::TransformOver(const Json& over, int location, FuncCallExpr& expr) {
  if (!StringField(over, "name").empty() || !StringField(over, "refname").empty()) {
    return WithPosition(NotSupported("named windows"), location);
  }
  // FRAMEOPTION_NONDEFAULT (bit 0): an explicit ROWS/RANGE/GROUPS clause.
  if (over.contains("frameOptions") && (over["frameOptions"].get<int64_t>() & 1) != 0) {
    return WithPosition(NotSupported("window frame clauses"), location);
  }
  expr.has_over = true;
  ASSIGN_OR_RETURN(expr.partition_by, TransformExprList(Child(over, "partitionClause")));
  if (HasNonEmpty(over, "orderClause")) {
    ASSIGN_OR_RETURN(expr.window_order, TransformSortList(over["orderClause"]));
  }
  return Status::Ok();
}

Result<ExprPtr> Transformer::TransformSubLink(const Json& node) {
  int location = Location(node);
  std::string type = StringField(node, "subLinkType");
  auto expr = std::make_unique<SubqueryExpr>(location);
  // x op ALL (subquery) is NOT (x negator(op) ANY (subquery)): false as soon as one comparison
  // is false, else NULL if one is NULL, else true (also for no rows), as PostgreSQL evaluates it.
  std::optional<std::string> all_of;
  if (type == "ALL_SUBLINK") {
    static const std::map<std::string, std::string> kNegators = {
        {"=", "<>"}, {"<>", "="}, {"<", ">="}, {">=", "<"}, {">", "<="}, {"<=", ">"}};
    std::vector<std::string> names = NameList(Child(node, "operName"));
    auto negator = kNegators.find(names.empty() ? "" : names.back());
    if (negator == kNegators.end()) {
      return WithPosition(NotSupported("ALL with this operator"), location);
    }
    all_of = negator->second;
    type = "ANY_SUBLINK";
  }
  if (type == "EXPR_SUBLINK") {
    expr->subquery = SubqueryKind::kScalar;
  } else if (type == "EXISTS_SUBLINK") {
    expr->subquery = SubqueryKind::kExists;
  } else if (type == "ANY_SUBLINK") {
    expr->subquery = SubqueryKind::kAny;
    std::vector<std::string> names = NameList(Child(node, "operName"));
    expr->operator_name = all_of ? *all_of : names.empty() ? "=" : names.back();
    if (Child(node, "testexpr").is_null()) return Status::Internal("ANY subquery without operand");
    ASSIGN_OR_RETURN(expr->test, TransformExpr(node["testexpr"]));
  } else if (type == "ARRAY_SUBLINK") {
    expr->subquery = SubqueryKind::kArray;
  } else {
    return WithPosition(NotSupported("row comparison subqueries"), location);
  }
  auto [kind, body] = NodeOf(Child(node, "subselect"));
  if (kind != "SelectStmt") return Status::Internal("subquery is not a SelectStmt");
  ASSIGN_OR_RETURN(std::unique_ptr<Statement> select, TransformSelect(*body));
  expr->select =
      std::shared_ptr<const SelectStatement>(static_cast<SelectStatement*>(select.release()));
  saw_subquery_ = true;
  if (all_of) {
    auto negated = std::make_unique<BoolOpExpr>(location);
    negated->op = BoolOp::kNot;
    negated->args.push_back(std::move(expr));
    return ExprPtr(std::move(negated));
  }
  return ExprPtr(std::move(expr));
}

Result<ExprPtr> Transformer::TransformSqlValueFunction(const Json& node) {
  static const std::map<std::string, SqlValueFunction> kOps = {
      {"SVFOP_CURRENT_USER", SqlValueFunction::kCurrentUser},
      {"SVFOP_SESSION_USER", SqlValueFunction::kSessionUser},
      {"SVFOP_USER", SqlValueFunction::kUser},
      {"SVFOP_CURRENT_ROLE", SqlValueFunction::kCurrentRole},
      {"SVFOP_CURRENT_CATALOG", SqlValueFunction::kCurrentCatalog},
      {"SVFOP_CURRENT_SCHEMA", SqlValueFunction::kCurrentSchema},
      {"SVFOP_CURRENT_DATE", SqlValueFunction::kCurrentDate},
      {"SVFOP_CURRENT_TIME", SqlValueFunction::kCurrentTime},
      {"SVFOP_CURRENT_TIME_N", SqlValueFunction::kCurrentTime},
      {"SVFOP_CURRENT_TIMESTAMP", SqlValueFunction::kCurrentTimestamp},
      {"SVFOP_CURRENT_TIMESTAMP_N", SqlValueFunction::kCurrentTimestamp},
      {"SVFOP_LOCALTIME", SqlValueFunction::kLocalTime},
      {"SVFOP_LOCALTIME_N", SqlValueFunction::kLocalTime},
      {"SVFOP_LOCALTIMESTAMP", SqlValueFunction::kLocalTimestamp},
      {"SVFOP_LOCALTIMESTAMP_N", SqlValueFunction::kLocalTimestamp},
  };
  auto it = kOps.find(StringField(node, "op"));
  if (it == kOps.end()) return Status::Internal("unknown SQLValueFunction");
  auto expr = std::make_unique<SqlValueFunctionExpr>(Location(node));
  expr->function = it->second;
  return ExprPtr(std::move(expr));
}

// ---- Bulk loading and maintenance (sql/ast_bulk.h) -------------------------------------------

Result<std::unique_ptr<Statement>> Transformer::TransformTruncate(const Json& node) {
  auto truncate = std::make_unique<TruncateStatement>();
  for (const Json& item : Child(node, "relations")) {
    auto [kind, relation] = NodeOf(item);
    if (kind != "RangeVar") return Status::Internal("TRUNCATE relation is not a RangeVar");
    ASSIGN_OR_RETURN(TableRef table, TransformRangeVar(*relation));
    truncate->tables.push_back(std::move(table));
  }
  truncate->restart_identity = BoolField(node, "restart_seqs");
  truncate->cascade = StringField(node, "behavior") == "DROP_CASCADE";
  return std::unique_ptr<Statement>(std::move(truncate));
}

// DefElem lists: values are kept as text (strings, numbers, booleans), lists as names.
Result<std::vector<OptionItem>> Transformer::TransformOptions(const Json& list) {
  std::vector<OptionItem> options;
  for (const Json& item : list) {
    auto [kind, element] = NodeOf(item);
    if (kind != "DefElem") return Status::Internal("option is not a DefElem");
    OptionItem option;
    option.name = StringField(*element, "defname");
    option.location = Location(*element);
    if (HasNonEmpty(*element, "arg") || element->contains("arg")) {
      auto [arg_kind, arg] = NodeOf(Child(*element, "arg"));
      if (arg_kind == "String") {
        option.value = StringField(*arg, "sval");
      } else if (arg_kind == "Integer") {
        option.value = std::to_string(
            Child(*arg, "ival").is_number_integer() ? Child(*arg, "ival").get<int64_t>() : 0);
      } else if (arg_kind == "Float") {
        option.value = StringField(*arg, "fval");
      } else if (arg_kind == "Boolean") {
        option.value = BoolField(*arg, "boolval") ? "true" : "false";
      } else if (arg_kind == "List") {
        option.list = NameList(Child(*arg, "items"));
      } else if (arg_kind == "A_Star") {
        option.star = true;
      } else if (!arg_kind.empty()) {
        return WithPosition(NotSupported("option value " + arg_kind), option.location);
      }
    }
    options.push_back(std::move(option));
  }
  return options;
}

Result<std::unique_ptr<Statement>> Transformer::TransformCopy(const Json& node) {
  auto copy = std::make_unique<CopyStatement>();
  if (node.contains("relation")) {
    ASSIGN_OR_RETURN(copy->table, TransformRangeVar(node["relation"]));
  }
  if (node.contains("query")) {
    auto [kind, body] = NodeOf(node["query"]);
    if (kind != "SelectStmt") return NotSupported("COPY (" + StatementDisplayName(kind) + ") TO");
    const Json* leftmost = body;
    while (HasNonEmpty(*leftmost, "larg")) leftmost = &NodeOf(Child(*leftmost, "larg")).second[0];
    if (HasNonEmpty(*leftmost, "intoClause")) {
      return Status::Sql("0A000", "COPY (SELECT INTO) is not supported");
    }
    ASSIGN_OR_RETURN(std::unique_ptr<Statement> select, TransformSelect(*body));
    copy->query =
        std::shared_ptr<const SelectStatement>(static_cast<SelectStatement*>(select.release()));
  }
  for (const std::string& name : NameList(Child(node, "attlist"))) {
    copy->columns.push_back(NamedColumn{name, -1});
  }
  copy->is_from = BoolField(node, "is_from");
  copy->is_program = BoolField(node, "is_program");
  copy->filename = StringField(node, "filename");
  if (HasNonEmpty(node, "whereClause")) return NotSupported("COPY FROM ... WHERE");
  ASSIGN_OR_RETURN(copy->options, TransformOptions(Child(node, "options")));
  return std::unique_ptr<Statement>(std::move(copy));
}

Result<std::unique_ptr<Statement>> Transformer::TransformVacuum(const Json& node) {
  auto vacuum = std::make_unique<VacuumStatement>();
  vacuum->is_vacuum = BoolField(node, "is_vacuumcmd");
  ASSIGN_OR_RETURN(vacuum->options, TransformOptions(Child(node, "options")));
  for (const Json& item : Child(node, "rels")) {
    auto [kind, relation] = NodeOf(item);
    if (kind != "VacuumRelation") return Status::Internal("VACUUM relation is not VacuumRelation");
    ASSIGN_OR_RETURN(TableRef table, TransformRangeVar(Child(*relation, "relation")));
    vacuum->tables.push_back(std::move(table));
  }
  return std::unique_ptr<Statement>(std::move(vacuum));
}

Result<std::unique_ptr<Statement>> Transformer::TransformAlterTable(const Json& node) {
  if (StringField(node, "objtype") != "OBJECT_TABLE") {
    return NotSupported("ALTER " + StringField(node, "objtype").substr(7));
  }
  auto alter = std::make_unique<AlterTableStatement>();
  ASSIGN_OR_RETURN(alter->table, TransformRangeVar(Child(node, "relation")));
  alter->if_exists = BoolField(node, "missing_ok");
  for (const Json& item : Child(node, "cmds")) {
    auto [kind, cmd] = NodeOf(item);
    if (kind != "AlterTableCmd") return Status::Internal("ALTER TABLE command is not a command");
    std::string subtype = StringField(*cmd, "subtype");
    AlterCommand command;
    command.name = StringField(*cmd, "name");
    command.missing_ok = BoolField(*cmd, "missing_ok");
    command.location = alter->table.location;
    if (subtype == "AT_AddConstraint") {
      auto [def_kind, constraint] = NodeOf(Child(*cmd, "def"));
      if (def_kind != "Constraint") return Status::Internal("ADD CONSTRAINT without Constraint");
      std::string type = StringField(*constraint, "contype");
      command.location = Location(*constraint);
      if (type != "CONSTR_PRIMARY" && type != "CONSTR_UNIQUE") {
        static const std::map<std::string, std::string> kNames = {
            {"CONSTR_CHECK", "ALTER TABLE ... ADD CHECK"},
            {"CONSTR_FOREIGN", "ALTER TABLE ... ADD FOREIGN KEY"},
            {"CONSTR_EXCLUSION", "ALTER TABLE ... ADD EXCLUDE"},
        };
        auto it = kNames.find(type);
        return WithPosition(
            NotSupported(it != kNames.end() ? it->second : "ALTER TABLE ... ADD " + type),
            command.location);
      }
      if (HasNonEmpty(*constraint, "including")) return NotSupported("ADD CONSTRAINT ... INCLUDE");
      if (HasNonEmpty(*constraint, "indexname")) {
        return NotSupported("ADD CONSTRAINT ... USING INDEX");
      }
      if (BoolField(*constraint, "nulls_not_distinct")) return NotSupported("NULLS NOT DISTINCT");
      command.kind = type == "CONSTR_PRIMARY" ? AlterKind::kAddPrimaryKey : AlterKind::kAddUnique;
      command.name = StringField(*constraint, "conname");
      command.key = NameList(Child(*constraint, "keys"));
    } else if (subtype == "AT_AddColumn") {
      auto [def_kind, def] = NodeOf(Child(*cmd, "def"));
      if (def_kind != "ColumnDef") return Status::Internal("ADD COLUMN without ColumnDef");
      command.kind = AlterKind::kAddColumn;
      ASSIGN_OR_RETURN(command.column, TransformColumnDef(*def));
      command.name = command.column->name;
      command.location = command.column->location;
    } else if (subtype == "AT_DropColumn") {
      command.kind = AlterKind::kDropColumn;
    } else if (subtype == "AT_ColumnDefault") {
      if (cmd->contains("def")) {
        command.kind = AlterKind::kSetDefault;
        ASSIGN_OR_RETURN(command.default_value, TransformExpr((*cmd)["def"]));
      } else {
        command.kind = AlterKind::kDropDefault;
      }
    } else if (subtype == "AT_SetNotNull") {
      command.kind = AlterKind::kSetNotNull;
    } else if (subtype == "AT_DropNotNull") {
      command.kind = AlterKind::kDropNotNull;
    } else if (subtype == "AT_ChangeOwner") {  // helper R
      const Json& owner = Child(*cmd, "newowner");
      if (StringField(owner, "roletype") != "ROLESPEC_CSTRING") {
        return NotSupported("OWNER TO CURRENT_USER / SESSION_USER / CURRENT_ROLE");
      }
      command.kind = AlterKind::kOwnerTo;
      command.newname = StringField(owner, "rolename");
    } else {
      std::string what = subtype.rfind("AT_", 0) == 0 ? subtype.substr(3) : subtype;
      return NotSupported("ALTER TABLE " + what);
    }
    alter->commands.push_back(std::move(command));
  }
  return std::unique_ptr<Statement>(std::move(alter));
}

Result<std::unique_ptr<Statement>> Transformer::TransformRename(const Json& node) {
  std::string type = StringField(node, "renameType");
  if (type != "OBJECT_TABLE" &&
      !(type == "OBJECT_COLUMN" && StringField(node, "relationType") == "OBJECT_TABLE")) {
    std::string what = type.rfind("OBJECT_", 0) == 0 ? type.substr(7) : type;
    for (char& c : what) c = c == '_' ? ' ' : static_cast<char>(std::toupper(c));
    return NotSupported("ALTER " + what + " ... RENAME");
  }
  auto alter = std::make_unique<AlterTableStatement>();
  ASSIGN_OR_RETURN(alter->table, TransformRangeVar(Child(node, "relation")));
  alter->if_exists = BoolField(node, "missing_ok");
  AlterCommand command;
  command.kind = type == "OBJECT_TABLE" ? AlterKind::kRenameTable : AlterKind::kRenameColumn;
  command.name = StringField(node, "subname");
  command.newname = StringField(node, "newname");
  command.location = alter->table.location;
  alter->commands.push_back(std::move(command));
  return std::unique_ptr<Statement>(std::move(alter));
}

// ---- Secondary indexes and constraints (sql/ast_index.h) ---------------------------------------

Result<std::unique_ptr<Statement>> Transformer::TransformCreateIndex(const Json& node) {
  auto create = std::make_unique<CreateIndexStatement>();
  ASSIGN_OR_RETURN(create->table, TransformRangeVar(Child(node, "relation")));
  if (!StringField(node, "idxname").empty()) create->name = StringField(node, "idxname");
  // A hash index is built as an ordered index: it answers every query a hash index answers
  // (equality), and the catalog shows it as btree. PostgreSQL's limits of hash indexes hold.
  std::string method = StringField(node, "accessMethod");
  if (method == "hash") {
    if (BoolField(node, "unique")) {
      return Status::Sql("0A000", "access method \"hash\" does not support unique indexes");
    }
    if (Child(node, "indexParams").size() > 1) {
      return Status::Sql("0A000", "access method \"hash\" does not support multicolumn indexes");
    }
  } else if (!method.empty() && method != "btree") {
    return Status::Sql("0A000", fmt::format("access method \"{}\" is not supported yet", method));
  }
  if (HasNonEmpty(node, "whereClause")) return NotSupported("partial indexes (WHERE)");
  if (HasNonEmpty(node, "indexIncludingParams")) return NotSupported("INCLUDE columns");
  if (HasNonEmpty(node, "tableSpace")) return NotSupported("tablespaces");
  if (HasNonEmpty(node, "options")) return NotSupported("index storage parameters (WITH)");
  if (BoolField(node, "nulls_not_distinct")) return NotSupported("NULLS NOT DISTINCT");
  create->unique = BoolField(node, "unique");
  create->if_not_exists = BoolField(node, "if_not_exists");
  for (const Json& item : Child(node, "indexParams")) {
    auto [kind, element] = NodeOf(item);
    if (kind != "IndexElem") return Status::Internal("index parameter is not an IndexElem");
    IndexElement column;
    column.column = StringField(*element, "name");
    if (column.column.empty()) return NotSupported("indexes on expressions");
    if (HasNonEmpty(*element, "collation")) return NotSupported("COLLATE in an index");
    if (HasNonEmpty(*element, "opclass")) return NotSupported("operator classes");
    std::string ordering = StringField(*element, "ordering");
    if (ordering == "SORTBY_USING") return NotSupported("ORDER BY USING");
    column.descending = ordering == "SORTBY_DESC";
    std::string nulls = StringField(*element, "nulls_ordering");
    if (nulls == "SORTBY_NULLS_FIRST") column.nulls_first = true;
    if (nulls == "SORTBY_NULLS_LAST") column.nulls_first = false;
    create->columns.push_back(std::move(column));
  }
  if (create->columns.empty()) return Status::Internal("CREATE INDEX without columns");
  return std::unique_ptr<Statement>(std::move(create));
}

Result<std::unique_ptr<Statement>> Transformer::TransformDropIndex(const Json& node) {
  auto drop = std::make_unique<DropIndexStatement>();
  drop->if_exists = BoolField(node, "missing_ok");
  for (const Json& object : Child(node, "objects")) {
    auto [kind, list] = NodeOf(object);
    std::vector<std::string> names = NameList(Child(*list, "items"));
    if (names.empty() || names.size() > 3) return Status::Internal("bad DROP INDEX name");
    if (names.size() == 3) return NotSupported("cross-database references");
    TableRef index;
    index.name = names.back();
    if (names.size() == 2) index.schema = names[0];
    drop->indexes.push_back(std::move(index));
  }
  return std::unique_ptr<Statement>(std::move(drop));
}

// ---- Sequences (sql/ast_sequence.h) ------------------------------------------------------------

Result<std::unique_ptr<Statement>> Transformer::TransformSequence(const Json& node, bool create) {
  auto sequence = std::make_unique<SequenceStatement>();
  sequence->action = create ? SequenceAction::kCreate : SequenceAction::kAlter;
  const Json& relation = Child(node, "sequence");
  if (StringField(relation, "relpersistence") == "t") return NotSupported("temporary sequences");
  ASSIGN_OR_RETURN(TableRef name, TransformRangeVar(relation));
  sequence->names.push_back(std::move(name));
  sequence->if_not_exists = BoolField(node, "if_not_exists");
  sequence->if_exists = BoolField(node, "missing_ok");
  ASSIGN_OR_RETURN(
      sequence->options,
      TransformSequenceOptions(Child(node, "options"), source_, [this](const Json& type_node) {
        return TransformTypeName(type_node);
      }));
  if (create && sequence->options.restart) {
    return Status::Sql("42601", "option \"restart\" not recognized");
  }
  return std::unique_ptr<Statement>(std::move(sequence));
}

Result<std::unique_ptr<Statement>> Transformer::TransformDropSequence(const Json& node) {
  auto drop = std::make_unique<SequenceStatement>();
  drop->action = SequenceAction::kDrop;
  drop->if_exists = BoolField(node, "missing_ok");
  drop->cascade = StringField(node, "behavior") == "DROP_CASCADE";
  for (const Json& object : Child(node, "objects")) {
    auto [kind, list] = NodeOf(object);
    std::vector<std::string> names = NameList(Child(*list, "items"));
    if (names.empty() || names.size() > 3) return Status::Internal("bad DROP SEQUENCE name");
    if (names.size() == 3) return NotSupported("cross-database references");
    TableRef name;
    name.name = names.back();
    if (names.size() == 2) name.schema = names[0];
    drop->names.push_back(std::move(name));
  }
  return std::unique_ptr<Statement>(std::move(drop));
}

Result<std::unique_ptr<Statement>> Transformer::TransformView(const Json& node) {
  auto view = std::make_unique<ViewStatement>();
  const Json& relation = Child(node, "view");
  ASSIGN_OR_RETURN(view->view, TransformRangeVar(relation));
  if (StringField(relation, "relpersistence") == "t") {
    return WithPosition(NotSupported("CREATE TEMPORARY VIEW"), view->view.location);
  }
  if (StringField(node, "withCheckOption") != "NO_CHECK_OPTION" &&
      !StringField(node, "withCheckOption").empty()) {
    return NotSupported("WITH CHECK OPTION");
  }
  if (HasNonEmpty(node, "options")) return NotSupported("CREATE VIEW ... WITH (options)");
  view->or_replace = BoolField(node, "replace");
  view->column_names = NameList(Child(node, "aliases"));
  auto [kind, query] = NodeOf(Child(node, "query"));
  if (kind != "SelectStmt") return NotSupported("CREATE VIEW AS " + kind);
  ASSIGN_OR_RETURN(view->query, TransformSubselect(Child(node, "query")));
  if (view->view.location < 0) return Status::Internal("CREATE VIEW without a location");
  Result<SourceSpan> span = ViewQuerySpan(source_, static_cast<size_t>(view->view.location));
  if (!span.ok()) return Status::Internal(span.status().message());
  view->query_text = source_.substr(span->begin, span->end - span->begin);
  // CREATE RECURSIVE VIEW arrives as a WITH RECURSIVE query the text does not hold.
  size_t first = view->query_text.find_first_not_of("( \t\r\n");
  if (HasNonEmpty(*query, "withClause") &&
      (first == std::string::npos ||
       std::tolower(static_cast<unsigned char>(view->query_text[first])) != 'w')) {
    return NotSupported("CREATE RECURSIVE VIEW");
  }
  return std::unique_ptr<Statement>(std::move(view));
}

Result<std::unique_ptr<Statement>> Transformer::TransformDropView(const Json& node) {
  auto drop = std::make_unique<ViewStatement>();
  drop->drop = true;
  drop->if_exists = BoolField(node, "missing_ok");
  drop->cascade = StringField(node, "behavior") == "DROP_CASCADE";
  for (const Json& object : Child(node, "objects")) {
    auto [kind, list] = NodeOf(object);
    std::vector<std::string> names = NameList(Child(*list, "items"));
    if (names.empty() || names.size() > 3) return Status::Internal("bad DROP VIEW name");
    if (names.size() == 3) return NotSupported("cross-database references");
    TableRef name;
    name.name = names.back();
    if (names.size() == 2) name.schema = names[0];
    drop->views.push_back(std::move(name));
  }
  return std::unique_ptr<Statement>(std::move(drop));
}

Result<std::shared_ptr<const OnConflictClause>> Transformer::TransformOnConflict(const Json& node) {
  auto clause = std::make_shared<OnConflictClause>();
  clause->location = Location(node);
  std::string action = StringField(node, "action");
  if (action != "ONCONFLICT_NOTHING" && action != "ONCONFLICT_UPDATE") {
    return Status::Internal("unknown ON CONFLICT action");
  }
  clause->do_update = action == "ONCONFLICT_UPDATE";
  if (HasNonEmpty(node, "infer")) {
    const Json& infer = node["infer"];
    clause->target_location = Location(infer);
    if (HasNonEmpty(infer, "whereClause")) {
      return WithPosition(NotSupported("ON CONFLICT (...) WHERE (partial unique indexes)"),
                          clause->target_location);
    }
    if (!StringField(infer, "conname").empty()) clause->constraint = StringField(infer, "conname");
    for (const Json& item : Child(infer, "indexElems")) {
      auto [kind, element] = NodeOf(item);
      if (HasNonEmpty(*element, "expr") || StringField(*element, "name").empty()) {
        return WithPosition(NotSupported("expressions in an ON CONFLICT target"),
                            clause->target_location);
      }
      if (HasNonEmpty(*element, "collation") || HasNonEmpty(*element, "opclass")) {
        return WithPosition(NotSupported("COLLATE or operator classes in an ON CONFLICT target"),
                            clause->target_location);
      }
      clause->target_columns.push_back(
          NamedColumn{StringField(*element, "name"), clause->target_location});
    }
  }
  ASSIGN_OR_RETURN(clause->assignments, TransformAssignments(Child(node, "targetList")));
  if (HasNonEmpty(node, "whereClause")) {
    ASSIGN_OR_RETURN(clause->where, TransformExpr(node["whereClause"]));
  }
  return std::shared_ptr<const OnConflictClause>(std::move(clause));
}

// UNIQUE [(columns)] or CHECK (condition); `column` names the column of a column constraint.
Result<TableConstraint> Transformer::TransformConstraint(const Json& node,
                                                         const std::string& column) {
  TableConstraint constraint;
  constraint.location = Location(node);
  if (!StringField(node, "conname").empty()) constraint.name = StringField(node, "conname");
  if (BoolField(node, "deferrable")) {
    return WithPosition(NotSupported("DEFERRABLE constraints"), constraint.location);
  }
  if (StringField(node, "contype") == "CONSTR_UNIQUE") {
    constraint.kind = ConstraintKind::kUnique;
    if (HasNonEmpty(node, "including")) return NotSupported("UNIQUE ... INCLUDE");
    if (BoolField(node, "nulls_not_distinct")) return NotSupported("NULLS NOT DISTINCT");
    if (HasNonEmpty(node, "options") || HasNonEmpty(node, "indexspace")) {
      return NotSupported("UNIQUE index parameters");
    }
    constraint.columns =
        column.empty() ? NameList(Child(node, "keys")) : std::vector<std::string>{column};
    return constraint;
  }
  constraint.kind = ConstraintKind::kCheck;
  if (BoolField(node, "skip_validation")) return NotSupported("NOT VALID");
  ASSIGN_OR_RETURN(constraint.check, TransformExpr(Child(node, "raw_expr")));
  std::optional<std::string> text = CheckConditionText(source_, constraint.location);
  if (!text) return Status::Internal("cannot find the text of a CHECK condition");
  constraint.check_text = std::move(*text);
  return constraint;
}

}  // namespace

int ErrorPosition(std::string_view source, int byte_location) {
  if (byte_location < 0) return 0;
  int chars = 0;
  size_t end = std::min(source.size(), static_cast<size_t>(byte_location));
  for (size_t i = 0; i < end; ++i) {
    if ((static_cast<uint8_t>(source[i]) & 0xC0) != 0x80) ++chars;
  }
  return chars + 1;
}

Result<ParseResult> Parse(std::string_view sql) {
  if (sql.size() > kMaxQueryLength) {
    return Status::Sql("54000", fmt::format("query string is too long ({} bytes, maximum {})",
                                            sql.size(), kMaxQueryLength));
  }
  if (sql.find('\0') != std::string_view::npos) {
    return Status::Sql("22021", "invalid byte sequence for encoding \"UTF8\": 0x00");
  }
  ParseResult result;
  auto source = std::make_shared<std::string>(sql);
  result.source = source;

  // DSQL's CREATE INDEX ASYNC: the grammar does not know ASYNC (sql/ast_index.h).
  BlankedAsync blanked = BlankAsyncKeywords(*source);
  PgQueryParseResult parsed = pg_query_parse(blanked.text.c_str());
  if (parsed.error != nullptr) {
    // gram.y's ereports that are not syntax errors: `role name "public" is reserved` (R).
    std::string_view message = parsed.error->message;
    bool reserved = message.rfind("role name \"", 0) == 0 && message.ends_with("\" is reserved");
    Status status = Status::Sql(reserved ? "42939" : "42601", parsed.error->message);
    if (parsed.error->cursorpos > 0) {
      status = std::move(status).WithPosition(parsed.error->cursorpos);
    }
    pg_query_free_parse_result(parsed);
    return status;
  }
  Json tree;
  try {
    tree = Json::parse(parsed.parse_tree);
  } catch (const Json::exception& e) {
    pg_query_free_parse_result(parsed);
    return Status::Internal(std::string("cannot read parse tree: ") + e.what());
  }
  pg_query_free_parse_result(parsed);

  const Json& stmts = Child(tree, "stmts");
  if (stmts.empty()) {
    ParsedStatement empty;
    empty.empty = true;
    empty.text = *source;
    result.statements.push_back(std::move(empty));
    return result;
  }
  Transformer transformer(*source);
  for (const Json& raw : stmts) {
    ParsedStatement statement;
    statement.location = raw.value("stmt_location", 0);
    int length = raw.value("stmt_len", 0);
    if (length == 0) length = static_cast<int>(source->size()) - statement.location;
    statement.text = source->substr(statement.location, length);
    statement.node_name = NodeOf(raw["stmt"]).first;
    try {
      Result<std::unique_ptr<Statement>> transformed = transformer.TransformStatement(raw["stmt"]);
      if (transformed.ok()) {
        if ((*transformed)->kind == StatementKind::kCreateIndex) {
          for (size_t offset : blanked.offsets) {
            if (offset >= static_cast<size_t>(statement.location) &&
                offset < static_cast<size_t>(statement.location) + statement.text.size()) {
              static_cast<CreateIndexStatement&>(**transformed).async = true;
            }
          }
        }
        statement.statement = std::move(transformed).value();
      } else {
        statement.error = transformed.status();
      }
    } catch (const Json::exception& e) {
      statement.error = Status::Internal(std::string("unexpected parse tree shape: ") + e.what());
    }
    result.statements.push_back(std::move(statement));
  }
  return result;
}

}  // namespace borealis::sql
