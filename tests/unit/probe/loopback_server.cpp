#include "loopback_server.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace lk::test {

namespace {

int bound_socket(int family, int type) {
  int fd = ::socket(family, type | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error("socket failed");
  sockaddr_storage ss{};
  socklen_t len = 0;
  if (family == AF_INET6) {
    auto* a = reinterpret_cast<sockaddr_in6*>(&ss);
    a->sin6_family = AF_INET6;
    a->sin6_addr = in6addr_loopback;
    len = sizeof(*a);
  } else {
    auto* a = reinterpret_cast<sockaddr_in*>(&ss);
    a->sin_family = AF_INET;
    a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    len = sizeof(*a);
  }
  if (::bind(fd, reinterpret_cast<sockaddr*>(&ss), len) != 0) {
    ::close(fd);
    throw std::runtime_error("bind failed");
  }
  return fd;
}

std::uint16_t port_of(int fd) {
  sockaddr_storage ss{};
  socklen_t len = sizeof(ss);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&ss), &len);
  if (ss.ss_family == AF_INET6) return ntohs(reinterpret_cast<sockaddr_in6*>(&ss)->sin6_port);
  return ntohs(reinterpret_cast<sockaddr_in*>(&ss)->sin_port);
}

/// Waits for `events` on fd or for the stop signal; true when fd is ready.
bool wait_for(int fd, short events, int stop_fd, int timeout_ms) {
  pollfd fds[2] = {{fd, events, 0}, {stop_fd, POLLIN, 0}};
  int rc = ::poll(fds, 2, timeout_ms);
  return rc > 0 && !(fds[1].revents & POLLIN) && fds[0].revents != 0;
}

std::size_t content_length(std::string_view head) {
  std::string lower(head);
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  auto at = lower.find("\ncontent-length:");
  if (at == std::string::npos) return 0;
  return std::strtoul(lower.c_str() + at + 16, nullptr, 10);
}

}  // namespace

std::string LoopbackServer::Connection::path() const {
  auto start = request_.find(' ');
  if (start == std::string::npos) return {};
  auto end = request_.find(' ', start + 1);
  return request_.substr(start + 1, end - start - 1);
}

bool LoopbackServer::Connection::send(std::string_view bytes) {
  while (!bytes.empty() && fd_ >= 0) {
    if (!wait_for(fd_, POLLOUT, stop_fd_, 5000)) return false;
    auto n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return fd_ >= 0;
}

bool LoopbackServer::Connection::pause(std::chrono::milliseconds d) {
  pollfd stop{stop_fd_, POLLIN, 0};
  return ::poll(&stop, 1, static_cast<int>(d.count())) == 0;
}

void LoopbackServer::Connection::hang() {
  char sink[4096];
  while (fd_ >= 0 && wait_for(fd_, POLLIN, stop_fd_, -1)) {
    auto n = ::recv(fd_, sink, sizeof(sink), 0);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) return;  // the client left
  }
}

void LoopbackServer::Connection::reset() {
  if (fd_ < 0) return;
  linger l{1, 0};
  ::setsockopt(fd_, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
  ::close(fd_);
  fd_ = -1;
}

LoopbackServer::LoopbackServer(Script script, int family, bool read_request)
    : script_(std::move(script)), family_(family), read_request_(read_request) {
  listen_fd_ = bound_socket(family, SOCK_STREAM);
  if (::listen(listen_fd_, 64) != 0) throw std::runtime_error("listen failed");
  port_ = port_of(listen_fd_);
  stop_fd_ = ::eventfd(0, EFD_CLOEXEC);
  thread_ = std::thread([this] { serve(); });
}

LoopbackServer::~LoopbackServer() {
  std::uint64_t one = 1;
  [[maybe_unused]] auto n = ::write(stop_fd_, &one, sizeof(one));
  thread_.join();
  ::close(listen_fd_);
  ::close(stop_fd_);
}

std::string LoopbackServer::url(std::string_view path) const {
  std::string host = family_ == AF_INET6 ? "[::1]" : "127.0.0.1";
  return "http://" + host + ":" + std::to_string(port_) + std::string(path);
}

std::vector<std::string> LoopbackServer::requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

void LoopbackServer::serve() {
  for (;;) {
    if (!wait_for(listen_fd_, POLLIN, stop_fd_, -1)) return;
    int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
    if (fd < 0) continue;
    std::string request;
    char chunk[4096];
    bool complete = !read_request_;
    while (!complete && wait_for(fd, POLLIN, stop_fd_, 5000)) {
      auto n = ::recv(fd, chunk, sizeof(chunk), 0);
      if (n <= 0) break;
      request.append(chunk, static_cast<std::size_t>(n));
      auto head_end = request.find("\r\n\r\n");
      if (head_end != std::string::npos)
        complete = request.size() >= head_end + 4 + content_length(request.substr(0, head_end));
    }
    {
      std::lock_guard lock(mutex_);
      requests_.push_back(request);
    }
    Connection c(fd, stop_fd_, std::move(request));
    if (complete) script_(c);
    if (c.fd_ >= 0) {
      // Let the client read everything before the FIN; a close with unread input sends a reset.
      ::shutdown(c.fd_, SHUT_WR);
      wait_for(c.fd_, POLLIN, stop_fd_, 200);
      ::close(c.fd_);
    }
  }
}

RefusingPort::RefusingPort() {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof(a));
  port_ = port_of(fd_);
}

RefusingPort::~RefusingPort() {
  ::close(fd_);
}

BlackholePort::BlackholePort() {
  listen_fd_ = bound_socket(AF_INET, SOCK_STREAM);
  ::listen(listen_fd_, 0);
  port_ = port_of(listen_fd_);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(port_);
  for (int i = 0; i < 3; ++i) {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof(a));
    fillers_.push_back(fd);
  }
  ::usleep(20000);  // let the handshakes that fit complete
}

BlackholePort::~BlackholePort() {
  for (int fd : fillers_) ::close(fd);
  ::close(listen_fd_);
}

}  // namespace lk::test
