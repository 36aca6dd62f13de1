using Kecleon.Bpf;
using Kecleon.FrontEnd;
using Kecleon.Interop;
using Kecleon.Runtime.Guards;
using Kecleon.Tests;
using Xunit;
using static Kecleon.Runtime.Tests.Kernel.KernelPrograms;

namespace Kecleon.Runtime.Tests.Guards;

/// <summary>The guard hook against the real kernel: every map-writing bpf() command on a guarded map has changed its
/// version by the time the call returns, and nothing else does.</summary>
[Trait("Tier", "Kernel")]
[Collection(EverySlotCollection.Name)]
public sealed class GuardTableTests
{
    /// <summary>Two control-plane maps, and an XDP program that acts like a specialized one: it reads its guard slot once,
    /// reports the version it saw (bytes 8..15 of the packet) and returns XDP_TX while the version is the one it was
    /// "built" against (bytes 16..23), XDP_PASS (the fallback) otherwise.</summary>
    private static readonly string Source = Programs.Prelude + GuardTable.GuardsMapDeclaration + """

        struct { __uint(type, BPF_MAP_TYPE_HASH); __uint(max_entries, 1024); __type(key, __u32); __type(value, __u64); } target SEC(".maps");
        struct { __uint(type, BPF_MAP_TYPE_HASH); __uint(max_entries, 1024); __type(key, __u32); __type(value, __u64); } other SEC(".maps");

        SEC("xdp")
        int read_guard(struct xdp_md *ctx)
        {
            void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
            if (data + 24 > end)
                return XDP_ABORTED;
            __u32 slot = *(__u32 *)data, zero = 0;
            struct kecleon_guard_versions *versions = bpf_map_lookup_elem(&kecleon_guards, &zero);
            if (!versions)
                return XDP_ABORTED;
            __u64 seen = versions->version[slot & 255];
            *(__u64 *)(data + 8) = seen;
            __u64 *t = bpf_map_lookup_elem(&target, &slot);
            __u64 *o = bpf_map_lookup_elem(&other, &slot);
            if ((t ? *t : 0) + (o ? *o : 0) == 0xdead)
                return XDP_DROP;
            return seen == *(__u64 *)(data + 16) ? XDP_TX : XDP_PASS;
        }
        """;

    private static readonly Lazy<byte[]> Elf = new(() => ProgramSource.Read(TestEnvironment.WriteC(Source, "guarded")).BuildBaselineObject());

    /// <summary>The test program, loaded with the table's guard map.</summary>
    private static BpfObject LoadGuarded(GuardTable table)
    {
        var obj = BpfObject.Open(Elf.Value, "guarded.o");
        try
        {
            obj.Map(GuardTable.GuardsMapName).ReuseFd(table.GuardsMap);
            obj.Load();
            return obj;
        }
        catch
        {
            obj.Dispose();
            throw;
        }
    }

    private static byte[] U64(ulong value) => BitConverter.GetBytes(value);

    private static void Fill(BpfMapAccess map, int count)
    {
        for (uint i = 0; i < count; i++)
            map.Update(U32(i), U64(i + 1));
    }

    private static readonly LibbpfApi.MapBatchOptions BatchOptions = new() { Size = 24 };

    /// <summary>Each command a control plane can write a map with, issued through libbpf as a control plane would.</summary>
    public static TheoryData<string> WriteCommands => new()
    {
        "BPF_MAP_UPDATE_ELEM", "BPF_MAP_DELETE_ELEM", "BPF_MAP_LOOKUP_AND_DELETE_ELEM",
        "BPF_MAP_UPDATE_BATCH", "BPF_MAP_DELETE_BATCH", "BPF_MAP_LOOKUP_AND_DELETE_BATCH",
    };

    private static void Write(string command, BpfMapAccess map)
    {
        switch (command)
        {
            case "BPF_MAP_UPDATE_ELEM":
                map.Update(U32(7), U64(70));
                break;
            case "BPF_MAP_DELETE_ELEM":
                Assert.True(map.Delete(U32(3)));
                break;
            case "BPF_MAP_LOOKUP_AND_DELETE_ELEM":
            {
                var value = new byte[8];
                Assert.Equal(0, LibbpfApi.bpf_map_lookup_and_delete_elem(map.Fd, U32(4), value));
                Assert.Equal(5UL, BitConverter.ToUInt64(value));
                break;
            }
            case "BPF_MAP_UPDATE_BATCH":
                map.UpdateBatch([(U32(100), U64(1)), (U32(101), U64(2))]);
                break;
            case "BPF_MAP_DELETE_BATCH":
            {
                uint count = 2;
                Assert.Equal(0, LibbpfApi.bpf_map_delete_batch(map.Fd, [.. U32(1), .. U32(2)], ref count, BatchOptions));
                Assert.Equal(2u, count);
                break;
            }
            case "BPF_MAP_LOOKUP_AND_DELETE_BATCH":
            {
                uint count = 16;
                var keys = new byte[16 * 4];
                var values = new byte[16 * 8];
                var cursor = new byte[8];
                var rc = LibbpfApi.bpf_map_lookup_and_delete_batch(map.Fd, default, cursor, keys, values, ref count, BatchOptions);
                Assert.True(rc is 0 or -Errno.ENOENT, $"lookup-and-delete batch: {rc}");
                Assert.True(count > 0);
                break;
            }
            default:
                throw new ArgumentException(command);
        }
    }

    [Theory]
    [MemberData(nameof(WriteCommands))]
    public void A_write_has_changed_the_version_when_the_call_returns(string command)
    {
        using var table = GuardTable.Open();
        using var obj = LoadGuarded(table);
        var target = obj.Map("target");
        Fill(target, 8);
        var slot = table.Register(target);
        var before = table.Version(slot);

        Write(command, target);

        // Entry and exit both bump.
        Assert.Equal(before + 2, table.Version(slot));
    }

    [Theory]
    [MemberData(nameof(WriteCommands))]
    public void The_data_plane_sees_the_new_version_as_soon_as_the_call_returns(string command)
    {
        using var table = GuardTable.Open();
        using var obj = LoadGuarded(table);
        var program = obj.Program("read_guard");
        var target = obj.Map("target");
        Fill(target, 8);
        var slot = table.Register(target);
        var built = table.Version(slot);
        var packet = Programs.Frame(0x0800);
        BitConverter.GetBytes((uint)slot).CopyTo(packet, 0);
        U64(built).CopyTo(packet, 16);
        Assert.Equal((uint)XdpAction.Tx, program.TestRun(packet).ReturnValue);

        Write(command, target);
        var run = program.TestRun(packet);

        Assert.Equal((uint)XdpAction.Pass, run.ReturnValue);
        Assert.Equal(built + 2, BitConverter.ToUInt64(run.Output, 8));
    }

    [Fact]
    public void Every_update_is_seen_by_the_next_packet()
    {
        using var table = GuardTable.Open();
        using var obj = LoadGuarded(table);
        var program = obj.Program("read_guard");
        var target = obj.Map("target");
        var slot = table.Register(target);
        var packet = Programs.Frame(0x0800);
        BitConverter.GetBytes((uint)slot).CopyTo(packet, 0);
        for (uint i = 0; i < 1000; i++)
        {
            var built = table.Version(slot);
            U64(built).CopyTo(packet, 16);
            target.Update(U32(i % 64), U64(i));
            var run = program.TestRun(packet);
            Assert.Equal((uint)XdpAction.Pass, run.ReturnValue);
            Assert.Equal(table.Version(slot), BitConverter.ToUInt64(run.Output, 8));
        }
    }

    [Fact]
    public void A_write_through_another_fd_of_the_same_map_is_seen()
    {
        using var table = GuardTable.Open();
        using var obj = LoadGuarded(table);
        var slot = table.Register(obj.Map("target"));
        using var sameMap = BpfLoadedMap.OpenById(obj.Map("target").Info().Id);
        var before = table.Version(slot);
        sameMap.Update(U32(1), U64(1));
        Assert.Equal(before + 2, table.Version(slot));
    }

    [Fact]
    public void Writes_to_unregistered_maps_and_reads_of_registered_ones_bump_nothing()
    {
        using var table = GuardTable.Open();
        using var obj = LoadGuarded(table);
        var target = obj.Map("target");
        var other = obj.Map("other");
        Fill(target, 8);
        Fill(other, 8);
        table.Register(target);
        var before = AllVersions(table);

        foreach (var command in WriteCommands)
            Write(command, other);
        target.Lookup(U32(1));
        target.Entries();
        target.Keys();
        obj.Program("read_guard").TestRun(Programs.Frame(0x0800)); // an XDP test run is not a syscall program
        using (var scratch = LoadGuarded(table))
            scratch.Map("target").Update(U32(1), U64(1)); // a different map with the same name

        Assert.Equal(before, AllVersions(table));
    }

    [Fact]
    public void A_syscall_program_run_invalidates_every_slot()
    {
        const string syscallProgram = Programs.Prelude + """

            struct { __uint(type, BPF_MAP_TYPE_HASH); __uint(max_entries, 4); __type(key, __u32); __type(value, __u64); } written SEC(".maps");

            SEC("syscall")
            int write_map(void *ctx)
            {
                __u32 key = 1;
                __u64 value = 42;
                bpf_map_update_elem(&written, &key, &value, BPF_ANY);
                return 0;
            }
            """;
        using var table = GuardTable.Open();
        using var obj = LoadGuarded(table);
        table.Register(obj.Map("target"));
        using var syscall = Load(ProgramSource.Read(TestEnvironment.WriteC(syscallProgram, "syscall")).BuildBaselineObject(), "syscall.o");
        var before = AllVersions(table);

        var options = new LibbpfApi.TestRunOptions { Size = 80 };
        Assert.Equal(0, LibbpfApi.bpf_prog_test_run_opts(syscall.Program("write_map").Fd, ref options));

        Assert.Equal(42UL, BitConverter.ToUInt64(syscall.Map("written").Lookup(U32(1))!));
        Assert.Equal(before.Select(v => v + 2), AllVersions(table));
    }

    [Fact]
    public void Ten_thousand_updates_advance_the_version_by_at_least_ten_thousand()
    {
        using var table = GuardTable.Open();
        using var obj = LoadGuarded(table);
        var target = obj.Map("target");
        var slot = table.Register(target);
        var before = table.Version(slot);
        for (uint i = 0; i < 10_000; i++)
            target.Update(U32(i % 1024), U64(i));
        Assert.True(table.Version(slot) - before >= 10_000, $"advanced by {table.Version(slot) - before}");
    }

    [Fact]
    public void The_hook_is_attached_exactly_while_some_map_is_registered()
    {
        using var table = GuardTable.Open();
        using var obj = LoadGuarded(table);
        var target = obj.Map("target");
        Assert.Equal(GuardMechanism.SyscallTracepoints, table.Mechanism);
        Assert.False(table.IsAttached);
        Assert.Equal(0, AttachedPerfLinks());

        var slot = table.Register(target);
        Assert.Equal(slot, table.Register(target)); // same map, same slot
        var otherSlot = table.Register(obj.Map("other"));
        Assert.NotEqual(slot, otherSlot);
        Assert.True(table.IsAttached);
        Assert.Equal(2, AttachedPerfLinks());
        Assert.Equal(table.WatchesCompatSyscalls ? 2 : 0, AttachedRawTracepointLinks());
        Assert.Equal(2, table.Registrations.Single(r => r.Slot == slot).References);

        table.Unregister(slot);
        table.Unregister(otherSlot);
        Assert.True(table.IsAttached); // one registration of target is left
        var before = table.Version(slot);
        target.Update(U32(1), U64(1));
        Assert.Equal(before + 2, table.Version(slot));

        table.Unregister(slot);
        Assert.False(table.IsAttached);
        Assert.Equal(0, AttachedPerfLinks());
        Assert.Equal(0, AttachedRawTracepointLinks());
        Assert.Empty(table.Registrations);
        Assert.Throws<ArgumentException>(() => table.Unregister(slot));

        // A freed slot's version keeps growing from where it was: an old capture never matches again.
        var reused = table.Register(obj.Map("other"));
        Assert.Equal(slot, reused);
        Assert.True(table.Version(reused) >= before + 2);
    }

    /// <summary>The 32-bit entry's programs, attached also where the kernel runs no 32-bit calls: the kernel takes them,
    /// and they leave 64-bit calls to the other two (a write still adds exactly 2, a program load exactly 1).</summary>
    [Fact]
    public void The_32_bit_entry_hooks_attach_and_ignore_64_bit_calls()
    {
        using var table = GuardTable.Open(compatHooks: true);
        using var obj = LoadGuarded(table);
        var target = obj.Map("target");
        var slot = table.Register(target);
        Assert.Equal(2, AttachedPerfLinks());
        Assert.Equal(2, AttachedRawTracepointLinks());
        var before = table.Version(slot);

        target.Update(U32(1), U64(1));
        Assert.Equal(before + 2, table.Version(slot));
        using var writer = ForeignWriter.Start(target.Info().Id);
        Assert.Equal(0, writer.Send("u64 2 2"));
        Assert.True(writer.Send("l64") >= 0);
        Assert.Equal(before + 5, table.Version(slot));

        table.Unregister(slot);
        Assert.Equal(0, AttachedRawTracepointLinks());
    }

    /// <summary>What kecleon bench does while it times: the hook off (no bump for a write meanwhile, which the caller must
    /// rule out itself), then on again as before.</summary>
    [Fact]
    public void A_suspended_hook_bumps_nothing_and_is_attached_again_after()
    {
        using var table = GuardTable.Open();
        using var obj = LoadGuarded(table);
        var target = obj.Map("target");
        var slot = table.Register(target);
        Assert.Equal(2, AttachedPerfLinks());
        var before = table.Version(slot);
        using (table.SuspendHook())
        {
            Assert.False(table.IsAttached);
            Assert.Equal(0, AttachedPerfLinks());
            target.Update(U32(1), U64(1));
            Assert.Equal(before, table.Version(slot));
        }
        Assert.True(table.IsAttached);
        Assert.Equal(2, AttachedPerfLinks());
        target.Update(U32(1), U64(2));
        Assert.Equal(before + 2, table.Version(slot));

        // Nothing registered, nothing attached: suspending and resuming leaves it so.
        table.Unregister(slot);
        using (table.SuspendHook())
            Assert.False(table.IsAttached);
        Assert.False(table.IsAttached);
    }

    [Fact]
    public void An_mmapable_map_is_refused()
    {
        const string mmapable = Programs.Prelude + """

            struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 4); __type(key, __u32); __type(value, __u64);
                     __uint(map_flags, BPF_F_MMAPABLE); } shared SEC(".maps");

            SEC("xdp")
            int use(struct xdp_md *ctx)
            {
                __u32 key = 0;
                __u64 *v = bpf_map_lookup_elem(&shared, &key);
                return v && *v ? XDP_DROP : XDP_PASS;
            }
            """;
        using var table = GuardTable.Open();
        using var obj = Load(ProgramSource.Read(TestEnvironment.WriteC(mmapable, "mmapable")).BuildBaselineObject(), "mmapable.o");
        var error = Assert.Throws<GuardException>(() => table.Register(obj.Map("shared")));
        Assert.Contains("mmap", error.Message);
        Assert.False(table.IsAttached);
    }

    [Fact]
    public void Open_register_and_dispose_leak_no_fd()
    {
        using var obj = BpfObject.Open(Elf.Value, "guarded.o");
        obj.Load();
        var target = obj.Map("target");
        FdLeakCheck.AssertNoLeak(() =>
        {
            using var table = GuardTable.Open();
            var slot = table.Register(target);
            target.Update(U32(1), U64(1));
            Assert.True(table.Version(slot) >= 2);
            table.Unregister(slot);
            table.Register(target); // left registered: Dispose detaches
        });
    }

    [Fact]
    public void Registering_from_many_threads_is_consistent()
    {
        using var table = GuardTable.Open();
        using var obj = LoadGuarded(table);
        var maps = new[] { obj.Map("target"), obj.Map("other") };
        var slots = new System.Collections.Concurrent.ConcurrentBag<(int Map, int Slot)>();
        Parallel.For(0, 200, i =>
        {
            var slot = table.Register(maps[i % 2]);
            slots.Add((i % 2, slot));
            maps[i % 2].Update(U32((uint)i), U64(1));
        });
        Assert.Equal(2, slots.Select(s => s.Slot).Distinct().Count());
        Assert.All(slots.GroupBy(s => s.Map), g => Assert.Single(g.Select(s => s.Slot).Distinct()));
        foreach (var (_, slot) in slots)
            table.Unregister(slot);
        Assert.False(table.IsAttached);
    }

    private static ulong[] AllVersions(GuardTable table) =>
        Enumerable.Range(0, GuardTable.SlotCount).Select(table.Version).ToArray();

    /// <summary>How many perf-event links (tracepoint attachments) this process holds, as the kernel lists them in
    /// <c>/proc/self/fdinfo</c>: what the hook costs the machine is decided there, not by our bookkeeping.</summary>
    private static int AttachedPerfLinks() => AttachedLinks("perf");

    /// <summary>The raw tracepoint links (the hook's programs for the 32-bit <c>bpf()</c>).</summary>
    private static int AttachedRawTracepointLinks() => AttachedLinks("raw_tracepoint");

    private static int AttachedLinks(string type)
    {
        var count = 0;
        foreach (var fd in Directory.GetFiles("/proc/self/fdinfo"))
        {
            string text;
            try
            {
                text = File.ReadAllText(fd);
            }
            catch (IOException)
            {
                continue;
            }
            if (text.Contains($"link_type:\t{type}\n", StringComparison.Ordinal))
                count++;
        }
        return count;
    }
}
