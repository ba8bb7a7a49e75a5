// The entry point of lk_micro_bench; the benchmarks register themselves per subject file.
#include <benchmark/benchmark.h>

BENCHMARK_MAIN();
