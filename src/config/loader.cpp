// Loading: files, includes, the top level and error ordering.

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <deque>
#include <filesystem>
#include <set>
#include <variant>

#include "config/alerting.hpp"
#include "config/check_parser.hpp"
#include "config/config.hpp"
#include "config/load_cache.hpp"
#include "config/settings.hpp"
#include "config/site.hpp"
#include "config/text.hpp"
#include "config/yaml_fields.hpp"

namespace lk::config {

namespace {

namespace fs = std::filesystem;

struct ReadFailure {
  std::string reason;  ///< strerror text
};

std::variant<std::string, ReadFailure> read_text(const fs::path& path) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) return ReadFailure{std::strerror(EISDIR)};
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (!file) return ReadFailure{std::strerror(errno)};
  std::string text;
  // Read straight into a string of the file's size: a large config is not copied as it grows.
  if (auto size = fs::file_size(path, ec); !ec) text.reserve(size);
  char buffer[65536];
  std::size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, file)) > 0) text.append(buffer, n);
  bool failed = std::ferror(file) != 0;
  int read_errno = errno;
  std::fclose(file);
  if (failed) return ReadFailure{std::strerror(read_errno)};
  return text;
}

fs::path identity(const fs::path& path) {
  std::error_code ec;
  fs::path canonical = fs::weakly_canonical(path, ec);
  return ec ? path.lexically_normal() : canonical;
}

bool is_yaml_file(const fs::directory_entry& entry) {
  std::error_code ec;
  if (!entry.is_regular_file(ec)) return false;
  std::string extension = entry.path().extension().string();
  return extension == ".yaml" || extension == ".yml";
}

class Loader {
 public:
  Loader(std::span<const ProbeKindParser> kinds, const EnvLookup& env,
         const Config* previous = nullptr)
      : kinds_(kinds), env_(env), context_{env_, errors_, &cache_} {
    if (previous) {
      previous_.reserve(previous->checks.size());
      for (const Check& check : previous->checks) previous_.emplace(check.spec.name, &check);
    }
  }

  LoadResult load_main(std::string file, std::string text, bool read_from_disk) {
    const Document& doc = add_document(std::move(file), std::move(text));
    if (read_from_disk) config_.files.push_back(doc.file);
    fs::path id = identity(doc.file);
    loaded_.insert(id);
    stack_.push_back({id, doc.file});

    if (auto root = parse_yaml(doc)) {
      YamlFields top(*root, "", doc, context_, {top_level_options()});
      std::error_code ec;
      fs::path config_dir = fs::absolute(fs::path(doc.file), ec).parent_path();
      read_settings(top, config_dir, config_);
      read_checks(top, doc);
      read_includes(top, doc);
      config_.alerting.public_url = config_.public_url;
      read_alerting(top, context_, config_.checks, config_.alerting);
      read_site(top, context_, config_dir, config_);
      top.finish();
    }
    return finish();
  }

  LoadResult unreadable_main(const std::string& file, const ReadFailure& failure) {
    errors_.push_back({{file, 0, 0}, "", "cannot read config file: " + failure.reason});
    return finish();
  }

 private:
  struct IncludeFrame {
    fs::path id;       ///< canonical path, to recognise the file however it is named
    std::string file;  ///< the name used in messages
  };

  // Parses the text at once: the document keeps only the tree, which owns the text.
  const Document& add_document(std::string file, std::string text) {
    return documents_.emplace_back(Document{std::move(file), yaml::parse(std::move(text))});
  }

  // The document's root mapping; a null node for an empty file; nothing when it is not YAML
  // or not a mapping (reported).
  std::optional<yaml::Node> parse_yaml(const Document& doc) {
    const yaml::Tree& tree = doc.tree;
    if (const auto& failure = tree.error()) {
      errors_.push_back({position(doc, failure->mark), "", "invalid YAML: " + failure->message});
      return std::nullopt;
    }
    if (tree.document_count() == 0) return yaml::Node();
    if (tree.document_count() > 1) {
      errors_.push_back({position(doc, tree.document(1).mark()), "",
                         "only one YAML document per file is allowed (remove the '---')"});
    }
    yaml::Node root = tree.root();
    if (!root.is_mapping() && !root.is_null()) {
      errors_.push_back(
          {position(doc, root.mark()), "",
           "expected a mapping of settings (listen:, checks:, ...) at the top level"});
      return std::nullopt;
    }
    return root;
  }

  void read_checks(YamlFields& fields, const Document& doc) {
    yaml::Node list = fields.node("checks");
    if (list.is_null()) return;
    if (!list.is_sequence()) {
      fields.error("checks", "expected a list of checks (each starting with '- name:')");
      return;
    }
    // Grow geometrically: many included files must not each reallocate the whole list.
    std::vector<Check>& checks = config_.checks;
    if (checks.capacity() < checks.size() + list.size()) {
      checks.reserve(std::max(checks.size() + list.size(), 2 * checks.capacity()));
    }
    names_.reserve(checks.size() + list.size());
    std::size_t i = 0;
    for (yaml::Node item : list.items()) {
      std::string path = "checks[" + std::to_string(i++) + "]";
      if (auto same = reuse_check(item, doc, context_, previous_, names_)) {
        checks.push_back(std::move(*same));
        continue;
      }
      if (auto check = parse_check(item, path, doc, context_, kinds_, names_)) {
        checks.push_back(std::move(*check));
      }
    }
  }

  void read_includes(YamlFields& fields, const Document& doc) {
    const fs::path base = fs::path(doc.file).parent_path();
    for (const LocatedText& item : fields.located_strings("include")) {
      if (item.text.empty()) {
        errors_.push_back({item.pos(), item.path(), "expected a file or directory path, got \"\""});
        continue;
      }
      fs::path target = fs::path(item.text);
      if (target.is_relative()) target = base / target;
      target = target.lexically_normal();
      std::error_code ec;
      if (!fs::is_directory(target, ec)) {
        include_file(target, item);
        continue;
      }
      std::vector<fs::path> files;
      for (const auto& entry : fs::directory_iterator(target, ec)) {
        if (is_yaml_file(entry)) files.push_back(entry.path());
      }
      if (ec) {
        errors_.push_back(
            {item.pos(), item.path(),
             "cannot list directory " + in_quotes(target.string()) + ": " + ec.message()});
        continue;
      }
      std::sort(files.begin(), files.end(),
                [](const fs::path& a, const fs::path& b) { return a.filename() < b.filename(); });
      for (const fs::path& file : files) include_file(file, item);
    }
  }

  void include_file(const fs::path& file, const LocatedText& from) {
    fs::path id = identity(file);
    auto on_stack = std::find_if(stack_.begin(), stack_.end(),
                                 [&](const IncludeFrame& frame) { return frame.id == id; });
    if (on_stack != stack_.end()) {
      std::string chain;
      for (auto it = on_stack; it != stack_.end(); ++it) chain += it->file + " -> ";
      errors_.push_back({from.pos(), from.path(), "include cycle: " + chain + file.string()});
      return;
    }
    // A file reached twice without a cycle (two includes of one directory, say) is read once.
    if (!loaded_.insert(id).second) return;

    auto text = read_text(file);
    if (auto* failure = std::get_if<ReadFailure>(&text)) {
      errors_.push_back({from.pos(), from.path(),
                         "cannot read " + in_quotes(file.string()) + ": " + failure->reason});
      return;
    }
    const Document& doc = add_document(file.string(), std::get<std::string>(std::move(text)));
    config_.files.push_back(doc.file);
    auto root = parse_yaml(doc);
    if (!root) return;

    YamlFields fields(*root, "", doc, context_, {top_level_options()});
    for (const Option& option : top_level_options()) {
      if (option.key == "checks" || option.key == "include" || !fields.has(option.key)) continue;
      fields.error(option.key,
                   "allowed only in the main config file; an included file may "
                   "contain only checks and include");
      fields.mark_handled(option.key);
    }
    read_checks(fields, doc);
    stack_.push_back({id, doc.file});
    read_includes(fields, doc);
    stack_.pop_back();
    fields.finish();
  }

  // Errors in file order: by file (in the order files were read, which is include order),
  // then by position; errors at one position keep the order they were found in.
  LoadResult finish() {
    auto file_rank = [&](const std::string& file) {
      for (std::size_t i = 0; i < documents_.size(); ++i) {
        if (documents_[i].file == file) return i;
      }
      return std::size_t{0};
    };
    std::stable_sort(errors_.begin(), errors_.end(), [&](const Error& a, const Error& b) {
      auto ra = file_rank(a.pos.file), rb = file_rank(b.pos.file);
      if (ra != rb) return ra < rb;
      if (a.pos.line != b.pos.line) return a.pos.line < b.pos.line;
      return a.pos.column < b.pos.column;
    });
    LoadResult result;
    result.errors = std::move(errors_);
    if (result.errors.empty()) result.config = std::make_shared<const Config>(std::move(config_));
    return result;
  }

  std::span<const ProbeKindParser> kinds_;
  const EnvLookup& env_;
  std::vector<Error> errors_;
  LoadCache cache_;
  ReadContext context_;
  std::deque<Document> documents_;  // deque: readers keep references to documents
  Config config_;
  NameRegistry names_;
  PreviousChecks previous_;  // the running config's checks, on a reload
  std::set<fs::path> loaded_;
  std::vector<IncludeFrame> stack_;
};

}  // namespace

LoadResult load_file(const std::string& path, std::span<const ProbeKindParser> kinds,
                     const EnvLookup& env, const Config* previous) {
  Loader loader(kinds, env, previous);
  auto text = read_text(path);
  if (auto* failure = std::get_if<ReadFailure>(&text))
    return loader.unreadable_main(path, *failure);
  return loader.load_main(path, std::get<std::string>(std::move(text)), true);
}

LoadResult load_string(std::string_view yaml, const std::string& file_name,
                       std::span<const ProbeKindParser> kinds, const EnvLookup& env) {
  Loader loader(kinds, env);
  return loader.load_main(file_name, std::string(yaml), false);
}

}  // namespace lk::config
