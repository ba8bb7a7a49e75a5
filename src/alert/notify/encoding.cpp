#include "alert/notify/encoding.hpp"

#include <algorithm>

#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace lk::alert {
namespace {

constexpr char kHex[] = "0123456789abcdef";
constexpr char kHexUpper[] = "0123456789ABCDEF";

bool unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

std::string encode(std::string_view text, bool space_as_plus) {
  std::string out;
  out.reserve(text.size());
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    if (unreserved(c)) {
      out += ch;
    } else if (c == ' ' && space_as_plus) {
      out += '+';
    } else {
      out += '%';
      out += kHexUpper[c >> 4];
      out += kHexUpper[c & 0x0f];
    }
  }
  return out;
}

}  // namespace

std::string percent_encode(std::string_view text) {
  return encode(text, false);
}

std::string form_encode(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string out;
  for (const auto& [name, value] : fields) {
    if (!out.empty()) out += '&';
    out += encode(name, true);
    out += '=';
    out += encode(value, true);
  }
  return out;
}

std::string hmac_sha256_hex(std::string_view key, std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest, &length);
  std::string out;
  out.reserve(length * 2);
  for (unsigned int i = 0; i < length; ++i) {
    out += kHex[digest[i] >> 4];
    out += kHex[digest[i] & 0x0f];
  }
  return out;
}

std::string base64(std::string_view data) {
  std::string out(4 * ((data.size() + 2) / 3), '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(data.data()),
                          static_cast<int>(data.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

std::string mask_secrets(std::string text, const std::vector<std::string>& secrets) {
  std::vector<std::string> forms;
  for (const auto& secret : secrets) {
    if (secret.empty()) continue;
    forms.push_back(secret);
    forms.push_back(percent_encode(secret));
    forms.push_back(form_encode({{"", secret}}).substr(1));
    forms.push_back(base64(secret));
  }
  std::sort(forms.begin(), forms.end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  constexpr std::string_view kMask = "***";
  for (const auto& form : forms)
    for (std::size_t pos = text.find(form); pos != std::string::npos;
         pos = text.find(form, pos + kMask.size()))
      text.replace(pos, form.size(), kMask);
  return text;
}

}  // namespace lk::alert
