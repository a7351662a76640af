// Settings: one session's configuration parameters (GUCs) with PostgreSQL's names, defaults,
// validation, transactional SET/SET LOCAL/RESET semantics and ParameterStatus reporting.
//
// Contract: names are case-insensitive; values are normalized the way SHOW prints them. Every
// change happens inside a transaction (Begin/Commit/Rollback, implicit or explicit): a plain
// SET survives Commit and is undone by Rollback; SET LOCAL lasts until either. Errors use
// PostgreSQL's SQLSTATEs: 42704 unknown parameter, 22023 invalid value, 55P02 read-only.
// A name with a dot that is not a built-in parameter is a custom placeholder (PostgreSQL's
// GUC_CUSTOM_PLACEHOLDER): SET, set_config and RESET create it (42602 for an invalid name); it
// is a plain string that starts and resets to "", lives until the session ends (only its value
// is transactional), and is left out of SHOW ALL. Reading one that was never set is 42704.
// Not thread-safe: owned by one session.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"

namespace borealis::qp {

struct SettingDef;

class Settings {
 public:
  Settings();

  // Applies a startup parameter as the session default (what RESET returns to). The parameter
  // `options` holds command-line style switches, as libpq's PGOPTIONS sends them:
  // `-c name=value`, `-cname=value` and `--name=value` (a '-' in the name reads as '_'),
  // separated by spaces, `\ ` for a space inside a value; any other switch fails with 42601.
  Status SetStartup(std::string_view name, std::string_view value);
  // SET name = value [LOCAL]; returns the normalized value.
  Result<std::string> Set(std::string_view name, std::string_view value, bool is_local);
  Status Reset(std::string_view name, bool is_local);
  void ResetAll();
  // nullopt when unknown.
  std::optional<std::string> Get(std::string_view name) const;
  // The canonical spelling ("DateStyle" for "datestyle"); REQUIRES: Get(name) has a value.
  std::string CanonicalName(std::string_view name) const;
  // (name, setting, description) of every parameter, sorted by name, for SHOW ALL.
  std::vector<std::vector<std::string>> All() const;

  // Server-side overrides that are not user-settable (is_superuser, session_authorization).
  void SetInternal(std::string_view name, std::string value);

  void Begin();
  void Commit();
  void Rollback();
  // Savepoints: the values as they are now (SET and SET LOCAL alike), and going back to them
  // (ROLLBACK TO SAVEPOINT). Placeholders created since keep existing, with their values reset.
  struct Snapshot {
    std::vector<std::string> current;
    std::vector<std::string> session;
  };
  Snapshot Save() const { return Snapshot{current_, session_}; }
  void Restore(Snapshot snapshot);

  // Changes whenever a value may have changed (every mutating call above), so that values
  // derived from settings can be cached.
  uint64_t generation() const { return generation_; }

  std::vector<std::pair<std::string, std::string>> ReportAll();
  std::vector<std::pair<std::string, std::string>> TakeReportChanges();

 private:
  // A session holds at most this many custom placeholders (53400 beyond).
  static constexpr size_t kMaxCustomSettings = 1000;

  // The index of the parameter: built-in definitions first, then custom placeholders.
  Result<size_t> Find(std::string_view name) const;
  // Find, creating a placeholder for an unknown valid dotted name.
  Result<size_t> FindOrCreate(std::string_view name);
  std::string_view Name(size_t i) const;
  // The value as SHOW prints it; 55P02 for a read-only parameter.
  Result<std::string> Normalize(size_t i, std::string_view value) const;

  // Values by definition index: a few KiB per session (one per connection), and lookups
  // without allocating.
  std::vector<std::string> current_;
  std::vector<std::string> session_;  // without SET LOCAL overrides
  std::vector<std::string> reset_;    // defaults after startup parameters
  std::optional<std::vector<std::string>> transaction_start_;
  std::vector<std::optional<std::string>> reported_;  // last ParameterStatus value sent
  std::vector<std::string> custom_names_;  // placeholders, as first written, by index - count
  uint64_t generation_ = 0;
};

}  // namespace borealis::qp
