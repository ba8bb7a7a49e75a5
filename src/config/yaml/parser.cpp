// Building a Tree from libyaml's events: one pass, no recursion, no copy of a scalar that is
// written verbatim in the text.

#include <yaml.h>

#include <algorithm>
#include <cstdio>
#include <limits>
#include <memory>
#include <unordered_map>

#include "config/yaml/document.hpp"

namespace lk::config::yaml {

namespace {

constexpr std::uint32_t kMaxColumn = (1u << 24) - 1;
constexpr std::uint64_t kSaturated = std::numeric_limits<std::uint64_t>::max() / 4;

bool is_null_text(std::string_view value) {
  return value.empty() || value == "~" || value == "null" || value == "Null" || value == "NULL";
}

std::uint64_t saturating_add(std::uint64_t a, std::uint64_t b) {
  return std::min(kSaturated, a + std::min(kSaturated, b));
}

bool starts_with_utf16_bom(std::string_view text) {
  return text.size() >= 2 &&
         ((text[0] == '\xFF' && text[1] == '\xFE') || (text[0] == '\xFE' && text[1] == '\xFF'));
}

// libyaml counts marks in characters; finding a scalar in the text needs its byte offset. Marks
// arrive almost in order, so a cursor that walks from the previous one is cheap.
class ByteOffsets {
 public:
  explicit ByteOffsets(std::string_view text) : text_(text) {
    if (text.substr(0, 3) == "\xEF\xBB\xBF") base_ = 3;  // libyaml does not count the BOM
    byte_ = base_;
    ascii_ = std::all_of(text.begin(), text.end(),
                         [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  }

  std::size_t at(std::size_t char_index) {
    if (ascii_) return base_ + char_index;
    while (char_ < char_index && byte_ < text_.size()) {
      ++byte_;
      while (byte_ < text_.size() && is_continuation(text_[byte_])) ++byte_;
      ++char_;
    }
    while (char_ > char_index && byte_ > base_) {
      --byte_;
      while (byte_ > base_ && is_continuation(text_[byte_])) --byte_;
      --char_;
    }
    return byte_;
  }

 private:
  static bool is_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

  std::string_view text_;
  std::size_t base_ = 0;
  std::size_t byte_ = 0;
  std::size_t char_ = 0;
  bool ascii_ = true;
};

Mark mark_of(const yaml_mark_t& mark) {
  auto line = static_cast<std::uint32_t>(
      std::min<std::size_t>(mark.line, std::numeric_limits<std::uint32_t>::max()));
  auto column = static_cast<std::uint32_t>(std::min<std::size_t>(mark.column, kMaxColumn));
  return {line, column};
}

// A reader error (bad encoding) has a byte offset rather than a mark.
Mark mark_at_byte(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  std::string_view before = text.substr(0, offset);
  std::size_t line_start = before.rfind('\n');
  line_start = line_start == std::string_view::npos ? 0 : line_start + 1;
  auto line = static_cast<std::uint32_t>(std::count(before.begin(), before.end(), '\n'));
  std::uint32_t column = 0;
  for (char c : before.substr(line_start)) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++column;
  }
  return {line, std::min(column, kMaxColumn)};
}

std::string position_text(const yaml_mark_t& mark) {
  return "line " + std::to_string(mark.line + 1) + ", column " + std::to_string(mark.column + 1);
}

SyntaxError libyaml_error(const yaml_parser_t& parser, std::string_view text) {
  std::string problem = parser.problem ? parser.problem : "cannot parse";
  switch (parser.error) {
    case YAML_MEMORY_ERROR:
      return {{}, "out of memory"};
    case YAML_READER_ERROR: {
      if (parser.problem_value != -1) {
        char value[16];
        std::snprintf(value, sizeof value, " #%X", static_cast<unsigned>(parser.problem_value));
        problem += value;
      }
      return {mark_at_byte(text, parser.problem_offset), problem};
    }
    default: {
      Mark at = mark_of(parser.problem_mark);
      if (parser.context) {
        problem += std::string(" (") + parser.context;
        const yaml_mark_t& c = parser.context_mark;
        if (c.line != parser.problem_mark.line || c.column != parser.problem_mark.column) {
          problem += " that starts at " + position_text(c);
        }
        problem += ")";
      }
      return {at, problem};
    }
  }
}

}  // namespace

class Builder {
 public:
  Builder(Tree& tree, const Limits& limits)
      : tree_(tree),
        limits_(limits),
        offsets_(tree.text_),
        offsets_known_(!starts_with_utf16_bom(tree.text_)) {
    // Most of a config's text is node values; a node per four bytes is more than enough, and
    // pages reserved but never written do not count as resident memory.
    tree_.nodes_.reserve(tree_.text_.size() / 4 + 16);
  }

  void run() {
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) {
      fail({{}, "out of memory"});
      return;
    }
    std::unique_ptr<yaml_parser_t, void (*)(yaml_parser_t*)> guard(&parser, yaml_parser_delete);
    yaml_parser_set_input_string(
        &parser, reinterpret_cast<const unsigned char*>(tree_.text_.data()), tree_.text_.size());
    for (;;) {
      yaml_event_t event;
      if (!yaml_parser_parse(&parser, &event)) {
        fail(libyaml_error(parser, tree_.text_));
        return;
      }
      std::unique_ptr<yaml_event_t, void (*)(yaml_event_t*)> event_guard(&event, yaml_event_delete);
      if (event.type == YAML_STREAM_END_EVENT) return;
      if (!on_event(event)) return;
    }
  }

 private:
  using Stored = Tree::Stored;

  struct Open {
    std::uint32_t index;
    std::uint32_t children = 0;
    std::uint64_t expanded = 1;  ///< nodes of the subtree with aliases counted as copies
    std::string anchor;          ///< empty when none
  };
  struct Anchor {
    std::uint32_t index;
    std::uint64_t expanded;
    bool open;  ///< the anchored container is still being read: an alias to it would loop
  };

  bool on_event(const yaml_event_t& event) {
    switch (event.type) {
      case YAML_SCALAR_EVENT:
        return on_scalar(event);
      case YAML_SEQUENCE_START_EVENT:
        return on_start(event, Stored::sequence, event.data.sequence_start.anchor);
      case YAML_MAPPING_START_EVENT:
        return on_start(event, Stored::mapping, event.data.mapping_start.anchor);
      case YAML_SEQUENCE_END_EVENT:
      case YAML_MAPPING_END_EVENT:
        on_end();
        return true;
      case YAML_ALIAS_EVENT:
        return on_alias(event);
      default:  // stream and document start/end: documents are found as nodes at depth 0
        return true;
    }
  }

  bool on_scalar(const yaml_event_t& event) {
    const auto& s = event.data.scalar;
    std::string_view value(reinterpret_cast<const char*>(s.value), s.length);
    bool plain = s.style == YAML_PLAIN_SCALAR_STYLE || s.style == YAML_ANY_SCALAR_STYLE;
    if (plain && !s.tag && is_null_text(value)) {
      auto index = add(event.start_mark, Stored::null, 0, 0, 0);
      if (!index) return false;
      return define(s.anchor, *index, 1);
    }
    bool quoted =
        s.style == YAML_SINGLE_QUOTED_SCALAR_STYLE || s.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE;
    std::string_view text = tree_.text_;
    if (offsets_known_ && (plain || quoted) && value.size() <= text.size()) {
      std::size_t at = offsets_.at(event.start_mark.index) + (quoted ? 1 : 0);
      if (at <= text.size() - value.size() && text.compare(at, value.size(), value) == 0 &&
          value.find('\n') == std::string_view::npos) {
        auto index = add(event.start_mark, Stored::scalar, quoted ? Tree::kQuoted : 0,
                         static_cast<std::uint32_t>(at), static_cast<std::uint32_t>(value.size()));
        return index && define(s.anchor, *index, 1);
      }
    }
    if (tree_.arena_.size() + value.size() > std::numeric_limits<std::uint32_t>::max()) {
      fail({mark_of(event.start_mark), "the document is too large (more than 4 GiB of values)"});
      return false;
    }
    auto at = static_cast<std::uint32_t>(tree_.arena_.size());
    tree_.arena_.append(value);
    auto index = add(event.start_mark, Stored::scalar, Tree::kInArena, at,
                     static_cast<std::uint32_t>(value.size()));
    return index && define(s.anchor, *index, 1);
  }

  bool on_start(const yaml_event_t& event, Stored kind, const yaml_char_t* anchor) {
    if (open_.size() >= limits_.max_depth) {
      fail({mark_of(event.start_mark),
            "nesting deeper than " + std::to_string(limits_.max_depth) + " levels"});
      return false;
    }
    auto index = add(event.start_mark, kind, 0, 0, 0);
    if (!index) return false;
    Open open{*index};
    if (anchor) {
      open.anchor = reinterpret_cast<const char*>(anchor);
      anchors_[open.anchor] = Anchor{*index, 0, true};
    }
    open_.push_back(std::move(open));
    return true;
  }

  void on_end() {
    Open done = std::move(open_.back());
    open_.pop_back();
    Tree::NodeData& node = tree_.nodes_[done.index];
    node.first = static_cast<std::uint32_t>(tree_.nodes_.size());
    node.count = Stored(node.kind) == Stored::mapping ? done.children / 2 : done.children;
    if (!done.anchor.empty()) {
      // A later anchor of the same name may have replaced this one meanwhile.
      auto it = anchors_.find(done.anchor);
      if (it != anchors_.end() && it->second.index == done.index) {
        it->second = Anchor{done.index, done.expanded, false};
      }
    }
    count_in_parent(done.expanded);
  }

  bool on_alias(const yaml_event_t& event) {
    std::string name = reinterpret_cast<const char*>(event.data.alias.anchor);
    auto it = anchors_.find(name);
    if (it == anchors_.end()) {
      fail({mark_of(event.start_mark),
            "alias *" + name + " refers to no anchor &" + name + " defined before it"});
      return false;
    }
    if (it->second.open) {
      fail({mark_of(event.start_mark),
            "alias *" + name + " is inside the node it refers to (a recursive alias)"});
      return false;
    }
    const Anchor target = it->second;
    repeated_ = saturating_add(repeated_, target.expanded);
    std::uint64_t written = tree_.nodes_.size() + 1;
    std::uint64_t limit = std::max(limits_.alias_floor, limits_.alias_factor * written);
    if (repeated_ > limit) {
      fail({mark_of(event.start_mark),
            "aliases repeat more than " + std::to_string(limit) +
                " nodes (an alias bomb?); the limit is " + std::to_string(limits_.alias_floor) +
                " nodes, or " + std::to_string(limits_.alias_factor) +
                " times the nodes written before the alias if that is more"});
      return false;
    }
    auto index = add_node(event.start_mark, Stored::alias, 0, target.index, 0);
    if (!index) return false;
    count_in_parent(target.expanded);
    return true;
  }

  // Appends a scalar, null or container start and counts it in its parent (a container's own
  // size is counted when it ends).
  std::optional<std::uint32_t> add(const yaml_mark_t& mark, Stored kind, std::uint8_t flags,
                                   std::uint32_t first, std::uint32_t count) {
    auto index = add_node(mark, kind, flags, first, count);
    if (index && kind != Stored::sequence && kind != Stored::mapping) count_in_parent(1);
    return index;
  }

  std::optional<std::uint32_t> add_node(const yaml_mark_t& mark, Stored kind, std::uint8_t flags,
                                        std::uint32_t first, std::uint32_t count) {
    if (tree_.nodes_.size() >= std::numeric_limits<std::uint32_t>::max() - 1) {
      fail({mark_of(mark), "the document has too many nodes"});
      return std::nullopt;
    }
    auto index = static_cast<std::uint32_t>(tree_.nodes_.size());
    Mark m = mark_of(mark);
    tree_.nodes_.push_back(
        Tree::NodeData{m.line, m.column, static_cast<std::uint32_t>(kind), flags, first, count});
    if (open_.empty()) {
      tree_.roots_.push_back(index);
    } else {
      ++open_.back().children;
    }
    return index;
  }

  void count_in_parent(std::uint64_t expanded) {
    if (!open_.empty()) open_.back().expanded = saturating_add(open_.back().expanded, expanded);
  }

  bool define(const yaml_char_t* anchor, std::uint32_t index, std::uint64_t expanded) {
    if (anchor) anchors_[reinterpret_cast<const char*>(anchor)] = Anchor{index, expanded, false};
    return true;
  }

  void fail(SyntaxError error) {
    tree_.error_ = std::move(error);
    tree_.nodes_ = {};
    tree_.roots_ = {};
    tree_.arena_ = {};
  }

  Tree& tree_;
  const Limits& limits_;
  ByteOffsets offsets_;
  bool offsets_known_;
  std::vector<Open> open_;
  std::unordered_map<std::string, Anchor> anchors_;
  std::uint64_t repeated_ = 0;  ///< nodes repeated by aliases so far
};

Tree parse(std::string text, const Limits& limits) {
  Tree tree;
  tree.text_ = std::move(text);
  if (tree.text_.size() >= std::numeric_limits<std::uint32_t>::max()) {
    tree.error_ = SyntaxError{{}, "the file is too large (4 GiB or more)"};
    return tree;
  }
  Builder(tree, limits).run();
  return tree;
}

}  // namespace lk::config::yaml
