// `lightkeeper ping TOKEN`: the client for cron jobs and backup scripts.

#include <curl/curl.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <iterator>
#include <memory>

#include "app/commands.hpp"
#include "app/kinds.hpp"
#include "state/heartbeat/settings.hpp"
#include "web/ping.hpp"

namespace lk::app {

namespace {

constexpr std::string_view kDefaultServer = "http://127.0.0.1:8080";

/// The base URL to ping: --server, else the config's public_url or listen address.
std::string server_of(const PingCommandOptions& o) {
  if (!o.server.empty()) return o.server;
  std::error_code ec;
  if (!std::filesystem::exists(o.config_path, ec)) return std::string(kDefaultServer);
  auto kinds = kind_parsers();
  auto loaded = config::load_file(o.config_path, kinds, config::process_environment());
  if (!loaded.config) {
    std::cerr << "lightkeeper ping: " << o.config_path << " has errors; pinging " << kDefaultServer
              << "\n";
    return std::string(kDefaultServer);
  }
  if (!loaded.config->public_url.empty()) return loaded.config->public_url;
  std::string listen = loaded.config->listen;
  // A wildcard listen address is reached over loopback.
  if (listen.starts_with("0.0.0.0:")) listen = "127.0.0.1" + listen.substr(7);
  if (listen.starts_with("[::]:")) listen = "[::1]" + listen.substr(4);
  return "http://" + listen;
}

std::size_t keep_answer(char* data, std::size_t size, std::size_t count, void* user) {
  auto* answer = static_cast<std::string*>(user);
  const std::size_t n = size * count;
  if (answer->size() < 1024) answer->append(data, std::min(n, 1024 - answer->size()));
  return n;
}

}  // namespace

int ping_command(const PingCommandOptions& o) {
  if (!state::heartbeat::valid_token(o.token)) {
    std::cerr << "lightkeeper ping: not a ping token (16 to 128 letters, digits, '-' or '_'); "
                 "`lightkeeper config print` shows each heartbeat's ping URL\n";
    return 2;
  }
  if (o.start && o.fail) {
    std::cerr << "lightkeeper ping: give --start or --fail, not both\n";
    return 2;
  }
  const auto timeout = parse_duration(o.timeout);
  if (!timeout || *timeout <= Duration::zero()) {
    std::cerr << "lightkeeper ping: --timeout: expected a duration like 10s, got \"" << o.timeout
              << "\"\n";
    return 2;
  }
  std::string body = o.message;
  if (body == "-") {
    body.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    if (body.size() > web::kMaxPingBody) body.resize(web::kMaxPingBody);
  }

  std::string server = server_of(o);
  while (server.ends_with('/')) server.pop_back();
  const std::string url = server + "/ping/" + o.token +
                          (o.start  ? "/start"
                           : o.fail ? "/fail"
                                    : "");

  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), &curl_easy_cleanup);
  if (!curl) {
    std::cerr << "lightkeeper ping: cannot initialise libcurl\n";
    return 2;
  }
  const long timeout_ms = static_cast<long>(std::max<std::int64_t>(
      1, std::chrono::duration_cast<std::chrono::milliseconds>(*timeout).count()));
  std::string answer;
  char error[CURL_ERROR_SIZE] = {};
  curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_POST, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(curl.get(), CURLOPT_CONNECTTIMEOUT_MS, std::min(timeout_ms, 5000L));
  curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_USERAGENT, "lightkeeper-ping");
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, &keep_answer);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &answer);
  curl_easy_setopt(curl.get(), CURLOPT_ERRORBUFFER, error);
  const CURLcode rc = curl_easy_perform(curl.get());
  // The URL holds the secret token: messages name the server only.
  if (rc != CURLE_OK) {
    std::cerr << "lightkeeper ping: cannot reach " << server << ": "
              << (error[0] ? error : curl_easy_strerror(rc)) << "\n";
    return 2;
  }
  long status = 0;
  curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
  if (status == 404) {
    std::cerr << "lightkeeper ping: " << server
              << " has no heartbeat with this token (HTTP 404); check the token and the "
                 "server\n";
    return 1;
  }
  if (status < 200 || status > 299) {
    std::cerr << "lightkeeper ping: " << server << " answered HTTP " << status << "\n";
    return 1;
  }
  return 0;
}

}  // namespace lk::app
