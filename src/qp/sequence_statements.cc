#include "qp/sequence_statements.h"

#include <cctype>

#include "catalog/indexes.h"
#include "fmt/format.h"
#include "qp/roles.h"
#include "qp/select_binder.h"
#include "qp/table_statements.h"
#include "sql/default_text.h"
#include "sql/parser.h"

namespace borealis::qp {
namespace {

using catalog::SequenceDescriptor;
using sql::TypeId;

constexpr uint32_t kInt2Oid = 21;
constexpr uint32_t kInt4Oid = 23;
constexpr uint32_t kInt8Oid = 20;

Status Invalid(std::string message) { return Status::Sql("22023", std::move(message)); }

std::string TypeDisplay(uint32_t oid) {
  return oid == kInt2Oid ? "smallint" : oid == kInt4Oid ? "integer" : "bigint";
}

Result<uint32_t> SequenceType(const sql::TypeName& type, const std::string& source) {
  sql::Binder binder(nullptr, {});
  Result<TypeId> bound = binder.BindTypeName(type);
  if (!bound.ok()) return Positioned(bound.status(), source, type.location);
  if ((*bound == TypeId::kInt2 || *bound == TypeId::kInt4 || *bound == TypeId::kInt8)) {
    return static_cast<uint32_t>(*bound);
  }
  return Positioned(Invalid("sequence type must be smallint, integer, or bigint"), source,
                    type.location);
}

// PostgreSQL's quote_identifier for the name inside nextval('...'::regclass).
std::string QuoteName(const std::string& name) {
  bool plain =
      !name.empty() && (std::islower(static_cast<unsigned char>(name[0])) || name[0] == '_');
  for (char c : name) {
    plain &= std::islower(static_cast<unsigned char>(c)) ||
             std::isdigit(static_cast<unsigned char>(c)) || c == '_' || c == '$';
  }
  std::string out;
  if (plain) {
    out = name;
  } else {
    out = "\"";
    for (char c : name) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    out += "\"";
  }
  std::string quoted;
  for (char c : out) quoted += c == '\'' ? std::string("''") : std::string(1, c);
  return quoted;
}

std::string NextvalText(const std::string& sequence_name) {
  return fmt::format("nextval('{}'::regclass)", QuoteName(sequence_name));
}

// PostgreSQL's init_params: `options` over `base` (a new sequence's defaults, or the current
// descriptor for ALTER). Returns the descriptor and the RESTART value, if any.
struct Resolved {
  SequenceDescriptor sequence;
  std::optional<int64_t> restart;
};
Result<Resolved> ResolveOptions(const sql::SequenceOptions& options, SequenceDescriptor base,
                                bool create, std::optional<uint32_t> implied_type,
                                const std::string& source) {
  SequenceDescriptor s = std::move(base);
  uint32_t old_type = s.type_oid;
  bool type_changed = false;
  if (options.as_type) {
    ASSIGN_OR_RETURN(s.type_oid, SequenceType(*options.as_type, source));
    type_changed = s.type_oid != old_type;
  } else if (create) {
    s.type_oid = implied_type.value_or(kInt8Oid);
  }
  if (options.increment) {
    if (*options.increment == 0) return Invalid("INCREMENT must not be zero");
    s.increment = *options.increment;
  } else if (create) {
    s.increment = 1;
  }
  int64_t type_min = catalog::SequenceTypeMin(s.type_oid);
  int64_t type_max = catalog::SequenceTypeMax(s.type_oid);
  if (options.max_value && options.max_value->has_value()) {
    s.max_value = **options.max_value;
  } else if (create || options.max_value ||
             (type_changed && s.max_value == catalog::SequenceTypeMax(old_type))) {
    s.max_value = s.increment > 0 ? type_max : -1;
  }
  if (options.min_value && options.min_value->has_value()) {
    s.min_value = **options.min_value;
  } else if (create || options.min_value ||
             (type_changed && s.min_value == catalog::SequenceTypeMin(old_type))) {
    s.min_value = s.increment > 0 ? 1 : type_min;
  }
  if (s.max_value < type_min || s.max_value > type_max) {
    return Invalid(fmt::format("MAXVALUE ({}) is out of range for sequence data type {}",
                               s.max_value, TypeDisplay(s.type_oid)));
  }
  if (s.min_value < type_min || s.min_value > type_max) {
    return Invalid(fmt::format("MINVALUE ({}) is out of range for sequence data type {}",
                               s.min_value, TypeDisplay(s.type_oid)));
  }
  if (s.min_value >= s.max_value) {
    return Invalid(
        fmt::format("MINVALUE ({}) must be less than MAXVALUE ({})", s.min_value, s.max_value));
  }
  if (options.start) {
    s.start = *options.start;
  } else if (create) {
    s.start = s.increment > 0 ? s.min_value : s.max_value;
  }
  if (s.start < s.min_value) {
    return Invalid(
        fmt::format("START value ({}) cannot be less than MINVALUE ({})", s.start, s.min_value));
  }
  if (s.start > s.max_value) {
    return Invalid(
        fmt::format("START value ({}) cannot be greater than MAXVALUE ({})", s.start, s.max_value));
  }
  Resolved out;
  if (options.restart) out.restart = options.restart->value_or(s.start);
  if (out.restart) {
    if (*out.restart < s.min_value) {
      return Invalid(fmt::format("RESTART value ({}) cannot be less than MINVALUE ({})",
                                 *out.restart, s.min_value));
    }
    if (*out.restart > s.max_value) {
      return Invalid(fmt::format("RESTART value ({}) cannot be greater than MAXVALUE ({})",
                                 *out.restart, s.max_value));
    }
  }
  if (options.cache) {
    if (*options.cache <= 0) {
      return Invalid(fmt::format("CACHE ({}) must be greater than zero", *options.cache));
    }
    // nextval reserves a block value by value (PostgreSQL's loop): keep that loop bounded.
    if (*options.cache > kMaxSequenceCache) {
      return Status::Sql("0A000",
                         fmt::format("CACHE above {} is not supported", kMaxSequenceCache));
    }
    s.cache = *options.cache;
  } else if (create) {
    s.cache = 1;
  }
  if (options.cycle) {
    s.cycle = *options.cycle;
  } else if (create) {
    s.cycle = false;
  }
  out.sequence = std::move(s);
  return out;
}

// OWNED BY t.c | NONE: sets the owner ids.
Status ApplyOwnedBy(const sql::SequenceOptions& options, const std::string& source,
                    txn::KvTransaction& txn, catalog::DescriptorCache& cache,
                    SequenceDescriptor& sequence) {
  if (!options.owned_by) return Status::Ok();
  const std::vector<std::string>& names = *options.owned_by;
  if (names.size() == 1 && names[0] == "none") {
    sequence.owner_table_id = 0;
    sequence.owner_column_id = 0;
    return Status::Ok();
  }
  if (names.size() < 2) {
    return Positioned(Status::Sql("42601", "invalid OWNED BY option")
                          .WithHint("Specify OWNED BY table.column or OWNED BY NONE."),
                      source, options.owned_by_location);
  }
  sql::TableRef ref;
  ref.name = names[names.size() - 2];
  if (names.size() >= 3) ref.schema = names[names.size() - 3];
  ASSIGN_OR_RETURN(auto table, FindTable(ref, txn, cache));
  if (!table) {
    return Status::Sql("42P01", fmt::format("relation \"{}\" does not exist", QualifiedName(ref)));
  }
  const catalog::ColumnDescriptor* column = table->FindColumn(names.back());
  if (column == nullptr || column->hidden) {
    return Status::Sql("42703", fmt::format("column \"{}\" of relation \"{}\" does not exist",
                                            names.back(), table->name));
  }
  sequence.owner_table_id = table->id;
  sequence.owner_column_id = column->id;
  return Status::Ok();
}

Result<std::string> RunCreate(const sql::SequenceStatement& create, const std::string& source,
                              txn::KvTransaction& txn, catalog::DescriptorCache& cache,
                              std::vector<Notice>& notices) {
  const sql::TableRef& ref = create.names[0];
  if (!ref.schema.empty() && ref.schema != kPublicSchema) {
    return Positioned(Status::Sql("3F000", fmt::format("schema \"{}\" does not exist", ref.schema)),
                      source, ref.location);
  }
  ASSIGN_OR_RETURN(std::optional<std::string> existing,
                   txn.Get(catalog::NameKey(kPublicSchema, ref.name)));
  if (existing) {
    if (create.if_not_exists) {
      notices.push_back(Notice{"NOTICE", "42P07",
                               fmt::format("relation \"{}\" already exists, skipping", ref.name),
                               "", ""});
      return std::string("CREATE SEQUENCE");
    }
    return Status::Sql("42P07", fmt::format("relation \"{}\" already exists", ref.name));
  }
  SequenceDescriptor base;
  base.name = ref.name;
  ASSIGN_OR_RETURN(Resolved resolved,
                   ResolveOptions(create.options, std::move(base), true, std::nullopt, source));
  RETURN_IF_ERROR(ApplyOwnedBy(create.options, source, txn, cache, resolved.sequence));
  resolved.sequence.owner = CreatingRoleOid(txn);  // qp/roles.h
  RETURN_IF_ERROR(catalog::CreateSequence(txn, std::move(resolved.sequence)).status());
  return std::string("CREATE SEQUENCE");
}

Status NotASequence(const std::string& name) {
  return Status::Sql("42809", fmt::format("\"{}\" is not a sequence", name));
}

Result<std::string> RunAlter(const sql::SequenceStatement& alter, const std::string& source,
                             txn::KvTransaction& txn, catalog::DescriptorCache& cache,
                             std::vector<Notice>& notices, std::vector<uint32_t>& altered) {
  const sql::TableRef& ref = alter.names[0];
  std::optional<SequenceDescriptor> sequence;
  if (ref.schema.empty() || ref.schema == kPublicSchema) {
    ASSIGN_OR_RETURN(sequence, catalog::LookupSequence(txn, kPublicSchema, ref.name));
  }
  if (!sequence) {
    ASSIGN_OR_RETURN(std::optional<std::string> other,
                     txn.Get(catalog::NameKey(kPublicSchema, ref.name)));
    if (other && (ref.schema.empty() || ref.schema == kPublicSchema)) return NotASequence(ref.name);
    if (alter.if_exists) {
      notices.push_back(Notice{"NOTICE", "00000",
                               fmt::format("relation \"{}\" does not exist, skipping", ref.name),
                               "", ""});
      return std::string("ALTER SEQUENCE");
    }
    return Positioned(
        Status::Sql("42P01", fmt::format("relation \"{}\" does not exist", QualifiedName(ref))),
        source, ref.location);
  }
  RETURN_IF_ERROR(CheckSequenceOwner(txn, *sequence));  // qp/roles.h
  ASSIGN_OR_RETURN(std::optional<catalog::SequenceState> state,
                   catalog::ReadSequenceState(txn, sequence->id));
  if (!state) return Status::Corruption("sequence without a state");
  ASSIGN_OR_RETURN(Resolved resolved,
                   ResolveOptions(alter.options, *sequence, false, std::nullopt, source));
  RETURN_IF_ERROR(ApplyOwnedBy(alter.options, source, txn, cache, resolved.sequence));
  catalog::SequenceState next = *state;
  if (resolved.restart) {
    next.last_value = *resolved.restart;
    next.is_called = false;
  } else if (next.last_value < resolved.sequence.min_value) {
    return Invalid(fmt::format("RESTART value ({}) cannot be less than MINVALUE ({})",
                               next.last_value, resolved.sequence.min_value));
  } else if (next.last_value > resolved.sequence.max_value) {
    return Invalid(fmt::format("RESTART value ({}) cannot be greater than MAXVALUE ({})",
                               next.last_value, resolved.sequence.max_value));
  }
  RETURN_IF_ERROR(catalog::WriteSequence(txn, std::move(resolved.sequence), next).status());
  altered.push_back(sequence->id);
  return std::string("ALTER SEQUENCE");
}

// The column of `table` whose default uses `sequence` (it owns it), or null.
const catalog::ColumnDescriptor* DependentColumn(const catalog::TableDescriptor& table,
                                                 const SequenceDescriptor& sequence) {
  const catalog::ColumnDescriptor* column = table.FindColumnById(sequence.owner_column_id);
  if (column == nullptr) return nullptr;
  if (column->identity != 0) return column;
  if (column->default_expression && *column->default_expression == NextvalText(sequence.name)) {
    return column;
  }
  return nullptr;
}

Result<std::string> RunDrop(const sql::SequenceStatement& drop, txn::KvTransaction& txn,
                            catalog::DescriptorCache& cache, std::vector<Notice>& notices) {
  std::vector<SequenceDescriptor> targets;
  for (const sql::TableRef& ref : drop.names) {
    std::optional<SequenceDescriptor> sequence;
    if (ref.schema.empty() || ref.schema == kPublicSchema) {
      ASSIGN_OR_RETURN(sequence, catalog::LookupSequence(txn, kPublicSchema, ref.name));
      if (!sequence) {
        ASSIGN_OR_RETURN(std::optional<std::string> other,
                         txn.Get(catalog::NameKey(kPublicSchema, ref.name)));
        if (other) return NotASequence(ref.name).WithHint("Use DROP TABLE to remove a table.");
      }
    }
    if (!sequence) {
      if (drop.if_exists) {
        notices.push_back(Notice{"NOTICE", "00000",
                                 fmt::format("sequence \"{}\" does not exist, skipping", ref.name),
                                 "", ""});
        continue;
      }
      return Status::Sql("42P01",
                         fmt::format("sequence \"{}\" does not exist", QualifiedName(ref)));
    }
    RETURN_IF_ERROR(CheckSequenceOwner(txn, *sequence));  // qp/roles.h
    targets.push_back(std::move(*sequence));
  }
  for (const SequenceDescriptor& sequence : targets) {
    if (sequence.owner_table_id != 0) {
      ASSIGN_OR_RETURN(std::optional<std::string> bytes,
                       txn.Get(catalog::DescriptorKey(sequence.owner_table_id)));
      if (bytes) {
        ASSIGN_OR_RETURN(catalog::TableDescriptor table, catalog::DecodeDescriptor(*bytes));
        const catalog::ColumnDescriptor* column = DependentColumn(table, sequence);
        if (column != nullptr && column->identity != 0) {
          return Status::Sql("2BP01", fmt::format("cannot drop sequence {} because column {} of "
                                                  "table {} requires it",
                                                  sequence.name, column->name, table.name))
              .WithHint(fmt::format("You can drop column {} of table {} instead.", column->name,
                                    table.name));
        }
        if (column != nullptr && !drop.cascade) {
          return Status::Sql("2BP01", fmt::format("cannot drop sequence {} because other objects "
                                                  "depend on it",
                                                  sequence.name))
              .WithDetail(fmt::format("default value for column {} of table {} depends on "
                                      "sequence {}",
                                      column->name, table.name, sequence.name))
              .WithHint("Use DROP ... CASCADE to drop the dependent objects too.");
        }
        if (column != nullptr) {
          notices.push_back(Notice{"NOTICE", "00000",
                                   fmt::format("drop cascades to default value for column {} of "
                                               "table {}",
                                               column->name, table.name),
                                   "", ""});
          catalog::TableDescriptor changed = table;
          for (catalog::ColumnDescriptor& c : changed.columns) {
            if (c.id == column->id) c.default_expression.reset();
          }
          RETURN_IF_ERROR(catalog::WriteNewVersion(txn, std::move(changed)).status());
        }
      }
    }
    RETURN_IF_ERROR(catalog::DropSequence(txn, sequence));
  }
  (void)cache;
  return std::string("DROP SEQUENCE");
}

bool IsSerialName(const sql::TypeName& type, uint32_t& oid) {
  if (type.names.size() != 1 || type.array_bounds || type.has_modifiers) return false;
  const std::string& name = type.names[0];
  if (name == "serial" || name == "serial4") {
    oid = kInt4Oid;
  } else if (name == "bigserial" || name == "serial8") {
    oid = kInt8Oid;
  } else if (name == "smallserial" || name == "serial2") {
    oid = kInt2Oid;
  } else {
    return false;
  }
  return true;
}

}  // namespace

Result<std::string> RunSequenceStatement(const sql::SequenceStatement& statement,
                                         const std::string& source, txn::KvTransaction& txn,
                                         catalog::DescriptorCache& cache,
                                         std::vector<Notice>& notices,
                                         std::vector<uint32_t>& altered) {
  switch (statement.action) {
    case sql::SequenceAction::kCreate:
      return RunCreate(statement, source, txn, cache, notices);
    case sql::SequenceAction::kAlter:
      return RunAlter(statement, source, txn, cache, notices, altered);
    case sql::SequenceAction::kDrop:
      return RunDrop(statement, txn, cache, notices);
  }
  return Status::Internal("unknown sequence statement");
}

Result<std::optional<OwnedSequence>> PlanOwnedSequence(const sql::ColumnDef& def,
                                                       const std::string& table_name,
                                                       const std::string& source,
                                                       txn::KvTransaction& txn,
                                                       std::set<std::string>& taken) {
  uint32_t serial_oid = 0;
  bool serial = IsSerialName(def.type, serial_oid);
  if (!serial && def.identity == 0) return std::optional<OwnedSequence>();
  OwnedSequence owned;
  if (serial) {
    if (def.identity != 0) {
      return Positioned(Status::Sql("42601", fmt::format("both default and identity specified "
                                                         "for column \"{}\" of table \"{}\"",
                                                         def.name, table_name)),
                        source, def.identity_location);
    }
    if (def.default_value) {
      return Positioned(Status::Sql("42601", fmt::format("multiple default values specified for "
                                                         "column \"{}\" of table \"{}\"",
                                                         def.name, table_name)),
                        source, def.default_value->location);
    }
    owned.type = static_cast<TypeId>(serial_oid);
  } else {
    if (def.default_value) {
      return Positioned(Status::Sql("42601", fmt::format("both default and identity specified "
                                                         "for column \"{}\" of table \"{}\"",
                                                         def.name, table_name)),
                        source, def.default_value->location);
    }
    sql::Binder binder(nullptr, {});
    Result<TypeId> type = binder.BindTypeName(def.type);
    if (!type.ok()) return Positioned(type.status(), source, def.type.location);
    ColumnTypeChoice choice{*type};
    if (choice.type != TypeId::kInt2 && choice.type != TypeId::kInt4 &&
        choice.type != TypeId::kInt8) {
      return Positioned(Status::Sql("22023", fmt::format("identity column type must be smallint, "
                                                         "integer, or bigint")),
                        source, def.identity_location);
    }
    owned.type = choice.type;
    owned.identity = def.identity;
  }
  ASSIGN_OR_RETURN(std::string name, catalog::ChooseRelationName(txn, kPublicSchema, table_name,
                                                                 def.name, "seq", taken));
  taken.insert(name);
  SequenceDescriptor base;
  base.name = name;
  static const sql::SequenceOptions kNoOptions;
  const sql::SequenceOptions& options = def.identity_options ? *def.identity_options : kNoOptions;
  if (options.owned_by) return Status::Sql("42601", "invalid OWNED BY option");
  ASSIGN_OR_RETURN(Resolved resolved, ResolveOptions(options, std::move(base), true,
                                                     static_cast<uint32_t>(owned.type), source));
  owned.sequence = std::move(resolved.sequence);
  owned.default_expression = NextvalText(name);
  return std::optional<OwnedSequence>(std::move(owned));
}

Status CreateOwnedSequences(txn::KvTransaction& txn, const catalog::TableDescriptor& table,
                            const std::vector<std::pair<std::string, OwnedSequence>>& owned) {
  for (const auto& [column_name, plan] : owned) {
    const catalog::ColumnDescriptor* column = table.FindColumn(column_name);
    BOREALIS_CHECK(column != nullptr, column_name);
    SequenceDescriptor sequence = plan.sequence;
    sequence.owner_table_id = table.id;
    sequence.owner_column_id = column->id;
    sequence.owner = table.owner;  // a SERIAL's sequence belongs to the table's owner
    RETURN_IF_ERROR(catalog::CreateSequence(txn, std::move(sequence)).status());
  }
  return Status::Ok();
}

Status DropOwnedSequences(txn::KvTransaction& txn, const catalog::TableDescriptor& table) {
  ASSIGN_OR_RETURN(std::vector<SequenceDescriptor> sequences, catalog::ListSequences(txn));
  for (const SequenceDescriptor& sequence : sequences) {
    if (sequence.owner_table_id == table.id) RETURN_IF_ERROR(catalog::DropSequence(txn, sequence));
  }
  return Status::Ok();
}

Status RestartOwnedSequences(txn::KvTransaction& txn, const catalog::TableDescriptor& table) {
  ASSIGN_OR_RETURN(std::vector<SequenceDescriptor> sequences, catalog::ListSequences(txn));
  for (const SequenceDescriptor& sequence : sequences) {
    if (sequence.owner_table_id != table.id) continue;
    catalog::SequenceState state{sequence.start, false, sequence.version};
    RETURN_IF_ERROR(
        txn.Put(catalog::SequenceStateKey(sequence.id), catalog::EncodeSequenceState(state)));
  }
  return Status::Ok();
}

namespace {

// nextval('s') / nextval('s'::regclass) in the canonical form SERIAL writes, or nullopt.
std::optional<std::string> NextvalDefaultText(const sql::ParsedExpr& expr) {
  if (expr.kind != sql::ExprKind::kFuncCall) return std::nullopt;
  const auto& call = expr.As<sql::FuncCallExpr>();
  bool named =
      (call.names.size() == 1 && call.names[0] == "nextval") ||
      (call.names.size() == 2 && call.names[0] == "pg_catalog" && call.names[1] == "nextval");
  if (!named || call.args.size() != 1) return std::nullopt;
  const sql::ParsedExpr* arg = call.args[0].get();
  if (arg->kind == sql::ExprKind::kCast) {
    const auto& cast = arg->As<sql::CastExpr>();
    bool regclass = cast.type.names.size() >= 1 && cast.type.names.back() == "regclass";
    if (!regclass) return std::nullopt;
    arg = cast.arg.get();
  }
  if (arg->kind != sql::ExprKind::kConstant ||
      arg->As<sql::ConstantExpr>().literal != sql::LiteralKind::kString) {
    return std::nullopt;
  }
  std::string name = arg->As<sql::ConstantExpr>().text;
  // The text names the sequence as regclass input does: unquoted parts fold to lower case.
  std::string quoted;
  for (char c : name) quoted += c == '\'' ? std::string("''") : std::string(1, c);
  return fmt::format("nextval('{}'::regclass)", quoted);
}

}  // namespace

Result<std::string> DefaultExpressionText(const sql::ColumnDef& def, const std::string& source) {
  if (std::optional<std::string> nextval = NextvalDefaultText(*def.default_value)) {
    return *nextval;
  }
  std::optional<std::string> text =
      def.location >= 0 ? sql::ColumnDefaultText(source, static_cast<size_t>(def.location))
                        : std::nullopt;
  if (!text) {
    return Positioned(Status::Sql("0A000", "this DEFAULT expression is not supported yet"), source,
                      def.default_value->location);
  }
  return *text;
}

Result<sql::BoundExprPtr> BindDefaultExpression(const std::string& text, TypeId type,
                                                const std::string& column) {
  ASSIGN_OR_RETURN(sql::ParseResult parsed, sql::Parse("SELECT (" + text + ")"));
  if (parsed.statements.size() != 1 || !parsed.statements[0].statement ||
      parsed.statements[0].statement->kind != sql::StatementKind::kSelect) {
    return Status::Corruption(fmt::format("default expression does not parse: {}", text));
  }
  RETURN_IF_ERROR(parsed.statements[0].error);
  const auto& select = parsed.statements[0].statement->As<sql::SelectStatement>();
  if (select.targets.size() != 1) {
    return Status::Corruption(fmt::format("default expression is not one expression: {}", text));
  }
  sql::Binder binder(parsed.source, {}, sql::ParameterMode::kFixed);
  binder.AllowAggregates(false, "DEFAULT expressions");  // PostgreSQL's wording
  ASSIGN_OR_RETURN(sql::BoundExprPtr bound, binder.BindExpr(*select.targets[0].expr));
  TypeId from = bound->type == TypeId::kInvalid ? TypeId::kUnknown : bound->type;
  ASSIGN_OR_RETURN(sql::BoundExprPtr coerced, binder.CoerceForAssignment(std::move(bound), type));
  if (!coerced) {
    return Status::Sql("42804", fmt::format("column \"{}\" is of type {} but default expression is "
                                            "of type {}",
                                            column, sql::GetTypeInfo(type).display_name,
                                            sql::GetTypeInfo(from).display_name))
        .WithHint("You will need to rewrite or cast the expression.");
  }
  return coerced;
}

}  // namespace borealis::qp
