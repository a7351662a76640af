#include "qp/system_catalog.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <string_view>

#include "catalog/acl.h"
#include "catalog/sequences.h"
#include "catalog/views.h"
#include "encoding/key.h"
#include "fmt/format.h"
#include "qp/roles.h"
#include "qp/temp_tables.h"
#include "sql/catalog_types.h"
#include "sql/types.h"
#include "sql/typmod.h"

namespace borealis::qp {
namespace {

using sql::TypeId;
using sql::Value;
using T = sql::TypeId;
using Row = std::vector<Value>;

constexpr uint32_t kDatabaseOid = 5;
constexpr uint32_t kDatabaseOwnerRoleOid = 6171;  // pg_database_owner
constexpr uint32_t kHeapAmOid = 2;
constexpr uint32_t kBtreeAmOid = 403;
constexpr uint32_t kDefaultCollationOid = 100;
constexpr uint32_t kCCollationOid = 950;
constexpr uint32_t kPgClassOid = 1259;
constexpr uint32_t kPgConstraintOid = 2606;
constexpr uint32_t kAttrdefOidOffset = 3072;
constexpr char kDatabaseName[] = "postgres";

struct ColumnDef {
  std::string_view name;
  TypeId type;
};

struct RelationDef {
  std::string_view schema;
  std::string_view name;
  uint32_t oid;
  char kind;  // 'r' table, 'v' view
  std::vector<ColumnDef> columns;
};

// Column lists as PostgreSQL 15 has them (information_schema domains by their base types;
// inet, bytea and anyarray columns as text).
const std::vector<RelationDef>& Relations() {
  static const std::vector<RelationDef>* const kRelations = new std::vector<RelationDef>{
      {"information_schema",
       "columns",
       13295,
       'v',
       {{"table_catalog", T::kName},
        {"table_schema", T::kName},
        {"table_name", T::kName},
        {"column_name", T::kName},
        {"ordinal_position", T::kInt4},
        {"column_default", T::kVarchar},
        {"is_nullable", T::kVarchar},
        {"data_type", T::kVarchar},
        {"character_maximum_length", T::kInt4},
        {"character_octet_length", T::kInt4},
        {"numeric_precision", T::kInt4},
        {"numeric_precision_radix", T::kInt4},
        {"numeric_scale", T::kInt4},
        {"datetime_precision", T::kInt4},
        {"interval_type", T::kVarchar},
        {"interval_precision", T::kInt4},
        {"character_set_catalog", T::kName},
        {"character_set_schema", T::kName},
        {"character_set_name", T::kName},
        {"collation_catalog", T::kName},
        {"collation_schema", T::kName},
        {"collation_name", T::kName},
        {"domain_catalog", T::kName},
        {"domain_schema", T::kName},
        {"domain_name", T::kName},
        {"udt_catalog", T::kName},
        {"udt_schema", T::kName},
        {"udt_name", T::kName},
        {"scope_catalog", T::kName},
        {"scope_schema", T::kName},
        {"scope_name", T::kName},
        {"maximum_cardinality", T::kInt4},
        {"dtd_identifier", T::kName},
        {"is_self_referencing", T::kVarchar},
        {"is_identity", T::kVarchar},
        {"identity_generation", T::kVarchar},
        {"identity_start", T::kVarchar},
        {"identity_increment", T::kVarchar},
        {"identity_maximum", T::kVarchar},
        {"identity_minimum", T::kVarchar},
        {"identity_cycle", T::kVarchar},
        {"is_generated", T::kVarchar},
        {"generation_expression", T::kVarchar},
        {"is_updatable", T::kVarchar}}},
      {"information_schema",
       "key_column_usage",
       13329,
       'v',
       {{"constraint_catalog", T::kName},
        {"constraint_schema", T::kName},
        {"constraint_name", T::kName},
        {"table_catalog", T::kName},
        {"table_schema", T::kName},
        {"table_name", T::kName},
        {"column_name", T::kName},
        {"ordinal_position", T::kInt4},
        {"position_in_unique_constraint", T::kInt4}}},
      {"information_schema",
       "referential_constraints",
       13339,
       'v',
       {{"constraint_catalog", T::kName},
        {"constraint_schema", T::kName},
        {"constraint_name", T::kName},
        {"unique_constraint_catalog", T::kName},
        {"unique_constraint_schema", T::kName},
        {"unique_constraint_name", T::kName},
        {"match_option", T::kVarchar},
        {"update_rule", T::kVarchar},
        {"delete_rule", T::kVarchar}}},
      {"information_schema",
       "schemata",
       13382,
       'v',
       {{"catalog_name", T::kName},
        {"schema_name", T::kName},
        {"schema_owner", T::kName},
        {"default_character_set_catalog", T::kName},
        {"default_character_set_schema", T::kName},
        {"default_character_set_name", T::kName},
        {"sql_path", T::kVarchar}}},
      {"information_schema",
       "table_constraints",
       13411,
       'v',
       {{"constraint_catalog", T::kName},
        {"constraint_schema", T::kName},
        {"constraint_name", T::kName},
        {"table_catalog", T::kName},
        {"table_schema", T::kName},
        {"table_name", T::kName},
        {"constraint_type", T::kVarchar},
        {"is_deferrable", T::kVarchar},
        {"initially_deferred", T::kVarchar},
        {"enforced", T::kVarchar},
        {"nulls_distinct", T::kVarchar}}},
      {"information_schema",
       "tables",
       13425,
       'v',
       {{"table_catalog", T::kName},
        {"table_schema", T::kName},
        {"table_name", T::kName},
        {"table_type", T::kVarchar},
        {"self_referencing_column_name", T::kName},
        {"reference_generation", T::kVarchar},
        {"user_defined_type_catalog", T::kName},
        {"user_defined_type_schema", T::kName},
        {"user_defined_type_name", T::kName},
        {"is_insertable_into", T::kVarchar},
        {"is_typed", T::kVarchar},
        {"commit_action", T::kVarchar}}},
      {"information_schema",
       "table_privileges",
       13416,
       'v',
       {{"grantor", T::kName},
        {"grantee", T::kName},
        {"table_catalog", T::kName},
        {"table_schema", T::kName},
        {"table_name", T::kName},
        {"privilege_type", T::kVarchar},
        {"is_grantable", T::kVarchar},
        {"with_hierarchy", T::kVarchar}}},
      {"information_schema",
       "views",
       13483,
       'v',
       {{"table_catalog", T::kName},
        {"table_schema", T::kName},
        {"table_name", T::kName},
        {"view_definition", T::kVarchar},
        {"check_option", T::kVarchar},
        {"is_updatable", T::kVarchar},
        {"is_insertable_into", T::kVarchar},
        {"is_trigger_updatable", T::kVarchar},
        {"is_trigger_deletable", T::kVarchar},
        {"is_trigger_insertable_into", T::kVarchar}}},
      {"pg_catalog",
       "pg_am",
       2601,
       'r',
       {{"oid", T::kOid}, {"amname", T::kName}, {"amhandler", T::kRegproc}, {"amtype", T::kChar}}},
      {"pg_catalog",
       "pg_attrdef",
       2604,
       'r',
       {{"oid", T::kOid}, {"adrelid", T::kOid}, {"adnum", T::kInt2}, {"adbin", T::kPgNodeTree}}},
      {"pg_catalog",
       "pg_attribute",
       1249,
       'r',
       {{"attrelid", T::kOid},
        {"attname", T::kName},
        {"atttypid", T::kOid},
        {"attstattarget", T::kInt4},
        {"attlen", T::kInt2},
        {"attnum", T::kInt2},
        {"attndims", T::kInt4},
        {"attcacheoff", T::kInt4},
        {"atttypmod", T::kInt4},
        {"attbyval", T::kBool},
        {"attalign", T::kChar},
        {"attstorage", T::kChar},
        {"attcompression", T::kChar},
        {"attnotnull", T::kBool},
        {"atthasdef", T::kBool},
        {"atthasmissing", T::kBool},
        {"attidentity", T::kChar},
        {"attgenerated", T::kChar},
        {"attisdropped", T::kBool},
        {"attislocal", T::kBool},
        {"attinhcount", T::kInt4},
        {"attcollation", T::kOid},
        {"attacl", T::kAclitemArray},
        {"attoptions", T::kTextArray},
        {"attfdwoptions", T::kTextArray},
        {"attmissingval", T::kText}}},
      {"pg_catalog",
       "pg_auth_members",
       1261,
       'r',
       {{"roleid", T::kOid},
        {"member", T::kOid},
        {"grantor", T::kOid},
        {"admin_option", T::kBool}}},
      {"pg_catalog",
       "pg_authid",
       1260,
       'r',
       {{"oid", T::kOid},
        {"rolname", T::kName},
        {"rolsuper", T::kBool},
        {"rolinherit", T::kBool},
        {"rolcreaterole", T::kBool},
        {"rolcreatedb", T::kBool},
        {"rolcanlogin", T::kBool},
        {"rolreplication", T::kBool},
        {"rolbypassrls", T::kBool},
        {"rolconnlimit", T::kInt4},
        {"rolpassword", T::kText},
        {"rolvaliduntil", T::kTimestampTz}}},
      {"pg_catalog",
       "pg_cast",
       2605,
       'r',
       {{"oid", T::kOid},
        {"castsource", T::kOid},
        {"casttarget", T::kOid},
        {"castfunc", T::kOid},
        {"castcontext", T::kChar},
        {"castmethod", T::kChar}}},
      {"pg_catalog",
       "pg_class",
       1259,
       'r',
       {{"oid", T::kOid},
        {"relname", T::kName},
        {"relnamespace", T::kOid},
        {"reltype", T::kOid},
        {"reloftype", T::kOid},
        {"relowner", T::kOid},
        {"relam", T::kOid},
        {"relfilenode", T::kOid},
        {"reltablespace", T::kOid},
        {"relpages", T::kInt4},
        {"reltuples", T::kFloat4},
        {"relallvisible", T::kInt4},
        {"reltoastrelid", T::kOid},
        {"relhasindex", T::kBool},
        {"relisshared", T::kBool},
        {"relpersistence", T::kChar},
        {"relkind", T::kChar},
        {"relnatts", T::kInt2},
        {"relchecks", T::kInt2},
        {"relhasrules", T::kBool},
        {"relhastriggers", T::kBool},
        {"relhassubclass", T::kBool},
        {"relrowsecurity", T::kBool},
        {"relforcerowsecurity", T::kBool},
        {"relispopulated", T::kBool},
        {"relreplident", T::kChar},
        {"relispartition", T::kBool},
        {"relrewrite", T::kOid},
        {"relfrozenxid", T::kXid},
        {"relminmxid", T::kXid},
        {"relacl", T::kAclitemArray},
        {"reloptions", T::kTextArray},
        {"relpartbound", T::kPgNodeTree}}},
      {"pg_catalog",
       "pg_collation",
       3456,
       'r',
       {{"oid", T::kOid},
        {"collname", T::kName},
        {"collnamespace", T::kOid},
        {"collowner", T::kOid},
        {"collprovider", T::kChar},
        {"collisdeterministic", T::kBool},
        {"collencoding", T::kInt4},
        {"collcollate", T::kText},
        {"collctype", T::kText},
        {"colliculocale", T::kText},
        {"collversion", T::kText}}},
      {"pg_catalog",
       "pg_constraint",
       2606,
       'r',
       {{"oid", T::kOid},
        {"conname", T::kName},
        {"connamespace", T::kOid},
        {"contype", T::kChar},
        {"condeferrable", T::kBool},
        {"condeferred", T::kBool},
        {"convalidated", T::kBool},
        {"conrelid", T::kOid},
        {"contypid", T::kOid},
        {"conindid", T::kOid},
        {"conparentid", T::kOid},
        {"confrelid", T::kOid},
        {"confupdtype", T::kChar},
        {"confdeltype", T::kChar},
        {"confmatchtype", T::kChar},
        {"conislocal", T::kBool},
        {"coninhcount", T::kInt4},
        {"connoinherit", T::kBool},
        {"conkey", T::kInt2Array},
        {"confkey", T::kInt2Array},
        {"conpfeqop", T::kOidArray},
        {"conppeqop", T::kOidArray},
        {"conffeqop", T::kOidArray},
        {"confdelsetcols", T::kInt2Array},
        {"conexclop", T::kOidArray},
        {"conbin", T::kPgNodeTree}}},
      {"pg_catalog",
       "pg_database",
       1262,
       'r',
       {{"oid", T::kOid},
        {"datname", T::kName},
        {"datdba", T::kOid},
        {"encoding", T::kInt4},
        {"datlocprovider", T::kChar},
        {"datistemplate", T::kBool},
        {"datallowconn", T::kBool},
        {"datconnlimit", T::kInt4},
        {"datfrozenxid", T::kXid},
        {"datminmxid", T::kXid},
        {"dattablespace", T::kOid},
        {"datcollate", T::kText},
        {"datctype", T::kText},
        {"daticulocale", T::kText},
        {"datcollversion", T::kText},
        {"datacl", T::kAclitemArray}}},
      {"pg_catalog",
       "pg_depend",
       2608,
       'r',
       {{"classid", T::kOid},
        {"objid", T::kOid},
        {"objsubid", T::kInt4},
        {"refclassid", T::kOid},
        {"refobjid", T::kOid},
        {"refobjsubid", T::kInt4},
        {"deptype", T::kChar}}},
      {"pg_catalog",
       "pg_description",
       2609,
       'r',
       {{"objoid", T::kOid},
        {"classoid", T::kOid},
        {"objsubid", T::kInt4},
        {"description", T::kText}}},
      {"pg_catalog",
       "pg_enum",
       3501,
       'r',
       {{"oid", T::kOid},
        {"enumtypid", T::kOid},
        {"enumsortorder", T::kFloat4},
        {"enumlabel", T::kName}}},
      {"pg_catalog",
       "pg_extension",
       3079,
       'r',
       {{"oid", T::kOid},
        {"extname", T::kName},
        {"extowner", T::kOid},
        {"extnamespace", T::kOid},
        {"extrelocatable", T::kBool},
        {"extversion", T::kText},
        {"extconfig", T::kOidArray},
        {"extcondition", T::kTextArray}}},
      {"pg_catalog",
       "pg_foreign_table",
       3118,
       'r',
       {{"ftrelid", T::kOid}, {"ftserver", T::kOid}, {"ftoptions", T::kTextArray}}},
      {"pg_catalog",
       "pg_index",
       2610,
       'r',
       {{"indexrelid", T::kOid},         {"indrelid", T::kOid},
        {"indnatts", T::kInt2},          {"indnkeyatts", T::kInt2},
        {"indisunique", T::kBool},       {"indnullsnotdistinct", T::kBool},
        {"indisprimary", T::kBool},      {"indisexclusion", T::kBool},
        {"indimmediate", T::kBool},      {"indisclustered", T::kBool},
        {"indisvalid", T::kBool},        {"indcheckxmin", T::kBool},
        {"indisready", T::kBool},        {"indislive", T::kBool},
        {"indisreplident", T::kBool},    {"indkey", T::kInt2Vector},
        {"indcollation", T::kOidVector}, {"indclass", T::kOidVector},
        {"indoption", T::kInt2Vector},   {"indexprs", T::kPgNodeTree},
        {"indpred", T::kPgNodeTree}}},
      {"pg_catalog",
       "pg_indexes",
       12043,
       'v',
       {{"schemaname", T::kName},
        {"tablename", T::kName},
        {"indexname", T::kName},
        {"tablespace", T::kName},
        {"indexdef", T::kText}}},
      {"pg_catalog",
       "pg_inherits",
       2611,
       'r',
       {{"inhrelid", T::kOid},
        {"inhparent", T::kOid},
        {"inhseqno", T::kInt4},
        {"inhdetachpending", T::kBool}}},
      {"pg_catalog",
       "pg_matviews",
       12038,
       'v',
       {{"schemaname", T::kName},
        {"matviewname", T::kName},
        {"matviewowner", T::kName},
        {"tablespace", T::kName},
        {"hasindexes", T::kBool},
        {"ispopulated", T::kBool},
        {"definition", T::kText}}},
      {"pg_catalog",
       "pg_namespace",
       2615,
       'r',
       {{"oid", T::kOid},
        {"nspname", T::kName},
        {"nspowner", T::kOid},
        {"nspacl", T::kAclitemArray}}},
      {"pg_catalog",
       "pg_operator",
       2617,
       'r',
       {{"oid", T::kOid},
        {"oprname", T::kName},
        {"oprnamespace", T::kOid},
        {"oprowner", T::kOid},
        {"oprkind", T::kChar},
        {"oprcanmerge", T::kBool},
        {"oprcanhash", T::kBool},
        {"oprleft", T::kOid},
        {"oprright", T::kOid},
        {"oprresult", T::kOid},
        {"oprcom", T::kOid},
        {"oprnegate", T::kOid},
        {"oprcode", T::kRegproc},
        {"oprrest", T::kRegproc},
        {"oprjoin", T::kRegproc}}},
      {"pg_catalog",
       "pg_partitioned_table",
       3350,
       'r',
       {{"partrelid", T::kOid},
        {"partstrat", T::kChar},
        {"partnatts", T::kInt2},
        {"partdefid", T::kOid},
        {"partattrs", T::kInt2Vector},
        {"partclass", T::kOidVector},
        {"partcollation", T::kOidVector},
        {"partexprs", T::kPgNodeTree}}},
      {"pg_catalog",
       "pg_policy",
       3256,
       'r',
       {{"oid", T::kOid},
        {"polname", T::kName},
        {"polrelid", T::kOid},
        {"polcmd", T::kChar},
        {"polpermissive", T::kBool},
        {"polroles", T::kOidArray},
        {"polqual", T::kPgNodeTree},
        {"polwithcheck", T::kPgNodeTree}}},
      {"pg_catalog",
       "pg_proc",
       1255,
       'r',
       {{"oid", T::kOid},
        {"proname", T::kName},
        {"pronamespace", T::kOid},
        {"proowner", T::kOid},
        {"prolang", T::kOid},
        {"procost", T::kFloat4},
        {"prorows", T::kFloat4},
        {"provariadic", T::kOid},
        {"prosupport", T::kRegproc},
        {"prokind", T::kChar},
        {"prosecdef", T::kBool},
        {"proleakproof", T::kBool},
        {"proisstrict", T::kBool},
        {"proretset", T::kBool},
        {"provolatile", T::kChar},
        {"proparallel", T::kChar},
        {"pronargs", T::kInt2},
        {"pronargdefaults", T::kInt2},
        {"prorettype", T::kOid},
        {"proargtypes", T::kOidVector},
        {"proallargtypes", T::kOidArray},
        {"proargmodes", T::kCharArray},
        {"proargnames", T::kTextArray},
        {"proargdefaults", T::kPgNodeTree},
        {"protrftypes", T::kOidArray},
        {"prosrc", T::kText},
        {"probin", T::kText},
        {"prosqlbody", T::kPgNodeTree},
        {"proconfig", T::kTextArray},
        {"proacl", T::kAclitemArray}}},
      {"pg_catalog",
       "pg_publication",
       6104,
       'r',
       {{"oid", T::kOid},
        {"pubname", T::kName},
        {"pubowner", T::kOid},
        {"puballtables", T::kBool},
        {"pubinsert", T::kBool},
        {"pubupdate", T::kBool},
        {"pubdelete", T::kBool},
        {"pubtruncate", T::kBool},
        {"pubviaroot", T::kBool}}},
      {"pg_catalog",
       "pg_publication_namespace",
       6237,
       'r',
       {{"oid", T::kOid}, {"pnpubid", T::kOid}, {"pnnspid", T::kOid}}},
      {"pg_catalog",
       "pg_publication_rel",
       6106,
       'r',
       {{"oid", T::kOid},
        {"prpubid", T::kOid},
        {"prrelid", T::kOid},
        {"prqual", T::kPgNodeTree},
        {"prattrs", T::kInt2Vector}}},
      {"pg_catalog",
       "pg_range",
       3541,
       'r',
       {{"rngtypid", T::kOid},
        {"rngsubtype", T::kOid},
        {"rngmultitypid", T::kOid},
        {"rngcollation", T::kOid},
        {"rngsubopc", T::kOid},
        {"rngcanonical", T::kRegproc},
        {"rngsubdiff", T::kRegproc}}},
      {"pg_catalog",
       "pg_rewrite",
       2618,
       'r',
       {{"oid", T::kOid},
        {"rulename", T::kName},
        {"ev_class", T::kOid},
        {"ev_type", T::kChar},
        {"ev_enabled", T::kChar},
        {"is_instead", T::kBool},
        {"ev_qual", T::kPgNodeTree},
        {"ev_action", T::kPgNodeTree}}},
      {"pg_catalog",
       "pg_roles",
       12000,
       'v',
       {{"rolname", T::kName},
        {"rolsuper", T::kBool},
        {"rolinherit", T::kBool},
        {"rolcreaterole", T::kBool},
        {"rolcreatedb", T::kBool},
        {"rolcanlogin", T::kBool},
        {"rolreplication", T::kBool},
        {"rolconnlimit", T::kInt4},
        {"rolpassword", T::kText},
        {"rolvaliduntil", T::kTimestampTz},
        {"rolbypassrls", T::kBool},
        {"rolconfig", T::kTextArray},
        {"oid", T::kOid}}},
      {"information_schema",
       "sequences",
       13444,
       'v',
       {{"sequence_catalog", T::kName},
        {"sequence_schema", T::kName},
        {"sequence_name", T::kName},
        {"data_type", T::kVarchar},
        {"numeric_precision", T::kInt4},
        {"numeric_precision_radix", T::kInt4},
        {"numeric_scale", T::kInt4},
        {"start_value", T::kVarchar},
        {"minimum_value", T::kVarchar},
        {"maximum_value", T::kVarchar},
        {"increment", T::kVarchar},
        {"cycle_option", T::kVarchar}}},
      {"pg_catalog",
       "pg_sequence",
       2224,
       'r',
       {{"seqrelid", T::kOid},
        {"seqtypid", T::kOid},
        {"seqstart", T::kInt8},
        {"seqincrement", T::kInt8},
        {"seqmax", T::kInt8},
        {"seqmin", T::kInt8},
        {"seqcache", T::kInt8},
        {"seqcycle", T::kBool}}},
      {"pg_catalog",
       "pg_sequences",
       12048,
       'v',
       {{"schemaname", T::kName},
        {"sequencename", T::kName},
        {"sequenceowner", T::kName},
        {"data_type", T::kRegtype},
        {"start_value", T::kInt8},
        {"min_value", T::kInt8},
        {"max_value", T::kInt8},
        {"increment_by", T::kInt8},
        {"cycle", T::kBool},
        {"cache_size", T::kInt8},
        {"last_value", T::kInt8}}},
      {"pg_catalog",
       "pg_settings",
       12104,
       'v',
       {{"name", T::kText},
        {"setting", T::kText},
        {"unit", T::kText},
        {"category", T::kText},
        {"short_desc", T::kText},
        {"extra_desc", T::kText},
        {"context", T::kText},
        {"vartype", T::kText},
        {"source", T::kText},
        {"min_val", T::kText},
        {"max_val", T::kText},
        {"enumvals", T::kTextArray},
        {"boot_val", T::kText},
        {"reset_val", T::kText},
        {"sourcefile", T::kText},
        {"sourceline", T::kInt4},
        {"pending_restart", T::kBool}}},
      {"pg_catalog",
       "pg_shdescription",
       2396,
       'r',
       {{"objoid", T::kOid}, {"classoid", T::kOid}, {"description", T::kText}}},
      {"pg_catalog",
       "pg_stat_activity",
       12222,
       'v',
       {{"datid", T::kOid},
        {"datname", T::kName},
        {"pid", T::kInt4},
        {"leader_pid", T::kInt4},
        {"usesysid", T::kOid},
        {"usename", T::kName},
        {"application_name", T::kText},
        {"client_addr", T::kText},
        {"client_hostname", T::kText},
        {"client_port", T::kInt4},
        {"backend_start", T::kTimestampTz},
        {"xact_start", T::kTimestampTz},
        {"query_start", T::kTimestampTz},
        {"state_change", T::kTimestampTz},
        {"wait_event_type", T::kText},
        {"wait_event", T::kText},
        {"state", T::kText},
        {"backend_xid", T::kXid},
        {"backend_xmin", T::kXid},
        {"query_id", T::kInt8},
        {"query", T::kText},
        {"backend_type", T::kText}}},
      {"pg_catalog",
       "pg_statistic_ext",
       3381,
       'r',
       {{"oid", T::kOid},
        {"stxrelid", T::kOid},
        {"stxname", T::kName},
        {"stxnamespace", T::kOid},
        {"stxowner", T::kOid},
        {"stxstattarget", T::kInt4},
        {"stxkeys", T::kInt2Vector},
        {"stxkind", T::kCharArray},
        {"stxexprs", T::kPgNodeTree}}},
      {"pg_catalog",
       "pg_tables",
       12033,
       'v',
       {{"schemaname", T::kName},
        {"tablename", T::kName},
        {"tableowner", T::kName},
        {"tablespace", T::kName},
        {"hasindexes", T::kBool},
        {"hasrules", T::kBool},
        {"hastriggers", T::kBool},
        {"rowsecurity", T::kBool}}},
      {"pg_catalog",
       "pg_tablespace",
       1213,
       'r',
       {{"oid", T::kOid},
        {"spcname", T::kName},
        {"spcowner", T::kOid},
        {"spcacl", T::kAclitemArray},
        {"spcoptions", T::kTextArray}}},
      {"pg_catalog",
       "pg_trigger",
       2620,
       'r',
       {{"oid", T::kOid},
        {"tgrelid", T::kOid},
        {"tgparentid", T::kOid},
        {"tgname", T::kName},
        {"tgfoid", T::kOid},
        {"tgtype", T::kInt2},
        {"tgenabled", T::kChar},
        {"tgisinternal", T::kBool},
        {"tgconstrrelid", T::kOid},
        {"tgconstrindid", T::kOid},
        {"tgconstraint", T::kOid},
        {"tgdeferrable", T::kBool},
        {"tginitdeferred", T::kBool},
        {"tgnargs", T::kInt2},
        {"tgattr", T::kInt2Vector},
        {"tgargs", T::kText},
        {"tgqual", T::kPgNodeTree},
        {"tgoldtable", T::kName},
        {"tgnewtable", T::kName}}},
      {"pg_catalog",
       "pg_type",
       1247,
       'r',
       {{"oid", T::kOid},
        {"typname", T::kName},
        {"typnamespace", T::kOid},
        {"typowner", T::kOid},
        {"typlen", T::kInt2},
        {"typbyval", T::kBool},
        {"typtype", T::kChar},
        {"typcategory", T::kChar},
        {"typispreferred", T::kBool},
        {"typisdefined", T::kBool},
        {"typdelim", T::kChar},
        {"typrelid", T::kOid},
        {"typsubscript", T::kRegproc},
        {"typelem", T::kOid},
        {"typarray", T::kOid},
        {"typinput", T::kRegproc},
        {"typoutput", T::kRegproc},
        {"typreceive", T::kRegproc},
        {"typsend", T::kRegproc},
        {"typmodin", T::kRegproc},
        {"typmodout", T::kRegproc},
        {"typanalyze", T::kRegproc},
        {"typalign", T::kChar},
        {"typstorage", T::kChar},
        {"typnotnull", T::kBool},
        {"typbasetype", T::kOid},
        {"typtypmod", T::kInt4},
        {"typndims", T::kInt4},
        {"typcollation", T::kOid},
        {"typdefaultbin", T::kPgNodeTree},
        {"typdefault", T::kText},
        {"typacl", T::kAclitemArray}}},
      {"pg_catalog",
       "pg_user",
       12014,
       'v',
       {{"usename", T::kName},
        {"usesysid", T::kOid},
        {"usecreatedb", T::kBool},
        {"usesuper", T::kBool},
        {"userepl", T::kBool},
        {"usebypassrls", T::kBool},
        {"passwd", T::kText},
        {"valuntil", T::kTimestampTz},
        {"useconfig", T::kTextArray}}},
      {"pg_catalog",
       "pg_views",
       12028,
       'v',
       {{"schemaname", T::kName},
        {"viewname", T::kName},
        {"viewowner", T::kName},
        {"definition", T::kText}}},
  };
  return *kRelations;
}

const RelationDef* FindRelation(std::string_view schema, std::string_view name) {
  for (const RelationDef& def : Relations()) {
    if (def.schema == schema && def.name == name) return &def;
  }
  return nullptr;
}

const RelationDef* FindRelationByOid(uint32_t oid) {
  for (const RelationDef& def : Relations()) {
    if (def.oid == oid) return &def;
  }
  return nullptr;
}

Value Oid(uint32_t v) { return Value::Int(T::kOid, v); }
Value Name(std::string_view s) { return Value::String(T::kName, std::string(s)); }
Value Text(std::string_view s) { return Value::String(T::kText, std::string(s)); }
Value Varchar(std::string_view s) { return Value::String(T::kVarchar, std::string(s)); }
Value Char(char c) { return Value::String(T::kChar, c == 0 ? std::string() : std::string(1, c)); }
Value Bool(bool b) { return Value::Bool(b); }
Value Int2(int64_t v) { return Value::Int(T::kInt2, v); }
Value Int4(int64_t v) { return Value::Int(T::kInt4, v); }
Value YesNo(bool b) { return Varchar(b ? "YES" : "NO"); }

// One row of a relation, addressed by column name; unset columns keep a default (NULL in
// information_schema; zero, false or empty in pg_catalog, where PostgreSQL's columns are NOT
// NULL, except for the nullable variable-length ones).
class RowBuilder {
 public:
  explicit RowBuilder(const RelationDef& def) : def_(def) {
    bool views = def.schema == "information_schema";
    for (const ColumnDef& column : def.columns) row_.push_back(DefaultFor(column.type, views));
  }

  RowBuilder& Set(std::string_view column, Value value) {
    for (size_t i = 0; i < def_.columns.size(); ++i) {
      if (def_.columns[i].name != column) continue;
      TypeId type = def_.columns[i].type;
      if (!value.is_null() && value.type() != type) {
        Result<Value> cast = sql::CastValue(value, type);
        BOREALIS_CHECK(cast.ok(), def_.name, column, cast.status().ToString());
        value = std::move(cast).value();
      }
      row_[i] = value.is_null() ? Value::Null(type) : std::move(value);
      return *this;
    }
    BOREALIS_CHECK(false, "no such catalog column", def_.name, column);
    return *this;
  }

  Row Take() { return std::move(row_); }

  static Value DefaultFor(TypeId type, bool views) {
    if (views) return Value::Null(type);
    switch (type) {
      case T::kOid:
      case T::kRegproc:
      case T::kRegtype:
      case T::kXid:
      case T::kInt2:
      case T::kInt4:
      case T::kInt8:
        return Value::Int(type, 0);
      case T::kFloat4:
        return Value::Float(type, 0);
      case T::kBool:
        return Value::Bool(false);
      case T::kName:
      case T::kChar:
      case T::kInt2Vector:
      case T::kOidVector:
        return Value::String(type, "");
      default:
        return Value::Null(type);
    }
  }

 private:
  const RelationDef& def_;
  Row row_;
};

struct RoleRow {
  uint32_t oid;
  std::string name;
  bool superuser;
  bool can_login;
  // From the role store (qp/roles.h); the defaults describe a role without one.
  bool inherit = true;
  bool create_role = false;
  bool create_db = false;
  int32_t connection_limit = -1;
  std::vector<auth::Membership> member_of = {};
};

// The roles of the role store (helper R), plus pg_database_owner; without a store, below.
std::vector<RoleRow> StoreRoles(const AccessControl& access) {
  std::vector<RoleRow> roles = {{kDatabaseOwnerRoleOid, "pg_database_owner", false, false}};
  for (const auto& [name, role] : access.Snapshot()->roles()) {
    roles.push_back({role.oid, role.name, role.superuser, role.login, role.inherit,
                     role.create_role, role.create_db, role.connection_limit, role.member_of});
  }
  return roles;
}

// The roles the catalog shows: the bootstrap superuser (admin, OID 10), the session's user,
// and pg_database_owner (the owner of schema public). The role store is not reachable from
// the query processor yet, so other roles are missing.
std::vector<RoleRow> Roles(std::string_view user, bool user_is_superuser) {
  std::vector<RoleRow> roles = {{sql::kBootstrapSuperuserOid, "admin", true, true},
                                {kDatabaseOwnerRoleOid, "pg_database_owner", false, false}};
  if (user != "admin" && !user.empty()) {
    // A stable OID for the name (FNV-1a), above the user-relation range start.
    uint32_t hash = 2166136261u;
    for (char c : user) hash = (hash ^ static_cast<uint8_t>(c)) * 16777619u;
    roles.push_back(
        {kFirstUserOid + hash % (1u << 30), std::string(user), user_is_superuser, true});
  }
  return roles;
}

std::vector<RoleRow> Roles(const SessionInfo& info) {
  if (info.access != nullptr && info.access->enabled()) return StoreRoles(*info.access);
  return Roles(info.user, info.is_superuser);
}

// The session facts a generator needs (from FunctionContext and, when the session provides
// it, SessionCatalog).
struct GenerateContext {
  const RelationDef* def;
  const std::vector<catalog::TableDescriptor>* tables;
  std::vector<RoleRow> roles;
  const SessionInfo* session = nullptr;  // null without a SessionCatalog
  sql::FunctionContext* functions;
  // Sequences and their current state (catalog/sequences.h); loaded for the relations that
  // show them, else empty.
  std::vector<catalog::SequenceDescriptor> sequences = {};
  std::map<uint32_t, catalog::SequenceState> sequence_states = {};
  // Views (catalog/views.h); loaded for the relations that show them, else empty.
  std::vector<catalog::ViewDescriptor> views = {};
};

// The name of role `oid` in c.roles ("unknown (OID=n)" when it is gone).
std::string RoleNameOf(const GenerateContext& c, uint32_t oid);

Result<std::vector<catalog::TableDescriptor>> LoadTables(txn::KvTransaction& txn) {
  encoding::KeySpan span = encoding::IndexSpan(catalog::kSystemTableId, catalog::kDescriptorIndex);
  std::vector<catalog::TableDescriptor> tables;
  std::string begin = span.begin;
  for (;;) {
    constexpr size_t kBatch = 256;
    ASSIGN_OR_RETURN(std::vector<txn::Row> rows, txn.Scan(begin, span.end, kBatch));
    for (const txn::Row& row : rows) {
      if (tables.size() >= kMaxCatalogTables) {
        return Status::Sql("54000",
                           fmt::format("more than {} tables in the catalog", kMaxCatalogTables));
      }
      ASSIGN_OR_RETURN(catalog::TableDescriptor table, catalog::DecodeDescriptor(row.value));
      tables.push_back(std::move(table));
    }
    if (rows.size() < kBatch) break;
    begin = encoding::KeySuccessor(rows.back().key);
  }
  return tables;
}

Result<std::optional<catalog::TableDescriptor>> LoadTable(txn::KvTransaction& txn,
                                                          uint32_t table_id) {
  ASSIGN_OR_RETURN(std::optional<std::string> bytes, txn.Get(catalog::DescriptorKey(table_id)));
  if (!bytes) return std::optional<catalog::TableDescriptor>();
  ASSIGN_OR_RETURN(catalog::TableDescriptor table, catalog::DecodeDescriptor(*bytes));
  return std::optional<catalog::TableDescriptor>(std::move(table));
}

uint32_t NamespaceOf(std::string_view schema) {
  return sql::NamespaceOid(schema).value_or(sql::kPublicNamespaceOid);
}

// Visible columns with their attnum (1-based position among them).
std::vector<std::pair<int, const catalog::ColumnDescriptor*>> VisibleColumns(
    const catalog::TableDescriptor& table) {
  std::vector<std::pair<int, const catalog::ColumnDescriptor*>> out;
  for (const catalog::ColumnDescriptor& column : table.columns) {
    if (column.hidden) continue;
    out.emplace_back(static_cast<int>(out.size()) + 1, &column);
  }
  return out;
}

int AttNum(const catalog::TableDescriptor& table, uint32_t column_id) {
  for (const auto& [attnum, column] : VisibleColumns(table)) {
    if (column->id == column_id) return attnum;
  }
  return 0;
}

// The primary key (index id 1, when the table has a visible one) and the secondary indexes.
struct IndexView {
  catalog::IndexDescriptor index;
  bool primary = false;
};

std::vector<IndexView> Indexes(const catalog::TableDescriptor& table) {
  std::vector<IndexView> out;
  std::string pk_name = table.PrimaryKeyName();
  if (!pk_name.empty() && !table.primary_key.empty()) {
    IndexView pk;
    pk.primary = true;
    pk.index.id = catalog::kPrimaryIndexId;
    pk.index.name = pk_name;
    pk.index.unique = true;
    pk.index.constraint = true;
    for (uint32_t column_id : table.primary_key) {
      pk.index.columns.push_back(catalog::IndexColumn{column_id, false, false});
    }
    out.push_back(std::move(pk));
  }
  for (const catalog::IndexDescriptor& index : table.indexes) out.push_back({index, false});
  return out;
}

std::string ColumnList(const catalog::TableDescriptor& table,
                       const std::vector<catalog::IndexColumn>& columns) {
  std::string out;
  for (const catalog::IndexColumn& column : columns) {
    const catalog::ColumnDescriptor* descriptor = table.FindColumnById(column.column_id);
    if (!out.empty()) out += ", ";
    out += descriptor != nullptr ? descriptor->name : "?";
  }
  return out;
}

std::string CheckDefinition(const catalog::CheckConstraint& check) {
  std::string_view e = check.expression;
  bool wrapped = e.size() >= 2 && e.front() == '(' && e.back() == ')';
  return wrapped ? fmt::format("CHECK ({})", e) : fmt::format("CHECK (({}))", e);
}

struct TypeStorage {
  int16_t len;
  bool byval;
  char align;
  char storage;
};

TypeStorage StorageOf(TypeId type) {
  int16_t len = sql::GetTypeInfo(type).size;
  switch (len) {
    case 1:
      return {1, true, 'c', 'p'};
    case 2:
      return {2, true, 's', 'p'};
    case 4:
      return {4, true, 'i', 'p'};
    case 8:
      return {8, true, 'd', 'p'};
    case 16:  // uuid
      return {16, false, 'c', 'p'};
    case 64:
      return {64, false, 'c', 'p'};
    default:
      return {len, false, type == T::kNumeric ? 'i' : 'i', type == T::kNumeric ? 'm' : 'x'};
  }
}

bool Collatable(TypeId type) {
  return type == T::kText || type == T::kVarchar || type == T::kBpchar || type == T::kName;
}

// The collation of a collatable type (name is collated "C" since PostgreSQL 12), else 0.
uint32_t CollationOf(TypeId type) {
  if (type == T::kName) return kCCollationOid;
  return Collatable(type) ? kDefaultCollationOid : 0;
}

// Every type the engine knows (probing the OID range the engine's types live in).
const std::vector<TypeId>& KnownTypes() {
  static const std::vector<TypeId>* const kKnown = [] {
    auto* known = new std::vector<TypeId>();
    for (uint32_t oid = 1; oid < 10000; ++oid) {
      if (std::optional<TypeId> type = sql::TypeFromOid(oid)) known->push_back(*type);
    }
    return known;
  }();
  return *kKnown;
}

// pg_attrdef has a row for a constant DEFAULT and for a non-constant one (SERIAL's nextval),
// not for identity columns (their nextval is implicit, as in PostgreSQL).
bool HasDefault(const catalog::ColumnDescriptor& column) {
  return column.default_text.has_value() ||
         (column.default_expression.has_value() && column.identity == 0);
}

std::string DefaultExpression(const catalog::ColumnDescriptor& column) {
  if (!column.default_text && column.default_expression) return *column.default_expression;
  std::optional<TypeId> type = sql::TypeFromOid(column.type_oid);
  return sql::DeparseConstant(type.value_or(T::kText), *column.default_text);
}

using Rows = std::vector<Row>;

Rows GenNamespace(const GenerateContext& c) {
  Rows rows;
  rows.push_back(RowBuilder(*c.def)
                     .Set("oid", Oid(sql::kPgCatalogNamespaceOid))
                     .Set("nspname", Name("pg_catalog"))
                     .Set("nspowner", Oid(sql::kBootstrapSuperuserOid))
                     .Take());
  rows.push_back(RowBuilder(*c.def)
                     .Set("oid", Oid(sql::kPublicNamespaceOid))
                     .Set("nspname", Name("public"))
                     .Set("nspowner", Oid(kDatabaseOwnerRoleOid))
                     .Take());
  rows.push_back(RowBuilder(*c.def)
                     .Set("oid", Oid(sql::kInformationSchemaNamespaceOid))
                     .Set("nspname", Name("information_schema"))
                     .Set("nspowner", Oid(sql::kBootstrapSuperuserOid))
                     .Take());
  // The temporary schemas that hold tables (qp/temp_tables.h).
  std::set<std::string> temp_schemas;
  for (const catalog::TableDescriptor& table : *c.tables) {
    if (IsTempSchemaName(table.schema)) temp_schemas.insert(table.schema);
  }
  for (const std::string& schema : temp_schemas) {
    rows.push_back(RowBuilder(*c.def)
                       .Set("oid", Oid(NamespaceOf(schema)))
                       .Set("nspname", Name(schema))
                       .Set("nspowner", Oid(sql::kBootstrapSuperuserOid))
                       .Take());
  }
  return rows;
}

RowBuilder ClassRow(const GenerateContext& c, uint32_t oid, std::string_view name,
                    uint32_t namespace_oid, char kind, int natts) {
  RowBuilder row(*c.def);
  row.Set("oid", Oid(oid))
      .Set("relname", Name(name))
      .Set("relnamespace", Oid(namespace_oid))
      .Set("relowner", Oid(sql::kBootstrapSuperuserOid))
      .Set("relam", Oid(kind == 'r'   ? kHeapAmOid
                        : kind == 'i' ? kBtreeAmOid
                                      : 0))
      .Set("relfilenode", Oid(kind == 'v' ? 0 : oid))
      .Set("reltuples", Value::Float(T::kFloat4, -1))
      .Set("relpersistence", Char(namespace_oid >= sql::kTempNamespaceOidBase ? 't' : 'p'))
      .Set("relkind", Char(kind))
      .Set("relnatts", Int2(natts))
      .Set("relreplident", Char(kind == 'r' ? 'd' : 'n'))
      .Set("relfrozenxid", Value::Int(T::kXid, 0))
      .Set("relminmxid", Value::Int(T::kXid, 0));
  return row;
}

// pg_class.relowner and relacl (NULL until the first GRANT/REVOKE, as in PostgreSQL).
void SetOwnerAndAcl(const GenerateContext& c, RowBuilder& row, uint32_t owner,
                    const std::optional<catalog::Acl>& acl);

Rows GenClass(const GenerateContext& c) {
  Rows rows;
  for (const RelationDef& def : Relations()) {
    rows.push_back(ClassRow(c, def.oid, def.name, NamespaceOf(def.schema), def.kind,
                            static_cast<int>(def.columns.size()))
                       .Take());
  }
  for (const catalog::TableDescriptor& table : *c.tables) {
    uint32_t oid = TableOid(table.id);
    std::vector<IndexView> indexes = Indexes(table);
    RowBuilder row = ClassRow(c, oid, table.name, NamespaceOf(table.schema), 'r',
                              static_cast<int>(VisibleColumns(table).size()));
    SetOwnerAndAcl(c, row, table.owner, table.acl);
    row.Set("relhasindex", Bool(!indexes.empty()))
        .Set("relchecks", Int2(static_cast<int64_t>(table.checks.size())));
    rows.push_back(row.Take());
    for (const IndexView& index : indexes) {
      rows.push_back(ClassRow(c, oid + index.index.id, index.index.name, NamespaceOf(table.schema),
                              'i', static_cast<int>(index.index.columns.size()))
                         .Set("relowner", Oid(table.owner))
                         .Take());
    }
  }
  for (const catalog::ViewDescriptor& view : c.views) {
    RowBuilder row = ClassRow(c, TableOid(view.id), view.name, NamespaceOf(view.schema), 'v',
                              static_cast<int>(view.columns.size()));
    SetOwnerAndAcl(c, row, view.owner, view.acl);
    rows.push_back(row.Set("relhasrules", Bool(true)).Take());
  }
  // Sequences: relkind 'S' with PostgreSQL's three columns (last_value, log_cnt, is_called).
  for (const catalog::SequenceDescriptor& sequence : c.sequences) {
    RowBuilder row =
        ClassRow(c, TableOid(sequence.id), sequence.name, NamespaceOf(sequence.schema), 'S', 3);
    SetOwnerAndAcl(c, row, sequence.owner, sequence.acl);
    rows.push_back(row.Take());
  }
  return rows;
}

Rows GenSequence(const GenerateContext& c) {
  Rows rows;
  for (const catalog::SequenceDescriptor& s : c.sequences) {
    rows.push_back(RowBuilder(*c.def)
                       .Set("seqrelid", Oid(TableOid(s.id)))
                       .Set("seqtypid", Oid(s.type_oid))
                       .Set("seqstart", Value::Int(T::kInt8, s.start))
                       .Set("seqincrement", Value::Int(T::kInt8, s.increment))
                       .Set("seqmax", Value::Int(T::kInt8, s.max_value))
                       .Set("seqmin", Value::Int(T::kInt8, s.min_value))
                       .Set("seqcache", Value::Int(T::kInt8, s.cache))
                       .Set("seqcycle", Bool(s.cycle))
                       .Take());
  }
  return rows;
}

Rows GenSequences(const GenerateContext& c) {
  Rows rows;
  for (const catalog::SequenceDescriptor& s : c.sequences) {
    RowBuilder row(*c.def);
    row.Set("schemaname", Name(s.schema))
        .Set("sequencename", Name(s.name))
        .Set("sequenceowner", Name(RoleNameOf(c, s.owner)))
        .Set("data_type", Value::Int(T::kRegtype, s.type_oid))
        .Set("start_value", Value::Int(T::kInt8, s.start))
        .Set("min_value", Value::Int(T::kInt8, s.min_value))
        .Set("max_value", Value::Int(T::kInt8, s.max_value))
        .Set("increment_by", Value::Int(T::kInt8, s.increment))
        .Set("cycle", Bool(s.cycle))
        .Set("cache_size", Value::Int(T::kInt8, s.cache));
    // PostgreSQL shows NULL until the first nextval (is_called false).
    auto state = c.sequence_states.find(s.id);
    if (state != c.sequence_states.end() && state->second.is_called) {
      row.Set("last_value", Value::Int(T::kInt8, state->second.last_value));
    } else {
      row.Set("last_value", Value::Null(T::kInt8));
    }
    rows.push_back(row.Take());
  }
  return rows;
}

Rows GenInfoSequences(const GenerateContext& c) {
  Rows rows;
  for (const catalog::SequenceDescriptor& s : c.sequences) {
    int precision = s.type_oid == 21 ? 16 : s.type_oid == 23 ? 32 : 64;
    rows.push_back(RowBuilder(*c.def)
                       .Set("sequence_catalog", Name(kDatabaseName))
                       .Set("sequence_schema", Name(s.schema))
                       .Set("sequence_name", Name(s.name))
                       .Set("data_type", Varchar(s.type_oid == 21   ? "smallint"
                                                 : s.type_oid == 23 ? "integer"
                                                                    : "bigint"))
                       .Set("numeric_precision", Int4(precision))
                       .Set("numeric_precision_radix", Int4(2))
                       .Set("numeric_scale", Int4(0))
                       .Set("start_value", Varchar(std::to_string(s.start)))
                       .Set("minimum_value", Varchar(std::to_string(s.min_value)))
                       .Set("maximum_value", Varchar(std::to_string(s.max_value)))
                       .Set("increment", Varchar(std::to_string(s.increment)))
                       .Set("cycle_option", YesNo(s.cycle))
                       .Take());
  }
  return rows;
}

RowBuilder AttributeRow(const GenerateContext& c, uint32_t relid, std::string_view name, int attnum,
                        TypeId type, int32_t typmod) {
  TypeStorage storage = StorageOf(type);
  RowBuilder row(*c.def);
  row.Set("attrelid", Oid(relid))
      .Set("attname", Name(name))
      .Set("atttypid", Oid(static_cast<uint32_t>(type)))
      .Set("attstattarget", Int4(-1))
      .Set("attlen", Int2(storage.len))
      .Set("attnum", Int2(attnum))
      .Set("attcacheoff", Int4(-1))
      .Set("atttypmod", Int4(typmod))
      .Set("attbyval", Bool(storage.byval))
      .Set("attalign", Char(storage.align))
      .Set("attstorage", Char(storage.storage))
      .Set("attislocal", Bool(true))
      .Set("attcollation", Oid(CollationOf(type)));
  return row;
}

TypeId ColumnType(const catalog::ColumnDescriptor& column) {
  return sql::TypeFromOid(column.type_oid).value_or(T::kText);
}

Rows GenAttribute(const GenerateContext& c) {
  Rows rows;
  for (const RelationDef& def : Relations()) {
    for (size_t i = 0; i < def.columns.size(); ++i) {
      // Catalog tables' fixed-width columns (those RowBuilder never leaves NULL) are NOT NULL.
      TypeId type = def.columns[i].type;
      bool not_null = def.kind == 'r' && !RowBuilder::DefaultFor(type, false).is_null();
      rows.push_back(
          AttributeRow(c, def.oid, def.columns[i].name, static_cast<int>(i) + 1, type, -1)
              .Set("attnotnull", Bool(not_null))
              .Take());
    }
  }
  for (const catalog::TableDescriptor& table : *c.tables) {
    uint32_t oid = TableOid(table.id);
    for (const auto& [attnum, column] : VisibleColumns(table)) {
      RowBuilder row =
          AttributeRow(c, oid, column->name, attnum, ColumnType(*column), column->typmod);
      row.Set("attnotnull", Bool(column->not_null || table.IsKeyColumn(column->id)))
          .Set("atthasdef", Bool(HasDefault(*column)));
      if (column->identity != 0) row.Set("attidentity", Char(column->identity));
      rows.push_back(row.Take());
    }
    for (const IndexView& index : Indexes(table)) {
      int attnum = 0;
      for (const catalog::IndexColumn& key : index.index.columns) {
        const catalog::ColumnDescriptor* column = table.FindColumnById(key.column_id);
        if (column == nullptr) continue;
        rows.push_back(AttributeRow(c, oid + index.index.id, column->name, ++attnum,
                                    ColumnType(*column), column->typmod)
                           .Take());
      }
    }
  }
  for (const catalog::ViewDescriptor& view : c.views) {
    for (size_t i = 0; i < view.columns.size(); ++i) {
      const catalog::ViewColumn& column = view.columns[i];
      rows.push_back(AttributeRow(c, TableOid(view.id), column.name, static_cast<int>(i) + 1,
                                  sql::TypeFromOid(column.type_oid).value_or(T::kText),
                                  column.typmod)
                         .Set("attnotnull", Bool(false))
                         .Take());
    }
  }
  return rows;
}

Rows GenType(const GenerateContext& c) {
  Rows rows;
  for (TypeId type : KnownTypes()) {
    const sql::TypeInfo& info = sql::GetTypeInfo(type);
    TypeStorage storage = StorageOf(type);
    bool is_array = sql::IsArrayType(type);
    bool pseudo = info.category == sql::TypeCategory::kPseudo || type == T::kUnknown;
    std::optional<TypeId> array = sql::ArrayTypeOf(type);
    rows.push_back(
        RowBuilder(*c.def)
            .Set("oid", Oid(static_cast<uint32_t>(type)))
            .Set("typname", Name(info.name))
            .Set("typnamespace", Oid(sql::kPgCatalogNamespaceOid))
            .Set("typowner", Oid(sql::kBootstrapSuperuserOid))
            .Set("typlen", Int2(info.size))
            .Set("typbyval", Bool(storage.byval))
            .Set("typtype", Char(pseudo ? 'p' : 'b'))
            .Set("typcategory", Char(static_cast<char>(info.category)))
            .Set("typispreferred", Bool(info.preferred))
            .Set("typisdefined", Bool(true))
            .Set("typdelim", Char(','))
            .Set("typelem", Oid(is_array ? static_cast<uint32_t>(sql::ArrayElementType(type)) : 0))
            .Set("typarray", Oid(array ? static_cast<uint32_t>(*array) : 0))
            .Set("typalign", Char(storage.align))
            .Set("typstorage", Char(storage.storage))
            .Set("typtypmod", Int4(-1))
            .Set("typcollation", Oid(CollationOf(type)))
            .Take());
  }
  return rows;
}

std::string IntVector(const std::vector<int64_t>& values) {
  std::string out;
  for (int64_t v : values) out += (out.empty() ? "" : " ") + std::to_string(v);
  return out;
}

Rows GenIndex(const GenerateContext& c) {
  Rows rows;
  for (const catalog::TableDescriptor& table : *c.tables) {
    uint32_t oid = TableOid(table.id);
    for (const IndexView& index : Indexes(table)) {
      std::vector<int64_t> keys, options, classes, collations;
      for (const catalog::IndexColumn& column : index.index.columns) {
        keys.push_back(AttNum(table, column.column_id));
        options.push_back((column.descending ? 1 : 0) | (column.nulls_first ? 2 : 0));
        classes.push_back(0);
        const catalog::ColumnDescriptor* descriptor = table.FindColumnById(column.column_id);
        collations.push_back(descriptor != nullptr ? CollationOf(ColumnType(*descriptor)) : 0);
      }
      int64_t n = static_cast<int64_t>(keys.size());
      rows.push_back(RowBuilder(*c.def)
                         .Set("indexrelid", Oid(oid + index.index.id))
                         .Set("indrelid", Oid(oid))
                         .Set("indnatts", Int2(n))
                         .Set("indnkeyatts", Int2(n))
                         .Set("indisunique", Bool(index.index.unique))
                         .Set("indisprimary", Bool(index.primary))
                         .Set("indimmediate", Bool(true))
                         .Set("indisvalid", Bool(true))
                         .Set("indisready", Bool(true))
                         .Set("indislive", Bool(true))
                         .Set("indkey", Value::String(T::kInt2Vector, IntVector(keys)))
                         .Set("indcollation", Value::String(T::kOidVector, IntVector(collations)))
                         .Set("indclass", Value::String(T::kOidVector, IntVector(classes)))
                         .Set("indoption", Value::String(T::kInt2Vector, IntVector(options)))
                         .Take());
    }
  }
  return rows;
}

Value Int2Array(const std::vector<int64_t>& values) {
  std::vector<Value> elements;
  for (int64_t v : values) elements.push_back(Int2(v));
  return sql::MakeArray(T::kInt2Array, elements);
}

RowBuilder ConstraintRow(const GenerateContext& c, const catalog::TableDescriptor& table,
                         uint32_t oid, std::string_view name, char type) {
  RowBuilder row(*c.def);
  row.Set("oid", Oid(oid))
      .Set("conname", Name(name))
      .Set("connamespace", Oid(NamespaceOf(table.schema)))
      .Set("contype", Char(type))
      .Set("convalidated", Bool(true))
      .Set("conrelid", Oid(TableOid(table.id)))
      .Set("confupdtype", Char(' '))
      .Set("confdeltype", Char(' '))
      .Set("confmatchtype", Char(' '))
      .Set("conislocal", Bool(true));
  return row;
}

Rows GenConstraint(const GenerateContext& c) {
  Rows rows;
  for (const catalog::TableDescriptor& table : *c.tables) {
    uint32_t oid = TableOid(table.id);
    for (const IndexView& index : Indexes(table)) {
      if (!index.primary && !index.index.constraint) continue;
      std::vector<int64_t> keys;
      for (const auto& column : index.index.columns)
        keys.push_back(AttNum(table, column.column_id));
      rows.push_back(
          ConstraintRow(c, table, oid + index.index.id, index.index.name, index.primary ? 'p' : 'u')
              .Set("conindid", Oid(oid + index.index.id))
              .Set("conkey", Int2Array(keys))
              .Take());
    }
    for (size_t k = 0; k < table.checks.size(); ++k) {
      rows.push_back(ConstraintRow(c, table, oid + kCheckOidOffset + static_cast<uint32_t>(k),
                                   table.checks[k].name, 'c')
                         .Set("conbin", Value::String(T::kPgNodeTree, table.checks[k].expression))
                         .Take());
    }
  }
  return rows;
}

Rows GenAttrdef(const GenerateContext& c) {
  Rows rows;
  for (const catalog::TableDescriptor& table : *c.tables) {
    uint32_t oid = TableOid(table.id);
    for (const auto& [attnum, column] : VisibleColumns(table)) {
      if (!HasDefault(*column)) continue;
      rows.push_back(
          RowBuilder(*c.def)
              .Set("oid", Oid(oid + kAttrdefOidOffset + static_cast<uint32_t>(attnum) % 1024))
              .Set("adrelid", Oid(oid))
              .Set("adnum", Int2(attnum))
              .Set("adbin", Value::String(T::kPgNodeTree, DefaultExpression(*column)))
              .Take());
    }
  }
  return rows;
}

Rows GenAm(const GenerateContext& c) {
  Rows rows;
  rows.push_back(RowBuilder(*c.def)
                     .Set("oid", Oid(kHeapAmOid))
                     .Set("amname", Name("heap"))
                     .Set("amtype", Char('t'))
                     .Take());
  rows.push_back(RowBuilder(*c.def)
                     .Set("oid", Oid(kBtreeAmOid))
                     .Set("amname", Name("btree"))
                     .Set("amtype", Char('i'))
                     .Take());
  return rows;
}

Rows GenDatabase(const GenerateContext& c) {
  Rows rows;
  rows.push_back(RowBuilder(*c.def)
                     .Set("oid", Oid(kDatabaseOid))
                     .Set("datname", Name(kDatabaseName))
                     .Set("datdba", Oid(sql::kBootstrapSuperuserOid))
                     .Set("encoding", Int4(6))
                     .Set("datlocprovider", Char('c'))
                     .Set("datallowconn", Bool(true))
                     .Set("datconnlimit", Int4(-1))
                     .Set("dattablespace", Oid(1663))
                     .Set("datcollate", Text("C"))
                     .Set("datctype", Text("C"))
                     .Take());
  return rows;
}

// pg_roles, pg_authid and pg_user share the role list.
Rows GenRoles(const GenerateContext& c) {
  Rows rows;
  bool authid = c.def->name == "pg_authid";
  for (const RoleRow& role : c.roles) {
    RowBuilder row(*c.def);
    row.Set("rolname", Name(role.name))
        .Set("rolsuper", Bool(role.superuser))
        .Set("rolinherit", Bool(role.inherit))
        .Set("rolcreaterole", Bool(role.create_role))
        .Set("rolcreatedb", Bool(role.create_db))
        .Set("rolcanlogin", Bool(role.can_login))
        .Set("rolreplication", Bool(role.superuser))
        .Set("rolbypassrls", Bool(role.superuser))
        .Set("rolconnlimit", Int4(role.connection_limit))
        .Set("oid", Oid(role.oid));
    // pg_roles masks the password; pg_authid has no passwords here (verifiers stay private).
    if (!authid) row.Set("rolpassword", Text("********"));
    rows.push_back(row.Take());
  }
  return rows;
}

Rows GenUser(const GenerateContext& c) {
  Rows rows;
  for (const RoleRow& role : c.roles) {
    if (!role.can_login) continue;
    rows.push_back(RowBuilder(*c.def)
                       .Set("usename", Name(role.name))
                       .Set("usesysid", Oid(role.oid))
                       .Set("usecreatedb", Bool(role.create_db))
                       .Set("usesuper", Bool(role.superuser))
                       .Set("userepl", Bool(role.superuser))
                       .Set("usebypassrls", Bool(role.superuser))
                       .Set("passwd", Text("********"))
                       .Take());
  }
  return rows;
}

Rows GenTablespace(const GenerateContext& c) {
  Rows rows;
  for (auto [oid, name] :
       {std::pair<uint32_t, const char*>{1663, "pg_default"}, {1664, "pg_global"}}) {
    rows.push_back(RowBuilder(*c.def)
                       .Set("oid", Oid(oid))
                       .Set("spcname", Name(name))
                       .Set("spcowner", Oid(sql::kBootstrapSuperuserOid))
                       .Take());
  }
  return rows;
}

Rows GenSettings(const GenerateContext& c) {
  Rows rows;
  if (c.session == nullptr || !c.session->settings) return rows;
  std::vector<std::vector<std::string>> settings = c.session->settings();
  // Read-only preset options PostgreSQL reports (drivers read max_index_keys and friends).
  for (const auto& [name, value] : {std::pair<const char*, const char*>{"max_index_keys", "32"},
                                    {"max_identifier_length", "63"},
                                    {"max_function_args", "100"},
                                    {"block_size", "8192"}}) {
    bool present = false;
    for (const auto& setting : settings) present |= setting[0] == name;
    if (!present) settings.push_back({name, value, "Preset option."});
  }
  for (const std::vector<std::string>& setting : settings) {
    rows.push_back(RowBuilder(*c.def)
                       .Set("name", Text(setting[0]))
                       .Set("setting", Text(setting[1]))
                       .Set("category", Text("Ungrouped"))
                       .Set("short_desc", Text(setting.size() > 2 ? setting[2] : ""))
                       .Set("context", Text("user"))
                       .Set("vartype", Text("string"))
                       .Set("source", Text("default"))
                       .Set("boot_val", Text(setting[1]))
                       .Set("reset_val", Text(setting[1]))
                       .Set("pending_restart", Bool(false))
                       .Take());
  }
  return rows;
}

Rows GenCollation(const GenerateContext& c) {
  Rows rows;
  struct Collation {
    uint32_t oid;
    const char* name;
    char provider;
    const char* collate;
  };
  for (const Collation& collation :
       {Collation{100, "default", 'd', nullptr}, Collation{950, "C", 'c', "C"},
        Collation{951, "POSIX", 'c', "POSIX"}}) {
    RowBuilder row(*c.def);
    row.Set("oid", Oid(collation.oid))
        .Set("collname", Name(collation.name))
        .Set("collnamespace", Oid(sql::kPgCatalogNamespaceOid))
        .Set("collowner", Oid(sql::kBootstrapSuperuserOid))
        .Set("collprovider", Char(collation.provider))
        .Set("collisdeterministic", Bool(true))
        .Set("collencoding", Int4(-1));
    if (collation.collate != nullptr) {
      row.Set("collcollate", Text(collation.collate)).Set("collctype", Text(collation.collate));
    }
    rows.push_back(row.Take());
  }
  return rows;
}

std::string RoleNameOf(const GenerateContext& c, uint32_t oid) {
  for (const RoleRow& role : c.roles) {
    if (role.oid == oid) return role.name;
  }
  return fmt::format("unknown (OID={})", oid);
}

void SetOwnerAndAcl(const GenerateContext& c, RowBuilder& row, uint32_t owner,
                    const std::optional<catalog::Acl>& acl) {
  row.Set("relowner", Oid(owner));
  if (acl) {
    std::string text = catalog::FormatAcl(*acl, [&c](uint32_t oid) { return RoleNameOf(c, oid); });
    row.Set("relacl", Value::String(T::kAclitemArray, std::move(text)));
  }
}

// pg_auth_members: one row per direct membership (grantor: the bootstrap superuser).
Rows GenAuthMembers(const GenerateContext& c) {
  Rows rows;
  for (const RoleRow& role : c.roles) {
    for (const auth::Membership& m : role.member_of) {
      rows.push_back(RowBuilder(*c.def)
                         .Set("roleid", Oid(m.role_oid))
                         .Set("member", Oid(role.oid))
                         .Set("grantor", Oid(sql::kBootstrapSuperuserOid))
                         .Set("admin_option", Bool(m.admin_option))
                         .Take());
    }
  }
  return rows;
}

Rows GenTables(const GenerateContext& c) {
  Rows rows;
  for (const catalog::TableDescriptor& table : *c.tables) {
    rows.push_back(RowBuilder(*c.def)
                       .Set("schemaname", Name(table.schema))
                       .Set("tablename", Name(table.name))
                       .Set("tableowner", Name(RoleNameOf(c, table.owner)))
                       .Set("hasindexes", Bool(!Indexes(table).empty()))
                       .Take());
  }
  return rows;
}

Rows GenIndexes(const GenerateContext& c) {
  Rows rows;
  for (const catalog::TableDescriptor& table : *c.tables) {
    for (const IndexView& index : Indexes(table)) {
      rows.push_back(RowBuilder(*c.def)
                         .Set("schemaname", Name(table.schema))
                         .Set("tablename", Name(table.name))
                         .Set("indexname", Name(index.index.name))
                         .Set("indexdef", Text(catalog::IndexDefinition(table, index.index)))
                         .Take());
    }
  }
  return rows;
}

Rows GenStatActivity(const GenerateContext& c) {
  Rows rows;
  std::string user = c.functions->CurrentUser();
  uint32_t user_oid = sql::kBootstrapSuperuserOid;
  for (const RoleRow& role : c.roles) {
    if (role.name == user) user_oid = role.oid;
  }
  Result<std::optional<std::string>> application =
      c.functions->GetSetting("application_name", true);
  rows.push_back(
      RowBuilder(*c.def)
          .Set("datid", Oid(kDatabaseOid))
          .Set("datname", Name(kDatabaseName))
          .Set("pid", Int4(c.functions->BackendPid()))
          .Set("usesysid", Oid(user_oid))
          .Set("usename", Name(user))
          .Set("application_name", Text(application.ok() && *application ? **application : ""))
          .Set("state", Text("active"))
          .Set("backend_type", Text("client backend"))
          .Take());
  return rows;
}

// information_schema

Rows GenSchemata(const GenerateContext& c) {
  Rows rows;
  for (auto [name, owner] : {std::pair<const char*, uint32_t>{"information_schema", 10},
                             {"pg_catalog", 10},
                             {"public", kDatabaseOwnerRoleOid}}) {
    rows.push_back(RowBuilder(*c.def)
                       .Set("catalog_name", Name(kDatabaseName))
                       .Set("schema_name", Name(name))
                       .Set("schema_owner", Name(RoleNameOf(c, owner)))
                       .Take());
  }
  return rows;
}

Rows GenInfoTables(const GenerateContext& c) {
  Rows rows;
  auto add = [&](std::string_view schema, std::string_view name, bool view) {
    rows.push_back(RowBuilder(*c.def)
                       .Set("table_catalog", Name(kDatabaseName))
                       .Set("table_schema", Name(schema))
                       .Set("table_name", Name(name))
                       .Set("table_type", Varchar(view ? "VIEW" : "BASE TABLE"))
                       .Set("is_insertable_into", YesNo(!view))
                       .Set("is_typed", YesNo(false))
                       .Take());
  };
  for (const catalog::TableDescriptor& table : *c.tables) add(table.schema, table.name, false);
  for (const catalog::ViewDescriptor& view : c.views) add(view.schema, view.name, true);
  for (const RelationDef& def : Relations()) add(def.schema, def.name, def.kind == 'v');
  return rows;
}

// pg_views.definition and information_schema.views.view_definition: the query as written
// (PostgreSQL prints pg_get_viewdef's deparsed form), framed like PostgreSQL's (" ...;").
std::string ViewDefinitionText(const catalog::ViewDescriptor& view) {
  return fmt::format(" {};", view.query);
}

Rows GenViews(const GenerateContext& c) {
  Rows rows;
  for (const catalog::ViewDescriptor& view : c.views) {
    rows.push_back(RowBuilder(*c.def)
                       .Set("schemaname", Name(view.schema))
                       .Set("viewname", Name(view.name))
                       .Set("viewowner", Name(RoleNameOf(c, view.owner)))
                       .Set("definition", Text(ViewDefinitionText(view)))
                       .Take());
  }
  return rows;
}

// information_schema.table_privileges over user tables and views (qp/roles.h): one row per
// ACL item and privilege, shown when the current user has the privileges of its grantor or
// grantee or the grantee is PUBLIC, as PostgreSQL's view does.
Rows GenTablePrivileges(const GenerateContext& c) {
  Rows rows;
  const AccessControl* access = c.session != nullptr ? c.session->access : nullptr;
  if (access == nullptr || !access->enabled()) return rows;
  auto snapshot = access->Snapshot();
  uint32_t me = access->current_oid();
  bool superuser = access->current_is_superuser();
  auto visible = [&](uint32_t role) {
    return superuser || (me != kUnknownRoleOid && snapshot->IsMemberOf(me, role, true));
  };
  auto add = [&](const std::string& schema, const std::string& name, uint32_t owner,
                 const std::optional<catalog::Acl>& acl) {
    const catalog::Acl& items = acl ? *acl : catalog::DefaultAcl(catalog::AclObject::kTable, owner);
    for (const catalog::AclItem& item : items) {
      bool is_public = item.grantee == catalog::kPublicGrantee;
      if (!is_public && !visible(item.grantee) && !visible(item.grantor)) continue;
      for (uint32_t bit = 1; bit <= catalog::kAclTrigger; bit <<= 1) {
        if ((item.privileges & bit) == 0) continue;
        bool grantee_owns = !is_public && snapshot->IsMemberOf(item.grantee, owner, true);
        rows.push_back(RowBuilder(*c.def)
                           .Set("grantor", Name(RoleNameOf(c, item.grantor)))
                           .Set("grantee", Name(is_public ? "PUBLIC" : RoleNameOf(c, item.grantee)))
                           .Set("table_catalog", Name(kDatabaseName))
                           .Set("table_schema", Name(schema))
                           .Set("table_name", Name(name))
                           .Set("privilege_type", Varchar(catalog::PrivilegeKeyword(bit)))
                           .Set("is_grantable", YesNo(grantee_owns))
                           .Set("with_hierarchy", YesNo(bit == catalog::kAclSelect))
                           .Take());
      }
    }
  };
  for (const catalog::TableDescriptor& table : *c.tables) {
    add(table.schema, table.name, table.owner, table.acl);
  }
  for (const catalog::ViewDescriptor& view : c.views)
    add(view.schema, view.name, view.owner, view.acl);
  return rows;
}

Rows GenInfoViews(const GenerateContext& c) {
  Rows rows;
  auto add = [&](std::string_view schema, std::string_view name,
                 std::optional<std::string> definition) {
    RowBuilder row(*c.def);
    row.Set("table_catalog", Name(kDatabaseName))
        .Set("table_schema", Name(schema))
        .Set("table_name", Name(name))
        .Set("check_option", Varchar("NONE"))
        .Set("is_updatable", YesNo(false))
        .Set("is_insertable_into", YesNo(false))
        .Set("is_trigger_updatable", YesNo(false))
        .Set("is_trigger_deletable", YesNo(false))
        .Set("is_trigger_insertable_into", YesNo(false));
    if (definition) row.Set("view_definition", Varchar(*definition));
    rows.push_back(row.Take());
  };
  for (const catalog::ViewDescriptor& view : c.views) {
    add(view.schema, view.name, ViewDefinitionText(view));
  }
  for (const RelationDef& def : Relations()) {
    if (def.kind == 'v') add(def.schema, def.name, std::nullopt);
  }
  return rows;
}

void AddColumnFacts(RowBuilder& row, TypeId type, int32_t typmod) {
  const sql::TypeInfo& info = sql::GetTypeInfo(type);
  std::string data_type = sql::IsArrayType(type) ? "ARRAY" : std::string(info.display_name);
  row.Set("data_type", Varchar(data_type))
      .Set("udt_catalog", Name(kDatabaseName))
      .Set("udt_schema", Name("pg_catalog"))
      .Set("udt_name", Name(info.name));
  switch (type) {
    case T::kInt2:
    case T::kInt4:
    case T::kInt8:
      row.Set("numeric_precision", Int4(type == T::kInt2   ? 16
                                        : type == T::kInt4 ? 32
                                                           : 64))
          .Set("numeric_precision_radix", Int4(2))
          .Set("numeric_scale", Int4(0));
      break;
    case T::kFloat4:
    case T::kFloat8:
      row.Set("numeric_precision", Int4(type == T::kFloat4 ? 24 : 53))
          .Set("numeric_precision_radix", Int4(2));
      break;
    case T::kNumeric:
      row.Set("numeric_precision_radix", Int4(10));
      if (typmod >= 4) {
        row.Set("numeric_precision", Int4(sql::NumericTypmodPrecision(typmod)))
            .Set("numeric_scale", Int4(sql::NumericTypmodScale(typmod)));
      }
      break;
    case T::kDate:
      row.Set("datetime_precision", Int4(0));
      break;
    case T::kTime:
    case T::kTimestamp:
    case T::kTimestampTz:
      row.Set("datetime_precision", Int4(typmod < 0 ? 6 : typmod));
      break;
    case T::kInterval:  // PostgreSQL's _pg_datetime_precision: the low 16 bits are precision
      row.Set("datetime_precision",
              Int4(typmod < 0 || (typmod & 0xFFFF) == 0xFFFF ? 6 : typmod & 0xFFFF));
      break;
    case T::kVarchar:
    case T::kBpchar:
    case T::kText:
      if (typmod >= 4) {
        row.Set("character_maximum_length", Int4(typmod - 4))
            .Set("character_octet_length", Int4((typmod - 4) * 4));
      } else {
        row.Set("character_octet_length", Int4(1073741824));
      }
      break;
    default:
      break;
  }
}

Rows GenColumns(const GenerateContext& c) {
  Rows rows;
  auto base = [&](std::string_view schema, std::string_view table, std::string_view column,
                  int position, bool nullable) {
    RowBuilder row(*c.def);
    row.Set("table_catalog", Name(kDatabaseName))
        .Set("table_schema", Name(schema))
        .Set("table_name", Name(table))
        .Set("column_name", Name(column))
        .Set("ordinal_position", Int4(position))
        .Set("is_nullable", YesNo(nullable))
        .Set("dtd_identifier", Name(std::to_string(position)))
        .Set("is_self_referencing", YesNo(false))
        .Set("is_identity", YesNo(false))
        .Set("is_generated", Varchar("NEVER"))
        .Set("is_updatable", YesNo(true));
    return row;
  };
  for (const catalog::TableDescriptor& table : *c.tables) {
    for (const auto& [attnum, column] : VisibleColumns(table)) {
      RowBuilder row = base(table.schema, table.name, column->name, attnum,
                            !column->not_null && !table.IsKeyColumn(column->id));
      AddColumnFacts(row, ColumnType(*column), column->typmod);
      if (HasDefault(*column)) row.Set("column_default", Varchar(DefaultExpression(*column)));
      if (column->identity != 0) {
        row.Set("is_identity", YesNo(true))
            .Set("identity_generation", Varchar(column->identity == 'a' ? "ALWAYS" : "BY DEFAULT"));
      }
      rows.push_back(row.Take());
    }
  }
  for (const catalog::ViewDescriptor& view : c.views) {
    for (size_t i = 0; i < view.columns.size(); ++i) {
      RowBuilder row =
          base(view.schema, view.name, view.columns[i].name, static_cast<int>(i) + 1, true);
      row.Set("is_updatable", YesNo(false));
      AddColumnFacts(row, sql::TypeFromOid(view.columns[i].type_oid).value_or(T::kText),
                     view.columns[i].typmod);
      rows.push_back(row.Take());
    }
  }
  for (const RelationDef& def : Relations()) {
    for (size_t i = 0; i < def.columns.size(); ++i) {
      RowBuilder row =
          base(def.schema, def.name, def.columns[i].name, static_cast<int>(i) + 1, true);
      row.Set("is_updatable", YesNo(false));
      AddColumnFacts(row, def.columns[i].type, -1);
      rows.push_back(row.Take());
    }
  }
  return rows;
}

Rows GenTableConstraints(const GenerateContext& c) {
  Rows rows;
  auto add = [&](const catalog::TableDescriptor& table, std::string_view name,
                 std::string_view type) {
    rows.push_back(
        RowBuilder(*c.def)
            .Set("constraint_catalog", Name(kDatabaseName))
            .Set("constraint_schema", Name(table.schema))
            .Set("constraint_name", Name(name))
            .Set("table_catalog", Name(kDatabaseName))
            .Set("table_schema", Name(table.schema))
            .Set("table_name", Name(table.name))
            .Set("constraint_type", Varchar(type))
            .Set("is_deferrable", YesNo(false))
            .Set("initially_deferred", YesNo(false))
            .Set("enforced", YesNo(true))
            .Set("nulls_distinct", type == "UNIQUE" ? YesNo(true) : Value::Null(T::kVarchar))
            .Take());
  };
  for (const catalog::TableDescriptor& table : *c.tables) {
    for (const IndexView& index : Indexes(table)) {
      if (index.primary) add(table, index.index.name, "PRIMARY KEY");
      if (!index.primary && index.index.constraint) add(table, index.index.name, "UNIQUE");
    }
    for (const catalog::CheckConstraint& check : table.checks) add(table, check.name, "CHECK");
    // PostgreSQL 15 lists NOT NULL columns as CHECK constraints named <ns>_<rel>_<n>_not_null.
    for (const auto& [attnum, column] : VisibleColumns(table)) {
      if (!column->not_null && !table.IsKeyColumn(column->id)) continue;
      add(table,
          fmt::format("{}_{}_{}_not_null", NamespaceOf(table.schema), TableOid(table.id), attnum),
          "CHECK");
    }
  }
  return rows;
}

Rows GenKeyColumnUsage(const GenerateContext& c) {
  Rows rows;
  for (const catalog::TableDescriptor& table : *c.tables) {
    for (const IndexView& index : Indexes(table)) {
      if (!index.primary && !index.index.constraint) continue;
      int position = 0;
      for (const catalog::IndexColumn& key : index.index.columns) {
        const catalog::ColumnDescriptor* column = table.FindColumnById(key.column_id);
        if (column == nullptr) continue;
        rows.push_back(RowBuilder(*c.def)
                           .Set("constraint_catalog", Name(kDatabaseName))
                           .Set("constraint_schema", Name(table.schema))
                           .Set("constraint_name", Name(index.index.name))
                           .Set("table_catalog", Name(kDatabaseName))
                           .Set("table_schema", Name(table.schema))
                           .Set("table_name", Name(table.name))
                           .Set("column_name", Name(column->name))
                           .Set("ordinal_position", Int4(++position))
                           .Take());
      }
    }
  }
  return rows;
}

Rows GenEmpty(const GenerateContext&) { return {}; }

using Generator = Rows (*)(const GenerateContext&);

Generator GeneratorFor(const RelationDef& def) {
  static const std::map<std::pair<std::string_view, std::string_view>, Generator>* const kByName =
      new std::map<std::pair<std::string_view, std::string_view>, Generator>{
          {{"pg_catalog", "pg_namespace"}, GenNamespace},
          {{"pg_catalog", "pg_class"}, GenClass},
          {{"pg_catalog", "pg_attribute"}, GenAttribute},
          {{"pg_catalog", "pg_type"}, GenType},
          {{"pg_catalog", "pg_index"}, GenIndex},
          {{"pg_catalog", "pg_constraint"}, GenConstraint},
          {{"pg_catalog", "pg_attrdef"}, GenAttrdef},
          {{"pg_catalog", "pg_am"}, GenAm},
          {{"pg_catalog", "pg_database"}, GenDatabase},
          {{"pg_catalog", "pg_roles"}, GenRoles},
          {{"pg_catalog", "pg_authid"}, GenRoles},
          {{"pg_catalog", "pg_user"}, GenUser},
          {{"pg_catalog", "pg_auth_members"}, GenAuthMembers},
          {{"pg_catalog", "pg_tablespace"}, GenTablespace},
          {{"pg_catalog", "pg_settings"}, GenSettings},
          {{"pg_catalog", "pg_collation"}, GenCollation},
          {{"pg_catalog", "pg_tables"}, GenTables},
          {{"pg_catalog", "pg_indexes"}, GenIndexes},
          {{"pg_catalog", "pg_stat_activity"}, GenStatActivity},
          {{"information_schema", "schemata"}, GenSchemata},
          {{"information_schema", "tables"}, GenInfoTables},
          {{"information_schema", "columns"}, GenColumns},
          {{"information_schema", "table_constraints"}, GenTableConstraints},
          {{"information_schema", "key_column_usage"}, GenKeyColumnUsage},
          {{"information_schema", "sequences"}, GenInfoSequences},
          {{"pg_catalog", "pg_sequence"}, GenSequence},
          {{"pg_catalog", "pg_sequences"}, GenSequences},
          {{"pg_catalog", "pg_views"}, GenViews},
          {{"information_schema", "views"}, GenInfoViews},
          {{"information_schema", "table_privileges"}, GenTablePrivileges},
      };
  auto it = kByName->find({def.schema, def.name});
  return it == kByName->end() ? GenEmpty : it->second;
}

class SystemRelation : public sql::planner::VirtualTable {
 public:
  explicit SystemRelation(const RelationDef& def) : def_(def) {}

  Result<std::vector<std::vector<Value>>> Rows(txn::KvTransaction& txn,
                                               sql::EvalContext& eval) const override {
    sql::FunctionContext& functions = *eval.functions;
    std::vector<catalog::TableDescriptor> tables;
    Generator generate = GeneratorFor(def_);
    if (generate != GenEmpty && generate != GenType && generate != GenAm &&
        generate != GenDatabase && generate != GenSettings) {
      ASSIGN_OR_RETURN(tables, LoadTables(txn));
    }
    GenerateContext context{&def_, &tables, {}, nullptr, &functions};
    if (generate == GenClass || generate == GenSequence || generate == GenSequences ||
        generate == GenInfoSequences) {
      ASSIGN_OR_RETURN(context.sequences, catalog::ListSequences(txn));
    }
    if (generate == GenClass || generate == GenAttribute || generate == GenInfoTables ||
        generate == GenColumns || generate == GenViews || generate == GenInfoViews ||
        generate == GenTablePrivileges) {
      ASSIGN_OR_RETURN(context.views, catalog::ListViews(txn));
    }
    if (generate == GenSequences) {
      for (const catalog::SequenceDescriptor& sequence : context.sequences) {
        ASSIGN_OR_RETURN(std::optional<catalog::SequenceState> state,
                         catalog::ReadSequenceState(txn, sequence.id));
        if (state) context.sequence_states[sequence.id] = *state;
      }
    }
    auto* session = dynamic_cast<SessionCatalog*>(functions.catalog());
    if (session != nullptr) context.session = &session->info();
    context.roles =
        session != nullptr ? Roles(session->info()) : Roles(functions.CurrentUser(), false);
    // qp/roles.h: pg_authid holds what only superusers may read.
    if (def_.name == "pg_authid" && session != nullptr && session->info().access != nullptr &&
        !session->info().access->current_is_superuser()) {
      return Status::Sql("42501", "permission denied for table pg_authid");
    }
    return generate(context);
  }

 private:
  const RelationDef& def_;
};

}  // namespace

uint32_t TableOid(uint32_t table_id) {
  BOREALIS_CHECK_LE(catalog::kFirstUserTableId, table_id);
  return kFirstUserOid + (table_id - catalog::kFirstUserTableId) * kOidsPerTable;
}

std::optional<std::pair<uint32_t, uint32_t>> SplitUserOid(uint32_t oid) {
  if (oid < kFirstUserOid) return std::nullopt;
  uint32_t offset = oid - kFirstUserOid;
  return std::make_pair(catalog::kFirstUserTableId + offset / kOidsPerTable,
                        offset % kOidsPerTable);
}

std::unique_ptr<sql::planner::TableInfo> ResolveSystemTable(const sql::TableRef& ref) {
  std::string_view schema = ref.schema.empty() ? std::string_view("pg_catalog") : ref.schema;
  const RelationDef* def = FindRelation(schema, ref.name);
  if (def == nullptr) return nullptr;
  auto descriptor = std::make_shared<catalog::TableDescriptor>();
  descriptor->schema = std::string(def->schema);
  descriptor->name = std::string(def->name);
  auto info = std::make_unique<sql::planner::TableInfo>();
  info->scope.table_name = ref.alias.value_or(ref.name);
  for (size_t i = 0; i < def->columns.size(); ++i) {
    const ColumnDef& column = def->columns[i];
    catalog::ColumnDescriptor column_descriptor;
    column_descriptor.id = static_cast<uint32_t>(i) + 1;
    column_descriptor.name = std::string(column.name);
    column_descriptor.type_oid = static_cast<uint32_t>(column.type);
    descriptor->columns.push_back(std::move(column_descriptor));
    info->scope.columns.push_back(
        sql::ScopeColumn{std::string(column.name), column.type, false, info->scope.table_name});
    info->column_types.push_back(encoding::ColumnType::kText);  // never encoded
  }
  descriptor->next_column_id = static_cast<uint32_t>(def->columns.size()) + 1;
  info->descriptor = std::move(descriptor);
  info->virtual_table = std::make_shared<SystemRelation>(*def);
  return info;
}

// SessionCatalog

void SessionCatalog::CheckEpoch() {
  uint64_t epoch = epoch_();
  if (epoch != cache_epoch_ ||
      oid_by_name_.size() + name_by_oid_.size() > kMaxCachedRelationLookups) {
    oid_by_name_.clear();
    name_by_oid_.clear();
    cache_epoch_ = epoch;
  }
}

Result<std::optional<uint32_t>> SessionCatalog::RelationOid(std::string_view schema,
                                                            std::string_view name) {
  // The transaction first: the epoch changes when it begins.
  RETURN_IF_ERROR(txn_().status());
  CheckEpoch();
  auto key = std::make_pair(std::string(schema), std::string(name));
  auto it = oid_by_name_.find(key);
  if (it != oid_by_name_.end()) return it->second;
  ASSIGN_OR_RETURN(std::optional<uint32_t> oid, LookupRelationOid(schema, name));
  oid_by_name_.emplace(std::move(key), oid);
  return oid;
}

Result<std::optional<std::string>> SessionCatalog::RelationName(uint32_t oid) {
  RETURN_IF_ERROR(txn_().status());
  CheckEpoch();
  auto it = name_by_oid_.find(oid);
  if (it != name_by_oid_.end()) return it->second;
  ASSIGN_OR_RETURN(std::optional<std::string> name, LookupRelationName(oid));
  name_by_oid_.emplace(oid, name);
  return name;
}

Result<std::optional<uint32_t>> SessionCatalog::LookupRelationOid(std::string_view schema,
                                                                  std::string_view name) {
  if (schema.empty() || schema == "pg_catalog" || schema == "information_schema") {
    const RelationDef* def =
        FindRelation(schema.empty() ? std::string_view("pg_catalog") : schema, name);
    if (def != nullptr) return std::optional<uint32_t>(def->oid);
    if (!schema.empty()) return std::optional<uint32_t>();
  }
  ASSIGN_OR_RETURN(txn::KvTransaction * txn, txn_());
  // The session's temporary schema first (qp/temp_tables.h), then public.
  std::string resolved = "public";
  std::optional<std::string> row;
  if (!schema.empty() && schema != "public") {
    std::optional<std::string> qualifier = ResolveSchemaQualifier(*txn, schema);
    if (!qualifier || !IsTempSchemaName(*qualifier)) return std::optional<uint32_t>();
    resolved = *qualifier;
    ASSIGN_OR_RETURN(row, txn->Get(catalog::NameKey(resolved, name)));
  } else {
    std::string_view temp = TempSchemaOf(*txn);
    if (!temp.empty()) {
      ASSIGN_OR_RETURN(row, txn->Get(catalog::NameKey(temp, name)));
      if (row) resolved = std::string(temp);
    }
    if (!row) {
      ASSIGN_OR_RETURN(row, txn->Get(catalog::NameKey("public", name)));
    }
  }
  if (!row) return std::optional<uint32_t>();
  // The name row is {1: table id[, 2: index id]} (catalog/descriptor.h); a table's is one
  // int8, an index's is resolved by looking through the tables.
  Result<int64_t> id = catalog::DecodeInt(*row);
  ASSIGN_OR_RETURN(bool is_sequence, catalog::IsSequenceNameRow(*row));
  ASSIGN_OR_RETURN(bool is_view, catalog::IsViewNameRow(*row));
  is_sequence = is_sequence || is_view;  // both are named by their id alone
  if (is_sequence && id.ok() && *id >= catalog::kFirstUserTableId && *id <= UINT32_MAX) {
    return std::optional<uint32_t>(TableOid(static_cast<uint32_t>(*id)));
  }
  std::vector<catalog::TableDescriptor> tables;
  if (id.ok() && *id >= catalog::kFirstUserTableId && *id <= UINT32_MAX) {
    ASSIGN_OR_RETURN(std::optional<catalog::TableDescriptor> table,
                     LoadTable(*txn, static_cast<uint32_t>(*id)));
    if (table) tables.push_back(std::move(*table));
  } else {
    ASSIGN_OR_RETURN(tables, LoadTables(*txn));
  }
  for (const catalog::TableDescriptor& table : tables) {
    uint32_t oid = TableOid(table.id);
    if (table.name == name && table.schema == resolved) return std::optional<uint32_t>(oid);
    for (const IndexView& index : Indexes(table)) {
      if (index.index.name == name) return std::optional<uint32_t>(oid + index.index.id);
    }
  }
  return std::optional<uint32_t>();
}

Result<std::optional<std::string>> SessionCatalog::LookupRelationName(uint32_t oid) {
  if (const RelationDef* def = FindRelationByOid(oid)) {
    std::string name(def->name);
    if (def->schema != "pg_catalog") name = fmt::format("{}.{}", def->schema, def->name);
    return std::optional<std::string>(name);
  }
  std::optional<std::pair<uint32_t, uint32_t>> split = SplitUserOid(oid);
  if (!split) return std::optional<std::string>();
  ASSIGN_OR_RETURN(txn::KvTransaction * txn, txn_());
  ASSIGN_OR_RETURN(std::optional<catalog::TableDescriptor> table, LoadTable(*txn, split->first));
  if (!table && split->second == 0) {
    ASSIGN_OR_RETURN(std::optional<catalog::SequenceDescriptor> sequence,
                     catalog::ReadSequence(*txn, split->first));
    if (sequence) return std::optional<std::string>(sequence->name);
    ASSIGN_OR_RETURN(std::optional<catalog::ViewDescriptor> view,
                     catalog::ReadView(*txn, split->first));
    if (view) return std::optional<std::string>(view->name);
  }
  if (!table) return std::optional<std::string>();
  if (split->second == 0) return std::optional<std::string>(table->name);
  for (const IndexView& index : Indexes(*table)) {
    if (index.index.id == split->second) return std::optional<std::string>(index.index.name);
  }
  return std::optional<std::string>();
}

namespace {

// has_*_privilege's privilege list: comma-separated keywords, any case, each optionally
// followed by WITH GRANT OPTION (never held here: grant options are not supported).
Result<std::vector<std::pair<std::string, bool>>> PrivilegeWords(std::string_view text) {
  std::vector<std::pair<std::string, bool>> words;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    std::string_view item =
        text.substr(start, comma == std::string_view::npos ? text.npos : comma - start);
    std::string lower;
    for (char ch : item) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    size_t first = lower.find_first_not_of(" \t\n");
    size_t last = lower.find_last_not_of(" \t\n");
    lower = first == std::string::npos ? "" : lower.substr(first, last - first + 1);
    bool grant_option = false;
    constexpr std::string_view kSuffix = " with grant option";
    if (lower.size() > kSuffix.size() &&
        lower.compare(lower.size() - kSuffix.size(), kSuffix.size(), kSuffix) == 0) {
      grant_option = true;
      lower.resize(lower.size() - kSuffix.size());
    }
    if (words.size() >= 32) return Status::Sql("54000", "too many privileges");
    words.emplace_back(std::move(lower), grant_option);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return words;
}

Status UnrecognizedPrivilege(std::string_view word) {
  return Status::Sql("22023", fmt::format("unrecognized privilege type: \"{}\"", word));
}

}  // namespace

Result<std::optional<bool>> SessionCatalog::HasPrivilege(char object_kind,
                                                         std::optional<std::string> user,
                                                         std::optional<std::string> object_name,
                                                         uint32_t object_oid,
                                                         std::string_view privileges) {
  const AccessControl* access = info_.access;
  ASSIGN_OR_RETURN(auto words, PrivilegeWords(privileges));
  if (access == nullptr || !access->enabled()) return std::optional<bool>(true);
  auto snapshot = access->Snapshot();
  uint32_t role_oid = access->current_oid();
  if (user) {
    const auth::Role* role = snapshot->Find(*user);
    if (role == nullptr)
      return Status::Sql("42704", fmt::format("role \"{}\" does not exist", *user));
    role_oid = role->oid;
  }
  const auth::Role* role = snapshot->FindOid(role_oid);
  bool superuser = role != nullptr && role->superuser;
  if (object_kind == 'r') {  // pg_has_role
    const auth::Role* target = object_name ? snapshot->Find(*object_name) : nullptr;
    if (target == nullptr) {
      return Status::Sql("42704",
                         fmt::format("role \"{}\" does not exist", object_name.value_or("")));
    }
    bool held = false;
    for (const auto& [word, grant_option] : words) {
      if (word != "member" && word != "usage") return UnrecognizedPrivilege(word);
      if (grant_option) continue;
      held |= superuser || snapshot->IsMemberOf(role_oid, target->oid, word == "usage");
    }
    return std::optional<bool>(held);
  }
  catalog::AclObject object =
      object_kind == 'S' ? catalog::AclObject::kSequence : catalog::AclObject::kTable;
  // Table privileges on sequences are accepted by PostgreSQL's has_table_privilege.
  uint32_t wanted = 0;
  for (const auto& [word, grant_option] : words) {
    std::optional<uint32_t> bits = catalog::PrivilegeBits(object, word);
    if (!bits && object == catalog::AclObject::kTable && word == "usage") bits = 0;
    if (!bits || word == "all") return UnrecognizedPrivilege(word);
    if (!grant_option) wanted |= *bits;
  }
  uint32_t oid = object_oid;
  std::string shown = object_name.value_or("");
  if (object_name) {
    std::string schema;
    std::string name = *object_name;
    size_t dot = name.find('.');
    if (dot != std::string::npos) {
      schema = name.substr(0, dot);
      name = name.substr(dot + 1);
    }
    ASSIGN_OR_RETURN(std::optional<uint32_t> found, RelationOid(schema, name));
    if (!found) {
      return Status::Sql("42P01", fmt::format("relation \"{}\" does not exist", *object_name));
    }
    oid = *found;
  }
  std::optional<std::pair<uint32_t, uint32_t>> split = SplitUserOid(oid);
  if (!split) {
    // A system catalog: PostgreSQL grants SELECT on them to PUBLIC.
    if (!object_name) {
      ASSIGN_OR_RETURN(std::optional<std::string> known, RelationName(oid));
      if (!known) return std::optional<bool>();
    }
    return std::optional<bool>(superuser || (wanted & catalog::kAclSelect) != 0);
  }
  ASSIGN_OR_RETURN(txn::KvTransaction * txn, txn_());
  uint32_t owner = catalog::kBootstrapOwnerOid;
  std::optional<catalog::Acl> acl;
  bool is_sequence = false;
  ASSIGN_OR_RETURN(std::optional<std::string> bytes,
                   txn->Get(catalog::DescriptorKey(split->first)));
  if (bytes) {
    ASSIGN_OR_RETURN(catalog::TableDescriptor table, catalog::DecodeDescriptor(*bytes));
    owner = table.owner;
    acl = table.acl;
    shown = table.name;
  } else {
    ASSIGN_OR_RETURN(std::optional<catalog::ViewDescriptor> view,
                     catalog::ReadView(*txn, split->first));
    ASSIGN_OR_RETURN(std::optional<catalog::SequenceDescriptor> sequence,
                     catalog::ReadSequence(*txn, split->first));
    if (view) {
      owner = view->owner;
      acl = view->acl;
      shown = view->name;
    } else if (sequence) {
      owner = sequence->owner;
      acl = sequence->acl;
      shown = sequence->name;
      is_sequence = true;
    } else {
      return std::optional<bool>();
    }
  }
  if (object == catalog::AclObject::kSequence && !is_sequence) {
    return Status::Sql("42809", fmt::format("\"{}\" is not a sequence", shown));
  }
  catalog::AclObject stored =
      is_sequence ? catalog::AclObject::kSequence : catalog::AclObject::kTable;
  for (uint32_t bit = 1; bit != 0 && bit <= wanted; bit <<= 1) {
    if ((wanted & bit) && access->RoleHolds(role_oid, stored, owner, acl, bit)) {
      return std::optional<bool>(true);
    }
  }
  return std::optional<bool>(false);
}

Result<std::optional<std::string>> SessionCatalog::ViewDefinition(uint32_t oid) {
  std::optional<std::pair<uint32_t, uint32_t>> split = SplitUserOid(oid);
  if (!split || split->second != 0) return std::optional<std::string>();
  ASSIGN_OR_RETURN(txn::KvTransaction * txn, txn_());
  ASSIGN_OR_RETURN(std::optional<catalog::ViewDescriptor> view,
                   catalog::ReadView(*txn, split->first));
  if (!view) return std::optional<std::string>();
  return std::optional<std::string>(ViewDefinitionText(*view));
}

Result<bool> SessionCatalog::RelationVisible(uint32_t oid) {
  if (const RelationDef* def = FindRelationByOid(oid)) return def->schema == "pg_catalog";
  ASSIGN_OR_RETURN(std::optional<std::string> name, RelationName(oid));
  if (!name) return false;
  // Temporary schemas (qp/temp_tables.h): another session's tables are never visible, and the
  // session's own temporary table hides a public relation of the same name.
  std::optional<std::pair<uint32_t, uint32_t>> split = SplitUserOid(oid);
  if (!split) return true;
  ASSIGN_OR_RETURN(txn::KvTransaction * txn, txn_());
  ASSIGN_OR_RETURN(std::optional<catalog::TableDescriptor> table, LoadTable(*txn, split->first));
  if (!table) return true;  // a sequence
  std::string_view temp = TempSchemaOf(*txn);
  if (IsTempSchemaName(table->schema)) return table->schema == temp;
  if (temp.empty()) return true;
  ASSIGN_OR_RETURN(std::optional<std::string> shadow, txn->Get(catalog::NameKey(temp, *name)));
  return !shadow.has_value();
}

Result<std::optional<std::string>> SessionCatalog::IndexDefinition(uint32_t oid) {
  std::optional<std::pair<uint32_t, uint32_t>> split = SplitUserOid(oid);
  if (!split || split->second == 0) return std::optional<std::string>();
  ASSIGN_OR_RETURN(txn::KvTransaction * txn, txn_());
  ASSIGN_OR_RETURN(std::optional<catalog::TableDescriptor> table, LoadTable(*txn, split->first));
  if (!table) return std::optional<std::string>();
  for (const IndexView& index : Indexes(*table)) {
    if (index.index.id == split->second) {
      return std::optional<std::string>(catalog::IndexDefinition(*table, index.index));
    }
  }
  return std::optional<std::string>();
}

Result<std::optional<std::string>> SessionCatalog::ConstraintDefinition(uint32_t oid) {
  std::optional<std::pair<uint32_t, uint32_t>> split = SplitUserOid(oid);
  if (!split || split->second == 0) return std::optional<std::string>();
  ASSIGN_OR_RETURN(txn::KvTransaction * txn, txn_());
  ASSIGN_OR_RETURN(std::optional<catalog::TableDescriptor> table, LoadTable(*txn, split->first));
  if (!table) return std::optional<std::string>();
  if (split->second >= kCheckOidOffset) {
    size_t k = split->second - kCheckOidOffset;
    if (k >= table->checks.size()) return std::optional<std::string>();
    return std::optional<std::string>(CheckDefinition(table->checks[k]));
  }
  for (const IndexView& index : Indexes(*table)) {
    if (index.index.id != split->second) continue;
    if (!index.primary && !index.index.constraint) break;
    return std::optional<std::string>(fmt::format("{} ({})",
                                                  index.primary ? "PRIMARY KEY" : "UNIQUE",
                                                  ColumnList(*table, index.index.columns)));
  }
  return std::optional<std::string>();
}

Result<std::optional<std::string>> SessionCatalog::SerialSequence(std::string_view table_name,
                                                                  std::string_view column_name) {
  // The table argument is regclass text (may be qualified and quoted); the column's name is an
  // identifier as written.
  std::string name(table_name);
  std::string schema = "public";
  size_t dot = name.find('.');
  if (dot != std::string::npos && name.front() != '"') {
    schema = name.substr(0, dot);
    name = name.substr(dot + 1);
  }
  if (name.size() >= 2 && name.front() == '"' && name.back() == '"') {
    name = name.substr(1, name.size() - 2);
  } else {
    for (char& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  }
  ASSIGN_OR_RETURN(txn::KvTransaction * txn, txn_());
  std::optional<catalog::TableDescriptor> table;
  if (schema == "public") {
    ASSIGN_OR_RETURN(std::optional<std::string> row, txn->Get(catalog::NameKey("public", name)));
    if (row) {
      ASSIGN_OR_RETURN(int64_t id, catalog::DecodeInt(*row));
      if (id >= catalog::kFirstUserTableId && id <= UINT32_MAX) {
        ASSIGN_OR_RETURN(table, LoadTable(*txn, static_cast<uint32_t>(id)));
      }
    }
  }
  if (!table) {
    return Status::Sql("42P01", fmt::format("relation \"{}\" does not exist", table_name));
  }
  const catalog::ColumnDescriptor* column = table->FindColumn(column_name);
  if (column == nullptr || column->hidden) {
    return Status::Sql("42703", fmt::format("column \"{}\" of relation \"{}\" does not exist",
                                            column_name, table->name));
  }
  ASSIGN_OR_RETURN(std::vector<catalog::SequenceDescriptor> sequences,
                   catalog::ListSequences(*txn));
  for (const catalog::SequenceDescriptor& sequence : sequences) {
    if (sequence.owner_table_id == table->id && sequence.owner_column_id == column->id) {
      return std::optional<std::string>(fmt::format("{}.{}", sequence.schema, sequence.name));
    }
  }
  return std::optional<std::string>();
}

Result<std::optional<std::string>> SessionCatalog::RoleName(uint32_t oid) {
  for (const RoleRow& role : Roles(info_)) {
    if (role.oid == oid) return std::optional<std::string>(role.name);
  }
  return std::optional<std::string>();
}

Result<std::optional<uint32_t>> SessionCatalog::RoleOid(std::string_view name) {
  for (const RoleRow& role : Roles(info_)) {
    if (role.name == name) return std::optional<uint32_t>(role.oid);
  }
  return std::optional<uint32_t>();
}

}  // namespace borealis::qp
