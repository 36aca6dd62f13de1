using System.Globalization;
using Kecleon.Bench.Live;
using Kecleon.Bpf;
using Kecleon.Tests;
using Xunit;

namespace Kecleon.Cli.Tests;

/// <summary>
/// Hooks in another network namespace (the veth pair's peer end lives in one of its own), with programs of our own
/// (tests/Corpus) through the real commands: an XDP program attached there by <c>ip -n NS link set … xdp</c>, found by
/// <c>--prog-id</c> alone and by <c>--attach IFACE --netns NS</c>, optimized, optimized again and restored (analyze, profile,
/// bench and diff of it too); and the daemon with a <c>"tc"</c> target in a namespace, which it attaches with a tcx link,
/// keeps optimized and restores on shutdown.
/// </summary>
[Trait("Tier", "Kernel")]
public sealed class NamespaceHookTests
{
    [Fact]
    public void An_xdp_program_inside_another_network_namespace_is_found_by_id_and_by_netns()
    {
        var obj = HookTests.Object("xdp_netns");
        using var pair = VethPair.Create();
        var root = pair.PinDirectory;
        VethPair.Ip($"-n {pair.Namespace} link set dev {pair.PeerEnd} xdpgeneric obj {obj} sec xdp");
        var ns = NetNamespace.Open(pair.Namespace);
        var ifindex = ns.Run(() => BpfXdp.InterfaceIndex(pair.PeerEnd));
        var originalId = ns.Run(() => BpfXdp.Query(ifindex).ProgramId);
        Assert.NotEqual(0u, originalId);
        Assert.Equal(0, BpfXdp.TryInterfaceIndex(pair.PeerEnd));

        var first = HookTests.Ok("optimize", obj, "--prog-id", originalId.ToString(CultureInfo.InvariantCulture), "--pin-root", root, "--check-packets", "100");
        Assert.Contains($"on XDP on {pair.PeerEnd} in netns {pair.Namespace} by netlink (generic mode)", first.Stdout);
        Assert.Contains(" 0 mismatches", first.Stdout);
        Assert.True(Directory.Exists(Path.Combine(root, $"xdp-{pair.PeerEnd}@{pair.Namespace}")));
        Assert.NotEqual(originalId, ns.Run(() => BpfXdp.Query(ifindex).ProgramId));

        var second = HookTests.Ok("optimize", obj, "--attach", pair.PeerEnd, "--netns", pair.Namespace, "--pin-root", root, "--check-packets", "100");
        Assert.Contains("map blocked_sources: 0 entries inlined", second.Stdout);
        OfflineXdp(obj);

        var missing = KecleonProcess.Run("optimize", obj, "--attach", pair.PeerEnd, "--netns", pair.Namespace + "-none", "--pin-root", root);
        Assert.Equal(ExitCodes.NoInput, missing.ExitCode);
        Assert.Contains($"no network namespace named '{pair.Namespace}-none'", missing.Stderr);
        var elsewhere = KecleonProcess.Run("optimize", obj, "--attach", pair.PeerEnd, "--pin-root", root);
        Assert.Equal(ExitCodes.Usage, elsewhere.ExitCode);

        HookTests.Ok("optimize", obj, "--prog-id", originalId.ToString(CultureInfo.InvariantCulture), "--netns", $"/run/netns/{pair.Namespace}", "--pin-root", root, "--restore");
        Assert.Equal(originalId, ns.Run(() => BpfXdp.Query(ifindex).ProgramId));
        Assert.False(Directory.Exists(Path.Combine(root, $"xdp-{pair.PeerEnd}@{pair.Namespace}"))); // the undo removes the target's folder
    }

    private static void OfflineXdp(string obj)
    {
        Assert.Contains("type xdp", HookTests.Ok("analyze", obj).Stdout);
        var trace = HookTests.Trace();
        HookTests.Ok("profile", obj, "--pcap", trace, "--out", TestEnvironment.TempFile(".json"));
        Assert.Contains("0 mismatches", HookTests.Ok("bench", obj, "--pcap", trace).Stdout);
        HookTests.Ok("diff", obj, obj, "--fuzz", "100");
    }

    [Fact]
    public void The_daemon_attaches_a_tc_program_in_a_namespace_and_keeps_it_optimized_then_restores_it()
    {
        var obj = HookTests.Object("tc_classifier");
        using var pair = VethPair.Create();
        var socket = Path.Combine(Path.GetTempPath(), "kecleon-tests", $"hooks-{Guid.NewGuid():N}"[..20] + ".sock");
        var config = TestEnvironment.TempFile(".json");
        File.WriteAllText(config, $$"""
            {
              "targets": [ { "name": "tc", "source": "{{obj}}", "tc": "{{pair.PeerEnd}} ingress", "netns": "{{pair.Namespace}}", "attach": true } ],
              "period": "2s", "profile_window": "200ms", "watch": "0s", "backoff": "200ms",
              "on_shutdown": "restore", "status_socket": "{{socket}}", "metrics": "", "pin_root": "{{pair.PinDirectory}}"
            }
            """);
        var ns = NetNamespace.Open(pair.Namespace);
        var ifindex = ns.Run(() => BpfXdp.InterfaceIndex(pair.PeerEnd));
        using (var daemon = KecleonProcess.Start("daemon", "--config", config))
        {
            var optimized = DaemonProcess.WaitFor(socket, t => t.State == Daemon.TargetState.Optimized, "optimize the TC program");
            Assert.Matches($@"^TC ingress on {pair.PeerEnd} in netns {pair.Namespace} \(tcx link \d+\)$", optimized.Hook);
            var running = Assert.Single(ns.Run(() => BpfTc.TcxProgramIds(ifindex, TcDirection.Ingress)));
            Assert.Equal(optimized.LiveProgramId, running);
            Assert.NotEqual(optimized.OriginalProgramId, running);
            DaemonProcess.Stop(daemon);
            Assert.Equal(optimized.OriginalProgramId, Assert.Single(ns.Run(() => BpfTc.TcxProgramIds(ifindex, TcDirection.Ingress))));
        }
    }
}
