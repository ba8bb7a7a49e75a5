#pragma once
// Submits the MailRequests that the email channel builds, with libcurl's SMTP: STARTTLS or
// implicit TLS (verified), AUTH when there is a user, MAIL FROM, one RCPT TO per recipient and
// the message as DATA. The server's reply codes become the Attempt's smtp_code, which the retry
// policy reads as SMTP means them (4xx later, 5xx never).

#include <functional>
#include <string>

#include "alert/deliver/attempt.hpp"
#include "alert/deliver/http_sender.hpp"
#include "alert/notify/mail_request.hpp"
#include "core/time.hpp"

namespace lk::alert::deliver {

/// Submits one message on the calling thread, within `timeout` end to end. Blocking: use it
/// from a sender thread, never from an io thread. On smtp:// with `starttls`, nothing is sent
/// unless the server upgrades to TLS; certificates are verified (options.ca_file, else the
/// system's store). Answered: failed_layer none, smtp_code the final reply (250, or the 4xx/5xx
/// that refused the login, sender, a recipient or the message). Otherwise the layer that
/// failed. Every secret of `request` is masked in the error text.
Attempt send_mail_blocking(const MailRequest& request, Duration timeout,
                           const SenderOptions& options,
                           const std::function<bool()>& should_abort = {});

/// `text` with every secret of `request` (raw, percent-encoded and Base64) replaced by "***".
std::string redact(std::string text, const MailRequest& request);

}  // namespace lk::alert::deliver
