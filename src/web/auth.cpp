#include "web/auth.hpp"

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include <array>

#include "web/api.hpp"

namespace lk::web {

namespace {

using Digest = std::array<unsigned char, SHA256_DIGEST_LENGTH>;

Digest sha256(std::string_view text) {
  Digest out{};
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), out.data());
  return out;
}

// The token of an "Authorization: Bearer <token>" header (scheme case-insensitive), "" when
// there is none.
std::string_view bearer_token(const Request& request) {
  std::string_view value = request.header("authorization");
  constexpr std::string_view kScheme = "bearer ";
  if (value.size() <= kScheme.size()) return {};
  for (std::size_t i = 0; i < kScheme.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(value[i])) != kScheme[i]) return {};
  value.remove_prefix(kScheme.size());
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  return value;
}

Response unauthorized(std::string_view message, std::string_view error_code) {
  Response r = api::error(401, message);
  std::string challenge = "Bearer realm=\"lightkeeper\"";
  if (!error_code.empty()) challenge += ", error=\"" + std::string(error_code) + "\"";
  r.headers.emplace_back("WWW-Authenticate", std::move(challenge));
  return r;
}

}  // namespace

bool secrets_equal(std::string_view a, std::string_view b) {
  Digest da = sha256(a), db = sha256(b);
  return CRYPTO_memcmp(da.data(), db.data(), da.size()) == 0;
}

std::variant<Caller, Response> authorize(const ApiSettings& settings, const Request& request,
                                         Access access) {
  const bool have_tokens = !settings.tokens.empty();
  std::string_view given = bearer_token(request);
  const ApiToken* match = nullptr;
  if (!given.empty()) {
    // Every token is compared, so the time taken does not tell which one (or none) matched.
    for (const ApiToken& t : settings.tokens)
      if (secrets_equal(given, t.token) && !match) match = &t;
    if (!match) return unauthorized("the API token is not valid", "invalid_token");
  } else if (!request.header("authorization").empty()) {
    return unauthorized("expected an \"Authorization: Bearer <token>\" header", "invalid_request");
  }

  if (access == Access::read) {
    if (match) return Caller{match->name, match->scope == ApiToken::Scope::write};
    if (settings.public_read.value_or(!have_tokens)) return Caller{"anonymous", false};
    return unauthorized("this API needs a token: send \"Authorization: Bearer <token>\"", "");
  }
  if (match) {
    if (match->scope != ApiToken::Scope::write)
      return api::error(403, "the token \"" + match->name +
                                 "\" may only read; this needs a "
                                 "token with scope write");
    return Caller{match->name, true};
  }
  if (!have_tokens && request.from_loopback) return Caller{"local", true};
  if (!have_tokens)
    return api::error(403,
                      "writes need an API token (api.tokens in the config) or a client on this "
                      "machine (loopback)");
  return unauthorized(
      "this needs a token with scope write: send \"Authorization: Bearer "
      "<token>\"",
      "");
}

}  // namespace lk::web
