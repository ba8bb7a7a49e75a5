#pragma once
// Maps a Request to a Response: the status page, /healthz, /metrics and the JSON API. Beast-free
// and socket-free, so every route is unit-tested directly.

#include <optional>

#include "web/alert_api.hpp"
#include "web/http.hpp"
#include "web/model.hpp"
#include "web/ping.hpp"
#include "web/report_api.hpp"
#include "web/site.hpp"

namespace lk::store {
class Store;
}

namespace lk::web {

class Router {
 public:
  /// Keeps references: all three (and `pings`, when given) must outlive the router.
  Router(const StatusSource& source, store::Store& store, const Clock& clock,
         PingSink* pings = nullptr, AlertControl* alerts = nullptr,
         RuntimeControl* runtime = nullptr);

  /// Answers one request. Never throws: a failure inside a handler becomes a 500 (JSON for /api
  /// paths). HEAD gets the same response as GET; the server leaves out the body.
  Response handle(const Request& request) const;

  /// The answer to a status-site request already rendered for the latest snapshot, or nullopt
  /// (then handle() it). Never blocks: for the server's event loop.
  std::optional<Response> cached(const Request& request) const;

 private:
  /// `snapshot`: the one already read for this request, or null (read when an answer needs it).
  Response route(const Request& request, std::shared_ptr<const StatusSnapshot> snapshot) const;

  const StatusSource& source_;
  store::Store& store_;
  const Clock& clock_;
  PingSink* pings_;          ///< heartbeat ingest; null: /ping/ answers 404
  AlertControl* alerts_;     ///< ack, silences, on-call; null: those answer 503
  RuntimeControl* runtime_;  ///< told of report and pause changes; may be null
  Site site_{store_};        ///< the public status pages, badges and their cache
};

}  // namespace lk::web
