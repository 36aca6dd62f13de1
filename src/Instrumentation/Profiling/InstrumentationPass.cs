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
    /// <summary>Which lookup sites record their keys; <see cref="NeedsKeyProfile"/> unless the caller knows better (the
    /// optimizer, say, which inlines some maps whole).</summary>
    public Func<HelperCallSite, ProgramAnalysis, bool> ProfileSite { get; init; } = NeedsKeyProfile;

    /// <summary>Maps at most this large and read-only are inlined whole by the optimizer and need no key profile.</summary>
    public const int InlinedWholeEntries = 256;

    /// <summary>A site needs its keys profiled when its map cannot be inlined whole: a hash or LRU map over
    /// <see cref="InlinedWholeEntries"/> entries, an LPM trie, or any map the data plane writes.</summary>
    public static bool NeedsKeyProfile(HelperCallSite site, ProgramAnalysis analysis)
    {
        if (!site.IsLookup || site.InnerMapOf is not null || site.Maps.Count == 0)
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
    public const string BranchMap = "kecleon_prof_branches";
    public static readonly IReadOnlySet<string> Maps = new HashSet<string> { StateMap, RingMap, BranchMap };

    /// <summary>Packets per sampled packet.</summary>
    public int SampleRate => 1 << SampleShift;
}

/// <summary>
/// Makes a program record a sampled profile of itself without changing what it does. The profile prelude
/// (<c>profile_prelude.bpf.c</c>) is linked in, and, before any block is added, the pass numbers the program's
/// conditional branches and picks the lookup sites to profile. Then:
/// <code>
/// entry:                                            entry:
///   ...                                               %s = call i32 @kecleon_prof_enter()       ; 1 in 2^shift packets
///   %p = call @bpf_map_lookup_elem(@routes, %key) =>  ...
///   br i1 %c, label %a, label %b                      call void @kecleon_prof_lookup(i32 %s, i32 3, i8* %key, i32 8)
///                                                     %p = call @bpf_map_lookup_elem(@routes, %key)
///                                                     call void @kecleon_prof_branch(i32 %s, i32 0, i32 (zext %c))
///                                                     br i1 %c, label %a, label %b
/// </code>
/// The prelude functions are always-inline and test <c>%s</c> first, so an unsampled packet pays one per-CPU lookup at
/// entry and a register test per site and branch. No block is added or removed: the original's block numbers stay valid.
/// The program keeps its maps, its verdicts and its side effects; it only gains the three <c>kecleon_prof_*</c> maps.
/// </summary>
public sealed class InstrumentationPass
{
    public const string PreludeResource = "profile_prelude.bpf.c";
    private const string EnterFunction = "kecleon_prof_enter";
    private const string SamplingFunction = "kecleon_prof_sampling";
    private const string BranchFunction = "kecleon_prof_branch";
    private const string LookupFunction = "kecleon_prof_lookup";

    /// <summary>Instruments <paramref name="module"/> in place (pass a clone to keep the original).</summary>
    /// <param name="irHash">The original IR's fingerprint (<c>Profile.IrFingerprint</c>), carried into the layout.</param>
    public static InstrumentationLayout Run(LlvmModule module, InstrumentationOptions? options = null, string irHash = "")
    {
        options ??= InstrumentationOptions.Default;
        if (options.RingSlots <= 0 || (options.RingSlots & (options.RingSlots - 1)) != 0)
            throw new ArgumentException($"ring slots must be a power of two, not {options.RingSlots}", nameof(options));
        if (options.KeyBytes <= 0 || options.KeyBytes % 8 != 0)
            throw new ArgumentException($"key bytes must be a positive multiple of 8, not {options.KeyBytes}", nameof(options));
        if (options.SampleShift is < 0 or > 30)
            throw new ArgumentException($"sample shift must be 0..30, not {options.SampleShift}", nameof(options));

        // Number everything on the unmodified module: sites in module order, branches by block index in function order.
        var sites = new List<(HelperCallSite Site, ProfiledSite Profiled)>();
        var branches = new List<(LlvmInstruction Terminator, ProfiledBranch Profiled)>();
        var functions = new List<(LlvmFunction Function, bool IsEntry)>();
        string program;
        using (var analysis = ProgramAnalysis.Analyze(module))
        {
            if (analysis.Programs.Count == 0)
                throw new InvalidInputException($"{module.Identifier}: no program entry (a function in its own SEC) to instrument");
            program = analysis.Programs[0].Name;
            var entries = analysis.Programs.Select(p => p.Entry).ToHashSet();
            foreach (var function in analysis.Programs.SelectMany(p => p.Functions).Distinct())
            {
                functions.Add((function, entries.Contains(function)));
                foreach (var block in analysis.ControlFlow(function).Blocks)
                    if (block.Terminator is { BranchCondition: not null } terminator)
                        branches.Add((terminator, new ProfiledBranch(branches.Count, function.Name, block.Index)));
            }
            var instrumented = functions.Select(f => f.Function).ToHashSet();
            foreach (var site in analysis.LookupSites.Where(s => instrumented.Contains(s.Function) && options.ProfileSite(s, analysis)))
                sites.Add((site, new ProfiledSite(site.Index, site.Maps[0].Name, site.Function.Name, site.Maps[0].KeySize)));
        }

        module.Link(CPrelude.Load(module.Context, typeof(InstrumentationPass).Assembly, PreludeResource,
        [
            $"-DKECLEON_SAMPLE_SHIFT={options.SampleShift}", $"-DKECLEON_RING={options.RingSlots}",
            $"-DKECLEON_KEY_BYTES={options.KeyBytes}", $"-DKECLEON_COUNTERS={Math.Max(2, 2 * branches.Count)}",
        ]));
        var enter = Internal(module, EnterFunction);
        var sampling = Internal(module, SamplingFunction);
        var branch = Internal(module, BranchFunction);
        var lookup = Internal(module, LookupFunction);

        var context = module.Context;
        using var builder = new LlvmBuilder(context);
        var samplingOf = new Dictionary<LlvmFunction, LlvmValue>();
        foreach (var (function, isEntry) in functions)
        {
            // After the last alloca: allocas below the call would leave the entry block when the call is inlined, and the
            // BPF back end refuses dynamic stack allocation.
            var instructions = function.EntryBlock.Instructions.ToList();
            builder.PositionBefore(instructions[instructions.FindLastIndex(i => i.Opcode == LlvmOpcode.Alloca) + 1]);
            if (builder.DebugLocation == 0)
                builder.DebugLocation = AnyLocation(function);
            var callee = isEntry ? enter : sampling;
            samplingOf[function] = builder.Call(callee.FunctionType, callee.Value, [], "kecleon.sampled");
        }
        foreach (var (site, profiled) in sites)
        {
            Position(builder, site.Call);
            var key = builder.BitCast(site.Call.Argument(1), context.Int8.PointerTo());
            builder.Call(lookup.FunctionType, lookup.Value,
                [samplingOf[site.Function], context.Int32.ConstInt((ulong)profiled.Site), key, context.Int32.ConstInt((ulong)Math.Min(profiled.KeySize, options.KeyBytes))]);
        }
        foreach (var (terminator, profiled) in branches)
        {
            Position(builder, terminator);
            var way = builder.ZExt(terminator.BranchCondition!.Value, context.Int32);
            builder.Call(branch.FunctionType, branch.Value,
                [samplingOf[terminator.Block.Parent], context.Int32.ConstInt((ulong)(2 * profiled.Index)), way]);
        }
        if (module.Verify() is { } broken)
            throw new KecleonException($"{module.Identifier}: instrumentation broke the IR: {broken}");
        return new InstrumentationLayout(program, irHash, options.SampleShift, options.RingSlots, options.KeyBytes,
            sites.Select(s => s.Profiled).ToList(), branches.Select(b => b.Profiled).ToList());
    }

    private static LlvmFunction Internal(LlvmModule module, string name)
    {
        var function = module.GetFunction(name) ?? throw new InvalidOperationException($"the profile prelude has no {name}");
        function.Linkage = LlvmLinkage.Internal;
        return function;
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
