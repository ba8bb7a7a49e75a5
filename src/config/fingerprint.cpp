#include "config/fingerprint.hpp"

#include <algorithm>
#include <charconv>
#include <functional>
#include <variant>

#include "config/env.hpp"

namespace lk::config {

std::string_view Fingerprinter::canonical_text(yaml::Node node, const EnvLookup& env) {
  out_.clear();
  complex_keys_.clear();
  append(node, env);
  return out_;
}

std::string Fingerprinter::fingerprint(yaml::Node node, const EnvLookup& env) {
  // std::hash differs between standard libraries, which is fine for values never stored.
  std::uint64_t hash = std::hash<std::string_view>{}(canonical_text(node, env));
  static constexpr char kDigits[] =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";
  std::string out(11, '0');  // 11 characters: short enough to need no allocation
  for (char& c : out) {
    c = kDigits[hash & 63];
    hash >>= 6;
  }
  return out;
}

void Fingerprinter::append_scalar(std::string_view text) {
  char length[24];
  auto [end, ec] = std::to_chars(length, length + sizeof length, text.size());
  out_ += 's';
  out_.append(length, end);
  out_ += ':';
  out_ += text;
}

void Fingerprinter::append(yaml::Node node, const EnvLookup& env) {
  switch (node.kind()) {
    case yaml::Kind::null:
      out_ += '~';
      return;
    case yaml::Kind::scalar: {
      std::string_view raw = node.scalar();
      if (raw.find('$') == std::string_view::npos) return append_scalar(raw);
      // A value whose ${VAR} cannot be resolved is already an error; its raw text will do.
      auto substituted = substitute_env(raw, env);
      auto* text = std::get_if<std::string>(&substituted);
      return append_scalar(text ? std::string_view(*text) : raw);
    }
    case yaml::Kind::sequence:
      out_ += '[';
      for (yaml::Node item : node.items()) append(item, env);
      out_ += ']';
      return;
    case yaml::Kind::mapping: {
      const std::size_t base = entries_.size();
      std::uint32_t order = 0;
      for (auto [key, value] : node.entries()) {
        if (key.is_scalar()) {
          entries_.push_back({key.scalar(), false, order++, value});
          continue;
        }
        std::size_t start = out_.size();
        append(key, env);
        const std::string& text = complex_keys_.emplace_back(out_.substr(start));
        out_.resize(start);
        entries_.push_back({text, true, order++, value});
      }
      std::sort(entries_.begin() + static_cast<std::ptrdiff_t>(base), entries_.end(),
                [](const Entry& a, const Entry& b) {
                  if (a.complex != b.complex) return !a.complex;
                  if (a.key != b.key) return a.key < b.key;
                  return a.order < b.order;
                });
      out_ += '{';
      for (std::size_t i = base; i < entries_.size(); ++i) {
        Entry entry = entries_[i];  // a copy: appending the value may grow entries_
        if (entry.complex) {
          out_ += entry.key;
        } else {
          append_scalar(entry.key);
        }
        append(entry.value, env);
      }
      out_ += '}';
      entries_.resize(base);
      return;
    }
  }
}

}  // namespace lk::config
