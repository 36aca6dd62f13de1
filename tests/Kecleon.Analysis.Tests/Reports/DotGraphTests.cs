using Kecleon.Analysis.Tests.Analysis;
using Kecleon.Reports;
using Kecleon.Tests;
using Xunit;

namespace Kecleon.Analysis.Tests.Reports;

/// <summary>
/// The DOT of <c>analyze --dot/--svg</c> on <c>Reports/cfg_graph.c</c>: legend, source lines, the verdict of each exit,
/// and with block counts both the heat fill and the map-access badges and borders; graphviz renders it.
/// </summary>
public sealed class DotGraphTests
{
    private static string Fixture => Path.Combine(TestEnvironment.RepositoryRoot, "tests", "Kecleon.Analysis.Tests", "Reports", "cfg_graph.c");

    [Fact]
    public void The_legend_explains_every_style_the_graph_uses()
    {
        using var program = new AnalysedProgram(Fixture);
        var dot = DotGraph.Render(program.Analysis);
        Assert.Contains("subgraph cluster_legend", dot);
        foreach (var explained in new[] { "the function&#39;s entry block", "a return block", "read-only", "written", "may-write",
                     "tail call", "redirect helper", "switch case", "back edge" })
            Assert.Contains(explained, dot);
        Assert.DoesNotContain("share of the hottest block", dot); // the heat scale only with a profile
        var profiled = DotGraph.Render(program.Analysis, Weights(program, 1000));
        foreach (var explained in new[] { "share of the hottest block", "never ran", "no profile data", "times the edge was taken", "dotted grey edge" })
            Assert.Contains(explained, profiled);
    }

    [Fact]
    public void Blocks_show_their_source_file_lines_and_text()
    {
        using var program = new AnalysedProgram(Fixture);
        var dot = DotGraph.Render(program.Analysis);
        Assert.Matches(@"<B>bb0</B> entry  cfg_graph\.c:\d+-\d+", dot);
        Assert.Contains("__u32 *mode = bpf_map_lookup_elem(&amp;config, &amp;zero);", dot); // escaped for an HTML label
        Assert.Contains("return bpf_redirect(*mode, 0);", dot);
        Assert.Contains("label=\"graph_xdp (xdp) in cfg_graph.c\"", dot);
        Assert.DoesNotContain("!dbg", dot);
    }

    [Fact]
    public void Without_a_readable_source_blocks_show_their_IR()
    {
        var copy = TestEnvironment.TempFile(".c");
        File.Copy(Fixture, copy, overwrite: true);
        using var program = new AnalysedProgram(copy);
        File.Delete(copy);
        var dot = DotGraph.Render(program.Analysis);
        Assert.Matches(@"<B>bb0</B> entry  [^ ]+\.c:\d+", dot); // the line numbers stay
        Assert.Contains("ret i32 %", dot);
        Assert.DoesNotContain("bpf_map_lookup_elem(&amp;config", dot);
    }

    [Fact]
    public void Return_blocks_and_the_edges_into_them_name_the_verdicts()
    {
        using var program = new AnalysedProgram(Fixture);
        var dot = DotGraph.Render(program.Analysis);
        Assert.Contains("<B>returns XDP_ABORTED | XDP_DROP | verdict of bpf_redirect | XDP_PASS</B>", dot);
        Assert.Contains("<B>returns TC_ACT_SHOT | TC_ACT_OK</B>", dot);
        Assert.Contains("[label=\"case 1\\nXDP_DROP\"]", dot); // the switched value is the case's
        Assert.Contains("[label=\"verdict of bpf_redirect\"]", dot);
        Assert.Contains("[label=\"T\\nXDP_ABORTED\"]", dot);
        Assert.Contains("bpf_tail_call(next)  tail call", dot);
        Assert.Contains("bpf_redirect  redirect", dot);
        Assert.Contains("style=\"filled,rounded\"", dot);
    }

    [Fact]
    public void A_profile_fills_blocks_by_heat_and_keeps_the_map_access_colouring()
    {
        using var program = new AnalysedProgram(Fixture);
        var plain = DotGraph.Render(program.Analysis);
        Assert.Contains("bpf_map_lookup_elem(config)  read-only", plain);
        Assert.Contains("bpf_map_update_elem(seen)  written", plain);
        Assert.Contains("color=\"#1b7837\", penwidth=3", plain); // read-only border
        Assert.Contains("color=\"#2166ac\", penwidth=3", plain); // written border

        var dot = DotGraph.Render(program.Analysis, Weights(program, 1000));
        // The entry is hottest: darkest fill, light text; the badges and the border stay.
        Assert.Matches("f0_0 \\[label=<.*1,000 packets \\(100%\\).*bpf_map_lookup_elem\\(config\\)  read-only.*fillcolor=\"#800026\", fontcolor=\"white\", peripheries=2, color=\"#1b7837\", penwidth=3\\]", dot);
        // A cold block: a light fill with dark text.
        Assert.Matches("fillcolor=\"#ffffcc\", fontcolor=\"black\"", dot);
        Assert.Contains("no profile data", dot); // the TC program has no counts
        Assert.Matches(@"-> f0_\d+ \[label=""[^""]*1,000 \(100%\)"", penwidth=6\.00", dot);
        Assert.Contains("style=dotted", dot);
    }

    [Fact]
    public void Graphviz_renders_the_graph_with_and_without_a_profile()
    {
        using var program = new AnalysedProgram(Fixture);
        foreach (var weights in new[] { null, Weights(program, 1000) })
        {
            var svg = DotGraph.ToSvg(DotGraph.Render(program.Analysis, weights));
            Assert.Contains("<svg", svg);
            Assert.Contains("legend", svg);
            Assert.Contains("XDP_PASS", svg);
        }
    }

    [Theory]
    [InlineData("#ffffcc", "black")]
    [InlineData("#fd8d3c", "black")]
    [InlineData("#e31a1c", "white")]
    [InlineData("#800026", "white")]
    public void Text_contrasts_with_its_fill(string fill, string text) => Assert.Equal(text, DotGraph.TextOn(fill));

    /// <summary>Counts for the XDP function only: the entry runs <paramref name="packets"/> times, each later block a
    /// tenth as often as the one before (at least one), so blocks fall in different heat classes; the last block never ran.</summary>
    private static CfgWeights Weights(AnalysedProgram program, double packets)
    {
        var function = program.Analysis.Programs.Single(p => p.Name == "graph_xdp").Entry;
        var cfg = program.Analysis.ControlFlow(function);
        var blocks = new Dictionary<(string, int), double>();
        var edges = new Dictionary<(string, int, int), double>();
        foreach (var block in cfg.Blocks)
            blocks[(function.Name, block.Index)] = block.Index == cfg.Blocks.Count - 2 ? 0 : Math.Max(1, packets / Math.Pow(10, block.Index));
        foreach (var edge in cfg.Graph.Edges)
            edges[(function.Name, edge.Source.Index, edge.Target.Index)] = edge.Source.Index == 0 && edge.Target.Index == 1 ? packets : 0;
        return new CfgWeights(blocks, edges);
    }
}
