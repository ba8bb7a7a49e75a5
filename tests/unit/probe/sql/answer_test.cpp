// How what a query returned becomes what conditions see.

#include <gtest/gtest.h>

#include "probe/sql/settings.hpp"

namespace lk::probe::sql {
namespace {

using namespace std::chrono_literals;

const Metric* metric(const Observation& obs, std::string_view name) {
  for (const auto& m : obs.metrics)
    if (m.name == name) return &m;
  return nullptr;
}

TEST(SqlAnswer, TheFirstValueIsTheBodyAndRowsAndTimesAreMetrics) {
  Answer answer;
  answer.rows = 3;
  answer.columns = {"count"};
  keep_first_row(answer, {std::string("42")});
  Observation obs;
  observe(obs, answer, 12ms, 3ms);
  EXPECT_EQ(obs.body, "42");
  EXPECT_FALSE(obs.body_truncated);
  ASSERT_TRUE(metric(obs, "rows"));
  EXPECT_EQ(metric(obs, "rows")->value, 3);
  EXPECT_EQ(metric(obs, "connect_time")->value, 12);
  EXPECT_EQ(metric(obs, "connect_time")->unit, "ms");
  EXPECT_EQ(metric(obs, "query_time")->value, 3);
}

TEST(SqlAnswer, NullAndNoRowsAreAnEmptyBody) {
  Answer null_value;
  null_value.rows = 1;
  keep_first_row(null_value, {std::nullopt});
  Observation a;
  observe(a, null_value, 1ms, 1ms);
  EXPECT_EQ(a.body, "");

  Observation b;
  observe(b, Answer{}, 1ms, 1ms);
  EXPECT_EQ(b.body, "");
  EXPECT_EQ(metric(b, "rows")->value, 0);
}

TEST(SqlAnswer, AHugeValueIsCut) {
  Answer answer;
  keep_first_row(answer, {std::string(kMaxValue + 10, 'x')});
  Observation obs;
  observe(obs, answer, 1ms, 1ms);
  EXPECT_EQ(obs.body.size(), kMaxValue);
  EXPECT_TRUE(obs.body_truncated);
}

TEST(SqlAnswer, ColumnsAreFoundByAnyOfTheirNamesIgnoringCase) {
  Answer answer;
  answer.columns = {"Slave_IO_Running", "Seconds_Behind_Source"};
  keep_first_row(answer, {std::string("Yes"), std::nullopt});
  const auto* lag = answer.value({"Seconds_Behind_Master", "seconds_behind_source"});
  ASSERT_TRUE(lag);
  EXPECT_FALSE(lag->has_value());  // SQL NULL: replication stopped
  EXPECT_EQ(**answer.value({"slave_io_running"}), "Yes");
  EXPECT_EQ(answer.value({"Last_IO_Error"}), nullptr);
}

TEST(SqlNumber, ReadsWhatServersPrint) {
  EXPECT_EQ(parse_number("12.250000"), 12.25);
  EXPECT_EQ(parse_number("0"), 0);
  EXPECT_EQ(parse_number("-3"), -3);
  EXPECT_EQ(parse_number(""), std::nullopt);
  EXPECT_EQ(parse_number("NULL"), std::nullopt);
  EXPECT_EQ(parse_number("1 day"), std::nullopt);
}

}  // namespace
}  // namespace lk::probe::sql
