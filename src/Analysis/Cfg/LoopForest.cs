using Kecleon.Llvm;

namespace Kecleon.Cfg;

/// <summary>A natural loop: a header and the blocks that reach a back edge to it without passing through it.</summary>
public sealed class NaturalLoop
{
    internal NaturalLoop(CfgBlock header, IReadOnlyList<CfgBlock> latches, IReadOnlyList<CfgBlock> blocks,
        IReadOnlyList<CfgEdge> exits, string? bound)
    {
        Header = header;
        Latches = latches;
        Blocks = blocks;
        Exits = exits;
        Bound = bound;
    }

    public CfgBlock Header { get; }
    /// <summary>Sources of the back edges.</summary>
    public IReadOnlyList<CfgBlock> Latches { get; }
    /// <summary>Every block of the loop, header first, then in function order.</summary>
    public IReadOnlyList<CfgBlock> Blocks { get; }
    /// <summary>Edges leaving the loop.</summary>
    public IReadOnlyList<CfgEdge> Exits { get; }
    public NaturalLoop? Parent { get; internal set; }
    public int Depth => Parent is null ? 1 : Parent.Depth + 1;
    /// <summary>What bounds the loop when an exit compares an induction value with a constant (<c>i &lt; 4</c>), as
    /// the verifier requires of bounded loops; null when no such exit was recognised.</summary>
    public string? Bound { get; }
    public bool Contains(CfgBlock block) => Blocks.Contains(block);
}

/// <summary>The natural loops of a function (one per header; back edges to the same header are merged), and the
/// back edges that enter no dominating header (irreducible control flow, which the verifier rejects anyway).</summary>
public sealed class LoopForest
{
    private LoopForest(IReadOnlyList<NaturalLoop> loops, IReadOnlyList<CfgEdge> irreducible)
    {
        Loops = loops;
        IrreducibleEdges = irreducible;
    }

    /// <summary>Outer loops before the loops they contain.</summary>
    public IReadOnlyList<NaturalLoop> Loops { get; }
    /// <summary>Retreating edges whose target does not dominate their source.</summary>
    public IReadOnlyList<CfgEdge> IrreducibleEdges { get; }

    public NaturalLoop? InnermostLoopOf(CfgBlock block) =>
        Loops.Where(l => l.Contains(block)).OrderByDescending(l => l.Depth).FirstOrDefault();

    internal static LoopForest Find(ControlFlowGraph cfg)
    {
        var dominators = cfg.Dominators;
        var backEdges = new Dictionary<CfgBlock, List<CfgBlock>>();
        var irreducible = new List<CfgEdge>();
        var onStack = new bool[cfg.Blocks.Count];
        var visited = new bool[cfg.Blocks.Count];
        // Retreating edges from a depth-first walk: a back edge when its target dominates its source.
        var stack = new Stack<(CfgBlock Block, IEnumerator<CfgEdge> Edges)>();
        stack.Push((cfg.Entry, cfg.Graph.OutEdges(cfg.Entry).GetEnumerator()));
        visited[cfg.Entry.Index] = onStack[cfg.Entry.Index] = true;
        while (stack.Count > 0)
        {
            var (block, edges) = stack.Peek();
            if (!edges.MoveNext())
            {
                onStack[block.Index] = false;
                stack.Pop();
                continue;
            }
            var edge = edges.Current;
            var target = edge.Target;
            if (onStack[target.Index])
            {
                if (dominators.Dominates(target, block))
                {
                    if (!backEdges.TryGetValue(target, out var latches))
                        backEdges[target] = latches = [];
                    latches.Add(block);
                }
                else
                {
                    irreducible.Add(edge);
                }
            }
            else if (!visited[target.Index])
            {
                visited[target.Index] = onStack[target.Index] = true;
                stack.Push((target, cfg.Graph.OutEdges(target).GetEnumerator()));
            }
        }

        var loops = new List<NaturalLoop>();
        foreach (var (header, latches) in backEdges)
        {
            var body = new HashSet<CfgBlock> { header };
            var work = new Stack<CfgBlock>(latches.Where(body.Add));
            while (work.Count > 0)
                foreach (var predecessor in cfg.Predecessors(work.Pop()))
                    if (body.Add(predecessor))
                        work.Push(predecessor);
            var blocks = body.OrderBy(b => b == header ? -1 : b.Index).ToList();
            var exits = blocks.SelectMany(b => cfg.Graph.OutEdges(b)).Where(e => !body.Contains(e.Target)).ToList();
            loops.Add(new NaturalLoop(header, latches.Distinct().OrderBy(b => b.Index).ToList(), blocks, exits, FindBound(exits)));
        }
        // Parents: the smallest other loop containing the header.
        foreach (var loop in loops)
            loop.Parent = loops.Where(o => o != loop && o.Blocks.Count > loop.Blocks.Count && o.Contains(loop.Header))
                .OrderBy(o => o.Blocks.Count).FirstOrDefault();
        return new LoopForest(loops.OrderBy(l => l.Depth).ThenBy(l => l.Header.Index).ToList(), irreducible);
    }

    private static string? FindBound(IEnumerable<CfgEdge> exits)
    {
        foreach (var exit in exits)
        {
            if (exit.Condition is not { IsInstruction: true } condition)
                continue;
            var compare = condition.AsInstruction();
            if (compare.Opcode != LlvmOpcode.ICmp)
                continue;
            var (lhs, rhs) = (compare.Operand(0), compare.Operand(1));
            var constant = rhs.IsConstantInt ? rhs : lhs.IsConstantInt ? lhs : (LlvmValue?)null;
            if (constant is { } c)
                return $"exit test {Predicate(compare.IntPredicate)} {c.SExtValue}";
        }
        return null;
    }

    private static string Predicate(LlvmIntPredicate predicate) => predicate switch
    {
        LlvmIntPredicate.Eq => "==", LlvmIntPredicate.Ne => "!=",
        LlvmIntPredicate.Ugt or LlvmIntPredicate.Sgt => ">", LlvmIntPredicate.Uge or LlvmIntPredicate.Sge => ">=",
        LlvmIntPredicate.Ult or LlvmIntPredicate.Slt => "<", _ => "<=",
    };
}
