using Kecleon.Analyses;
using Kecleon.Cfg;
using Kecleon.Reports;

namespace Kecleon.Instrumentation.Profiles;

/// <summary>
/// Block and edge weights of a program's control-flow graphs from a profile, for <see cref="DotGraph"/>. A block that ends
/// in a profiled conditional branch ran as often as its branch (taken + not taken), and its two edges carry the two
/// counts; the entry block ran once per packet; any other block ran as often as the edges into it that are known (back
/// edges left out). Edges out of a <c>switch</c> are not profiled, so what only they reach stays unknown.
/// </summary>
public static class ProfileWeights
{
    public static CfgWeights Of(ProgramAnalysis analysis, Profile profile)
    {
        var blocks = new Dictionary<(string, int), double>();
        var edges = new Dictionary<(string, int, int), double>();
        var branches = profile.Branches.ToDictionary(b => (b.Function, b.Block));
        var entries = analysis.Programs.Select(p => p.Entry.Name).ToHashSet();
        foreach (var function in analysis.Programs.SelectMany(p => p.Functions).Distinct())
        {
            var cfg = analysis.ControlFlow(function);
            var name = function.Name;
            var known = new Dictionary<CfgBlock, double>();
            foreach (var block in ReversePostorder(cfg))
            {
                double? weight = branches.TryGetValue((name, block.Index), out var branch) ? branch.Total
                    : block == cfg.Entry ? (entries.Contains(name) ? profile.Packets : null)
                    : Incoming(cfg, block, known, branches, name);
                if (weight is not { } w)
                    continue;
                known[block] = w;
                blocks[(name, block.Index)] = w;
                foreach (var edge in cfg.Graph.OutEdges(block))
                    if (EdgeWeight(edge, w, branches, name) is { } e)
                        edges[(name, block.Index, edge.Target.Index)] = e;
            }
        }
        return new CfgWeights(blocks, edges);
    }

    private static double? Incoming(ControlFlowGraph cfg, CfgBlock block, Dictionary<CfgBlock, double> known,
        Dictionary<(string, int), BranchProfile> branches, string function)
    {
        double? sum = null;
        foreach (var edge in cfg.Graph.InEdges(block))
            if (known.TryGetValue(edge.Source, out var source) && EdgeWeight(edge, source, branches, function) is { } w)
                sum = (sum ?? 0) + w;
        return sum;
    }

    private static double? EdgeWeight(CfgEdge edge, double sourceWeight, Dictionary<(string, int), BranchProfile> branches, string function) =>
        edge.Kind switch
        {
            BranchKind.Unconditional => sourceWeight,
            BranchKind.True when branches.TryGetValue((function, edge.Source.Index), out var b) => b.Taken,
            BranchKind.False when branches.TryGetValue((function, edge.Source.Index), out var b) => b.NotTaken,
            _ => null,
        };

    private static List<CfgBlock> ReversePostorder(ControlFlowGraph cfg)
    {
        var order = new List<CfgBlock>();
        var seen = new HashSet<CfgBlock>();
        var stack = new Stack<(CfgBlock Block, IEnumerator<CfgBlock> Next)>();
        seen.Add(cfg.Entry);
        stack.Push((cfg.Entry, cfg.Successors(cfg.Entry).GetEnumerator()));
        while (stack.Count > 0)
        {
            var (block, next) = stack.Peek();
            if (next.MoveNext())
            {
                if (seen.Add(next.Current))
                    stack.Push((next.Current, cfg.Successors(next.Current).GetEnumerator()));
            }
            else
            {
                stack.Pop();
                order.Add(block);
            }
        }
        order.Reverse();
        return order;
    }
}
