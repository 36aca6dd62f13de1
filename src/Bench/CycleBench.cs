using System.Globalization;
using System.Text.Json.Nodes;
using Kecleon.Runtime.Checking;
using Kecleon.Runtime.Deployment;
using Kecleon.Runtime.Guards;
using Kecleon.Runtime.Optimization;
using Kecleon.Workloads;

namespace Kecleon.Bench;

/// <summary>One stage of a cycle, its median and 99th percentile over the warm cycles, in ms.</summary>
public sealed record CycleStage(string Stage, double MedianMs, double P99Ms);

/// <summary>The warm optimize cycles of one program (<c>kecleon bench --cycles N</c>): each stage's median and p99.</summary>
public sealed record CycleTiming(string Program, int Cycles, int CheckPackets, IReadOnlyList<StageTimes> Times)
{
    /// <summary>The stages as <see cref="StageTimes"/> names them, then IR to loaded (their sum without the check).</summary>
    public IReadOnlyList<CycleStage> Stages =>
    [
        .. CycleBench.Stages.Select(s => Summary(s.Name, Times.Select(s.Of))),
        Summary(CycleBench.IrToLoaded, Times.Select(t => t.CloneToLoaded)),
    ];

    public CycleStage Stage(string name) => Stages.First(s => s.Stage == name);

    private static CycleStage Summary(string name, IEnumerable<TimeSpan> times)
    {
        var sorted = times.Select(t => t.TotalMilliseconds).Order().ToList();
        var median = sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
        // Nearest rank: with fewer than 100 cycles, the slowest.
        var p99 = sorted[Math.Max(0, (int)Math.Ceiling(0.99 * sorted.Count) - 1)];
        return new CycleStage(name, median, p99);
    }
}

/// <summary>
/// Times warm optimize cycles as the daemon runs them after a control-plane write
/// (<c>TargetWorker.OptimizeAndSwapAsync(respecialize: true)</c>): the sample loaded on its control plane, one cycle
/// to warm up (the process's first pays the .NET JIT), then per cycle one rewrite of an entry of a map the last
/// program was specialized on, and a cycle on the new snapshot with the last one's snapshots given
/// (<see cref="OptimizeOptions.PreviousSnapshots"/>) and the module parsed and analysed ahead, between the cycles
/// (<see cref="OptimizeOptions.Prepared"/>), the daemon's sample of the check packets, its probe limit and its tables
/// kept in place, without the profiling path (a reaction leaves it out). The last program stays loaded while the next
/// is built, as the live one does. Nothing is swapped: a swap is one system call.
/// </summary>
public static class CycleBench
{
    /// <summary>The stage names, as in the daemon's status.</summary>
    public static readonly IReadOnlyList<(string Name, Func<StageTimes, TimeSpan> Of)> Stages =
    [
        ("parse", t => t.Parse), ("analyze", t => t.Analyze), ("snapshot", t => t.Snapshot), ("passes", t => t.Passes),
        ("o2", t => t.Optimize), ("codegen", t => t.CodeGen), ("load", t => t.Load), ("check", t => t.Check),
    ];

    /// <summary>The stages before the check, summed per cycle.</summary>
    public const string IrToLoaded = "ir_to_loaded";

    /// <summary>The daemon's default <c>respecialize_probes</c>.</summary>
    public const int RespecializeProbes = 256;

    /// <summary>The daemon's default <c>respecialize_check_packets</c>.</summary>
    public const int RespecializeCheckPackets = 256;

    /// <summary>The check packets' trace length: the daemon's for a bundled sample (<c>LiveTarget.DefaultCheckPackets</c>).</summary>
    private const int CheckTrace = 1000;

    public static CycleTiming Run(INetworkFunctionSample sample, int cycles, int seed = 1, IProgress<int>? progress = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(cycles, 1);
        if (sample.ProgramSlots.Count > 0)
            throw new UsageException($"--cycles times one program's cycle; {sample.Name} is a service chain (its cycle fuses its stages): leave it out");
        var controlPlane = sample.GenerateControlPlane(seed);
        var source = SampleFiles.Read(sample);
        var elf = OriginalSelection.ObjectOf(source, SampleFiles.FrontEndOptions);
        var packets = CheckPackets.ForSample(sample, controlPlane, CheckTrace, seed).Packets;
        using var guards = GuardTable.Open();
        using var original = LoadedVariant.Load("original", elf, sample.ProgramName);
        original.Apply(controlPlane);
        var times = new List<StageTimes>();
        using var checkMaps = new CheckMapPool();
        OptimizedProgram? current = null;
        PreparedModule? prepared = null;
        try
        {
            for (var cycle = 0; cycle <= cycles; cycle++)
            {
                if (current is not null)
                {
                    // As the daemon does after each cycle, while it waits: the next cycle's module parsed and analysed.
                    prepared = PreparedModule.Prepare(source, SharedMapWriters.Find(original, Trusting(current)).Maps);
                    Rewrite(original, current.Report);
                }
                // The first cycle is the daemon's first, with the whole check; the others its reactions', with a sample.
                var checkPackets = current is null ? packets : CheckPackets.Spread(packets, RespecializeCheckPackets);
                var next = OptimizationCycle.Run(source, original, elf, guards, checkPackets, new OptimizeOptions
                {
                    TrustedProgramIds = Trusting(current),
                    PreviousSnapshots = current?.Report.Snapshots,
                    BackedOff = current?.Report.BackedOff ?? new Dictionary<int, Kecleon.Optimizer.Planning.PlanReason>(),
                    MaxProbePackets = current is null ? ProbePackets.DefaultLimit : RespecializeProbes,
                    // A reaction builds no profiling path (the daemon builds it back in once the writes pause).
                    Profiling = null,
                    InPlaceData = true,
                    Reaction = true,
                    Prepared = prepared,
                    CheckMaps = checkMaps,
                });
                prepared?.Dispose();
                prepared = null;
                current?.Dispose();
                current = next;
                if (cycle > 0)
                    times.Add(next.Report.Times);
                progress?.Report(cycle);
            }
        }
        finally
        {
            prepared?.Dispose();
            current?.Dispose();
        }
        return new CycleTiming(sample.Name, cycles, CheckPackets.Spread(packets, RespecializeCheckPackets).Count, times);
    }

    /// <summary>The programs whose writes the next cycle's analysis describes: the last specialized one.</summary>
    private static HashSet<uint> Trusting(OptimizedProgram? current) =>
        current is null ? [] : [current.Variant.Program.Info().Id];

    /// <summary>A control-plane write the guard sees: the first entry of the first map specialized on, written again
    /// with its value (the contents stay the program's, so every cycle specializes alike).</summary>
    private static void Rewrite(LoadedVariant original, OptimizationReport report)
    {
        foreach (var snapshot in report.Snapshots)
        {
            if (snapshot.Entries.Count == 0 || original.Object.FindMap(snapshot.Name) is not { } map)
                continue;
            var (key, value) = snapshot.Entries[0];
            map.Update(key, value);
            return;
        }
    }

    public static string Text(CycleTiming timing)
    {
        var text = new System.Text.StringBuilder();
        text.AppendLine(FormattableString.Invariant(
            $"cycles {timing.Program}: {timing.Cycles} warm cycles after a write (1 warm-up), {timing.CheckPackets} check packets (of {CheckTrace} and the known frames) and up to {RespecializeProbes} probes besides the changed keys'"));
        text.AppendLine(FormattableString.Invariant($"  {"stage",-14} {"median ms",10} {"p99 ms",10}"));
        foreach (var s in timing.Stages)
            text.AppendLine(FormattableString.Invariant($"  {(s.Stage == IrToLoaded ? "IR to loaded" : s.Stage),-14} {s.MedianMs,10:F1} {s.P99Ms,10:F1}"));
        return text.ToString();
    }

    /// <summary><c>kecleon bench --cycles N --json</c> (docs/json.md): each program's stages, median and p99 in ms.</summary>
    public static string Json(IReadOnlyList<CycleTiming> timings) => JsonOutput.Render(new JsonObject
    {
        ["cycles"] = new JsonArray([.. timings.Select(t => (JsonNode)new JsonObject
        {
            ["program"] = t.Program,
            ["cycles"] = t.Cycles,
            ["check_packets"] = t.CheckPackets,
            ["stages"] = new JsonArray([.. t.Stages.Select(s => (JsonNode)new JsonObject
            {
                ["stage"] = s.Stage,
                ["median_ms"] = Math.Round(s.MedianMs, 2),
                ["p99_ms"] = Math.Round(s.P99Ms, 2),
            })]),
        })]),
    });
}
