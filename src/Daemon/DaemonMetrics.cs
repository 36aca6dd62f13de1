using System.Reflection;
using Prometheus;

namespace Kecleon.Daemon;

/// <summary>
/// The daemon's Prometheus metrics (prometheus-net), in a registry of their own: base units (seconds), <c>_total</c>
/// counters, a state label per target, histograms of the reaction time (a map write seen → the re-specialized program
/// live) and of each optimize stage's time, <c>kecleon_build_info</c> and the process's own metrics. Gauges and counters
/// are read from the targets' status at each scrape; the histograms observe each swap and each re-specialization as it
/// happens (<see cref="ITargetEvents"/>). docs/daemon.md lists every metric.
/// </summary>
public sealed class DaemonMetrics : ITargetEvents
{
    /// <summary>Reaction times: 5 ms to about 20 s.</summary>
    private static readonly double[] ReactionBuckets = Histogram.ExponentialBuckets(0.005, 2, 13);
    /// <summary>Stage times: 0.1 ms to about 6.5 s.</summary>
    private static readonly double[] StageBuckets = Histogram.ExponentialBuckets(0.0001, 2, 17);

    private readonly Func<DaemonSnapshot> _snapshot;
    private readonly Gauge _state, _original, _optimized, _speedup, _optimizedNow, _lastSwap, _started;
    private readonly Counter _swaps, _rollbacks, _invalidations, _respecializations, _raced, _failures;
    private readonly Histogram _reaction, _stage, _writeToLive, _reactionStage;

    public CollectorRegistry Registry { get; } = Metrics.NewCustomRegistry();

    public DaemonMetrics(Func<DaemonSnapshot> snapshot)
    {
        _snapshot = snapshot;
        var factory = Metrics.WithCustomRegistry(Registry);
        // A chain's stages are told apart by "stage" (the stage's program; empty for a target that is one program).
        string[] target = ["target", "stage"];
        var (version, commit) = BuildVersion();
        factory.CreateGauge("kecleon_build_info", "Kecleon's version, the commit it was built from and the .NET runtime it runs on (always 1).",
            ["version", "commit", "runtime"]).WithLabels(version, commit, System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription).Set(1);
        _started = factory.CreateGauge("kecleon_daemon_start_time_seconds", "When the daemon started (Unix time).");
        _state = factory.CreateGauge("kecleon_target_state", "1 for the target's current state, 0 for the others.", ["target", "stage", "state"]);
        _optimizedNow = factory.CreateGauge("kecleon_optimized", "1 while the target's optimized program is live and current.", target);
        _original = factory.CreateGauge("kecleon_original_seconds_per_packet", "Run time per packet of the original program, measured live (bpf_stats).", target);
        _optimized = factory.CreateGauge("kecleon_optimized_seconds_per_packet", "Run time per packet of the live optimized program, measured live (bpf_stats).", target);
        _speedup = factory.CreateGauge("kecleon_speedup_ratio", "The original's run time per packet over the optimized program's.", target);
        _lastSwap = factory.CreateGauge("kecleon_last_swap_timestamp_seconds", "When a program was last swapped onto the target's hook (Unix time).", target);
        _swaps = factory.CreateCounter("kecleon_swaps_total", "Programs swapped onto the hook.", target);
        _rollbacks = factory.CreateCounter("kecleon_rollbacks_total", "Optimized programs rolled back because they ran slower.", target);
        _invalidations = factory.CreateCounter("kecleon_invalidations_total", "Guard invalidations (guard version bumps): a specialized map was written.", target);
        _respecializations = factory.CreateCounter("kecleon_respecializations_total", "Re-specializations after an invalidation.", target);
        _raced = factory.CreateCounter("kecleon_raced_checks_total", "Checks that raced a control-plane write and ran again on a new snapshot.", target);
        _failures = factory.CreateCounter("kecleon_failures_total", "Failed cycles (verifier, unreadable map, vanished hook, ...).", target);
        _reaction = factory.CreateHistogram("kecleon_reaction_seconds", "Time from a map write seen to the re-specialized program live.",
            target, new HistogramConfiguration { Buckets = ReactionBuckets });
        _stage = factory.CreateHistogram("kecleon_cycle_stage_seconds", "Time of each stage of each optimize cycle that swapped a program.",
            ["target", "chain_stage", "stage"], new HistogramConfiguration { Buckets = StageBuckets });
        _writeToLive = factory.CreateHistogram("kecleon_write_to_live_seconds",
            "Time from a control-plane write's bpf() return to the specialized code correct again, per kind of reaction (in_place, rebuild).",
            ["target", "stage", "kind"], new HistogramConfiguration { Buckets = StageBuckets });
        _reactionStage = factory.CreateHistogram("kecleon_reaction_stage_seconds", "Time of each stage of each reaction to a control-plane write, per kind.",
            ["target", "chain_stage", "kind", "stage"], new HistogramConfiguration { Buckets = StageBuckets });
        // process_cpu_seconds_total, process_resident_memory_bytes, process_open_handles, dotnet_collection_count_total, ...
        DotNetStats.Register(Registry);
        Registry.AddBeforeCollectCallback(Update);
    }

    /// <summary>The metrics in the Prometheus text format (what a scrape returns).</summary>
    public async Task<string> RenderAsync()
    {
        using var text = new MemoryStream();
        await Registry.CollectAndExportAsTextAsync(text);
        return System.Text.Encoding.UTF8.GetString(text.ToArray());
    }

    public void Swapped(string target, string stage, CycleTimes times)
    {
        foreach (var (phase, ms) in Stages(times))
            _stage.WithLabels(target, stage, phase).Observe(ms / 1000);
    }

    public void Respecialized(string target, string stage, TimeSpan reaction) => _reaction.WithLabels(target, stage).Observe(reaction.TotalSeconds);

    public void Reacted(string target, string stage, ReactionKind kind, TimeSpan writeToLive, IReadOnlyList<(string Stage, TimeSpan Took)> stages)
    {
        var k = KindName(kind);
        _writeToLive.WithLabels(target, stage, k).Observe(writeToLive.TotalSeconds);
        foreach (var (name, took) in stages)
            _reactionStage.WithLabels(target, stage, k, name).Observe(took.TotalSeconds);
    }

    /// <summary>A kind of reaction as the metrics and the status name it (<c>in_place</c>, <c>rebuild</c>, <c>data_plane</c>).</summary>
    public static string KindName(ReactionKind kind) => kind switch
    {
        ReactionKind.InPlace => "in_place",
        ReactionKind.Rebuild => "rebuild",
        _ => "data_plane",
    };

    /// <summary>A kind of reaction as the status and the churn bench say it in text.</summary>
    public static string KindText(ReactionKind kind) => kind switch
    {
        ReactionKind.InPlace => "in-place updates",
        ReactionKind.Rebuild => "rebuilds",
        _ => "data-plane writes",
    };

    /// <summary>The stages of a cycle as the metrics and the status name them, in milliseconds.</summary>
    public static IEnumerable<(string Stage, double Ms)> Stages(CycleTimes c) =>
    [
        ("parse", c.Parse), ("analyze", c.Analyze), ("snapshot", c.Snapshot), ("passes", c.Passes), ("optimize", c.Optimize),
        ("codegen", c.CodeGen), ("load", c.Load), ("check", c.Check), ("swap", c.Swap),
    ];

    private void Update()
    {
        var status = _snapshot();
        _started.Set(status.Started.ToUnixTimeMilliseconds() / 1000.0);
        // A chain: the chain itself (reading it), then each stage.
        foreach (var t in status.Targets.SelectMany(t => (IEnumerable<TargetSnapshot>)[t, .. t.Stages ?? []]))
        {
            string[] labels = [t.Name, t.Stage ?? ""];
            foreach (var state in Enum.GetValues<TargetState>())
                _state.WithLabels(t.Name, t.Stage ?? "", StateName(state)).Set(state == t.State ? 1 : 0);
            _optimizedNow.WithLabels(labels).Set(t.State == TargetState.Optimized ? 1 : 0);
            Optional(_original, labels, t.BaselineNsPerPacket / 1e9);
            Optional(_optimized, labels, t.OptimizedNsPerPacket / 1e9);
            Optional(_speedup, labels, t.Speedup);
            Optional(_lastSwap, labels, t.LastSwap?.ToUnixTimeMilliseconds() / 1000.0);
            _swaps.WithLabels(labels).IncTo(t.Swaps);
            _rollbacks.WithLabels(labels).IncTo(t.Rollbacks);
            _invalidations.WithLabels(labels).IncTo(t.Invalidations);
            _respecializations.WithLabels(labels).IncTo(t.Respecializations);
            _raced.WithLabels(labels).IncTo(t.RacedChecks);
            _failures.WithLabels(labels).IncTo(t.Failures);
        }
    }

    /// <summary>A gauge with a value only once there is one (no measurement yet: no sample, rather than a made-up 0).</summary>
    private static void Optional(Gauge gauge, string[] labels, double? value)
    {
        if (value is { } v)
            gauge.WithLabels(labels).Set(v);
        else
            gauge.RemoveLabelled(labels);
    }

    public static string StateName(TargetState state) => state.ToString().ToLowerInvariant();

    /// <summary>The version and commit of this build (<c>1.0.0+COMMIT</c> in the informational version).</summary>
    public static (string Version, string Commit) BuildVersion()
    {
        var informational = typeof(DaemonMetrics).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        return informational.Split('+', 2) is [var version, var commit] ? (version, commit) : (informational, "unknown");
    }
}
