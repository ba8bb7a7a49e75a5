#pragma once
// Rendered bytes of the public pages, kept per (page, snapshot) so that a busy status page costs
// a lookup and a copy rather than a render and a compression per request: plain, gzip and
// brotli bodies (each compressed once, on first demand), answered with an ETag and 304s.

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "web/http.hpp"
#include "web/model.hpp"

namespace lk::web {

/// One rendered answer and its encodings. Immutable once made, but for the encodings, which are
/// filled in on first demand (thread-safe).
class RenderedPage {
 public:
  RenderedPage(std::string content_type, std::string body,
               std::vector<std::pair<std::string, std::string>> headers);

  const std::string& content_type() const { return content_type_; }
  const std::string& body() const { return body_; }
  /// A hash of the body: the same bytes get the same tag on every node and after restarts.
  const std::string& tag() const { return tag_; }
  const std::vector<std::pair<std::string, std::string>>& headers() const { return headers_; }
  /// The body in `coding` (identity: the body itself).
  const std::string& encoded(ContentCoding coding) const;

 private:
  std::string content_type_, body_, tag_;
  std::vector<std::pair<std::string, std::string>> headers_;
  mutable std::once_flag gzip_once_, br_once_;
  mutable std::string gzip_, br_;
};

/// The answer to `request` from `page`: the encoding the client prefers (for bodies worth
/// compressing), ETag and Vary, or 304 without a body when If-None-Match names the same bytes.
Response respond(const Request& request, const RenderedPage& page);

/// The rendered pages of the latest snapshots, by key. Thread-safe.
class PageCache {
 public:
  /// Entries kept at most; past it, those of older snapshots go, then all.
  static constexpr std::size_t kMaxEntries = 512;

  /// The page cached under `key` for `snapshot`, or null.
  std::shared_ptr<const RenderedPage> find(
      const std::string& key, const std::shared_ptr<const StatusSnapshot>& snapshot) const;
  /// Caches `page` under `key` for `snapshot` and returns what to serve: the page cached before
  /// when it has the same bytes (so its compressed encodings are reused), else `page`.
  std::shared_ptr<const RenderedPage> store(const std::string& key,
                                            const std::shared_ptr<const StatusSnapshot>& snapshot,
                                            std::shared_ptr<const RenderedPage> page);
  std::size_t size() const;

 private:
  struct Entry {
    std::uint64_t generation = 0;
    std::weak_ptr<const StatusSnapshot> snapshot;
    std::shared_ptr<const RenderedPage> page;
  };
  /// Whether `e` was rendered from what `snapshot` shows.
  static bool fresh(const Entry& e, const std::shared_ptr<const StatusSnapshot>& snapshot);
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace lk::web
