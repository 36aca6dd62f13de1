using System.Globalization;
using Kecleon.Bench;
using Kecleon.Bench.Live;
using Kecleon.Daemon;
using Kecleon.Workloads;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Kecleon.Cli.Commands;

/// <summary>
/// <c>kecleon bench --churn</c>: a bundled sample loaded and attached on a veth pair of its own, the daemon (in this
/// process) keeping it specialized, traffic flowing from the namespace, and a control plane writing a specialized map
/// every <c>--write-every</c> for <c>--duration</c> (<see cref="ChurnRun"/>). Reports what the traffic showed (stale
/// verdicts) and what the daemon recorded (its reactions per kind, its check mismatches). Everything it made is removed.
/// </summary>
internal static class ChurnBench
{
    /// <summary>How long the daemon has to specialize the sample before the writes start.</summary>
    private static readonly TimeSpan FirstOptimization = TimeSpan.FromMinutes(2);

    /// <summary>How long after the last write the daemon has to answer it.</summary>
    private static readonly TimeSpan LastReaction = TimeSpan.FromSeconds(2);

    /// <param name="inPlace">The daemon's <c>in_place</c>: false times the rebuild path.</param>
    public static ChurnResult Run(INetworkFunctionSample sample, TimeSpan duration, TimeSpan writeEvery, bool inPlace, bool quiet)
    {
        if (!LiveSample.ChurnSamples.Contains(sample.Name))
            throw new UsageException($"--churn changes the maps of {string.Join(" and ", LiveSample.ChurnSamples)} as an orchestrator would; " +
                                     $"'{sample.Name}' is not one of them");
        Say(quiet, $"churn {sample.Name}: a veth pair, the sample attached, the daemon in this process{(inPlace ? "" : " (no table in place: every write rebuilds)")}, " +
                   $"a write every {writeEvery.TotalMilliseconds:0.#} ms for {duration.TotalSeconds:0.#} s");
        using var pair = VethPair.CreateReceivingXdpTx("ch");
        using var live = LiveSample.Start(pair, sample);
        var scratch = Directory.CreateTempSubdirectory("kecleon-churn-");
        try
        {
            var config = LiveDemo.DaemonOnPair(sample.Name, pair, scratch, TimeSpan.FromMinutes(10), "bench --churn");
            config.InPlace = inPlace;
            using var host = DaemonHost.Build(config, (guards, logs) => new WorkerServices(config, guards, new SemaphoreSlim(1),
                _ => live.CheckPackets(), logs), minimumLevel: LogLevel.Warning);
            var daemon = host.Services.GetRequiredService<KecleonService>();
            host.Start();
            try
            {
                // Traffic for the first profile, until the daemon has the specialized program live.
                using (Traffic.StartBackground(pair, live.Trace(Locality.High, 4000, seed: 1)))
                    WaitFor(daemon, t => t.State == TargetState.Optimized && t.Speedup is not null, FirstOptimization, "the first optimization");
                var start = Target(daemon);
                Say(quiet, $"  specialized on {string.Join(", ", start.SpecializedMaps)}: program {start.OriginalProgramId} → {start.LiveProgramId}; the writes start");
                var failures = new FailureWatch(start);
                using var watching = new Timer(_ => failures.Read(Target(daemon)), null, TimeSpan.Zero, TimeSpan.FromMilliseconds(50));
                var traffic = ChurnRun.Run(pair, live, new ChurnOptions(duration, writeEvery));
                var end = WaitForReactions(daemon, traffic.Writes.Count);
                watching.Dispose();
                failures.Read(end);
                return new ChurnResult(sample.Name, traffic.Elapsed.TotalSeconds, writeEvery.TotalMilliseconds, traffic, DaemonReactions.Read(end),
                    failures.Mismatches, failures.Others, end.RacedChecks - start.RacedChecks, end.Speedup);
            }
            finally
            {
                host.StopAsync().GetAwaiter().GetResult();
            }
        }
        finally
        {
            scratch.Delete(recursive: true);
        }
    }

    /// <summary>The daemon's status once it has answered every write (or <see cref="LastReaction"/> after the last).</summary>
    private static TargetSnapshot WaitForReactions(KecleonService daemon, int writes)
    {
        var deadline = DateTime.UtcNow + LastReaction;
        var target = Target(daemon);
        while (DateTime.UtcNow < deadline && (DaemonReactions.Count(target) < writes || target.State != TargetState.Optimized))
        {
            Thread.Sleep(20);
            target = Target(daemon);
        }
        return target;
    }

    private static TargetSnapshot Target(KecleonService daemon) =>
        daemon.Snapshot().Targets is [var target] ? target : throw new KecleonException("the daemon has not opened its target");

    private static void Say(bool quiet, string line)
    {
        if (!quiet)
            Console.WriteLine(line);
        else
            Progress.Line(line);
    }

    private static void WaitFor(KecleonService daemon, Func<TargetSnapshot, bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (daemon.Snapshot().Targets is [var target] && condition(target))
                return;
            // A failure the same maps would repeat (a verifier rejection, a failed check) waits the longest back-off: say so now.
            if (daemon.Snapshot().Targets is [{ State: TargetState.Backoff, Detail: { } detail } failed] && detail.Contains("would fail the same way", StringComparison.Ordinal))
                throw new KecleonException($"the daemon could not finish {what}: " + string.Join("; ", failed.RecentFailures.Select(f => $"{f.Stage}: {f.Reason}")));
            Thread.Sleep(50);
        }
        var last = Target(daemon);
        throw new KecleonException($"the daemon did not finish {what} within {timeout.TotalSeconds:F0} s: {last.State} {last.Detail}; " +
                                   string.Join("; ", last.RecentFailures.Select(f => $"{f.Stage}: {f.Reason}")));
    }

    /// <summary>The daemon's failures since the writes started, read from its status as they come: the differential
    /// checks that failed (mismatches) apart from the rest.</summary>
    private sealed class FailureWatch(TargetSnapshot start)
    {
        private readonly Lock _lock = new();
        private readonly HashSet<Failure> _seen = [.. start.RecentFailures];

        public long Mismatches { get; private set; }
        public long Others { get; private set; }

        public void Read(TargetSnapshot target)
        {
            lock (_lock)
                foreach (var failure in target.RecentFailures.Where(_seen.Add))
                    if (failure.Reason.Contains("does not behave like the original", StringComparison.Ordinal))
                        Mismatches++;
                    else
                        Others++;
        }
    }

    /// <summary>A duration as <c>--duration</c> and <c>--write-every</c> take it: 60s, 100ms, 1.5m (a bare number is seconds).</summary>
    public static TimeSpan Duration(string text, string option)
    {
        foreach (var (suffix, ms) in new[] { ("ms", 1.0), ("s", 1000.0), ("m", 60_000.0) })
            if (text.EndsWith(suffix, StringComparison.Ordinal) && double.TryParse(text[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
                && double.IsFinite(value) && value > 0 && value * ms <= TimeSpan.FromHours(1).TotalMilliseconds)
                return TimeSpan.FromMilliseconds(value * ms);
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && double.IsFinite(seconds) && seconds > 0 && seconds <= 3600)
            return TimeSpan.FromSeconds(seconds);
        throw new UsageException($"{option} {text}: not a duration between 1 ms and 1 h (60s, 100ms, 1.5m)");
    }
}

/// <summary>The one place the daemon's record of its reactions to control-plane writes is read: the status's reactions
/// per kind (write → specialized code correct again, from the write's <c>bpf()</c> return, and each stage).</summary>
internal static class DaemonReactions
{
    public static IReadOnlyList<ChurnReactions> Read(TargetSnapshot target) =>
    [
        .. target.Reactions.Select(r => new ChurnReactions(DaemonMetrics.KindName(r.Kind), r.Count, r.WriteToLiveMs.Median, r.WriteToLiveMs.P99,
            [.. r.Stages.Select(s => new ChurnStage(s.Stage, s.Ms.Median, s.Ms.P99))])),
    ];

    /// <summary>The writes the daemon has answered so far.</summary>
    public static long Count(TargetSnapshot target) => target.Reactions.Sum(r => r.Count);
}
