using Kecleon.Llvm;
using Kecleon.Passes;

namespace Kecleon.Cfg;

/// <summary>The control-flow graphs of a module's functions as a pass analysis: each built on first request, all of
/// them dropped by a pass that changes any function's blocks or instructions.</summary>
public sealed class ControlFlowGraphs : IModuleAnalysis<ControlFlowGraphs>
{
    private readonly Dictionary<nint, ControlFlowGraph> _graphs = [];

    public static ControlFlowGraphs Compute(PassContext context) => new();

    public ControlFlowGraph Of(LlvmFunction function)
    {
        if (!_graphs.TryGetValue(function.Raw, out var graph))
            _graphs[function.Raw] = graph = ControlFlowGraph.Build(function);
        return graph;
    }
}
