using Kecleon.Llvm;
using QuikGraph;

namespace Kecleon.Cfg;

/// <summary>A call from one function of the module to another (a BPF-to-BPF call once compiled).</summary>
public sealed class CallEdge(LlvmFunction caller, LlvmFunction callee, LlvmInstruction site) : IEdge<LlvmFunction>
{
    public LlvmFunction Source { get; } = caller;
    public LlvmFunction Target { get; } = callee;
    public LlvmInstruction Site { get; } = site;
}

/// <summary>
/// Calls between the functions defined in a module. Helper calls (<c>inttoptr</c> callees), intrinsics and
/// declarations are not part of it; calls through a pointer are listed in <see cref="IndirectCalls"/>.
/// </summary>
public sealed class CallGraph
{
    private readonly Dictionary<LlvmFunction, List<CallEdge>> _callers;

    private CallGraph(BidirectionalGraph<LlvmFunction, CallEdge> graph, List<LlvmInstruction> indirect)
    {
        Graph = graph;
        IndirectCalls = indirect;
        _callers = graph.Vertices.ToDictionary(f => f, f => graph.InEdges(f).ToList());
    }

    public IBidirectionalGraph<LlvmFunction, CallEdge> Graph { get; }
    public IReadOnlyList<LlvmInstruction> IndirectCalls { get; }

    public IReadOnlyList<CallEdge> CallersOf(LlvmFunction function) =>
        _callers.TryGetValue(function, out var callers) ? callers : [];

    public IEnumerable<CallEdge> CallsFrom(LlvmFunction function) =>
        Graph.ContainsVertex(function) ? Graph.OutEdges(function) : [];

    /// <summary>The function and every function it can reach, in discovery order.</summary>
    public IReadOnlyList<LlvmFunction> Reachable(LlvmFunction root)
    {
        var seen = new HashSet<LlvmFunction> { root };
        var order = new List<LlvmFunction> { root };
        for (var i = 0; i < order.Count; i++)
            foreach (var call in CallsFrom(order[i]))
                if (seen.Add(call.Target))
                    order.Add(call.Target);
        return order;
    }

    /// <summary>Whether the function can call itself (the verifier refuses recursion).</summary>
    public bool IsRecursive(LlvmFunction function)
    {
        var seen = new HashSet<LlvmFunction>();
        var work = new Stack<LlvmFunction>(CallsFrom(function).Select(c => c.Target));
        while (work.Count > 0)
        {
            var f = work.Pop();
            if (f == function)
                return true;
            if (seen.Add(f))
                foreach (var call in CallsFrom(f))
                    work.Push(call.Target);
        }
        return false;
    }

    public static CallGraph Build(LlvmModule module)
    {
        var graph = new BidirectionalGraph<LlvmFunction, CallEdge>(allowParallelEdges: true);
        var indirect = new List<LlvmInstruction>();
        var defined = module.Functions.Where(f => !f.IsDeclaration).ToList();
        graph.AddVertexRange(defined);
        foreach (var function in defined)
            foreach (var block in function.Blocks)
                foreach (var instruction in block.Instructions)
                {
                    if (instruction.Opcode != LlvmOpcode.Call)
                        continue;
                    var callee = StripCasts(instruction.CalledValue);
                    if (callee.IsFunction)
                    {
                        var target = callee.AsFunction();
                        if (!target.IsDeclaration)
                            graph.AddEdge(new CallEdge(function, target, instruction));
                    }
                    else if (!callee.IsConstantExpression && !callee.IsInlineAsm)
                    {
                        indirect.Add(instruction);
                    }
                }
        return new CallGraph(graph, indirect);
    }

    /// <summary>A callee behind a constant bitcast (a call through a mismatched prototype) is still that function.</summary>
    internal static LlvmValue StripCasts(LlvmValue value)
    {
        while (value.IsConstantExpression && value.ConstantOpcode == LlvmOpcode.BitCast)
            value = value.Operand(0);
        return value;
    }
}
