using System.Globalization;
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
/// "relative_to": "window_closed", "min_ratio": 0.95 }</c>: an open profile window costs at most about 5 %);
/// <c>max_mismatches</c> on the differential checks; <c>max_alternate_cost</c> (with <c>--daemon-idle</c>) bounds how
/// much worse the floor and each ratio are with the daemon running idle (<see cref="BenchResult.AlternateCosts"/>: 0.02
/// is 2 %), and is skipped on a bench run without it; <c>max_guard_hook_ns</c> (with <c>--guard-hook</c>) bounds the ns
/// the attached guard hook adds to each system call measured, and is skipped on a bench run without it;
/// <c>max_cycle_ms</c> and <c>max_cycle_check_ms</c> (with <c>--cycles</c>) bound the median ms of a warm optimize cycle,
/// IR to loaded and its check (<see cref="CycleBench"/>), and are skipped on a bench run without it.
/// With <c>--churn</c> (skipped on a bench run without it): <c>max_stale_verdicts</c> bounds the frames that came out as
/// the maps before a write make them (and those that came out wrong), <c>max_in_place_median_ms</c> and
/// <c>max_rebuild_median_ms</c> the median write → specialized again of each kind of reaction the daemon recorded (skipped
/// for a kind it recorded none of), <c>max_reaction_p99_ms</c> the p99 of every kind (a run with no reaction fails it),
/// <c>max_rebuilds_per_write</c> the rebuilds the daemon recorded over the writes (more than one a write: something
/// besides the control plane, the data plane's own refills say, kept the program rebuilding), and <c>max_mismatches</c>
/// the daemon's failed differential checks.
/// The file is read strictly: an unknown key, a value of the wrong type, or a program, trace or variant the bench does
/// not know is an error (exit 65) naming the file and the key.
/// </summary>
public sealed record BenchThreshold(string? Program, string? Trace, string? Variant, double? MinRatio, int? MaxMismatches)
{
    public double? MaxAlternateCost { get; init; }
    public double? MaxGuardHookNs { get; init; }
    /// <summary>The median ms of a warm cycle, IR to loaded (<c>--cycles</c>).</summary>
    public double? MaxCycleMs { get; init; }
    /// <summary>The median ms of a warm cycle's check (<c>--cycles</c>).</summary>
    public double? MaxCycleCheckMs { get; init; }
    public int? MaxStaleVerdicts { get; init; }
    public double? MaxInPlaceMedianMs { get; init; }
    public double? MaxRebuildMedianMs { get; init; }
    public double? MaxReactionP99Ms { get; init; }
    public double? MaxRebuildsPerWrite { get; init; }

    /// <summary>A bound only a churn run measures.</summary>
    public bool ChurnOnly => MaxStaleVerdicts is not null || MaxInPlaceMedianMs is not null || MaxRebuildMedianMs is not null || MaxReactionP99Ms is not null
                             || MaxRebuildsPerWrite is not null;
    /// <summary>The variant <see cref="MinRatio"/> is measured against instead of the baseline.</summary>
    public string? RelativeTo { get; init; }

    /// <summary>Every variant a bench can time, by the name a thresholds file gives it.</summary>
    public static IReadOnlyList<string> Variants { get; } =
    [
        FloorProgram.Name, FloorProgram.Repeated, VariantBuild.Baseline.Name, VariantBuild.Compiled.Name, BenchSession.InstrumentedVariant,
        BenchSession.MapsOnlyVariant, "optimized", .. SpecializationVariant.LpmShapes.Select(v => v.Name),
        BenchSession.WindowClosedVariant, BenchSession.WindowOpenVariant, ChainBench.StagesVariant, ChainBench.FusedVariant,
    ];

    private static readonly string[] Filters = ["program", "trace", "variant", "relative_to"];
    private static readonly string[] Measures =
    [
        "min_ratio", "max_mismatches", "max_alternate_cost", "max_guard_hook_ns",
        "max_stale_verdicts", "max_in_place_median_ms", "max_rebuild_median_ms", "max_reaction_p99_ms", "max_rebuilds_per_write", "max_cycle_ms",
        "max_cycle_check_ms",
    ];

    /// <summary>The check, as the report names it: what it bounds and where.</summary>
    public string Describe()
    {
        var scope = string.Join(" ", new[] { ("program", Program), ("trace", Trace), ("variant", Variant), ("relative_to", RelativeTo) }
            .Where(f => f.Item2 is not null).Select(f => $"{f.Item1}={f.Item2}"));
        var bound = (MinRatio, MaxMismatches, MaxAlternateCost, MaxGuardHookNs) switch
        {
            _ when MaxCycleMs is { } ms => string.Create(CultureInfo.InvariantCulture, $"max_cycle_ms {ms}"),
            _ when MaxCycleCheckMs is { } ms => string.Create(CultureInfo.InvariantCulture, $"max_cycle_check_ms {ms}"),
            _ when MaxRebuildsPerWrite is { } most => string.Create(CultureInfo.InvariantCulture, $"max_rebuilds_per_write {most}"),
            ({ } min, _, _, _) => string.Create(CultureInfo.InvariantCulture, $"min_ratio {min}"),
            (_, { } max, _, _) => $"max_mismatches {max}",
            (_, _, { } cost, _) => string.Create(CultureInfo.InvariantCulture, $"max_alternate_cost {cost}"),
            (_, _, _, { } ns) => string.Create(CultureInfo.InvariantCulture, $"max_guard_hook_ns {ns}"),
            _ => (MaxStaleVerdicts, MaxInPlaceMedianMs, MaxRebuildMedianMs, MaxReactionP99Ms) switch
            {
                ({ } stale, _, _, _) => $"max_stale_verdicts {stale}",
                (_, { } ms, _, _) => string.Create(CultureInfo.InvariantCulture, $"max_in_place_median_ms {ms}"),
                (_, _, { } ms, _) => string.Create(CultureInfo.InvariantCulture, $"max_rebuild_median_ms {ms}"),
                (_, _, _, { } ms) => string.Create(CultureInfo.InvariantCulture, $"max_reaction_p99_ms {ms}"),
                _ => "",
            },
        };
        return scope.Length == 0 ? bound : $"{bound} ({scope})";
    }

    /// <summary>Reads a thresholds file strictly (exit 65 on anything it does not know). <paramref name="programs"/> and
    /// <paramref name="traces"/> are names this run knows beside the bundled samples and localities (your program, your
    /// pcap's file name).</summary>
    public static IReadOnlyList<BenchThreshold> Load(string path, IEnumerable<string>? programs = null, IEnumerable<string>? traces = null)
    {
        if (!File.Exists(path))
            throw new InputNotFoundException($"{path}: no such thresholds file");
        var knownPrograms = SampleCatalog.All.Select(s => s.Name).Concat(programs ?? []).Distinct().ToList();
        var knownTraces = Enum.GetNames<Locality>().Select(l => l.ToLowerInvariant()).Concat(traces ?? []).Distinct().ToList();
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new InvalidInputException($"{path}: not JSON ({e.Message}); the format: docs/bench.md#regression-thresholds---check-file");
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw Bad(path, "the top level", $"is {Kind(root)}, not an object {{ \"checks\": [...] }}");
            foreach (var p in root.EnumerateObject().Where(p => p.Name is not ("checks" or "$schema")))
                throw Bad(path, p.Name, "is not a key of a thresholds file" + Suggest(p.Name, ["checks"]) + "; the top level has \"checks\"");
            if (!root.TryGetProperty("checks", out var checks))
                throw Bad(path, "checks", "is missing: the file is { \"checks\": [ ... ] }");
            if (checks.ValueKind != JsonValueKind.Array)
                throw Bad(path, "checks", $"is {Kind(checks)}, not an array");
            var list = new List<BenchThreshold>();
            var index = 0;
            foreach (var c in checks.EnumerateArray())
            {
                var at = $"checks[{index++}]";
                if (c.ValueKind != JsonValueKind.Object)
                    throw Bad(path, at, $"is {Kind(c)}, not an object");
                foreach (var p in c.EnumerateObject().Where(p => !Filters.Contains(p.Name) && !Measures.Contains(p.Name)))
                    throw Bad(path, $"{at}.{p.Name}", "is not a key of a check" + Suggest(p.Name, [.. Filters, .. Measures]) +
                                                   $"; the keys are {string.Join(", ", Filters.Concat(Measures))}");
                var measures = Measures.Where(m => c.TryGetProperty(m, out _)).ToList();
                if (measures.Count != 1)
                    throw Bad(path, at, measures.Count == 0
                        ? $"checks nothing: give one of {string.Join(", ", Measures)}"
                        : $"has {string.Join(" and ", measures)}: one bound per check");
                var t = new BenchThreshold(
                    Name(path, c, at, "program", knownPrograms), Name(path, c, at, "trace", knownTraces), Name(path, c, at, "variant", Variants),
                    Number(path, c, at, "min_ratio"), Number(path, c, at, "max_mismatches", integer: true) is { } m ? (int)m : null)
                {
                    MaxAlternateCost = Number(path, c, at, "max_alternate_cost"),
                    MaxGuardHookNs = Number(path, c, at, "max_guard_hook_ns"),
                    MaxCycleMs = Number(path, c, at, "max_cycle_ms"),
                    MaxCycleCheckMs = Number(path, c, at, "max_cycle_check_ms"),
                    MaxStaleVerdicts = Number(path, c, at, "max_stale_verdicts", integer: true) is { } stale ? (int)stale : null,
                    MaxInPlaceMedianMs = Number(path, c, at, "max_in_place_median_ms"),
                    MaxRebuildMedianMs = Number(path, c, at, "max_rebuild_median_ms"),
                    MaxReactionP99Ms = Number(path, c, at, "max_reaction_p99_ms"),
                    MaxRebuildsPerWrite = Number(path, c, at, "max_rebuilds_per_write"),
                    RelativeTo = Name(path, c, at, "relative_to", Variants),
                };
                if (t.MinRatio is not null && t.Variant is null)
                    throw Bad(path, $"{at}.min_ratio", "needs a \"variant\": the ratio is baseline_ns (or relative_to's) / variant_ns");
                if (t.RelativeTo is not null && t.MinRatio is null)
                    throw Bad(path, $"{at}.relative_to", "applies to min_ratio only");
                list.Add(t);
            }
            return list;
        }
    }

    private static InvalidInputException Bad(string path, string key, string what) => new($"{path}: {key} {what}");

    private static string Kind(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    private static string? Name(string path, JsonElement c, string at, string key, IReadOnlyList<string> known)
    {
        if (!c.TryGetProperty(key, out var v))
            return null;
        if (v.ValueKind != JsonValueKind.String)
            throw Bad(path, $"{at}.{key}", $"is {Kind(v)}, not a string");
        var name = v.GetString()!;
        if (!known.Contains(name))
            throw Bad(path, $"{at}.{key}", $"'{name}' is not a {key.Replace('_', ' ')} the bench knows" + Suggest(name, known) +
                                           $"; known: {string.Join(", ", known)}");
        return name;
    }

    private static double? Number(string path, JsonElement c, string at, string key, bool integer = false)
    {
        if (!c.TryGetProperty(key, out var v))
            return null;
        if (v.ValueKind != JsonValueKind.Number || (integer && !v.TryGetInt32(out _)))
            throw Bad(path, $"{at}.{key}", $"is {Kind(v)}, not {(integer ? "a whole number" : "a number")}");
        var number = v.GetDouble();
        if (number < 0 || !double.IsFinite(number))
            throw Bad(path, $"{at}.{key}", string.Create(CultureInfo.InvariantCulture, $"is {number}: a bound is 0 or more"));
        return number;
    }

    /// <summary>" (did you mean 'x'?)" for the closest known name, else nothing.</summary>
    internal static string Suggest(string name, IEnumerable<string> known) =>
        Suggestions.Nearest(name, known).Select(k => $" (did you mean '{k}'?)").FirstOrDefault() ?? "";

    /// <summary>
    /// Every check against every result it applies to, one outcome each (a check no result of this run measures: one
    /// outcome, skipped). A <c>min_ratio</c> fails only when the ratio's 99 % interval lies wholly below it; a mean below
    /// with the interval reaching the bound is inconclusive, and passes.
    /// </summary>
    public static IReadOnlyList<CheckOutcome> Evaluate(IReadOnlyList<BenchThreshold> thresholds, IReadOnlyList<BenchResult> results)
    {
        var outcomes = new List<CheckOutcome>();
        foreach (var t in thresholds)
        {
            var name = t.Describe();
            var before = outcomes.Count;
            if (t.MaxGuardHookNs is not null || t.ChurnOnly)
            {
                outcomes.Add(CheckOutcome.Skip(name, t.ChurnOnly ? "measured by `bench --churn` only" : "measured by `bench --guard-hook` only"));
                continue;
            }
            if (t.IsCycleCheck)
            {
                outcomes.Add(CheckOutcome.Skip(name, "measured by `bench --cycles` only"));
                continue;
            }
            foreach (var r in results.Where(r => (t.Program ?? r.Program) == r.Program && (t.Trace ?? r.Trace) == r.Trace))
            {
                var scope = $"{r.Program}/{r.Trace}";
                if (t.MaxMismatches is { } max)
                    outcomes.Add(new CheckOutcome(name, scope, r.Mismatches > max ? CheckStatus.Failed : CheckStatus.Passed, r.Mismatches, $"<= {max}", null,
                        $"{scope}: {r.Mismatches} mismatches {(r.Mismatches > max ? ">" : "<=")} {max}"));
                if (t.MaxAlternateCost is { } most && r.Alternate is { } alternate)
                    foreach (var (v, cost) in r.AlternateCosts.Where(c => (t.Variant ?? c.Variant) == c.Variant))
                        outcomes.Add(new CheckOutcome(name, $"{scope} {v}", cost > most ? CheckStatus.Failed : CheckStatus.Passed, cost,
                            string.Create(CultureInfo.InvariantCulture, $"<= {most}"), null,
                            string.Create(CultureInfo.InvariantCulture,
                                $"{scope}: {v} {(v is FloorProgram.Name or FloorProgram.Repeated ? "ns" : "ratio")} {cost * 100:+0.0;-0.0;+0.0}% worse with {alternate.Condition} {(cost > most ? ">" : "<=")} {most * 100:0.#}%")));
                if (t.MinRatio is { } min && t.Variant is { } variant)
                {
                    var reference = t.RelativeTo ?? VariantBuild.Baseline.Name;
                    var bound = string.Create(CultureInfo.InvariantCulture, $">= {min}");
                    // A check for every program applies to those that have the variant (a service chain has no
                    // compiled or window_open, a single program no stages); one naming its program must find it.
                    if (t.Program is null && (r.Timing(variant) is null || r.Timing(reference) is null))
                        continue;
                    if (r.Timing(variant) is null || r.Timing(reference) is null)
                    {
                        outcomes.Add(new CheckOutcome(name, scope, CheckStatus.Failed, null, bound, null,
                            $"{scope}: no '{(r.Timing(variant) is null ? variant : reference)}' variant was measured"));
                        continue;
                    }
                    var ratio = r.RatioInterval(variant, reference);
                    var status = ratio.Value >= min ? CheckStatus.Passed : ratio.Upper < min ? CheckStatus.Failed : CheckStatus.Inconclusive;
                    FormattableString message = status switch
                    {
                        CheckStatus.Failed => $"{scope}: {reference}/{variant} = {ratio.Value:F3} < {min} (99% interval [{ratio.Lower:F3}, {ratio.Upper:F3}] wholly below)",
                        CheckStatus.Inconclusive => $"{scope}: {reference}/{variant} = {ratio.Value:F3} < {min}, but the 99% interval [{ratio.Lower:F3}, {ratio.Upper:F3}] reaches it: inconclusive, passed",
                        _ => $"{scope}: {reference}/{variant} = {ratio.Value:F3} >= {min} (99% interval [{ratio.Lower:F3}, {ratio.Upper:F3}])",
                    };
                    outcomes.Add(new CheckOutcome(name, scope, status, ratio.Value, bound, ratio, FormattableString.Invariant(message)));
                }
            }
            if (outcomes.Count == before)
                outcomes.Add(CheckOutcome.Skip(name, t.MaxAlternateCost is not null && results.Any()
                    ? "measured with `--daemon-idle` only"
                    : "no program and trace of this run matches it (or measures its variant)"));
        }
        return outcomes;
    }

    /// <summary>Whether this check bounds a warm cycle (<c>--cycles</c>).</summary>
    public bool IsCycleCheck => MaxCycleMs is not null || MaxCycleCheckMs is not null;

    /// <summary>The cycle checks against the programs <c>--cycles</c> timed, each on its median (every other check skipped).</summary>
    public static IReadOnlyList<CheckOutcome> Evaluate(IReadOnlyList<BenchThreshold> thresholds, IReadOnlyList<CycleTiming> timings)
    {
        var outcomes = new List<CheckOutcome>();
        foreach (var t in thresholds)
        {
            if (!t.IsCycleCheck)
            {
                outcomes.Add(CheckOutcome.Skip(t.Describe(), "not measured by `bench --cycles`"));
                continue;
            }
            var (stage, most, what) = t.MaxCycleMs is { } ms ? (CycleBench.IrToLoaded, ms, "IR to loaded") : ("check", t.MaxCycleCheckMs!.Value, "check");
            var before = outcomes.Count;
            foreach (var timing in timings.Where(c => (t.Program ?? c.Program) == c.Program))
            {
                var median = timing.Stage(stage).MedianMs;
                outcomes.Add(new CheckOutcome(t.Describe(), timing.Program, median > most ? CheckStatus.Failed : CheckStatus.Passed, median,
                    string.Create(CultureInfo.InvariantCulture, $"<= {most}"), null,
                    string.Create(CultureInfo.InvariantCulture,
                        $"{timing.Program}: warm cycle {what} median {median:F1} ms {(median > most ? ">" : "<=")} {most} ms")));
            }
            if (outcomes.Count == before)
                outcomes.Add(CheckOutcome.Skip(t.Describe(), "no program of this run matches it"));
        }
        return outcomes;
    }

    /// <summary>The guard-hook checks against the calls <c>--guard-hook</c> timed (every other check skipped).</summary>
    public static IReadOnlyList<CheckOutcome> Evaluate(IReadOnlyList<BenchThreshold> thresholds, IReadOnlyList<GuardHookCall> calls) =>
    [
        .. thresholds.SelectMany(t => t.MaxGuardHookNs is not { } most
            ? [CheckOutcome.Skip(t.Describe(), "not measured by `bench --guard-hook`")]
            : calls.Select(c => new CheckOutcome(t.Describe(), $"guard hook: {c.Call}", c.AddedNs > most ? CheckStatus.Failed : CheckStatus.Passed,
                c.AddedNs, string.Create(CultureInfo.InvariantCulture, $"<= {most}"), null,
                string.Create(CultureInfo.InvariantCulture, $"guard hook: {c.Call} {c.AddedNs:F0} ns slower attached {(c.AddedNs > most ? ">" : "<=")} {most} ns")))),
    ];

    /// <summary>The checks against churn runs (<c>bench --churn</c>): stale verdicts, each kind's median and every kind's
    /// p99 write → specialized again, the daemon's mismatches; every other check skipped.</summary>
    public static IReadOnlyList<CheckOutcome> Evaluate(IReadOnlyList<BenchThreshold> thresholds, IReadOnlyList<ChurnResult> results)
    {
        var outcomes = new List<CheckOutcome>();
        foreach (var t in thresholds)
        {
            var name = t.Describe();
            if (!t.ChurnOnly && t.MaxMismatches is null)
            {
                outcomes.Add(CheckOutcome.Skip(name, "not measured by `bench --churn`"));
                continue;
            }
            var before = outcomes.Count;
            foreach (var r in results.Where(r => (t.Program ?? r.Program) == r.Program))
            {
                var scope = $"{r.Program}/churn";
                if (t.MaxMismatches is { } mismatches)
                    outcomes.Add(Bound(name, scope, r.Mismatches, mismatches, "check mismatches"));
                if (t.MaxStaleVerdicts is { } stale)
                    outcomes.Add(Bound(name, scope, r.Traffic.Stale + r.Traffic.Wrong, stale, "stale or wrong verdicts"));
                if (t.MaxReactionP99Ms is { } p99)
                    outcomes.Add(r.ToWrites.Count == 0
                        ? new CheckOutcome(name, scope, CheckStatus.Failed, null, $"<= {p99}", null, $"{scope}: the daemon recorded no reaction to the writes")
                        : Bound(name, scope, r.P99Ms, p99, "ms p99 write → specialized again"));
                if (t.MaxRebuildsPerWrite is { } perWrite)
                    outcomes.Add(r.Traffic.Writes.Count == 0
                        ? CheckOutcome.Skip(name, $"{scope}: no write was made")
                        : Bound(name, scope, (double)(r.Kind("rebuild")?.Count ?? 0) / r.Traffic.Writes.Count, perWrite, "rebuilds per write"));
                foreach (var (kind, most) in new[] { ("in_place", t.MaxInPlaceMedianMs), ("rebuild", t.MaxRebuildMedianMs) })
                    if (most is { } ms)
                        outcomes.Add(r.Kind(kind) is { } k
                            ? Bound(name, scope, k.MedianMs, ms, $"ms median write → specialized again ({kind})")
                            : CheckOutcome.Skip(name, $"{scope}: the daemon recorded no {kind} reaction to the writes"));
            }
            if (outcomes.Count == before)
                outcomes.Add(CheckOutcome.Skip(name, "no program of this run matches it"));
        }
        return outcomes;
    }

    private static CheckOutcome Bound(string name, string scope, double measured, double most, string what) =>
        new(name, scope, measured > most ? CheckStatus.Failed : CheckStatus.Passed, measured, string.Create(CultureInfo.InvariantCulture, $"<= {most}"), null,
            string.Create(CultureInfo.InvariantCulture, $"{scope}: {measured:0.##} {what} {(measured > most ? ">" : "<=")} {most}"));

    /// <summary>Every violated threshold, as a sentence.</summary>
    public static IReadOnlyList<string> Violations(IReadOnlyList<BenchThreshold> thresholds, IReadOnlyList<BenchResult> results) =>
        [.. Evaluate(thresholds, results).Where(o => o.Status == CheckStatus.Failed).Select(o => o.Message)];

    /// <summary>Every call the attached guard hook slowed by more than a <c>max_guard_hook_ns</c>, as a sentence.</summary>
    public static IReadOnlyList<string> Violations(IReadOnlyList<BenchThreshold> thresholds, IReadOnlyList<GuardHookCall> calls) =>
        [.. Evaluate(thresholds, calls).Where(o => o.Status == CheckStatus.Failed).Select(o => o.Message)];
}

/// <summary>How a check came out. <see cref="Inconclusive"/> passes: the mean is below the bound, its interval is not.</summary>
public enum CheckStatus { Passed, Inconclusive, Failed, Skipped }

/// <summary>One check against one result (<see cref="Scope"/>: program/trace): what was measured, the bound, the 99 %
/// interval where there is one, and a sentence.</summary>
public sealed record CheckOutcome(string Check, string Scope, CheckStatus Status, double? Measured, string Threshold, BenchInterval? Interval, string Message)
{
    public bool Passed => Status != CheckStatus.Failed;

    public static CheckOutcome Skip(string check, string why) => new(check, "", CheckStatus.Skipped, null, "", null, $"skipped: {why}");

    /// <summary>passed, inconclusive (passed), failed or skipped.</summary>
    public string StatusText => Status switch
    {
        CheckStatus.Inconclusive => "inconclusive, passed",
        _ => Status.ToString().ToLowerInvariant(),
    };
}
