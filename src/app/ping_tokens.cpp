#include "app/ping_tokens.hpp"

#include <fcntl.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "state/heartbeat/settings.hpp"

namespace lk::app {

namespace {

constexpr std::string_view kHeartbeat = "heartbeat";
constexpr std::size_t kSecretBytes = 32;

std::string hex(const unsigned char* data, std::size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * size);
  for (std::size_t i = 0; i < size; ++i) {
    out += kDigits[data[i] >> 4];
    out += kDigits[data[i] & 0xf];
  }
  return out;
}

std::string random_secret() {
  std::array<unsigned char, kSecretBytes> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1)
    throw std::runtime_error("cannot generate the heartbeat secret: no randomness available");
  return hex(bytes.data(), bytes.size());
}

std::string read_secret(int fd, const std::string& path) {
  std::string text(4 * kSecretBytes, '\0');
  ssize_t n = ::read(fd, text.data(), text.size());
  if (n < 0) throw std::runtime_error(path + ": cannot read: " + std::strerror(errno));
  text.resize(static_cast<std::size_t>(n));
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  if (text.size() < 32)
    throw std::runtime_error(path +
                             ": the heartbeat secret is shorter than 32 characters; delete the "
                             "file to generate a new one (every derived ping URL changes)");
  return text;
}

}  // namespace

std::string load_or_create_ping_secret(const std::string& storage) {
  if (storage.empty() || storage.front() == ':') return random_secret();
  const std::string path = storage + ".heartbeat-secret";
  // O_EXCL: of two processes starting at once, one creates the file and both read it.
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd >= 0) {
    const std::string secret = random_secret() + "\n";
    const bool written =
        ::write(fd, secret.data(), secret.size()) == static_cast<ssize_t>(secret.size());
    const bool synced = ::fsync(fd) == 0;
    ::close(fd);
    if (!written || !synced) {
      ::unlink(path.c_str());
      throw std::runtime_error(path + ": cannot write the heartbeat secret");
    }
    spdlog::info("created the heartbeat secret {} (keep it with the database)", path);
  } else if (errno != EEXIST) {
    throw std::runtime_error(path +
                             ": cannot create the heartbeat secret: " + std::strerror(errno));
  }
  fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw std::runtime_error(path + ": cannot open: " + std::strerror(errno));
  try {
    std::string secret = read_secret(fd, path);
    ::close(fd);
    return secret;
  } catch (...) {
    ::close(fd);
    throw;
  }
}

std::string derive_ping_token(std::string_view secret, std::string_view check) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(check.data()), check.size(), digest.data(), &size);
  return hex(digest.data(), 16);
}

bool needs_ping_secret(const config::Config& config) {
  for (const auto& check : config.checks) {
    if (check.spec.type == kHeartbeat &&
        check.spec.settings_as<state::heartbeat::Settings>().token.empty())
      return true;
  }
  return false;
}

std::string ping_token_of(const config::Check& check, std::string_view secret) {
  const auto& settings = check.spec.settings_as<state::heartbeat::Settings>();
  return settings.token.empty() ? derive_ping_token(secret, check.spec.name) : settings.token;
}

std::unordered_map<std::string, std::string> ping_tokens(const config::Config& config,
                                                         std::string_view secret) {
  std::unordered_map<std::string, std::string> out;
  for (const auto& check : config.checks) {
    if (check.spec.type != kHeartbeat) continue;
    auto [it, added] = out.emplace(ping_token_of(check, secret), check.spec.name);
    if (!added)
      spdlog::error("heartbeats {} and {} have the same token; pings go to {} only", it->second,
                    check.spec.name, it->second);
  }
  return out;
}

}  // namespace lk::app
