using Kecleon.Bpf;

namespace Kecleon.Runtime.Deployment;

/// <summary>
/// What is optimized: a hook, the original program on it, and the optimized program when one is swapped in. A target
/// lives in bpffs under <c>/sys/fs/bpf/kecleon/&lt;hook&gt;/</c> (<see cref="ProgramHook.Key"/>: <c>xdp-eth0</c>,
/// <c>tcx-ingress-eth0-link12</c>, <c>tc-ingress-eth0-pref49152-handle1</c>, with <c>@NETNS</c> in another network
/// namespace) so that it outlives the command that made it:
/// <list type="table">
/// <item><term><c>link</c></term><description>the XDP or tcx link, when Kecleon attached the original itself (the pin keeps it attached)</description></item>
/// <item><term><c>original</c></term><description>the program to swap back</description></item>
/// <item><term><c>optimized</c></term><description>the optimized program while it is swapped in</description></item>
/// <item><term><c>fallback</c></term><description>its fallback PROG_ARRAY: the kernel empties a PROG_ARRAY when its last
/// user-space reference goes, and the specialized program tail-calls the original through it</description></item>
/// <item><term><c>guarded</c></term><description>a map of the kernel ids of the maps the optimized program is guarded on
/// (map id → guard slot): whoever swaps it out gives their guard registrations back</description></item>
/// <item><term><c>staged-optimized</c>, <c>staged-fallback</c>, <c>staged-guarded</c></term><description>the same for an
/// optimized program about to be swapped in: a swap is a transaction whose commit point is the hook's replace</description></item>
/// <item><term><c>profiling</c></term><description>the instrumented program while a profile window runs it on the hook:
/// if the process dies meanwhile, the next <see cref="Open"/> swaps back what it replaced</description></item>
/// </list>
/// Every kernel call of a transaction is followed by a <see cref="FaultInjection.Step"/>: the crash tests kill the
/// process after each one and check that <see cref="Open"/> recovers.
/// </summary>
public sealed partial class Target : IDisposable
{
    public const string DefaultPinRoot = "/sys/fs/bpf/kecleon";
    private const string LinkPin = "link", OriginalPin = "original", OptimizedPin = "optimized", FallbackPin = "fallback", GuardedPin = "guarded",
        ProfilingPin = "profiling", Staged = "staged-", ChainPin = "chain-";
    private static readonly string[] StagedPins = [Staged + OptimizedPin, Staged + FallbackPin, Staged + GuardedPin];
    /// <summary>The pins an undo of <paramref name="directory"/> removes, in order: the optimized program's (its
    /// PROG_ARRAY pins, <c>chain-ID</c>, before <c>guarded</c>), the staged ones, then <c>original</c>, then <c>link</c>.</summary>
    private static string[] UndoPins(string directory) =>
        [OptimizedPin, FallbackPin, .. ChainPins(directory), GuardedPin, .. StagedPins, .. ChainPins(directory, staged: true), ProfilingPin, OriginalPin, LinkPin];

    /// <summary>The <c>chain-ID</c> pins of <paramref name="directory"/> (<c>staged-chain-ID</c> with <paramref name="staged"/>):
    /// the PROG_ARRAYs of a fused chain, held by Kecleon while a program that inlined their slots runs.</summary>
    private static string[] ChainPins(string directory, bool staged = false) =>
        System.IO.Directory.Exists(directory)
            ? System.IO.Directory.EnumerateFiles(directory, (staged ? Staged : "") + ChainPin + "*").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToArray()
            : [];

    /// <summary>Every staged pin of <paramref name="directory"/>: a swap's that did not commit.</summary>
    private static void UnpinStaged(string directory) => Unpin(directory, [.. StagedPins, .. ChainPins(directory, staged: true)]);

    private readonly BpfFd _original;
    private BpfFd? _optimized;

    private Target(ProgramHook hook, string directory, BpfFd original, BpfFd? optimized, string? note, IReadOnlyList<uint>? orphaned = null)
    {
        _orphaned = orphaned ?? [];
        Hook = hook;
        Directory = directory;
        _original = original;
        _optimized = optimized;
        Note = note;
        OriginalInfo = BpfProgramInfo.FromFd(original.Value);
        OptimizedId = optimized is null ? null : BpfProgramInfo.FromFd(optimized.Value).Id;
    }

    public ProgramHook Hook { get; }
    /// <summary>The bpffs folder of this target.</summary>
    public string Directory { get; }
    public ProgramRef Original => new(_original.Value, OriginalInfo.Id);
    public BpfProgramInfo OriginalInfo { get; }
    /// <summary>The optimized program on the hook now, if any.</summary>
    public uint? OptimizedId { get; private set; }
    public ProgramRef? Optimized => _optimized is null ? null : new ProgramRef(_optimized.Value, OptimizedId!.Value);
    /// <summary>Something worth telling the user about how the target was found (an interrupted swap finished, say).</summary>
    public string? Note { get; }

    private IReadOnlyList<uint> _orphaned;

    /// <summary>Guarded map ids of an optimized program that no longer runs (a swap or a restore was interrupted after
    /// its commit point): their guard registrations are to be given back, once (this returns them once).</summary>
    public IReadOnlyList<uint> TakeOrphanedGuardedMapIds()
    {
        var orphaned = _orphaned;
        _orphaned = [];
        return orphaned;
    }

    /// <summary>The program the hook runs now, as Kecleon knows it.</summary>
    public ProgramRef Current => Optimized ?? Original;

    /// <summary>
    /// The target of <paramref name="hook"/> (taking ownership of it). Without pins, the program on the hook now is the
    /// original. With pins, what the hook runs decides how an interrupted transaction ends: the instrumented program of
    /// a profile window goes back out; a staged optimized program on the hook is committed (its staged pins become the
    /// current ones), one not on the hook is discarded; optimized pins of a program the hook no longer runs go. A hook
    /// running a program none of the pins names is refused (<see cref="ForeignProgramException"/>) and nothing is
    /// unpinned: the pinned original may be the only reference that keeps the real original alive.
    /// </summary>
    public static Target Open(ProgramHook hook, string pinRoot = DefaultPinRoot)
    {
        try
        {
            var directory = Path.Combine(pinRoot, hook.Key);
            var current = hook.CurrentProgramId();
            if (current == 0)
                throw new KecleonException($"no program is attached to {hook.Description}" + (PinnedId(directory, OriginalPin) is { } pinned
                    ? $"; Kecleon's pins in {directory} name the original program {pinned}: someone detached it, and Kecleon does not attach it again by itself"
                    : ""));
            var notes = new List<string>();
            if (EndInterruptedProfiling(hook, directory, ref current) is { } profiled)
                notes.Add(profiled);
            if (!File.Exists(Path.Combine(directory, OriginalPin)))
            {
                // Every transaction pins the original first: other pins without it are leftovers of nothing that ran.
                if (new[] { OptimizedPin, Staged + OptimizedPin, ProfilingPin }.Any(p => PinnedId(directory, p) == current))
                    throw new ForeignProgramException($"{hook.Description} runs program {current}, which Kecleon pinned in {directory} as an " +
                                                      "optimized or instrumented program, but the original is not pinned there: Kecleon cannot tell " +
                                                      $"which program to swap back. Put the original back on the hook yourself, then remove {directory}");
                Unpin(directory, [OptimizedPin, FallbackPin, .. ChainPins(directory), GuardedPin, .. StagedPins, .. ChainPins(directory, staged: true), ProfilingPin]);
                return new Target(hook, directory, BpfFd.OpenProgramById(current), null, Joined(notes));
            }
            var original = BpfFd.OpenPinned(Path.Combine(directory, OriginalPin));
            try
            {
                var originalId = BpfProgramInfo.FromFd(original.Value).Id;
                var pinnedOptimized = PinnedId(directory, OptimizedPin);
                var staged = PinnedId(directory, Staged + OptimizedPin);
                if (current != originalId && current != pinnedOptimized && current != staged)
                    throw new ForeignProgramException(
                        $"{hook.Description} runs program {current}, which Kecleon did not put there: its pins in {directory} name the original program " +
                        $"{originalId}{(pinnedOptimized is { } o ? $" and the optimized program {o}" : "")}. Kecleon leaves the hook and its pins alone. " +
                        $"To go back to the original, put program {originalId} (pinned at {Path.Combine(directory, OriginalPin)}) back on the hook; " +
                        $"to keep program {current} as the new original, remove the pins in {directory}" +
                        (File.Exists(Path.Combine(directory, LinkPin)) ? $" except {LinkPin} (it keeps the program attached)" : "") + "; then run Kecleon again");
                var orphaned = new List<uint>();
                if (FinishInterruptedSwap(hook, directory, current, staged, orphaned) is { } swapped)
                    notes.Add(swapped);
                if (current != originalId)
                    return new Target(hook, directory, original, BpfFd.OpenPinned(Path.Combine(directory, OptimizedPin)), Joined(notes), orphaned);
                if (new[] { OptimizedPin, FallbackPin, GuardedPin }.Any(p => File.Exists(Path.Combine(directory, p))) || ChainPins(directory).Length > 0)
                {
                    // A restore (or a roll back) stopped after its swap: the optimized program's pins go.
                    orphaned.AddRange(ReadGuarded(directory));
                    Unpin(directory, [OptimizedPin, FallbackPin, .. ChainPins(directory), GuardedPin]);
                    notes.Add($"the optimized program{(pinnedOptimized is { } gone ? $" {gone}" : "")} pinned in {directory} no longer runs: its pins are removed");
                }
                return new Target(hook, directory, original, null, Joined(notes), orphaned);
            }
            catch
            {
                original.Dispose();
                throw;
            }
        }
        catch
        {
            hook.Dispose();
            throw;
        }
    }

    /// <summary>The id of the original pinned for the XDP hook of <paramref name="iface"/>, if Kecleon has one there
    /// (for telling an operator which program a detach took off).</summary>
    public static uint? PinnedOriginalId(string iface, string pinRoot = DefaultPinRoot) => PinnedId(Path.Combine(pinRoot, $"xdp-{iface}"), OriginalPin);

    private static string? Joined(List<string> notes) => notes.Count == 0 ? null : string.Join("; ", notes);

    /// <summary>The id of the program pinned at <paramref name="pin"/>, if there is one.</summary>
    private static uint? PinnedId(string directory, string pin)
    {
        var path = Path.Combine(directory, pin);
        if (!File.Exists(path))
            return null;
        using var fd = BpfFd.OpenPinned(path);
        return BpfProgramInfo.FromFd(fd.Value).Id;
    }

    /// <summary>
    /// A process stopped inside <see cref="SwapIn"/>. Past the commit point (the hook runs the staged program) the swap
    /// is finished: the staged pins become the current ones, in the order <see cref="CommitStaged"/> uses. Before it,
    /// the staged pins go. The guard registrations of the optimized program that was replaced are added to
    /// <paramref name="orphaned"/> when its <c>guarded</c> pin is still there.
    /// </summary>
    /// <param name="stagedId">The program pinned as <c>staged-optimized</c>, if any.</param>
    private static string? FinishInterruptedSwap(ProgramHook hook, string directory, uint current, uint? stagedId, List<uint> orphaned)
    {
        if (stagedId is not { } staged)
        {
            // Commit renames staged-optimized last: without it, any other staged pin is from a swap that never went live.
            UnpinStaged(directory);
            return null;
        }
        if (current != staged)
        {
            UnpinStaged(directory);
            return $"a swap to program {staged} was interrupted before it went live: its staged pins are removed";
        }
        if (File.Exists(Path.Combine(directory, Staged + GuardedPin)))
        {
            var kept = ReadGuarded(directory, Staged + GuardedPin);
            orphaned.AddRange(ReadGuarded(directory).Except(kept));
        }
        CommitStaged(directory, staged);
        return $"{hook.Description} runs program {staged}, staged by a swap that was interrupted after it went live: the swap is finished";
    }

    /// <summary>Makes the staged pins of <paramref name="stagedId"/> the current ones: fallback, guarded, then the
    /// program (its pin's presence marks a commit in progress). Each rename replaces the old pin in one step.</summary>
    private static void CommitStaged(string directory, uint stagedId)
    {
        var stagedFallback = Path.Combine(directory, Staged + FallbackPin);
        if (File.Exists(stagedFallback))
        {
            File.Move(stagedFallback, Path.Combine(directory, FallbackPin), overwrite: true);
            FaultInjection.Step("swap:commit-fallback");
        }
        else if (File.Exists(Path.Combine(directory, FallbackPin)) && !UsesMap(stagedId, Path.Combine(directory, FallbackPin)))
        {
            // The new program has no fallback; the old program's goes.
            Unpin(directory, FallbackPin);
            FaultInjection.Step("swap:unpin-old-fallback");
        }
        // The PROG_ARRAYs the new program inlined: held from now on; those only the old program needed are let go.
        var heldNow = ChainPins(directory, staged: true).Select(p => p[Staged.Length..]).ToHashSet(StringComparer.Ordinal);
        foreach (var pin in heldNow)
        {
            File.Move(Path.Combine(directory, Staged + pin), Path.Combine(directory, pin), overwrite: true);
            FaultInjection.Step("swap:commit-chain");
        }
        foreach (var pin in ChainPins(directory).Where(p => !heldNow.Contains(p)))
        {
            Unpin(directory, pin);
            FaultInjection.Step("swap:unpin-old-chain");
        }
        var stagedGuarded = Path.Combine(directory, Staged + GuardedPin);
        if (File.Exists(stagedGuarded))
        {
            File.Move(stagedGuarded, Path.Combine(directory, GuardedPin), overwrite: true);
            FaultInjection.Step("swap:commit-guarded");
        }
        File.Move(Path.Combine(directory, Staged + OptimizedPin), Path.Combine(directory, OptimizedPin), overwrite: true);
        FaultInjection.Step("swap:commit-optimized");
    }

    /// <summary>True when program <paramref name="programId"/> uses the map pinned at <paramref name="mapPin"/>.</summary>
    private static bool UsesMap(uint programId, string mapPin)
    {
        using var program = BpfFd.OpenProgramById(programId);
        using var map = BpfLoadedMap.OpenPinned(mapPin);
        return BpfProgramInfo.FromFd(program.Value).MapIds.Contains(map.Id);
    }

    /// <summary>Finds the target running program <paramref name="programId"/>, or the target whose pinned original it is
    /// (after a swap the hook runs the optimized program); in <paramref name="ns"/> only, if given.</summary>
    public static Target? Find(uint programId, string pinRoot = DefaultPinRoot, NetNamespace? ns = null) =>
        FindHook(programId, pinRoot, ns) is { } hook ? Open(hook, pinRoot) : null;

    /// <summary>The hook <see cref="Find"/> opens, not opened yet.</summary>
    public static ProgramHook? FindHook(uint programId, string pinRoot = DefaultPinRoot, NetNamespace? ns = null)
    {
        if (ProgramHook.Find(programId, ns) is { } hook)
            return hook;
        if (!System.IO.Directory.Exists(pinRoot))
            return null;
        foreach (var dir in System.IO.Directory.GetDirectories(pinRoot))
        {
            var pin = Path.Combine(dir, OriginalPin);
            if (!File.Exists(pin))
                continue;
            using (var original = BpfFd.OpenPinned(pin))
                if (BpfProgramInfo.FromFd(original.Value).Id != programId)
                    continue;
            if (HookOf(dir) is { } found)
                return found;
        }
        return null;
    }

    /// <summary>The hook a target folder describes: its pinned link, else what its name (<see cref="ProgramHook.Key"/>)
    /// names: an interface's XDP hook, a tcx link by id, a cls_bpf filter; in the namespace after its <c>@</c>.</summary>
    private static ProgramHook? HookOf(string directory)
    {
        var name = Path.GetFileName(directory);
        var at = name.LastIndexOf('@');
        NetNamespace? ns = NetNamespace.Current;
        if (at >= 0)
        {
            var key = name[(at + 1)..];
            ns = NetNamespace.All().FirstOrDefault(n => n.KeyName == key);
            name = name[..at];
            if (ns is null)
                return null; // the namespace is gone
        }
        if (File.Exists(Path.Combine(directory, LinkPin)))
        {
            var fd = BpfFd.OpenPinned(Path.Combine(directory, LinkPin));
            try
            {
                return BpfLinkInfo.FromFd(fd.Value).Type == BpfLinkType.Tcx ? new TcxLinkHook(fd, ns) : new XdpLinkHook(fd, ns);
            }
            catch
            {
                fd.Dispose();
                throw;
            }
        }
        if (ProgramArrayKeyPattern().Match(name) is { Success: true } slot)
        {
            BpfLoadedMap map;
            try
            {
                map = BpfLoadedMap.OpenById(uint.Parse(slot.Groups["map"].Value, System.Globalization.CultureInfo.InvariantCulture));
            }
            catch (BpfException)
            {
                return null; // the map is gone
            }
            return new ProgramArraySlotHook(map, uint.Parse(slot.Groups["slot"].Value, System.Globalization.CultureInfo.InvariantCulture));
        }
        if (KeyPattern().Match(name) is not { Success: true } m)
            return null;
        var ifindex = ns.Run(() => BpfXdp.TryInterfaceIndex(m.Groups["iface"].Value));
        if (ifindex == 0)
            return null;
        switch (m.Groups["kind"].Value)
        {
            case "xdp":
                return ProgramHook.ForInterface(ifindex, ns);
            case "tcx":
                return TcxLinkHook.TryOpen(uint.Parse(m.Groups["link"].Value, System.Globalization.CultureInfo.InvariantCulture), _ => true, ns);
            default:
                var direction = BpfTc.ParseDirection(m.Groups["dir"].Value);
                var priority = ushort.Parse(m.Groups["pref"].Value, System.Globalization.CultureInfo.InvariantCulture);
                var handle = uint.Parse(m.Groups["handle"].Value, System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
                var chain = m.Groups["chain"].Success ? uint.Parse(m.Groups["chain"].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
                return ns.Run(() => BpfTc.ClsBpfFilters(ifindex, direction))
                    .Where(f => f.Priority == priority && f.Handle == handle && f.Chain == chain)
                    .Select(f => new TcFilterHook(f, ns)).FirstOrDefault();
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex(
        @"^(?:(?<kind>xdp)-(?<iface>.+)|(?<kind>tcx)-(?<dir>ingress|egress)-(?<iface>.+)-link(?<link>\d+)|(?<kind>tc)-(?<dir>ingress|egress)-(?<iface>.+)-pref(?<pref>\d+)-handle(?<handle>[0-9a-f]+)(?:-chain(?<chain>\d+))?)$")]
    private static partial System.Text.RegularExpressions.Regex KeyPattern();

    [System.Text.RegularExpressions.GeneratedRegex(@"^progarray-(?<map>\d+)-(?<slot>\d+)$")]
    private static partial System.Text.RegularExpressions.Regex ProgramArrayKeyPattern();

    /// <summary>
    /// Loads nothing: attaches <paramref name="programFd"/> to the interface with a new link (XDP, or tcx in direction
    /// <paramref name="tc"/>), pinned (with the program, as the original) so that it stays attached after the process
    /// exits. Only for a hook with no program: pins left in its folder name nothing that runs, and go first. The link's
    /// creation is the commit point: killed before its pin, the link goes with the process and the interface is as it
    /// was; killed before the original's pin, the next <see cref="Open"/> finds the program on the link, unpinned, and
    /// takes it as the original.
    /// </summary>
    public static Target AttachPinned(int programFd, int ifindex, string pinRoot = DefaultPinRoot, TcDirection? tc = null, NetNamespace? ns = null)
    {
        ns ??= NetNamespace.Current;
        string? directory = null;
        if (tc is null)
            directory = Prepare(Path.Combine(pinRoot, $"xdp-{ns.Run(() => BpfXdp.InterfaceName(ifindex))}{ProgramHook.KeySuffix(ns)}"));
        // A tcx link's folder names the link, so it is known once the link exists (a new id: nothing is pinned there).
        ProgramHook hook = tc is { } direction ? TcxLinkHook.Create(programFd, ifindex, direction, ns) : XdpLinkHook.Create(programFd, ifindex, ns);
        try
        {
            FaultInjection.Step("attach:create-link");
            directory ??= Prepare(Path.Combine(pinRoot, hook.Key));
            if (Path.Combine(pinRoot, hook.Key) != directory)
                throw new InvalidOperationException($"the link's folder {hook.Key} is not {directory}");
            if (hook is XdpLinkHook xdp)
                xdp.Pin(Path.Combine(directory, LinkPin));
            else
                ((TcxLinkHook)hook).Pin(Path.Combine(directory, LinkPin));
            FaultInjection.Step("attach:pin-link");
            BpfFd.Pin(programFd, Path.Combine(directory, OriginalPin));
            FaultInjection.Step("attach:pin-original");
        }
        catch
        {
            hook.Dispose();
            throw;
        }
        return Open(hook, pinRoot);

        static string Prepare(string folder)
        {
            System.IO.Directory.CreateDirectory(folder);
            Unpin(folder, [LinkPin, OriginalPin, OptimizedPin, FallbackPin, .. ChainPins(folder), GuardedPin, .. StagedPins, .. ChainPins(folder, staged: true), ProfilingPin]);
            return folder;
        }
    }

    /// <summary>
    /// A process stopped while the instrumented program was on the hook for a profile window (killed: nothing swapped it
    /// back). The program it had replaced is the optimized one when that is pinned, else the original: it goes back, so
    /// that the instrumented copy is never taken for the original. A <c>profiling</c> pin of a program the hook does not
    /// run is a window that never began or had ended: it goes.
    /// </summary>
    private static string? EndInterruptedProfiling(ProgramHook hook, string directory, ref uint current)
    {
        var pin = Path.Combine(directory, ProfilingPin);
        if (!File.Exists(pin))
            return null;
        try
        {
            using var profiling = BpfFd.OpenPinned(pin);
            var profilingId = BpfProgramInfo.FromFd(profiling.Value).Id;
            var backPin = new[] { OptimizedPin, OriginalPin }.Select(p => Path.Combine(directory, p)).FirstOrDefault(File.Exists);
            if (current != profilingId || backPin is null)
                return null;
            using var back = BpfFd.OpenPinned(backPin);
            var backRef = new ProgramRef(back.Value, BpfProgramInfo.FromFd(back.Value).Id);
            Swapper.Swap(hook, new ProgramRef(profiling.Value, profilingId), backRef);
            current = backRef.Id;
            return $"{hook.Description} still ran the instrumented program {profilingId} of an interrupted profile window: " +
                   $"program {backRef.Id} ({Path.GetFileName(backPin)}) is back";
        }
        finally
        {
            File.Delete(pin);
        }
    }

    /// <summary>
    /// Swaps <paramref name="instrumented"/> in for the program on the hook now, for a profile window. The original and
    /// the instrumented program are pinned first, so that a process killed before <see cref="EndProfiling"/> leaves
    /// enough for the next <see cref="Open"/> to swap the program it replaced back.
    /// </summary>
    public SwapResult BeginProfiling(ProgramRef instrumented)
    {
        PinOriginal();
        Unpin(Directory, ProfilingPin);
        BpfFd.Pin(instrumented.Fd, Path.Combine(Directory, ProfilingPin));
        FaultInjection.Step("profile:pin-instrumented");
        SwapResult swap;
        try
        {
            swap = Swapper.Swap(Hook, Current, instrumented);
        }
        catch
        {
            Unpin(Directory, ProfilingPin);
            throw;
        }
        FaultInjection.Step("profile:swap-in");
        return swap;
    }

    /// <summary>Swaps the program the profile window replaced back in for <paramref name="instrumented"/>, then unpins
    /// the instrumented program.</summary>
    public SwapResult EndProfiling(ProgramRef instrumented)
    {
        var swap = Swapper.Swap(Hook, instrumented, Current);
        FaultInjection.Step("profile:swap-back");
        Unpin(Directory, ProfilingPin);
        FaultInjection.Step("profile:unpin-instrumented");
        return swap;
    }

    /// <summary>The original is pinned before any transaction changes the hook: it is what every interrupted one goes
    /// back to, and what tells the next <see cref="Open"/> that a program on the hook is ours.</summary>
    private void PinOriginal()
    {
        System.IO.Directory.CreateDirectory(Directory);
        if (File.Exists(Path.Combine(Directory, OriginalPin)))
            return;
        BpfFd.Pin(_original.Value, Path.Combine(Directory, OriginalPin));
        FaultInjection.Step("pin-original");
    }

    /// <summary>
    /// Swaps <paramref name="optimizedFd"/> in for the program on the hook now (the original or an earlier optimized
    /// program), as a transaction: the original, then the new program, its fallback map and the ids of the maps it is
    /// guarded on are pinned under staged names; the hook's replace is the commit point; then the staged pins replace
    /// the current ones (renames). Returns the swap and the guarded map ids of the program it replaced: the caller gives
    /// those registrations back after this returns.
    /// </summary>
    /// <param name="heldMapIds">PROG_ARRAYs whose slots the new program inlined (a fused chain's): pinned with it as
    /// <c>chain-ID</c>, because the kernel empties a PROG_ARRAY when the last user-space reference to it goes (its
    /// loader exits), which no guard sees; held, it keeps the slots the fused code stands for.</param>
    public (SwapResult Swap, IReadOnlyList<uint> ReplacedGuardedMapIds) SwapIn(int optimizedFd, BpfMapAccess? fallback, IReadOnlyList<uint> guardedMapIds,
        IReadOnlyList<uint>? heldMapIds = null)
    {
        var replacement = ProgramRef.Of(optimizedFd);
        var replacedGuarded = ReadGuarded();
        PinOriginal();
        UnpinStaged(Directory);
        try
        {
            BpfFd.Pin(optimizedFd, Path.Combine(Directory, Staged + OptimizedPin));
            FaultInjection.Step("swap:stage-optimized");
            if (fallback is not null)
            {
                BpfFd.Pin(fallback.Fd, Path.Combine(Directory, Staged + FallbackPin));
                FaultInjection.Step("swap:stage-fallback");
            }
            using (var guarded = BpfLoadedMap.Create(BpfMapType.Hash, "kecleon_guarded", 4, 4, Guards.GuardTable.SlotCount))
            {
                foreach (var id in guardedMapIds)
                    guarded.Update(BitConverter.GetBytes(id), BitConverter.GetBytes(0u));
                guarded.Pin(Path.Combine(Directory, Staged + GuardedPin));
            }
            FaultInjection.Step("swap:stage-guarded");
            foreach (var id in heldMapIds ?? [])
            {
                using var array = BpfLoadedMap.OpenById(id);
                array.Pin(Path.Combine(Directory, $"{Staged}{ChainPin}{id}"));
                FaultInjection.Step("swap:stage-chain");
            }
        }
        catch
        {
            UnpinStaged(Directory);
            throw;
        }
        SwapResult swap;
        try
        {
            swap = Swapper.Swap(Hook, Current, replacement);
        }
        catch
        {
            // Not live: the staged pins go (the kernel frees what only they held).
            UnpinStaged(Directory);
            throw;
        }
        FaultInjection.Step("swap:replace");
        CommitStaged(Directory, replacement.Id);
        _optimized?.Dispose();
        _optimized = BpfFd.OpenPinned(Path.Combine(Directory, OptimizedPin));
        OptimizedId = replacement.Id;
        return (swap, replacedGuarded);
    }

    /// <summary>Swaps the original back and removes the optimized program's pins (the kernel frees it once nothing
    /// holds it). Returns the ids of the maps it was guarded on, for giving their guard registrations back. Killed after
    /// the swap, the next <see cref="Open"/> finds the original on the hook and removes those pins itself.</summary>
    public (SwapResult Swap, IReadOnlyList<uint> GuardedMapIds) Restore()
    {
        if (Optimized is not { } optimized)
            throw new KecleonException($"{Hook.Description} runs the original program {OriginalInfo.Id}: nothing to restore");
        var guarded = ReadGuarded();
        var swap = Swapper.Swap(Hook, optimized, Original);
        FaultInjection.Step("restore:replace");
        // The guarded ids go last: until then, the next Open can give their registrations back.
        foreach (var pin in (string[])[OptimizedPin, FallbackPin, .. ChainPins(Directory), GuardedPin])
            if (File.Exists(Path.Combine(Directory, pin)))
            {
                Unpin(Directory, pin);
                FaultInjection.Step($"restore:unpin-{pin}");
            }
        // Nothing of Kecleon's runs on the hook any more: unless Kecleon attached the original itself (its link pin keeps
        // it attached), the original's pin goes too, and the hook is as the user's loader left it. A program put there
        // later is then a new original for the next Open (proved to be the input by ProgramIdentity), not a foreign one.
        if (!File.Exists(Path.Combine(Directory, LinkPin)) && File.Exists(Path.Combine(Directory, OriginalPin)))
        {
            Unpin(Directory, OriginalPin);
            FaultInjection.Step("restore:unpin-original");
        }
        _optimized!.Dispose();
        _optimized = null;
        OptimizedId = null;
        return (swap, guarded);
    }

    /// <summary>
    /// Puts the hook back as the user's loader left it and removes every pin of this target (<c>kecleon restore</c>):
    /// the original is swapped back in for the optimized program, if one runs; the optimized program's pins go; then
    /// the <c>original</c> pin, and, when Kecleon attached the original itself (a <c>link</c> pin: the interface ran
    /// nothing before), the link's pin, so that the link goes when this process lets go of it and the hook runs nothing,
    /// as before; then the folder, once empty. Killed between two steps, the next undo finishes: <c>original</c> goes
    /// before <c>link</c>, so a link left pinned still runs the original, which the next <see cref="Open"/> takes as such.
    /// </summary>
    public UndoResult Undo()
    {
        SwapResult? swap = null;
        List<uint> guarded = [];
        if (Optimized is { } optimized)
        {
            guarded = ReadGuarded();
            swap = Swapper.Swap(Hook, optimized, Original);
            FaultInjection.Step("undo:replace");
        }
        var removed = new List<string>();
        foreach (var pin in UndoPins(Directory))
            if (File.Exists(Path.Combine(Directory, pin)))
            {
                Unpin(Directory, pin);
                removed.Add(pin);
                FaultInjection.Step($"undo:unpin-{pin}");
            }
        var detached = removed.Contains(LinkPin);
        RemoveIfEmpty(Directory);
        _optimized?.Dispose();
        _optimized = null;
        OptimizedId = null;
        return new UndoResult(Hook.Description, Directory, OriginalInfo.Id, swap, guarded, removed, detached);
    }

    /// <summary>The target folders under <paramref name="pinRoot"/> (every folder but the guard table's), sorted.</summary>
    public static IReadOnlyList<string> Folders(string pinRoot) =>
        System.IO.Directory.Exists(pinRoot)
            ? System.IO.Directory.GetDirectories(pinRoot).Where(d => Path.GetFileName(d) != "guards").Order(StringComparer.Ordinal).ToList()
            : [];

    /// <summary>The hook of a target folder (<see cref="HookOf"/>) when it still runs a program; null when the hook is
    /// gone (its interface, namespace, link or map) or runs nothing.</summary>
    public static ProgramHook? LiveHookOf(string directory)
    {
        var hook = HookOf(directory);
        if (hook is null)
            return null;
        try
        {
            if (hook.CurrentProgramId() != 0)
                return hook;
        }
        catch (KecleonException)
        {
            // detached: its interface is gone
        }
        hook.Dispose();
        return null;
    }

    /// <summary>
    /// Removes the pins of a target folder whose hook is gone or runs nothing (<see cref="LiveHookOf"/>): nothing they
    /// name runs, and they only keep programs and maps in memory. Returns what an <see cref="Undo"/> returns, with the
    /// guarded map ids of an optimized program that was pinned, for giving their registrations back.
    /// </summary>
    public static UndoResult RemoveLeftovers(string directory)
    {
        var guarded = ReadGuarded(directory);
        var originalId = File.Exists(Path.Combine(directory, OriginalPin)) ? PinnedId(directory, OriginalPin) ?? 0 : 0;
        var removed = new List<string>();
        foreach (var pin in UndoPins(directory))
            if (File.Exists(Path.Combine(directory, pin)))
            {
                Unpin(directory, pin);
                removed.Add(pin);
            }
        RemoveIfEmpty(directory);
        return new UndoResult($"the hook of {Path.GetFileName(directory)} (gone, or running nothing)", directory, originalId, null, guarded, removed,
            removed.Contains(LinkPin));
    }

    private static void RemoveIfEmpty(string directory)
    {
        if (System.IO.Directory.Exists(directory) && !System.IO.Directory.EnumerateFileSystemEntries(directory).Any())
            System.IO.Directory.Delete(directory);
    }

    /// <summary>The programs in the pinned fallback PROG_ARRAY (the original the optimized program falls back to, which
    /// an earlier process may have loaded as a stand-in on the live maps): Kecleon's own, whatever process loaded them.</summary>
    public IReadOnlyList<uint> FallbackProgramIds()
    {
        var pin = Path.Combine(Directory, FallbackPin);
        if (!File.Exists(pin))
            return [];
        using var map = BpfLoadedMap.OpenPinned(pin);
        // A PROG_ARRAY read from user space gives the id of the program in the slot.
        return Enumerable.Range(0, map.MaxEntries).Select(i => map.Lookup(BitConverter.GetBytes((uint)i)))
            .OfType<byte[]>().Select(v => BitConverter.ToUInt32(v)).ToList();
    }

    private List<uint> ReadGuarded() => ReadGuarded(Directory);

    private static List<uint> ReadGuarded(string directory, string pinName = GuardedPin)
    {
        var pin = Path.Combine(directory, pinName);
        if (!File.Exists(pin))
            return [];
        using var map = BpfLoadedMap.OpenPinned(pin);
        return map.Keys().Select(k => BitConverter.ToUInt32(k)).ToList();
    }

    private static void Unpin(string directory, params string[] pins)
    {
        if (!System.IO.Directory.Exists(directory))
            return;
        foreach (var pin in pins)
            File.Delete(Path.Combine(directory, pin));
    }

    public void Dispose()
    {
        _optimized?.Dispose();
        _original.Dispose();
        Hook.Dispose();
    }
}

/// <summary>What an undo of one target did (<see cref="Target.Undo"/>, <see cref="Target.RemoveLeftovers"/>).</summary>
/// <param name="Swap">The original swapped back in for the optimized program; null when the original ran already.</param>
/// <param name="GuardedMapIds">The maps the optimized program was guarded on: their guard registrations are to be given back.</param>
/// <param name="Removed">The pins removed, as named in the target's folder.</param>
/// <param name="Detached">Kecleon had attached the original itself: its link is gone and the hook runs nothing, as before.</param>
public sealed record UndoResult(string Hook, string Directory, uint OriginalId, SwapResult? Swap, IReadOnlyList<uint> GuardedMapIds,
    IReadOnlyList<string> Removed, bool Detached);

/// <summary>The hook runs a program Kecleon did not put there while its pins name another original: Kecleon will not
/// take it for the original (that would unpin, and so free, the real one) and changes nothing.</summary>
public sealed class ForeignProgramException(string message) : KecleonException(message)
{
    public override int ExitCode => ExitCodes.Conflict;
}
