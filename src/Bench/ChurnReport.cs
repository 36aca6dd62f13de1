using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Kecleon.Bench.Live;

namespace Kecleon.Bench;

/// <summary>One stage of a kind of reaction as the daemon recorded it: median and p99 in milliseconds.</summary>
public sealed record ChurnStage(string Stage, double MedianMs, double P99Ms);

/// <summary>The daemon's record of one kind of reaction to the run's writes (<c>in_place</c> or <c>rebuild</c>): how many,
/// and write (the <c>bpf()</c> return) → specialized code correct again, median and p99, with its stages.</summary>
public sealed record ChurnReactions(string Kind, long Count, double MedianMs, double P99Ms, IReadOnlyList<ChurnStage> Stages);

/// <summary>
/// A churn run (<c>kecleon bench --churn</c>): the daemon kept a live sample specialized while a control plane wrote its
/// maps every <see cref="WriteEveryMs"/>; what the traffic showed (<see cref="Traffic"/>), and what the daemon recorded:
/// its reactions per kind, the differential checks that failed (<see cref="Mismatches"/>), its other failures, the checks
/// that raced a write and ran again.
/// </summary>
public sealed record ChurnResult(string Program, double DurationS, double WriteEveryMs, ChurnTraffic Traffic,
    IReadOnlyList<ChurnReactions> Reactions, long Mismatches, long DaemonFailures, long RacedChecks, double? Speedup)
{
    /// <summary>The kind of reaction to the data plane's own writes, which the run's writes are not.</summary>
    public const string DataPlaneKind = "data_plane";

    /// <summary>Writes none of whose reactions the daemon recorded (coalesced into a later one, or unanswered at the end).</summary>
    public long Unanswered => Math.Max(0, Traffic.Writes.Count - ToWrites.Sum(r => r.Count));

    /// <summary>Every reaction's write → live, worst kind's p99 (0 without reactions), of the reactions to the run's
    /// writes.</summary>
    public double P99Ms => ToWrites.Count == 0 ? 0 : ToWrites.Max(r => r.P99Ms);

    /// <summary>The reactions to the control plane's writes (not the data plane's own).</summary>
    public IReadOnlyList<ChurnReactions> ToWrites => [.. Reactions.Where(r => r.Kind != DataPlaneKind)];

    public ChurnReactions? Kind(string kind) => Reactions.FirstOrDefault(r => r.Kind == kind);
}

public static class ChurnReport
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>A kind of reaction as the report says it (the daemon's <c>DaemonMetrics.KindText</c>).</summary>
    private static string KindText(string kind) => kind switch
    {
        "in_place" => "in-place updates",
        "rebuild" => "rebuilds",
        _ => "data-plane writes",
    };

    public static string Text(ChurnResult r)
    {
        var t = r.Traffic;
        var sb = new StringBuilder();
        var keep = t.Writes.Count(w => w.Change.KeepsShape);
        sb.AppendLine(Invariant, $"churn {r.Program}: {t.Writes.Count} writes in {t.Elapsed.TotalSeconds:F1} s (one every {r.WriteEveryMs:0.#} ms; " +
                                 $"{keep} keep the maps' shape, {t.Writes.Count - keep} change it), {t.Frames} frames sent after them");
        if (r.Reactions.Count == 0)
            sb.AppendLine("  the daemon recorded no reaction");
        foreach (var k in r.Reactions)
        {
            sb.AppendLine(Invariant, $"  {KindText(k.Kind),-17} {k.Count,5}: write → specialized again median {k.MedianMs:F2} ms, p99 {k.P99Ms:F2} ms");
            var stages = string.Join(", ", k.Stages.Select(s => string.Create(Invariant, $"{s.Stage} {s.MedianMs:F2}/{s.P99Ms:F2}")));
            if (k.Stages.Count > 0)
                sb.AppendLine($"                         stages (median/p99 ms): {stages}");
        }
        if (r.Unanswered > 0)
            sb.AppendLine(Invariant, $"  {r.Unanswered} writes coalesced into a later reaction or unanswered at the end");
        sb.AppendLine(Invariant, $"  stale verdicts {t.Stale}, wrong {t.Wrong}, lost {t.Missing} of {t.Frames} frames ({t.Changed} had their verdict or bytes changed by the write before them)");
        var speedup = r.Speedup is { } s ? string.Create(Invariant, $"; live speedup {s:F2}x") : "";
        sb.AppendLine(Invariant, $"  daemon: {r.Mismatches} check mismatches, {r.DaemonFailures} other failures, {r.RacedChecks} checks raced a write{speedup}");
        return sb.ToString();
    }

    public static JsonObject Json(ChurnResult r)
    {
        var t = r.Traffic;
        var json = new JsonObject
        {
            ["program"] = r.Program,
            ["duration_s"] = Math.Round(t.Elapsed.TotalSeconds, 3),
            ["write_every_ms"] = r.WriteEveryMs,
            ["writes"] = t.Writes.Count,
            ["writes_keeping_shape"] = t.Writes.Count(w => w.Change.KeepsShape),
            ["frames"] = t.Frames,
            ["frames_out"] = t.Out,
            ["frames_changed"] = t.Changed,
            ["stale_verdicts"] = t.Stale,
            ["wrong_verdicts"] = t.Wrong,
            ["lost_frames"] = t.Missing,
            ["mismatches"] = r.Mismatches,
            ["daemon_failures"] = r.DaemonFailures,
            ["raced_checks"] = r.RacedChecks,
            ["unanswered_writes"] = r.Unanswered,
            ["reactions"] = new JsonArray([.. r.Reactions.Select(k => (JsonNode)new JsonObject
            {
                ["kind"] = k.Kind,
                ["count"] = k.Count,
                ["median_ms"] = Math.Round(k.MedianMs, 3),
                ["p99_ms"] = Math.Round(k.P99Ms, 3),
                ["stages"] = new JsonArray([.. k.Stages.Select(s => (JsonNode)new JsonObject
                {
                    ["stage"] = s.Stage,
                    ["median_ms"] = Math.Round(s.MedianMs, 3),
                    ["p99_ms"] = Math.Round(s.P99Ms, 3),
                })]),
            })]),
        };
        if (r.Speedup is { } speedup)
            json["speedup"] = Math.Round(speedup, 3);
        return json;
    }

    public static string Json(IReadOnlyList<ChurnResult> results) =>
        JsonOutput.Render(new JsonObject { ["churn"] = new JsonArray([.. results.Select(r => (JsonNode)Json(r))]) });
}
