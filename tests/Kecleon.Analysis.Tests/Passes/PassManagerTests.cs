using System.Text;
using Kecleon.Cfg;
using Kecleon.Llvm;
using Kecleon.Passes;
using Xunit;

namespace Kecleon.Analysis.Tests.Passes;

/// <summary>The pass manager and the analysis cache, on a small hand-written module.</summary>
public sealed class PassManagerTests
{
    private const string Ir = """
        define i32 @f(i32 %x) {
        entry:
          %c = icmp eq i32 %x, 0
          br i1 %c, label %then, label %join
        then:
          br label %join
        join:
          %y = add i32 %x, 1
          ret i32 %y
        }

        define i32 @loop(i32 %n) {
        entry:
          br label %head
        head:
          %i = phi i32 [ 0, %entry ], [ %next, %body ]
          %done = icmp uge i32 %i, %n
          br i1 %done, label %exit, label %body
        body:
          %next = add i32 %i, 1
          br label %head
        exit:
          ret i32 %i
        }
        """;

    private static LlvmModule Parse(LlvmContext context) => LlvmModule.Parse(context, Encoding.UTF8.GetBytes(Ir), "passes.ll");

    /// <summary>Counts how often it was computed, and whether it was disposed.</summary>
    private sealed class Counted : IModuleAnalysis<Counted>, IDisposable
    {
        public bool Disposed { get; private set; }
        public static Counted Compute(PassContext context)
        {
            context.Input<List<Counted>>().Add(new Counted());
            return context.Input<List<Counted>>()[^1];
        }
        public void Dispose() => Disposed = true;
    }

    /// <summary>Asks for <see cref="Counted"/> and returns <paramref name="result"/>.</summary>
    private sealed class AskingPass(string name, PassResult result) : IModulePass
    {
        public string Name => name;
        public PassResult Run(PassContext context)
        {
            context.Get<Counted>();
            context.Step(Name, "asked", "");
            return result;
        }
    }

    [Fact]
    public void An_analysis_is_cached_until_a_pass_does_not_preserve_it()
    {
        using var context = LlvmContext.Create();
        using var module = Parse(context);
        var computed = new List<Counted>();
        using var passContext = new PassContext(module).Provide(computed);
        new PassManager("test",
        [
            new AskingPass("first", PassResult.Unchanged),
            new AskingPass("keeps", PassResult.ChangedKeeping(typeof(Counted))),
            new AskingPass("drops", PassResult.ChangedKeeping()),
            new AskingPass("last", PassResult.Unchanged),
        ]) { DumpAfter = new HashSet<string>() }.Run(passContext);
        // Computed for "first", kept through "keeps" and "drops" (which asked before it changed anything), then again for "last".
        Assert.Equal(2, computed.Count);
        Assert.True(computed[0].Disposed);
        Assert.False(computed[1].Disposed);
        Assert.True(passContext.IsCached<Counted>());
        Assert.Equal(4, passContext.Steps.Count);
    }

    [Fact]
    public void Disposing_the_context_disposes_its_analyses()
    {
        using var context = LlvmContext.Create();
        using var module = Parse(context);
        var computed = new List<Counted>();
        var passContext = new PassContext(module).Provide(computed);
        passContext.Get<Counted>();
        passContext.Dispose();
        Assert.True(Assert.Single(computed).Disposed);
    }

    [Fact]
    public void Each_pass_is_timed_and_logged_and_the_IR_is_dumped_after_the_named_one()
    {
        using var context = LlvmContext.Create();
        using var module = Parse(context);
        var directory = Directory.CreateTempSubdirectory("kecleon-dump-");
        try
        {
            var log = new List<string>();
            using var passContext = new PassContext(module).Provide(new List<Counted>());
            var timings = new PassManager("test", [new AskingPass("first", PassResult.Unchanged), new AskingPass("second", PassResult.Unchanged)])
            {
                Log = log.Add,
                DumpAfter = new HashSet<string> { "second" },
                DumpDirectory = directory.FullName,
            }.Run(passContext);
            Assert.Equal(["first", "second"], timings.Select(t => t.Pass));
            Assert.All(timings, t => Assert.False(t.Changed));
            var dump = Assert.Single(Directory.GetFiles(directory.FullName));
            Assert.Equal("test.1.second.ll", Path.GetFileName(dump));
            Assert.Contains("define i32 @loop", File.ReadAllText(dump));
            Assert.Contains(log, line => line.StartsWith("test: first ", StringComparison.Ordinal));
            Assert.Contains(log, line => line.Contains("written to", StringComparison.Ordinal));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private sealed class BreakingPass : IModulePass
    {
        public string Name => "breaks";
        public PassResult Run(PassContext context)
        {
            // A block without its terminator.
            context.Module.GetFunction("f")!.Value.Blocks.Last().Terminator!.Value.EraseFromParent();
            return PassResult.ChangedKeeping();
        }
    }

    [Fact]
    public void A_pass_that_breaks_the_IR_is_named_and_nothing_after_it_runs()
    {
        using var context = LlvmContext.Create();
        using var module = Parse(context);
        using var passContext = new PassContext(module).Provide(new List<Counted>());
        var manager = new PassManager("test", [new BreakingPass(), new AskingPass("after", PassResult.Unchanged)]) { DumpAfter = new HashSet<string>() };
        var e = Assert.Throws<KecleonException>(() => manager.Run(passContext));
        Assert.Contains("after pass 'breaks'", e.Message);
        Assert.Empty(passContext.Steps);
    }

    [Fact]
    public void A_missing_input_is_a_wiring_error_that_names_it()
    {
        using var context = LlvmContext.Create();
        using var module = Parse(context);
        using var passContext = new PassContext(module);
        var e = Assert.Throws<InvalidOperationException>(() => passContext.Get<Counted>());
        Assert.Contains("List`1", e.Message);
    }

    [Fact]
    public void Reachability_on_the_CFG_follows_edges_and_loops()
    {
        using var context = LlvmContext.Create();
        using var module = Parse(context);
        using var passContext = new PassContext(module);
        var graphs = passContext.Get<ControlFlowGraphs>();
        var f = graphs.Of(module.GetFunction("f")!.Value);
        Assert.Same(f, graphs.Of(module.GetFunction("f")!.Value));
        var (entry, then, join) = (f.Blocks[0], f.Blocks[1], f.Blocks[2]);
        Assert.True(f.Reaches(entry, join));
        Assert.True(f.Reaches(then, join));
        Assert.False(f.Reaches(join, entry));
        Assert.False(f.Reaches(join, join)); // no loop: a block does not reach itself
        Assert.Equal(["entry", "then", "join"], f.ReversePostorder.Select(b => b.Label));

        var loop = graphs.Of(module.GetFunction("loop")!.Value);
        var (head, body) = (loop.Blocks[1], loop.Blocks[2]);
        Assert.True(loop.Reaches(head, head));
        Assert.True(loop.Reaches(body, head));
        // In one block: the add runs before the phi of the next iteration, through the back edge.
        var phi = head.Instructions[0];
        var next = body.Instructions[0];
        Assert.True(loop.MayRunBefore(next, phi));
        Assert.True(loop.MayRunBefore(phi, next));
        var compare = head.Instructions[1];
        Assert.True(loop.MayRunBefore(phi, compare));
        Assert.True(loop.MayRunBefore(compare, phi)); // again, around the loop
        var entryBranch = loop.Blocks[0].Instructions[0];
        Assert.False(loop.MayRunBefore(phi, entryBranch));
    }
}
