using System.Text.Json.Serialization;

namespace Kecleon.Daemon;

/// <summary>Where a target's loop is.</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<TargetState>))]
public enum TargetState
{
    Starting,
    Profiling,
    Optimizing,
    Watching,
    /// <summary>The optimized program is live and its guards are current.</summary>
    Optimized,
    /// <summary>A specialized map was written: the optimized program runs the original until re-specialized.</summary>
    Invalidated,
    /// <summary>The original program is live (nothing worth specializing, or rolled back).</summary>
    Original,
    /// <summary>The last attempt failed; waiting before the next.</summary>
    Backoff,
    Stopped,
}

/// <summary>A failure with its reason, for <c>kecleon status</c>.</summary>
public sealed record Failure(DateTimeOffset At, string Stage, string Reason);

/// <summary>Times of one optimize cycle's stages, in milliseconds.</summary>
public sealed record CycleTimes(double Parse, double Analyze, double Snapshot, double Passes, double Optimize,
    [property: JsonPropertyName("codegen")] double CodeGen, double Load, double Check, double Swap)
{
    public double Total => Parse + Analyze + Snapshot + Passes + Optimize + CodeGen + Load + Check + Swap;
}

/// <summary>What <c>kecleon status</c> shows for one target (a snapshot: immutable).</summary>
public sealed record TargetSnapshot(
    string Name, string Hook, TargetState State, string? Detail, uint? LiveProgramId, uint? OriginalProgramId,
    double? BaselineNsPerPacket, double? OptimizedNsPerPacket, DateTimeOffset? LastSwap, long Swaps, long Rollbacks,
    long Invalidations, long Respecializations, long Failures, IReadOnlyList<Failure> RecentFailures,
    [property: JsonPropertyName("last_cycle_ms")] CycleTimes? LastCycle,
    IReadOnlyList<double> ReactionMs, IReadOnlyList<string> SpecializedMaps)
{
    /// <summary>Checks that raced a control-plane write and ran again at once on a new snapshot.</summary>
    public long RacedChecks { get; init; }

    /// <summary>Each kind of reaction to a control-plane write (write → specialized code correct again), per stage;
    /// only the kinds that happened.</summary>
    public IReadOnlyList<ReactionStats> Reactions { get; init; } = [];

    /// <summary>For a stage of a chain: the program's name (the stage); null for a target that is one program.</summary>
    public string? Stage { get; init; }

    /// <summary>For a stage of a chain: where it runs (<c>entry</c>, or <c>slot 1 of chain_slots (map id 12)</c>).</summary>
    public string? Place { get; init; }

    /// <summary>For a chain: its stages, each with its own status (the entry first); null for a target that is one program.</summary>
    public IReadOnlyList<TargetSnapshot>? Stages { get; init; }

    /// <summary>For a chain: whether it is kept fused into its entry (<c>"fuse": true</c>); null for a target that is one program.</summary>
    public bool? Fused { get; init; }

    /// <summary>baseline ns/packet over optimized ns/packet as the kernel measured them live (bpf_stats).</summary>
    public double? Speedup => BaselineNsPerPacket is > 0 && OptimizedNsPerPacket is > 0 ? BaselineNsPerPacket / OptimizedNsPerPacket : null;
}

/// <summary>The daemon as a whole: what the status socket sends and <c>kecleon status --json</c> prints (docs/json.md).</summary>
public sealed record DaemonSnapshot(DateTimeOffset Started, string GuardHook, IReadOnlyList<TargetSnapshot> Targets)
{
    [JsonPropertyOrder(-1)]
    public int SchemaVersion { get; init; } = JsonOutput.SchemaVersion;
}

/// <summary>What is observed as it happens rather than read from a snapshot (the metrics' histograms).</summary>
public interface ITargetEvents
{
    /// <summary>A cycle swapped a program onto <paramref name="target"/>'s hook (for a chain, <paramref name="stage"/>'s;
    /// else empty), its phases taking <paramref name="times"/>.</summary>
    void Swapped(string target, string stage, CycleTimes times);

    /// <summary>A re-specialization after a map write went live <paramref name="reaction"/> after the write was seen.</summary>
    void Respecialized(string target, string stage, TimeSpan reaction);

    /// <summary>A control-plane write was answered (<paramref name="kind"/>): the specialized code was correct again
    /// <paramref name="writeToLive"/> after the write, its stages taking <paramref name="stages"/>.</summary>
    void Reacted(string target, string stage, ReactionKind kind, TimeSpan writeToLive, IReadOnlyList<(string Stage, TimeSpan Took)> stages)
    {
    }
}

/// <summary>A target's live counters, written by its loop and read by status and metrics (thread-safe).</summary>
public sealed class TargetStatus(string name, string hook)
{
    /// <summary>For a stage of a chain: the stage's program name (else null).</summary>
    public string? Stage { get; init; }

    /// <summary>For a stage of a chain: where it runs (<see cref="ChainStage.Place"/>).</summary>
    public string? Place { get; init; }

    /// <summary>Told of each swap and re-specialization (the daemon's metrics), when set.</summary>
    public ITargetEvents? Events { get; set; }

    private const int KeptFailures = 10;
    private const int KeptReactions = 64;
    private readonly Lock _lock = new();
    private readonly List<Failure> _failures = [];
    private readonly List<double> _reactions = [];
    private TargetState _state = TargetState.Starting;
    private string? _detail;
    private uint? _live, _original;
    private double? _baselineNs, _optimizedNs;
    private DateTimeOffset? _lastSwap;
    private string _hook = hook;

    /// <summary>The hook as found once the target is open (<c>TC ingress on eth0 (tcx link 12)</c>), in place of how the
    /// configuration names it.</summary>
    public void Hook(string found)
    {
        lock (_lock)
            _hook = found;
    }
    private long _swaps, _rollbacks, _invalidations, _respecializations, _failureCount, _raced;
    private CycleTimes? _lastCycle;
    private IReadOnlyList<string> _maps = [];

    public string Name => name;

    public void Set(TargetState state, string? detail = null)
    {
        lock (_lock)
        {
            _state = state;
            _detail = detail;
        }
    }

    public void Programs(uint? live, uint? original)
    {
        lock (_lock)
        {
            _live = live;
            _original = original ?? _original;
        }
    }

    public void Measured(double? baselineNs, double? optimizedNs)
    {
        lock (_lock)
        {
            _baselineNs = baselineNs ?? _baselineNs;
            _optimizedNs = optimizedNs;
        }
    }

    public void Swapped(CycleTimes times, IReadOnlyList<string> maps)
    {
        lock (_lock)
        {
            _swaps++;
            _lastSwap = DateTimeOffset.UtcNow;
            _lastCycle = times;
            _maps = maps;
        }
        Events?.Swapped(name, Stage ?? "", times);
    }

    public void RolledBack()
    {
        lock (_lock)
            _rollbacks++;
    }

    public void Invalidated()
    {
        lock (_lock)
            _invalidations++;
    }

    /// <summary>A re-specialization after an invalidation went live <paramref name="reaction"/> after the write was seen.</summary>
    public void Respecialized(TimeSpan reaction)
    {
        lock (_lock)
        {
            _respecializations++;
            _reactions.Add(reaction.TotalMilliseconds);
            if (_reactions.Count > KeptReactions)
                _reactions.RemoveAt(0);
        }
        Events?.Respecialized(name, Stage ?? "", reaction);
    }

    /// <summary>A control-plane write was answered (<paramref name="kind"/>): the specialized code was correct again
    /// <paramref name="writeToLive"/> after the write's <c>bpf()</c> returned (the guard hook's kernel timestamp), its
    /// stages (<c>wake</c>, <c>snapshot</c>, ..., <c>swap</c> or <c>flip</c>) taking <paramref name="stages"/>.</summary>
    public void Reacted(ReactionKind kind, TimeSpan writeToLive, IReadOnlyList<(string Stage, TimeSpan Took)> stages)
    {
        lock (_lock)
        {
            if (!_reacted.TryGetValue(kind, out var r))
                _reacted[kind] = r = new Reactions();
            r.WriteToLive.Observe(writeToLive.TotalMilliseconds);
            foreach (var (stage, took) in stages)
            {
                if (!r.Stages.TryGetValue(stage, out var h))
                {
                    r.Stages[stage] = h = new ReactionHistogram();
                    r.Order.Add(stage);
                }
                h.Observe(took.TotalMilliseconds);
            }
        }
        Events?.Reacted(name, Stage ?? "", kind, writeToLive, stages);
    }

    /// <summary>The reactions of one kind: write → live, and each stage in the order first seen.</summary>
    private sealed class Reactions
    {
        public readonly ReactionHistogram WriteToLive = new();
        public readonly Dictionary<string, ReactionHistogram> Stages = [];
        public readonly List<string> Order = [];

        public ReactionStats Stats(ReactionKind kind) => new(kind, WriteToLive.Count, WriteToLive.Distribution(),
            Order.Select(s => new ReactionStage(s, Stages[s].Distribution())).ToList());
    }

    private readonly SortedDictionary<ReactionKind, Reactions> _reacted = [];

    public void Raced(int checks)
    {
        lock (_lock)
            _raced += checks;
    }

    public void Failed(string stage, string reason)
    {
        lock (_lock)
        {
            _failureCount++;
            _failures.Add(new Failure(DateTimeOffset.UtcNow, stage, reason));
            if (_failures.Count > KeptFailures)
                _failures.RemoveAt(0);
        }
    }

    public TargetSnapshot Snapshot()
    {
        lock (_lock)
            return new TargetSnapshot(name, _hook, _state, _detail, _live, _original, _baselineNs, _optimizedNs,
                _lastSwap, _swaps, _rollbacks, _invalidations, _respecializations, _failureCount, [.. _failures], _lastCycle,
                [.. _reactions], _maps)
            {
                RacedChecks = _raced, Stage = Stage, Place = Place,
                Reactions = _reacted.Select(r => r.Value.Stats(r.Key)).ToList(),
            };
    }
}
