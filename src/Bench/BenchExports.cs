using System.Globalization;
using System.Net;
using System.Text;
using ScottPlot;

namespace Kecleon.Bench;

/// <summary>
/// The bench's reports for people: a self-contained HTML page (charts drawn with ScottPlot, embedded as SVG images),
/// and Markdown and CSV tables with one row per trace and variant, in the manner of BenchmarkDotNet's exporters. Every
/// interval is a 99 % confidence interval (<see cref="VariantTiming.MeanInterval"/>, <see cref="BenchInterval.Ratio"/>);
/// a trace is disturbed by <see cref="BenchResult.DisturbedReasons"/>.
/// </summary>
public static class BenchExports
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    private static readonly Dictionary<string, string> Colours = new()
    {
        [FloorProgram.Name] = "#9e9e9e", ["baseline"] = "#d62728", ["compiled"] = "#ff7f0e", [BenchSession.InstrumentedVariant] = "#9467bd",
        ["optimized"] = "#2ca02c", [BenchSession.MapsOnlyVariant] = "#17becf", ["lpm_tree"] = "#8c564b", ["lpm_no_branch"] = "#e377c2",
        [BenchSession.WindowClosedVariant] = "#bcbd22", [BenchSession.WindowOpenVariant] = "#1f77b4",
    };

    private static Color ColourOf(string variant) => Color.FromHex(Colours.GetValueOrDefault(variant, "#7f7f7f"));

    /// <summary>The variants a speedup is given for: all but the floor and the baseline.</summary>
    private static IEnumerable<VariantTiming> Compared(BenchResult r) =>
        r.Timings.Where(t => t.Variant is not (FloorProgram.Name or "baseline"));

    public static string Html(IReadOnlyList<BenchResult> results, BenchEnvironment environment)
    {
        var sb = new StringBuilder();
        sb.AppendLine("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Kecleon bench</title><style>");
        sb.AppendLine("""
            body{font-family:system-ui,sans-serif;margin:1.5em 2em;color:#222;max-width:1150px}
            h1{margin-bottom:.2em}h2{margin-top:1.6em;border-bottom:1px solid #ddd}
            .env{background:#f4f6f8;border:1px solid #d8dee4;padding:.6em 1em;border-radius:6px;font-size:14px}
            .env b{display:inline-block;min-width:6.5em}
            table{border-collapse:collapse;font-size:13px;margin:.6em 0}td,th{padding:3px 9px;text-align:right;border-bottom:1px solid #eee}
            th{background:#fafafa}td:first-child,th:first-child{text-align:left}
            .disturbed{background:#fff4e5}.badge{background:#e65100;color:#fff;border-radius:4px;padding:1px 6px;font-size:12px;margin-left:.5em;vertical-align:middle}
            .note{color:#555;font-size:13px}.reasons{color:#b23c17;font-size:13px}
            img{max-width:100%;height:auto}pre{font-size:11px;background:#fafafa;padding:.5em;overflow-x:auto}
            """);
        sb.AppendLine("</style></head><body>");
        sb.AppendLine("<h1>Kecleon bench</h1>");
        sb.AppendLine("<div class=\"env\">");
        foreach (var (key, value) in new[]
                 {
                     ("kernel", environment.Kernel), ("CPU", $"{environment.Cpu} ({environment.Cores} cores)"), ("kecleon", environment.Version),
                     ("runtime", environment.Runtime), ("date", $"{environment.Date.UtcDateTime:yyyy-MM-dd HH:mm} UTC"),
                 })
            sb.AppendLine($"<div><b>{key}</b> {E(value)}</div>");
        sb.AppendLine("</div>");
        sb.AppendLine(string.Create(Invariant,
            $"<p class=\"note\">Mean kernel-measured ns per packet (BPF_PROG_TEST_RUN, each packet on a fresh copy), variants alternated in rounds; error bars and intervals: " +
            $"{VariantTiming.Confidence:P0} confidence interval of the mean over the passes (rounds × loads, upper outliers left out). Speedup: baseline ns / variant ns, its interval the widest the two intervals allow. " +
            $"A trace is <span class=\"badge\">disturbed</span> when a variant's mean of all passes is over {VariantTiming.DisturbedMargin:P0} above their median " +
            $"or its interval reaches over {VariantTiming.WideIntervalMargin:P0} of its mean: do not trust its ratios, run it again.</p>"));

        sb.AppendLine("<h2>Summary</h2>");
        var variants = results.SelectMany(Compared).Select(t => t.Variant).Distinct().ToList();
        sb.Append("<table><tr><th>program / trace</th><th>packets × rounds × loads</th>");
        foreach (var v in variants)
            sb.Append($"<th>{E(v)} speedup [99% CI]</th>");
        sb.AppendLine("<th>mismatches</th><th>disturbed</th></tr>");
        foreach (var r in results)
        {
            var reasons = r.DisturbedReasons;
            sb.Append($"<tr{(reasons.Count > 0 ? " class=\"disturbed\"" : "")}><td><a href=\"#{Anchor(r)}\">{E(r.Program)} / {E(r.Trace)}</a></td><td>{r.Packets} × {r.Rounds} × {r.Loads}</td>");
            foreach (var v in variants)
                sb.Append(r.Timing(v) is null ? "<td>—</td>" : $"<td>{Speedup(r.RatioInterval(v))}</td>");
            sb.AppendLine($"<td>{r.Mismatches}</td><td>{(reasons.Count > 0 ? "yes" : "")}</td></tr>");
        }
        sb.AppendLine("</table>");
        if (variants.Count > 0)
            sb.AppendLine(Image(SummaryChart(results, variants), "speedup per trace"));

        foreach (var r in results)
        {
            var reasons = r.DisturbedReasons;
            sb.AppendLine($"<section{(reasons.Count > 0 ? " class=\"disturbed\"" : "")}>");
            sb.AppendLine($"<h2 id=\"{Anchor(r)}\">{E(r.Program)} / {E(r.Trace)}{(reasons.Count > 0 ? "<span class=\"badge\">disturbed</span>" : "")}</h2>");
            if (reasons.Count > 0)
                sb.AppendLine($"<p class=\"reasons\">Disturbed: {E(string.Join("; ", reasons))}.</p>");
            sb.AppendLine($"<p class=\"note\">{r.Packets} packets × {r.Rounds} rounds × {r.Loads} loads of each variant; {r.Mismatches} mismatches in the differential checks.</p>");
            sb.AppendLine(Image(TraceChart(r), $"{r.Program} / {r.Trace}: ns per packet"));
            sb.AppendLine("<table><tr><th>variant</th><th>mean ns</th><th>± error</th><th>99% CI</th><th>median</th><th>min</th><th>max</th><th>passes</th><th>outliers</th><th>speedup [99% CI]</th></tr>");
            foreach (var t in r.Timings)
            {
                var ci = t.MeanInterval;
                sb.AppendLine(string.Create(Invariant,
                    $"<tr{(t.Disturbed || t.WideInterval ? " class=\"disturbed\"" : "")}><td>{E(t.Variant)}</td><td>{t.MeanNs:F1}</td><td>{ci.Margin:F1}</td><td>[{ci.Lower:F1}, {ci.Upper:F1}]</td>" +
                    $"<td>{t.MedianNs:F1}</td><td>{t.MinNs:F1}</td><td>{t.MaxNs:F1}</td><td>{t.RoundMeansNs.Count}</td><td>{t.Outliers}</td>" +
                    $"<td>{(t.Variant == FloorProgram.Name ? "" : Speedup(r.RatioInterval(t.Variant)))}</td></tr>"));
            }
            sb.AppendLine("</table>");
            sb.AppendLine($"<details><summary>text output</summary><pre>{E(BenchReport.Text(r))}</pre></details>");
            sb.AppendLine("</section>");
        }
        sb.AppendLine("</body></html>");
        return sb.ToString();
    }

    private static string Speedup(BenchInterval i) => string.Create(Invariant, $"{i.Value:F3}× [{i.Lower:F3}, {i.Upper:F3}]");

    private static string Anchor(BenchResult r) => $"{r.Program}-{r.Trace}".Replace(' ', '-');

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string Image(string svg, string alt) =>
        $"<p><img alt=\"{E(alt)}\" src=\"data:image/svg+xml;base64,{Convert.ToBase64String(Encoding.UTF8.GetBytes(svg))}\"></p>";

    /// <summary>ns per packet per variant, the bars' error bars the 99 % interval of the mean.</summary>
    public static string TraceChart(BenchResult r)
    {
        var plot = new Plot();
        var bars = r.Timings.Select((t, i) => new Bar
        {
            Position = i,
            Value = t.MeanNs,
            Error = t.MeanInterval.Margin,
            FillColor = ColourOf(t.Variant),
            Label = t.MeanNs.ToString("F1", Invariant),
        }).ToList();
        foreach (var bar in bars)
            bar.CenterLabel = true; // inside the bar, clear of its error bar
        var plottable = plot.Add.Bars(bars);
        plottable.ValueLabelStyle.FontSize = 12;
        plottable.ValueLabelStyle.ForeColor = Colors.White;
        plottable.ValueLabelStyle.Bold = true;
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            [.. r.Timings.Select((_, i) => (double)i)], [.. r.Timings.Select(t => t.Variant)]);
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        plot.Axes.Left.Label.Text = "ns per packet (mean, 99% CI)";
        plot.Axes.Margins(bottom: 0, top: 0.15);
        plot.Title($"{r.Program} / {r.Trace}{(r.DisturbedReasons.Count > 0 ? " (disturbed)" : "")}");
        plot.Grid.XAxisStyle.MajorLineStyle.Width = 0;
        return plot.GetSvgXml(Math.Max(520, 110 * r.Timings.Count), 380);
    }

    /// <summary>Each variant's speedup over the baseline, per trace, with its 99 % interval; a line at 1 (the baseline).</summary>
    public static string SummaryChart(IReadOnlyList<BenchResult> results, IReadOnlyList<string> variants)
    {
        var plot = new Plot();
        var group = variants.Count + 1;
        foreach (var (v, k) in variants.Select((v, k) => (v, k)))
        {
            var points = results.Select((r, i) => (r, x: i * group + k)).Where(p => p.r.Timing(v) is not null)
                .Select(p => (p.x, ratio: p.r.RatioInterval(v))).ToList();
            if (points.Count == 0)
                continue;
            var bars = plot.Add.Bars(points.Select(p => new Bar { Position = p.x, Value = p.ratio.Value, FillColor = ColourOf(v) }).ToList());
            bars.LegendText = v;
            var xs = points.Select(p => (double)p.x).ToList();
            var none = xs.Select(_ => 0.0).ToList();
            var errors = new ScottPlot.Plottables.ErrorBar(xs, [.. points.Select(p => p.ratio.Value)], none, none, none, none)
            {
                YErrorPositive = [.. points.Select(p => double.IsFinite(p.ratio.Upper) ? p.ratio.Upper - p.ratio.Value : 0)],
                YErrorNegative = [.. points.Select(p => p.ratio.Value - p.ratio.Lower)],
            };
            plot.Add.Plottable(errors);
            errors.Color = Colors.Black;
        }
        var one = plot.Add.HorizontalLine(1, 1.5f, Colors.Black, LinePattern.Dashed);
        one.LegendText = "baseline (1×)";
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            [.. results.Select((_, i) => i * group + (variants.Count - 1) / 2.0)],
            [.. results.Select(r => $"{r.Program}/{r.Trace}{(r.DisturbedReasons.Count > 0 ? " *" : "")}")]);
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        plot.Axes.Left.Label.Text = "baseline ns / variant ns (99% CI)";
        plot.Axes.Margins(bottom: 0, top: 0.1);
        plot.Grid.XAxisStyle.MajorLineStyle.Width = 0;
        plot.Title(results.Any(r => r.DisturbedReasons.Count > 0) ? "Speedup over the baseline (* disturbed)" : "Speedup over the baseline");
        plot.ShowLegend(Edge.Right);
        return plot.GetSvgXml(Math.Max(700, 60 * group * results.Count), 420);
    }

    private static readonly string[] Columns =
        ["program", "trace", "variant", "mean_ns", "error_ns", "ci_lower_ns", "ci_upper_ns", "median_ns", "min_ns", "max_ns", "passes", "outliers",
         "ratio", "ratio_ci_lower", "ratio_ci_upper", "disturbed"];

    /// <summary>One row per trace and variant: <see cref="Columns"/>; <c>error_ns</c> is half the 99 % interval, the ratio
    /// is baseline ns / variant ns (empty for the floor), <c>disturbed</c> whether the trace is.</summary>
    private static IEnumerable<string[]> Rows(IReadOnlyList<BenchResult> results) =>
        from r in results
        let disturbed = r.DisturbedReasons.Count > 0
        from t in r.Timings
        let ci = t.MeanInterval
        let ratio = t.Variant == FloorProgram.Name ? (BenchInterval?)null : r.RatioInterval(t.Variant)
        select new[]
        {
            r.Program, r.Trace, t.Variant, F(t.MeanNs, 2), F(ci.Margin, 2), F(ci.Lower, 2), F(ci.Upper, 2), F(t.MedianNs, 2), F(t.MinNs, 2),
            F(t.MaxNs, 2), t.RoundMeansNs.Count.ToString(Invariant), t.Outliers.ToString(Invariant),
            ratio is { } a ? F(a.Value, 4) : "", ratio is { } b ? F(b.Lower, 4) : "", ratio is { } c && double.IsFinite(c.Upper) ? F(c.Upper, 4) : "",
            disturbed ? "true" : "false",
        };

    private static string F(double value, int decimals) => Math.Round(value, decimals).ToString(Invariant);

    /// <summary>CSV (RFC 4180, a header line, invariant numbers).</summary>
    public static string Csv(IReadOnlyList<BenchResult> results)
    {
        static string Field(string s) => s.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{s.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : s;
        var sb = new StringBuilder();
        sb.Append(string.Join(',', Columns)).Append("\r\n");
        foreach (var row in Rows(results))
            sb.Append(string.Join(',', row.Select(Field))).Append("\r\n");
        return sb.ToString();
    }

    /// <summary>Markdown: the environment, then a GitHub table of the same rows as the CSV.</summary>
    public static string Markdown(IReadOnlyList<BenchResult> results, BenchEnvironment environment)
    {
        var sb = new StringBuilder();
        sb.AppendLine("# Kecleon bench");
        sb.AppendLine();
        sb.AppendLine($"{environment}");
        sb.AppendLine();
        sb.AppendLine(string.Create(Invariant,
            $"ns per packet; error: half the {VariantTiming.Confidence:P0} confidence interval of the mean; ratio: baseline ns / variant ns with its interval; " +
            $"disturbed: a variant's mean of all passes over {VariantTiming.DisturbedMargin:P0} above their median or its interval over {VariantTiming.WideIntervalMargin:P0} of its mean."));
        sb.AppendLine();
        sb.AppendLine("| program | trace | variant | mean ns | error | 99% CI | median | passes | outliers | ratio | ratio 99% CI | disturbed |");
        sb.AppendLine("|---|---|---|---:|---:|---|---:|---:|---:|---:|---|---|");
        foreach (var row in Rows(results))
            sb.AppendLine($"| {row[0]} | {row[1]} | {row[2]} | {row[3]} | {row[4]} | [{row[5]}, {row[6]}] | {row[7]} | {row[10]} | {row[11]} | {row[12]} | " +
                          $"{(row[12].Length > 0 ? $"[{row[13]}, {row[14]}]" : "")} | {(row[15] == "true" ? "**yes**" : "")} |");
        return sb.ToString();
    }
}
