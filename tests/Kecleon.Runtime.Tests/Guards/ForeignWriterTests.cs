using Kecleon.Bpf;
using Kecleon.FrontEnd;
using Kecleon.Runtime.Guards;
using Kecleon.Tests;
using Xunit;
using Xunit.Abstractions;
using static Kecleon.Runtime.Tests.Kernel.KernelPrograms;

namespace Kecleon.Runtime.Tests.Guards;

/// <summary>Writers the syscall tracepoints alone do not see: a program another process loads after the map was guarded
/// (it may write the map from the data plane as soon as it runs), and the 32-bit <c>bpf()</c> entry.</summary>
[Trait("Tier", "Kernel")]
[Collection(EverySlotCollection.Name)]
public sealed class ForeignWriterTests(ITestOutputHelper output)
{
    private static readonly string Source = Programs.Prelude + GuardTable.GuardsMapDeclaration + """

        struct { __uint(type, BPF_MAP_TYPE_HASH); __uint(max_entries, 1024); __type(key, __u32); __type(value, __u64); } target SEC(".maps");
        struct { __uint(type, BPF_MAP_TYPE_HASH); __uint(max_entries, 1024); __type(key, __u32); __type(value, __u64); } other SEC(".maps");

        /* A specialized program in miniature: XDP_TX while slot 0's version is the one it was built against (packet
           bytes 0..7) and target[1] is what it was built on (bytes 8..15), XDP_PASS (the fallback) when the version
           moved, XDP_DROP (a stale verdict) when the version did not move but target[1] did. */
        SEC("xdp")
        int specialized(struct xdp_md *ctx)
        {
            void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
            if (data + 16 > end)
                return XDP_ABORTED;
            __u32 zero = 0, one = 1;
            struct kecleon_guard_versions *versions = bpf_map_lookup_elem(&kecleon_guards, &zero);
            if (!versions)
                return XDP_ABORTED;
            if (versions->version[0] != *(__u64 *)data)
                return XDP_PASS;
            __u64 *value = bpf_map_lookup_elem(&target, &one);
            return (value ? *value : 0) == *(__u64 *)(data + 8) ? XDP_TX : XDP_DROP;
        }
        """;

    private static readonly Lazy<byte[]> Elf = new(() => ProgramSource.Read(TestEnvironment.WriteC(Source, "foreign")).BuildBaselineObject());

    private static BpfObject LoadGuarded(GuardTable table, BpfMapAccess? target = null)
    {
        var obj = BpfObject.Open(Elf.Value, "foreign.o");
        try
        {
            obj.Map(GuardTable.GuardsMapName).ReuseFd(table.GuardsMap);
            if (target is not null)
                obj.Map("target").ReuseFd(target);
            obj.Load();
            return obj;
        }
        catch
        {
            obj.Dispose();
            throw;
        }
    }

    [Fact]
    public void A_program_another_process_loads_on_a_guarded_map_moves_its_version_before_the_load_returns()
    {
        using var table = GuardTable.Open();
        using var obj = LoadGuarded(table);
        var target = obj.Map("target");
        var targetSlot = table.Register(target);
        var otherSlot = table.Register(obj.Map("other"));
        using var writer = ForeignWriter.Start(target.Info().Id);
        var before = table.Versions();

        var fd = writer.Send("l64");

        Assert.True(fd >= 0, $"BPF_PROG_LOAD: {fd}");
        var after = table.Versions();
        Assert.Equal(before[targetSlot] + 1, after[targetSlot]); // on exit only: entry cannot know the maps yet
        Assert.Equal(before[otherSlot], after[otherSlot]);
        // A second program on the same map: again.
        Assert.True(writer.Send("l64") >= 0);
        Assert.Equal(before[targetSlot] + 2, table.Version(targetSlot));
        Assert.Equal(0, writer.Send("c"));
    }

    [Fact]
    public void Programs_this_process_loads_on_a_guarded_map_move_nothing()
    {
        using var table = GuardTable.Open();
        using var obj = LoadGuarded(table);
        var target = obj.Map("target");
        table.Register(target);
        var before = table.Versions();

        using (LoadGuarded(table, target))
        using (LoadGuarded(table, target))
        {
        }

        Assert.Equal(before, table.Versions());
        var self = Assert.Single(table.LoadersMap.Keys());
        Assert.Equal((uint)Environment.ProcessId, BitConverter.ToUInt32(self));
    }

    [Fact]
    public void A_loader_entry_whose_start_time_is_not_its_process_s_exempts_nothing()
    {
        using var table = GuardTable.Open();
        using var obj = LoadGuarded(table);
        var target = obj.Map("target");
        var slot = table.Register(target);
        using var writer = ForeignWriter.Start(target.Info().Id);
        // What a Kecleon process that died leaves, once its pid is reused: the pid, with another start time.
        var started = GuardTable.ProcessStartTicks(writer.ProcessId)!.Value;
        table.LoadersMap.Update(U32((uint)writer.ProcessId), BitConverter.GetBytes(started + 1));
        var before = table.Version(slot);

        Assert.True(writer.Send("l64") >= 0);

        Assert.Equal(before + 1, table.Version(slot));
        // With its own start time it is one of Kecleon's processes.
        table.LoadersMap.Update(U32((uint)writer.ProcessId), BitConverter.GetBytes(started));
        Assert.True(writer.Send("l64") >= 0);
        Assert.Equal(before + 1, table.Version(slot));
    }

    /// <summary>
    /// The 32-bit entry. What this test checks depends on the kernel it runs on, and it says which in its output:
    /// where the kernel runs 32-bit system calls, 1,000 updates through <c>int $0x80</c>, each followed by a run of a
    /// program built against the version read before it, give 0 stale verdicts, and a 32-bit program load moves the
    /// version too. Where it does not (IA-32 emulation off, as on the development machine), it checks only that the
    /// first 32-bit call kills the helper with SIGSEGV before anything is written and that the guard table's probe
    /// agrees: the stale-verdict check of the 32-bit entry does not run there.
    /// </summary>
    [Fact]
    public void The_32_bit_bpf_entry_is_refused_writing_nothing_or_its_writes_are_seen()
    {
        using var table = GuardTable.Open();
        using var obj = LoadGuarded(table);
        var target = obj.Map("target");
        var program = obj.Program("specialized");
        Assert.Equal(0, table.Register(target));
        target.Update(U32(1), BitConverter.GetBytes(1UL));
        using var writer = ForeignWriter.Start(target.Info().Id);
        var before = table.Version(0);

        var first = writer.Send("u32 1 2");

        if (first is null)
        {
            Assert.Equal(11, writer.ExitSignal); // SIGSEGV: no 32-bit system call on this kernel
            Assert.False(table.WatchesCompatSyscalls, "the probe says this kernel runs 32-bit system calls, but int $0x80 was refused");
            Assert.Equal(1UL, BitConverter.ToUInt64(target.Lookup(U32(1))!));
            Assert.Equal(before, table.Version(0));
            output.WriteLine("this kernel runs no 32-bit system calls: checked only that int $0x80 is refused and writes nothing; " +
                             "the stale-verdict check of 32-bit writes did not run");
            return;
        }
        Assert.Equal(0, first);
        Assert.True(table.WatchesCompatSyscalls, "a 32-bit bpf() ran, but the probe said this kernel runs no 32-bit system calls");
        Assert.Equal(before + 2, table.Version(0));
        var stale = 0;
        for (ulong i = 0; i < 1000; i++)
        {
            var built = table.Version(0);
            var packet = new byte[64];
            BitConverter.GetBytes(built).CopyTo(packet, 0);
            BitConverter.GetBytes(i + 2).CopyTo(packet, 8);
            Assert.Equal((uint)XdpAction.Tx, program.TestRun(packet).ReturnValue);
            Assert.Equal(0, writer.Send($"u32 1 {i + 3}"));
            if (program.TestRun(packet).ReturnValue != (uint)XdpAction.Pass)
                stale++;
        }
        Assert.Equal(0, stale);
        var beforeLoad = table.Version(0);
        Assert.True(writer.Send("l32") >= 0);
        Assert.Equal(beforeLoad + 1, table.Version(0));
        output.WriteLine("this kernel runs 32-bit system calls: 1,000 writes through int $0x80 gave 0 stale verdicts; a 32-bit load moved the version");
    }

    /// <summary>Putting a map into a map of maps makes it reachable by every program using the outer map: every slot moves.</summary>
    [Fact]
    public void A_write_to_a_map_of_maps_moves_every_slot()
    {
        const string outer = Programs.Prelude + """

            struct inner { __uint(type, BPF_MAP_TYPE_HASH); __uint(max_entries, 4); __type(key, __u32); __type(value, __u64); };
            struct inner target SEC(".maps");
            struct {
                __uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
                __uint(max_entries, 2);
                __type(key, __u32);
                __array(values, struct inner);
            } outer SEC(".maps");

            SEC("xdp")
            int use(struct xdp_md *ctx)
            {
                __u32 zero = 0;
                return bpf_map_lookup_elem(&outer, &zero) ? XDP_DROP : XDP_PASS;
            }
            """;
        using var table = GuardTable.Open();
        using var obj = Load(ProgramSource.Read(TestEnvironment.WriteC(outer, "outer")).BuildBaselineObject(), "outer.o");
        var slot = table.Register(obj.Map("target"));
        var before = table.Versions();

        obj.Map("outer").Update(U32(1), U32((uint)obj.Map("target").Fd));

        Assert.Equal(before.Select(v => v + 2), table.Versions());
        Assert.True(table.Version(slot) > 0);
    }

    [Fact]
    public void Writes_through_the_64_bit_bpf_of_another_process_are_seen()
    {
        using var table = GuardTable.Open();
        using var obj = LoadGuarded(table);
        var target = obj.Map("target");
        var slot = table.Register(target);
        using var writer = ForeignWriter.Start(target.Info().Id);
        var before = table.Version(slot);
        Assert.Equal(0, writer.Send("u64 1 7"));
        Assert.Equal(before + 2, table.Version(slot));
    }
}
