#include "alert/deliver/http_sender.hpp"

#include "alert/deliver/mail_sender.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <memory>

#include "alert/deliver/curl_util.hpp"
#include "alert/notify/encoding.hpp"

namespace lk::alert::deliver {
namespace {

using detail::CurlDeleter;
using detail::layer_of;

using std::chrono::milliseconds;
using std::chrono::steady_clock;

bool istarts_with(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() &&
         std::equal(prefix.begin(), prefix.end(), text.begin(), [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) ==
                  std::tolower(static_cast<unsigned char>(b));
         });
}

std::string trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

// What the callbacks collect while curl runs.
struct Transfer {
  std::size_t max_body = 0;
  std::string body;
  bool body_cut = false;
  std::string retry_after;
  const std::function<bool()>* should_abort = nullptr;
};

std::size_t on_body(char* data, std::size_t size, std::size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const std::size_t n = size * count;
  const std::size_t room = t->max_body - std::min(t->max_body, t->body.size());
  t->body.append(data, std::min(n, room));
  if (n > room) {
    // Stop reading: the status line and the first bytes are all the attempt log needs, and a
    // receiver must not be able to make us download an unbounded answer.
    t->body_cut = true;
    return 0;
  }
  return n;
}

std::size_t on_header(char* data, std::size_t size, std::size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  std::string_view line(data, size * count);
  if (line.starts_with("HTTP/")) t->retry_after.clear();  // a new response (after a 100)
  if (istarts_with(line, "retry-after:")) t->retry_after = trim(line.substr(12));
  return size * count;
}

int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* t = static_cast<Transfer*>(user);
  return (t->should_abort != nullptr && *t->should_abort && (*t->should_abort)()) ? 1 : 0;
}

std::string first_bytes(std::string_view body, std::size_t n = 200) {
  std::string out(body.substr(0, n));
  for (char& c : out) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  return body.size() > n ? out + "…" : out;
}

}  // namespace

std::string redact(std::string text, const HttpRequest& request) {
  return mask_secrets(std::move(text), request.secrets);
}

Attempt send_blocking(const HttpRequest& request, Duration timeout, const SenderOptions& options,
                      const std::function<bool()>& should_abort) {
  const auto started = steady_clock::now();
  Attempt attempt;
  const std::string what = request.method + " " + request.url;
  auto fail = [&](FailedLayer layer, const std::string& detail) {
    attempt.failed_layer = layer;
    attempt.error = redact(what + ": " + std::string(to_string(layer)) + ": " + detail, request);
    attempt.duration = steady_clock::now() - started;
    return attempt;
  };

  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  if (!curl) return fail(FailedLayer::request, "libcurl could not start a transfer");
  CURL* h = curl.get();

  std::unique_ptr<curl_slist, CurlDeleter> headers;
  auto add_header = [&headers](const std::string& line) {
    headers.reset(curl_slist_append(headers.release(), line.c_str()));
  };
  bool has_content_type = false;
  for (const auto& [name, value] : request.headers) {
    // "Name;" is curl's way to send a header with an empty value; "Name:" would remove it.
    add_header(value.empty() ? name + ";" : name + ": " + value);
    has_content_type = has_content_type || istarts_with(name, "content-type");
  }
  if (!has_content_type) add_header("Content-Type:");  // no form default the request did not ask
  add_header("Expect:");  // no "100-continue" round trip; small bodies go at once
  if (options.idempotency_header && !request.idempotency_key.empty() &&
      request.header("Idempotency-Key").empty()) {
    add_header("Idempotency-Key: " + request.idempotency_key);
  }

  Transfer transfer{.max_body = options.max_response_bytes,
                    .body = {},
                    .body_cut = false,
                    .retry_after = {},
                    .should_abort = &should_abort};
  char error_buffer[CURL_ERROR_SIZE] = {};
  const auto timeout_ms = std::max<long>(1, std::chrono::ceil<milliseconds>(timeout).count());

  curl_easy_setopt(h, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
  curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!options.ca_file.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, options.ca_file.c_str());
  curl_easy_setopt(h, CURLOPT_USERAGENT, options.user_agent.c_str());
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &transfer);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &transfer);
  curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
  curl_easy_setopt(h, CURLOPT_XFERINFODATA, &transfer);
  if (request.method == "GET" && request.body.empty()) {
    curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
  } else {
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, request.body.c_str());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
    if (request.method != "POST") {
      curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    }
  }

  const CURLcode code = curl_easy_perform(h);
  long status = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  const bool cut_by_us = code == CURLE_WRITE_ERROR && transfer.body_cut;

  if (code != CURLE_OK && !cut_by_us) {
    std::string detail = error_buffer[0] != '\0' ? error_buffer : curl_easy_strerror(code);
    if (code == CURLE_OPERATION_TIMEDOUT) {
      detail = "no answer within " + format_duration(timeout) + " (" + detail + ")";
    }
    return fail(layer_of(code), detail);
  }

  attempt.http_status = static_cast<int>(status);
  attempt.retry_after = transfer.retry_after;
  attempt.response_start = redact(transfer.body, request);
  attempt.duration = steady_clock::now() - started;
  if (status >= 300 && status <= 399) {
    char* location = nullptr;
    curl_easy_getinfo(h, CURLINFO_REDIRECT_URL, &location);
    attempt.failed_layer = FailedLayer::redirect;
    attempt.error = redact(what + ": redirect: HTTP " + std::to_string(status) + " to " +
                               (location != nullptr ? location : "(no Location)") +
                               "; redirects are not followed, configure the final URL",
                           request);
  } else if (status < 200 || status > 299) {
    attempt.error = redact(
        what + ": HTTP " + std::to_string(status) + ": " + first_bytes(transfer.body), request);
  }
  return attempt;
}

HttpSender::HttpSender(Executor executor, SenderOptions options, std::size_t threads)
    : executor_(std::move(executor)), options_(std::move(options)) {
  static std::once_flag curl_ready;
  std::call_once(curl_ready, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  threads = std::max<std::size_t>(1, threads);
  for (std::size_t i = 0; i < threads; ++i) threads_.emplace_back([this] { run(); });
}

HttpSender::~HttpSender() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    queue_.clear();
  }
  wake_.notify_all();
  for (auto& t : threads_) t.join();
}

void HttpSender::send(Request request, Duration timeout, Completion done) {
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(Job{std::move(request), timeout, std::move(done)});
  }
  wake_.notify_one();
}

void HttpSender::run() {
  const std::function<bool()> stopping = [this] { return stopping_.load(); };
  for (;;) {
    Job job;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      job = std::move(queue_.front());
      queue_.pop_front();
    }
    Attempt attempt =
        std::holds_alternative<HttpRequest>(job.request)
            ? send_blocking(std::get<HttpRequest>(job.request), job.timeout, options_, stopping)
            : send_mail_blocking(std::get<MailRequest>(job.request), job.timeout, options_,
                                 stopping);
    executor_([done = std::move(job.done), attempt = std::move(attempt)]() mutable {
      done(std::move(attempt));
    });
  }
}

}  // namespace lk::alert::deliver
