using Kecleon.Access;
using Kecleon.Tests;
using Xunit;

namespace Kecleon.Analysis.Tests.Analysis;

/// <summary>
/// The bundled network functions: each map's class is what the C source says. Written maps are the ones the source
/// updates (<c>bpf_map_update_elem</c>) or writes through a lookup (<c>kn_count</c>'s <c>*value += 1</c>); every other
/// map is only looked up and read.
/// </summary>
public sealed class SampleClassificationTests
{
    private const MapAccess R = MapAccess.ReadOnly;
    private const MapAccess W = MapAccess.Written;

    public static TheoryData<string, string, MapAccess> Expectations() => new()
    {
        { "router", "routes", R }, { "router", "nexthops", R }, { "router", "stats", W },
        { "switch", "ports", R }, { "switch", "fdb", W }, { "switch", "stats", W },
        { "balancer", "vip_map", R }, { "balancer", "ch_rings", R }, { "balancer", "reals", R }, { "balancer", "ctl_array", R },
        { "balancer", "lru_conns", W }, { "balancer", "stats", W },
        { "firewall", "src_lpm", R }, { "firewall", "dst_lpm", R }, { "firewall", "sport_map", R }, { "firewall", "dport_map", R },
        { "firewall", "proto_map", R }, { "firewall", "actions", R }, { "firewall", "conntrack", W }, { "firewall", "stats", W },
        { "ddos", "ddos_deny_hosts", R }, { "ddos", "ddos_deny_nets", R }, { "ddos", "ddos_port_rules", R }, { "ddos", "ddos_config", R },
        { "ddos", "ddos_rate", W }, { "ddos", "ddos_stats", W },
    };

    [Theory]
    [MemberData(nameof(Expectations))]
    public void MapClassMatchesSource(string sample, string map, MapAccess expected)
    {
        var analysis = Analysed(sample);
        Assert.Equal(expected, analysis.AccessOf(map).Access);
    }

    /// <summary>No sample map is left out of the expectations, and none is may-write.</summary>
    [Theory]
    [InlineData("router")]
    [InlineData("switch")]
    [InlineData("balancer")]
    [InlineData("firewall")]
    [InlineData("ddos")]
    public void EveryMapHasAnExpectation(string sample)
    {
        var analysis = Analysed(sample);
        var expected = Expectations().Select(row => ((string)row[0], (string)row[1])).Where(e => e.Item1 == sample).Select(e => e.Item2).ToHashSet();
        Assert.Equal(expected.Order(), analysis.MapAccess.Select(m => m.Map.Name).Order());
        Assert.DoesNotContain(analysis.MapAccess, m => m.Access == MapAccess.MayWrite);
        Assert.DoesNotContain(analysis.Findings, f => f.Kind == Analyses.FindingKind.NotUnderstood);
    }

    [Fact]
    public void RouterKeysNameTheirHeaderFields()
    {
        var analysis = Analysed("router");
        var routes = analysis.LookupSites.Single(s => s.MapNames == "routes");
        Assert.Equal(KeyOriginKind.Stack, routes.Key!.Kind);
        Assert.Equal("stack {+0: 32, +4: ip.daddr}", routes.Key.ToString());
        var nexthops = analysis.LookupSites.Single(s => s.MapNames == "nexthops");
        Assert.Equal(KeyOriginKind.MapValue, nexthops.Key!.Kind);
        Assert.All(analysis.LookupSites.Where(s => s.MapNames == "stats"), s => Assert.Equal(KeyOriginKind.Constant, s.Key!.Kind));
    }

    // One compile and analysis per sample for the whole class; the analysis holds only managed copies of what tests read.
    private static readonly Dictionary<string, AnalysedProgram> Cache = [];
    private static readonly Lock CacheLock = new();

    private static Analyses.ProgramAnalysis Analysed(string sample)
    {
        lock (CacheLock)
        {
            if (!Cache.TryGetValue(sample, out var program))
            {
                var path = Path.Combine(TestEnvironment.Samples, sample, $"{sample}.bpf.c");
                Cache[sample] = program = new AnalysedProgram(path, null, $"-I{Path.Combine(TestEnvironment.Samples, "include")}");
            }
            return program.Analysis;
        }
    }
}
