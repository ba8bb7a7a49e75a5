#include "state/heartbeat/settings.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace lk::state::heartbeat {

namespace {

using namespace std::chrono_literals;

constexpr Duration kMinPeriod = 1s;

constexpr std::array kOptions{
    config::Option{"period", "duration", "",
                   "Expected time between pings, e.g. `1d` for a daily job. Give either period or "
                   "schedule."},
    config::Option{"schedule", "string", "",
                   "When the job runs, as a 5-field cron expression (`0 3 * * *`; lists, ranges, "
                   "steps, month and weekday names) or @hourly, @daily, @weekly, @monthly, "
                   "@yearly. The check is late when no ping arrives within grace of a scheduled "
                   "time."},
    config::Option{"timezone", "string", "UTC",
                   "IANA time zone of the schedule, e.g. `Europe/London`. Jobs in a "
                   "spring-forward gap are expected when the gap ends, and once on fall-back (as "
                   "cron runs them)."},
    config::Option{"grace", "duration", "",
                   "How late a ping may be, and how long a run may take after a /start ping. "
                   "Default: 1h with a schedule; with a period, a tenth of it, at least 1m and "
                   "at most 1h."},
    config::Option{"token", "string", "",
                   "Secret of the ping URL /ping/TOKEN: 16 to 128 letters, digits, '-' or '_' "
                   "(e.g. a UUID, or `${BACKUP_PING_TOKEN}`). Default: derived from the check "
                   "name and the instance secret kept beside the database; `lightkeeper config "
                   "print` shows the URLs."},
};

}  // namespace

std::span<const config::Option> options() {
  return kOptions;
}

Duration default_grace(Duration period, bool scheduled) {
  if (scheduled) return 1h;
  return std::clamp<Duration>(period / 10, 1min, 1h);
}

bool valid_token(std::string_view token) {
  return token.size() >= 16 && token.size() <= 128 &&
         std::all_of(token.begin(), token.end(), [](char c) {
           return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
         });
}

std::shared_ptr<const ProbeSettings> parse(config::Fields& fields, CheckSpec& spec) {
  auto settings = std::make_shared<Settings>();
  bool ok = true;
  const bool has_period = fields.has("period");
  const bool has_schedule = fields.has("schedule");
  if (has_period && has_schedule) {
    fields.error("schedule", "give either period or schedule, not both");
    ok = false;
  } else if (!has_period && !has_schedule) {
    fields.error("type",
                 "a heartbeat needs a period (e.g. `period: 1d`) or a schedule (e.g. "
                 "`schedule: \"0 3 * * *\"`)");
    ok = false;
  }
  if (has_period) {
    settings->period = fields.duration("period");
    if (settings->period < kMinPeriod) {
      fields.error("period", "must be at least " + format_duration(kMinPeriod) + ", got " +
                                 format_duration(settings->period));
      ok = false;
    }
  }
  const std::string timezone = fields.string("timezone");
  if (fields.has("timezone") && !has_schedule) {
    fields.error("timezone", "applies only to a schedule; a period needs no time zone");
    ok = false;
  }
  if (has_schedule) {
    const std::string expression = fields.string("schedule");
    auto parsed = schedule::CronSchedule::parse(expression, timezone);
    if (auto* error = std::get_if<std::string>(&parsed)) {
      // A bad time zone is the timezone field's fault; everything else the schedule's.
      fields.error(error->starts_with("unknown time zone") ? "timezone" : "schedule", *error);
      ok = false;
    } else {
      settings->schedule =
          std::make_shared<const schedule::CronSchedule>(std::get<schedule::CronSchedule>(parsed));
    }
  }
  settings->grace = fields.has("grace") ? fields.duration("grace")
                                        : default_grace(settings->period, has_schedule);
  if (auto token = fields.optional_string("token")) {
    if (!valid_token(*token)) {
      // Never echo the value: it is a secret, and error messages end up in logs.
      fields.error("token", "must be 16 to 128 letters, digits, '-' or '_' (got " +
                                std::to_string(token->size()) + " characters)");
      ok = false;
    }
    settings->token = std::move(*token);
  }
  if (!ok) return nullptr;
  spec.target = settings->schedule ? "schedule " + settings->schedule->expression() + " (" +
                                         settings->schedule->timezone() + ")"
                                   : "every " + format_duration(settings->period);
  spec.target += ", grace " + format_duration(settings->grace);
  return settings;
}

}  // namespace lk::state::heartbeat
