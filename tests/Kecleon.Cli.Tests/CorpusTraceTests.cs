using Kecleon.Bench.Live;
using Kecleon.Tests;
using Xunit;

namespace Kecleon.Cli.Tests;

/// <summary>Our corpus programs through the commands that run them on a trace of the user's traffic: optimize with
/// <c>--pcap</c> (the trace joins the differential check; pcapng is refused by name), profile, bench and diff.</summary>
[Trait("Tier", "Kernel")]
public sealed class CorpusTraceTests
{
    private static string Corpus(string name) => Path.Combine(TestEnvironment.RepositoryRoot, "tests", "Corpus", name + ".bpf.c");

    /// <summary>The user's traffic joins the check (<c>--pcap</c>, repeatable); profile, bench and diff run our corpus on
    /// the same trace.</summary>
    [Theory]
    [InlineData("checksum_gate")]
    [InlineData("signbit_branch")]
    [InlineData("arp_target")]
    [InlineData("ipv6_key")]
    public void Pcap_joins_the_check_and_profile_bench_and_diff_run_on_it(string program)
    {
        var source = Corpus(program);
        var trace = TestEnvironment.TempFile(".pcap", program);
        var written = KecleonProcess.Run("sample", "trace", "balancer", "--packets", "500", "--output", trace);
        Assert.True(written.ExitCode == 0, written.Output);

        using var pair = VethPair.Create();
        var optimize = KecleonProcess.Run("optimize", source, "--attach", pair.HostEnd, "--pin-root", pair.PinDirectory, "--check-packets", "100",
            "--pcap", trace, "--pcap", trace);
        Assert.True(optimize.ExitCode == 0, optimize.Output);
        Assert.Contains($"and 1000 frames of {trace}, {trace}", optimize.Stdout);
        Assert.Contains("0 mismatches", optimize.Stdout);

        var profile = KecleonProcess.Run("profile", source, "--pcap", trace, "--out", TestEnvironment.TempFile(".json", program));
        Assert.True(profile.ExitCode == 0, profile.Output);
        Assert.Contains("branches:", profile.Stdout);
        var bench = KecleonProcess.Run("bench", source, "--pcap", trace, "--rounds", "1", "--loads", "1");
        Assert.True(bench.ExitCode == 0, bench.Output);
        var diff = KecleonProcess.Run("diff", source, source, "--trace", trace, "--fuzz", "200");
        Assert.True(diff.ExitCode == 0, diff.Output);

        var pcapng = TestEnvironment.TempFile(".pcapng", program);
        File.WriteAllBytes(pcapng, [0x0a, 0x0d, 0x0d, 0x0a, 0x1c, 0, 0, 0, 0x4d, 0x3c, 0x2b, 0x1a, 1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x1c, 0, 0, 0]);
        var refused = KecleonProcess.Run("optimize", source, "--prog-id", "1", "--pin-root", pair.PinDirectory, "--pcap", pcapng);
        Assert.Equal(ExitCodes.BadInput, refused.ExitCode);
        Assert.Contains("a pcapng file; Kecleon reads classic pcap", refused.Stderr);
    }
}
