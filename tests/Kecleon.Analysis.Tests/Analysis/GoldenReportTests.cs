using Kecleon.Analyses;
using Kecleon.Reports;
using Kecleon.Tests;
using Xunit;

namespace Kecleon.Analysis.Tests.Analysis;

/// <summary>
/// Golden tests: each <c>Fixtures/NAME.c</c> is analysed and its text report compared with <c>Fixtures/NAME.expected.txt</c>.
/// Run with <c>KECLEON_UPDATE_GOLDEN=1</c> to rewrite the expected files (then review the diff). A fixture may name maps
/// that other programs write with a line <c>// kecleon: written-elsewhere=a,b</c>.
/// </summary>
public sealed class GoldenReportTests
{
    private static string FixtureDirectory =>
        Path.Combine(TestEnvironment.RepositoryRoot, "tests", "Kecleon.Analysis.Tests", "Fixtures");

    public static TheoryData<string> Fixtures()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(FixtureDirectory, "*.c").Order(StringComparer.Ordinal))
            data.Add(Path.GetFileNameWithoutExtension(file));
        return data;
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void ReportMatchesExpected(string fixture)
    {
        var source = Path.Combine(FixtureDirectory, fixture + ".c");
        using var program = new AnalysedProgram(source, OptionsFor(source));
        var report = TextReport.Render(program.Analysis);
        var expectedPath = Path.Combine(FixtureDirectory, fixture + ".expected.txt");
        if (Environment.GetEnvironmentVariable("KECLEON_UPDATE_GOLDEN") == "1")
            File.WriteAllText(expectedPath, report);
        Assert.True(File.Exists(expectedPath), $"{fixture}.c has no expected report; run the tests with KECLEON_UPDATE_GOLDEN=1");
        Assert.Equal(File.ReadAllText(expectedPath), report);
    }

    /// <summary>Every fixture has an expected report and every expected report a fixture.</summary>
    [Fact]
    public void EveryFixtureHasAnExpectedReport()
    {
        var sources = Directory.GetFiles(FixtureDirectory, "*.c").Select(Path.GetFileNameWithoutExtension).ToHashSet();
        var expected = Directory.GetFiles(FixtureDirectory, "*.expected.txt")
            .Select(f => Path.GetFileName(f)[..^".expected.txt".Length]).ToHashSet();
        Assert.Empty(sources.Except(expected));
        Assert.Empty(expected.Except(sources));
        Assert.NotEmpty(sources);
    }

    /// <summary>JSON and DOT render for every fixture, JSON carries the required fields, and DOT has a legend and a badge for each lookup.</summary>
    [Theory]
    [MemberData(nameof(Fixtures))]
    public void JsonAndDotRender(string fixture)
    {
        var source = Path.Combine(FixtureDirectory, fixture + ".c");
        using var program = new AnalysedProgram(source, OptionsFor(source));
        using var json = System.Text.Json.JsonDocument.Parse(JsonReport.Render(program.Analysis));
        Assert.Equal(JsonReport.SchemaVersion, json.RootElement.GetProperty("schema_version").GetInt32());
        foreach (var map in json.RootElement.GetProperty("maps").EnumerateArray())
        {
            Assert.False(string.IsNullOrEmpty(map.GetProperty("name").GetString()));
            Assert.False(string.IsNullOrEmpty(map.GetProperty("type").GetString()));
            Assert.Contains(map.GetProperty("access").GetString(), new[] { "read_only", "written", "may_write" });
        }
        var dot = DotGraph.Render(program.Analysis);
        Assert.StartsWith("digraph", dot, StringComparison.Ordinal);
        Assert.Contains("cluster_legend", dot, StringComparison.Ordinal);
        foreach (var site in program.Analysis.LookupSites)
            Assert.Contains($"#{site.Index} bpf_map_lookup_elem(", dot, StringComparison.Ordinal);
    }

    internal static AnalysisOptions OptionsFor(string source)
    {
        var line = File.ReadLines(source).FirstOrDefault(l => l.StartsWith("// kecleon: written-elsewhere=", StringComparison.Ordinal));
        return line is null
            ? AnalysisOptions.Default
            : new AnalysisOptions { WrittenByOtherPrograms = line.Split('=', 2)[1].Split(',', StringSplitOptions.TrimEntries).ToHashSet() };
    }
}
