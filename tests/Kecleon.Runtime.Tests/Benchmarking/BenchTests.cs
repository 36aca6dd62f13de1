using Kecleon.Bench;
using Kecleon.Runtime.Tests.Samples;
using Kecleon.Workloads;
using Kecleon.Tests;
using Xunit;

namespace Kecleon.Runtime.Tests.Benchmarking;

public sealed class BenchTests
{
    private static readonly Lazy<BenchResult> Router = new(() =>
        BenchSession.Run(BenchWorkload.ForSample(SampleCatalog.Get("router"), Locality.High, 300, 1), [VariantBuild.Compiled], rounds: 2, optimize: true));

    [Trait("Tier", "Kernel")]
    [Fact]
    public void Json_has_the_documented_fields()
    {
        var json = BenchReport.Json(Router.Value);
        foreach (var field in new[] { "floor_ns_per_packet", "baseline_ns_per_packet", "compiled_ns_per_packet", "optimized_ns_per_packet", "speedup", "mismatches" })
            Assert.True(json.ContainsKey(field), $"missing {field}");
        Assert.Equal(0, (int)json["mismatches"]!);
        Assert.Equal(Router.Value.BaselineNs / Router.Value.Timing("optimized")!.MeanNs, (double)json["speedup"]!, tolerance: 1e-4); // rounded to 4 places
        Assert.True(Router.Value.FloorNs < Router.Value.BaselineNs);
        // Every load of every variant timed in every round.
        Assert.Equal(BenchSession.DefaultLoads, Router.Value.Loads);
        Assert.All(Router.Value.Timings, t => Assert.Equal(2 * BenchSession.DefaultLoads, t.RoundMeansNs.Count));
        Assert.Equal(BenchSession.DefaultLoads, (int)json["loads"]!);
        Assert.Contains("data:image/svg+xml;base64,", BenchReport.Html([Router.Value])); // the charts, embedded
        Assert.Contains("differential check optimized vs original", BenchReport.Text(Router.Value));
    }

    /// <summary>A pass slowed by something else on the machine is left out of the mean above Tukey's upper fence; the
    /// spread of ordinary passes is not, and with fewer than four passes nothing is. When more passes were slowed than
    /// the fence can leave out, the timing is reported as disturbed.</summary>
    [Trait("Tier", "Kernel")]
    [Fact]
    public void Upper_outlier_passes_are_left_out_of_the_mean()
    {
        var timing = new VariantTiming("baseline", [100, 101, 99, 100, 102, 98, 150]);
        Assert.Equal(1, timing.Outliers);
        Assert.Equal(100, timing.MeanNs, tolerance: 1e-9);
        Assert.Equal(150, timing.MaxNs);
        Assert.Equal(100, timing.MedianNs);

        var ordinary = new VariantTiming("baseline", [100, 104, 96, 108, 92]);
        Assert.Equal(0, ordinary.Outliers);
        Assert.Equal(100, ordinary.MeanNs, tolerance: 1e-9);

        var few = new VariantTiming("baseline", [100, 101, 300]);
        Assert.Equal(0, few.Outliers);
        Assert.Equal(167, few.MeanNs, tolerance: 1e-9);

        Assert.False(timing.Disturbed);
        // A quarter of the passes slowed several times over: the fence cannot leave them all out, and the bench says so.
        var disturbed = new VariantTiming("baseline", [100, 101, 99, 100, 102, 98, 100, 600, 500, 700]);
        Assert.True(disturbed.Disturbed);
        Assert.False(ordinary.Disturbed);

        var json = BenchReport.Json(Router.Value);
        Assert.NotNull(json["disturbed"]);
        var baseline = json["variants"]!["baseline"]!;
        Assert.Equal(2 * BenchSession.DefaultLoads, (int)baseline["passes"]!);
        Assert.InRange((int)baseline["outliers"]!, 0, 2 * BenchSession.DefaultLoads);
    }

    /// <summary>How the bench times several loads of a variant: the optimized router loaded again is another program on
    /// the very same maps, its .rodata search tables and its guards included, and answers like the first load.</summary>
    [Trait("Tier", "Kernel")]
    [Fact]
    public void A_variant_loaded_again_is_another_program_on_the_same_maps()
    {
        using var setup = new LiveSample("router");
        var trace = setup.Sample.GenerateTrace(setup.ControlPlane, Locality.High, 200, 2);
        using var optimized = setup.Optimize(trace);
        using var again = optimized.Variant.LoadAgain();
        Assert.Equal(optimized.Variant.Name, again.Name);
        Assert.NotEqual(optimized.Variant.Program.Info().Id, again.Program.Info().Id);
        var first = optimized.Variant.Object.Maps.ToList();
        Assert.Contains(first, m => m.IsInternal); // the search tables
        foreach (var map in first)
            Assert.Equal(map.Info().Id, again.Object.Map(map.Name).Info().Id);
        foreach (var packet in trace)
        {
            var a = optimized.Variant.Program.TestRun(packet);
            var b = again.Program.TestRun(packet);
            Assert.Equal(a.ReturnValue, b.ReturnValue);
            Assert.Equal(a.Output, b.Output);
        }
    }

    /// <summary>An alternation (<c>bench --daemon-idle</c>): phases with and without it, A B B A, every variant timed in
    /// each; the result carries both, and the text, the JSON and the thresholds say what the condition costs.</summary>
    [Trait("Tier", "Kernel")]
    [Fact]
    public void An_alternation_is_timed_in_interleaved_phases_and_its_cost_reported()
    {
        var entered = 0;
        var controls = 0;
        var inside = false;
        var alternation = new BenchAlternation("daemon idle", () =>
        {
            entered++;
            inside = true;
            return new Exit(() => inside = false);
        }, Phases: 2, Control: () =>
        {
            Assert.False(inside);
            controls++;
        });
        var r = BenchSession.Run(BenchWorkload.ForSample(SampleCatalog.Get("router"), Locality.High, 200, 1), [], rounds: 1, loads: 1,
            alternation: alternation);
        Assert.Equal(2, entered);
        Assert.Equal(2, controls);
        Assert.False(inside);
        // A B, B A: two pairs, one phase of each side in each.
        Assert.Equal(2, r.AlternatePairs.Count);
        Assert.Equal(2, r.PairCosts.Count);
        Assert.Contains("median of the 2 pairs", BenchReport.Text(r));
        var with = Assert.IsType<BenchResult>(r.Alternate);
        Assert.Equal("daemon idle", with.Condition);
        // Two phases each way, one round of one load in each.
        Assert.All(r.Timings, t => Assert.Equal(2, t.RoundMeansNs.Count));
        Assert.All(with.Timings, t => Assert.Equal(2, t.RoundMeansNs.Count));
        Assert.Equal(r.Timings.Select(t => t.Variant), with.Timings.Select(t => t.Variant));
        // The floor's test runs, and its repeated runs (no system call around each) timed in every phase.
        Assert.Equal(["floor", "floor_repeated"], r.AlternateCosts.Select(c => c.Variant));
        Assert.All(r.AlternatePairs, p => Assert.Equal(FloorProgram.RepeatedCalls, p.RepeatedFloorWith.Count));
        Assert.All(r.AlternatePairs, p => Assert.All(p.RepeatedFloorWithout, ns => Assert.InRange(ns, 0, 1_000)));
        Assert.Contains("cost of daemon idle", BenchReport.Text(r));
        var json = BenchReport.Json(r);
        Assert.True(json["daemon_idle"]!["cost"]!.AsObject().ContainsKey("floor"));
        Assert.True(json["daemon_idle"]!.AsObject().ContainsKey("baseline_ratio"));
    }

    [Fact]
    public void The_alternate_cost_threshold_bounds_the_floor_and_every_ratio()
    {
        static BenchResult Result(double floor, double baseline, double optimized, string? condition = null) =>
            new("router", "high", 100, 1, [new("floor", [floor]), new("baseline", [baseline]), new("optimized", [optimized])], 0, [])
            {
                Condition = condition,
            };
        var path = TestEnvironment.TempFile(".json");
        File.WriteAllText(path, "{ \"checks\": [ { \"max_alternate_cost\": 0.05 } ] }");
        var thresholds = BenchThreshold.Load(path);
        // The floor 10% slower with the daemon, the ratio the same: one violation, for the floor.
        var slowFloor = Result(60, 140, 80) with { Alternate = Result(66, 140, 80, "daemon idle") };
        Assert.Equal(0.10, slowFloor.AlternateCosts[0].Cost, tolerance: 1e-9);
        var violation = Assert.Single(BenchThreshold.Violations(thresholds, [slowFloor]));
        Assert.Contains("floor", violation);
        // The optimized variant's ratio 1.75 → 1.56 with it: 12% worse.
        var slowRatio = Result(60, 140, 80) with { Alternate = Result(60, 140, 90, "daemon idle") };
        Assert.Contains("optimized ratio", Assert.Single(BenchThreshold.Violations(thresholds, [slowRatio])));
        // Within the tolerance, and without an alternation: nothing.
        Assert.Empty(BenchThreshold.Violations(thresholds, [Result(60, 140, 80) with { Alternate = Result(61, 141, 81, "daemon idle") }]));
        Assert.Empty(BenchThreshold.Violations(thresholds, [Result(60, 140, 80)]));
    }

    /// <summary>The cost checked is the median of the pairs of adjacent phases: one pair that a slow stretch of the
    /// machine hit (everything 50 % slower on the side with the daemon) is outvoted, where it would move the medians of
    /// the passes pooled.</summary>
    [Fact]
    public void The_alternate_cost_is_the_median_of_the_pairs_of_adjacent_phases()
    {
        static IReadOnlyList<VariantTiming> Phase(double scale) =>
            [new("floor", [50 * scale, 51 * scale]), new("baseline", [400 * scale, 401 * scale]), new("optimized", [140 * scale, 141 * scale])];
        var pairs = new[] { (1.0, 1.0), (1.0, 1.5), (1.0, 1.02), (1.0, 1.5), (1.0, 0.99), (1.0, 1.01) }
            .Select(p => new PhasePair(Phase(p.Item1), Phase(p.Item2))).ToList();
        static IReadOnlyList<VariantTiming> Pool(IEnumerable<IReadOnlyList<VariantTiming>> phases) =>
            [.. phases.First().Select(t => new VariantTiming(t.Variant, [.. phases.SelectMany(p => p.First(x => x.Variant == t.Variant).RoundMeansNs)]))];
        var r = new BenchResult("router", "high", 100, 1, Pool(pairs.Select(p => p.Without)), 0, [])
        {
            AlternatePairs = pairs,
            Alternate = new BenchResult("router", "high", 100, 1, Pool(pairs.Select(p => p.With)), 0, []) { Condition = "daemon idle" },
        };
        Assert.Equal(6, r.PairCosts.Count);
        Assert.Equal(0.5, r.PairCosts[1][0].Cost, tolerance: 1e-9);
        // Two of six pairs 50 % slower: the median of the pairs is that of the other four's middle two (+1 %, +2 %).
        Assert.Equal(0.015, r.AlternateCosts[0].Cost, tolerance: 1e-9);
        Assert.Equal(0, r.AlternateCosts[1].Cost, tolerance: 1e-9);
    }

    private sealed class Exit(Action action) : IDisposable
    {
        public void Dispose() => action();
    }

    [Trait("Tier", "Kernel")]
    [Fact]
    public void Thresholds_report_regressions()
    {
        var path = TestEnvironment.TempFile(".json");
        File.WriteAllText(path, """
            { "checks": [
                { "program": "router", "variant": "optimized", "min_ratio": 1000 },
                { "program": "router", "variant": "instrumented", "min_ratio": 1 },
                { "program": "switch", "variant": "optimized", "min_ratio": 1000 },
                { "max_mismatches": 0 } ] }
            """);
        var violations = BenchThreshold.Violations(BenchThreshold.Load(path), [Router.Value]);
        Assert.Equal(2, violations.Count);
        Assert.Contains(violations, v => v.Contains("baseline/optimized"));
        Assert.Contains(violations, v => v.Contains("no 'instrumented' variant"));
        File.WriteAllText(path, "{ \"oops\": 1 }");
        Assert.Throws<InvalidInputException>(() => BenchThreshold.Load(path));
    }

    /// <summary><c>--lpm-shapes</c>: each LPM search shape is its own variant, checked against the baseline and timed
    /// beside <c>optimized</c>; what they must beat is a threshold in <c>.ci/bench-thresholds.json</c>.</summary>
    [Trait("Tier", "Kernel")]
    [Fact]
    public void Each_lpm_shape_is_a_checked_variant_timed_beside_optimized()
    {
        var r = BenchSession.Run(BenchWorkload.ForSample(SampleCatalog.Get("router"), Locality.Low, 200, 1), [], rounds: 1, loads: 1,
            optimize: true, specializations: SpecializationVariant.LpmShapes);
        Assert.Equal(0, r.Mismatches);
        foreach (var variant in SpecializationVariant.LpmShapes)
            Assert.NotNull(r.Timing(variant.Name));
        Assert.NotNull(r.Timing("optimized"));
        Assert.True(BenchReport.Json(r).ContainsKey("lpm_tree_ns_per_packet"));
    }

    /// <summary>The thresholds CI checks load, and each names the variants the bench measures.</summary>
    [Theory]
    [InlineData("bench-thresholds.json")]
    [InlineData("daemon-idle-thresholds.json")]
    public void The_ci_thresholds_load(string file)
    {
        var thresholds = BenchThreshold.Load(Path.Combine(TestEnvironment.RepositoryRoot, ".ci", file));
        Assert.NotEmpty(thresholds);
        var known = new[] { "compiled", "optimized", FloorProgram.Repeated, BenchSession.InstrumentedVariant, BenchSession.MapsOnlyVariant,
                BenchSession.WindowClosedVariant, BenchSession.WindowOpenVariant, ChainBench.StagesVariant, ChainBench.FusedVariant }
            .Concat(SpecializationVariant.LpmShapes.Select(v => v.Name)).ToList();
        Assert.All(thresholds.Where(t => t.Variant is not null), t => Assert.Contains(t.Variant, known));
        Assert.All(thresholds.Where(t => t.RelativeTo is not null), t => Assert.Contains(t.RelativeTo, known));
    }

    /// <summary><c>max_guard_hook_ns</c> bounds what the attached guard hook adds to each call <c>--guard-hook</c>
    /// times, and does not apply to a bench of programs.</summary>
    [Fact]
    public void The_guard_hook_threshold_bounds_the_ns_added_to_each_call()
    {
        var path = TestEnvironment.TempFile(".json");
        File.WriteAllText(path, """{ "checks": [ { "max_guard_hook_ns": 500 }, { "max_mismatches": 0 } ] }""");
        var thresholds = BenchThreshold.Load(path);
        GuardHookCall[] calls = [new("bpf MAP_LOOKUP_ELEM", 900, 1200), new("bpf MAP_UPDATE_ELEM, guarded map", 900, 1500)];
        var violation = Assert.Single(BenchThreshold.Violations(thresholds, calls));
        Assert.Contains("MAP_UPDATE_ELEM, guarded map 600 ns", violation);
        Assert.Empty(BenchThreshold.Violations(thresholds, Array.Empty<BenchResult>()));
    }

    /// <summary>The churn bounds apply to churn runs only: stale (and wrong) verdicts, each kind's median (skipped for a
    /// kind the daemon never recorded), every kind's p99 (failed without any reaction), the rebuilds per write and the
    /// daemon's mismatches; a bench of programs skips them.</summary>
    [Fact]
    public void The_churn_thresholds_bound_stale_verdicts_and_each_kind_of_reaction()
    {
        var path = TestEnvironment.TempFile(".json");
        File.WriteAllText(path, """
            { "checks": [ { "max_stale_verdicts": 0 }, { "max_in_place_median_ms": 10 }, { "max_rebuild_median_ms": 50 },
                          { "max_reaction_p99_ms": 100 }, { "max_rebuilds_per_write": 1.0 }, { "max_mismatches": 0 },
                          { "variant": "optimized", "min_ratio": 1.2 } ] }
            """);
        var thresholds = BenchThreshold.Load(path);
        var write = new Kecleon.Bench.Live.ChurnWrite(0, new Kecleon.Bench.Live.ChurnChange("routes", "re-route a prefix", KeepsShape: true), TimeSpan.Zero);
        ChurnResult Run(long stale, params ChurnReactions[] reactions) =>
            new("router", 1, 100, new Kecleon.Bench.Live.ChurnTraffic([write], 100, 90, 5, stale, 0, 0, TimeSpan.FromSeconds(1)), reactions, 0, 0, 0, null);

        var good = BenchThreshold.Evaluate(thresholds, [Run(0, new ChurnReactions("in_place", 1, 0.5, 0.9, []), new ChurnReactions("rebuild", 1, 30, 60, []))]);
        Assert.DoesNotContain(good, o => o.Status == CheckStatus.Failed);
        Assert.Equal(CheckStatus.Skipped, Assert.Single(good, o => o.Check.StartsWith("min_ratio", StringComparison.Ordinal)).Status);

        var bad = BenchThreshold.Evaluate(thresholds, [Run(3, new ChurnReactions("rebuild", 2, 80, 120, []))])
            .Where(o => o.Status == CheckStatus.Failed).Select(o => o.Message).ToList();
        Assert.Equal(4, bad.Count);
        Assert.Contains(bad, m => m.Contains("2 rebuilds per write > 1", StringComparison.Ordinal));
        Assert.Contains(bad, m => m.Contains("3 stale or wrong verdicts", StringComparison.Ordinal));
        Assert.Contains(bad, m => m.Contains("80 ms median", StringComparison.Ordinal));
        Assert.Contains(bad, m => m.Contains("120 ms p99", StringComparison.Ordinal));
        Assert.Contains(BenchThreshold.Evaluate(thresholds, [Run(0)]), o => o.Status == CheckStatus.Failed && o.Message.Contains("no reaction", StringComparison.Ordinal));
        // Reactions to the data plane's own writes answer none of the run's writes.
        var dataPlaneOnly = Run(0, new ChurnReactions(ChurnResult.DataPlaneKind, 40, 2, 5, []));
        Assert.Equal(1, dataPlaneOnly.Unanswered);
        Assert.Contains(BenchThreshold.Evaluate(thresholds, [dataPlaneOnly]), o => o.Status == CheckStatus.Failed && o.Message.Contains("no reaction", StringComparison.Ordinal));

        Assert.All(BenchThreshold.Evaluate(thresholds, Array.Empty<BenchResult>()).Where(o => o.Check.StartsWith("max_stale", StringComparison.Ordinal)),
            o => Assert.Equal(CheckStatus.Skipped, o.Status));
    }
}
