#pragma once
// PostgreSQL checks through libpq's asynchronous API (PQconnectStart/PQconnectPoll,
// PQsendQuery, PQconsumeInput/PQisBusy), with libpq's socket watched by the shard's event loop.

#include <boost/asio/io_context.hpp>
#include <memory>
#include <span>

#include "config/fields.hpp"
#include "probe/probe.hpp"

namespace lk::probe::sql::postgres {

std::span<const config::Option> options();
std::shared_ptr<const ProbeSettings> parse(config::Fields& fields, CheckSpec& spec);
/// postgres://user:password@host:port/database?query=...&tls=require for `lightkeeper check`
/// (also postgresql://).
UrlFields from_url(std::string_view url);

std::unique_ptr<Probe> make_probe(boost::asio::io_context& io, const Clock& clock);

}  // namespace lk::probe::sql::postgres
