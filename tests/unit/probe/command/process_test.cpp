// Running plugins: exit codes and output through the pipes, bounded output, no leaked
// descriptors, exactly the given environment, and a timeout that takes the whole process group
// down (SIGTERM, then SIGKILL for what ignores it) without making the caller wait past it.

#include "probe/command/process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace lk::probe::command {
namespace {

using namespace std::chrono_literals;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

struct Run {
  ProcessEnd end;
  Duration returned_after{};  ///< when run_process handed back its result
  Duration all_done_after{};  ///< when the io_context ran out of work (cleanup included)
};

/// Whether the tests watch exits through a pidfd or by polling waitid (older kernels).
bool g_use_pidfd = true;

Run run(SpawnSpec spec, Duration timeout = 5s) {
  if (spec.env.empty()) spec.env = {"PATH=/usr/bin:/bin"};
  spec.use_pidfd = g_use_pidfd;
  boost::asio::io_context io;
  Run out;
  const auto started = std::chrono::steady_clock::now();
  boost::asio::co_spawn(
      io,
      [&]() -> boost::asio::awaitable<void> {
        out.end = co_await run_process(io, spec, started + timeout);
        out.returned_after = std::chrono::steady_clock::now() - started;
      },
      boost::asio::detached);
  io.run();
  out.all_done_after = std::chrono::steady_clock::now() - started;
  return out;
}

SpawnSpec shell(std::string script) {
  SpawnSpec s;
  s.program = "/bin/sh";
  s.args = {"-c", std::move(script)};
  return s;
}

/// A scratch directory for PID files.
struct Scratch {
  Scratch() {
    char tmpl[] = "/tmp/lk-process-test-XXXXXX";
    path = ::mkdtemp(tmpl);
  }
  ~Scratch() { std::filesystem::remove_all(path); }
  std::string file(std::string_view name) const { return path + "/" + std::string(name); }
  std::string path;
};

std::vector<pid_t> read_pids(const std::string& file) {
  std::vector<pid_t> pids;
  std::ifstream in(file);
  for (pid_t p; in >> p;) pids.push_back(p);
  return pids;
}

/// True once the process is dead: no such PID, or a zombie (a grandchild re-parented to an
/// init that does not reap stays one). Polls for up to two seconds.
bool gone(pid_t pid) {
  for (int i = 0; i < 200; ++i) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    if (!std::getline(stat, line)) return true;
    auto paren = line.rfind(')');
    if (paren != std::string::npos && paren + 2 < line.size() && line[paren + 2] == 'Z')
      return true;
    std::this_thread::sleep_for(10ms);
  }
  return false;
}

class RunProcess : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override { g_use_pidfd = GetParam(); }
  void TearDown() override { g_use_pidfd = true; }
};

TEST_P(RunProcess, ReportsExitCodeStdoutAndStderr) {
  auto r = run(shell("echo 'DISK WARNING - 9% free | /=91%;90;95'; echo oops >&2; exit 1"));
  EXPECT_EQ(r.end.how, ProcessEnd::How::exited);
  EXPECT_EQ(r.end.exit_code, 1);
  EXPECT_EQ(r.end.out, "DISK WARNING - 9% free | /=91%;90;95\n");
  EXPECT_EQ(r.end.err, "oops\n");
  EXPECT_FALSE(r.end.out_truncated);
}

TEST_P(RunProcess, ArgumentsArePassedAsIsWithoutAShell) {
  SpawnSpec s;
  s.program = "/usr/bin/printf";
  s.args = {"[%s]", "a b", "$HOME", "*", "; exit 3"};
  auto r = run(s);
  EXPECT_EQ(r.end.exit_code, 0);
  EXPECT_EQ(r.end.out, "[a b][$HOME][*][; exit 3]");
}

TEST_P(RunProcess, ABareNameIsFoundInPath) {
  SpawnSpec s;
  s.program = "true";
  auto r = run(s);
  EXPECT_EQ(r.end.how, ProcessEnd::How::exited);
  EXPECT_EQ(r.end.exit_code, 0);
}

TEST_P(RunProcess, AMissingProgramIsNotStartedWithItsErrno) {
  SpawnSpec s;
  s.program = "/nonexistent/check_nothing";
  auto r = run(s);
  EXPECT_EQ(r.end.how, ProcessEnd::How::not_started);
  EXPECT_EQ(r.end.spawn_error, ENOENT);
}

TEST_P(RunProcess, TheEnvironmentIsExactlyTheOneGiven) {
  SpawnSpec s;
  s.program = "/usr/bin/env";
  s.env = {"PATH=/bin", "ONLY=this"};
  auto r = run(s);
  EXPECT_EQ(r.end.out, "PATH=/bin\nONLY=this\n");
}

TEST_P(RunProcess, NoDescriptorBeyondStdioLeaksIntoThePlugin) {
  int leaky = ::open("/dev/null", O_RDONLY);  // deliberately without O_CLOEXEC
  ASSERT_GE(leaky, 3);
  auto r = run(shell("ls /proc/$$/fd"));
  ::close(leaky);
  EXPECT_EQ(r.end.out, "0\n1\n2\n");
}

TEST_P(RunProcess, OutputBeyondTheLimitIsReadAndDropped) {
  SpawnSpec s = shell("head -c 300000 /dev/zero | tr '\\0' a; echo done >&2");
  s.max_stdout = 1000;
  auto r = run(s);
  EXPECT_EQ(r.end.how, ProcessEnd::How::exited);
  EXPECT_EQ(r.end.out.size(), 1000u);
  EXPECT_TRUE(r.end.out_truncated);
  EXPECT_EQ(r.end.err, "done\n");
}

TEST_P(RunProcess, ADeathBySignalIsReported) {
  auto r = run(shell("kill -SEGV $$"));
  EXPECT_EQ(r.end.how, ProcessEnd::How::signaled);
  EXPECT_EQ(r.end.signal, SIGSEGV);
}

TEST_P(RunProcess, AHangingPluginIsTimedOutAndItsGroupKilled) {
  Scratch dir;
  auto pids = dir.file("pids");
  SpawnSpec s =
      shell("echo $$ > " + pids + "; sleep 30 & echo $! >> " + pids + "; echo partial; wait");
  auto r = run(s, 500ms);
  EXPECT_EQ(r.end.how, ProcessEnd::How::timed_out);
  EXPECT_FALSE(r.end.leader_exited);
  EXPECT_EQ(r.end.out, "partial\n");
  EXPECT_GE(r.returned_after, 500ms);
  EXPECT_LT(r.returned_after, 1500ms);
  // SIGTERM was enough: the cleanup did not wait for the SIGKILL grace.
  EXPECT_LT(r.all_done_after, 1400ms);
  auto started = read_pids(pids);
  ASSERT_EQ(started.size(), 2u);
  for (pid_t p : started) EXPECT_TRUE(gone(p)) << "pid " << p << " survived";
}

TEST_P(RunProcess, AChildKeepingTheOutputOpenAfterThePluginExitedIsKilledAtTheTimeout) {
  Scratch dir;
  auto pids = dir.file("pids");
  SpawnSpec s = shell("sleep 30 & echo $! > " + pids + "; echo 'OK - looks fine'; exit 0");
  auto r = run(s, 500ms);
  EXPECT_EQ(r.end.how, ProcessEnd::How::timed_out);
  EXPECT_TRUE(r.end.leader_exited);
  EXPECT_EQ(r.end.exit_code, 0);
  EXPECT_LT(r.returned_after, 1500ms);
  auto started = read_pids(pids);
  ASSERT_EQ(started.size(), 1u);
  EXPECT_TRUE(gone(started[0]));
}

TEST_P(RunProcess, WhatIgnoresSigtermGetsSigkillAfterTheGrace) {
  Scratch dir;
  auto pids = dir.file("pids");
  SpawnSpec s = shell("trap '' TERM; echo $$ > " + pids + "; while :; do sleep 0.05; done");
  s.kill_grace = 300ms;
  auto r = run(s, 300ms);
  EXPECT_EQ(r.end.how, ProcessEnd::How::timed_out);
  EXPECT_LT(r.returned_after, 1000ms);  // the result does not wait for the kill
  EXPECT_GE(r.all_done_after, 550ms);   // ... but the cleanup does
  auto started = read_pids(pids);
  ASSERT_EQ(started.size(), 1u);
  EXPECT_TRUE(gone(started[0]));
}

TEST_P(RunProcess, ManyPluginsAtOnceEachGetTheirOwnOutput) {
  boost::asio::io_context io;
  std::vector<ProcessEnd> ends(20);
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  for (std::size_t i = 0; i < ends.size(); ++i) {
    boost::asio::co_spawn(
        io,
        [&, i]() -> boost::asio::awaitable<void> {
          SpawnSpec s = shell("echo " + std::to_string(i) + "; exit " + std::to_string(i % 4));
          s.env = {"PATH=/usr/bin:/bin"};
          s.use_pidfd = g_use_pidfd;
          ends[i] = co_await run_process(io, s, deadline);
        },
        boost::asio::detached);
  }
  io.run();
  for (std::size_t i = 0; i < ends.size(); ++i) {
    EXPECT_EQ(ends[i].how, ProcessEnd::How::exited);
    EXPECT_EQ(ends[i].exit_code, static_cast<int>(i % 4));
    EXPECT_EQ(ends[i].out, std::to_string(i) + "\n");
  }
}

INSTANTIATE_TEST_SUITE_P(ExitWatch, RunProcess, ::testing::Bool(),
                         [](const auto& info) { return info.param ? "Pidfd" : "WaitidPolling"; });

}  // namespace
}  // namespace lk::probe::command
