// The alerting sections of the main config file: notifiers, people, schedules, escalations,
// routes, maintenance, silences and the `alerting:` settings. Every reference between them
// (a route naming a notifier, a layer naming a person, a check depending on another) is
// checked once everything is read, so every error is reported with its position.

#include "config/alerting.hpp"

#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include "alert/maintenance/window.hpp"
#include "alert/oncall/schedule.hpp"
#include "config/text.hpp"

namespace lk::config {

namespace {

using namespace std::chrono_literals;

constexpr Option kNotifierOptions[] = {
    {"name", "string", "", "Unique name, used in routes, people and `fallback`.", true},
    {"type", "string", "",
     "Channel kind (see the tables below); its options go in the same mapping.", true},
    {"timeout", "duration", "10s", "Bound of one delivery attempt."},
    {"send_recovery", "bool", "true", "Also send recovery messages."},
    {"send_acknowledged", "bool", "true", "Also send a message when someone acknowledges."},
};

constexpr Option kPersonOptions[] = {
    {"name", "string", "", "Unique name (also unique among notifiers).", true},
    {"notify", "list", "", "Notifier names that reach this person, e.g. `[alice-sms, alice-mail]`.",
     true},
};

constexpr Option kScheduleOptions[] = {
    {"name", "string", "", "Unique name, used as `oncall:NAME` and `team:NAME` targets.", true},
    {"layers", "list", "",
     "Rotations, each with optional working hours; a later layer takes precedence where it has "
     "someone on.",
     true},
    {"overrides", "list", "", "One-off cover: `{person, from, to}` with RFC 3339 times."},
};

constexpr Option kLayerOptions[] = {
    {"name", "string", "", "Name shown by `lightkeeper oncall` (default `layers[N]`)."},
    {"members", "list", "", "People in hand-off order.", true},
    {"rotation", "string", "weekly", "`daily`, `weekly`, or a length such as `14d` or `12h`."},
    {"handoff", "string", "09:00", "Local time of day of each hand-off (HH:MM)."},
    {"timezone", "string", "UTC", "IANA time zone of the hand-off and hours, e.g. Europe/London."},
    {"start", "string", "",
     "Local date (YYYY-MM-DD) on which the first member's first shift starts.", true},
    {"hours", "list", "",
     "Working hours: `mon-fri 08:00-17:00`, `sat,sun 10:00-14:00`; empty: always on."},
    {"paired", "bool", "false",
     "The next member of the rotation is secondary (pairs: primary and secondary change "
     "together)."},
};

constexpr Option kOverrideOptions[] = {
    {"person", "string", "", "Who takes over as primary.", true},
    {"from", "string", "", "Start, RFC 3339 (inclusive).", true},
    {"to", "string", "", "End, RFC 3339 (exclusive).", true},
};

constexpr Option kEscalationOptions[] = {
    {"name", "string", "", "Unique name, used by routes' `escalation`.", true},
    {"tiers", "list", "", "`{after, notify}` steps: `after` counts from the first notification.",
     true},
    {"repeat", "int", "0", "How many times to run the tiers again while nobody acknowledges."},
    {"repeat_after", "duration", "30m", "Pause after the last tier before the tiers start again."},
};

constexpr Option kTierOptions[] = {
    {"after", "duration", "0s", "Time since the first notification before this tier is told."},
    {"notify", "list", "", "Targets (see Targets).", true},
};

constexpr Option kRouteOptions[] = {
    {"name", "string", "", "Name in logs and the API (default `routes[N]`)."},
    {"match", "map", "",
     "Which incidents: `checks`, `tags`, `severity`, `groups` (all must hold)."},
    {"notify", "list", "", "Targets told at once (when there is no `escalation`)."},
    {"escalation", "string", "", "Escalation policy name, instead of `notify`."},
    {"reminder", "duration", "0s",
     "Repeat the problem to everyone told so far this often until acknowledged (0s: never)."},
    {"group_wait", "duration", "30s",
     "Hold a new problem this long so that checks failing together go out as one message."},
    {"group", "bool", "true", "false: one message per check, never grouped."},
    {"continue", "bool", "false", "Also try the routes after this one."},
    {"send_recovery", "bool", "true", "Send recovery messages for this route."},
};

constexpr Option kMatchOptions[] = {
    {"checks", "list", "", "Check name patterns: globs (`web-*`) or `~regex`; any may match."},
    {"tags", "list", "", "Tags the check must all have."},
    {"severity", "list", "", "Worst state of the incident: `fail`, `warn`, `unknown`."},
    {"groups", "list", "", "Status page groups."},
};

constexpr Option kMaintenanceOptions[] = {
    {"name", "string", "", "Shown in logs, the API and the status page.", true},
    {"match", "map", "", "Which checks (same as a route's `match`); empty: every check."},
    {"from", "string", "", "One-off window start, RFC 3339."},
    {"to", "string", "", "One-off window end, RFC 3339 (exclusive)."},
    {"rrule", "string", "",
     "Recurrence, an RFC 5545 RRULE such as `FREQ=MONTHLY;BYDAY=2TU` (second Tuesday)."},
    {"cron", "string", "", "Recurrence as a 5-field cron expression, instead of `rrule`."},
    {"start", "string", "", "Local date (YYYY-MM-DD) of the first occurrence (rrule)."},
    {"at", "string", "00:00", "Local start time of each occurrence (HH:MM) (rrule)."},
    {"duration", "duration", "", "Length of each occurrence (rrule, cron)."},
    {"timezone", "string", "UTC", "IANA time zone of `start`, `at` and `cron`."},
};

constexpr Option kSilenceOptions[] = {
    {"match", "map", "", "Which checks (same as a route's `match`).", true},
    {"until", "string", "", "When the silence ends, RFC 3339.", true},
    {"from", "string", "", "When it starts (default: at once), RFC 3339."},
    {"comment", "string", "", "Why, for the API and logs."},
};

constexpr Option kAlertingOptions[] = {
    {"fallback", "list", "",
     "Notifiers told when another notifier fails for good (so lost alerts are noticed)."},
    {"ack_secret", "string", "",
     "Key that signs ack links, e.g. ${LK_ACK_SECRET}; empty: derived from the instance secret "
     "kept beside the database."},
    {"ack_link_ttl", "duration", "24h", "How long an ack link in a message stays valid."},
};

constexpr std::string_view kTargetHelp =
    "Targets are written as a notifier name, a person's name, `oncall:SCHEDULE` (primary), "
    "`oncall:SCHEDULE/secondary`, `oncall:SCHEDULE/both`, or `team:SCHEDULE` (everyone in it).";

// Stands in for a date already reported as wrong, so that it is not reported again.
constexpr std::chrono::year_month_day kStandInDate{std::chrono::year{2000}, std::chrono::January,
                                                   std::chrono::day{1}};

struct Ref {
  SourcePos pos;
  std::string path;
  std::string text;
};

std::optional<std::chrono::minutes> parse_clock(std::string_view text) {
  if (text.size() != 5 || text[2] != ':') return std::nullopt;
  auto h = parse_integer(text.substr(0, 2)), m = parse_integer(text.substr(3, 2));
  if (!h || !m || *h < 0 || *h > 24 || *m < 0 || *m > 59 || (*h == 24 && *m != 0))
    return std::nullopt;
  return std::chrono::minutes{*h * 60 + *m};
}

std::optional<std::chrono::year_month_day> parse_date(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  auto y = parse_integer(text.substr(0, 4)), m = parse_integer(text.substr(5, 2)),
       d = parse_integer(text.substr(8, 2));
  if (!y || !m || !d) return std::nullopt;
  std::chrono::year_month_day ymd{std::chrono::year{static_cast<int>(*y)},
                                  std::chrono::month{static_cast<unsigned>(*m)},
                                  std::chrono::day{static_cast<unsigned>(*d)}};
  if (!ymd.ok()) return std::nullopt;
  return ymd;
}

// "mon-fri 08:00-17:00", "sat,sun 10:00-14:00", "daily 22:00-24:00"
std::optional<alert::oncall::TimeWindow> parse_hours(std::string_view text, std::string& error) {
  static constexpr std::string_view kDays[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
  auto day_index = [](std::string_view d) -> int {
    for (int i = 0; i < 7; ++i)
      if (kDays[i] == d) return i;
    return -1;
  };
  alert::oncall::TimeWindow w;
  auto space = text.find(' ');
  std::string_view days = space == std::string_view::npos ? "daily" : text.substr(0, space);
  std::string_view span = space == std::string_view::npos ? text : text.substr(space + 1);
  if (days != "daily") {
    w.days.reset();
    std::size_t start = 0;
    while (start <= days.size()) {
      auto comma = days.find(',', start);
      std::string_view part = days.substr(
          start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
      auto dash = part.find('-');
      int a = day_index(part.substr(0, dash));
      int b = dash == std::string_view::npos ? a : day_index(part.substr(dash + 1));
      if (a < 0 || b < 0) {
        error = "unknown weekday in " + in_quotes(part) +
                "; write mon, tue, ... sun, ranges like mon-fri, or daily";
        return std::nullopt;
      }
      for (int i = a;; i = (i + 1) % 7) {
        w.days.set(static_cast<std::size_t>(i));
        if (i == b) break;
      }
      if (comma == std::string_view::npos) break;
      start = comma + 1;
    }
  }
  auto dash = span.find('-');
  auto from = parse_clock(span.substr(0, dash));
  auto to = dash == std::string_view::npos ? std::nullopt : parse_clock(span.substr(dash + 1));
  if (!from || !to) {
    error = "expected hours like \"mon-fri 08:00-17:00\", got " + in_quotes(text);
    return std::nullopt;
  }
  if (*to <= *from) {
    error = "the end of " + in_quotes(text) +
            " is not after its start; split a shift over midnight "
            "in two (22:00-24:00 and 00:00-06:00)";
    return std::nullopt;
  }
  w.from = *from;
  w.to = *to;
  return w;
}

class AlertingReader {
 public:
  AlertingReader(YamlFields& top, ReadContext context, alert::AlertConfig& out)
      : top_(top), context_(context), out_(out) {}

  void read(const std::vector<Check>& checks) {
    read_list("notifiers", kNotifierOptions,
              [&](YamlFields& f, yaml::Node node) { read_notifier(f, node); });
    read_list("people", kPersonOptions, [&](YamlFields& f, yaml::Node) { read_person(f); });
    read_list("schedules", kScheduleOptions,
              [&](YamlFields& f, yaml::Node node) { read_schedule(f, node); });
    read_list("escalations", kEscalationOptions,
              [&](YamlFields& f, yaml::Node) { read_policy(f); });
    read_list("routes", kRouteOptions, [&](YamlFields& f, yaml::Node) { read_route(f); });
    read_list("maintenance", kMaintenanceOptions,
              [&](YamlFields& f, yaml::Node) { read_window(f); });
    read_list("silences", kSilenceOptions, [&](YamlFields& f, yaml::Node) { read_silence(f); });
    read_settings();
    resolve(checks);
  }

 private:
  template <class Fn>
  void read_list(std::string_view key, std::span<const Option> table, Fn fn) {
    read_mapping_list(top_, key, table, context_, fn);
  }

  // A list of mappings inside an item (a schedule's layers, a policy's tiers).
  template <class Fn>
  void read_children(YamlFields& parent, std::string_view key, std::span<const Option> table,
                     Fn fn) {
    read_mapping_list(
        parent, key, table, context_, [&](YamlFields& f, yaml::Node) { fn(f); }, is_required(key));
  }

  // The lists of mappings that an item must have (node() does not check for required keys).
  static bool is_required(std::string_view key) { return key == "layers" || key == "tiers"; }

  void unique_name(YamlFields& f, const std::string& name, std::string_view what) {
    if (!f.has("name")) return;  // already reported as missing
    if (name.empty()) {
      f.error("name", "must not be empty");
      return;
    }
    bool valid = std::all_of(name.begin(), name.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
    });
    if (!valid) {
      f.error("name", "may contain only letters, digits, '.', '_' and '-', got " + in_quotes(name));
      return;
    }
    auto [it, fresh] = names_.emplace(std::string(what) + ":" + name, f.pos("name"));
    if (!fresh) {
      f.error("name", "duplicate " + std::string(what) + " name " + in_quotes(name) +
                          "; the first is at " + where(it->second));
      return;
    }
    // Notifiers are read first: a person named like one is the one reported.
    if (what == "person")
      if (auto notifier = names_.find("notifier:" + name); notifier != names_.end())
        f.error("name", in_quotes(name) + " is already the name of a notifier (at " +
                            where(notifier->second) +
                            "); targets could not tell them apart, so rename one");
  }

  std::vector<Ref> refs(YamlFields& f, std::string_view key) {
    std::vector<Ref> out;
    for (auto& item : f.located_strings(key)) out.push_back({item.pos(), item.path(), item.text});
    return out;
  }

  // The valid targets of a list; `written` counts every entry, valid or not.
  std::vector<alert::Target> targets(YamlFields& f, std::string_view key,
                                     std::size_t* written = nullptr) {
    std::vector<alert::Target> out;
    auto list = refs(f, key);
    if (written) *written = list.size();
    for (auto& ref : list) {
      auto t = alert::parse_target(ref.text);
      if (!t) {
        context_.errors.push_back(
            {ref.pos, ref.path,
             "not a target: " + in_quotes(ref.text) + ". " + std::string(kTargetHelp)});
        continue;
      }
      target_refs_.push_back(ref);
      out.push_back(std::move(*t));
    }
    return out;
  }

  alert::Matcher matcher(YamlFields& f) {
    alert::Matcher m;
    yaml::Node node = f.node("match");
    if (node.is_null()) return m;
    if (!node.is_mapping()) {
      f.error("match", "expected a mapping of checks, tags, severity, groups");
      return m;
    }
    YamlFields mf(node, f.path("match"), top_.document(), context_, kMatchOptions);
    for (auto& ref : refs(mf, "checks")) {
      if (auto problem = alert::pattern_problem(ref.text))
        context_.errors.push_back({ref.pos, ref.path, *problem});
      m.checks.push_back(ref.text);
    }
    m.tags = mf.string_list("tags");
    for (auto& ref : refs(mf, "severity")) {
      auto s = parse_state(ref.text);
      if (!s || *s == State::pending || *s == State::ok) {
        context_.errors.push_back(
            {ref.pos, ref.path, "expected fail, warn or unknown, got " + in_quotes(ref.text)});
        continue;
      }
      m.severities.push_back(*s);
    }
    m.groups = mf.string_list("groups");
    mf.finish();
    return m;
  }

  std::optional<TimePoint> time_field(YamlFields& f, std::string_view key) {
    auto text = f.optional_string(key);
    if (!text) return std::nullopt;
    auto t = parse_time(*text);
    if (!t)
      f.error(key, "expected an RFC 3339 time like 2026-12-24T22:00:00Z, got " + in_quotes(*text));
    return t;
  }

  void read_notifier(YamlFields& f, yaml::Node node) {
    alert::Notifier n;
    n.name = f.string("name");
    unique_name(f, n.name, "notifier");
    n.type = f.string("type");
    n.timeout = f.duration("timeout");
    if (n.timeout <= Duration::zero() || n.timeout > std::chrono::minutes{5})
      f.error("timeout", "must be more than 0s and at most 5m");
    n.send_recovery = f.boolean("send_recovery");
    n.send_acknowledged = f.boolean("send_acknowledged");
    n.kind = alert::find_channel_kind(n.type);
    if (!n.kind) {
      if (f.has("type")) {  // else already reported as missing
        std::vector<std::string_view> known;
        for (const auto& k : alert::channel_kinds()) known.push_back(k.type);
        std::sort(known.begin(), known.end());
        std::string message = "unknown notifier type " + in_quotes(n.type) + ";";
        if (auto close = closest_match(n.type, known))
          message += " did you mean '" + std::string(*close) + "'?";
        message += " known types:";
        for (std::size_t i = 0; i < known.size(); ++i)
          message += (i == 0 ? " " : ", ") + std::string(known[i]);
        f.error("type", message);
      }
      // Its own keys would all be reported as unknown, and every reference to it too: noise
      // after the real error.
      for (const auto& entry : node.entries())
        if (entry.key.is_scalar()) f.mark_handled(entry.key.scalar());
      unusable_notifiers_.push_back(n.name);
      return;
    }
    f.add_options(n.kind->options());
    n.settings = n.kind->parse(f);
    out_.notifiers.push_back(std::move(n));
  }

  void read_person(YamlFields& f) {
    alert::oncall::Person p;
    p.name = f.string("name");
    unique_name(f, p.name, "person");
    for (auto& ref : refs(f, "notify")) {
      channel_refs_.push_back(ref);
      p.channels.push_back(ref.text);
    }
    if (p.channels.empty() && f.has("notify"))
      f.error("notify", "a person needs at least one notifier");
    out_.people.push_back(std::move(p));
  }

  void read_schedule(YamlFields& f, yaml::Node) {
    alert::oncall::Schedule s;
    s.name = f.string("name");
    unique_name(f, s.name, "schedule");
    const SourcePos pos = f.mapping_pos();
    const std::string path = f.prefix();
    read_children(f, "layers", kLayerOptions, [&](YamlFields& lf) {
      alert::oncall::Layer layer;
      // "layers[1]": the schedule's path is already in every message about it.
      layer.name = lf.has("name") ? lf.string("name") : lf.prefix().substr(path.size() + 1);
      for (auto& ref : refs(lf, "members")) {
        person_refs_.push_back(ref);
        layer.rotation.members.push_back(ref.text);
      }
      if (layer.rotation.members.empty() && lf.has("members"))
        lf.error("members", "a layer needs at least one member");
      std::string rotation = lf.string("rotation");
      if (rotation == "daily")
        layer.rotation.length = alert::oncall::daily;
      else if (rotation == "weekly")
        layer.rotation.length = alert::oncall::weekly;
      else if (auto d = parse_duration(rotation); d && *d >= std::chrono::minutes{1})
        layer.rotation.length = *d;
      else
        lf.error("rotation",
                 "expected daily, weekly or a length like 14d or 12h, got " + in_quotes(rotation));
      std::string handoff = lf.string("handoff");
      if (auto t = parse_clock(handoff); t && *t < std::chrono::hours{24})
        layer.rotation.handoff_time = *t;
      else
        lf.error("handoff", "expected a time of day HH:MM, got " + in_quotes(handoff));
      layer.rotation.zone = lf.string("timezone");
      std::string start = lf.string("start");
      if (auto d = parse_date(start))
        layer.rotation.start_date = *d;
      else if (!start.empty())
        lf.error("start", "expected a date YYYY-MM-DD, got " + in_quotes(start));
      if (!layer.rotation.start_date.ok()) layer.rotation.start_date = kStandInDate;
      for (auto& ref : refs(lf, "hours")) {
        std::string error;
        if (auto w = parse_hours(ref.text, error))
          layer.windows.push_back(*w);
        else
          context_.errors.push_back({ref.pos, ref.path, error});
      }
      layer.paired = lf.boolean("paired");
      s.layers.push_back(std::move(layer));
    });
    read_children(f, "overrides", kOverrideOptions, [&](YamlFields& of) {
      alert::oncall::Override o;
      for (auto& ref : refs(of, "person")) {
        person_refs_.push_back(ref);
        o.person = ref.text;
      }
      auto from = time_field(of, "from"), to = time_field(of, "to");
      if (from && to && *to <= *from) {
        of.error("to", "must be after from (" + format_time(*from) + "), got " + format_time(*to));
        to.reset();
      }
      o.from = from ? *from : to ? *to - 1s : TimePoint{};
      o.to = to ? *to : o.from + 1s;
      s.overrides.push_back(std::move(o));
    });
    if (s.layers.empty() && f.node("layers").is_sequence() && f.node("layers").size() == 0)
      f.error("layers", "a schedule needs at least one layer");
    schedules_.push_back({pos, path});
    out_.schedules.push_back(std::move(s));
  }

  void read_policy(YamlFields& f) {
    alert::EscalationPolicy p;
    p.name = f.string("name");
    unique_name(f, p.name, "escalation");
    p.repeat = static_cast<int>(f.integer("repeat", 0, 100));
    p.repeat_after = f.duration("repeat_after");
    if (p.repeat_after < std::chrono::minutes{1}) f.error("repeat_after", "must be at least 1m");
    read_children(f, "tiers", kTierOptions, [&](YamlFields& tf) {
      alert::EscalationTier t;
      const Duration previous = p.tiers.empty() ? Duration::zero() : p.tiers.back().after;
      const std::size_t errors = context_.errors.size();
      t.after = tf.duration("after");
      if (context_.errors.size() != errors)
        t.after = previous;  // reported: a stand-in that keeps the order
      else if (t.after < previous)
        tf.error("after", "tiers must be in order of `after`: " + format_duration(t.after) +
                              " comes before the previous tier's " + format_duration(previous));
      t.notify = targets(tf, "notify");
      p.tiers.push_back(std::move(t));
    });
    if (p.tiers.empty() && f.node("tiers").is_sequence() && f.node("tiers").size() == 0)
      f.error("tiers", "a policy needs at least one tier");
    out_.escalations.push_back(std::move(p));
  }

  void read_route(YamlFields& f) {
    alert::Route r;
    r.name = f.has("name") ? f.string("name") : f.prefix();
    if (f.has("name")) unique_name(f, r.name, "route");
    r.match = matcher(f);
    std::size_t written = 0;
    r.notify = targets(f, "notify", &written);
    if (f.has("escalation")) {
      r.escalation = f.string("escalation");
      escalation_refs_.push_back({f.pos("escalation"), f.path("escalation"), r.escalation});
    }
    if (written == 0 && r.escalation.empty())
      f.error("notify", "a route needs `notify` targets or an `escalation` policy");
    if (written > 0 && !r.escalation.empty())
      f.error("escalation",
              "give either `notify` or `escalation` (its first tier says who is told first)");
    r.reminder = f.duration("reminder");
    if (r.reminder > Duration::zero() && r.reminder < std::chrono::minutes{1})
      f.error("reminder", "must be 0s (off) or at least 1m");
    r.group_wait = f.duration("group_wait");
    if (r.group_wait > std::chrono::minutes{30}) f.error("group_wait", "must be at most 30m");
    r.group = f.boolean("group");
    r.continue_ = f.boolean("continue");
    r.send_recovery = f.boolean("send_recovery");
    out_.routes.push_back(std::move(r));
  }

  void read_window(YamlFields& f) {
    alert::Maintenance m;
    m.window.name = f.string("name");
    m.match = matcher(f);
    // What is reported here gets a stand-in, so that problems() below does not report it again
    // (a bad rrule is not "neither one-off nor recurring").
    auto from = time_field(f, "from"), to = time_field(f, "to");
    if (f.has("from")) m.window.from = from ? *from : to ? *to - 1s : TimePoint{};
    if (f.has("to")) m.window.to = to ? *to : m.window.from.value_or(TimePoint{}) + 1s;
    if (f.has("rrule")) {
      auto parsed = alert::maintenance::parse_rrule(f.string("rrule"));
      if (auto* error = std::get_if<std::string>(&parsed)) {
        f.error("rrule", *error);
        m.window.rule = alert::maintenance::Recurrence{};
      } else {
        m.window.rule = std::get<alert::maintenance::Recurrence>(std::move(parsed));
      }
    }
    if (f.has("cron")) m.window.cron = f.string("cron");
    m.window.zone = f.string("timezone");
    if (f.has("start")) {
      std::string start = f.string("start");
      if (auto d = parse_date(start)) {
        m.window.start_date = *d;
      } else {
        f.error("start", "expected a date YYYY-MM-DD, got " + in_quotes(start));
        m.window.start_date = kStandInDate;
      }
    }
    std::string at = f.string("at");
    if (auto t = parse_clock(at); t && *t < std::chrono::hours{24})
      m.window.start_time = *t;
    else
      f.error("at", "expected a time of day HH:MM, got " + in_quotes(at));
    if (f.has("duration")) {
      const std::size_t errors = context_.errors.size();
      m.window.duration = f.duration("duration");
      if (context_.errors.size() != errors) m.window.duration = std::chrono::hours{1};
    }
    for (const auto& problem : alert::maintenance::problems(m.window))
      f.error(window_key(m.window), problem);
    out_.maintenance.push_back(std::move(m));
  }

  static std::string_view window_key(const alert::maintenance::Window& w) {
    if (w.rule) return "rrule";
    if (w.cron) return "cron";
    return "from";
  }

  void read_silence(YamlFields& f) {
    alert::Silence s;
    s.id = -static_cast<std::int64_t>(out_.silences.size() + 1);
    s.match = matcher(f);
    if (s.match.matches_everything()) f.error("match", "a silence must say which checks it mutes");
    if (auto until = time_field(f, "until")) s.ends_at = *until;
    if (auto from = time_field(f, "from")) s.starts_at = *from;
    if (s.ends_at <= s.starts_at && s.ends_at != TimePoint{})
      f.error("until", "must be after from (" + format_time(s.starts_at) + "), got " +
                           format_time(s.ends_at));
    s.comment = f.string("comment");
    s.created_by = "config";
    out_.silences.push_back(std::move(s));
  }

  void read_settings() {
    yaml::Node node = top_.node("alerting");
    if (node.is_null()) return;
    if (!node.is_mapping()) {
      top_.error("alerting", "expected a mapping (fallback, ack_secret, ack_link_ttl)");
      return;
    }
    YamlFields f(node, "alerting", top_.document(), context_, kAlertingOptions);
    for (auto& ref : refs(f, "fallback")) {
      channel_refs_.push_back(ref);
      out_.fallback.push_back(ref.text);
    }
    out_.ack_secret = f.string("ack_secret");
    if (!out_.ack_secret.empty() && out_.ack_secret.size() < 16)
      f.error("ack_secret", "must be at least 16 characters (it signs ack links)");
    out_.ack_link_ttl = f.duration("ack_link_ttl");
    if (out_.ack_link_ttl < std::chrono::minutes{5} ||
        out_.ack_link_ttl > std::chrono::hours{24 * 30})
      f.error("ack_link_ttl", "must be between 5m and 30d");
    f.finish();
  }

  void unknown(const Ref& ref, std::string message) {
    context_.errors.push_back({ref.pos, ref.path, std::move(message)});
  }

  // "ops-hook, bob-hook", or "none" (nameless items were reported as missing their name).
  static std::string names_of(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& name : names)
      if (!name.empty()) out += (out.empty() ? "" : ", ") + name;
    return out.empty() ? "none" : out;
  }

  void resolve(const std::vector<Check>& checks) {
    std::vector<std::string> notifiers, people, schedules, policies;
    for (const auto& n : out_.notifiers) notifiers.push_back(n.name);
    notifiers.insert(notifiers.end(), unusable_notifiers_.begin(), unusable_notifiers_.end());
    for (const auto& p : out_.people) people.push_back(p.name);
    for (const auto& s : out_.schedules) schedules.push_back(s.name);
    for (const auto& p : out_.escalations) policies.push_back(p.name);
    auto has = [](const std::vector<std::string>& list, const std::string& name) {
      return std::find(list.begin(), list.end(), name) != list.end();
    };
    for (const auto& ref : channel_refs_)
      if (!has(notifiers, ref.text))
        unknown(ref, "unknown notifier " + in_quotes(ref.text) +
                         " (defined: " + names_of(notifiers) + ")");
    for (const auto& ref : person_refs_)
      if (!has(people, ref.text))
        unknown(ref,
                "unknown person " + in_quotes(ref.text) + " (defined: " + names_of(people) + ")");
    for (const auto& ref : escalation_refs_)
      if (!has(policies, ref.text))
        unknown(ref, "unknown escalation policy " + in_quotes(ref.text) +
                         " (defined: " + names_of(policies) + ")");
    for (const auto& ref : target_refs_) {
      auto t = alert::parse_target(ref.text);
      if (!t) continue;
      if (t->kind == alert::Target::Kind::notifier) {
        if (!has(notifiers, t->name) && !has(people, t->name))
          unknown(ref, "unknown notifier or person " + in_quotes(t->name) +
                           " (defined notifiers: " + names_of(notifiers) +
                           "; defined people: " + names_of(people) + ")");
      } else if (!has(schedules, t->name)) {
        unknown(ref, "unknown schedule " + in_quotes(t->name) +
                         " (defined: " + names_of(schedules) + ")");
      }
    }
    // parse_target cannot tell a person from a notifier: the names can.
    auto settle = [&](std::vector<alert::Target>& targets) {
      for (auto& t : targets)
        if (t.kind == alert::Target::Kind::notifier && !has(notifiers, t.name) &&
            has(people, t.name))
          t.kind = alert::Target::Kind::person;
    };
    for (auto& r : out_.routes) settle(r.notify);
    for (auto& p : out_.escalations)
      for (auto& tier : p.tiers) settle(tier.notify);
    // Schedules whose references are fine must also make sense as a schedule. What the reader
    // reported was replaced by stand-ins, so what is found here is new.
    for (std::size_t i = 0; i < out_.schedules.size(); ++i) {
      auto& s = out_.schedules[i];
      s.people = out_.people;
      bool refs_ok = true;
      for (const auto& layer : s.layers)
        for (const auto& m : layer.rotation.members) refs_ok = refs_ok && has(people, m);
      for (const auto& o : s.overrides) refs_ok = refs_ok && has(people, o.person);
      if (!refs_ok) continue;
      for (const auto& problem : alert::oncall::problems(s))
        context_.errors.push_back({schedules_[i].pos, schedules_[i].path, problem});
    }
    resolve_dependencies(checks);
  }

  // Where a check's depends_on entries are written, for messages.
  struct DependsOnSite {
    std::string path;              ///< "checks[2].depends_on"
    SourcePos pos;                 ///< of the list, or of the check
    std::vector<SourcePos> items;  ///< of each entry, when known
    SourcePos at(std::size_t i) const { return i < items.size() ? items[i] : pos; }
    std::string path_at(std::size_t i) const {
      return items.empty() ? path : path + "[" + std::to_string(i) + "]";
    }
  };

  // For the main file, each entry's own place (its checks are found by where they start);
  // included files are the loader's, so their entries are reported at the check, which is
  // counted among its file's checks (a file's checks are read together).
  std::vector<DependsOnSite> depends_on_sites(const std::vector<Check>& checks) {
    const Document& doc = top_.document();
    std::map<std::pair<int, int>, std::pair<std::size_t, yaml::Node>> main_items;
    if (yaml::Node list = top_.node("checks"); list.is_sequence()) {
      std::size_t i = 0;
      for (yaml::Node item : list.items()) {
        SourcePos p = position(doc, item.mark());
        main_items.emplace(std::pair{p.line, p.column}, std::pair{i++, item});
      }
    }
    std::map<std::string, std::size_t> seen;  // file -> checks so far
    std::vector<DependsOnSite> sites;
    for (const auto& c : checks) {
      std::size_t index = seen[c.pos.file]++;
      auto found =
          c.pos.file == doc.file ? main_items.find({c.pos.line, c.pos.column}) : main_items.end();
      if (found != main_items.end()) index = found->second.first;
      DependsOnSite site{"checks[" + std::to_string(index) + "].depends_on", c.pos, {}};
      if (found != main_items.end())
        for (const auto& entry : found->second.second.entries()) {
          if (!entry.key.is_scalar() || entry.key.scalar() != "depends_on") continue;
          site.pos = position(doc, entry.value.mark());
          if (entry.value.is_sequence())
            for (yaml::Node parent : entry.value.items())
              site.items.push_back(position(doc, parent.mark()));
          break;
        }
      sites.push_back(std::move(site));
    }
    return sites;
  }

  // depends_on: known checks, not itself, no cycles.
  void resolve_dependencies(const std::vector<Check>& checks) {
    if (std::none_of(checks.begin(), checks.end(),
                     [](const Check& c) { return !c.depends_on.empty(); }))
      return;
    const auto sites = depends_on_sites(checks);
    std::map<std::string_view, std::size_t> by_name;
    std::vector<std::string_view> names;
    for (std::size_t i = 0; i < checks.size(); ++i) {
      by_name.emplace(checks[i].spec.name, i);
      names.push_back(checks[i].spec.name);
    }
    for (std::size_t i = 0; i < checks.size(); ++i) {
      const Check& c = checks[i];
      for (std::size_t j = 0; j < c.depends_on.size(); ++j) {
        const std::string& parent = c.depends_on[j];
        if (parent == c.spec.name) {
          context_.errors.push_back(
              {sites[i].at(j), sites[i].path_at(j), "a check cannot depend on itself"});
        } else if (!by_name.contains(parent)) {
          std::string message = "unknown check " + in_quotes(parent);
          if (auto close = closest_match(parent, names))
            message += "; did you mean '" + std::string(*close) + "'?";
          context_.errors.push_back({sites[i].at(j), sites[i].path_at(j), std::move(message)});
        }
      }
    }
    // Depth-first search over the known edges; a back edge is a cycle, reported once at the
    // entry that closes it.
    std::vector<int> mark(checks.size(), 0);  // 1 on the path, 2 done
    std::vector<std::size_t> path;
    std::function<void(std::size_t)> visit = [&](std::size_t i) {
      mark[i] = 1;
      path.push_back(i);
      const Check& c = checks[i];
      for (std::size_t j = 0; j < c.depends_on.size(); ++j) {
        auto parent = by_name.find(c.depends_on[j]);
        if (parent == by_name.end() || parent->second == i) continue;  // reported above
        if (mark[parent->second] == 1) {
          std::string chain;
          auto from = std::find(path.begin(), path.end(), parent->second);
          for (auto it = from; it != path.end(); ++it) chain += checks[*it].spec.name + " -> ";
          context_.errors.push_back({sites[i].at(j), sites[i].path_at(j),
                                     "dependency cycle: " + chain + c.depends_on[j]});
        } else if (mark[parent->second] == 0) {
          visit(parent->second);
        }
      }
      path.pop_back();
      mark[i] = 2;
    };
    for (std::size_t i = 0; i < checks.size(); ++i)
      if (!checks[i].depends_on.empty() && mark[i] == 0) visit(i);
  }

  YamlFields& top_;
  ReadContext context_;
  alert::AlertConfig& out_;
  std::map<std::string, SourcePos> names_;       // "kind:name" -> where it is first defined
  std::vector<std::string> unusable_notifiers_;  // of an unknown type (reported)
  std::vector<Ref> channel_refs_, person_refs_, escalation_refs_, target_refs_;
  struct Where {
    SourcePos pos;
    std::string path;
  };
  std::vector<Where> schedules_;
};

}  // namespace

std::span<const Option> alerting_section_options(std::string_view section) {
  if (section == "notifiers") return kNotifierOptions;
  if (section == "people") return kPersonOptions;
  if (section == "schedules") return kScheduleOptions;
  if (section == "schedules.layers") return kLayerOptions;
  if (section == "schedules.overrides") return kOverrideOptions;
  if (section == "escalations") return kEscalationOptions;
  if (section == "escalations.tiers") return kTierOptions;
  if (section == "routes") return kRouteOptions;
  if (section == "match") return kMatchOptions;
  if (section == "maintenance") return kMaintenanceOptions;
  if (section == "silences") return kSilenceOptions;
  if (section == "alerting") return kAlertingOptions;
  return {};
}

std::string_view target_help() {
  return kTargetHelp;
}

void read_alerting(YamlFields& top, ReadContext context, const std::vector<Check>& checks,
                   alert::AlertConfig& out) {
  AlertingReader(top, context, out).read(checks);
}

}  // namespace lk::config
