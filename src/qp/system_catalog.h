// pg_catalog and information_schema as virtual tables, and the catalog functions' view of the
// catalog (sql::CatalogAccess).
//
// A FROM item naming pg_catalog.X (or X unqualified: pg_catalog is implicitly first on the
// search path) or information_schema.X resolves, through ResolveSystemTable, to a TableInfo
// whose rows are computed at scan time from the table descriptors at the transaction's
// snapshot, the session (roles, settings) and built-in constants (types, namespaces, the one
// database `postgres`). Column names and types are PostgreSQL 15's; columns of types the
// engine lacks (inet, bytea) are text and NULL. Relations Borealis has no objects
// for (policies, triggers, publications, ...) are empty. Sequences (catalog/sequences.h) appear
// in pg_class (relkind 'S'), pg_sequence, pg_sequences and information_schema.sequences.
//
// OIDs: PostgreSQL's fixed OIDs for built-ins (pg_catalog 11, public 2200, types as pgwire
// reports them, the catalogs' own relation OIDs); a user table with descriptor id d has OID
// kFirstUserOid + (d - kFirstUserTableId) * kOidsPerTable, its index with index id i (the
// primary key is 1) that OID + i, its CHECK constraint k that OID + kCheckOidOffset + k.
//
// Threading: the virtual tables are immutable (shared by plans); a SessionCatalog belongs to
// one session.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "catalog/descriptor.h"
#include "common/status.h"
#include "sql/ast.h"
#include "sql/catalog_functions.h"
#include "sql/planner/plan.h"
#include "txn/kv.h"

namespace borealis::qp {

class AccessControl;  // qp/roles.h

inline constexpr uint32_t kFirstUserOid = 16384;
inline constexpr uint32_t kOidsPerTable = 4096;
inline constexpr uint32_t kCheckOidOffset = 2048;
// Descriptors one catalog scan reads (54000 beyond).
inline constexpr size_t kMaxCatalogTables = 100000;

uint32_t TableOid(uint32_t table_id);
// The table id and index id (0 for the table itself, >= kCheckOidOffset for a CHECK
// constraint) an OID denotes, or nullopt for OIDs outside the user range.
std::optional<std::pair<uint32_t, uint32_t>> SplitUserOid(uint32_t oid);

// The virtual table `ref` names, or null when it names none (then it is a user table).
// `ref.alias` (or the name) becomes the scope name.
std::unique_ptr<sql::planner::TableInfo> ResolveSystemTable(const sql::TableRef& ref);

// What the catalog views need from the session besides the transaction.
struct SessionInfo {
  std::string user;
  bool is_superuser = false;
  int32_t backend_pid = 0;
  // name, setting, description: as SHOW ALL.
  std::function<std::vector<std::vector<std::string>>()> settings;
  // The session's roles and privileges (qp/roles.h); null: only the session user is shown.
  const AccessControl* access = nullptr;
};

// sql::CatalogAccess over a session: reads the catalog in the session's current transaction
// (opened on demand through `txn`). Relation name <-> OID lookups are cached while `epoch`
// returns the same value (the session changes it with every transaction and DDL statement), so
// `WHERE attrelid = 't'::regclass` reads the catalog once, not once per row.
inline constexpr size_t kMaxCachedRelationLookups = 10000;
class SessionCatalog : public sql::CatalogAccess {
 public:
  SessionCatalog(std::function<Result<txn::KvTransaction*>()> txn, std::function<uint64_t()> epoch,
                 SessionInfo info)
      : txn_(std::move(txn)), epoch_(std::move(epoch)), info_(std::move(info)) {}

  Result<std::optional<uint32_t>> RelationOid(std::string_view schema,
                                              std::string_view name) override;
  Result<std::optional<std::string>> RelationName(uint32_t oid) override;
  Result<bool> RelationVisible(uint32_t oid) override;
  Result<std::optional<std::string>> IndexDefinition(uint32_t oid) override;
  Result<std::optional<std::string>> ConstraintDefinition(uint32_t oid) override;
  Result<std::optional<std::string>> RoleName(uint32_t oid) override;
  Result<std::optional<uint32_t>> RoleOid(std::string_view name) override;
  Result<std::optional<std::string>> SerialSequence(std::string_view table,
                                                    std::string_view column) override;
  Result<std::optional<std::string>> ViewDefinition(uint32_t oid) override;
  Result<std::optional<bool>> HasPrivilege(char object_kind, std::optional<std::string> user,
                                           std::optional<std::string> object_name,
                                           uint32_t object_oid,
                                           std::string_view privileges) override;

  const SessionInfo& info() const { return info_; }

 private:
  Result<std::optional<uint32_t>> LookupRelationOid(std::string_view schema, std::string_view name);
  Result<std::optional<std::string>> LookupRelationName(uint32_t oid);
  void CheckEpoch();

  std::function<Result<txn::KvTransaction*>()> txn_;
  std::function<uint64_t()> epoch_;
  SessionInfo info_;
  uint64_t cache_epoch_ = 0;
  std::map<std::pair<std::string, std::string>, std::optional<uint32_t>> oid_by_name_;
  std::map<uint32_t, std::optional<std::string>> name_by_oid_;
};

}  // namespace borealis::qp
