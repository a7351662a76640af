#include "qp/settings.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>

#include "fmt/format.h"

namespace borealis::qp {

using Normalizer = Result<std::string> (*)(const SettingDef& def, std::string_view value);

struct SettingDef {
  std::string_view name;  // canonical spelling
  std::string_view default_value;
  std::string_view description;
  Normalizer normalize = nullptr;  // null: read-only
  bool report = false;             // GUC_REPORT
  // Numeric parameters (Integer, Memory, Real): the valid range, in the value's unit.
  double min = 0;
  double max = 0;
  // Memory parameters: kB per unit of the value (1 for kB, 8 for 8kB blocks).
  int unit_kb = 1;
  // Enum parameters: the accepted values, comma-separated, as PostgreSQL's hint lists them.
  std::string_view choices;
};

namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

Status InvalidValue(const SettingDef& def, std::string_view value) {
  return Status::Sql("22023",
                     fmt::format("invalid value for parameter \"{}\": \"{}\"", def.name, value));
}

Result<std::string> AnyString(const SettingDef&, std::string_view value) {
  return std::string(value);
}

Result<std::string> Boolean(const SettingDef& def, std::string_view value) {
  std::string v = Lower(value);
  if (v == "on" || v == "true" || v == "yes" || v == "1" || v == "t" || v == "y")
    return std::string("on");
  if (v == "off" || v == "false" || v == "no" || v == "0" || v == "f" || v == "n" || v == "of") {
    return std::string("off");
  }
  return Status::Sql("22023", fmt::format("parameter \"{}\" requires a Boolean value", def.name));
}

Result<std::string> ExtraFloatDigits(const SettingDef& def, std::string_view value) {
  std::string v(value);
  char* end = nullptr;
  long n = std::strtol(v.c_str(), &end, 10);
  if (v.empty() || *end != '\0') return InvalidValue(def, value);
  if (n < -15 || n > 3) {
    return Status::Sql("22023", fmt::format("{} is outside the valid range for parameter \"{}\" "
                                            "(-15 .. 3)",
                                            n, def.name));
  }
  return std::to_string(n);
}

// Durations in milliseconds (statement_timeout, ...), printed as PostgreSQL does.
Result<std::string> Milliseconds(const SettingDef& def, std::string_view value) {
  std::string v(value);
  while (!v.empty() && v.back() == ' ') v.pop_back();
  char* end = nullptr;
  long long n = std::strtoll(v.c_str(), &end, 10);
  if (v.empty() || end == v.c_str()) return InvalidValue(def, value);
  std::string unit = Lower(std::string_view(end));
  while (!unit.empty() && unit.front() == ' ') unit.erase(0, 1);
  long long ms;
  if (unit.empty() || unit == "ms") {
    ms = n;
  } else if (unit == "s") {
    ms = n * 1000;
  } else if (unit == "min") {
    ms = n * 60000;
  } else if (unit == "h") {
    ms = n * 3600000;
  } else if (unit == "d") {
    ms = n * 86400000;
  } else {
    return Status::Sql("22023",
                       fmt::format("invalid value for parameter \"{}\": \"{}\"", def.name, value))
        .WithHint(
            "Valid units for this parameter are \"us\", \"ms\", \"s\", \"min\", \"h\", "
            "and \"d\".");
  }
  if (ms < 0 || ms > 2147483647) {
    return Status::Sql("22023", fmt::format("{} ms is outside the valid range for parameter "
                                            "\"{}\" (0 .. 2147483647)",
                                            ms, def.name));
  }
  if (ms == 0) return std::string("0");
  if (ms % 86400000 == 0) return fmt::format("{}d", ms / 86400000);
  if (ms % 3600000 == 0) return fmt::format("{}h", ms / 3600000);
  if (ms % 60000 == 0) return fmt::format("{}min", ms / 60000);
  if (ms % 1000 == 0) return fmt::format("{}s", ms / 1000);
  return fmt::format("{}ms", ms);
}

Result<std::string> ClientEncoding(const SettingDef& def, std::string_view value) {
  std::string v = Lower(value);
  std::erase(v, '-');
  std::erase(v, '_');
  if (v == "utf8" || v == "unicode") return std::string("UTF8");
  static constexpr std::string_view kKnown[] = {
      "sqlascii", "latin1", "latin9", "win1252", "win1251", "euc_jp", "sjis", "big5", "gbk"};
  for (std::string_view known : kKnown) {
    if (v == known) {
      return Status::Sql("0A000", fmt::format("client encoding \"{}\" is not supported", value))
          .WithHint("Borealis converses in UTF8 only.");
    }
  }
  return InvalidValue(def, value);
}

Result<std::string> DateStyle(const SettingDef& def, std::string_view value) {
  std::string style = "ISO";
  std::string order = "MDY";  // PostgreSQL keeps the current order when none is given: not yet
  bool have_order = false;
  std::string v = Lower(value);
  size_t start = 0;
  while (start <= v.size()) {
    size_t comma = v.find(',', start);
    std::string part =
        v.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    part.erase(0, part.find_first_not_of(' '));
    part.erase(part.find_last_not_of(' ') + 1);
    if (part == "iso") {
      style = "ISO";
    } else if (part == "sql") {
      style = "SQL";
    } else if (part == "postgres") {
      style = "Postgres";
    } else if (part == "german") {
      style = "German";
      if (!have_order) order = "DMY";  // as PostgreSQL: German implies DMY unless given
    } else if (part == "mdy" || part == "us" || part == "noneuropean") {
      order = "MDY";
      have_order = true;
    } else if (part == "dmy" || part == "euro" || part == "european") {
      order = "DMY";
      have_order = true;
    } else if (part == "ymd") {
      order = "YMD";
      have_order = true;
    } else if (!part.empty() && part != "default") {
      return InvalidValue(def, value);
    }
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return style + ", " + order;
}

Result<std::string> IntervalStyle(const SettingDef& def, std::string_view value) {
  std::string v = Lower(value);
  if (v == "postgres" || v == "postgres_verbose" || v == "sql_standard" || v == "iso_8601") {
    return v;
  }
  return InvalidValue(def, value);
}

Result<std::string> TimeZone(const SettingDef& def, std::string_view value) {
  std::string v = Lower(value);
  if (v == "utc" || v == "etc/utc" || v == "z" || v == "zulu" || v == "universal") {
    return std::string("UTC");
  }
  if (v == "gmt" || v == "etc/gmt") return std::string("GMT");
  if (value.empty()) return InvalidValue(def, value);
  // Without a time zone database yet, other names are kept as given.
  for (char c : value) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '/' && c != '_' && c != '+' &&
        c != '-' && c != ':') {
      return InvalidValue(def, value);
    }
  }
  return std::string(value);
}

// Borealis runs every transaction at snapshot isolation (REPEATABLE READ). Weaker requests are
// upgraded, as PostgreSQL upgrades READ UNCOMMITTED; SERIALIZABLE is refused rather than
// silently weakened.
Result<std::string> Isolation(const SettingDef& def, std::string_view value) {
  std::string v = Lower(value);
  if (v == "serializable") {
    return Status::Sql("0A000", "transaction isolation level SERIALIZABLE is not supported yet")
        .WithHint("Borealis runs transactions at REPEATABLE READ.");
  }
  if (v == "repeatable read" || v == "read committed" || v == "read uncommitted") return v;
  return InvalidValue(def, value);
}

Result<std::string> ByteaOutput(const SettingDef& def, std::string_view value) {
  std::string v = Lower(value);
  if (v == "hex" || v == "escape") return v;
  return InvalidValue(def, value);
}

Result<std::string> MessageLevel(const SettingDef& def, std::string_view value) {
  std::string v = Lower(value);
  static constexpr std::string_view kLevels[] = {"debug5",  "debug4", "debug3", "debug2",
                                                 "debug1",  "debug",  "log",    "notice",
                                                 "warning", "error",  "info"};
  for (std::string_view level : kLevels) {
    if (v == level) return v == "debug" ? std::string("debug2") : v;
  }
  return InvalidValue(def, value);
}

Result<std::string> StandardConformingStrings(const SettingDef& def, std::string_view value) {
  ASSIGN_OR_RETURN(std::string v, Boolean(def, value));
  if (v != "on") {
    return Status::Sql("0A000", "standard_conforming_strings = off is not supported");
  }
  return v;
}

// Planner and resource parameters (PostgreSQL's guc.c types). Borealis accepts and reports
// them with PostgreSQL's syntax, ranges and SHOW format; its planner does not read them.

// Trailing spaces are ignored, as PostgreSQL's parse_int/parse_real do.
std::string_view TrimTrailing(std::string_view v) {
  while (!v.empty() && std::isspace(static_cast<unsigned char>(v.back()))) v.remove_suffix(1);
  return v;
}

// A range bound as PostgreSQL prints it: integers in full, reals with %g.
std::string Bound(double bound) {
  if (bound == std::floor(bound) && std::fabs(bound) < 1e15) {
    return std::to_string(static_cast<long long>(bound));
  }
  return fmt::format("{:g}", bound);
}

Status OutsideRange(const SettingDef& def, std::string_view shown, std::string_view unit) {
  return Status::Sql("22023", fmt::format("{}{}{} is outside the valid range for parameter "
                                          "\"{}\" ({} .. {})",
                                          shown, unit.empty() ? "" : " ", unit, def.name,
                                          Bound(def.min), Bound(def.max)));
}

Result<std::string> Integer(const SettingDef& def, std::string_view value) {
  std::string v(TrimTrailing(value));
  char* end = nullptr;
  errno = 0;
  long long n = std::strtoll(v.c_str(), &end, 0);
  if (v.empty() || *end != '\0') return InvalidValue(def, value);
  if (errno == ERANGE || n < INT32_MIN || n > INT32_MAX) {
    return InvalidValue(def, value).WithHint("Value exceeds integer range.");
  }
  if (static_cast<double>(n) < def.min || static_cast<double>(n) > def.max) {
    return OutsideRange(def, std::to_string(n), "");
  }
  return std::to_string(n);
}

// Memory sizes: a number in the parameter's unit, or with B, kB, MB, GB or TB; shown in the
// largest unit that divides the value exactly (PostgreSQL's convert_int_from_base_unit).
Result<std::string> Memory(const SettingDef& def, std::string_view value) {
  std::string v(TrimTrailing(value));
  char* end = nullptr;
  double n = std::strtod(v.c_str(), &end);
  if (v.empty() || end == v.c_str()) return InvalidValue(def, value);
  std::string_view unit(end);
  while (!unit.empty() && unit.front() == ' ') unit.remove_prefix(1);
  double kb;
  if (unit.empty()) {
    kb = n * def.unit_kb;
  } else if (unit == "B") {
    kb = n / 1024;
  } else if (unit == "kB") {
    kb = n;
  } else if (unit == "MB") {
    kb = n * 1024;
  } else if (unit == "GB") {
    kb = n * 1024 * 1024;
  } else if (unit == "TB") {
    kb = n * 1024.0 * 1024 * 1024;
  } else {
    return InvalidValue(def, value)
        .WithHint("Valid units for this parameter are \"B\", \"kB\", \"MB\", \"GB\", and \"TB\".");
  }
  double units = std::round(kb / def.unit_kb);
  if (units < INT32_MIN || units > INT32_MAX) {
    return InvalidValue(def, value).WithHint("Value exceeds integer range.");
  }
  auto count = static_cast<long long>(units);
  if (units < def.min || units > def.max) {
    return OutsideRange(def, std::to_string(count), def.unit_kb == 1 ? "kB" : "8kB");
  }
  if (count <= 0) return std::to_string(count);
  long long total_kb = count * def.unit_kb;
  static constexpr std::pair<long long, std::string_view> kUnits[] = {
      {1024LL * 1024 * 1024, "TB"}, {1024 * 1024, "GB"}, {1024, "MB"}};
  for (const auto& [size_kb, name] : kUnits) {
    if (total_kb % size_kb == 0) return fmt::format("{}{}", total_kb / size_kb, name);
  }
  return fmt::format("{}kB", total_kb);
}

// PostgreSQL prints real parameters with %g.
Result<std::string> Real(const SettingDef& def, std::string_view value) {
  std::string v(TrimTrailing(value));
  char* end = nullptr;
  double n = std::strtod(v.c_str(), &end);
  if (v.empty() || *end != '\0' || std::isnan(n)) return InvalidValue(def, value);
  if (n < def.min || n > def.max) return OutsideRange(def, fmt::format("{:g}", n), "");
  return fmt::format("{:g}", n);
}

Result<std::string> Enum(const SettingDef& def, std::string_view value) {
  std::string v = Lower(value);
  std::string_view choices = def.choices;
  while (!choices.empty()) {
    size_t comma = choices.find(',');
    std::string_view choice = choices.substr(0, comma);
    if (v == choice) return std::string(choice);
    if (comma == std::string_view::npos) break;
    choices.remove_prefix(comma + 2);  // ", "
  }
  return InvalidValue(def, value).WithHint(fmt::format("Available values: {}.", def.choices));
}

constexpr double kMaxReal = std::numeric_limits<double>::max();

// search_path: a list of schema names; kept as written, elements separated by ", ".
Result<std::string> SearchPath(const SettingDef&, std::string_view value) {
  return std::string(value);
}

constexpr SettingDef kDefs[] = {
    {"application_name", "", "Sets the application name to be reported in statistics and logs.",
     AnyString, true},
    {"bytea_output", "hex", "Sets the output format for bytea.", ByteaOutput},
    {"client_encoding", "UTF8", "Sets the client's character set encoding.", ClientEncoding, true},
    {"client_min_messages", "notice", "Sets the message levels that are sent to the client.",
     MessageLevel},
    {"DateStyle", "ISO, MDY", "Sets the display format for date and time values.", DateStyle, true},
    {"default_transaction_deferrable", "off",
     "Sets the default deferrable status of new transactions.", Boolean},
    {"default_transaction_isolation", "repeatable read",
     "Sets the transaction isolation level of each new transaction.", Isolation},
    {"default_transaction_read_only", "off",
     "Sets the default read-only status of new transactions.", Boolean, true},
    {"extra_float_digits", "1", "Sets the number of digits displayed for floating-point values.",
     ExtraFloatDigits},
    {"idle_in_transaction_session_timeout", "0",
     "Sets the maximum allowed idle time between queries, when in a transaction.", Milliseconds},
    {"in_hot_standby", "off", "Shows whether hot standby is currently active.", nullptr, true},
    {"integer_datetimes", "on", "Shows whether datetimes are integer based.", nullptr, true},
    {"IntervalStyle", "postgres", "Sets the display format for interval values.", IntervalStyle,
     true},
    {"is_superuser", "off", "Shows whether the current user is a superuser.", nullptr, true},
    {"lc_collate", "C", "Shows the collation order locale.", nullptr},
    {"lc_ctype", "C", "Shows the character classification and case conversion locale.", nullptr},
    {"lc_messages", "C", "Sets the language in which messages are displayed.", AnyString},
    {"lc_monetary", "C", "Sets the locale for formatting monetary amounts.", AnyString},
    {"lc_numeric", "C", "Sets the locale for formatting numbers.", AnyString},
    {"lc_time", "C", "Sets the locale for formatting date and time values.", AnyString},
    {"lock_timeout", "0", "Sets the maximum allowed duration of any wait for a lock.",
     Milliseconds},
    {"max_identifier_length", "63", "Shows the maximum identifier length.", nullptr},
    {"role", "none", "Sets the current session user identifier.", nullptr},  // qp/roles.h
    {"search_path", "\"$user\", public",
     "Sets the schema search order for names that are not schema-qualified.", SearchPath},
    {"server_encoding", "UTF8", "Shows the server (database) character set encoding.", nullptr,
     true},
    {"server_version", "15.18 (Borealis)", "Shows the server version.", nullptr, true},
    {"server_version_num", "150018", "Shows the server version as an integer.", nullptr},
    {"session_authorization", "", "Sets the session user name.", nullptr, true},
    {"standard_conforming_strings", "on", "Causes '...' strings to treat backslashes literally.",
     StandardConformingStrings, true},
    {"statement_timeout", "0", "Sets the maximum allowed duration of any statement.", Milliseconds},
    {"synchronous_commit", "on", "Sets the current transaction's synchronization level.",
     AnyString},
    {"TimeZone", "UTC", "Sets the time zone for displaying and interpreting time stamps.", TimeZone,
     true},
    {"timezone_abbreviations", "Default", "Selects a file of time zone abbreviations.", AnyString},
    {"transaction_deferrable", "off",
     "Whether to defer a read-only serializable transaction until it can be executed with no "
     "possible serialization failures.",
     Boolean},
    {"transaction_isolation", "repeatable read", "Sets the current transaction's isolation level.",
     Isolation},
    {"transaction_read_only", "off", "Sets the current transaction's read-only status.", Boolean},
    // Planner and resource parameters: accepted and shown, not used by the planner.
    {"constraint_exclusion", "partition",
     "Enables the planner to use constraints to optimize queries.", Enum, false, 0, 0, 1,
     "partition, on, off"},
    {"cpu_index_tuple_cost", "0.005",
     "Sets the planner's estimate of the cost of processing each index entry during an index "
     "scan.",
     Real, false, 0, kMaxReal},
    {"cpu_operator_cost", "0.0025",
     "Sets the planner's estimate of the cost of processing each operator or function call.", Real,
     false, 0, kMaxReal},
    {"cpu_tuple_cost", "0.01",
     "Sets the planner's estimate of the cost of processing each tuple (row).", Real, false, 0,
     kMaxReal},
    {"cursor_tuple_fraction", "0.1",
     "Sets the planner's estimate of the fraction of a cursor's rows that will be retrieved.", Real,
     false, 0, 1},
    {"default_statistics_target", "100", "Sets the default statistics target.", Integer, false, 1,
     10000},
    {"effective_cache_size", "4GB",
     "Sets the planner's assumption about the total size of the data caches.", Memory, false, 1,
     2147483647, 8},
    {"effective_io_concurrency", "1",
     "Number of simultaneous requests that can be handled efficiently by the disk subsystem.",
     Integer, false, 0, 1000},
    {"enable_async_append", "on", "Enables the planner's use of async append plans.", Boolean},
    {"enable_bitmapscan", "on", "Enables the planner's use of bitmap-scan plans.", Boolean},
    {"enable_gathermerge", "on", "Enables the planner's use of gather merge plans.", Boolean},
    {"enable_hashagg", "on", "Enables the planner's use of hashed aggregation plans.", Boolean},
    {"enable_hashjoin", "on", "Enables the planner's use of hash join plans.", Boolean},
    {"enable_incremental_sort", "on", "Enables the planner's use of incremental sort steps.",
     Boolean},
    {"enable_indexonlyscan", "on", "Enables the planner's use of index-only-scan plans.", Boolean},
    {"enable_indexscan", "on", "Enables the planner's use of index-scan plans.", Boolean},
    {"enable_material", "on", "Enables the planner's use of materialization.", Boolean},
    {"enable_memoize", "on", "Enables the planner's use of memoization.", Boolean},
    {"enable_mergejoin", "on", "Enables the planner's use of merge join plans.", Boolean},
    {"enable_nestloop", "on", "Enables the planner's use of nested-loop join plans.", Boolean},
    {"enable_parallel_append", "on", "Enables the planner's use of parallel append plans.",
     Boolean},
    {"enable_parallel_hash", "on", "Enables the planner's use of parallel hash plans.", Boolean},
    {"enable_partition_pruning", "on", "Enables plan-time and execution-time partition pruning.",
     Boolean},
    {"enable_partitionwise_aggregate", "off", "Enables partitionwise aggregation and grouping.",
     Boolean},
    {"enable_partitionwise_join", "off", "Enables partitionwise join.", Boolean},
    {"enable_seqscan", "on", "Enables the planner's use of sequential-scan plans.", Boolean},
    {"enable_sort", "on", "Enables the planner's use of explicit sort steps.", Boolean},
    {"enable_tidscan", "on", "Enables the planner's use of TID scan plans.", Boolean},
    {"force_parallel_mode", "off", "Forces use of parallel query facilities.", Enum, false, 0, 0, 1,
     "off, on, regress"},
    {"from_collapse_limit", "8",
     "Sets the FROM-list size beyond which subqueries are not collapsed.", Integer, false, 1,
     2147483647},
    {"geqo", "on", "Enables genetic query optimization.", Boolean},
    {"geqo_threshold", "12", "Sets the threshold of FROM items beyond which GEQO is used.", Integer,
     false, 2, 2147483647},
    {"hash_mem_multiplier", "2", "Multiple of work_mem to use for hash tables.", Real, false, 1,
     1000},
    {"jit", "on", "Allow JIT compilation.", Boolean},
    {"jit_above_cost", "100000", "Perform JIT compilation if query is more expensive.", Real, false,
     -1, kMaxReal},
    {"jit_inline_above_cost", "500000", "Perform JIT inlining if query is more expensive.", Real,
     false, -1, kMaxReal},
    {"jit_optimize_above_cost", "500000",
     "Optimize JIT-compiled functions if query is more expensive.", Real, false, -1, kMaxReal},
    {"join_collapse_limit", "8",
     "Sets the FROM-list size beyond which JOIN constructs are not flattened.", Integer, false, 1,
     2147483647},
    {"maintenance_work_mem", "64MB",
     "Sets the maximum memory to be used for maintenance operations.", Memory, false, 1024,
     2147483647},
    {"max_parallel_maintenance_workers", "2",
     "Sets the maximum number of parallel processes per maintenance operation.", Integer, false, 0,
     1024},
    {"max_parallel_workers", "8",
     "Sets the maximum number of parallel workers that can be active at one time.", Integer, false,
     0, 1024},
    {"max_parallel_workers_per_gather", "2",
     "Sets the maximum number of parallel processes per executor node.", Integer, false, 0, 1024},
    {"max_stack_depth", "2MB", "Sets the maximum stack depth, in kilobytes.", Memory, false, 100,
     2147483647},
    {"min_parallel_index_scan_size", "512kB",
     "Sets the minimum amount of index data for a parallel scan.", Memory, false, 0, 715827882, 8},
    {"min_parallel_table_scan_size", "8MB",
     "Sets the minimum amount of table data for a parallel scan.", Memory, false, 0, 715827882, 8},
    {"parallel_leader_participation", "on",
     "Controls whether Gather and Gather Merge also run subplans.", Boolean},
    {"parallel_setup_cost", "1000",
     "Sets the planner's estimate of the cost of starting up worker processes for parallel "
     "query.",
     Real, false, 0, kMaxReal},
    {"parallel_tuple_cost", "0.1",
     "Sets the planner's estimate of the cost of passing each tuple (row) from worker to leader "
     "backend.",
     Real, false, 0, kMaxReal},
    {"plan_cache_mode", "auto", "Controls the planner's selection of custom or generic plan.", Enum,
     false, 0, 0, 1, "auto, force_generic_plan, force_custom_plan"},
    {"random_page_cost", "4",
     "Sets the planner's estimate of the cost of a nonsequentially fetched disk page.", Real, false,
     0, kMaxReal},
    {"seq_page_cost", "1",
     "Sets the planner's estimate of the cost of a sequentially fetched disk page.", Real, false, 0,
     kMaxReal},
    {"temp_buffers", "8MB", "Sets the maximum number of temporary buffers used by each session.",
     Memory, false, 100, 1073741823, 8},
    {"work_mem", "4MB", "Sets the maximum memory to be used for query workspaces.", Memory, false,
     64, 2147483647},
    {"xmloption", "content",
     "Sets whether XML data in implicit parsing and serialization "
     "operations is to be considered as documents or content fragments.",
     AnyString},
};

}  // namespace

namespace {

constexpr size_t kSettingCount = sizeof(kDefs) / sizeof(kDefs[0]);

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) !=
        std::tolower(static_cast<unsigned char>(b[i]))) {
      return false;
    }
  }
  return true;
}

Status ReadOnly(const SettingDef& def) {
  return Status::Sql("55P02", fmt::format("parameter \"{}\" cannot be changed", def.name));
}

// PostgreSQL's valid_custom_variable_name: two or more identifiers separated by dots.
bool IsValidCustomName(std::string_view name) {
  bool saw_separator = false;
  bool component_start = true;
  for (char c : name) {
    unsigned char u = static_cast<unsigned char>(c);
    if (c == '.') {
      if (component_start) return false;
      saw_separator = true;
      component_start = true;
    } else if (std::isalpha(u) || c == '_' || u >= 0x80) {
      component_start = false;
    } else if (!component_start && (std::isdigit(u) || c == '$')) {
      // allowed after the first character of a component
    } else {
      return false;
    }
  }
  return !component_start && saw_separator;
}

Status Unrecognized(std::string_view name) {
  return Status::Sql("42704", fmt::format("unrecognized configuration parameter \"{}\"", name));
}

}  // namespace

Settings::Settings() {
  current_.reserve(kSettingCount);
  for (const SettingDef& def : kDefs) current_.emplace_back(def.default_value);
  session_ = current_;
  reset_ = current_;
  reported_.resize(kSettingCount);
}

Result<size_t> Settings::Find(std::string_view name) const {
  for (size_t i = 0; i < kSettingCount; ++i) {
    if (EqualsIgnoreCase(kDefs[i].name, name)) return i;
  }
  for (size_t i = 0; i < custom_names_.size(); ++i) {
    if (EqualsIgnoreCase(custom_names_[i], name)) return kSettingCount + i;
  }
  return Unrecognized(name);
}

Result<size_t> Settings::FindOrCreate(std::string_view name) {
  Result<size_t> found = Find(name);
  if (found.ok() || name.find('.') == std::string_view::npos) return found;
  if (!IsValidCustomName(name)) {
    return Status::Sql("42602", fmt::format("invalid configuration parameter name \"{}\"", name))
        .WithDetail(
            "Custom parameter names must be two or more simple identifiers separated by "
            "dots.");
  }
  if (custom_names_.size() >= kMaxCustomSettings) {
    return Status::Sql("53400", fmt::format("too many custom configuration parameters (at most {})",
                                            kMaxCustomSettings));
  }
  // A placeholder outlives the transaction that created it (only its value is transactional);
  // it starts, and resets to, the empty string.
  custom_names_.emplace_back(name);
  current_.emplace_back();
  session_.emplace_back();
  reset_.emplace_back();
  reported_.emplace_back();
  if (transaction_start_) transaction_start_->emplace_back();
  return current_.size() - 1;
}

std::string_view Settings::Name(size_t i) const {
  return i < kSettingCount ? kDefs[i].name : std::string_view(custom_names_[i - kSettingCount]);
}

Result<std::string> Settings::Normalize(size_t i, std::string_view value) const {
  if (i >= kSettingCount) return std::string(value);  // placeholders are plain strings
  const SettingDef& def = kDefs[i];
  if (def.normalize == nullptr) return ReadOnly(def);
  return def.normalize(def, value);
}

namespace {

// Splits PostgreSQL's `options` startup parameter into words: spaces separate, a backslash
// takes the next character literally.
std::vector<std::string> SplitOptions(std::string_view options) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  for (size_t i = 0; i < options.size(); ++i) {
    char c = options[i];
    if (c == ' ' || c == '\t' || c == '\n') {
      if (in_word) words.push_back(std::move(word));
      word.clear();
      in_word = false;
      continue;
    }
    if (c == '\\' && i + 1 < options.size()) c = options[++i];
    word.push_back(c);
    in_word = true;
  }
  if (in_word) words.push_back(std::move(word));
  return words;
}

}  // namespace

Status Settings::SetStartup(std::string_view name, std::string_view value) {
  ++generation_;
  if (name == "options") {
    std::vector<std::string> words = SplitOptions(value);
    for (size_t w = 0; w < words.size(); ++w) {
      std::string assignment;
      if (words[w] == "-c" && w + 1 < words.size()) {
        assignment = words[++w];
      } else if (words[w].starts_with("-c") && words[w].size() > 2) {
        assignment = words[w].substr(2);
      } else if (words[w].starts_with("--") && words[w].size() > 2) {
        assignment = words[w].substr(2);
        for (char& c : assignment) {
          if (c == '=') break;
          if (c == '-') c = '_';
        }
      } else {
        return Status::Sql("42601", fmt::format("invalid command-line argument for server "
                                                "process: {}",
                                                words[w]));
      }
      size_t equals = assignment.find('=');
      if (equals == std::string::npos) {
        return Status::Sql("42601", fmt::format("-c {} requires a value", assignment));
      }
      RETURN_IF_ERROR(SetStartup(std::string_view(assignment).substr(0, equals),
                                 std::string_view(assignment).substr(equals + 1)));
    }
    return Status::Ok();
  }
  ASSIGN_OR_RETURN(size_t i, FindOrCreate(name));
  ASSIGN_OR_RETURN(std::string normalized, Normalize(i, value));
  current_[i] = session_[i] = reset_[i] = normalized;
  return Status::Ok();
}

Result<std::string> Settings::Set(std::string_view name, std::string_view value, bool is_local) {
  ++generation_;
  ASSIGN_OR_RETURN(size_t i, FindOrCreate(name));
  ASSIGN_OR_RETURN(std::string normalized, Normalize(i, value));
  current_[i] = normalized;
  if (!is_local) session_[i] = normalized;
  return normalized;
}

Status Settings::Reset(std::string_view name, bool is_local) {
  ++generation_;
  ASSIGN_OR_RETURN(size_t i, FindOrCreate(name));
  if (i < kSettingCount && kDefs[i].normalize == nullptr) return ReadOnly(kDefs[i]);
  current_[i] = reset_[i];
  if (!is_local) session_[i] = reset_[i];
  return Status::Ok();
}

void Settings::ResetAll() {
  ++generation_;
  for (size_t i = 0; i < current_.size(); ++i) {
    if (i < kSettingCount && kDefs[i].normalize == nullptr) continue;
    current_[i] = session_[i] = reset_[i];
  }
}

std::optional<std::string> Settings::Get(std::string_view name) const {
  Result<size_t> i = Find(name);
  if (!i.ok()) return std::nullopt;
  return current_[*i];
}

std::string Settings::CanonicalName(std::string_view name) const {
  Result<size_t> i = Find(name);
  return i.ok() ? std::string(Name(*i)) : std::string(name);
}

std::vector<std::vector<std::string>> Settings::All() const {
  std::vector<std::vector<std::string>> rows;
  for (size_t i = 0; i < kSettingCount; ++i) {
    rows.push_back({std::string(kDefs[i].name), current_[i], std::string(kDefs[i].description)});
  }
  std::sort(rows.begin(), rows.end(),
            [](const auto& a, const auto& b) { return Lower(a[0]) < Lower(b[0]); });
  return rows;
}

void Settings::SetInternal(std::string_view name, std::string value) {
  ++generation_;
  Result<size_t> i = Find(name);
  BOREALIS_CHECK(i.ok(), name);
  current_[*i] = session_[*i] = reset_[*i] = std::move(value);
}

void Settings::Begin() {
  if (!transaction_start_) transaction_start_ = session_;
}

void Settings::Commit() {
  ++generation_;
  current_ = session_;
  transaction_start_.reset();
}

void Settings::Rollback() {
  ++generation_;
  if (transaction_start_) {
    BOREALIS_CHECK(transaction_start_->size() == session_.size(), transaction_start_->size(),
                   session_.size());
    session_ = std::move(*transaction_start_);
  }
  current_ = session_;
  transaction_start_.reset();
}

void Settings::Restore(Snapshot snapshot) {
  ++generation_;
  BOREALIS_CHECK(snapshot.current.size() <= current_.size() &&
                     snapshot.session.size() == snapshot.current.size(),
                 snapshot.current.size(), snapshot.session.size(), current_.size());
  snapshot.current.resize(current_.size());
  snapshot.session.resize(session_.size());
  current_ = std::move(snapshot.current);
  session_ = std::move(snapshot.session);
}

std::vector<std::pair<std::string, std::string>> Settings::ReportAll() {
  std::vector<std::pair<std::string, std::string>> out;
  for (size_t i = 0; i < kSettingCount; ++i) {
    if (!kDefs[i].report) continue;
    reported_[i] = current_[i];
    out.emplace_back(kDefs[i].name, current_[i]);
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> Settings::TakeReportChanges() {
  std::vector<std::pair<std::string, std::string>> out;
  for (size_t i = 0; i < kSettingCount; ++i) {
    if (!kDefs[i].report || reported_[i] == current_[i]) continue;
    reported_[i] = current_[i];
    out.emplace_back(kDefs[i].name, current_[i]);
  }
  return out;
}

}  // namespace borealis::qp
