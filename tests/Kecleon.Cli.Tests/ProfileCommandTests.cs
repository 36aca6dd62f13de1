using Kecleon.Tests;
using Xunit;

namespace Kecleon.Cli.Tests;

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
        Assert.Contains("window 2:", profile.Stderr);
        Assert.Contains("\"format\": 1", File.ReadAllText(output));

        var source = Path.Combine(Kecleon.Runtime.Deployment.SampleFiles.Directory, "router", "router.bpf.c");
        var include = "--cflag=-I" + Path.Combine(Kecleon.Runtime.Deployment.SampleFiles.Directory, "include");
        var dot = TestEnvironment.TempFile(".dot");
        var analyze = KecleonProcess.Run("analyze", source, include, "--profile", output, "--dot", dot);
        Assert.True(analyze.ExitCode == 0, analyze.Output);
        Assert.DoesNotContain("different IR", analyze.Stderr);
        var graph = File.ReadAllText(dot);
        Assert.Contains("packets\\l", graph);
        Assert.Contains("penwidth=", graph);
        Assert.Contains("fillcolor=\"0.000 1.000 1.000\"", graph); // the hottest block is full red
    }

    [Fact]
    public void A_profile_of_the_wrong_format_is_refused_with_a_clear_error()
    {
        var bad = TestEnvironment.TempFile(".json");
        File.WriteAllText(bad, """{ "format": 7, "program": "x" }""");
        var source = Path.Combine(Kecleon.Runtime.Deployment.SampleFiles.Directory, "router", "router.bpf.c");
        var include = "--cflag=-I" + Path.Combine(Kecleon.Runtime.Deployment.SampleFiles.Directory, "include");
        var r = KecleonProcess.Run("analyze", source, include, "--profile", bad, "--dot", TestEnvironment.TempFile(".dot"));
        Assert.Equal(ExitCodes.BadInput, r.ExitCode);
        Assert.StartsWith("kecleon: error:", r.Stderr);
        Assert.Contains("format 7", r.Stderr);
    }
}
