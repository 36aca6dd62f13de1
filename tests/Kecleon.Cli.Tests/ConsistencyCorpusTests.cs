using System.Globalization;
using System.Text.Json;
using Kecleon.Bench.Live;
using Kecleon.Bpf;
using Kecleon.Tests;
using Xunit;

namespace Kecleon.Cli.Tests;

/// <summary>
/// Our corpus programs for the consistency of a cycle, each through the real commands on a veth of its own: analyze
/// names its key's fields; optimize checks (0 mismatches) and swaps; optimize again keeps the same specialization with an
/// earlier optimized program still loaded (Kecleon's own programs are never other writers of a map); --restore undoes
/// everything, Kecleon's own attach included. A program with nothing to specialize stays on its hook.
/// </summary>
[Trait("Tier", "Kernel")]
public sealed class ConsistencyCorpusTests
{
    private static string Corpus(string name) => Path.Combine(TestEnvironment.RepositoryRoot, "tests", "Corpus", name + ".bpf.c");

    [Theory]
    [InlineData("checksum_gate", "key: packet l4.dport")]
    [InlineData("arp_target", "key: stack arp.tpa")]
    [InlineData("ipv6_key", "key: stack ip6.daddr")]
    [InlineData("signbit_branch", "key: stack")]
    public void Optimize_checks_swaps_keeps_its_specialization_when_run_again_and_restores(string program, string key)
    {
        var source = Corpus(program);
        var analyze = KecleonProcess.Run("analyze", source);
        Assert.True(analyze.ExitCode == 0, analyze.Output);
        Assert.Contains(key, analyze.Stdout);

        using var pair = VethPair.Create();
        var root = pair.PinDirectory;
        var ifindex = BpfXdp.InterfaceIndex(pair.HostEnd);
        var (first, originalId) = KecleonProcess.OptimizeAttaching(source, pair.HostEnd, root, checkPackets: 200);
        Assert.Contains("0 mismatches", first.Stdout);
        var specializedOn = Specialized(first.Stdout);
        Assert.NotEmpty(specializedOn);

        // An earlier optimized program that stays loaded (held here, as a slow process or an unfreed check copy would)
        // uses the live maps and the guard table: it is Kecleon's, not another writer.
        using var earlier = BpfFd.OpenProgramById(BpfXdp.Query(ifindex).ProgramId);
        for (var run = 0; run < 2; run++)
        {
            var again = KecleonProcess.Run("optimize", source, "--prog-id", Id(originalId), "--pin-root", root, "--json", "--check-packets", "200");
            Assert.True(again.ExitCode == 0, again.Output);
            using var json = JsonDocument.Parse(again.Stdout);
            Assert.True(json.RootElement.GetProperty("specialized").GetBoolean());
            Assert.Equal(0, json.RootElement.GetProperty("mismatches").GetInt32());
            Assert.Empty(json.RootElement.GetProperty("other_writers").EnumerateArray());
            Assert.Equal(specializedOn, json.RootElement.GetProperty("maps").EnumerateArray().Select(m => m.GetProperty("name").GetString()!).ToList());
            Assert.Equal(json.RootElement.GetProperty("swap").GetProperty("to_program_id").GetUInt32(), BpfXdp.Query(ifindex).ProgramId);
        }

        var restore = KecleonProcess.Run("optimize", source, "--prog-id", Id(originalId), "--pin-root", root, "--restore");
        Assert.True(restore.ExitCode == 0, restore.Output);
        Assert.Contains($"-> {originalId}", restore.Stdout);
        // Kecleon attached the input itself: its link goes too, and nothing of Kecleon's is left.
        Assert.Equal(0u, BpfXdp.Query(ifindex).ProgramId);
        Assert.Empty(Directory.GetFileSystemEntries(root));
    }

    /// <summary>Nothing to specialize: the original stays on the hook, the reason is printed per map, exit 0, and no
    /// optimized program, fallback or guarded list is pinned.</summary>
    [Fact]
    public void A_program_with_nothing_to_specialize_stays_on_its_hook()
    {
        using var pair = VethPair.Create();
        var root = pair.PinDirectory;
        var ifindex = BpfXdp.InterfaceIndex(pair.HostEnd);
        var source = Corpus("nothing_to_specialize");
        var (run, originalId) = KecleonProcess.OptimizeAttaching(source, pair.HostEnd, root, checkPackets: 100);
        Assert.Contains("nothing to specialize: the original stays", run.Stdout);
        Assert.Contains("  - nts_packets is written by the data plane: store to the value", run.Stdout);
        Assert.DoesNotContain("swapped program", run.Stdout);
        Assert.Equal(originalId, BpfXdp.Query(ifindex).ProgramId);
        Assert.Equal(["link", "original"], Directory.GetFileSystemEntries(Path.Combine(root, $"xdp-{pair.HostEnd}")).Select(Path.GetFileName).Order());

        var json = KecleonProcess.Run("optimize", source, "--prog-id", Id(originalId), "--pin-root", root, "--json", "--check-packets", "100");
        Assert.True(json.ExitCode == 0, json.Output);
        using var document = JsonDocument.Parse(json.Stdout);
        Assert.False(document.RootElement.GetProperty("specialized").GetBoolean());
        Assert.False(document.RootElement.TryGetProperty("swap", out _)); // nothing swapped: no "swap"
        Assert.Equal("nts_packets", document.RootElement.GetProperty("left_alone")[0].GetProperty("map").GetString());
        Assert.Equal(originalId, BpfXdp.Query(ifindex).ProgramId);

        // Nothing was swapped, but Kecleon attached the input: the undo removes that link and its pins.
        var restore = KecleonProcess.Run("optimize", source, "--prog-id", Id(originalId), "--pin-root", root, "--restore");
        Assert.True(restore.ExitCode == 0, restore.Output);
        Assert.Contains("removed the link Kecleon had attached", restore.Stdout);
        Assert.Equal(0u, BpfXdp.Query(ifindex).ProgramId);
    }

    /// <summary>The maps a text report says were specialized on, in order.</summary>
    private static List<string> Specialized(string stdout) =>
        stdout.Split('\n').Where(l => l.StartsWith("  map ", StringComparison.Ordinal)).Select(l => l[6..l.IndexOf(':')]).ToList();

    private static string Id(uint id) => id.ToString(CultureInfo.InvariantCulture);
}
