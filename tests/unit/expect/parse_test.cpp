// Parsing: what is accepted, and what is refused with which offset and message.

#include <gtest/gtest.h>

#include "expect/expect.hpp"
#include "test_support.hpp"

namespace lk::expect {
namespace {

TEST(ExpectParse, AcceptsEveryDocumentedForm) {
  const char* accepted[] = {
      "status == 200",
      "status==200",
      "  status != 404  ",
      "status in [200, 204]",
      "status in 200..299",
      "status not in [500,502 , 503]",
      "body contains \"ok\"",
      "body contains 'ok'",
      "body contains \"say \\\"hi\\\" \\\\ bye\"",
      "body ~ \"ok\"",
      "body !~ \"error\"",
      "body not contains \"error\"",
      "body matches \"v[0-9]+\"",
      "body matches \"v\\d+\"",
      "body not matches \"^<html\"",
      "body.size < 64KiB",
      "body.size <= 1MiB",
      "body.size > 10KB",
      "body.size < 1MB",
      "body.size < 1000",
      "body.size in 1B..2kb",
      "latency < 800ms",
      "latency < 1.5s",
      "latency <= 1h30m",
      "latency in 100ms..800ms",
      "latency.dns < 50ms",
      "latency.connect < 100ms",
      "latency.tls < 200ms",
      "latency.first_byte < 500ms",
      "cert.expires_in > 14d",
      "header.content-type contains \"json\"",
      "header.Content-Type~\"json\"",
      "header.x-version in [\"1\", \"2\"]",
      "metric.rows >= 1",
      "metric.disk.used < 0.9",
      "metric.temperature > -5",
      "json.status == \"up\"",
      "body.json.status == \"up\"",
      "json.items[0].id == 3",
      "json.items[-1].id != 3",
      "json.\"weird key\".x == true",
      "json.'odd' == null",
      "json.ratio >= 0.25",
      "json.delta > -1.5",
      "json.tags contains \"prod\"",
      "json.count in 1..10",
      "json.state in [\"up\", 1, true, null]",
      "json.name matches \"^a\"",
      "json == null",
  };
  for (const char* text : accepted) {
    auto parsed = parse(text);
    if (auto* error = std::get_if<ParseError>(&parsed))
      ADD_FAILURE() << "'" << text << "': " << error->message << " at offset " << error->offset;
  }
}

TEST(ExpectParse, KeepsTheTrimmedTextForMessages) {
  EXPECT_EQ(testing::must_parse("  status == 200 \n").text(), "status == 200");
}

struct RefusedCase {
  const char* text;
  std::size_t offset;
  const char* message;  ///< the message must contain this
};

TEST(ExpectParse, RefusesBadConditionsAtTheOffendingToken) {
  const RefusedCase cases[] = {
      {"", 0, "empty condition"},
      {"   ", 3, "empty condition"},
      {"speed < 3", 0,
       "unknown subject 'speed': expected one of status, body, body.size, latency, latency.dns"},
      {"latency.foo < 3ms", 8, "unknown subject 'latency.foo'"},
      {"cert < 3d", 0, "unknown subject 'cert'"},
      {"header == \"x\"", 0, "header needs a name: write header.<name>"},
      {"metric > 1", 0, "metric needs a name: write metric.<name>, e.g. metric.rows"},
      {"json.items[x] == 1", 10, "expected an array index such as [0]"},
      {"latency < 200", 10, "latency is a duration: write 200ms"},
      {"  latency < 200", 12, "latency is a duration: write 200ms"},
      {"cert.expires_in > 14", 18, "cert.expires_in is a duration: write 14d"},
      {"latency < \"fast\"", 10, "latency is a duration such as 800ms"},
      {"status contains \"x\"", 7, "status is a number: contains works on strings"},
      {"status matches \"x\"", 7, "status is a number: matches works on strings"},
      {"latency ~ \"x\"", 8, "latency is a duration: contains works on strings"},
      {"body < 3", 5, "body is a string: < compares numbers"},
      {"header.server >= \"a\"", 14, "header.server is a string: >= compares numbers"},
      {"status == \"200\"", 10, "status is a number, got a string"},
      {"status == 2s", 10, "status is a number, got a duration"},
      {"metric.rows > true", 14, "metric.rows is a number, got a boolean"},
      {"body.size < 5s", 12, "body.size is a size in bytes: write a number or a size"},
      {"header.x == 3", 12, "header.x is a string: write \"3\" in quotes"},
      {"json.x < \"a\"", 9, "ordering compares numbers, got a string"},
      {"json.x == 5s", 10, "json.x is a JSON value: compare it with a number"},
      {"body matches \"(ab\"", 17, "invalid regex \"(ab\": missing closing parenthesis"},
      {"body matches 3", 13, "expected a regex in quotes after 'matches'"},
      {"body contains \"ok", 14, "unterminated string: missing closing \""},
      {"body contains 'ok", 14, "unterminated string: missing closing '"},
      {"status == 200 300", 14, "expected end of condition after the value, got '300'"},
      {"status == 200 @", 14, "unexpected character '@'"},
      {"status = 200", 7, "write '==' to compare"},
      {"status is 200", 7, "expected an operator (==, !=, <"},
      {"status", 6, "expected an operator"},
      {"status ==", 9, "expected a value"},
      {"status == ]", 10, "expected a value"},
      {"status not equals 200", 11, "expected in, contains or matches after 'not'"},
      {"status in [200, 204", 19, "expected ',' or ']' in the list, got end of condition"},
      {"status in 200", 13, "expected '..' for a range such as 200..299"},
      {"status in 299..200", 10, "empty range"},
      {"body in \"a\"..\"b\"", 8, "body is a string: write a list"},
      {"json.x in \"a\"..\"b\"", 10, "a range needs numbers, sizes or durations"},
      {"json.x in 1..\"b\"", 13, "a range needs both ends of the same kind"},
      {"latency < 5xy", 10, "'5xy' is not a number, a duration (800ms, 1.5s, 14d) or a size"},
      {"latency < -5ms", 10, "is not a number, a duration"},
      {"7 == status", 0, "expected a subject such as status"},
  };
  for (const auto& c : cases) {
    auto parsed = parse(c.text);
    auto* error = std::get_if<ParseError>(&parsed);
    if (error == nullptr) {
      ADD_FAILURE() << "'" << c.text << "' parsed but should not";
      continue;
    }
    EXPECT_EQ(error->offset, c.offset) << c.text << ": " << error->message;
    EXPECT_NE(error->message.find(c.message), std::string::npos)
        << c.text << "\n  message: " << error->message << "\n  expected to contain: " << c.message;
  }
}

TEST(ExpectParse, WrongTypeMessageIsExact) {
  auto parsed = parse("latency < 200");
  ASSERT_TRUE(std::holds_alternative<ParseError>(parsed));
  EXPECT_EQ(std::get<ParseError>(parsed).message, "latency is a duration: write 200ms");
}

TEST(ExpectParse, UnknownSubjectListsEveryValidSubject) {
  auto parsed = parse("speed < 3");
  ASSERT_TRUE(std::holds_alternative<ParseError>(parsed));
  const auto& message = std::get<ParseError>(parsed).message;
  for (const char* subject :
       {"status", "body", "body.size", "latency", "latency.dns", "latency.connect", "latency.tls",
        "latency.first_byte", "cert.expires_in", "header.<name>", "metric.<name>", "json.<path>"})
    EXPECT_NE(message.find(subject), std::string::npos) << subject;
}

TEST(ExpectParse, CopiesShareTheCompiledForm) {
  Condition original = testing::must_parse("status == 200");
  Condition copy = original;
  EXPECT_EQ(copy.text(), original.text());
  EXPECT_TRUE(evaluate(copy, testing::http_answer(200), testing::kNow).passed);
}

}  // namespace
}  // namespace lk::expect
