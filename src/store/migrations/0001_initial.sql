-- Lightkeeper store, schema version 1.
-- Times are integer milliseconds since the Unix epoch (UTC); durations are integer microseconds.

-- Names are stored once and referred to by small integer ids, so the hot tables stay compact.
CREATE TABLE checks (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE
);

CREATE TABLE locations (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE
);

-- One row per check run: up to ~10,000 rows/s, so no foreign keys (the writer alone assigns
-- ids) and a single index, which both reads and retention use.
CREATE TABLE results (
  check_id INTEGER NOT NULL,
  location_id INTEGER NOT NULL,
  started_at INTEGER NOT NULL,
  duration_us INTEGER NOT NULL,
  status INTEGER NOT NULL,          -- 0 ok, 1 warn, 2 fail, 3 unknown (Nagios exit codes)
  message TEXT NOT NULL,
  dns_us INTEGER,                   -- phase timings, cumulative from the start; NULL = not reached
  connect_us INTEGER,
  tls_us INTEGER,
  first_byte_us INTEGER,
  total_us INTEGER,
  metrics TEXT,                     -- JSON [{"name":..,"value":..,"unit":..}], NULL when none
  cert_not_after INTEGER
);
CREATE INDEX results_by_check_time ON results (check_id, started_at);

-- Aggregates per check, resolution (0 minute, 1 hour, 2 day), bucket start and location.
-- The key puts location last so that "this check, this resolution, this time range, every
-- location" is one contiguous range of the table, already in bucket order.
CREATE TABLE rollups (
  check_id INTEGER NOT NULL,
  resolution INTEGER NOT NULL,
  bucket INTEGER NOT NULL,
  location_id INTEGER NOT NULL,
  count INTEGER NOT NULL,
  failures INTEGER NOT NULL,
  warnings INTEGER NOT NULL,
  lat_min_ms REAL NOT NULL,
  lat_sum_ms REAL NOT NULL,
  lat_max_ms REAL NOT NULL,
  histogram BLOB NOT NULL,          -- log-scale latency histogram, see histogram.hpp
  PRIMARY KEY (check_id, resolution, bucket, location_id)
) WITHOUT ROWID;

-- Incident ids are assigned by the state engine, not by SQLite.
CREATE TABLE incidents (
  id INTEGER PRIMARY KEY,
  check_name TEXT NOT NULL,
  severity TEXT NOT NULL,
  opened_at INTEGER NOT NULL,
  closed_at INTEGER,                -- NULL while open
  cause TEXT NOT NULL,
  last_message TEXT NOT NULL
);
CREATE INDEX incidents_by_check ON incidents (check_name, id);
CREATE INDEX incidents_open ON incidents (id) WHERE closed_at IS NULL;

CREATE TABLE transitions (
  id INTEGER PRIMARY KEY,
  check_name TEXT NOT NULL,
  location TEXT NOT NULL,           -- empty for the check-level (quorum) state
  from_state TEXT NOT NULL,
  to_state TEXT NOT NULL,
  hard INTEGER NOT NULL,
  at INTEGER NOT NULL,
  message TEXT NOT NULL
);
CREATE INDEX transitions_by_check_time ON transitions (check_name, at);
CREATE INDEX transitions_by_time ON transitions (at);

-- The state engine's per-check state, in its own compact text encoding.
CREATE TABLE check_state (
  check_name TEXT PRIMARY KEY,
  state TEXT NOT NULL
) WITHOUT ROWID;

-- Single values such as next_incident_id. No declared type, so integers stay integers.
CREATE TABLE meta (
  key TEXT PRIMARY KEY,
  value
) WITHOUT ROWID;
