#include "web/api_json.hpp"

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

Json check_json(const CheckView& c, bool with_history) {
  Json j = {
      {"name", c.name},
      {"type", c.type},
      {"target", c.target},
      {"group", c.group},
      {"description", c.description},
      {"tags", c.tags},
      {"location", c.location},
      {"state", std::string(to_string(c.state))},
      // A check that never changed state has no meaningful "since".
      {"since", c.since == TimePoint{} ? Json(nullptr) : Json(format_time(c.since))},
      {"flapping", c.flapping},
      {"paused", c.paused},
      {"interval_ms", to_ms(c.interval)},
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
      sparkline.push_back(v ? Json(std::round(double(*v) * 1000) / 1000) : Json(nullptr));
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
