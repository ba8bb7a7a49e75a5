#include "web/badge.hpp"

#include <gtest/gtest.h>

#include "web/layout.hpp"

using namespace lk::web;

TEST(Badge, SaysTheStateInWordsOnItsColour) {
  std::string svg = status_badge_svg("Web shop", ComponentState::degraded);
  EXPECT_TRUE(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
  EXPECT_NE(svg.find("aria-label=\"Web shop: degraded\""), std::string::npos);
  EXPECT_NE(svg.find("<title>Web shop: degraded</title>"), std::string::npos);
  EXPECT_NE(svg.find("fill=\"#9a6700\""), std::string::npos);
  EXPECT_NE(svg.find(">degraded</text>"), std::string::npos);
  EXPECT_NE(status_badge_svg("x", ComponentState::down).find(">outage</text>"), std::string::npos);
}

TEST(Badge, ColoursUptimeByThresholds) {
  EXPECT_NE(uptime_badge_svg("30d", 0.9995).find("fill=\"#1a7f37\""), std::string::npos);
  EXPECT_NE(uptime_badge_svg("30d", 0.995).find("fill=\"#9a6700\""), std::string::npos);
  EXPECT_NE(uptime_badge_svg("30d", 0.95).find("fill=\"#cf222e\""), std::string::npos);
  std::string svg = uptime_badge_svg("7d", 0.99996);
  EXPECT_NE(svg.find("<title>uptime 7d: 99.99%</title>"), std::string::npos)
      << "never rounded up to 100%";
  EXPECT_NE(uptime_badge_svg("24h", std::nullopt).find(">no data</text>"), std::string::npos);
}

TEST(Badge, EscapesItsLabelAndGrowsWithIt) {
  std::string svg = status_badge_svg("<b>&", ComponentState::operational);
  EXPECT_EQ(svg.find("<b>"), std::string::npos);
  EXPECT_NE(svg.find("&lt;b&gt;&amp;"), std::string::npos);
  EXPECT_LT(badge_text_width("api"), badge_text_width("a much longer component name"));
  EXPECT_GT(badge_text_width("WWW"), badge_text_width("iii"));
}

TEST(Badge, KeepsWhiteTextReadableOnEveryColour) {
  for (auto state : {ComponentState::operational, ComponentState::degraded, ComponentState::down,
                     ComponentState::maintenance, ComponentState::no_data})
    EXPECT_GE(contrast_ratio("#ffffff", badge_color(state)), 4.5) << state_word(state);
  EXPECT_GE(contrast_ratio("#ffffff", "#555555"), 4.5) << "the label";
}
