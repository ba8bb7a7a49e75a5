#include "alert/policy/router.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace lk::alert {
namespace {

using json = nlohmann::json;

constexpr Duration kNotifierFailureEvery = std::chrono::hours{1};
// Dependency chains longer than this are a config loop or absurd; stop looking.
constexpr int kMaxDependencyDepth = 16;

std::int64_t ns(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}
TimePoint at_ns(std::int64_t v) {
  return TimePoint{std::chrono::duration_cast<TimePoint::duration>(std::chrono::nanoseconds{v})};
}

void add_unique(std::vector<std::string>& list, const std::string& item) {
  if (std::find(list.begin(), list.end(), item) == list.end()) list.push_back(item);
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

// Worse states rank higher: fail > unknown > warn > ok > pending.
int severity_rank(State s) {
  switch (s) {
    case State::fail:
      return 4;
    case State::unknown:
      return 3;
    case State::warn:
      return 2;
    case State::ok:
      return 1;
    case State::pending:
      return 0;
  }
  return 0;
}

}  // namespace

bool Router::Page::all_closed() const {
  return std::all_of(members.begin(), members.end(),
                     [](const Member& m) { return !m.incident.open(); });
}

Router::Router(const CheckDirectory& directory, AckLinker ack_linker)
    : directory_(directory), ack_linker_(std::move(ack_linker)) {}

void Router::configure(AlertConfig config) {
  config_ = std::move(config);
}

const Route* Router::route(std::string_view name) const {
  for (const auto& r : config_.routes)
    if (r.name == name) return &r;
  return nullptr;
}

std::vector<const Route*> Router::routes_for(const Incident& incident) const {
  std::vector<const Route*> out;
  auto facts = directory_.facts(incident.check);
  if (!facts) return out;
  facts->severity = incident.severity;
  for (const auto& r : config_.routes) {
    if (!matches(r.match, *facts)) continue;
    out.push_back(&r);
    if (!r.continue_) break;
  }
  return out;
}

void Router::open(const Incident& incident, TimePoint now) {
  open_[incident.check] = incident;
  for (const Route* r : routes_for(incident)) {
    // Join a page of the same route that is still gathering (not announced yet).
    Page* gathering = nullptr;
    if (r->group)
      for (auto& p : pages_)
        if (p.route == r->name && !p.announced_at && !p.acked_at && now < p.due) {
          gathering = &p;
          break;
        }
    if (gathering) {
      gathering->members.push_back({incident, false});
      continue;
    }
    Page p;
    p.id = incident.id;
    p.route = r->name;
    p.members.push_back({incident, false});
    p.due = incident.opened_at + r->group_wait;
    pages_.push_back(std::move(p));
  }
}

std::vector<Dispatch> Router::on_incidents(std::span<const Incident> opened,
                                           std::span<const Incident> updated,
                                           std::span<const Incident> closed, TimePoint now) {
  std::vector<Dispatch> out;
  for (const auto& i : opened) open(i, now);
  for (const auto& i : updated) {
    if (auto it = open_.find(i.check); it != open_.end()) it->second = i;
    for (auto& p : pages_)
      for (auto& m : p.members)
        if (m.incident.id == i.id) m.incident = i;
  }
  for (const auto& i : closed) {
    if (auto it = open_.find(i.check); it != open_.end() && it->second.id == i.id) open_.erase(it);
    for (auto& p : pages_)
      for (auto& m : p.members)
        if (m.incident.id == i.id) m.incident = i;
  }
  // Pages whose incidents all closed: recovery for announced ones; unannounced ones vanish
  // (an outage shorter than the group wait, or one that ended in maintenance, wakes nobody).
  for (auto it = pages_.begin(); it != pages_.end();) {
    if (!it->all_closed()) {
      ++it;
      continue;
    }
    if (it->announced_at) close_page(*it, now, out);
    it = pages_.erase(it);
  }
  auto more = tick(now);
  out.insert(out.end(), std::make_move_iterator(more.begin()), std::make_move_iterator(more.end()));
  return out;
}

std::string Router::member_suppression(const Incident& incident, TimePoint now) const {
  if (auto facts = directory_.facts(incident.check)) {
    facts->severity = incident.severity;
    for (const auto& m : config_.maintenance)
      if (matches(m.match, *facts) && maintenance::active_at(m.window, now))
        return "maintenance " + m.window.name;
    for (const auto* list : {&config_.silences, &runtime_silences_})
      for (const auto& s : *list)
        if (s.active(now) && matches(s.match, *facts)) return "silence #" + std::to_string(s.id);
  }
  // A parent (or its parent...) with an open incident explains this failure.
  std::vector<std::string> frontier{incident.check}, seen;
  for (int depth = 0; depth < kMaxDependencyDepth && !frontier.empty(); ++depth) {
    std::vector<std::string> next;
    for (const auto& check : frontier)
      for (auto& parent : directory_.parents(check)) {
        if (std::find(seen.begin(), seen.end(), parent) != seen.end()) continue;
        if (open_.contains(parent)) return "caused by " + parent;
        seen.push_back(parent);
        next.push_back(std::move(parent));
      }
    frontier = std::move(next);
  }
  return {};
}

std::string Router::suppression(std::string_view check, State severity, TimePoint now) const {
  Incident probe;
  probe.check = std::string(check);
  probe.severity = severity;
  return member_suppression(probe, now);
}

std::vector<EscalationTier> Router::tiers_of(const Route& r) const {
  if (!r.escalation.empty())
    if (const auto* policy = config_.escalation(r.escalation)) return policy->tiers;
  return {EscalationTier{Duration::zero(), r.notify}};
}

std::vector<std::string> Router::channels_for(const std::vector<Target>& targets,
                                              TimePoint now) const {
  std::vector<std::string> out;
  auto person_channels = [&](const std::string& name) {
    if (const auto* person = config_.person(name))
      for (const auto& c : person->channels) add_unique(out, c);
  };
  for (const auto& t : targets) {
    switch (t.kind) {
      case Target::Kind::notifier:
        if (config_.notifier(t.name))
          add_unique(out, t.name);
        else
          person_channels(t.name);
        break;
      case Target::Kind::person:
        person_channels(t.name);
        break;
      case Target::Kind::team:
        if (const auto* s = config_.schedule(t.name))
          for (const auto& layer : s->layers)
            for (const auto& member : layer.rotation.members) person_channels(member);
        break;
      case Target::Kind::oncall_primary:
      case Target::Kind::oncall_secondary:
      case Target::Kind::oncall_both: {
        const auto* s = config_.schedule(t.name);
        if (!s) break;
        auto on = oncall::who_is_on(*s, now);
        if (t.kind != Target::Kind::oncall_secondary && on.primary) person_channels(*on.primary);
        if (t.kind != Target::Kind::oncall_primary && on.secondary) person_channels(*on.secondary);
        break;
      }
    }
  }
  return out;
}

Message Router::message_for(const Page& page, Event event, TimePoint now) const {
  std::vector<const Incident*> shown;
  for (const auto& m : page.members) {
    const bool recovered = !m.incident.open();
    if (m.suppressed) continue;
    if (event == Event::recovery || !recovered) shown.push_back(&m.incident);
  }
  if (shown.empty())
    for (const auto& m : page.members) shown.push_back(&m.incident);
  // The page's own incident leads whenever it is listed, in every message about the page.
  for (std::size_t i = 1; i < shown.size(); ++i)
    if (shown[i]->id == page.id)
      std::rotate(shown.begin(), shown.begin() + i, shown.begin() + i + 1);
  const Incident& lead = *shown.front();
  Message msg;
  msg.event = event;
  msg.check = lead.check;
  msg.incident_id = page.id;
  msg.at = now;
  msg.since = lead.opened_at;
  msg.severity = State::ok;
  for (const auto* i : shown) {
    msg.since = std::min(msg.since, i->opened_at);
    if (severity_rank(i->severity) > severity_rank(msg.severity)) msg.severity = i->severity;
  }
  if (event == Event::recovery) {
    msg.from = msg.severity;
    msg.to = State::ok;
    if (lead.closed_at) msg.at = std::max(msg.at, *lead.closed_at);
  } else {
    msg.from = State::ok;
    msg.to = msg.severity;
  }
  msg.last_error = lead.last_message.empty() ? lead.cause : lead.last_message;
  if (event != Event::recovery) msg.location = directory_.where(lead.check);
  if (!config_.public_url.empty()) {
    std::string base = config_.public_url;
    while (!base.empty() && base.back() == '/') base.pop_back();
    msg.status_page_url = base + "/checks/" + lead.check;
  }
  if (event == Event::problem && ack_linker_) msg.ack_url = ack_linker_(page.id, now);
  if (shown.size() > 1)
    for (const auto* i : shown)
      msg.members.push_back({i->check, i->severity, i->opened_at,
                             i->last_message.empty() ? i->cause : i->last_message, i->closed_at});
  // Failures this page explains: checks whose open incident is caused by one of its checks.
  if (event == Event::problem)
    for (const auto& [check, incident] : open_) {
      if (directory_.parents(check).empty()) continue;
      const auto why = member_suppression(incident, now);
      for (const auto* i : shown)
        if (why == "caused by " + i->check) {
          add_unique(msg.also_affected, check);
          break;
        }
    }
  return msg;
}

void Router::send(Page& page, const std::vector<std::string>& channels, std::string_view kind,
                  const std::string& key, Event event, std::string note, TimePoint now,
                  std::vector<Dispatch>& out) {
  if (channels.empty()) return;
  Message base = message_for(page, event, now);
  base.note = std::move(note);
  if (event == Event::acknowledged) base.acknowledged_by = page.acked_by;
  for (const auto& channel : channels) {
    const Notifier* n = config_.notifier(channel);
    if (!n) continue;
    if (event == Event::recovery && !n->send_recovery) continue;
    if (event == Event::acknowledged && !n->send_acknowledged) continue;
    Dispatch d{channel, std::string(kind), key, base};
    d.message.id = "lightkeeper-" + key + ":" + channel;
    out.push_back(std::move(d));
  }
}

void Router::announce(Page& page, TimePoint now, std::vector<Dispatch>& out) {
  page.announced_at = now;
  page.next_tier = 0;
  page.cycle = 0;
  page.cycle_offset = Duration::zero();
  page.suppressed.clear();
  step(page, now, out);
}

void Router::step(Page& page, TimePoint now, std::vector<Dispatch>& out) {
  const Route* r = route(page.route);
  if (!r || !page.announced_at || page.acked_at) return;
  // A maintenance window or silence that began after the page went out mutes its escalation
  // and reminders while it lasts; they resume, late, if it ends with the outage still on.
  // Skipped outright when nothing could mute: this runs for every open page on every tick.
  const bool can_mute =
      !config_.maintenance.empty() || !config_.silences.empty() || !runtime_silences_.empty();
  bool muted = false;
  for (const auto& m : page.members) {
    if (!can_mute) break;
    if (!m.incident.open()) continue;
    auto why = member_suppression(m.incident, now);
    muted = why.starts_with("maintenance ") || why.starts_with("silence #");
    if (!muted) break;
  }
  if (muted) return;
  const auto tiers = tiers_of(*r);
  const EscalationPolicy* policy =
      r->escalation.empty() ? nullptr : config_.escalation(r->escalation);
  const TimePoint start = *page.announced_at;
  for (int guard = 0; guard < 1000; ++guard) {
    if (page.next_tier < tiers.size()) {
      const auto& tier = tiers[page.next_tier];
      if (start + page.cycle_offset + tier.after > now) break;
      auto channels = channels_for(tier.notify, now);
      const bool first = page.cycle == 0 && page.next_tier == 0;
      std::string note;
      if (!first) {
        std::vector<std::string> who;
        for (const auto& t : tier.notify) who.push_back(t.text);
        note = "Not acknowledged after " + format_duration(now - start) + "; escalated to " +
               join(who) + ".";
      }
      send(page, channels, first ? "problem" : "escalation",
           "p" + std::to_string(page.id) + ":t" + std::to_string(page.next_tier) + ":c" +
               std::to_string(page.cycle),
           Event::problem, note, now, out);
      for (const auto& c : channels) add_unique(page.notified, c);
      ++page.next_tier;
      continue;
    }
    if (!policy || page.cycle >= policy->repeat || tiers.empty()) break;
    const Duration restart = page.cycle_offset + tiers.back().after + policy->repeat_after;
    if (start + restart > now) break;
    ++page.cycle;
    page.cycle_offset = restart;
    page.next_tier = 0;
  }
  if (r->reminder > Duration::zero()) {
    const std::int64_t n = (now - start) / r->reminder;
    if (n > page.reminders) {
      page.reminders = n;
      send(page, page.notified, "reminder",
           "p" + std::to_string(page.id) + ":r" + std::to_string(n), Event::problem,
           "Still failing after " + format_duration(now - start) + " (reminder " +
               std::to_string(n) + ").",
           now, out);
    }
  }
}

void Router::close_page(Page& page, TimePoint now, std::vector<Dispatch>& out) {
  const Route* r = route(page.route);
  if (r && !r->send_recovery) return;
  send(page, page.notified, "recovery", "p" + std::to_string(page.id) + ":ok", Event::recovery, {},
       now, out);
}

std::vector<Dispatch> Router::tick(TimePoint now) {
  std::vector<Dispatch> out;
  std::vector<Page> split;  // members held back when their page went out
  for (auto& page : pages_) {
    if (page.announced_at) {
      step(page, now, out);
      continue;
    }
    if (page.acked_at || now < page.due || !route(page.route)) continue;
    std::string first_reason;
    bool any = false;
    for (auto& m : page.members) {
      if (!m.incident.open()) continue;
      auto why = member_suppression(m.incident, now);
      m.suppressed = !why.empty();
      if (m.suppressed && first_reason.empty()) first_reason = why;
      any = any || !m.suppressed;
    }
    page.suppressed = any ? std::string{} : first_reason;
    if (!any) continue;
    // Suppressed members leave the page and wait on their own, so that they are notified
    // if their reason ends while they are still failing.
    for (auto it = page.members.begin(); it != page.members.end();) {
      if (!it->suppressed || !it->incident.open()) {
        ++it;
        continue;
      }
      Page alone;
      alone.id = it->incident.id;
      alone.route = page.route;
      alone.due = now;
      alone.members.push_back({it->incident, false});
      split.push_back(std::move(alone));
      it = page.members.erase(it);
    }
    // Checks that recovered while the page gathered were never news: nobody hears of them,
    // not even in the recovery.
    std::erase_if(page.members, [](const Member& m) { return !m.incident.open(); });
    // The page is named after its first remaining incident, which leads every message about
    // it from the problem to the recovery (so the incident key, PagerDuty's dedup_key, stays
    // the same). The split-off pages took the ids of theirs, so no two pages share a key.
    page.id = page.members.front().incident.id;
    announce(page, now, out);
  }
  for (auto& p : split) pages_.push_back(std::move(p));
  return out;
}

AckResult Router::acknowledge(std::int64_t incident_id, std::string_view check, std::string by,
                              std::string note, TimePoint now, std::vector<Dispatch>& out) {
  AckResult result;
  if (incident_id == 0) {
    auto it = open_.find(check);
    if (it == open_.end()) {
      result.error = "check " + std::string(check) + " has no open incident";
      return result;
    }
    incident_id = it->second.id;
  }
  bool found = false;
  for (auto& page : pages_) {
    bool holds = page.id == incident_id ||
                 std::any_of(page.members.begin(), page.members.end(),
                             [&](const Member& m) { return m.incident.id == incident_id; });
    if (!holds) continue;
    found = true;
    result.page_id = page.id;
    if (page.acked_at) {
      result.already = true;
      continue;
    }
    page.acked_at = now;
    page.acked_by = by;
    page.ack_note = note;
    if (page.announced_at)
      send(page, page.notified, "acknowledged", "p" + std::to_string(page.id) + ":ack",
           Event::acknowledged, note, now, out);
  }
  if (!found) {
    bool is_open = std::any_of(open_.begin(), open_.end(),
                               [&](const auto& e) { return e.second.id == incident_id; });
    result.error = is_open ? "incident #" + std::to_string(incident_id) +
                                 " matches no route, so nobody was notified to acknowledge it"
                           : "incident #" + std::to_string(incident_id) + " is not open";
    return result;
  }
  result.ok = true;
  return result;
}

std::vector<Dispatch> Router::notifier_failed(std::string_view notifier, std::string_view error,
                                              TimePoint now) {
  std::vector<Dispatch> out;
  auto& last = notifier_failure_sent_[std::string(notifier)];
  if (last != TimePoint{} && now - last < kNotifierFailureEvery) return out;
  Message m;
  m.event = Event::problem;
  m.check = "notifier " + std::string(notifier);
  m.from = State::ok;
  m.to = State::fail;
  m.severity = State::fail;
  m.since = now;
  m.at = now;
  m.last_error = std::string(error);
  m.note = "Notifications through " + std::string(notifier) +
           " are failing for good; alerts meant for it are not arriving.";
  const std::string key =
      "nf:" + std::string(notifier) + ":" +
      std::to_string(
          std::chrono::duration_cast<std::chrono::hours>(now.time_since_epoch()).count());
  for (const auto& channel : config_.fallback) {
    if (channel == notifier || !config_.notifier(channel)) continue;
    Dispatch d{channel, "notifier-failing", key, m};
    d.message.id = "lightkeeper-" + key + ":" + channel;
    out.push_back(std::move(d));
  }
  if (!out.empty()) last = now;
  return out;
}

std::int64_t Router::add_silence(Silence s) {
  if (s.id == 0) s.id = next_silence_id_;
  next_silence_id_ = std::max(next_silence_id_, s.id + 1);
  runtime_silences_.push_back(std::move(s));
  return runtime_silences_.back().id;
}

bool Router::remove_silence(std::int64_t id) {
  auto it = std::find_if(runtime_silences_.begin(), runtime_silences_.end(),
                         [&](const Silence& s) { return s.id == id; });
  if (it == runtime_silences_.end()) return false;
  runtime_silences_.erase(it);
  return true;
}

std::vector<Silence> Router::silences(TimePoint now) const {
  std::vector<Silence> out;
  for (const auto* list : {&config_.silences, &runtime_silences_})
    for (const auto& s : *list)
      if (s.ends_at > now) out.push_back(s);
  return out;
}

std::vector<PageView> Router::pages() const {
  std::vector<PageView> out;
  for (const auto& p : pages_) {
    PageView v;
    v.id = p.id;
    v.route = p.route;
    for (const auto& m : p.members) {
      v.checks.push_back(m.incident.check);
      v.incidents.push_back(m.incident.id);
    }
    v.announced = p.announced_at.has_value();
    v.announced_at = p.announced_at;
    v.acked_at = p.acked_at;
    v.acked_by = p.acked_by;
    v.suppressed = p.suppressed;
    v.tiers_fired = p.next_tier;
    v.notified = p.notified;
    out.push_back(std::move(v));
  }
  return out;
}

std::optional<TimePoint> Router::next_wakeup() const {
  std::optional<TimePoint> best;
  auto consider = [&](TimePoint t) {
    if (!best || t < *best) best = t;
  };
  for (const auto& p : pages_) {
    if (p.acked_at) continue;
    if (!p.announced_at) {
      consider(p.due);
      continue;
    }
    const Route* r = route(p.route);
    if (!r) continue;
    auto tiers = tiers_of(*r);
    if (p.next_tier < tiers.size())
      consider(*p.announced_at + p.cycle_offset + tiers[p.next_tier].after);
    if (r->reminder > Duration::zero()) consider(*p.announced_at + r->reminder * (p.reminders + 1));
  }
  return best;
}

std::string Router::save() const {
  json pages = json::array();
  for (const auto& p : pages_) {
    json members = json::array();
    for (const auto& m : p.members)
      members.push_back({{"id", m.incident.id},
                         {"check", m.incident.check},
                         {"severity", to_string(m.incident.severity)},
                         {"opened_at", ns(m.incident.opened_at)},
                         {"cause", m.incident.cause},
                         {"last_message", m.incident.last_message}});
    json j = {{"id", p.id},
              {"route", p.route},
              {"members", members},
              {"due", ns(p.due)},
              {"next_tier", p.next_tier},
              {"cycle", p.cycle},
              {"cycle_offset", p.cycle_offset.count()},
              {"reminders", p.reminders},
              {"notified", p.notified}};
    if (p.announced_at) j["announced_at"] = ns(*p.announced_at);
    if (p.acked_at) {
      j["acked_at"] = ns(*p.acked_at);
      j["acked_by"] = p.acked_by;
      j["ack_note"] = p.ack_note;
    }
    pages.push_back(std::move(j));
  }
  json silences = json::array();
  for (const auto& s : runtime_silences_)
    silences.push_back({{"id", s.id},
                        {"checks", s.match.checks},
                        {"tags", s.match.tags},
                        {"groups", s.match.groups},
                        {"starts_at", ns(s.starts_at)},
                        {"ends_at", ns(s.ends_at)},
                        {"created_by", s.created_by},
                        {"comment", s.comment}});
  json failures = json::object();
  for (const auto& [name, at] : notifier_failure_sent_) failures[name] = ns(at);
  json root = {{"version", 1},
               {"pages", pages},
               {"silences", silences},
               {"next_silence_id", next_silence_id_},
               {"notifier_failures", failures}};
  return root.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::vector<Dispatch> Router::restore(std::string_view saved, std::span<const Incident> open,
                                      TimePoint now) {
  pages_.clear();
  open_.clear();
  for (const auto& i : open) open_[i.check] = i;
  json root = json::parse(saved, nullptr, /*allow_exceptions=*/false);
  if (root.is_object()) {
    try {
      for (const auto& j : root.value("pages", json::array())) {
        Page p;
        p.id = j.at("id").get<std::int64_t>();
        p.route = j.value("route", std::string{});
        p.due = at_ns(j.value("due", std::int64_t{0}));
        p.next_tier = j.value("next_tier", std::size_t{0});
        p.cycle = j.value("cycle", 0);
        p.cycle_offset = Duration{j.value("cycle_offset", std::int64_t{0})};
        p.reminders = j.value("reminders", std::int64_t{0});
        p.notified = j.value("notified", std::vector<std::string>{});
        if (j.contains("announced_at"))
          p.announced_at = at_ns(j["announced_at"].get<std::int64_t>());
        if (j.contains("acked_at")) {
          p.acked_at = at_ns(j["acked_at"].get<std::int64_t>());
          p.acked_by = j.value("acked_by", std::string{});
          p.ack_note = j.value("ack_note", std::string{});
        }
        for (const auto& m : j.value("members", json::array())) {
          Incident i;
          i.id = m.at("id").get<std::int64_t>();
          i.check = m.value("check", std::string{});
          i.severity = parse_state(m.value("severity", std::string("fail"))).value_or(State::fail);
          i.opened_at = at_ns(m.value("opened_at", std::int64_t{0}));
          i.cause = m.value("cause", std::string{});
          i.last_message = m.value("last_message", std::string{});
          // Still open? The state engine knows; an incident it no longer has closed meanwhile.
          auto it = open_.find(i.check);
          if (it != open_.end() && it->second.id == i.id)
            i = it->second;
          else
            i.closed_at = now;
          p.members.push_back({std::move(i), false});
        }
        if (!p.members.empty()) pages_.push_back(std::move(p));
      }
      for (const auto& s : root.value("silences", json::array())) {
        Silence x;
        x.id = s.at("id").get<std::int64_t>();
        x.match.checks = s.value("checks", std::vector<std::string>{});
        x.match.tags = s.value("tags", std::vector<std::string>{});
        x.match.groups = s.value("groups", std::vector<std::string>{});
        x.starts_at = at_ns(s.value("starts_at", std::int64_t{0}));
        x.ends_at = at_ns(s.value("ends_at", std::int64_t{0}));
        x.created_by = s.value("created_by", std::string{});
        x.comment = s.value("comment", std::string{});
        if (x.ends_at > now) runtime_silences_.push_back(std::move(x));
      }
      next_silence_id_ = std::max(next_silence_id_, root.value("next_silence_id", std::int64_t{1}));
      for (const auto& [name, at] : root.value("notifier_failures", json::object()).items())
        notifier_failure_sent_[name] = at_ns(at.get<std::int64_t>());
    } catch (const json::exception&) {
      pages_.clear();  // unreadable: start afresh from the open incidents below
    }
  }
  std::vector<Dispatch> out;
  for (auto it = pages_.begin(); it != pages_.end();) {
    if (!it->all_closed()) {
      ++it;
      continue;
    }
    if (it->announced_at) close_page(*it, now, out);
    it = pages_.erase(it);
  }
  for (const auto& i : open) {
    bool paged = std::any_of(pages_.begin(), pages_.end(), [&](const Page& p) {
      return std::any_of(p.members.begin(), p.members.end(),
                         [&](const Member& m) { return m.incident.id == i.id; });
    });
    if (!paged) Router::open(i, now);
  }
  auto more = tick(now);
  out.insert(out.end(), std::make_move_iterator(more.begin()), std::make_move_iterator(more.end()));
  return out;
}

}  // namespace lk::alert
