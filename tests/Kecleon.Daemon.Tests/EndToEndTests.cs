using Kecleon.Bpf;
using Kecleon.Runtime.Deployment;
using Kecleon.Bench.Live;
using Kecleon.Workloads;
using Kecleon.Tests;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit;
using Xunit.Abstractions;

namespace Kecleon.Daemon.Tests;

/// <summary>
/// The daemon on a live data plane: the router sample attached to a veth by another loader, real frames through it
/// from a network namespace, the control plane changing routes while frames flow and the hot set moving from phase to
/// phase. Every frame must come out exactly as the original, holding the same routes, says.
/// </summary>
[Trait("Tier", "Kernel")]
public sealed class EndToEndTests(ITestOutputHelper output)
{
    private const int FramesPerPhase = 3000;
    [Fact]
    public async Task The_daemon_keeps_a_live_router_optimized_and_correct_through_route_changes_and_traffic_shifts()
    {
        using var pair = VethPair.CreateReceivingXdpTx();
        // Another loader: the program, its routes, attached by netlink; and a reference kept in step with every write.
        using var router = LiveRouter.Start(pair);
        var originalId = router.OriginalId;

        var config = Config(pair, ShutdownPolicy.Restore);
        using var host = BuildHost(config, _ => router.CheckPackets());
        var daemon = host.Services.GetRequiredService<KecleonService>();
        await host.StartAsync();
        try
        {
            var first = await WaitFor(daemon, t => t.State == TargetState.Optimized && t.Swaps >= 1, TimeSpan.FromSeconds(90), "the first optimization");
            Assert.NotEqual(originalId, BpfXdp.Query(pair.HostIndex).ProgramId);
            Assert.Contains("routes", first.SpecializedMaps);
            output.WriteLine($"optimized: program {first.LiveProgramId}, cycle {first.LastCycle!.Total:F1} ms");

            var nextHop = 1u;
            for (var phase = 0; phase < 4; phase++)
            {
                // The hot set moves: each phase is a trace of its own seed.
                var frames = router.Trace(Locality.High, FramesPerPhase, seed: 100 + phase);
                var respecialized = daemon.Snapshot().Targets[0].Respecializations;
                if (phase > 0)
                {
                    // The control plane re-routes the phase's hottest destinations (a /32 each, to another next hop),
                    // and the frames go out right after the writes return: first through the guards' fallback, then
                    // through the re-specialized program.
                    nextHop = router.Reroute(frames, 16, nextHop);
                }
                var (expected, actual, wrong) = router.SendAndCompare(frames);
                output.WriteLine($"phase {phase}: {frames.Count} frames in {actual.Duration.TotalMilliseconds:F0} ms; back {actual.SentBack.Count} " +
                                 $"(expected {expected.SentBack.Count}), passed {actual.Passed.Count} (expected {expected.Passed.Count}), dropped {expected.Dropped}");
                Assert.Equal(0, wrong);
                if (phase > 0)
                {
                    var after = await WaitFor(daemon, t => t.Respecializations > respecialized && t.State == TargetState.Optimized,
                        TimeSpan.FromSeconds(60), $"re-specialization after the route change of phase {phase}");
                    var c = after.LastCycle!;
                    output.WriteLine($"phase {phase}: re-specialized; map write seen → new program live in {after.ReactionMs[^1]:F1} ms " +
                                     $"(parse {c.Parse:F1}, analyze {c.Analyze:F1}, snapshot {c.Snapshot:F1}, passes {c.Passes:F1}, O2 {c.Optimize:F1}, " +
                                     $"codegen {c.CodeGen:F1}, load {c.Load:F1}, check {c.Check:F1}, swap {c.Swap:F1})");
                }
            }
            var status = daemon.Snapshot().Targets[0];
            output.WriteLine($"swaps {status.Swaps}, invalidations {status.Invalidations}, re-specializations {status.Respecializations}, " +
                             $"rollbacks {status.Rollbacks}, failures {status.Failures}: {string.Join("; ", status.RecentFailures.Select(f => f.Reason))}");
            Assert.True(status.Invalidations >= 3);
        }
        finally
        {
            await host.StopAsync();
        }
        // on_shutdown: restore.
        Assert.Equal(originalId, BpfXdp.Query(pair.HostIndex).ProgramId);
    }

    /// <summary>Two data planes under one daemon: both optimized in parallel (compilations one at a time), and a route
    /// change on one re-specializes that one only, with the other's frames still right.</summary>
    [Fact]
    public async Task Two_targets_are_kept_apart()
    {
        using var pairA = VethPair.CreateReceivingXdpTx();
        using var pairB = VethPair.CreateReceivingXdpTx();
        using var routerA = LiveRouter.Start(pairA, seed: 1);
        using var routerB = LiveRouter.Start(pairB, seed: 2);
        var config = Config(pairA, ShutdownPolicy.Restore) with
        {
            Targets =
            [
                new TargetConfig { Name = "a", Source = "sample:router", Interface = pairA.HostEnd },
                new TargetConfig { Name = "b", Source = "sample:router", Interface = pairB.HostEnd },
            ],
            Period = TimeSpan.FromSeconds(30),
        };
        var packets = new Dictionary<string, IReadOnlyList<byte[]>> { ["a"] = routerA.CheckPackets(), ["b"] = routerB.CheckPackets() };
        using var host = BuildHost(config, t => packets[t.Config.Name]);
        var daemon = host.Services.GetRequiredService<KecleonService>();
        await host.StartAsync();
        try
        {
            foreach (var name in new[] { "a", "b" })
                await WaitFor(daemon, name, t => t.State == TargetState.Optimized, TimeSpan.FromSeconds(90), $"target {name} optimized");
            var before = daemon.Snapshot().Targets.ToDictionary(t => t.Name);

            var frames = routerB.Trace(Locality.High, 2000, seed: 500);
            routerB.Reroute(frames, 16, 3);
            Assert.Equal(0, routerB.SendAndCompare(frames).Wrong);
            var b = await WaitFor(daemon, "b", t => t.Respecializations > before["b"].Respecializations, TimeSpan.FromSeconds(60), "b re-specialized");
            output.WriteLine($"b re-specialized in {b.ReactionMs[^1]:F1} ms");
            Assert.Equal(0, routerA.SendAndCompare(routerA.Trace(Locality.High, 2000, seed: 501)).Wrong);
            var a = daemon.Snapshot().Targets.Single(t => t.Name == "a");
            Assert.Equal(before["a"].Invalidations, a.Invalidations);
            Assert.Equal(before["a"].Swaps, a.Swaps);
        }
        finally
        {
            await host.StopAsync();
        }
        Assert.Equal(routerA.OriginalId, BpfXdp.Query(pairA.HostIndex).ProgramId);
        Assert.Equal(routerB.OriginalId, BpfXdp.Query(pairB.HostIndex).ProgramId);
    }

    /// <summary>The rollback: the program on the hook is measured on cheap traffic (frames the router passes at once),
    /// then the traffic turns expensive (routed frames) while the new program is measured; the new one then looks far
    /// slower than the one it replaced, and the daemon puts the original back.</summary>
    [Fact]
    public async Task A_program_measured_slower_than_the_one_it_replaced_is_rolled_back()
    {
        using var pair = VethPair.CreateReceivingXdpTx();
        using var router = LiveRouter.Start(pair);
        var cheap = Enumerable.Range(0, 256).Select(i => Programs.Frame(0x0806)).ToList();
        var expensive = router.Trace(Locality.None, 2000, seed: 11);
        var config = Config(pair, ShutdownPolicy.Keep) with { ProfileWindow = TimeSpan.FromSeconds(1), Watch = TimeSpan.FromSeconds(1), Period = TimeSpan.FromSeconds(60) };
        using var host = BuildHost(config, _ => router.CheckPackets());
        var daemon = host.Services.GetRequiredService<KecleonService>();
        var load = Traffic.StartBackground(pair, cheap);
        try
        {
            await host.StartAsync();
            await WaitFor(daemon, t => t.State == TargetState.Profiling, TimeSpan.FromSeconds(60), "the profiling stage (after the first measurement)");
            load.Dispose();
            load = Traffic.StartBackground(pair, expensive);
            var rolledBack = await WaitFor(daemon, t => t.Rollbacks >= 1 && t.State == TargetState.Original, TimeSpan.FromSeconds(60), "a rollback");
            output.WriteLine($"{rolledBack.State}: {rolledBack.Detail}");
            Assert.Equal(TargetState.Original, rolledBack.State);
            Assert.Equal(router.OriginalId, BpfXdp.Query(pair.HostIndex).ProgramId);
        }
        finally
        {
            load.Dispose();
            await host.StopAsync();
        }
    }

    internal static async Task<TargetSnapshot> WaitFor(KecleonService daemon, string target, Func<TargetSnapshot, bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (daemon.Snapshot().Targets.FirstOrDefault(t => t.Name == target) is { } snapshot && condition(snapshot))
                return snapshot;
            await Task.Delay(20);
        }
        throw new TimeoutException($"no {what} within {timeout.TotalSeconds} s: " +
                                   string.Join("; ", daemon.Snapshot().Targets.Select(t => $"{t.Name} {t.State} {t.Detail} {string.Join(" | ", t.RecentFailures.Select(f => f.Reason))}")));
    }

    /// <summary>A daemon host for <paramref name="config"/> whose checks send <paramref name="checkPackets"/>.</summary>
    internal static IHost BuildHost(DaemonConfig config, Func<LiveTarget, IReadOnlyList<byte[]>> checkPackets) =>
        DaemonHost.Build(config, (guards, logs) => new WorkerServices(config, guards, new SemaphoreSlim(1), checkPackets, logs));

    internal static DaemonConfig Config(VethPair pair, ShutdownPolicy onShutdown) => new DaemonConfig
    {
        Targets = [new TargetConfig { Name = "router", Source = "sample:router", Interface = pair.HostEnd }],
        Period = TimeSpan.FromSeconds(3),
        ProfileWindow = TimeSpan.FromMilliseconds(500),
        Watch = TimeSpan.FromMilliseconds(300),
        GuardPoll = TimeSpan.FromMilliseconds(2),
        Backoff = TimeSpan.FromMilliseconds(200),
        OnShutdown = onShutdown,
        StatusSocket = Path.Combine(Path.GetTempPath(), "kecleon-tests", $"daemon-{Guid.NewGuid():N}.sock"),
        Metrics = "",
        PinRoot = pair.PinDirectory,
    }.Validated("test");

    internal static async Task<TargetSnapshot> WaitFor(KecleonService daemon, Func<TargetSnapshot, bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var snapshot = daemon.Snapshot();
            if (snapshot.Targets.Count > 0 && condition(snapshot.Targets[0]))
                return snapshot.Targets[0];
            await Task.Delay(20);
        }
        var last = daemon.Snapshot().Targets.FirstOrDefault();
        throw new TimeoutException($"no {what} within {timeout.TotalSeconds} s; the daemon: {last?.State} {last?.Detail}, " +
                                   $"failures: {string.Join("; ", last?.RecentFailures.Select(f => $"{f.Stage}: {f.Reason}") ?? [])}");
    }
}

/// <summary>Faults the daemon must survive in-process: the interface it works on disappears, then comes back.</summary>
[Trait("Tier", "Kernel")]
public sealed class FaultTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_vanished_interface_is_logged_and_retried_with_back_off_never_a_crash()
    {
        using var pair = VethPair.CreateReceivingXdpTx();
        var config = EndToEndTests.Config(pair, ShutdownPolicy.Keep) with { Targets = [new TargetConfig { Name = "router", Source = "sample:router", Interface = pair.HostEnd, Attach = true }] };
        var checkPackets = new RouterSample().KnownPackets(LiveControlPlane.Router(new RouterSample().GenerateControlPlane(1), pair.HostIndex)).Select(k => k.Frame).ToList();
        using var host = EndToEndTests.BuildHost(config, _ => checkPackets);
        var daemon = host.Services.GetRequiredService<KecleonService>();
        await host.StartAsync();
        try
        {
            // Nothing is attached and the configuration owns the interface: the daemon loads the sample and attaches it
            // itself (with empty maps).
            await EndToEndTests.WaitFor(daemon, t => t.Swaps >= 1, TimeSpan.FromSeconds(90), "the first optimization");
            VethPair.Ip($"link del {pair.HostEnd}");
            var failing = await EndToEndTests.WaitFor(daemon, t => t.Failures >= 2, TimeSpan.FromSeconds(60), "failures after the interface went");
            output.WriteLine($"{failing.State}: {failing.Detail}; {string.Join(" | ", failing.RecentFailures.Select(f => $"{f.Stage}: {f.Reason}"))}");
            Assert.Contains(failing.RecentFailures, f => f.Reason.Contains(pair.HostEnd, StringComparison.Ordinal) || f.Reason.Contains("interface", StringComparison.OrdinalIgnoreCase));
            Assert.True(failing.State is TargetState.Backoff or TargetState.Starting, $"{failing.State}");
            Assert.False(host.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    /// <summary>An administrator detaches the program the daemon adopted (<c>ip link set dev X xdp off</c>): the daemon
    /// reports it (the status says there is no program, and names the original it has pinned) and attaches nothing:
    /// the configuration does not own the interface.</summary>
    [Fact]
    public async Task An_adopted_program_detached_by_an_administrator_is_reported_and_not_replaced()
    {
        using var pair = VethPair.CreateReceivingXdpTx();
        using var router = LiveRouter.Start(pair);
        var config = EndToEndTests.Config(pair, ShutdownPolicy.Keep) with { Period = TimeSpan.FromSeconds(1) };
        using var host = EndToEndTests.BuildHost(config, _ => router.CheckPackets());
        var daemon = host.Services.GetRequiredService<KecleonService>();
        await host.StartAsync();
        try
        {
            var optimized = await EndToEndTests.WaitFor(daemon, t => t.State == TargetState.Optimized, TimeSpan.FromSeconds(90), "the first optimization");
            VethPair.Ip($"link set dev {pair.HostEnd} xdp off");
            var failing = await EndToEndTests.WaitFor(daemon, t => t.Failures >= optimized.Failures + 2 &&
                t.RecentFailures[^1].Reason.Contains("no XDP program is attached", StringComparison.Ordinal), TimeSpan.FromSeconds(60), "the detach reported");
            output.WriteLine($"{failing.State}: {failing.RecentFailures[^1].Stage}: {failing.RecentFailures[^1].Reason}");
            Assert.Contains(pair.HostEnd, failing.RecentFailures[^1].Reason, StringComparison.Ordinal);
            Assert.Contains($"original program {router.OriginalId}", failing.RecentFailures[^1].Reason, StringComparison.Ordinal);
            Assert.Equal(0u, BpfXdp.Query(pair.HostIndex).ProgramId);
        }
        finally
        {
            await host.StopAsync();
        }
        Assert.Equal(0u, BpfXdp.Query(pair.HostIndex).ProgramId);
    }

    /// <summary>A map user space may not read (BPF_F_WRONLY) cannot be specialized on: the daemon says why, keeps the
    /// running program on the hook, and retries with growing back-off.</summary>
    [Fact]
    public async Task A_map_that_cannot_be_read_is_reported_and_retried_and_the_program_stays()
    {
        using var pair = VethPair.Create();
        var source = TestEnvironment.WriteC(Programs.EtherTypeVerdict.Replace(
            "__uint(max_entries, 64);", "__uint(max_entries, 64);\n    __uint(map_flags, BPF_F_WRONLY);", StringComparison.Ordinal), "wronly");
        var config = EndToEndTests.Config(pair, ShutdownPolicy.Keep) with
        {
            Targets = [new TargetConfig { Name = "wronly", Source = source, Interface = pair.HostEnd, Attach = true }],
            ProfileWindow = TimeSpan.Zero,
        };
        using var host = EndToEndTests.BuildHost(config, _ => [Programs.Frame(0x0800)]);
        var daemon = host.Services.GetRequiredService<KecleonService>();
        await host.StartAsync();
        try
        {
            var failing = await EndToEndTests.WaitFor(daemon, t => t.Failures >= 3, TimeSpan.FromSeconds(60), "three failed attempts");
            output.WriteLine(string.Join(" | ", failing.RecentFailures.Select(f => $"{f.At:HH:mm:ss.fff} {f.Stage}: {f.Reason}")));
            Assert.All(failing.RecentFailures, f => Assert.Contains("BPF_F_WRONLY", f.Reason, StringComparison.Ordinal));
            Assert.Contains("unchanged", failing.RecentFailures[^1].Reason, StringComparison.Ordinal);
            Assert.Equal(0, failing.Swaps);
            // The program the daemon loaded and attached is still the one on the hook.
            Assert.Equal(failing.OriginalProgramId, LinkProgram(pair));
            // Back-off grows: the gaps between attempts do not shrink.
            var gaps = failing.RecentFailures.Zip(failing.RecentFailures.Skip(1), (a, b) => b.At - a.At).ToList();
            Assert.True(gaps[^1] >= gaps[0] - TimeSpan.FromMilliseconds(50), string.Join(", ", gaps));
        }
        finally
        {
            await host.StopAsync();
        }
    }

    /// <summary>The daemon pointed at a source the verifier rejects (here: the running program's source with an
    /// unchecked packet read): every attempt is refused by the verifier, logged with its log, and retried after the
    /// longest back-off at once (the same maps would be refused again), not the first one; the program another loader
    /// attached stays on the hook.</summary>
    [Fact]
    public async Task A_verifier_rejection_is_reported_and_retried_and_the_program_stays()
    {
        using var pair = VethPair.Create();
        var good = TestEnvironment.WriteC(Programs.EtherTypeVerdict, "verdict");
        var badSource = Programs.EtherTypeVerdict.Replace(
            "    __u32 key = bpf_ntohs(eth->h_proto);",
            "    if (*(volatile __u8 *)(data + 100) == 7) return XDP_DROP; /* no bounds check: the verifier refuses */\n    __u32 key = bpf_ntohs(eth->h_proto);",
            StringComparison.Ordinal);
        Assert.NotEqual(Programs.EtherTypeVerdict, badSource);
        var bad = TestEnvironment.WriteC(badSource, "verdict_bad");
        using var running = LoadedVariant.Load("running", Kecleon.FrontEnd.ProgramSource.Read(good).BuildBaselineObject(), null);
        BpfXdp.Attach(pair.HostIndex, running.Program.Fd, XdpFlags.DriverMode);
        var runningId = running.Program.Info().Id;
        var config = EndToEndTests.Config(pair, ShutdownPolicy.Keep) with
        {
            Targets = [new TargetConfig { Name = "verdict", Source = bad, Interface = pair.HostEnd }],
            MaxBackoff = TimeSpan.FromSeconds(2),
        };
        using var host = EndToEndTests.BuildHost(config, _ => [Programs.Frame(0x0800)]);
        var daemon = host.Services.GetRequiredService<KecleonService>();
        await host.StartAsync();
        try
        {
            var first = await EndToEndTests.WaitFor(daemon, t => t.Failures >= 1 && t.State == TargetState.Backoff, TimeSpan.FromSeconds(60), "a failed attempt");
            Assert.Contains("would fail the same way", first.Detail, StringComparison.Ordinal);
            var failing = await EndToEndTests.WaitFor(daemon, t => t.Failures >= 2, TimeSpan.FromSeconds(60), "two failed attempts");
            output.WriteLine(string.Join(" | ", failing.RecentFailures.Select(f => $"{f.At:HH:mm:ss.fff} {f.Stage}: {f.Reason}")));
            Assert.All(failing.RecentFailures, f => Assert.Contains("verifier", f.Reason, StringComparison.Ordinal));
            // The configured first back-off is 200 ms; a rejection waits the longest one, 2 s.
            Assert.True(failing.RecentFailures[1].At - failing.RecentFailures[0].At >= TimeSpan.FromSeconds(1.9),
                $"retried after {(failing.RecentFailures[1].At - failing.RecentFailures[0].At).TotalSeconds:0.00} s");
            Assert.Equal(0, failing.Swaps);
            Assert.Equal(runningId, BpfXdp.Query(pair.HostIndex).ProgramId);
        }
        finally
        {
            await host.StopAsync();
            BpfXdp.Detach(pair.HostIndex, XdpFlags.DriverMode);
        }
    }

    private static uint LinkProgram(VethPair pair) =>
        ProgramHook.ForInterface(pair.HostIndex) is { } hook ? hook.CurrentProgramId() : 0;
}
