// Plugin output by the Monitoring Plugins guidelines: the summary line, long text, and
// performance data on the first line and after the '|' of the long text.

#include "probe/command/plugin_output.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace lk::probe::command {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

TEST(PluginOutput, OneLineWithPerformanceDataGivesSummaryAndMetrics) {
  auto out = parse_plugin_output(
      "PING ok - Packet loss = 0%, RTA = 0.80 ms | percent_packet_loss=0 rta=0.80ms\n");
  EXPECT_EQ(out.summary, "PING ok - Packet loss = 0%, RTA = 0.80 ms");
  EXPECT_THAT(out.long_text, IsEmpty());
  ASSERT_THAT(out.perfdata.values, SizeIs(2));
  EXPECT_EQ(out.perfdata.values[0].label, "percent_packet_loss");
  EXPECT_EQ(out.perfdata.values[0].value, 0);
  EXPECT_EQ(out.perfdata.values[1].label, "rta");
  EXPECT_DOUBLE_EQ(out.perfdata.values[1].value, 0.80);
  EXPECT_EQ(out.perfdata.values[1].unit, "ms");
  EXPECT_THAT(out.perfdata.problems, IsEmpty());
}

// The multi-line example of the guidelines: perfdata on the first line, long text, and
// perfdata again from the '|' of the last long text line to the end.
TEST(PluginOutput, GuidelinesMultiLineExampleKeepsEveryPerformanceValue) {
  auto out = parse_plugin_output(
      "DISK OK - free space: / 3326 MB (56%); | /=2643MB;5948;5958;0;5968\n"
      "/ 15272 MB (77%);\n"
      "/boot 68 MB (69%);\n"
      "/home 69357 MB (27%);\n"
      "/var/log 819 MB (84%); | /boot=68MB;88;93;0;98\n"
      "/home=69357MB;253404;253409;0;253414 \n"
      "/var/log=818MB;970;975;0;980\n");
  EXPECT_EQ(out.summary, "DISK OK - free space: / 3326 MB (56%);");
  EXPECT_EQ(out.long_text,
            "/ 15272 MB (77%);\n/boot 68 MB (69%);\n/home 69357 MB (27%);\n/var/log 819 MB (84%);");
  ASSERT_THAT(out.perfdata.values, SizeIs(4));
  const auto& root = out.perfdata.values[0];
  EXPECT_EQ(root.label, "/");
  EXPECT_EQ(root.value, 2643);
  EXPECT_EQ(root.unit, "MB");
  EXPECT_EQ(root.warn, "5948");
  EXPECT_EQ(root.crit, "5958");
  EXPECT_EQ(root.min, 0);
  EXPECT_EQ(root.max, 5968);
  EXPECT_EQ(out.perfdata.values[1].label, "/boot");
  EXPECT_EQ(out.perfdata.values[2].label, "/home");
  EXPECT_EQ(out.perfdata.values[2].value, 69357);
  EXPECT_EQ(out.perfdata.values[3].label, "/var/log");
  EXPECT_EQ(out.perfdata.values[3].max, 980);
  EXPECT_THAT(out.perfdata.problems, IsEmpty());
}

TEST(PluginOutput, LongTextWithoutPerformanceDataIsKeptAsText) {
  auto out = parse_plugin_output("WARNING - 2 of 3 up\nweb1 up\nweb2 up\nweb3 down\n");
  EXPECT_EQ(out.summary, "WARNING - 2 of 3 up");
  EXPECT_EQ(out.long_text, "web1 up\nweb2 up\nweb3 down");
  EXPECT_THAT(out.perfdata.values, IsEmpty());
}

TEST(PluginOutput, CarriageReturnsAndMissingFinalNewlineAreTolerated) {
  auto out = parse_plugin_output("OK - fine|t=1s\r\nmore\r\n");
  EXPECT_EQ(out.summary, "OK - fine");
  EXPECT_EQ(out.long_text, "more");
  ASSERT_THAT(out.perfdata.values, SizeIs(1));
  EXPECT_EQ(out.perfdata.values[0].unit, "s");

  EXPECT_EQ(parse_plugin_output("OK").summary, "OK");
  EXPECT_EQ(parse_plugin_output("").summary, "");
}

TEST(PerfData, QuotedLabelsMayHoldSpacesEqualsAndDoubledQuotes) {
  auto perf = parse_perfdata("'used space'=5GB;8;9;0;10 'it''s'=3 'a=b'=1");
  ASSERT_THAT(perf.values, SizeIs(3));
  EXPECT_EQ(perf.values[0].label, "used space");
  EXPECT_EQ(perf.values[0].unit, "GB");
  EXPECT_EQ(perf.values[1].label, "it's");
  EXPECT_EQ(perf.values[2].label, "a=b");
  EXPECT_THAT(perf.problems, IsEmpty());
}

TEST(PerfData, UnitsThresholdRangesAndEmptyFieldsAreKeptAsPrinted) {
  auto perf =
      parse_perfdata("load1=0.52;@5:10;~:20;; bytes=-12.5KiB;;;0KiB; odd=1KB;;;0MB hits=123c");
  ASSERT_THAT(perf.values, SizeIs(3));
  EXPECT_DOUBLE_EQ(perf.values[0].value, 0.52);
  EXPECT_EQ(perf.values[0].unit, "");
  EXPECT_EQ(perf.values[0].warn, "@5:10");
  EXPECT_EQ(perf.values[0].crit, "~:20");
  EXPECT_FALSE(perf.values[0].min.has_value());
  EXPECT_DOUBLE_EQ(perf.values[1].value, -12.5);
  EXPECT_EQ(perf.values[1].unit, "KiB");
  EXPECT_EQ(perf.values[1].warn, "");
  EXPECT_EQ(perf.values[1].min, 0);
  EXPECT_EQ(perf.values[2].unit, "c");
  // min with a unit other than the value's is a problem, but the other values stay.
  EXPECT_THAT(perf.problems, ElementsAre(HasSubstr("malformed min")));
}

TEST(PerfData, UndeterminedValuesAreSkippedSilently) {
  auto perf = parse_perfdata("a=U b=2");
  ASSERT_THAT(perf.values, SizeIs(1));
  EXPECT_EQ(perf.values[0].label, "b");
  EXPECT_THAT(perf.problems, IsEmpty());
}

TEST(PerfData, MalformedItemsAreNamedAndSkippedWhileGoodOnesStay) {
  struct Case {
    std::string text;
    std::string problem;
  } cases[] = {
      {"novalue", "is not label=value"},
      {"=5", "empty label"},
      {"x=abc", "no numeric value"},
      {"x=", "no numeric value"},
      {"x=nan", "no numeric value"},
      {"y=1;2;3;4;5;6", "more than value;warn;crit;min;max"},
      {"'unterminated=5", "unterminated quoted label"},
      {"'q'5", "no '=' after its label"},
      {"v=1.2.3", "malformed value"},
      {"m=1;;;x", "malformed min"},
      {"m=1;;;;y", "malformed max"},
  };
  for (const auto& c : cases) {
    auto perf = parse_perfdata("good=1 " + c.text + " fine=2");
    EXPECT_THAT(perf.problems, ElementsAre(HasSubstr(c.problem))) << c.text;
    ASSERT_THAT(perf.values, SizeIs(2)) << c.text;
    EXPECT_EQ(perf.values[0].label, "good");
    EXPECT_EQ(perf.values[1].label, "fine");
  }
}

TEST(PluginText, BinaryAndInvalidUtf8AreNotPluginText) {
  EXPECT_FALSE(first_non_text("OK - all fine\n\twith tabs\r\n").has_value());
  EXPECT_FALSE(first_non_text("Temperatur \xc3\xbc"
                              "ber 40 \xe2\x82\xac \xf0\x9f\x94\xa5")
                   .has_value());
  EXPECT_EQ(first_non_text(std::string("OK\0x", 4)), 2u);
  EXPECT_EQ(first_non_text("ab\x1b[31m"), 2u);
  EXPECT_EQ(first_non_text("ab\xff"), 2u);
  EXPECT_EQ(first_non_text("ab\xc3"), 2u);         // truncated sequence
  EXPECT_EQ(first_non_text("\xc0\xaf"), 0u);       // overlong '/'
  EXPECT_EQ(first_non_text("x\xe0\x80\xaf"), 1u);  // overlong three-byte form
  EXPECT_EQ(first_non_text("x\xed\xa0\x80"), 1u);  // surrogate
}

}  // namespace
}  // namespace lk::probe::command
