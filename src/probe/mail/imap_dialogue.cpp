#include "probe/mail/imap_dialogue.hpp"

namespace lk::probe::mail {

namespace asio = boost::asio;

asio::awaitable<bool> ImapDialogue::greet() {
  std::string line;
  if (!co_await connection_.read_line(line, "the IMAP greeting")) co_return false;
  greeting_ = line;
  auto parsed = parse_imap_line(line);
  if (!parsed || parsed->kind != ImapLine::Kind::untagged) {
    connection_.fail(Layer::response,
                     "not an IMAP greeting from " + connection_.peer() + ": " + show(line));
    co_return false;
  }
  if (parsed->status == "BYE") {
    connection_.fail(Layer::response, "IMAP server at " + connection_.peer() +
                                          " refused the session: " + show(line));
    co_return false;
  }
  if (parsed->status != "OK" && parsed->status != "PREAUTH") {
    connection_.fail(Layer::response,
                     "unexpected IMAP greeting from " + connection_.peer() + ": " + show(line));
    co_return false;
  }
  capabilities_ = imap_capabilities(*parsed);
  co_return true;
}

asio::awaitable<bool> ImapDialogue::command(std::string_view text, std::string_view shown,
                                            Completion& done) {
  const std::string tag = "lk" + std::to_string(next_tag_++);
  const std::string request = tag + " " + std::string(text) + "\r\n";
  if (!co_await connection_.write(request, shown)) co_return false;
  const std::string awaiting = "the reply to " + std::string(shown);
  std::string line;
  for (std::size_t i = 0; i < kMaxReplyLines; ++i) {
    if (!co_await connection_.read_line(line, awaiting)) co_return false;
    auto parsed = parse_imap_line(line);
    if (!parsed) {
      connection_.fail(Layer::response, "not an IMAP response from " + connection_.peer() + " (" +
                                            awaiting + "): " + show(line));
      co_return false;
    }
    if (parsed->kind == ImapLine::Kind::untagged) {
      if (parsed->status == "BYE" && shown != "LOGOUT") {
        connection_.fail(Layer::response, "IMAP server at " + connection_.peer() +
                                              " closed the session after " + std::string(shown) +
                                              ": " + show(line));
        co_return false;
      }
      auto caps = imap_capabilities(*parsed);
      if (!caps.empty()) done.capabilities = std::move(caps);
      continue;
    }
    if (parsed->kind == ImapLine::Kind::continuation || parsed->tag != tag) {
      connection_.fail(Layer::response, "unexpected IMAP response from " + connection_.peer() +
                                            " (" + awaiting + "): " + show(line));
      co_return false;
    }
    done.status = parsed->status;
    done.line = parsed->status + (parsed->text.empty() ? "" : " " + std::string(parsed->text));
    auto caps = imap_capabilities(*parsed);
    if (!caps.empty()) done.capabilities = std::move(caps);
    co_return true;
  }
  connection_.fail(Layer::response, awaiting + " from " + connection_.peer() + " has more than " +
                                        std::to_string(kMaxReplyLines) + " lines");
  co_return false;
}

asio::awaitable<bool> ImapDialogue::ask_capabilities() {
  Completion done;
  if (!co_await command("CAPABILITY", "CAPABILITY", done)) co_return false;
  if (done.status != "OK") {
    connection_.fail(Layer::response, "IMAP server at " + connection_.peer() +
                                          " refused CAPABILITY: " + show(done.line));
    co_return false;
  }
  capabilities_ = std::move(done.capabilities);
  co_return true;
}

asio::awaitable<bool> ImapDialogue::request_starttls() {
  if (!has_capability(capabilities_, "STARTTLS")) {
    connection_.fail(Layer::response, "IMAP server at " + connection_.peer() +
                                          " does not offer STARTTLS (it offers: " +
                                          join_capabilities(capabilities_) + ")");
    co_return false;
  }
  Completion done;
  if (!co_await command("STARTTLS", "STARTTLS", done)) co_return false;
  if (done.status == "OK") co_return true;
  connection_.fail(Layer::response, "IMAP server at " + connection_.peer() +
                                        " refused STARTTLS: " + show(done.line));
  co_return false;
}

asio::awaitable<bool> ImapDialogue::login(const std::string& username,
                                          const std::string& password) {
  if (has_capability(capabilities_, "LOGINDISABLED")) {
    connection_.fail(Layer::response,
                     "IMAP server at " + connection_.peer() +
                         " does not allow LOGIN here (LOGINDISABLED)" +
                         (connection_.is_tls() ? "" : ": use starttls: true or tls: true"));
    co_return false;
  }
  Completion done;
  const std::string login = "LOGIN " + imap_quote(username) + " " + imap_quote(password);
  if (!co_await command(login, "LOGIN", done)) co_return false;
  if (done.status != "OK") {
    connection_.fail(Layer::response, "IMAP login as " + username + " at " + connection_.peer() +
                                          " refused: " + show(done.line));
    co_return false;
  }
  if (!done.capabilities.empty()) capabilities_ = std::move(done.capabilities);
  co_return true;
}

asio::awaitable<bool> ImapDialogue::say_goodbye() {
  Completion done;
  co_return co_await command("LOGOUT", "LOGOUT", done);
}

}  // namespace lk::probe::mail
