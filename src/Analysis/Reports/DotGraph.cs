using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Kecleon.Access;
using Kecleon.Analyses;
using Kecleon.Bpf;
using Kecleon.Cfg;
using Kecleon.Helpers;

namespace Kecleon.Reports;

/// <summary>
/// The control-flow graphs as graphviz DOT, with a legend: one cluster per function of each program. A block shows its
/// name, the source file and lines it came from (from the <c>-g</c> debug locations) with their text when the source file
/// is readable here (the IR instructions when it is not), and its helper calls as badges: map accesses coloured by what
/// they do to the map (read-only green, written blue, may-write purple, also the block's border), tail calls and redirects.
/// Return blocks are rounded and name the verdicts they return; an edge into one names the verdict returned along it.
/// With <see cref="CfgWeights"/> blocks are also filled by how hot they are (a sequential yellow-to-dark-red scale, text
/// dark or light for contrast, counts and shares in the labels) and edges drawn wider the more they are taken; map
/// badges and borders stay.
/// </summary>
public static class DotGraph
{
    /// <summary>Source lines shown per block (the rest are counted), and how wide a line may be.</summary>
    private const int MaxSourceLines = 6, MaxIrLines = 8, MaxWidth = 64;

    /// <summary>ColorBrewer's YlOrRd, nine classes: a sequential scale that reads in grey and for colour-blind readers.</summary>
    private static readonly string[] HeatScale =
        ["#ffffcc", "#ffeda0", "#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c", "#bd0026", "#800026"];

    // Map access in greens, blues and purples, which stay apart from the heat scale's yellows and reds on any fill.
    private const string ReadOnlyColour = "#d9f0d3", WrittenColour = "#d1e5f0", MayWriteColour = "#e7d4e8";
    private const string ReadOnlyBorder = "#1b7837", WrittenBorder = "#2166ac", MayWriteBorder = "#762a83";
    private const string TailCallColour = "#e0e0e0", RedirectColour = "#c7eae5", VerdictColour = "#f0f0f0";
    private const string UnknownFill = "#d9d9d9", EdgeColour = "#404040", ColdEdgeColour = "#9e9e9e";
    // A service chain's stages and tail-call edges: an orange apart from the map colours and darker than the heat scale.
    private const string StageBorder = "#b35806";

    public static string Render(ProgramAnalysis analysis, CfgWeights? weights = null)
    {
        var dot = new StringBuilder();
        dot.Append("digraph \"").Append(Escape(analysis.ObjectName)).Append("\" {\n");
        dot.Append("  graph [fontname=\"sans-serif\", fontsize=12];\n");
        dot.Append("  node [shape=box, fontname=\"monospace\", fontsize=10, margin=\"0.08,0.04\"];\n");
        dot.Append("  edge [fontname=\"monospace\", fontsize=9, color=\"").Append(EdgeColour).Append("\"];\n");
        AppendLegend(dot, weights, chain: !analysis.Chain.IsEmpty);
        var sitesByBlock = analysis.HelperCalls.ToLookup(s => s.Call.Block);
        var verdicts = new ExitVerdicts(analysis.HelperCalls.ToDictionary(s => s.Call.Raw));
        var sources = new SourceText();
        var entries = analysis.Programs.GroupBy(p => p.Entry).ToDictionary(g => g.Key, g => g.First().Type);
        var drawn = new HashSet<Llvm.LlvmFunction>();
        var prefixes = new Dictionary<Llvm.LlvmFunction, string>();
        var chain = analysis.Chain;
        var cluster = 0;
        // A chain's stages first, in the order packets go through them.
        foreach (var (program, stage) in chain.Stages.Concat(analysis.Programs.Except(chain.Stages)).Select((p, i) => (p, i)))
        {
            // A service chain's stage: one cluster around its functions, named by where it runs.
            var isStage = chain.Stages.Contains(program);
            if (isStage)
            {
                var slots = chain.Slots.Where(s => s.Program == program.Name).Select(s => $"{s.Map}[{s.Slot}]").ToList();
                dot.Append($"  subgraph cluster_stage_{stage} {{\n    label=\"stage {Escape(program.Name)}: {(slots.Count > 0 ? Escape(string.Join(", ", slots)) : "entry")}\";\n")
                    .Append($"    labeljust=l;\n    style=\"rounded,bold\";\n    color=\"{StageBorder}\";\n");
            }
            foreach (var function in program.Functions)
            {
                if (!drawn.Add(function))
                    continue;
                var cfg = analysis.ControlFlow(function);
                // The verdict names apply to what a program's entry function returns; a subprogram returns plain values.
                var type = entries.TryGetValue(function, out var programType) ? programType ?? GuessType(function.Section) : null;
                var prefix = $"f{cluster}_";
                prefixes[function] = prefix;
                var lines = cfg.Blocks.SelectMany(b => b.Instructions).Select(SourceText.LineOf).OfType<SourceLine>().ToList();
                var mainFile = function.SourceFile
                               ?? lines.GroupBy(l => l.Path).OrderByDescending(g => g.Count()).Select(g => g.Key).FirstOrDefault();
                dot.Append($"  subgraph cluster_{cluster++} {{\n    label=\"{Escape(function.Name)} ({Escape(function.Section.Length > 0 ? function.Section : "subprogram")})")
                    .Append(mainFile is null ? "" : Escape($" in {Path.GetFileName(mainFile)}")).Append("\";\n    labeljust=l;\n");
                foreach (var block in cfg.Blocks)
                    AppendBlock(dot, prefix, function, cfg, block, sitesByBlock[block.Block].ToList(), type, verdicts, sources, mainFile, weights);
                foreach (var edge in cfg.Graph.Edges)
                    AppendEdge(dot, prefix, function, cfg, edge, type, verdicts, weights);
                dot.Append("  }\n");
            }
            if (isStage)
                dot.Append("  }\n");
        }
        // Who tail-calls whom: from the block of the call to the entry block of the program in the slot.
        foreach (var edge in chain.Edges)
        {
            var from = analysis.ControlFlow(edge.From.Site.Function).BlockOf(edge.From.Site.Call);
            var callee = analysis.ControlFlow(edge.Callee.Entry).Entry;
            if (prefixes.TryGetValue(edge.From.Site.Function, out var fromPrefix) && prefixes.TryGetValue(edge.Callee.Entry, out var toPrefix))
                dot.Append($"  {fromPrefix}{from.Index} -> {toPrefix}{callee.Index} [label=\"{Escape($"{edge.Slot.Map}[{edge.Slot.Slot}]")}\", ")
                    .Append($"color=\"{StageBorder}\", fontcolor=\"{StageBorder}\", penwidth=2, style=\"{(edge.From.Slot is null ? "bold,dashed" : "bold")}\", constraint=false];\n");
        }
        dot.Append("}\n");
        return dot.ToString();
    }

    private static void AppendBlock(StringBuilder dot, string prefix, Llvm.LlvmFunction function, ControlFlowGraph cfg, CfgBlock block,
        List<HelperCallSite> sites, BpfProgramType? type, ExitVerdicts verdicts, SourceText sources, string? mainFile, CfgWeights? weights)
    {
        var rows = new List<string>();
        var header = new StringBuilder($"<B>{Html(block.Label)}</B>");
        if (block == cfg.Entry)
            header.Append(" entry");
        var lines = block.Instructions.Select(SourceText.LineOf).OfType<SourceLine>().Distinct().ToList();
        foreach (var file in lines.GroupBy(l => l.Path).OrderBy(g => g.Key != mainFile))
        {
            var (first, last) = (file.Min(l => l.Line), file.Max(l => l.Line));
            header.Append("  ").Append(Html($"{file.First().FileName}:{first}{(last > first ? $"-{last}" : "")}"));
        }
        header.Append(Html($"  ({block.Instructions.Count} IR)"));
        rows.Add(Cell(header.ToString()));

        // The source text of the lines the block covers, in file order; lines of another file (inlined from a header)
        // carry their file's name. The IR when no line can be shown.
        var shown = lines.OrderBy(l => l.Path != mainFile).ThenBy(l => l.Path, StringComparer.Ordinal).ThenBy(l => l.Line)
            .Select(l => (Line: l, Text: sources.Text(l))).Where(l => l.Text is not null).ToList();
        if (shown.Count > 0)
        {
            var text = shown.Take(MaxSourceLines)
                .Select(l => Html(Trim($"{(l.Line.Path == mainFile ? $"{l.Line.Line,4}" : $"{l.Line.FileName}:{l.Line.Line}")}  {l.Text!.Trim()}")))
                .ToList();
            if (shown.Count > MaxSourceLines)
                text.Add(Html($"      … {shown.Count - MaxSourceLines} more lines"));
            rows.Add(Cell(string.Join("<BR ALIGN=\"LEFT\"/>", text) + "<BR ALIGN=\"LEFT\"/>"));
        }
        else if (block.Instructions.Count > 0)
        {
            var ir = block.Instructions.Take(MaxIrLines).Select(i => Html(Trim(StripMetadata(i.ToString().Trim())))).ToList();
            if (block.Instructions.Count > MaxIrLines)
                ir.Add(Html($"… {block.Instructions.Count - MaxIrLines} more instructions"));
            rows.Add(Cell("<I>" + string.Join("<BR ALIGN=\"LEFT\"/>", ir) + "<BR ALIGN=\"LEFT\"/></I>"));
        }

        MapAccess? strongest = null;
        foreach (var site in sites)
        {
            var name = $"#{site.Index} {site.Helper.Name}";
            if (site.Helper.Id == BpfHelpers.TailCall)
                rows.Add(Cell(Html($"{name}({site.MapNames})  tail call"), TailCallColour));
            else if (ExitVerdicts.RedirectHelpers.Contains(site.Helper.Name))
                rows.Add(Cell(Html($"{name}{(site.Maps.Count > 0 ? $"({site.MapNames})" : "")}  redirect"), RedirectColour));
            else if (site.Helper.MapEffect != MapEffect.None && (site.Maps.Count > 0 || site.InnerMapOf is not null))
            {
                rows.Add(Cell(Html($"{name}({site.MapNames})  {site.Access.Name()}"), AccessColour(site.Access)));
                strongest = strongest is { } s && Rank(s) >= Rank(site.Access) ? s : site.Access;
            }
            else
                rows.Add(Cell(Html(name)));
        }

        var attributes = new StringBuilder();
        var styles = new List<string> { "filled" };
        var fill = "white";
        if (weights is not null)
        {
            if (weights.Blocks.TryGetValue((function.Name, block.Index), out var weight))
            {
                var share = weight / weights.Max;
                rows.Insert(1, Cell($"<B>{Html(Invariant($"{weight:N0} packets ({100 * share:0.#}%)"))}</B>"));
                if (weight <= 0)
                    styles.Add("dashed");
                else
                {
                    fill = HeatScale[Bucket(share)];
                    attributes.Append($", fontcolor=\"{TextOn(fill)}\"");
                }
            }
            else
            {
                fill = UnknownFill;
                rows.Insert(1, Cell("<I>no profile data</I>"));
            }
        }

        if (block.Terminator is { } terminator && cfg.Graph.OutDegree(block) == 0)
        {
            styles.Add("rounded");
            // A phi's verdicts are gathered edge by edge, as the edges into the block show them.
            var values = ExitVerdicts.ReturnedPhi(block) is { } phi
                ? cfg.Graph.InEdges(block).SelectMany(e => verdicts.Along(e, phi, type)).Distinct().ToList()
                : terminator.OperandCount > 0 ? verdicts.Of(terminator.Operand(0), type) : [];
            var returned = terminator.Opcode == Llvm.LlvmOpcode.Ret
                ? values.Count > 0 ? "returns " + string.Join(" | ", values) : "returns"
                : terminator.Opcode == Llvm.LlvmOpcode.Unreachable ? "unreachable" : "leaves the function";
            rows.Add(Cell($"<B>{Html(returned)}</B>", VerdictColour));
        }
        if (block == cfg.Entry)
            attributes.Append(", peripheries=2");
        if (strongest is { } access)
            attributes.Append($", color=\"{AccessBorder(access)}\", penwidth=3");
        dot.Append($"    {prefix}{block.Index} [label=<<TABLE BORDER=\"0\" CELLBORDER=\"0\" CELLSPACING=\"1\" CELLPADDING=\"2\">")
            .Append(string.Concat(rows.Select(r => $"<TR>{r}</TR>")))
            .Append($"</TABLE>>, style=\"{string.Join(",", styles)}\", fillcolor=\"{fill}\"{attributes}];\n");
    }

    private static void AppendEdge(StringBuilder dot, string prefix, Llvm.LlvmFunction function, ControlFlowGraph cfg, CfgEdge edge,
        BpfProgramType? type, ExitVerdicts verdicts, CfgWeights? weights)
    {
        var parts = new List<string>();
        if (edge.Label.Length > 0)
            parts.Add(edge.Label);
        // Into a return block whose value is a phi: the verdict this path returns.
        if (ExitVerdicts.ReturnedPhi(edge.Target) is { } phi && verdicts.Along(edge, phi, type) is { Count: > 0 } returned)
            parts.Add(string.Join(" | ", returned));
        var attributes = new StringBuilder();
        var backEdge = cfg.Dominators.Dominates(edge.Target, edge.Source);
        if (weights is not null)
        {
            if (weights.Edges.TryGetValue((function.Name, edge.Source.Index, edge.Target.Index), out var taken) && taken > 0)
            {
                var share = taken / weights.Max;
                var ofSource = weights.Blocks.TryGetValue((function.Name, edge.Source.Index), out var from) && from > 0
                    ? Invariant($" ({100 * taken / from:0.#}%)") : "";
                parts.Add(Invariant($"{taken:N0}{ofSource}"));
                attributes.Append(Invariant($", penwidth={1 + 5 * share:F2}, color=\"{HeatScale[Math.Max(4, Bucket(share))]}\""));
                if (backEdge)
                    attributes.Append(", style=dashed");
            }
            else
            {
                if (weights.Edges.ContainsKey((function.Name, edge.Source.Index, edge.Target.Index)))
                    parts.Add("0");
                attributes.Append($", style=dotted, color=\"{ColdEdgeColour}\"");
            }
        }
        else if (backEdge)
            attributes.Append(", style=dashed");
        var label = parts.Count > 0 ? $"label=\"{string.Join("\\n", parts.Select(Escape))}\"" : "";
        var all = (label + attributes).TrimStart(',', ' ');
        dot.Append($"    {prefix}{edge.Source.Index} -> {prefix}{edge.Target.Index}{(all.Length > 0 ? $" [{all}]" : "")};\n");
    }

    /// <summary>A legend node in its own cluster: every fill, border, badge, shape and edge style the graph uses.</summary>
    private static void AppendLegend(StringBuilder dot, CfgWeights? weights, bool chain)
    {
        var rows = new List<string>
        {
            Row("white", "<B>bb3</B> file.c:40-42 (7 IR)", "a basic block: its source lines and their text (the IR when the source is not readable here), IR instruction count"),
            Row("white", "double border", "the function's entry block"),
            Row(VerdictColour, "<B>returns XDP_PASS | XDP_DROP</B>", "rounded: a return block and the verdicts it returns; \"verdict of bpf_redirect\" / \"of the tail call\": the helper's result is returned; \"computed\": not a constant"),
            Row(ReadOnlyColour, "#5 bpf_map_lookup_elem(routes)  read-only", "map access, value only read; a green border: the block's strongest map access is read-only"),
            Row(WrittenColour, "#6 bpf_map_update_elem(stats)  written", "map written (update, delete, or through a looked-up value); a blue border"),
            Row(MayWriteColour, "#7 ...(map)  may-write", "map handed to something not followed (it may be written); a purple border"),
            Row(TailCallColour, "#8 bpf_tail_call(jump)  tail call", "a tail call; the block goes on only when it fails"),
            Row(RedirectColour, "#9 bpf_redirect  redirect", "a redirect helper; its result is usually the verdict returned"),
            Row("white", "T / F, case N / default", "edge taken when the branch condition is true / false, or for that switch case"),
            Row("white", "XDP_DROP on an edge", "the verdict returned along that edge into a return block"),
            Row("white", "dashed edge", "a loop's back edge"),
        };
        if (chain)
        {
            rows.Add(Row("white", $"<FONT COLOR=\"{StageBorder}\"><B>stage NAME: map[1]</B></FONT>", "a service chain's stage (bold orange frame): the program, and the PROG_ARRAY slot it sits in (\"entry\": the program on the hook)"));
            rows.Add(Row("white", $"<FONT COLOR=\"{StageBorder}\">bold orange edge: map[2]</FONT>", "a tail call to the program in that slot (dashed: the index is computed, so any occupied slot)"));
        }
        if (weights is not null)
        {
            for (var i = 0; i < HeatScale.Length; i++)
            {
                var sample = $"<FONT COLOR=\"{TextOn(HeatScale[i])}\">{Invariant($"{100.0 * i / HeatScale.Length:0}-{100.0 * (i + 1) / HeatScale.Length:0}%")}</FONT>";
                rows.Add(i == 0
                    ? Row(HeatScale[i], sample, "fill: packets through the block as a share of the hottest block (the program's entry: all its packets); text light on dark fills", HeatScale.Length)
                    : Row(HeatScale[i], sample, null));
            }
            rows.Add(Row("white", "dashed border, 0 packets", "the block never ran in the profile"));
            rows.Add(Row(UnknownFill, "<I>no profile data</I>", "the profile has no count for the block"));
            rows.Add(Row("white", "wide, coloured edge: N (P%)", "times the edge was taken (P: share of its source block's packets); wider and darker when hotter"));
            rows.Add(Row("white", "dotted grey edge", "never taken in the profile, or no branch count for it"));
        }
        dot.Append("  subgraph cluster_legend {\n    label=\"legend\";\n    labeljust=l;\n    style=rounded;\n    legend [shape=plain, fontname=\"sans-serif\", label=<")
            .Append("<TABLE BORDER=\"0\" CELLBORDER=\"1\" CELLSPACING=\"0\" CELLPADDING=\"3\">")
            .Append(string.Concat(rows))
            .Append("</TABLE>>];\n  }\n");

        // A meaning may span the rows after it (the heat scale's classes); those rows pass none.
        static string Row(string colour, string sample, string? meaning, int span = 1) =>
            $"<TR><TD BGCOLOR=\"{colour}\" ALIGN=\"LEFT\"><FONT FACE=\"monospace\">{sample}</FONT></TD>" +
            (meaning is null ? "" : $"<TD ALIGN=\"LEFT\"{(span > 1 ? $" ROWSPAN=\"{span}\"" : "")}>{Html(meaning)}</TD>") + "</TR>";
    }

    /// <summary>Which of the nine heat classes a share of the hottest block falls in.</summary>
    private static int Bucket(double share) => Math.Clamp((int)Math.Ceiling(Math.Clamp(share, 0, 1) * HeatScale.Length) - 1, 0, HeatScale.Length - 1);

    /// <summary>Black or white, whichever contrasts more with <paramref name="fill"/> (WCAG relative luminance).</summary>
    internal static string TextOn(string fill)
    {
        static double Channel(string hex)
        {
            var c = int.Parse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture) / 255.0;
            return c <= 0.03928 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
        }
        var luminance = 0.2126 * Channel(fill[1..3]) + 0.7152 * Channel(fill[3..5]) + 0.0722 * Channel(fill[5..7]);
        return (luminance + 0.05) / 0.05 >= 1.05 / (luminance + 0.05) ? "black" : "white";
    }

    private static int Rank(MapAccess access) => access switch { MapAccess.Written => 2, MapAccess.MayWrite => 1, _ => 0 };

    private static string AccessColour(MapAccess access) => access switch
    {
        MapAccess.Written => WrittenColour, MapAccess.MayWrite => MayWriteColour, _ => ReadOnlyColour,
    };

    private static string AccessBorder(MapAccess access) => access switch
    {
        MapAccess.Written => WrittenBorder, MapAccess.MayWrite => MayWriteBorder, _ => ReadOnlyBorder,
    };

    private static BpfProgramType? GuessType(string section) =>
        section.StartsWith("xdp", StringComparison.Ordinal) ? BpfProgramType.Xdp
        : section.StartsWith("tc", StringComparison.Ordinal) || section.StartsWith("classifier", StringComparison.Ordinal) ? BpfProgramType.SchedCls
        : null;

    /// <summary>A left-aligned table cell; a badge when it has a colour (always dark text: badges are light).</summary>
    private static string Cell(string html, string? colour = null) => colour is null
        ? $"<TD ALIGN=\"LEFT\" BALIGN=\"LEFT\">{html}</TD>"
        : $"<TD ALIGN=\"LEFT\" BALIGN=\"LEFT\" BGCOLOR=\"{colour}\"><FONT COLOR=\"black\">{html}</FONT></TD>";

    private static string Trim(string text)
    {
        text = text.Replace("\t", "    ", StringComparison.Ordinal);
        return text.Length <= MaxWidth ? text : text[..(MaxWidth - 1)] + "…";
    }

    /// <summary>An instruction without its metadata attachments (<c>, !dbg !42</c>), which say nothing to a reader.</summary>
    private static string StripMetadata(string instruction) =>
        instruction.IndexOf(", !", StringComparison.Ordinal) is var at and >= 0 ? instruction[..at] : instruction;

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>Escapes text for a graphviz HTML-like label.</summary>
    private static string Html(string text) => WebUtility.HtmlEncode(text);

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
