#include "probe/command/process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cerrno>
#include <memory>
#include <optional>

namespace lk::probe::command {

namespace asio = boost::asio;

namespace {

using boost::system::error_code;

void close_fd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

struct Spawned {
  pid_t pid = -1;
  int out = -1;  ///< read ends, ours
  int err = -1;
  int error = 0;
};

/// posix_spawn with stdin from /dev/null, stdout and stderr into fresh pipes, every other
/// descriptor closed, default signal handling and an empty mask, in a new process group.
Spawned spawn(const SpawnSpec& spec) {
  Spawned s;
  int out[2] = {-1, -1}, err[2] = {-1, -1};
  if (::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0) {
    s.error = errno;
    close_fd(out[0]), close_fd(out[1]), close_fd(err[0]), close_fd(err[1]);
    return s;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err[1], 2);
  // Sockets Asio opened without close-on-exec must not leak into plugins.
  posix_spawn_file_actions_addclosefrom_np(&actions, 3);

  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t mask;
  sigemptyset(&mask);
  posix_spawnattr_setsigmask(&attr, &mask);
  sigset_t defaults;
  sigemptyset(&defaults);
  for (int sig : {SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCHLD, SIGUSR1, SIGUSR2, SIGALRM})
    sigaddset(&defaults, sig);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setpgroup(&attr, 0);
  posix_spawnattr_setflags(&attr,
                           POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(spec.program.c_str()));
  for (const auto& a : spec.args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  std::vector<char*> envp;
  for (const auto& e : spec.env) envp.push_back(const_cast<char*>(e.c_str()));
  envp.push_back(nullptr);

  pid_t pid = -1;
  int rc =
      spec.program.find('/') != std::string::npos
          ? ::posix_spawn(&pid, spec.program.c_str(), &actions, &attr, argv.data(), envp.data())
          : ::posix_spawnp(&pid, spec.program.c_str(), &actions, &attr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  close_fd(out[1]);
  close_fd(err[1]);
  if (rc != 0) {
    s.error = rc;
    close_fd(out[0]);
    close_fd(err[0]);
    return s;
  }
  s.pid = pid;
  s.out = out[0];
  s.err = err[0];
  return s;
}

int open_pidfd(pid_t pid) {
#ifdef SYS_pidfd_open
  return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
#else
  (void)pid;
  errno = ENOSYS;
  return -1;
#endif
}

/// One running plugin. Handlers hold it by shared_ptr, so what is still pending after the
/// probe returned (the kill after a timeout) keeps it alive; the last owner reaps the leader.
class Child : public std::enable_shared_from_this<Child> {
 public:
  Child(asio::io_context& io, const Spawned& s, const SpawnSpec& spec)
      : pid_(s.pid),
        wake_(io),
        kill_timer_(io),
        poll_timer_(io),
        pidfd_(io),
        out_(io, s.out, spec.max_stdout),
        err_(io, s.err, spec.max_stderr),
        use_pidfd_(spec.use_pidfd) {}

  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  ~Child() {
    // Still running when the io_context goes away (shutdown): leave no orphan and no zombie.
    if (!reaped_) {
      ::kill(-pid_, SIGKILL);  // safe: the unreaped leader keeps the group ID ours
      int status = 0;
      ::waitpid(pid_, &status, 0);
    }
  }

  void start() {
    read(out_);
    read(err_);
    int fd = use_pidfd_ ? open_pidfd(pid_) : -1;
    if (fd >= 0) {
      error_code ec;
      pidfd_.assign(fd, ec);
      if (ec) ::close(fd);
    }
    if (pidfd_.is_open()) {
      pidfd_.async_wait(asio::posix::stream_descriptor::wait_read,
                        [self = shared_from_this()](const error_code& ec) {
                          if (ec) return;
                          self->peek_exit();
                          if (!self->exited_) self->poll_exit();  // cannot happen; be safe
                          self->progress();
                        });
      peek_exit();  // it may be gone already
    } else {
      poll_exit();
    }
  }

  /// Waits until the plugin exited and closed both pipes, or until the deadline. True when done.
  asio::awaitable<bool> wait(Deadline deadline) {
    while (!done()) {
      wake_.expires_at(deadline);
      error_code ec;
      co_await wake_.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      if (!ec && !done()) co_return false;  // the deadline, not a wake-up
    }
    co_return true;
  }

  /// After a normal end: the leader has exited, reap it.
  void finish() {
    reap();
    error_code ignored;
    pidfd_.close(ignored);
    poll_timer_.cancel();
  }

  /// At the deadline: SIGTERM to the group now, SIGKILL after `grace` unless all is gone.
  void terminate(Duration grace) {
    terminating_ = true;
    ::kill(-pid_, SIGTERM);
    kill_timer_.expires_after(grace);
    kill_timer_.async_wait([self = shared_from_this()](const error_code& ec) {
      if (ec) return;
      self->kill_group();
    });
  }

  ProcessEnd outcome() const {
    ProcessEnd end;
    end.out = out_.text;
    end.err = err_.text;
    end.out_truncated = out_.truncated;
    end.err_truncated = err_.truncated;
    end.leader_exited = exited_;
    end.exit_code = exit_code_;
    end.signal = signal_;
    end.how = signal_ != 0 ? ProcessEnd::How::signaled : ProcessEnd::How::exited;
    return end;
  }

 private:
  struct Stream {
    Stream(asio::io_context& io, int fd, std::size_t max) : descriptor(io, fd), max(max) {}
    asio::posix::stream_descriptor descriptor;
    std::array<char, 4096> chunk{};
    std::string text;
    std::size_t max;
    bool truncated = false;
    bool eof = false;
  };

  bool done() const { return exited_ && out_.eof && err_.eof; }

  void read(Stream& s) {
    s.descriptor.async_read_some(asio::buffer(s.chunk), [self = shared_from_this(), &s](
                                                            const error_code& ec, std::size_t n) {
      std::size_t keep = std::min(n, s.max - s.text.size());
      s.text.append(s.chunk.data(), keep);
      if (keep < n) s.truncated = true;
      if (ec) {
        s.eof = true;
        error_code ignored;
        s.descriptor.close(ignored);
        // Without a pidfd, the end of the output is the likely moment of the exit.
        if (!self->pidfd_.is_open()) self->peek_exit();
        self->progress();
        return;
      }
      self->read(s);
    });
  }

  /// Notes the exit without reaping: an unreaped leader keeps its PID, and so the process
  /// group's ID, from being reused until the group has been killed.
  void peek_exit() {
    if (exited_) return;
    siginfo_t info{};
    if (::waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG | WNOWAIT) == 0) {
      if (info.si_pid != pid_) return;  // still running
      exited_ = true;
      if (info.si_code == CLD_EXITED) {
        exit_code_ = info.si_status;
      } else {
        signal_ = info.si_status;
      }
    } else if (errno == ECHILD) {
      exited_ = true;  // reaped by someone else (SIGCHLD ignored): the status is lost
      reaped_ = true;
      signal_ = 0;
      exit_code_ = -1;
    }
  }

  void poll_exit() {
    peek_exit();
    if (exited_) return;
    poll_delay_ = std::min<Duration>(poll_delay_ * 2, std::chrono::milliseconds{100});
    poll_timer_.expires_after(poll_delay_);
    poll_timer_.async_wait([self = shared_from_this()](const error_code& ec) {
      if (ec) return;
      self->poll_exit();
      self->progress();
    });
  }

  void progress() {
    if (!done()) return;
    wake_.cancel();
    if (terminating_) {
      // Everything we watch is gone; kill whatever of the group is left without output.
      kill_timer_.cancel();
      kill_group();
    }
  }

  void kill_group() {
    if (!reaped_) ::kill(-pid_, SIGKILL);
    // The output no longer matters, and a process that left the group could hold it open.
    error_code ignored;
    out_.descriptor.close(ignored);
    err_.descriptor.close(ignored);
    if (!exited_) return;  // the exit watcher calls back here once SIGKILL has taken effect
    reap();
    pidfd_.close(ignored);
    poll_timer_.cancel();
  }

  void reap() {
    if (reaped_) return;
    int status = 0;
    pid_t r = ::waitpid(pid_, &status, WNOHANG);
    if (r == pid_ || (r < 0 && errno == ECHILD)) reaped_ = true;
  }

  pid_t pid_;
  asio::steady_timer wake_;
  asio::steady_timer kill_timer_;
  asio::steady_timer poll_timer_;
  Duration poll_delay_ = std::chrono::milliseconds{1};
  asio::posix::stream_descriptor pidfd_;
  Stream out_, err_;
  bool use_pidfd_;
  bool exited_ = false;
  bool reaped_ = false;
  bool terminating_ = false;
  int exit_code_ = 0;
  int signal_ = 0;
};

}  // namespace

asio::awaitable<ProcessEnd> run_process(asio::io_context& io, const SpawnSpec& spec,
                                        Deadline deadline) {
  Spawned spawned = spawn(spec);
  if (spawned.pid < 0) {
    ProcessEnd end;
    end.how = ProcessEnd::How::not_started;
    end.spawn_error = spawned.error;
    co_return end;
  }
  auto child = std::make_shared<Child>(io, spawned, spec);
  child->start();
  bool finished = co_await child->wait(deadline);
  if (finished) {
    child->finish();
  } else {
    child->terminate(spec.kill_grace);
  }
  ProcessEnd end = child->outcome();
  if (!finished) end.how = ProcessEnd::How::timed_out;
  co_return end;
}

}  // namespace lk::probe::command
