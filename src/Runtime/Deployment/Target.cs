using Kecleon.Bpf;

namespace Kecleon.Runtime.Deployment;

/// <summary>
/// What is optimized: a hook, the original program on it, and the optimized program when one is swapped in. A target
/// lives in bpffs under <c>/sys/fs/bpf/kecleon/&lt;hook&gt;/</c> so that it outlives the command that made it:
/// <list type="table">
/// <item><term><c>link</c></term><description>the XDP link, when Kecleon attached the original itself (the pin keeps it attached)</description></item>
/// <item><term><c>original</c></term><description>the program to swap back</description></item>
/// <item><term><c>optimized</c></term><description>the optimized program while it is swapped in</description></item>
/// <item><term><c>fallback</c></term><description>its fallback PROG_ARRAY: the kernel empties a PROG_ARRAY when its last
/// user-space reference goes, and the specialized program tail-calls the original through it</description></item>
/// <item><term><c>guarded</c></term><description>a map of the kernel ids of the maps the optimized program is guarded on
/// (map id → guard slot): whoever swaps it out gives their guard registrations back</description></item>
/// <item><term><c>profiling</c></term><description>the instrumented program while a profile window runs it on the hook:
/// if the process dies meanwhile, the next <see cref="Open"/> swaps back what it replaced</description></item>
/// </list>
/// </summary>
public sealed class Target : IDisposable
{
    public const string DefaultPinRoot = "/sys/fs/bpf/kecleon";
    private const string LinkPin = "link", OriginalPin = "original", OptimizedPin = "optimized", FallbackPin = "fallback", GuardedPin = "guarded",
        ProfilingPin = "profiling";

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
    /// <summary>Something worth telling the user about how the target was found (stale pins replaced, say).</summary>
    public string? Note { get; }

    private IReadOnlyList<uint> _orphaned;

    /// <summary>Guarded map ids of an optimized program that was found no longer on the hook (someone swapped it out
    /// behind Kecleon's back): their guard registrations are to be given back, once (this returns them once).</summary>
    public IReadOnlyList<uint> TakeOrphanedGuardedMapIds()
    {
        var orphaned = _orphaned;
        _orphaned = [];
        return orphaned;
    }

    /// <summary>The program the hook runs now, as Kecleon knows it.</summary>
    public ProgramRef Current => Optimized ?? Original;

    /// <summary>
    /// The target of <paramref name="hook"/> (taking ownership of it): its pins if Kecleon has swapped programs on it
    /// before and the hook still runs one of them, else the program on the hook now as the original.
    /// </summary>
    public static Target Open(ProgramHook hook, string pinRoot = DefaultPinRoot)
    {
        try
        {
            var directory = Path.Combine(pinRoot, hook.Key);
            var current = hook.CurrentProgramId();
            if (current == 0)
                throw new KecleonException($"no program is attached to {hook.Description}");
            string? note = EndInterruptedProfiling(hook, directory, ref current);
            if (File.Exists(Path.Combine(directory, OriginalPin)))
            {
                var original = BpfFd.OpenPinned(Path.Combine(directory, OriginalPin));
                var optimized = File.Exists(Path.Combine(directory, OptimizedPin)) ? BpfFd.OpenPinned(Path.Combine(directory, OptimizedPin)) : null;
                var originalId = BpfProgramInfo.FromFd(original.Value).Id;
                var optimizedId = optimized is null ? 0 : BpfProgramInfo.FromFd(optimized.Value).Id;
                if (current == optimizedId)
                    return new Target(hook, directory, original, optimized, note);
                var orphaned = optimized is null ? [] : ReadGuarded(directory);
                if (current == originalId)
                {
                    optimized?.Dispose();
                    Unpin(directory, OptimizedPin, FallbackPin, GuardedPin);
                    return new Target(hook, directory, original, null, note, orphaned);
                }
                original.Dispose();
                optimized?.Dispose();
                Unpin(directory, OriginalPin, OptimizedPin, FallbackPin, GuardedPin);
                note = (note is null ? "" : note + "; ") +
                       $"{hook.Description} runs program {current}, neither the original ({originalId}) nor the optimized program " +
                       $"({optimizedId}) Kecleon pinned in {directory}: someone else replaced it; program {current} is now the original";
                return new Target(hook, directory, BpfFd.OpenProgramById(current), null, note, orphaned);
            }
            return new Target(hook, directory, BpfFd.OpenProgramById(current), null, note);
        }
        catch
        {
            hook.Dispose();
            throw;
        }
    }

    /// <summary>Finds the target running program <paramref name="programId"/>, or the target whose pinned original it is
    /// (after a swap the hook runs the optimized program).</summary>
    public static Target? Find(uint programId, string pinRoot = DefaultPinRoot)
    {
        if (ProgramHook.Find(programId) is { } hook)
            return Open(hook, pinRoot);
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
                return Open(found, pinRoot);
        }
        return null;
    }

    /// <summary>The hook a target folder describes: its pinned link, else the interface its name names.</summary>
    private static ProgramHook? HookOf(string directory)
    {
        if (File.Exists(Path.Combine(directory, LinkPin)))
            return XdpLinkHook.OpenPinned(Path.Combine(directory, LinkPin));
        var name = Path.GetFileName(directory);
        return name.StartsWith("xdp-", StringComparison.Ordinal) && File.Exists($"/sys/class/net/{name[4..]}/ifindex")
            ? ProgramHook.ForInterface(BpfXdp.InterfaceIndex(name[4..]))
            : null;
    }

    /// <summary>
    /// Loads nothing: attaches <paramref name="programFd"/> to the interface with a new XDP link, pinned (with the
    /// program, as the original) so that it stays attached after the process exits.
    /// </summary>
    public static Target AttachPinned(int programFd, int ifindex, string pinRoot = DefaultPinRoot)
    {
        var hook = XdpLinkHook.Create(programFd, ifindex);
        try
        {
            var directory = Path.Combine(pinRoot, hook.Key);
            System.IO.Directory.CreateDirectory(directory);
            Unpin(directory, LinkPin, OriginalPin, OptimizedPin, FallbackPin, GuardedPin, ProfilingPin);
            hook.Pin(Path.Combine(directory, LinkPin));
            BpfFd.Pin(programFd, Path.Combine(directory, OriginalPin));
        }
        catch
        {
            hook.Dispose();
            throw;
        }
        return Open(hook, pinRoot);
    }

    /// <summary>
    /// A process stopped while the instrumented program was on the hook for a profile window (killed: nothing swapped it
    /// back). The program it had replaced is the optimized one when that is pinned, else the original: it goes back, so
    /// that the instrumented copy is never taken for the original.
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
    /// Swaps <paramref name="instrumented"/> in for the program on the hook now, for a profile window, and pins it (with
    /// the original) so that a process killed before <see cref="EndProfiling"/> leaves enough for the next
    /// <see cref="Open"/> to swap the program it replaced back.
    /// </summary>
    public SwapResult BeginProfiling(ProgramRef instrumented)
    {
        System.IO.Directory.CreateDirectory(Directory);
        if (!File.Exists(Path.Combine(Directory, OriginalPin)))
            BpfFd.Pin(_original.Value, Path.Combine(Directory, OriginalPin));
        Unpin(Directory, ProfilingPin);
        BpfFd.Pin(instrumented.Fd, Path.Combine(Directory, ProfilingPin));
        try
        {
            return Swapper.Swap(Hook, Current, instrumented);
        }
        catch
        {
            Unpin(Directory, ProfilingPin);
            throw;
        }
    }

    /// <summary>Swaps the program the profile window replaced back in for <paramref name="instrumented"/>.</summary>
    public SwapResult EndProfiling(ProgramRef instrumented)
    {
        var swap = Swapper.Swap(Hook, instrumented, Current);
        Unpin(Directory, ProfilingPin);
        return swap;
    }

    /// <summary>
    /// Swaps <paramref name="optimizedFd"/> in for the program on the hook now (the original or an earlier optimized
    /// program) and pins it with its fallback map and the ids of the maps it is guarded on. Returns the swap and the
    /// guarded map ids of the program it replaced: the caller gives those registrations back after this returns.
    /// </summary>
    public (SwapResult Swap, IReadOnlyList<uint> ReplacedGuardedMapIds) SwapIn(int optimizedFd, BpfMapAccess? fallback, IReadOnlyList<uint> guardedMapIds)
    {
        var replacement = ProgramRef.Of(optimizedFd);
        var replacedGuarded = ReadGuarded();
        var swap = Swapper.Swap(Hook, Current, replacement);
        System.IO.Directory.CreateDirectory(Directory);
        if (!File.Exists(Path.Combine(Directory, OriginalPin)))
            BpfFd.Pin(_original.Value, Path.Combine(Directory, OriginalPin));
        Unpin(Directory, OptimizedPin, FallbackPin, GuardedPin);
        BpfFd.Pin(optimizedFd, Path.Combine(Directory, OptimizedPin));
        if (fallback is not null)
            BpfFd.Pin(fallback.Fd, Path.Combine(Directory, FallbackPin));
        using (var guarded = BpfLoadedMap.Create(BpfMapType.Hash, "kecleon_guarded", 4, 4, Guards.GuardTable.SlotCount))
        {
            foreach (var id in guardedMapIds)
                guarded.Update(BitConverter.GetBytes(id), BitConverter.GetBytes(0u));
            guarded.Pin(Path.Combine(Directory, GuardedPin));
        }
        _optimized?.Dispose();
        _optimized = BpfFd.OpenPinned(Path.Combine(Directory, OptimizedPin));
        OptimizedId = replacement.Id;
        return (swap, replacedGuarded);
    }

    /// <summary>Swaps the original back and removes the optimized program's pins (the kernel frees it once nothing
    /// holds it). Returns the ids of the maps it was guarded on, for giving their guard registrations back.</summary>
    public (SwapResult Swap, IReadOnlyList<uint> GuardedMapIds) Restore()
    {
        if (Optimized is not { } optimized)
            throw new KecleonException($"{Hook.Description} runs the original program {OriginalInfo.Id}: nothing to restore");
        var guarded = ReadGuarded();
        var swap = Swapper.Swap(Hook, optimized, Original);
        Unpin(Directory, OptimizedPin, FallbackPin, GuardedPin);
        _optimized!.Dispose();
        _optimized = null;
        OptimizedId = null;
        return (swap, guarded);
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

    private static List<uint> ReadGuarded(string directory)
    {
        var pin = Path.Combine(directory, GuardedPin);
        if (!File.Exists(pin))
            return [];
        using var map = BpfLoadedMap.OpenPinned(pin);
        return map.Keys().Select(k => BitConverter.ToUInt32(k)).ToList();
    }

    private static void Unpin(string directory, params string[] pins)
    {
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
