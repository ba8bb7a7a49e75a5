#include "web/feed.hpp"

#include <expat.h>
#include <gtest/gtest.h>

#include <map>

#include "site_fixtures.hpp"

using namespace std::chrono;
using namespace lk;
using namespace lk::web;
using namespace lk::web::testing;

namespace {

const TimePoint kNow = TimePoint{seconds{1'795'219'200}} + hours{8};

/// The elements of an XML document, as a real parser saw them: "/feed/entry/id" -> texts.
struct Parsed {
  bool well_formed = false;
  std::string error;
  std::string root_namespace;
  std::multimap<std::string, std::string> texts;
  std::multimap<std::string, std::map<std::string, std::string>> attributes;
  std::size_t count(const std::string& path) const { return attributes.count(path); }
  std::string text(const std::string& path) const {
    auto it = texts.find(path);
    return it == texts.end() ? "" : it->second;
  }
};

Parsed parse_xml(const std::string& xml) {
  struct State {
    Parsed out;
    std::vector<std::string> path;
    std::string text;
  } state;
  XML_Parser parser = XML_ParserCreateNS("utf-8", ' ');
  XML_SetUserData(parser, &state);
  XML_SetElementHandler(
      parser,
      [](void* data, const XML_Char* name, const XML_Char** attrs) {
        auto& s = *static_cast<State*>(data);
        std::string full = name;
        auto space = full.find(' ');
        if (s.path.empty()) s.out.root_namespace = full.substr(0, space);
        s.path.push_back(space == std::string::npos ? full : full.substr(space + 1));
        std::string path;
        for (const auto& p : s.path) path += "/" + p;
        std::map<std::string, std::string> a;
        for (int i = 0; attrs[i]; i += 2) a[attrs[i]] = attrs[i + 1];
        s.out.attributes.emplace(path, a);
        s.text.clear();
      },
      [](void* data, const XML_Char*) {
        auto& s = *static_cast<State*>(data);
        std::string path;
        for (const auto& p : s.path) path += "/" + p;
        s.out.texts.emplace(path, s.text);
        s.text.clear();
        s.path.pop_back();
      });
  XML_SetCharacterDataHandler(parser, [](void* data, const XML_Char* text, int len) {
    static_cast<State*>(data)->text.append(text, static_cast<std::size_t>(len));
  });
  state.out.well_formed = XML_Parse(parser, xml.data(), static_cast<int>(xml.size()), 1) != 0;
  if (!state.out.well_formed) state.out.error = XML_ErrorString(XML_GetErrorCode(parser));
  XML_ParserFree(parser);
  return state.out;
}

StatusSnapshot site_with_reports() {
  StatusSnapshot s;
  s.generated_at = kNow;
  add_check(s.checks, make_check("web1", State::ok, kNow));
  auto site = std::make_shared<SiteSpec>();
  site->components = {make_component("web", {"web1"})};
  StatusPageSpec page;
  page.slug = "main";
  page.title = "Acme & Co";
  page.components = {"web"};
  site->pages = {page};
  s.site = site;
  StatusReport open =
      make_report(7, "Checkout <errors>", ReportState::identified, kNow - hours{1}, {"web"});
  open.updates[0].message = "We **know** why.\x01 (a stray control character)";
  open.updated_at = kNow - minutes{10};
  StatusReport maintenance =
      make_report(6, "Database upgrade", ReportState::scheduled, kNow - days{1});
  maintenance.starts_at = kNow + days{1};
  StatusReport elsewhere =
      make_report(5, "Other client", ReportState::resolved, kNow - days{2}, {"mail"});
  s.reports = {open, maintenance, elsewhere};
  return s;
}

}  // namespace

TEST(Feed, IsWellFormedAtomWithAnEntryPerReportOfThePage) {
  StatusSnapshot s = site_with_reports();
  std::string xml = render_feed(PageContext{s, *s.site, s.site->pages[0], kNow});
  Parsed feed = parse_xml(xml);
  ASSERT_TRUE(feed.well_formed) << feed.error << "\n" << xml;
  EXPECT_EQ(feed.root_namespace, "http://www.w3.org/2005/Atom");
  EXPECT_EQ(feed.text("/feed/title"), "Acme & Co status");
  EXPECT_EQ(feed.text("/feed/id"), "urn:lightkeeper:status-page:main");
  EXPECT_EQ(feed.text("/feed/updated"), format_time(kNow - minutes{10})) << "the newest entry";
  EXPECT_EQ(feed.text("/feed/author/name"), "Acme & Co");
  EXPECT_EQ(feed.count("/feed/entry"), 2u) << "not the other client's report";
  EXPECT_EQ(feed.count("/feed/entry/id"), 2u);
  EXPECT_EQ(feed.count("/feed/entry/title"), 2u);
  EXPECT_EQ(feed.count("/feed/entry/updated"), 2u);
  EXPECT_EQ(feed.text("/feed/entry/title"), "Identified: Checkout <errors>");
  EXPECT_EQ(feed.text("/feed/entry/id"), "urn:lightkeeper:report:7");
  std::string content = feed.text("/feed/entry/content");
  EXPECT_NE(content.find("We <strong>know</strong> why."), std::string::npos) << content;
  auto link = feed.attributes.find("/feed/entry/link")->second;
  EXPECT_EQ(link["href"], "/status/main/incidents/7");
  EXPECT_EQ(link["rel"], "alternate");
}

TEST(Feed, LinksAbsolutelyUnderThePublicUrl) {
  StatusSnapshot s = site_with_reports();
  const_cast<SiteSpec&>(*s.site).public_url = "https://status.acme.example/";
  Parsed feed = parse_xml(render_feed(PageContext{s, *s.site, s.site->pages[0], kNow}));
  ASSERT_TRUE(feed.well_formed) << feed.error;
  EXPECT_EQ(feed.text("/feed/id"), "https://status.acme.example/status/main/");
  EXPECT_EQ(feed.text("/feed/entry/id"), "https://status.acme.example/status/main/incidents/7");
  bool self = false;
  for (auto [it, end] = feed.attributes.equal_range("/feed/link"); it != end; ++it)
    if (it->second.at("rel") == "self")
      self = it->second.at("href") == "https://status.acme.example/status/main/feed.atom";
  EXPECT_TRUE(self);
}

TEST(Feed, IsValidWithoutReports) {
  StatusSnapshot s = site_with_reports();
  s.reports.clear();
  Parsed feed = parse_xml(render_feed(PageContext{s, *s.site, s.site->pages[0], kNow}));
  ASSERT_TRUE(feed.well_formed) << feed.error;
  EXPECT_EQ(feed.count("/feed/entry"), 0u);
  EXPECT_EQ(feed.text("/feed/updated"), format_time(kNow));
}
