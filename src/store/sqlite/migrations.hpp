#pragma once
// Schema migrations: numbered SQL files (src/store/migrations/NNNN_what.sql) embedded into the
// binary at build time and applied in order, one transaction each. PRAGMA user_version holds
// the number of the latest migration applied.

#include <span>
#include <string_view>

#include "store/sqlite/database.hpp"

namespace lk::store::sqlite {

struct EmbeddedMigration {
  int version;            ///< the user_version this migration leads to (1, 2, ...)
  std::string_view file;  ///< e.g. "0001_initial.sql", for error messages
  std::string_view sql;
};

/// The migrations compiled into this binary, in order (generated file).
std::span<const EmbeddedMigration> embedded_migrations();

/// The schema version of the open database (PRAGMA user_version; 0 for a new file).
int schema_version(Database& db);

/// Applies every migration newer than the database, each in its own transaction. Throws
/// std::runtime_error naming the file when the database is newer than `migrations` know, or a
/// migration fails (the failed one is rolled back; the earlier ones stay applied).
void migrate(Database& db, std::span<const EmbeddedMigration> migrations);
inline void migrate(Database& db) {
  migrate(db, embedded_migrations());
}

}  // namespace lk::store::sqlite
