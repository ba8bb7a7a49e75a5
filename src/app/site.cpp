#include "app/site.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <future>
#include <set>

#include "web/components.hpp"
#include "web/text.hpp"

namespace lk::app {

namespace {

using namespace std::chrono_literals;

constexpr std::size_t kMaxShown = 200;  // of each of open and closed
constexpr Duration kShownHistory = 24h * 90;

std::string names_of(const std::vector<std::string>& ids, const web::SiteSpec& site) {
  std::string out;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const ComponentSpec* c = site.component(ids[i]);
    if (i) out += i + 1 == ids.size() ? " and " : ", ";
    out += c ? c->name : ids[i];
  }
  return out;
}

std::optional<Incident> incident_by_id(std::int64_t id, store::Store& store) {
  store::IncidentQuery q;
  q.before_id = id + 1;
  q.limit = 1;
  auto found = store.incidents(q);
  if (found.empty() || found.front().id != id) return std::nullopt;
  return found.front();
}

bool closed_incident(std::int64_t id, store::Store& store) {
  auto i = incident_by_id(id, store);
  return i && !i->open();
}

// Major when one of the report's components is down by its rule (as many of its checks failing
// as the rule needs), minor when they are only degraded: one of two web servers down is not an
// outage for clients.
Impact impact_of(const StatusReport& r, const web::SiteSpec& site, store::Store& store,
                 const Incident& latest) {
  std::set<std::string> failing{latest.check};
  for (std::int64_t id : r.incidents)
    if (auto i = incident_by_id(id, store); i && i->open()) failing.insert(i->check);
  for (const auto& id : r.components) {
    const ComponentSpec* c = site.component(id);
    if (!c) continue;
    std::size_t down = 0;
    for (const auto& check : c->checks) down += failing.count(check);
    if (down > 0 && down >= web::rule_rank(c->rule, c->checks.size())) return Impact::major;
  }
  return Impact::minor;
}

}  // namespace

std::shared_ptr<const web::SiteSpec> make_site(const config::Config& config) {
  auto site = std::make_shared<web::SiteSpec>();
  site->public_url = config.public_url;
  site->api = config.api;
  site->components = config.components;
  if (site->components.empty()) {
    for (const auto& check : config.checks) {
      ComponentSpec c;
      c.id = check.spec.name;
      c.name = check.spec.name;
      c.group = check.spec.group;
      c.description = check.spec.description;
      c.checks = {check.spec.name};
      site->components.push_back(std::move(c));
    }
  }
  site->pages = config.status_pages;
  if (site->pages.empty()) {
    StatusPageSpec page;
    page.slug = "status";
    page.title = config.title;
    page.logo_alt = config.title;
    site->pages.push_back(std::move(page));
  }
  // A page without a component list shows every component.
  for (auto& page : site->pages)
    if (page.components.empty())
      for (const auto& c : site->components) page.components.push_back(c.id);
  return site;
}

std::vector<alert::Maintenance> announced_maintenance(const std::vector<StatusReport>& reports,
                                                      const web::SiteSpec& site) {
  std::vector<alert::Maintenance> out;
  for (const auto& r : reports) {
    if (r.kind != ReportKind::maintenance || !r.starts_at || !r.ends_at) continue;
    // Completed early by a person: the window ends then.
    TimePoint end = r.resolved_at ? std::min(*r.resolved_at, *r.ends_at) : *r.ends_at;
    if (end <= *r.starts_at) continue;
    alert::Maintenance m;
    m.window.name = "announced #" + std::to_string(r.id) + " " + r.title;
    m.window.from = *r.starts_at;
    m.window.to = end;
    std::set<std::string> checks;
    for (const auto& id : r.components)
      if (const ComponentSpec* c = site.component(id))
        checks.insert(c->checks.begin(), c->checks.end());
    // Components that all left the config: the window matches nothing rather than everything.
    if (!r.components.empty() && checks.empty()) continue;
    m.match.checks.assign(checks.begin(), checks.end());
    out.push_back(std::move(m));
  }
  return out;
}

Reports::Reports(store::Store& store, const Clock& clock, Loaded on_loaded)
    : store_(store), clock_(clock), on_loaded_(std::move(on_loaded)) {
  thread_ = std::thread([this] { run(); });
}

Reports::~Reports() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void Reports::post(Task task) {
  {
    std::lock_guard lock(mutex_);
    tasks_.push_back(std::move(task));
  }
  wake_.notify_one();
}

void Reports::run() {
  for (;;) {
    Task task;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || !tasks_.empty(); });
      if (tasks_.empty()) return;  // stopping, and everything queued is done
      task = std::move(tasks_.front());
      tasks_.pop_front();
    }
    try {
      task();
    } catch (const std::exception& e) {
      // A failed write is logged and the next event tried: the incidents themselves are safe in
      // the store, and a later reload shows what was written.
      spdlog::error("status reports: {}", e.what());
    }
  }
}

void Reports::configure(std::shared_ptr<const web::SiteSpec> site) {
  post([this, site = std::move(site)]() mutable {
    site_ = std::move(site);
    load();
  });
}

void Reports::on_transitions(const state::Transitions& t) {
  for (const auto& i : t.opened) post([this, i] { opened(i); });
  for (const auto& i : t.closed) post([this, i] { closed(i); });
  if (!t.opened.empty() || !t.closed.empty()) post([this] { load(); });
}

void Reports::tick() {
  post([this] { advance_maintenance(); });
}

void Reports::reload(Duration wait) {
  auto done = std::make_shared<std::promise<void>>();
  auto ready = done->get_future();
  post([this, done] {
    load();
    done->set_value();
  });
  if (wait > Duration::zero()) ready.wait_for(wait);
}

void Reports::load() {
  const TimePoint now = clock_.now();
  store::ReportQuery open;
  open.open = true;
  open.limit = kMaxShown;
  store::ReportQuery closed;
  closed.open = false;
  closed.since = now - kShownHistory;
  closed.limit = kMaxShown;
  auto reports = store_.status_reports(open);
  auto old = store_.status_reports(closed);
  reports.insert(reports.end(), std::make_move_iterator(old.begin()),
                 std::make_move_iterator(old.end()));
  std::sort(reports.begin(), reports.end(),
            [](const auto& a, const auto& b) { return a.id > b.id; });
  on_loaded_(std::move(reports));
}

std::vector<std::string> Reports::components_of(std::string_view check) const {
  std::vector<std::string> out;
  if (!site_) return out;
  for (const auto& c : site_->components)
    if (std::find(c.checks.begin(), c.checks.end(), check) != c.checks.end()) out.push_back(c.id);
  return out;
}

void Reports::opened(const Incident& incident) {
  auto components = components_of(incident.check);
  if (components.empty()) return;  // not on any page: nothing to tell clients
  // Already reported (a restart replaying the incident)?
  store::ReportQuery mine;
  mine.incident = incident.id;
  mine.limit = 1;
  if (!store_.status_reports(mine).empty()) return;
  // An open automatic report about one of these components takes the incident in: one outage
  // of a service is one story for its clients, however many checks see it.
  store::ReportQuery q;
  q.open = true;
  q.kind = ReportKind::incident;
  q.limit = kMaxShown;
  for (auto& r : store_.status_reports(q)) {
    if (!r.automatic) continue;
    bool shared = std::any_of(components.begin(), components.end(), [&](const auto& id) {
      return std::find(r.components.begin(), r.components.end(), id) != r.components.end();
    });
    if (!shared) continue;
    r.incidents.push_back(incident.id);
    for (const auto& id : components)
      if (std::find(r.components.begin(), r.components.end(), id) == r.components.end())
        r.components.push_back(id);
    r.updated_at = clock_.now();
    // Only ever raised: a person may have set it, and a recovering check does not lower it.
    if (Impact worse = impact_of(r, *site_, store_, incident); worse > r.impact) r.impact = worse;
    store_.save_report(std::move(r));
    return;
  }
  StatusReport r;
  r.kind = ReportKind::incident;
  r.automatic = true;
  r.state = ReportState::investigating;
  r.components = components;
  r.incidents = {incident.id};
  r.impact = impact_of(r, *site_, store_, incident);
  const std::string names = names_of(components, *site_);
  r.title = "Disruption of " + names;
  r.created_at = r.updated_at = clock_.now();
  ReportUpdate u;
  u.at = r.created_at;
  u.state = ReportState::investigating;
  u.author = std::string(kAutomaticAuthor);
  // Clients read this: the check's own message (addresses, errors) stays internal.
  u.message = "Our monitoring has detected a problem with " + names + " since " +
              web::format_minute(incident.opened_at) + ". We are investigating.";
  r.updates.push_back(std::move(u));
  auto stored = store_.save_report(std::move(r));
  spdlog::info("status report #{} opened: {} (detected incident {})", stored.id, stored.title,
               incident.id);
}

void Reports::closed(const Incident& incident) {
  store::ReportQuery q;
  q.incident = incident.id;
  q.open = true;
  q.limit = kMaxShown;
  for (const auto& r : store_.status_reports(q)) {
    if (!r.automatic) continue;  // people resolve their own reports
    // Still down elsewhere: the report stays open until its last incident closes.
    bool all_closed = std::all_of(r.incidents.begin(), r.incidents.end(), [&](std::int64_t id) {
      return id == incident.id || closed_incident(id, store_);
    });
    if (!all_closed) continue;
    ReportUpdate u;
    u.at = clock_.now();
    u.state = ReportState::resolved;
    u.author = std::string(kAutomaticAuthor);
    const std::string names = site_ ? names_of(r.components, *site_) : r.title;
    u.message = names + (r.components.size() > 1 ? " are" : " is") +
                " working normally again since " + web::format_minute(*incident.closed_at) +
                " (the disruption lasted " +
                web::format_duration_seconds(*incident.closed_at - r.created_at) + ").";
    store_.add_report_update(r.id, std::move(u));
    spdlog::info("status report #{} resolved", r.id);
  }
}

void Reports::advance_maintenance() {
  const TimePoint now = clock_.now();
  store::ReportQuery q;
  q.open = true;
  q.kind = ReportKind::maintenance;
  q.limit = kMaxShown;
  bool changed = false;
  for (const auto& r : store_.status_reports(q)) {
    if (!r.starts_at || !r.ends_at) continue;
    ReportUpdate u;
    u.at = now;
    u.author = std::string(kAutomaticAuthor);
    if (now >= *r.ends_at) {
      u.state = ReportState::completed;
      u.message = "The maintenance is complete.";
    } else if (now >= *r.starts_at && r.state == ReportState::scheduled) {
      u.state = ReportState::in_progress;
      u.message = "The maintenance has started.";
    } else {
      continue;
    }
    store_.add_report_update(r.id, std::move(u));
    changed = true;
  }
  if (changed) load();
}

}  // namespace lk::app
