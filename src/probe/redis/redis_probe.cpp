#include "probe/redis/redis_probe.hpp"

// g++ 12 wrongly reports -Wmismatched-new-delete on Asio coroutine frames (awaitable_frame_base
// has its own operator new/delete); the lambda coroutine below triggers it.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

#include <array>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <memory>

#include "probe/redis/info.hpp"
#include "probe/redis/resp.hpp"

namespace lk::probe::redis {

namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

constexpr std::array kOptions{
    config::Option{"target", "string", "",
                   "Server as host:port (the port defaults to 6379); or use host and port."},
    config::Option{"host", "string", "", "Server host name or address, instead of target."},
    config::Option{"port", "int", "6379", "Server port, with host."},
    config::Option{"username", "string", "",
                   "ACL user for AUTH (Redis 6 and later); empty: the default user."},
    config::Option{"password", "string", "",
                   "Password for AUTH, e.g. ${REDIS_PASSWORD}; empty: no AUTH is sent."},
    config::Option{"database", "int", "0", "Database number to SELECT before PING (0: none)."},
    config::Option{
        "replication", "bool", "false",
        "Fail when the server is a replica whose link to its master is down. Always: PING and "
        "INFO replication give a JSON body for conditions (json.ping, json.role: master or "
        "slave, json.connected_slaves, json.master_link_status, json.lag_s, json.replicas) and "
        "metrics replication_lag (s: a replica's time since it last heard from its master, or "
        "a master's slowest replica), replication_lag_bytes, connected_slaves, connect_time and "
        "ping_time (ms)."},
};

constexpr std::array<std::string_view, 1> kSchemes{"redis"};
constexpr std::array<std::string_view, 1> kUrlParams{"replication"};

/// A replica's link state in words: "down for 12s", "never up", "down (initial sync)".
std::string link_words(const ReplicationInfo& info) {
  std::string out = "link to its master";
  if (!info.master_host.empty()) {
    Address master{info.master_host, static_cast<std::uint16_t>(info.master_port.value_or(0))};
    out += " " + master.text();
  }
  out += " is " +
         (info.master_link_status.empty() ? std::string("not reported") : info.master_link_status);
  if (info.master_sync_in_progress.value_or(false))
    out += " (initial sync in progress)";
  else if (auto lag = info.lag_seconds())
    out += " (for " + std::to_string(*lag) + "s)";
  else
    out += " (never up)";
  return out;
}

/// One TCP connection bounded by the check's deadline: when the deadline passes, the socket is
/// closed and whatever was pending fails; `timed_out()` then tells why.
class Connection {
 public:
  Connection(asio::io_context& io, Deadline deadline)
      : socket_(io), timer_(io), race_(std::make_shared<Race>()) {
    timer_.expires_at(deadline);
    // The handler may be queued when this object is already gone: it checks the shared flag
    // before touching the socket.
    timer_.async_wait([race = race_, this](const boost::system::error_code& ec) {
      if (ec || race->over) return;
      race->timed_out = true;
      boost::system::error_code ignored;
      socket_.close(ignored);
    });
  }
  ~Connection() {
    race_->over = true;
    timer_.cancel();
    boost::system::error_code ignored;
    socket_.close(ignored);
  }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  bool timed_out() const { return race_->timed_out; }
  /// Set when the first byte of an answer arrived.
  bool answered() const { return answered_; }

  asio::awaitable<boost::system::error_code> connect(const tcp::endpoint& endpoint) {
    boost::system::error_code ec;
    co_await socket_.async_connect(endpoint, asio::redirect_error(asio::use_awaitable, ec));
    co_return ec;
  }

  asio::awaitable<boost::system::error_code> send(std::string_view bytes) {
    boost::system::error_code ec;
    co_await asio::async_write(socket_, asio::buffer(bytes.data(), bytes.size()),
                               asio::redirect_error(asio::use_awaitable, ec));
    co_return ec;
  }

  struct Read {
    enum class Outcome : unsigned char { reply, closed, malformed, error } outcome;
    Reply reply;
    std::string error;
  };

  /// Reads one reply, however it arrives in pieces.
  asio::awaitable<Read> read_reply() {
    // A reply larger than this is not a health answer (INFO replication is a few hundred bytes).
    constexpr std::size_t kMaxBuffered = 2 * 1024 * 1024;
    for (;;) {
      Parsed parsed = parse_reply(buffer_, limits_);
      if (parsed.state == Parsed::State::complete) {
        buffer_.erase(0, parsed.consumed);
        co_return Read{Read::Outcome::reply, std::move(parsed.reply), {}};
      }
      if (parsed.state == Parsed::State::malformed)
        co_return Read{Read::Outcome::malformed, {}, std::move(parsed.error)};
      if (buffer_.size() > kMaxBuffered)
        co_return Read{Read::Outcome::malformed, {}, "a reply larger than 2 MiB"};
      boost::system::error_code ec;
      std::size_t n = co_await socket_.async_read_some(
          asio::buffer(chunk_), asio::redirect_error(asio::use_awaitable, ec));
      if (n > 0) answered_ = true;
      buffer_.append(chunk_.data(), n);
      if (ec == asio::error::eof) co_return Read{Read::Outcome::closed, {}, {}};
      if (ec) co_return Read{Read::Outcome::error, {}, ec.message()};
    }
  }

 private:
  struct Race {
    bool over = false;
    bool timed_out = false;
  };
  tcp::socket socket_;
  asio::steady_timer timer_;
  std::shared_ptr<Race> race_;
  std::string buffer_;
  // A member, not a coroutine local: g++ 12 cannot keep an array in a coroutine frame.
  std::array<char, 16 * 1024> chunk_;
  Limits limits_;
  bool answered_ = false;
};

}  // namespace

std::span<const config::Option> options() {
  return kOptions;
}

std::shared_ptr<const ProbeSettings> parse(config::Fields& fields, CheckSpec& spec) {
  auto s = std::make_shared<Settings>();
  s->address = read_address(fields);
  s->username = fields.string("username");
  s->password = fields.string("password");
  s->database = static_cast<int>(fields.integer("database", 0, 1'000'000));
  s->replication = fields.boolean("replication");
  if (!s->username.empty() && s->password.empty())
    fields.error("username", "a username needs a password (AUTH takes both)");
  spec.target = "redis://" + (s->username.empty() ? "" : s->username + "@") + s->address.text();
  if (s->database != 0) spec.target += "/" + std::to_string(s->database);
  return s;
}

UrlFields from_url(std::string_view url) {
  return url_fields(url, kSchemes, "database", kUrlParams);
}

asio::awaitable<Observation> RedisProbe::run(const CheckSpec& check, Deadline deadline) {
  const auto& s = check.settings_as<Settings>();
  Observation obs;
  obs.started_at = clock_.now();
  const auto started = clock_.mono_now();
  const Duration budget = check.timeout;
  const std::string where = s.address.text();
  auto fail = [&](Layer layer, std::string error) {
    obs.failed_at = layer;
    obs.error = std::move(error);
    obs.timings.total = clock_.mono_now() - started;
  };

  auto resolved = co_await resolve(io_, clock_, started, s.address.host, budget, deadline);
  if (resolved.failed_at != Layer::none) {
    fail(resolved.failed_at, std::move(resolved.error));
    co_return obs;
  }
  obs.timings.dns = resolved.took;
  const tcp::endpoint endpoint(asio::ip::make_address(resolved.address), s.address.port);

  Connection conn(io_, deadline);
  if (auto ec = co_await conn.connect(endpoint)) {
    if (conn.timed_out())
      fail(Layer::timeout, timeout_message(budget, "TCP connect to " + where));
    else if (ec == asio::error::connection_refused)
      fail(Layer::connect, "connect to " + where + " refused");
    else
      fail(Layer::connect, "connect to " + where + " failed: " + ec.message());
    co_return obs;
  }
  obs.peer = Address{resolved.address, s.address.port}.text();
  obs.timings.connect = clock_.mono_now() - started;

  // Sends one command and reads its reply; on any failure fills `obs` and returns nullopt.
  auto exchange = [&](std::string name,
                      std::string request) -> asio::awaitable<std::optional<Reply>> {
    if (auto ec = co_await conn.send(request)) {
      if (conn.timed_out())
        fail(Layer::timeout, timeout_message(budget, "sending " + name + " to " + where));
      else
        fail(Layer::send, "sending " + name + " to " + where + " failed: " + ec.message());
      co_return std::nullopt;
    }
    auto read = co_await conn.read_reply();
    if (!obs.timings.first_byte && conn.answered())
      obs.timings.first_byte = clock_.mono_now() - started;
    using Outcome = Connection::Read::Outcome;
    if (read.outcome == Outcome::reply) {
      if (read.reply.type == Reply::Type::error) {
        fail(Layer::response,
             "redis at " + where + " refused " + name + ": " + escape_bytes(read.reply.text));
        co_return std::nullopt;
      }
      co_return std::move(read.reply);
    }
    if (conn.timed_out())
      fail(Layer::timeout, timeout_message(budget, "the answer to " + name + " from " + where));
    else if (read.outcome == Outcome::closed)
      fail(Layer::response,
           "redis at " + where + " closed the connection before answering " + name);
    else if (read.outcome == Outcome::malformed)
      fail(Layer::response, "redis at " + where + " answered " + name + " with " + read.error);
    else
      fail(Layer::response,
           "reading the answer to " + name + " from " + where + " failed: " + read.error);
    co_return std::nullopt;
  };

  if (!s.password.empty()) {
    std::string auth = s.username.empty() ? encode_command({"AUTH", s.password})
                                          : encode_command({"AUTH", s.username, s.password});
    std::string name = s.username.empty() ? "AUTH" : "AUTH as \"" + s.username + "\"";
    if (!co_await exchange(name, std::move(auth))) co_return obs;
  }
  if (s.database != 0) {
    // Commands are encoded in statements of their own: g++ 12 cannot keep the initializer
    // list's array in the coroutine frame across a co_await of the same expression.
    auto db = std::to_string(s.database);
    std::string select = encode_command({"SELECT", db});
    std::string select_name = "SELECT " + db;
    if (!co_await exchange(std::move(select_name), std::move(select))) co_return obs;
  }
  const auto logged_in = clock_.mono_now();

  std::string ping = encode_command({"PING"});
  // Arguments are named variables, never temporaries built inside the co_await expression:
  // g++ 12 can free such a temporary twice.
  std::string ping_name = "PING";
  auto pong = co_await exchange(std::move(ping_name), std::move(ping));
  if (!pong) co_return obs;
  const auto ping_time = clock_.mono_now() - logged_in;
  if (pong->type != Reply::Type::simple || pong->text != "PONG") {
    std::string got = pong->type == Reply::Type::simple || pong->type == Reply::Type::bulk
                          ? quote_bytes(pong->text)
                          : std::string("a reply of another type");
    fail(Layer::response, "redis at " + where + " answered PING with " + got + " instead of PONG");
    co_return obs;
  }

  std::string info_request = encode_command({"INFO", "replication"});
  std::string info_name = "INFO replication";
  auto info_reply = co_await exchange(std::move(info_name), std::move(info_request));
  if (!info_reply) co_return obs;
  if (info_reply->type != Reply::Type::bulk) {
    fail(Layer::response, "redis at " + where +
                              " answered INFO replication with something other than a bulk string");
    co_return obs;
  }
  const ReplicationInfo info = parse_info(info_reply->text);
  obs.timings.total = clock_.mono_now() - started;

  obs.headers.emplace_back("content-type", "application/json");
  obs.body = info.to_json(pong->text);
  obs.metrics.push_back({"connect_time", to_ms(logged_in - started), "ms"});
  obs.metrics.push_back({"ping_time", to_ms(ping_time), "ms"});
  if (info.connected_slaves)
    obs.metrics.push_back({"connected_slaves", static_cast<double>(*info.connected_slaves), ""});
  if (auto lag = info.lag_seconds())
    obs.metrics.push_back({"replication_lag", static_cast<double>(*lag), "s"});
  if (auto bytes = info.lag_bytes())
    obs.metrics.push_back({"replication_lag_bytes", static_cast<double>(*bytes), "B"});

  if (info.role.empty()) {
    fail(Layer::response, "redis at " + where + " answered INFO replication without a role");
  } else if (s.replication && info.is_replica() && info.master_link_status != "up") {
    fail(Layer::response, "replica at " + where + " is not replicating: " + link_words(info));
  }
  co_return obs;
}

std::unique_ptr<Probe> make_probe(asio::io_context& io, const Clock& clock) {
  return std::make_unique<RedisProbe>(io, clock);
}

}  // namespace lk::probe::redis
