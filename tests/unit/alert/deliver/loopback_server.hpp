#pragma once
// A tiny HTTP server on 127.0.0.1 (port 0) for sender tests: it records each request's raw
// bytes and answers with a canned response, or never answers at all.

#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>
#include "listen.hpp"

namespace lk::alert::deliver::test {

class LoopbackServer {
 public:
  /// `response` is written verbatim after each full request; empty means never answer.
  explicit LoopbackServer(std::string response) : response_(std::move(response)) {
    fd_ = listen_on_loopback(port_);
    thread_ = std::thread([this] { serve(); });
  }
  ~LoopbackServer() {
    stop_ = true;
    thread_.join();
    ::close(fd_);
  }

  std::uint16_t port() const { return port_; }
  std::string url(const std::string& path = "/") const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  std::vector<std::string> requests() {
    std::lock_guard lock(mutex_);
    return requests_;
  }

  /// A port on which nothing listens: bound, then closed.
  static std::uint16_t closed_port() {
    int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    socklen_t len = sizeof addr;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    ::close(fd);
    return ntohs(addr.sin_port);
  }

 private:
  // Waits up to 50 ms for `fd` to be readable, so that the loop notices stop_.
  bool readable(int fd) {
    pollfd p{fd, POLLIN, 0};
    return ::poll(&p, 1, 50) > 0;
  }

  void serve() {
    std::vector<int> open;
    while (!stop_) {
      if (!readable(fd_)) continue;
      int client = ::accept(fd_, nullptr, nullptr);
      if (client < 0) continue;
      open.push_back(client);
      std::string request = read_request(client);
      {
        std::lock_guard lock(mutex_);
        requests_.push_back(request);
      }
      if (response_.empty()) continue;  // keep it open and silent until the test ends
      ::send(client, response_.data(), response_.size(), MSG_NOSIGNAL);
      ::shutdown(client, SHUT_WR);
    }
    for (int fd : open) ::close(fd);
  }

  // Reads headers, then Content-Length bytes of body.
  std::string read_request(int client) {
    std::string data;
    char buffer[4096];
    while (!stop_) {
      auto end = data.find("\r\n\r\n");
      if (end != std::string::npos) {
        std::size_t length = 0;
        auto at = data.find("Content-Length: ");
        if (at != std::string::npos && at < end) length = std::stoul(data.substr(at + 16));
        if (data.size() >= end + 4 + length) return data;
      }
      if (!readable(client)) continue;
      auto n = ::recv(client, buffer, sizeof buffer, 0);
      if (n <= 0) return data;
      data.append(buffer, static_cast<std::size_t>(n));
    }
    return data;
  }

  std::string response_;
  int fd_ = -1;
  std::uint16_t port_ = 0;
  std::atomic<bool> stop_{false};
  std::mutex mutex_;
  std::vector<std::string> requests_;
  std::thread thread_;
};

}  // namespace lk::alert::deliver::test
