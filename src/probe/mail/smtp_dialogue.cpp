#include "probe/mail/smtp_dialogue.hpp"

#include <algorithm>

namespace lk::probe::mail {

namespace asio = boost::asio;

asio::awaitable<bool> SmtpDialogue::read_reply(SmtpReply& reply, std::string_view awaiting) {
  std::string line;
  for (std::size_t i = 0; i < kMaxReplyLines; ++i) {
    if (!co_await connection_.read_line(line, awaiting)) co_return false;
    switch (reply.feed(line)) {
      case SmtpReply::Feed::done:
        co_return true;
      case SmtpReply::Feed::more:
        continue;
      case SmtpReply::Feed::bad:
        connection_.fail(Layer::response, "not an SMTP reply from " + connection_.peer() + " (" +
                                              std::string(awaiting) + "): " + show(line));
        co_return false;
    }
  }
  connection_.fail(Layer::response, std::string(awaiting) + " from " + connection_.peer() +
                                        " has more than " + std::to_string(kMaxReplyLines) +
                                        " lines");
  co_return false;
}

asio::awaitable<bool> SmtpDialogue::exchange(std::string_view command, std::string_view shown,
                                             SmtpReply& reply) {
  const std::string request = std::string(command) + "\r\n";
  if (!co_await connection_.write(request, shown)) co_return false;
  const std::string awaiting = "the reply to " + std::string(shown);
  co_return co_await read_reply(reply, awaiting);
}

asio::awaitable<bool> SmtpDialogue::greet() {
  SmtpReply reply;
  if (!co_await read_reply(reply, "the SMTP greeting")) co_return false;
  greeting_.clear();
  for (std::size_t i = 0; i < reply.lines().size(); ++i) {
    if (i > 0) greeting_ += '\n';
    greeting_ += std::to_string(reply.code()) + (i + 1 < reply.lines().size() ? "-" : " ") +
                 reply.lines()[i];
  }
  if (reply.code() == 220) co_return true;
  // 554 instead of 220: the server is up but refuses to talk (RFC 5321 section 3.1).
  connection_.fail(Layer::response, "SMTP server at " + connection_.peer() +
                                        " refused the session: " + show(greeting_));
  co_return false;
}

asio::awaitable<bool> SmtpDialogue::ask_capabilities() {
  SmtpReply reply;
  const std::string ehlo = "EHLO " + ehlo_name_;
  if (!co_await exchange(ehlo, "EHLO", reply)) co_return false;
  if (reply.code() == 250) {
    // The first line greets; each further line is one extension.
    capabilities_.assign(reply.lines().begin() + 1, reply.lines().end());
    co_return true;
  }
  if (reply.code() == 500 || reply.code() == 502) {
    // A server from before ESMTP: HELO still proves it answers.
    SmtpReply helo;
    const std::string helo_command = "HELO " + ehlo_name_;
    if (!co_await exchange(helo_command, "HELO", helo)) co_return false;
    if (helo.code() == 250) {
      capabilities_.clear();
      co_return true;
    }
    connection_.fail(Layer::response, "SMTP server at " + connection_.peer() +
                                          " refused EHLO and HELO: " + show(helo.summary()));
    co_return false;
  }
  connection_.fail(Layer::response, "SMTP server at " + connection_.peer() +
                                        " refused EHLO: " + show(reply.summary()));
  co_return false;
}

asio::awaitable<bool> SmtpDialogue::request_starttls() {
  if (!has_capability(capabilities_, "STARTTLS")) {
    connection_.fail(Layer::response, "SMTP server at " + connection_.peer() +
                                          " does not offer STARTTLS (it offers: " +
                                          join_capabilities(capabilities_) + ")");
    co_return false;
  }
  SmtpReply reply;
  if (!co_await exchange("STARTTLS", "STARTTLS", reply)) co_return false;
  if (reply.code() == 220) co_return true;
  connection_.fail(Layer::response, "SMTP server at " + connection_.peer() +
                                        " refused STARTTLS: " + show(reply.summary()));
  co_return false;
}

asio::awaitable<bool> SmtpDialogue::login(const std::string& username,
                                          const std::string& password) {
  auto mechanisms = capability_arguments(capabilities_, "AUTH");
  auto offers = [&](std::string_view m) {
    return std::find(mechanisms.begin(), mechanisms.end(), m) != mechanisms.end();
  };
  auto refused = [&](const SmtpReply& reply) {
    connection_.fail(Layer::response, "SMTP login as " + username + " at " + connection_.peer() +
                                          " refused: " + show(reply.summary()));
  };
  SmtpReply reply;
  if (offers("PLAIN")) {
    std::string token = base64(std::string(1, '\0') + username + '\0' + password);
    const std::string auth = "AUTH PLAIN " + token;
    if (!co_await exchange(auth, "AUTH PLAIN", reply)) co_return false;
    if (reply.code() != 235) refused(reply);
    co_return reply.code() == 235;
  }
  if (offers("LOGIN")) {
    if (!co_await exchange("AUTH LOGIN", "AUTH LOGIN", reply)) co_return false;
    if (reply.code() == 334) {
      reply = {};
      const std::string encoded = base64(username);
      if (!co_await exchange(encoded, "the AUTH LOGIN user name", reply)) co_return false;
    }
    if (reply.code() == 334) {
      reply = {};
      const std::string encoded = base64(password);
      if (!co_await exchange(encoded, "the AUTH LOGIN password", reply)) co_return false;
    }
    if (reply.code() != 235) refused(reply);
    co_return reply.code() == 235;
  }
  connection_.fail(
      Layer::response,
      "SMTP server at " + connection_.peer() +
          (mechanisms.empty() ? " offers no AUTH" : " offers neither AUTH PLAIN nor LOGIN") +
          (connection_.is_tls() ? "" : " (some servers offer it only after STARTTLS)"));
  co_return false;
}

asio::awaitable<bool> SmtpDialogue::say_goodbye() {
  SmtpReply reply;
  co_return co_await exchange("QUIT", "QUIT", reply);
}

}  // namespace lk::probe::mail
