#pragma once
// A tiny SMTP server on 127.0.0.1 (port 0) for the mail sender's tests. It speaks enough of
// RFC 5321 for libcurl (greeting, EHLO, STARTTLS refused, AUTH PLAIN and LOGIN, MAIL, RCPT,
// DATA, QUIT), records every line the client sends and each message, and answers every step
// with the reply the test sets. It never does TLS.

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>
#include "listen.hpp"

namespace lk::alert::deliver::test {

/// The server's side of the dialogue. Replies are whole lines without CRLF; a multi-line reply
/// is written with "\r\n" between its lines ("550-first\r\n550 last").
struct SmtpScript {
  bool greet = true;  ///< false: accept connections and never say a word
  /// EHLO keywords after the greeting line, e.g. "STARTTLS" or "AUTH PLAIN LOGIN".
  std::vector<std::string> extensions = {"8BITMIME", "SIZE 10485760"};
  std::string starttls = "454 4.7.0 TLS not available";
  std::string auth = "235 2.7.0 Authentication successful";
  std::string mail = "250 2.1.0 Ok";
  std::string rcpt = "250 2.1.5 Ok";
  std::string data_end = "250 2.0.0 Ok: queued as 4F2A9C";
};

class SmtpServer {
 public:
  explicit SmtpServer(SmtpScript script) : script_(std::move(script)) {
    fd_ = listen_on_loopback(port_);
    thread_ = std::thread([this] { serve(); });
  }
  ~SmtpServer() {
    stop_ = true;
    thread_.join();
    ::close(fd_);
  }
  SmtpServer(const SmtpServer&) = delete;
  SmtpServer& operator=(const SmtpServer&) = delete;

  std::uint16_t port() const { return port_; }
  std::string url() const { return "smtp://127.0.0.1:" + std::to_string(port_); }
  /// Every line the client sent outside DATA, in order, without CRLF.
  std::vector<std::string> commands() {
    std::lock_guard lock(mutex_);
    return commands_;
  }
  /// Every message received between DATA and ".", dot-unstuffed, lines ending in CRLF.
  std::vector<std::string> messages() {
    std::lock_guard lock(mutex_);
    return messages_;
  }
  int connections() const { return connections_; }

 private:
  bool readable(int fd) {
    pollfd p{fd, POLLIN, 0};
    return ::poll(&p, 1, 50) > 0;
  }

  void serve() {
    std::vector<int> silent;
    while (!stop_) {
      if (!readable(fd_)) continue;
      int client = ::accept(fd_, nullptr, nullptr);
      if (client < 0) continue;
      ++connections_;
      if (!script_.greet) {
        silent.push_back(client);  // kept open and quiet until the test ends
        continue;
      }
      converse(client);
      ::close(client);
    }
    for (int fd : silent) ::close(fd);
  }

  void reply(int client, const std::string& text) {
    const std::string line = text + "\r\n";
    ::send(client, line.data(), line.size(), MSG_NOSIGNAL);
  }

  void record(const std::string& line) {
    std::lock_guard lock(mutex_);
    commands_.push_back(line);
  }

  // One line without its CRLF; nullopt when the client has gone (or the test ends).
  std::optional<std::string> read_line(int client) {
    for (;;) {
      auto end = buffer_.find("\r\n");
      if (end != std::string::npos) {
        std::string line = buffer_.substr(0, end);
        buffer_.erase(0, end + 2);
        return line;
      }
      if (stop_) return std::nullopt;
      if (!readable(client)) continue;
      char chunk[4096];
      auto n = ::recv(client, chunk, sizeof chunk, 0);
      if (n <= 0) return std::nullopt;
      buffer_.append(chunk, static_cast<std::size_t>(n));
    }
  }

  static bool starts_with(const std::string& line, std::string_view prefix) {
    return line.size() >= prefix.size() &&
           std::equal(prefix.begin(), prefix.end(), line.begin(), [](char a, char b) {
             return a == std::toupper(static_cast<unsigned char>(b));
           });
  }

  void converse(int client) {
    buffer_.clear();
    reply(client, "220 127.0.0.1 ESMTP test server");
    while (auto line = read_line(client)) {
      record(*line);
      if (starts_with(*line, "EHLO")) {
        std::string answer = "250";
        answer += script_.extensions.empty() ? " " : "-";
        answer += "127.0.0.1 greets you";
        for (std::size_t i = 0; i < script_.extensions.size(); ++i) {
          answer += "\r\n250";
          answer += i + 1 == script_.extensions.size() ? " " : "-";
          answer += script_.extensions[i];
        }
        reply(client, answer);
      } else if (starts_with(*line, "HELO") || starts_with(*line, "RSET") ||
                 starts_with(*line, "NOOP")) {
        reply(client, "250 2.0.0 Ok");
      } else if (starts_with(*line, "STARTTLS")) {
        reply(client, script_.starttls);
      } else if (starts_with(*line, "AUTH PLAIN")) {
        if (*line == "AUTH PLAIN") {  // no initial response: ask for it
          reply(client, "334 ");
          auto credentials = read_line(client);
          if (!credentials) return;
          record(*credentials);
        }
        reply(client, script_.auth);
      } else if (starts_with(*line, "AUTH LOGIN")) {
        if (*line == "AUTH LOGIN") {
          reply(client, "334 VXNlcm5hbWU6");
          auto user = read_line(client);
          if (!user) return;
          record(*user);
        }
        reply(client, "334 UGFzc3dvcmQ6");
        auto password = read_line(client);
        if (!password) return;
        record(*password);
        reply(client, script_.auth);
      } else if (starts_with(*line, "MAIL FROM:")) {
        reply(client, script_.mail);
      } else if (starts_with(*line, "RCPT TO:")) {
        reply(client, script_.rcpt);
      } else if (starts_with(*line, "DATA")) {
        reply(client, "354 End data with <CR><LF>.<CR><LF>");
        std::string message;
        for (;;) {
          auto data = read_line(client);
          if (!data) return;
          if (*data == ".") break;
          message += (data->starts_with("..") ? data->substr(1) : *data) + "\r\n";
        }
        {
          std::lock_guard lock(mutex_);
          messages_.push_back(message);
        }
        reply(client, script_.data_end);
      } else if (starts_with(*line, "QUIT")) {
        reply(client, "221 2.0.0 Bye");
        return;
      } else {
        reply(client, "502 5.5.2 Command not recognized");
      }
    }
  }

  SmtpScript script_;
  int fd_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> connections_{0};
  std::string buffer_;  // only the server thread touches it
  std::mutex mutex_;
  std::vector<std::string> commands_;
  std::vector<std::string> messages_;
  std::thread thread_;
};

}  // namespace lk::alert::deliver::test
