using System.Diagnostics;
using Kecleon.Bpf;
using Kecleon.Instrumentation.Profiles;
using Kecleon.Instrumentation.Profiling;
using Kecleon.Optimizer.Specialization;
using Kecleon.Runtime.Checking;
using Kecleon.Runtime.Deployment;
using Kecleon.Runtime.Guards;
using Kecleon.Runtime.Optimization;
using Microsoft.Extensions.Logging;

namespace Kecleon.Daemon;

/// <summary>What a worker needs from the rest of the daemon.</summary>
/// <param name="Guards">The pinned guard table: optimized programs stay guarded when the daemon stops or dies.</param>
/// <param name="Compiles">Bounds concurrent compilations.</param>
/// <param name="CheckPackets">Packets for the differential check before each swap.</param>
public sealed record WorkerServices(
    DaemonConfig Config,
    GuardTable Guards,
    SemaphoreSlim Compiles,
    Func<LiveTarget, IReadOnlyList<byte[]>> CheckPackets,
    ILoggerFactory Logs);

/// <summary>
/// One target's loop: open the target; measure the live program; profile; specialize on the live maps and the
/// profile; check against the original; swap; measure again and roll back when slower; then wait for the period or, at
/// once, for a guard invalidation (a control-plane write), and go again. Every failure is logged and retried with
/// back-off; none ends the loop, and none leaves the hook without a correct program.
/// </summary>
/// <param name="chainStage">For a stage of a chain (<see cref="ChainWorker"/>): which program and where; null otherwise.</param>
public sealed class TargetWorker(TargetConfig target, WorkerServices services, ChainStage? chainStage = null) : IDaemonWorker
{
    private readonly ILogger _log = services.Logs.CreateLogger($"Kecleon.Target.{target.Name}");
    private readonly DaemonConfig _config = services.Config;
    private LiveTarget? _live;
    private OptimizationReport? _current;
    /// <summary>The live program's in-place data (<see cref="InPlaceUpdate"/>), when it keeps some.</summary>
    private InPlaceUpdate? _inPlace;
    /// <summary>A cycle of this target had its in-place program refused by the verifier (<see cref="OptimizationReport.InPlaceRefused"/>),
    /// with the profiling path built in ([1]) or without it ([0]): the stack the verifier counts differs between the two.</summary>
    private readonly bool[] _inPlaceRefused = new bool[2];
    /// <summary>The same for key tables in place (<see cref="OptimizationReport.InPlaceKeyTablesRefused"/>): the LPM tables
    /// stay in place.</summary>
    private readonly bool[] _inPlaceKeyTablesRefused = new bool[2];
    /// <summary>The sites the last cycle left to the kernel to fit the verifier: what fit is remembered, so the next
    /// cycles start from it instead of backing off again every period.</summary>
    private IReadOnlyDictionary<int, Kecleon.Optimizer.Planning.PlanReason> _backedOff = new Dictionary<int, Kecleon.Optimizer.Planning.PlanReason>();
    private Profile? _profile;
    private string _specializedOn = "";
    /// <summary>The live program was built by a reaction (<see cref="ReactAsync"/>): for time, without the profiling path
    /// (<see cref="OptimizeOptions.Reaction"/>). The wait builds it again in full (with the path, when the daemon profiles)
    /// once the writes pause (<see cref="ProfilingPathPause"/>), and a period's cycle does not keep it as unchanged. Under
    /// writes that never pause the reaction's build stays: a full build meanwhile would hold up the next write's
    /// in-place flip by its own time.</summary>
    private bool _reactionBuildLive;
    /// <summary>The maps written since the last full build: a reaction leaves those the data plane writes to the next full
    /// build (<see cref="OptimizeOptions.WrittenSinceFullBuild"/>).</summary>
    private readonly HashSet<string> _writtenSinceFullBuild = new(StringComparer.Ordinal);
    /// <summary>The next cycle's module, parsed and analysed after the last cycle (<see cref="PrepareNext"/>): a reaction
    /// to a control-plane write starts at the snapshot.</summary>
    private Task<PreparedModule?>? _next;
    /// <summary>The check's copies of the live maps, kept from one cycle to the next (<see cref="CheckMapPool"/>): a
    /// reaction's check brings them back to the live contents instead of creating them. Dropped with the target.</summary>
    private CheckMapPool _checkMaps = new();

    public TargetStatus Status { get; } = new(target.Name, target.Hook) { Stage = chainStage?.Program, Place = chainStage?.Place };

    public TargetSnapshot Snapshot() => Status.Snapshot();

    public ITargetEvents? Events
    {
        set => Status.Events = value;
    }

    private string? _poked;
    private volatile bool _dropped;

    /// <summary>Asks for a new cycle at once (the chain around this stage changed: <paramref name="why"/>), as a
    /// control-plane write to a specialized map does.</summary>
    public void Poke(string why)
    {
        Interlocked.Exchange(ref _poked, why);
        Volatile.Read(ref _pokeSignal).TrySetResult();
    }

    /// <summary>The next stop leaves the hook as it is, whatever <see cref="DaemonConfig.OnShutdown"/> says: the stage is
    /// no longer the chain's (someone put another program in its slot).</summary>
    public void Drop() => _dropped = true;

    public async Task RunAsync(CancellationToken stop)
    {
        var backoff = _config.Backoff;
        while (!stop.IsCancellationRequested)
        {
            var stage = "open";
            try
            {
                _live ??= Open();
                stage = "measure";
                var before = await MeasureAsync(stop);
                stage = "profile";
                if (_config.ProfileWindow > TimeSpan.Zero)
                {
                    Status.Set(TargetState.Profiling, _live.ProfilesInPlace
                        ? $"the live program profiles itself for {_config.ProfileWindow.TotalSeconds:0.#} s"
                        : $"instrumented for {_config.ProfileWindow.TotalSeconds:0.#} s");
                    _profile = await _live.ProfileAsync(_config.ProfileWindow, stop);
                    _log.LogInformation(DaemonEvents.Profiled, "{Target}: profiled {Packets} packets in {Window:0.###} s; {Sampled} sampled packets kept for the check",
                        Display, _profile.Packets, _config.ProfileWindow.TotalSeconds, _live.LivePackets.Count);
                }
                stage = "optimize";
                var live = _live;
                var signature = _current is null ? "" : await Task.Run(() => PlanSignature(live), stop);
                if (_current is not null && IsCurrent() && signature == _specializedOn && !_reactionBuildLive)
                {
                    // Same maps, same hot keys: the live program is what a new cycle would make.
                    Status.Set(TargetState.Optimized, "unchanged: same maps and hot keys");
                    _log.LogDebug(DaemonEvents.Unchanged, "{Target}: maps and hot keys unchanged; keeping program {Id}", Display, _live.Target.Current.Id);
                }
                else
                {
                    await OptimizeAndSwapAsync(stop);
                    stage = "watch";
                    await WatchAsync(before, stop);
                }
                backoff = _config.Backoff;
                stage = "wait";
                await WaitForWorkAsync(stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is KecleonException or IOException or InvalidOperationException or ArgumentException)
            {
                var reason = Reason(e);
                // The verifier and the differential check answer the same inputs the same way: no quick retries.
                var repeats = Repeats(e);
                if (repeats)
                    backoff = _config.MaxBackoff;
                // A check that kept racing control-plane writes says nothing about the next snapshot: the first back-off.
                var raced = Raced(e);
                if (raced)
                    backoff = _config.Backoff;
                Status.Failed(stage, reason);
                Status.Set(TargetState.Backoff, $"{stage} failed; retrying in {backoff.TotalSeconds:0.#} s" +
                                                (repeats ? " (the same maps and traffic would fail the same way)" : ""));
                _log.LogWarning(DaemonEvents.Failed, "{Target}: {Stage} failed: {Reason}; retrying in {Backoff:0.###} s{Why}", Display, stage, reason, backoff.TotalSeconds,
                    repeats ? ", the longest back-off: the same maps and traffic would fail the same way" : "");
                if (e is KecleonException { Details: { } details })
                    _log.LogDebug(DaemonEvents.FailureDetails, "{Target}: {Details}", Display, details);
                if (HookVanished())
                    DropTarget();
                try
                {
                    await Task.Delay(backoff, stop);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
                if (!raced)
                    backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, _config.MaxBackoff.Ticks));
            }
        }
        Stop();
    }

    /// <summary>What of the specialization plan the profile decides (which sites get hot keys, and which), for the profile
    /// just taken: equal to the swapped-in program's, a new cycle would make the same program.</summary>
    private string PlanSignature(LiveTarget live) =>
        LiveOptimization.Plan(live.Target, live.Source, live.Original, new OptimizeOptions { Profile = _profile, TrustedProgramIds = live.Variants }).Signature;

    /// <summary>A failure its inputs decide (a verifier rejection, a failed differential check, a program on the hook
    /// that the source did not build), as opposed to one of the moment (an interface gone, a swap someone else won, a
    /// busy map).</summary>
    private static bool Repeats(Exception e) =>
        Causes(e).Any(c => c is VerifierRejectedException or SpecializationMismatchException or ProgramMismatchException
            or LlvmFatalErrorException); // each one also leaks the LLVM context it happened in


    private static bool Raced(Exception e) => Causes(e).Any(c => c is SnapshotRaceException);

    /// <summary><paramref name="e"/> and its inner exceptions.</summary>
    private static IEnumerable<Exception> Causes(Exception e)
    {
        for (Exception? cause = e; cause is not null; cause = cause.InnerException)
            yield return cause;
    }

    /// <summary>The message, and for a verifier rejection the line of its log that says why (the whole log is at debug
    /// level).</summary>
    private static string Reason(Exception e)
    {
        if (e is not KecleonException { Details: { } details })
            return e.Message;
        var why = details.Split('\n').Select(l => l.Trim())
            .LastOrDefault(l => l.Length > 0 && !l.StartsWith("processed ", StringComparison.Ordinal) && !l.StartsWith("verification time", StringComparison.Ordinal));
        return why is null ? e.Message : $"{e.Message} (… {why})";
    }

    private LiveTarget Open()
    {
        Status.Set(TargetState.Starting, $"opening {target.Hook}");
        var live = LiveTarget.Open(target, _config.PinRoot);
        var t = live.Target;
        Status.Programs(t.Current.Id, t.OriginalInfo.Id);
        Status.Hook(t.Hook.Description);
        _log.LogInformation(DaemonEvents.Opened, "{Target}: {Hook}, original program {Id} ({Name}){Optimized}{Note}", Display, t.Hook.Description, t.OriginalInfo.Id,
            t.OriginalInfo.Name, t.OptimizedId is { } o ? $", optimized program {o} live from an earlier run" : "", t.Note is { } n ? $"; {n}" : "");
        return live;
    }

    /// <summary>One specialize–check–swap; any failure throws and leaves the hook as it was.</summary>
    /// <param name="respecialize">After a control-plane write: the check probes every changed key and a smaller sample
    /// of the rest (<see cref="DaemonConfig.RespecializeProbes"/>), and a reaction (<paramref name="profilingPath"/> false)
    /// a sample of the other check packets (<see cref="DaemonConfig.RespecializeCheckPackets"/>), so the new program goes
    /// live in tens of milliseconds.</param>
    /// <param name="profilingPath">Build the live-windowed profiling path in (when the daemon profiles at all). A
    /// reaction leaves it out: the profiled copy of the original is about two thirds of O2, code generation and the
    /// verifier's work, and a program is specialized again sooner without it.</param>
    private async Task<CycleTimes> OptimizeAndSwapAsync(CancellationToken stop, bool respecialize = false, bool profilingPath = true)
    {
        var carriesPath = profilingPath && _config.ProfileWindow > TimeSpan.Zero;
        var live = _live!;
        Status.Set(TargetState.Optimizing, _profile is null ? "on the current maps" : "on the current maps and the profile");
        await services.Compiles.WaitAsync(stop);
        LiveOptimizationResult result;
        // A write that comes while the next module is still being prepared waits for it: counted as analysis.
        var preparing = Stopwatch.GetTimestamp();
        var prepared = await TakePreparedAsync();
        var preparedWait = Stopwatch.GetElapsedTime(preparing).TotalMilliseconds;
        try
        {
            // The configured packets and, once a window was profiled, packets sampled from the live traffic; for a
            // reaction (no profiling path), an even sample of them (the changed keys are probed whatever the sample): the
            // build that puts the path back once the writes pause runs them all.
            var packets = CheckPackets.WithLiveSamples(services.CheckPackets(live), live.LivePackets);
            if (respecialize && !profilingPath)
                packets = CheckPackets.Spread(packets, _config.RespecializeCheckPackets);
            result = await Task.Run(() => LiveOptimization.OptimizeAndSwap(live.Target, live.Source, live.OriginalElf, live.ProgramName,
                services.Guards, packets, new OptimizeOptions
                {
                    Profile = _profile,
                    TrustedProgramIds = live.Variants,
                    PreviousSnapshots = respecialize ? _current?.Snapshots : null,
                    BackedOff = _backedOff,
                    MaxProbePackets = respecialize ? _config.RespecializeProbes : ProbePackets.DefaultLimit,
                    // A specialized program that carries the profiling path needs no swap for the next windows.
                    Profiling = carriesPath ? InstrumentationOptions.LiveWindowed : null,
                    // Tables as data: a later write to their maps is flipped in place (TryInPlace), not rebuilt.
                    InPlaceData = _config.InPlace && !_inPlaceRefused[carriesPath ? 1 : 0],
                    InPlaceKeyTables = !_inPlaceKeyTablesRefused[carriesPath ? 1 : 0],
                    // A reaction is built for time; the build that puts the profiling path back is the full one.
                    Reaction = !profilingPath,
                    WrittenSinceFullBuild = profilingPath ? new HashSet<string>() : _writtenSinceFullBuild.ToHashSet(StringComparer.Ordinal),
                    Prepared = prepared,
                    CheckMaps = _checkMaps,
                }.WithChainFusion(target.Fuse), live.Original), stop);
        }
        finally
        {
            services.Compiles.Release();
            prepared?.Dispose();
            PrepareNext(live);
        }
        var report = result.Report;
        _current = report;
        _reactionBuildLive = !profilingPath;
        if (profilingPath)
            _writtenSinceFullBuild.Clear();
        // The verifier's answer depends on the program (and its profiling path), not on the maps: once refused, the later
        // cycles of the same kind build constant tables at once instead of paying for a refused build first.
        _inPlaceRefused[carriesPath ? 1 : 0] |= report.InPlaceRefused;
        _inPlaceKeyTablesRefused[carriesPath ? 1 : 0] |= report.InPlaceKeyTablesRefused;
        OpenInPlace(result);
        _backedOff = report.BackedOff;
        live.ProfilesItself(result.Swap.ToProgramId, report.Profiling);
        if (result.RacedChecks > 0)
        {
            Status.Raced(result.RacedChecks);
            _log.LogInformation(DaemonEvents.Raced, "{Target}: {Count} check(s) raced a control-plane write and ran again on a new snapshot", Display, result.RacedChecks);
        }
        _specializedOn = report.Plan?.Signature ?? "";
        var t = report.Times;
        var times = new CycleTimes(t.Parse.TotalMilliseconds, t.Analyze.TotalMilliseconds + preparedWait, t.Snapshot.TotalMilliseconds, t.Passes.TotalMilliseconds,
            t.Optimize.TotalMilliseconds, t.CodeGen.TotalMilliseconds, t.Load.TotalMilliseconds, t.Check.TotalMilliseconds,
            result.Swap.Latency.TotalMilliseconds);
        Status.Swapped(times, report.Snapshots.Select(s => s.Name).ToList());
        Status.Programs(result.Swap.ToProgramId, null);
        Status.Set(TargetState.Optimized, $"{report.InstructionsBefore} → {report.InstructionsAfter} instructions");
        _log.LogInformation(DaemonEvents.Swapped, "{Target}: swapped program {From} → {To}, specialized on {Maps} ({Before} → {After} instructions, " +
                            "IR to loaded {Ms:F1} ms, check {Check:F1} ms, swap {Swap:F2} ms)",
            Display, result.Swap.FromProgramId, result.Swap.ToProgramId, string.Join(", ", report.Snapshots.Select(s => s.Name)),
            report.InstructionsBefore, report.InstructionsAfter, t.CloneToLoaded.TotalMilliseconds, t.Check.TotalMilliseconds,
            result.Swap.Latency.TotalMilliseconds);
        return times;
    }

    /// <summary>ns/packet of the program on the hook, from the kernel's run-time statistics over
    /// <see cref="DaemonConfig.Watch"/>; null when no packet arrived. The statistics are on for this window only: while
    /// on, every BPF program on the machine pays for them (an empty XDP program's test run: about 78 → 159 ns here).</summary>
    private async Task<double?> MeasureAsync(CancellationToken stop)
    {
        if (_config.Watch <= TimeSpan.Zero)
            return null;
        using var program = BpfFd.OpenProgramById(_live!.Target.Hook.CurrentProgramId());
        using var stats = BpfStats.Enable();
        var start = BpfStats.Read(program.Value);
        await Task.Delay(_config.Watch, stop);
        return BpfStats.NsPerRun(start, BpfStats.Read(program.Value));
    }

    /// <summary>After a swap: the new program against the one it replaced (<paramref name="before"/>), both measured live
    /// by the kernel; back to the original when the new one is slower.</summary>
    private async Task WatchAsync(double? before, CancellationToken stop)
    {
        Status.Set(TargetState.Watching, $"measuring for {_config.Watch.TotalSeconds:0.#} s");
        var after = await MeasureAsync(stop);
        Status.Measured(before, after);
        if (after is null)
        {
            Status.Set(IsCurrent() ? TargetState.Optimized : TargetState.Invalidated, "no traffic to measure");
            return;
        }
        if (before is { } b && after > b * _config.RollbackAbove)
        {
            _log.LogWarning(DaemonEvents.RolledBack, "{Target}: the new program runs {After:F1} ns/packet against {Before:F1} for the one it replaced: rolling back to the original",
                Display, after, b);
            Status.RolledBack();
            RestoreOriginal($"rolled back: {after:F1} ns/packet against {b:F1}");
            return;
        }
        Status.Set(TargetState.Optimized, before is { } x ? $"{x / after:F2}x live (bpf_stats)" : "live");
    }

    /// <summary>True while every map the live optimized program was specialized on still has the version it was built
    /// against, and every other program that kept a map out of it (it may write it) is still loaded.</summary>
    private bool IsCurrent() => _current is null || services.Guards.Written(_current.Snapshots).Count == 0 && !_current.OtherWriters.AnyUnloaded();

    /// <summary>How often the wait asks whether another writer of the maps was unloaded: one syscall pair per writer, for
    /// a chance to specialize on more (not for correctness).</summary>
    private static readonly TimeSpan WritersPoll = TimeSpan.FromSeconds(1);

    /// <summary>How long the writes must pause before a program a reaction built without the profiling path is built
    /// again with it.</summary>
    private static readonly TimeSpan ProfilingPathPause = TimeSpan.FromSeconds(1);

    private TaskCompletionSource _pokeSignal = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Set when the guard table cannot tell of writes (its ring could not be read): the wait then reads the
    /// versions every <see cref="DaemonConfig.GuardPoll"/>.</summary>
    private volatile bool _polling;

    /// <summary>
    /// Waits for the period, or until the guard hook tells of a write to a map the live program is specialized on (a
    /// control-plane write), or until poked: then re-specializes right away. The wait sleeps until the kernel wakes it
    /// (no poll); a burst of writes is coalesced (<see cref="DaemonConfig.Coalesce"/>, at most
    /// <see cref="DaemonConfig.CoalesceMax"/>) into one reaction, timed from the first write's <c>bpf()</c> return.
    /// </summary>
    private async Task WaitForWorkAsync(CancellationToken stop)
    {
        var until = DateTime.UtcNow + _config.Period;
        var writersChecked = Stopwatch.GetTimestamp();
        var lastReaction = Stopwatch.GetTimestamp();
        (GuardWrite Write, long WokenNs, TimeSpan Coalesced)? woken = null;
        while (DateTime.UtcNow < until)
        {
            stop.ThrowIfCancellationRequested();
            var poke = PokeSignal();
            using var cancelWait = CancellationTokenSource.CreateLinkedTokenSource(stop);
            var step = Min(until - DateTime.UtcNow, WritersPoll);
            var slots = _current?.Snapshots.Select(s => s.GuardSlot).ToHashSet() ?? [];
            // Registered before the versions are read: a write before this shows in them, every later one wakes the wait.
            var wait = slots.Count == 0 ? Never(step, cancelWait.Token) : WaitForWrite(slots, ref step, cancelWait.Token);
            var poked = Interlocked.Exchange(ref _poked, null);
            if (_current is null)
            {
                if (poked is not null)
                {
                    _log.LogInformation(DaemonEvents.Invalidated, "{Target}: {Why}; optimizing again", Display, poked);
                    return; // the original runs: a full cycle now
                }
            }
            else
            {
                var written = services.Guards.Written(_current.Snapshots);
                var unloaded = false;
                if (written.Count == 0 && poked is null && Stopwatch.GetElapsedTime(writersChecked) >= WritersPoll)
                {
                    writersChecked = Stopwatch.GetTimestamp();
                    unloaded = _current.OtherWriters.AnyUnloaded();
                }
                if (written.Count > 0 || poked is not null || unloaded)
                {
                    await cancelWait.CancelAsync();
                    (GuardWrite Write, long WokenNs, TimeSpan Coalesced)? found = written.Count > 0 ? woken ?? Found(written) : null;
                    // Woken by the data plane's own write, with a control-plane write to another map coalesced into it:
                    // an answer to the control plane (timed from the first write).
                    if (found is { Write.DataPlane: true } f && !written.All(w => services.Guards.LastWriteByDataPlane(w.Snapshot.GuardSlot)))
                        found = f with { Write = f.Write with { DataPlane = false } };
                    lastReaction = Stopwatch.GetTimestamp();
                    if (written.Count > 0 && poked is null && TryInPlace(found))
                    {
                        woken = null;
                        until = DateTime.UtcNow + _config.Period;
                        continue;
                    }
                    _writtenSinceFullBuild.UnionWith(written.Select(w => w.Snapshot.Name));
                    var why = written.Count > 0 ? $"written: {string.Join(", ", written.Select(w => w.Snapshot.Name))}"
                        : poked ?? "a program that may write its maps was unloaded";
                    await ReactAsync(why, found, stop);
                    lastReaction = Stopwatch.GetTimestamp();
                    woken = null;
                    until = DateTime.UtcNow + _config.Period;
                    continue;
                }
                if (_reactionBuildLive && Stopwatch.GetElapsedTime(lastReaction) >= ProfilingPathPause)
                {
                    // The writes paused: the program a reaction built for time is built in full, with its profiling path
                    // back, off the reaction's clock, so the next profile window runs in it instead of swapping the
                    // instrumented original in.
                    await cancelWait.CancelAsync();
                    _log.LogInformation(DaemonEvents.Respecialized, "{Target}: no write for {Pause:0.#} s: building the reaction's program again in full", Display,
                        ProfilingPathPause.TotalSeconds);
                    await OptimizeAndSwapAsync(stop, respecialize: true);
                    lastReaction = Stopwatch.GetTimestamp();
                    continue;
                }
            }
            woken = null; // a wake-up for a write the live program already has (one from before it was built)
            await Task.WhenAny(wait, poke);
            await cancelWait.CancelAsync();
            if (wait.IsCompletedSuccessfully && wait.Result is { } write)
                woken = (write, GuardWrite.NowNs(), await CoalesceAsync(slots, stop));
        }
    }

    /// <summary>A write the versions show but the hook's wake-up did not bring (it landed while the daemon was busy):
    /// timed from the latest write to those maps the hook told of, else from now.</summary>
    private (GuardWrite, long, TimeSpan) Found(IReadOnlyList<(Kecleon.Optimizer.Specialization.MapSnapshot Snapshot, ulong Now)> written)
    {
        var now = GuardWrite.NowNs();
        var ns = written.Select(w => services.Guards.LastWriteNs(w.Snapshot.GuardSlot) ?? now).Min();
        // The data plane's own writes only, when every map's latest write told of was one.
        var dataPlane = written.All(w => services.Guards.LastWriteByDataPlane(w.Snapshot.GuardSlot));
        return (new GuardWrite(written[0].Snapshot.GuardSlot, ns) { DataPlane = dataPlane }, now, TimeSpan.Zero);
    }

    /// <summary>After a write woke the wait: the writes that follow within <see cref="DaemonConfig.Coalesce"/> of each
    /// other, up to <see cref="DaemonConfig.CoalesceMax"/>, join it; how long that took.</summary>
    private async Task<TimeSpan> CoalesceAsync(IReadOnlySet<int> slots, CancellationToken stop)
    {
        var started = Stopwatch.GetTimestamp();
        if (_config.Coalesce <= TimeSpan.Zero || _polling)
            return TimeSpan.Zero;
        while (_config.CoalesceMax - Stopwatch.GetElapsedTime(started) is { Ticks: > 0 } left)
            if (await services.Guards.WaitForWriteAsync(slots, Min(_config.Coalesce, left), stop) is null)
                break;
        return Stopwatch.GetElapsedTime(started);
    }

    /// <summary>Waits for the hook to tell of a write to <paramref name="slots"/>; where the guard table cannot tell
    /// (once logged), for <see cref="DaemonConfig.GuardPoll"/> (<paramref name="step"/> shortened to it).</summary>
    private Task<GuardWrite?> WaitForWrite(IReadOnlySet<int> slots, ref TimeSpan step, CancellationToken cancel)
    {
        if (!_polling)
        {
            try
            {
                return services.Guards.WaitForWriteAsync(slots, step, cancel);
            }
            catch (KecleonException e)
            {
                _polling = true;
                _log.LogWarning(DaemonEvents.GuardPolling, "{Target}: the guard hook's notifications cannot be read ({Reason}): reading the guard versions every {Poll:0.###} ms instead",
                    Display, e.Message, _config.GuardPoll.TotalMilliseconds);
            }
        }
        step = Min(step, _config.GuardPoll);
        return Never(step, cancel);
    }

    /// <summary>Nothing to wait for but <paramref name="step"/>: null then (or cancelled).</summary>
    private static async Task<GuardWrite?> Never(TimeSpan step, CancellationToken cancel)
    {
        try
        {
            await Task.Delay(step, cancel);
        }
        catch (OperationCanceledException)
        {
        }
        return null;
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    /// <summary>The task <see cref="Poke"/> completes (a fresh one once the last was used).</summary>
    private Task PokeSignal()
    {
        var signal = Volatile.Read(ref _pokeSignal);
        if (!signal.Task.IsCompleted)
            return signal.Task;
        Interlocked.CompareExchange(ref _pokeSignal, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), signal);
        return Volatile.Read(ref _pokeSignal).Task;
    }

    /// <summary>Re-specializes after <paramref name="why"/>, and records the reaction: from <paramref name="woken"/>'s
    /// write (its kernel time) to the new program live, per stage.</summary>
    private async Task ReactAsync(string why, (GuardWrite Write, long WokenNs, TimeSpan Coalesced)? woken, CancellationToken stop)
    {
        var seen = Stopwatch.StartNew();
        Status.Invalidated();
        Status.Set(TargetState.Invalidated, why);
        _log.LogInformation(DaemonEvents.Invalidated, "{Target}: {Why}; re-specializing", Display, why);
        var times = await OptimizeAndSwapAsync(stop, respecialize: true, profilingPath: false);
        Status.Respecialized(seen.Elapsed);
        if (woken is { } w)
        {
            var writeToLive = Nanoseconds(GuardWrite.NowNs() - w.Write.KernelNs);
            List<(string, TimeSpan)> stages = [.. WakeStages(w), .. DaemonMetrics.Stages(times).Select(s => (s.Stage, TimeSpan.FromMilliseconds(s.Ms)))];
            Status.Reacted(w.Write.DataPlane ? ReactionKind.DataPlane : ReactionKind.Rebuild, writeToLive, stages);
            _log.LogInformation(DaemonEvents.Respecialized, "{Target}: re-specialized {Ms:F1} ms after the write ({Wake:F2} ms to wake, {Seen:F1} ms after it was seen)",
                Display, writeToLive.TotalMilliseconds, stages[0].Item2.TotalMilliseconds, seen.Elapsed.TotalMilliseconds);
        }
        else
            _log.LogInformation(DaemonEvents.Respecialized, "{Target}: re-specialized {Ms:F1} ms after the change was seen", Display, seen.Elapsed.TotalMilliseconds);
    }

    /// <summary>The stages of a reaction before its work: the write to the wake-up (kernel clock), then the coalescing.</summary>
    private static (string Stage, TimeSpan Took)[] WakeStages((GuardWrite Write, long WokenNs, TimeSpan Coalesced) woken) =>
        [("wake", Nanoseconds(woken.WokenNs - woken.Write.KernelNs)), ("coalesce", woken.Coalesced)];

    /// <summary>A span of the kernel's monotonic clock (never negative: the two ends come from different reads).</summary>
    private static TimeSpan Nanoseconds(long ns) => TimeSpan.FromTicks(Math.Max(0, ns) / 100);

    /// <summary>The in-place data of the program just swapped in, if it keeps some (after a restart the first cycle
    /// rebuilds, and opens the new program's).</summary>
    private void OpenInPlace(LiveOptimizationResult result)
    {
        CloseInPlace();
        if (result.SwapIfAny is not { } swap || result.Elf is not { } elf || result.Report.InPlace is null)
            return;
        try
        {
            _inPlace = InPlaceUpdate.Open(swap.ToProgramId, elf, result.Report);
        }
        catch (KecleonException e)
        {
            _log.LogWarning(DaemonEvents.UpdatedInPlace, "{Target}: cannot open the in-place data of program {Id} ({Reason}); writes rebuild", Display, swap.ToProgramId, e.Message);
        }
    }

    private void CloseInPlace()
    {
        _inPlace?.Dispose();
        _inPlace = null;
    }

    /// <summary>Applies the writes to the live program's in-place data (rewrite the inactive buffer, flip), when every
    /// written map is kept in place and its new contents fit; false: a rebuild is needed (logged with its reason).</summary>
    /// <param name="woken">The write that woke the daemon (its kernel time, the wake-up and the coalescing), which the
    /// reaction is timed from; null: from now.</param>
    private bool TryInPlace((GuardWrite Write, long WokenNs, TimeSpan Coalesced)? woken)
    {
        var seen = Stopwatch.StartNew();
        if (_inPlace is null || _current is null || _live is not { } live)
            return false;
        InPlaceOutcome outcome;
        try
        {
            outcome = _inPlace.TryApply(services.Guards, name => live.Original.Object.Map(name));
        }
        catch (KecleonException e)
        {
            _log.LogWarning(DaemonEvents.UpdatedInPlace, "{Target}: in-place update failed ({Reason}); rebuilding", Display, e.Message);
            CloseInPlace();
            return false;
        }
        if (!outcome.Applied)
        {
            if (outcome.NeedsRebuild is { } reason)
                _log.LogInformation(DaemonEvents.UpdatedInPlace, "{Target}: needs a rebuild: {Reason}", Display, reason);
            return false;
        }
        _current = _current with { Snapshots = _inPlace.Snapshots };
        Status.Invalidated();
        if (!outcome.Live)
            return true; // a write raced the read: still written, so the next look at the versions applies it
        var writeToLive = seen.Elapsed - Stopwatch.GetElapsedTime(outcome.FlippedAt);
        Status.Respecialized(writeToLive);
        if (woken is { } w)
        {
            var flippedNs = (long)(outcome.FlippedAt * (1e9 / Stopwatch.Frequency));
            writeToLive = Nanoseconds(flippedNs - w.Write.KernelNs);
            Status.Reacted(w.Write.DataPlane ? ReactionKind.DataPlane : ReactionKind.InPlace, writeToLive, [.. WakeStages(w), .. outcome.Stages]);
        }
        else
            Status.Reacted(ReactionKind.InPlace, writeToLive, outcome.Stages);
        Status.Set(TargetState.Optimized, $"{string.Join(", ", outcome.Maps)} updated in place");
        _log.LogInformation(DaemonEvents.UpdatedInPlace, "{Target}: {Maps} updated in place {Ms:F2} ms after the write was seen (program {Id} unchanged)",
            Display, string.Join(", ", outcome.Maps), writeToLive.TotalMilliseconds, live.Target.Current.Id);
        return true;
    }

    private void RestoreOriginal(string why)
    {
        if (_live?.Target is not { OptimizedId: not null } t)
            return;
        LiveOptimization.Restore(t, services.Guards);
        _current = null;
        CloseInPlace();
        Status.Programs(t.OriginalInfo.Id, null);
        Status.Set(TargetState.Original, why);
    }

    private bool HookVanished()
    {
        if (_live is null)
            return true;
        try
        {
            return _live.Target.Hook.CurrentProgramId() == 0; // detached: the next open says so
        }
        catch (KecleonException)
        {
            return true;
        }
    }

    /// <summary>Parses and analyses the next cycle's module in the background (<see cref="PreparedModule"/>), with the
    /// maps other programs write as they are now (a cycle that finds them changed analyses again). Not for a fused
    /// chain, whose cycle parses the stages it fuses.</summary>
    private void PrepareNext(LiveTarget live)
    {
        if (target.Fuse)
            return;
        DropPrepared();
        IReadOnlySet<string> writtenElsewhere;
        try
        {
            writtenElsewhere = LiveOptimization.WrittenElsewhere(live.Target, live.Original, new OptimizeOptions { TrustedProgramIds = live.Variants });
        }
        catch (KecleonException)
        {
            return; // the target is going; the next cycle says why
        }
        var source = live.Source;
        _next = Task.Run(() =>
        {
            try
            {
                return PreparedModule.Prepare(source, writtenElsewhere);
            }
            catch (Exception e) when (e is KecleonException or IOException or InvalidOperationException)
            {
                // The cycle parses and analyses for itself, and says what is wrong if this was not a moment's trouble.
                _log.LogDebug(DaemonEvents.FailureDetails, "{Target}: could not prepare the next cycle's module: {Reason}", Display, e.Message);
                return null;
            }
        });
    }

    /// <summary>The module <see cref="PrepareNext"/> made, once (waiting for it if it is still being made); null when
    /// none was started.</summary>
    private async Task<PreparedModule?> TakePreparedAsync()
    {
        var next = Interlocked.Exchange(ref _next, null);
        return next is null ? null : await next;
    }

    /// <summary>Disposes the prepared module, once it is made, if no cycle took it.</summary>
    private void DropPrepared() =>
        Interlocked.Exchange(ref _next, null)?.ContinueWith(t => t.Result?.Dispose(), TaskContinuationOptions.OnlyOnRanToCompletion);

    /// <summary>Forgets the target (its hook is gone); the next attempt opens it again.</summary>
    private void DropTarget()
    {
        DropPrepared();
        _live?.Dispose();
        _live = null;
        _current = null;
        CloseInPlace();
        _checkMaps.Dispose();
        _checkMaps = new CheckMapPool();
    }

    /// <summary>The target as logs name it: a chain's stage as <c>CHAIN/STAGE</c>.</summary>
    private string Display => chainStage is null ? target.Name : $"{target.Name}/{chainStage.Program}";

    /// <summary>On shutdown: keep the optimized program (its pinned guards keep it correct) or put the original back.</summary>
    private void Stop()
    {
        try
        {
            if (_config.OnShutdown == ShutdownPolicy.Restore && !_dropped)
                RestoreOriginal("stopped: original restored");
        }
        catch (KecleonException e)
        {
            _log.LogError(DaemonEvents.RestoreFailed, "{Target}: could not restore the original: {Reason}", Display, e.Message);
        }
        finally
        {
            var kept = _live?.Target.OptimizedId is not null;
            DropTarget();
            Status.Set(TargetState.Stopped, kept ? "optimized program left in place, guarded" : null);
        }
    }
}
