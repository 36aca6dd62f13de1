using Kecleon.Bench.Live;
using System.Text.Json;
using Kecleon.Bpf;
using Kecleon.Tests;
using Xunit;

namespace Kecleon.Cli.Tests;

/// <summary><c>kecleon optimize</c> on the bundled router, attached to a veth whose peer lives in its own namespace:
/// load and attach, fill the maps, re-optimize by program id, restore. Each command is its own process, so what the
/// swap leaves behind must outlive it.</summary>
[Trait("Tier", "Kernel")]
public sealed class OptimizeCommandTests
{
    private static readonly string Router = Path.Combine(TestEnvironment.Samples, "router", "router.bpf.c");

    [Fact]
    public void Optimize_attaches_swaps_reoptimizes_and_restores_the_router_on_a_veth()
    {
        using var pair = VethPair.Create();
        var root = pair.PinDirectory;
        var ifindex = BpfXdp.InterfaceIndex(pair.HostEnd);

        var (first, originalId) = KecleonProcess.OptimizeAttaching(Router, pair.HostEnd, root, checkPackets: 200);
        Assert.Contains("0 mismatches", first.Stdout);
        Assert.Contains("BPF_LINK_UPDATE with BPF_F_REPLACE", first.Stdout);
        Assert.Contains("sys_enter_bpf", first.Stdout);
        var firstOptimized = BpfXdp.Query(ifindex).ProgramId;
        Assert.NotEqual(originalId, firstOptimized);

        var fill = KecleonProcess.Run("sample", "load", "router", "--prog-id", originalId.ToString());
        Assert.True(fill.ExitCode == 0, fill.Output);

        var second = KecleonProcess.Run("optimize", Router, "--prog-id", originalId.ToString(), "--pin-root", root, "--json", "--check-packets", "300");
        Assert.True(second.ExitCode == 0, second.Output);
        using (var json = JsonDocument.Parse(second.Stdout))
        {
            var swap = json.RootElement.GetProperty("swap");
            Assert.Equal(firstOptimized, swap.GetProperty("from_program_id").GetUInt32());
            Assert.Equal(swap.GetProperty("to_program_id").GetUInt32(), BpfXdp.Query(ifindex).ProgramId);
            Assert.Equal(0, json.RootElement.GetProperty("mismatches").GetInt32());
            Assert.Contains(json.RootElement.GetProperty("steps").EnumerateArray(),
                s => s.GetProperty("applied").GetBoolean() && s.GetProperty("what").GetString()!.StartsWith("routes:", StringComparison.Ordinal));
            Assert.True(json.RootElement.GetProperty("instructions_after").GetInt32() > 0);
        }

        // A recorded profile guides a further cycle (CI's reproducible path).
        var profilePath = TestEnvironment.TempFile(".json");
        var recorded = KecleonProcess.Run("profile", "--sample", "router", "--out", profilePath);
        Assert.True(recorded.ExitCode == 0, recorded.Output);
        var guided = KecleonProcess.Run("optimize", Router, "--prog-id", originalId.ToString(), "--pin-root", root, "--profile", profilePath, "--check-packets", "300");
        Assert.True(guided.ExitCode == 0, guided.Output);
        Assert.Contains("profile: " + profilePath, guided.Stdout);
        Assert.Contains("0 mismatches", guided.Stdout);

        var restore = KecleonProcess.Run("optimize", Router, "--prog-id", originalId.ToString(), "--pin-root", root, "--restore");
        Assert.True(restore.ExitCode == 0, restore.Output);
        Assert.Contains($"-> {originalId}", restore.Stdout);
        // Kecleon had attached the input itself: the undo takes its link away too, and the interface runs nothing, as before.
        Assert.Contains("removed the link Kecleon had attached", restore.Stdout);
        Assert.Equal(0u, BpfXdp.Query(ifindex).ProgramId);
        Assert.Contains("the guard table's hook and pins", restore.Stdout);
        Assert.Empty(Directory.GetFileSystemEntries(root));

        var again = KecleonProcess.Run("optimize", Router, "--prog-id", originalId.ToString(), "--pin-root", root, "--restore");
        Assert.True(again.ExitCode == 0, again.Output);
        Assert.Contains("nothing to restore", again.Stdout);
    }

    [Fact]
    public void Optimize_explains_a_missing_or_ambiguous_target()
    {
        var none = KecleonProcess.Run("optimize", Router, "--prog-id", "4000000000", "--pin-root", "/sys/fs/bpf/kecleon-test-none");
        Assert.Equal(ExitCodes.Failure, none.ExitCode);
        Assert.Contains("no program with id 4000000000 is loaded", none.Stderr);
        Assert.DoesNotContain("   at ", none.Output);

        // A pinned program that runs nowhere: what else is needed is explained.
        var pins = $"/sys/fs/bpf/kecleon-test-{Guid.NewGuid():N}"[..36];
        try
        {
            var load = KecleonProcess.Run("sample", "load", "router", "--pin-dir", pins);
            Assert.True(load.ExitCode == 0, load.Output);
            var program = Directory.GetFiles(pins).Single(p => Path.GetFileName(p) == "router");
            var pinned = KecleonProcess.Run("optimize", Router, "--pin", program, "--pin-root", pins + "-targets");
            Assert.Equal(ExitCodes.Failure, pinned.ExitCode);
            Assert.Contains("is a pinned program", pinned.Stderr);
            Assert.Contains("not attached to any XDP or TC hook", pinned.Stderr);
            Assert.Contains("xdp pinned", pinned.Stderr);
        }
        finally
        {
            if (Directory.Exists(pins))
                Directory.Delete(pins, recursive: true);
        }

        var both = KecleonProcess.Run("optimize", Router, "--prog-id", "1", "--attach", "lo");
        Assert.Equal(ExitCodes.Usage, both.ExitCode);
        Assert.Contains("exactly one of", both.Stderr);
    }
}
