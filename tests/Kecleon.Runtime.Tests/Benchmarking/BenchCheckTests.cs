using System.Xml.Linq;
using Kecleon.Bench;
using Kecleon.Tests;
using Xunit;

namespace Kecleon.Runtime.Tests.Benchmarking;

/// <summary><c>bench --check</c> and the bench's reports on synthetic results: the strict thresholds parser, the
/// noise-aware rule, the JUnit XML, the Markdown and CSV (no kernel).</summary>
public sealed class BenchCheckTests
{
    private static string Thresholds(string json)
    {
        var path = TestEnvironment.TempFile(".json");
        File.WriteAllText(path, json);
        return path;
    }

    private static InvalidInputException Rejected(string json) =>
        Assert.Throws<InvalidInputException>(() => BenchThreshold.Load(Thresholds(json)));

    [Fact]
    public void An_unknown_key_is_an_error_naming_it_and_the_file_with_a_suggestion()
    {
        var path = Thresholds("""{ "checks": [ { "variant": "optimized", "min_ratoi": 1.2 } ] }""");
        var e = Assert.Throws<InvalidInputException>(() => BenchThreshold.Load(path));
        Assert.Equal(ExitCodes.BadInput, e.ExitCode);
        Assert.Contains(path, e.Message);
        Assert.Contains("checks[0].min_ratoi", e.Message);
        Assert.Contains("did you mean 'min_ratio'", e.Message);
        Assert.Contains("did you mean 'checks'", Rejected("""{ "chekcs": [] }""").Message);
    }

    [Fact]
    public void Unknown_names_are_errors()
    {
        Assert.Contains("did you mean 'optimized'", Rejected("""{ "checks": [ { "variant": "optimised", "min_ratio": 1.2 } ] }""").Message);
        Assert.Contains("did you mean 'router'", Rejected("""{ "checks": [ { "program": "rooter", "max_mismatches": 0 } ] }""").Message);
        Assert.Contains("'medium' is not a trace", Rejected("""{ "checks": [ { "trace": "medium", "max_mismatches": 0 } ] }""").Message);
        Assert.Contains("checks[0].relative_to", Rejected("""{ "checks": [ { "variant": "window_open", "relative_to": "window", "min_ratio": 1 } ] }""").Message);
        // This run's own program and trace (a user's program and pcap) are known names too.
        var own = BenchThreshold.Load(Thresholds("""{ "checks": [ { "program": "myprog", "trace": "capture.pcap", "variant": "optimized", "min_ratio": 1 } ] }"""),
            ["myprog"], ["capture.pcap"]);
        Assert.Equal("myprog", Assert.Single(own).Program);
    }

    [Fact]
    public void Wrong_types_and_checks_that_check_nothing_are_errors()
    {
        Assert.Contains("checks[0].min_ratio is a string, not a number", Rejected("""{ "checks": [ { "variant": "optimized", "min_ratio": "1.2" } ] }""").Message);
        Assert.Contains("not a whole number", Rejected("""{ "checks": [ { "max_mismatches": 0.5 } ] }""").Message);
        Assert.Contains("checks[0].variant is a number", Rejected("""{ "checks": [ { "variant": 3, "min_ratio": 1 } ] }""").Message);
        Assert.Contains("checks is an object", Rejected("""{ "checks": {} }""").Message);
        Assert.Contains("checks nothing", Rejected("""{ "checks": [ { "variant": "optimized" } ] }""").Message);
        Assert.Contains("one bound per check", Rejected("""{ "checks": [ { "max_mismatches": 0, "max_guard_hook_ns": 1 } ] }""").Message);
        Assert.Contains("needs a \"variant\"", Rejected("""{ "checks": [ { "min_ratio": 1 } ] }""").Message);
        Assert.Contains("not JSON", Rejected("{ \"checks\": [").Message);
    }

    /// <summary>Passes (rounds × loads) of one variant around a mean, spread ±<paramref name="spread"/>.</summary>
    private static VariantTiming Timing(string variant, double mean, double spread) =>
        new(variant, [.. Enumerable.Range(0, 16).Select(i => mean + (i % 2 == 0 ? spread : -spread) * (i % 4 < 2 ? 1 : 0.5))]);

    private static BenchResult Result(double optimized, double spread) =>
        new("router", "high", 1000, 2, [Timing("floor", 50, 1), Timing("baseline", 200, spread), Timing("optimized", optimized, spread)], 0, []);

    [Fact]
    public void A_ratio_fails_only_when_its_interval_lies_below_the_threshold()
    {
        var thresholds = BenchThreshold.Load(Thresholds("""{ "checks": [ { "variant": "optimized", "min_ratio": 1.5 } ] }"""));
        // 200 / 125 = 1.6: passed.
        Assert.Equal(CheckStatus.Passed, Assert.Single(BenchThreshold.Evaluate(thresholds, [Result(125, 2)])).Status);
        // 200 / 140 = 1.43 with tight passes: the interval lies below 1.5, failed.
        var failed = Assert.Single(BenchThreshold.Evaluate(thresholds, [Result(140, 1)]));
        Assert.Equal(CheckStatus.Failed, failed.Status);
        Assert.True(failed.Interval!.Value.Upper < 1.5);
        Assert.Contains("baseline/optimized = 1.429 < 1.5", failed.Message);
        // The same mean with passes spread ±30 ns: the interval reaches 1.5, inconclusive, and it passes.
        var noisy = Assert.Single(BenchThreshold.Evaluate(thresholds, [Result(140, 30)]));
        Assert.Equal(CheckStatus.Inconclusive, noisy.Status);
        Assert.True(noisy.Passed);
        Assert.Contains("inconclusive, passed", noisy.Message);
        Assert.Empty(BenchThreshold.Violations(thresholds, [Result(140, 30)]));
        // A check no result matches is listed, skipped.
        var other = BenchThreshold.Load(Thresholds("""{ "checks": [ { "program": "switch", "max_mismatches": 0 }, { "max_guard_hook_ns": 10 } ] }"""));
        Assert.All(BenchThreshold.Evaluate(other, [Result(125, 2)]), o => Assert.Equal(CheckStatus.Skipped, o.Status));
    }

    [Fact]
    public void The_junit_xml_has_one_test_case_per_check()
    {
        var thresholds = BenchThreshold.Load(Thresholds("""
            { "checks": [ { "max_mismatches": 0 }, { "variant": "optimized", "min_ratio": 1.5 }, { "program": "switch", "max_mismatches": 0 } ] }
            """));
        var outcomes = BenchThreshold.Evaluate(thresholds, [Result(140, 1)]);
        var xml = XDocument.Parse(BenchCheckReport.JUnit(outcomes));
        var suite = xml.Root!.Element("testsuite")!;
        Assert.Equal("3", suite.Attribute("tests")!.Value);
        Assert.Equal("1", suite.Attribute("failures")!.Value);
        Assert.Equal("1", suite.Attribute("skipped")!.Value);
        var cases = suite.Elements("testcase").ToList();
        Assert.Equal(3, cases.Count);
        var failure = Assert.Single(cases.Select(c => c.Element("failure")).OfType<XElement>());
        Assert.Contains("measured 1.429, threshold >= 1.5", failure.Attribute("message")!.Value);
        Assert.Single(cases.Select(c => c.Element("skipped")).OfType<XElement>());
    }

    [Fact]
    public void The_markdown_summary_lists_every_check_failures_first()
    {
        var thresholds = BenchThreshold.Load(Thresholds("""{ "checks": [ { "max_mismatches": 0 }, { "variant": "optimized", "min_ratio": 1.5 } ] }"""));
        var markdown = BenchCheckReport.Markdown(BenchThreshold.Evaluate(thresholds, [Result(140, 1)]));
        var rows = markdown.Split('\n').Where(l => l.StartsWith("| ", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, rows.Count); // the header and two checks
        Assert.StartsWith("| ❌ failed | min_ratio 1.5 (variant=optimized) | router/high | 1.429 |", rows[1]);
        Assert.StartsWith("| ✅ passed | max_mismatches 0 |", rows[2]);
        Assert.Contains("1 passed (0 inconclusive), 1 failed, 0 skipped", markdown);
        Assert.Contains("1 failed", BenchCheckReport.Text(BenchThreshold.Evaluate(thresholds, [Result(140, 1)])));
    }

    /// <summary>A cycle bound is on the median of the warm cycles (IR to loaded, or the check); every other check is
    /// skipped on a <c>--cycles</c> run, and a cycle bound on a run of programs.</summary>
    [Fact]
    public void A_cycle_bound_checks_the_median_of_the_warm_cycles()
    {
        var thresholds = BenchThreshold.Load(Thresholds("""
            { "checks": [ { "program": "router", "max_cycle_ms": 50 }, { "max_cycle_check_ms": 30 }, { "max_mismatches": 0 } ] }
            """));
        static TimeSpan ms(double value) => TimeSpan.FromMilliseconds(value);
        var times = new[] { 10, 20, 200 }.Select(t => new Kecleon.Runtime.Optimization.StageTimes(ms(t / 2.0), ms(t / 2.0), TimeSpan.Zero,
            TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, ms(2 * t))).ToList();
        var timing = new CycleTiming("router", 3, 100, times);
        Assert.Equal((20, 200), (timing.Stage(CycleBench.IrToLoaded).MedianMs, timing.Stage(CycleBench.IrToLoaded).P99Ms));
        var outcomes = BenchThreshold.Evaluate(thresholds, [timing]);
        Assert.Equal([CheckStatus.Passed, CheckStatus.Failed, CheckStatus.Skipped], outcomes.Select(o => o.Status));
        Assert.Equal("router: warm cycle check median 40.0 ms > 30 ms", outcomes[1].Message);
        Assert.All(BenchThreshold.Evaluate(thresholds, [Result(125, 2)]).Take(2), o => Assert.Equal(CheckStatus.Skipped, o.Status));
    }

    /// <summary>The thresholds CI checks pass on results at their bounds with the spread this machine shows.</summary>
    [Fact]
    public void The_ci_thresholds_are_strictly_valid()
    {
        foreach (var file in new[] { "bench-thresholds.json", "daemon-idle-thresholds.json", "churn-thresholds.json" })
            Assert.NotEmpty(BenchThreshold.Load(Path.Combine(TestEnvironment.RepositoryRoot, ".ci", file)));
    }

    [Fact]
    public void The_exports_have_one_row_per_trace_and_variant()
    {
        var results = new[] { Result(125, 2), Result(140, 30) with { Trace = "low" } };
        var csv = BenchExports.Csv(results).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(1 + 2 * 3, csv.Length);
        Assert.Equal("program,trace,variant,mean_ns,error_ns,ci_lower_ns,ci_upper_ns,median_ns,min_ns,max_ns,passes,outliers,ratio,ratio_ci_lower,ratio_ci_upper,disturbed", csv[0]);
        Assert.StartsWith("router,high,optimized,125,", csv[3]);
        Assert.Contains(",1.6,", csv[3]);
        var environment = new BenchEnvironment("6.1.0", "Test CPU", 2, "1.0.0+abc", ".NET 10.0.0", DateTimeOffset.UnixEpoch);
        var markdown = BenchExports.Markdown(results, environment);
        Assert.Contains("kernel 6.1.0 · Test CPU · 2 cores", markdown);
        Assert.Equal(1 + 6, markdown.Split('\n').Count(l => l.StartsWith("| ", StringComparison.Ordinal))); // the header and a row per trace and variant
        var html = BenchExports.Html(results, environment);
        Assert.Contains("Test CPU (2 cores)", html);
        Assert.Contains("data:image/svg+xml;base64,", html);
        Assert.Contains("1.600× [", html);
    }

    [Fact]
    public void Wide_intervals_mark_a_trace_disturbed()
    {
        Assert.Empty(Result(125, 2).DisturbedReasons);
        // ±30 ns around 140 over 16 passes: the 99 % interval reaches over 10 % of the mean.
        var noisy = Result(140, 60);
        Assert.Contains(noisy.DisturbedReasons, r => r.StartsWith("optimized: 99% interval", StringComparison.Ordinal));
        Assert.Contains("class=\"disturbed\"", BenchExports.Html([noisy], BenchEnvironment.Capture()));
    }
}
