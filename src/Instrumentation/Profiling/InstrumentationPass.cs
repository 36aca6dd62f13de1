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

/// <summary>What an instrumented program records and where: pure data, what the runtime needs to read its maps.</summary>
public sealed record InstrumentationLayout(
    string Program, string IrHash, int SampleShift, int RingSlots, int KeyBytes,
    IReadOnlyList<ProfiledSite> Sites, IReadOnlyList<ProfiledBranch> Branches, int BranchSampleShift, int PeriodShift = 0)
{
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
    public static readonly IReadOnlySet<string> Maps = new HashSet<string> { StateMap, RingMap, BranchMap, PacketMap };

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
/// a load, an add and a store per branch and an inline copy per key. Sites and branches are numbered on the unmodified
/// copy (site index in module order, block index in function order), which is the original's numbering.
/// </summary>
public sealed class InstrumentationPass : IModulePass
{
    public string Name => "instrumentation";

    /// <summary>As a pipeline's pass: instruments the context's module with the <see cref="InstrumentationRequest"/>
    /// provided (the defaults without one) and provides the <see cref="InstrumentationLayout"/> for the caller.</summary>
    public PassResult Run(PassContext context)
    {
        var request = context.TryInput<InstrumentationRequest>(out var provided) ? provided : new InstrumentationRequest();
        context.Provide(Run(context.Module, request.Options, request.IrHash));
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

        // Mutable module-local data must be shared by both versions, so it becomes visible to the linker.
        foreach (var global in module.Globals.Where(g => g.IsLocal && !g.IsConstant && !g.Name.StartsWith("llvm.", StringComparison.Ordinal)))
            global.Linkage = LlvmLinkage.External;

        using var copy = module.Clone();
        // Number everything on the unmodified copy: sites in module order, branches by block index in function order.
        var sites = new List<(HelperCallSite Site, ProfiledSite Profiled)>();
        var branches = new List<(LlvmInstruction Terminator, ProfiledBranch Profiled)>();
        List<string> entries;
        using (var analysis = ProgramAnalysis.Analyze(copy))
        {
            if (analysis.Programs.Count == 0)
                throw new InvalidInputException($"{module.Identifier}: no program entry (a function in its own SEC) to instrument");
            entries = analysis.Programs.Select(p => p.Name).ToList();
            var functions = analysis.Programs.SelectMany(p => p.Functions).Distinct().ToList();
            foreach (var function in functions)
                foreach (var block in analysis.ControlFlow(function).Blocks)
                    if (block.Terminator is { BranchCondition: not null } terminator)
                        branches.Add((terminator, new ProfiledBranch(branches.Count, function.Name, block.Index)));
            var instrumented = functions.ToHashSet();
            var keySites = options.KeyProfileSites?.Invoke(analysis) ?? new HashSet<int>();
            foreach (var site in analysis.LookupSites.Where(s => instrumented.Contains(s.Function) && keySites.Contains(s.Index)))
                sites.Add((site, new ProfiledSite(site.Index, site.Maps[0].Name, site.Function.Name, site.Maps[0].KeySize)));
        }
        // The same sites in the program's own code, which records the keys of the packets that do not run the copy.
        var ownSites = new List<(LlvmInstruction Call, ProfiledSite Profiled)>();
        if (options.BranchSampleShift > options.SampleShift && sites.Count > 0)
            using (var own = ProgramAnalysis.Analyze(module))
            {
                var byIndex = own.LookupSites.ToDictionary(s => s.Index);
                ownSites.AddRange(sites.Select(s => (byIndex[s.Profiled.Site].Call, s.Profiled)));
            }

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
        var counters = Math.Max(2, 2 * branches.Count);
        var slotCounters = Math.Min(counters, options.CountersPerElement);
        copy.Link(CPrelude.Load(module.Context, typeof(InstrumentationPass).Assembly, PreludeResource,
        [
            $"-DKECLEON_SAMPLE_SHIFT={options.SampleShift}", $"-DKECLEON_BRANCH_SHIFT={options.BranchSampleShift}",
            $"-DKECLEON_PERIOD_SHIFT={options.PeriodShift}",
            $"-DKECLEON_KEEP_SHIFT={Math.Max(0, 8 - options.BranchSampleShift)}", $"-DKECLEON_RING={options.RingSlots}",
            $"-DKECLEON_KEY_BYTES={options.KeyBytes}", $"-DKECLEON_SLOT_COUNTERS={slotCounters}",
            $"-DKECLEON_COUNTER_SLOTS={(counters + slotCounters - 1) / slotCounters}",
        ], [PreludeHeader]));

        var context = module.Context;
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
        foreach (var (site, profiled) in sites)
        {
            var function = site.Call.Block.Parent;
            if (!states.TryGetValue(function, out var cpu))
                states[function] = cpu = AtEntry(function, () => builder.Call(state.FunctionType, state.Value, []));
            Position(builder, site.Call);
            var key = builder.BitCast(site.Call.Argument(1), context.Int8.PointerTo());
            builder.Call(lookup.FunctionType, lookup.Value,
                [cpu, context.Int32.ConstInt((ulong)profiled.Site), key, context.Int32.ConstInt((ulong)Math.Min(profiled.KeySize, options.KeyBytes))]);
        }
        foreach (var (terminator, profiled) in branches)
        {
            var function = terminator.Block.Parent;
            var slot = 2 * profiled.Index / slotCounters;
            if (!slots.TryGetValue((function, slot), out var element))
                slots[(function, slot)] = element = AtEntry(function, () =>
                    builder.Call(counterSlot.FunctionType, counterSlot.Value, [context.Int32.ConstInt((ulong)slot)]));
            Position(builder, terminator);
            var way = builder.ZExt(terminator.BranchCondition!.Value, context.Int32);
            builder.Call(branch.FunctionType, branch.Value, [element, context.Int32.ConstInt((ulong)(2 * profiled.Index % slotCounters)), way]);
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
            foreach (var (call, profiled) in ownSites)
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
                    sampled(), context.Int32.ConstInt((ulong)profiled.Site), builder.BitCast(call.Argument(1), context.Int8.PointerTo()),
                    context.Int32.ConstInt((ulong)Math.Min(profiled.KeySize, options.KeyBytes)),
                ]);
            }
        }
        if (module.Verify() is { } broken)
            throw new KecleonException($"{module.Identifier}: instrumentation broke the IR: {broken}");
        return new InstrumentationLayout(entries[0], irHash, options.SampleShift, options.RingSlots, options.KeyBytes,
            sites.Select(s => s.Profiled).ToList(), branches.Select(b => b.Profiled).ToList(), options.BranchSampleShift, options.PeriodShift);
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
    private static void Position(LlvmBuilder builder, LlvmInstruction instruction)
    {
        builder.PositionBefore(instruction);
        if (builder.DebugLocation == 0)
            builder.DebugLocation = AnyLocation(instruction.Block.Parent);
    }

    private static nint AnyLocation(LlvmFunction function) =>
        function.Blocks.SelectMany(b => b.Instructions).Select(i => i.RawDebugLocation).FirstOrDefault(l => l != 0);
}
