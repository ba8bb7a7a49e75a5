#include "probe/mail/pop3_dialogue.hpp"

namespace lk::probe::mail {

namespace asio = boost::asio;

asio::awaitable<bool> Pop3Dialogue::greet() {
  std::string line;
  if (!co_await connection_.read_line(line, "the POP3 greeting")) co_return false;
  greeting_ = line;
  auto status = parse_pop3_status(line);
  if (!status) {
    connection_.fail(Layer::response,
                     "not a POP3 greeting from " + connection_.peer() + ": " + show(line));
    co_return false;
  }
  if (!status->ok) {
    connection_.fail(Layer::response, "POP3 server at " + connection_.peer() +
                                          " refused the session: " + show(line));
    co_return false;
  }
  co_return true;
}

asio::awaitable<bool> Pop3Dialogue::exchange(std::string_view command, std::string_view shown,
                                             bool& ok, std::string& status_line) {
  const std::string request = std::string(command) + "\r\n";
  if (!co_await connection_.write(request, shown)) co_return false;
  const std::string awaiting = "the reply to " + std::string(shown);
  if (!co_await connection_.read_line(status_line, awaiting)) co_return false;
  auto status = parse_pop3_status(status_line);
  if (!status) {
    connection_.fail(Layer::response, "not a POP3 reply from " + connection_.peer() + " (" +
                                          awaiting + "): " + show(status_line));
    co_return false;
  }
  ok = status->ok;
  co_return true;
}

asio::awaitable<bool> Pop3Dialogue::ask_capabilities() {
  bool ok = false;
  std::string line;
  if (!co_await exchange("CAPA", "CAPA", ok, line)) co_return false;
  capabilities_.clear();
  // -ERR: a server from before RFC 2449; it answered, which is what matters.
  if (!ok) co_return true;
  for (std::size_t i = 0; i < kMaxReplyLines; ++i) {
    if (!co_await connection_.read_line(line, "the capability list")) co_return false;
    if (pop3_end_of_list(line)) co_return true;
    capabilities_.push_back(line);
  }
  connection_.fail(Layer::response, "the capability list from " + connection_.peer() +
                                        " has more than " + std::to_string(kMaxReplyLines) +
                                        " lines");
  co_return false;
}

asio::awaitable<bool> Pop3Dialogue::request_starttls() {
  if (!has_capability(capabilities_, "STLS")) {
    connection_.fail(Layer::response, "POP3 server at " + connection_.peer() +
                                          " does not offer STLS (it offers: " +
                                          join_capabilities(capabilities_) + ")");
    co_return false;
  }
  bool ok = false;
  std::string line;
  if (!co_await exchange("STLS", "STLS", ok, line)) co_return false;
  if (ok) co_return true;
  connection_.fail(Layer::response,
                   "POP3 server at " + connection_.peer() + " refused STLS: " + show(line));
  co_return false;
}

asio::awaitable<bool> Pop3Dialogue::login(const std::string& username,
                                          const std::string& password) {
  bool ok = false;
  std::string line;
  const std::string user = "USER " + username;
  if (!co_await exchange(user, "USER", ok, line)) co_return false;
  if (ok) {
    const std::string pass = "PASS " + password;
    if (!co_await exchange(pass, "PASS", ok, line)) co_return false;
  }
  if (ok) co_return true;
  connection_.fail(Layer::response, "POP3 login as " + username + " at " + connection_.peer() +
                                        " refused: " + show(line));
  co_return false;
}

asio::awaitable<bool> Pop3Dialogue::say_goodbye() {
  bool ok = false;
  std::string line;
  co_return co_await exchange("QUIT", "QUIT", ok, line);
}

}  // namespace lk::probe::mail
