#pragma once
// Text that copies share instead of duplicating. The state engine keeps, per check, the latest
// message both at the location that sent it and at the check, and the name of every location
// the check is seen from; at 100,000 checks each std::string copy costs 3 to 6 MB.

#include <cstddef>
#include <iosfwd>
#include <string>
#include <string_view>

namespace lk::state {

/// An immutable string held through one pointer; copies share the buffer (the reference count
/// is atomic, so copies may live on other threads), and the empty text holds no memory.
class SharedText {
 public:
  SharedText() = default;
  explicit SharedText(std::string_view text);
  SharedText(const SharedText& other) noexcept;
  SharedText(SharedText&& other) noexcept : buffer_(other.buffer_) { other.buffer_ = nullptr; }
  SharedText& operator=(const SharedText& other) noexcept;
  SharedText& operator=(SharedText&& other) noexcept;
  /// Sets the text. While this is the buffer's only holder and the text fits, the buffer is
  /// rewritten in place: a message that changes on every result (a latency) does not allocate.
  SharedText& operator=(std::string_view text);
  ~SharedText() { release(); }

  std::string_view view() const noexcept;
  operator std::string_view() const noexcept { return view(); }
  std::string str() const { return std::string(view()); }
  bool empty() const noexcept { return buffer_ == nullptr; }
  std::size_t size() const noexcept { return view().size(); }
  /// Lets go of the text (and of the buffer, for the last holder).
  void clear() noexcept {
    release();
    buffer_ = nullptr;
  }

  friend bool operator==(const SharedText& a, const SharedText& b) noexcept {
    return a.buffer_ == b.buffer_ || a.view() == b.view();
  }
  friend bool operator==(const SharedText& a, std::string_view b) noexcept { return a.view() == b; }

 private:
  struct Buffer;
  void release() noexcept;

  Buffer* buffer_ = nullptr;  ///< null for the empty text; otherwise never holds an empty one
};

std::ostream& operator<<(std::ostream& out, const SharedText& text);

}  // namespace lk::state
