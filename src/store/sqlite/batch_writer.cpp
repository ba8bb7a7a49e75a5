#include "store/sqlite/batch_writer.hpp"

#include "store/sqlite/codec.hpp"
#include "store/sqlite/histogram.hpp"

namespace lk::store::sqlite {

namespace {

std::string_view blob_of(sqlite3_value* value) {
  const void* bytes = sqlite3_value_blob(value);
  if (!bytes) return {};
  return {static_cast<const char*>(bytes), static_cast<std::size_t>(sqlite3_value_bytes(value))};
}

// SQL function lk_histogram_merge(a, b): lets the rollup upsert merge histograms inside
// SQLite, so a batch updates a rollup row without reading it first.
void histogram_merge_function(sqlite3_context* context, int, sqlite3_value** args) {
  try {
    const std::string merged = merge_encoded_histograms(blob_of(args[0]), blob_of(args[1]));
    sqlite3_result_blob64(context, merged.data(), merged.size(), SQLITE_TRANSIENT);
  } catch (...) {  // an exception must not cross SQLite's C frames; the only one is bad_alloc
    sqlite3_result_error_nomem(context);
  }
}

// Registers lk_histogram_merge on `db` and returns it: the rollup upsert names the function,
// so it must exist before that statement is prepared.
Database& with_histogram_merge(Database& db) {
  const int rc = sqlite3_create_function_v2(
      db.handle(), "lk_histogram_merge", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
      nullptr, histogram_merge_function, nullptr, nullptr, nullptr);
  if (rc != SQLITE_OK) db.fail(rc, "register lk_histogram_merge");
  return db;
}

constexpr std::string_view kInsertResult = R"(
  INSERT INTO results (check_id, location_id, started_at, duration_us, status, message, dns_us,
                       connect_us, tls_us, first_byte_us, total_us, metrics, cert_not_after)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?))";

constexpr std::string_view kUpsertRollup = R"(
  INSERT INTO rollups (check_id, resolution, bucket, location_id, count, failures, warnings,
                       lat_min_ms, lat_sum_ms, lat_max_ms, histogram)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (check_id, resolution, bucket, location_id) DO UPDATE SET
    count = count + excluded.count,
    failures = failures + excluded.failures,
    warnings = warnings + excluded.warnings,
    lat_min_ms = min(lat_min_ms, excluded.lat_min_ms),
    lat_sum_ms = lat_sum_ms + excluded.lat_sum_ms,
    lat_max_ms = max(lat_max_ms, excluded.lat_max_ms),
    histogram = lk_histogram_merge(histogram, excluded.histogram))";

constexpr std::string_view kUpsertIncident = R"(
  INSERT INTO incidents (id, check_name, severity, opened_at, closed_at, cause, last_message)
  VALUES (?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (id) DO UPDATE SET
    check_name = excluded.check_name, severity = excluded.severity,
    opened_at = excluded.opened_at, closed_at = excluded.closed_at,
    cause = excluded.cause, last_message = excluded.last_message)";

constexpr std::string_view kInsertTransition = R"(
  INSERT INTO transitions (check_name, location, from_state, to_state, hard, at, message)
  VALUES (?, ?, ?, ?, ?, ?, ?))";

constexpr std::string_view kUpsertCheckState = R"(
  INSERT INTO check_state (check_name, state) VALUES (?, ?)
  ON CONFLICT (check_name) DO UPDATE SET state = excluded.state)";

constexpr std::string_view kSetWriteSeq = R"(
  INSERT INTO meta (key, value) VALUES ('write_seq', ?)
  ON CONFLICT (key) DO UPDATE SET value = excluded.value)";

constexpr std::string_view kSetMeta = R"(
  INSERT INTO meta (key, value) VALUES (?, ?)
  ON CONFLICT (key) DO UPDATE SET value = excluded.value)";

constexpr std::string_view kSetNextIncidentId = R"(
  INSERT INTO meta (key, value) VALUES ('next_incident_id', ?)
  ON CONFLICT (key) DO UPDATE SET value = excluded.value)";

}  // namespace

BatchWriter::NameTable BatchWriter::name_table(std::string_view table) {
  const std::string name(table);
  return NameTable{Statement(db_, "SELECT id FROM " + name + " WHERE name = ?"),
                   Statement(db_, "INSERT INTO " + name + " (name) VALUES (?)"),
                   {}};
}

BatchWriter::BatchWriter(Database& db, DayRollupCache& cache)
    : db_(with_histogram_merge(db)),
      cache_(cache),
      checks_(name_table("checks")),
      locations_(name_table("locations")),
      insert_result_(db, kInsertResult),
      upsert_rollup_(db, kUpsertRollup),
      upsert_incident_(db, kUpsertIncident),
      insert_transition_(db, kInsertTransition),
      upsert_check_state_(db, kUpsertCheckState),
      delete_check_state_(db, "DELETE FROM check_state WHERE check_name = ?"),
      set_next_incident_id_(db, kSetNextIncidentId),
      set_meta_(db, kSetMeta),
      set_write_seq_(db, kSetWriteSeq),
      outbox_(db),
      reports_(db),
      write_seq_(static_cast<std::uint64_t>(
          db.query_int("SELECT coalesce((SELECT value FROM meta WHERE key = 'write_seq'), 0)"))) {}

std::int64_t BatchWriter::id_of(NameTable& table, const std::string& name) {
  if (const auto found = table.ids.find(name); found != table.ids.end()) return found->second;
  std::int64_t id = 0;
  {
    auto q = table.select.use();
    q->bind(1, name);
    if (q->step()) id = q->int64(0);
  }
  if (id == 0) {
    auto q = table.insert.use();
    q->bind(1, name);
    q->run();
    id = db_.last_insert_rowid();
  }
  table.ids.emplace(name, id);
  return id;
}

void BatchWriter::write(std::span<const Result> results, std::span<const StateChange> changes,
                        std::span<EnqueueRequest> enqueues, std::span<AttemptRequest> attempts,
                        std::span<ReportRequest> reports) {
  const std::uint64_t seq = write_seq_ + 1;
  try {
    Transaction transaction(db_);
    {
      // Tells a reader which writes its snapshot holds (see day_cache.hpp).
      auto q = set_write_seq_.use();
      q->bind(1, static_cast<std::int64_t>(seq));
      q->run();
    }
    for (const Result& r : results) {
      const std::int64_t check_id = id_of(checks_, r.check);
      const std::int64_t location_id = id_of(locations_, r.location);
      insert_result(r, check_id, location_id);
      rollups_.add(check_id, location_id, r);
    }
    merge_rollups();
    for (const StateChange& change : changes) apply(change);
    for (EnqueueRequest& request : enqueues) outbox_.apply(request);
    for (AttemptRequest& request : attempts) outbox_.apply(request);
    for (ReportRequest& request : reports) reports_.apply(request);
    transaction.commit();
  } catch (...) {
    // The rollback forgot any ids inserted by this transaction; forget them here too.
    checks_.ids.clear();
    locations_.ids.clear();
    rollups_.clear();
    throw;
  }
  write_seq_ = seq;
  cache_.write_finished(seq, rollups_);
  rollups_.clear();
}

void BatchWriter::insert_result(const Result& r, std::int64_t check_id, std::int64_t location_id) {
  auto q = insert_result_.use();
  q->bind_all(check_id, location_id, to_epoch_ms(r.started_at), to_us(r.duration),
              status_code(r.status), r.message, to_us(r.timings.dns), to_us(r.timings.connect),
              to_us(r.timings.tls), to_us(r.timings.first_byte), to_us(r.timings.total),
              encode_metrics(r.metrics), to_epoch_ms(r.cert_not_after));
  q->run();
}

void BatchWriter::merge_rollups() {
  for (const auto& [key, delta] : rollups_.deltas()) {
    const std::string histogram = delta.histogram.encode();
    auto q = upsert_rollup_.use();
    q->bind_all(key.check_id, key.resolution, key.bucket_ms, key.location_id, delta.count,
                delta.failures, delta.warnings, delta.latency_min_ms, delta.latency_sum_ms,
                delta.latency_max_ms, Blob{histogram});
    q->run();
  }
}

void BatchWriter::apply(const StateChange& change) {
  for (const Incident& incident : change.incidents) {
    auto q = upsert_incident_.use();
    q->bind_all(incident.id, incident.check, to_string(incident.severity),
                to_epoch_ms(incident.opened_at), to_epoch_ms(incident.closed_at), incident.cause,
                incident.last_message);
    q->run();
  }
  for (const Transition& transition : change.transitions) {
    auto q = insert_transition_.use();
    q->bind_all(transition.check, transition.location, to_string(transition.from),
                to_string(transition.to), transition.hard ? 1 : 0, to_epoch_ms(transition.at),
                transition.message);
    q->run();
  }
  for (const auto& [check, state] : change.check_states) {
    auto q = upsert_check_state_.use();
    q->bind_all(check, state);
    q->run();
  }
  for (const std::string& check : change.removed_checks) {
    auto q = delete_check_state_.use();
    q->bind(1, check);
    q->run();
  }
  if (change.next_incident_id) {
    auto q = set_next_incident_id_.use();
    q->bind(1, *change.next_incident_id);
    q->run();
  }
  for (const auto& [key, value] : change.meta) {
    auto q = set_meta_.use();
    q->bind_all(key, value);
    q->run();
  }
}

}  // namespace lk::store::sqlite
