#include "config/load_cache.hpp"

namespace lk::config {

const yaml::Tree& LoadCache::default_value(const Option& option) {
  Default* slot = nullptr;
  for (auto& [address, known] : defaults_) {
    if (address != &option) continue;
    if (known.text.data() == option.default_value.data() &&
        known.text.size() == option.default_value.size()) {
      return *known.tree;
    }
    slot = &known;  // another option now lives at this address
    break;
  }
  auto it = default_trees_.find(option.default_value);
  if (it == default_trees_.end()) {
    it = default_trees_
             .emplace(std::string(option.default_value),
                      yaml::parse(std::string(option.default_value)))
             .first;
  }
  Default parsed{option.default_value, &it->second};
  if (slot) {
    *slot = parsed;
  } else {
    defaults_.emplace_back(&option, parsed);
  }
  return it->second;
}

const LoadCache::ParsedCondition& LoadCache::condition(std::string_view text) {
  auto it = conditions_.find(text);
  if (it == conditions_.end())
    it = conditions_.emplace(std::string(text), expect::parse(text)).first;
  return it->second;
}

}  // namespace lk::config
