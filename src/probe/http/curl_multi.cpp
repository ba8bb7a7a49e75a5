#include "probe/http/curl_multi.hpp"

#include <boost/asio/post.hpp>

#include <stdexcept>

namespace lk::probe::http {

namespace asio = boost::asio;

struct CurlMulti::Socket {
  explicit Socket(asio::io_context& io) : descriptor(io) {}
  asio::posix::stream_descriptor descriptor;
  curl_socket_t fd = CURL_SOCKET_BAD;
  int want = 0;          ///< CURL_POLL_* curl asked for
  bool reading = false;  ///< an async_wait for readability is pending
  bool writing = false;
  bool closed = false;
};

CurlMulti::CurlMulti(asio::io_context& io) : io_(io), multi_(curl_multi_init()), timer_(io) {
  if (!multi_) throw std::runtime_error("curl_multi_init failed");
  curl_multi_setopt(multi_, CURLMOPT_SOCKETFUNCTION, &CurlMulti::on_socket);
  curl_multi_setopt(multi_, CURLMOPT_SOCKETDATA, this);
  curl_multi_setopt(multi_, CURLMOPT_TIMERFUNCTION, &CurlMulti::on_timer);
  curl_multi_setopt(multi_, CURLMOPT_TIMERDATA, this);
}

CurlMulti::~CurlMulti() {
  timer_.cancel();
  for (auto& [fd, s] : sockets_) forget(*s);
  sockets_.clear();
  curl_multi_cleanup(multi_);
}

void CurlMulti::add(CURL* easy, TransferListener* listener) {
  curl_easy_setopt(easy, CURLOPT_PRIVATE, listener);
  CURLMcode rc = curl_multi_add_handle(multi_, easy);
  if (rc != CURLM_OK) {
    // Report asynchronously so the caller sees one completion path.
    asio::post(io_, [listener] { listener->transfer_done(CURLE_FAILED_INIT); });
    return;
  }
  ++running_;
}

void CurlMulti::remove(CURL* easy) {
  if (curl_multi_remove_handle(multi_, easy) == CURLM_OK && running_ > 0) --running_;
}

void CurlMulti::forget(Socket& s) {
  // curl owns and closes the socket; Asio only stops watching it (release, never close).
  s.closed = true;
  s.want = 0;
  boost::system::error_code ec;
  s.descriptor.cancel(ec);
  if (s.descriptor.is_open()) s.descriptor.release();
}

int CurlMulti::on_socket(CURL*, curl_socket_t fd, int what, void* self, void* socketp) {
  auto* multi = static_cast<CurlMulti*>(self);
  auto* known = static_cast<Socket*>(socketp);
  if (what == CURL_POLL_REMOVE) {
    auto it = multi->sockets_.find(fd);
    if (it != multi->sockets_.end()) {
      multi->forget(*it->second);
      multi->sockets_.erase(it);
    }
    curl_multi_assign(multi->multi_, fd, nullptr);
    return 0;
  }
  std::shared_ptr<Socket> s;
  auto it = multi->sockets_.find(fd);
  if (known && it != multi->sockets_.end() && it->second.get() == known) {
    s = it->second;
  } else {
    // A socket curl has not told us about: if an entry with this number is left over (curl
    // closed that socket without a REMOVE), drop it before watching the new one.
    if (it != multi->sockets_.end()) {
      multi->forget(*it->second);
      multi->sockets_.erase(it);
    }
    s = std::make_shared<Socket>(multi->io_);
    boost::system::error_code ec;
    s->descriptor.assign(fd, ec);
    if (ec) return -1;  // curl fails this transfer; never throw through curl's C frames
    s->fd = fd;
    multi->sockets_.emplace(fd, s);
    curl_multi_assign(multi->multi_, fd, s.get());
  }
  s->want = what;
  multi->arm(s);
  return 0;
}

void CurlMulti::arm(const std::shared_ptr<Socket>& s) {
  if (s->closed) return;
  if ((s->want & CURL_POLL_IN) && !s->reading) {
    s->reading = true;
    s->descriptor.async_wait(asio::posix::stream_descriptor::wait_read,
                             [this, s](const boost::system::error_code& ec) {
                               s->reading = false;
                               if (ec || s->closed || !(s->want & CURL_POLL_IN)) return;
                               socket_action(s->fd, CURL_CSELECT_IN);
                               arm(s);
                             });
  }
  if ((s->want & CURL_POLL_OUT) && !s->writing) {
    s->writing = true;
    s->descriptor.async_wait(asio::posix::stream_descriptor::wait_write,
                             [this, s](const boost::system::error_code& ec) {
                               s->writing = false;
                               if (ec || s->closed || !(s->want & CURL_POLL_OUT)) return;
                               socket_action(s->fd, CURL_CSELECT_OUT);
                               arm(s);
                             });
  }
}

int CurlMulti::on_timer(CURLM*, long timeout_ms, void* self) {
  // curl moves its one timer several times per transfer. Re-arming an Asio timer each time
  // costs a cancelled handler and often a timerfd update, so keep an armed wake-up when it is
  // already due no later than curl asks: an early call is harmless (curl just re-reports its
  // next timeout), a late one is not.
  auto* multi = static_cast<CurlMulti*>(self);
  if (timeout_ms < 0) return 0;  // curl has nothing to time: a pending early wake-up is harmless
  const auto due = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  if (multi->timer_armed_ && multi->timer_due_ <= due) return 0;
  multi->timer_armed_ = true;
  multi->timer_due_ = due;
  multi->timer_.expires_at(due);
  multi->timer_.async_wait([multi](const boost::system::error_code& ec) {
    if (ec) return;  // replaced by an earlier wake-up, which resets the flag when it runs
    multi->timer_armed_ = false;
    multi->socket_action(CURL_SOCKET_TIMEOUT, 0);
  });
  return 0;
}

void CurlMulti::socket_action(curl_socket_t fd, int events) {
  int still_running = 0;
  curl_multi_socket_action(multi_, fd, events, &still_running);
  collect_finished();
}

void CurlMulti::collect_finished() {
  int pending = 0;
  while (CURLMsg* msg = curl_multi_info_read(multi_, &pending)) {
    if (msg->msg != CURLMSG_DONE) continue;
    CURL* easy = msg->easy_handle;
    CURLcode code = msg->data.result;
    TransferListener* listener = nullptr;
    curl_easy_getinfo(easy, CURLINFO_PRIVATE, &listener);
    curl_multi_remove_handle(multi_, easy);
    if (running_ > 0) --running_;
    if (listener) listener->transfer_done(code);
  }
}

}  // namespace lk::probe::http
