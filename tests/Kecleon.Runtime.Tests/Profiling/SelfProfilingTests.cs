using Kecleon.Instrumentation.Profiles;
using Kecleon.Instrumentation.Profiling;
using Kecleon.Bench;
using Kecleon.Runtime.Deployment;
using Kecleon.Runtime.Guards;
using Kecleon.Runtime.Optimization;
using Kecleon.Runtime.Profiling;
using Kecleon.Runtime.Tests.Samples;
using Kecleon.Workloads;
using Xunit;
using Xunit.Abstractions;

namespace Kecleon.Runtime.Tests.Profiling;

/// <summary>The specialized program with the profiling path built in (<c>SpecializeAndInstrument</c>): it records nothing
/// outside a window, and in one it records the profile the original would have, in the original's numbering.</summary>
[Trait("Tier", "Kernel")]
public sealed class SelfProfilingTests(ITestOutputHelper output)
{
    /// <summary>Every single-program sample. The chain's entry is left out: its exact profile (the instrumented entry on
    /// a test run, its tail calls into the uninstrumented stages) and its specialized program's window do not number the
    /// same sites yet.</summary>
    public static TheoryData<string> Samples => [.. SampleCatalog.All.Select(s => s.Name).Where(n => n != "chain")];

    /// <summary>The daemon's setting, every packet sampled: exact counts to compare.</summary>
    private static readonly InstrumentationOptions EveryPacket =
        InstrumentationOptions.LiveWindowed with { SampleShift = 0, BranchSampleShift = 0, PeriodShift = 0, RingSlots = 256, KeyBytes = 64 };

    private const int ReadEvery = 16;

    /// <summary>Specialized on the trace's exact profile (hot keys included), the program profiles the same trace in a
    /// window: every branch of the original it still has counts what the original's exact count says, and every lookup
    /// site it still has (a hot-key site: the key before the hot-key check) records the same keys.</summary>
    [Theory]
    [MemberData(nameof(Samples))]
    public void The_specialized_program_profiles_itself_in_the_originals_numbering(string sample)
    {
        var s = SampleCatalog.Get(sample);
        var controlPlane = s.GenerateControlPlane(SampleFixtures.Seed);
        var trace = s.GenerateTrace(controlPlane, Locality.High, 400, 4);
        var source = SampleFiles.Read(s);
        var exact = TraceProfile.Record(source, s.ProgramName, controlPlane, trace);
        using var live = SampleFixtures.Load(sample, SampleFixtures.ClangObject(sample), "live", controlPlane);
        foreach (var packet in trace)
            live.Program.TestRun(packet);
        using var guards = GuardTable.Open();
        using var optimized = OptimizationCycle.Run(source, live, SampleFixtures.ClangObject(sample), guards, trace,
            new OptimizeOptions { Profile = exact, Profiling = EveryPacket });
        Assert.True(optimized.Report.Check!.Equivalent);
        var layout = optimized.Report.Profiling!;
        Assert.True(layout.Windowed);

        using var profiler = new Profiler(optimized.Variant, layout, new ProfilerOptions { Decay = 1, TrackedKeysPerSite = int.MaxValue });
        profiler.OpenWindow(TimeSpan.FromMinutes(1));
        Assert.True(profiler.WindowOpen);
        for (var i = 0; i < trace.Count; i++)
        {
            Assert.Equal(live.Program.TestRun(trace[i]).Output, optimized.Variant.Program.TestRun(trace[i]).Output);
            if (i % ReadEvery == ReadEvery - 1)
                profiler.Collect();
        }
        profiler.CloseWindow();
        var window = profiler.EndWindow();
        Assert.Equal((ulong)trace.Count, window.Packets);
        Assert.Equal(0, window.LostSamples);
        var profile = profiler.Snapshot();
        var hotKeyMaps = optimized.Report.Applied.Where(a => a.Pass == "hot-keys" && a.What.Contains("compared before", StringComparison.Ordinal))
            .Select(a => a.What.Split(':')[0]).ToHashSet();
        output.WriteLine($"{sample}: {layout.Branches.Count} of the original's {exact.Branches.Count} branches left, key sites {string.Join(", ", layout.Sites.Select(x => $"#{x.Site} {x.Map}"))}" +
                         $" (hot keys in {string.Join(", ", hotKeyMaps)})");
        Assert.NotEmpty(profile.Branches);
        foreach (var branch in profile.Branches)
        {
            var expected = exact.Branches.Single(b => b.Function == branch.Function && b.Block == branch.Block);
            Assert.Equal((expected.Taken, expected.NotTaken), (branch.Taken, branch.NotTaken));
        }
        foreach (var site in profile.Sites)
        {
            var expected = exact.Site(site.Site);
            Assert.NotNull(expected);
            Assert.Equal(expected.Lookups, site.Lookups);
            Assert.Equal(Counts(expected).Take(8), Counts(site).Take(8));
        }
        // A hot-key site is still profiled, at its key.
        foreach (var map in hotKeyMaps)
            Assert.Contains(layout.Sites, x => x.Map == map);

        // Closed, the program records nothing.
        foreach (var packet in trace.Take(64))
            optimized.Variant.Program.TestRun(packet);
        var closed = profiler.EndWindow();
        Assert.Equal(0ul, closed.Packets);
        Assert.Equal(0, closed.Samples);
    }

    /// <summary>A window left open (by a daemon that was killed, say) ends by itself at its end: the first packet after it
    /// closes it, and nothing is recorded from then on.</summary>
    [Fact]
    public void A_window_closes_itself_at_its_end()
    {
        using var setup = new LiveSample("balancer");
        var trace = setup.Sample.GenerateTrace(setup.ControlPlane, Locality.High, 64, 5);
        using var optimized = setup.Optimize(trace, new OptimizeOptions { Profiling = EveryPacket });
        using var profiler = new Profiler(optimized.Variant, optimized.Report.Profiling!);
        profiler.OpenWindow(TimeSpan.FromMilliseconds(300));
        foreach (var packet in trace)
            optimized.Variant.Program.TestRun(packet);
        Assert.True(profiler.EndWindow().Samples > 0);
        Assert.True(profiler.WindowOpen);
        Thread.Sleep(500);
        foreach (var packet in trace)
            optimized.Variant.Program.TestRun(packet);
        Assert.False(profiler.WindowOpen);
        Assert.Equal(0, profiler.EndWindow().Samples);
        Assert.All(profiler.Snapshot().Branches, b => Assert.True(b.Total >= 0));
    }

    private static IEnumerable<(string Key, double Count)> Counts(SiteProfile site) =>
        site.Keys.Select(k => (Convert.ToHexString(k.Key), k.Count)).OrderByDescending(k => k.Count).ThenBy(k => k.Item1, StringComparer.Ordinal);
}
