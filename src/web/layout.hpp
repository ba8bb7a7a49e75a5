#pragma once
// The frame every public status page shares: document head, branded header with its navigation,
// footer, the URLs of a page's parts, its Content-Security-Policy, and colour arithmetic for the
// branding. The pages themselves (page.cpp, component_page.cpp, report_page.cpp) fill <main>.

#include <array>
#include <optional>
#include <string>
#include <string_view>

#include "web/components.hpp"
#include "web/model.hpp"

namespace lk::web {

/// What a page is rendered from. Rendering depends on nothing else (in particular not on the
/// time of the request), so that the bytes can be cached per snapshot.
struct PageContext {
  const StatusSnapshot& snapshot;
  const SiteSpec& site;
  const StatusPageSpec& page;
  TimePoint as_of;  ///< the snapshot's time (the page's "now")
};

// Where the parts of a page live. Ids are percent-encoded, so any component id or slug works.
std::string page_path(const StatusPageSpec& page);  ///< "/status/<slug>/"
std::string component_path(const StatusPageSpec& page, std::string_view component_id);
std::string report_path(const StatusPageSpec& page, std::int64_t report_id);
std::string history_path(const StatusPageSpec& page);
std::string feed_path(const StatusPageSpec& page);
/// `path` under the site's public URL when it has one, else `path` as it is.
std::string absolute_url(const SiteSpec& site, std::string_view path);

/// Which navigation entry is the current page.
enum class NavItem { status, history, none };

/// Appends everything up to and including the opening <main>: head (title, styles with the
/// page's colours and custom CSS, feed link, live-update script), skip link, header with the
/// logo and title and the navigation. With a `banner`, the page is the page's front page: its
/// title is the <h1> and the banner follows; otherwise the renderer writes its own <h1>.
void open_document(std::string& out, const PageContext& ctx, std::string_view title,
                   NavItem current, const Banner* banner);
/// Appends </main>, the footer (links, time of the data, feed) and the end of the document.
void close_document(std::string& out, const PageContext& ctx);

/// The Content-Security-Policy of the page's documents: nothing but this server, plus the
/// origin of the logo when it is elsewhere.
std::string content_security_policy(const StatusPageSpec& page);

/// The logo's URL when it is safe to use (https:// or http:// with a plain host, a path on this
/// server, or data:image/...); nullopt when there is none or it is not.
std::optional<std::string> logo_source(const StatusPageSpec& page);
/// True for the link targets a page may carry: http(s)://, mailto: and paths on this server.
bool is_safe_link(std::string_view url);

/// An sRGB colour from "#rgb" or "#rrggbb"; nullopt otherwise (so a colour from the config can
/// never smuggle CSS into the page).
std::optional<std::array<int, 3>> parse_hex_color(std::string_view text);
/// WCAG 2 contrast ratio of two colours (1 to 21); 1 when either is not a hex colour.
double contrast_ratio(std::string_view a, std::string_view b);

/// Appends the report's update time as <time>: "2026-11-21 08:35 UTC".
void append_time(std::string& out, TimePoint t);

}  // namespace lk::web
