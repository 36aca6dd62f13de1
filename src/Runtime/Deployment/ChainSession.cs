using Kecleon.Analyses;
using Kecleon.Bpf;
using Kecleon.Runtime.Checking;
using Kecleon.Runtime.Guards;
using Kecleon.Runtime.Optimization;
using Kecleon.Runtime.Profiling;

namespace Kecleon.Runtime.Deployment;

/// <summary>What <c>optimize --chain</c> did to one stage.</summary>
/// <param name="Program">The input's program it was given (the stage's kernel name is at most 15 characters of it).</param>
public sealed record ChainStageReport(ChainStage Stage, string Program, OptimizeReport Report);

/// <summary>What <c>optimize --chain</c> did: the chain as read, and every stage in its order.</summary>
/// <param name="Notes">What is worth knowing about the chain (a stage that tail-calls a computed slot, say).</param>
public sealed record ChainOptimizeReport(string Input, ServiceChain Chain, IReadOnlyList<ChainStageReport> Stages, IReadOnlyList<string> Notes);

/// <summary>What a chain session tells as it goes: the stage it starts on, then that stage's own progress.</summary>
public abstract record ChainProgress
{
    private ChainProgress()
    {
    }

    public sealed record ChainRead(ServiceChain Chain, IReadOnlyList<string> Notes) : ChainProgress;

    public sealed record StageStarted(ChainStage Stage, string Program) : ChainProgress;

    public sealed record StageStep(ChainStage Of, OptimizeProgress Step) : ChainProgress;

    public sealed record StageFinished(ChainStageReport Report) : ChainProgress;
}

/// <summary>
/// <c>kecleon optimize --chain</c>: every stage of a service chain optimized on its own, where it runs: the entry on its
/// hook, each other stage in its PROG_ARRAY slot (<see cref="ServiceChain"/> reads them). Each stage's program is picked
/// from the input by its kernel name, proved to be the program there (<see cref="ProgramIdentity"/>), checked, swapped
/// atomically on its hook and guarded, as <see cref="OptimizeSession"/> does for one target; each stage is a target of its
/// own (its pins, its undo). Every stage is matched to the input before any is swapped: a stage the input does not have
/// is refused by name and nothing changes. A stage that fails later stops the session; the stages before it stay
/// optimized (<c>restore --chain</c> undoes them).
/// </summary>
public static class ChainSession
{
    public static ChainOptimizeReport Optimize(OptimizeRequest request, Action<ChainProgress>? progress = null)
    {
        progress ??= _ => { };
        var input = ProgramInput.Read(request.Input, request.ClangFlags, request.CodeGen, request.ProgramName);
        if (EmittedObject.Note(input.OriginalElf) is not null)
            throw new InvalidInputException($"{request.Input} is a specialized object `kecleon optimize --emit` wrote: optimize the chain's original programs instead");
        var check = CheckPackets.For(input.Sample, request.CheckPackets, request.Seed).WithTraces(request.PcapPaths);
        var chain = Read(request.Target, request.PinRoot);
        var programs = StagePrograms(input, chain);
        var notes = ComputedTailCalls(input, programs.Values.Distinct());
        progress(new ChainProgress.ChainRead(chain, notes));

        using var guards = request.DryRun ? GuardTable.Open() : GuardTable.OpenPinned(Path.Combine(request.PinRoot, "guards"));
        RecordedProfile? recorded = request.ProfilePath is { } path ? RecordedProfile.Load(path, input.Source) : null;
        var reports = new List<ChainStageReport>();
        foreach (var stage in chain.Stages)
        {
            var program = programs[stage];
            progress(new ChainProgress.StageStarted(stage, program));
            using var target = Target.Open(OpenHook(stage, request.Target, request.PinRoot), request.PinRoot);
            if (target.Note is { } note)
                progress(new ChainProgress.StageStep(stage, new OptimizeProgress.TargetNote(note)));
            progress(new ChainProgress.StageStep(stage, new OptimizeProgress.CheckPacketsMade(check)));
            var outcome = LiveOptimization.OptimizeAndSwap(target, input.Source, input.OriginalElf, program, guards, check.Packets,
                new OptimizeOptions
                {
                    CodeGen = request.CodeGen, Profile = recorded?.Profile, KeepWhenNothingSpecialized = true, VerifierTarget = request.VerifierTarget,
                },
                dryRun: request.DryRun);
            var swap = outcome.SwapIfAny;
            var done = new ChainStageReport(stage, program, new OptimizeReport(request.Input, swap,
                new TargetSummary(target.OriginalInfo.Id, target.Directory, target.Hook.Kind, target.Hook.Description,
                    target.Hook.CurrentProgramIdOr(swap?.ToProgramId ?? target.OriginalInfo.Id)),
                new GuardSummary(guards.Registrations.Count, guards.IsAttached, guards.MechanismDescription, guards.PinDirectory), outcome.Report, false)
            {
                DryRun = request.DryRun,
            });
            reports.Add(done);
            progress(new ChainProgress.StageFinished(done));
        }
        return new ChainOptimizeReport(request.Input, chain, reports, notes);
    }

    /// <summary>The chain whose entry runs on the hook <paramref name="selector"/> names, or the stages of a PROG_ARRAY.</summary>
    public static ServiceChain Read(TargetSelector selector, string pinRoot)
    {
        if (selector is TargetSelector.ProgramArraySlot { Slot: null } array)
        {
            using var map = ServiceChain.OpenProgramArray(array.ProgramArray);
            return ServiceChain.FromProgramArray(map);
        }
        using var hook = FindEntry(selector, pinRoot);
        return ServiceChain.FromHook(hook);
    }

    private static ProgramHook FindEntry(TargetSelector selector, string pinRoot)
    {
        if (selector is TargetSelector.ProgramArraySlot)
            throw new UsageException("--chain reads a chain from its entry's hook (--attach, --prog-id, --pin) or from a PROG_ARRAY alone (--prog-array without --slot)");
        return TargetResolver.FindHook(selector, pinRoot) ?? throw new KecleonException(selector switch
        {
            TargetSelector.Interface i => $"no XDP program is attached to {i.Name}{i.Namespace?.InSuffix ?? ""}: --chain optimizes a chain where it runs; load and attach it first (the bundled one: `kecleon sample load chain --attach {i.Name}`)",
            _ => "the program named runs on no XDP or TC hook: --chain optimizes a chain where it runs, from its entry's hook",
        });
    }

    /// <summary>A hook of its own for each stage (a target owns its hook): the entry's found again, a slot opened.</summary>
    private static ProgramHook OpenHook(ChainStage stage, TargetSelector selector, string pinRoot) =>
        stage.Slot is { } slot ? slot.OpenHook() : FindEntry(selector, pinRoot);

    /// <summary>Each stage's program in the input, by kernel name; every stage the input lacks, or has as a program of
    /// another type, refused by name before anything is swapped.</summary>
    public static IReadOnlyDictionary<ChainStage, string> StagePrograms(ProgramInput input, ServiceChain chain)
    {
        using var probe = BpfObject.Open(input.OriginalElf, "input");
        var functions = probe.Programs.Select(p => (p.Name, p.Type)).ToList();
        var result = new Dictionary<ChainStage, string>();
        var missing = new List<string>();
        foreach (var stage in chain.Stages)
        {
            var named = functions.Where(f => LoadedVariant.KernelName(f.Name) == stage.ProgramName).ToList();
            if (named.Count == 0)
            {
                missing.Add($"{stage.Where} runs program {stage.ProgramId} ({stage.ProgramName})");
                continue;
            }
            if (named.Count > 1)
                throw new ProgramMismatchException($"{stage.Where} runs program {stage.ProgramId} ({stage.ProgramName}), and {input.Name} has " +
                                                   $"{named.Count} programs whose names start so ({string.Join(", ", named.Select(n => n.Name))}): the kernel keeps 15 characters of a name, so Kecleon cannot tell which");
            if (named[0].Type != stage.Type)
                throw new ProgramMismatchException($"{stage.Where} runs program {stage.ProgramId} ({stage.ProgramName}) of type {HookFinder.TypeName(stage.Type)}; " +
                                                   $"{input.Name}'s {named[0].Name} is of type {HookFinder.TypeName(named[0].Type)}" +
                                                   (stage.Slot is { } slot ? $": {slot.MapName} is a PROG_ARRAY of {HookFinder.TypeName(stage.Type)} programs" : ""));
            result[stage] = named[0].Name;
        }
        if (missing.Count > 0)
            throw new ProgramMismatchException($"the chain from {chain.Root} has stages {input.Name} does not hold: {string.Join("; ", missing)}. " +
                                               $"{input.Name}'s programs: {string.Join(", ", functions.Select(f => f.Name))}. Give the source or object every stage " +
                                               "was loaded from, or optimize the stages it has one by one (--prog-array PIN|ID --slot N)");
        return result;
    }

    /// <summary>A note for each program that tail-calls with a computed index: optimizing it alone is fine (the tail call
    /// stays as it is), but which stage runs next is known only at run time.</summary>
    private static IReadOnlyList<string> ComputedTailCalls(ProgramInput input, IEnumerable<string> programs)
    {
        using var context = Kecleon.Llvm.LlvmContext.Create();
        using var module = input.Source.Parse(context);
        var analysis = ProgramAnalysis.Analyze(module);
        var wanted = programs.ToHashSet(StringComparer.Ordinal);
        return [.. analysis.Programs.Where(p => wanted.Contains(p.Name))
            .SelectMany(p => p.TailCalls.Where(t => !t.Call.Operand(2).IsConstantInt)
                .Select(t => $"{p.Name} tail-calls {t.MapNames} at a computed slot{(t.Location.Length > 0 ? $" ({t.Location})" : "")}: " +
                             "the stage is optimized on its own and the tail call stays; which stage runs next is known only at run time"))];
    }
}
