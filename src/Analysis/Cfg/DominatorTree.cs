namespace Kecleon.Cfg;

/// <summary>
/// Dominators (or, with <c>post</c>, post-dominators) of a <see cref="ControlFlowGraph"/>, by Cooper, Harvey and Kennedy's
/// iterative algorithm ("A Simple, Fast Dominance Algorithm"): eBPF functions are small, and it needs no extra structures.
/// Post-dominators use a virtual exit joined to every exit block; blocks that cannot reach an exit have no post-dominator.
/// </summary>
public sealed class DominatorTree
{
    private readonly ControlFlowGraph _cfg;
    // Immediate dominator by block index; -1 for the root, unreachable blocks, and the virtual exit's children's parent.
    private readonly int[] _idom;
    private readonly int[] _depth;

    private DominatorTree(ControlFlowGraph cfg, bool post, int[] idom, bool[] reached)
    {
        _cfg = cfg;
        IsPostDominance = post;
        _idom = idom;
        _reached = reached;
        _depth = new int[idom.Length];
        Array.Fill(_depth, NotComputed);
        for (var i = 0; i < idom.Length; i++)
            Depth(i);
    }

    private const int NotComputed = int.MinValue;
    private readonly bool[] _reached;

    public bool IsPostDominance { get; }

    /// <summary>The immediate (post-)dominator, or null for the entry (for post-dominance: blocks whose only
    /// post-dominator is the virtual exit) and for blocks the analysis cannot reach.</summary>
    public CfgBlock? Immediate(CfgBlock block) => _idom[block.Index] is var i and >= 0 ? _cfg.Blocks[i] : null;

    /// <summary>Whether every path from the entry to <paramref name="b"/> (for post-dominance: from <paramref name="b"/>
    /// to an exit) passes through <paramref name="a"/>. A block dominates itself.</summary>
    public bool Dominates(CfgBlock a, CfgBlock b)
    {
        if (_depth[b.Index] < 0 || _depth[a.Index] < 0)
            return false;
        var i = b.Index;
        while (i >= 0 && _depth[i] > _depth[a.Index])
            i = _idom[i];
        return i == a.Index;
    }

    /// <summary>Depth in the tree (0 for roots), or -1 when the block is not in the tree.</summary>
    public int DepthOf(CfgBlock block) => _depth[block.Index];

    public IEnumerable<CfgBlock> Children(CfgBlock block) =>
        _cfg.Blocks.Where(b => _idom[b.Index] == block.Index);

    internal static DominatorTree Compute(ControlFlowGraph cfg, bool post)
    {
        var n = cfg.Blocks.Count;
        // Node n is the virtual exit for post-dominance.
        var total = post ? n + 1 : n;
        var successors = new List<int>[total];
        var predecessors = new List<int>[total];
        for (var i = 0; i < total; i++)
        {
            successors[i] = [];
            predecessors[i] = [];
        }
        foreach (var edge in cfg.Graph.Edges)
        {
            var (from, to) = post ? (edge.Target.Index, edge.Source.Index) : (edge.Source.Index, edge.Target.Index);
            successors[from].Add(to);
            predecessors[to].Add(from);
        }
        int root;
        if (post)
        {
            root = n;
            foreach (var exit in cfg.Exits)
            {
                successors[n].Add(exit.Index);
                predecessors[exit.Index].Add(n);
            }
        }
        else
        {
            root = cfg.Entry.Index;
        }

        var order = ReversePostOrder(root, successors, total);
        var position = new int[total];
        Array.Fill(position, -1);
        for (var i = 0; i < order.Count; i++)
            position[order[i]] = i;
        var idom = new int[total];
        Array.Fill(idom, -1);
        idom[root] = root;
        for (var changed = true; changed;)
        {
            changed = false;
            foreach (var b in order)
            {
                if (b == root)
                    continue;
                var newIdom = -1;
                foreach (var p in predecessors[b])
                {
                    if (idom[p] < 0)
                        continue;
                    newIdom = newIdom < 0 ? p : Intersect(p, newIdom, idom, position);
                }
                if (newIdom >= 0 && idom[b] != newIdom)
                {
                    idom[b] = newIdom;
                    changed = true;
                }
            }
        }

        var result = new int[n];
        for (var i = 0; i < n; i++)
            result[i] = i == root || idom[i] == n ? -1 : idom[i];
        // A root-less block (-1) that the algorithm reached is a root of the tree; one it did not reach is outside it.
        var reached = new bool[n];
        for (var i = 0; i < n; i++)
            reached[i] = idom[i] >= 0;
        return new DominatorTree(cfg, post, result, reached);
    }

    private int Depth(int i)
    {
        if (_depth[i] != NotComputed)
            return _depth[i];
        if (!_reached[i])
            return _depth[i] = -1;
        var parent = _idom[i];
        return _depth[i] = parent < 0 ? 0 : Depth(parent) is var d and >= 0 ? d + 1 : -1;
    }

    private static int Intersect(int a, int b, int[] idom, int[] position)
    {
        while (a != b)
        {
            while (position[a] > position[b])
                a = idom[a];
            while (position[b] > position[a])
                b = idom[b];
        }
        return a;
    }

    private static List<int> ReversePostOrder(int root, List<int>[] successors, int total)
    {
        var visited = new bool[total];
        var post = new List<int>(total);
        var stack = new Stack<(int Node, int Next)>();
        stack.Push((root, 0));
        visited[root] = true;
        while (stack.Count > 0)
        {
            var (node, next) = stack.Pop();
            if (next < successors[node].Count)
            {
                stack.Push((node, next + 1));
                var s = successors[node][next];
                if (!visited[s])
                {
                    visited[s] = true;
                    stack.Push((s, 0));
                }
            }
            else
            {
                post.Add(node);
            }
        }
        post.Reverse();
        return post;
    }
}
