#include "alert/deliver/mail_sender.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <memory>
#include <mutex>
#include <vector>

#include "alert/deliver/curl_util.hpp"
#include "alert/notify/encoding.hpp"

namespace lk::alert::deliver {
namespace {

using detail::CurlDeleter;
using detail::layer_of;

using std::chrono::milliseconds;
using std::chrono::steady_clock;

constexpr std::size_t kMaxReplyText = 300;

// What the callbacks see of the dialogue while curl runs.
struct Transfer {
  std::string_view message;
  std::size_t sent = 0;
  const std::function<bool()>* should_abort = nullptr;
  std::string command;        // the last command sent, as far as a log may show it
  std::string reply_command;  // the command the last complete reply answered
  std::string reply;          // that reply's text (lines joined, codes dropped)
  std::string pending;        // lines of a multi-line reply read so far
  bool quitting = false;      // QUIT's "221 bye" is not the answer that matters
};

std::size_t on_read(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto* t = static_cast<Transfer*>(user);
  const std::size_t n = std::min(size * count, t->message.size() - t->sent);
  std::memcpy(buffer, t->message.data() + t->sent, n);
  t->sent += n;
  return n;
}

int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* t = static_cast<Transfer*>(user);
  return (t->should_abort != nullptr && *t->should_abort && (*t->should_abort)()) ? 1 : 0;
}

std::string_view strip_eol(std::string_view line) {
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  return line;
}

// A command as a log may show it: MAIL and RCPT with their addresses, AUTH with its mechanism
// only (its arguments are credentials), anything else by its verb.
void on_command(Transfer& t, std::string_view line) {
  static constexpr std::array<std::string_view, 12> kVerbs = {"EHLO", "HELO", "STARTTLS", "AUTH",
                                                              "MAIL", "RCPT", "DATA",     "QUIT",
                                                              "RSET", "NOOP", "VRFY",     "EXPN"};
  const std::string_view verb = line.substr(0, line.find(' '));
  if (std::find(kVerbs.begin(), kVerbs.end(), verb) == kVerbs.end()) return;  // AUTH data
  if (verb == "MAIL" || verb == "RCPT") {  // up to the address: not the SIZE=… parameters
    const auto close = line.find('>');
    const std::size_t end = close == std::string_view::npos ? line.size() : close + 1;
    t.command = std::string(line.substr(0, std::min<std::size_t>(end, 200)));
  } else if (verb == "AUTH") {
    const auto end = line.find(' ', verb.size() + 1);
    t.command = std::string(line.substr(0, end));
  } else {
    t.command = std::string(verb);
  }
  t.quitting = t.quitting || verb == "QUIT";
}

// RFC 5321 4.2: "250-first line", …, "250 last line".
void on_reply(Transfer& t, std::string_view line) {
  if (t.quitting || line.size() < 3) return;
  const bool more = line.size() > 3 && line[3] == '-';
  std::string_view text = line.size() > 4 ? line.substr(4) : std::string_view{};
  t.pending += (t.pending.empty() ? "" : " ") + std::string(text);
  if (more) return;
  t.reply = t.pending.substr(0, kMaxReplyText);
  for (char& c : t.reply) {
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  }
  t.pending.clear();
  t.reply_command = t.command;
}

int on_debug(CURL*, curl_infotype type, char* data, std::size_t size, void* user) {
  auto* t = static_cast<Transfer*>(user);
  if (type != CURLINFO_HEADER_IN && type != CURLINFO_HEADER_OUT) return 0;
  std::string_view chunk(data, size);
  while (!chunk.empty()) {
    const auto newline = chunk.find('\n');
    const std::string_view line = strip_eol(chunk.substr(0, newline));
    chunk.remove_prefix(newline == std::string_view::npos ? chunk.size() : newline + 1);
    if (type == CURLINFO_HEADER_OUT)
      on_command(*t, line);
    else
      on_reply(*t, line);
  }
  return 0;
}

// The envelope goes into SMTP command lines: a line break in it would start a command of its own.
bool is_envelope_address(std::string_view address) {
  return !address.empty() && std::none_of(address.begin(), address.end(), [](char c) {
    return static_cast<unsigned char>(c) <= 0x20 || c == '<' || c == '>' || c == 0x7F;
  });
}

}  // namespace

std::string redact(std::string text, const MailRequest& request) {
  return mask_secrets(std::move(text), request.secrets);
}

Attempt send_mail_blocking(const MailRequest& request, Duration timeout,
                           const SenderOptions& options,
                           const std::function<bool()>& should_abort) {
  static std::once_flag curl_ready;
  std::call_once(curl_ready, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });

  const auto started = steady_clock::now();
  Attempt attempt;
  auto fail = [&](FailedLayer layer, const std::string& detail) {
    attempt.failed_layer = layer;
    attempt.error =
        redact(request.url + ": " + std::string(to_string(layer)) + ": " + detail, request);
    attempt.duration = steady_clock::now() - started;
    return attempt;
  };

  if (request.to.empty()) return fail(FailedLayer::request, "no recipients");
  if (!is_envelope_address(request.from))
    return fail(FailedLayer::request, "unusable sender address");
  for (const auto& rcpt : request.to) {
    if (!is_envelope_address(rcpt)) return fail(FailedLayer::request, "unusable recipient address");
  }

  // Declared before the handle: curl_easy_cleanup may still call back (the QUIT) and write
  // the error buffer.
  Transfer transfer{.message = request.message,
                    .sent = 0,
                    .should_abort = &should_abort,
                    .command = {},
                    .reply_command = {},
                    .reply = {},
                    .pending = {},
                    .quitting = false};
  char error_buffer[CURL_ERROR_SIZE] = {};
  std::unique_ptr<curl_slist, CurlDeleter> recipients;
  for (const auto& rcpt : request.to)
    recipients.reset(curl_slist_append(recipients.release(), ("<" + rcpt + ">").c_str()));
  const std::string mail_from = "<" + request.from + ">";

  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  if (!curl) return fail(FailedLayer::request, "libcurl could not start a transfer");
  CURL* h = curl.get();

  const auto timeout_ms = std::max<long>(1, std::chrono::ceil<milliseconds>(timeout).count());
  const bool tls = request.url.starts_with("smtps://") || request.starttls;

  curl_easy_setopt(h, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout_ms);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
  // Also bounds the wait for the reply to QUIT while the handle is closed, which the overall
  // timeout does not cover.
  curl_easy_setopt(h, CURLOPT_SERVER_RESPONSE_TIMEOUT,
                   std::max<long>(1, (timeout_ms + 999) / 1000));
  curl_easy_setopt(h, CURLOPT_USE_SSL,
                   tls ? static_cast<long>(CURLUSESSL_ALL) : static_cast<long>(CURLUSESSL_NONE));
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!options.ca_file.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, options.ca_file.c_str());
  if (!request.username.empty()) {
    curl_easy_setopt(h, CURLOPT_USERNAME, request.username.c_str());
    curl_easy_setopt(h, CURLOPT_PASSWORD, request.password.c_str());
  }
  curl_easy_setopt(h, CURLOPT_MAIL_FROM, mail_from.c_str());
  curl_easy_setopt(h, CURLOPT_MAIL_RCPT, recipients.get());
  curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(h, CURLOPT_READFUNCTION, on_read);
  curl_easy_setopt(h, CURLOPT_READDATA, &transfer);
  curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(request.message.size()));
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
  curl_easy_setopt(h, CURLOPT_XFERINFODATA, &transfer);
  // The dialogue is read through the debug callback: the reply's text and the command it
  // answered make the error say what the server refused ("SMTP 550 … to RCPT TO:<…>").
  curl_easy_setopt(h, CURLOPT_VERBOSE, 1L);
  curl_easy_setopt(h, CURLOPT_DEBUGFUNCTION, on_debug);
  curl_easy_setopt(h, CURLOPT_DEBUGDATA, &transfer);

  const CURLcode code = curl_easy_perform(h);
  long reply_code = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &reply_code);
  const FailedLayer layer = code == CURLE_OK ? FailedLayer::none : layer_of(code);

  // A 4xx or 5xx that ended the dialogue is an answer: the server refused the login, the
  // sender, a recipient or the message, and its code says whether to try again.
  const bool refused = code != CURLE_OK && reply_code >= 400 &&
                       (layer == FailedLayer::connection || layer == FailedLayer::request);
  if (code != CURLE_OK && !refused) {
    std::string detail = error_buffer[0] != '\0' ? error_buffer : curl_easy_strerror(code);
    if (code == CURLE_OPERATION_TIMEDOUT) {
      detail = "no answer within " + format_duration(timeout) + " (" + detail + ")";
    }
    if (layer == FailedLayer::tls && transfer.reply_command == "STARTTLS" &&
        !transfer.reply.empty())
      detail += " (server: " + transfer.reply + ")";
    return fail(layer, detail);
  }

  attempt.smtp_code = static_cast<int>(reply_code);
  if (attempt.smtp_code == 0) attempt.smtp_code = 250;  // CURLE_OK: the message was accepted
  attempt.response_start = redact(transfer.reply, request);
  attempt.duration = steady_clock::now() - started;
  if (refused) {
    attempt.error = request.url + ": SMTP " + std::to_string(reply_code);
    if (!transfer.reply.empty()) attempt.error += ": " + transfer.reply;
    if (!transfer.reply_command.empty()) attempt.error += " (to " + transfer.reply_command + ")";
    attempt.error = redact(attempt.error, request);
  }
  return attempt;
}

}  // namespace lk::alert::deliver
