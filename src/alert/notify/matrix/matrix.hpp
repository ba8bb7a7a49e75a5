#pragma once
// Matrix client-server API: PUT <homeserver>/_matrix/client/v3/rooms/<room id>/send/
// m.room.message/<txnId> with "Authorization: Bearer <access token>" and JSON {msgtype: "m.text",
// body}. The transaction id is the message's idempotency key, so a retried send is not posted
// twice by the homeserver.

#include <memory>
#include <span>
#include <string>

#include "alert/notify/channel.hpp"
#include "alert/notify/message.hpp"

namespace lk::alert::matrix {

struct Settings {
  std::string homeserver;  ///< https://matrix.example.org
  std::string room_id;     ///< "!abcdef:example.org"
  std::string access_token;
  std::string template_text;
};

inline constexpr std::string_view kDefaultTemplate = "{{title}}\n{{body}}";

HttpRequest build(const Message& m, const Settings& s);

/// The `type: matrix` options, their reader and the request for a message (see channel.hpp).
std::span<const config::Option> options();
std::shared_ptr<const ChannelSettings> parse(config::Fields& fields);
Request build_request(const Message& m, const ChannelSettings& settings);

}  // namespace lk::alert::matrix
