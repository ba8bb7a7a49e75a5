#include "probe/dns/ares_channel.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cstring>

#include "probe/dns/ares_socket.hpp"

namespace lk::probe::dns {

namespace asio = boost::asio;

std::string address_text(int family, const void* bytes, std::uint16_t port) {
  char text[INET6_ADDRSTRLEN] = {};
  if (!inet_ntop(family, bytes, text, sizeof text)) return "?";
  if (family == AF_INET6) return "[" + std::string(text) + "]:" + std::to_string(port);
  return std::string(text) + ":" + std::to_string(port);
}

std::string ServerAddress::text() const {
  return address_text(family, bytes, port);
}

struct AresChannel::Wait {
  Wait(asio::io_context& io, AresChannel* c) : waker(io), channel(c) {}
  asio::steady_timer waker;  ///< expires at the deadline; cancelled to wake the exchange early
  bool done = false;         ///< c-ares called back
  AresChannel* channel;      ///< outlives every wait: its destruction calls them all back
  Exchange result;
  std::uint64_t notes_before = 0;
  std::uint64_t garbage_before = 0;
};

AresChannel::AresChannel(asio::io_context& io) : io_(io), timer_(io) {
  functions_.asocket = &AresChannel::open_socket;
  functions_.aclose = &AresChannel::close_socket;
  functions_.aconnect = &AresChannel::connect_socket;
  functions_.arecvfrom = &AresChannel::receive;
  functions_.asendv = &AresChannel::send_vector;
}

std::unique_ptr<AresChannel> AresChannel::create(asio::io_context& io, const ChannelConfig& config,
                                                 std::string& error) {
  // Process-wide and idempotent; a function-local static runs it once, thread-safely.
  static const int library_status = ares_library_init(ARES_LIB_INIT_ALL);
  if (library_status != ARES_SUCCESS) {
    error = std::string("c-ares could not start: ") + ares_strerror(library_status);
    return nullptr;
  }
  std::unique_ptr<AresChannel> c(new AresChannel(io));
  ares_options options{};
  int mask = ARES_OPT_FLAGS | ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES | ARES_OPT_SOCK_STATE_CB;
  options.flags = 0;
  if (config.raw_answers) {
    options.flags |= ARES_FLAG_NOCHECKRESP | ARES_FLAG_NOSEARCH | ARES_FLAG_NOALIASES;
    if (!config.tcp_only) options.flags |= ARES_FLAG_IGNTC;  // the probe retries over TCP itself
  }
  if (config.tcp_only) options.flags |= ARES_FLAG_USEVC;
  options.timeout = static_cast<int>(std::max<std::int64_t>(1, config.timeout.count()));
  // One try: a monitor reports what one query saw; retransmitting would hide packet loss.
  options.tries = 1;
  options.sock_state_cb = &AresChannel::on_socket_state;
  options.sock_state_cb_data = c.get();
  int status = ares_init_options(&c->channel_, &options, mask);
  if (status != ARES_SUCCESS) {
    c->channel_ = nullptr;
    error = std::string("c-ares could not make a channel: ") + ares_strerror(status);
    return nullptr;
  }
  ares_set_socket_functions(c->channel_, &c->functions_, c.get());
  if (config.server) {
    ares_addr_port_node node{};
    node.family = config.server->family;
    std::memcpy(&node.addr, config.server->bytes,
                config.server->family == AF_INET ? sizeof(in_addr) : sizeof(ares_in6_addr));
    node.udp_port = config.server->port;
    node.tcp_port = config.server->port;
    status = ares_set_servers_ports(c->channel_, &node);
    if (status != ARES_SUCCESS) {
      error = "c-ares refused the server " + config.server->text() + ": " + ares_strerror(status);
      return nullptr;
    }
  }
  return c;
}

AresChannel::~AresChannel() {
  // Ends every query (their callbacks see ARES_EDESTRUCTION) and closes the sockets through
  // close_socket, which stops watching them.
  if (channel_) ares_destroy(channel_);
  timer_.cancel();
  for (auto& [fd, s] : sockets_) forget(*s);
}

std::vector<std::string> AresChannel::servers() const {
  std::vector<std::string> out;
  ares_addr_port_node* list = nullptr;
  if (ares_get_servers_ports(channel_, &list) != ARES_SUCCESS) return out;
  for (auto* node = list; node; node = node->next)
    out.push_back(address_text(node->family, &node->addr,
                               static_cast<std::uint16_t>(node->udp_port ? node->udp_port : 53)));
  ares_free_data(list);
  return out;
}

asio::awaitable<Exchange> AresChannel::ask(std::span<const std::uint8_t> query, Deadline deadline) {
  auto wait = std::make_shared<Wait>(io_, this);
  wait->notes_before = notes_;
  wait->garbage_before = garbage_;
  waiting_.push_back(wait.get());
  // The callback owns a reference: an exchange given up at the deadline is freed when c-ares
  // finally ends it.
  ares_send(channel_, query.data(), static_cast<int>(query.size()), &AresChannel::on_answer,
            new std::shared_ptr<Wait>(wait));
  schedule_timeout();
  return wait_for(std::move(wait), deadline);
}

asio::awaitable<Exchange> AresChannel::lookup(const std::string& host, std::uint16_t port,
                                              Deadline deadline) {
  auto wait = std::make_shared<Wait>(io_, this);
  wait->notes_before = notes_;
  wait->garbage_before = garbage_;
  waiting_.push_back(wait.get());
  wait->result.address.emplace();
  wait->result.address->port = port;
  ares_addrinfo_hints hints{};
  hints.ai_family = AF_UNSPEC;
  ares_getaddrinfo(channel_, host.c_str(), nullptr, &hints, &AresChannel::on_address,
                   new std::shared_ptr<Wait>(wait));
  schedule_timeout();
  return wait_for(std::move(wait), deadline);
}

asio::awaitable<Exchange> AresChannel::wait_for(std::shared_ptr<Wait> wait, Deadline deadline) {
  wait->waker.expires_at(deadline);
  while (!wait->done && garbage_ == wait->garbage_before) {
    boost::system::error_code ec;
    co_await wait->waker.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    if (!ec) break;  // the deadline
  }
  waiting_.erase(std::find(waiting_.begin(), waiting_.end(), wait.get()));
  Exchange out;
  if (wait->done) {
    out = std::move(wait->result);
  } else {
    out.outcome = garbage_ != wait->garbage_before ? Exchange::Outcome::garbage
                                                   : Exchange::Outcome::timed_out;
    wait->done = true;  // what c-ares says about it from now on is not heard
  }
  if (notes_ != wait->notes_before) out.socket_note = last_note_;
  if (waiting_.empty()) {
    // Nobody waits for what c-ares may still hold (exchanges given up at their deadline or
    // on garbage): end it now rather than at c-ares' own timeout, so its sockets close and
    // `lightkeeper check` need not wait for them.
    ares_cancel(channel_);
    schedule_timeout();
  }
  co_return out;
}

void AresChannel::on_answer(void* arg, int status, int, unsigned char* answer, int length) {
  auto* holder = static_cast<std::shared_ptr<Wait>*>(arg);
  Wait& w = **holder;
  if (!w.done) {
    w.done = true;
    w.result.status = status;
    w.result.outcome =
        status == ARES_SUCCESS ? Exchange::Outcome::answered : Exchange::Outcome::failed;
    if (status == ARES_SUCCESS && answer && length > 0) {
      // c-ares 1.18 cuts a UDP answer to 512 bytes when it is told to hand back truncated
      // answers (ARES_FLAG_IGNTC) without its own EDNS flag, which it cannot be given here (it
      // would rewrite our queries on a FORMERR). The whole datagram was kept when read.
      const auto& whole = w.channel->long_datagram_;
      if (static_cast<std::size_t>(length) == kPlainUdpSize && whole.size() > kPlainUdpSize &&
          std::equal(answer, answer + length, whole.begin()))
        w.result.answer = whole;
      else
        w.result.answer.assign(answer, answer + length);
    }
    w.waker.cancel();
  }
  delete holder;
}

void AresChannel::on_address(void* arg, int status, int, struct ares_addrinfo* result) {
  auto* holder = static_cast<std::shared_ptr<Wait>*>(arg);
  Wait& w = **holder;
  if (!w.done) {
    w.done = true;
    w.result.status = status;
    w.result.outcome = Exchange::Outcome::failed;
    const ares_addrinfo_node* node = result ? result->nodes : nullptr;
    if (status == ARES_SUCCESS && node && node->ai_addr) {
      ServerAddress& a = *w.result.address;
      if (node->ai_family == AF_INET) {
        a.family = AF_INET;
        std::memcpy(a.bytes, &reinterpret_cast<const sockaddr_in*>(node->ai_addr)->sin_addr, 4);
        w.result.outcome = Exchange::Outcome::answered;
      } else if (node->ai_family == AF_INET6) {
        a.family = AF_INET6;
        std::memcpy(a.bytes, &reinterpret_cast<const sockaddr_in6*>(node->ai_addr)->sin6_addr, 16);
        w.result.outcome = Exchange::Outcome::answered;
      }
    }
    if (w.result.outcome != Exchange::Outcome::answered) {
      w.result.address.reset();
      if (w.result.status == ARES_SUCCESS) w.result.status = ARES_ENODATA;
    }
    w.waker.cancel();
  }
  if (result) ares_freeaddrinfo(result);
  delete holder;
}

void AresChannel::process(ares_socket_t read_fd, ares_socket_t write_fd) {
  ares_process_fd(channel_, read_fd, write_fd);
  schedule_timeout();
}

void AresChannel::schedule_timeout() {
  timeval tv{};
  if (!ares_timeout(channel_, nullptr, &tv)) {
    timer_.cancel();
    return;
  }
  timer_.expires_after(std::chrono::seconds(tv.tv_sec) + std::chrono::microseconds(tv.tv_usec));
  timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;  // replaced by a newer wake-up, or the channel is going away
    process(ARES_SOCKET_BAD, ARES_SOCKET_BAD);
  });
}

void AresChannel::note(SocketNote::Kind kind, std::string text) {
  ++notes_;
  last_note_ = {kind, std::move(text)};
  if (kind != SocketNote::Kind::garbage) return;
  ++garbage_;
  for (Wait* w : waiting_) w->waker.cancel();
}

}  // namespace lk::probe::dns
