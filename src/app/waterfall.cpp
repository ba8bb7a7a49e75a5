#include "app/waterfall.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

namespace lk::app {

namespace {

std::string ms_text(Duration d) {
  char buf[32];
  double ms = to_ms(d);
  std::snprintf(buf, sizeof buf, ms < 10 ? "%.2f ms" : (ms < 1000 ? "%.1f ms" : "%.0f ms"), ms);
  return buf;
}

std::string pad(std::string s, std::size_t width) {
  if (s.size() < width) s.append(width - s.size(), ' ');
  return s;
}

/// The probe's structured answer (DNS records, TLS facts ...), when it gave one.
std::optional<nlohmann::json> json_answer(const Observation& o) {
  const std::string* type = o.header("content-type");
  if (!type || !type->starts_with("application/json") || o.body.empty()) return std::nullopt;
  auto parsed = nlohmann::json::parse(o.body, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return std::nullopt;
  return parsed;
}

std::string number_text(double v) {
  char buf[48];
  if (std::fabs(v) < 1e15 && v == std::floor(v))
    std::snprintf(buf, sizeof buf, "%.0f", v);  // counts and bytes in full
  else
    std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

void print_phases(std::ostream& out, const Observation& o) {
  struct Phase {
    const char* name;
    std::optional<Duration> at;
  } phases[] = {{"dns", o.timings.dns},
                {"connect", o.timings.connect},
                {"tls", o.timings.tls},
                {"first byte", o.timings.first_byte},
                {"total", o.timings.total}};
  const Duration total = o.timings.total.value_or(Duration::zero());
  constexpr int kWidth = 40;
  out << "  phase       " << pad("ends at", 12) << pad("takes", 12) << "\n";
  Duration previous = Duration::zero();
  for (const auto& p : phases) {
    if (!p.at) {
      out << "  " << pad(p.name, 10) << "  "
          << "-"
          << "\n";
      continue;
    }
    Duration at = *p.at;
    Duration took = at - previous;
    int from = total.count() > 0 ? static_cast<int>(std::lround(kWidth * double(previous.count()) /
                                                                double(total.count())))
                                 : 0;
    int to =
        total.count() > 0
            ? static_cast<int>(std::lround(kWidth * double(at.count()) / double(total.count())))
            : 0;
    if (to <= from) to = from + 1;
    std::string bar(static_cast<std::size_t>(from), ' ');
    for (int i = from; i < to && i <= kWidth; ++i) bar += "\u2588";
    out << "  " << pad(p.name, 10) << "  " << pad(ms_text(at), 12) << pad(ms_text(took), 12) << bar
        << "\n";
    previous = at;
  }
}

}  // namespace

void print_waterfall(std::ostream& out, std::string_view target, const Observation& o,
                     TimePoint now) {
  out << "  target      " << target << "\n";
  if (!o.peer.empty()) out << "  peer        " << o.peer << "\n";
  if (o.status_code)
    out << "  status      " << *o.status_code << (o.body_truncated ? " (body truncated)" : "")
        << "\n";
  if (auto answer = json_answer(o)) {
    std::string text = answer->dump();
    if (text.size() > 400) text = text.substr(0, 400) + "...";
    out << "  answer      " << text << "\n";
  }
  std::size_t width = 10;
  for (const auto& m : o.metrics) width = std::max(width, m.name.size());
  for (const auto& m : o.metrics)
    out << "  " << pad(m.name, width) << "  " << number_text(m.value) << (m.unit.empty() ? "" : " ")
        << m.unit << "\n";
  const Duration total = o.timings.total.value_or(Duration::zero());
  // Kinds without network phases (a plugin, disk space) get one line, not four empty ones.
  if (!o.timings.dns && !o.timings.connect && !o.timings.tls && !o.timings.first_byte) {
    if (o.timings.total) out << "  took        " << ms_text(total) << "\n";
  } else {
    print_phases(out, o);
  }
  if (o.cert_not_after) {
    auto left =
        std::chrono::duration_cast<std::chrono::hours>(*o.cert_not_after - now).count() / 24;
    out << "  certificate expires " << format_time(*o.cert_not_after) << " (" << left << " days)\n";
  }
}

nlohmann::json result_json(const Result& r, const Observation& o) {
  nlohmann::json j;
  j["check"] = r.check;
  j["status"] = std::string(to_string(r.status));
  j["message"] = r.message;
  j["started_at"] = format_time(r.started_at);
  j["duration_ms"] = to_ms(r.duration);
  if (o.failed_at != Layer::none) j["failed_at"] = std::string(to_string(o.failed_at));
  if (!o.peer.empty()) j["peer"] = o.peer;
  if (o.status_code) j["http_status"] = *o.status_code;
  auto& t = j["timings_ms"];
  t = nlohmann::json::object();
  if (r.timings.dns) t["dns"] = to_ms(*r.timings.dns);
  if (r.timings.connect) t["connect"] = to_ms(*r.timings.connect);
  if (r.timings.tls) t["tls"] = to_ms(*r.timings.tls);
  if (r.timings.first_byte) t["first_byte"] = to_ms(*r.timings.first_byte);
  if (r.timings.total) t["total"] = to_ms(*r.timings.total);
  if (r.cert_not_after) j["cert_not_after"] = format_time(*r.cert_not_after);
  auto& m = j["metrics"];
  m = nlohmann::json::array();
  for (const auto& metric : r.metrics)
    m.push_back({{"name", metric.name}, {"value", metric.value}, {"unit", metric.unit}});
  if (auto answer = json_answer(o)) j["answer"] = std::move(*answer);
  return j;
}

}  // namespace lk::app
