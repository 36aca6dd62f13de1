using Kecleon.Tests;
using Xunit;

namespace Kecleon.Cli.Tests;

[Trait("Tier", "Kernel")]
public sealed class ProfileCommandTests
{
    [Fact]
    public void Profile_writes_a_profile_that_colours_the_analyzed_cfg()
    {
        var output = TestEnvironment.TempFile(".json");
        var profile = KecleonProcess.Run("profile", "--sample", "router", "--locality", "high", "--windows", "2", "--out", output);
        Assert.True(profile.ExitCode == 0, profile.Output);
        Assert.Contains("routes in router", profile.Stdout);
        Assert.Matches(@"\d+\.\d+\.\d+\.\d+/32", profile.Stdout); // LPM keys are decoded
        Assert.Contains("branches:", profile.Stdout);
        // Each window replays the 2,000-packet trace 2^(8 - 4) times, so that it counts the branches of as many packets
        // as one replay records keys of.
        Assert.Contains("window 2: 32000 packets", profile.Stderr);
        Assert.Contains("\"format\": 1", File.ReadAllText(output));

        var source = Path.Combine(Kecleon.Workloads.SampleFiles.Directory, "router", "router.bpf.c");
        var include = "--cflag=-I" + Path.Combine(Kecleon.Workloads.SampleFiles.Directory, "include");
        var dot = TestEnvironment.TempFile(".dot");
        var analyze = KecleonProcess.Run("analyze", source, include, "--profile", output, "--dot", dot);
        Assert.True(analyze.ExitCode == 0, analyze.Output);
        Assert.DoesNotContain("different IR", analyze.Stderr);
        var graph = File.ReadAllText(dot);
        Assert.Contains("packets (100%)", graph);
        Assert.Contains("penwidth=", graph);
        Assert.Contains("fillcolor=\"#800026\", fontcolor=\"white\"", graph); // the hottest block: the darkest fill, light text
        Assert.Contains("bpf_map_lookup_elem(routes)  read-only", graph); // the map access stays beside the heat
    }

    /// <summary>The CI's way to measure what a recorded (sampled) profile gives: the profile-guided program timed beside
    /// the maps-only one, both checked against the original. One program and trace only.</summary>
    [Fact]
    public void Bench_times_a_recorded_profile_beside_the_maps_alone()
    {
        var profile = TestEnvironment.TempFile(".json");
        var record = KecleonProcess.Run("profile", "--sample", "switch", "--locality", "high", "--windows", "4", "--out", profile);
        Assert.True(record.ExitCode == 0, record.Output);

        var bench = KecleonProcess.Run("bench", "--sample", "switch", "--locality", "high", "--packets", "400", "--rounds", "1",
            "--no-instrument", "--profile", profile, "--json");
        Assert.True(bench.ExitCode == 0, bench.Output);
        var parsed = System.Text.Json.Nodes.JsonNode.Parse(bench.Stdout)!;
        var result = Assert.Single(parsed["traces"]!.AsArray())!;
        Assert.Equal(0, (int)result["mismatches"]!);
        Assert.True((double)result["speedup_maps_only"]! > 0 && (double)result["speedup"]! > 0, bench.Stdout);
        Assert.NotNull(result["maps_only_ns_per_packet"]);

        var all = KecleonProcess.Run("bench", "--sample", "all", "--profile", profile);
        Assert.Equal(ExitCodes.Usage, all.ExitCode);
        Assert.Contains("one --sample and one --locality", all.Stderr);
    }

    [Fact]
    public void A_profile_of_the_wrong_format_is_refused_with_a_clear_error()
    {
        var bad = TestEnvironment.TempFile(".json");
        File.WriteAllText(bad, """{ "format": 7, "program": "x" }""");
        var source = Path.Combine(Kecleon.Workloads.SampleFiles.Directory, "router", "router.bpf.c");
        var include = "--cflag=-I" + Path.Combine(Kecleon.Workloads.SampleFiles.Directory, "include");
        var r = KecleonProcess.Run("analyze", source, include, "--profile", bad, "--dot", TestEnvironment.TempFile(".dot"));
        Assert.Equal(ExitCodes.BadInput, r.ExitCode);
        Assert.StartsWith("kecleon: error:", r.Stderr);
        Assert.Contains("format 7", r.Stderr);
    }
}
