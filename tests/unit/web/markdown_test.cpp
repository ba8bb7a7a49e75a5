#include "web/markdown.hpp"

#include <gtest/gtest.h>

using namespace lk::web;

TEST(Markdown, RendersTheUsualFormatting) {
  EXPECT_EQ(render_markdown("We are *looking* into **errors** on `checkout`."),
            "<p>We are <em>looking</em> into <strong>errors</strong> on "
            "<code>checkout</code>.</p>\n");
  std::string list = render_markdown("- one\n- two\n");
  EXPECT_NE(list.find("<ul>"), std::string::npos);
  EXPECT_NE(list.find("<li>two</li>"), std::string::npos);
}

TEST(Markdown, ShowsRawHtmlAsText) {
  std::string html = render_markdown(
      "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)> and <b>bold</b>\n");
  EXPECT_EQ(html.find("<script"), std::string::npos) << html;
  EXPECT_EQ(html.find("<img"), std::string::npos) << html;
  EXPECT_EQ(html.find("<b>"), std::string::npos) << html;
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos) << html;
}

TEST(Markdown, KeepsOnlyHttpHttpsAndMailtoLinks) {
  std::string html = render_markdown(
      "[ok](https://example.com/a?b=1&c=2) [mail](mailto:ops@example.com) "
      "[x](javascript:alert(1)) [y](JavaScript&#58;alert(1)) [z](data:text/html,hi) "
      "[v](vbscript:x) [rel](/status/main/)");
  EXPECT_NE(html.find("<a href=\"https://example.com/a?b=1&amp;c=2\""), std::string::npos) << html;
  EXPECT_NE(html.find("<a href=\"mailto:ops@example.com\""), std::string::npos);
  EXPECT_EQ(html.find("javascript:"), std::string::npos) << html;
  EXPECT_EQ(html.find("JavaScript:"), std::string::npos) << html;
  EXPECT_EQ(html.find("data:"), std::string::npos);
  EXPECT_EQ(html.find("vbscript:"), std::string::npos);
  EXPECT_NE(html.find(" x "), std::string::npos) << "a dropped link keeps its text: " << html;
  std::size_t opens = 0, closes = 0;
  for (auto p = html.find("<a "); p != std::string::npos; p = html.find("<a ", p + 1)) ++opens;
  for (auto p = html.find("</a>"); p != std::string::npos; p = html.find("</a>", p + 1)) ++closes;
  EXPECT_EQ(opens, 2u) << html;
  EXPECT_EQ(closes, 2u) << html;
  EXPECT_NE(html.find("rel=\"nofollow ugc noopener\""), std::string::npos);
}

TEST(Markdown, LinksBareUrlsAndAddresses) {
  std::string html = render_markdown("See https://status.example.com or write to ops@example.com");
  EXPECT_NE(html.find("<a href=\"https://status.example.com\""), std::string::npos) << html;
  EXPECT_NE(html.find("<a href=\"mailto:ops@example.com\""), std::string::npos) << html;
}

TEST(Markdown, TurnsImagesIntoTheirAltTextAndHeadingsBelowThePages) {
  std::string html = render_markdown("# Cause\n\n![graph of errors](https://evil.example/x.png)");
  EXPECT_EQ(html.find("<img"), std::string::npos) << html;
  EXPECT_NE(html.find("graph of errors"), std::string::npos);
  EXPECT_NE(html.find("<h4>Cause</h4>"), std::string::npos) << html;
  EXPECT_EQ(html.find("<h1>"), std::string::npos);
}

TEST(Markdown, EscapesAttributeBreakersInLinks) {
  std::string html = render_markdown("[a](https://x.example/\"onmouseover=\"alert(1) \"t\")");
  EXPECT_EQ(html.find("\"onmouseover"), std::string::npos) << html;
}
