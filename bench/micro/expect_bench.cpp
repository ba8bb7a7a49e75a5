// Condition evaluator: expect::judge() with typical condition sets on a prepared Observation,
// and expect::parse(). items_per_second = judgements (or parses) per second.
//
// References measured in the same run: nlohmann::json::parse of the same 1 KiB body (the JSON
// condition cannot be cheaper), std::string_view::find on the same 64 KiB body, and a raw
// pcre2_match (JIT, match data allocated once) of the same pattern on the same body.

#include <benchmark/benchmark.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "alloc_counter.hpp"
#include "expect/expect.hpp"
#include "reference.hpp"

namespace lk::expect {
namespace {

using namespace std::chrono_literals;

const TimePoint kNow{std::chrono::seconds{1'800'000'000}};

Condition must_parse(std::string_view text) {
  auto parsed = parse(text);
  if (auto* error = std::get_if<ParseError>(&parsed))
    throw std::logic_error("bench condition does not parse: " + error->message);
  return std::get<Condition>(std::move(parsed));
}

std::vector<Condition> must_parse_all(std::initializer_list<std::string_view> texts) {
  std::vector<Condition> out;
  for (auto text : texts) out.push_back(must_parse(text));
  return out;
}

// An HTTP 200 in 123 ms, the way the HTTP probe fills it in.
Observation http_ok(std::string body, std::string content_type) {
  Observation o;
  o.started_at = kNow - 1s;
  o.peer = "127.0.0.1:443";
  o.status_code = 200;
  o.headers = {{"content-type", std::move(content_type)},
               {"cache-control", "no-cache"},
               {"server", "nginx/1.24.0"},
               {"content-length", std::to_string(body.size())}};
  o.body = std::move(body);
  o.timings.dns = 2ms;
  o.timings.connect = 9ms;
  o.timings.tls = 41ms;
  o.timings.first_byte = 118ms;
  o.timings.total = 123ms;
  return o;
}

// A health endpoint's answer of ~1 KiB: "status" at the top, then per-component details.
std::string health_json_1kib() {
  std::string body = R"({"status":"up","version":"2.14.1","uptime_s":1234567,"components":[)";
  for (int i = 0; body.size() < 960; ++i) {
    if (i > 0) body += ',';
    body += R"({"name":"component-)" + std::to_string(i) + R"(","status":"up","latency_ms":)" +
            std::to_string(3 + i % 7) + ".25}";
  }
  body += "]}";
  body.resize(1024 - 1, ' ');  // whitespace after the document is valid JSON
  body += '\n';
  return body;
}

// 64 KiB of HTML that contains neither "ok" nor a version until its last line, so `contains`
// and `matches` scan all of it (the worst case, and the usual one for a marker in a footer).
std::string html_64kib() {
  constexpr std::size_t kSize = 64 * 1024;
  const std::string tail = "<footer>status: ok, build v2.14</footer></body></html>\n";
  std::string body = "<!doctype html><html><head><title>Shop</title></head><body>\n";
  const std::string line =
      "<p class=\"lead\">Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do "
      "eiusmod tempor incididunt ut labore et dolore magna aliqua.</p>\n";
  while (body.size() + line.size() + tail.size() <= kSize) body += line;
  body.append(kSize - tail.size() - body.size(), ' ');
  body += tail;
  if (body.find("ok") < kSize - tail.size() || body.find('v', body.find("<footer>")) == body.npos)
    throw std::logic_error("the 64 KiB body must hold its markers in the last line only");
  return body;
}

void judge_loop(benchmark::State& bm, const Observation& o, const std::vector<Condition>& expect,
                const std::string& ratio_name = {}, const std::string& reference_key = {}) {
  bench::AllocationScope allocations;
  bench::Stopwatch watch;
  for (auto _ : bm) {
    Judgement j = judge(o, expect, {}, kNow);
    benchmark::DoNotOptimize(j);
  }
  const double elapsed = watch.elapsed_ns();
  const auto judgements = static_cast<std::uint64_t>(bm.iterations());
  // Sanity: a benchmark of a failing judgement would measure the failure path instead.
  if (judge(o, expect, {}, kNow).status != Status::ok) bm.SkipWithError("judgement is not ok");
  bm.SetItemsProcessed(bm.iterations());
  bm.counters["allocs_per_judge"] = allocations.per_item(judgements);
  if (!ratio_name.empty())
    bench::report_ratio(bm, ratio_name, reference_key, elapsed, static_cast<double>(judgements));
}

void BM_JudgeNoConditions(benchmark::State& bm) {
  judge_loop(bm, http_ok("ok", "text/plain"), {});
}

void BM_JudgeStatus(benchmark::State& bm) {
  judge_loop(bm, http_ok("ok", "text/plain"), must_parse_all({"status == 200"}));
}

void BM_JudgeStatusLatency(benchmark::State& bm) {
  judge_loop(bm, http_ok("ok", "text/plain"), must_parse_all({"status == 200", "latency < 800ms"}));
}

void BM_Reference_JsonParse1KiB(benchmark::State& bm) {
  const std::string body = health_json_1kib();
  bench::Stopwatch watch;
  for (auto _ : bm) {
    auto document = nlohmann::json::parse(body, nullptr, false);
    benchmark::DoNotOptimize(document);
  }
  bench::record_reference("expect.json_parse_1k", watch.elapsed_ns(),
                          static_cast<double>(bm.iterations()));
  bm.SetItemsProcessed(bm.iterations());
  bm.SetBytesProcessed(bm.iterations() * static_cast<std::int64_t>(body.size()));
}

void BM_JudgeJsonPath1KiB(benchmark::State& bm) {
  const Observation o = http_ok(health_json_1kib(), "application/json");
  judge_loop(bm, o, must_parse_all({R"(json.status == "up")"}), "vs_json_parse",
             "expect.json_parse_1k");
  bm.SetBytesProcessed(bm.iterations() * static_cast<std::int64_t>(o.body.size()));
}

void BM_Reference_Find64KiB(benchmark::State& bm) {
  const std::string body = html_64kib();
  bench::Stopwatch watch;
  for (auto _ : bm) benchmark::DoNotOptimize(std::string_view(body).find("ok"));
  bench::record_reference("expect.find_64k", watch.elapsed_ns(),
                          static_cast<double>(bm.iterations()));
  bm.SetItemsProcessed(bm.iterations());
  bm.SetBytesProcessed(bm.iterations() * static_cast<std::int64_t>(body.size()));
}

void BM_JudgeBodyContains64KiB(benchmark::State& bm) {
  const Observation o = http_ok(html_64kib(), "text/html");
  judge_loop(bm, o, must_parse_all({R"(body contains "ok")"}), "vs_find", "expect.find_64k");
  bm.SetBytesProcessed(bm.iterations() * static_cast<std::int64_t>(o.body.size()));
}

constexpr std::string_view kVersionPattern = R"(v[0-9]+\.[0-9]+)";

void BM_Reference_Pcre2Match64KiB(benchmark::State& bm) {
  const std::string body = html_64kib();
  int error = 0;
  PCRE2_SIZE offset = 0;
  pcre2_code* code =
      pcre2_compile(reinterpret_cast<PCRE2_SPTR>(kVersionPattern.data()), kVersionPattern.size(),
                    PCRE2_UTF | PCRE2_MATCH_INVALID_UTF, &error, &offset, nullptr);
  pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
  pcre2_match_data* data = pcre2_match_data_create(1, nullptr);
  bench::Stopwatch watch;
  for (auto _ : bm) {
    int rc = pcre2_match(code, reinterpret_cast<PCRE2_SPTR>(body.data()), body.size(), 0, 0, data,
                         nullptr);
    benchmark::DoNotOptimize(rc);
  }
  bench::record_reference("expect.pcre2_64k", watch.elapsed_ns(),
                          static_cast<double>(bm.iterations()));
  pcre2_match_data_free(data);
  pcre2_code_free(code);
  bm.SetItemsProcessed(bm.iterations());
  bm.SetBytesProcessed(bm.iterations() * static_cast<std::int64_t>(body.size()));
}

void BM_JudgeBodyMatches64KiB(benchmark::State& bm) {
  const Observation o = http_ok(html_64kib(), "text/html");
  judge_loop(bm, o, must_parse_all({R"(body matches "v[0-9]+\.[0-9]+")"}), "vs_pcre2",
             "expect.pcre2_64k");
  bm.SetBytesProcessed(bm.iterations() * static_cast<std::int64_t>(o.body.size()));
}

// What a configuration load parses: a mix of the conditions above and a few more.
void BM_Parse(benchmark::State& bm) {
  const std::vector<std::string_view> texts = {
      "status == 200",
      "latency < 800ms",
      "status in [200, 204]",
      R"(json.status == "up")",
      R"(json.items[0].id == 3)",
      R"(body contains "ok")",
      R"(body matches "v[0-9]+\.[0-9]+")",
      R"(header.content-type contains "json")",
      "cert.expires_in > 14d",
      "body.size < 64KiB",
  };
  bench::AllocationScope allocations;
  for (auto _ : bm) {
    for (auto text : texts) benchmark::DoNotOptimize(parse(text));
  }
  const auto parses = static_cast<std::uint64_t>(bm.iterations()) * texts.size();
  bm.SetItemsProcessed(static_cast<std::int64_t>(parses));
  bm.counters["allocs_per_parse"] = allocations.per_item(parses);
}

// The same set without the regex, whose PCRE2 compile and JIT dominate the mix above.
void BM_ParseNoRegex(benchmark::State& bm) {
  const std::vector<std::string_view> texts = {
      "status == 200",
      "latency < 800ms",
      "status in [200, 204]",
      R"(json.status == "up")",
      R"(json.items[0].id == 3)",
      R"(body contains "ok")",
      R"(header.content-type contains "json")",
      "cert.expires_in > 14d",
      "body.size < 64KiB",
  };
  bench::AllocationScope allocations;
  for (auto _ : bm) {
    for (auto text : texts) benchmark::DoNotOptimize(parse(text));
  }
  const auto parses = static_cast<std::uint64_t>(bm.iterations()) * texts.size();
  bm.SetItemsProcessed(static_cast<std::int64_t>(parses));
  bm.counters["allocs_per_parse"] = allocations.per_item(parses);
}

BENCHMARK(BM_JudgeNoConditions);
BENCHMARK(BM_JudgeStatus);
BENCHMARK(BM_JudgeStatusLatency);
BENCHMARK(BM_Reference_JsonParse1KiB);
BENCHMARK(BM_JudgeJsonPath1KiB);
BENCHMARK(BM_Reference_Find64KiB);
BENCHMARK(BM_JudgeBodyContains64KiB);
BENCHMARK(BM_Reference_Pcre2Match64KiB);
BENCHMARK(BM_JudgeBodyMatches64KiB);
BENCHMARK(BM_Parse);
BENCHMARK(BM_ParseNoRegex);

}  // namespace
}  // namespace lk::expect
