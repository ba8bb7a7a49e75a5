#include "web/metrics.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
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
  s.stats.notifiers.push_back({.name = "ops-hook",
                               .type = "webhook",
                               .enqueued = 5,
                               .sent = 4,
                               .retried = 2,
                               .failed = 1,
                               .queued = 1,
                               .in_flight = 1});
  s.stats.notifiers.push_back({.name = "team-slack", .type = "slack"});
  s.stats.notification_enqueue_errors = 2;
  return s;
}

std::string render(const StatusSnapshot& s) {
  store::Stats stats;
  stats.queue_depth = 7;
  stats.results_written = 1234;
  stats.last_batch_ms = 12.5;
  stats.max_batch_ms = 250;
  stats.batches_written = 40;
  stats.write_failures = 3;
  stats.results_dropped = 17;
  return render_metrics(s, stats,
                        ProcessFigures{.resident_memory_bytes = 1e7,
                                       .cpu_seconds = 1.5,
                                       .virtual_memory_bytes = 5e8,
                                       .open_fds = 42,
                                       .max_fds = 1024});
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
                             "lightkeeper_check_last_run_timestamp_seconds",
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
                             "lightkeeper_store_batches_written_total",
                             "lightkeeper_store_last_batch_seconds",
                             "lightkeeper_store_max_batch_seconds",
                             "lightkeeper_store_write_failures_total",
                             "lightkeeper_store_results_dropped_total",
                             "lightkeeper_notifications_enqueued_total",
                             "lightkeeper_notification_attempts_total",
                             "lightkeeper_notifications_queued",
                             "lightkeeper_notifications_in_flight",
                             "lightkeeper_notification_enqueue_errors_total",
                             "lightkeeper_config_reloads_total",
                             "lightkeeper_build_info",
                             "process_start_time_seconds",
                             "process_resident_memory_bytes",
                             "process_virtual_memory_bytes",
                             "process_open_fds",
                             "process_max_fds",
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

TEST(Metrics, KeepsUtf8LabelValuesAndReplacesBytesThatAreNotUtf8) {
  // A scraper rejects the whole page for one label value that is not UTF-8.
  EXPECT_EQ(escape_label_value("caf\xC3\xA9 \xE2\x98\x95 \xF0\x9F\x9A\x80"),
            "caf\xC3\xA9 \xE2\x98\x95 \xF0\x9F\x9A\x80");
  const std::string replacement = "\xEF\xBF\xBD";
  EXPECT_EQ(escape_label_value("a\xFF"
                               "b"),
            "a" + replacement + "b");
  EXPECT_EQ(escape_label_value("\xC3"), replacement) << "a sequence cut short";
  EXPECT_EQ(escape_label_value("\xC0\xAF"), replacement + replacement) << "an overlong '/'";
  EXPECT_EQ(escape_label_value("\xED\xA0\x80"), replacement + replacement + replacement)
      << "a surrogate";
  EXPECT_EQ(escape_label_value("\xF4\x90\x80\x80").find('\xF4'), std::string::npos)
      << "beyond U+10FFFF";
  EXPECT_EQ(escape_label_value("\xC3\"\n"), replacement + "\\\"\\n")
      << "a broken sequence does not swallow the quote after it";
}

TEST(Metrics, ACheckNameCannotForgeSeriesOrBreakTheLine) {
  StatusSnapshot s = sample_snapshot();
  s.checks.spec(0).name = "x\"} 1\nlightkeeper_incidents_open 99\n# TYPE x gauge\n\\";
  s.stats.notifiers[0].name = "hook\xFF\"\n";
  std::string text = render(s);
  expect_valid_exposition(text);
  EXPECT_FALSE(has_line(text, "lightkeeper_incidents_open 99"));
  EXPECT_TRUE(has_line(
      text,
      R"(lightkeeper_check_flapping{check="x\"} 1\nlightkeeper_incidents_open 99\n# TYPE x gauge\n\\"} 0)"));
  EXPECT_TRUE(has_line(text,
                       "lightkeeper_notifications_queued{notifier=\"hook\xEF\xBF\xBD\\\"\\n\","
                       "type=\"webhook\"} 1"));
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

TEST(Metrics, CountsNotificationAttemptsByNotifierAndOutcome) {
  std::string text = render(sample_snapshot());
  EXPECT_TRUE(has_line(
      text,
      R"(lightkeeper_notification_attempts_total{notifier="ops-hook",type="webhook",outcome="sent"} 4)"));
  EXPECT_TRUE(has_line(
      text,
      R"(lightkeeper_notification_attempts_total{notifier="ops-hook",type="webhook",outcome="retryable"} 2)"));
  EXPECT_TRUE(has_line(
      text,
      R"(lightkeeper_notification_attempts_total{notifier="ops-hook",type="webhook",outcome="permanent"} 1)"));
  EXPECT_TRUE(has_line(
      text, R"(lightkeeper_notifications_enqueued_total{notifier="ops-hook",type="webhook"} 5)"));
  EXPECT_TRUE(
      has_line(text, R"(lightkeeper_notifications_queued{notifier="ops-hook",type="webhook"} 1)"));
  EXPECT_TRUE(has_line(
      text, R"(lightkeeper_notifications_in_flight{notifier="ops-hook",type="webhook"} 1)"));
  EXPECT_TRUE(has_line(text, "lightkeeper_notification_enqueue_errors_total 2"));
}

TEST(Metrics, ShowsANotifierThatHasSentNothingYetAtZero) {
  // So that rate() and "failing notifier" alerts work from its first notification on.
  std::string text = render(sample_snapshot());
  for (const char* outcome : {"sent", "retryable", "permanent"})
    EXPECT_TRUE(has_line(text, std::string("lightkeeper_notification_attempts_total{notifier="
                                           "\"team-slack\",type=\"slack\",outcome=\"") +
                                   outcome + "\"} 0"))
        << outcome;
  EXPECT_TRUE(
      has_line(text, R"(lightkeeper_notifications_queued{notifier="team-slack",type="slack"} 0)"));
}

TEST(Metrics, ReportsStoreWritesFailuresAndDrops) {
  std::string text = render(sample_snapshot());
  EXPECT_TRUE(has_line(text, "lightkeeper_store_batches_written_total 40"));
  EXPECT_TRUE(has_line(text, "lightkeeper_store_max_batch_seconds 0.25"));
  EXPECT_TRUE(has_line(text, "lightkeeper_store_write_failures_total 3"));
  EXPECT_TRUE(has_line(text, "lightkeeper_store_results_dropped_total 17"));
}

TEST(Metrics, ReportsProcessFiguresUnderTheStandardNames) {
  std::string text = render(sample_snapshot());
  EXPECT_TRUE(has_line(text, "process_virtual_memory_bytes 500000000"));
  EXPECT_TRUE(has_line(text, "process_open_fds 42"));
  EXPECT_TRUE(has_line(text, "process_max_fds 1024"));
  EXPECT_TRUE(
      has_line(text, R"(lightkeeper_check_last_run_timestamp_seconds{check="db"} 1795219180)"));
}

TEST(Metrics, LeavesOutProcessFiguresThatCouldNotBeRead) {
  std::string text = render_metrics(sample_snapshot(), store::Stats{}, ProcessFigures{});
  expect_valid_exposition(text);
  for (const char* family : {"process_cpu_seconds_total", "process_open_fds", "process_max_fds",
                             "process_virtual_memory_bytes", "process_resident_memory_bytes"})
    EXPECT_EQ(text.find(family), std::string::npos) << family;
  EXPECT_NE(text.find("process_start_time_seconds "), std::string::npos);
}

TEST(Metrics, IsValidWithNoChecksAtAll) {
  expect_valid_exposition(render(StatusSnapshot{}));
}

// The real linter, when it is installed (Debian: prometheus), on a page with odd names in
// every labelled family.
TEST(Metrics, PassesPromtoolCheckMetrics) {
  if (std::system("command -v promtool >/dev/null 2>&1") != 0)
    GTEST_SKIP() << "promtool is not installed (Debian package prometheus)";
  StatusSnapshot s = sample_snapshot();
  s.checks.spec(0).name = "odd \"name\" \\ with\nnewline, \xFF and caf\xC3\xA9";
  s.stats.notifiers[1].name = "team\"slack\\\n\xC3";
  const std::string text = render(s);
  const auto path = std::filesystem::temp_directory_path() /
                    ("lk-metrics-" + std::to_string(::getpid()) + ".txt");
  std::ofstream(path) << text;
  const std::string command = "promtool check metrics < " + path.string() + " 2>&1";
  std::string output;
  FILE* pipe = ::popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  char buffer[4096];
  while (std::size_t n = std::fread(buffer, 1, sizeof buffer, pipe)) output.append(buffer, n);
  const int status = ::pclose(pipe);
  std::filesystem::remove(path);
  EXPECT_EQ(status, 0) << output << "\n--- the page ---\n" << text;
  EXPECT_EQ(output, "") << text;
}

TEST(ProcessFigures, ReadsMemoryCpuAndDescriptorsOfThisProcess) {
  ProcessFigures figures = read_process_figures();
  ASSERT_TRUE(figures.resident_memory_bytes);
  EXPECT_GT(*figures.resident_memory_bytes, 1024.0 * 1024);
  ASSERT_TRUE(figures.virtual_memory_bytes);
  EXPECT_GE(*figures.virtual_memory_bytes, *figures.resident_memory_bytes);
  ASSERT_TRUE(figures.cpu_seconds);
  EXPECT_GE(*figures.cpu_seconds, 0.0);
  ASSERT_TRUE(figures.open_fds);
  EXPECT_GE(*figures.open_fds, 3.0) << "stdin, stdout and stderr at least";
  if (figures.max_fds) {
    EXPECT_GE(*figures.max_fds, *figures.open_fds);
  }
}

TEST(ProcessFigures, CountsADescriptorOpenedSinceTheLastReading) {
  const double before = read_process_figures().open_fds.value_or(-1);
  int fd = ::dup(STDERR_FILENO);
  ASSERT_GE(fd, 0);
  const double during = read_process_figures().open_fds.value_or(-1);
  ::close(fd);
  EXPECT_EQ(during, before + 1);
}
