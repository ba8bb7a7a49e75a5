#pragma once
// A Message as the outbox stores it (JSON, times in ns since the epoch) and back. The request
// is built from it at send time, with the notifier's settings as they are then: secrets never
// reach the database, and a fixed URL or token applies to notifications already queued.

#include <optional>
#include <string>
#include <string_view>

#include "alert/notify/message.hpp"

namespace lk::alert {

std::string encode(const Message& m);
/// nullopt for anything it cannot read; never throws.
std::optional<Message> decode_message(std::string_view text);

}  // namespace lk::alert
