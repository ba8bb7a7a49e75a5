#pragma once
// The public status site: its URLs, and the cache of what they render. Owned by the Router,
// which hands it every path it owns (see owns()):
//   /                                      the first status page of the site
//   /status/<slug>/                        a status page
//   /status/<slug>/components/<id>?range=  a component (range: day, week, month, year)
//   /status/<slug>/incidents/<id>          one incident or maintenance report
//   /status/<slug>/history?before=<id>     reports of the page, 20 at a time
//   /status/<slug>/feed.atom               Atom feed of the page's reports
//   /badge/<component>.svg                 status badge
//   /badge/<component>/uptime.svg?period=  uptime badge (24h, 7d, 30d, 90d)
//   /static/live.js                        the live-update script
// Every answer is cached per (URL, snapshot generation), with its gzip and brotli encodings, so
// the front page is served from memory; only component graphs, old reports and the history read
// the store, once per snapshot.

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "web/http.hpp"
#include "web/model.hpp"
#include "web/page_cache.hpp"

namespace lk::store {
class Store;
}

namespace lk::web {

class Site {
 public:
  /// `store` (for rollups and older reports) must outlive the site.
  explicit Site(store::Store& store);

  /// True for the paths the site answers (all of them, including its 404s).
  static bool owns(std::string_view path);

  /// The answer to `request` (GET or HEAD; other methods get 405) from `snapshot` (null: an empty
  /// one; without a site: default_site()). `now` stands in for the snapshot's time when it has
  /// none. Throws only what the store throws (the router turns it into a 500).
  Response answer(const Request& request, std::shared_ptr<const StatusSnapshot> snapshot,
                  TimePoint now) const;

  /// The answer to `request` when it is in the cache for `snapshot` (a GET or HEAD of a page
  /// rendered since the snapshot's page generation began), else nullopt. Never renders nor
  /// reads the store: cheap enough for the server's event loop.
  std::optional<Response> cached(const Request& request,
                                 const std::shared_ptr<const StatusSnapshot>& snapshot) const;

  /// Pages rendered so far (a cache hit renders none), for tests and metrics.
  std::uint64_t renders() const { return renders_.load(); }

 private:
  std::shared_ptr<const SiteSpec> site_of(const std::shared_ptr<const StatusSnapshot>& s) const;
  struct Resolved;
  /// The page, component and cache key a request names, or its 4xx answer.
  std::variant<Resolved, Response> resolve(
      const Request& request, const std::shared_ptr<const StatusSnapshot>& snapshot) const;

  store::Store& store_;
  mutable PageCache cache_;
  mutable std::atomic<std::uint64_t> renders_{0};
  // The default site of the latest snapshot without one, built once per snapshot.
  mutable std::mutex default_mutex_;
  mutable std::weak_ptr<const StatusSnapshot> default_for_;
  mutable std::shared_ptr<const SiteSpec> default_site_;
};

}  // namespace lk::web
