#pragma once
// A map from names to values for a handful of entries, such as the locations a check is seen
// from: a std::map there costs a 48-byte header per check and a 32-byte node header per entry.

#include <algorithm>
#include <stdexcept>
#include <string_view>
#include <utility>
#include <vector>

#include "state/shared_text.hpp"

namespace lk::state {

/// Entries sorted by name in a vector that grows one entry at a time (no spare capacity). The
/// interface is the part of std::map's that the engine uses: iteration in name order over
/// pairs (`.first` the name, `.second` the value), find, contains, at, operator[],
/// try_emplace and emplace. Inserting invalidates iterators and references, unlike std::map.
/// Do not change an entry's name through an iterator: the order depends on it.
template <typename Value>
class FlatNameMap {
 public:
  using value_type = std::pair<SharedText, Value>;
  using iterator = typename std::vector<value_type>::iterator;
  using const_iterator = typename std::vector<value_type>::const_iterator;

  iterator begin() { return entries_.begin(); }
  iterator end() { return entries_.end(); }
  const_iterator begin() const { return entries_.begin(); }
  const_iterator end() const { return entries_.end(); }
  std::size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }

  iterator find(std::string_view name) {
    auto it = lower_bound(name);
    return it != entries_.end() && it->first == name ? it : entries_.end();
  }
  const_iterator find(std::string_view name) const {
    return const_cast<FlatNameMap*>(this)->find(name);
  }
  bool contains(std::string_view name) const { return find(name) != end(); }

  Value& at(std::string_view name) {
    auto it = find(name);
    if (it == end()) throw std::out_of_range("FlatNameMap::at: no such name");
    return it->second;
  }
  const Value& at(std::string_view name) const { return const_cast<FlatNameMap*>(this)->at(name); }
  Value& operator[](std::string_view name) { return try_emplace(name).first->second; }

  /// Inserts a default value under `name` unless there is one; true when inserted.
  std::pair<iterator, bool> try_emplace(std::string_view name) {
    auto it = lower_bound(name);
    if (it != entries_.end() && it->first == name) return {it, false};
    return {insert_at(it, SharedText(name), Value{}), true};
  }
  /// The same, sharing the caller's copy of the name.
  std::pair<iterator, bool> try_emplace(const SharedText& name) {
    auto it = lower_bound(name);
    if (it != entries_.end() && it->first == name) return {it, false};
    return {insert_at(it, name, Value{}), true};
  }
  std::pair<iterator, bool> emplace(std::string_view name, Value value) {
    auto it = lower_bound(name);
    if (it != entries_.end() && it->first == name) return {it, false};
    return {insert_at(it, SharedText(name), std::move(value)), true};
  }

 private:
  iterator lower_bound(std::string_view name) {
    return std::lower_bound(
        entries_.begin(), entries_.end(), name,
        [](const value_type& entry, std::string_view key) { return entry.first.view() < key; });
  }

  iterator insert_at(iterator position, SharedText name, Value value) {
    // Exactly one more slot: a check gains a location once, and spare capacity would be paid
    // by every check.
    const auto index = position - entries_.begin();
    entries_.reserve(entries_.size() + 1);
    return entries_.emplace(entries_.begin() + index, std::move(name), std::move(value));
  }

  std::vector<value_type> entries_;
};

}  // namespace lk::state
