using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kecleon.Workloads;

namespace Kecleon.Bench;

/// <summary>Renders bench results: a text table, JSON for machines, an HTML page (<see cref="BenchExports"/>).</summary>
public static class BenchReport
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Text(BenchResult r)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"{r.Program} / {r.Trace}: {r.Packets} packets x {r.Rounds} rounds x {r.Loads} loads of each variant, each packet on a fresh copy (repeat 1)");
        sb.AppendLine($"  {"variant",-13} {"mean ns",9} {"min",8} {"median",8} {"max",8} {"-floor",8} {"baseline/x",11} {"(-floor)",9} {"outliers",9}");
        foreach (var t in r.Timings)
        {
            var ratio = t.Variant == FloorProgram.Name ? "" : $"{r.Ratio(t.Variant):F3}x";
            var net = t.Variant == FloorProgram.Name ? "" : $"{r.FloorSubtractedRatio(t.Variant):F3}x";
            sb.AppendLine(string.Create(Invariant,
                $"  {t.Variant,-13} {t.MeanNs,9:F1} {t.MinNs,8:F1} {t.MedianNs,8:F1} {t.MaxNs,8:F1} {t.MeanNs - r.FloorNs,8:F1} {ratio,11} {net,9} {$"{t.Outliers}/{t.RoundMeansNs.Count}",9}"));
        }
        if (r.InstrumentationOverhead is { } overhead)
            sb.AppendLine(string.Create(Invariant, $"  instrumented: {overhead * 100:+0.0;-0.0;+0.0}% ns/packet over the baseline (instrumented_ns / baseline_ns - 1)"));
        if (r.Disturbed.Count > 0)
            sb.AppendLine($"  WARNING: timing disturbed ({string.Join(", ", r.Disturbed)}: the mean of all passes is over {VariantTiming.DisturbedMargin:P0} " +
                          "above their median, so something else on the machine slowed many of them); do not trust these ratios, run the bench again on a quieter machine");
        if (r.Alternate is { } a)
        {
            sb.AppendLine($"  {a.Condition} vs not, interleaved ({a.Timings[0].RoundMeansNs.Count} passes of each variant each way; medians of the passes):");
            sb.AppendLine($"    {"variant",-13} {"ns without",11} {"ns with",9} {"ns +%",7} {"baseline/x without",19} {"with",7} {"cost",7}");
            foreach (var t in r.Timings)
            {
                var w = a.Timing(t.Variant)!;
                var ratios = t.Variant == FloorProgram.Name ? ("", "", "") : ($"{r.MedianRatio(t.Variant):F3}x", $"{a.MedianRatio(t.Variant):F3}x",
                    t.Variant == "baseline" ? "" : $"{(r.MedianRatio(t.Variant) / a.MedianRatio(t.Variant) - 1) * 100:+0.0;-0.0;+0.0}%");
                sb.AppendLine(string.Create(Invariant,
                    $"    {t.Variant,-13} {t.MedianNs,11:F1} {w.MedianNs,9:F1} {(w.MedianNs / t.MedianNs - 1) * 100,6:+0.0;-0.0;+0.0}% {ratios.Item1,19} {ratios.Item2,7} {ratios.Item3,7}"));
            }
            string Cost((string Variant, double Cost) c) => string.Create(Invariant, $"{c.Variant} {c.Cost * 100:+0.0;-0.0;+0.0}%");
            var floors = r.AlternateCosts.Where(c => c.Variant is FloorProgram.Name or FloorProgram.Repeated)
                .Select(c => Cost(c) + (c.Variant == FloorProgram.Name ? " (ns, a system call each run)" : $" (ns, {FloorProgram.Repetitions} runs a call)")).ToList();
            var ratioCosts = r.AlternateCosts.Where(c => c.Variant is not (FloorProgram.Name or FloorProgram.Repeated)).Select(Cost).ToList();
            if (r.PairCosts.Count > 0)
            {
                sb.AppendLine($"    each pair of adjacent phases (without, with), cost of {a.Condition}:");
                foreach (var (pair, i) in r.PairCosts.Select((p, i) => (p, i)))
                    sb.AppendLine($"      pair {i + 1}: {string.Join(", ", pair.Select(Cost))}");
            }
            sb.AppendLine($"    cost of {a.Condition}{(r.PairCosts.Count > 0 ? $" (median of the {r.PairCosts.Count} pairs)" : "")}: {string.Join(", ", floors)}; ratios {string.Join(", ", ratioCosts)} (above 0: worse with it)");
            if (a.Disturbed.Count > 0)
                sb.AppendLine($"  WARNING: timing with {a.Condition} disturbed ({string.Join(", ", a.Disturbed)}); run the bench again");
        }
        if (r.Optimization is { } o)
        {
            var t = o.Times;
            sb.AppendLine(string.Create(Invariant,
                $"  optimized: {o.InstructionsBefore} -> {o.InstructionsAfter} BPF instructions (verifier processed {o.VerifiedInstructions.Original} -> {o.VerifiedInstructions.Specialized}); cycle {t.CloneToLoaded.TotalMilliseconds:F1} ms IR to loaded " +
                $"(parse {t.Parse.TotalMilliseconds:F1}, analyze {t.Analyze.TotalMilliseconds:F1}, snapshot {t.Snapshot.TotalMilliseconds:F1}, passes {t.Passes.TotalMilliseconds:F1}, " +
                $"O2 {t.Optimize.TotalMilliseconds:F1}, codegen {t.CodeGen.TotalMilliseconds:F1}, load+verifier {t.Load.TotalMilliseconds:F1}), check {t.Check.TotalMilliseconds:F1} ms"));
            foreach (var step in o.Steps)
                sb.AppendLine($"    {(step.Applied ? "+" : "-")} {step.Pass}: {step.What}{(step.Where.Length > 0 ? $" [{step.Where}]" : "")}");
        }
        foreach (var check in r.Checks)
            sb.AppendLine(check.Equivalent
                ? $"  differential check {check.B} vs {check.A}: {check.Packets} packets, 0 mismatches (verdicts, bytes{(check.ComparedMaps.Count > 0 ? $", maps: {string.Join(", ", check.ComparedMaps)}" : "")})"
                : $"  differential check {check.B} vs {check.A}: {check.Mismatches.Count} MISMATCH(ES); first at packet {check.Mismatches[0].PacketIndex}: {check.Mismatches[0].Kind}: {check.Mismatches[0].Description}");
        return sb.ToString();
    }

    /// <summary>One trace's result (docs/json.md, <c>traces[]</c> of docs/schemas/bench.schema.json): <c>floor_ns_per_packet</c>,
    /// <c>baseline_ns_per_packet</c>, <c>&lt;variant&gt;_ns_per_packet</c>, <c>speedup</c> (baseline over optimized, when
    /// there is an optimized variant), <c>mismatches</c> and each variant's statistics.</summary>
    public static JsonObject Json(BenchResult r)
    {
        var o = new JsonObject
        {
            ["program"] = r.Program,
            ["trace"] = r.Trace,
            ["packets"] = r.Packets,
            ["rounds"] = r.Rounds,
            ["loads"] = r.Loads,
        };
        foreach (var t in r.Timings)
            o[$"{t.Variant}_ns_per_packet"] = Math.Round(t.MeanNs, 2);
        if (r.Timing("optimized") is not null)
            o["speedup"] = Math.Round(r.Ratio("optimized"), 4);
        if (r.Timing(BenchSession.MapsOnlyVariant) is not null)
            o["speedup_maps_only"] = Math.Round(r.Ratio(BenchSession.MapsOnlyVariant), 4);
        if (r.InstrumentationOverhead is { } overhead)
            o["instrumentation_overhead"] = Math.Round(overhead, 4);
        o["mismatches"] = r.Mismatches;
        o["disturbed"] = new JsonArray(r.Disturbed.Select(v => (JsonNode)v).ToArray());
        if (r.Warnings.Count > 0)
            o["warnings"] = new JsonArray(r.Warnings.Select(w => (JsonNode)w).ToArray());
        var variants = new JsonObject();
        foreach (var t in r.Timings)
            variants[t.Variant] = new JsonObject
            {
                ["mean_ns_per_packet"] = Math.Round(t.MeanNs, 2),
                ["min_ns_per_packet"] = Math.Round(t.MinNs, 2),
                ["median_ns_per_packet"] = Math.Round(t.MedianNs, 2),
                ["max_ns_per_packet"] = Math.Round(t.MaxNs, 2),
                ["passes"] = t.RoundMeansNs.Count,
                ["outliers"] = t.Outliers,
                ["mean_all_ns_per_packet"] = Math.Round(t.RoundMeansNs.Average(), 2),
                ["minus_floor_ns_per_packet"] = Math.Round(t.MeanNs - r.FloorNs, 2),
                ["ratio"] = t.Variant == FloorProgram.Name ? null : Math.Round(r.Ratio(t.Variant), 4),
                ["ratio_minus_floor"] = t.Variant == FloorProgram.Name ? null : Math.Round(r.FloorSubtractedRatio(t.Variant), 4),
            };
        o["variants"] = variants;
        if (r.Alternate is { } a)
        {
            // The same variants with the alternation's condition (the daemon running idle), and what it costs.
            var with = new JsonObject { ["condition"] = a.Condition };
            foreach (var t in a.Timings)
                with[$"{t.Variant}_ns_per_packet"] = Math.Round(t.MeanNs, 2);
            foreach (var t in a.Timings)
                with[$"{t.Variant}_median_ns_per_packet"] = Math.Round(t.MedianNs, 2);
            foreach (var t in a.Timings.Where(t => t.Variant != FloorProgram.Name))
                with[$"{t.Variant}_ratio"] = Math.Round(a.Ratio(t.Variant), 4);
            var cost = new JsonObject();
            foreach (var (variant, c) in r.AlternateCosts)
                cost[variant] = Math.Round(c, 4);
            with["cost"] = cost;
            with["cost_pairs"] = new JsonArray(r.PairCosts.Select(pair =>
            {
                var o = new JsonObject();
                foreach (var (variant, c) in pair)
                    o[variant] = Math.Round(c, 4);
                return (JsonNode)o;
            }).ToArray());
            with["disturbed"] = new JsonArray(a.Disturbed.Select(v => (JsonNode)v).ToArray());
            o[a.Condition!.Replace(' ', '_')] = with;
        }
        return o;
    }

    /// <summary><c>kecleon bench --json</c>: one object whatever the number of traces, each trace's result in <c>traces</c>.</summary>
    public static string Json(IReadOnlyList<BenchResult> results) =>
        JsonOutput.Render(new JsonObject { ["traces"] = new JsonArray(results.Select(r => (JsonNode)Json(r)).ToArray()) });

    /// <summary>A self-contained HTML page with charts and tables per trace and a summary (<see cref="BenchExports.Html"/>).</summary>
    public static string Html(IReadOnlyList<BenchResult> results) => BenchExports.Html(results, BenchEnvironment.Capture());
}
