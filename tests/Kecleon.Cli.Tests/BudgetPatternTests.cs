using System.Globalization;
using Kecleon.Tests;
using Xunit;
using Xunit.Abstractions;

namespace Kecleon.Cli.Tests;

/// <summary>A program the verifier processes about 90,000 instructions of, with three small maps: planned against the
/// verifier's real limit (not an estimate that would allow one combination of answers), measured on the loaded
/// result, its small maps inlined; with a budget under what the result costs, each back-off is a step.</summary>
public sealed class LargeProgramPatternTests(ITestOutputHelper output) : MapPatternTests(output)
{
    protected override string Pattern => "large_program";
    protected override string Program => "lp_parse";
    protected override IReadOnlyList<string> LoaderOptions(int peerIndex) =>
        ["--u32", "lp_ethertypes", "0x0800", "2", "--u32", "lp_ethertypes", "0x86dd", "2", "--u32", "lp_mode", "0", "1",
         "--u32", "lp_services", "17", "0x102", "--u32", "lp_services", "6", "0x102"];

    [Fact]
    public void The_daemon_optimizes_and_restores_it() => AssertTheDaemonOptimizesAndRestoresIt();

    [Fact]
    public void Its_small_maps_are_inlined_within_the_measured_budget_and_a_smaller_budget_backs_off()
    {
        var (id, root, stop) = LoadAttached();
        try
        {
            var first = Kecleon("optimize", Source, "--prog-id", id, "--pin-root", root, "--check-packets", "200");
            Assert.True(first.ExitCode == 0, first.Output);
            Assert.Contains("verifier-budget: the original cost the verifier", first.Stdout);
            Assert.Contains("within the 500,000 budget", first.Stdout);
            foreach (var map in new[] { "lp_ethertypes", "lp_mode", "lp_services" })
                Assert.Contains($"map {map}: ", first.Stdout);
            Assert.Contains(" 0 mismatches", first.Stdout);
            Assert.Equal(0, Kecleon("optimize", Source, "--prog-id", id, "--pin-root", root, "--restore").ExitCode);

            var small = Kecleon("optimize", Source, "--prog-id", id, "--pin-root", root, "--check-packets", "200", "--verifier-budget", "60000");
            Assert.True(small.ExitCode == 0, small.Output);
            Assert.Contains("verifier-budget: back-off 1: ", small.Stdout);
            Assert.Contains("left to the kernel to fit the verifier's budget: the verifier processed", small.Stdout);
        }
        finally
        {
            stop();
        }
    }
}

/// <summary>A consistent-hash ring of a million slots read at hash % size, its slot a backend's index: with a profile its
/// hot slots get fast paths (constants that make the backend lookup's key constant), the ring is read only at those
/// slots, and the check shares it, read-only, instead of copying it.</summary>
public sealed class HashRingPatternTests(ITestOutputHelper output) : MapPatternTests(output)
{
    protected override string Pattern => "hash_ring";
    protected override string Program => "hr_balance";
    protected override IReadOnlyList<string> LoaderOptions(int peerIndex) =>
        ["--fill", "hr_ring", "1048576", "4", "--u32", "hr_backends", "0", "0x0a000001", "--u32", "hr_backends", "1", "0x0a000002",
         "--u32", "hr_backends", "2", "0x0a000003", "--u32", "hr_backends", "3", "0x0a000004"];

    [Fact]
    public void The_daemon_optimizes_and_restores_it() => AssertTheDaemonOptimizesAndRestoresIt();

    [Fact]
    public void A_profile_gives_the_ring_hot_index_fast_paths_and_the_check_does_not_copy_it()
    {
        var (id, root, stop) = LoadAttached();
        try
        {
            var profilePath = TestEnvironment.TempFile(".json", "budget-ring");
            var profile = Kecleon("profile", Source, "--pcap", Trace(), "--out", profilePath);
            Assert.True(profile.ExitCode == 0, profile.Output);
            var optimized = Kecleon("optimize", Source, "--prog-id", id, "--pin-root", root, "--check-packets", "200", "--profile", profilePath);
            Assert.True(optimized.ExitCode == 0, optimized.Output);
            Assert.Contains("+ hot-keys: hr_ring: ", optimized.Stdout);
            Assert.Matches(@"check: [\w, ]*hr_ring[\w, ]*: shared, read-only", optimized.Stdout);
            Assert.Contains(" 0 mismatches", optimized.Stdout);
            Assert.Matches($"swapped program {id} -> \\d+", optimized.Stdout);
            var restore = Kecleon("optimize", Source, "--prog-id", id, "--pin-root", root, "--restore");
            Assert.True(restore.ExitCode == 0, restore.Output);
        }
        finally
        {
            stop();
        }
    }
}
