using Kecleon.Bench.Live;
using System.Diagnostics;
using Kecleon.Bpf;
using Kecleon.Runtime.Deployment;
using Kecleon.Runtime.Guards;
using Kecleon.Runtime.Optimization;
using Kecleon.Tests;
using Xunit;
using Xunit.Abstractions;

namespace Kecleon.Runtime.Tests.Deployment;

[Trait("Tier", "Kernel")]
public sealed class SwapTests(ITestOutputHelper output)
{
    public static TheoryData<HookKind> XdpHooks => [HookKind.XdpLink, HookKind.XdpNetlink];

    private static ProgramHook Attach(HookKind kind, ProgramRef program, int ifindex)
    {
        if (kind == HookKind.XdpLink)
            return XdpLinkHook.Create(program.Fd, ifindex);
        BpfXdp.Attach(ifindex, program.Fd, XdpFlags.DriverMode);
        return ProgramHook.ForInterface(ifindex) ?? throw new InvalidOperationException("attached program not found");
    }

    private static void Detach(ProgramHook hook)
    {
        if (hook is XdpNetlinkHook netlink)
            BpfXdp.Detach(netlink.InterfaceIndex, XdpFlags.DriverMode);
        hook.Dispose();
    }

    [Theory]
    [MemberData(nameof(XdpHooks))]
    public void A_swap_is_found_by_program_id_and_swapping_back_restores_the_original(HookKind kind)
    {
        using var pair = VethPair.Create();
        var ifindex = BpfXdp.InterfaceIndex(pair.HostEnd);
        using var original = SwapFixture.LoadOriginal();
        using var other = SwapFixture.LoadOriginal();
        var a = ProgramRef.Of(original.Program.Fd);
        var b = ProgramRef.Of(other.Program.Fd);
        var hook = Attach(kind, a, ifindex);
        try
        {
            using var found = ProgramHook.Find(a.Id);
            Assert.NotNull(found);
            Assert.Equal(kind, found.Kind);
            Assert.Equal(a.Id, found.CurrentProgramId());

            var swap = Swapper.Swap(found, a, b);
            Assert.Equal(b.Id, hook.CurrentProgramId());
            Assert.Equal(b.Id, BpfXdp.Query(ifindex).ProgramId);
            Assert.True(swap.Latency > TimeSpan.Zero);

            // Someone else swapped meanwhile: a swap expecting the original is refused and changes nothing.
            var conflict = Assert.Throws<ReplaceConflictException>(() => Swapper.Swap(hook, a, b));
            Assert.Equal(a.Id, conflict.ExpectedProgramId);
            Assert.Equal(b.Id, conflict.FoundProgramId);
            Assert.Equal(b.Id, hook.CurrentProgramId());

            Swapper.Swap(hook, b, a);
            Assert.Equal(a.Id, BpfXdp.Query(ifindex).ProgramId);
        }
        finally
        {
            Detach(hook);
        }
        Assert.Equal(0u, BpfXdp.Query(ifindex).ProgramId);
    }

    [Fact]
    public void A_program_array_slot_swaps_and_detects_a_changed_slot()
    {
        using var original = SwapFixture.LoadOriginal();
        using var other = SwapFixture.LoadOriginal();
        var a = ProgramRef.Of(original.Program.Fd);
        var b = ProgramRef.Of(other.Program.Fd);
        using var dispatcher = BpfObject.Open(ProgramArrayObject.Value, "dispatch");
        dispatcher.Load();
        var map = dispatcher.Map("targets");
        map.Update(BitConverter.GetBytes(0u), BitConverter.GetBytes((uint)a.Fd));
        using var hook = new ProgramArraySlotHook(BpfLoadedMap.OpenById(map.Info().Id), 0);
        Assert.Equal(a.Id, hook.CurrentProgramId());
        Swapper.Swap(hook, a, b);
        Assert.Equal(b.Id, hook.CurrentProgramId());
        Assert.Throws<ReplaceConflictException>(() => Swapper.Swap(hook, a, b));
        Swapper.Swap(hook, b, a);
        Assert.Equal(a.Id, hook.CurrentProgramId());

        // For docs/swap.md: what a slot swap costs next to the XDP hooks' (the check and the update are two syscalls).
        var latencies = Enumerable.Range(0, 1000).Select(i => Swapper.Swap(hook, i % 2 == 0 ? a : b, i % 2 == 0 ? b : a).Latency.TotalMicroseconds).Order().ToList();
        output.WriteLine($"PROG_ARRAY slot: 1000 swaps, latency median {latencies[500]:F1} µs, p99 {latencies[990]:F1} µs");
        Assert.Equal(a.Id, hook.CurrentProgramId());
    }

    private static readonly Lazy<byte[]> ProgramArrayObject = new(() => Kecleon.FrontEnd.ProgramSource.Read(TestEnvironment.WriteC(Programs.Prelude + """

        struct {
            __uint(type, BPF_MAP_TYPE_PROG_ARRAY);
            __uint(max_entries, 4);
            __type(key, __u32);
            __type(value, __u32);
        } targets SEC(".maps");

        SEC("xdp")
        int dispatch(struct xdp_md *ctx)
        {
            bpf_tail_call(ctx, &targets, 0);
            return XDP_PASS;
        }
        """, "dispatch")).BuildBaselineObject());

    /// <summary>
    /// Traffic through a veth while the program on it is swapped 1,000 times between the original and its optimized
    /// variant: every frame must come out exactly as the original's verdict for it (BPF_PROG_TEST_RUN) says: sent back
    /// (with its bytes), passed to the stack, or dropped. Nothing the original would deliver may go missing.
    /// </summary>
    [Theory]
    [MemberData(nameof(XdpHooks))]
    public void No_packet_is_lost_or_misrouted_across_1000_swaps(HookKind kind)
    {
        const int swapCount = 1000, frameCount = 16_000;
        using var pair = SwapFixture.CreatePairWithPassingPeer();
        var ifindex = BpfXdp.InterfaceIndex(pair.HostEnd);
        using var original = SwapFixture.LoadOriginal();
        using var guards = GuardTable.Open();
        var frames = Enumerable.Range(0, frameCount).Select(i => SwapFixture.Frame(i, pair.HostMac)).ToList();
        using var optimized = OptimizationCycle.Run(SwapFixture.ProgramSource, original, SwapFixture.Object, guards, frames.Take(64).ToList());
        Assert.Contains(optimized.Report.Applied, s => s.What.StartsWith("actions:", StringComparison.Ordinal));

        // What the original does with each frame.
        var expectedBack = new List<string>();
        var expectedPassed = new List<string>();
        foreach (var frame in frames)
        {
            var run = original.Program.TestRun(frame);
            if ((XdpAction)run.ReturnValue == XdpAction.Tx)
                expectedBack.Add(Convert.ToHexString(run.Output));
            else if ((XdpAction)run.ReturnValue == XdpAction.Pass)
                expectedPassed.Add(Convert.ToHexString(frame));
        }

        var dir = TestEnvironment.TempFile("");
        Directory.CreateDirectory(dir);
        var framesFile = Path.Combine(dir, "frames");
        PacketIo.WriteFrames(framesFile, frames);
        var a = ProgramRef.Of(original.Program.Fd);
        var b = ProgramRef.Of(optimized.Variant.Program.Fd);
        var hook = Attach(kind, a, ifindex);
        var latencies = new List<double>();
        var swapsUnderTraffic = 0;
        var processes = new List<Process>();
        try
        {
            var backCapture = Started(pair.StartInNamespace(PacketIo.Executable, $"recv {pair.PeerEnd} {dir}/back 2000 60000"));
            var passCapture = Started(VethPair.Start(PacketIo.Executable, $"recv {pair.HostEnd} {dir}/passed 2000 60000"));
            Assert.Equal("ready", backCapture.StandardOutput.ReadLine());
            Assert.Equal("ready", passCapture.StandardOutput.ReadLine());
            var sender = Started(pair.StartInNamespace(PacketIo.Executable, $"send {pair.PeerEnd} {framesFile} 1000"));

            var current = a;
            while (latencies.Count < swapCount)
            {
                var next = current.Id == a.Id ? b : a;
                latencies.Add(Swapper.Swap(hook, current, next).Latency.TotalMicroseconds);
                current = next;
                if (!sender.HasExited)
                    swapsUnderTraffic++;
            }
            Assert.True(sender.WaitForExit(120_000), "the sender did not finish");
            Assert.Equal(0, sender.ExitCode);
            Assert.True(backCapture.WaitForExit(120_000) && passCapture.WaitForExit(120_000), "the captures did not finish");
            Assert.Equal(a.Id, hook.CurrentProgramId()); // an even number of swaps
        }
        finally
        {
            foreach (var process in processes)
            {
                if (!process.HasExited)
                    process.Kill(entireProcessTree: true);
                process.Dispose();
            }
            Detach(hook);
        }

        Process Started(Process process)
        {
            processes.Add(process);
            return process;
        }

        var back = PacketIo.ReadFrames(Path.Combine(dir, "back")).Select(Convert.ToHexString).ToList();
        var passed = PacketIo.ReadFrames(Path.Combine(dir, "passed"))
            .Where(f => f.Length >= 14 && f[12] == SwapFixture.EtherType >> 8 && f[13] == (SwapFixture.EtherType & 0xff))
            .Select(Convert.ToHexString).ToList();
        Directory.Delete(dir, recursive: true);
        latencies.Sort();
        output.WriteLine($"{kind}: {swapCount} swaps ({swapsUnderTraffic} while the sender ran), latency median {latencies[swapCount / 2]:F1} µs, p99 {latencies[swapCount * 99 / 100]:F1} µs, max {latencies[^1]:F1} µs");
        output.WriteLine($"{frameCount} frames sent; sent back {back.Count} (expected {expectedBack.Count}), passed {passed.Count} (expected {expectedPassed.Count})");
        Assert.Equal(expectedBack.Order(), back.Order());
        Assert.Equal(expectedPassed.Order(), passed.Order());
    }
}
