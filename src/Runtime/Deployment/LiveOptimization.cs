using Kecleon.Bpf;
using Kecleon.FrontEnd;
using Kecleon.Runtime.Guards;
using Kecleon.Runtime.Optimization;

namespace Kecleon.Runtime.Deployment;

/// <summary>What one optimize-and-swap did.</summary>
/// <param name="Optimized">The optimized program, when the guard table is in-process (the caller owns it and must swap
/// it out before disposing it); null when it was handed to the pins and a pinned guard table.</param>
/// <param name="SwapIfAny">The swap; null when nothing was specialized and the hook was left as it was
/// (<see cref="OptimizeOptions.KeepWhenNothingSpecialized"/>).</param>
public sealed record LiveOptimizationResult(OptimizationReport Report, SwapResult? SwapIfAny, uint? ReplacedOptimizedId, OptimizedProgram? Optimized)
{
    /// <summary>The swap, for a caller that always swaps (it left <see cref="OptimizeOptions.KeepWhenNothingSpecialized"/> off).</summary>
    public SwapResult Swap => SwapIfAny ?? throw new InvalidOperationException("nothing was specialized, so nothing was swapped");

    /// <summary>Cycles before this one whose check raced a control-plane write and were run again at once
    /// (<see cref="SnapshotRaceException"/>).</summary>
    public int RacedChecks { get; init; }

    /// <summary>The specialized object as it was (or would have been) swapped in.</summary>
    public byte[]? Elf { get; init; }
}

/// <summary>An optimization failed; the program on the hook was left as it was.</summary>
public sealed class OptimizationFailedException(string message, KecleonException inner)
    : KecleonException(message, inner, inner.Details)
{
    public override int ExitCode => ((KecleonException)InnerException!).ExitCode;
}

/// <summary>
/// One analyze, specialize, verify, swap cycle against a live target, and the way back. Any failure before the swap
/// (the verifier, a mismatch, a map that cannot be read, a swap someone else won) leaves the hook running what it ran.
/// </summary>
public static class LiveOptimization
{
    /// <summary>Checks that raced a control-plane write run again at once at most this often per call; after that the
    /// <see cref="SnapshotRaceException"/> reaches the caller (a control plane this busy is better waited out).</summary>
    public const int MaxRacedChecks = 3;

    /// <param name="originalElf">The object the original was loaded from (or one equivalent to it: the input).</param>
    /// <param name="original">The original as loaded by us, if we loaded it; otherwise the input is loaded on the target's
    /// own maps (matched by name) as a stand-in, and the specialized program falls back to that stand-in
    /// (<see cref="OriginalSelection.OnTarget"/>). Either must be the target's original, else
    /// <see cref="ProgramMismatchException"/> and nothing changes.</param>
    /// <param name="dryRun">Stop after the check: nothing is swapped or pinned (<c>optimize --dry-run</c>).</param>
    public static LiveOptimizationResult OptimizeAndSwap(Target target, ProgramSource source, byte[] originalElf, string? programName,
        GuardTable guards, IReadOnlyList<byte[]> checkPackets, OptimizeOptions? options = null, LoadedVariant? original = null, bool dryRun = false)
    {
        var running = target.Current.Id;
        ReleaseOrphans(target, guards);
        LoadedVariant? standIn = null;
        OptimizedProgram? optimized = null;
        try
        {
            // Before every swap, whoever loaded the original: what replaces it must be built from it (the daemon keeps
            // one across swaps, so it is proved again each time).
            original = OriginalSelection.OnTarget(target, original, originalElf, programName, source.Path, out standIn);
            options = WithVariantsTrusted(target, options);
            var raced = 0;
            while (true)
            {
                try
                {
                    optimized = OptimizationCycle.Run(source, original, originalElf, guards, checkPackets, options);
                    break;
                }
                catch (SnapshotRaceException) when (raced < MaxRacedChecks)
                {
                    // The control plane wrote a map while it was checked: a new snapshot, at once.
                    raced++;
                }
            }

            if (dryRun || options.KeepWhenNothingSpecialized && !optimized.Report.SpecializedAnything)
            {
                // Swapping in the same program would only add a fallback and guards to what runs: the hook stays as it is.
                var kept = new LiveOptimizationResult(optimized.Report, null, null, null) { RacedChecks = raced, Elf = optimized.Variant.Elf };
                return kept; // disposed below: its slots go back, nothing of it was pinned
            }

            var replaced = target.Optimized;
            var registrations = guards.Registrations;
            var guardedMapIds = optimized.GuardSlots.Select(slot => registrations.First(r => r.Slot == slot).MapId).ToList();
            var (swap, replacedMaps) = target.SwapIn(optimized.Variant.Program.Fd,
                optimized.Variant.Object.FindMap(Optimizer.Guards.GuardPrelude.FallbackMap), guardedMapIds, HeldProgramArrays(guardedMapIds));
            var keep = guards.PinDirectory is null;
            // Pinned table: the replaced optimized program no longer runs, so its registrations go (ours were counted
            // separately). In-process, the caller disposes its earlier OptimizedProgram instead.
            if (!keep)
                ReleaseGuards(guards, replacedMaps);
            if (!keep)
                optimized.ReleaseKeepingGuards();
            var result = new LiveOptimizationResult(optimized.Report, swap, replaced?.Id, keep ? optimized : null)
            {
                RacedChecks = raced,
                Elf = optimized.Variant.Elf,
            };
            optimized = null;
            return result;
        }
        catch (KecleonException e)
        {
            throw new OptimizationFailedException(
                $"{e.Message}. {target.Hook.Description} still runs program {target.Hook.CurrentProgramIdOr(running)}, unchanged", e);
        }
        finally
        {
            optimized?.Dispose();
            standIn?.Dispose(); // the optimized program's fallback map holds it while it is needed
        }
    }

    /// <summary>The PROG_ARRAYs among the maps a program is guarded on: a fused chain's, whose slots it inlined. The swap
    /// pins them, so that the kernel never empties them behind the fused program's back.</summary>
    private static List<uint> HeldProgramArrays(IEnumerable<uint> guardedMapIds) =>
        guardedMapIds.Where(id =>
        {
            using var map = BpfLoadedMap.OpenById(id);
            return map.Type == BpfMapType.ProgArray;
        }).ToList();

    /// <summary>The plan a cycle against <paramref name="target"/> would start from now (nothing is read or loaded):
    /// its <see cref="Kecleon.Optimizer.Planning.SpecializationPlan.Signature"/> tells whether a new profile would change
    /// the program <see cref="OptimizeAndSwap"/> made.</summary>
    public static Kecleon.Optimizer.Planning.SpecializationPlan Plan(Target target, ProgramSource source, LoadedVariant original,
        OptimizeOptions? options = null) => OptimizationCycle.Plan(source, original, WithVariantsTrusted(target, options));

    /// <summary>The maps other programs write, as a cycle against <paramref name="target"/> would find them now: what a
    /// module prepared for it is analysed for (<see cref="PreparedModule.Prepare"/>).</summary>
    public static IReadOnlySet<string> WrittenElsewhere(Target target, LoadedVariant original, OptimizeOptions? options = null) =>
        SharedMapWriters.Find(original, WithVariantsTrusted(target, options).TrustedProgramIds).Maps;

    /// <summary>Other variants of this program (the original, the optimized one it replaces, the caller's: an instrumented
    /// copy, say) share its maps and write only what this program's analysis already describes.</summary>
    private static OptimizeOptions WithVariantsTrusted(Target target, OptimizeOptions? options)
    {
        var trusted = new HashSet<uint>(options?.TrustedProgramIds ?? new HashSet<uint>()) { target.OriginalInfo.Id };
        if (target.OptimizedId is { } previous)
            trusted.Add(previous);
        trusted.UnionWith(OwnPrograms(target));
        return (options ?? OptimizeOptions.Default) with { TrustedProgramIds = trusted };
    }

    /// <summary>Swaps the original back. With a pinned guard table, also gives the optimized program's guard slots
    /// back (in-process, disposing the <see cref="OptimizedProgram"/> does).</summary>
    public static SwapResult Restore(Target target, GuardTable guards)
    {
        ReleaseOrphans(target, guards);
        var (swap, mapIds) = target.Restore();
        if (guards.PinDirectory is not null)
            ReleaseGuards(guards, mapIds);
        return swap;
    }

    /// <summary>
    /// Loaded programs that are Kecleon's copies of the original, whichever process loaded them: the ones whose kernel
    /// tag is the original's (the tag hashes the instructions with map references blanked, so a program with that tag on
    /// these maps writes exactly what the original writes: a stand-in of an earlier run, kept alive by the pinned
    /// fallback map, or a check's copy the kernel has not freed yet; the input has that tag too, <see cref="ProgramIdentity"/>
    /// proved it), and the programs in the target's pinned fallback map. None of them is another writer of the maps.
    /// </summary>
    public static IReadOnlySet<uint> OwnPrograms(Target target)
    {
        var own = target.FallbackProgramIds().ToHashSet();
        foreach (var id in BpfProgramInfo.LoadedIds())
        {
            try
            {
                using var fd = BpfFd.OpenProgramById(id);
                if (BpfProgramInfo.FromFd(fd.Value).Tag == target.OriginalInfo.Tag)
                    own.Add(id);
            }
            catch (BpfException)
            {
                // unloaded meanwhile
            }
        }
        return own;
    }

    /// <summary>Registrations of an optimized program someone swapped out behind our back (see <see cref="Target.Open"/>).</summary>
    private static void ReleaseOrphans(Target target, GuardTable guards)
    {
        if (guards.PinDirectory is not null)
            ReleaseGuards(guards, target.TakeOrphanedGuardedMapIds());
    }

    private static void ReleaseGuards(GuardTable guards, IReadOnlyList<uint> mapIds)
    {
        foreach (var id in mapIds)
            if (guards.SlotOf(id) is { } slot)
                guards.Unregister(slot);
    }
}

internal static class ProgramHookExtensions
{
    /// <summary>For error messages: the program on the hook, or <paramref name="fallback"/> if even that cannot be read.</summary>
    public static uint CurrentProgramIdOr(this ProgramHook hook, uint fallback)
    {
        try
        {
            return hook.CurrentProgramId();
        }
        catch (KecleonException)
        {
            return fallback;
        }
    }
}
