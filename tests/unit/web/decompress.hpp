#pragma once
// Undoing what the server compressed, for the tests that compare it with the plain bytes.

#include <brotli/decode.h>
#include <gtest/gtest.h>
#include <zlib.h>

#include <cstdint>
#include <string>

namespace lk::web::testing {

inline constexpr std::size_t kMaxDecompressed = 4 << 20;

inline std::string gunzip(const std::string& compressed) {
  z_stream stream{};
  EXPECT_EQ(inflateInit2(&stream, 15 + 16), Z_OK);
  std::string out(kMaxDecompressed, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
  stream.avail_in = static_cast<uInt>(compressed.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(inflate(&stream, Z_FINISH), Z_STREAM_END);
  out.resize(stream.total_out);
  inflateEnd(&stream);
  return out;
}

inline std::string unbrotli(const std::string& compressed) {
  std::string out(kMaxDecompressed, '\0');
  std::size_t size = out.size();
  EXPECT_EQ(BrotliDecoderDecompress(compressed.size(),
                                    reinterpret_cast<const std::uint8_t*>(compressed.data()), &size,
                                    reinterpret_cast<std::uint8_t*>(out.data())),
            BROTLI_DECODER_RESULT_SUCCESS);
  out.resize(size);
  return out;
}

}  // namespace lk::web::testing
