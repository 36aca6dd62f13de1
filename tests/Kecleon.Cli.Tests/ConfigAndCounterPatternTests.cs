using System.Globalization;
using Kecleon.Bench.Live;
using Kecleon.Bpf;
using Xunit;
using Xunit.Abstractions;

namespace Kecleon.Cli.Tests;

/// <summary>
/// Configuration and counters in the same maps (<c>config_and_counter.bpf.c</c>): an array whose slot 0 is a setting and
/// slot 1 a counter the data plane increments, and a struct whose mode field is a setting beside a hit counter. Besides
/// every command (<see cref="MapPatternTests"/>): analyze shows the per-key and per-field classes; optimize folds the
/// setting's slot and the mode field and keeps the counters live; in the swapped program the counters keep counting and
/// the guard holds (the data plane's own writes do not bump it); a control-plane write to the setting makes the next
/// packet take the original's verdict.
/// </summary>
public sealed class ConfigAndCounterPatternTests(ITestOutputHelper output) : MapPatternTests(output)
{
    protected override string Pattern => "config_and_counter";
    protected override string Program => "cc_filter";
    protected override IReadOnlyList<string> LoaderOptions(int peerIndex) => ["--u32", "cc_values", "0", "0"];

    private const uint XdpDrop = 1, XdpPass = 2;

    [Fact]
    public void The_daemon_optimizes_and_restores_it() => AssertTheDaemonOptimizesAndRestoresIt();

    [Fact]
    public void The_setting_slot_and_field_fold_while_the_counters_count_and_a_control_plane_write_falls_back()
    {
        using var pair = VethPair.Create();
        var root = Path.Combine(pair.PinDirectory, "kecleon");
        var state = Path.Combine(pair.PinDirectory, "loader");
        var mapPins = Path.Combine(pair.PinDirectory, "maps");
        Directory.CreateDirectory(state);
        Directory.CreateDirectory(mapPins);
        Loader(["load", Build(), Program, pair.HostEnd, state, "--map-pins", mapPins, .. LoaderOptions(0)]);
        var id = uint.Parse(ProgramLine().Match(Loader(["status", state])).Groups[1].Value, CultureInfo.InvariantCulture);

        var analyze = Kecleon("analyze", Source);
        Assert.Equal(0, analyze.ExitCode);
        Assert.Contains("key 1: written by the data plane (atomic update)", analyze.Stdout);
        Assert.Contains("key 0 of cc_values: read-only", analyze.Stdout);
        Assert.Contains("key 0 of cc_conf: field at offset 8..16 written by the data plane (atomic update)", analyze.Stdout);

        var optimize = Kecleon("optimize", Source, "--prog-id", Id(id), "--pin-root", root, "--check-packets", "200");
        Assert.True(optimize.ExitCode == 0, optimize.Output);
        Assert.Contains(" 0 mismatches", optimize.Stdout);
        Assert.Matches($"swapped program {id} -> \\d+", optimize.Stdout);
        Assert.Contains("cc_values: key 0 folded", optimize.Output);
        Assert.Contains("cc_conf: key 0, field at offset 0..4 folded", optimize.Output);
        Assert.Contains("key 1 of cc_values is written by the data plane (atomic update)", optimize.Output);

        var running = BpfXdp.Query(BpfXdp.InterfaceIndex(pair.HostEnd)).ProgramId;
        Assert.NotEqual(id, running);
        var maps = MapsOf(id);
        using var values = BpfLoadedMap.OpenById(maps["cc_values"]);
        using var conf = BpfLoadedMap.OpenById(maps["cc_conf"]);
        using var program = BpfFd.OpenProgramById(running);
        var ipv6 = Frame(0x86dd);
        var arp = Frame(0x0806);

        // The counters count in the swapped program, and its own writes leave it on the specialized path: after them a
        // control-plane write is still what makes it fall back (checked below), and the guard versions did not move.
        var counted = Counter(values);
        var hits = Hits(conf);
        var versions = GuardVersions(root);
        for (var i = 0; i < 5; i++)
            Assert.Equal(XdpPass, BpfTestRun.Run(program.Value, Program, ipv6).ReturnValue);
        Assert.Equal(counted + 5, Counter(values));
        Assert.Equal(hits + 5, Hits(conf));
        Assert.Equal(versions, GuardVersions(root));

        // The control plane turns the setting on: the next packet takes the original's verdict (drop IPv6).
        values.Update(BitConverter.GetBytes(0u), BitConverter.GetBytes(1u));
        Assert.Equal(XdpDrop, BpfTestRun.Run(program.Value, Program, ipv6).ReturnValue);
        Assert.Equal(counted + 6, Counter(values));
        // And the mode field: drop ARP.
        Assert.Equal(XdpPass, BpfTestRun.Run(program.Value, Program, arp).ReturnValue);
        var value = conf.Lookup(BitConverter.GetBytes(0u))!;
        BitConverter.GetBytes(2u).CopyTo(value, 0);
        conf.Update(BitConverter.GetBytes(0u), value);
        Assert.Equal(XdpDrop, BpfTestRun.Run(program.Value, Program, arp).ReturnValue);
        Assert.Equal(hits + 8, Hits(conf));

        var restore = Kecleon("optimize", Source, "--prog-id", Id(id), "--pin-root", root, "--restore");
        Assert.True(restore.ExitCode == 0, restore.Output);
        Assert.Equal(id, BpfXdp.Query(BpfXdp.InterfaceIndex(pair.HostEnd)).ProgramId);
        Loader(["unload", state]);
    }

    private static uint Counter(BpfLoadedMap values) => BitConverter.ToUInt32(values.Lookup(BitConverter.GetBytes(1u)));

    private static ulong Hits(BpfLoadedMap conf) => BitConverter.ToUInt64(conf.Lookup(BitConverter.GetBytes(0u))!, 8);

    /// <summary>Every guard version (the pinned <c>versions</c> map under the pin root): a data-plane write must not move one.</summary>
    private static string GuardVersions(string root)
    {
        var pin = Directory.EnumerateFiles(root, "versions", SearchOption.AllDirectories).Single();
        using var versions = BpfLoadedMap.OpenPinned(pin);
        return Convert.ToHexString(versions.Lookup(BitConverter.GetBytes(0u))!);
    }

    /// <summary>A 64-byte Ethernet frame of <paramref name="etherType"/>.</summary>
    private static byte[] Frame(ushort etherType)
    {
        var frame = new byte[64];
        frame[0] = 0x02;
        frame[6] = 0x02;
        frame[12] = (byte)(etherType >> 8);
        frame[13] = (byte)etherType;
        return frame;
    }
}
