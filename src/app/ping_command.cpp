// `lightkeeper ping TOKEN`: the client for cron jobs and backup scripts.

#include <iostream>
#include <iterator>

#include "app/client.hpp"
#include "app/commands.hpp"
#include "state/heartbeat/settings.hpp"
#include "web/ping.hpp"

namespace lk::app {

int ping_command(const PingCommandOptions& o) {
  if (!state::heartbeat::valid_token(o.token)) {
    std::cerr << "lightkeeper ping: not a ping token (16 to 128 letters, digits, '-' or '_'); "
                 "`lightkeeper config print` shows each heartbeat's ping URL\n";
    return 2;
  }
  if (o.start && o.fail) {
    std::cerr << "lightkeeper ping: give --start or --fail, not both\n";
    return 2;
  }
  const auto timeout = parse_duration(o.timeout);
  if (!timeout || *timeout <= Duration::zero()) {
    std::cerr << "lightkeeper ping: --timeout: expected a duration like 10s, got \"" << o.timeout
              << "\"\n";
    return 2;
  }
  std::string body = o.message;
  if (body == "-") {
    body.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    if (body.size() > web::kMaxPingBody) body.resize(web::kMaxPingBody);
  }

  const std::string server = server_base(o.server, o.config_path, "lightkeeper ping");
  const std::string url = server + "/ping/" + o.token +
                          (o.start  ? "/start"
                           : o.fail ? "/fail"
                                    : "");
  auto answer = http_call("POST", url, body, "", *timeout, "lightkeeper-ping");
  // The URL holds the secret token: messages name the server only.
  if (answer.status == 0) {
    std::cerr << "lightkeeper ping: cannot reach " << server << ": " << answer.error << "\n";
    return 2;
  }
  const long status = answer.status;
  if (status == 404) {
    std::cerr << "lightkeeper ping: " << server
              << " has no heartbeat with this token (HTTP 404); check the token and the "
                 "server\n";
    return 1;
  }
  if (status < 200 || status > 299) {
    std::cerr << "lightkeeper ping: " << server << " answered HTTP " << status << "\n";
    return 1;
  }
  return 0;
}

}  // namespace lk::app
