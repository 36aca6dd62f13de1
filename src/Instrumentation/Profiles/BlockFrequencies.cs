using Kecleon.Analyses;
using Kecleon.Cfg;
using Kecleon.Llvm;
using Kecleon.Reports;

namespace Kecleon.Instrumentation.Profiles;

/// <summary>
/// How often blocks and edges ran, from a profile's branch counts, on the control-flow graphs of the functions. An edge
/// out of a profiled conditional branch ran as often as the profile says it was taken (or not); an unconditional edge
/// as often as its source block; edges out of a <c>switch</c> are not profiled. The entry block of the profiled program
/// ran once per packet.
/// <list type="bullet">
/// <item><see cref="Of"/>, for decisions: a block ran as often as the sum of its incoming edges, and is unknown when any
/// of them is.</item>
/// <item><see cref="Weights"/>, for a picture (<see cref="DotGraph"/>): a block that ends in a profiled branch ran as
/// often as its branch, any other as often as the incoming edges that are known (back edges left out).</item>
/// </list>
/// </summary>
public sealed class BlockFrequencies
{
    private readonly Profile _profile;
    private readonly Func<LlvmFunction, ControlFlowGraph> _graphOf;
    private readonly Dictionary<(string Function, int Block), BranchProfile> _branches;
    private readonly Dictionary<CfgBlock, double?> _exact = [];
    private readonly HashSet<CfgBlock> _inProgress = [];

    /// <param name="graphOf">The function's control-flow graph (on the module as it is; the profile numbers blocks in
    /// function order as parsed, so no block may have been added or moved).</param>
    public BlockFrequencies(Profile profile, Func<LlvmFunction, ControlFlowGraph> graphOf)
    {
        _profile = profile;
        _graphOf = graphOf;
        _branches = profile.Branches.GroupBy(b => (b.Function, b.Block)).ToDictionary(g => g.Key, g => g.First());
    }

    /// <summary>How often <paramref name="block"/> ran: the sum over its incoming edges; null when some edge has no
    /// count (or the count depends on itself, around a loop of unprofiled edges).</summary>
    public double? Of(LlvmBasicBlock block)
    {
        var cfg = _graphOf(block.Parent);
        return Of(cfg, cfg[block]);
    }

    private double? Of(ControlFlowGraph cfg, CfgBlock block)
    {
        if (_exact.TryGetValue(block, out var known))
            return known;
        if (block == cfg.Entry)
            return _exact[block] = cfg.Function.Name == _profile.Program ? _profile.Packets : null;
        if (!_inProgress.Add(block))
            return null;
        double? sum = 0.0;
        foreach (var edge in cfg.Graph.InEdges(block))
        {
            var runs = edge.Kind == BranchKind.Unconditional ? Of(cfg, edge.Source) : EdgeWeight(cfg, edge, 0);
            if (runs is null)
            {
                sum = null;
                break;
            }
            sum += runs;
        }
        _inProgress.Remove(block);
        // An answer found while a caller was still open may have missed that caller's count: only the outermost is kept.
        if (_inProgress.Count == 0 || sum is not null)
            _exact[block] = sum;
        return sum;
    }

    /// <summary>Block and edge weights of every function of <paramref name="analysis"/>'s programs, for a picture.</summary>
    public CfgWeights Weights(ProgramAnalysis analysis)
    {
        var blocks = new Dictionary<(string, int), double>();
        var edges = new Dictionary<(string, int, int), double>();
        var entries = analysis.Programs.Select(p => p.Entry.Name).ToHashSet();
        foreach (var function in analysis.Programs.SelectMany(p => p.Functions).Distinct())
        {
            var cfg = _graphOf(function);
            var name = function.Name;
            var known = new Dictionary<CfgBlock, double>();
            foreach (var block in cfg.ReversePostorder)
            {
                double? weight = _branches.TryGetValue((name, block.Index), out var branch) ? branch.Total
                    : block == cfg.Entry ? (entries.Contains(name) ? _profile.Packets : null)
                    : KnownIncoming(cfg, block, known);
                if (weight is not { } w)
                    continue;
                known[block] = w;
                blocks[(name, block.Index)] = w;
                foreach (var edge in cfg.Graph.OutEdges(block))
                    if (EdgeWeight(cfg, edge, w) is { } e)
                        edges[(name, block.Index, edge.Target.Index)] = e;
            }
        }
        return new CfgWeights(blocks, edges);
    }

    /// <summary><see cref="Weights"/> for <paramref name="analysis"/>'s own graphs.</summary>
    public static CfgWeights Weights(ProgramAnalysis analysis, Profile profile) =>
        new BlockFrequencies(profile, analysis.ControlFlow).Weights(analysis);

    private double? KnownIncoming(ControlFlowGraph cfg, CfgBlock block, Dictionary<CfgBlock, double> known)
    {
        double? sum = null;
        foreach (var edge in cfg.Graph.InEdges(block))
            if (known.TryGetValue(edge.Source, out var source) && EdgeWeight(cfg, edge, source) is { } w)
                sum = (sum ?? 0) + w;
        return sum;
    }

    /// <summary>How often <paramref name="edge"/> ran, its source having run <paramref name="sourceRuns"/> times.</summary>
    private double? EdgeWeight(ControlFlowGraph cfg, CfgEdge edge, double sourceRuns) => edge.Kind switch
    {
        BranchKind.Unconditional => sourceRuns,
        BranchKind.True when _branches.TryGetValue((cfg.Function.Name, edge.Source.Index), out var b) => b.Taken,
        BranchKind.False when _branches.TryGetValue((cfg.Function.Name, edge.Source.Index), out var b) => b.NotTaken,
        _ => null,
    };
}
