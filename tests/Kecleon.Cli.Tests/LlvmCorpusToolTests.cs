using Kecleon.Tests;
using Xunit;

namespace Kecleon.Cli.Tests;

/// <summary>Every LLVM corpus program (<see cref="LlvmCorpus"/>) through <c>profile</c>, <c>bench</c> (one short round: no
/// timing is claimed) and <c>diff</c> (its own object against what <c>kecleon compile</c> makes of it), on a small
/// trace.</summary>
[Trait("Tier", "Kernel")]
public sealed class LlvmCorpusToolTests
{
    private static readonly string Trace = WriteTrace();

    [Theory]
    [MemberData(nameof(LlvmCorpus.Names), MemberType = typeof(LlvmCorpus))]
    public void Profiles_benches_and_diffs(string pattern)
    {
        var obj = LlvmCorpus.Object(pattern);
        var profile = TestEnvironment.TempFile(".json");
        var profiled = KecleonProcess.Run("profile", obj, "--pcap", Trace, "--out", profile);
        Assert.True(profiled.ExitCode == 0, profiled.Output);
        Assert.True(File.Exists(profile));

        var bench = KecleonProcess.Run("bench", obj, "--pcap", Trace, "--rounds", "1", "--loads", "1", "--json");
        Assert.True(bench.ExitCode == 0, bench.Output);

        var compiled = TestEnvironment.TempFile(".o");
        var compile = KecleonProcess.Run("compile", obj, "-o", compiled);
        Assert.True(compile.ExitCode == 0, compile.Output);
        var diff = KecleonProcess.Run("diff", obj, compiled, "--trace", Trace, "--fuzz", "50");
        Assert.True(diff.ExitCode == 0, diff.Output);
        Assert.Contains("0 mismatches", diff.Stdout);
    }

    /// <summary>A small classic pcap: IPv4 and IPv6 frames of a few sizes, and a bare Ethernet header.</summary>
    private static string WriteTrace()
    {
        var path = TestEnvironment.TempFile(".pcap", "llvm-corpus");
        var frames = Enumerable.Range(0, 24)
            .Select(i => Programs.Frame(i % 3 == 0 ? (ushort)0x86dd : (ushort)0x0800, 60 + i * 8))
            .Append(Programs.Frame(0x0800, 14));
        File.WriteAllBytes(path, PcapFiles.Classic(frames));
        return path;
    }
}
