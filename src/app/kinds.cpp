#include "app/kinds.hpp"

#include <array>

#include "probe/http/http_probe.hpp"
#include "probe/http/settings.hpp"
#include "probe/tcp/tcp_probe.hpp"

namespace lk::app {

namespace {

constexpr std::array<std::string_view, 2> kHttpSchemes{"http", "https"};
constexpr std::array<std::string_view, 1> kTcpSchemes{"tcp"};

const std::array kKinds{
    ProbeKind{"http", kHttpSchemes, "url", false, &probe::http::options, &probe::http::parse,
              &probe::http::make_probe},
    ProbeKind{"tcp", kTcpSchemes, "target", true, &probe::tcp::options, &probe::tcp::parse,
              &probe::tcp::make_probe},
};

}  // namespace

std::span<const ProbeKind> probe_kinds() {
  return kKinds;
}

const ProbeKind* find_kind(std::string_view type) {
  for (const auto& k : kKinds)
    if (k.type == type) return &k;
  return nullptr;
}

std::vector<config::ProbeKindParser> kind_parsers() {
  std::vector<config::ProbeKindParser> out;
  for (const auto& k : kKinds) out.push_back({k.type, k.options(), k.parse});
  return out;
}

}  // namespace lk::app
