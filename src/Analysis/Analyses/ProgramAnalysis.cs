using Kecleon.Access;
using Kecleon.Bpf;
using Kecleon.Cfg;
using Kecleon.Helpers;
using Kecleon.Llvm;
using Kecleon.Maps;

namespace Kecleon.Analyses;

/// <summary>Inputs to <see cref="ProgramAnalysis.Analyze"/> that the IR does not carry.</summary>
public sealed record AnalysisOptions
{
    public static readonly AnalysisOptions Default = new();

    /// <summary>The object's name as libbpf would be given it; it prefixes global-data maps (<c>router.bss</c>). Defaults
    /// to the module identifier's file name without extensions.</summary>
    public string? ObjectName { get; init; }

    /// <summary>Maps that another loaded program writes (the runtime knows; the IR does not). They are classified
    /// <c>written</c>.</summary>
    public IReadOnlySet<string> WrittenByOtherPrograms { get; init; } = new HashSet<string>();

    /// <summary>The programs in the PROG_ARRAY slots as a loaded program's maps hold them (the runtime knows; the IR
    /// declares them at most). Null: the slots the maps' definitions declare (<see cref="ServiceChainView"/>).</summary>
    public IReadOnlyList<ProgramArraySlot>? ProgramArraySlots { get; init; }
}

/// <summary>One program: an entry function in its own section, and the subprograms it calls.</summary>
public sealed class ProgramInfo
{
    internal ProgramInfo(LlvmFunction entry, IReadOnlyList<LlvmFunction> functions) => (Entry, Functions) = (entry, functions);

    public LlvmFunction Entry { get; }
    public string Name => Entry.Name;
    public string Section => Entry.Section;
    /// <summary>The entry first, then every function it reaches through BPF-to-BPF calls.</summary>
    public IReadOnlyList<LlvmFunction> Functions { get; }
    /// <summary>From libbpf: the program type its section gives, and its BPF instruction count. Null without libbpf's view.</summary>
    public BpfProgramType? Type { get; internal init; }
    public int? BpfInstructionCount { get; internal init; }
    public int BlockCount { get; internal init; }
    /// <summary>IR instructions, debug intrinsics left out.</summary>
    public int InstructionCount { get; internal init; }
    public IReadOnlyList<(LlvmFunction Function, NaturalLoop Loop)> Loops { get; internal init; } = [];
    public IReadOnlyList<HelperCallSite> HelperCalls { get; internal init; } = [];
    public IReadOnlyList<MapDefinition> Maps { get; internal init; } = [];
    /// <summary>CO-RE relocatable accesses (<c>llvm.preserve.*.access.index</c>).</summary>
    public int CoreRelocations { get; internal init; }
    public IEnumerable<HelperCallSite> LookupSites => HelperCalls.Where(s => s.IsLookup);
    public IEnumerable<HelperCallSite> TailCalls => HelperCalls.Where(s => s.Helper.Id == BpfHelpers.TailCall);
    public override string ToString() => Name;
}

/// <summary>
/// The analysis phase's entry point: what the data plane does — programs, control flow, maps, helper calls and how each map
/// is accessed. Each part is computed on first use and cached; the module must not change while the analysis is in use.
/// Not thread-safe (neither is an LLVM context).
/// </summary>
public sealed class ProgramAnalysis : IDisposable
{
    private readonly Dictionary<LlvmFunction, ControlFlowGraph> _cfgs = [];
    private readonly Lazy<CallGraph> _calls;
    private readonly Lazy<MapModel> _maps;
    private readonly Lazy<LlvmDataLayout> _layout;
    private readonly Lazy<AccessResult> _access;
    private readonly Lazy<IReadOnlyList<ProgramInfo>> _programs;
    private readonly Lazy<IReadOnlyList<AnalysisFinding>> _findings;
    private readonly Lazy<ServiceChainView> _chain;

    private ProgramAnalysis(LlvmModule module, AnalysisOptions options)
    {
        Module = module;
        Options = options;
        ObjectName = options.ObjectName ?? DefaultObjectName(module.Identifier);
        _calls = new(() => CallGraph.Build(module), LazyThreadSafetyMode.None);
        _maps = new(() => MapModel.Build(module, ObjectName), LazyThreadSafetyMode.None);
        _layout = new(() => LlvmDataLayout.Of(module), LazyThreadSafetyMode.None);
        _access = new(() => AccessClassifier.Classify(module, Maps, CallGraph, ControlFlow, _layout.Value, options), LazyThreadSafetyMode.None);
        _programs = new(FindPrograms, LazyThreadSafetyMode.None);
        _findings = new(CollectFindings, LazyThreadSafetyMode.None);
        _chain = new(() => ServiceChainView.Build(this), LazyThreadSafetyMode.None);
    }

    /// <summary>Starts an analysis of <paramref name="module"/>; nothing is computed until asked for.</summary>
    public static ProgramAnalysis Analyze(LlvmModule module, AnalysisOptions? options = null) =>
        new(module, options ?? AnalysisOptions.Default);

    public LlvmModule Module { get; }
    public AnalysisOptions Options { get; }
    public string ObjectName { get; }

    public CallGraph CallGraph => _calls.Value;
    public MapModel Maps => _maps.Value;
    public IReadOnlyList<ProgramInfo> Programs => _programs.Value;
    /// <summary>Every helper call in the module, numbered in function order.</summary>
    public IReadOnlyList<HelperCallSite> HelperCalls => _access.Value.Sites;
    public IEnumerable<HelperCallSite> LookupSites => HelperCalls.Where(s => s.IsLookup);
    /// <summary>One entry per map of <see cref="Maps"/>, in the same order.</summary>
    public IReadOnlyList<MapAccessSummary> MapAccess => _access.Value.Maps;
    /// <summary>The programs as a service chain: stages, tail calls, slots, who calls whom.</summary>
    public ServiceChainView Chain => _chain.Value;
    /// <summary>What the analysis did not understand, and notes.</summary>
    public IReadOnlyList<AnalysisFinding> Findings => _findings.Value;

    public MapAccessSummary AccessOf(string mapName) => MapAccess.FirstOrDefault(m => m.Map.Name == mapName)
        ?? throw new KeyNotFoundException($"no map '{mapName}'; the module has: {string.Join(", ", MapAccess.Select(m => m.Map.Name))}");

    /// <summary>The control-flow graph of a defined function (cached).</summary>
    public ControlFlowGraph ControlFlow(LlvmFunction function)
    {
        if (!_cfgs.TryGetValue(function, out var cfg))
            _cfgs[function] = cfg = ControlFlowGraph.Build(function);
        return cfg;
    }

    public void Dispose()
    {
        if (_layout.IsValueCreated)
            _layout.Value.Dispose();
    }

    private IReadOnlyList<ProgramInfo> FindPrograms()
    {
        var access = _access.Value;
        var programs = new List<ProgramInfo>();
        // An entry point is a defined function in its own section; .text holds the subprograms.
        foreach (var entry in Module.Functions.Where(f => !f.IsDeclaration && f.Section.Length > 0 && f.Section != ".text"))
        {
            var functions = CallGraph.Reachable(entry);
            var cfgs = functions.Select(ControlFlow).ToList();
            var libbpf = Maps.LibbpfPrograms.FirstOrDefault(p => p.Name == entry.Name);
            var set = functions.ToHashSet();
            var maps = access.Sites.Where(s => set.Contains(s.Function)).SelectMany(s => s.Maps)
                .Concat(functions.SelectMany(f => access.MapsByFunction.TryGetValue(f, out var m) ? m : Enumerable.Empty<MapDefinition>()))
                .Distinct().OrderBy(m => Maps.Maps.ToList().IndexOf(m)).ToList();
            programs.Add(new ProgramInfo(entry, functions)
            {
                Type = libbpf?.Type,
                // The entry's section and the subprograms it calls: what the program is once libbpf has linked it.
                BpfInstructionCount = libbpf?.InstructionCount
                                      + functions.Skip(1).Sum(f => Maps.SubprogramInstructions.GetValueOrDefault(f.Name)),
                BlockCount = cfgs.Sum(c => c.Blocks.Count),
                InstructionCount = cfgs.Sum(c => c.InstructionCount),
                Loops = cfgs.SelectMany(c => c.Loops.Loops.Select(l => (c.Function, l))).ToList(),
                HelperCalls = access.Sites.Where(s => set.Contains(s.Function)).ToList(),
                Maps = maps,
                CoreRelocations = cfgs.SelectMany(c => c.Blocks).SelectMany(b => b.Instructions).Count(IsCoreRelocation),
            });
        }
        return programs;
    }

    private IReadOnlyList<AnalysisFinding> CollectFindings()
    {
        var findings = new List<AnalysisFinding>();
        if (Maps.LibbpfProblem is { } problem)
            findings.Add(new AnalysisFinding(FindingKind.NotUnderstood, "", $"libbpf's view of the object is missing, so map types and flags are unknown: {problem}"));
        findings.AddRange(_access.Value.Findings);
        foreach (var function in Module.Functions.Where(f => !f.IsDeclaration))
        {
            var cfg = ControlFlow(function);
            foreach (var edge in cfg.Loops.IrreducibleEdges)
                findings.Add(new AnalysisFinding(FindingKind.NotUnderstood, function.Name, $"irreducible control flow ({edge})"));
            if (CallGraph.IsRecursive(function))
                findings.Add(new AnalysisFinding(FindingKind.NotUnderstood, function.Name, "recursion (the verifier refuses it)"));
        }
        foreach (var program in Programs)
        {
            if (program.CoreRelocations > 0)
                findings.Add(new AnalysisFinding(FindingKind.Note, program.Name,
                    $"{program.CoreRelocations} CO-RE relocatable access(es): libbpf fixes their offsets at load time; they are analysed with the compile-time layout"));
            if (program.TailCalls.Any())
                findings.Add(new AnalysisFinding(FindingKind.Note, program.Name,
                    "tail calls: the programs called run in this one's place, and the maps they write are written from this data plane too"));
        }
        return findings;
    }

    /// <summary>
    /// A CO-RE access: clang's BPF pipeline turns <c>llvm.preserve.*.access.index</c> into a load of an external global
    /// named <c>llvm.TYPE:KIND:ACCESS$...</c> (the relocated offset); IR from before that pass still has the intrinsics.
    /// </summary>
    private static bool IsCoreRelocation(LlvmInstruction instruction) => instruction.Opcode switch
    {
        LlvmOpcode.Call => instruction.CalledValue is { IsFunction: true } f && f.Name.StartsWith("llvm.preserve.", StringComparison.Ordinal),
        LlvmOpcode.Load => instruction.Operand(0) is { IsGlobalVariable: true } g && g.Name.StartsWith("llvm.", StringComparison.Ordinal)
                           && g.Name.Contains(':', StringComparison.Ordinal),
        _ => false,
    };

    private static string DefaultObjectName(string identifier)
    {
        var name = Path.GetFileName(identifier);
        var dot = name.IndexOf('.');
        return dot > 0 ? name[..dot] : name.Length > 0 ? name : "program";
    }
}
