using System.Buffers.Binary;
using Kecleon.Instrumentation.Profiles;
using Kecleon.Bench;
using Kecleon.Runtime.Checking;
using Kecleon.Runtime.Deployment;
using Kecleon.Runtime.Profiling;
using Kecleon.Runtime.Tests.Samples;
using Kecleon.Workloads;
using Kecleon.Tests;
using Xunit;

namespace Kecleon.Runtime.Tests.Profiling;

public sealed class ProfilingTests
{
    public static TheoryData<string> Samples => SampleFixtures.Names;

    private static readonly Dictionary<string, Lazy<InstrumentedObject>> Instrumented =
        SampleCatalog.All.ToDictionary(s => s.Name, s => new Lazy<InstrumentedObject>(() => InstrumentedObject.Build(SampleFiles.Read(s))));

    [Trait("Tier", "Kernel")]
    [Theory]
    [MemberData(nameof(Samples))]
    public void The_instrumented_program_does_what_the_original_does(string sample)
    {
        var s = SampleCatalog.Get(sample);
        var controlPlane = s.GenerateControlPlane(SampleFixtures.Seed);
        var build = Instrumented[sample].Value;
        using var original = SampleFixtures.Load(sample, SampleFixtures.ClangObject(sample), "original", controlPlane);
        using var instrumented = SampleFixtures.Load(sample, build.Elf, "instrumented", controlPlane);
        var packets = s.GenerateTrace(controlPlane, Locality.Low, 400, 3).Concat(s.KnownPackets(controlPlane).Select(k => k.Frame)).ToList();
        var report = DifferentialChecker.Check(original, instrumented, packets, new DiffOptions { CompareMapsEvery = 8, IgnoredMaps = Instrumentation.Profiling.InstrumentationLayout.Maps });
        Assert.True(report.Equivalent, string.Join("\n", report.Mismatches.Select(m => $"packet {m.PacketIndex}: {m.Description}")));
        Assert.NotEmpty(build.Layout.Branches);

        // With every packet sampled, the recording paths are checked too, not only the test that skips them: every packet
        // through the profiled copy, and every packet recording its keys in the program's own code.
        // And the live setting: the profiled copy out of line (every packet calls it here), and sampled ticks, whose
        // other packets skip the profiler's memory altogether.
        var live = Instrumentation.Profiling.InstrumentationOptions.Live;
        foreach (var (name, options) in new (string, Instrumentation.Profiling.InstrumentationOptions)[]
                 {
                     ("instrumented-copy", new() { SampleShift = 0, BranchSampleShift = 0 }),
                     ("instrumented-keys", new() { SampleShift = 0, BranchSampleShift = 30 }),
                     ("instrumented-out-of-line", live with { SampleShift = 0, BranchSampleShift = 0, PeriodShift = 0 }),
                     ("instrumented-live", live),
                 })
        {
            var all = InstrumentedObject.Build(SampleFiles.Read(s), options);
            using var everyPacket = SampleFixtures.Load(sample, all.Elf, name, controlPlane);
            using var original2 = SampleFixtures.Load(sample, SampleFixtures.ClangObject(sample), "original", controlPlane);
            report = DifferentialChecker.Check(original2, everyPacket, packets, new DiffOptions { CompareMapsEvery = 8, IgnoredMaps = Instrumentation.Profiling.InstrumentationLayout.Maps });
            Assert.True(report.Equivalent, name + ": " + string.Join("\n", report.Mismatches.Select(m => $"packet {m.PacketIndex}: {m.Description}")));
        }
    }

    [Trait("Tier", "Kernel")]
    [Fact]
    public void The_profile_finds_the_hot_routes_of_a_high_locality_trace()
    {
        using var setup = new LiveSample("router");
        var (s, controlPlane, live) = (setup.Sample, setup.ControlPlane, setup.Program);
        using var profiler = Profiler.Load(setup.Source, live);
        var trace = s.GenerateTrace(controlPlane, Locality.High, 4000, 5);
        Replay(profiler, trace);
        var window = profiler.EndWindow();
        Assert.Equal(4000UL, window.Packets);
        var profile = profiler.Snapshot();
        Assert.Equal(4000UL, profile.Packets);

        var site = Assert.Single(profile.Sites, p => p.Map == "routes");
        var expected = RouteKeys(trace).Take(3).ToList();
        var found = site.Keys.Take(10).Select(k => Convert.ToHexString(k.Key)).ToList();
        Assert.All(expected, key => Assert.Contains(key, found));
        // The sampled count of lookups is close to the real one (every routable packet looks up once).
        Assert.InRange(site.Lookups, RouteKeys(trace, distinct: false).Count() * 0.8, RouteKeys(trace, distinct: false).Count() * 1.2);
        // Branches: the first branch of the program (a packet long enough for Ethernet?) ran once per packet.
        var first = profile.Branches.OrderBy(b => b.Block).First();
        Assert.InRange(first.Total, 4000 * 0.8, 4000 * 1.2);
    }

    /// <summary>All counters in one per-CPU element or spread over many (a program with more branches than one element
    /// holds): the same counts, exact with every packet sampled, and the way counts of every branch add up.</summary>
    [Trait("Tier", "Kernel")]
    [Theory]
    [InlineData("router")]
    [InlineData("firewall")]
    public void Branch_counts_are_exact_in_one_counter_element_or_many(string sample)
    {
        var s = SampleCatalog.Get(sample);
        var controlPlane = s.GenerateControlPlane(SampleFixtures.Seed);
        var trace = s.GenerateTrace(controlPlane, Locality.Low, 500, 7);
        Profile Record(int countersPerElement)
        {
            using var live = SampleFixtures.Load(sample, SampleFixtures.ClangObject(sample), "live", controlPlane);
            using var profiler = Profiler.Load(SampleFiles.Read(s), live,
                new Instrumentation.Profiling.InstrumentationOptions { SampleShift = 0, BranchSampleShift = 0, CountersPerElement = countersPerElement });
            Replay(profiler, trace);
            profiler.EndWindow();
            return profiler.Snapshot();
        }
        var one = Record(Instrumentation.Profiling.InstrumentationLayout.MaxCountersPerElement);
        var many = Record(4);
        Assert.Equal(one.Branches, many.Branches);
        Assert.Equal(500, one.Branches.OrderBy(b => b.Block).First().Total);
        Assert.Contains(one.Branches, b => b.Taken > 0 && b.NotTaken > 0);
    }

    /// <summary>Sampled packets are kept whole (when short enough): live traffic the daemon adds to its differential
    /// check.</summary>
    [Trait("Tier", "Kernel")]
    [Fact]
    public void Sampled_packets_are_kept_as_they_arrived()
    {
        using var setup = new LiveSample("router");
        var (s, controlPlane, live) = (setup.Sample, setup.ControlPlane, setup.Program);
        using var profiler = Profiler.Load(setup.Source, live);
        Assert.Empty(profiler.RecentPackets());
        var trace = s.GenerateTrace(controlPlane, Locality.Low, 10_000, 9); // one packet in 256 is kept
        Replay(profiler, trace);
        var kept = profiler.RecentPackets();
        var sent = trace.Select(Convert.ToHexString).ToHashSet();
        Assert.InRange(kept.Count, 16, 32 * Environment.ProcessorCount);
        Assert.All(kept, p => Assert.Contains(Convert.ToHexString(p), sent));
    }

    [Trait("Tier", "Kernel")]
    [Fact]
    public void A_traffic_shift_shows_after_the_next_window()
    {
        using var setup = new LiveSample("router");
        var (s, controlPlane, live) = (setup.Sample, setup.ControlPlane, setup.Program);
        using var profiler = Profiler.Load(setup.Source, live);
        var before = s.GenerateTrace(controlPlane, Locality.High, 3000, 11);
        var after = s.GenerateTrace(controlPlane, Locality.High, 3000, 12);
        var hotBefore = RouteKeys(before).First();
        var hotAfter = RouteKeys(after).First();
        Assert.NotEqual(hotBefore, hotAfter);

        Replay(profiler, before);
        profiler.EndWindow();
        Assert.Equal(hotBefore, Convert.ToHexString(profiler.Snapshot().Sites.Single(p => p.Map == "routes").Keys[0].Key));
        Replay(profiler, after);
        profiler.EndWindow();
        var keys = profiler.Snapshot().Sites.Single(p => p.Map == "routes").Keys;
        Assert.Equal(hotAfter, Convert.ToHexString(keys[0].Key));
        // The old hot key has aged: it counts at most half of what it did.
        var old = keys.FirstOrDefault(k => Convert.ToHexString(k.Key) == hotBefore);
        Assert.True(old is null || old.Count < keys[0].Count);
    }

    /// <summary>A ring far smaller than a window's samples wraps instead of filling up: the profile follows the latest
    /// traffic, and the profiler says how many samples it lost.</summary>
    [Trait("Tier", "Kernel")]
    [Fact]
    public void A_full_ring_wraps_and_keeps_following_the_traffic()
    {
        using var setup = new LiveSample("router");
        var (s, controlPlane, live) = (setup.Sample, setup.ControlPlane, setup.Program);
        using var profiler = Profiler.Load(setup.Source, live, new Instrumentation.Profiling.InstrumentationOptions { SampleShift = 0, RingSlots = 256 },
            new ProfilerOptions { TrackedKeysPerSite = 16 });
        var before = s.GenerateTrace(controlPlane, Locality.High, 2000, 11);
        var after = s.GenerateTrace(controlPlane, Locality.High, 2000, 12);
        Replay(profiler, before);
        Assert.True(profiler.EndWindow().LostSamples > 0);
        Replay(profiler, after);
        var window = profiler.EndWindow();
        Assert.True(window.LostSamples > 0);
        Assert.InRange(window.Samples, 1, 256 * Environment.ProcessorCount);
        var keys = profiler.Snapshot().Sites.Single(p => p.Map == "routes").Keys;
        Assert.True(keys.Count <= 16);
        Assert.Equal(RouteKeys(after.TakeLast(256).ToList()).First(), Convert.ToHexString(keys[0].Key));
    }

    /// <summary>Reading the ring during a window (what the daemon does every 100 ms and <c>kecleon profile</c> after each
    /// replay) loses nothing a window's end alone would lose, and the window still counts as one.</summary>
    [Trait("Tier", "Kernel")]
    [Fact]
    public void Collecting_during_a_window_keeps_every_sample()
    {
        using var setup = new LiveSample("router");
        var (s, controlPlane, live) = (setup.Sample, setup.ControlPlane, setup.Program);
        using var profiler = Profiler.Load(setup.Source, live, new Instrumentation.Profiling.InstrumentationOptions { SampleShift = 0, RingSlots = 256 });
        var trace = s.GenerateTrace(controlPlane, Locality.High, 2000, 13);
        foreach (var part in trace.Chunk(100))
        {
            Replay(profiler, part);
            profiler.Collect();
        }
        var window = profiler.EndWindow();
        Assert.Equal(0, window.LostSamples);
        Assert.Equal(1, window.Number);
        var routable = RouteKeys(trace, distinct: false).Count();
        Assert.Equal(routable, window.Samples);
        var site = profiler.Snapshot().Sites.Single(p => p.Map == "routes");
        Assert.Equal(routable, site.Lookups);
        Assert.Equal(RouteKeys(trace).First(), Convert.ToHexString(site.Keys[0].Key));
    }

    [Trait("Tier", "Kernel")]
    [Fact]
    public void Profiling_and_disposing_leaks_no_descriptors()
    {
        using var setup = new LiveSample("router");
        var (s, controlPlane, live) = (setup.Sample, setup.ControlPlane, setup.Program);
        var trace = s.GenerateTrace(controlPlane, Locality.High, 50, 4);
        FdLeakCheck.AssertNoLeak(() =>
        {
            using var profiler = Profiler.Load(setup.Source, live);
            Replay(profiler, trace);
            profiler.EndWindow();
        }, iterations: 2);
    }

    [Fact]
    public void A_profile_round_trips_through_json_and_a_wrong_format_is_refused()
    {
        var profile = new Profile
        {
            Program = "xdp_router",
            IrHash = Profile.IrFingerprint("ir"),
            Packets = 42,
            Duration = TimeSpan.FromSeconds(2),
            Sites = [new SiteProfile(3, "routes", "xdp_router", 40, [new HotKey([0x20, 0, 0, 0, 10, 0, 0, 1], 30)])],
            Branches = [new BranchProfile("xdp_router", 2, 30, 12)],
        };
        var path = TestEnvironment.TempFile(".json");
        profile.Save(path);
        var loaded = Profile.Load(path);
        Assert.Equal(profile.IrHash, loaded.IrHash);
        Assert.Equal(profile.Sites[0].Keys[0].Key, loaded.Sites[0].Keys[0].Key);
        Assert.Equal(profile.Branches[0], loaded.Branches[0]);
        Assert.Equal(profile.Packets, loaded.Packets);

        File.WriteAllText(path, File.ReadAllText(path).Replace("\"format\": 1", "\"format\": 99", StringComparison.Ordinal));
        var error = Assert.Throws<InvalidInputException>(() => Profile.Load(path));
        Assert.Contains("format 99", error.Message);
        File.WriteAllText(path, "{ not json");
        error = Assert.Throws<InvalidInputException>(() => Profile.Load(path));
        Assert.Contains("is not a Kecleon profile", error.Message);
    }

    [Fact]
    public void The_ir_fingerprint_does_not_depend_on_where_the_source_was_compiled()
    {
        var s = SampleCatalog.Get("router");
        var copy = Path.Combine(Directory.CreateTempSubdirectory("kecleon-fingerprint-").FullName, "router.bpf.c");
        File.Copy(SampleFiles.SourceOf(s), copy);
        File.Copy(Path.Combine(Path.GetDirectoryName(SampleFiles.SourceOf(s))!, "router.h"), Path.Combine(Path.GetDirectoryName(copy)!, "router.h"));
        // Separate contexts: one context renames the second module's struct types (%struct.xdp_md.0).
        using var contextA = Llvm.LlvmContext.Create();
        using var contextB = Llvm.LlvmContext.Create();
        using var a = SampleFiles.Read(s).Parse(contextA);
        using var b = FrontEnd.ProgramSource.Read(copy, SampleFiles.FrontEndOptions).Parse(contextB);
        Assert.NotEqual(a.ToString(), b.ToString());
        Assert.Equal(Profile.IrFingerprint(a.ToString()), Profile.IrFingerprint(b.ToString()));
        Assert.NotEqual(Profile.IrFingerprint(a.ToString()), Profile.IrFingerprint(a.ToString().Replace("i32 32", "i32 31", StringComparison.Ordinal)));
    }

    /// <summary>The bench's instrumented variant: checked against the baseline packet by packet, and its cost reported
    /// in the text and the JSON. What it may cost is a threshold of <c>kecleon bench --check</c>
    /// (<c>.ci/bench-thresholds.json</c>), not an assertion here.</summary>
    [Trait("Tier", "Kernel")]
    [Fact]
    public void The_instrumented_variant_is_checked_and_its_cost_reported()
    {
        var result = BenchSession.Run(BenchWorkload.ForSample(SampleCatalog.Get("router"), Locality.High, 2000, 1), [],
            rounds: 1, instrument: true, loads: 1);
        Assert.Equal(0, result.Mismatches);
        var overhead = result.Timing(BenchSession.InstrumentedVariant)!.MeanNs / result.BaselineNs - 1;
        Assert.Equal(Math.Round(overhead, 4), (double)BenchReport.Json(result)["instrumentation_overhead"]!, 4);
        Assert.Contains("instrumented: ", BenchReport.Text(result));
        Assert.Contains("differential check instrumented vs baseline: 2000 packets, 0 mismatches", BenchReport.Text(result));
    }

    /// <summary>With one kernel tick in two sampled, a replay long enough to span many ticks is counted about half the
    /// time, and the profiler scales its counts back to every packet.</summary>
    [Trait("Tier", "Kernel")]
    [Fact]
    public void With_sampled_ticks_only_their_packets_are_counted_and_the_counts_are_scaled_back()
    {
        using var setup = new LiveSample("router");
        var options = new Instrumentation.Profiling.InstrumentationOptions { SampleShift = 0, BranchSampleShift = 30, PeriodShift = 1 };
        using var profiler = Profiler.Load(setup.Source, setup.Program, options);
        var trace = setup.Sample.GenerateTrace(setup.ControlPlane, Locality.High, 500, 5);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var replayed = 0UL;
        while (clock.ElapsedMilliseconds < 400) // 100 ticks at 250 Hz
        {
            Replay(profiler, trace);
            profiler.Collect();
            replayed += (ulong)trace.Count;
        }
        var window = profiler.EndWindow();
        var counted = window.Packets / 2; // what the program counted: Packets is scaled by the 2 ticks per sampled one
        Assert.InRange(counted / (double)replayed, 0.25, 0.75);
        Assert.InRange(window.Packets / (double)replayed, 0.5, 1.5);
        // Every counted packet recorded its routes key (SampleShift 0), so the lookups are scaled the same way.
        var routes = Assert.Single(profiler.Snapshot().Sites, p => p.Map == "routes");
        Assert.InRange(routes.Lookups / (double)RouteKeys(trace, distinct: false).Count() / (replayed / (double)trace.Count), 0.5, 1.5);
    }

    private static void Replay(Profiler profiler, IReadOnlyList<byte[]> trace)
    {
        foreach (var packet in trace)
            profiler.Instrumented.Program.TestRun(packet);
    }

    /// <summary>The <c>routes</c> keys (prefix length 32, destination) of the trace's routable packets, most frequent first.</summary>
    private static IEnumerable<string> RouteKeys(IReadOnlyList<byte[]> trace, bool distinct = true)
    {
        var keys = trace.Where(p => p.Length >= 34 && BinaryPrimitives.ReadUInt16BigEndian(p.AsSpan(12)) == 0x0800 && p[22] > 1)
            .Select(p => "20000000" + Convert.ToHexString(p.AsSpan(30, 4)));
        return distinct ? keys.GroupBy(k => k).OrderByDescending(g => g.Count()).Select(g => g.Key) : keys;
    }
}
