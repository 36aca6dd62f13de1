using Kecleon.Analyses;
using Kecleon.FrontEnd;
using Kecleon.Llvm;
using Kecleon.Tests;
using Xunit;

namespace Kecleon.Analysis.Tests.Analysis;

/// <summary>libbpf's view of a module (map types and sizes, programs, their instruction counts) is made by compiling the
/// module, once per IR: each analysis of the same IR gets the same view, and a module that differs gets its own.</summary>
public sealed class LibbpfViewTests
{
    private static string Program(int entries) => Programs.Prelude + $$"""

        struct { __uint(type, BPF_MAP_TYPE_HASH); __uint(max_entries, {{entries}}); __type(key, __u32); __type(value, __u64); } counters SEC(".maps");

        SEC("xdp") int f(struct xdp_md *ctx) {
            __u32 key = ctx->rx_queue_index;
            __u64 *v = bpf_map_lookup_elem(&counters, &key);
            return v && *v ? XDP_DROP : XDP_PASS;
        }
        """;

    private static (int MaxEntries, int? Instructions) View(string path)
    {
        var source = ProgramSource.Read(path);
        using var context = LlvmContext.Create();
        using var module = source.Parse(context);
        using var analysis = ProgramAnalysis.Analyze(module, new AnalysisOptions { ObjectName = "view" });
        Assert.Null(analysis.Maps.LibbpfProblem);
        return (analysis.Maps.Find("counters")!.MaxEntries, analysis.Programs.Single().BpfInstructionCount);
    }

    [Fact]
    public void The_same_ir_analysed_again_has_the_same_view_and_a_changed_one_its_own()
    {
        var path = TestEnvironment.WriteC(Program(8));
        var first = View(path);
        Assert.Equal(8, first.MaxEntries);
        Assert.True(first.Instructions > 0);
        Assert.Equal(first, View(path));

        // The same file, the same object name: only the IR differs.
        File.WriteAllText(path, Program(16));
        Assert.Equal((16, first.Instructions), View(path));
    }
}
