#pragma once
// The read side of the notification outbox: what is due, and the listing behind
// GET /api/v1/notifications. Used by Reader, under its lock, on its read-only connection.

#include <vector>

#include "store/sqlite/database.hpp"
#include "store/store.hpp"

namespace lk::store::sqlite {

class OutboxReader {
 public:
  explicit OutboxReader(Database& db);

  // Same meaning as Store::due_notifications() and Store::notifications(); list() should run
  // in a ReadTransaction, so that the attempts belong to the snapshot the rows came from.
  std::vector<Notification> due(TimePoint now, std::size_t limit);
  std::vector<Notification> list(const NotificationQuery& query);

 private:
  Statement due_;
  Statement list_;
  Statement attempts_;
};

}  // namespace lk::store::sqlite
