#include "alert/deliver/retry_policy.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <vector>

namespace lk::alert::deliver {
namespace {

using std::chrono::seconds;

bool is_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isdigit(static_cast<unsigned char>(c)) != 0;
  });
}

std::optional<int> number(std::string_view s) {
  if (!is_digits(s) || s.size() > 9) return std::nullopt;
  int value = 0;
  std::from_chars(s.data(), s.data() + s.size(), value);
  return value;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::optional<unsigned> month_number(std::string_view name) {
  static constexpr std::array<std::string_view, 12> kMonths = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  for (unsigned i = 0; i < kMonths.size(); ++i) {
    if (kMonths[i] == name) return i + 1;
  }
  return std::nullopt;
}

std::vector<std::string_view> split_spaces(std::string_view s) {
  std::vector<std::string_view> parts;
  while (!s.empty()) {
    auto start = s.find_first_not_of(' ');
    if (start == std::string_view::npos) break;
    s.remove_prefix(start);
    auto end = s.find(' ');
    parts.push_back(s.substr(0, end));
    s.remove_prefix(end == std::string_view::npos ? s.size() : end);
  }
  return parts;
}

std::optional<TimePoint> make_time(int year, unsigned month, int day, std::string_view hms) {
  if (hms.size() != 8 || hms[2] != ':' || hms[5] != ':') return std::nullopt;
  auto h = number(hms.substr(0, 2));
  auto m = number(hms.substr(3, 2));
  auto s = number(hms.substr(6, 2));
  if (!h || !m || !s || *h > 23 || *m > 59 || *s > 60) return std::nullopt;
  std::chrono::year_month_day ymd{std::chrono::year{year}, std::chrono::month{month},
                                  std::chrono::day{static_cast<unsigned>(day)}};
  if (!ymd.ok()) return std::nullopt;
  return TimePoint{std::chrono::sys_days{ymd}} + std::chrono::hours{*h} + std::chrono::minutes{*m} +
         seconds{*s};
}

// RFC 9110 section 5.6.7: senders use IMF-fixdate, recipients also accept the RFC 850 and
// asctime forms.
std::optional<TimePoint> parse_http_date(std::string_view text) {
  auto parts = split_spaces(text);
  if (parts.size() == 6 && parts[5] == "GMT") {  // Sun, 06 Nov 1994 08:49:37 GMT
    auto day = number(parts[1]);
    auto month = month_number(parts[2]);
    auto year = number(parts[3]);
    if (!parts[0].ends_with(',') || !day || !month || !year || parts[3].size() != 4) {
      return std::nullopt;
    }
    return make_time(*year, *month, *day, parts[4]);
  }
  if (parts.size() == 4 && parts[3] == "GMT" && parts[0].ends_with(',')) {
    // Sunday, 06-Nov-94 08:49:37 GMT. Two-digit years: RFC 9110 says to pick the one that is
    // not more than 50 years in the future; for a Retry-After, 19xx for >= 70 is close enough.
    auto date = parts[1];
    if (date.size() != 9 || date[2] != '-' || date[6] != '-') return std::nullopt;
    auto day = number(date.substr(0, 2));
    auto month = month_number(date.substr(3, 3));
    auto year = number(date.substr(7, 2));
    if (!day || !month || !year) return std::nullopt;
    return make_time(*year + (*year >= 70 ? 1900 : 2000), *month, *day, parts[2]);
  }
  if (parts.size() == 5) {  // Sun Nov  6 08:49:37 1994
    auto month = month_number(parts[1]);
    auto day = number(parts[2]);
    auto year = number(parts[4]);
    if (!month || !day || !year || parts[4].size() != 4) return std::nullopt;
    return make_time(*year, *month, *day, parts[3]);
  }
  return std::nullopt;
}

}  // namespace

std::string_view to_string(FailedLayer layer) {
  switch (layer) {
    case FailedLayer::none:
      return "none";
    case FailedLayer::request:
      return "request";
    case FailedLayer::dns:
      return "dns";
    case FailedLayer::connect:
      return "connect";
    case FailedLayer::tls:
      return "tls";
    case FailedLayer::connection:
      return "connection";
    case FailedLayer::timeout:
      return "timeout";
    case FailedLayer::redirect:
      return "redirect";
    case FailedLayer::cancelled:
      return "cancelled";
  }
  return "none";
}

std::string_view to_string(Verdict v) {
  switch (v) {
    case Verdict::sent:
      return "sent";
    case Verdict::retry:
      return "retry";
    case Verdict::permanent:
      return "permanent";
  }
  return "sent";
}

namespace {
std::string answer_text(const Attempt& attempt) {
  if (attempt.smtp_code != 0) return "SMTP " + std::to_string(attempt.smtp_code);
  return "HTTP " + std::to_string(attempt.http_status);
}
}  // namespace

Verdict classify(const Attempt& attempt) {
  switch (attempt.failed_layer) {
    case FailedLayer::none:
      break;
    case FailedLayer::dns:
    case FailedLayer::connect:
    case FailedLayer::tls:
    case FailedLayer::connection:
    case FailedLayer::timeout:
    case FailedLayer::cancelled:
      return Verdict::retry;
    case FailedLayer::request:
    case FailedLayer::redirect:
      return Verdict::permanent;
  }
  if (attempt.smtp_code != 0) {
    // SMTP (RFC 5321 4.2.1): 2yz done, 4yz transient (greylisting, mailbox busy), 5yz final.
    const int c = attempt.smtp_code;
    if (c >= 200 && c <= 399) return Verdict::sent;
    if (c >= 400 && c <= 499) return Verdict::retry;
    return Verdict::permanent;
  }
  const int s = attempt.http_status;
  if (s >= 200 && s <= 299) return Verdict::sent;
  // Request Timeout, Too Early and Too Many Requests say "not now", as do server errors.
  if (s == 408 || s == 425 || s == 429 || (s >= 500 && s <= 599)) return Verdict::retry;
  return Verdict::permanent;
}

std::optional<Duration> parse_retry_after(std::string_view value, TimePoint now) {
  value = trim(value);
  if (is_digits(value)) {
    // Anything beyond ~30 years is as good as forever; clamp instead of overflowing.
    if (value.size() > 9) return std::chrono::duration_cast<Duration>(std::chrono::years{30});
    return std::chrono::duration_cast<Duration>(seconds{*number(value)});
  }
  auto at = parse_http_date(value);
  if (!at) return std::nullopt;
  return std::max(Duration::zero(), std::chrono::duration_cast<Duration>(*at - now));
}

Duration backoff_ceiling(const RetryOptions& options, int failed_attempts) {
  Duration ceiling = options.initial_backoff;
  for (int i = 1; i < failed_attempts && ceiling < options.max_backoff; ++i) ceiling *= 2;
  return std::min(ceiling, options.max_backoff);
}

Duration backoff_delay(const RetryOptions& options, int failed_attempts,
                       const UniformRandom& random) {
  const Duration ceiling = backoff_ceiling(options, failed_attempts);
  double draw = std::clamp(random(), 0.0, 1.0);
  auto jittered = Duration{static_cast<Duration::rep>(std::floor(draw * ceiling.count()))};
  return std::max(options.min_backoff, jittered);
}

Decision decide(const RetryOptions& options, const Attempt& attempt, int failed_attempts,
                TimePoint first_attempt_at, TimePoint now, const UniformRandom& random) {
  std::optional<Verdict> verdict;
  if (options.override_classify) verdict = options.override_classify(attempt);
  if (!verdict) verdict = classify(attempt);

  Decision d{.verdict = *verdict, .next_attempt_at = {}, .reason = {}};
  if (d.verdict == Verdict::sent) {
    d.reason = answer_text(attempt);
    return d;
  }
  if (d.verdict == Verdict::permanent) {
    d.reason = attempt.error.empty() ? answer_text(attempt) : attempt.error;
    return d;
  }

  Duration wait = backoff_delay(options, failed_attempts, random);
  std::string why = "backoff";
  if (auto asked = parse_retry_after(attempt.retry_after, now)) {
    wait = std::clamp(*asked, options.min_backoff, options.max_retry_after);
    why = "Retry-After";
  }
  const TimePoint next = now + std::chrono::duration_cast<TimePoint::duration>(wait);
  if (failed_attempts >= options.max_attempts) {
    d.verdict = Verdict::permanent;
    d.reason = "gave up after " + std::to_string(failed_attempts) + " attempts: " + attempt.error;
    return d;
  }
  if (next - first_attempt_at > options.give_up_after) {
    d.verdict = Verdict::permanent;
    d.reason = "gave up after " + std::to_string(failed_attempts) + " attempts over " +
               format_duration(now - first_attempt_at) + ": " + attempt.error;
    return d;
  }
  d.next_attempt_at = next;
  d.reason = attempt.error + " (retry in " + format_duration(wait) + ", " + why + ")";
  return d;
}

}  // namespace lk::alert::deliver
