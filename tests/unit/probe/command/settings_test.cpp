// The command check's config: what it keeps, the mistakes it names, and its URL form for
// `lightkeeper check`.

#include "probe/command/settings.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "../kind_config.hpp"
#include "config/config.hpp"

namespace lk::probe::command {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Pair;

using Loaded = test::LoadedCheck<Settings>;

Loaded load(std::string_view fields) {
  const config::ProbeKindParser kinds[] = {{"command", options(), &parse}};
  return test::load_check<Settings>(kinds, "command", fields);
}

TEST(CommandSettings, KeepsProgramArgumentsAndEnvironmentAsWritten) {
  auto r = load(
      "    command: /usr/lib/nagios/plugins/check_disk\n"
      "    args: [-w, 10%, -c, 5%, -p, /]\n"
      "    env: {LANG: de_DE.UTF-8, SECRET: \"a b\"}\n");
  ASSERT_THAT(r.errors, IsEmpty());
  const auto& check = r.config->checks.front();
  const auto& s = check.spec.settings_as<Settings>();
  EXPECT_EQ(s.program, "/usr/lib/nagios/plugins/check_disk");
  EXPECT_THAT(s.args, ElementsAre("-w", "10%", "-c", "5%", "-p", "/"));
  EXPECT_THAT(s.env, ElementsAre(Pair("LANG", "de_DE.UTF-8"), Pair("SECRET", "a b")));
  EXPECT_EQ(s.max_output, 64u * 1024);
  EXPECT_EQ(check.spec.target, "/usr/lib/nagios/plugins/check_disk -w 10% -c 5% -p /");
}

TEST(CommandSettings, TargetQuotesArgumentsAShellWouldSplit) {
  std::string args[] = {"-e", "it's here", "$HOME"};
  EXPECT_EQ(display_command("check_x", args), "check_x -e 'it'\\''s here' '$HOME'");
}

TEST(CommandSettings, NamesEachMistake) {
  struct Case {
    std::string fields;
    std::string error;
  } cases[] = {
      {"    args: [-H, x]\n", "checks[0].command: missing required field"},
      {"    command: \"\"\n", "is empty"},
      {"    command: check_disk -w 10%\n", "contains spaces: `command` is the program only"},
      {"    command: plugins/check_disk\n", "is a relative path"},
      {"    command: check_disk\n    env: {\"BAD-NAME\": x}\n", "not an environment variable name"},
      {"    command: check_disk\n    max_output: 10\n", "must be between 1KiB and 16MiB"},
      {"    command: check_disk\n    shell: true\n", "shell"},
  };
  for (const auto& c : cases) {
    auto r = load(c.fields);
    EXPECT_FALSE(r.config) << c.fields;
    EXPECT_THAT(r.errors, ElementsAre(HasSubstr(c.error))) << c.fields;
  }
}

TEST(CommandSettings, BareProgramNameIsLookedUpInPath) {
  auto r = load("    command: check_dummy\n    args: [\"0\", fine]\n");
  ASSERT_THAT(r.errors, IsEmpty());
  EXPECT_EQ(r.settings().program, "check_dummy");
}

TEST(CommandUrl, ProgramFromThePathArgumentsFromRepeatedArgInOrder) {
  auto f =
      from_url("command:///usr/lib/nagios/plugins/check_tcp?arg=-H&arg=127.0.0.1&arg=-p&arg=22");
  EXPECT_EQ(f.error, "");
  EXPECT_THAT(f.scalars, ElementsAre(Pair("command", "/usr/lib/nagios/plugins/check_tcp")));
  ASSERT_EQ(f.lists.size(), 1u);
  EXPECT_EQ(f.lists[0].first, "args");
  EXPECT_THAT(f.lists[0].second, ElementsAre("-H", "127.0.0.1", "-p", "22"));
}

TEST(CommandUrl, PercentEscapesAreDecodedAndPlusIsKept) {
  auto f = from_url("command:///opt/my%20plugins/check_x?arg=a%26b&arg=%2B5&arg=+1&arg=");
  EXPECT_EQ(f.error, "");
  EXPECT_THAT(f.scalars, ElementsAre(Pair("command", "/opt/my plugins/check_x")));
  EXPECT_THAT(f.lists[0].second, ElementsAre("a&b", "+5", "+1", ""));
}

TEST(CommandUrl, RefusesFormsItCannotRun) {
  EXPECT_THAT(from_url("command://host/usr/lib/check_x").error, HasSubstr("three slashes"));
  EXPECT_THAT(from_url("command:///").error, HasSubstr("no plugin"));
  EXPECT_THAT(from_url("command:///bin/x?shell=1").error, HasSubstr("unknown parameter \"shell\""));
  EXPECT_THAT(from_url("command:///bin/x?arg=%zz").error, HasSubstr("bad query item"));
}

}  // namespace
}  // namespace lk::probe::command
