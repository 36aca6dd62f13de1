using Kecleon.Runtime.Benchmarking;
using Kecleon.Runtime.Workloads;
using Kecleon.Tests;
using Xunit;

namespace Kecleon.Runtime.Tests.Benchmarking;

public sealed class BenchTests
{
    private static readonly Lazy<BenchResult> Router = new(() =>
        BenchSession.Run(BenchWorkload.ForSample(SampleCatalog.Get("router"), Locality.High, 300, 1), [VariantBuild.Compiled], rounds: 2, optimize: true));

    [Fact]
    public void Json_has_the_documented_fields()
    {
        var json = BenchReport.Json(Router.Value);
        foreach (var field in new[] { "floor_ns", "baseline_ns", "compiled_ns", "optimized_ns", "speedup", "mismatches" })
            Assert.True(json.ContainsKey(field), $"missing {field}");
        Assert.Equal(0, (int)json["mismatches"]!);
        Assert.Equal(Router.Value.BaselineNs / Router.Value.Timing("optimized")!.MeanNs, (double)json["speedup"]!, tolerance: 1e-4); // rounded to 4 places
        Assert.True(Router.Value.FloorNs < Router.Value.BaselineNs);
        Assert.All(Router.Value.Timings, t => Assert.Equal(2, t.RoundMeansNs.Count));
        Assert.Contains("<svg", BenchReport.Html([Router.Value]));
        Assert.Contains("differential check optimized vs original", BenchReport.Text(Router.Value));
    }

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
}
