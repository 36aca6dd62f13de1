using System.Diagnostics;
using Kecleon.Bpf;
using Kecleon.Instrumentation.Profiles;
using Kecleon.Runtime.Guards;
using Kecleon.Runtime.Optimization;
using Microsoft.Extensions.Logging;

namespace Kecleon.Daemon;

/// <summary>What a worker needs from the rest of the daemon.</summary>
public sealed record WorkerServices(
    DaemonConfig Config,
    GuardTable Guards,
    SemaphoreSlim Compiles,
    Func<TargetConfig, ILiveTarget> Open,
    Func<ILiveTarget, IReadOnlyList<byte[]>> CheckPackets,
    /// <summary>Records a profile of the live traffic for the window (null: profiling unavailable).</summary>
    Func<ILiveTarget, TimeSpan, CancellationToken, Profile?>? Profile,
    ILoggerFactory Logs);

/// <summary>
/// One target's loop: open the target; profile; specialize on the live maps and the profile; check against the
/// original; swap; measure the live program and roll back when it is slower; then wait for the period or, at once, for
/// a guard invalidation, and go again. Every failure is logged and retried with back-off; none ends the loop.
/// </summary>
public sealed class TargetWorker(TargetConfig target, WorkerServices services)
{
    private readonly ILogger _log = services.Logs.CreateLogger($"Kecleon.Target.{target.Name}");
    private readonly DaemonConfig _config = services.Config;
    private ILiveTarget? _live;
    private OptimizedProgram? _optimized;
    private Profile? _profile;

    public TargetStatus Status { get; } = new(target.Name, target.Hook);

    public async Task RunAsync(CancellationToken stop)
    {
        var backoff = _config.Backoff;
        while (!stop.IsCancellationRequested)
        {
            string stage = "open";
            try
            {
                _live ??= Open();
                stage = "profile";
                if (_config.ProfileWindow > TimeSpan.Zero && services.Profile is { } profiler)
                {
                    Status.Set(TargetState.Profiling, $"instrumented for {_config.ProfileWindow.TotalSeconds:0.#} s");
                    _profile = await Task.Run(() => profiler(_live, _config.ProfileWindow, stop), stop) ?? _profile;
                }
                stage = "optimize";
                var swapped = await OptimizeAndSwapAsync(stop);
                backoff = _config.Backoff;
                if (swapped)
                {
                    stage = "watch";
                    await WatchAsync(stop);
                }
                stage = "wait";
                await WaitForWorkAsync(stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is KecleonException or BpfException or IOException or InvalidOperationException or ArgumentException)
            {
                Status.Failed(stage, e.Message);
                Status.Set(TargetState.Backoff, $"{stage} failed; retrying in {backoff.TotalSeconds:0.#} s");
                _log.LogWarning("{Target}: {Stage} failed: {Reason}; retrying in {Backoff}", target.Name, stage, e.Message, backoff);
                if (stage == "open" || HookVanished())
                    DropTarget();
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
        Stop();
    }

    private ILiveTarget Open()
    {
        Status.Set(TargetState.Starting, $"opening {target.Hook}");
        var live = services.Open(target);
        Status.Programs(live.LiveProgramId(), live.Original.Program.Info().Id);
        _log.LogInformation("{Target}: {Hook}, original program id {Id}", target.Name, live.Hook, live.Original.Program.Info().Id);
        return live;
    }

    /// <summary>One specialize–check–swap. False when nothing was worth specializing (the original stays).</summary>
    private async Task<bool> OptimizeAndSwapAsync(CancellationToken stop)
    {
        var live = _live!;
        Status.Set(TargetState.Optimizing, _profile is null ? "on the current maps" : "on the current maps and the profile");
        await services.Compiles.WaitAsync(stop);
        OptimizedProgram next;
        try
        {
            var packets = services.CheckPackets(live);
            next = await Task.Run(() => OptimizationCycle.Run(live.Source, live.Original, live.OriginalElf, services.Guards, packets,
                new OptimizeOptions { Profile = _profile, TrustedProgramIds = TrustedIds() }, stop), stop);
        }
        finally
        {
            services.Compiles.Release();
        }
        if (!next.Report.Applied.Any())
        {
            next.Dispose();
            RestoreOriginal("nothing to specialize on: the original stays");
            return false;
        }
        var swapClock = Stopwatch.StartNew();
        try
        {
            live.Swap(next.Variant.Program);
        }
        catch
        {
            next.Dispose();
            throw;
        }
        var swap = swapClock.Elapsed;
        var previous = _optimized;
        _optimized = next;
        previous?.Dispose(); // off the hook now: its slots go back, the program unloads
        var t = next.Report.Times;
        Status.Swapped(new CycleTimes(t.Parse.TotalMilliseconds, t.Analyze.TotalMilliseconds, t.Snapshot.TotalMilliseconds, t.Passes.TotalMilliseconds,
            t.Optimize.TotalMilliseconds, t.CodeGen.TotalMilliseconds, t.Load.TotalMilliseconds, t.Check.TotalMilliseconds, swap.TotalMilliseconds),
            next.Report.Snapshots.Select(s => s.Name).ToList());
        Status.Programs(next.Variant.Program.Info().Id, null);
        Status.Set(TargetState.Optimized, $"{next.Report.InstructionsBefore} → {next.Report.InstructionsAfter} instructions");
        _log.LogInformation("{Target}: swapped in program {Id} specialized on {Maps} ({Before} → {After} instructions, cycle {Ms:F1} ms)",
            target.Name, next.Variant.Program.Info().Id, string.Join(", ", next.Report.Snapshots.Select(s => s.Name)),
            next.Report.InstructionsBefore, next.Report.InstructionsAfter, t.CloneToLoaded.TotalMilliseconds);
        return true;
    }

    /// <summary>Measures the original (before) against the optimized program (after) with the kernel's own run-time
    /// statistics, over <see cref="DaemonConfig.Watch"/> each; rolls back when the optimized one is slower.</summary>
    private async Task WatchAsync(CancellationToken stop)
    {
        if (_config.Watch <= TimeSpan.Zero || _optimized is not { } optimized)
            return;
        Status.Set(TargetState.Watching, $"measuring for {_config.Watch.TotalSeconds:0.#} s");
        var after = await MeasureAsync(optimized.Variant.Program.Fd, stop);
        if (after is null || !optimized.IsCurrent)
        {
            Status.Set(optimized.IsCurrent ? TargetState.Optimized : TargetState.Invalidated, "no traffic to measure");
            return;
        }
        // The original, measured for the same time on the same traffic: swap it back briefly (it is always correct).
        _live!.Swap(_live.Original.Program);
        double? before;
        try
        {
            before = await MeasureAsync(_live.Original.Program.Fd, stop);
        }
        finally
        {
            _live.Swap(optimized.Variant.Program);
        }
        Status.Measured(before, after);
        if (before is { } b && after > b * _config.RollbackAbove)
        {
            _log.LogWarning("{Target}: optimized program runs {After:F1} ns/packet against {Before:F1} for the original: rolling back", target.Name, after, b);
            Status.RolledBack();
            RestoreOriginal($"rolled back: {after:F1} ns/packet optimized against {b:F1} original");
            return;
        }
        Status.Set(TargetState.Optimized, before is { } x ? $"{x / after:F2}x live" : "live");
    }

    private async Task<double?> MeasureAsync(int programFd, CancellationToken stop)
    {
        var start = BpfStats.Read(programFd);
        await Task.Delay(_config.Watch, stop);
        return BpfStats.NsPerRun(start, BpfStats.Read(programFd));
    }

    /// <summary>Waits for the period, or returns at once when a guard of the live program changed (a control-plane
    /// write): then re-specializes right away and records how long that took.</summary>
    private async Task WaitForWorkAsync(CancellationToken stop)
    {
        var until = DateTime.UtcNow + _config.Period;
        while (DateTime.UtcNow < until)
        {
            await Task.Delay(_config.GuardPoll, stop);
            if (_optimized is not { IsCurrent: false } stale)
                continue;
            var seen = Stopwatch.StartNew();
            Status.Invalidated();
            Status.Set(TargetState.Invalidated, $"written: {string.Join(", ", stale.StaleMaps().Select(m => m.Map))}");
            _log.LogInformation("{Target}: {Maps} written; re-specializing", target.Name, string.Join(", ", stale.StaleMaps().Select(m => m.Map)));
            if (await OptimizeAndSwapAsync(stop))
                Status.Respecialized(seen.Elapsed);
            until = DateTime.UtcNow + _config.Period;
        }
    }

    private IReadOnlySet<uint> TrustedIds()
    {
        var ids = new HashSet<uint>();
        if (_optimized is { } o)
            ids.Add(o.Variant.Program.Info().Id);
        return ids;
    }

    private void RestoreOriginal(string why)
    {
        if (_live is null)
            return;
        if (_live.LiveProgramId() != _live.Original.Program.Info().Id)
            _live.Restore();
        _optimized?.Dispose();
        _optimized = null;
        Status.Programs(_live.Original.Program.Info().Id, null);
        Status.Set(TargetState.Original, why);
    }

    private bool HookVanished()
    {
        try
        {
            _live?.LiveProgramId();
            return false;
        }
        catch (Exception e) when (e is KecleonException or BpfException or IOException)
        {
            return true;
        }
    }

    /// <summary>Forgets the target (its hook is gone); the next attempt opens it again.</summary>
    private void DropTarget()
    {
        _optimized?.Dispose();
        _optimized = null;
        _live?.Dispose();
        _live = null;
    }

    /// <summary>On shutdown: keep the optimized program (its guards keep it correct) or put the original back.</summary>
    private void Stop()
    {
        try
        {
            if (_config.OnShutdown == ShutdownPolicy.Restore)
                RestoreOriginal("stopped: original restored");
            else if (_optimized is not null)
                Status.Set(TargetState.Stopped, "stopped: optimized program left in place (guarded)");
        }
        catch (Exception e) when (e is KecleonException or BpfException)
        {
            _log.LogError("{Target}: could not restore the original: {Reason}", target.Name, e.Message);
        }
        finally
        {
            if (_config.OnShutdown == ShutdownPolicy.Restore)
                DropTarget();
            Status.Set(TargetState.Stopped, null);
        }
    }
}
