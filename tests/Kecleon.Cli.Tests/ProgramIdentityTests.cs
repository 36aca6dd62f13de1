using System.Diagnostics;
using Kecleon.Bpf;
using Kecleon.Daemon;
using Kecleon.FrontEnd;
using Kecleon.Runtime.Deployment;
using Kecleon.Workloads;
using Kecleon.Bench.Live;
using Kecleon.Tests;
using Xunit;
using Xunit.Abstractions;

namespace Kecleon.Cli.Tests;

/// <summary>
/// Kecleon replaces a live program only with one built from that program: the input loaded on the live maps must have
/// the kernel tag of the original. Another program whose maps have the same names (a drop-everything program with a
/// <c>stats</c> map; the router with another verdict) is refused by <c>kecleon optimize</c> in every target form and by
/// the daemon, before and after a restart, and the program on the hook stays.
/// </summary>
[Trait("Tier", "Kernel")]
public sealed class ProgramIdentityTests(ITestOutputHelper output)
{
    private static readonly string Router = Path.Combine(TestEnvironment.Samples, "router", "router.bpf.c");

    /// <summary>Drops everything and counts into a map named like the router's.</summary>
    private const string DropAll = """
        // SPDX-License-Identifier: GPL-2.0
        #include <linux/bpf.h>
        #include <bpf/bpf_helpers.h>

        struct {
        	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
        	__uint(max_entries, 8);
        	__type(key, __u32);
        	__type(value, __u64);
        } stats SEC(".maps");

        SEC("xdp")
        int dropall(struct xdp_md *ctx)
        {
        	__u32 key = 0;
        	__u64 *count = bpf_map_lookup_elem(&stats, &key);
        	if (count)
        		*count += 1;
        	return XDP_DROP;
        }

        char LICENSE[] SEC("license") = "GPL";
        """;

    [Fact]
    public void Optimize_refuses_another_programs_source_in_every_target_form_and_leaves_the_hook_alone()
    {
        using var pair = VethPair.Create();
        var root = pair.PinDirectory;
        var ifindex = BpfXdp.InterfaceIndex(pair.HostEnd);
        var (_, originalId) = KecleonProcess.OptimizeAttaching(Router, pair.HostEnd, root, checkPackets: 100);
        using var original = BpfFd.OpenProgramById(originalId);
        var tag = BpfProgramInfo.FromFd(original.Value).Tag;
        var running = BpfXdp.Query(ifindex).ProgramId;
        Assert.NotEqual(originalId, running);

        var dropAll = TestEnvironment.WriteC(DropAll, "dropall");
        string[][] forms =
        [
            ["--prog-id", originalId.ToString()],
            ["--prog-id", running.ToString()],
            ["--attach", pair.HostEnd],
            ["--pin", Path.Combine(root, $"xdp-{pair.HostEnd}", "link")],
        ];
        foreach (var form in forms)
        {
            var refused = KecleonProcess.Run(["optimize", dropAll, .. form, "--pin-root", root, "--check-packets", "100"]);
            output.WriteLine($"{string.Join(' ', form)}: exit {refused.ExitCode}: {refused.Stderr.Trim()}");
            Assert.Equal(ExitCodes.BadInput, refused.ExitCode);
            Assert.Contains($"{dropAll} is not the program on XDP bpf_link", refused.Stderr);
            Assert.Contains("the input's program dropall has tag ", refused.Stderr);
            Assert.Contains($"the original there is program {originalId} (router) with tag {tag}", refused.Stderr);
            Assert.Contains($"still runs program {running}, unchanged", refused.Stderr);
            Assert.DoesNotContain("mismatches", refused.Stdout);
            Assert.DoesNotContain("   at ", refused.Output);
            Assert.Equal(running, BpfXdp.Query(ifindex).ProgramId);
        }
    }

    /// <summary>The right input is accepted whoever loaded the program: <c>kecleon sample load</c>, or bpftool (plain
    /// libbpf) loading an object built outside Kecleon, given as that object or as its C source.</summary>
    [Fact]
    public void The_programs_own_source_or_object_is_accepted_whoever_loaded_it()
    {
        using var pair = VethPair.Create();
        var root = Path.Combine(pair.PinDirectory, "targets");
        var ifindex = BpfXdp.InterfaceIndex(pair.HostEnd);
        try
        {
            var samplePins = Path.Combine(pair.PinDirectory, "sample");
            var load = KecleonProcess.Run("sample", "load", "router", "--pin-dir", samplePins);
            Assert.True(load.ExitCode == 0, load.Output);
            Shell("ip", "link", "set", "dev", pair.HostEnd, "xdp", "pinned", Path.Combine(samplePins, "router"));
            AssertOptimizedAndRestored(Router);
            Shell("ip", "link", "set", "dev", pair.HostEnd, "xdp", "off");

            var obj = TestEnvironment.TempFile(".o");
            Shell("clang-14", "-O2", "-g", "-target", "bpf", "-fembed-bitcode", "-I/usr/include/x86_64-linux-gnu",
                "-I", Path.Combine(TestEnvironment.Samples, "include"), "-c", Router, "-o", obj);
            var bpftoolPin = Path.Combine(pair.PinDirectory, "bpftool-router");
            Shell("bpftool", "prog", "load", obj, bpftoolPin);
            Shell("ip", "link", "set", "dev", pair.HostEnd, "xdp", "pinned", bpftoolPin);
            AssertOptimizedAndRestored(obj);
            AssertOptimizedAndRestored(Router);
        }
        finally
        {
            BpfXdp.Detach(ifindex, XdpFlags.DriverMode);
        }

        void AssertOptimizedAndRestored(string input)
        {
            var id = BpfXdp.Query(ifindex).ProgramId;
            var optimized = KecleonProcess.Run("optimize", input, "--prog-id", id.ToString(), "--pin-root", root, "--check-packets", "100");
            Assert.True(optimized.ExitCode == 0, optimized.Output);
            Assert.Contains(" 0 mismatches", optimized.Stdout);
            Assert.NotEqual(id, BpfXdp.Query(ifindex).ProgramId);
            var restored = KecleonProcess.Run("optimize", input, "--prog-id", id.ToString(), "--pin-root", root, "--restore");
            Assert.True(restored.ExitCode == 0, restored.Output);
            Assert.Equal(id, BpfXdp.Query(ifindex).ProgramId);
        }
    }

    /// <summary>
    /// The daemon optimizes the router; then another program goes on the hook: the router with another verdict for a
    /// destination without a route, its maps named as the router's. The running daemon does not replace it, and neither
    /// does a restarted one, which finds its own pins and the foreign program on the hook: the target fails at open with
    /// both programs named, and backs off.
    /// </summary>
    [Fact]
    public void The_daemon_leaves_a_foreign_program_on_its_hook_across_a_restart()
    {
        using var pair = VethPair.CreateReceivingXdpTx();
        using var router = LiveRouter.Start(pair);
        var (config, socket) = DaemonProcess.RouterConfig(pair, "identity", period: "1s", profileWindow: "200ms", watch: "200ms");
        // The router's logic is in router.h: the foreign program is the single file with a changed copy of it inlined.
        var header = File.ReadAllText(Path.Combine(Path.GetDirectoryName(Router)!, "router.h"));
        var changed = header.Replace("kn_count(&stats, ROUTER_STAT_NO_ROUTE);\n\t\treturn XDP_DROP;", "kn_count(&stats, ROUTER_STAT_NO_ROUTE);\n\t\treturn XDP_PASS;",
            StringComparison.Ordinal);
        Assert.NotEqual(header, changed);
        var foreignSource = ProgramSource.Read(TestEnvironment.WriteC(File.ReadAllText(Router).Replace("#include \"router.h\"", changed, StringComparison.Ordinal),
            "foreign_router"), SampleFiles.FrontEndOptions);
        using var foreign = LoadedVariant.Load("foreign", foreignSource.BuildBaselineObject(SampleFiles.FrontEndOptions), "router");
        var foreignId = foreign.Program.Info().Id;
        Assert.NotEqual(router.Original.Program.Info().Tag, foreign.Program.Info().Tag);
        uint? originalId;
        try
        {
            using (var daemon = KecleonProcess.Start("daemon", "--config", config))
            {
                var optimized = DaemonProcess.WaitFor(socket, s => s.State == TargetState.Optimized, "optimize the router");
                originalId = optimized.OriginalProgramId;
                output.WriteLine($"first run: program {optimized.LiveProgramId} optimized, original {optimized.OriginalProgramId}");
                BpfXdp.Attach(pair.HostIndex, foreign.Program.Fd, XdpFlags.DriverMode);
                Thread.Sleep(3000); // cycles of the running daemon
                Assert.Equal(foreignId, BpfXdp.Query(pair.HostIndex).ProgramId);
                DaemonProcess.Stop(daemon);
            }
            Assert.Equal(foreignId, BpfXdp.Query(pair.HostIndex).ProgramId);

            using (var daemon = KecleonProcess.Start("daemon", "--config", config))
            {
                // The restarted daemon finds its own pins naming the original it optimized and another program on the
                // hook: the target refuses at open, naming both, and touches neither the hook nor the pins.
                const string refusal = "which Kecleon did not put there";
                var refused = DaemonProcess.WaitFor(socket, s => s.RecentFailures.Any(f => f.Reason.Contains(refusal, StringComparison.Ordinal)),
                    "refuse the foreign program");
                var reason = refused.RecentFailures.First(f => f.Reason.Contains(refusal, StringComparison.Ordinal)).Reason;
                output.WriteLine($"restarted: {refused.State} ({refused.Detail}): {reason}");
                Assert.Equal(TargetState.Backoff, refused.State);
                Assert.Contains($"XDP on {pair.HostEnd} by netlink (driver mode) runs program {foreignId}, {refusal}", reason);
                Assert.Contains($"name the original program {originalId}", reason);
                Thread.Sleep(2000);
                Assert.Equal(foreignId, BpfXdp.Query(pair.HostIndex).ProgramId);
                DaemonProcess.Stop(daemon);
            }
            Assert.Equal(foreignId, BpfXdp.Query(pair.HostIndex).ProgramId);
        }
        finally
        {
            BpfXdp.Detach(pair.HostIndex, XdpFlags.DriverMode);
        }
    }

    private static void Shell(string command, params string[] args)
    {
        var info = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
            info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{command} {string.Join(' ', args)}: exit {process.ExitCode}: {stderr.Result}");
    }
}
