#pragma once
// The read side of the SQLite store: its own read-only connection, so in WAL mode a read never
// waits for the writer (it sees the latest committed snapshot). One lock serializes readers on
// the connection; the statements are prepared once and reused.

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "store/sqlite/database.hpp"
#include "store/sqlite/day_cache.hpp"
#include "store/sqlite/outbox_reader.hpp"
#include "store/sqlite/report_reader.hpp"
#include "store/store.hpp"

namespace lk::store::sqlite {

class Reader {
 public:
  /// Opens `path` read-only; the database must exist and be migrated. `cache` (kept by
  /// reference, may be disabled) holds completed days for rollups_many().
  Reader(const std::string& path, Duration busy_timeout, DayRollupCache& cache);

  // Same meaning as the Store methods of the same names.
  std::vector<Result> results(std::string_view check, TimePoint from, TimePoint to,
                              std::size_t limit);
  std::vector<Rollup> rollups(std::string_view check, Resolution resolution, TimePoint from,
                              TimePoint to);
  /// Day rollups of the days before the one holding `now` come from the cache when it has them.
  void rollups_many(std::span<const std::string_view> checks, Resolution resolution, TimePoint from,
                    TimePoint to, TimePoint now, const Store::RollupVisitor& visit);
  std::vector<Incident> incidents(const IncidentQuery& query);
  std::vector<Transition> transitions(std::string_view check, TimePoint from, TimePoint to,
                                      std::size_t limit);
  std::vector<std::pair<std::string, std::string>> load_check_states();
  std::int64_t load_next_incident_id();
  std::optional<std::string> load_meta(std::string_view key);
  std::vector<Incident> load_open_incidents();
  std::vector<Notification> due_notifications(TimePoint now, std::size_t limit);
  std::vector<Notification> notifications(const NotificationQuery& query);
  std::vector<StatusReport> status_reports(const ReportQuery& query);
  std::optional<StatusReport> status_report(std::int64_t id);
  std::vector<CheckPause> paused_checks();

 private:
  // Everything behind the lock: a connection is used by one thread at a time.
  struct Connection {
    explicit Connection(Database opened);
    Database db;
    Statement results;
    Statement rollups;
    Statement rollups_with_id;
    Statement write_seq;
    Statement incidents;
    Statement transitions_of_check;
    Statement transitions_of_all;
    Statement check_states;
    Statement next_incident_id;
    Statement meta;
    Statement open_incidents;
    Statement locations;
    OutboxReader outbox;
    ReportReader reports;
    std::unordered_map<std::int64_t, std::string> location_names;  ///< ids never change

    const std::string& location_name(std::int64_t id);
  };

  std::mutex mutex_;
  Connection connection_;
  DayRollupCache& cache_;
};

}  // namespace lk::store::sqlite
