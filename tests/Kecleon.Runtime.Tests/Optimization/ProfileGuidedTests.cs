using Kecleon.Analyses;
using Kecleon.Llvm;
using Kecleon.Optimizer.Passes;
using Kecleon.Optimizer.Specialization;
using Kecleon.Bench;
using Kecleon.Runtime.Deployment;
using Kecleon.Runtime.Guards;
using Kecleon.Runtime.Optimization;
using Kecleon.Runtime.Tests.Samples;
using Kecleon.Workloads;
using Xunit;

namespace Kecleon.Runtime.Tests.Optimization;

/// <summary>The profile-guided passes on the real kernel, with profiles counted from the samples' own traces.</summary>
[Trait("Tier", "Kernel")]
public sealed class ProfileGuidedTests
{
    private sealed record Setup(INetworkFunctionSample Sample, ControlPlaneData ControlPlane, IReadOnlyList<byte[]> Trace,
        Kecleon.Instrumentation.Profiles.Profile Profile) : IDisposable
    {
        public LoadedVariant Live { get; } = SampleFixtures.Load(Sample.Name, SampleFixtures.ClangObject(Sample.Name), "live", ControlPlane);
        public GuardTable Guards { get; } = GuardTable.Open();

        public OptimizedProgram Optimize(InliningLimits? limits = null) => OptimizationCycle.Run(SampleFiles.Read(Sample), Live,
            SampleFixtures.ClangObject(Sample.Name), Guards, Trace, new OptimizeOptions { Profile = Profile, Limits = limits ?? InliningLimits.Default });

        public void Dispose()
        {
            Live.Dispose();
            Guards.Dispose();
        }
    }

    /// <summary>The sample, its trace, the trace's profile, and the live program having seen the trace once (so what the
    /// data plane learns from it is in the maps, as on a running data plane).</summary>
    private static Setup Prepare(string sample, int packets = 400)
    {
        var s = SampleCatalog.Get(sample);
        var controlPlane = s.GenerateControlPlane(SampleFixtures.Seed);
        var trace = s.GenerateTrace(controlPlane, Locality.High, packets, 4);
        var setup = new Setup(s, controlPlane, trace, TraceProfile.Record(SampleFiles.Read(s), s.ProgramName, controlPlane, trace));
        foreach (var packet in trace)
            setup.Live.Program.TestRun(packet);
        return setup;
    }

    /// <summary>Maps too large to inline (constants folded), results the inliner leaves to the kernel because of how they
    /// are used (constant copies), rarely written maps: the cycle's differential check and the live maps agree with the
    /// original. With no room for .rodata search tables, the firewall's port maps (merged through a phi) and LPM tables
    /// get hot keys instead of whole-map searches. Arrays never do: the kernel's own lookup is cheaper. Many hot keys are
    /// a hash table (the first map listed), fewer a tree of compares.</summary>
    [Theory]
    [InlineData("balancer", "lru_conns:", false, InliningLimits.DefaultMaxTableBytes, true)]
    [InlineData("balancer", "lru_conns:", false, InliningLimits.DefaultMaxTableBytes, false)]
    [InlineData("firewall", "conntrack:", false, InliningLimits.DefaultMaxTableBytes, true)]
    [InlineData("firewall", "conntrack:", false, InliningLimits.DefaultMaxTableBytes, false)]
    [InlineData("firewall", "sport_map: dst_lpm: conntrack:", true, 0, false)]
    public void Hot_keys_give_the_original_verdicts(string sample, string maps, bool constantCopies, long maxTableBytes, bool hashed)
    {
        using var setup = Prepare(sample);
        using var optimized = setup.Optimize(InliningLimits.Default with
        {
            MaxTableBytes = maxTableBytes,
            MinHashedHotKeys = hashed ? InliningLimits.Default.MinHashedHotKeys : int.MaxValue,
        });
        Assert.True(optimized.Report.Check!.Equivalent);
        Assert.Empty(optimized.Report.Check.Mismatches);
        foreach (var map in maps.Split(' '))
            Assert.Contains(optimized.Report.Applied, s => s.Pass == "hot-keys" && s.What.StartsWith(map, StringComparison.Ordinal));
        var first = optimized.Report.Applied.First(s => s.Pass == "hot-keys" && s.What.StartsWith(maps.Split(' ')[0], StringComparison.Ordinal));
        Assert.Equal(hashed, first.What.Contains("hash of the key", StringComparison.Ordinal));
        Assert.DoesNotContain(optimized.Report.Applied, s => s.Pass == "hot-keys" && IsArray(setup, s.What.Split(':')[0]));
        if (constantCopies)
            Assert.Contains(optimized.Report.Applied, s => s.Pass == "hot-keys" && s.What.Contains(".rodata", StringComparison.Ordinal));
        Assert.True(optimized.IsCurrent);
        foreach (var packet in setup.Trace.Take(100))
            Assert.Equal(setup.Live.Program.TestRun(packet).Output, optimized.Variant.Program.TestRun(packet).Output);
    }

    private static bool IsArray(Setup setup, string map) => setup.Live.Object.FindMap(map)?.Type == Kecleon.Bpf.BpfMapType.Array;

    /// <summary>The hottest established flow of the balancer and a value for it that sends it to another real.</summary>
    private static (byte[] Key, byte[] Moved) HotFlowMovedToAnotherReal(Kecleon.Instrumentation.Profiles.Profile profile, Kecleon.Bpf.BpfMapAccess lruConns)
    {
        var hot = profile.Sites.Single(x => x.Map == "lru_conns").Keys.Select(k => k.Key).First(k => lruConns.Lookup(k) is not null);
        var value = lruConns.Lookup(hot)!;
        var real = BitConverter.ToUInt32(value);
        var other = lruConns.Entries().Select(e => BitConverter.ToUInt32(e.Value)).First(r => r != real);
        var moved = (byte[])value.Clone();
        BitConverter.GetBytes(other).CopyTo(moved, 0);
        return (hot, moved);
    }

    /// <summary>
    /// The fast path answers from the snapshot (constants, or a .rodata table): on private maps (no guard hook sees a write to them) a changed hot value is
    /// not seen by the specialized program while the original sees it.
    /// </summary>
    [Fact]
    public void The_hot_key_fast_path_is_taken()
    {
        var s = SampleCatalog.Get("balancer");
        var controlPlane = s.GenerateControlPlane(SampleFixtures.Seed);
        var trace = s.GenerateTrace(controlPlane, Locality.High, 400, 4);
        var source = SampleFiles.Read(s);
        var profile = TraceProfile.Record(source, s.ProgramName, controlPlane, trace);
        using var original = SampleFixtures.Load("balancer", SampleFixtures.ClangObject("balancer"), "original", controlPlane);
        foreach (var packet in trace)
            original.Program.TestRun(packet); // the flows are established, as on a running balancer
        var lruConns = original.Object.Map("lru_conns");
        var hotKeys = profile.Sites.Single(x => x.Map == "lru_conns").Keys
            .Select(k => (k.Key, Value: lruConns.Lookup(k.Key))).Where(k => k.Value is not null).Select(k => (k.Key, k.Value!)).ToList();

        byte[] elf;
        using (var context = LlvmContext.Create())
        using (var module = source.Parse(context))
        using (var analysis = ProgramAnalysis.Analyze(module))
        {
            var snapshot = new MapSnapshot("lru_conns", Kecleon.Bpf.BpfMapType.LruHash, 16, 16, 10_000, hotKeys, 0, 0);
            var request = new SpecializationRequest(new Dictionary<string, MapSnapshot>())
            {
                Profile = profile,
                HotKeySnapshots = new Dictionary<string, MapSnapshot> { ["lru_conns"] = snapshot },
            };
            var result = Kecleon.Optimizer.Specializer.Specialize(module, analysis, request);
            Assert.Contains(result.Applied, x => x.Pass == "hot-keys" && x.What.StartsWith("lru_conns:", StringComparison.Ordinal));
            elf = result.Object.Elf;
        }
        using var specialized = LoadedVariant.Load("specialized", elf, s.ProgramName, shareMapsWith: original);
        specialized.Object.Map(Kecleon.Optimizer.Guards.GuardPrelude.FallbackMap)
            .Update(BitConverter.GetBytes(0u), BitConverter.GetBytes((uint)original.Program.Fd));
        var packets = trace.Take(200).ToList();
        foreach (var packet in packets)
            Assert.Equal(original.Program.TestRun(packet).Output, specialized.Program.TestRun(packet).Output);

        // The hot flow moves to another real behind the guard's back (the test's own maps are not guarded).
        var (hot, moved) = HotFlowMovedToAnotherReal(profile, lruConns);
        lruConns.Update(hot, moved);
        var differing = packets.Count(p => !original.Program.TestRun(p).Output.AsSpan().SequenceEqual(specialized.Program.TestRun(p).Output));
        Assert.True(differing > 0, "the specialized program read the hot flow from the map: the fast path was not taken");
    }

    [Fact]
    public void A_control_plane_change_of_a_hot_value_falls_back_then_respecialization_uses_the_new_value()
    {
        using var setup = Prepare("balancer");
        var lruConns = setup.Live.Object.Map("lru_conns");
        var (hot, moved) = HotFlowMovedToAnotherReal(setup.Profile, lruConns);
        var optimized = setup.Optimize();
        try
        {
            Assert.Contains(optimized.Report.Applied, s => s.Pass == "hot-keys" && s.What.StartsWith("lru_conns:", StringComparison.Ordinal));
            var before = setup.Trace.Select(p => setup.Live.Program.TestRun(p).Output).ToList();
            lruConns.Update(hot, moved);
            Assert.False(optimized.IsCurrent);
            var changed = 0;
            for (var i = 0; i < setup.Trace.Count; i++)
            {
                var expected = setup.Live.Program.TestRun(setup.Trace[i]).Output;
                changed += expected.AsSpan().SequenceEqual(before[i]) ? 0 : 1;
                Assert.Equal(expected, optimized.Variant.Program.TestRun(setup.Trace[i]).Output);
            }
            Assert.True(changed > 0, "the moved flow is used by no packet of the trace");

            optimized.Dispose();
            optimized = setup.Optimize();
            Assert.True(optimized.IsCurrent);
            Assert.Contains(optimized.Report.Applied, s => s.Pass == "hot-keys" && s.What.StartsWith("lru_conns:", StringComparison.Ordinal));
            foreach (var packet in setup.Trace)
                Assert.Equal(setup.Live.Program.TestRun(packet).Output, optimized.Variant.Program.TestRun(packet).Output);
            Assert.True(optimized.IsCurrent);
        }
        finally
        {
            optimized.Dispose();
        }
    }

    /// <summary>The switch learns rarely: its fdb is specialized, and a packet that makes it learn moves the guard version
    /// from inside the program, so that packet's own later lookup and every later packet use the kernel's answer; the
    /// write wakes whoever waits on the guard table (the daemon), as a control-plane write does.</summary>
    [Fact]
    public async Task A_data_plane_write_to_a_rarely_written_specialized_map_falls_back()
    {
        using var setup = Prepare("switch");
        using var reference = SampleFixtures.Load("switch", SampleFixtures.ClangObject("switch"), "reference", setup.ControlPlane);
        foreach (var packet in setup.Trace)
            reference.Program.TestRun(packet);
        using var optimized = setup.Optimize();
        Assert.Contains(optimized.Report.Applied, s => s.Pass == "hot-keys" && s.What.StartsWith("fdb:", StringComparison.Ordinal));
        Assert.Contains(optimized.Report.Applied, s => s.Pass == "hot-keys" && s.What.Contains("bumps its guard version", StringComparison.Ordinal));
        foreach (var packet in setup.Trace.Take(100))
            Assert.Equal(reference.Program.TestRun(packet).Output, optimized.Variant.Program.TestRun(packet).Output);
        Assert.True(optimized.IsCurrent);

        // A station the switch has not seen: the frame with the hottest destination, from a new source address.
        var forwarded = setup.Trace.First(p => (p[6] & 1) == 0 && (Kecleon.Bpf.XdpAction)reference.Program.TestRun(p).ReturnValue != Kecleon.Bpf.XdpAction.Pass);
        var learning = (byte[])forwarded.Clone();
        byte[] station = [0x02, 0x6b, 0x65, 0x63, 0x6c, 0x01];
        station.CopyTo(learning, 6);
        var expected = reference.Program.TestRun(learning);
        var slot = optimized.Report.Snapshots.Single(s => s.Name == "fdb").GuardSlot;
        var woken = setup.Guards.WaitForWriteAsync(new HashSet<int> { slot }, TimeSpan.FromSeconds(5));
        var before = Kecleon.Runtime.Guards.GuardWrite.NowNs();
        var actual = optimized.Variant.Program.TestRun(learning);
        Assert.Equal(expected.ReturnValue, actual.ReturnValue);
        Assert.Equal(expected.Output, actual.Output);
        Assert.False(optimized.IsCurrent);
        var write = await woken;
        Assert.True(write is not null, "the program's own write to fdb woke no one waiting on the guard table");
        Assert.Equal(slot, write.Value.Slot);
        Assert.True(write.Value.DataPlane, "the wake-up does not say the data plane wrote");
        Assert.True(write.Value.KernelNs >= before, "the wake-up is timed before the write");

        // Frames to the new station are forwarded to where it was learned, as by the original.
        var toStation = (byte[])forwarded.Clone();
        station.CopyTo(toStation, 0);
        foreach (var packet in setup.Trace.Take(50).Append(toStation))
            Assert.Equal(reference.Program.TestRun(packet).Output, optimized.Variant.Program.TestRun(packet).Output);
    }

    [Fact]
    public void Branch_weights_from_the_profile_land_on_the_numbered_branches()
    {
        var s = SampleCatalog.Get("router");
        var controlPlane = s.GenerateControlPlane(SampleFixtures.Seed);
        var trace = s.GenerateTrace(controlPlane, Locality.High, 200, 4);
        var source = SampleFiles.Read(s);
        var profile = TraceProfile.Record(source, s.ProgramName, controlPlane, trace);
        var branch = profile.Branches.Where(b => b.Function == "router").MaxBy(b => b.Total)!;
        Assert.Equal(trace.Count, (int)branch.Total);

        using var context = LlvmContext.Create();
        using var module = source.Parse(context);
        using var analysis = ProgramAnalysis.Analyze(module);
        using var passContext = SpecializationContext.Create(module, new SpecializationRequest(new Dictionary<string, MapSnapshot>()) { Profile = profile }, analysis);
        new BranchWeightsPass().Run(passContext);
        var blocks = module.GetFunction("router")!.Value.Blocks.ToList();
        var weighted = profile.Branches.Where(b => b.Function == "router" && b.Total > 0).ToList();
        Assert.NotEmpty(weighted);
        Assert.All(weighted, b => Assert.True(blocks[b.Block].Terminator!.Value.HasProfileMetadata(context)));
        var weights = BranchWeightsPass.Scale(branch.Taken, branch.NotTaken);
        Assert.Contains($"!{{!\"branch_weights\", i32 {weights[0]}, i32 {weights[1]}}}", module.ToString());
        Assert.Null(module.Verify());
    }

    [Fact]
    public void The_cost_model_takes_hot_keys_while_they_add_enough()
    {
        static Kecleon.Instrumentation.Profiles.SiteProfile Site(int keySize) => new(3, "m", "f", 100,
            new[] { 50.0, 30.0, 10.0, 0.5, 0.4, 0.1 }.Select((c, i) => new Kecleon.Instrumentation.Profiles.HotKey([(byte)i, .. new byte[keySize - 1]], c)).ToList());
        // Keys of one word: a switch case each, so keys down to 0.2 % of the lookups pay.
        Assert.Equal(5, CostModel.ChooseHotKeys(Site(4), 4, InliningLimits.Default).Count);
        Assert.Equal(2, CostModel.ChooseHotKeys(Site(4), 4, InliningLimits.Default with { MaxHotKeysOneWord = 2 }).Count);
        // Wider keys compare their other words key by key: only keys with 1 % or more.
        Assert.Equal(3, CostModel.ChooseHotKeys(Site(16), 16, InliningLimits.Default).Count);
        Assert.Equal(2, CostModel.ChooseHotKeys(Site(16), 16, InliningLimits.Default with { MaxHotKeys = 2 }).Count);
        // In a hash table a hit costs the same however many keys: keys down to 0.05 %, whatever their size.
        Assert.Equal(6, CostModel.ChooseHotKeys(Site(16), 16, InliningLimits.Default, hashed: true).Count);
        Assert.Equal(4, CostModel.ChooseHotKeys(Site(16), 16, InliningLimits.Default with { MaxHashedHotKeys = 4 }, hashed: true).Count);
        Assert.Empty(CostModel.ChooseHotKeys(Site(4), 8, InliningLimits.Default)); // keys of another size: not this map's
        Assert.Equal(0.9, Site(4).Coverage(3), 6);
    }

    [Fact]
    public void A_hot_LPM_key_is_answered_by_its_longest_matching_prefix()
    {
        static byte[] Key(uint length, byte a, byte b, byte c, byte d) => [.. BitConverter.GetBytes(length), a, b, c, d];
        var snapshot = new MapSnapshot("routes", Kecleon.Bpf.BpfMapType.LpmTrie, 8, 4, 16, [
            (Key(8, 10, 0, 0, 0), [1, 0, 0, 0]),
            (Key(16, 10, 1, 0, 0), [2, 0, 0, 0]),
            (Key(24, 10, 1, 2, 0), [3, 0, 0, 0]),
            (Key(0, 0, 0, 0, 0), [9, 0, 0, 0]),
        ], 0, 0);
        Assert.Equal(3, SnapshotAnswers.Answer(snapshot, Key(32, 10, 1, 2, 77))![0]);
        Assert.Equal(2, SnapshotAnswers.Answer(snapshot, Key(32, 10, 1, 3, 77))![0]);
        Assert.Equal(1, SnapshotAnswers.Answer(snapshot, Key(32, 10, 9, 9, 9))![0]);
        Assert.Equal(9, SnapshotAnswers.Answer(snapshot, Key(32, 192, 0, 2, 1))![0]);
        Assert.Equal(1, SnapshotAnswers.Answer(snapshot, Key(12, 10, 1, 2, 77))![0]); // a /12 question: prefixes up to /12 only
        var noDefault = snapshot with { Entries = snapshot.Entries.Take(3).ToList() };
        Assert.Null(SnapshotAnswers.Answer(noDefault, Key(32, 192, 0, 2, 1)));
    }
}
