#include "store/sqlite/database.hpp"

#include <algorithm>
#include <chrono>
#include <limits>
#include <utility>

namespace lk::store::sqlite {

namespace {

std::string describe(std::string_view path, std::string_view what, std::string_view detail) {
  std::string message = "store ";
  message.append(path).append(": ").append(what).append(": ").append(detail);
  return message;
}

}  // namespace

Database::Database(std::string path, Access access, Duration busy_timeout)
    : path_(std::move(path)) {
  // NOMUTEX: each connection is used by one thread at a time (the writer thread, or readers
  // under the reader's lock), so SQLite's own per-connection mutex would be pure overhead.
  int flags = SQLITE_OPEN_NOMUTEX;
  flags |= access == Access::read_only ? SQLITE_OPEN_READONLY
                                       : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  const int rc = sqlite3_open_v2(path_.c_str(), &db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    std::string detail = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
    sqlite3_close_v2(db_);
    db_ = nullptr;
    throw Error(describe(path_, "cannot open the database file",
                         detail + " (does the directory exist, and may lightkeeper write there?)"),
                rc);
  }
  sqlite3_extended_result_codes(db_, 1);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(busy_timeout).count();
  sqlite3_busy_timeout(db_, static_cast<int>(std::min<std::int64_t>(ms, 1 << 30)));
}

Database::~Database() {
  // close_v2 tolerates statements not yet finalized (it defers the close until they are).
  if (db_) sqlite3_close_v2(db_);
}

Database::Database(Database&& other) noexcept
    : path_(std::move(other.path_)), db_(std::exchange(other.db_, nullptr)) {}

void Database::fail(int code, std::string_view what) const {
  throw Error(describe(path_, what, db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(code)), code);
}

void Database::exec(std::string_view sql, std::string_view what) {
  char* message = nullptr;
  const int rc = sqlite3_exec(db_, std::string(sql).c_str(), nullptr, nullptr, &message);
  if (rc != SQLITE_OK) {
    std::string detail = message ? message : sqlite3_errstr(rc);
    sqlite3_free(message);
    throw Error(describe(path_, what, detail), rc);
  }
}

std::int64_t Database::query_int(const std::string& sql) {
  Statement statement(*this, sql);
  auto q = statement.use();
  if (!q->step()) fail(SQLITE_ERROR, sql + " returned no row");
  return q->int64(0);
}

std::string Database::query_text(const std::string& sql) {
  Statement statement(*this, sql);
  auto q = statement.use();
  if (!q->step()) fail(SQLITE_ERROR, sql + " returned no row");
  return q->text(0);
}

Statement::Statement(Database& db, std::string_view sql) : db_(&db) {
  // PERSISTENT: these statements live as long as the connection and are reused for every call.
  const int rc = sqlite3_prepare_v3(db.handle(), sql.data(), static_cast<int>(sql.size()),
                                    SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr);
  if (rc != SQLITE_OK) db.fail(rc, "cannot prepare \"" + std::string(sql) + "\"");
}

Statement::~Statement() {
  if (stmt_) sqlite3_finalize(stmt_);
}

Statement::Statement(Statement&& other) noexcept
    : db_(other.db_), stmt_(std::exchange(other.stmt_, nullptr)) {}

void Statement::bind(int index, std::int64_t value) {
  const int rc = sqlite3_bind_int64(stmt_, index, value);
  if (rc != SQLITE_OK) db_->fail(rc, "bind");
}

void Statement::bind(int index, double value) {
  const int rc = sqlite3_bind_double(stmt_, index, value);
  if (rc != SQLITE_OK) db_->fail(rc, "bind");
}

void Statement::bind(int index, std::string_view text) {
  // TRANSIENT (SQLite copies): callers may pass temporaries that die before step().
  const int rc =
      sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  if (rc != SQLITE_OK) db_->fail(rc, "bind");
}

void Statement::bind(int index, Blob blob) {
  const int rc =
      sqlite3_bind_blob64(stmt_, index, blob.bytes.data(), blob.bytes.size(), SQLITE_TRANSIENT);
  if (rc != SQLITE_OK) db_->fail(rc, "bind");
}

void Statement::bind(int index, std::nullopt_t) {
  const int rc = sqlite3_bind_null(stmt_, index);
  if (rc != SQLITE_OK) db_->fail(rc, "bind");
}

bool Statement::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  db_->fail(rc, sqlite3_sql(stmt_));
}

void Statement::run() {
  while (step()) {
  }
}

bool Statement::is_null(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

std::int64_t Statement::int64(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

double Statement::real(int column) const {
  return sqlite3_column_double(stmt_, column);
}

std::string Statement::text(int column) const {
  const auto* chars = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
  return chars ? std::string(chars, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)))
               : std::string();
}

std::string_view Statement::blob(int column) const {
  const auto* bytes = static_cast<const char*>(sqlite3_column_blob(stmt_, column));
  return bytes ? std::string_view(bytes,
                                  static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)))
               : std::string_view();
}

std::optional<std::int64_t> Statement::optional_int64(int column) const {
  if (is_null(column)) return std::nullopt;
  return int64(column);
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

Transaction::Transaction(Database& db) : db_(db) {
  db_.exec("BEGIN IMMEDIATE", "begin");
}

Transaction::~Transaction() {
  if (!open_) return;
  // A failed statement may already have rolled back; the error from ROLLBACK is then moot.
  sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void Transaction::commit() {
  db_.exec("COMMIT", "commit");
  open_ = false;
}

}  // namespace lk::store::sqlite
