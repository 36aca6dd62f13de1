using Kecleon.Runtime.Deployment;
using Microsoft.Extensions.Logging;

namespace Kecleon.Daemon;

/// <summary>What the daemon runs for one configured target, and what status and metrics read from it.</summary>
public interface IDaemonWorker
{
    Task RunAsync(CancellationToken stop);

    /// <summary>The target's status now (a chain: with its stages).</summary>
    TargetSnapshot Snapshot();

    /// <summary>Told of each swap and re-specialization (the metrics).</summary>
    ITargetEvents? Events { set; }
}

/// <summary>
/// A service chain's loop (<c>"chain": true</c> on the entry's hook, or <c>"prog_array"</c>): reads the chain live
/// (<see cref="ChainStages"/>) and keeps it optimized. Per stage (the default), one <see cref="TargetWorker"/> per
/// program: the entry on its hook, each stage in its PROG_ARRAY slot, each with its own guards and its own cycle. Fused
/// (<c>"fuse": true</c>), one worker on the entry that fuses the chain into it; the stages stay in their slots, where
/// the fused program's fallback (the original entry) reaches them. The chain is read again every
/// <see cref="ReadEvery"/>: a slot that someone filled, emptied or gave another program is noticed there (a program
/// in a slot that is neither the stage's original nor its optimized program, seen on two reads in a row, to let a
/// stage's own swap settle). That stage's worker is stopped, leaving the slot as it is, its pins go (the new program is
/// the stage's original now), and a new worker takes the new program; a fused entry is told to fuse again at once.
/// </summary>
public sealed class ChainWorker(TargetConfig chain, WorkerServices services) : IDaemonWorker
{
    /// <summary>How often the chain is read for slots someone changed (user space only: a few map lookups).</summary>
    public static readonly TimeSpan ReadEvery = TimeSpan.FromMilliseconds(250);

    private readonly ILogger _log = services.Logs.CreateLogger($"Kecleon.Target.{chain.Name}");
    private readonly DaemonConfig _config = services.Config;
    private readonly TargetStatus _status = new(chain.Name, chain.Hook);
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Running> _stages = [];
    private readonly Dictionary<string, uint> _suspect = [];
    private ITargetEvents? _events;

    /// <summary>A stage being kept: its worker (per stage, or a fused entry), or for a stage inside a fused entry only a
    /// status of its own.</summary>
    private sealed record Running(ChainStage Stage, TargetWorker? Worker, CancellationTokenSource? Cancel, Task? Loop, TargetStatus? Passive)
    {
        public TargetSnapshot Snapshot() => Worker?.Status.Snapshot() ?? Passive!.Snapshot();

        /// <summary>Whether the program found there now is this stage's own: the original found, what its worker swapped
        /// in, or another program Kecleon built from it (an instrumented copy for a profile window).</summary>
        public bool Owns(ChainStage now) =>
            now.ProgramId == Stage.ProgramId || now.Variant && now.Program == Stage.Program ||
            Worker?.Status.Snapshot() is { } s && (s.LiveProgramId == now.ProgramId || s.OriginalProgramId == now.ProgramId);
    }

    public ITargetEvents? Events
    {
        set
        {
            lock (_lock)
            {
                _events = value;
                foreach (var r in _stages.Values)
                    if (r.Worker is not null)
                        r.Worker.Status.Events = value;
            }
        }
    }

    public TargetSnapshot Snapshot()
    {
        List<TargetSnapshot> stages;
        lock (_lock)
            stages = _stages.Values.OrderBy(r => r.Stage.Slot is null ? 0 : 1).ThenBy(r => r.Stage.Slot?.MapId).ThenBy(r => r.Stage.Slot?.Slot)
                .Select(r => r.Snapshot()).ToList();
        return _status.Snapshot() with { Stages = stages, Fused = chain.Fuse };
    }

    public async Task RunAsync(CancellationToken stop)
    {
        var backoff = _config.Backoff;
        _status.Set(TargetState.Starting, $"reading the chain from {chain.Hook}");
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var found = await Task.Run(() => ChainStages.Read(chain), stop);
                await ReconcileAsync(found, stop);
                backoff = _config.Backoff;
                await Task.Delay(ReadEvery, stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is KecleonException or IOException or InvalidOperationException or ArgumentException)
            {
                _status.Failed("chain", e.Message);
                _status.Set(TargetState.Backoff, $"reading the chain failed; retrying in {backoff.TotalSeconds:0.#} s");
                _log.LogWarning(DaemonEvents.Failed, "{Target}: reading the chain failed: {Reason}; retrying in {Backoff:0.###} s", chain.Name, e.Message, backoff.TotalSeconds);
                try
                {
                    await Task.Delay(backoff, stop);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, _config.MaxBackoff.Ticks));
            }
        }
        // The stages' workers stop with the daemon (their tokens are linked to it) and apply on_shutdown each.
        List<Task> loops;
        lock (_lock)
            loops = _stages.Values.Select(r => r.Loop).OfType<Task>().ToList();
        await Task.WhenAll(loops);
        _status.Set(TargetState.Stopped, null);
    }

    private static string Key(ChainStage s) => s.Slot is { } slot ? $"{slot.MapId}:{slot.Slot}" : "entry";

    /// <summary>Starts a worker for each stage found that has none, and stops the worker of each stage that is gone or
    /// whose slot holds a program not its own (seen twice).</summary>
    private async Task ReconcileAsync(IReadOnlyList<ChainStage> found, CancellationToken stop)
    {
        var byKey = found.ToDictionary(Key);
        var changes = new List<string>();
        List<(string Key, Running Old, ChainStage? New)> replaced = [];
        lock (_lock)
        {
            foreach (var (key, running) in _stages)
            {
                if (!byKey.TryGetValue(key, out var now))
                    replaced.Add((key, running, null));
                else if (!running.Owns(now))
                {
                    if (_suspect.TryGetValue(key, out var seen) && seen == now.ProgramId)
                        replaced.Add((key, running, now));
                    else
                        _suspect[key] = now.ProgramId;
                }
                else
                    _suspect.Remove(key);
            }
        }
        foreach (var (key, old, now) in replaced)
        {
            _suspect.Remove(key);
            var what = now is null ? $"{old.Stage.Place} no longer holds {old.Stage.Program}"
                : $"{now.Place} now runs program {now.ProgramId} ({now.Program}) in place of {old.Stage.Program}";
            changes.Add(what);
            _log.LogInformation(DaemonEvents.Invalidated, "{Target}: the chain changed: {What}", chain.Name, what);
            await StopStageAsync(key, old);
        }
        lock (_lock)
        {
            foreach (var (key, stage) in byKey)
                if (!_stages.ContainsKey(key))
                    _stages[key] = Start(stage, stop);
        }
        if (changes.Count > 0 && chain.Fuse)
        {
            Running? entry;
            lock (_lock)
                entry = _stages.GetValueOrDefault("entry");
            entry?.Worker?.Poke($"the chain changed: {string.Join("; ", changes)}");
        }
        _status.Set(TargetState.Optimized, Describe(found));
    }

    private string Describe(IReadOnlyList<ChainStage> found) =>
        $"{found.Count} stage(s){(chain.Fuse ? ", fused into the entry" : ", each optimized in its place")}: " +
        string.Join(", ", found.Select(s => $"{s.Program} ({s.Place}, program {s.ProgramId})"));

    private Running Start(ChainStage stage, CancellationToken stop)
    {
        if (chain.Fuse && stage.Slot is not null)
        {
            var passive = new TargetStatus(chain.Name, stage.Place) { Stage = stage.Program, Place = stage.Place };
            passive.Programs(stage.ProgramId, stage.ProgramId);
            passive.Set(TargetState.Original, "fused into the entry; runs from its slot when the fused program falls back");
            return new Running(stage, null, null, null, passive);
        }
        var config = chain with
        {
            Chain = false,
            ProgArray = null,
            Slot = null,
            Program = stage.Program,
            Interface = stage.Slot is null ? chain.Interface : null,
            Tc = stage.Slot is null ? chain.Tc : null,
            Netns = stage.Slot is null ? chain.Netns : null,
            StageSlot = stage.Slot,
            Fuse = chain.Fuse && stage.Slot is null,
        };
        var worker = new TargetWorker(config, services, stage);
        worker.Status.Events = _events;
        var cancel = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var loop = Task.Run(() => worker.RunAsync(cancel.Token), CancellationToken.None);
        _log.LogInformation(DaemonEvents.Opened, "{Target}: stage {Stage} ({Place}, program {Id}){Fused}", chain.Name, stage.Program, stage.Place, stage.ProgramId,
            config.Fuse ? ": fusing the chain into it" : "");
        return new Running(stage, worker, cancel, loop, null);
    }

    /// <summary>Stops a stage's worker without touching its slot (the program there is someone else's now), and removes
    /// the stage's pins: the next worker there takes the program it finds as the original.</summary>
    private async Task StopStageAsync(string key, Running old)
    {
        old.Worker?.Drop();
        old.Cancel?.Cancel();
        if (old.Loop is not null)
            await old.Loop;
        old.Cancel?.Dispose();
        lock (_lock)
            _stages.Remove(key);
        if (old.Stage.Slot is { } slot)
        {
            var directory = Path.Combine(_config.PinRoot, $"progarray-{slot.MapId}-{slot.Slot}");
            if (Directory.Exists(directory))
                Target.RemoveLeftovers(directory);
        }
    }
}
