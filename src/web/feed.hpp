#pragma once
// The Atom feed (RFC 4287) of a status page: one entry per incident or maintenance report that
// concerns the page, carrying its latest update, so that people can subscribe without an account.

#include <string>

#include "web/layout.hpp"

namespace lk::web {

/// Entries in a feed, newest update first.
inline constexpr std::size_t kFeedEntries = 50;

/// The feed of the page of `ctx`. Links are absolute when the site has a public URL; ids are
/// stable across renders (the report's page URL, or a urn when there is no public URL).
std::string render_feed(const PageContext& ctx);

}  // namespace lk::web
