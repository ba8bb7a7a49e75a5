// The public side of the config: API tokens, components (services as clients see them) and
// status pages. References (a component's checks, a page's components) are checked after
// everything is read, so that every error is reported with its position.

#include "config/site.hpp"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "config/text.hpp"

namespace lk::config {

namespace {

constexpr Option kApiOptions[] = {
    {"tokens", "list", "",
     "Bearer tokens for the REST API, each `{name, token, scope}`; see `api.tokens`."},
    {"public_read", "bool", "",
     "Whether reading the API needs no token. Default: true without tokens, false with them. "
     "Without any token, writes are accepted from loopback only."},
};

constexpr Option kTokenOptions[] = {
    {"name", "string", "", "Who uses the token (shown as the author of what it writes).", true},
    {"token", "string", "",
     "The secret, at least 16 characters; write it as `${LK_API_TOKEN}` to keep it out of the "
     "file.",
     true},
    {"scope", "string", "read", "`read` (GET only) or `write` (also create and change)."},
};

constexpr Option kComponentOptions[] = {
    {"id", "string", "",
     "Unique id used in URLs, badges and the API: lower-case letters, digits, '_' and '-'.", true},
    {"name", "string", "", "Shown on the status page (default: the id)."},
    {"group", "string", "", "Heading the component is listed under, e.g. `Shop`."},
    {"description", "string", "", "A line shown under the component's name."},
    {"checks", "list", "", "The checks the component's state is derived from.", true},
    {"rule", "string", "all",
     "How many of its checks must be down for the component to be down: `all`, `any` or "
     "`k of n` (e.g. `2 of 3`). Fewer down, or any warning, shows it as degraded."},
};

constexpr Option kPageOptions[] = {
    {"slug", "string", "",
     "Unique id of the page: served at /status/SLUG/ (the first page also at /). Lower-case "
     "letters, digits, '_' and '-'.",
     true},
    {"title", "string", "", "Page title (default: the top-level `title`)."},
    {"description", "string", "", "A line under the title."},
    {"logo", "string", "", "Logo image: an https:// URL or a path on this server."},
    {"logo_alt", "string", "", "Text alternative of the logo (default: the title)."},
    {"colors", "map", "", "Brand colours (see `status_pages[].colors`)."},
    {"footer_links", "list", "", "Links in the footer, each `{text, url}`."},
    {"custom_css", "string", "", "CSS appended to the built-in stylesheet."},
    {"css_file", "string", "",
     "A CSS file (relative to the main config file) appended to the built-in stylesheet."},
    {"components", "list", "", "Component ids shown, in this order (default: every component)."},
};

constexpr Option kColorOptions[] = {
    {"accent", "string", "", "Links and highlights, as #rgb or #rrggbb."},
    {"operational", "string", "", "Operational state."},
    {"degraded", "string", "", "Degraded state."},
    {"down", "string", "", "Outage state."},
    {"maintenance", "string", "", "Maintenance state."},
};

constexpr Option kLinkOptions[] = {
    {"text", "string", "", "Link text.", true},
    {"url", "string", "", "http://, https://, mailto: or a path starting with /.", true},
};

// Ids and slugs appear in URLs and CSS: keep them to what needs no escaping anywhere.
bool is_slug(std::string_view s) {
  return !s.empty() && s.size() <= 64 && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

bool is_color(std::string_view s) {
  if (s.size() != 4 && s.size() != 7) return false;
  if (s.front() != '#') return false;
  return std::all_of(s.begin() + 1, s.end(),
                     [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; });
}

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

bool is_link_url(std::string_view url) {
  return starts_with(url, "https://") || starts_with(url, "http://") ||
         starts_with(url, "mailto:") || (starts_with(url, "/") && !starts_with(url, "//"));
}

bool is_logo_url(std::string_view url) {
  return starts_with(url, "https://") || starts_with(url, "http://") ||
         (starts_with(url, "/") && !starts_with(url, "//"));
}

struct Ref {
  SourcePos pos;
  std::string path;
  std::string text;
};

class SiteReader {
 public:
  SiteReader(YamlFields& top, ReadContext context, const std::filesystem::path& config_dir,
             Config& config)
      : top_(top), context_(context), config_dir_(config_dir), config_(config) {}

  void read() {
    read_api();
    read_mapping_list(top_, "components", kComponentOptions, context_,
                      [&](YamlFields& f, yaml::Node) { read_component(f); });
    read_mapping_list(top_, "status_pages", kPageOptions, context_,
                      [&](YamlFields& f, yaml::Node) { read_page(f); });
    resolve();
  }

 private:
  void error(const SourcePos& pos, const std::string& path, std::string message) {
    context_.errors.push_back({pos, path, std::move(message)});
  }

  void read_api() {
    yaml::Node node = top_.node("api");
    if (node.is_null()) return;
    if (!node.is_mapping()) {
      top_.error("api", "expected a mapping such as `{tokens: [...]}`");
      return;
    }
    YamlFields api(node, "api", top_.document(), context_, kApiOptions);
    if (api.has("public_read")) config_.api.public_read = api.boolean("public_read");
    std::map<std::string, SourcePos> names, secrets;
    read_mapping_list(api, "tokens", kTokenOptions, context_, [&](YamlFields& f, yaml::Node) {
      ApiToken t;
      t.name = f.string("name");
      t.token = f.string("token");
      std::string scope = f.string("scope");
      if (scope == "read") {
        t.scope = ApiToken::Scope::read;
      } else if (scope == "write") {
        t.scope = ApiToken::Scope::write;
      } else {
        f.error("scope", "expected read or write, got " + in_quotes(scope));
      }
      if (f.has("name")) {
        if (t.name.empty()) f.error("name", "must not be empty");
        auto [it, fresh] = names.emplace(t.name, f.pos("name"));
        if (!fresh && !t.name.empty())
          f.error("name", "duplicate token name " + in_quotes(t.name) + "; the first is at " +
                              where(it->second));
      }
      // Never quote the secret itself in a message: errors end up in logs and CI output.
      if (f.has("token")) {
        if (t.token.size() < 16) {
          f.error("token", "is " + std::to_string(t.token.size()) +
                               " characters long; use at least 16 random characters (e.g. "
                               "`openssl rand -hex 24`)");
        } else if (auto [it, fresh] = secrets.emplace(t.token, f.pos("token")); !fresh) {
          f.error("token", "is the same secret as the token at " + where(it->second) +
                               "; give each user its own");
        }
      }
      config_.api.tokens.push_back(std::move(t));
    });
    if (config_.api.public_read == false && config_.api.tokens.empty())
      api.error("public_read",
                "is false but no token is configured, so nobody could read the "
                "API; add a token under api.tokens");
    api.finish();
  }

  void unique_id(YamlFields& f, std::string_view key, const std::string& id,
                 std::map<std::string, SourcePos>& seen, std::string_view what) {
    if (!f.has(key)) return;  // reported as missing
    if (!is_slug(id)) {
      f.error(key, "may contain only lower-case letters, digits, '_' and '-' (1 to 64), got " +
                       in_quotes(id));
      return;
    }
    auto [it, fresh] = seen.emplace(id, f.pos(key));
    if (!fresh)
      f.error(key, "duplicate " + std::string(what) + " " + in_quotes(id) + "; the first is at " +
                       where(it->second));
  }

  void read_component(YamlFields& f) {
    ComponentSpec c;
    c.id = f.string("id");
    unique_id(f, "id", c.id, component_ids_, "component id");
    c.name = f.has("name") ? f.string("name") : c.id;
    c.group = f.string("group");
    c.description = f.string("description");
    std::vector<Ref> checks;
    for (auto& item : f.located_strings("checks")) {
      c.checks.push_back(item.text);
      checks.push_back({item.pos(), item.path(), item.text});
    }
    if (f.has("checks") && c.checks.empty()) f.error("checks", "must name at least one check");
    std::string rule = f.string("rule");
    if (auto parsed = parse_component_rule(rule)) {
      c.rule = *parsed;
      if (c.rule.kind == ComponentRule::Kind::at_least &&
          static_cast<std::size_t>(c.rule.n) != c.checks.size() && !c.checks.empty())
        f.error("rule", in_quotes(rule) + " says " + std::to_string(c.rule.n) +
                            " checks, but the component has " + std::to_string(c.checks.size()));
    } else {
      f.error("rule", "expected all, any or `k of n` such as \"2 of 3\", got " + in_quotes(rule));
    }
    component_checks_.push_back(std::move(checks));
    config_.components.push_back(std::move(c));
  }

  void read_page(YamlFields& f) {
    StatusPageSpec p;
    p.slug = f.string("slug");
    unique_id(f, "slug", p.slug, page_slugs_, "page slug");
    p.title = f.has("title") ? f.string("title") : config_.title;
    p.description = f.string("description");
    p.logo_url = f.string("logo");
    if (!p.logo_url.empty() && !is_logo_url(p.logo_url))
      f.error("logo",
              "expected an http(s):// URL or a path starting with /, got " + in_quotes(p.logo_url));
    p.logo_alt = f.has("logo_alt") ? f.string("logo_alt") : p.title;
    read_colors(f, p.colors);
    read_mapping_list(f, "footer_links", kLinkOptions, context_, [&](YamlFields& lf, yaml::Node) {
      PageLink link{lf.string("text"), lf.string("url")};
      if (lf.has("url") && !is_link_url(link.url))
        lf.error("url", "expected http://, https://, mailto: or a path starting with /, got " +
                            in_quotes(link.url));
      p.footer_links.push_back(std::move(link));
    });
    p.custom_css = f.string("custom_css");
    if (f.has("css_file")) read_css_file(f, p.custom_css);
    std::vector<Ref> components;
    for (auto& item : f.located_strings("components")) {
      p.components.push_back(item.text);
      components.push_back({item.pos(), item.path(), item.text});
    }
    page_components_.push_back(std::move(components));
    config_.status_pages.push_back(std::move(p));
  }

  void read_colors(YamlFields& page, PageColors& colors) {
    yaml::Node node = page.node("colors");
    if (node.is_null()) return;
    if (!node.is_mapping()) {
      page.error("colors", "expected a mapping such as `{accent: \"#0b5fff\"}`");
      return;
    }
    YamlFields f(node, page.path("colors"), page.document(), context_, kColorOptions);
    auto color = [&](std::string_view key, std::string& out) {
      out = f.string(key);
      if (!out.empty() && !is_color(out))
        f.error(key, "expected a colour as #rgb or #rrggbb, got " + in_quotes(out));
    };
    color("accent", colors.accent);
    color("operational", colors.operational);
    color("degraded", colors.degraded);
    color("down", colors.down);
    color("maintenance", colors.maintenance);
    f.finish();
  }

  void read_css_file(YamlFields& f, std::string& css) {
    std::string name = f.string("css_file");
    std::filesystem::path path(name);
    if (path.is_relative()) path = config_dir_ / path;
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      f.error("css_file", "cannot read " + in_quotes(path.string()));
      return;
    }
    std::ostringstream text;
    text << in.rdbuf();
    if (!css.empty()) css += "\n";
    css += text.str();
    config_.files.push_back(path.lexically_normal().string());
  }

  void resolve() {
    std::set<std::string_view> checks;
    for (const Check& c : config_.checks) checks.insert(c.spec.name);
    for (const auto& refs : component_checks_)
      for (const Ref& r : refs)
        if (!checks.contains(r.text)) error(r.pos, r.path, "no check named " + in_quotes(r.text));
    for (const auto& refs : page_components_) {
      std::set<std::string_view> seen;
      for (const Ref& r : refs) {
        if (!component_ids_.contains(r.text)) {
          error(r.pos, r.path,
                "no component with id " + in_quotes(r.text) +
                    (config_.components.empty() ? " (define it under `components:`)" : ""));
        } else if (!seen.insert(r.text).second) {
          error(r.pos, r.path, "component " + in_quotes(r.text) + " is listed twice");
        }
      }
    }
  }

  YamlFields& top_;
  ReadContext context_;
  const std::filesystem::path& config_dir_;
  Config& config_;
  std::map<std::string, SourcePos> component_ids_, page_slugs_;
  std::vector<std::vector<Ref>> component_checks_;  ///< per component, in order
  std::vector<std::vector<Ref>> page_components_;   ///< per page, in order
};

}  // namespace

void read_site(YamlFields& top, ReadContext context, const std::filesystem::path& config_dir,
               Config& config) {
  SiteReader(top, context, config_dir, config).read();
}

std::span<const Option> site_section_options(std::string_view section) {
  if (section == "api") return kApiOptions;
  if (section == "api.tokens") return kTokenOptions;
  if (section == "components") return kComponentOptions;
  if (section == "status_pages") return kPageOptions;
  if (section == "status_pages.colors") return kColorOptions;
  if (section == "status_pages.footer_links") return kLinkOptions;
  return {};
}

}  // namespace lk::config
