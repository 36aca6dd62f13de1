using Kecleon.Access;
using Kecleon.Analyses;
using Kecleon.Tests;
using Xunit;

namespace Kecleon.Analysis.Tests.Analysis;

/// <summary>The classification rules the optimizer relies on, each on the smallest program that shows it.</summary>
public sealed class AccessClassificationTests
{
    private static AnalysedProgram Analyse(string body, AnalysisOptions? options = null, [System.Runtime.CompilerServices.CallerMemberName] string test = "") =>
        new(TestEnvironment.WriteC(Programs.Prelude + body, test), options);

    private const string CountersMap = """

        struct { __uint(type, BPF_MAP_TYPE_HASH); __uint(max_entries, 8); __type(key, __u32); __type(value, __u64); } counters SEC(".maps");
        """;

    [Fact]
    public void WritingOnlyThroughTheLookupPointerIsWritten()
    {
        using var program = Analyse(CountersMap + """
            SEC("xdp") int f(struct xdp_md *ctx) {
                __u32 key = 0;
                __u64 *v = bpf_map_lookup_elem(&counters, &key);
                if (v) *v = 7;
                return XDP_PASS;
            }
            """);
        Assert.Equal(MapAccess.Written, program.Analysis.AccessOf("counters").Access);
        Assert.Equal(MapAccess.Written, program.Analysis.LookupSites.Single().ResultAccess);
    }

    [Fact]
    public void OnlyDeletingIsWritten()
    {
        using var program = Analyse(CountersMap + """
            SEC("xdp") int f(struct xdp_md *ctx) {
                __u32 key = ctx->rx_queue_index;
                bpf_map_delete_elem(&counters, &key);
                return XDP_PASS;
            }
            """);
        Assert.Equal(MapAccess.Written, program.Analysis.AccessOf("counters").Access);
        Assert.Empty(program.Analysis.LookupSites);
    }

    [Fact]
    public void WritesThroughGepBitcastPhiAndSelectAreFollowed()
    {
        using var program = Analyse(CountersMap + """
            struct pair { __u32 a; __u32 b; };
            SEC("xdp") int f(struct xdp_md *ctx) {
                __u32 k1 = 1, k2 = 2;
                struct pair *x = bpf_map_lookup_elem(&counters, &k1);
                struct pair *y = bpf_map_lookup_elem(&counters, &k2);
                if (!x || !y) return XDP_PASS;
                struct pair *p = ctx->rx_queue_index ? x : y;
                p->b = 3;
                return XDP_PASS;
            }
            """);
        Assert.All(program.Analysis.LookupSites, s => Assert.Equal(MapAccess.Written, s.ResultAccess));
    }

    [Fact]
    public void MemcpyIntoTheValueIsAWriteAndOutOfItIsARead()
    {
        using var program = Analyse("""

            struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 1); __type(key, __u32); __type(value, struct ethhdr); } src SEC(".maps");
            struct { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 1); __type(key, __u32); __type(value, struct ethhdr); } dst SEC(".maps");
            SEC("xdp") int f(struct xdp_md *ctx) {
                void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
                struct ethhdr *eth = data;
                __u32 zero = 0;
                if ((void *)(eth + 1) > end) return XDP_DROP;
                struct ethhdr *s = bpf_map_lookup_elem(&src, &zero);
                struct ethhdr *d = bpf_map_lookup_elem(&dst, &zero);
                if (!s || !d) return XDP_PASS;
                __builtin_memcpy(eth->h_dest, s->h_dest, ETH_ALEN);
                __builtin_memcpy(d->h_source, eth->h_source, ETH_ALEN);
                return XDP_TX;
            }
            """);
        Assert.Equal(MapAccess.ReadOnly, program.Analysis.AccessOf("src").Access);
        Assert.Equal(MapAccess.Written, program.Analysis.AccessOf("dst").Access);
    }

    [Fact]
    public void MapsWrittenByAnotherProgramAreWritten()
    {
        using var program = Analyse(CountersMap + """
            SEC("xdp") int f(struct xdp_md *ctx) {
                __u32 key = 0;
                __u64 *v = bpf_map_lookup_elem(&counters, &key);
                return v && *v ? XDP_DROP : XDP_PASS;
            }
            """, new AnalysisOptions { WrittenByOtherPrograms = new HashSet<string> { "counters", "no_such_map" } });
        Assert.Equal(MapAccess.Written, program.Analysis.AccessOf("counters").Access);
        Assert.Equal(MapAccess.ReadOnly, program.Analysis.LookupSites.Single().ResultAccess);
        Assert.Contains(program.Analysis.Findings, f => f.Message.Contains("no_such_map", StringComparison.Ordinal));
    }

    [Fact]
    public void AMapGivenToAnUnmodelledHelperMayBeWritten()
    {
        using var program = Analyse("""

            struct { __uint(type, BPF_MAP_TYPE_SOCKHASH); __uint(max_entries, 8); __type(key, __u32); __type(value, __u64); } socks SEC(".maps");
            SEC("sk_msg") int f(struct sk_msg_md *msg) {
                __u32 key = 0;
                return bpf_msg_redirect_hash(msg, &socks, &key, 0);
            }
            """);
        Assert.Equal(MapAccess.MayWrite, program.Analysis.AccessOf("socks").Access);
    }

    /// <summary>A subprogram looks up whichever map it is given; only the caller that writes through the result makes
    /// its map written.</summary>
    [Fact]
    public void CallersOfASharedSubprogramAreKeptApart()
    {
        var fixture = Path.Combine(TestEnvironment.RepositoryRoot, "tests", "Kecleon.Analysis.Tests", "Fixtures", "bpf_to_bpf.c");
        using var program = new AnalysedProgram(fixture);
        Assert.Equal(MapAccess.ReadOnly, program.Analysis.AccessOf("allow").Access);
        Assert.Equal(MapAccess.Written, program.Analysis.AccessOf("hits").Access);
        Assert.Equal(["allow", "hits"], program.Analysis.LookupSites.Single().Maps.Select(m => m.Name));
    }
}
