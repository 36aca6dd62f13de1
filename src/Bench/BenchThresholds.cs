using System.Text.Json;
using Kecleon.Workloads;

namespace Kecleon.Bench;

/// <summary>
/// Regression thresholds for CI (<c>kecleon bench --check FILE</c>). The file is JSON:
/// <code>
/// { "checks": [
///     { "program": "router", "trace": "high", "variant": "optimized", "min_ratio": 1.5 },
///     { "variant": "compiled", "min_ratio": 0.85 },
///     { "max_mismatches": 0 } ] }
/// </code>
/// <c>program</c>/<c>trace</c> are optional filters (absent = every result); <c>min_ratio</c> is on baseline_ns / variant_ns,
/// measured side by side, or with <c>relative_to</c> on that variant's ns / variant_ns (<c>{ "variant": "window_open",
/// "relative_to": "window_closed", "min_ratio": 0.95 }</c>: an open profile window costs at most about 5 %); <c>max_mismatches</c> on the differential checks; <c>max_alternate_cost</c> (with
/// <c>--daemon-idle</c>) bounds how much worse the floor and each ratio are with the daemon running idle
/// (<see cref="BenchResult.AlternateCosts"/>: 0.02 is 2 %), and is skipped on a bench run without it;
/// <c>max_guard_hook_ns</c> (with <c>--guard-hook</c>) bounds the ns the attached guard hook adds to each system call
/// measured, and is skipped on a bench run without it.
/// </summary>
public sealed record BenchThreshold(string? Program, string? Trace, string? Variant, double? MinRatio, int? MaxMismatches)
{
    public double? MaxAlternateCost { get; init; }
    public double? MaxGuardHookNs { get; init; }
    /// <summary>The variant <see cref="MinRatio"/> is measured against instead of the baseline.</summary>
    public string? RelativeTo { get; init; }

    public static IReadOnlyList<BenchThreshold> Load(string path)
    {
        if (!File.Exists(path))
            throw new InputNotFoundException($"{path}: no such thresholds file");
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            return doc.RootElement.GetProperty("checks").EnumerateArray().Select(c => new BenchThreshold(
                Str(c, "program"), Str(c, "trace"), Str(c, "variant"),
                c.TryGetProperty("min_ratio", out var r) ? r.GetDouble() : null,
                c.TryGetProperty("max_mismatches", out var m) ? m.GetInt32() : null)
            {
                MaxAlternateCost = c.TryGetProperty("max_alternate_cost", out var a) ? a.GetDouble() : null,
                MaxGuardHookNs = c.TryGetProperty("max_guard_hook_ns", out var g) ? g.GetDouble() : null,
                RelativeTo = Str(c, "relative_to"),
            }).ToList();
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InvalidInputException($"{path}: not a thresholds file ({e.Message}); see `kecleon bench --help` for the format");
        }
    }

    private static string? Str(JsonElement e, string name) => e.TryGetProperty(name, out var v) ? v.GetString() : null;

    /// <summary>Every violated threshold, as a sentence.</summary>
    public static IReadOnlyList<string> Violations(IReadOnlyList<BenchThreshold> thresholds, IReadOnlyList<BenchResult> results)
    {
        var violations = new List<string>();
        foreach (var t in thresholds)
        foreach (var r in results.Where(r => (t.Program ?? r.Program) == r.Program && (t.Trace ?? r.Trace) == r.Trace))
        {
            if (t.MaxMismatches is { } max && r.Mismatches > max)
                violations.Add($"{r.Program}/{r.Trace}: {r.Mismatches} mismatches > {max}");
            if (t.MaxAlternateCost is { } most && r.Alternate is { } alternate)
                foreach (var (v, cost) in r.AlternateCosts.Where(c => (t.Variant ?? c.Variant) == c.Variant && c.Cost > most))
                    violations.Add($"{r.Program}/{r.Trace}: {v} {(v == FloorProgram.Name ? "ns" : "ratio")} {cost * 100:+0.0;-0.0}% worse with {alternate.Condition} > {most * 100:0.#}%");
            if (t.MinRatio is { } min && t.Variant is { } variant)
            {
                var reference = t.RelativeTo ?? VariantBuild.Baseline.Name;
                if (r.Timing(variant) is null || r.Timing(reference) is null)
                    violations.Add($"{r.Program}/{r.Trace}: no '{(r.Timing(variant) is null ? variant : reference)}' variant was measured");
                else if (r.Timing(reference)!.MeanNs / r.Timing(variant)!.MeanNs is var ratio && ratio < min)
                    violations.Add($"{r.Program}/{r.Trace}: {reference}/{variant} = {ratio:F3} < {min}");
            }
        }
        return violations;
    }

    /// <summary>Every call the attached guard hook slowed by more than a <c>max_guard_hook_ns</c>, as a sentence.</summary>
    public static IReadOnlyList<string> Violations(IReadOnlyList<BenchThreshold> thresholds, IReadOnlyList<GuardHookCall> calls) =>
        [.. from t in thresholds
            where t.MaxGuardHookNs is not null
            from c in calls
            where c.AddedNs > t.MaxGuardHookNs
            select $"guard hook: {c.Call} {c.AddedNs:F0} ns slower attached > {t.MaxGuardHookNs} ns"];
}
