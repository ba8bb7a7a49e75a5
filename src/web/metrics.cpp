#include "web/metrics.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <array>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <utility>

#include "store/store.hpp"

namespace lk::web {

namespace {

using Labels = std::initializer_list<std::pair<std::string_view, std::string_view>>;

double seconds_of(Duration d) {
  return std::chrono::duration<double>(d).count();
}
double seconds_since_epoch(TimePoint t) {
  return seconds_of(t.time_since_epoch());
}

// Builds the exposition text one family at a time, so that every family gets its HELP and TYPE
// lines and its series stay together (promtool rejects interleaved families).
class Exposition {
 public:
  void family(std::string_view name, std::string_view type, std::string_view help) {
    out_ += "# HELP ";
    out_ += name;
    out_ += ' ';
    out_ += help;
    out_ += "\n# TYPE ";
    out_ += name;
    out_ += ' ';
    out_ += type;
    out_ += '\n';
  }

  void sample(std::string_view name, Labels labels, double value) {
    out_ += name;
    if (labels.size() > 0) {
      out_ += '{';
      bool first = true;
      for (const auto& [key, label_value] : labels) {
        if (!first) out_ += ',';
        first = false;
        out_ += key;
        out_ += "=\"";
        out_ += escape_label_value(label_value);
        out_ += '"';
      }
      out_ += '}';
    }
    out_ += ' ';
    append_value(value);
    out_ += '\n';
  }

  /// A family with one unlabelled sample.
  void single(std::string_view name, std::string_view type, std::string_view help, double value) {
    family(name, type, help);
    sample(name, {}, value);
  }

  std::string take() { return std::move(out_); }

 private:
  void append_value(double value) {
    if (std::isnan(value)) {
      out_ += "NaN";
    } else if (std::isinf(value)) {
      out_ += value > 0 ? "+Inf" : "-Inf";
    } else {
      // Whole numbers (counters, timestamps, bytes) print as integers, not "1e+07"; both parse,
      // but people read this text too.
      constexpr double kExactIntegers = 9007199254740992.0;  // 2^53
      std::array<char, 32> buf{};
      std::to_chars_result written{};
      if (std::trunc(value) == value && std::fabs(value) < kExactIntegers)
        written = std::to_chars(buf.data(), buf.data() + buf.size(), static_cast<long long>(value));
      else
        written = std::to_chars(buf.data(), buf.data() + buf.size(), value);
      out_.append(buf.data(), written.ec == std::errc{} ? written.ptr : buf.data());
    }
  }

  std::string out_;
};

constexpr std::array kStates = {State::pending, State::ok, State::warn, State::fail,
                                State::unknown};
constexpr std::array kStatuses = {Status::ok, Status::warn, Status::fail, Status::unknown};

std::uint64_t results_with(const CheckView& check, Status status) {
  switch (status) {
    case Status::ok:
      return check.results_ok;
    case Status::warn:
      return check.results_warn;
    case Status::fail:
      return check.results_fail;
    case Status::unknown:
      return check.results_unknown;
  }
  return 0;
}

void render_checks(Exposition& out, const StatusSnapshot& snapshot) {
  const auto& checks = snapshot.checks;

  out.family("lightkeeper_check_up", "gauge",
             "Whether the check is up (1 for ok or warn, 0 otherwise).");
  for (const auto& [spec, c] : checks) {
    bool up = c->state == State::ok || c->state == State::warn;
    out.sample("lightkeeper_check_up",
               {{"check", spec->name}, {"type", spec->type}, {"location", snapshot.location}},
               up ? 1 : 0);
  }

  out.family("lightkeeper_check_state", "gauge",
             "Current state of the check: 1 for the current state, 0 for the others.");
  for (const auto& [spec, c] : checks)
    for (State s : kStates)
      out.sample("lightkeeper_check_state", {{"check", spec->name}, {"state", to_string(s)}},
                 c->state == s ? 1 : 0);

  out.family("lightkeeper_check_latency_seconds", "gauge", "Latency of the latest run.");
  for (const auto& [spec, c] : checks)
    if (c->last_latency)
      out.sample("lightkeeper_check_latency_seconds", {{"check", spec->name}},
                 seconds_of(*c->last_latency));

  out.family("lightkeeper_check_phase_seconds", "gauge",
             "Time from the start of the latest run until each phase completed.");
  for (const auto& [spec, c] : checks) {
    const std::pair<std::string_view, const std::optional<Duration>*> phases[] = {
        {"dns", &c->last_timings.dns},
        {"connect", &c->last_timings.connect},
        {"tls", &c->last_timings.tls},
        {"first_byte", &c->last_timings.first_byte},
        {"total", &c->last_timings.total}};
    for (const auto& [phase, value] : phases)
      if (*value)
        out.sample("lightkeeper_check_phase_seconds", {{"check", spec->name}, {"phase", phase}},
                   seconds_of(**value));
  }

  out.family("lightkeeper_check_results_total", "counter", "Results recorded, by status.");
  for (const auto& [spec, c] : checks)
    for (Status s : kStatuses)
      out.sample("lightkeeper_check_results_total",
                 {{"check", spec->name}, {"status", to_string(s)}}, double(results_with(*c, s)));

  out.family("lightkeeper_check_last_run_timestamp_seconds", "gauge",
             "Unix time at which the latest run started.");
  for (const auto& [spec, c] : checks)
    if (c->last_run)
      out.sample("lightkeeper_check_last_run_timestamp_seconds", {{"check", spec->name}},
                 seconds_since_epoch(*c->last_run));

  out.family("lightkeeper_check_cert_expiry_timestamp_seconds", "gauge",
             "Unix time at which the served TLS certificate expires.");
  for (const auto& [spec, c] : checks)
    if (c->cert_not_after)
      out.sample("lightkeeper_check_cert_expiry_timestamp_seconds", {{"check", spec->name}},
                 seconds_since_epoch(*c->cert_not_after));

  out.family("lightkeeper_check_flapping", "gauge",
             "Whether the check is flapping (1) or not (0).");
  for (const auto& [spec, c] : checks)
    out.sample("lightkeeper_check_flapping", {{"check", spec->name}}, c->flapping ? 1 : 0);

  out.single("lightkeeper_incidents_open", "gauge", "Incidents currently open.",
             double(snapshot.open_incidents.size()));
}

void render_scheduler(Exposition& out, const RuntimeStats& stats) {
  // A summary (not a gauge) because promtool rejects a "quantile" label on any other type; the
  // scheduler keeps only a recent window, so there is no _sum or _count to report.
  out.family("lightkeeper_scheduler_lateness_seconds", "summary",
             "Start time minus due time of recent runs, by quantile.");
  out.sample("lightkeeper_scheduler_lateness_seconds", {{"quantile", "0.5"}},
             stats.lateness_p50_ms / 1000.0);
  out.sample("lightkeeper_scheduler_lateness_seconds", {{"quantile", "0.99"}},
             stats.lateness_p99_ms / 1000.0);
  out.single("lightkeeper_scheduler_lateness_max_seconds", "gauge",
             "Largest start time minus due time of recent runs.", stats.lateness_max_ms / 1000.0);
  out.single("lightkeeper_checks_in_flight", "gauge", "Check runs in progress.",
             double(stats.checks_in_flight));
  out.single("lightkeeper_checks_started_total", "counter", "Check runs started.",
             double(stats.checks_started));
  out.single("lightkeeper_checks_skipped_total", "counter",
             "Check runs skipped because the previous run was still in progress.",
             double(stats.checks_skipped));
}

// The store keeps the latest and the largest transaction time, not a distribution of them, so
// write latency is two gauges rather than a histogram.
void render_store(Exposition& out, const store::Stats& store) {
  out.single("lightkeeper_store_queue_depth", "gauge",
             "Results and state changes waiting for the store writer.", double(store.queue_depth));
  out.single("lightkeeper_store_results_written_total", "counter", "Results written to the store.",
             double(store.results_written));
  out.single("lightkeeper_store_batches_written_total", "counter",
             "Write transactions committed by the store writer.", double(store.batches_written));
  out.single("lightkeeper_store_last_batch_seconds", "gauge",
             "Wall time of the latest store write transaction.", store.last_batch_ms / 1000.0);
  out.single("lightkeeper_store_max_batch_seconds", "gauge",
             "Wall time of the longest store write transaction since the start.",
             store.max_batch_ms / 1000.0);
  out.single("lightkeeper_store_write_failures_total", "counter",
             "Store write transactions that failed (and were tried again).",
             double(store.write_failures));
  out.single("lightkeeper_store_results_dropped_total", "counter",
             "Results given up while store writes kept failing and the queue was full.",
             double(store.results_dropped));
}

void render_notifications(Exposition& out, const RuntimeStats& stats) {
  using Notifier = RuntimeStats::Notifier;
  auto per_notifier = [&](std::string_view name, std::string_view type, std::string_view help,
                          std::uint64_t Notifier::*field) {
    out.family(name, type, help);
    for (const auto& n : stats.notifiers)
      out.sample(name, {{"notifier", n.name}, {"type", n.type}}, double(n.*field));
  };
  per_notifier("lightkeeper_notifications_enqueued_total", "counter",
               "Notifications put into the outbox, by notifier.", &Notifier::enqueued);

  // The outcomes are those of the attempts in /api/v1/notifications: "retryable" failed and
  // will be tried again, "permanent" failed and was given up for good.
  out.family("lightkeeper_notification_attempts_total", "counter",
             "Delivery attempts, by notifier and outcome (sent, retryable, permanent).");
  const std::pair<std::string_view, std::uint64_t Notifier::*> outcomes[] = {
      {"sent", &Notifier::sent},
      {"retryable", &Notifier::retried},
      {"permanent", &Notifier::failed}};
  for (const auto& n : stats.notifiers)
    for (const auto& [outcome, field] : outcomes)
      out.sample("lightkeeper_notification_attempts_total",
                 {{"notifier", n.name}, {"type", n.type}, {"outcome", outcome}}, double(n.*field));

  per_notifier("lightkeeper_notifications_queued", "gauge",
               "Notifications pending in the outbox (waiting for an attempt, or in flight).",
               &Notifier::queued);
  per_notifier("lightkeeper_notifications_in_flight", "gauge", "Delivery attempts under way.",
               &Notifier::in_flight);
  out.single("lightkeeper_notification_enqueue_errors_total", "counter",
             "Notifications the outbox could not store at first (kept in memory and tried again).",
             double(stats.notification_enqueue_errors));
}

void render_build(Exposition& out, const RuntimeStats& stats) {
  out.family("lightkeeper_config_reloads_total", "counter", "Configuration reloads, by result.");
  out.sample("lightkeeper_config_reloads_total", {{"result", "ok"}}, double(stats.config_reloads));
  out.sample("lightkeeper_config_reloads_total", {{"result", "error"}},
             double(stats.config_reload_failures));

  out.family("lightkeeper_build_info", "gauge", "Always 1; the version is in the label.");
  out.sample("lightkeeper_build_info", {{"version", stats.version}}, 1);
}

// Names and help texts as the official client libraries export them, so that existing
// dashboards for process_* work unchanged.
void render_process(Exposition& out, const RuntimeStats& stats, const ProcessFigures& process) {
  if (process.cpu_seconds)
    out.single("process_cpu_seconds_total", "counter",
               "Total user and system CPU time spent in seconds.", *process.cpu_seconds);
  if (process.open_fds)
    out.single("process_open_fds", "gauge", "Number of open file descriptors.", *process.open_fds);
  if (process.max_fds)
    out.single("process_max_fds", "gauge", "Maximum number of open file descriptors.",
               *process.max_fds);
  if (process.virtual_memory_bytes)
    out.single("process_virtual_memory_bytes", "gauge", "Virtual memory size in bytes.",
               *process.virtual_memory_bytes);
  if (process.resident_memory_bytes)
    out.single("process_resident_memory_bytes", "gauge", "Resident memory size in bytes.",
               *process.resident_memory_bytes);
  out.single("process_start_time_seconds", "gauge",
             "Start time of the process since unix epoch in seconds.",
             seconds_since_epoch(stats.started_at));
}

// The length of the well-formed UTF-8 sequence at the start of `s` (Unicode table 3-7: no
// overlong forms, no surrogates, nothing above U+10FFFF), or 0 when there is none.
std::size_t utf8_sequence_length(std::string_view s) {
  auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  auto in = [&](std::size_t i, unsigned lo, unsigned hi) {
    return i < s.size() && byte(i) >= lo && byte(i) <= hi;
  };
  const unsigned lead = byte(0);
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) return in(1, 0x80, 0xBF) ? 2 : 0;
  if (lead >= 0xE0 && lead <= 0xEF) {
    const unsigned lo = lead == 0xE0 ? 0xA0 : 0x80, hi = lead == 0xED ? 0x9F : 0xBF;
    return in(1, lo, hi) && in(2, 0x80, 0xBF) ? 3 : 0;
  }
  if (lead >= 0xF0 && lead <= 0xF4) {
    const unsigned lo = lead == 0xF0 ? 0x90 : 0x80, hi = lead == 0xF4 ? 0x8F : 0xBF;
    return in(1, lo, hi) && in(2, 0x80, 0xBF) && in(3, 0x80, 0xBF) ? 4 : 0;
  }
  return 0;
}

std::optional<double> count_open_fds() {
  std::error_code ec;
  std::filesystem::directory_iterator it("/proc/self/fd", ec), end;
  if (ec) return std::nullopt;
  double count = 0;
  for (; it != end; it.increment(ec)) {
    if (ec) return std::nullopt;
    ++count;
  }
  // The directory being read is itself open while it is read.
  return count > 0 ? count - 1 : 0;
}

}  // namespace

std::string escape_label_value(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  while (!value.empty()) {
    const std::size_t length = utf8_sequence_length(value);
    if (length == 0) {
      out += "\xEF\xBF\xBD";  // U+FFFD; then resynchronise on the next byte
      value.remove_prefix(1);
      continue;
    }
    const std::string_view unit = value.substr(0, length);
    if (unit == "\\")
      out += "\\\\";
    else if (unit == "\"")
      out += "\\\"";
    else if (unit == "\n")
      out += "\\n";
    else
      out += unit;
    value.remove_prefix(length);
  }
  return out;
}

ProcessFigures read_process_figures() {
  ProcessFigures figures;
  std::ifstream statm("/proc/self/statm");
  unsigned long long size_pages = 0, resident_pages = 0;
  if (statm >> size_pages >> resident_pages) {
    long page_size = sysconf(_SC_PAGESIZE);
    if (page_size > 0) {
      figures.virtual_memory_bytes = double(size_pages) * double(page_size);
      figures.resident_memory_bytes = double(resident_pages) * double(page_size);
    }
  }
  figures.open_fds = count_open_fds();
  rlimit files{};
  if (getrlimit(RLIMIT_NOFILE, &files) == 0 && files.rlim_cur != RLIM_INFINITY)
    figures.max_fds = double(files.rlim_cur);
  rusage usage{};
  if (getrusage(RUSAGE_SELF, &usage) == 0) {
    auto seconds = [](const timeval& tv) { return double(tv.tv_sec) + double(tv.tv_usec) / 1e6; };
    figures.cpu_seconds = seconds(usage.ru_utime) + seconds(usage.ru_stime);
  }
  return figures;
}

std::string render_metrics(const StatusSnapshot& snapshot, const store::Stats& store_stats,
                           const ProcessFigures& process) {
  Exposition out;
  render_checks(out, snapshot);
  render_scheduler(out, snapshot.stats);
  render_store(out, store_stats);
  render_notifications(out, snapshot.stats);
  render_build(out, snapshot.stats);
  render_process(out, snapshot.stats, process);
  return out.take();
}

}  // namespace lk::web
