using Kecleon.Analyses;
using Kecleon.Bpf;
using Kecleon.FrontEnd;
using Kecleon.Helpers;
using Kecleon.Llvm;
using Kecleon.Passes;

namespace Kecleon.Instrumentation.Profiling;

/// <summary>The instrumentation pass's input in a pipeline: its options, and the original IR's fingerprint
/// (<c>Profile.IrFingerprint</c>) carried into the layout.</summary>
public sealed record InstrumentationRequest(InstrumentationOptions? Options = null, string IrHash = "");

/// <summary>What to profile and how often.</summary>
public sealed record InstrumentationOptions
{
    public static readonly InstrumentationOptions Default = new();

    /// <summary>One packet in 2^<see cref="SampleShift"/> records the keys of its profiled lookups (default 1 in 16).</summary>
    public int SampleShift { get; init; } = 4;
    /// <summary>One packet in 2^<see cref="BranchSampleShift"/> (at least <see cref="SampleShift"/>; default 1 in 256) runs
    /// the profiled copy, which also counts the way of every branch. The other sampled packets record their keys in the
    /// program's own code: a copy run once in 16 packets finds its code cold (side by side, keys in the program's own
    /// code and the copy once in 256 measured about a point cheaper than the copy once in 16; docs/instrumentation.md).</summary>
    public int BranchSampleShift { get; init; } = 8;
    /// <summary>Samples only in one kernel tick (jiffy) in 2^<see cref="PeriodShift"/>; the rates above apply within it.
    /// Outside a sampled tick a packet pays one load of the kernel's <c>jiffies</c> (the verifier inlines
    /// <c>bpf_jiffies64</c>) and a test, and touches none of the profiler's memory. 0 (the default) samples all the
    /// time: a replay of a trace through <c>BPF_PROG_TEST_RUN</c> runs in a few ticks, so it must. A live data plane
    /// uses <see cref="Live"/>.</summary>
    public int PeriodShift { get; init; }

    /// <summary>The profiled copy inlined into the program's entry (the default), or a function of its own that a sampled
    /// packet calls (a BPF-to-BPF call): then the program's own code is compiled as if the copy were not there.</summary>
    public bool InlineProfiledCopy { get; init; } = true;

    /// <summary>
    /// For a live data plane (the daemon, and <c>kecleon bench</c>'s <c>instrumented</c> variant): one tick in eight
    /// sampled, and in it one packet in 16 runs the profiled copy, out of line, which records its keys and counts its
    /// branches; the program's own code has nothing but the test at its entry. Measured side by side (three loads of each,
    /// docs/instrumentation.md): on the switch, the per-CPU packet count every packet paid cost about 3 % of its ns/packet
    /// by itself, and the key sites in the program's own code about 4 % more.
    /// </summary>
    public static readonly InstrumentationOptions Live = new() { BranchSampleShift = 4, PeriodShift = 3, InlineProfiledCopy = false };

    /// <summary>
    /// <see cref="Live"/>, built into the specialized program the daemon swaps in: it samples only while the daemon has a
    /// profile window open (<see cref="InstrumentationLayout.WindowMap"/>), and then one kernel tick in 16. Outside a
    /// window a packet pays one load of the window's end and a test at the program's entry. One tick in 16, not eight:
    /// a window now runs in the optimized program, whose ns/packet it must not raise by more than 3 %, and the router's
    /// measured about 3 % dearer in windows of one tick in eight (docs/instrumentation.md).
    /// </summary>
    public static readonly InstrumentationOptions LiveWindowed = Live with { Windowed = true, PeriodShift = 4 };

    /// <summary>Every packet runs the profiled copy: exact counts of every branch and key, for a trace replayed through
    /// <c>BPF_PROG_TEST_RUN</c> (<c>kecleon bench --trace-profile</c>); never for a live data plane. Keys of up to 64 bytes
    /// are recorded whole; the reader must read the ring at least every <see cref="RingSlots"/> samples.</summary>
    public static readonly InstrumentationOptions Exact = new() { SampleShift = 0, BranchSampleShift = 0, RingSlots = 256, KeyBytes = 64 };

    /// <summary>Nothing is sampled unless a profile window is open: user space writes the window's end into
    /// <see cref="InstrumentationLayout.WindowMap"/>, and the window closes by itself at that time.</summary>
    public bool Windowed { get; init; }
    /// <summary>Samples kept per CPU between two reads (a power of two; with <see cref="KeyBytes"/> + 16 bytes each, at most
    /// the 32 KiB of a per-CPU value); older ones are overwritten. 512: 4,096 packets at the default rate, which
    /// <c>kecleon profile</c> reads after each replay of its trace and the daemon every 100 ms.</summary>
    public int RingSlots { get; init; } = 512;
    /// <summary>Bytes of a key recorded (a multiple of 8); longer keys are cut.</summary>
    public int KeyBytes { get; init; } = 32;
    /// <summary>Branch counters per element of <see cref="InstrumentationLayout.BranchMap"/> at most (even; a program with
    /// more branches gets more elements, one per-CPU lookup per element a profiled function uses).</summary>
    public int CountersPerElement { get; init; } = InstrumentationLayout.MaxCountersPerElement;
    /// <summary>Which lookup sites (<see cref="HelperCallSite.Index"/>) record their keys, given the program's analysis:
    /// the ones the optimizer's plan could give hot keys (the runtime sets its planner here). Null: none.</summary>
    public Func<ProgramAnalysis, IReadOnlySet<int>>? KeyProfileSites { get; init; }
}

/// <summary>A lookup site whose keys are sampled.</summary>
public sealed record ProfiledSite(int Site, string Map, string Function, int KeySize);

/// <summary>A conditional branch: counters 2 × <see cref="Index"/> (first successor) and 2 × <see cref="Index"/> + 1.</summary>
public sealed record ProfiledBranch(int Index, string Function, int Block);

/// <summary>What a profile of a program is about, numbered on the program as parsed (the original): its entries, its
/// conditional branches and the lookup sites whose keys are recorded. <see cref="InstrumentationPass.Tag"/> tags them in
/// its IR, so that they can be found again in a program the optimizer made of it.</summary>
public sealed record ProfilePoints(
    IReadOnlyList<string> Entries, IReadOnlyList<ProfiledBranch> Branches, IReadOnlyList<ProfiledSite> Sites, string IrHash);

/// <summary>What an instrumented program records and where: pure data, what the runtime needs to read its maps. Sites
/// and branches are the original's (<see cref="ProfilePoints"/>) that the instrumented program still has.</summary>
public sealed record InstrumentationLayout(
    string Program, string IrHash, int SampleShift, int RingSlots, int KeyBytes,
    IReadOnlyList<ProfiledSite> Sites, IReadOnlyList<ProfiledBranch> Branches, int BranchSampleShift, int PeriodShift = 0, bool Windowed = false)
{
    /// <summary>A windowed program's profile window (<see cref="InstrumentationOptions.Windowed"/>): one element,
    /// <c>{u64 until}</c>, the <c>CLOCK_MONOTONIC</c> time in ns the window ends at; 0 when closed.</summary>
    public const string WindowMap = "kecleon_prof_window";
    public const string StateMap = "kecleon_prof_state";
    /// <summary>Per CPU, one element: <see cref="RingSlots"/> samples (<see cref="ProfileRecordLayout.Sample"/>).</summary>
    public const string RingMap = "kecleon_prof_ring";
    /// <summary>The largest per-CPU value the kernel allocates.</summary>
    public const int MaxPerCpuValue = 32768;
    /// <summary>Per CPU, the branch counters: counter <c>c</c> (2i for branch i's first successor, 2i + 1 for its second)
    /// is the u64 at <c>c % n</c> of element <c>c / n</c>, where n is the value size over 8 (all the counters, unless
    /// there are more than <see cref="InstrumentationOptions.CountersPerElement"/>).</summary>
    public const string BranchMap = "kecleon_prof_branches";
    /// <summary>Branch counters per element of <see cref="BranchMap"/> at most by default (16 KiB: a per-CPU value holds
    /// 32 KiB).</summary>
    public const int MaxCountersPerElement = 2048;
    /// <summary>Recently sampled packets shorter than <see cref="PacketBytes"/> (XDP programs): per CPU, slots of
    /// <see cref="ProfileRecordLayout.Packet"/>.</summary>
    public const string PacketMap = "kecleon_prof_packets";
    public const int PacketBytes = ProfileRecordLayout.Packet.MaxBytes;
    public static readonly IReadOnlySet<string> Maps = new HashSet<string> { StateMap, RingMap, BranchMap, PacketMap, WindowMap };

    /// <summary>Packets per packet whose keys are sampled, sampled ticks included.</summary>
    public long SampleRate => 1L << (SampleShift + PeriodShift);

    /// <summary>Packets per packet whose branches are counted, sampled ticks included.</summary>
    public long BranchSampleRate => 1L << (BranchSampleShift + PeriodShift);

    /// <summary>Packets per packet counted in <see cref="StateMap"/> (which counts the sampled ticks' packets only).</summary>
    public long PacketRate => 1L << PeriodShift;
}

/// <summary>
/// Makes a program record a sampled profile of itself without changing what it does. The program is versioned: a copy of
/// it (every function renamed <c>*.kecleon.profiled</c>, sharing the original's maps and globals) counts both ways of each
/// conditional branch and copies the key of each profiled lookup into a per-CPU ring (<c>profile_prelude.bpf.c</c>,
/// linked in). Each program entry gets a new first block that sends one packet in 2^branch-shift to the copy and tells
/// the program's own code, through a stack slot, when a packet records its keys (one in 2^shift):
/// <code>
/// kecleon.profile:                                  ; new entry: the original entry's allocas, then
///   %s = call i32 @kecleon_prof_enter()             ; a per-CPU packet count: 2 runs the copy, 1 records keys, 0 neither
///   store volatile i32 %s, i32* %kecleon.keys
///   br (icmp eq %s, 2), label %kecleon.sampled, label %entry, !prof {1, 2^branch-shift - 1}
/// kecleon.sampled:
///   %v = call i32 @router.kecleon.profiled(%ctx)    ; always-inline; at each profiled function's entry
///   ret i32 %v                                      ;   %c = call i64* @kecleon_prof_counter_slot(i32 0)
///                                                   ;   %p = call %cpu* @kecleon_prof_this_cpu()
///                                                   ; then before each branch and profiled lookup:
///                                                   ;   call void @kecleon_prof_branch(i64* %c, i32 2i, i32 (zext %b))
///                                                   ;   call void @kecleon_prof_lookup(%cpu* %p, i32 site, i8* %key, i32 8)
/// entry: ...                                        ; the program's own code; before each profiled lookup
///   call void @kecleon_prof_key(i32 (load volatile %kecleon.keys), i32 site, i8* %key, i32 8)
/// </code>
/// With <see cref="InstrumentationOptions.Live"/> (a live data plane) only one kernel tick in eight is sampled, one
/// packet in 16 of such a tick runs the copy, called out of line, and the program's own code records nothing: a packet
/// outside a sampled tick pays one load of <c>jiffies</c> and a test, nothing else.
/// At the default rates, a packet that records nothing pays one per-CPU lookup, an increment, two tests and, per profiled lookup, a load and a
/// branch; the original code it runs is otherwise untouched, so LLVM optimizes it as before, and the branch weights
/// keep it on the fall-through path with the profiled copy's blocks laid out after it. A packet that records its keys
/// pays a per-CPU lookup and an inline copy per key; one that runs the copy, one per-CPU lookup per profiled function,
/// a load, an add and a store per branch and an inline copy per key. Sites and branches are numbered on the program as
/// parsed (site index in module order, block index in function order) and tagged in its IR (<see cref="Tag"/>), so that
/// a program the optimizer made of it (<c>Specializer.SpecializeAndInstrument</c>) is instrumented in the original's
/// numbering; with <see cref="InstrumentationOptions.Windowed"/> it samples only in a window user space opens.
/// </summary>
public sealed class InstrumentationPass : IModulePass
{
    public string Name => "instrumentation";

    /// <summary>As a pipeline's pass: instruments the context's module with the <see cref="InstrumentationRequest"/>
    /// provided (the defaults without one) and provides the <see cref="InstrumentationLayout"/> for the caller. After
    /// <see cref="ProfilePointsPass"/> (the <see cref="ProfilePoints"/> it provides), it instruments what is left of the
    /// points it tagged on the module as parsed.</summary>
    public PassResult Run(PassContext context)
    {
        var request = context.TryInput<InstrumentationRequest>(out var provided) ? provided : new InstrumentationRequest();
        context.Provide(context.TryInput<ProfilePoints>(out var points)
            ? Run(context.Module, points, request.Options)
            : Run(context.Module, request.Options, request.IrHash));
        return PassResult.ChangedKeeping();
    }

    public const string PreludeResource = "profile_prelude.bpf.c";
    private const string PreludeHeader = "kecleon_prof.h";
    public const string ProfiledSuffix = ".kecleon.profiled";
    private const string EnterFunction = "kecleon_prof_enter";
    private const string KeyFunction = "kecleon_prof_key";
    private const string KeysSampledFunction = "kecleon_prof_keys_sampled";
    private const string PacketFunction = "kecleon_prof_packet";
    private const string BranchFunction = "kecleon_prof_branch";
    private const string LookupFunction = "kecleon_prof_lookup";
    private const string StateFunction = "kecleon_prof_this_cpu";
    private const string CountersFunction = "kecleon_prof_counter_slot";

    /// <summary>Instruments <paramref name="module"/> in place (pass a clone to keep the original).</summary>
    /// <param name="irHash">The original IR's fingerprint (<c>Profile.IrFingerprint</c>), carried into the layout.</param>
    public static InstrumentationLayout Run(LlvmModule module, InstrumentationOptions? options = null, string irHash = "")
    {
        options ??= InstrumentationOptions.Default;
        Validate(options);
        ProfilePoints points;
        using (var analysis = ProgramAnalysis.Analyze(module))
            points = Tag(module, analysis, options, irHash);
        return Run(module, points, options);
    }

    /// <summary>
    /// Numbers what a profile of <paramref name="module"/> is about, before anything changes it: its conditional branches
    /// (by block index in function order) and the lookup sites <see cref="InstrumentationOptions.KeyProfileSites"/> picks (by
    /// site index); and tags each in the IR (<c>!kecleon.branch</c>, <c>!kecleon.site</c>), so that
    /// <see cref="Run(LlvmModule, ProfilePoints, InstrumentationOptions?)"/> finds them again in the program the
    /// optimizer made of it. <paramref name="analysis"/> must be the analysis of <paramref name="module"/> as it is now.
    /// </summary>
    public static ProfilePoints Tag(LlvmModule module, ProgramAnalysis analysis, InstrumentationOptions? options = null, string irHash = "")
    {
        options ??= InstrumentationOptions.Default;
        if (analysis.Programs.Count == 0)
            throw new InvalidInputException($"{module.Identifier}: no program entry (a function in its own SEC) to instrument");
        var context = module.Context;
        var entries = analysis.Programs.Select(p => p.Name).ToList();
        var functions = analysis.Programs.SelectMany(p => p.Functions).Distinct().ToList();
        var branches = new List<ProfiledBranch>();
        foreach (var function in functions)
            foreach (var block in analysis.ControlFlow(function).Blocks)
                if (block.Terminator is { BranchCondition: not null } terminator)
                {
                    terminator.SetTag(context, BranchTag, (uint)branches.Count);
                    branches.Add(new ProfiledBranch(branches.Count, function.Name, block.Index));
                }
        var instrumented = functions.ToHashSet();
        var sites = new List<ProfiledSite>();
        var keySites = options.KeyProfileSites?.Invoke(analysis) ?? new HashSet<int>();
        foreach (var site in analysis.LookupSites.Where(s => instrumented.Contains(s.Function) && keySites.Contains(s.Index)))
        {
            site.Call.SetTag(context, SiteTag, (uint)site.Index);
            site.Call.SetTag(context, KeyArgumentTag, 1);
            sites.Add(new ProfiledSite(site.Index, site.Maps[0].Name, site.Function.Name, site.Maps[0].KeySize));
        }
        return new ProfilePoints(entries, branches, sites, irHash);
    }

    /// <summary>For a pass that replaces a tagged lookup (<paramref name="lookup"/>) with a call that takes the same key
    /// (<paramref name="replacement"/>, a hot-key check, say): the replacement is that site from now on, so a profile of
    /// the optimized program records the key there, before the check.</summary>
    public static void CarrySiteTag(LlvmContext context, LlvmInstruction lookup, LlvmInstruction replacement)
    {
        if (lookup.Tag(context, SiteTag) is not { } site || lookup.Tag(context, KeyArgumentTag) is not { } keyArgument)
            return;
        var key = lookup.Argument((int)keyArgument);
        for (var i = 0; i < replacement.ArgumentCount; i++)
            if (replacement.Argument(i) == key)
            {
                replacement.SetTag(context, SiteTag, site);
                replacement.SetTag(context, KeyArgumentTag, (uint)i);
                return;
            }
    }

    /// <summary>
    /// Instruments <paramref name="module"/>, which <see cref="Tag"/> tagged and the optimizer may have changed since (the
    /// specialized program), in place. The profile stays in the original's coordinates: the branches of the original that
    /// are still there are counted under the original's block numbers (a branch the optimizer copied counts in all its
    /// copies; one it folded away is not in the layout), and the keys of the tagged lookups that are still there are
    /// recorded under their site numbers (a hot-key check carries its lookup's tag, so its key is recorded before the
    /// check; a lookup inlined whole is gone, and needs no keys).
    /// </summary>
    public static InstrumentationLayout Run(LlvmModule module, ProfilePoints points, InstrumentationOptions? options = null)
    {
        options ??= InstrumentationOptions.Default;
        Validate(options);
        var context = module.Context;

        // Mutable module-local data must be shared by both versions, so it becomes visible to the linker.
        foreach (var global in module.Globals.Where(g => g.IsLocal && !g.IsConstant && !g.Name.StartsWith("llvm.", StringComparison.Ordinal)))
            global.Linkage = LlvmLinkage.External;

        using var copy = module.Clone();
        // What is left of the tagged branches and sites: in the copy (instrumented) and in the program's own code.
        var taggedBranches = new List<(LlvmInstruction Terminator, int Original)>();
        var taggedSites = new List<(LlvmInstruction Call, int Site, int KeyArgument)>();
        Tagged(context, copy, taggedBranches, taggedSites);
        var ownTagged = new List<(LlvmInstruction Call, int Site, int KeyArgument)>();
        if (options.BranchSampleShift > options.SampleShift)
            Tagged(context, module, [], ownTagged);
        // The branches left, numbered densely; each keeps the original's function and block.
        var present = taggedBranches.Select(b => b.Original).Distinct().Order().ToList();
        var denseOf = present.Select((original, dense) => (original, dense)).ToDictionary(p => p.original, p => p.dense);
        var layoutBranches = present.Select(o => points.Branches[o] with { Index = denseOf[o] }).ToList();
        var branches = taggedBranches.Select(b => (b.Terminator, Index: denseOf[b.Original])).ToList();
        var siteOf = points.Sites.ToDictionary(s => s.Site);
        var sites = taggedSites.Where(t => siteOf.ContainsKey(t.Site)).ToList();
        var ownSites = ownTagged.Where(t => siteOf.ContainsKey(t.Site)).ToList();
        var layoutSites = points.Sites.Where(s => sites.Any(t => t.Site == s.Site)).ToList();
        var entries = points.Entries;

        // The copy keeps only code: its maps and globals resolve to the original's when it is linked in.
        foreach (var global in copy.Globals.ToList())
        {
            if (global.Name is "llvm.used" or "llvm.compiler.used")
                global.Delete();
            else if (!global.IsLocal && !global.IsDeclaration && !global.Name.StartsWith("llvm.", StringComparison.Ordinal))
                global.MakeDeclaration();
        }
        foreach (var function in copy.Functions.Where(f => !f.IsDeclaration).ToList())
        {
            // Made internal after linking: the linker drops local functions nothing references yet.
            function.Rename(function.Name + ProfiledSuffix);
            function.Linkage = LlvmLinkage.External;
            function.SectionName = ".text";
        }
        RetypeStructPassthroughs(module, context);
        RetypeStructPassthroughs(copy, context);
        var counters = Math.Max(2, 2 * branches.Count);
        var slotCounters = Math.Min(counters, options.CountersPerElement);
        copy.Link(CPrelude.Load(module.Context, typeof(InstrumentationPass).Assembly, PreludeResource,
        [
            $"-DKECLEON_SAMPLE_SHIFT={options.SampleShift}", $"-DKECLEON_BRANCH_SHIFT={options.BranchSampleShift}",
            $"-DKECLEON_PERIOD_SHIFT={options.PeriodShift}", $"-DKECLEON_WINDOWED={(options.Windowed ? 1 : 0)}",
            $"-DKECLEON_KEEP_SHIFT={Math.Max(0, 8 - options.BranchSampleShift)}", $"-DKECLEON_RING={options.RingSlots}",
            $"-DKECLEON_KEY_BYTES={options.KeyBytes}", $"-DKECLEON_SLOT_COUNTERS={slotCounters}",
            $"-DKECLEON_COUNTER_SLOTS={(counters + slotCounters - 1) / slotCounters}",
        ], [PreludeHeader]));

        using var builder = new LlvmBuilder(context);
        var branch = copy.GetFunction(BranchFunction)!.Value;
        var lookup = copy.GetFunction(LookupFunction)!.Value;
        var state = copy.GetFunction(StateFunction)!.Value;
        var counterSlot = copy.GetFunction(CountersFunction)!.Value;
        // Each profiled function looks its state and counter elements up once, at its entry (after the allocas, which
        // must stay first): every branch and lookup below it uses them.
        var states = new Dictionary<LlvmFunction, LlvmValue>();
        var slots = new Dictionary<(LlvmFunction, int), LlvmValue>();
        LlvmValue AtEntry(LlvmFunction function, Func<LlvmValue> make)
        {
            var entry = function.EntryBlock;
            builder.PositionBefore(entry.Instructions.First(i => i.Opcode != LlvmOpcode.Alloca));
            builder.DebugLocation = AnyLocation(function);
            return make();
        }
        foreach (var (call, site, keyArgument) in sites)
        {
            var function = call.Block.Parent;
            if (!states.TryGetValue(function, out var cpu))
                states[function] = cpu = AtEntry(function, () => builder.Call(state.FunctionType, state.Value, []));
            Position(builder, call);
            var key = builder.BitCast(call.Argument(keyArgument), context.Int8.PointerTo());
            builder.Call(lookup.FunctionType, lookup.Value,
                [cpu, context.Int32.ConstInt((ulong)site), key, context.Int32.ConstInt((ulong)Math.Min(siteOf[site].KeySize, options.KeyBytes))]);
        }
        foreach (var (terminator, index) in branches)
        {
            var function = terminator.Block.Parent;
            var slot = 2 * index / slotCounters;
            if (!slots.TryGetValue((function, slot), out var element))
                slots[(function, slot)] = element = AtEntry(function, () =>
                    builder.Call(counterSlot.FunctionType, counterSlot.Value, [context.Int32.ConstInt((ulong)slot)]));
            Position(builder, terminator);
            var way = builder.ZExt(terminator.BranchCondition!.Value, context.Int32);
            builder.Call(branch.FunctionType, branch.Value, [element, context.Int32.ConstInt((ulong)(2 * index % slotCounters)), way]);
        }

        // The profiled functions and the prelude's.
        var copies = copy.Functions.Where(f => !f.IsDeclaration).Select(f => f.Name).ToList();
        module.Link(copy);
        foreach (var name in copies)
        {
            var function = module.GetFunction(name)!.Value;
            function.Linkage = LlvmLinkage.Internal;
        }
        var enter = module.GetFunction(EnterFunction)!.Value;
        var keepPacket = module.GetFunction(PacketFunction)!.Value;
        // Where a function's own code finds whether the packet records its keys: an entry's stack slot, written by the
        // dispatch (a value kept in a register from the entry to the lookups cost the balancer a callee-saved register,
        // measured 2 % slower); another function asks once, at its entry.
        var sampledIn = new Dictionary<LlvmFunction, Func<LlvmValue>>();
        foreach (var name in entries)
        {
            var profiledCopy = module.GetFunction(name + ProfiledSuffix) ?? throw new InvalidOperationException($"the profiled copy of {name} is missing");
            profiledCopy.AddAttribute(context, options.InlineProfiledCopy ? "alwaysinline" : "noinline");
            var entry = module.GetFunction(name)!.Value;
            var slot = Dispatch(module, entry, profiledCopy, enter, options.BranchSampleShift,
                entry.Section.StartsWith("xdp", StringComparison.Ordinal) && entry.ParameterCount == 1 ? keepPacket : null,
                keysInOwnCode: ownSites.Count > 0);
            if (slot is { } keys)
                sampledIn[entry] = () => builder.VolatileLoad(context.Int32, keys, "kecleon.keys");
        }
        // The program's own code records the keys of a packet whose keys alone are sampled.
        if (ownSites.Count > 0)
        {
            var record = module.GetFunction(KeyFunction)!.Value;
            var keysSampled = module.GetFunction(KeysSampledFunction)!.Value;
            foreach (var (call, site, keyArgument) in ownSites)
            {
                var function = call.Block.Parent;
                if (!sampledIn.TryGetValue(function, out var sampled))
                {
                    var asked = AtEntry(function, () => builder.Call(keysSampled.FunctionType, keysSampled.Value, []));
                    sampledIn[function] = sampled = () => asked;
                }
                Position(builder, call);
                builder.Call(record.FunctionType, record.Value,
                [
                    sampled(), context.Int32.ConstInt((ulong)site), builder.BitCast(call.Argument(keyArgument), context.Int8.PointerTo()),
                    context.Int32.ConstInt((ulong)Math.Min(siteOf[site].KeySize, options.KeyBytes)),
                ]);
            }
        }
        if (module.Verify() is { } broken)
            throw new KecleonException($"{module.Identifier}: instrumentation broke the IR: {broken}");
        return new InstrumentationLayout(entries[0], points.IrHash, options.SampleShift, options.RingSlots, options.KeyBytes,
            layoutSites, layoutBranches, options.BranchSampleShift, options.PeriodShift, options.Windowed);
    }

    private const string BranchTag = "kecleon.branch", SiteTag = "kecleon.site", KeyArgumentTag = "kecleon.key";

    /// <summary>The tagged branches and lookup sites of <paramref name="module"/>'s functions.</summary>
    private static void Tagged(LlvmContext context, LlvmModule module, List<(LlvmInstruction, int)> branches, List<(LlvmInstruction, int, int)> sites)
    {
        foreach (var function in module.Functions.Where(f => !f.IsDeclaration))
            foreach (var block in function.Blocks)
                foreach (var instruction in block.Instructions)
                {
                    if (instruction.Opcode == LlvmOpcode.Call && instruction.Tag(context, SiteTag) is { } site)
                        sites.Add((instruction, (int)site, (int)(instruction.Tag(context, KeyArgumentTag) ?? 1)));
                    else if (instruction.IsTerminator && instruction.Tag(context, BranchTag) is { } branch && instruction.BranchCondition is not null)
                        branches.Add((instruction, (int)branch));
                }
    }

    private static void Validate(InstrumentationOptions options)
    {
        if (options.RingSlots <= 0 || (options.RingSlots & (options.RingSlots - 1)) != 0)
            throw new ArgumentException($"ring slots must be a power of two, not {options.RingSlots}", nameof(options));
        if (options.KeyBytes <= 0 || options.KeyBytes % 8 != 0)
            throw new ArgumentException($"key bytes must be a positive multiple of 8, not {options.KeyBytes}", nameof(options));
        if ((long)options.RingSlots * ProfileRecordLayout.Sample.Size(options.KeyBytes) > InstrumentationLayout.MaxPerCpuValue)
            throw new ArgumentException($"a ring of {options.RingSlots} samples of {options.KeyBytes}-byte keys takes {(long)options.RingSlots * ProfileRecordLayout.Sample.Size(options.KeyBytes)} bytes per CPU, over the {InstrumentationLayout.MaxPerCpuValue} of a per-CPU value", nameof(options));
        if (options.CountersPerElement is < 2 or > 4096 || options.CountersPerElement % 2 != 0)
            throw new ArgumentException($"counters per element must be even and 2..4096, not {options.CountersPerElement}", nameof(options));
        if (options.SampleShift is < 0 or > 30)
            throw new ArgumentException($"sample shift must be 0..30, not {options.SampleShift}", nameof(options));
        if (options.BranchSampleShift < options.SampleShift || options.BranchSampleShift > 30)
            throw new ArgumentException($"branch sample shift must be {options.SampleShift}..30 (at least the key sample shift), not {options.BranchSampleShift}", nameof(options));
        if (options.PeriodShift is < 0 or > 16)
            throw new ArgumentException($"period shift must be 0..16 (one kernel tick in 2^N sampled), not {options.PeriodShift}", nameof(options));
    }

    /// <summary>A new entry block for <paramref name="entry"/> that sends the packets whose branches are sampled to
    /// <paramref name="profiled"/> (after <paramref name="keepPacket"/> copied their first bytes, for XDP programs).
    /// With <paramref name="keysInOwnCode"/>, returns the stack slot that holds <c>kecleon_prof_enter</c>'s answer, for
    /// the key records of the program's own code; without, every packet is spared the store.</summary>
    private static LlvmValue? Dispatch(LlvmModule module, LlvmFunction entry, LlvmFunction profiled, LlvmFunction enter, int branchShift,
        LlvmFunction? keepPacket, bool keysInOwnCode)
    {
        var context = module.Context;
        var location = AnyLocation(entry);
        using var builder = new LlvmBuilder(context);
        // The allocas stay static: in the entry block, above the call that LLVM will inline.
        var oldEntry = entry.PrependEntry(context, builder, "kecleon.profile", location);
        var sampled = entry.AppendBlock(context, "kecleon.sampled");
        var slot = keysInOwnCode ? builder.Alloca(context.Int32, "kecleon.keys") : (LlvmValue?)null;
        var isSampled = builder.Call(enter.FunctionType, enter.Value, [], "kecleon.sampled");
        if (slot is { } keys)
            builder.VolatileStore(isSampled, keys);
        var dispatch = builder.CondBr(builder.ICmp(LlvmIntPredicate.Eq, isSampled, context.Int32.ConstInt(2)), sampled, oldEntry);
        // Without weights, block placement interleaves the profiled copy's blocks with the original's and merges their
        // common tails, so unsampled packets jump across the profiled code (measured: about 5% on the switch).
        dispatch.SetBranchWeights(context, [1, (uint)Math.Min((1L << branchShift) - 1, uint.MaxValue)]);

        builder.PositionAtEnd(sampled);
        builder.DebugLocation = location;
        var arguments = Enumerable.Range(0, entry.ParameterCount).Select(entry.Parameter).ToArray();
        if (keepPacket is { } keep)
            builder.Call(keep.FunctionType, keep.Value, [builder.BitCast(arguments[0], context.Int8.PointerTo())]);
        var verdict = builder.Call(profiled.FunctionType, profiled.Value, arguments);
        builder.Ret(verdict);
        return slot;
    }
    /// <summary>Before <paramref name="instruction"/>, with its debug location or, lacking one, any of its function's
    /// (LLVM requires a location on calls to inlinable functions in functions with debug info).</summary>
    /// <summary>
    /// A CO-RE field address (vmlinux.h types, <c>preserve_access_index</c>) reaches the code through an
    /// <c>llvm.bpf.passthrough</c> call overloaded on the field's type. When that type is a named struct, the intrinsic's
    /// name mangles the struct's name, and LLVM 14's IR linker crashes (a segfault, not an error) mapping the copy's
    /// declaration onto the original's (the two share their types, and the linker takes the names of the types it maps
    /// off the source's). In both, each such call becomes the <c>i8*</c> overload between two bitcasts: the same barrier
    /// to code motion, on a type whose name does not matter.
    /// </summary>
    private static void RetypeStructPassthroughs(LlvmModule copy, LlvmContext context)
    {
        var bytes = context.Int8.PointerTo();
        LlvmFunction? byteway = null;
        using var builder = new LlvmBuilder(context);
        foreach (var function in copy.Functions.Where(f => !f.IsDeclaration).ToList())
            foreach (var call in function.Blocks.SelectMany(b => b.Instructions).Where(i => i.Opcode == LlvmOpcode.Call).ToList())
            {
                var callee = call.Operand(call.OperandCount - 1).Name;
                if (!callee.StartsWith("llvm.bpf.passthrough.", StringComparison.Ordinal) || !callee.Contains("s_", StringComparison.Ordinal))
                    continue;
                byteway ??= copy.Intrinsic("llvm.bpf.passthrough", bytes, bytes);
                builder.PositionBefore(call);
                var through = builder.Call(byteway.Value.FunctionType, byteway.Value.Value, [call.Operand(0), builder.BitCast(call.Operand(1), bytes)]);
                call.Value.ReplaceAllUsesWith(builder.BitCast(through, call.Type));
                call.EraseFromParent();
            }
    }

    private static void Position(LlvmBuilder builder, LlvmInstruction instruction)
    {
        builder.PositionBefore(instruction);
        if (builder.DebugLocation == 0)
            builder.DebugLocation = AnyLocation(instruction.Block.Parent);
    }

    private static nint AnyLocation(LlvmFunction function) =>
        function.Blocks.SelectMany(b => b.Instructions).Select(i => i.RawDebugLocation).FirstOrDefault(l => l != 0);
}

/// <summary>
/// The first pass of a pipeline that ends with <see cref="InstrumentationPass"/> over code other passes rewrote: it tags,
/// on the module as parsed, what a profile is about (<see cref="InstrumentationPass.Tag"/>: metadata only) and provides
/// the <see cref="ProfilePoints"/>, so the instrumentation records what is left of them in the original's numbering.
/// Needs the module's <see cref="ProgramAnalysis"/> as an input.
/// </summary>
public sealed class ProfilePointsPass : IModulePass
{
    public string Name => "profile-points";

    public PassResult Run(PassContext context)
    {
        var request = context.TryInput<InstrumentationRequest>(out var provided) ? provided : new InstrumentationRequest();
        context.Provide(InstrumentationPass.Tag(context.Module, context.Input<ProgramAnalysis>(), request.Options, request.IrHash));
        return PassResult.Unchanged;
    }
}
