using System.Buffers.Binary;
using System.Diagnostics;
using Kecleon.Bpf;
using Kecleon.Optimizer.Guards;
using Kecleon.Optimizer.Specialization;
using Kecleon.Runtime.Optimization;
using Kecleon.Runtime.Tests.Samples;
using Kecleon.Workloads;
using Xunit;

namespace Kecleon.Runtime.Tests.Optimization;

/// <summary>
/// The router's <c>routes</c> kept as in-place data: a route change is applied by rewriting the inactive buffer and
/// flipping (same program, no compile), a change of shape is refused with its reason, and a write that races a flip is
/// never lost nor served stale.
/// </summary>
[Trait("Tier", "Kernel")]
public sealed class InPlaceUpdateTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly OptimizeOptions InPlace = new() { InPlaceData = true };

    /// <summary>Empties the specialized program's fallback slot: a packet whose guard fails then ends XDP_ABORTED instead
    /// of reaching the original, so every other verdict is the specialized code's own.</summary>
    private static void WithoutFallback(OptimizedProgram optimized) =>
        optimized.Variant.Object.Map(GuardPrelude.FallbackMap).Delete(new byte[4]);

    private static InPlaceUpdate Open(OptimizedProgram optimized) =>
        InPlaceUpdate.Open(optimized.Variant.Program.Info().Id, optimized.Variant.Elf, optimized.Report)
        ?? throw new InvalidOperationException("the report keeps no in-place data");

    [Fact]
    public void A_route_change_is_applied_in_place_and_answers_like_the_original()
    {
        using var setup = new LiveSample("router");
        var trace = setup.Sample.GenerateTrace(setup.ControlPlane, Locality.High, 200, 4);
        var (packet, routeKey, a, b) = OptimizationTests.RoutedPacket(setup, trace);
        var routes = setup.Program.Object.Map("routes");
        routes.Update(routeKey, a.Index);

        using var optimized = setup.Optimize(trace, InPlace);
        Assert.Equal(["routes"], optimized.Report.InPlace!.Maps);
        var id = optimized.Variant.Program.Info().Id;
        using var update = Open(optimized);
        WithoutFallback(optimized);
        Assert.Equal(a.Mac, optimized.Variant.Program.TestRun(packet).Output[..6]);
        Assert.Equal(0, update.Active);

        routes.Update(routeKey, b.Index);
        Assert.Equal((uint)XdpAction.Aborted, optimized.Variant.Program.TestRun(packet).ReturnValue); // stale: falls back
        var outcome = update.TryApply(setup.Guards, setup.Program.Object.Map);
        Assert.True(outcome.Applied, outcome.NeedsRebuild);
        Assert.Equal(["routes"], outcome.Maps);
        Assert.Equal(1, update.Active);
        Assert.Equal(id, optimized.Variant.Program.Info().Id);
        Assert.Empty(setup.Guards.Written(update.Snapshots));

        // Every packet of the trace, and the changed route's: the same verdict and bytes as the original, from the
        // specialized code itself (no fallback to reach).
        foreach (var p in trace.Append(packet))
        {
            var want = setup.Program.Program.TestRun(p);
            var got = optimized.Variant.Program.TestRun(p);
            Assert.Equal(want.ReturnValue, got.ReturnValue);
            Assert.Equal(want.Output, got.Output);
        }
        Assert.Equal(b.Mac, optimized.Variant.Program.TestRun(packet).Output[..6]);

        // And back, through the other buffer.
        routes.Update(routeKey, a.Index);
        Assert.True(update.TryApply(setup.Guards, setup.Program.Object.Map).Applied);
        Assert.Equal(0, update.Active);
        Assert.Equal(a.Mac, optimized.Variant.Program.TestRun(packet).Output[..6]);
    }

    [Fact]
    public void A_table_that_outgrows_its_buffer_needs_a_rebuild_and_says_why()
    {
        using var setup = new LiveSample("router");
        var trace = setup.Sample.GenerateTrace(setup.ControlPlane, Locality.High, 200, 4);
        var (packet, _, a, b) = OptimizationTests.RoutedPacket(setup, trace);
        var routes = setup.Program.Object.Map("routes");
        using var optimized = setup.Optimize(trace, InPlace);
        using var update = Open(optimized);
        var site = optimized.Report.InPlace!.Sites.Single();
        WithoutFallback(optimized);
        var before = optimized.Variant.Program.TestRun(packet).Output;

        // As many /32s as the table holds, next hops alternating: about twice as many ranges as it holds.
        var key = new byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(key, 32);
        for (var i = 0; i < 1 << site.IndexBits; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(key.AsSpan(4), 0xC6336400u + (uint)i * 2); // 198.51.100.0 on, every other address
            routes.Update(key, i % 2 == 0 ? a.Index : b.Index);
        }
        var outcome = update.TryApply(setup.Guards, setup.Program.Object.Map);
        Assert.False(outcome.Applied);
        Assert.Contains("routes has", outcome.NeedsRebuild);
        Assert.Contains($"the table holds {1 << site.IndexBits}", outcome.NeedsRebuild);
        output.WriteLine(outcome.NeedsRebuild);
        // Nothing was flipped: packets still take the original (here: the empty fallback slot).
        Assert.Equal(0, update.Active);
        Assert.Equal((uint)XdpAction.Aborted, optimized.Variant.Program.TestRun(packet).ReturnValue);
        Assert.NotEmpty(before);
    }

    /// <summary>
    /// Writes on one thread (the route of one packet switched between two next hops, as fast as bpf() goes), flips on a
    /// second (each applies whatever was written since the last), packets on a third: a specialized verdict (not a
    /// fallback) must always be the original's on the same maps, and after the last write the next flip carries it.
    /// </summary>
    [Fact]
    public async Task A_write_landing_during_a_flip_is_never_lost_and_never_served_stale()
    {
        using var setup = new LiveSample("router");
        var trace = setup.Sample.GenerateTrace(setup.ControlPlane, Locality.High, 200, 4);
        var (packet, routeKey, a, b) = OptimizationTests.RoutedPacket(setup, trace);
        var routes = setup.Program.Object.Map("routes");
        routes.Update(routeKey, a.Index);
        using var optimized = setup.Optimize(trace, InPlace);
        using var update = Open(optimized);
        WithoutFallback(optimized);
        var slot = optimized.Report.Snapshots.Single(s => s.Name == "routes").GuardSlot;
        var guards = setup.Guards;

        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(4));
        long writes = 0, flips = 0, racedFlips = 0, refused = 0, served = 0, fellBack = 0, compared = 0, stale = 0;
        // Writes at random moments up to 400 ms apart: some land while the flipper reads the map, some while it
        // writes the buffer, some between its flips.
        var writer = Task.Run(() =>
        {
            var random = new Random(7);
            while (!stop.IsCancellationRequested)
            {
                routes.Update(routeKey, Interlocked.Increment(ref writes) % 2 == 0 ? a.Index : b.Index);
                Thread.Sleep(random.Next(0, 400));
            }
        });
        var flipper = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                var outcome = update.TryApply(guards, setup.Program.Object.Map);
                if (outcome.Applied)
                    flips++;
                if (outcome.Raced.Count > 0)
                    racedFlips++;
                else if (outcome.NeedsRebuild is not null)
                    refused++;
            }
        });
        var packets = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                var v1 = guards.Version(slot);
                var got = optimized.Variant.Program.TestRun(packet);
                var want = setup.Program.Program.TestRun(packet);
                var v2 = guards.Version(slot);
                if (got.ReturnValue == (uint)XdpAction.Aborted)
                {
                    fellBack++;
                    continue;
                }
                served++;
                // No write began or ended between the two runs: both saw the same routes.
                if (v1 != v2 || v1 % 2 != 0)
                    continue;
                compared++;
                if (got.ReturnValue != want.ReturnValue || !got.Output.AsSpan().SequenceEqual(want.Output))
                    Interlocked.Increment(ref stale);
            }
        });
        await Task.WhenAll(writer, flipper, packets);
        output.WriteLine($"{writes} writes, {flips} flips ({racedFlips} raced by a write, {refused} refused), {served} packets served by the specialized code " +
                         $"({compared} compared with the original), {fellBack} fell back");
        Assert.Equal(0, stale);
        Assert.True(flips > 5, $"{flips} flips");
        Assert.True(compared > 0, "no packet was served by the specialized code between writes");

        // The last write is carried by the next flip.
        var last = routes.Lookup(routeKey)!;
        var final = update.TryApply(guards, setup.Program.Object.Map);
        Assert.True(final.Live || guards.Written(update.Snapshots).Count == 0, final.NeedsRebuild);
        var mac = last.SequenceEqual(a.Index) ? a.Mac : b.Mac;
        Assert.Equal(mac, optimized.Variant.Program.TestRun(packet).Output[..6]);
    }

    /// <summary>
    /// The firewall's port maps are key tables (searches over their 4-byte keys): kept in place, a port added to a rule
    /// set and taken out again is flipped, not rebuilt, and every packet, the ones to that port included, gets the
    /// original's verdict from the specialized code itself.
    /// </summary>
    [Fact]
    public void A_port_added_to_a_key_table_and_removed_is_applied_in_place()
    {
        using var setup = new LiveSample("firewall", "keytable_inplace");
        var trace = setup.Sample.GenerateTrace(setup.ControlPlane, Locality.Low, 300, 4);
        using var optimized = setup.Optimize(trace, InPlace);
        Assert.Contains("dport_map", optimized.Report.InPlace!.Maps);
        Assert.Contains(optimized.Report.Applied, step => step.What.StartsWith("dport_map: ", StringComparison.Ordinal)
                                                          && step.What.Contains("double-buffered in-place table of their 4-byte keys", StringComparison.Ordinal));
        Assert.Contains(optimized.Report.InPlace.Sites, site => site.Map == "dport_map" && site.KeyTable);
        using var update = Open(optimized);
        WithoutFallback(optimized);

        // A port no entry names, on frames of the trace (TCP or UDP over IPv4, no options), with the rule set of a port
        // that has one: the frames' verdicts can change with it.
        var ports = setup.Program.Object.Map("dport_map");
        var (someKey, ruleSet) = ports.Entries().First(e => e.Value.Any(b => b != 0));
        var taken = ports.Entries().Select(e => BinaryPrimitives.ReadUInt16BigEndian(e.Key)).ToHashSet();
        var port = (ushort)Enumerable.Range(1000, 60000).First(p => !taken.Contains((ushort)p));
        var key = (byte[])someKey.Clone();
        BinaryPrimitives.WriteUInt16BigEndian(key, port);
        var frames = trace.Where(f => f.Length >= 38 && BinaryPrimitives.ReadUInt16BigEndian(f.AsSpan(12)) == 0x0800 && f[14] == 0x45 && f[23] is 6 or 17)
            .Take(20).Select(f =>
            {
                var frame = (byte[])f.Clone();
                BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(36), port);
                return frame;
            }).ToList();
        Assert.NotEmpty(frames);

        void SameAsOriginal(string when)
        {
            foreach (var p in trace.Concat(frames))
            {
                var want = setup.Program.Program.TestRun(p);
                var got = optimized.Variant.Program.TestRun(p);
                Assert.True(want.ReturnValue == got.ReturnValue && want.Output.AsSpan().SequenceEqual(got.Output),
                    $"{when}: the specialized program answered {got.ReturnValue}, the original {want.ReturnValue}");
            }
        }

        ports.Update(key, ruleSet);
        var added = update.TryApply(setup.Guards, setup.Program.Object.Map);
        Assert.True(added.Live, added.NeedsRebuild);
        SameAsOriginal("after the port was added");

        ports.Delete(key);
        var removed = update.TryApply(setup.Guards, setup.Program.Object.Map);
        Assert.True(removed.Live, removed.NeedsRebuild);
        SameAsOriginal("after the port was removed");
    }

    /// <summary>The daemon's cycle (in-place data and the windowed profiling path built in): the range tables stay in
    /// place, the verifier takes the program on its first try, and a write is flipped, not rebuilt.</summary>
    [Theory]
    [InlineData("router", "routes")]
    [InlineData("firewall", "src_lpm")]
    public void The_daemons_cycle_keeps_its_tables_in_place(string sample, string mapName)
    {
        using var setup = new LiveSample(sample);
        var trace = setup.Sample.GenerateTrace(setup.ControlPlane, Locality.High, 200, 4);
        using var optimized = setup.Optimize(trace, InPlace with { Profiling = Kecleon.Instrumentation.Profiling.InstrumentationOptions.LiveWindowed });
        Assert.False(optimized.Report.InPlaceRefused, string.Join("; ", optimized.Report.Steps.Select(s => s.What)));
        Assert.Contains(mapName, optimized.Report.InPlace!.Maps);
        using var update = Open(optimized);
        var map = setup.Program.Object.Map(mapName);
        var (key, value) = map.Entries()[0];
        map.Update(key, value);
        Assert.True(update.TryApply(setup.Guards, setup.Program.Object.Map).Live);
    }

    /// <summary>With the profiling path built in, the firewall's frame leaves no room for the key tables' in-place
    /// searches (a tail call from a frame whose callers' frames take more than 256 bytes): they go back to .rodata, the
    /// LPM tables stay in place, and the report says so for the daemon's next cycles.</summary>
    [Fact]
    public void Key_tables_go_back_to_rodata_before_the_lpm_tables_when_the_stack_is_short()
    {
        using var setup = new LiveSample("firewall", "keytable_stack");
        var trace = setup.Sample.GenerateTrace(setup.ControlPlane, Locality.High, 200, 4);
        using var optimized = setup.Optimize(trace, InPlace with { Profiling = Kecleon.Instrumentation.Profiling.InstrumentationOptions.LiveWindowed });
        Assert.True(optimized.Report.InPlaceKeyTablesRefused);
        Assert.False(optimized.Report.InPlaceRefused);
        Assert.Equal(["dst_lpm", "src_lpm"], optimized.Report.InPlace!.Maps.Order());
        // The step quotes the verifier's reason, not its last line (the instruction count).
        Assert.Contains(optimized.Report.Steps, step => step.What.StartsWith("key tables kept as .rodata, not in place", StringComparison.Ordinal)
                                                        && step.What.Contains("stack", StringComparison.Ordinal));
    }

    /// <summary>
    /// The firewall's connection table, a map the data plane writes, with a profile: its hot keys are a hash table of
    /// in-place rows. Flushing the table (as <c>conntrack -F</c> after a policy change) and the flows coming back are
    /// applied in place, and every verdict is the original's on the same maps, from the specialized code itself.
    /// </summary>
    [Fact]
    public void Hot_keys_of_a_connection_table_are_updated_in_place()
    {
        using var setup = new LiveSample("firewall");
        var trace = setup.Sample.GenerateTrace(setup.ControlPlane, Locality.High, 400, 4);
        foreach (var packet in trace)
            setup.Program.Program.TestRun(packet);
        var profile = Kecleon.Bench.TraceProfile.Record(setup.Source, setup.Sample.ProgramName, setup.ControlPlane, trace);
        using var optimized = setup.Optimize(trace, InPlace with { Profile = profile });
        Assert.Contains("conntrack", optimized.Report.InPlace!.Maps);
        Assert.Contains(optimized.Report.Applied, s => s.Pass == "hot-keys" && s.What.StartsWith("conntrack:", StringComparison.Ordinal)
                                                        && s.What.Contains("in-place table", StringComparison.Ordinal));
        using var update = Open(optimized);
        WithoutFallback(optimized);
        var conntrack = setup.Program.Object.Map("conntrack");

        void SameAsOriginal(string when)
        {
            foreach (var p in trace.Take(150))
            {
                var want = setup.Program.Program.TestRun(p);
                var got = optimized.Variant.Program.TestRun(p);
                Assert.True(want.ReturnValue == got.ReturnValue, $"{when}: verdict {got.ReturnValue}, the original's {want.ReturnValue}");
                Assert.Equal(want.Output, got.Output);
            }
        }

        var filled = conntrack.Entries();
        Assert.NotEmpty(filled);

        // Flushed: every hot flow is a miss, from the in-place rows. One packet per flush: the specialized code's own
        // insert moves the version on (a later packet would take the fallback, here XDP_ABORTED).
        conntrack.Clear();
        var outcome = update.TryApply(setup.Guards, setup.Program.Object.Map);
        Assert.True(outcome.Live, outcome.NeedsRebuild);
        Assert.Contains("conntrack", outcome.Maps);
        var first = trace.First(p => setup.Program.Program.TestRun(p).ReturnValue == (uint)XdpAction.Pass);
        conntrack.Clear();
        Assert.True(update.TryApply(setup.Guards, setup.Program.Object.Map).Live);
        var got = optimized.Variant.Program.TestRun(first);
        conntrack.Clear();
        Assert.True(update.TryApply(setup.Guards, setup.Program.Object.Map).Live);
        var want = setup.Program.Program.TestRun(first);
        Assert.Equal(want.ReturnValue, got.ReturnValue);
        Assert.Equal(want.Output, got.Output);

        // The table written back from user space: the hot flows are hits again, from the other buffer.
        conntrack.Clear();
        foreach (var (key, value) in filled)
            conntrack.Update(key, value);
        Assert.True(update.TryApply(setup.Guards, setup.Program.Object.Map).Live);
        SameAsOriginal("after the table was written back");
    }

    /// <summary>Write → flipped: from a write's return to the flip, over 40 writes (an entry of the map written again
    /// with its own value, alternating with another value: each write moves the guard version). Reported with the
    /// stages; the flip itself is one store.</summary>
    [Theory]
    [InlineData("router", "routes")]
    [InlineData("firewall", "src_lpm")]
    [InlineData("firewall", "dport_map")]
    [InlineData("ddos", "ddos_deny_hosts")]
    public void Write_to_flipped_takes_milliseconds(string sample, string mapName)
    {
        using var setup = new LiveSample(sample);
        var trace = setup.Sample.GenerateTrace(setup.ControlPlane, Locality.High, 200, 4);
        var map = setup.Program.Object.Map(mapName);
        using var optimized = setup.Optimize(trace, InPlace);
        Assert.Contains(mapName, optimized.Report.InPlace!.Maps);
        using var update = Open(optimized);
        var entries = map.Entries();
        var (key, value) = entries[entries.Count / 2];
        // Another value of the map's, or (a blocklist's entries all hold the same) the value with its first byte changed.
        var other = entries.FirstOrDefault(e => !e.Value.AsSpan().SequenceEqual(value)).Value ?? [(byte)(value[0] ^ 1), .. value[1..]];
        var times = new List<double>();
        var graces = new List<double>();
        var stages = new Dictionary<string, List<double>>();
        for (var i = 0; i < 40; i++)
        {
            map.Update(key, i % 2 == 0 ? other : value);
            var written = Stopwatch.GetTimestamp();
            var outcome = update.TryApply(setup.Guards, setup.Program.Object.Map);
            Assert.True(outcome.Live, outcome.NeedsRebuild);
            times.Add(Stopwatch.GetElapsedTime(written, outcome.FlippedAt).TotalMilliseconds);
            graces.Add(outcome.Grace.TotalMilliseconds);
            foreach (var (stage, took) in outcome.Stages)
                (stages.TryGetValue(stage, out var list) ? list : stages[stage] = []).Add(took.TotalMilliseconds);
        }
        // Back to the control plane's own contents: every packet of the trace as the original answers it.
        foreach (var p in trace)
        {
            var want = setup.Program.Program.TestRun(p);
            var got = optimized.Variant.Program.TestRun(p);
            Assert.Equal(want.ReturnValue, got.ReturnValue);
            Assert.Equal(want.Output, got.Output);
        }
        double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
        times.Sort();
        output.WriteLine($"{sample} ({mapName}, {entries.Count} entries) write → flipped: median {Median(times):F3} ms, max {times[^1]:F3} ms of {times.Count}; " +
                         $"stages (median): {string.Join(", ", stages.Select(s => $"{s.Key} {Median(s.Value):F3} ms"))}; grace after the flip: median {Median(graces):F3} ms");
        Assert.True(stages["flip"].Max() < 1, "a flip is one store");
    }
}
