// The defaults of the Store's status-report and pause operations, for stores that keep no
// status reports (test fakes of other modules): they say so rather than pretend to succeed.
#include "store/store.hpp"

#include <stdexcept>

namespace lk::store {

namespace {
[[noreturn]] void unsupported(const char* what) {
  throw std::logic_error(std::string("this store does not keep ") + what);
}
}  // namespace

StatusReport Store::save_report(StatusReport) {
  unsupported("status reports");
}
StatusReport Store::add_report_update(std::int64_t, ReportUpdate) {
  unsupported("status reports");
}
bool Store::delete_report(std::int64_t) {
  unsupported("status reports");
}
std::vector<StatusReport> Store::status_reports(const ReportQuery&) {
  return {};
}
std::optional<StatusReport> Store::status_report(std::int64_t) {
  return std::nullopt;
}
void Store::pause_check(CheckPause) {
  unsupported("check pauses");
}
bool Store::resume_check(std::string_view) {
  unsupported("check pauses");
}
std::vector<CheckPause> Store::paused_checks() {
  return {};
}

}  // namespace lk::store
