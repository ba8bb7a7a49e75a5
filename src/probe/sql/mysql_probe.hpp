#pragma once
// MySQL and MariaDB checks through MariaDB Connector/C's non-blocking API
// (mysql_real_connect_start/_cont, mysql_real_query_start/_cont ...), with the connector's
// socket watched by the shard's event loop.

#include <boost/asio/io_context.hpp>
#include <memory>
#include <span>

#include "config/fields.hpp"
#include "probe/probe.hpp"

namespace lk::probe::sql::mysql {

std::span<const config::Option> options();
std::shared_ptr<const ProbeSettings> parse(config::Fields& fields, CheckSpec& spec);
/// mysql://user:password@host:port/database?query=...&tls=true for `lightkeeper check` (also
/// mariadb://).
UrlFields from_url(std::string_view url);

std::unique_ptr<Probe> make_probe(boost::asio::io_context& io, const Clock& clock);

}  // namespace lk::probe::sql::mysql
