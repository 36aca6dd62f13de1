using Kecleon.Analyses;
using Kecleon.Bpf;
using Kecleon.FrontEnd;
using Kecleon.Helpers;
using Kecleon.Llvm;

namespace Kecleon.Instrumentation.Profiling;

/// <summary>What to profile and how often.</summary>
public sealed record InstrumentationOptions
{
    public static readonly InstrumentationOptions Default = new();

    /// <summary>One packet in 2^<see cref="SampleShift"/> is sampled (default 1 in 16).</summary>
    public int SampleShift { get; init; } = 4;
    /// <summary>Samples kept per CPU between two reads (a power of two); older ones are overwritten.</summary>
    public int RingSlots { get; init; } = 4096;
    /// <summary>Bytes of a key recorded (a multiple of 8); longer keys are cut.</summary>
    public int KeyBytes { get; init; } = 32;
    /// <summary>Branch counters per element of <see cref="InstrumentationLayout.BranchMap"/> at most (even; a program with
    /// more branches gets more elements, one per-CPU lookup per element a profiled function uses).</summary>
    public int CountersPerElement { get; init; } = InstrumentationLayout.MaxCountersPerElement;
    /// <summary>Which lookup sites record their keys; <see cref="NeedsKeyProfile"/> unless the caller knows better (the
    /// optimizer, say, which inlines some maps whole).</summary>
    public Func<HelperCallSite, ProgramAnalysis, bool> ProfileSite { get; init; } = NeedsKeyProfile;

    /// <summary>Maps at most this large and read-only are inlined whole by the optimizer and need no key profile.</summary>
    public const int InlinedWholeEntries = 256;

    /// <summary>A site needs its keys profiled when its map cannot be inlined whole: a hash or LRU map over
    /// <see cref="InlinedWholeEntries"/> entries, an LPM trie, or any map the data plane writes; unless its key is a
    /// constant.</summary>
    public static bool NeedsKeyProfile(HelperCallSite site, ProgramAnalysis analysis)
    {
        // A constant key (a statistics slot, say) is always the same key: there is nothing to learn.
        if (!site.IsLookup || site.InnerMapOf is not null || site.Maps.Count == 0 || site.Key is { Kind: Access.KeyOriginKind.Constant })
            return false;
        var map = site.Maps[0];
        if (map.Origin != Maps.MapOrigin.Defined || map.IsMapInMap || map.IsProgramArray)
            return false;
        if (analysis.AccessOf(map.Name).Access != Access.MapAccess.ReadOnly)
            return true;
        return map.Type switch
        {
            BpfMapType.LpmTrie => true,
            BpfMapType.Hash or BpfMapType.LruHash or BpfMapType.PerCpuHash or BpfMapType.LruPerCpuHash => map.MaxEntries > InlinedWholeEntries,
            _ => false,
        };
    }
}

/// <summary>A lookup site whose keys are sampled.</summary>
public sealed record ProfiledSite(int Site, string Map, string Function, int KeySize);

/// <summary>A conditional branch: counters 2 × <see cref="Index"/> (first successor) and 2 × <see cref="Index"/> + 1.</summary>
public sealed record ProfiledBranch(int Index, string Function, int Block);

/// <summary>What an instrumented program records and where: pure data, what the runtime needs to read its maps.</summary>
public sealed record InstrumentationLayout(
    string Program, string IrHash, int SampleShift, int RingSlots, int KeyBytes,
    IReadOnlyList<ProfiledSite> Sites, IReadOnlyList<ProfiledBranch> Branches)
{
    public const string StateMap = "kecleon_prof_state";
    public const string RingMap = "kecleon_prof_ring";
    /// <summary>Per CPU, the branch counters: counter <c>c</c> (2i for branch i's first successor, 2i + 1 for its second)
    /// is the u64 at <c>c % n</c> of element <c>c / n</c>, where n is the value size over 8 (all the counters, unless
    /// there are more than <see cref="InstrumentationOptions.CountersPerElement"/>).</summary>
    public const string BranchMap = "kecleon_prof_branches";
    /// <summary>Branch counters per element of <see cref="BranchMap"/> at most by default (16 KiB: a per-CPU value holds
    /// 32 KiB).</summary>
    public const int MaxCountersPerElement = 2048;
    /// <summary>Recently sampled packets shorter than <see cref="PacketBytes"/> (XDP programs): per CPU, slots of
    /// <c>{u64 seq; u32 length; u32 full; u8 bytes[256]}</c>.</summary>
    public const string PacketMap = "kecleon_prof_packets";
    public const int PacketBytes = 256;
    public static readonly IReadOnlySet<string> Maps = new HashSet<string> { StateMap, RingMap, BranchMap, PacketMap };

    /// <summary>Packets per sampled packet.</summary>
    public int SampleRate => 1 << SampleShift;
}

/// <summary>
/// Makes a program record a sampled profile of itself without changing what it does. The program is versioned: a copy of
/// it (every function renamed <c>*.kecleon.profiled</c>, sharing the original's maps and globals) counts both ways of each
/// conditional branch and copies the key of each profiled lookup into a per-CPU ring (<c>profile_prelude.bpf.c</c>,
/// linked in). Each program entry gets a new first block that sends one packet in 2^shift to the copy:
/// <code>
/// kecleon.profile:                                  ; new entry: the original entry's allocas, then
///   %s = call i32 @kecleon_prof_enter()             ; a per-CPU packet count; 1 when this packet is sampled
///   br (icmp ne %s, 0), label %kecleon.sampled, label %entry, !prof {1, 2^shift - 1}
/// kecleon.sampled:
///   %v = call i32 @router.kecleon.profiled(%ctx)    ; always-inline; at each profiled function's entry
///   ret i32 %v                                      ;   %c = call i64* @kecleon_prof_counter_slot(i32 0)
///                                                   ;   %p = call %cpu* @kecleon_prof_this_cpu()
///                                                   ; then before each branch and profiled lookup:
///                                                   ;   call void @kecleon_prof_branch(i64* %c, i32 2i, i32 (zext %b))
///                                                   ;   call void @kecleon_prof_lookup(%cpu* %p, i32 site, i8* %key, i32 8)
/// </code>
/// An unsampled packet pays one per-CPU lookup, an increment and a branch; the original code it runs is untouched, so
/// LLVM optimizes it as before, and the branch weights keep it on the fall-through path with the profiled copy's blocks
/// laid out after it. A sampled packet pays one per-CPU lookup per profiled function, a load, an add and a store per
/// branch and an inline copy per key. Sites and branches are numbered on the unmodified copy (site index in module order, block index in
/// function order), which is the original's numbering.
/// </summary>
public sealed class InstrumentationPass
{
    public const string PreludeResource = "profile_prelude.bpf.c";
    public const string ProfiledSuffix = ".kecleon.profiled";
    private const string EnterFunction = "kecleon_prof_enter";
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
        if (options.CountersPerElement is < 2 or > 4096 || options.CountersPerElement % 2 != 0)
            throw new ArgumentException($"counters per element must be even and 2..4096, not {options.CountersPerElement}", nameof(options));
        if (options.SampleShift is < 0 or > 30)
            throw new ArgumentException($"sample shift must be 0..30, not {options.SampleShift}", nameof(options));

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
            foreach (var site in analysis.LookupSites.Where(s => instrumented.Contains(s.Function) && options.ProfileSite(s, analysis)))
                sites.Add((site, new ProfiledSite(site.Index, site.Maps[0].Name, site.Function.Name, site.Maps[0].KeySize)));
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
            $"-DKECLEON_SAMPLE_SHIFT={options.SampleShift}", $"-DKECLEON_RING={options.RingSlots}",
            $"-DKECLEON_KEY_BYTES={options.KeyBytes}", $"-DKECLEON_SLOT_COUNTERS={slotCounters}",
            $"-DKECLEON_COUNTER_SLOTS={(counters + slotCounters - 1) / slotCounters}",
        ]));

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
        foreach (var name in entries)
        {
            var profiledCopy = module.GetFunction(name + ProfiledSuffix) ?? throw new InvalidOperationException($"the profiled copy of {name} is missing");
            profiledCopy.AddAttribute(context, "alwaysinline");
            var entry = module.GetFunction(name)!.Value;
            Dispatch(module, entry, profiledCopy, enter, options.SampleShift, entry.Section.StartsWith("xdp", StringComparison.Ordinal) && entry.ParameterCount == 1 ? keepPacket : null);
        }
        if (module.Verify() is { } broken)
            throw new KecleonException($"{module.Identifier}: instrumentation broke the IR: {broken}");
        return new InstrumentationLayout(entries[0], irHash, options.SampleShift, options.RingSlots, options.KeyBytes,
            sites.Select(s => s.Profiled).ToList(), branches.Select(b => b.Profiled).ToList());
    }

    /// <summary>A new entry block for <paramref name="entry"/> that sends sampled packets to <paramref name="profiled"/>
    /// (after <paramref name="keepPacket"/> copied their first bytes, for XDP programs).</summary>
    private static void Dispatch(LlvmModule module, LlvmFunction entry, LlvmFunction profiled, LlvmFunction enter, int sampleShift, LlvmFunction? keepPacket)
    {
        var context = module.Context;
        var location = AnyLocation(entry);
        using var builder = new LlvmBuilder(context);
        // The allocas stay static: in the entry block, above the call that LLVM will inline.
        var oldEntry = entry.PrependEntry(context, builder, "kecleon.profile", location);
        var sampled = entry.AppendBlock(context, "kecleon.sampled");
        var isSampled = builder.Call(enter.FunctionType, enter.Value, [], "kecleon.sampled");
        var dispatch = builder.CondBr(builder.ICmp(LlvmIntPredicate.Ne, isSampled, context.Int32.ConstInt(0)), sampled, oldEntry);
        // Without weights, block placement interleaves the profiled copy's blocks with the original's and merges their
        // common tails, so unsampled packets jump across the profiled code (measured: about 5% on the switch).
        dispatch.SetBranchWeights(context, [1, (uint)Math.Min((1L << sampleShift) - 1, uint.MaxValue)]);

        builder.PositionAtEnd(sampled);
        builder.DebugLocation = location;
        var arguments = Enumerable.Range(0, entry.ParameterCount).Select(entry.Parameter).ToArray();
        if (keepPacket is { } keep)
            builder.Call(keep.FunctionType, keep.Value, [builder.BitCast(arguments[0], context.Int8.PointerTo())]);
        var verdict = builder.Call(profiled.FunctionType, profiled.Value, arguments);
        builder.Ret(verdict);
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
