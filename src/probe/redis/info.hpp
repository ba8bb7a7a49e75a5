#pragma once
// The replication section of Redis's INFO reply: what a check can judge (role, replicas, the
// replica's link to its master, lag). Pure: no I/O.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lk::probe::redis {

struct ReplicationInfo {
  std::string role;  ///< "master" or "slave" as Redis says it; empty when not reported
  std::optional<std::int64_t> connected_slaves;
  // A replica's view of its master.
  std::string master_host;
  std::optional<std::int64_t> master_port;
  std::string master_link_status;  ///< "up" or "down"
  std::optional<std::int64_t> master_last_io_seconds_ago;
  std::optional<std::int64_t> master_link_down_since_seconds;
  std::optional<bool> master_sync_in_progress;
  std::optional<std::int64_t> master_repl_offset;
  // A master's view of each replica (slaveN:ip=...,port=...,state=online,offset=...,lag=...).
  struct Replica {
    std::string ip;
    std::optional<std::int64_t> port;
    std::string state;
    std::optional<std::int64_t> offset;
    std::optional<std::int64_t> lag;  ///< seconds since the replica's last acknowledgement
  };
  std::vector<Replica> replicas;

  bool is_replica() const { return role == "slave" || role == "replica"; }
  /// Seconds of lag: on a replica, since it last heard from its master (or since the link went
  /// down); on a master, the largest lag among its replicas. nullopt when unknown.
  std::optional<std::int64_t> lag_seconds() const;
  /// Bytes a master's slowest replica is behind (master_repl_offset - its offset).
  std::optional<std::int64_t> lag_bytes() const;
  /// The facts as a JSON object, for `json.<path>` conditions:
  /// {"role":"slave","master_link_status":"up","lag_s":0,...}.
  std::string to_json(std::string_view ping) const;
};

/// Reads `key:value` lines (CRLF or LF; `# Section` headers and unknown keys are skipped, lines
/// that are not key:value are ignored), so that any INFO text, or garbage, gives a result.
ReplicationInfo parse_info(std::string_view text);

}  // namespace lk::probe::redis
