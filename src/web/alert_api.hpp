#pragma once
// Alerting over HTTP: the notification log, pages (open alerts), acknowledgement (JSON API and
// the signed link in each message), silences and who is on call.
//
//   GET    /api/v1/notifications?check=&channel=&state=&limit=&before=   every delivery attempt
//   GET    /api/v1/alerts                                                 open pages
//   POST   /api/v1/ack        {"check": "web"} or {"incident": 42}, "by", "note"
//   GET    /api/v1/silences   POST {"checks", "tags", "groups", "duration" | "until", "comment",
//                                   "created_by"}   DELETE /api/v1/silences/{id}
//   GET    /api/v1/oncall     who is on now and the next hand-offs, per schedule
//   GET    /ack/{token}       a page with a button; POST /ack/{token} acknowledges. A GET never
//                             acknowledges: chat services fetch links to preview them.
//
// Who may write is decided by the router (web/auth.hpp): a write token, or loopback without tokens.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "alert/oncall/schedule.hpp"
#include "alert/policy/model.hpp"
#include "alert/policy/router.hpp"
#include "web/http.hpp"

namespace lk::store {
class Store;
}

namespace lk::web {

struct AckAnswer {
  bool ok = false;
  int status = 200;     ///< 404 no such incident, 409 nobody to acknowledge, 503 shutting down
  std::string message;  ///< the error, or what was done
  std::int64_t incident = 0;  ///< the page's id
  bool already = false;
};

struct AckLinkInfo {
  bool valid = false;
  std::string error;
  std::int64_t incident = 0;
  std::vector<std::string> checks;  ///< empty when the incident is over
  bool acknowledged = false;
  std::string acknowledged_by;
};

struct OnCallView {
  std::string schedule;
  alert::oncall::OnCall now;
  std::vector<alert::oncall::Handoff> next;
};

/// The command side of alerting, implemented by app/. Called from web worker threads; the
/// implementation hands each call to the control thread and waits (briefly) for the answer.
class AlertControl {
 public:
  virtual ~AlertControl() = default;
  virtual AckAnswer acknowledge(std::int64_t incident, std::string check, std::string by,
                                std::string note) = 0;
  virtual AckLinkInfo inspect_link(std::string_view token) = 0;
  virtual AckAnswer acknowledge_link(std::string_view token, std::string by, std::string note) = 0;
  virtual std::vector<alert::PageView> pages() = 0;
  virtual std::vector<alert::Silence> silences() = 0;
  virtual std::int64_t add_silence(alert::Silence silence) = 0;
  virtual bool remove_silence(std::int64_t id) = 0;
  virtual std::vector<OnCallView> oncall(std::size_t next) = 0;
};

/// True for the paths above.
bool is_alert_path(std::string_view path);
/// Answers a request for one of them. `control` may be null (alerting not running).
Response answer_alert(const Request& request, AlertControl* control, store::Store& store,
                      TimePoint now);

}  // namespace lk::web
