#include "web/api_json.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>

namespace lk::web::api {

namespace {

Json time_or_null(const std::optional<TimePoint>& t) {
  return t ? Json(format_time(*t)) : Json(nullptr);
}

Json ms_or_null(const std::optional<Duration>& d) {
  return d ? Json(to_ms(*d)) : Json(nullptr);
}

Json fraction_or_null(const std::optional<double>& f) {
  return f ? Json(*f) : Json(nullptr);
}

// Writes a rollup row into a buffer sized beforehand: one capacity check per row instead of
// one per field (90,000 rows make that count).
class RowCursor {
 public:
  explicit RowCursor(char* at) : at_(at) {}
  char* at() const { return at_; }

  template <std::size_t N>
  void literal(const char (&text)[N]) {
    std::memcpy(at_, text, N - 1);
    at_ += N - 1;
  }
  void text(std::string_view already_json) {
    std::memcpy(at_, already_json.data(), already_json.size());
    at_ += already_json.size();
  }
  void integer(std::int64_t value) { at_ = std::to_chars(at_, at_ + 20, value).ptr; }

  // A latency in ms to the microsecond: "12.345", "0.5", "230" (a double's shortest form costs
  // several times as much, for digits below what a probe measures).
  void latency_ms(double ms) {
    double us = ms * 1000;
    if (!(std::abs(us) < 9e15)) {  // NaN, infinite or absurd: as nlohmann would write it
      text(dump(Json(ms)));
      return;
    }
    if (us < 0) {
      *at_++ = '-';
      us = -us;
    }
    const auto whole = static_cast<std::uint64_t>(us + 0.5);  // rounded half away from zero
    at_ = std::to_chars(at_, at_ + 20, whole / 1000).ptr;
    const int fraction = static_cast<int>(whole % 1000);
    if (fraction == 0) return;
    at_[0] = '.';
    at_[1] = static_cast<char>('0' + fraction / 100);
    at_[2] = static_cast<char>('0' + fraction / 10 % 10);
    at_[3] = static_cast<char>('0' + fraction % 10);
    at_ += fraction % 100 == 0 ? 2 : fraction % 10 == 0 ? 3 : 4;
  }

  // A double as nlohmann writes it (shortest round trip, "1.0" rather than "1").
  void number(double value) {
    if (!std::isfinite(value)) {
      literal("null");
      return;
    }
    char* start = at_;
    at_ = std::to_chars(at_, at_ + 32, value).ptr;
    if (std::find_if(start, at_, [](char c) { return c == '.' || c == 'e'; }) == at_) literal(".0");
  }

 private:
  char* at_;
};

Json timings_json(const PhaseTimings& t) {
  return {{"dns_ms", ms_or_null(t.dns)},
          {"connect_ms", ms_or_null(t.connect)},
          {"tls_ms", ms_or_null(t.tls)},
          {"first_byte_ms", ms_or_null(t.first_byte)},
          {"total_ms", ms_or_null(t.total)}};
}

}  // namespace

std::string dump(const Json& json) {
  return json.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string_view to_string(store::Resolution resolution) {
  switch (resolution) {
    case store::Resolution::minute:
      return "minute";
    case store::Resolution::hour:
      return "hour";
    case store::Resolution::day:
      return "day";
  }
  return "minute";
}

Json check_json(const CheckItem& item, std::string_view location, bool with_history) {
  const CheckSpec& spec = *item.spec;
  const CheckView& c = *item.view;
  Json j = {
      {"name", spec.name},
      {"type", spec.type},
      {"target", spec.target},
      {"group", spec.group},
      {"description", spec.description},
      {"tags", spec.tags},
      {"location", location},
      {"state", std::string(to_string(c.state))},
      // A check that never changed state has no meaningful "since".
      {"since", c.since == TimePoint{} ? Json(nullptr) : Json(format_time(c.since))},
      {"flapping", c.flapping},
      {"paused", spec.paused || c.paused},
      {"interval_ms", to_ms(spec.interval)},
      {"message", c.message},
      {"last_status", c.last_status ? Json(std::string(to_string(*c.last_status))) : Json(nullptr)},
      {"last_run", time_or_null(c.last_run)},
      {"last_latency_ms", ms_or_null(c.last_latency)},
      {"timings", timings_json(c.last_timings)},
      {"cert_not_after", time_or_null(c.cert_not_after)},
      {"uptime",
       {{"24h", fraction_or_null(c.uptime_24h)},
        {"7d", fraction_or_null(c.uptime_7d)},
        {"30d", fraction_or_null(c.uptime_30d)},
        {"90d", fraction_or_null(c.uptime_90d)}}},
      {"results",
       {{"ok", c.results_ok},
        {"warn", c.results_warn},
        {"fail", c.results_fail},
        {"unknown", c.results_unknown}}},
      {"open_incident", c.open_incident ? Json(*c.open_incident) : Json(nullptr)},
  };
  if (with_history) {
    Json days = Json::array();
    for (const auto& d : c.days)
      days.push_back({{"day", format_time(d.day)},
                      {"count", d.count},
                      {"failures", d.failures},
                      {"warnings", d.warnings},
                      {"uptime", d.count ? Json(d.uptime()) : Json(nullptr)}});
    j["days"] = std::move(days);
    Json sparkline = Json::array();
    for (const auto& v : c.sparkline_ms)
      sparkline.push_back(std::isnan(v) ? Json(nullptr)
                                        : Json(std::round(double(v) * 1000) / 1000));
    j["sparkline_ms"] = std::move(sparkline);
  }
  return j;
}

Json result_json(const Result& r) {
  Json metrics = Json::array();
  for (const auto& m : r.metrics)
    metrics.push_back({{"name", m.name}, {"value", m.value}, {"unit", m.unit}});
  return {{"check", r.check},
          {"location", r.location},
          {"started_at", format_time(r.started_at)},
          {"duration_ms", to_ms(r.duration)},
          {"status", std::string(to_string(r.status))},
          {"message", r.message},
          {"timings", timings_json(r.timings)},
          {"cert_not_after", time_or_null(r.cert_not_after)},
          {"metrics", std::move(metrics)}};
}

Json rollup_json(const store::Rollup& r) {
  return {{"check", r.check},
          {"location", r.location},
          {"resolution", std::string(to_string(r.resolution))},
          {"bucket", format_time(r.bucket)},
          {"count", r.count},
          {"failures", r.failures},
          {"warnings", r.warnings},
          {"uptime", r.count ? Json(1.0 - double(r.failures) / double(r.count)) : Json(nullptr)},
          {"latency_min_ms", r.latency_min_ms},
          {"latency_avg_ms", r.latency_avg_ms},
          {"latency_max_ms", r.latency_max_ms},
          {"latency_p95_ms", r.latency_p95_ms}};
}

void RollupRowWriter::string(std::string_view text) {
  out_.append(dump(Json(text)));
}

void RollupRowWriter::row(const store::Rollup& r) {
  const auto bucket_ms =
      std::chrono::floor<std::chrono::milliseconds>(r.bucket.time_since_epoch()).count();
  auto [formatted, inserted] = times_.try_emplace(bucket_ms);
  if (inserted) formatted->second = dump(Json(format_time(r.bucket)));
  const std::string& time = formatted->second;
  if (r.location != location_ || location_json_.empty()) {
    location_ = r.location;
    location_json_ = dump(Json(r.location));
  }
  // Keys and fixed text take under 200 bytes, each number at most 32. The row is written into
  // a scratch buffer and appended in one copy (resizing `out_` would clear what is written).
  constexpr std::size_t kFixed = 512;
  const std::size_t most = kFixed + time.size() + location_json_.size();
  if (scratch_.size() < most) scratch_.resize(most);
  RowCursor row(scratch_.data());
  // One array per row, in kRollupColumns' order: the names are given once per answer, and the
  // check and resolution once per check and once in all (half the bytes of keyed objects).
  row.literal("[");
  row.text(time);
  row.literal(",");
  row.text(location_json_);
  row.literal(",");
  row.integer(r.count);
  row.literal(",");
  row.integer(r.failures);
  row.literal(",");
  row.integer(r.warnings);
  row.literal(",");
  if (r.count == 0)
    row.literal("null");
  else
    row.number(1.0 - double(r.failures) / double(r.count));
  row.literal(",");
  row.latency_ms(r.latency_min_ms);
  row.literal(",");
  row.latency_ms(r.latency_avg_ms);
  row.literal(",");
  row.latency_ms(r.latency_max_ms);
  row.literal(",");
  row.latency_ms(r.latency_p95_ms);
  row.literal("]");
  out_.append(scratch_.data(), static_cast<std::size_t>(row.at() - scratch_.data()));
}

Json incident_json(const Incident& i, TimePoint now) {
  TimePoint end = i.closed_at.value_or(now);
  return {{"id", i.id},
          {"check", i.check},
          {"severity", std::string(to_string(i.severity))},
          {"open", i.open()},
          {"opened_at", format_time(i.opened_at)},
          {"closed_at", time_or_null(i.closed_at)},
          {"duration_ms", to_ms(end - i.opened_at)},
          {"cause", i.cause},
          {"last_message", i.last_message}};
}

}  // namespace lk::web::api
