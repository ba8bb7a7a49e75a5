#include "app/client.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <memory>

#include "app/kinds.hpp"
#include "config/config.hpp"

namespace lk::app {

namespace {

constexpr std::string_view kDefaultServer = "http://127.0.0.1:8080";
constexpr std::size_t kMaxAnswer = 64 * 1024;

std::size_t keep_answer(char* data, std::size_t size, std::size_t count, void* user) {
  auto* answer = static_cast<std::string*>(user);
  const std::size_t n = size * count;
  if (answer->size() < kMaxAnswer) answer->append(data, std::min(n, kMaxAnswer - answer->size()));
  return n;
}

}  // namespace

std::string server_base(const std::string& server, const std::string& config_path,
                        std::string_view who) {
  std::string base = server;
  if (base.empty()) {
    base = std::string(kDefaultServer);
    std::error_code ec;
    if (std::filesystem::exists(config_path, ec)) {
      auto kinds = kind_parsers();
      auto loaded = config::load_file(config_path, kinds, config::process_environment());
      if (!loaded.config) {
        std::cerr << who << ": " << config_path << " has errors; using " << kDefaultServer << "\n";
      } else if (!loaded.config->public_url.empty()) {
        base = loaded.config->public_url;
      } else {
        std::string listen = loaded.config->listen;
        if (listen.starts_with("0.0.0.0:")) listen = "127.0.0.1" + listen.substr(7);
        if (listen.starts_with("[::]:")) listen = "[::1]" + listen.substr(4);
        base = "http://" + listen;
      }
    }
  }
  while (base.ends_with('/')) base.pop_back();
  return base;
}

HttpAnswer http_call(std::string_view method, const std::string& url, const std::string& body,
                     std::string_view content_type, Duration timeout, std::string_view agent,
                     std::string_view bearer) {
  HttpAnswer out;
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), &curl_easy_cleanup);
  if (!curl) {
    out.error = "cannot initialise libcurl";
    return out;
  }
  const long timeout_ms = static_cast<long>(std::max<std::int64_t>(
      1, std::chrono::duration_cast<std::chrono::milliseconds>(timeout).count()));
  const std::string verb(method), user_agent(agent);
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> headers(nullptr,
                                                                      &curl_slist_free_all);
  auto add_header = [&](const std::string& line) {
    if (curl_slist* grown = curl_slist_append(headers.get(), line.c_str())) {
      (void)headers.release();
      headers.reset(grown);
    }
  };
  if (!content_type.empty()) add_header("Content-Type: " + std::string(content_type));
  if (!bearer.empty()) add_header("Authorization: Bearer " + std::string(bearer));
  char error[CURL_ERROR_SIZE] = {};
  curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_CUSTOMREQUEST, verb.c_str());
  if (verb != "GET") {
    curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  }
  if (headers) curl_easy_setopt(curl.get(), CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(curl.get(), CURLOPT_CONNECTTIMEOUT_MS, std::min(timeout_ms, 5000L));
  curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_USERAGENT, user_agent.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, &keep_answer);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &out.body);
  curl_easy_setopt(curl.get(), CURLOPT_ERRORBUFFER, error);
  const CURLcode rc = curl_easy_perform(curl.get());
  if (rc != CURLE_OK) {
    out.error = error[0] ? error : curl_easy_strerror(rc);
    return out;
  }
  curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &out.status);
  return out;
}

}  // namespace lk::app
