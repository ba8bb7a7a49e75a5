#include "probe/http/lean_exchange.hpp"

#include <boost/asio/write.hpp>
#include <cerrno>
#include <cstring>

namespace lk::probe::http {

namespace asio = boost::asio;
using asio::ip::tcp;

Exchange::Exchange(asio::io_context& io, const Clock& clock, const Settings& settings,
                   Observation& obs, MonoTime started, Deadline deadline, std::vector<char>& buffer)
    : clock_(clock),
      settings_(settings),
      obs_(obs),
      started_(started),
      socket_(io),
      timer_(io),
      buffer_(buffer) {
  timer_.expires_at(deadline);
}

Exchange::~Exchange() {
  boost::system::error_code ignored;
  socket_.close(ignored);
}

void Exchange::start(const LeanPlan& plan) {
  endpoint_ = plan.endpoint;
  request_ = plan.request;
  begin_hop();
}

void Exchange::on_deadline() {
  if (finished()) return;
  timed_out_ = true;
  timer_.expires_at(MonoTime::max());  // the coroutine now waits for the last callback
  boost::system::error_code ignored;
  socket_.close(ignored);  // the pending operation completes with operation_aborted
}

void Exchange::reached(std::optional<Duration>& phase) {
  Duration d = clock_.mono_now() - hop_started_;
  if (d < std::chrono::microseconds{1}) d = std::chrono::microseconds{1};
  phase = phase.value_or(Duration::zero()) + d;
}

void Exchange::begin_hop() {
  hop_started_ = clock_.mono_now();
  first_byte_seen_ = false;
  begin_ = end_ = 0;
  // A literal address is known at once; curl reports a few microseconds of "name lookup" too.
  reached(obs_.timings.dns);
  parser_.start({settings_.method == "HEAD", settings_.follow_redirects, settings_.max_body}, obs_);

  boost::system::error_code ec;
  socket_.close(ec);
  socket_.open(endpoint_.protocol(), ec);
  if (!ec) socket_.set_option(tcp::no_delay(true), ec);
  if (ec) return on_connected(ec);
  socket_.async_connect(endpoint_, [this](const boost::system::error_code& e) { on_connected(e); });
}

void Exchange::on_connected(const boost::system::error_code& ec) {
  if (timed_out_) return fail(CURLE_OPERATION_TIMEDOUT, {});
  if (ec) {
    // curl's text, for the errors describe_failure does not word itself.
    auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(clock_.mono_now() - hop_started_)
            .count();
    return fail(CURLE_COULDNT_CONNECT,
                "Failed to connect to " + endpoint_.address().to_string() + " port " +
                    std::to_string(endpoint_.port()) + " after " + std::to_string(ms) +
                    " ms: Couldn't connect to server",
                ec.value());
  }
  reached(obs_.timings.connect);
  write_peer(endpoint_, obs_.peer);
  asio::async_write(socket_, asio::buffer(request_.data(), request_.size()),
                    [this](const boost::system::error_code& e, std::size_t) { on_sent(e); });
}

void Exchange::on_sent(const boost::system::error_code& ec) {
  if (timed_out_) return fail(CURLE_OPERATION_TIMEDOUT, {});
  if (ec) return fail(CURLE_SEND_ERROR, "Send failure: " + ec.message(), ec.value());
  receive();
}

void Exchange::receive() {
  socket_.async_read_some(
      asio::buffer(buffer_.data() + end_, buffer_.size() - end_),
      [this](const boost::system::error_code& e, std::size_t n) { on_received(e, n); });
}

void Exchange::on_received(const boost::system::error_code& ec, std::size_t n) {
  if (timed_out_) return fail(CURLE_OPERATION_TIMEDOUT, {});
  if (ec && ec != asio::error::eof)
    return fail(CURLE_RECV_ERROR, "Recv failure: " + ec.message(), ec.value());
  if (!first_byte_seen_) {  // like curl: the first read that returns, data or end of stream
    first_byte_seen_ = true;
    reached(obs_.timings.first_byte);
  }
  if (ec == asio::error::eof) {
    parser_.end_of_stream();
    return after_answer();
  }
  end_ += n;
  begin_ += parser_.feed({buffer_.data() + begin_, end_ - begin_});
  if (parser_.finished()) return after_answer();
  if (begin_ == end_) {
    begin_ = end_ = 0;
  } else if (end_ == buffer_.size()) {
    // An incomplete header line fills the buffer: make room. The parser fails the answer before
    // a line could pass kMaxHeaderBytes, so the buffer stays below twice that.
    if (begin_ > 0) {
      std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
      end_ -= begin_;
      begin_ = 0;
    } else {
      buffer_.resize(buffer_.size() * 2);
    }
  }
  receive();
}

void Exchange::after_answer() {
  if (parser_.failed()) return fail(CURLE_WEIRD_SERVER_REPLY, parser_.error());
  if (!parser_.redirect_location().empty()) return follow(parser_.redirect_location());
  finish(Outcome::answered);
}

void Exchange::follow(const std::string& location) {
  if (redirects_ >= settings_.max_redirects)
    return fail(CURLE_TOO_MANY_REDIRECTS,
                "Maximum (" + std::to_string(settings_.max_redirects) + ") redirects followed");
  auto resolved = resolve_redirect(current_url_.empty() ? settings_.url : current_url_, location);
  if (!resolved.target) return fail(CURLE_URL_MALFORMAT, resolved.error);
  ++redirects_;
  RedirectTarget& next = *resolved.target;
  // curl turns a POST into a GET on 301/302/303 (the method name set by the check stays).
  const int status = parser_.status();
  const bool drop_body =
      adjust_.drop_body || (!settings_.body().empty() && status >= 301 && status <= 303);
  // The plan keeps no host name: redirects are rare, so the first target is parsed from the URL
  // again (it parses, as the plan was built from it).
  const auto first = lean_target(settings_.url);
  auto adjust = adjustments_for(first.value_or(LeanTarget{}), next, drop_body);
  if (next.scheme == "http") {
    if (auto t = lean_target(next.url)) {
      endpoint_ = t->endpoint;
      next_request_ = render_request(settings_, *t, adjust);
      request_ = next_request_;
      current_url_ = std::move(next.url);
      adjust_ = adjust;
      return begin_hop();
    }
  }
  if (next.scheme == "http" || next.scheme == "https" || next.scheme == "ftp" ||
      next.scheme == "ftps") {
    // A host name or TLS: curl finishes the check from here.
    handoff_ = std::move(next);
    handoff_adjust_ = adjust;
    return finish(Outcome::handoff);
  }
  fail(CURLE_UNSUPPORTED_PROTOCOL,
       "Protocol \"" + next.scheme + "\" not supported or disabled in libcurl");
}

void Exchange::fail(CURLcode code, std::string detail, int os_errno) {
  error_code_ = code;
  error_detail_ = std::move(detail);
  os_errno_ = os_errno;
  finish(Outcome::failed);
}

void Exchange::finish(Outcome outcome) {
  outcome_ = outcome;
  boost::system::error_code ignored;
  socket_.close(ignored);
  timer_.cancel();  // wakes the coroutine
}

}  // namespace lk::probe::http
