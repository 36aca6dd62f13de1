using System.Diagnostics;
using Kecleon.Bpf;
using Kecleon.Daemon;
using Kecleon.Runtime.Deployment;
using Kecleon.Bench.Live;
using Kecleon.Workloads;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Kecleon.Cli.Commands;

/// <summary>
/// The live story on the router sample: a veth pair with one end in a network namespace; the router loaded and
/// attached by an ordinary loader with its routes; traffic replayed from the namespace; the daemon (in this process)
/// profiles, specializes, checks and swaps the live program, and the kernel's statistics say how much faster it runs;
/// the control plane re-routes the hottest destinations while frames are checked against the original one by one, and
/// the daemon re-specializes. Everything it made is removed at the end.
/// </summary>
internal static class LiveDemo
{
    public static int Run(INetworkFunctionSample sample)
    {
        if (sample is not RouterSample router)
            throw new UsageException($"the live demo runs the router sample; for '{sample.Name}' run `kecleon demo --bench --sample {sample.Name}` or `kecleon bench --sample {sample.Name}`");
        var clock = Stopwatch.StartNew();
        Say($"Kecleon live demo: the router network function ({SampleFiles.SourceOf(router)}) on a live interface");
        using var pair = VethPair.CreateReceivingXdpTx();
        Say($"  1. a veth pair: {pair.HostEnd} here, {pair.PeerEnd} in network namespace {pair.Namespace} (traffic comes from there)");

        using var live = LiveRouter.Start(pair);
        var originalId = live.OriginalId;
        Say($"  2. the network function, as any loader starts it: clang -O2's object, {live.ControlPlane.Entries("routes").Count} routes and " +
            $"{live.ControlPlane.Entries("nexthops").Count} next hops written, attached to {pair.HostEnd} by netlink (program {originalId})");

        var trace = live.Trace(Locality.High, 4000, seed: 1);
        using var load = Traffic.StartBackground(pair, trace);
        Say($"  3. traffic: a {trace.Count}-frame trace at high locality, replayed from {pair.PeerEnd} without pause");

        // A private folder (mkdtemp, 0700) for the demo daemon's status socket, removed at the end.
        var scratch = Directory.CreateTempSubdirectory("kecleon-demo-");
        using var removeScratch = new Scratch(scratch);
        var config = DaemonOnPair("router", pair, scratch, TimeSpan.FromSeconds(30), "the demo");
        Say("  4. kecleon daemon, in this process (its log follows): measure, profile, specialize, check, swap, measure");
        using var host = DaemonHost.Build(config, (guards, logs) => new WorkerServices(config, guards, new SemaphoreSlim(1),
            _ => live.CheckPackets(1000), logs));
        var daemon = host.Services.GetRequiredService<KecleonService>();
        host.Start();
        try
        {
            var optimized = WaitFor(daemon, t => t.State == TargetState.Optimized && t.Speedup is not null, TimeSpan.FromMinutes(2), "the first optimization");
            Say("");
            Say($"  live, measured by the kernel (bpf_stats, same traffic): original {optimized.BaselineNsPerPacket:F1} ns/packet, " +
                $"optimized {optimized.OptimizedNsPerPacket:F1} ns/packet: {optimized.Speedup:F2}x");
            Say($"  specialized on: {string.Join(", ", optimized.SpecializedMaps)}; program {originalId} → {optimized.LiveProgramId}; " +
                $"one cycle {optimized.LastCycle!.Total:F0} ms (check {optimized.LastCycle.Check:F0} ms included)");

            load.Stop();
            Say("");
            Say("  5. the control plane re-routes the 16 hottest destinations; frames follow right after the writes return");
            var before = optimized.Respecializations;
            live.Reroute(trace, 16, 7);
            var (expected, actual, wrong) = live.SendAndCompare(trace);
            Say($"     {trace.Count} frames: {actual.SentBack.Count} routed back, {actual.Passed.Count} passed, {expected.Dropped} dropped; " +
                $"{wrong} differ from what the original with the new routes does");
            var after = WaitFor(daemon, t => t.Respecializations > before && t.State == TargetState.Optimized, TimeSpan.FromMinutes(1), "the re-specialization");
            Say($"     the guard sent packets to the original at once; re-specialized and live again {after.ReactionMs[^1]:F0} ms after the write was seen");
            Say("");
            Say("  6. kecleon status:");
            Console.Write(string.Join('\n', StatusServer.Text(daemon.Snapshot()).Split('\n').Select(l => l.Length > 0 ? "     " + l : l)));
            return wrong == 0 ? ExitCodes.Success : ExitCodes.Failure;
        }
        finally
        {
            host.StopAsync().GetAwaiter().GetResult();
            Say($"  7. stopped: the original program {BpfXdp.Query(pair.HostIndex).ProgramId} is back on {pair.HostEnd}; the veth pair and the " +
                $"namespace go ({clock.Elapsed.TotalSeconds:F0} s in all). Keep a data plane optimized with `kecleon daemon` (docs/daemon.md).");
        }
    }

    private static void Say(string line) => Console.WriteLine(line);

    private sealed class Scratch(DirectoryInfo directory) : IDisposable
    {
        public void Dispose()
        {
            if (directory.Exists)
                directory.Delete(recursive: true);
        }
    }

    private static TargetSnapshot WaitFor(KecleonService daemon, Func<TargetSnapshot, bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (daemon.Snapshot().Targets is [var target] && condition(target))
                return target;
            Thread.Sleep(50);
        }
        var last = daemon.Snapshot().Targets.FirstOrDefault();
        throw new KecleonException($"the daemon did not finish {what} within {timeout.TotalSeconds:F0} s: {last?.State} {last?.Detail}; " +
                                   string.Join("; ", last?.RecentFailures.Select(f => $"{f.Stage}: {f.Reason}") ?? []));
    }

    /// <summary>The daemon a live run starts in this process on the sample attached to <paramref name="pair"/>: 1 s profile
    /// and measurement windows, the original put back on stop, its status socket in <paramref name="scratch"/>, no metrics,
    /// its pins under the pair's own root.</summary>
    internal static DaemonConfig DaemonOnPair(string sample, VethPair pair, DirectoryInfo scratch, TimeSpan period, string what) =>
        new DaemonConfig
        {
            Targets = [new TargetConfig { Name = sample, Source = $"sample:{sample}", Interface = pair.HostEnd }],
            Period = period,
            ProfileWindow = TimeSpan.FromSeconds(1),
            Watch = TimeSpan.FromSeconds(1),
            OnShutdown = ShutdownPolicy.Restore,
            StatusSocket = Path.Combine(scratch.FullName, "status.sock"),
            Metrics = "",
            PinRoot = pair.PinDirectory,
        }.Validated(what);
}
