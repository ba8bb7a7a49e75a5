#include "probe/probe.hpp"

namespace lk::probe {

std::string timeout_message(Duration after, std::string_view waiting_for) {
  std::string m = "timed out after ";
  m += format_duration(after);
  m += " waiting for ";
  m += waiting_for;
  return m;
}

}  // namespace lk::probe
