#include "state/shared_text.hpp"

#include <atomic>
#include <cstdint>
#include <cstring>
#include <limits>
#include <new>
#include <ostream>
#include <stdexcept>

namespace lk::state {

// The characters follow the header in the same allocation.
struct SharedText::Buffer {
  std::atomic<std::uint32_t> holders{1};
  std::uint32_t size = 0;
  std::uint32_t capacity = 0;

  char* text() { return reinterpret_cast<char*>(this + 1); }
  bool only_holder() const { return holders.load(std::memory_order_acquire) == 1; }

  static Buffer* make(std::string_view text) {
    if (text.size() > std::numeric_limits<std::uint32_t>::max() - 64)
      throw std::length_error("SharedText: text too long");
    // Round the allocation up to fill malloc's 16-byte granule (after its 8-byte header), so
    // that a later text a few characters longer still fits in place. It costs no memory.
    const std::size_t wanted = sizeof(Buffer) + text.size();
    const std::size_t allocated = (wanted + 8 + 15) / 16 * 16 - 8;
    auto* buffer = new (::operator new(allocated)) Buffer;
    buffer->size = static_cast<std::uint32_t>(text.size());
    buffer->capacity = static_cast<std::uint32_t>(allocated - sizeof(Buffer));
    std::memcpy(buffer->text(), text.data(), text.size());
    return buffer;
  }
};

SharedText::SharedText(std::string_view text)
    : buffer_(text.empty() ? nullptr : Buffer::make(text)) {}

SharedText::SharedText(const SharedText& other) noexcept : buffer_(other.buffer_) {
  if (buffer_ != nullptr) buffer_->holders.fetch_add(1, std::memory_order_relaxed);
}

SharedText& SharedText::operator=(const SharedText& other) noexcept {
  if (buffer_ == other.buffer_) return *this;
  if (other.buffer_ != nullptr) other.buffer_->holders.fetch_add(1, std::memory_order_relaxed);
  release();
  buffer_ = other.buffer_;
  return *this;
}

SharedText& SharedText::operator=(SharedText&& other) noexcept {
  if (this == &other) return *this;
  release();
  buffer_ = other.buffer_;
  other.buffer_ = nullptr;
  return *this;
}

SharedText& SharedText::operator=(std::string_view text) {
  if (view() == text) return *this;
  if (text.empty()) {
    clear();
  } else if (buffer_ != nullptr && buffer_->only_holder() && text.size() <= buffer_->capacity) {
    std::memmove(buffer_->text(), text.data(), text.size());  // `text` may be part of it
    buffer_->size = static_cast<std::uint32_t>(text.size());
  } else {
    Buffer* fresh = Buffer::make(text);  // before release(): `text` may point into the old one
    release();
    buffer_ = fresh;
  }
  return *this;
}

std::string_view SharedText::view() const noexcept {
  if (buffer_ == nullptr) return {};
  return {buffer_->text(), buffer_->size};
}

void SharedText::release() noexcept {
  if (buffer_ == nullptr) return;
  if (buffer_->holders.fetch_sub(1, std::memory_order_acq_rel) == 1) {
    buffer_->~Buffer();
    ::operator delete(buffer_);
  }
}

std::ostream& operator<<(std::ostream& out, const SharedText& text) {
  return out << text.view();
}

}  // namespace lk::state
