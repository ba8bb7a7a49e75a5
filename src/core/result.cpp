#include "core/result.hpp"

namespace lk {

std::string_view to_string(Layer l) {
  switch (l) {
    case Layer::none:
      return "none";
    case Layer::dns:
      return "dns";
    case Layer::connect:
      return "connect";
    case Layer::tls:
      return "tls";
    case Layer::send:
      return "send";
    case Layer::response:
      return "response";
    case Layer::timeout:
      return "timeout";
    case Layer::internal:
      return "internal";
  }
  return "internal";
}

const std::string* Observation::header(std::string_view lower_name) const {
  for (const auto& [name, value] : headers)
    if (name == lower_name) return &value;
  return nullptr;
}

}  // namespace lk
