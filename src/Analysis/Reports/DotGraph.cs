using System.Diagnostics;
using System.Text;
using Kecleon.Analyses;
using Kecleon.Cfg;

namespace Kecleon.Reports;

/// <summary>
/// The control-flow graphs as graphviz DOT: one cluster per function of each program, blocks labelled with their name,
/// instruction count and helper calls; blocks with a map lookup are filled (written lookups red, read-only green).
/// With <see cref="CfgWeights"/>, blocks are filled and edges drawn by how hot they are instead (white to red, thicker
/// edges for more traffic, counts in the labels); blocks of unknown weight stay grey.
/// </summary>
public static class DotGraph
{
    public static string Render(ProgramAnalysis analysis, CfgWeights? weights = null)
    {
        var dot = new StringBuilder();
        dot.Append("digraph \"").Append(Escape(analysis.ObjectName)).Append("\" {\n");
        dot.Append("  node [shape=box, fontname=\"monospace\", fontsize=10];\n  edge [fontname=\"monospace\", fontsize=9];\n");
        var sitesByBlock = analysis.HelperCalls.ToLookup(s => s.Call.Block);
        var drawn = new HashSet<Llvm.LlvmFunction>();
        var cluster = 0;
        foreach (var program in analysis.Programs)
            foreach (var function in program.Functions)
            {
                if (!drawn.Add(function))
                    continue;
                var cfg = analysis.ControlFlow(function);
                var prefix = $"f{cluster}_";
                dot.Append($"  subgraph cluster_{cluster++} {{\n    label=\"{Escape(function.Name)} ({Escape(function.Section)})\";\n");
                foreach (var block in cfg.Blocks)
                {
                    var sites = sitesByBlock[block.Block].ToList();
                    var label = new StringBuilder($"{block.Label}\\l{block.Instructions.Count} instructions\\l");
                    foreach (var site in sites)
                        label.Append(Escape($"#{site.Index} {site.Helper.Name}{(site.Maps.Count > 0 || site.InnerMapOf is not null ? $"({site.MapNames})" : "")}")).Append("\\l");
                    var style = "";
                    var lookups = sites.Where(s => s.IsLookup).ToList();
                    if (weights is not null)
                    {
                        if (weights.Blocks.TryGetValue((function.Name, block.Index), out var weight))
                        {
                            label.Append(Escape(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{weight:F0} packets"))).Append("\\l");
                            style = $", style=filled, fillcolor=\"{Heat(weight / weights.Max)}\"";
                        }
                        else
                            style = ", style=filled, fillcolor=\"#e8e8e8\"";
                    }
                    else if (lookups.Count > 0)
                        style = lookups.Any(s => s.Access != Access.MapAccess.ReadOnly)
                            ? ", style=filled, fillcolor=\"#f4b6b6\"" : ", style=filled, fillcolor=\"#b9e4b0\"";
                    if (block == cfg.Entry)
                        style += ", penwidth=2";
                    dot.Append($"    {prefix}{block.Index} [label=\"{label}\"{style}];\n");
                }
                foreach (var edge in cfg.Graph.Edges)
                {
                    var text = edge.Label;
                    var attributes = "";
                    if (weights is not null && weights.Edges.TryGetValue((function.Name, edge.Source.Index, edge.Target.Index), out var weight))
                    {
                        var heat = weight / weights.Max;
                        text = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{(text.Length > 0 ? text + " " : "")}{weight:F0}");
                        attributes = string.Create(System.Globalization.CultureInfo.InvariantCulture, $", penwidth={1 + 4 * heat:F2}, color=\"{Heat(Math.Max(heat, 0.25))}\"");
                    }
                    var label = text.Length > 0 || attributes.Length > 0 ? $" [label=\"{Escape(text)}\"{attributes}]" : "";
                    dot.Append($"    {prefix}{edge.Source.Index} -> {prefix}{edge.Target.Index}{label};\n");
                }
                dot.Append("  }\n");
            }
        dot.Append("}\n");
        return dot.ToString();
    }

    /// <summary>White (cold) to red (hottest) as a graphviz HSV colour.</summary>
    private static string Heat(double share) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"0.000 {Math.Clamp(share, 0, 1):F3} 1.000");

    /// <summary>Renders DOT with graphviz (<c>dot -Tsvg</c>).</summary>
    public static string ToSvg(string dot)
    {
        var info = new ProcessStartInfo("dot", "-Tsvg") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        Process process;
        try
        {
            process = Process.Start(info)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new MissingDependencyException("cannot run graphviz `dot`: install it with `apt-get install graphviz`");
        }
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            process.StandardInput.Write(dot);
            process.StandardInput.Close();
            process.WaitForExit();
            if (process.ExitCode != 0)
                throw new KecleonException($"graphviz dot failed (exit {process.ExitCode})", details: error.Result);
            return output.Result;
        }
    }

    private static string Escape(string text) => text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
}
