#pragma once
// A thin RAII layer over the sqlite3 C API: a connection, prepared statements that are
// prepared once and reused, and a write transaction that rolls back unless committed.
// Every error names the database file, so a log line says which store failed.

#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include "core/time.hpp"

namespace lk::store::sqlite {

/// A failed SQLite call. `code()` is the SQLite result code (SQLITE_BUSY, SQLITE_FULL, ...).
class Error : public std::runtime_error {
 public:
  Error(std::string message, int code) : std::runtime_error(std::move(message)), code_(code) {}
  int code() const { return code_; }

 private:
  int code_;
};

/// Binary column value (histograms).
struct Blob {
  std::string_view bytes;
};

class Database {
 public:
  enum class Access { read_write_create, read_only };

  /// Opens the file; throws Error naming `path` when it cannot.
  Database(std::string path, Access access, Duration busy_timeout);
  ~Database();
  Database(Database&& other) noexcept;
  Database& operator=(Database&&) = delete;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  sqlite3* handle() const { return db_; }
  const std::string& path() const { return path_; }

  /// Runs one or more statements that return no rows of interest (DDL, pragmas).
  void exec(std::string_view sql, std::string_view what);
  /// Runs a statement that returns one integer (e.g. `PRAGMA user_version`).
  std::int64_t query_int(const std::string& sql);
  /// Runs a statement that returns one text value (e.g. `PRAGMA journal_mode=WAL`).
  std::string query_text(const std::string& sql);
  /// Rows changed by the latest INSERT, UPDATE or DELETE on this connection.
  std::int64_t changes() const { return sqlite3_changes64(db_); }
  std::int64_t last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }

  /// Throws Error "store PATH: WHAT: sqlite message" for result code `code`.
  [[noreturn]] void fail(int code, std::string_view what) const;

 private:
  std::string path_;
  sqlite3* db_ = nullptr;
};

/// A prepared statement. Use it through `use()`, which resets it afterwards: a statement left
/// mid-way would keep a read transaction open and pin an old snapshot of the database.
class Statement {
 public:
  Statement(Database& db, std::string_view sql);
  ~Statement();
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  /// Scoped use of the statement: reset and its bindings cleared when it goes out of scope.
  class Use {
   public:
    explicit Use(Statement& s) : statement_(&s) {}
    ~Use() { statement_->reset(); }
    Use(const Use&) = delete;
    Use& operator=(const Use&) = delete;
    Statement* operator->() const { return statement_; }
    Statement& operator*() const { return *statement_; }

   private:
    Statement* statement_;
  };
  [[nodiscard]] Use use() { return Use(*this); }

  // Parameters are numbered from 1, as in SQLite.
  void bind(int index, std::int64_t value);
  void bind(int index, int value) { bind(index, static_cast<std::int64_t>(value)); }
  void bind(int index, double value);
  void bind(int index, std::string_view text);
  void bind(int index, const std::string& text) { bind(index, std::string_view(text)); }
  void bind(int index, const char* text) { bind(index, std::string_view(text)); }
  void bind(int index, Blob blob);
  void bind(int index, std::nullopt_t);
  template <class T>
  void bind(int index, const std::optional<T>& value) {
    if (value)
      bind(index, *value);
    else
      bind(index, std::nullopt);
  }
  /// Binds the arguments to parameters 1, 2, 3, ...
  template <class... Args>
  void bind_all(const Args&... args) {
    int index = 0;
    (bind(++index, args), ...);
  }

  /// Advances; true when a row is available, false when done. Throws Error on failure.
  bool step();
  /// Steps a statement that returns no rows.
  void run();

  bool is_null(int column) const;
  std::int64_t int64(int column) const;
  double real(int column) const;
  std::string text(int column) const;
  std::string_view blob(int column) const;
  std::optional<std::int64_t> optional_int64(int column) const;

  void reset();

 private:
  Database* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

/// BEGIN IMMEDIATE ... COMMIT; rolls back in the destructor unless committed. IMMEDIATE takes
/// the write lock up front, so a busy database fails at BEGIN instead of half-way through.
class Transaction {
 public:
  explicit Transaction(Database& db);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  void commit();

 private:
  Database& db_;
  bool open_ = true;
};

/// A read transaction: several statements in it see one snapshot of the database. Always ended
/// on the way out: an open read transaction would pin its snapshot and keep the WAL growing.
class ReadTransaction {
 public:
  explicit ReadTransaction(Database& db) : db_(db) { db_.exec("BEGIN", "begin a read"); }
  ~ReadTransaction() { sqlite3_exec(db_.handle(), "COMMIT", nullptr, nullptr, nullptr); }
  ReadTransaction(const ReadTransaction&) = delete;
  ReadTransaction& operator=(const ReadTransaction&) = delete;

 private:
  Database& db_;
};

}  // namespace lk::store::sqlite
