-- Lightkeeper store, schema version 3: the status reports posted on the status pages (incidents
-- and maintenance, see core/status_page.hpp) and the checks paused at runtime.
-- Kinds, states and impacts are their names as text, without CHECK constraints: SQLite cannot
-- change a constraint without rebuilding the table, and the vocabulary of states may grow.

-- AUTOINCREMENT: report ids appear in public URLs and in sent notifications, so the id of a
-- deleted report (a mistaken post) must never come back naming another one. The rowid itself
-- serves newest-first paging (ORDER BY id DESC, id < before).
CREATE TABLE status_reports (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL,               -- incident, maintenance
  title TEXT NOT NULL,
  state TEXT NOT NULL,              -- the latest update's state
  impact TEXT NOT NULL,             -- none, minor, major, critical
  automatic INTEGER NOT NULL,       -- 1 when the daemon opened it from a detected incident
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  resolved_at INTEGER,              -- NULL unless resolved/completed
  starts_at INTEGER,                -- maintenance window; NULL for incidents
  ends_at INTEGER
);
-- Status pages ask first for what is still open: only those rows are indexed.
CREATE INDEX status_reports_open ON status_reports (id)
  WHERE state NOT IN ('resolved', 'completed');

-- Component ids a report concerns, in the order given; a report with no rows here concerns
-- every component. Child tables rather than a JSON column, so that "the reports of this
-- component" and "the report of this detected incident" are index lookups.
CREATE TABLE status_report_components (
  report_id INTEGER NOT NULL REFERENCES status_reports (id),
  position INTEGER NOT NULL,
  component TEXT NOT NULL,
  PRIMARY KEY (report_id, position)
) WITHOUT ROWID;
CREATE INDEX status_report_components_by_component
  ON status_report_components (component, report_id);

-- The detected incidents (incidents.id) a report was opened for.
CREATE TABLE status_report_incidents (
  report_id INTEGER NOT NULL REFERENCES status_reports (id),
  position INTEGER NOT NULL,
  incident_id INTEGER NOT NULL,
  PRIMARY KEY (report_id, position)
) WITHOUT ROWID;
CREATE INDEX status_report_incidents_by_incident
  ON status_report_incidents (incident_id, report_id);

-- A report's timeline, read newest first.
CREATE TABLE status_report_updates (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  report_id INTEGER NOT NULL REFERENCES status_reports (id),
  at INTEGER NOT NULL,
  state TEXT NOT NULL,
  message TEXT NOT NULL,            -- Markdown
  author TEXT NOT NULL
);
CREATE INDEX status_report_updates_by_report ON status_report_updates (report_id, at);

-- Checks paused through the API; at most one pause per check (a second one replaces it).
CREATE TABLE check_pauses (
  check_name TEXT PRIMARY KEY,
  at INTEGER NOT NULL,
  author TEXT NOT NULL,
  reason TEXT NOT NULL
) WITHOUT ROWID;
