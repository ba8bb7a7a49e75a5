#pragma once
// The runtime objects of the REST API: status reports (incidents and maintenance posted on the
// status pages, with their update timelines) and check pauses. Config stays the source of truth
// for what checks exist; these live in the store.
//
//   GET    /api/v1/status-reports?kind=&open=&component=&limit=&before=
//   POST   /api/v1/status-reports           {kind, title, message, state, impact, components,
//                                             starts_at, ends_at}
//   GET    /api/v1/status-reports/{id}      PATCH {title, impact, components, starts_at, ends_at}
//   DELETE /api/v1/status-reports/{id}
//   POST   /api/v1/status-reports/{id}/updates   {state, message}
//   GET    /api/v1/maintenance              announced maintenance (open first)
//   POST   /api/v1/maintenance              as POST /status-reports with kind maintenance
//   GET    /api/v1/pauses                   POST /api/v1/checks/{name}/pause {reason}
//                                           POST /api/v1/checks/{name}/resume
//
// The router has authorized the request (Request::caller is the author of what it writes).

#include <string_view>

#include "web/http.hpp"
#include "web/model.hpp"

namespace lk::store {
class Store;
}

namespace lk::web {

/// What app/ does when a runtime object changed (after the store committed it): reload reports
/// into the status model, maintenance into alerting, pauses into the scheduler. Called on web
/// worker threads; returns once the change is in effect (or after a short wait).
class RuntimeControl {
 public:
  virtual ~RuntimeControl() = default;
  virtual void reports_changed() = 0;
  virtual void pauses_changed() = 0;
};

/// True for the paths above.
bool is_report_api_path(std::string_view path);

/// Answers one of them. `control` may be null (nothing reacts to changes, e.g. in tests).
Response answer_report_api(const Request& request, const StatusSnapshot& snapshot,
                           store::Store& store, RuntimeControl* control, TimePoint now);

}  // namespace lk::web
