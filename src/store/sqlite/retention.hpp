#pragma once
// Retention: deletes raw results and fine-grained rollups once they are older than the policy
// keeps them. Day rollups are kept forever (they are what SLA reports are computed from).
// Used by the writer thread only.

#include <functional>

#include "core/time.hpp"
#include "store/sqlite/database.hpp"
#include "store/sqlite/write_queue.hpp"

namespace lk::store::sqlite {

struct RetentionPolicy {
  Duration raw_results;
  Duration minute_rollups;
  Duration hour_rollups;
};

class Retention {
 public:
  explicit Retention(Database& db);

  /// Deletes what `policy` no longer keeps at `now`, in transactions of a few thousand rows so
  /// the write lock is never held for long; `between_chunks` runs after each one (the writer
  /// commits urgent state changes there). Throws Error; chunks already committed stay deleted.
  PruneReport prune(TimePoint now, const RetentionPolicy& policy,
                    const std::function<void()>& between_chunks);

 private:
  Database& db_;
  Statement check_ids_;
  Statement delete_results_;
  Statement delete_rollups_;
};

}  // namespace lk::store::sqlite
