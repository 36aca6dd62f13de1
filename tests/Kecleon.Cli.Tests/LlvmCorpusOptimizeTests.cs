using System.Globalization;
using System.Text.Json;
using Kecleon.Bench.Live;
using Kecleon.Bpf;
using Kecleon.Tests;
using Xunit;

namespace Kecleon.Cli.Tests;

/// <summary>Every LLVM corpus program (<see cref="LlvmCorpus"/>) through <c>analyze</c> and <c>optimize</c> as its
/// users run it: its own object loaded and attached on a veth, checked and swapped, optimized again by program id, and
/// restored. Its companion <see cref="LlvmCorpusToolTests"/> runs <c>profile</c>, <c>bench</c> and <c>diff</c>.</summary>
[Trait("Tier", "Kernel")]
public sealed class LlvmCorpusOptimizeTests
{
    [Theory]
    [MemberData(nameof(LlvmCorpus.Names), MemberType = typeof(LlvmCorpus))]
    public void Analyzes_checks_swaps_reoptimizes_and_restores(string pattern)
    {
        var obj = LlvmCorpus.Object(pattern);
        var analysis = KecleonProcess.Run("analyze", obj);
        Assert.True(analysis.ExitCode == 0, analysis.Output);
        Assert.Contains(LlvmCorpus.Patterns[pattern], analysis.Stdout);

        using var pair = VethPair.Create();
        var root = pair.PinDirectory;
        var ifindex = BpfXdp.InterfaceIndex(pair.HostEnd);
        var (first, originalId) = KecleonProcess.OptimizeAttaching(obj, pair.HostEnd, root, checkPackets: 200);
        Assert.Contains("0 mismatches", first.Stdout);
        var firstOptimized = BpfXdp.Query(ifindex).ProgramId;
        Assert.NotEqual(originalId, firstOptimized);

        var id = originalId.ToString(CultureInfo.InvariantCulture);
        var again = KecleonProcess.Run("optimize", obj, "--prog-id", id, "--pin-root", root, "--check-packets", "200", "--json");
        Assert.True(again.ExitCode == 0, again.Output);
        using (var json = JsonDocument.Parse(again.Stdout))
            Assert.Equal(0, json.RootElement.GetProperty("mismatches").GetInt32());
        Assert.NotEqual(originalId, BpfXdp.Query(ifindex).ProgramId);

        var restore = KecleonProcess.Run("optimize", obj, "--prog-id", id, "--pin-root", root, "--restore");
        Assert.True(restore.ExitCode == 0, restore.Output);
        Assert.Contains($"-> {originalId}", restore.Stdout);
        Assert.Equal(0u, BpfXdp.Query(ifindex).ProgramId); // Kecleon's own link went with the undo
    }

    [Fact]
    public void The_stub_entry_counts_the_handler_it_calls()
    {
        var run = KecleonProcess.Run("analyze", LlvmCorpus.Object("stub_entry"), "--json");
        Assert.True(run.ExitCode == 0, run.Output);
        using var json = JsonDocument.Parse(run.Stdout);
        var program = Assert.Single(json.RootElement.GetProperty("programs").EnumerateArray());
        // The section holds the stub alone (a call and an exit); the handler in .text is most of the program.
        Assert.True(program.GetProperty("bpf_instructions").GetInt32() > 10, program.ToString());
    }
}
