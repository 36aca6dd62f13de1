using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Kecleon.Bench.Live;
using Kecleon.Bpf;
using Xunit;

namespace Kecleon.Cli.Tests;

/// <summary>The DDoS-mitigation sample through the commands a user runs on it: analyze, sample load, a dry-run optimize
/// of the loaded stage on its hook, and bench.</summary>
[Trait("Tier", "Kernel")]
public sealed partial class DdosSampleCommandTests
{
    [GeneratedRegex(@"as program id (\d+)")]
    private static partial Regex LoadedAs();

    [Fact]
    public void Analyze_load_optimize_and_bench_the_ddos_sample()
    {
        var analyzed = KecleonProcess.Run("analyze", "sample:ddos", "--json");
        Assert.True(analyzed.ExitCode == 0, analyzed.Output);
        using (var json = JsonDocument.Parse(analyzed.Stdout))
            Assert.Contains(json.RootElement.GetProperty("maps").EnumerateArray(),
                m => m.GetProperty("name").GetString() == "ddos_deny_nets" && m.GetProperty("type").GetString() == "lpm_trie");

        using var pair = VethPair.Create();
        var pins = Path.Combine(pair.PinDirectory, "ddos");
        var load = KecleonProcess.Run("sample", "load", "ddos", "--pin-dir", pins);
        Assert.True(load.ExitCode == 0, load.Output);
        var id = uint.Parse(LoadedAs().Match(load.Stdout).Groups[1].Value, CultureInfo.InvariantCulture);
        using (var program = BpfFd.OpenPinned(Path.Combine(pins, "ddos")))
            BpfXdp.Attach(BpfXdp.InterfaceIndex(pair.HostEnd), program.Value, XdpFlags.DriverMode);

        var root = Path.Combine(pair.PinDirectory, "kecleon");
        var dry = KecleonProcess.Run("optimize", "sample:ddos", "--prog-id", id.ToString(CultureInfo.InvariantCulture), "--pin-root", root,
            "--check-packets", "200", "--dry-run", "--json");
        Assert.True(dry.ExitCode == 0, dry.Output);
        using (var json = JsonDocument.Parse(dry.Stdout))
        {
            Assert.Equal(0, json.RootElement.GetProperty("mismatches").GetInt32());
            var applied = json.RootElement.GetProperty("steps").EnumerateArray()
                .Where(s => s.GetProperty("applied").GetBoolean()).Select(s => s.GetProperty("what").GetString()!).ToList();
            Assert.Contains(applied, what => what.StartsWith("ddos_deny_nets: ", StringComparison.Ordinal));
            Assert.Contains(applied, what => what.StartsWith("ddos_deny_hosts: ", StringComparison.Ordinal));
        }
        Assert.Equal(id, BpfXdp.Query(BpfXdp.InterfaceIndex(pair.HostEnd)).ProgramId);

        var bench = KecleonProcess.Run("bench", "--sample", "ddos", "--locality", "high", "--packets", "300", "--rounds", "1", "--loads", "1",
            "--no-instrument", "--json");
        Assert.True(bench.ExitCode == 0, bench.Output);
        using (var json = JsonDocument.Parse(bench.Stdout))
        {
            var trace = json.RootElement.GetProperty("traces")[0];
            Assert.Equal("ddos", trace.GetProperty("program").GetString());
            Assert.Equal(0, trace.GetProperty("mismatches").GetInt32());
        }
    }
}
