#include "expect/literal.hpp"

#include <array>
#include <charconv>

#include "core/time.hpp"

namespace lk::expect {

namespace {

struct SizeUnit {
  std::string_view name;  ///< lower case; units are matched case-insensitively
  double bytes;
};

constexpr std::array<SizeUnit, 9> kSizeUnits{{
    {"b", 1},
    {"kb", 1e3},
    {"kib", 1024.0},
    {"mb", 1e6},
    {"mib", 1024.0 * 1024},
    {"gb", 1e9},
    {"gib", 1024.0 * 1024 * 1024},
    {"tb", 1e12},
    {"tib", 1024.0 * 1024 * 1024 * 1024},
}};

std::optional<double> size_unit(std::string_view unit) {
  if (unit.size() > 3) return std::nullopt;
  char lower[3] = {};
  for (std::size_t i = 0; i < unit.size(); ++i) {
    char c = unit[i];
    lower[i] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  std::string_view folded(lower, unit.size());
  for (const auto& size : kSizeUnits)
    if (size.name == folded) return size.bytes;
  return std::nullopt;
}

}  // namespace

std::string_view describe(Literal::Kind kind) {
  switch (kind) {
    case Literal::Kind::null:
      return "null";
    case Literal::Kind::boolean:
      return "a boolean";
    case Literal::Kind::number:
      return "a number";
    case Literal::Kind::size:
      return "a size";
    case Literal::Kind::duration:
      return "a duration";
    case Literal::Kind::string:
      return "a string";
  }
  return "a value";
}

std::optional<Literal> read_number_literal(std::string_view text) {
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  double value = 0;
  auto [number_end, error] = std::from_chars(begin, end, value);
  if (error != std::errc{} || number_end == begin) return std::nullopt;
  std::string_view unit(number_end, static_cast<std::size_t>(end - number_end));

  Literal literal;
  if (unit.empty()) {
    literal.kind = Literal::Kind::number;
    literal.number = value;
    return literal;
  }
  if (text.front() == '-') return std::nullopt;  // negative sizes and durations mean nothing
  if (auto bytes = size_unit(unit)) {
    literal.kind = Literal::Kind::size;
    literal.number = value * *bytes;
    return literal;
  }
  if (auto duration = parse_duration(text)) {
    literal.kind = Literal::Kind::duration;
    literal.duration = *duration;
    return literal;
  }
  return std::nullopt;
}

}  // namespace lk::expect
