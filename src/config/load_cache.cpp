#include "config/load_cache.hpp"

#include <stdexcept>

namespace lk::config {

yaml::Node LoadCache::default_value(const Option& option, const std::string& path) {
  auto known = defaults_.find(&option);
  if (known != defaults_.end() && known->second.text.data() == option.default_value.data() &&
      known->second.text.size() == option.default_value.size()) {
    return known->second.node;
  }
  auto it = default_trees_.find(option.default_value);
  if (it == default_trees_.end()) {
    yaml::Tree tree = yaml::parse(std::string(option.default_value));
    if (tree.error()) {
      throw std::logic_error("config: the default of '" + path +
                             "' is not YAML: " + tree.error()->message);
    }
    it = default_trees_.emplace(std::string(option.default_value), std::move(tree)).first;
  }
  defaults_[&option] = Default{option.default_value, it->second.root()};
  return it->second.root();
}

const LoadCache::ParsedCondition& LoadCache::condition(std::string_view text) {
  auto it = conditions_.find(text);
  if (it == conditions_.end()) it = conditions_.emplace(std::string(text), expect::parse(text)).first;
  return it->second;
}

}  // namespace lk::config
