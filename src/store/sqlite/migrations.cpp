#include "store/sqlite/migrations.hpp"

#include <stdexcept>
#include <string>

namespace lk::store::sqlite {

int schema_version(Database& db) {
  return static_cast<int>(db.query_int("PRAGMA user_version"));
}

void migrate(Database& db, std::span<const EmbeddedMigration> migrations) {
  const int known = migrations.empty() ? 0 : migrations.back().version;
  const int current = schema_version(db);
  if (current > known) {
    throw std::runtime_error("store " + db.path() + ": the database has schema version " +
                             std::to_string(current) + ", but this lightkeeper knows only up to " +
                             std::to_string(known) +
                             "; it was written by a newer lightkeeper: upgrade lightkeeper, or "
                             "restore a backup taken before the upgrade");
  }
  for (const EmbeddedMigration& migration : migrations) {
    if (migration.version <= current) continue;
    Transaction transaction(db);
    // Another process may have migrated while we waited for the write lock: look again.
    if (schema_version(db) >= migration.version) continue;
    const std::string what = "migration " + std::string(migration.file);
    db.exec(migration.sql, what);
    // user_version lives in the database header and is part of this transaction.
    db.exec("PRAGMA user_version = " + std::to_string(migration.version), what);
    transaction.commit();
  }
}

}  // namespace lk::store::sqlite
