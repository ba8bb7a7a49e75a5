// The local checks' readings: /proc/loadavg and /proc/meminfo as the kernel writes them, and
// statvfs numbers, turned into metrics and a one-line summary.

#include "probe/local/system_facts.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace lk::probe::local {
namespace {

using ::testing::HasSubstr;

double metric(const Observation& o, std::string_view name) {
  for (const auto& m : o.metrics)
    if (m.name == name) return m.value;
  ADD_FAILURE() << "no metric " << name;
  return -1;
}

std::string unit(const Observation& o, std::string_view name) {
  for (const auto& m : o.metrics)
    if (m.name == name) return m.unit;
  return "<none>";
}

bool has_metric(const Observation& o, std::string_view name) {
  for (const auto& m : o.metrics)
    if (m.name == name) return true;
  return false;
}

TEST(LoadAvg, ReadsTheThreeAveragesOfTheKernelsLine) {
  auto load = parse_loadavg("0.52 1.61 12.70 2/345 12345\n");
  ASSERT_TRUE(load);
  EXPECT_DOUBLE_EQ(load->one, 0.52);
  EXPECT_DOUBLE_EQ(load->five, 1.61);
  EXPECT_DOUBLE_EQ(load->fifteen, 12.70);
}

TEST(LoadAvg, RefusesWhatIsNotALoadLine) {
  EXPECT_FALSE(parse_loadavg(""));
  EXPECT_FALSE(parse_loadavg("0.52 0.61"));
  EXPECT_FALSE(parse_loadavg("a b c"));
  EXPECT_FALSE(parse_loadavg("0.5x 1 2"));
  EXPECT_FALSE(parse_loadavg("-1 0 0 1/2 3"));
}

TEST(LoadObservation, PerCpuDividesByTheCpuCount) {
  LoadAverage load{3.0, 2.0, 1.0};
  auto plain = load_observation(load, 4, false);
  EXPECT_DOUBLE_EQ(metric(plain, "load1"), 3.0);
  EXPECT_DOUBLE_EQ(metric(plain, "cpus"), 4);
  EXPECT_EQ(plain.verdict->message, "load 3.00 2.00 1.00 on 4 CPUs");
  auto per_cpu = load_observation(load, 4, true);
  EXPECT_DOUBLE_EQ(metric(per_cpu, "load1"), 0.75);
  EXPECT_DOUBLE_EQ(metric(per_cpu, "load15"), 0.25);
  EXPECT_EQ(per_cpu.verdict->message, "load per CPU 0.75 0.50 0.25 on 4 CPUs");
  EXPECT_EQ(per_cpu.verdict->status, Status::ok);
}

constexpr std::string_view kMeminfo =
    "MemTotal:       16314504 kB\n"
    "MemFree:          512000 kB\n"
    "MemAvailable:    4078626 kB\n"
    "Buffers:          100000 kB\n"
    "Cached:          3000000 kB\n"
    "SwapCached:            0 kB\n"
    "SwapTotal:       2097148 kB\n"
    "SwapFree:        1572861 kB\n"
    "HugePages_Total:       0\n";

TEST(MemInfo, ReadsTotalsInBytes) {
  auto m = parse_meminfo(kMeminfo);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->total, 16314504ull * 1024);
  EXPECT_EQ(m->available, 4078626ull * 1024);
  EXPECT_EQ(m->swap_total, 2097148ull * 1024);
  EXPECT_EQ(m->swap_free, 1572861ull * 1024);
}

TEST(MemInfo, OldKernelsWithoutMemAvailableGetFreePlusBuffersPlusCache) {
  auto m = parse_meminfo("MemTotal: 1000 kB\nMemFree: 100 kB\nBuffers: 20 kB\nCached: 300 kB\n");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->available, 420u * 1024);
  EXPECT_EQ(m->swap_total, 0u);
  EXPECT_FALSE(parse_meminfo("MemFree: 100 kB\n"));
  EXPECT_FALSE(parse_meminfo("garbage"));
}

TEST(MemoryObservation, PercentagesOfTotalAndSwap) {
  auto o = memory_observation(*parse_meminfo(kMeminfo));
  EXPECT_NEAR(metric(o, "available_percent"), 25.0, 0.01);
  EXPECT_NEAR(metric(o, "used_percent"), 75.0, 0.01);
  EXPECT_NEAR(metric(o, "swap_used_percent"), 25.0, 0.01);
  EXPECT_EQ(unit(o, "available_bytes"), "B");
  EXPECT_EQ(o.verdict->message, "3.9 GiB of 15.6 GiB memory available (25%), swap 25% used");

  MemoryInfo no_swap{1024, 512, 0, 0};
  EXPECT_DOUBLE_EQ(metric(memory_observation(no_swap), "swap_used_percent"), 0);
  EXPECT_THAT(memory_observation(no_swap).verdict->message, HasSubstr("no swap"));
}

TEST(DiskObservation, FreePercentIsOfTheSpaceUsersCanUseAsDfComputesIt) {
  // 100 GiB, 10 GiB free of which 5 GiB usable by users (5 GiB reserved for root).
  constexpr std::uint64_t GiB = 1ull << 30;
  DiskSpace d{100 * GiB, 10 * GiB, 5 * GiB, 1000, 250};
  auto o = disk_observation("/var", d);
  EXPECT_DOUBLE_EQ(metric(o, "free_bytes"), 5.0 * GiB);
  EXPECT_DOUBLE_EQ(metric(o, "used_bytes"), 90.0 * GiB);
  EXPECT_DOUBLE_EQ(metric(o, "size_bytes"), 100.0 * GiB);
  EXPECT_NEAR(metric(o, "free_percent"), 100.0 * 5 / 95, 1e-9);
  EXPECT_NEAR(metric(o, "used_percent"), 100.0 * 90 / 95, 1e-9);
  EXPECT_DOUBLE_EQ(metric(o, "inodes_free"), 250);
  EXPECT_DOUBLE_EQ(metric(o, "inodes_free_percent"), 25);
  EXPECT_EQ(unit(o, "free_percent"), "%");
  EXPECT_EQ(o.verdict->message, "/var: 5.0 GiB free of 100.0 GiB (5%), inodes 25% free");
}

TEST(DiskObservation, FileSystemsWithoutInodeCountsHaveNoInodeMetrics) {
  auto o = disk_observation("/", DiskSpace{4096, 1024, 1024, 0, 0});
  EXPECT_FALSE(has_metric(o, "inodes_free"));
  EXPECT_FALSE(has_metric(o, "inodes_free_percent"));
  EXPECT_EQ(o.verdict->message, "/: 1.0 KiB free of 4.0 KiB (25%)");
}

TEST(ReadableBytes, PicksTheLargestBinaryUnit) {
  EXPECT_EQ(readable_bytes(0), "0 B");
  EXPECT_EQ(readable_bytes(1023), "1023 B");
  EXPECT_EQ(readable_bytes(1536), "1.5 KiB");
  EXPECT_EQ(readable_bytes(3.0 * (1ull << 40)), "3.0 TiB");
}

}  // namespace
}  // namespace lk::probe::local
