using System.Diagnostics;
using Kecleon.Access;
using Kecleon.Analyses;
using Kecleon.Bpf;
using Kecleon.FrontEnd;
using Kecleon.Llvm;
using Kecleon.Optimizer;
using Kecleon.Optimizer.CodeGen;
using Kecleon.Optimizer.Passes;
using Kecleon.Optimizer.Planning;
using Kecleon.Passes;
using Kecleon.Optimizer.Specialization;
using Kecleon.Runtime.Checking;
using Kecleon.Runtime.Deployment;
using Kecleon.Runtime.Guards;

namespace Kecleon.Runtime.Optimization;

/// <summary>How long each stage of one cycle took.</summary>
public sealed record StageTimes(TimeSpan Parse, TimeSpan Analyze, TimeSpan Snapshot, TimeSpan Passes, TimeSpan Optimize, TimeSpan CodeGen,
    TimeSpan Load, TimeSpan Check)
{
    /// <summary>IR to loaded program, verifier included (the check is not part of it).</summary>
    public TimeSpan CloneToLoaded => Parse + Analyze + Snapshot + Passes + Optimize + CodeGen + Load;
}

/// <summary>What one cycle did.</summary>
public sealed record OptimizationReport(
    string Program, IReadOnlyList<PassStep> Steps, IReadOnlyList<MapSnapshot> Snapshots, int InstructionsBefore, int InstructionsAfter,
    StageTimes Times, DiffReport? Check)
{
    public IEnumerable<PassStep> Applied => Steps.Where(s => s.Applied);
    /// <summary>Whether the program differs from the original: a map was specialized on or a pass rewrote something.</summary>
    public bool SpecializedAnything => Snapshots.Count > 0 || Steps.Any(s => s.Applied);
    /// <summary>Why each map read by a lookup was left alone, by map: the plan's reasons, each once (a map whose site
    /// was specialized somewhere is not listed).</summary>
    public IReadOnlyList<(string Map, string Reason)> LeftAlone => Plan is null ? [] : Plan.Sites
        .Where(s => s.Strategy == SiteStrategy.Leave && s.Reason is not null && !Snapshots.Any(m => m.Name == s.Map))
        .Select(s => (Map: s.Map ?? "(a map not known statically)", Reason: s.Reason!.Text)).Distinct().ToList();
    /// <summary>Instructions the verifier processed for the original and for the specialized program.</summary>
    public (uint Original, uint Specialized) VerifiedInstructions { get; init; }
    /// <summary>Other loaded programs that may write the original's maps, which were therefore not specialized on. Once
    /// one is unloaded (<see cref="SharedMapWriters.AnyUnloaded"/>), a new cycle may specialize on more.</summary>
    public SharedMapWriters OtherWriters { get; init; } = SharedMapWriters.None;
    /// <summary>The plan the cycle executed, refined on its snapshots.</summary>
    public SpecializationPlan? Plan { get; init; }
    /// <summary>The sites left to the kernel to fit the verifier's budget (given in <see cref="OptimizeOptions.BackedOff"/>
    /// or dropped by this cycle's back-offs), by lookup site: a next cycle on the same program starts from them
    /// instead of backing off again.</summary>
    public IReadOnlyDictionary<int, PlanReason> BackedOff { get; init; } = new Dictionary<int, PlanReason>();
    /// <summary>What the specialized program records of its traffic, when it profiles itself
    /// (<see cref="OptimizeOptions.Profiling"/>).</summary>
    public Kecleon.Instrumentation.Profiling.InstrumentationLayout? Profiling { get; init; }

    /// <summary>The specialized data kept in place, which <see cref="InPlaceUpdate"/> rewrites; null when there is none.</summary>
    public InPlaceLayout? InPlace { get; init; }

    /// <summary>In-place data was asked for (<see cref="OptimizeOptions.InPlaceData"/>) and the verifier refused the
    /// program it made (its stack): built with constant tables instead. The next cycles on the same program need not try
    /// again.</summary>
    public bool InPlaceRefused { get; init; }
    /// <summary>Key tables in place were asked for (<see cref="OptimizeOptions.InPlaceKeyTables"/>) and the verifier refused the
    /// program (its stack): built with the LPM tables alone in place. The next cycles need not try again.</summary>
    public bool InPlaceKeyTablesRefused { get; init; }
    /// <summary>The specialized module after LLVM's passes, as bitcode, with <see cref="CodeGenOptions.KeepBitcode"/>:
    /// what <c>optimize --emit</c> embeds in the object it writes (<see cref="Deployment.EmittedObject"/>).</summary>
    public byte[]? Bitcode { get; init; }
}

/// <summary>A specialized program loaded next to the original, sharing its maps, with its guards registered. Disposing
/// it unloads it (detach it first) and gives its guard slots back.</summary>
public sealed class OptimizedProgram : IDisposable
{
    private readonly GuardTable _guards;
    private readonly IReadOnlyList<int> _slots;
    private int _disposed;

    internal OptimizedProgram(LoadedVariant variant, OptimizationReport report, GuardTable guards, IReadOnlyList<int> slots)
    {
        Variant = variant;
        Report = report;
        _guards = guards;
        _slots = slots;
    }

    public LoadedVariant Variant { get; }
    public OptimizationReport Report { get; }

    /// <summary>False once any map it was specialized on has been written: it then runs the original for every packet.</summary>
    public bool IsCurrent => _guards.Written(Report.Snapshots).Count == 0;

    /// <summary>The maps written since the snapshot, with the version specialized on and the current one.</summary>
    public IEnumerable<(string Map, ulong SpecializedOn, ulong Now)> StaleMaps() =>
        _guards.Written(Report.Snapshots).Select(w => (w.Snapshot.Name, w.Snapshot.GuardVersion, w.Now));

    /// <summary>The guard slots of the maps its plan read (the ones it was specialized on among them), held until it is
    /// disposed: a slot given back mid-cycle could be the table's last, and detaching the guard hook waits out RCU grace
    /// periods.</summary>
    public IReadOnlyList<int> GuardSlots => _slots;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
            return;
        Variant.Dispose();
        foreach (var slot in _slots)
            _guards.Unregister(slot);
    }

    /// <summary>
    /// Closes this process's handles but keeps the guard registrations: for a program that stays swapped in after the
    /// process exits (held by a hook and pins), guarded by a pinned <see cref="GuardTable"/>. Whoever swaps it out later
    /// unregisters its maps' slots (<see cref="GuardTable.SlotOf"/>).
    /// </summary>
    public void ReleaseKeepingGuards()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
            return;
        Variant.Dispose();
    }
}

/// <summary>The differential check found the specialized program behaving differently from the original: nothing was
/// loaded for good, and the same snapshots would give the same program.</summary>
public sealed class SpecializationMismatchException(string message) : KecleonException(message);

/// <summary>The differential check failed while a map specialized on was being written (its guard version moved between
/// the snapshot and the end of the check): a cycle on a new snapshot may well pass. Nothing was swapped.</summary>
public sealed class SnapshotRaceException(string message) : KecleonException(message);

public sealed record OptimizeOptions
{
    public static readonly OptimizeOptions Default = new();

    /// <summary>How the specialized module becomes an object (LLVM's <see cref="Optimizer.Pipelines.AfterSpecialization"/>).</summary>
    public CodeGenOptions CodeGen { get; init; } = CodeGenOptions.Specialized;

    /// <summary>A build that answers a write (the daemon's reaction), made for time: <see cref="CodeGenOptions.Reaction"/>
    /// in place of <see cref="CodeGen"/>, table searches without branches and bucket indexes of at most
    /// <see cref="ReactionBucketBits"/> bits (less data to make, compile and load). The daemon builds the program again in
    /// full once the writes pause.</summary>
    public bool Reaction { get; init; }

    /// <summary>The widest bucket index of a reaction's table search (2^12 buckets: 8 KiB, against 128 KiB at 16 bits).</summary>
    public const int ReactionBucketBits = 12;

    /// <summary>For a reaction: the maps written since the last full build (the writes it answers included). Those the
    /// data plane writes get no hot keys in it (<see cref="InliningLimits.WrittenMapsLeft"/>): a control-plane write to such
    /// a map (a flush of connection state) is followed by the data plane's own refills, each a version move that would
    /// send packets to the original and start another rebuild. The full build after the writes pause specializes them
    /// again.</summary>
    public IReadOnlySet<string> WrittenSinceFullBuild { get; init; } = new HashSet<string>();
    public InliningLimits Limits { get; init; } = InliningLimits.Default;
    /// <summary>Programs that may share the original's maps without making them "written elsewhere" (other variants of
    /// the same program, whose writes the analysis of this program already describes).</summary>
    public IReadOnlySet<uint> TrustedProgramIds { get; init; } = new HashSet<uint>();
    /// <summary>Check with packets that visit every specialized key and its near misses besides the ones given
    /// (<see cref="ProbePackets"/>).</summary>
    public bool ProbeSpecializedKeys { get; init; } = true;
    /// <summary>Verifier work (instructions processed) the specialized program may cost by the estimate, as a budget for
    /// the constants inlining folds in: each combination of inlined answers can be another walk over the original's
    /// paths, so the combinations allowed are this over what the original cost (the firewall: 27,000, so 3; the
    /// balancer: 1,100, so the limit's 64). A program that alone takes more than half of it is planned against
    /// <see cref="VerifierTarget"/> instead (an estimate of 1 would allow nothing), and the measurement decides.</summary>
    public int VerifierBudget { get; init; } = 100_000;
    /// <summary>The kernel's limit on instructions processed per program (BPF_COMPLEXITY_LIMIT_INSNS).</summary>
    public int VerifierLimit { get; init; } = 1_000_000;
    /// <summary>Instructions processed the specialized program may cost, as measured on the loaded result (its
    /// <c>verified_insns</c>): half of <see cref="VerifierLimit"/>, the rest margin for the kernel's count to vary
    /// between versions and for the profiling a daemon builds in.</summary>
    public int VerifierTarget { get; init; } = 500_000;
    /// <summary>At most this many back-offs per cycle (each drops the costliest sites and loads again).</summary>
    public int MaxVerifierBackOffs { get; init; } = 3;
    /// <summary>Sites an earlier cycle on the same program dropped to fit the verifier (<see cref="OptimizationReport.BackedOff"/>):
    /// left to the kernel from the start, so a daemon does not back off every period.</summary>
    public IReadOnlyDictionary<int, PlanReason> BackedOff { get; init; } = new Dictionary<int, PlanReason>();
    /// <summary>At most this many probe packets per cycle.</summary>
    public int MaxProbePackets { get; init; } = ProbePackets.DefaultLimit;
    /// <summary>The snapshots the program this one replaces was built on: every key changed since is probed, whatever
    /// <see cref="MaxProbePackets"/> allows for the rest.</summary>
    public IReadOnlyList<MapSnapshot>? PreviousSnapshots { get; init; }
    /// <summary>Tests only: changes a snapshot after it was read, to make a deliberately wrong specialization.</summary>
    internal Func<MapSnapshot, MapSnapshot>? AlterSnapshot { get; init; }
    /// <summary>A profile of the traffic, for the profile-guided passes.</summary>
    public Kecleon.Instrumentation.Profiles.Profile? Profile { get; init; }
    /// <summary>Build the sampled profiling path into the specialized program (<see cref="Specializer.SpecializeAndInstrument"/>):
    /// the daemon profiles the program it runs, in windows (<see cref="Kecleon.Instrumentation.Profiling.InstrumentationOptions.LiveWindowed"/>).</summary>
    public Kecleon.Instrumentation.Profiling.InstrumentationOptions? Profiling { get; init; }
    /// <summary>When nothing was specialized (every site left as it is), leave the hook as it was instead of swapping in
    /// a program that is the original with a fallback: <c>kecleon optimize</c>'s rule (the daemon, which profiles through the
    /// program it swaps in, keeps swapping).</summary>
    public bool KeepWhenNothingSpecialized { get; init; }
    /// <summary>Fuse the chain behind the original entry first (<see cref="ChainFusionPass"/>): each tail call into a slot
    /// of a PROG_ARRAY the entry uses, whose program is proved to be one of the input's functions, is inlined, and the
    /// PROG_ARRAY is guarded on its slot → program id snapshot.</summary>
    public bool FuseChain { get; init; }

    /// <summary>Keep range tables (LPM tables, key tables) as double-buffered data the program reads (<see cref="SpecializationRequest.InPlaceData"/>),
    /// so that <see cref="InPlaceUpdate"/> can apply a control-plane write without a new program.</summary>
    public bool InPlaceData { get; init; }
    /// <summary>With <see cref="InPlaceData"/>, key tables (exact-match maps with keys of at most 4 bytes searched as ranges)
    /// are kept in place too; if the verifier refuses the program for its stack, they go back to .rodata first, then the
    /// LPM tables.</summary>
    public bool InPlaceKeyTables { get; init; } = true;
    /// <summary>The program's IR parsed and analysed ahead (<see cref="PreparedModule"/>): the cycle takes it (once) instead
    /// of parsing and analysing the source. Ignored when made of another source, taken already, or with
    /// <see cref="FuseChain"/>.</summary>
    public PreparedModule? Prepared { get; init; }
    /// <summary>The check's map copies kept between the cycles of one program (<see cref="CheckMapPool"/>): the caller's,
    /// which it disposes of. Null: each check makes its own.</summary>
    public CheckMapPool? CheckMaps { get; init; }
    /// <summary>The name the specialized program is loaded (and timed, and reported) under.</summary>
    public string VariantName { get; init; } = "optimized";
}

/// <summary>
/// One analyze, snapshot, specialize, load, verify cycle against a live program. The specialized program shares the
/// original's maps and the guard table's versions; it is checked against the original with the differential checker on
/// independent copies of the live state before anyone may swap it in. Any failure (the verifier, a mismatch, a map that
/// cannot be read) leaves nothing loaded and the running program untouched.
/// </summary>
public static class OptimizationCycle
{
    public static OptimizedProgram Run(ProgramSource source, LoadedVariant original, byte[] originalElf, GuardTable guards,
        IReadOnlyList<byte[]> checkPackets, OptimizeOptions? options = null, CancellationToken cancellation = default)
    {
        options ??= OptimizeOptions.Default;
        var clock = Stopwatch.StartNew();
        // A module parsed and analysed ahead (a daemon's, made while it waited) saves both here; a fused chain is made of
        // the fused module, so it parses its own.
        var prepared = options.FuseChain ? null : options.Prepared?.Take(source);
        using var context = prepared?.Context ?? LlvmContext.Create();
        using var module = prepared?.Module ?? source.Parse(context);
        var slots = new List<int>();
        FusedChain? chain = null;
        FusionOutcome? fusion = null;
        IReadOnlyList<PassStep> fusionSteps = [];
        if (options.FuseChain)
        {
            try
            {
                // The PROG_ARRAYs guarded and read before anything else: the fused module is the program from here on.
                chain = FusedChain.Read(original, FusedChain.Programs(module), guards, slots);
                (fusion, fusionSteps) = chain.Fuse(module, cancellation);
            }
            catch
            {
                slots.ForEach(guards.Unregister);
                throw;
            }
        }
        var irHash = options.Profiling is null ? "" : chain is null ? Fingerprint(source, module) : Kecleon.Instrumentation.Profiles.Profile.IrFingerprint(module.ToString());
        var parse = Lap(clock);

        // A fused stage's writes are the fused program's own, which its analysis describes.
        var trusted = chain is null ? options.TrustedProgramIds
            : options.TrustedProgramIds.Union(chain.Request.ProgramArrays.Values.SelectMany(s => s).Where(s => s.Function is not null).Select(s => s.ProgramId)).ToHashSet();
        var otherWriters = SharedMapWriters.Find(original, trusted);
        var writtenElsewhere = otherWriters.Maps;
        var preparedAnalysis = prepared?.Analysis;
        if (preparedAnalysis is not null && !prepared!.WrittenElsewhere.SetEquals(writtenElsewhere))
        {
            // Another program writes other maps now: the module serves, its analysis does not.
            preparedAnalysis.Dispose();
            preparedAnalysis = null;
        }
        using var analysis = preparedAnalysis
                             ?? Analyze(source, module, writtenElsewhere);
        var verifiedOriginal = original.Program.Info().VerifiedInstructions;
        var limits = LimitsFor(options, verifiedOriginal);
        SpecializationPlan plan;
        try
        {
            plan = SpecializationPlanner.Plan(analysis, Catalogue(original, limits), options.Profile, limits, writtenElsewhere, Writers(otherWriters));
        }
        catch
        {
            slots.ForEach(guards.Unregister);
            throw;
        }
        var analyze = Lap(clock);

        LoadedVariant? optimized = null;
        CheckVariants? variants = null;
        try
        {
            // Exactly the plan's maps, each guarded. Version first, contents second: a write that races the read leaves
            // the version ahead of the program's.
            var snapshots = new Dictionary<string, MapSnapshot>();
            var hotKeySnapshots = new Dictionary<string, MapSnapshot>();
            var readOnly = analysis.MapAccess.Where(m => m.Access == MapAccess.ReadOnly && !writtenElsewhere.Contains(m.Map.Name))
                .Select(m => m.Map.Name).ToHashSet();
            foreach (var need in plan.Snapshots)
            {
                var map = original.Object.FindMap(need.Map)!;
                var slot = guards.Register(map);
                slots.Add(slot);
                var version = guards.Version(slot);
                if (need.Keys is { } keys)
                {
                    // A map too large to read whole: one lookup per hot key is the snapshot.
                    var entries = keys.Select(k => (Key: k, Value: map.Lookup(k))).Where(e => e.Value is not null).Select(e => (e.Key, e.Value!)).ToList();
                    hotKeySnapshots[map.Name] = new MapSnapshot(map.Name, map.Type, map.KeySize, map.ValueSize, map.MaxEntries, entries, slot, version);
                    continue;
                }
                var read = Unchanged(options.PreviousSnapshots, map, slot, version, guards, readOnly)
                           ?? new MapSnapshot(map.Name, map.Type, map.KeySize, map.ValueSize, map.MaxEntries, ReadForSnapshot(map), slot, version);
                snapshots[map.Name] = options.AlterSnapshot?.Invoke(read) ?? read;
            }
            plan = plan.Refine(snapshots, hotKeySnapshots);
            var snapshot = Lap(clock);
            // The check's originals on their copies of the live maps, loaded and filled on the other core while the program
            // is specialized. After the snapshot: a write between the two moves a version, which the check then sees.
            variants = CheckVariants.Start(original, originalElf, readOnly, options.CheckMaps);

            // Specialize, load, and measure what the verifier processed; over the budget (or refused as too large), drop
            // the costliest sites and try again, a bounded number of times. Each try specializes a fresh parse: the
            // passes rewrite their module in place.
            var budgetSteps = new List<PassStep> { BudgetStep(options, verifiedOriginal, limits) };
            var dropped = new Dictionary<int, PlanReason>(options.BackedOff);
            var attemptModule = module;
            var attemptAnalysis = analysis;
            var attemptPlan = plan.Without(Remembered(plan, dropped));
            void Reparse()
            {
                if (!ReferenceEquals(attemptModule, module))
                {
                    attemptAnalysis.Dispose();
                    attemptModule.Dispose();
                }
                attemptModule = source.Parse(context);
                chain?.Fuse(attemptModule, cancellation);
                attemptAnalysis = Analyze(source, attemptModule, writtenElsewhere);
                attemptPlan = SpecializationPlanner.Plan(attemptAnalysis, Catalogue(original, limits), options.Profile, limits, writtenElsewhere, Writers(otherWriters))
                    .Refine(snapshots, hotKeySnapshots).Without(dropped);
            }
            var backOffs = 0;
            var inPlace = options.InPlaceData;
            var inPlaceKeyTables = options.InPlaceKeyTables;
            var codeGen = options.Reaction ? CodeGenOptions.Reaction : options.CodeGen;
            SpecializationResult result;
            TimeSpan passes;
            try
            {
                while (true)
                {
                    var request = new SpecializationRequest(chain is null ? snapshots : snapshots.Concat(chain.Snapshots).ToDictionary(p => p.Key, p => p.Value))
                    {
                        FusedProgramArrays = fusion?.ProgramArrays ?? new HashSet<string>(),
                        Guards = new GuardLayout(GuardTable.SlotCount, GuardLayout.Default.FallbackSlots),
                        Limits = limits,
                        WrittenElsewhere = writtenElsewhere,
                        Profile = options.Profile,
                        HotKeySnapshots = hotKeySnapshots,
                        Plan = attemptPlan,
                        InPlaceData = inPlace,
                        InPlaceKeyTables = inPlaceKeyTables,
                    };
                    // A program that profiles itself records the keys of the sites the planner could give hot keys, as the
                    // instrumented original does (InstrumentedObject.Build), unless the caller names others.
                    result = options.Profiling is { } profiling
                        ? Specializer.SpecializeAndInstrument(attemptModule, attemptAnalysis, request,
                            profiling.KeyProfileSites is null ? profiling with { KeyProfileSites = a => SpecializationPlanner.KeyProfileSites(a, limits) } : profiling,
                            irHash, codeGen, cancellation)
                        : Specializer.Specialize(attemptModule, attemptAnalysis, request, codeGen, cancellation);
                    passes = result.PassTime;
                    Lap(clock);
                    string overBudget = "";
                    double overshoot = 0;
                    var rebuild = false;
                    try
                    {
                        // The check's copy of the candidate loads on the other core meanwhile.
                        variants.LoadCandidate(result.Object.Elf);
                        optimized = LoadLive(result.Object.Elf, original, guards, options.VariantName);
                        var measured = optimized.Program.Info().VerifiedInstructions;
                        if (measured <= options.VerifierTarget)
                        {
                            budgetSteps.Add(new PassStep("verifier-budget", $"the loaded result cost the verifier {measured:N0} instructions, " +
                                                                             $"within the {options.VerifierTarget:N0} budget", "", false));
                            break;
                        }
                        overBudget = $"the verifier processed {measured:N0} instructions of it, over the {options.VerifierTarget:N0} budget " +
                                     $"({Share(options):P0} of its limit of {options.VerifierLimit:N0})";
                        overshoot = (double)measured / options.VerifierTarget;
                    }
                    catch (VerifierRejectedException e) when (inPlace && IsStackTooLarge(e) && inPlaceKeyTables
                                                              && result.InPlace?.Sites.Any(s => s.KeyTable) == true)
                    {
                        // The key tables' searches go back to .rodata first (a write to their maps then rebuilds); the LPM
                        // tables stay in place.
                        inPlaceKeyTables = false;
                        rebuild = true;
                        budgetSteps.Add(new PassStep("verifier-budget", $"key tables kept as .rodata, not in place: the verifier refused the " +
                                                                         $"in-place program ({StackReason(e)})", "", false));
                    }
                    catch (VerifierRejectedException e) when (inPlace && IsStackTooLarge(e))
                    {
                        // The in-place tables add a few live values (the active buffer's offset): where registers were short
                        // already (a program that also carries its profiled copy, whose frame the verifier adds to the
                        // entry's), spills can grow the stack past the verifier's 512 bytes. The tables go back to
                        // constants (a write to their maps then rebuilds); nothing else changes.
                        inPlace = false;
                        rebuild = true;
                        budgetSteps.Add(new PassStep("verifier-budget", $"tables kept as constants, not in place: the verifier refused the " +
                                                                         $"in-place program ({StackReason(e)})", "", false));
                    }
                    catch (VerifierRejectedException e) when (codeGen.BranchFreeSelects && !IsTooComplex(e))
                    {
                        // The selects made arithmetic left the verifier without a bound it needed: the branches back.
                        codeGen = codeGen with { BranchFreeSelects = false };
                        rebuild = true;
                        budgetSteps.Add(new PassStep("verifier-budget", $"selects kept as branches: the verifier refused them as arithmetic " +
                                                                         $"({e.LogTail(1).Trim()})", "", false));
                    }
                    catch (BpfException e) when (IsTooComplex(e) && backOffs < options.MaxVerifierBackOffs)
                    {
                        overBudget = $"the verifier gave up on it ({(e is VerifierRejectedException v ? v.LogTail(1).Trim() : e.Message)})";
                        overshoot = (double)options.VerifierLimit / options.VerifierTarget;
                    }
                    if (rebuild)
                    {
                        Reparse();
                        continue;
                    }
                    if (backOffs == options.MaxVerifierBackOffs)
                        break; // measured over the budget but loaded: the last try stands
                    var drop = ToDrop(attemptPlan, overshoot);
                    if (drop.Count == 0)
                    {
                        if (optimized is null)
                            throw new KecleonException($"the specialized {original.Program.Name} is too large for the verifier ({overBudget}) " +
                                                       "and no specialized site is left to drop; nothing was swapped");
                        break;
                    }
                    optimized?.Dispose();
                    optimized = null;
                    backOffs++;
                    foreach (var site in drop)
                    {
                        var why = new PlanReason(PlanReasonKind.VerifierBackOff, site.Map ?? "") { Detail = overBudget };
                        dropped[site.Site] = why;
                        budgetSteps.Add(new PassStep("verifier-budget", $"back-off {backOffs}: {why.Text}", site.Location, false) { Reason = why });
                    }
                    Reparse();
                }
            }
            finally
            {
                if (!ReferenceEquals(attemptModule, module))
                {
                    attemptAnalysis.Dispose();
                    attemptModule.Dispose();
                }
            }
            plan = attemptPlan;
            var used = snapshots.Values.Concat(hotKeySnapshots.Values).Concat(chain?.Snapshots.Values ?? [])
                .Where(s => result.SpecializedMaps.Contains(s.Name)).ToList();
            var load = Lap(clock);

            var probes = options.ProbeSpecializedKeys ? ProbePackets.Build(analysis, used, checkPackets, options.MaxProbePackets, options.PreviousSnapshots) : [];
            var diff = CheckOnCopies(variants, originalElf, used, readOnly, CheckPackets.WithProbes(checkPackets, probes), chain, out var sharedReadOnly);
            if (sharedReadOnly.Count > 0)
                budgetSteps.Add(new PassStep("check", $"{string.Join(", ", sharedReadOnly)}: shared, read-only (no program writes " +
                                                      $"{(sharedReadOnly.Count == 1 ? "it" : "them")}: both variants read the live map, no copy)", "", false));
            var checkTime = Lap(clock);
            var optimizedInfo = optimized!.Program.Info();
            var report = new OptimizationReport(original.Program.Name, [.. fusionSteps, .. budgetSteps, .. result.Steps], used,
                original.Program.Info().XlatedInstructions, optimizedInfo.XlatedInstructions,
                new StageTimes(parse, analyze, snapshot, passes, result.Object.OptimizeTime, result.Object.CodeGenTime, load, checkTime), diff)
            {
                VerifiedInstructions = (verifiedOriginal, optimizedInfo.VerifiedInstructions),
                OtherWriters = otherWriters,
                Plan = plan,
                Profiling = result.Profiling,
                BackedOff = dropped,
                Bitcode = result.Object.Bitcode,
                InPlace = result.InPlace,
                InPlaceRefused = options.InPlaceData && !inPlace,
                InPlaceKeyTablesRefused = options.InPlaceData && options.InPlaceKeyTables && !inPlaceKeyTables,
            };
            if (!diff.Equivalent)
            {
                var first = diff.Mismatches[0];
                // A write that landed between the snapshot and the end of the check (the guard versions moved) makes the
                // live maps differ from what was specialized on: a new snapshot decides, not this one.
                if (guards.Written(snapshots.Values.Concat(hotKeySnapshots.Values).Concat(chain?.Snapshots.Values ?? [])) is { Count: > 0 } raced)
                    throw new SnapshotRaceException(
                        $"{string.Join(", ", raced.Select(w => w.Snapshot.Name))} written while the specialized {original.Program.Name} was checked " +
                        $"(packet {first.PacketIndex}, {first.Kind}): the check compared it with maps it was not specialized on; nothing was swapped");
                throw new SpecializationMismatchException(
                    $"the specialized {original.Program.Name} does not behave like the original: packet {first.PacketIndex}, {first.Kind}: {first.Description}. " +
                    "Nothing was swapped; please report this with the program and `kecleon diff`.");
            }
            var program = new OptimizedProgram(optimized, report, guards, slots);
            optimized = null;
            slots = [];
            return program;
        }
        finally
        {
            variants?.Dispose();
            optimized?.Dispose();
            foreach (var slot in slots)
                guards.Unregister(slot);
        }
    }

    /// <summary>
    /// The snapshot the replaced program was built on, when it is still the map's contents: a map no program writes, in
    /// the same guard slot, whose version has not moved since (the version is read before the contents, so a write that
    /// raced that read moved it), and whose slot was held all along by someone besides this cycle (the replaced program:
    /// a slot freed in between would not have counted a write). Null when the map must be read.
    /// </summary>
    private static MapSnapshot? Unchanged(IReadOnlyList<MapSnapshot>? previous, BpfMap map, int slot, ulong version, GuardTable guards,
        IReadOnlySet<string> readOnly)
    {
        if (previous is null || !readOnly.Contains(map.Name))
            return null;
        var before = previous.FirstOrDefault(p => p.Name == map.Name);
        if (before is null || before.GuardSlot != slot || before.GuardVersion != version || before.Type != map.Type || before.KeySize != map.KeySize
            || before.ValueSize != map.ValueSize || before.MaxEntries != map.MaxEntries)
            return null;
        return guards.Registrations.FirstOrDefault(r => r.Slot == slot) is { References: > 1 } ? before : null;
    }

    /// <summary>The fingerprint of the IR as parsed (<c>Profile.IrFingerprint</c>), once per source: it prints the whole
    /// module, and a source's IR never changes.</summary>
    private static string Fingerprint(ProgramSource source, LlvmModule module) =>
        Fingerprints.GetValue(source, _ => Kecleon.Instrumentation.Profiles.Profile.IrFingerprint(module.ToString()));

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<ProgramSource, string> Fingerprints = new();

    private static IReadOnlyList<(byte[] Key, byte[] Value)> ReadForSnapshot(BpfMap map)
    {
        if (map.Flags.HasFlag(BpfMapFlags.WriteOnly))
            throw new KecleonException(
                $"cannot read map {map.Name} to specialize on it: it was created with BPF_F_WRONLY, so user space may only write it");
        try
        {
            return map.Entries();
        }
        catch (BpfException e)
        {
            throw new KecleonException($"cannot read map {map.Name} to specialize on it: {e.Message}", e, e.Details);
        }
    }

    /// <summary>The cost model's limits for a program whose original cost the verifier <paramref name="verifiedInstructions"/>:
    /// the combinations of folded answers shrink as the original's own verification grows (<see cref="OptimizeOptions.VerifierBudget"/>).</summary>
    public static InliningLimits LimitsFor(OptimizeOptions options, uint verifiedInstructions) => options.Limits with
    {
        MaxAnswerCombinations = (int)Math.Clamp(EstimateBudget(options, verifiedInstructions) / Math.Max(1u, verifiedInstructions), 1,
            options.Limits.MaxAnswerCombinations),
        // A reaction's build searches its tables without branches (a branching search is 2^steps paths for the verifier
        // through the code after it) and with a smaller bucket index.
        MaxBranchingSearchSteps = options.Reaction ? 0 : options.Limits.MaxBranchingSearchSteps,
        MaxBucketBits = options.Reaction ? Math.Min(OptimizeOptions.ReactionBucketBits, options.Limits.MaxBucketBits) : options.Limits.MaxBucketBits,
        // ...and leaves the maps the data plane writes that were written since the last full build to the next one.
        WrittenMapsLeft = options.Reaction ? options.WrittenSinceFullBuild : options.Limits.WrittenMapsLeft,
    };

    /// <summary>The verifier work the plan's estimate may spend: <see cref="OptimizeOptions.VerifierBudget"/>, or for a
    /// program that alone takes more than half of it, the measured budget (<see cref="OptimizeOptions.VerifierTarget"/>).</summary>
    private static long EstimateBudget(OptimizeOptions options, uint verifiedInstructions) =>
        verifiedInstructions * 2L <= options.VerifierBudget ? options.VerifierBudget : Math.Max(options.VerifierBudget, options.VerifierTarget);

    /// <summary>The first step of every report: what the verifier budget allowed.</summary>
    private static PassStep BudgetStep(OptimizeOptions options, uint verifiedOriginal, InliningLimits limits) =>
        new("verifier-budget", $"the original cost the verifier {verifiedOriginal:N0} instructions: up to {limits.MaxAnswerCombinations} " +
                               $"combinations of inlined answers ({EstimateBudget(options, verifiedOriginal):N0} by the estimate); the loaded result " +
                               $"may cost {options.VerifierTarget:N0} ({Share(options):P0} of the verifier's limit)", "", false);

    private static double Share(OptimizeOptions options) => (double)options.VerifierTarget / options.VerifierLimit;

    /// <summary>Sites remembered as backed off, as long as the plan still specializes them (same program).</summary>
    private static Dictionary<int, PlanReason> Remembered(SpecializationPlan plan, IReadOnlyDictionary<int, PlanReason> dropped) =>
        plan.Sites.Where(s => s.Strategy != SiteStrategy.Leave && dropped.ContainsKey(s.Site)).ToDictionary(s => s.Site, s => dropped[s.Site]);

    /// <summary>The costliest sites (<see cref="SpecializationPlan.CostliestFirst"/>) whose verifier costs together cover
    /// <paramref name="overshoot"/>, the factor the program was over its budget by; at least one.</summary>
    private static List<SiteDecision> ToDrop(SpecializationPlan plan, double overshoot)
    {
        var drop = new List<SiteDecision>();
        var covered = 1.0;
        foreach (var site in plan.CostliestFirst())
        {
            if (drop.Count > 0 && covered >= overshoot)
                break;
            drop.Add(site);
            covered *= Math.Max(2, site.Answers);
        }
        return drop;
    }

    /// <summary>The verifier's refusal of a program whose calls' stacks add up to more than 512 bytes.</summary>
    /// <summary>The verifier refused the program for its stack: frames over 512 bytes together, or a tail call (the
    /// fallback) from a frame whose callers' frames take more than 256.</summary>
    private static bool IsStackTooLarge(VerifierRejectedException e) => StackRefusals.Any(r => e.VerifierLog.Contains(r, StringComparison.Ordinal));

    private static readonly string[] StackRefusals = ["combined stack size", "tail_calls are not allowed when call stack of previous frames"];

    /// <summary>The verifier's line that refuses the stack (its last line is the instruction count).</summary>
    private static string StackReason(VerifierRejectedException e) =>
        e.VerifierLog.Split('\n').FirstOrDefault(line => StackRefusals.Any(r => line.Contains(r, StringComparison.Ordinal)))?.Trim() ?? e.LogTail(1).Trim();

    /// <summary>The verifier stopped for the program's size or complexity (E2BIG: "BPF program is too large"), not for an
    /// error in it.</summary>
    private static bool IsTooComplex(BpfException e) =>
        e.ErrorNumber == Errno.E2BIG || e is VerifierRejectedException v && (v.VerifierLog.Contains("too large", StringComparison.Ordinal)
                                                                            || v.VerifierLog.Contains("too complex", StringComparison.Ordinal));

    /// <summary>The live maps as the planner sees them before any snapshot. Arrays small enough to inline are read once
    /// for how many distinct values they hold (a few hundred lookups): one with too many is neither snapshotted nor
    /// guarded.</summary>
    private static MapCatalogue Catalogue(LoadedVariant original, InliningLimits? limits) =>
        new(original.Object.Maps.Select(m => new CatalogedMap(m.Name, m.Type, m.KeySize, m.ValueSize, m.MaxEntries)
        {
            DistinctValues = limits is not null && m.Type == BpfMapType.Array && m.MaxEntries <= limits.MaxExactEntries && !m.IsInternal
                ? DistinctValues(m)
                : null,
        }));

    /// <summary>How many distinct values <paramref name="map"/> holds; null when it cannot be read (the snapshot, if the
    /// plan asks for one, says why).</summary>
    private static int? DistinctValues(BpfMap map)
    {
        if (map.Flags.HasFlag(BpfMapFlags.WriteOnly))
            return null;
        try
        {
            return map.Entries().Select(e => Convert.ToHexString(e.Value)).Distinct().Count();
        }
        catch (BpfException)
        {
            return null;
        }
    }

    /// <summary>
    /// The plan a cycle would start from now (no map is read): its <see cref="SpecializationPlan.Signature"/> tells
    /// whether a new profile would change anything.
    /// </summary>
    public static SpecializationPlan Plan(ProgramSource source, LoadedVariant original, OptimizeOptions? options = null)
    {
        options ??= OptimizeOptions.Default;
        using var context = LlvmContext.Create();
        using var module = source.Parse(context);
        var otherWriters = SharedMapWriters.Find(original, options.TrustedProgramIds);
        using var analysis = Analyze(source, module, otherWriters.Maps);
        return SpecializationPlanner.Plan(analysis, Catalogue(original, null), options.Profile,
            LimitsFor(options, original.Program.Info().VerifiedInstructions), otherWriters.Maps, Writers(otherWriters));
    }

    /// <summary>The analysis a cycle plans on: of <paramref name="module"/>, parsed from <paramref name="source"/>, with
    /// the maps other programs write.</summary>
    internal static ProgramAnalysis Analyze(ProgramSource source, LlvmModule module, IReadOnlySet<string> writtenElsewhere) =>
        ProgramAnalysis.Analyze(module, new AnalysisOptions { ObjectName = source.Name, WrittenByOtherPrograms = writtenElsewhere });

    /// <summary>The other writers as the planner names them in its reasons.</summary>
    private static Dictionary<string, IReadOnlyList<MapWriter>> Writers(SharedMapWriters writers) =>
        writers.WritersByMap.ToDictionary(w => w.Key, w => (IReadOnlyList<MapWriter>)w.Value.Select(p => MapWriter.Program(p.Id, p.Name)).ToList(),
            StringComparer.Ordinal);

    /// <summary>Loads the specialized object on the live maps: the original's by name, its writable global data by
    /// section, the guard table's versions and ring of wake-ups, and the original program in fallback slot 0.</summary>
    private static LoadedVariant LoadLive(byte[] elf, LoadedVariant original, GuardTable guards, string name)
    {
        var variant = LoadedVariant.Load(name, elf, original.Program.Name, original,
            new Dictionary<string, BpfMapAccess> { [GuardTable.GuardsMapName] = guards.GuardsMap, [GuardTable.EventsMapName] = guards.EventsMap },
            shareGlobalData: true);
        try
        {
            if (variant.Object.FindMap(Optimizer.Guards.GuardPrelude.FallbackMap) is { } fallback)
                fallback.Update(BitConverter.GetBytes(0u), BitConverter.GetBytes((uint)original.Program.Fd));
            return variant;
        }
        catch
        {
            variant.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Original and specialized program, each on its own copy of the live maps the data plane writes, on the same
    /// packets. Maps neither program writes are the live ones, shared (copying a million-slot ring twice would cost more
    /// than the check); a control-plane write to one meanwhile can only make the check fail, never pass wrongly. Each kind
    /// of map is copied as <see cref="MapKindTreatment"/> says, every copy with the live map's definition. The copy
    /// of the guard table holds the versions the specialization expects, so the specialized code (not its fallback) is
    /// what runs.
    /// </summary>
    private static DiffReport CheckOnCopies(CheckVariants variants, byte[] originalElf, IReadOnlyList<MapSnapshot> used, IReadOnlySet<string> readOnly,
        IReadOnlyList<byte[]> packets, FusedChain? chain, out IReadOnlyList<string> sharedReadOnly)
    {
        // The candidate's maps are the fallback original's copies, filled already, but for its own (the guards, its
        // fallback, its tables), which the live maps do not have.
        var ((copies, shared, reference, fallbackOriginal), candidate) = variants.Ready();
        sharedReadOnly = copies.SharedReadOnly(readOnly);
        // A fused chain's stages run on each variant's copies too: the original chain through its PROG_ARRAY copy, and
        // the fused program's fallback through the candidate's.
        List<LoadedVariant> stages = chain is null ? [] : [.. chain.FillCopies(reference, originalElf, shared), .. chain.FillCopies(candidate, originalElf, shared)];
        using var releaseStages = new StageRelease(stages);
        if (candidate.Object.FindMap(GuardTable.GuardsMapName) is { } guardsCopy)
            GuardTable.SetVersions(guardsCopy, used.Select(s => (s.GuardSlot, s.GuardVersion)));
        // The candidate falls back (after its own write to a rarely written map) into the original on its map copies, as
        // the live one runs on the live maps.
        var fallback = candidate.Object.FindMap(Optimizer.Guards.GuardPrelude.FallbackMap);
        fallback?.Update(BitConverter.GetBytes(0u), BitConverter.GetBytes((uint)fallbackOriginal.Program.Fd));
        try
        {
            return DifferentialChecker.Check(reference, candidate, packets, new DiffOptions
            {
                CompareMapsEvery = 16,
                IgnoredMaps = new HashSet<string>(readOnly.Concat(shared.Keys)) { GuardTable.GuardsMapName, Optimizer.Guards.GuardPrelude.FallbackMap },
            });
        }
        finally
        {
            // The kernel empties a PROG_ARRAY whose last holder goes in deferred work: until then the copy of the original
            // would stay loaded on the live read-only maps, and a cycle right after this one would take them for maps
            // another program may write. Emptied here, it goes with its descriptor.
            fallback?.Delete(BitConverter.GetBytes(0u));
        }
    }

    /// <summary>
    /// The differential check's variants on their own copies of the live maps (<see cref="CheckCopies"/>: the live maps
    /// no program writes shared, the rest copied and filled), loaded on another thread while the specialized program is
    /// built and loaded: the original on its copies, the original the candidate falls back into on the candidate's, and
    /// the candidate on those (<see cref="LoadCandidate"/>). Their copies and verifier runs are then off the path from the
    /// write to the checked program. Each live map is read once, after the snapshot, for all the copies.
    /// </summary>
    private sealed class CheckVariants : IDisposable
    {
        private readonly Task<Originals> _originals;
        private readonly string _programName;
        private Task<LoadedVariant>? _candidate;

        private CheckVariants(Task<Originals> originals, string programName) => (_originals, _programName) = (originals, programName);

        public static CheckVariants Start(LoadedVariant live, byte[] originalElf, IReadOnlySet<string> readOnly, CheckMapPool? pool) =>
            new(Task.Run(() => Originals.Load(live, originalElf, readOnly, pool)), live.Program.Name);

        /// <summary>Starts loading the candidate <paramref name="elf"/> on the fallback original's copies (once the
        /// originals are loaded), in place of any candidate started before.</summary>
        public void LoadCandidate(byte[] elf)
        {
            DropCandidate();
            _candidate = _originals.ContinueWith(made =>
            {
                var originals = made.GetAwaiter().GetResult();
                return LoadedVariant.Load("optimized", elf, _programName, shareMapsWith: originals.Fallback, otherMaps: originals.Shared,
                    shapeOwnMaps: originals.Copies.Shape, shareGlobalData: true);
            }, TaskScheduler.Default);
        }

        /// <summary>The originals and the candidate, once loaded (waiting if need be); a failure to load them throws here.</summary>
        public (Originals Originals, LoadedVariant Candidate) Ready() =>
            (_originals.GetAwaiter().GetResult(), (_candidate ?? throw new InvalidOperationException("no candidate was loaded for the check")).GetAwaiter().GetResult());

        private void DropCandidate()
        {
            if (Interlocked.Exchange(ref _candidate, null) is { } candidate)
                Release(candidate, c => c.Dispose());
        }

        /// <summary>Waits for what is being loaded (the cycle may have failed first) and unloads it. A failure to load it
        /// is the cycle's to report, through <see cref="Ready"/>, or moot after the cycle's own failure.</summary>
        public void Dispose()
        {
            DropCandidate();
            Release(_originals, o => o.Dispose());
        }

        private static void Release<T>(Task<T> task, Action<T> dispose)
        {
            Task.WaitAny(task);
            if (task.IsCompletedSuccessfully)
                dispose(task.Result);
            else
                _ = task.Exception;
        }

        /// <param name="Reference">The original on its own copies.</param>
        /// <param name="Fallback">The original the candidate falls back into, on the copies the candidate runs on (as the
        /// live one runs on the live maps).</param>
        public sealed record Originals(CheckCopies Copies, IReadOnlyDictionary<string, BpfMapAccess> Shared, LoadedVariant Reference,
            LoadedVariant Fallback) : IDisposable
        {
            public static Originals Load(LoadedVariant live, byte[] originalElf, IReadOnlySet<string> readOnly, CheckMapPool? pool)
            {
                var copies = new CheckCopies(live);
                var loaded = new List<LoadedVariant>();
                var lease = pool?.Take();
                try
                {
                    var shared = copies.Shared(readOnly);
                    var liveIds = lease is null ? null : copies.LiveIds();
                    foreach (var role in new[] { "reference", "fallback" })
                    {
                        // The copies an earlier cycle kept, brought back to the live contents; the rest made and filled.
                        var kept = lease?.Kept(role, liveIds!).Where(k => !shared.ContainsKey(k.Key)).ToDictionary() ?? [];
                        var variant = LoadedVariant.Load("original", originalElf, live.Program.Name, otherMaps: shared.Concat(kept).ToDictionary(),
                            shapeOwnMaps: copies.Shape);
                        loaded.Add(variant);
                        foreach (var map in variant.Object.Maps.Where(m => !shared.ContainsKey(m.Name)))
                        {
                            if (kept.ContainsKey(map.Name))
                                copies.Refill(map, map.Name);
                            else
                            {
                                copies.Fill(map);
                                if (lease is not null && !map.IsInternal && copies.Keepable(map.Name))
                                    lease.Keep(role, map.Name, map, liveIds![map.Name]);
                            }
                        }
                    }
                    return new Originals(copies, shared, loaded[0], loaded[1]) { Lease = lease };
                }
                catch
                {
                    loaded.ForEach(v => v.Dispose());
                    copies.Dispose();
                    lease?.Dispose();
                    throw;
                }
            }

            /// <summary>The pool of kept copies, held until the check is done with them.</summary>
            public CheckMapPool.Lease? Lease { get; init; }

            public void Dispose()
            {
                Reference.Dispose();
                Fallback.Dispose();
                Copies.Dispose();
                Lease?.Dispose();
            }
        }
    }

    private sealed class StageRelease(List<LoadedVariant> stages) : IDisposable
    {
        public void Dispose() => stages.ForEach(s => s.Dispose());
    }

    private static TimeSpan Lap(Stopwatch clock)
    {
        var elapsed = clock.Elapsed;
        clock.Restart();
        return elapsed;
    }
}
