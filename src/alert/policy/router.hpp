#pragma once
// The alert router: incidents in, notifications out. It decides who hears about an incident
// (routes, on-call schedules), when (group wait, escalation tiers, reminders), and when not
// (maintenance, silences, a failing parent, acknowledgement). Pure and deterministic: every
// call takes the time, nothing reads a clock or does I/O, so it runs on simulated time in
// tests. The runtime feeds it the state engine's incidents and calls tick() periodically; what
// it returns goes to the persisted outbox.
//
// A *page* is what one route makes of incidents: one incident, or several of the same route
// opening within its group_wait ("grouping": a data centre going dark is one message listing
// fifty checks, not fifty messages). Its id is the first incident's id. Every notification
// has an idempotency key derived from the page, the step and the channel
// ("p42:t1:c0", "p42:r3", "p42:ack", "p42:ok"), so replaying after a restart enqueues nothing
// twice: the outbox keeps one notification per (channel, key).

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "alert/notify/message.hpp"
#include "alert/policy/model.hpp"
#include "core/incident.hpp"

namespace lk::alert {

/// One notification to put in the outbox.
struct Dispatch {
  std::string channel;  ///< notifier name
  std::string kind;     ///< problem, escalation, reminder, acknowledged, recovery, notifier-failing
  std::string key;      ///< idempotency key, unique per channel
  Message message;
};

/// What the router asks about checks (the runtime answers from the config and state engine).
class CheckDirectory {
 public:
  virtual ~CheckDirectory() = default;
  /// Tags and group of a configured check; nullopt when there is no such check.
  virtual std::optional<CheckFacts> facts(std::string_view check) const = 0;
  /// The checks this one depends on (its `depends_on`).
  virtual std::vector<std::string> parents(std::string_view check) const = 0;
  /// Where the check is failing from, e.g. "fra, nyc (2 of 3 locations)"; empty if unknown.
  virtual std::string where(std::string_view check) const = 0;
};

/// Makes the signed ack link of a page (empty when links are off).
using AckLinker = std::function<std::string(std::int64_t page_id, TimePoint now)>;

struct AckResult {
  bool ok = false;
  std::int64_t page_id = 0;
  std::string error;     ///< when !ok: "no open incident for check web-1"
  bool already = false;  ///< it had been acknowledged before (nothing sent again)
};

/// A page as the API and status page show it.
struct PageView {
  std::int64_t id = 0;
  std::string route;
  std::vector<std::string> checks;
  std::vector<std::int64_t> incidents;
  bool announced = false;
  std::optional<TimePoint> announced_at;
  std::optional<TimePoint> acked_at;
  std::string acked_by;
  std::string suppressed;  ///< why it has not been sent (yet)
  std::size_t tiers_fired = 0;
  std::vector<std::string> notified;
};

class Router {
 public:
  Router(const CheckDirectory& directory, AckLinker ack_linker = {});

  /// Sets (or replaces, on a reload) the alerting config. Pages keep their route by name.
  void configure(AlertConfig config);
  const AlertConfig& config() const { return config_; }

  /// Incidents opened, updated or closed by the state engine.
  std::vector<Dispatch> on_incidents(std::span<const Incident> opened,
                                     std::span<const Incident> updated,
                                     std::span<const Incident> closed, TimePoint now);
  /// Group waits ending, escalation tiers and reminders falling due, suppressions lifting.
  std::vector<Dispatch> tick(TimePoint now);

  /// Acknowledges the page holding incident `incident_id`, or (when 0) the open incident of
  /// `check`. Stops escalation and reminders; tells those notified so far.
  AckResult acknowledge(std::int64_t incident_id, std::string_view check, std::string by,
                        std::string note, TimePoint now, std::vector<Dispatch>& out);

  /// A notifier gave up on a notification: tell the fallback notifiers (at most once an hour
  /// per failing notifier).
  std::vector<Dispatch> notifier_failed(std::string_view notifier, std::string_view error,
                                        TimePoint now);

  /// Silences added at run time (the API); ids are assigned here when 0.
  std::int64_t add_silence(Silence s);
  bool remove_silence(std::int64_t id);
  /// Every silence (config and run time) not yet expired at `now`.
  std::vector<Silence> silences(TimePoint now) const;

  /// Why a problem of `check` would not be notified now ("maintenance patch-tuesday",
  /// "silence #3", "caused by router"), or empty.
  std::string suppression(std::string_view check, State severity, TimePoint now) const;

  std::vector<PageView> pages() const;
  /// The earliest instant at which tick() has something to do (for a caller that sleeps).
  std::optional<TimePoint> next_wakeup() const;

  /// The router's state as JSON (pages, acks, run-time silences) and back, to survive a
  /// restart. restore() then needs the still-open incidents: pages whose incidents closed
  /// while it was down send their recovery, open incidents it did not know get a page.
  std::string save() const;
  std::vector<Dispatch> restore(std::string_view saved, std::span<const Incident> open,
                                TimePoint now);

 private:
  struct Member {
    Incident incident;
    bool suppressed = false;
  };
  struct Page {
    std::int64_t id = 0;
    std::string route;
    std::vector<Member> members;
    TimePoint due{};  ///< when to announce (first opened + group_wait)
    std::optional<TimePoint> announced_at;
    std::size_t next_tier = 0;  ///< tiers fired in this cycle
    int cycle = 0;
    Duration cycle_offset{};  ///< when this cycle began, from announced_at
    std::int64_t reminders = 0;
    std::optional<TimePoint> acked_at;
    std::string acked_by, ack_note;
    std::vector<std::string> notified;  ///< channels that got the problem
    std::string suppressed;
    bool all_closed() const;
  };

  const Route* route(std::string_view name) const;
  std::vector<const Route*> routes_for(const Incident& incident) const;
  void open(const Incident& incident, TimePoint now);
  std::vector<EscalationTier> tiers_of(const Route& r) const;
  std::vector<std::string> channels_for(const std::vector<Target>& targets, TimePoint now) const;
  Message message_for(const Page& page, Event event, TimePoint now) const;
  void send(Page& page, const std::vector<std::string>& channels, std::string_view kind,
            const std::string& key, Event event, std::string note, TimePoint now,
            std::vector<Dispatch>& out);
  void step(Page& page, TimePoint now, std::vector<Dispatch>& out);
  void announce(Page& page, TimePoint now, std::vector<Dispatch>& out);
  void close_page(Page& page, TimePoint now, std::vector<Dispatch>& out);
  std::string member_suppression(const Incident& incident, TimePoint now) const;

  const CheckDirectory& directory_;
  AckLinker ack_linker_;
  AlertConfig config_;
  std::vector<Page> pages_;  ///< few at a time: an open outage each
  std::vector<Silence> runtime_silences_;
  std::int64_t next_silence_id_ = 1;
  std::map<std::string, TimePoint> notifier_failure_sent_;
  /// Every open incident by check, routed or not: a parent is down while it has one.
  std::map<std::string, Incident, std::less<>> open_;
};

}  // namespace lk::alert
