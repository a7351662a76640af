// Settings: one session's configuration parameters (GUCs) with PostgreSQL's names, defaults,
// validation, transactional SET/SET LOCAL/RESET semantics and ParameterStatus reporting.
//
// Contract: names are case-insensitive; values are normalized the way SHOW prints them. Every
// change happens inside a transaction (Begin/Commit/Rollback, implicit or explicit): a plain
// SET survives Commit and is undone by Rollback; SET LOCAL lasts until either. Errors use
// PostgreSQL's SQLSTATEs: 42704 unknown parameter, 22023 invalid value, 55P02 read-only.
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

  // Applies a startup parameter as the session default (what RESET returns to).
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

  std::vector<std::pair<std::string, std::string>> ReportAll();
  std::vector<std::pair<std::string, std::string>> TakeReportChanges();

 private:
  // The index of the parameter's definition.
  Result<size_t> Find(std::string_view name) const;

  // Values by definition index: a few KiB per session (one per connection), and lookups
  // without allocating.
  std::vector<std::string> current_;
  std::vector<std::string> session_;  // without SET LOCAL overrides
  std::vector<std::string> reset_;    // defaults after startup parameters
  std::optional<std::vector<std::string>> transaction_start_;
  std::vector<std::optional<std::string>> reported_;  // last ParameterStatus value sent
};

}  // namespace borealis::qp
