#pragma once
// What the two SQL kinds (postgres, mysql) share: their settings, and how what a query
// returned becomes an Observation (the first value as the body, rows and times as metrics).

#include <cstddef>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/fields.hpp"
#include "core/check.hpp"
#include "core/result.hpp"
#include "probe/address.hpp"

namespace lk::probe::sql {

struct Settings final : ProbeSettings {
  Address address;
  std::string database;  ///< empty: the server's default for the user
  std::string username;
  std::string password;  ///< empty: none sent (libpq may still read ~/.pgpass or PGPASSWORD)
  std::string query;
  std::string tls;      ///< postgres: an sslmode; mysql: "require" or empty
  std::string ca_file;  ///< postgres: sslrootcert
  bool replication = false;
};

/// Reads the options both kinds have (target/host/port, database, username, password, query,
/// replication) and sets spec.target to `scheme://user@host:port/database` (no password).
void read_common(config::Fields& fields, CheckSpec& spec, Settings& s, std::string_view scheme);

/// The first value of the first row (body) is kept up to this size.
inline constexpr std::size_t kMaxValue = 64 * 1024;

/// What a query returned, as far as a check looks at it.
struct Answer {
  long long rows = 0;                                 ///< rows returned (all result sets)
  std::vector<std::string> columns;                   ///< names, of the first result set
  std::vector<std::optional<std::string>> first_row;  ///< nullopt for SQL NULL
  bool truncated = false;                             ///< a first-row value was cut at kMaxValue
  /// The first row's value in the column named one of `names` (case-insensitive), if any.
  const std::optional<std::string>* value(std::initializer_list<std::string_view> names) const;
};

/// Keeps the first row of an answer (each value cut at kMaxValue).
void keep_first_row(Answer& answer, std::vector<std::optional<std::string>> row);

/// The answer as the check's conditions see it: the first value as the body (SQL NULL and no
/// rows are both ""), metrics rows, connect_time and query_time.
void observe(Observation& obs, const Answer& answer, Duration connect_time, Duration query_time);

/// A number as the server printed it ("12.5", "3"); nullopt when it is not one.
std::optional<double> parse_number(std::string_view text);

}  // namespace lk::probe::sql
