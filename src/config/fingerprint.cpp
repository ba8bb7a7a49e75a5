#include "config/fingerprint.hpp"

#include <algorithm>
#include <utility>
#include <vector>

#include "config/env.hpp"
#include "config/text.hpp"

namespace lk::config {

std::string canonical_text(const YAML::Node& node, const EnvLookup& env) {
  switch (node.Type()) {
    case YAML::NodeType::Scalar: {
      // A value whose ${VAR} cannot be resolved is already an error; its raw text will do.
      auto substituted = substitute_env(node.Scalar(), env);
      if (auto* text = std::get_if<std::string>(&substituted)) return in_quotes(*text);
      return in_quotes(node.Scalar());
    }
    case YAML::NodeType::Sequence: {
      std::string out = "[";
      for (std::size_t i = 0; i < node.size(); ++i) {
        if (i > 0) out += ',';
        out += canonical_text(node[i], env);
      }
      return out + "]";
    }
    case YAML::NodeType::Map: {
      std::vector<std::pair<std::string, std::string>> entries;
      for (auto it = node.begin(); it != node.end(); ++it) {
        std::string key =
            it->first.IsScalar() ? in_quotes(it->first.Scalar()) : canonical_text(it->first, env);
        entries.emplace_back(std::move(key), canonical_text(it->second, env));
      }
      std::stable_sort(entries.begin(), entries.end(),
                       [](const auto& a, const auto& b) { return a.first < b.first; });
      std::string out = "{";
      for (std::size_t i = 0; i < entries.size(); ++i) {
        if (i > 0) out += ',';
        out += entries[i].first + ":" + entries[i].second;
      }
      return out + "}";
    }
    default:
      return "~";
  }
}

}  // namespace lk::config
