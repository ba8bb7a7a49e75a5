#pragma once
// The public side of the running monitor: the status pages and components of the config, and
// the status reports shown on them. Reports are opened and resolved automatically for detected
// incidents of checks that belong to a component, announced maintenance moves through its
// states on time, and everything the pages show is reloaded from the store after each change.
// Store writes block until committed, so they run on this module's own thread, one at a time
// (which also keeps two incidents opening together from opening two reports).

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "alert/policy/model.hpp"
#include "config/config.hpp"
#include "state/check_state.hpp"
#include "store/store.hpp"
#include "web/model.hpp"

namespace lk::app {

/// The pages and components of `config`, with the defaults when it has none: one component per
/// check (id = check name, group = check group, rule all) and one page "status" titled as the
/// config showing every component.
std::shared_ptr<const web::SiteSpec> make_site(const config::Config& config);

/// Maintenance windows (for alerting and the page's maintenance state) of the announced
/// maintenance among `reports`: its checks are those of its components, or every check when it
/// names none.
std::vector<alert::Maintenance> announced_maintenance(const std::vector<StatusReport>& reports,
                                                      const web::SiteSpec& site);

/// Author of what the daemon writes itself.
inline constexpr std::string_view kAutomaticAuthor = "lightkeeper";

class Reports {
 public:
  /// Called on this module's thread with what the pages should show (every open report, and
  /// the closed ones of the last 90 days); the callee hands it to the control thread.
  using Loaded = std::function<void(std::vector<StatusReport>)>;

  Reports(store::Store& store, const Clock& clock, Loaded on_loaded);
  ~Reports();
  Reports(const Reports&) = delete;
  Reports& operator=(const Reports&) = delete;

  // Control thread.
  void configure(std::shared_ptr<const web::SiteSpec> site);
  /// Opens reports for incidents opened, resolves them when all their incidents are closed.
  void on_transitions(const state::Transitions& t);
  /// Moves announced maintenance to in progress and completed on time.
  void tick();

  /// Reloads the reports (any thread); returns once `on_loaded` has been called, or after
  /// `wait` (0: do not wait).
  void reload(Duration wait = Duration::zero());

 private:
  using Task = std::function<void()>;
  void post(Task task);
  void run();
  void load();
  void opened(const Incident& incident);
  void closed(const Incident& incident);
  void advance_maintenance();
  std::vector<std::string> components_of(std::string_view check) const;

  store::Store& store_;
  const Clock& clock_;
  Loaded on_loaded_;
  std::shared_ptr<const web::SiteSpec> site_;  ///< worker's copy, set through post()

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Task> tasks_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace lk::app
