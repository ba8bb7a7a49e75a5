#include "web/page_cache.hpp"

#include <cstdio>

namespace lk::web {

namespace {

// Per request compression would cost more than rendering; these bytes are compressed once per
// snapshot, so brotli can afford a high setting (11 takes ~50x longer for ~5% less).
constexpr int kCachedBrotliQuality = 9;
constexpr std::size_t kMinimumCompressedSize = 1024;

std::string fnv1a_tag(std::string_view bytes) {
  std::uint64_t hash = 14695981039346656037ULL;
  for (unsigned char c : bytes) {
    hash ^= c;
    hash *= 1099511628211ULL;
  }
  char buf[24];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(hash));
  return buf;
}

bool is_compressible(std::string_view content_type) {
  return content_type.starts_with("text/") || content_type.starts_with("application/") ||
         content_type.starts_with("image/svg+xml");
}

// True when an If-None-Match value names `tag` in any of its encodings (RFC 9110 weak
// comparison: W/ prefixes do not matter).
bool matches(std::string_view if_none_match, std::string_view tag) {
  while (!if_none_match.empty()) {
    auto comma = if_none_match.find(',');
    auto item = if_none_match.substr(0, comma);
    if_none_match = comma == std::string_view::npos ? "" : if_none_match.substr(comma + 1);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (item == "*") return true;
    if (item.starts_with("W/")) item.remove_prefix(2);
    if (item.size() < 2 || item.front() != '"' || item.back() != '"') continue;
    item = item.substr(1, item.size() - 2);
    if (item.ends_with("-gz") || item.ends_with("-br")) item.remove_suffix(3);
    if (item == tag) return true;
  }
  return false;
}

bool same_snapshot(const std::weak_ptr<const StatusSnapshot>& cached,
                   const std::shared_ptr<const StatusSnapshot>& current) {
  return !cached.owner_before(current) && !current.owner_before(cached);
}

// What a cached page was rendered from: the snapshot's page generation, which stays the same
// across snapshots that change nothing a page shows, or else the snapshot itself.
std::uint64_t key_of(const StatusSnapshot& s) {
  return s.page_generation ? s.page_generation : s.generation;
}

}  // namespace

bool PageCache::fresh(const Entry& e, const std::shared_ptr<const StatusSnapshot>& snapshot) {
  if (e.generation != key_of(*snapshot)) return false;
  // Without a page generation the identity guards against callers that never set generation.
  return snapshot->page_generation != 0 || same_snapshot(e.snapshot, snapshot);
}

RenderedPage::RenderedPage(std::string content_type, std::string body,
                           std::vector<std::pair<std::string, std::string>> headers)
    : content_type_(std::move(content_type)),
      body_(std::move(body)),
      tag_(fnv1a_tag(body_)),
      headers_(std::move(headers)) {}

const std::string& RenderedPage::encoded(ContentCoding coding) const {
  switch (coding) {
    case ContentCoding::identity:
      return body_;
    case ContentCoding::gzip:
      std::call_once(gzip_once_, [this] { gzip_ = gzip(body_); });
      return gzip_;
    case ContentCoding::br:
      std::call_once(br_once_, [this] { br_ = brotli(body_, kCachedBrotliQuality); });
      return br_;
  }
  return body_;
}

Response respond(const Request& request, const RenderedPage& page) {
  Response response;
  response.content_type = page.content_type();
  response.headers = page.headers();
  const bool compressible =
      page.body().size() >= kMinimumCompressedSize && is_compressible(page.content_type());
  const ContentCoding coding =
      compressible ? preferred_coding(request.header("accept-encoding")) : ContentCoding::identity;
  // Each encoding is its own representation with its own strong tag; If-None-Match accepts any
  // of them, since they carry the same bytes.
  std::string etag = "\"" + page.tag();
  etag += coding == ContentCoding::gzip ? "-gz\"" : coding == ContentCoding::br ? "-br\"" : "\"";
  response.headers.emplace_back("ETag", etag);
  // Also what tells compress_if_accepted that the encoding was negotiated here.
  if (compressible) response.headers.emplace_back("Vary", "Accept-Encoding");
  if (matches(request.header("if-none-match"), page.tag())) {
    response.status = 304;
    return response;
  }
  response.body = page.encoded(coding);
  if (coding == ContentCoding::gzip) response.headers.emplace_back("Content-Encoding", "gzip");
  if (coding == ContentCoding::br) response.headers.emplace_back("Content-Encoding", "br");
  return response;
}

std::shared_ptr<const RenderedPage> PageCache::find(
    const std::string& key, const std::shared_ptr<const StatusSnapshot>& snapshot) const {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(key);
  if (it == entries_.end()) return nullptr;
  const Entry& e = it->second;
  return fresh(e, snapshot) ? e.page : nullptr;
}

std::shared_ptr<const RenderedPage> PageCache::store(
    const std::string& key, const std::shared_ptr<const StatusSnapshot>& snapshot,
    std::shared_ptr<const RenderedPage> page) {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(key);
  if (it != entries_.end()) {
    Entry& e = it->second;
    if (e.page->tag() == page->tag() && e.page->body() == page->body() &&
        e.page->headers() == page->headers())
      page = e.page;
    e = Entry{key_of(*snapshot), snapshot, page};
    return page;
  }
  if (entries_.size() >= kMaxEntries) {
    std::erase_if(entries_, [&](const auto& kv) { return !fresh(kv.second, snapshot); });
    if (entries_.size() >= kMaxEntries) entries_.clear();
  }
  entries_.emplace(key, Entry{key_of(*snapshot), snapshot, page});
  return page;
}

std::size_t PageCache::size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

}  // namespace lk::web
