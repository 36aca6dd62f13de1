using Kecleon.Llvm;
using QuikGraph;

namespace Kecleon.Cfg;

/// <summary>A basic block of a <see cref="ControlFlowGraph"/>. <see cref="Index"/> is the block's position in the
/// function, which is also the order reports list blocks in.</summary>
public sealed class CfgBlock
{
    internal CfgBlock(int index, LlvmBasicBlock block, IReadOnlyList<LlvmInstruction> instructions)
    {
        Index = index;
        Block = block;
        Instructions = instructions;
        var name = block.Name;
        Label = name.Length > 0 ? name : $"bb{index}";
    }

    public int Index { get; }
    public LlvmBasicBlock Block { get; }
    /// <summary>The block's name in the IR, or <c>bbN</c> when it has none (clang's numbered blocks).</summary>
    public string Label { get; }
    /// <summary>The instructions, debug-info intrinsics left out (they are not code).</summary>
    public IReadOnlyList<LlvmInstruction> Instructions { get; }
    public LlvmInstruction? Terminator => Instructions.Count > 0 && Instructions[^1].IsTerminator ? Instructions[^1] : null;
    public override string ToString() => Label;
}

/// <summary>How control takes an edge.</summary>
public enum BranchKind { Unconditional, True, False, SwitchCase, SwitchDefault, Other }

/// <summary>A control-flow edge and the condition under which it is taken.</summary>
public sealed class CfgEdge : IEdge<CfgBlock>
{
    internal CfgEdge(CfgBlock source, CfgBlock target, BranchKind kind, LlvmValue? condition, long? caseValue)
    {
        Source = source;
        Target = target;
        Kind = kind;
        Condition = condition;
        CaseValue = caseValue;
    }

    public CfgBlock Source { get; }
    public CfgBlock Target { get; }
    public BranchKind Kind { get; }
    /// <summary>The <c>br</c> condition or <c>switch</c> operand; null for unconditional edges.</summary>
    public LlvmValue? Condition { get; }
    /// <summary>The case value of a <see cref="BranchKind.SwitchCase"/> edge.</summary>
    public long? CaseValue { get; }

    /// <summary>A short label for graphs: <c>T</c>, <c>F</c>, <c>case 6</c>, <c>default</c>, or empty.</summary>
    public string Label => Kind switch
    {
        BranchKind.True => "T",
        BranchKind.False => "F",
        BranchKind.SwitchCase => $"case {CaseValue}",
        BranchKind.SwitchDefault => "default",
        _ => "",
    };

    public override string ToString() => $"{Source} -> {Target}{(Label.Length > 0 ? $" [{Label}]" : "")}";
}

/// <summary>
/// The control-flow graph of one function, over QuikGraph. Built once from the IR; the IR must not change while the graph
/// is in use (the blocks are borrowed views). Dominators, post-dominators, loops and what each block reaches are computed
/// on first use.
/// </summary>
public sealed class ControlFlowGraph
{
    private readonly Dictionary<nint, CfgBlock> _byRaw;
    private readonly Dictionary<CfgBlock, HashSet<CfgBlock>> _reachable = [];
    private DominatorTree? _dominators;
    private DominatorTree? _postDominators;
    private LoopForest? _loops;
    private List<CfgBlock>? _reversePostorder;

    private ControlFlowGraph(LlvmFunction function, List<CfgBlock> blocks, BidirectionalGraph<CfgBlock, CfgEdge> graph)
    {
        Function = function;
        Blocks = blocks;
        Graph = graph;
        _byRaw = blocks.ToDictionary(b => b.Block.Raw);
        Entry = blocks[0];
        Exits = blocks.Where(b => graph.OutDegree(b) == 0).ToList();
    }

    public LlvmFunction Function { get; }
    public IReadOnlyList<CfgBlock> Blocks { get; }
    public IBidirectionalGraph<CfgBlock, CfgEdge> Graph { get; }
    public CfgBlock Entry { get; }
    /// <summary>Blocks that leave the function (<c>ret</c>, <c>unreachable</c>).</summary>
    public IReadOnlyList<CfgBlock> Exits { get; }
    public int InstructionCount => Blocks.Sum(b => b.Instructions.Count);

    public DominatorTree Dominators => _dominators ??= DominatorTree.Compute(this, post: false);
    /// <summary>The blocks reachable from the entry, each before its successors but along back edges.</summary>
    public IReadOnlyList<CfgBlock> ReversePostorder => _reversePostorder ??= ComputeReversePostorder();
    public DominatorTree PostDominators => _postDominators ??= DominatorTree.Compute(this, post: true);
    public LoopForest Loops => _loops ??= LoopForest.Find(this);

    public CfgBlock this[LlvmBasicBlock block] => _byRaw[block.Raw];
    public CfgBlock BlockOf(LlvmInstruction instruction) => _byRaw[instruction.Block.Raw];
    public IEnumerable<CfgBlock> Successors(CfgBlock block) => Graph.OutEdges(block).Select(e => e.Target);
    public IEnumerable<CfgBlock> Predecessors(CfgBlock block) => Graph.InEdges(block).Select(e => e.Source);

    /// <summary>Whether <paramref name="first"/> runs before <paramref name="second"/> on every path reaching the latter.</summary>
    public bool Dominates(LlvmInstruction first, LlvmInstruction second)
    {
        var a = BlockOf(first);
        var b = BlockOf(second);
        if (a != b)
            return Dominators.Dominates(a, b);
        foreach (var instruction in a.Instructions)
        {
            if (instruction == first)
                return true;
            if (instruction == second)
                return false;
        }
        return false;
    }

    /// <summary>Whether <paramref name="to"/> can run after <paramref name="from"/>: reachable over one edge or more (so a
    /// block reaches itself only through a loop).</summary>
    public bool Reaches(CfgBlock from, CfgBlock to) => ReachableFrom(from).Contains(to);

    /// <summary>The blocks reachable from <paramref name="from"/> over one edge or more, walked once per block: the
    /// cost model asks for every pair of a program's lookups.</summary>
    private HashSet<CfgBlock> ReachableFrom(CfgBlock from)
    {
        if (_reachable.TryGetValue(from, out var seen))
            return seen;
        seen = [];
        var work = new Stack<CfgBlock>(Successors(from));
        while (work.TryPop(out var block))
            if (seen.Add(block))
                foreach (var next in Successors(block))
                    work.Push(next);
        return _reachable[from] = seen;
    }

    /// <summary>Whether <paramref name="first"/> can run before <paramref name="then"/> in one run of the function:
    /// earlier in the same block, or in a block from which <paramref name="then"/>'s block is reachable (its own block
    /// again only through a loop).</summary>
    public bool MayRunBefore(LlvmInstruction first, LlvmInstruction then)
    {
        var (from, to) = (BlockOf(first), BlockOf(then));
        if (from == to)
        {
            var thenComesFirst = false;
            for (var i = first.Previous; i is { } previous && !thenComesFirst; i = previous.Previous)
                thenComesFirst = previous == then;
            if (!thenComesFirst)
                return true;
            // Otherwise `then` runs again after `first` only through a loop back to this block.
        }
        return Reaches(from, to);
    }

    private List<CfgBlock> ComputeReversePostorder()
    {
        var order = new List<CfgBlock>();
        var seen = new HashSet<CfgBlock> { Entry };
        var stack = new Stack<(CfgBlock Block, IEnumerator<CfgBlock> Next)>();
        stack.Push((Entry, Successors(Entry).GetEnumerator()));
        while (stack.Count > 0)
        {
            var (block, next) = stack.Peek();
            if (next.MoveNext())
            {
                if (seen.Add(next.Current))
                    stack.Push((next.Current, Successors(next.Current).GetEnumerator()));
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

    public static ControlFlowGraph Build(LlvmFunction function)
    {
        if (function.IsDeclaration)
            throw new ArgumentException($"{function.Name} is a declaration and has no body", nameof(function));
        var blocks = new List<CfgBlock>();
        foreach (var block in function.Blocks)
            blocks.Add(new CfgBlock(blocks.Count, block, block.Instructions.Where(i => !IsDebugIntrinsic(i)).ToList()));
        var byRaw = blocks.ToDictionary(b => b.Block.Raw);
        var graph = new BidirectionalGraph<CfgBlock, CfgEdge>(allowParallelEdges: true);
        graph.AddVertexRange(blocks);
        foreach (var block in blocks)
        {
            if (block.Terminator is not { } terminator)
                continue;
            foreach (var edge in EdgesOf(block, terminator, byRaw))
                graph.AddEdge(edge);
        }
        return new ControlFlowGraph(function, blocks, graph);
    }

    private static IEnumerable<CfgEdge> EdgesOf(CfgBlock block, LlvmInstruction terminator, Dictionary<nint, CfgBlock> byRaw)
    {
        var count = terminator.SuccessorCount;
        switch (terminator.Opcode)
        {
            case LlvmOpcode.Br when terminator.BranchCondition is { } condition:
                // LLVM lists the true successor first.
                yield return new CfgEdge(block, byRaw[terminator.Successor(0).Raw], BranchKind.True, condition, null);
                yield return new CfgEdge(block, byRaw[terminator.Successor(1).Raw], BranchKind.False, condition, null);
                break;
            case LlvmOpcode.Br:
                yield return new CfgEdge(block, byRaw[terminator.Successor(0).Raw], BranchKind.Unconditional, null, null);
                break;
            case LlvmOpcode.Switch:
                // Operands: value, default, then (case value, destination) pairs.
                var value = terminator.Operand(0);
                yield return new CfgEdge(block, byRaw[terminator.Successor(0).Raw], BranchKind.SwitchDefault, value, null);
                for (var i = 1; i < count; i++)
                {
                    var caseValue = terminator.Operand(2 * i);
                    yield return new CfgEdge(block, byRaw[terminator.Successor(i).Raw], BranchKind.SwitchCase, value,
                        caseValue.IsConstantInt ? caseValue.SExtValue : null);
                }
                break;
            default:
                for (var i = 0; i < count; i++)
                    yield return new CfgEdge(block, byRaw[terminator.Successor(i).Raw], BranchKind.Other, null, null);
                break;
        }
    }

    internal static bool IsDebugIntrinsic(LlvmInstruction instruction) =>
        instruction.Opcode == LlvmOpcode.Call && instruction.CalledValue is { IsFunction: true } callee
        && callee.Name.StartsWith("llvm.dbg.", StringComparison.Ordinal);
}
