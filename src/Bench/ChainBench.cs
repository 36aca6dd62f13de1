using Kecleon.Bpf;
using Kecleon.FrontEnd;
using Kecleon.Runtime.Checking;
using Kecleon.Runtime.Deployment;
using Kecleon.Runtime.Guards;
using Kecleon.Runtime.Optimization;
using Kecleon.Workloads;

namespace Kecleon.Bench;

/// <summary>
/// A service chain timed side by side (<c>kecleon bench --sample chain</c>): the chain as loaded (<c>baseline</c>: the
/// entry on the hook, the other stages in their PROG_ARRAY slots), each stage specialized alone by the usual cycle and
/// placed in a PROG_ARRAY of its own (<c>stages</c>), and the floor; every variant on the one set of maps the baseline
/// loads, and checked first against the chain as loaded on maps of its own, end to end (the entry's verdict after
/// every tail call). A variant's timed program is its entry: <c>BPF_PROG_TEST_RUN</c> runs the tail calls.
/// </summary>
public static class ChainBench
{
    /// <summary>Each stage optimized alone, in a PROG_ARRAY copy of its own.</summary>
    public const string StagesVariant = "stages";

    /// <summary>The chain fused into its entry and specialized as one program (<see cref="OptimizeOptions.FuseChain"/>).</summary>
    public const string FusedVariant = "fused";

    public static BenchResult Run(BenchWorkload workload, IReadOnlyList<ProgramSlot> slots, int rounds,
        IProgress<BenchProgress>? progress = null, int loads = BenchSession.DefaultLoads, bool optimize = true)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(loads, 1);
        if (slots.Count == 0)
            throw new KecleonException($"{workload.Program} is not a chain: its loader fills no PROG_ARRAY slot");
        var entry = workload.ProgramName ?? throw new KecleonException($"{workload.Program}: a chain needs its entry program's name");
        var baselineElf = OriginalSelection.ObjectOf(workload.Source, workload.FrontEnd ?? SampleFiles.FrontEndOptions);
        var stagePrograms = new[] { entry }.Concat(slots.Select(s => s.Program)).Distinct().ToList();

        var loaded = new List<LoadedVariant>();
        var owned = new List<IDisposable>();
        var optimized = new List<OptimizedProgram>();
        var checks = new List<DiffReport>();
        GuardTable? guards = null;
        try
        {
            loaded.Add(LoadedVariant.Load(FloorProgram.Name, FloorProgram.BuildObject(), null));
            var baseline = LoadedVariant.Load(VariantBuild.Baseline.Name, baselineElf, entry, slots: slots);
            loaded.Add(baseline);
            baseline.Apply(workload.ControlPlane);
            if (optimize)
            {
                guards = GuardTable.Open();
                loaded.Add(BuildStages(workload, baseline, baselineElf, slots, stagePrograms, guards, optimized, owned));
                // The whole chain as one program, on the baseline's maps, falling back to the baseline's entry (whose tail
                // calls are real); checked by its cycle against the chain as loaded, each on copies with its own stages.
                var trusted = loaded.Where(v => v != baseline).Concat(optimized.Select(p => p.Variant)).Concat(owned.OfType<LoadedVariant>())
                    .Select(v => v.Program.Info().Id).Concat(slots.Select(s => baseline.Object.Program(s.Program).Info().Id))
                    .ToHashSet();
                var fused = OptimizationCycle.Run(workload.Source, baseline, baselineElf, guards, workload.Trace,
                    new OptimizeOptions { TrustedProgramIds = trusted, VariantName = FusedVariant, FuseChain = true });
                optimized.Add(fused);
                checks.Add(fused.Report.Check!);
                loaded.Add(fused.Variant);
            }

            // The maps the stages are specialized on must be as they were after the timing (the keys the data plane
            // itself writes aside): nothing else wrote them while the hook was detached.
            var plans = optimized.Select(p => p.Report.Plan).OfType<Kecleon.Optimizer.Planning.SpecializationPlan>().ToList();
            var specialized = optimized.SelectMany(p => p.Report.Snapshots).Select(m => m.Name).Distinct().Select(baseline.Object.Map).ToList();
            HashSet<string> Contents(BpfMap map)
            {
                var written = plans.SelectMany(p => p.KeysWrittenByDataPlane(map.Name)).ToHashSet(StringComparer.Ordinal);
                return map.Entries().Where(e => !written.Contains(Convert.ToHexString(e.Key)))
                    .Select(e => Convert.ToHexString(e.Key) + ":" + Convert.ToHexString(e.Value)).ToHashSet();
            }
            var before = specialized.Select(Contents).ToList();
            IReadOnlyList<VariantTiming> timings;
            // Nothing but this bench writes its maps, and the hook would also count what other processes on the machine
            // do to maps of maps (every slot): from the specialization on it is detached, and the maps checked after.
            using (guards?.SuspendHook())
            {
                if (optimize)
                    checks.Add(CheckStages(workload, baselineElf, slots, stagePrograms, optimized, guards!));
                var firstLoads = loaded.Count;
                for (var load = 1; load < loads; load++)
                    for (var i = 0; i < firstLoads; i++)
                        loaded.Add(loaded[i].LoadAgain());
                timings = SideBySideBenchmark.Run(loaded, workload.Trace, rounds, progress);
            }
            foreach (var program in optimized.Where(p => !p.IsCurrent))
                throw new KecleonException($"the {program.Variant.Name} stage {program.Variant.Program.Name} fell back while timed " +
                                           $"({string.Join(", ", program.StaleMaps().Select(m => m.Map))} changed version): its timing is the original's. Run the bench again.");
            for (var i = 0; i < specialized.Count; i++)
                if (!before[i].SetEquals(Contents(specialized[i])))
                    throw new KecleonException($"{specialized[i].Name} changed while {workload.Program} was timed: a variant (or another process) wrote a map " +
                                               "a stage is specialized on, so its timing is not valid; run the bench when nothing else writes the maps.");
            var mismatches = checks.Sum(c => c.Mismatches.Count);
            return new BenchResult(workload.Program, workload.TraceName, workload.Trace.Count, rounds, timings, mismatches, checks)
            {
                Loads = loads,
                Warnings = workload.Warnings,
            };
        }
        finally
        {
            // Programs before the maps they share: the entries, then the stages behind them, then the PROG_ARRAY copies.
            foreach (var program in optimized)
                loaded.Remove(program.Variant);
            foreach (var variant in loaded)
                variant.Dispose();
            foreach (var program in optimized)
                program.Dispose();
            foreach (var thing in Enumerable.Reverse(owned))
                thing.Dispose();
            guards?.Dispose();
        }
    }

    /// <summary>
    /// Each stage specialized alone by the optimization cycle, as the daemon would per program: the stage's original is
    /// loaded on the baseline's maps but with a PROG_ARRAY of its own (so it tail-calls this variant's stages, not the
    /// baseline's), and the specialized stages go into that array's slots. Returns the specialized entry (timed).
    /// </summary>
    private static LoadedVariant BuildStages(BenchWorkload workload, LoadedVariant baseline, byte[] baselineElf, IReadOnlyList<ProgramSlot> slots,
        IReadOnlyList<string> stagePrograms, GuardTable guards, List<OptimizedProgram> optimized, List<IDisposable> owned)
    {
        var arrays = OwnProgramArrays(baseline, slots, owned);
        var trusted = new HashSet<uint>(stagePrograms.Select(p => baseline.Object.Program(p).Info().Id));
        var originals = new Dictionary<string, LoadedVariant>(StringComparer.Ordinal);
        foreach (var program in stagePrograms)
        {
            var original = LoadedVariant.Load(StagesVariant + "_original", baselineElf, program, shareMapsWith: baseline, otherMaps: arrays, shareGlobalData: true);
            owned.Add(original);
            originals[program] = original;
            trusted.Add(original.Program.Info().Id);
        }
        foreach (var program in stagePrograms)
        {
            var stage = OptimizationCycle.Run(workload.Source, originals[program], baselineElf, guards, workload.Trace,
                new OptimizeOptions { TrustedProgramIds = trusted, VariantName = StagesVariant });
            optimized.Add(stage);
            trusted.Add(stage.Variant.Program.Info().Id);
        }
        foreach (var slot in slots)
            arrays[slot.Map].Update(BitConverter.GetBytes(slot.Index),
                BitConverter.GetBytes((uint)optimized[stagePrograms.ToList().IndexOf(slot.Program)].Variant.Program.Fd));
        return optimized[0].Variant;
    }

    /// <summary>An empty PROG_ARRAY shaped like each of the baseline's that a slot names, by name.</summary>
    private static Dictionary<string, BpfMapAccess> OwnProgramArrays(LoadedVariant like, IReadOnlyList<ProgramSlot> slots, List<IDisposable> owned)
    {
        var arrays = new Dictionary<string, BpfMapAccess>(StringComparer.Ordinal);
        foreach (var name in slots.Select(s => s.Map).Distinct())
        {
            var map = like.Object.Map(name);
            var array = BpfLoadedMap.Create(BpfMapType.ProgArray, name, map.KeySize, map.ValueSize, map.MaxEntries);
            owned.Add(array);
            arrays[name] = array;
        }
        return arrays;
    }

    /// <summary>
    /// The <c>stages</c> chain against the chain as loaded, end to end, each on maps of its own with the control plane's
    /// data: the specialized stages are loaded again on copies (the live guard versions shared, which nothing writes
    /// while the bench runs, so their specialized code is what runs), each falling back to its own original stage.
    /// </summary>
    private static DiffReport CheckStages(BenchWorkload workload, byte[] baselineElf, IReadOnlyList<ProgramSlot> slots,
        IReadOnlyList<string> stagePrograms, IReadOnlyList<OptimizedProgram> optimized, GuardTable guards)
    {
        var disposables = new List<IDisposable>();
        try
        {
            var reference = LoadedVariant.Load(VariantBuild.Baseline.Name, baselineElf, workload.ProgramName, slots: slots);
            disposables.Add(reference);
            reference.Apply(workload.ControlPlane);
            // The candidate's own maps: a chain as loaded, with the control plane written, whose stages are then replaced.
            var maps = LoadedVariant.Load(StagesVariant, baselineElf, workload.ProgramName, slots: slots);
            disposables.Add(maps);
            maps.Apply(workload.ControlPlane);
            var arrays = OwnProgramArrays(maps, slots, disposables);
            var shared = new Dictionary<string, BpfMapAccess>(arrays) { [GuardTable.GuardsMapName] = guards.GuardsMap };
            var stages = new List<LoadedVariant>();
            foreach (var (program, index) in stagePrograms.Select((p, i) => (p, i)))
            {
                var original = LoadedVariant.Load(StagesVariant + "_original", baselineElf, program, shareMapsWith: maps, otherMaps: arrays, shareGlobalData: true);
                disposables.Add(original);
                var stage = LoadedVariant.Load(StagesVariant, optimized[index].Variant.Elf, program, shareMapsWith: maps, otherMaps: shared, shareGlobalData: true);
                disposables.Add(stage);
                stage.Object.FindMap(Optimizer.Guards.GuardPrelude.FallbackMap)?.Update(BitConverter.GetBytes(0u), BitConverter.GetBytes((uint)original.Program.Fd));
                stages.Add(stage);
            }
            foreach (var slot in slots)
                arrays[slot.Map].Update(BitConverter.GetBytes(slot.Index), BitConverter.GetBytes((uint)stages[stagePrograms.ToList().IndexOf(slot.Program)].Program.Fd));
            return DifferentialChecker.Check(reference, stages[0], workload.Trace, new DiffOptions
            {
                CompareMapsEvery = 16,
                IgnoredMaps = new HashSet<string>(slots.Select(s => s.Map)) { GuardTable.GuardsMapName, Optimizer.Guards.GuardPrelude.FallbackMap },
            });
        }
        finally
        {
            foreach (var thing in Enumerable.Reverse(disposables))
                thing.Dispose();
        }
    }
}
