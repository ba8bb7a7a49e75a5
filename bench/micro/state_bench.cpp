// State engine: apply() of steady ok results round-robin over many checks (the common case:
// nothing changes), a failure/recovery cycle that opens and closes an incident, and the
// persisted form of one CheckState (encode/decode). items_per_second = results (or states) per
// second; time is simulated, the engine never reads a clock.

#include <benchmark/benchmark.h>

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "alloc_counter.hpp"
#include "state/engine.hpp"

namespace lk::state {
namespace {

using namespace std::chrono_literals;

const TimePoint kStart{std::chrono::seconds{1'800'000'000}};
const std::vector<std::string> kLocations = {"eu-central", "us-east", "ap-southeast"};

std::string check_name(std::size_t i) {
  return "shop-" + std::to_string(i) + ".example.com";
}

Result ok_result(const std::string& check, const std::string& location) {
  Result r;
  r.check = check;
  r.location = location;
  r.started_at = kStart;
  r.duration = 123ms;
  r.status = Status::ok;
  r.message = "HTTP 200 in 123 ms";
  r.timings.total = 123ms;
  return r;
}

std::vector<CheckPolicy> default_policies(std::size_t checks) {
  std::vector<CheckPolicy> policies;
  policies.reserve(checks);
  for (std::size_t i = 0; i < checks; ++i) policies.emplace_back().check = check_name(i);
  return policies;
}

// An engine with `checks` configured checks (default policy) that have all seen ok results from
// every location, so each is settled: hard ok, a full flap history.
//
// It starts the way a restart does (restore() of the persisted checks, then configure()):
// configure() on an empty engine is quadratic in the number of checks (BM_StateConfigure
// below), which at 100k checks would make the setup take half a minute.
struct SettledEngine {
  StateEngine engine;
  std::vector<Result> results;  ///< one per (check, location), in round-robin order
  TimePoint now = kStart;

  SettledEngine(std::size_t checks, std::size_t locations) {
    const std::vector<CheckPolicy> policies = default_policies(checks);
    Snapshot persisted;
    persisted.checks.reserve(checks);
    for (const auto& policy : policies) {
      CheckState& s = persisted.checks.emplace_back();
      s.check = policy.check;
      s.since = now;
    }
    engine.restore(persisted);
    engine.configure(policies, now);
    results.reserve(checks * locations);
    for (std::size_t i = 0; i < checks; ++i)
      for (std::size_t l = 0; l < locations; ++l)
        results.push_back(ok_result(policies[i].check, kLocations[l]));
    for (int round = 0; round < 25; ++round)  // more than the flap history (21)
      for (const Result& r : results) engine.apply(r, now);
  }

  /// One engine per size for every run of a benchmark (a run only adds more steady results).
  static SettledEngine& shared(std::size_t checks, std::size_t locations) {
    static std::map<std::pair<std::size_t, std::size_t>, std::unique_ptr<SettledEngine>> cache;
    auto& slot = cache[{checks, locations}];
    if (!slot) slot = std::make_unique<SettledEngine>(checks, locations);
    return *slot;
  }
};

// configure() of N new checks on an empty engine (the first start, or a config that adds all
// its checks at once). Reported with its fitted complexity.
void BM_StateConfigure(benchmark::State& bm) {
  const auto checks = static_cast<std::size_t>(bm.range(0));
  const std::vector<CheckPolicy> policies = default_policies(checks);
  for (auto _ : bm) {
    StateEngine engine;
    Transitions out = engine.configure(policies, kStart);
    benchmark::DoNotOptimize(out);
  }
  bm.SetItemsProcessed(bm.iterations() * bm.range(0));  // checks/s
  bm.SetComplexityN(bm.range(0));
}

void BM_StateApplySteadyOk(benchmark::State& bm) {
  const auto checks = static_cast<std::size_t>(bm.range(0));
  const auto locations = static_cast<std::size_t>(bm.range(1));
  SettledEngine& settled = SettledEngine::shared(checks, locations);
  std::size_t next = 0;
  std::uint64_t changed = 0;
  bench::AllocationScope allocations;
  for (auto _ : bm) {
    settled.now += 1ms;
    Transitions out = settled.engine.apply(settled.results[next], settled.now);
    changed += out.changed_checks.size() + out.changes.size();
    if (++next == settled.results.size()) next = 0;
  }
  const auto applied = static_cast<std::uint64_t>(bm.iterations());
  bm.SetItemsProcessed(static_cast<std::int64_t>(applied));
  bm.counters["allocs_per_apply"] = allocations.per_item(applied);
  if (changed != 0) bm.SkipWithError("a steady ok result changed state");
}

// One check among 1,000 goes down (two failures: hard fail, incident opened) and comes back
// (two oks: recovery, incident closed), with ok results in between so that it does not flap.
void BM_StateFailureRecoveryCycle(benchmark::State& bm) {
  constexpr int kOksBetween = 8;
  SettledEngine settled(1000, 1);  // its own: the cycle leaves its check's history behind
  const std::string check = check_name(500);
  const Result ok = ok_result(check, kLocations[0]);
  Result fail = ok;
  fail.status = Status::fail;
  fail.message = "connect to 203.0.113.7:443 refused";

  std::vector<const Result*> cycle{&fail, &fail};
  for (int i = 0; i < 2 + kOksBetween; ++i) cycle.push_back(&ok);

  std::uint64_t opened = 0;
  std::uint64_t closed = 0;
  std::uint64_t flapping = 0;
  bench::AllocationScope allocations;
  for (auto _ : bm) {
    for (const Result* r : cycle) {
      settled.now += 1s;
      Transitions out = settled.engine.apply(*r, settled.now);
      opened += out.opened.size();
      closed += out.closed.size();
      benchmark::DoNotOptimize(out);
    }
    flapping += settled.engine.state(check)->flapping ? 1 : 0;
  }
  const auto cycles = static_cast<std::uint64_t>(bm.iterations());
  if (opened != cycles || closed != cycles || flapping != 0)
    bm.SkipWithError("each cycle must open and close exactly one incident, without flapping");
  bm.SetItemsProcessed(static_cast<std::int64_t>(cycles * cycle.size()));  // results/s
  bm.counters["incidents_per_second"] =
      benchmark::Counter(static_cast<double>(cycles), benchmark::Counter::kIsRate);
  bm.counters["allocs_per_cycle"] = allocations.per_item(cycles);
}

// A check in an outage seen from three locations, with full flap histories: the larger rows
// the store keeps in check_state.
CheckState typical_state() {
  CheckState s;
  s.check = "shop.example.com";
  s.state = State::fail;
  s.since = kStart;
  s.open_incident = 42;
  s.last_message = "connect to 203.0.113.7:443 refused";
  for (const auto& name : kLocations) {
    LocationState& loc = s.locations[name];
    loc.hard = State::fail;
    loc.soft = State::fail;
    loc.consecutive_bad = 3;
    loc.since = kStart - 2min;
    loc.last_result = kStart;
    loc.last_message = s.last_message;
    for (int i = 0; i < 21; ++i) loc.history.push_back(i < 18 ? State::ok : State::fail);
  }
  return s;
}

void BM_StateEncode(benchmark::State& bm) {
  const CheckState s = typical_state();
  std::size_t bytes = 0;
  for (auto _ : bm) {
    std::string encoded = StateEngine::encode(s);
    bytes = encoded.size();
    benchmark::DoNotOptimize(encoded);
  }
  bm.SetItemsProcessed(bm.iterations());
  bm.SetBytesProcessed(bm.iterations() * static_cast<std::int64_t>(bytes));
  bm.counters["encoded_bytes"] = static_cast<double>(bytes);
}

void BM_StateDecode(benchmark::State& bm) {
  const std::string encoded = StateEngine::encode(typical_state());
  if (!StateEngine::decode(encoded)) {
    bm.SkipWithError("decode(encode(s)) failed");
    return;
  }
  for (auto _ : bm) benchmark::DoNotOptimize(StateEngine::decode(encoded));
  bm.SetItemsProcessed(bm.iterations());
  bm.SetBytesProcessed(bm.iterations() * static_cast<std::int64_t>(encoded.size()));
}

BENCHMARK(BM_StateApplySteadyOk)
    ->ArgNames({"checks", "locations"})
    ->Args({1000, 1})
    ->Args({100'000, 1})
    ->Args({1000, 3});
BENCHMARK(BM_StateFailureRecoveryCycle);
BENCHMARK(BM_StateConfigure)
    ->Arg(1000)
    ->Arg(2000)
    ->Arg(4000)
    ->Arg(8000)
    ->Arg(16'000)
    ->Unit(benchmark::kMillisecond)
    ->Complexity();
BENCHMARK(BM_StateEncode);
BENCHMARK(BM_StateDecode);

}  // namespace
}  // namespace lk::state
