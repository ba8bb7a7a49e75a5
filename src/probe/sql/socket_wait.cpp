#include "probe/sql/socket_wait.hpp"

#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <memory>

namespace lk::probe::sql {

namespace asio = boost::asio;

namespace {

// Shared with the handlers, which may still be queued (cancelled) when the wait is over.
struct WaitState {
  explicit WaitState(asio::io_context& io) : wake(io), descriptor(io) {}
  asio::steady_timer wake;  ///< expires at the deadline; cancelled when the socket is ready
  asio::posix::stream_descriptor descriptor;
  unsigned ready = 0;
};

}  // namespace

asio::awaitable<unsigned> wait_socket(asio::io_context& io, int fd, unsigned want, MonoTime until) {
  if (fd < 0) co_return kReadable | kWritable;  // no socket: let the library report it
  auto state = std::make_shared<WaitState>(io);
  boost::system::error_code ec;
  state->descriptor.assign(fd, ec);
  if (ec) co_return kReadable | kWritable;
  state->wake.expires_at(until);
  auto on = [state](unsigned what) {
    return [state, what](const boost::system::error_code& error) {
      if (error == asio::error::operation_aborted) return;
      state->ready |= what;
      state->wake.cancel();
    };
  };
  if (want & kReadable)
    state->descriptor.async_wait(asio::posix::stream_descriptor::wait_read, on(kReadable));
  if (want & kWritable)
    state->descriptor.async_wait(asio::posix::stream_descriptor::wait_write, on(kWritable));
  co_await state->wake.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  state->descriptor.cancel(ec);
  state->descriptor.release();
  co_return state->ready;
}

}  // namespace lk::probe::sql
