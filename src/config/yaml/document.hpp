#pragma once
// A compact, read-only YAML document: every node of a file in one vector, scalars as views into
// the file's own text (or into one arena when their value differs from what is written), marks
// as line and column. Built by `parse` from libyaml's events; private to config/.
//
// Nodes are stored in document order (pre-order). A container records where its subtree ends,
// so that its children are found by skipping from one subtree to the next, and an alias records
// the node it refers to: aliases are resolved without copying, so an alias bomb costs nothing
// to hold and is refused by counting (see `Limits`).

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lk::config::yaml {

/// A position in the text, 0-based as libyaml counts it (column in characters).
struct Mark {
  std::uint32_t line = 0;
  std::uint32_t column = 0;
};

enum class Kind : std::uint8_t { null, scalar, sequence, mapping };

/// What the parser refuses so that a small file cannot make reading it expensive.
struct Limits {
  /// Containers nested deeper than this are refused (readers of the tree recurse).
  std::uint32_t max_depth = 1000;
  /// Aliases may repeat at most this many nodes, or `alias_factor` times the nodes written so
  /// far when that is more: enough for any use of anchors as defaults, not for an alias bomb.
  std::uint64_t alias_floor = 1'000'000;
  std::uint64_t alias_factor = 4;
};

/// Why a text is not one the tree can hold: a YAML syntax error, or a limit.
struct SyntaxError {
  Mark mark;
  std::string message;  ///< e.g. "did not find expected ',' or ']' (while parsing ...)"
};

class Tree;

/// A handle to one node of a tree (two words and an index; copy freely). A default-constructed
/// node is absent: it reads as null. A node reached through an alias reads as the anchored
/// node but keeps the mark of the alias, which is where the user wrote it.
class Node {
 public:
  Node() = default;

  bool defined() const { return tree_ != nullptr; }
  Kind kind() const;
  bool is_null() const { return kind() == Kind::null; }
  bool is_scalar() const { return kind() == Kind::scalar; }
  bool is_sequence() const { return kind() == Kind::sequence; }
  bool is_mapping() const { return kind() == Kind::mapping; }
  /// The value of a scalar ("" for anything else).
  std::string_view scalar() const;
  /// True when the scalar's value is written verbatim in the text, starting at `value_column`
  /// of the mark's line: plain, or quoted without escapes, on one line.
  bool is_verbatim() const;
  /// Column (0-based) where a verbatim scalar's value starts: after the quote when quoted.
  std::uint32_t value_column() const;
  Mark mark() const;
  /// Items of a sequence, entries of a mapping, 0 for anything else.
  std::size_t size() const;

  class Children;
  struct Entry;
  class Entries;
  /// The items of a sequence (nothing for anything else).
  Children items() const;
  /// The key/value pairs of a mapping in file order (nothing for anything else).
  Entries entries() const;

 private:
  friend class Tree;
  Node(const Tree* tree, std::uint32_t written);
  /// Index of the node after node `i` and everything under it (for the iterators).
  static std::uint32_t skip(const Tree* tree, std::uint32_t i);

  const Tree* tree_ = nullptr;
  std::uint32_t index_ = 0;    ///< the node read (an alias's target)
  std::uint32_t written_ = 0;  ///< the node as written (the alias itself)
};

/// A parsed text: every document of it, or the syntax error that stopped it. Owns the text.
/// Not copyable, and nodes point into it: keep it in place while they are used.
class Tree {
 public:
  Tree() = default;
  Tree(const Tree&) = delete;
  Tree& operator=(const Tree&) = delete;
  Tree(Tree&&) = default;
  Tree& operator=(Tree&&) = default;

  const std::string& text() const { return text_; }
  /// Set when the text is not valid YAML (or exceeds a limit); the tree is then empty.
  const std::optional<SyntaxError>& error() const { return error_; }
  /// Number of documents in the text (0 for an empty text or only comments).
  std::size_t document_count() const { return roots_.size(); }
  /// The root of document `i`.
  Node document(std::size_t i) const { return Node(this, roots_.at(i)); }
  /// The root of the first document, or a null node when there is none.
  Node root() const { return roots_.empty() ? Node() : document(0); }
  /// Nodes stored (aliases count as one).
  std::size_t node_count() const { return nodes_.size(); }

 private:
  friend class Node;
  friend class Builder;
  friend Tree parse(std::string text, const Limits& limits);

  enum class Stored : std::uint8_t { null, scalar, sequence, mapping, alias };
  enum Flags : std::uint8_t {
    kInArena = 1,  ///< the scalar's bytes are in `arena_`, else in `text_`
    kQuoted = 2,   ///< a verbatim scalar written in quotes
  };
  // 16 bytes: a 100,000-check file has about 1.4 million nodes.
  struct NodeData {
    std::uint32_t line;
    std::uint32_t column : 24;  ///< clamped: a column past 16 million characters reads as that
    std::uint32_t kind : 4;     ///< a `Stored`
    std::uint32_t flags : 4;
    /// scalar: offset of the value in text_ or arena_; container: index just past its
    /// subtree; alias: index of the anchored node.
    std::uint32_t first;
    /// scalar: length of the value; container: items or entries.
    std::uint32_t count;
  };
  static_assert(sizeof(NodeData) == 16);

  const NodeData& at(std::uint32_t i) const { return nodes_[i]; }
  std::uint32_t resolve(std::uint32_t i) const {
    return Stored(nodes_[i].kind) == Stored::alias ? nodes_[i].first : i;
  }
  /// Index of the first node after node i and everything under it.
  std::uint32_t skip(std::uint32_t i) const {
    Stored k = Stored(nodes_[i].kind);
    return k == Stored::sequence || k == Stored::mapping ? nodes_[i].first : i + 1;
  }

  std::string text_;
  std::string arena_;
  std::vector<NodeData> nodes_;
  std::vector<std::uint32_t> roots_;
  std::optional<SyntaxError> error_;
};

/// Parses `text` (UTF-8, or UTF-16 with a byte order mark). Never throws for bad input: a
/// syntax error, an undefined or recursive alias, nesting deeper than `limits.max_depth` and
/// too many nodes repeated by aliases are reported in `error()`. Tags are ignored; a plain
/// untagged `~`, `null`, `Null`, `NULL` or empty value is null.
Tree parse(std::string text, const Limits& limits = {});

class Node::Children {
 public:
  class iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = Node;
    using difference_type = std::ptrdiff_t;
    using pointer = void;
    using reference = Node;

    iterator() = default;
    iterator(const Tree* tree, std::uint32_t at) : tree_(tree), at_(at) {}
    Node operator*() const { return Node(tree_, at_); }
    iterator& operator++() {
      at_ = Node::skip(tree_, at_);
      return *this;
    }
    iterator operator++(int) {
      iterator before = *this;
      ++*this;
      return before;
    }
    bool operator==(const iterator& other) const { return at_ == other.at_; }

   private:
    const Tree* tree_ = nullptr;
    std::uint32_t at_ = 0;
  };

  Children() = default;
  Children(const Tree* tree, std::uint32_t begin, std::uint32_t end)
      : tree_(tree), begin_(begin), end_(end) {}
  iterator begin() const { return {tree_, begin_}; }
  iterator end() const { return {tree_, end_}; }

 private:
  const Tree* tree_ = nullptr;
  std::uint32_t begin_ = 0, end_ = 0;
};

struct Node::Entry {
  Node key;
  Node value;
};

class Node::Entries {
 public:
  class iterator {
   public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = Entry;
    using difference_type = std::ptrdiff_t;
    using pointer = void;
    using reference = Entry;

    iterator() = default;
    iterator(const Tree* tree, std::uint32_t at) : tree_(tree), at_(at) {}
    Entry operator*() const { return {Node(tree_, at_), Node(tree_, Node::skip(tree_, at_))}; }
    iterator& operator++() {
      at_ = Node::skip(tree_, Node::skip(tree_, at_));
      return *this;
    }
    iterator operator++(int) {
      iterator before = *this;
      ++*this;
      return before;
    }
    bool operator==(const iterator& other) const { return at_ == other.at_; }

   private:
    const Tree* tree_ = nullptr;
    std::uint32_t at_ = 0;
  };

  Entries() = default;
  Entries(const Tree* tree, std::uint32_t begin, std::uint32_t end)
      : tree_(tree), begin_(begin), end_(end) {}
  iterator begin() const { return {tree_, begin_}; }
  iterator end() const { return {tree_, end_}; }

 private:
  const Tree* tree_ = nullptr;
  std::uint32_t begin_ = 0, end_ = 0;
};

// Inline: these run for every node of every check.

inline Node::Node(const Tree* tree, std::uint32_t written)
    : tree_(tree), index_(tree->resolve(written)), written_(written) {}

inline std::uint32_t Node::skip(const Tree* tree, std::uint32_t i) {
  return tree->skip(i);
}

inline Kind Node::kind() const {
  if (!tree_) return Kind::null;
  return static_cast<Kind>(tree_->at(index_).kind);  // never an alias once resolved
}

inline std::string_view Node::scalar() const {
  if (!is_scalar()) return {};
  const Tree::NodeData& n = tree_->at(index_);
  const std::string& bytes = (n.flags & Tree::kInArena) ? tree_->arena_ : tree_->text_;
  return std::string_view(bytes).substr(n.first, n.count);
}

inline bool Node::is_verbatim() const {
  return is_scalar() && index_ == written_ && !(tree_->at(index_).flags & Tree::kInArena);
}

inline std::uint32_t Node::value_column() const {
  const Tree::NodeData& n = tree_->at(written_);
  return n.column + ((n.flags & Tree::kQuoted) ? 1 : 0);
}

inline Mark Node::mark() const {
  if (!tree_) return {};
  const Tree::NodeData& n = tree_->at(written_);
  return {n.line, n.column};
}

inline std::size_t Node::size() const {
  Kind k = kind();
  return k == Kind::sequence || k == Kind::mapping ? tree_->at(index_).count : 0;
}

inline Node::Children Node::items() const {
  if (!is_sequence()) return {};
  return {tree_, index_ + 1, tree_->at(index_).first};
}

inline Node::Entries Node::entries() const {
  if (!is_mapping()) return {};
  return {tree_, index_ + 1, tree_->at(index_).first};
}

}  // namespace lk::config::yaml
