#pragma once
// The write side of the notification outbox: enqueue (deduplicated by channel and idempotency
// key) and recording attempts. Runs inside BatchWriter's transaction, on the writer thread.

#include "store/sqlite/database.hpp"
#include "store/sqlite/write_queue.hpp"

namespace lk::store::sqlite {

class OutboxWriter {
 public:
  /// Prepares its statements on `db`, which must be migrated already.
  explicit OutboxWriter(Database& db);

  /// Inserts the notification unless its (channel, key) is stored; sets `request.id` either way.
  void apply(EnqueueRequest& request);
  /// Updates the notification and adds the attempt; sets `request.found`.
  void apply(AttemptRequest& request);

 private:
  Database& db_;
  Statement insert_;
  Statement find_by_key_;
  Statement update_after_attempt_;
  Statement insert_attempt_;
};

}  // namespace lk::store::sqlite
