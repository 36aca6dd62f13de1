using Kecleon.Bench.Live;
using Kecleon.Bpf;
using Kecleon.Tests;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using Xunit.Abstractions;

namespace Kecleon.Daemon.Tests;

/// <summary>
/// The daemon keeps a service chain optimized: three XDP programs of one object linked by tail calls through a
/// PROG_ARRAY (the entry attached to a veth by another loader, the other two in slots 1 and 2), each stage optimized in
/// its place. A stage replaced by hand in its slot takes effect at once (the verdicts right after the write are the new
/// chain's), the daemon finds the new program and optimizes it, and on_shutdown restore puts every stage back.
/// </summary>
[Trait("Tier", "Kernel")]
public sealed class ChainDaemonTests(ITestOutputHelper output)
{
    private const uint XdpAborted = 0, XdpDrop = 1, XdpPass = 2, XdpTx = 3;

    /// <summary>The entry drops frames whose first byte is its configured one, the middle stage sends back those whose
    /// second byte is its own, the last stage drops odd third bytes; its replacement sends those back instead.</summary>
    private static readonly Lazy<string> Source = new(() => TestEnvironment.WriteC(Programs.Prelude + """

        struct {
            __uint(type, BPF_MAP_TYPE_PROG_ARRAY);
            __uint(max_entries, 4);
            __type(key, __u32);
            __type(value, __u32);
        } dchain_slots SEC(".maps");

        struct {
            __uint(type, BPF_MAP_TYPE_ARRAY);
            __uint(max_entries, 1);
            __type(key, __u32);
            __type(value, __u32);
        } dchain_entry_cfg SEC(".maps"), dchain_mid_cfg SEC(".maps");

        static __always_inline int byte_at(struct xdp_md *ctx, int i)
        {
            unsigned char *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
            if ((void *)(data + 14) > (void *)end)
                return -1;
            return data[i];
        }

        SEC("xdp")
        int dchain_entry(struct xdp_md *ctx)
        {
            __u32 k = 0;
            __u32 *blocked = bpf_map_lookup_elem(&dchain_entry_cfg, &k);
            int b = byte_at(ctx, 0);
            if (b < 0)
                return XDP_ABORTED;
            if (blocked && *blocked == (__u32)b)
                return XDP_DROP;
            bpf_tail_call(ctx, &dchain_slots, 1);
            return XDP_PASS;
        }

        SEC("xdp")
        int dchain_mid(struct xdp_md *ctx)
        {
            __u32 k = 0;
            __u32 *back = bpf_map_lookup_elem(&dchain_mid_cfg, &k);
            int b = byte_at(ctx, 1);
            if (b < 0)
                return XDP_ABORTED;
            if (back && *back == (__u32)b)
                return XDP_TX;
            bpf_tail_call(ctx, &dchain_slots, 2);
            return XDP_PASS;
        }

        SEC("xdp")
        int dchain_last(struct xdp_md *ctx)
        {
            int b = byte_at(ctx, 2);
            return b < 0 ? XDP_ABORTED : (b & 1) ? XDP_DROP : XDP_PASS;
        }

        SEC("xdp")
        int dchain_alt(struct xdp_md *ctx)
        {
            int b = byte_at(ctx, 2);
            return b < 0 ? XDP_ABORTED : (b & 1) ? XDP_TX : XDP_PASS;
        }
        """, "daemon_chain"));

    private static uint Expected(byte[] frame, bool alt) =>
        frame[0] == 0xAA ? XdpDrop : frame[1] == 0xBB ? XdpTx : (frame[2] & 1) == 1 ? (alt ? XdpTx : XdpDrop) : XdpPass;

    private static List<byte[]> Frames() =>
        [.. from a in new byte[] { 0xAA, 0x10 } from b in new byte[] { 0xBB, 0x20 } from c in new byte[] { 0x31, 0x42 } select Frame(a, b, c)];

    private static byte[] Frame(byte a, byte b, byte c)
    {
        var frame = Programs.Frame(0x0800);
        (frame[0], frame[1], frame[2]) = (a, b, c);
        return frame;
    }

    [Fact]
    public async Task A_chain_is_kept_optimized_per_stage_and_a_stage_replaced_by_hand_is_taken_up()
    {
        using var pair = VethPair.Create();
        using var chain = LoadChain(pair);
        var ids = chain.Programs.ToDictionary(p => p.Name, p => p.Info().Id);

        var frames = Frames();
        var config = ChainConfig(pair, ShutdownPolicy.Restore, fuse: false);
        using var host = EndToEndTests.BuildHost(config, _ => frames);
        var daemon = host.Services.GetRequiredService<KecleonService>();
        await host.StartAsync();
        try
        {
            var optimized = await WaitForStages(daemon, s => s.Count == 3 && s.All(x => x.Swaps >= 1 && x.State == TargetState.Optimized), "every stage optimized");
            Assert.Equal(["dchain_entry", "dchain_mid", "dchain_last"], optimized.Select(s => s.Stage));
            Assert.NotEqual(ids["dchain_entry"], BpfXdp.Query(pair.HostIndex).ProgramId);
            Assert.NotEqual(ids["dchain_mid"], Slot(chain, 1));
            Assert.NotEqual(ids["dchain_last"], Slot(chain, 2));
            AssertVerdicts(pair, frames, alt: false);

            // An operator puts another program in slot 2: the very next packets run it.
            Fill(chain, 2, "dchain_alt");
            AssertVerdicts(pair, frames, alt: true);
            var replaced = await WaitForStages(daemon, s => s.Any(x => x.Stage == "dchain_alt" && x.Swaps >= 1 && x.State == TargetState.Optimized),
                "the new stage in slot 2 optimized");
            output.WriteLine(StatusServer.Text(daemon.Snapshot()));
            Assert.NotEqual(ids["dchain_alt"], Slot(chain, 2));
            Assert.DoesNotContain(replaced, s => s.Stage == "dchain_last");
            AssertVerdicts(pair, frames, alt: true);
        }
        finally
        {
            await host.StopAsync();
        }
        // on_shutdown restore: every stage is back, the new one in slot 2 as its original.
        Assert.Equal(ids["dchain_entry"], BpfXdp.Query(pair.HostIndex).ProgramId);
        Assert.Equal(ids["dchain_mid"], Slot(chain, 1));
        Assert.Equal(ids["dchain_alt"], Slot(chain, 2));
        BpfXdp.Detach(pair.HostIndex, XdpFlags.SkbMode);
    }

    /// <summary>Fused: the chain runs as one program on the entry's hook, the stages stay in their slots. A stage replaced by
    /// hand sends the packets to the original chain at once (the PROG_ARRAY's guard), and the daemon fuses again on the
    /// new contents.</summary>
    [Fact]
    public async Task A_fused_chain_falls_back_at_once_when_a_stage_is_replaced_and_is_fused_again()
    {
        using var pair = VethPair.Create();
        using var chain = LoadChain(pair);
        var ids = chain.Programs.ToDictionary(p => p.Name, p => p.Info().Id);

        var frames = Frames();
        var config = ChainConfig(pair, ShutdownPolicy.Restore, fuse: true);
        using var host = EndToEndTests.BuildHost(config, _ => frames);
        var daemon = host.Services.GetRequiredService<KecleonService>();
        await host.StartAsync();
        try
        {
            var fused = await WaitForStages(daemon, s => s.Count == 3 && s[0].Swaps >= 1 && s[0].State == TargetState.Optimized, "the chain fused");
            Assert.True(daemon.Snapshot().Targets[0].Fused);
            // Fused for real: the entry is specialized on the PROG_ARRAY (its guard), not only on its own maps.
            Assert.Contains("dchain_slots", fused[0].SpecializedMaps);
            Assert.NotEqual(ids["dchain_entry"], BpfXdp.Query(pair.HostIndex).ProgramId);
            Assert.Equal(ids["dchain_mid"], Slot(chain, 1));
            Assert.Equal(ids["dchain_last"], Slot(chain, 2));
            Assert.All(fused.Skip(1), s => Assert.Equal(TargetState.Original, s.State));
            AssertVerdicts(pair, frames, alt: false);

            Fill(chain, 2, "dchain_alt");
            AssertVerdicts(pair, frames, alt: true);
            var refused = await WaitForStages(daemon, s => s[0].Swaps > fused[0].Swaps && s[0].State == TargetState.Optimized && s.Any(x => x.Stage == "dchain_alt"),
                "the chain fused again");
            output.WriteLine(StatusServer.Text(daemon.Snapshot()));
            Assert.Equal(ids["dchain_alt"], Slot(chain, 2));
            AssertVerdicts(pair, frames, alt: true);
        }
        finally
        {
            await host.StopAsync();
        }
        Assert.Equal(ids["dchain_entry"], BpfXdp.Query(pair.HostIndex).ProgramId);
        Assert.Equal(ids["dchain_alt"], Slot(chain, 2));
        BpfXdp.Detach(pair.HostIndex, XdpFlags.SkbMode);
    }

    /// <summary>The kernel empties a PROG_ARRAY when the last user-space reference to it goes, and no guard sees that:
    /// while the fused program runs, Kecleon holds the chain's PROG_ARRAY by a pin in the target's folder, so a loader
    /// that held it by a descriptor alone can exit and the slots the fused code stands for stay. The restore lets go.</summary>
    [Fact]
    public async Task A_fused_chain_holds_its_prog_array_while_it_runs_so_the_loader_exiting_does_not_empty_it()
    {
        using var pair = VethPair.Create();
        var chain = LoadChain(pair);
        var slotsId = chain.Map("dchain_slots").Info().Id;
        var frames = Frames();
        var config = ChainConfig(pair, ShutdownPolicy.Restore, fuse: true);
        string[] ChainPins() => Directory.Exists(pair.PinDirectory) ? Directory.GetFiles(pair.PinDirectory, "chain-*", SearchOption.AllDirectories) : [];
        using (var host = EndToEndTests.BuildHost(config, _ => frames))
        {
            var daemon = host.Services.GetRequiredService<KecleonService>();
            await host.StartAsync();
            try
            {
                await WaitForStages(daemon, s => s.Count == 3 && s[0].Swaps >= 1 && s[0].State == TargetState.Optimized, "the chain fused");
                var pin = Assert.Single(ChainPins());
                Assert.Equal($"chain-{slotsId}", Path.GetFileName(pin));

                chain.Dispose(); // the loader exits: its descriptors on the PROG_ARRAY go
                using (var held = BpfLoadedMap.OpenPinned(pin))
                {
                    Assert.Equal(slotsId, held.Info().Id);
                    Assert.NotNull(held.Lookup(BitConverter.GetBytes(1u)));
                    Assert.NotNull(held.Lookup(BitConverter.GetBytes(2u)));
                }
                AssertVerdicts(pair, frames, alt: false);
            }
            finally
            {
                await host.StopAsync();
            }
        }
        Assert.Empty(ChainPins());
        BpfXdp.Detach(pair.HostIndex, XdpFlags.SkbMode);
    }

    /// <summary>A daemon stopped with on_shutdown keep leaves every stage optimized (guarded); <c>restore --all</c> puts
    /// every stage back: the entry on its hook, each original in its slot, nothing left pinned.</summary>
    [Fact]
    public async Task Restore_all_puts_every_stage_of_a_chain_back()
    {
        using var pair = VethPair.Create();
        using var chain = LoadChain(pair);
        var ids = chain.Programs.ToDictionary(p => p.Name, p => p.Info().Id);
        var config = ChainConfig(pair, ShutdownPolicy.Keep, fuse: false);
        var frames = Frames();
        using (var host = EndToEndTests.BuildHost(config, _ => frames))
        {
            var daemon = host.Services.GetRequiredService<KecleonService>();
            await host.StartAsync();
            try
            {
                await WaitForStages(daemon, s => s.Count == 3 && s.All(x => x.Swaps >= 1 && x.State == TargetState.Optimized), "every stage optimized");
            }
            finally
            {
                await host.StopAsync();
            }
        }
        Assert.NotEqual(ids["dchain_entry"], BpfXdp.Query(pair.HostIndex).ProgramId);
        Assert.NotEqual(ids["dchain_mid"], Slot(chain, 1));
        Assert.NotEqual(ids["dchain_last"], Slot(chain, 2));
        AssertVerdicts(pair, frames, alt: false);

        var report = Kecleon.Runtime.Deployment.RestoreSession.Run(new Kecleon.Runtime.Deployment.RestoreRequest(null, pair.PinDirectory));
        Assert.Equal(3, report.Undone.Count);
        Assert.Equal(ids["dchain_entry"], BpfXdp.Query(pair.HostIndex).ProgramId);
        Assert.Equal(ids["dchain_mid"], Slot(chain, 1));
        Assert.Equal(ids["dchain_last"], Slot(chain, 2));
        Assert.True(!Directory.Exists(pair.PinDirectory) || Directory.GetFileSystemEntries(pair.PinDirectory).Length == 0,
            "pins left: " + string.Join(", ", Directory.Exists(pair.PinDirectory) ? Directory.GetFileSystemEntries(pair.PinDirectory) : []));
        AssertVerdicts(pair, frames, alt: false);
        BpfXdp.Detach(pair.HostIndex, XdpFlags.SkbMode);
    }

    /// <summary>The daemon on the chain whose entry runs on the veth: one cycle per stage (no profile, no measuring),
    /// then only control-plane writes and slot changes start another.</summary>
    private static DaemonConfig ChainConfig(VethPair pair, ShutdownPolicy onShutdown, bool fuse) =>
        EndToEndTests.Config(pair, onShutdown) with
        {
            Targets = [new TargetConfig { Name = "dchain", Source = Source.Value, Interface = pair.HostEnd, Chain = true, Fuse = fuse }],
            ProfileWindow = TimeSpan.Zero,
            Watch = TimeSpan.Zero,
            Period = TimeSpan.FromSeconds(60),
        };

    /// <summary>The chain's object loaded as a chaining framework loads it: the entry attached to the veth (netlink,
    /// generic mode), the middle and last stages in slots 1 and 2, the stages' configuration written.</summary>
    private static BpfObject LoadChain(VethPair pair)
    {
        var chain = BpfObject.Open(Kecleon.FrontEnd.ProgramSource.Read(Source.Value).BuildBaselineObject(), "dchain");
        chain.Load();
        chain.Map("dchain_entry_cfg").Update(BitConverter.GetBytes(0u), BitConverter.GetBytes(0xAAu));
        chain.Map("dchain_mid_cfg").Update(BitConverter.GetBytes(0u), BitConverter.GetBytes(0xBBu));
        Fill(chain, 1, "dchain_mid");
        Fill(chain, 2, "dchain_last");
        BpfXdp.Attach(pair.HostIndex, chain.Program("dchain_entry").Fd, XdpFlags.SkbMode);
        return chain;
    }

    /// <summary>The program in slot <paramref name="i"/> of the chain's PROG_ARRAY (its id), 0 for an empty slot.</summary>
    private static uint Slot(BpfObject chain, uint i) =>
        chain.Map("dchain_slots").Lookup(BitConverter.GetBytes(i)) is { } v ? BitConverter.ToUInt32(v) : 0;

    /// <summary>Puts the chain's <paramref name="program"/> in slot <paramref name="i"/>, as an operator does by hand.</summary>
    private static void Fill(BpfObject chain, uint i, string program) =>
        chain.Map("dchain_slots").Update(BitConverter.GetBytes(i), BitConverter.GetBytes((uint)chain.Program(program).Fd));

    /// <summary>The verdict of the program on the hook (test runs: its tail calls run the slots' programs), frame by frame,
    /// against the chain's own logic.</summary>
    private static void AssertVerdicts(VethPair pair, List<byte[]> frames, bool alt)
    {
        using var live = BpfFd.OpenProgramById(BpfXdp.Query(pair.HostIndex).ProgramId);
        foreach (var frame in frames)
            Assert.Equal(Expected(frame, alt), BpfTestRun.Run(live.Value, "live", frame).ReturnValue);
    }

    private static async Task<IReadOnlyList<TargetSnapshot>> WaitForStages(KecleonService daemon, Func<IReadOnlyList<TargetSnapshot>, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(40);
        while (DateTime.UtcNow < deadline)
        {
            if (daemon.Snapshot().Targets is [{ Stages: { } stages }, ..] && condition(stages))
                return stages;
            await Task.Delay(20);
        }
        throw new TimeoutException($"no {what} within 40 s:\n{StatusServer.Text(daemon.Snapshot())}");
    }
}
