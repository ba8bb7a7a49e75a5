#include "web/metrics.hpp"

#include <gtest/gtest.h>

#include <cctype>
#include <cstdlib>
#include <set>
#include <sstream>

#include "fakes.hpp"

using namespace std::chrono;
using namespace lk;
using namespace lk::web;
using namespace lk::web::testing;

namespace {

const TimePoint kNow = TimePoint{seconds{1'795'219'200}};

StatusSnapshot sample_snapshot() {
  StatusSnapshot s;
  s.generated_at = kNow;
  add_check(s.checks, make_check("homepage", State::warn, kNow));
  add_check(s.checks, make_check("db", State::fail, kNow));
  s.checks.view(0).cert_not_after = kNow + hours{24 * 30};
  s.checks.view(1).last_latency.reset();
  s.checks.view(1).flapping = true;
  s.open_incidents.push_back(Incident{.id = 1, .check = "db", .opened_at = kNow});
  s.stats.version = "0.1.0";
  s.stats.started_at = kNow - hours{1};
  s.stats.config_reloads = 3;
  s.stats.config_reload_failures = 1;
  s.stats.lateness_p99_ms = 250;
  return s;
}

std::string render(const StatusSnapshot& s) {
  store::Stats stats;
  stats.queue_depth = 7;
  stats.results_written = 1234;
  stats.last_batch_ms = 12.5;
  return render_metrics(s, stats, ProcessFigures{.resident_memory_bytes = 1e7, .cpu_seconds = 1.5});
}

bool has_line(const std::string& text, const std::string& line) {
  return text.find("\n" + line + "\n") != std::string::npos || text.starts_with(line + "\n");
}

bool is_name_start(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) || c == '_';
}
bool is_name_char(char c) {
  return is_name_start(c) || std::isdigit(static_cast<unsigned char>(c));
}

// Reads a metric or label name at `pos`; "" when there is none.
std::string read_name(std::string_view line, std::size_t& pos, bool colons_allowed) {
  std::size_t begin = pos;
  auto ok = [&](char c, bool first) {
    return (first ? is_name_start(c) : is_name_char(c)) || (colons_allowed && c == ':');
  };
  while (pos < line.size() && ok(line[pos], pos == begin)) ++pos;
  return std::string(line.substr(begin, pos - begin));
}

// Parses `name{label="value",...} number`, returning the name, or "" when malformed.
std::string parse_sample(std::string_view line) {
  std::size_t pos = 0;
  std::string name = read_name(line, pos, true);
  if (name.empty()) return "";
  if (pos < line.size() && line[pos] == '{') {
    ++pos;
    while (true) {
      if (read_name(line, pos, false).empty()) return "";
      if (line.substr(pos, 2) != "=\"") return "";
      pos += 2;
      while (pos < line.size() && line[pos] != '"') {
        if (line[pos] == '\\') {
          if (pos + 1 >= line.size() ||
              std::string_view("\\\"n").find(line[pos + 1]) == std::string_view::npos)
            return "";
          ++pos;
        }
        ++pos;
      }
      if (pos >= line.size()) return "";
      ++pos;  // closing quote
      if (pos < line.size() && line[pos] == ',') {
        ++pos;
        continue;
      }
      if (pos < line.size() && line[pos] == '}') {
        ++pos;
        break;
      }
      return "";
    }
  }
  if (pos >= line.size() || line[pos] != ' ') return "";
  std::string value(line.substr(pos + 1));
  if (value == "NaN" || value == "+Inf" || value == "-Inf") return name;
  char* end = nullptr;
  std::strtod(value.c_str(), &end);
  return !value.empty() && end == value.c_str() + value.size() ? name : "";
}

// A strict reading of the text format 0.0.4, standing in for `promtool check metrics`: every
// sample's family was declared with HELP and TYPE just before its series, families are not
// interleaved, names and labels are well formed, counters end in _total.
void expect_valid_exposition(const std::string& text) {
  ASSERT_TRUE(text.ends_with("\n"));
  std::istringstream lines(text);
  std::string line, current, pending_help;
  std::set<std::string> declared;
  while (std::getline(lines, line)) {
    std::string_view rest = line;
    if (rest.starts_with("# HELP ")) {
      rest.remove_prefix(7);
      std::size_t pos = 0;
      pending_help = read_name(rest, pos, true);
      ASSERT_FALSE(pending_help.empty()) << line;
      ASSERT_TRUE(rest.size() > pos + 1 && rest[pos] == ' ') << "HELP without text: " << line;
      ASSERT_TRUE(declared.insert(pending_help).second) << "family declared twice: " << line;
    } else if (rest.starts_with("# TYPE ")) {
      rest.remove_prefix(7);
      std::size_t pos = 0;
      current = read_name(rest, pos, true);
      ASSERT_EQ(pending_help, current) << "TYPE without HELP just before: " << line;
      std::string_view type = rest.substr(std::min(pos + 1, rest.size()));
      ASSERT_TRUE(type == "counter" || type == "gauge" || type == "summary") << line;
      if (type == "counter") {
        EXPECT_TRUE(current.ends_with("_total")) << current;
      }
    } else {
      std::string name = parse_sample(line);
      ASSERT_FALSE(name.empty()) << "malformed line: " << line;
      EXPECT_EQ(name, current) << "sample outside its family block: " << line;
    }
  }
}

}  // namespace

TEST(Metrics, IsValidTextExpositionWithHelpAndTypeForEveryFamily) {
  std::string text = render(sample_snapshot());
  expect_valid_exposition(text);
  for (const char* family : {"lightkeeper_check_up",
                             "lightkeeper_check_state",
                             "lightkeeper_check_latency_seconds",
                             "lightkeeper_check_phase_seconds",
                             "lightkeeper_check_results_total",
                             "lightkeeper_check_cert_expiry_timestamp_seconds",
                             "lightkeeper_check_flapping",
                             "lightkeeper_incidents_open",
                             "lightkeeper_scheduler_lateness_seconds",
                             "lightkeeper_scheduler_lateness_max_seconds",
                             "lightkeeper_checks_in_flight",
                             "lightkeeper_checks_started_total",
                             "lightkeeper_checks_skipped_total",
                             "lightkeeper_store_queue_depth",
                             "lightkeeper_store_results_written_total",
                             "lightkeeper_store_last_batch_seconds",
                             "lightkeeper_config_reloads_total",
                             "lightkeeper_build_info",
                             "process_start_time_seconds",
                             "process_resident_memory_bytes",
                             "process_cpu_seconds_total"}) {
    EXPECT_NE(text.find(std::string("# HELP ") + family + " "), std::string::npos) << family;
    EXPECT_NE(text.find(std::string("# TYPE ") + family + " "), std::string::npos) << family;
  }
}

TEST(Metrics, EscapesLabelValues) {
  EXPECT_EQ(escape_label_value("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
  StatusSnapshot s = sample_snapshot();
  s.checks.spec(0).name = "evil\"name\\with\nnewline";
  std::string text = render(s);
  expect_valid_exposition(text);
  EXPECT_TRUE(has_line(text, R"(lightkeeper_check_flapping{check="evil\"name\\with\nnewline"} 0)"));
}

TEST(Metrics, ReportsUpForOkAndWarnOnly) {
  std::string text = render(sample_snapshot());
  EXPECT_TRUE(
      has_line(text, R"(lightkeeper_check_up{check="homepage",type="http",location="local"} 1)"));
  EXPECT_TRUE(has_line(text, R"(lightkeeper_check_up{check="db",type="http",location="local"} 0)"));
}

TEST(Metrics, HasOneStateSeriesPerStateWithOneSet) {
  std::string text = render(sample_snapshot());
  for (const char* state : {"pending", "ok", "fail", "unknown"})
    EXPECT_TRUE(has_line(
        text, std::string("lightkeeper_check_state{check=\"homepage\",state=\"") + state + "\"} 0"))
        << state;
  EXPECT_TRUE(has_line(text, R"(lightkeeper_check_state{check="homepage",state="warn"} 1)"));
}

TEST(Metrics, ConvertsTimesToSecondsAndSkipsWhatIsUnknown) {
  std::string text = render(sample_snapshot());
  EXPECT_TRUE(has_line(text, R"(lightkeeper_check_latency_seconds{check="homepage"} 0.123)"));
  EXPECT_EQ(text.find(R"(lightkeeper_check_latency_seconds{check="db"})"), std::string::npos);
  EXPECT_TRUE(
      has_line(text, R"(lightkeeper_check_phase_seconds{check="homepage",phase="connect"} 0.02)"));
  EXPECT_EQ(text.find(R"(phase="tls")"), std::string::npos) << "no TLS phase was measured";
  EXPECT_TRUE(has_line(
      text, R"(lightkeeper_check_cert_expiry_timestamp_seconds{check="homepage"} 1797811200)"));
  EXPECT_TRUE(has_line(text, R"(lightkeeper_scheduler_lateness_seconds{quantile="0.99"} 0.25)"));
  EXPECT_TRUE(has_line(text, "lightkeeper_store_last_batch_seconds 0.0125"));
  EXPECT_TRUE(has_line(text, "process_start_time_seconds 1795215600"));
}

TEST(Metrics, CountsResultsIncidentsReloadsAndTheStore) {
  std::string text = render(sample_snapshot());
  EXPECT_TRUE(has_line(text, R"(lightkeeper_check_results_total{check="db",status="ok"} 1000)"));
  EXPECT_TRUE(has_line(text, R"(lightkeeper_check_results_total{check="db",status="fail"} 3)"));
  EXPECT_TRUE(has_line(text, R"(lightkeeper_check_flapping{check="db"} 1)"));
  EXPECT_TRUE(has_line(text, "lightkeeper_incidents_open 1"));
  EXPECT_TRUE(has_line(text, R"(lightkeeper_config_reloads_total{result="ok"} 3)"));
  EXPECT_TRUE(has_line(text, R"(lightkeeper_config_reloads_total{result="error"} 1)"));
  EXPECT_TRUE(has_line(text, "lightkeeper_store_queue_depth 7"));
  EXPECT_TRUE(has_line(text, "lightkeeper_store_results_written_total 1234"));
  EXPECT_TRUE(has_line(text, R"(lightkeeper_build_info{version="0.1.0"} 1)"));
  EXPECT_TRUE(has_line(text, "process_resident_memory_bytes 10000000"));
  EXPECT_TRUE(has_line(text, "process_cpu_seconds_total 1.5"));
}

TEST(Metrics, IsValidWithNoChecksAtAll) {
  expect_valid_exposition(render(StatusSnapshot{}));
}

TEST(ProcessFigures, ReadsMemoryAndCpuOfThisProcess) {
  ProcessFigures figures = read_process_figures();
  ASSERT_TRUE(figures.resident_memory_bytes);
  EXPECT_GT(*figures.resident_memory_bytes, 1024.0 * 1024);
  ASSERT_TRUE(figures.cpu_seconds);
  EXPECT_GE(*figures.cpu_seconds, 0.0);
}
