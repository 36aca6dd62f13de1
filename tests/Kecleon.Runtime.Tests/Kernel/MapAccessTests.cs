using Kecleon.Bpf;
using Kecleon.Tests;
using Xunit;
using static Kecleon.Runtime.Tests.Kernel.KernelPrograms;

namespace Kecleon.Runtime.Tests.Kernel;

[Trait("Tier", "Kernel")]
public sealed class MapAccessTests
{
    private const string Maps = Programs.Prelude + """

        struct { __uint(type, BPF_MAP_TYPE_HASH); __uint(max_entries, 1024); __type(key, __u32); __type(value, __u64); } hash SEC(".maps");
        struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 8); __type(key, __u32); __type(value, __u32); } array SEC(".maps");
        struct { __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY); __uint(max_entries, 2); __type(key, __u32); __type(value, __u32); } percpu SEC(".maps");
        struct lpm_key { __u32 prefixlen; __u32 addr; };
        struct { __uint(type, BPF_MAP_TYPE_LPM_TRIE); __uint(max_entries, 16); __type(key, struct lpm_key); __type(value, __u32);
                 __uint(map_flags, BPF_F_NO_PREALLOC); } lpm SEC(".maps");

        SEC("xdp")
        int touch(struct xdp_md *ctx)
        {
            __u32 k = 0;
            __u32 *c = bpf_map_lookup_elem(&percpu, &k);
            if (c)
                *c += 1;
            __u64 *h = bpf_map_lookup_elem(&hash, &k);
            struct lpm_key lk = { 32, 0 };
            __u32 *l = bpf_map_lookup_elem(&lpm, &lk);
            __u32 *a = bpf_map_lookup_elem(&array, &k);
            return (h ? 1 : 0) + (l ? 1 : 0) + (a ? *a : 0) > 100 ? XDP_DROP : XDP_PASS;
        }
        """;

    private static BpfObject LoadMaps() =>
        Load(Kecleon.FrontEnd.ProgramSource.Read(TestEnvironment.WriteC(Maps, "maps")).BuildBaselineObject(), "maps.o");

    [Fact]
    public void Hash_update_lookup_delete_and_iterate()
    {
        using var obj = LoadMaps();
        var hash = obj.Map("hash");
        for (uint i = 0; i < 600; i++)
            hash.Update(U32(i), BitConverter.GetBytes((ulong)i * 3));
        Assert.Equal(BitConverter.GetBytes(30UL), hash.Lookup(U32(10)));
        Assert.Null(hash.Lookup(U32(5000)));
        Assert.True(hash.Delete(U32(10)));
        Assert.False(hash.Delete(U32(10)));
        Assert.Equal(599, hash.Keys().Count());
        var entries = hash.Entries(); // batched: several 256-entry chunks
        Assert.Equal(599, entries.Count);
        Assert.All(entries, e => Assert.Equal(BitConverter.ToUInt32(e.Key) * 3UL, BitConverter.ToUInt64(e.Value)));
        Assert.Throws<BpfException>(() => hash.Update(U32(1), BitConverter.GetBytes(1UL), MapUpdateFlags.NoExist));
        Assert.Throws<ArgumentException>(() => hash.Update(U32(1), U32(1)));
        hash.Clear();
        Assert.Empty(hash.Keys());
    }

    [Fact]
    public void Array_and_per_cpu_values_have_the_syscall_layout()
    {
        using var obj = LoadMaps();
        var array = obj.Map("array");
        Assert.Equal(8, array.Entries().Count);
        array.Update(U32(3), U32(42));
        Assert.Equal(U32(42), array.Lookup(U32(3)));
        var percpu = obj.Map("percpu");
        Assert.Equal(8 * BpfMapAccess.PossibleCpus, percpu.SyscallValueSize);
        obj.Programs[0].TestRun(Programs.Frame(0x0800), repeat: 10);
        var slots = percpu.Lookup(U32(0))!;
        var total = Enumerable.Range(0, BpfMapAccess.PossibleCpus).Sum(cpu => BitConverter.ToUInt32(slots, cpu * 8));
        Assert.Equal(10, total);
    }

    [Fact]
    public void Lpm_trie_entries_are_written_and_matched_by_prefix()
    {
        using var obj = LoadMaps();
        var lpm = obj.Map("lpm");
        byte[] Key(uint prefix, byte a, byte b, byte c, byte d) => [.. U32(prefix), a, b, c, d];
        lpm.Update(Key(8, 10, 0, 0, 0), U32(1));
        lpm.Update(Key(24, 10, 1, 2, 0), U32(2));
        Assert.Equal(U32(2), lpm.Lookup(Key(32, 10, 1, 2, 3)));
        Assert.Equal(U32(1), lpm.Lookup(Key(32, 10, 9, 9, 9)));
        Assert.Null(lpm.Lookup(Key(32, 11, 0, 0, 0)));
        Assert.Equal(2, lpm.Entries().Count); // no batch for tries: iterated key by key
    }
}
