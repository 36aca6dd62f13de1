using Kecleon.Cfg;
using Kecleon.Tests;
using Xunit;

namespace Kecleon.Analysis.Tests.Analysis;

/// <summary>Blocks, edges, dominators, post-dominators, loops and the call graph on small programs.</summary>
public sealed class ControlFlowGraphTests
{
    private static string Fixture(string name) =>
        Path.Combine(TestEnvironment.RepositoryRoot, "tests", "Kecleon.Analysis.Tests", "Fixtures", name + ".c");

    [Fact]
    public void BranchesHaveConditionsAndTheEntryDominatesEverything()
    {
        using var program = new AnalysedProgram(Fixture("atomics"));
        var cfg = program.Analysis.ControlFlow(program.Analysis.Programs.Single().Entry);
        Assert.Equal(cfg.Blocks[0], cfg.Entry);
        Assert.NotEmpty(cfg.Exits);
        foreach (var edge in cfg.Graph.Edges.Where(e => e.Kind is BranchKind.True or BranchKind.False))
            Assert.NotNull(edge.Condition);
        Assert.All(cfg.Blocks, b => Assert.True(cfg.Dominators.Dominates(cfg.Entry, b)));
        Assert.Null(cfg.Dominators.Immediate(cfg.Entry));
        // The single return post-dominates the entry.
        var exit = Assert.Single(cfg.Exits);
        Assert.True(cfg.PostDominators.Dominates(exit, cfg.Entry));
        Assert.Empty(cfg.Loops.Loops);
    }

    [Fact]
    public void ABoundedLoopIsANaturalLoopWithItsBound()
    {
        using var program = new AnalysedProgram(Fixture("bounded_loop"));
        var cfg = program.Analysis.ControlFlow(program.Analysis.Programs.Single().Entry);
        var loop = Assert.Single(cfg.Loops.Loops);
        Assert.True(cfg.Dominators.Dominates(loop.Header, loop.Latches.Single()));
        Assert.Contains(loop.Latches.Single(), cfg.Predecessors(loop.Header));
        Assert.Equal("exit test < 8", loop.Bound);
        Assert.Empty(cfg.Loops.IrreducibleEdges);
        Assert.Single(loop.Exits);
    }

    [Fact]
    public void TheCallGraphHasTheBpfToBpfCalls()
    {
        using var program = new AnalysedProgram(Fixture("bpf_to_bpf"));
        var entry = program.Analysis.Programs.Single();
        Assert.Equal(["calls", "find", "bump"], entry.Functions.Select(f => f.Name));
        Assert.Equal(2, program.Analysis.CallGraph.CallsFrom(entry.Entry).Count(c => c.Target.Name == "find"));
        Assert.False(program.Analysis.CallGraph.IsRecursive(entry.Entry));
    }

    [Fact]
    public void ProgramsInSeveralSectionsAreAllFound()
    {
        using var program = new AnalysedProgram(Fixture("multi_program"));
        Assert.Equal(["learn", "enforce"], program.Analysis.Programs.Select(p => p.Name));
        Assert.Equal(["xdp", "tc"], program.Analysis.Programs.Select(p => p.Section));
    }
}
