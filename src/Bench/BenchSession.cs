using Kecleon.FrontEnd;
using Kecleon.Optimizer.CodeGen;
using Kecleon.Optimizer.Planning;
using Kecleon.Runtime.Checking;
using Kecleon.Runtime.Deployment;
using Kecleon.Runtime.Execution;
using Kecleon.Runtime.Guards;
using Kecleon.Instrumentation.Profiling;
using Kecleon.Runtime.Optimization;
using Kecleon.Runtime.Profiling;
using Kecleon.Workloads;

namespace Kecleon.Bench;

/// <summary>One program, the control-plane data it runs with and a trace of packets.</summary>
public sealed record BenchWorkload(string Program, ProgramSource Source, string? ProgramName, ControlPlaneData ControlPlane,
    IReadOnlyList<byte[]> Trace, string TraceName)
{
    /// <summary>What the report should say about the run's maps (a user's program on empty maps, say).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>How the source compiles again (a user's program: its clang flags, and the samples' headers for a copy
    /// of a bundled sample); null: the samples' own.</summary>
    public FrontEndOptions? FrontEnd { get; init; }

    /// <summary>A service chain's PROG_ARRAY slots, which its loader fills with the object's other programs
    /// (<see cref="INetworkFunctionSample.ProgramSlots"/>): timed by <see cref="ChainBench"/>. Empty for a program alone.</summary>
    public IReadOnlyList<ProgramSlot> Slots { get; init; } = [];

    public static BenchWorkload ForSample(INetworkFunctionSample sample, Locality locality, int packets, int seed)
    {
        var controlPlane = sample.GenerateControlPlane(seed);
        return new BenchWorkload(sample.Name, SampleFiles.Read(sample), sample.ProgramName, controlPlane,
            sample.GenerateTrace(controlPlane, locality, packets, seed), locality.ToString().ToLowerInvariant())
        {
            Slots = sample.ProgramSlots,
        };
    }
}

/// <summary>A variant to build from the workload's source: its name and how to make its object.</summary>
public sealed record VariantBuild(string Name, Func<BenchWorkload, byte[]> Build)
{
    /// <summary>What a user would load: the user's own object when they gave one, clang's own object of C, or for IR
    /// (which has no object of its own) Kecleon's compilation of it unchanged (<see cref="OriginalSelection.ObjectOf"/>).</summary>
    public static readonly VariantBuild Baseline = new("baseline", w => OriginalSelection.ObjectOf(w.Source, SampleFiles.FrontEndOptions));

    /// <summary>Kecleon's LLVM pipeline with no specialization: shows the pipeline itself costs nothing.</summary>
    public static readonly VariantBuild Compiled = new("compiled", w => Toolchain.Compile(w.Source, CodeGenOptions.Default).Elf);
}

/// <summary>The program specialized on the maps with other limits, timed beside <c>optimized</c> under its own name.</summary>
public sealed record SpecializationVariant(string Name, Kecleon.Optimizer.Specialization.InliningLimits Limits)
{
    /// <summary>The LPM search shapes the default (<c>optimized</c>: a branching search over .rodata tables past 64
    /// ranges) is not: a tree of compares however many ranges, and the branch-free table search
    /// (docs/optimizer.md). A program without an LPM map gets the same code as <c>optimized</c>.</summary>
    public static readonly IReadOnlyList<SpecializationVariant> LpmShapes =
    [
        new("lpm_tree", Kecleon.Optimizer.Specialization.InliningLimits.Default with { MaxUnrolledLpmRanges = 10_000 }),
        new("lpm_no_branch", Kecleon.Optimizer.Specialization.InliningLimits.Default with { MaxBranchingSearchSteps = 0 }),
    ];
}

public sealed record BenchResult(
    string Program, string Trace, int Packets, int Rounds, IReadOnlyList<VariantTiming> Timings, int Mismatches,
    IReadOnlyList<DiffReport> Checks, OptimizationReport? Optimization = null)
{
    /// <summary>Loads of each variant timed, each for every round.</summary>
    public int Loads { get; init; } = 1;

    /// <summary>The workload's warnings (<see cref="BenchWorkload.Warnings"/>).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    public VariantTiming? Timing(string variant) => Timings.FirstOrDefault(t => t.Variant == variant);
    public double FloorNs => Timing(FloorProgram.Name)!.MeanNs;
    public double BaselineNs => Timing(VariantBuild.Baseline.Name)!.MeanNs;

    /// <summary>baseline ns / variant ns, raw: above 1 the variant is faster.</summary>
    public double Ratio(string variant) => BaselineNs / Timing(variant)!.MeanNs;

    /// <summary>What the instrumented variant costs over the baseline: instrumented_ns / baseline_ns − 1 (null without one).</summary>
    public double? InstrumentationOverhead => Timing(BenchSession.InstrumentedVariant) is { } t ? t.MeanNs / BaselineNs - 1 : null;

    /// <summary>Variants whose timing something else on the machine disturbed (<see cref="VariantTiming.Disturbed"/>):
    /// their ratios are not to be trusted, and the trace should be timed again.</summary>
    public IReadOnlyList<string> Disturbed => Timings.Where(t => t.Disturbed).Select(t => t.Variant).ToList();

    /// <summary><c>reference</c> ns / variant ns (the baseline's by default) with its 99 % interval
    /// (<see cref="BenchInterval.Ratio"/>); above 1 the variant is faster.</summary>
    public BenchInterval RatioInterval(string variant, string? reference = null) =>
        BenchInterval.Ratio(Timing(reference ?? VariantBuild.Baseline.Name)!.MeanInterval, Timing(variant)!.MeanInterval);

    /// <summary>Why the report marks this trace disturbed, one reason per variant (empty: undisturbed): the mean of all
    /// passes over <see cref="VariantTiming.DisturbedMargin"/> above their median (<see cref="Disturbed"/>), or a 99 %
    /// interval reaching over <see cref="VariantTiming.WideIntervalMargin"/> of the mean from it.</summary>
    public IReadOnlyList<string> DisturbedReasons =>
    [
        .. from t in Timings
           where t.Disturbed || t.WideInterval
           select t.Disturbed
               ? $"{t.Variant}: the mean of all passes {t.RoundMeansNs.Average() / t.MedianNs - 1:P0} above their median"
               : $"{t.Variant}: 99% interval ±{(t.MeanInterval.Upper - t.MeanNs) / t.MeanNs:P0} of the mean",
    ];

    /// <summary>The same ratio with the test-run floor taken off both sides: the programs' own cost.</summary>
    public double FloorSubtractedRatio(string variant) => (BaselineNs - FloorNs) / Math.Max(0.1, Timing(variant)!.MeanNs - FloorNs);

    /// <summary>With a <see cref="BenchAlternation"/>: the same variants timed in the alternation's phases (the daemon
    /// running idle), interleaved with this result's own (the daemon stopped).</summary>
    public BenchResult? Alternate { get; init; }

    /// <summary>The alternation's name, on <see cref="Alternate"/>.</summary>
    public string? Condition { get; init; }

    /// <summary>With an <see cref="Alternate"/>: the phases side by side, each phase with the condition beside the phase
    /// without it next to it in time (A B, B A, A B, ...).</summary>
    public IReadOnlyList<PhasePair> AlternatePairs { get; init; } = [];

    /// <summary>With an <see cref="Alternate"/>: how much worse the floor and each variant's ratio are there
    /// (alternate floor / floor − 1, ratio / alternate ratio − 1; above 0 the alternate condition costs). Each pair of
    /// adjacent phases gives a cost from the medians of its passes, and the cost is the median of the pairs': a stretch
    /// of minutes in which something else slowed the machine weighs on one or two pairs and is outvoted, where it moves
    /// the medians of all the passes pooled by as much as it slowed them. Without pairs (a result read back), the
    /// medians of all the passes.</summary>
    public IReadOnlyList<(string Variant, double Cost)> AlternateCosts => Alternate is not { } a ? [] :
        AlternatePairs.Count == 0
            ? Costs(Timings, a.Timings)
            : Medians(PairCosts);

    private static List<(string Variant, double Cost)> Medians(IReadOnlyList<IReadOnlyList<(string Variant, double Cost)>> pairs) =>
        [.. pairs[0].Select((c, i) => (c.Variant, Median(pairs.Select(p => p[i].Cost))))];

    /// <summary>Each pair's costs (<see cref="AlternatePairs"/>), in the order of <see cref="AlternateCosts"/>: the floor,
    /// each variant's ratio, and last the floor's repeated runs (<see cref="FloorProgram.Repeated"/>) where timed.</summary>
    public IReadOnlyList<IReadOnlyList<(string Variant, double Cost)>> PairCosts =>
    [
        .. AlternatePairs.Select(p => p.RepeatedFloorWithout.Count == 0 || p.RepeatedFloorWith.Count == 0
            ? Costs(p.Without, p.With)
            : [.. Costs(p.Without, p.With), (FloorProgram.Repeated, FloorProgram.TrimmedMean(p.RepeatedFloorWith) / FloorProgram.TrimmedMean(p.RepeatedFloorWithout) - 1)]),
    ];

    private static IReadOnlyList<(string Variant, double Cost)> Costs(IReadOnlyList<VariantTiming> without, IReadOnlyList<VariantTiming> with)
    {
        VariantTiming Of(IReadOnlyList<VariantTiming> timings, string variant) => timings.First(t => t.Variant == variant);
        double Ratio(IReadOnlyList<VariantTiming> timings, string variant) => Of(timings, VariantBuild.Baseline.Name).MedianNs / Of(timings, variant).MedianNs;
        return
        [
            (FloorProgram.Name, Of(with, FloorProgram.Name).MedianNs / Of(without, FloorProgram.Name).MedianNs - 1),
            .. without.Where(t => t.Variant is not (FloorProgram.Name or "baseline") && with.Any(w => w.Variant == t.Variant))
                .Select(t => (t.Variant, Ratio(without, t.Variant) / Ratio(with, t.Variant) - 1)),
        ];
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    /// <summary>Baseline ns / <paramref name="variant"/> ns, from the medians of their passes.</summary>
    public double MedianRatio(string variant) => Timing(VariantBuild.Baseline.Name)!.MedianNs / Timing(variant)!.MedianNs;
}

/// <summary>
/// Something to time the variants beside, in phases alternated with phases without it (A B B A A B ...), so that drift
/// of the machine falls on both alike: <see cref="Enter"/> brings it about (and waits until it is steady), disposing
/// the result ends it.
/// </summary>
/// <param name="Control">Run before each phase without it: the same history as <see cref="Enter"/> gives a phase with it
/// (the daemon started, idle, and stopped again), so that whatever its start-up (seconds of work on both cores) leaves
/// behind on the machine for a while weighs on both sides alike.</param>
public sealed record BenchAlternation(string Name, Func<IDisposable> Enter, int Phases = 4, Action? Control = null);

/// <summary>Two adjacent phases of an alternation: the variants timed without the condition and with it, and the floor
/// program's repeated runs in each (<see cref="FloorProgram.Repeated"/>; empty when not timed).</summary>
public sealed record PhasePair(IReadOnlyList<VariantTiming> Without, IReadOnlyList<VariantTiming> With)
{
    public IReadOnlyList<double> RepeatedFloorWithout { get; init; } = [];
    public IReadOnlyList<double> RepeatedFloorWith { get; init; } = [];
}

/// <summary>
/// Checks each variant against the baseline with the differential checker (independent map copies, same packets), then
/// times floor, baseline and the variants side by side on one set of maps, as an optimized program shares the live ones.
/// </summary>
public static class BenchSession
{
    /// <summary>The name of the instrumented variant (<see cref="Run"/> with <c>instrument</c>).</summary>
    public const string InstrumentedVariant = "instrumented";

    /// <summary>With a trace profile, the program specialized on the maps alone, timed beside the profile-guided
    /// <c>optimized</c>.</summary>
    public const string MapsOnlyVariant = "maps_only";

    /// <summary>With <c>profileWindow</c>: the program specialized with the daemon's sampled profiling built in, its
    /// window closed (as between the daemon's windows) and open (as in one).</summary>
    public const string WindowClosedVariant = "window_closed", WindowOpenVariant = "window_open";

    /// <summary>Loads of each variant timed by default. Measured: six loads of one object in one run spread over up to
    /// 6 %; with 3 loads the instrumented program's overhead moved by up to 7 points between runs, with 8 by up to 5
    /// and mostly 2, for about 20 % more time (docs/bench.md, "How it times").</summary>
    public const int DefaultLoads = 8;

    /// <param name="optimize">Also specialize the program on the workload's maps (<c>optimized</c>), checked against the
    /// baseline on copies of its maps before it is timed.</param>
    /// <param name="instrument">Also time the program instrumented for profiling at the default sampling rate
    /// (<c>instrumented</c>), checked against the baseline with its profiling maps left out.</param>
    /// <param name="traceProfile">Give the optimized variant a profile counted from the workload's own trace
    /// (<see cref="TraceProfile"/>): hot keys and branch weights, exact, for benchmarks; the program specialized on the
    /// maps alone is then timed beside it as <c>maps_only</c>.</param>
    /// <param name="recordedProfile">The same with a profile recorded by the sampling profiler (<c>kecleon profile</c>)
    /// in place of the trace's exact one.</param>
    /// <param name="specializations">Also specialize the program on the maps with each of these limits, checked like
    /// <c>optimized</c> and timed beside it (<c>--lpm-shapes</c>).</param>
    /// <param name="profileWindow">Also time the program specialized with the daemon's windowed profiling built in, its
    /// window closed (<c>window_closed</c>) and held open (<c>window_open</c>): what a profile window costs the live
    /// program is window_closed_ns / window_open_ns (<c>relative_to</c> in a thresholds file).</param>
    /// <param name="loads">Loads of each variant timed (all on the same maps): one load of an object runs a few percent
    /// faster or slower than the next (where its code lands), so each variant's time is over several.</param>
    public static BenchResult Run(BenchWorkload workload, IReadOnlyList<VariantBuild> variants, int rounds,
        IProgress<BenchProgress>? progress = null, DiffOptions? diffOptions = null, bool optimize = false, bool instrument = false,
        bool traceProfile = false, Kecleon.Instrumentation.Profiles.Profile? recordedProfile = null, int loads = DefaultLoads,
        BenchAlternation? alternation = null, IReadOnlyList<SpecializationVariant>? specializations = null, bool profileWindow = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(loads, 1);
        specializations ??= [];
        if (traceProfile && recordedProfile is not null)
            throw new ArgumentException("a trace profile or a recorded one, not both", nameof(recordedProfile));
        var builds = new[] { VariantBuild.Baseline }.Concat(variants.Where(v => v.Name != VariantBuild.Baseline.Name))
            .Select(v => (v.Name, Elf: v.Build(workload))).ToList();

        var checks = new List<DiffReport>();
        foreach (var (name, elf) in builds.Skip(1))
        {
            using var reference = LoadWithControlPlane("baseline", builds[0].Elf, workload, null);
            using var candidate = LoadWithControlPlane(name, elf, workload, null);
            checks.Add(DifferentialChecker.Check(reference, candidate, workload.Trace, diffOptions ?? new DiffOptions { CompareMapsEvery = 16 }));
        }
        var instrumented = instrument ? InstrumentedObject.Build(workload.Source, InstrumentationOptions.Live) : null;
        if (instrumented is not null)
        {
            using var reference = LoadWithControlPlane("baseline", builds[0].Elf, workload, null);
            using var candidate = LoadWithControlPlane(InstrumentedVariant, instrumented.Elf, workload, null);
            var options = diffOptions ?? new DiffOptions { CompareMapsEvery = 16 };
            checks.Add(DifferentialChecker.Check(reference, candidate, workload.Trace,
                options with { IgnoredMaps = new HashSet<string>(options.IgnoredMaps.Concat(InstrumentationLayout.Maps)) }));
        }

        var loaded = new List<LoadedVariant>();
        GuardTable? guards = null;
        OptimizedProgram? optimized = null, mapsOnly = null;
        var shaped = new List<OptimizedProgram>();
        try
        {
            loaded.Add(LoadedVariant.Load(FloorProgram.Name, FloorProgram.BuildObject(), null));
            var baseline = LoadWithControlPlane(builds[0].Name, builds[0].Elf, workload, null);
            loaded.Add(baseline);
            foreach (var (name, elf) in builds.Skip(1))
                loaded.Add(LoadedVariant.Load(name, elf, workload.ProgramName, shareMapsWith: baseline));
            if (instrumented is not null)
                loaded.Add(LoadedVariant.Load(InstrumentedVariant, instrumented.Elf, workload.ProgramName, shareMapsWith: baseline));
            OptimizationReport? optimization = null;
            if (optimize)
            {
                guards = GuardTable.Open();
                var trusted = loaded.Where(v => v != baseline).Select(v => v.Program.Info().Id).ToHashSet();
                var profile = traceProfile
                    ? TraceProfile.Record(workload.Source, workload.ProgramName, workload.ControlPlane, workload.Trace)
                    : recordedProfile;
                if (profile is not null)
                {
                    // As on a live data plane, the program has already seen this traffic: what it learns (addresses,
                    // connections) is in its maps before it is specialized, not written while it is timed.
                    foreach (var packet in workload.Trace)
                        baseline.Program.TestRun(packet, 1);
                }
                if (profile is not null)
                {
                    // The same cycle on the maps alone, timed beside it: what the profile adds, measured in one run.
                    mapsOnly = OptimizationCycle.Run(workload.Source, baseline, builds[0].Elf, guards, workload.Trace,
                        new OptimizeOptions { TrustedProgramIds = trusted, VariantName = MapsOnlyVariant });
                    checks.Add(mapsOnly.Report.Check!);
                    loaded.Add(mapsOnly.Variant);
                    trusted.Add(mapsOnly.Variant.Program.Info().Id);
                }
                optimized = OptimizationCycle.Run(workload.Source, baseline, builds[0].Elf, guards, workload.Trace,
                    new OptimizeOptions { TrustedProgramIds = trusted, Profile = profile });
                optimization = optimized.Report;
                checks.Add(optimized.Report.Check!);
                loaded.Add(optimized.Variant);
            }
            foreach (var variant in specializations)
            {
                guards ??= GuardTable.Open();
                var trusted = loaded.Where(v => v != baseline).Select(v => v.Program.Info().Id).ToHashSet();
                var program = OptimizationCycle.Run(workload.Source, baseline, builds[0].Elf, guards, workload.Trace,
                    new OptimizeOptions { TrustedProgramIds = trusted, Limits = variant.Limits, VariantName = variant.Name });
                shaped.Add(program);
                checks.Add(program.Report.Check!);
                loaded.Add(program.Variant);
            }
            if (profileWindow)
                foreach (var (name, open) in new[] { (WindowClosedVariant, false), (WindowOpenVariant, true) })
                {
                    guards ??= GuardTable.Open();
                    var trusted = loaded.Where(v => v != baseline).Select(v => v.Program.Info().Id).ToHashSet();
                    var program = OptimizationCycle.Run(workload.Source, baseline, builds[0].Elf, guards, workload.Trace,
                        new OptimizeOptions { TrustedProgramIds = trusted, VariantName = name, Profiling = InstrumentationOptions.LiveWindowed });
                    shaped.Add(program);
                    checks.Add(program.Report.Check!);
                    loaded.Add(program.Variant);
                    // Held open for the whole bench: every load of this variant shares the window map.
                    if (open)
                        using (var maps = ProfileMaps.Of(program.Variant))
                            maps.OpenWindow(TimeSpan.FromDays(1));
                }
            // A map the optimized program writes rarely is guarded against its own writes and the control plane's, not
            // against the other variants sharing it here: they must not write it while timed (a warm trace does not).
            // And the guard hook is detached while timing (it would run between every two timed packets, on each
            // BPF_PROG_TEST_RUN call): every map specialized on must then be as it was, checked below.
            // The keys the data plane itself writes (a counter slot beside a folded setting) change as it runs, guarded or not.
            var plans = new[] { mapsOnly, optimized }.Concat(shaped).Select(p => p?.Report.Plan).OfType<SpecializationPlan>().ToList();
            var specialized = new[] { mapsOnly, optimized }.Concat(shaped).SelectMany(p => p?.Report.Snapshots ?? []).Select(m => m.Name).Distinct()
                .Select(name => baseline.Object.Map(name)).ToList();
            HashSet<string> Contents(Bpf.BpfMap map) => ContentsBut(map, plans.SelectMany(p => p.KeysWrittenByDataPlane(map.Name)).ToHashSet(StringComparer.Ordinal));
            var before = specialized.Select(Contents).ToList();
            var firstLoads = loaded.Count;
            for (var load = 1; load < loads; load++)
                for (var i = 0; i < firstLoads; i++)
                    loaded.Add(loaded[i].LoadAgain());
            IReadOnlyList<VariantTiming> timings;
            IReadOnlyList<VariantTiming>? alternateTimings = null;
            IReadOnlyList<PhasePair> pairs = [];
            using (guards?.SuspendHook())
            {
                if (alternation is null)
                    timings = SideBySideBenchmark.Run(loaded, workload.Trace, rounds, progress);
                else
                    (timings, alternateTimings, pairs) = Alternate(alternation, loaded, workload.Trace, rounds, progress);
            }
            // Any guarded write meanwhile (another process running a BPF_PROG_TYPE_SYSCALL program bumps every slot) sends
            // the optimized variant to its fallback: its timing would then be the original's plus a tail call.
            foreach (var program in new[] { mapsOnly, optimized }.Concat(shaped))
                if (program is { IsCurrent: false })
                    throw new KecleonException($"the {program.Variant.Name} {workload.Program} fell back while timed ({string.Join(", ", program.StaleMaps().Select(m => m.Map))} " +
                                               "changed version): its timing is the original's. Run the bench again.");
            for (var i = 0; i < specialized.Count; i++)
                if (!before[i].SetEquals(Contents(specialized[i])))
                    throw new KecleonException($"{specialized[i].Name} changed while {workload.Program} was timed: a variant (or another process) wrote a map " +
                                               "the optimized program is specialized on, so its timing is not valid. Warm the data plane with the trace first, " +
                                               "and run the bench when nothing else writes the maps.");
            var mismatches = checks.Sum(c => c.Mismatches.Count);
            return new BenchResult(workload.Program, workload.TraceName, workload.Trace.Count, rounds, timings, mismatches, checks, optimization)
            {
                Loads = loads,
                Warnings = workload.Warnings,
                AlternatePairs = pairs,
                Alternate = alternateTimings is null ? null : new BenchResult(workload.Program, workload.TraceName, workload.Trace.Count, rounds,
                    alternateTimings, mismatches, checks, optimization) { Loads = loads, Condition = alternation!.Name },
            };
        }
        finally
        {
            foreach (var program in new[] { optimized, mapsOnly }.Concat(shaped))
            {
                if (program is null)
                    continue;
                loaded.Remove(program.Variant);
                program.Dispose();
            }
            foreach (var variant in loaded)
                variant.Dispose();
            guards?.Dispose();
        }
    }

    /// <summary>
    /// <paramref name="rounds"/> rounds in each of 2 × <see cref="BenchAlternation.Phases"/> phases, without and with the
    /// alternation in the order A B B A A B B A ...: a drift of the machine over the run weighs on both the same. Each
    /// phase has its own warm-up round.
    /// </summary>
    private static (IReadOnlyList<VariantTiming> Without, IReadOnlyList<VariantTiming> With, IReadOnlyList<PhasePair> Pairs) Alternate(
        BenchAlternation alternation, IReadOnlyList<LoadedVariant> loaded, IReadOnlyList<byte[]> trace, int rounds, IProgress<BenchProgress>? progress)
    {
        var without = new List<IReadOnlyList<VariantTiming>>();
        var with = new List<IReadOnlyList<VariantTiming>>();
        var repeatedWithout = new List<IReadOnlyList<double>>();
        var repeatedWith = new List<IReadOnlyList<double>>();
        var floor = loaded.First(v => v.Name == FloorProgram.Name);
        for (var phase = 0; phase < 2 * alternation.Phases; phase++)
        {
            if (phase % 4 is 1 or 2)
            {
                using (alternation.Enter())
                {
                    with.Add(SideBySideBenchmark.Run(loaded, trace, rounds, progress));
                    repeatedWith.Add(FloorProgram.TimeRepeated(floor, trace));
                }
            }
            else
            {
                alternation.Control?.Invoke();
                without.Add(SideBySideBenchmark.Run(loaded, trace, rounds, progress));
                repeatedWithout.Add(FloorProgram.TimeRepeated(floor, trace));
            }
        }
        // Phases 2k and 2k + 1 are one of each (A B B A ...): the pairs.
        var pairs = Enumerable.Range(0, alternation.Phases)
            .Select(k => new PhasePair(without[k], with[k]) { RepeatedFloorWithout = repeatedWithout[k], RepeatedFloorWith = repeatedWith[k] }).ToList();
        return (Merge(without), Merge(with), pairs);
    }

    private static IReadOnlyList<VariantTiming> Merge(IReadOnlyList<IReadOnlyList<VariantTiming>> phases) =>
        phases[0].Select(t => new VariantTiming(t.Variant, phases.SelectMany(p => p.First(x => x.Variant == t.Variant).RoundMeansNs).ToList())).ToList();

    private static HashSet<string> ContentsBut(Bpf.BpfMap map, IReadOnlySet<string> keys) =>
        map.Entries().Where(e => !keys.Contains(Convert.ToHexString(e.Key))).Select(e => Convert.ToHexString(e.Key) + ":" + Convert.ToHexString(e.Value)).ToHashSet();

    private static LoadedVariant LoadWithControlPlane(string name, byte[] elf, BenchWorkload workload, LoadedVariant? share)
    {
        var variant = LoadedVariant.Load(name, elf, workload.ProgramName, share);
        try
        {
            variant.Apply(workload.ControlPlane);
            return variant;
        }
        catch
        {
            variant.Dispose();
            throw;
        }
    }
}
