#include "web/api.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <unordered_map>
#include <vector>

#include "store/store.hpp"
#include "web/api_json.hpp"
#include "web/api_util.hpp"

namespace lk::web::api {

namespace {

using namespace std::chrono_literals;

// Echoes a bad value back in an error without letting a huge one bloat the response.
std::string quoted(std::string_view value) {
  constexpr std::size_t kMaxEcho = 64;
  if (value.size() > kMaxEcho) return "'" + std::string(value.substr(0, kMaxEcho)) + "...'";
  return "'" + std::string(value) + "'";
}

std::optional<std::uint64_t> parse_whole_number(std::string_view text) {
  if (text.empty() || !std::all_of(text.begin(), text.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c));
      }))
    return std::nullopt;
  std::uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// Each reader leaves `out` alone when the parameter is absent and returns the 400 to send when
// it is malformed, naming the parameter, what was expected and what was given.
using ParamError = std::optional<Response>;

ParamError read_time(const Request& request, std::string_view field, TimePoint& out) {
  auto text = request.param(field);
  if (!text) return std::nullopt;
  auto parsed = parse_time(*text);
  if (!parsed)
    return error(
        400,
        std::string(field) +
            " must be an RFC 3339 time such as 2026-11-21T08:35:00Z or unix seconds, got " +
            quoted(*text),
        field);
  out = *parsed;
  return std::nullopt;
}

ParamError read_limit(const Request& request, std::size_t max, std::size_t& out) {
  auto text = request.param("limit");
  if (!text) return std::nullopt;
  auto value = parse_whole_number(*text);
  if (!value || *value < 1 || *value > max)
    return error(
        400,
        "limit must be a whole number from 1 to " + std::to_string(max) + ", got " + quoted(*text),
        "limit");
  out = static_cast<std::size_t>(*value);
  return std::nullopt;
}

// Reads from= and to=; `to` defaults to now and `from` to `default_span` before `to`.
ParamError read_range(const Request& request, TimePoint now, Duration default_span, TimePoint& from,
                      TimePoint& to) {
  to = now;
  if (auto e = read_time(request, "to", to)) return e;
  from = to - std::chrono::duration_cast<TimePoint::duration>(default_span);
  if (auto e = read_time(request, "from", from)) return e;
  if (from > to) return error(400, "from must not be after to", "from");
  return std::nullopt;
}

Response no_such_check(std::string_view name) {
  return error(404, "no check named " + quoted(name), "name");
}

struct ResolutionLimits {
  store::Resolution resolution;
  Duration default_span;
  Duration max_span;  // keeps one request to a few thousand buckets per location
  Duration bucket;
};

std::optional<ResolutionLimits> resolution_named(std::string_view name) {
  using store::Resolution;
  if (name == "minute") return ResolutionLimits{Resolution::minute, 1h, 48h, 1min};
  if (name == "hour") return ResolutionLimits{Resolution::hour, 24h, 24h * 92, 1h};
  if (name == "day") return ResolutionLimits{Resolution::day, 24h * 90, 24h * 366 * 5, 24h};
  return std::nullopt;
}

// Reads resolution=, from= and to= as check_rollups does; `name` is the resolution's name.
ParamError read_rollup_params(const Request& request, TimePoint now, std::string_view& name,
                              ResolutionLimits& limits, TimePoint& from, TimePoint& to) {
  name = request.param("resolution").value_or("hour");
  auto found = resolution_named(name);
  if (!found)
    return error(400, "resolution must be minute, hour or day, got " + quoted(name), "resolution");
  limits = *found;
  if (auto e = read_range(request, now, limits.default_span, from, to)) return e;
  if (to - from > limits.max_span)
    return error(400,
                 "from is too far before to for resolution " + std::string(name) + ": at most " +
                     format_duration(limits.max_span) + "; use a coarser resolution",
                 "from");
  return std::nullopt;
}

// Reads check=a,b,c (names in the order given, repeats dropped), every one a check of the
// snapshot; without it, every check of the snapshot in config order. The views point into the
// snapshot.
ParamError read_checks(const StatusSnapshot& snapshot, const Request& request,
                       std::vector<std::string_view>& out) {
  auto text = request.param("check");
  if (!text) {
    out.reserve(snapshot.checks.size());
    for (const auto& check : snapshot.checks) out.push_back(check.spec->name);
    return std::nullopt;
  }
  std::vector<std::string_view> asked;
  std::unordered_map<std::string_view, std::size_t> position;  // asked name -> index in `out`
  std::string_view rest = *text;
  while (true) {
    const auto comma = rest.find(',');
    const std::string_view name = rest.substr(0, comma);
    if (name.empty())
      return error(400,
                   "check must be a comma-separated list of check names, got an empty name in " +
                       quoted(*text),
                   "check");
    if (position.try_emplace(name, asked.size()).second) asked.push_back(name);
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  // One pass over the snapshot however many names were asked for (snapshot.find() per name
  // would be checks x names).
  out.assign(asked.size(), std::string_view());
  for (const auto& check : snapshot.checks)
    if (auto found = position.find(check.spec->name); found != position.end())
      out[found->second] = check.spec->name;
  for (std::size_t i = 0; i < asked.size(); ++i)
    if (out[i].data() == nullptr) return error(404, "no check named " + quoted(asked[i]), "check");
  return std::nullopt;
}

}  // namespace

Response error(int status, std::string_view message, std::string_view field) {
  Json body = {{"message", message}};
  if (!field.empty()) body["field"] = field;
  return json_response({{"error", std::move(body)}}, status);
}

Response list_checks(const StatusSnapshot& snapshot, const Request& request) {
  auto wanted = [&](std::string_view key) {
    auto v = request.param(key);
    return v && !v->empty() ? std::optional<std::string_view>(*v) : std::nullopt;
  };
  const auto tag = wanted("tag"), group = wanted("group"), type = wanted("type"),
             state = wanted("state");
  if (state && *state != "ok" && *state != "warn" && *state != "fail" && *state != "unknown" &&
      *state != "pending" && *state != "paused")
    return error(400, "state must be ok, warn, fail, unknown, pending or paused", "state");
  Json checks = Json::array();
  for (const auto& check : snapshot.checks) {
    const CheckSpec& spec = *check.spec;
    if (tag && std::find(spec.tags.begin(), spec.tags.end(), *tag) == spec.tags.end()) continue;
    if (group && spec.group != *group) continue;
    if (type && spec.type != *type) continue;
    if (state) {
      const bool paused = spec.paused || check.view->paused;
      if (*state == "paused" ? !paused : (paused || to_string(check.view->state) != *state))
        continue;
    }
    checks.push_back(check_json(check, snapshot.location, false));
  }
  return json_response(
      {{"generated_at", format_time(snapshot.generated_at)}, {"checks", std::move(checks)}});
}

Response get_check(const StatusSnapshot& snapshot, std::string_view name) {
  const CheckItem* check = snapshot.find(name);
  if (!check) return no_such_check(name);
  return json_response(check_json(*check, snapshot.location, true));
}

Response check_results(const StatusSnapshot& snapshot, store::Store& store, std::string_view name,
                       const Request& request, TimePoint now) {
  if (!snapshot.find(name)) return no_such_check(name);
  TimePoint from, to;
  if (auto e = read_range(request, now, 1h, from, to)) return *e;
  std::size_t limit = kDefaultResultLimit;
  if (auto e = read_limit(request, kMaxResultLimit, limit)) return *e;

  const auto location = request.param("location");
  Json results = Json::array();
  for (const auto& result : store.results(name, from, to, limit))
    if (!location || location->empty() || result.location == *location)
      results.push_back(result_json(result));
  return json_response({{"check", name},
                        {"from", format_time(from)},
                        {"to", format_time(to)},
                        {"limit", limit},
                        {"results", std::move(results)}});
}

Response check_rollups(const StatusSnapshot& snapshot, store::Store& store, std::string_view name,
                       const Request& request, TimePoint now) {
  if (!snapshot.find(name)) return no_such_check(name);
  std::string_view resolution_name;
  ResolutionLimits limits{};
  TimePoint from, to;
  if (auto e = read_rollup_params(request, now, resolution_name, limits, from, to)) return *e;

  Json rollups = Json::array();
  for (const auto& rollup : store.rollups(name, limits.resolution, from, to))
    rollups.push_back(rollup_json(rollup));
  return json_response({{"check", name},
                        {"resolution", resolution_name},
                        {"from", format_time(from)},
                        {"to", format_time(to)},
                        {"rollups", std::move(rollups)}});
}

Response batch_rollups(const StatusSnapshot& snapshot, store::Store& store, const Request& request,
                       TimePoint now) {
  std::string_view resolution_name;
  ResolutionLimits limits{};
  TimePoint from, to;
  if (auto e = read_rollup_params(request, now, resolution_name, limits, from, to)) return *e;
  std::vector<std::string_view> checks;
  if (auto e = read_checks(snapshot, request, checks)) return *e;
  const auto buckets = static_cast<std::size_t>((to - from) / limits.bucket) + 1;
  if (checks.size() * buckets > kMaxBatchRollups)
    return error(400,
                 std::to_string(checks.size()) + " checks of " + std::to_string(buckets) +
                     " buckets each is more than " + std::to_string(kMaxBatchRollups) +
                     " rollups per location; name fewer checks with check=a,b or shorten from..to",
                 "check");

  // Written as the rows stream out of the store: no Json value per row (see RollupRowWriter).
  constexpr std::size_t kBytesPerRow = 110;  // one location
  std::string body;
  body.reserve(std::min(checks.size() * buckets, std::size_t{100'000}) * kBytesPerRow +
               checks.size() * 64 + 256);
  body.append("{\"resolution\":\"").append(resolution_name);
  body.append("\",\"from\":\"").append(format_time(from));
  body.append("\",\"to\":\"").append(format_time(to));
  body.append("\",\"columns\":").append(kRollupColumns).append(",\"checks\":[");
  RollupRowWriter writer(body);
  std::size_t opened = 0;  // checks whose object has been started
  bool first_row = true;
  const auto open_through = [&](std::size_t index) {
    for (; opened <= index; ++opened) {
      if (opened > 0) body.append("]},");
      body.append("{\"check\":");
      writer.string(checks[opened]);
      body.append(",\"rows\":[");
      first_row = true;
    }
  };
  store.rollups_many(checks, limits.resolution, from, to,
                     [&](std::size_t index, const store::Rollup& rollup) {
                       open_through(index);
                       if (!first_row) body.push_back(',');
                       first_row = false;
                       writer.row(rollup);
                     });
  if (!checks.empty()) open_through(checks.size() - 1);
  body.append(checks.empty() ? "]}\n" : "]}]}\n");

  Response response;
  response.content_type = "application/json";
  response.body = std::move(body);
  response.headers.emplace_back("Cache-Control", "no-store");
  return response;
}

Response list_incidents(store::Store& store, const Request& request, TimePoint now) {
  store::IncidentQuery query;
  query.limit = kDefaultIncidentLimit;
  std::optional<bool> want_open;
  if (auto open = request.param("open")) {
    if (*open == "true") {
      want_open = true;
    } else if (*open == "false") {
      want_open = false;
    } else {
      return error(400, "open must be true or false, got " + quoted(*open), "open");
    }
  }
  query.open_only = want_open.value_or(false);
  if (auto check = request.param("check"); check && !check->empty())
    query.check = std::string(*check);
  if (auto e = read_limit(request, kMaxIncidentLimit, query.limit)) return *e;
  if (auto before = request.param("before")) {
    auto id = parse_whole_number(*before);
    if (!id || *id < 1 || *id > std::uint64_t(INT64_MAX))
      return error(400, "before must be a positive incident id, got " + quoted(*before), "before");
    query.before_id = static_cast<std::int64_t>(*id);
  }

  auto found = store.incidents(query);
  Json incidents = Json::array();
  for (const auto& incident : found) {
    // The store can only filter for open incidents; closed-only is filtered here, so a page may
    // hold fewer than `limit` even when more exist. next_before is what tells the client.
    if (want_open == false && incident.open()) continue;
    incidents.push_back(incident_json(incident, now));
  }
  Json next_before = nullptr;
  if (!found.empty() && found.size() >= query.limit) {
    auto oldest =
        std::min_element(found.begin(), found.end(),
                         [](const Incident& a, const Incident& b) { return a.id < b.id; });
    next_before = oldest->id;
  }
  return json_response({{"incidents", std::move(incidents)}, {"next_before", next_before}});
}

}  // namespace lk::web::api
