using Kecleon.Optimizer.CodeGen;
using Kecleon.Runtime.Checking;
using Kecleon.Runtime.Guards;
using Kecleon.Runtime.Optimization;
using Kecleon.Runtime.Profiling;

namespace Kecleon.Runtime.Deployment;

/// <summary>What <c>kecleon optimize</c> asks for: one optimize-and-swap against a live target (the way back is
/// <see cref="RestoreSession"/>).</summary>
/// <param name="Input">The program (a file or <c>sample:NAME</c>); a copy of a bundled sample is that sample (<see cref="ProgramInput.Read"/>).</param>
public sealed record OptimizeRequest(string Input, TargetSelector Target)
{
    public IReadOnlyList<string> ClangFlags { get; init; } = [];
    /// <summary>How the input is compiled when it is not an object (C or IR): the original.</summary>
    public CodeGenOptions CodeGen { get; init; } = CodeGenOptions.Default;
    /// <summary>How the specialized module is compiled.</summary>
    public CodeGenOptions SpecializedCodeGen { get; init; } = CodeGenOptions.Specialized;
    /// <summary>Which program of the input (default: the sample's, or the only one).</summary>
    public string? ProgramName { get; init; }
    /// <summary>Where targets and the guard table are pinned.</summary>
    public string PinRoot { get; init; } = Deployment.Target.DefaultPinRoot;
    /// <summary>Packets for the differential check (<see cref="CheckPackets.For"/>) and their seed.</summary>
    public int CheckPackets { get; init; } = 1000;
    public int Seed { get; init; } = 1;
    /// <summary>Traces of the user's traffic (pcap) whose frames the check runs too (<see cref="CheckPackets.WithTraces"/>).</summary>
    public IReadOnlyList<string> PcapPaths { get; init; } = [];
    /// <summary>A recorded profile (<c>kecleon profile --out</c>), for the profile-guided passes.</summary>
    public string? ProfilePath { get; init; }
    /// <summary>Instructions the verifier may process for the loaded specialized program (<see cref="Optimization.OptimizeOptions.VerifierTarget"/>).</summary>
    public int VerifierTarget { get; init; } = Optimization.OptimizeOptions.Default.VerifierTarget;
    /// <summary>Everything up to and including the check, then stop: no swap, no pins (the guard table is this
    /// process's own, so even its pins are not made).</summary>
    public bool DryRun { get; init; }
    /// <summary>Fuse the chain behind the entry on the hook (<see cref="Optimization.OptimizeOptions.FuseChain"/>).</summary>
    public bool FuseChain { get; init; }
    /// <summary>Build the object to emit (<see cref="OptimizeReport.Emitted"/>, <see cref="EmittedObject"/>).</summary>
    public bool Emit { get; init; }
}

/// <summary>What an optimize session tells as it goes, before the work that takes long (and may fail).</summary>
public abstract record OptimizeProgress
{
    private OptimizeProgress()
    {
    }

    /// <summary>The interface ran nothing: the input was loaded, with empty maps, and attached with a pinned bpf_link.</summary>
    public sealed record Attached(uint ProgramId, string ProgramName, string Interface) : OptimizeProgress;

    /// <summary>How the target was found, when worth telling (<see cref="Target.Note"/>: an interrupted swap finished, say).</summary>
    public sealed record TargetNote(string Note) : OptimizeProgress;

    public sealed record CheckPacketsMade(CheckPackets Packets) : OptimizeProgress;

    public sealed record ProfileRead(RecordedProfile Recorded) : OptimizeProgress;
}

/// <summary>The target as it is after the session: its original, its pins, and how its hook swaps.</summary>
/// <param name="HookDescription">The hook, as the user knows it (<see cref="ProgramHook.Description"/>).</param>
/// <param name="CurrentId">The program on the hook after the session.</param>
public sealed record TargetSummary(uint OriginalId, string PinDirectory, HookKind HookKind, string HookDescription, uint CurrentId);

/// <summary>The pinned guard table after the session.</summary>
/// <param name="Mechanism">How map writes are caught (<see cref="GuardTable.MechanismDescription"/>).</param>
public sealed record GuardSummary(int Registered, bool HookAttached, string Mechanism, string? PinDirectory);

/// <summary>What an optimize session did.</summary>
/// <param name="Swap">The swap; null when nothing was specialized and the hook still runs what it ran
/// (<see cref="OptimizationReport.SpecializedAnything"/>).</param>
/// <param name="Optimization">The optimization swapped in (or, with no swap, the one that specialized nothing).</param>
/// <param name="LoadedNow">The original was loaded by this session with empty maps (the interface ran nothing), so the
/// optimized program was specialized on empty maps.</param>
public sealed record OptimizeReport(string Input, SwapResult? Swap, TargetSummary Target, GuardSummary Guards, OptimizationReport? Optimization,
    bool LoadedNow)
{
    /// <summary>With <see cref="OptimizeRequest.DryRun"/>: stopped after the check, nothing swapped or pinned.</summary>
    public bool DryRun { get; init; }

    /// <summary>With <see cref="OptimizeRequest.Emit"/>: the specialized object to write (<see cref="EmittedObject"/>).</summary>
    public byte[]? Emitted { get; init; }
}

/// <summary>
/// <c>kecleon optimize</c>: reads the input, resolves the target (<see cref="TargetResolver"/>), opens the pinned guard
/// table, and optimizes, checks and swaps (<see cref="LiveOptimization.OptimizeAndSwap"/>). What it swaps in stays after the process exits: the target's pins and
/// the pinned guard table keep it attached and guarded.
/// </summary>
public static class OptimizeSession
{
    public static OptimizeReport Run(OptimizeRequest request, Action<OptimizeProgress>? progress = null)
    {
        progress ??= _ => { };
        var input = ProgramInput.Read(request.Input, request.ClangFlags, request.CodeGen, request.ProgramName);
        // An emitted object has the guard prelude linked in already; it is specialized for one snapshot of one original.
        if (EmittedObject.Note(input.OriginalElf) is { } emitted)
            throw new InvalidInputException($"{request.Input} is a specialized object `kecleon optimize --emit` wrote: optimize the " +
                $"original program ({emitted["input"]?.GetValue<string>() ?? "its input"}) instead; `kecleon bench`, `analyze` and `diff` take the emitted object as it is");
        // Before the target: a trace that cannot be read changes nothing on any hook.
        var check = CheckPackets.For(input.Sample, request.CheckPackets, request.Seed).WithTraces(request.PcapPaths);
        using var resolved = TargetResolver.Resolve(request.Target, input, request.PinRoot);
        var target = resolved.Target;
        if (resolved.Loaded is not null)
            progress(new OptimizeProgress.Attached(target.OriginalInfo.Id, target.OriginalInfo.Name, resolved.AttachedTo!));
        if (target.Note is { } note)
            progress(new OptimizeProgress.TargetNote(note));
        // A dry run registers its guards in a table of its own: the pinned one (and its pins) stay as they are.
        using var guards = request.DryRun ? GuardTable.Open() : GuardTable.OpenPinned(Path.Combine(request.PinRoot, "guards"));
        progress(new OptimizeProgress.CheckPacketsMade(check));
        RecordedProfile? recorded = null;
        if (request.ProfilePath is { } path)
        {
            recorded = RecordedProfile.Load(path, input.Source);
            progress(new OptimizeProgress.ProfileRead(recorded));
        }
        // A stage in a PROG_ARRAY slot is the input's program of the name the slot's program has.
        var programName = target.Hook is ProgramArraySlotHook && request.ProgramName is null ? SlotProgram(input, target) : input.ProgramName;
        var outcome = LiveOptimization.OptimizeAndSwap(target, input.Source, input.OriginalElf, programName, guards, check.Packets,
            new OptimizeOptions
            {
                CodeGen = request.SpecializedCodeGen with { KeepBitcode = request.Emit }, Profile = recorded?.Profile, KeepWhenNothingSpecialized = true,
                VerifierTarget = request.VerifierTarget, FuseChain = request.FuseChain,
            },
            resolved.Loaded, request.DryRun);
        return Report(request, resolved, outcome.SwapIfAny, guards, outcome.Report) with
        {
            DryRun = request.DryRun,
            Emitted = request.Emit && outcome.Elf is { } elf
                ? EmittedObject.Build(elf, outcome.Report, target.OriginalInfo, request.Input, outcome.SwapIfAny is not null)
                : null,
        };
    }

    /// <summary>The input's program whose kernel name the slot's original has; refused by name when there is none.</summary>
    private static string SlotProgram(ProgramInput input, Target target)
    {
        using var probe = Kecleon.Bpf.BpfObject.Open(input.OriginalElf, "input");
        var original = target.OriginalInfo;
        var named = probe.Programs.Where(p => LoadedVariant.KernelName(p.Name) == original.Name).Select(p => p.Name).ToList();
        return named.Count == 1
            ? named[0]
            : throw new ProgramMismatchException($"{target.Hook.Description} runs program {original.Id} ({original.Name}), " +
                                                 (named.Count == 0
                                                     ? $"which {input.Name} does not hold (its programs: {string.Join(", ", probe.Programs.Select(p => p.Name))})"
                                                     : $"and {input.Name} has {named.Count} programs whose names start so ({string.Join(", ", named)})") +
                                                 ": name the one to optimize with --program");
    }

    private static OptimizeReport Report(OptimizeRequest request, ResolvedTarget resolved, SwapResult? swap, GuardTable guards, OptimizationReport? optimization)
    {
        var target = resolved.Target;
        return new OptimizeReport(request.Input, swap, new TargetSummary(target.OriginalInfo.Id, target.Directory, target.Hook.Kind, target.Hook.Description,
                target.Hook.CurrentProgramIdOr(swap?.ToProgramId ?? target.OriginalInfo.Id)),
            new GuardSummary(guards.Registrations.Count, guards.IsAttached, guards.MechanismDescription, guards.PinDirectory), optimization,
            resolved.Loaded is not null);
    }
}
