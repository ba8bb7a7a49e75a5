#pragma once
// Running a plugin without blocking the event loop and without a SIGCHLD handler: posix_spawn
// into a process group of its own, stdout and stderr through pipes read by Asio (bounded), the
// exit noticed through a pidfd watched by Asio (or waitid polled on a timer where the kernel has
// no pidfd_open). At the deadline the whole group gets SIGTERM, then SIGKILL after a grace.

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include "core/time.hpp"

namespace lk::probe::command {

struct SpawnSpec {
  std::string program;             ///< path (with a '/') or a name looked up in PATH
  std::vector<std::string> args;   ///< argv[1..], passed as is
  std::vector<std::string> env;    ///< the whole environment, "NAME=value"
  std::size_t max_stdout = 65536;  ///< bytes kept; the rest is read and dropped
  std::size_t max_stderr = 4096;
  Duration kill_grace = std::chrono::seconds{1};  ///< SIGTERM to SIGKILL
  bool use_pidfd = true;  ///< false: poll waitid on a timer, as on kernels before 5.3 (tests)
};

struct ProcessEnd {
  enum class How { exited, signaled, timed_out, not_started };
  How how = How::not_started;
  int exit_code = 0;           ///< exited; also timed_out when `leader_exited`
  int signal = 0;              ///< signaled
  bool leader_exited = false;  ///< timed_out: the program had exited, a child kept its output open
  int spawn_error = 0;         ///< not_started: the errno of posix_spawn (ENOENT, EACCES ...)
  std::string out, err;
  bool out_truncated = false;
  bool err_truncated = false;
};

/// Runs `spec` to completion or until `deadline`. On a timeout the result is returned at the
/// deadline, the process group has been sent SIGTERM, and SIGKILL follows after the grace if
/// anything of it is still there (the io_context keeps that work until it is done).
boost::asio::awaitable<ProcessEnd> run_process(boost::asio::io_context& io, const SpawnSpec& spec,
                                               Deadline deadline);

}  // namespace lk::probe::command
