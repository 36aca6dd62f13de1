using System.Xml.Linq;
using Kecleon.Tests;
using Xunit;

namespace Kecleon.Cli.Tests;

/// <summary><c>kecleon bench</c> writes every report and check file asked for, on a short real run.</summary>
public sealed class BenchReportFilesTests
{
    [Trait("Tier", "Kernel")]
    [Fact]
    public void A_short_bench_writes_the_report_junit_and_summary_files()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"bench-files-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            var thresholds = Path.Combine(folder, "thresholds.json");
            File.WriteAllText(thresholds, """{ "checks": [ { "max_mismatches": 0 }, { "variant": "optimized", "min_ratio": 0.5 }, { "program": "switch", "max_mismatches": 0 } ] }""");
            var step = Path.Combine(folder, "step-summary.md");
            File.WriteAllText(step, "earlier step\n");
            string F(string name) => Path.Combine(folder, name);
            var run = KecleonProcess.Run(
                ["bench", "--sample", "router", "--locality", "high", "--packets", "50", "--rounds", "1", "--loads", "2", "--no-instrument",
                 "--check", thresholds, "--report", F("r.html"), "--report-md", F("r.md"), "--report-csv", F("r.csv"),
                 "--junit", F("junit.xml"), "--summary-md", F("summary.md")],
                new Dictionary<string, string> { ["GITHUB_STEP_SUMMARY"] = step });
            Assert.True(run.ExitCode == 0, run.Output);
            Assert.Contains("checks (2 passed", run.Stdout);
            Assert.Contains("skipped", run.Stdout);
            Assert.Contains("<img alt=\"router / high: ns per packet\"", File.ReadAllText(F("r.html")));
            Assert.Contains("| router | high | optimized |", File.ReadAllText(F("r.md")));
            Assert.Equal(1 + 4, File.ReadAllLines(F("r.csv")).Length); // floor, baseline, compiled, optimized
            var suite = XDocument.Load(F("junit.xml")).Root!.Element("testsuite")!;
            Assert.Equal("3", suite.Attribute("tests")!.Value);
            Assert.Equal("0", suite.Attribute("failures")!.Value);
            var summary = File.ReadAllText(F("summary.md"));
            Assert.Contains("✅ kecleon bench --check", summary);
            Assert.Equal("earlier step\n" + summary + "\n", File.ReadAllText(step));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void A_check_file_without_check_is_a_usage_error_and_a_typo_in_the_thresholds_exits_65()
    {
        var run = KecleonProcess.Run("bench", "--junit", Path.Combine(Path.GetTempPath(), "bench-files-j.xml"));
        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("add --check FILE", run.Stderr);
        var thresholds = TestEnvironment.TempFile(".json");
        File.WriteAllText(thresholds, """{ "checks": [ { "variant": "optimzed", "min_ratio": 1 } ] }""");
        run = KecleonProcess.Run("bench", "--check", thresholds);
        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Contains($"{thresholds}: checks[0].variant 'optimzed' is not a variant the bench knows (did you mean 'optimized'?)", run.Stderr);
        Assert.DoesNotContain("   at ", run.Stderr);
    }
}
