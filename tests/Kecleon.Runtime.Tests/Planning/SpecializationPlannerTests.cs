using Kecleon.Access;
using Kecleon.Analyses;
using Kecleon.Bpf;
using Kecleon.Instrumentation.Profiles;
using Kecleon.Llvm;
using Kecleon.Optimizer.Planning;
using Kecleon.Optimizer.Specialization;
using Kecleon.Bench;
using Kecleon.Runtime.Deployment;
using Kecleon.Runtime.Guards;
using Kecleon.Runtime.Optimization;
using Kecleon.Runtime.Tests.Samples;
using Kecleon.Workloads;
using Xunit;

namespace Kecleon.Runtime.Tests.Planning;

/// <summary>The specialization planner on the four samples' lookup sites, from their declared maps and their control
/// planes' contents (no kernel), and its edge cases.</summary>
public sealed class SpecializationPlannerTests
{
    /// <summary>Each sample map's sites without a profile: the strategy, and for a site left alone why (the whole-map
    /// reason, and for a map not read the cause).</summary>
    [Theory]
    [InlineData("router", "routes", SiteStrategy.TableSearch, null, null)]
    [InlineData("router", "nexthops", SiteStrategy.Leave, PlanReasonKind.TooManyDistinctValues, null)]
    [InlineData("router", "stats", SiteStrategy.Leave, PlanReasonKind.WrittenByDataPlane, null)]
    [InlineData("switch", "fdb", SiteStrategy.Leave, PlanReasonKind.WrittenByDataPlane, null)]
    [InlineData("switch", "ports", SiteStrategy.Leave, PlanReasonKind.TooManyDistinctValues, null)]
    [InlineData("balancer", "vip_map", SiteStrategy.InlineWhole, null, null)]
    [InlineData("balancer", "ctl_array", SiteStrategy.InlineWhole, null, null)]
    [InlineData("balancer", "lru_conns", SiteStrategy.Leave, PlanReasonKind.WrittenByDataPlane, null)]
    [InlineData("balancer", "ch_rings", SiteStrategy.Leave, PlanReasonKind.NotSnapshotted, PlanReasonKind.TooManyEntries)]
    [InlineData("balancer", "reals", SiteStrategy.Leave, PlanReasonKind.NotSnapshotted, PlanReasonKind.TooManyEntries)]
    [InlineData("firewall", "src_lpm", SiteStrategy.TableSearch, null, null)]
    [InlineData("firewall", "dst_lpm", SiteStrategy.TableSearch, null, null)]
    [InlineData("firewall", "sport_map", SiteStrategy.InlineWhole, null, null)]
    [InlineData("firewall", "conntrack", SiteStrategy.Leave, PlanReasonKind.WrittenByDataPlane, null)]
    [InlineData("firewall", "proto_map", SiteStrategy.Leave, PlanReasonKind.TooManyDistinctValues, null)]
    [InlineData("firewall", "actions", SiteStrategy.Leave, PlanReasonKind.NotSnapshotted, PlanReasonKind.TooManyEntries)]
    public void Sample_sites_get_their_decisions(string sample, string map, SiteStrategy strategy, PlanReasonKind? reason, PlanReasonKind? cause)
    {
        var sites = WithAnalysis(sample, analysis => Refined(sample, analysis, null, InliningLimits.Default).Sites.Where(s => s.Map == map).ToList());
        Assert.NotEmpty(sites);
        foreach (var site in sites)
        {
            Assert.Equal(strategy, site.Strategy);
            Assert.False(site.Provisional);
            Assert.Equal(reason, site.WholeMapReason?.Kind);
            Assert.Equal(cause, site.WholeMapReason?.Cause?.Kind);
            if (strategy == SiteStrategy.Leave)
                Assert.Equal(site.WholeMapReason, site.Reason);
        }
    }

    /// <summary>The reasons render as the step log has always said them.</summary>
    [Fact]
    public void Reasons_render_as_the_step_log_says_them()
    {
        var plan = WithAnalysis("router", analysis => Refined("router", analysis, null, InliningLimits.Default));
        Assert.Equal("nexthops holds 17 distinct values, over the 2 the cost model folds (the kernel inlines array lookups itself)",
            plan.Sites.First(s => s.Map == "nexthops").Reason!.Text);
        var stats = plan.Sites.First(s => s.Map == "stats").Reason!;
        Assert.StartsWith("stats is written by the data plane: ", stats.Text);
        Assert.Equal(PlanReasonKind.WrittenByDataPlane, stats.Kind);
        Assert.Null(stats.Writer!.ProgramId);
        Assert.Matches(@"\(\S+:\d+\)$", stats.Writer.Site); // function (file:line)
        var balancer = WithAnalysis("balancer", analysis => Refined("balancer", analysis, null, InliningLimits.Default));
        Assert.StartsWith("no snapshot of ch_rings", balancer.Sites.First(s => s.Map == "ch_rings").Reason!.Text);
    }

    /// <summary>A map over the limit: the snapshot says how many entries it has, and the plan leaves it with the count and
    /// the limit as data.</summary>
    [Fact]
    public void A_map_over_the_entry_limit_is_left_with_its_count()
    {
        var limits = InliningLimits.Default with { MaxExactEntries = 4 };
        var vip = WithAnalysis("balancer", analysis => Refined("balancer", analysis, null, limits)).Sites.First(s => s.Map == "vip_map");
        var expected = SampleCatalog.Get("balancer").GenerateControlPlane(SampleFixtures.Seed).Entries("vip_map").Count;
        Assert.Equal(SiteStrategy.Leave, vip.Strategy);
        Assert.Equal(new PlanReason(PlanReasonKind.TooManyEntries, "vip_map") { Count = expected, Limit = 4 }, vip.Reason);
    }

    /// <summary>Written by the data plane: no whole snapshot, and the access as data; a map another program writes is
    /// neither read nor inlined.</summary>
    [Fact]
    public void Maps_written_by_the_data_plane_or_another_program_are_not_read_whole()
    {
        WithAnalysis("balancer", analysis =>
        {
            var plan = SpecializationPlanner.Plan(analysis, MapCatalogue.Declared(analysis), null, InliningLimits.Default, new HashSet<string> { "vip_map" });
            var lru = plan.Sites.First(s => s.Map == "lru_conns");
            Assert.Equal(PlanReasonKind.WrittenByDataPlane, lru.WholeMapReason!.Kind);
            Assert.Equal(MapAccess.Written, lru.WholeMapReason.Access);
            Assert.Equal(PlanReasonKind.WrittenByAnotherProgram, plan.Sites.First(s => s.Map == "vip_map").Reason!.Kind);
            Assert.DoesNotContain(plan.Snapshots, r => r.Map is "lru_conns" or "vip_map");
            Assert.Contains(plan.Snapshots, r => r.Map == "ctl_array" && r.Whole);
            return 0;
        });
    }

    /// <summary>A map only another loaded program writes is that program's, by id and name: not "written by the data
    /// plane", although the analysis (told of the other writer) classes it written.</summary>
    [Fact]
    public void A_map_another_program_writes_names_that_program()
    {
        using var context = LlvmContext.Create();
        using var module = SampleFiles.Read(SampleCatalog.Get("balancer")).Parse(context);
        using var analysis = ProgramAnalysis.Analyze(module, new AnalysisOptions { WrittenByOtherPrograms = new HashSet<string> { "vip_map" } });
        var writers = new Dictionary<string, IReadOnlyList<MapWriter>> { ["vip_map"] = [MapWriter.Program(41, "xdp_stats"), MapWriter.Program(57, "xdp_admin")] };
        var plan = SpecializationPlanner.Plan(analysis, MapCatalogue.Declared(analysis), null, InliningLimits.Default,
            new HashSet<string> { "vip_map" }, writers);
        var vip = plan.Sites.First(s => s.Map == "vip_map").Reason!;
        Assert.Equal(PlanReasonKind.WrittenByAnotherProgram, vip.Kind);
        Assert.Equal(41u, vip.Writer!.ProgramId);
        Assert.Equal("vip_map is written by program 41 (xdp_stats) that shares it (and 1 more program(s))", vip.Text);
    }

    /// <summary>A map a sibling program of the same object writes names that program and its site, not this one.</summary>
    [Fact]
    public void A_map_a_sibling_program_writes_names_the_sibling()
    {
        var path = Kecleon.Tests.TestEnvironment.WriteC("""
            #include <linux/bpf.h>
            #include <bpf/bpf_helpers.h>
            struct { __uint(type, BPF_MAP_TYPE_HASH); __uint(max_entries, 8); __type(key, __u32); __type(value, __u32); } tx_ports SEC(".maps");
            SEC("xdp") int xdp_fwd(struct xdp_md *ctx)
            {
                __u32 key = ctx->ingress_ifindex;
                __u32 *port = bpf_map_lookup_elem(&tx_ports, &key);
                return port ? XDP_TX : XDP_PASS;
            }
            SEC("xdp") int xdp_learn(struct xdp_md *ctx)
            {
                __u32 key = ctx->ingress_ifindex, value = 1;
                bpf_map_update_elem(&tx_ports, &key, &value, BPF_ANY);
                return XDP_PASS;
            }
            char LICENSE[] SEC("license") = "GPL";
            """, "sibling_writer");
        using var context = LlvmContext.Create();
        using var module = Kecleon.FrontEnd.ProgramSource.Read(path).Parse(context);
        using var analysis = ProgramAnalysis.Analyze(module);
        var plan = SpecializationPlanner.Plan(analysis, MapCatalogue.Declared(analysis), null, InliningLimits.Default);
        var reason = plan.Sites.First(s => s.Map == "tx_ports").Reason!;
        Assert.Equal(PlanReasonKind.WrittenByDataPlane, reason.Kind);
        Assert.Equal("xdp_learn", reason.Writer!.ProgramName);
        Assert.StartsWith("tx_ports is written by the data plane: program xdp_learn of the same object, bpf_map_update_elem in xdp_learn (", reason.Text);
    }

    /// <summary>No profile: no site gets hot keys, each says so, and no hot-key snapshot is asked for.</summary>
    [Fact]
    public void Without_a_profile_no_site_gets_hot_keys()
    {
        var plan = WithAnalysis("switch", analysis => SpecializationPlanner.Plan(analysis, MapCatalogue.Declared(analysis), null, InliningLimits.Default));
        Assert.All(plan.Sites.Where(s => s.Map == "fdb"), s => Assert.Equal(PlanReasonKind.NoProfile, s.HotKeysReason!.Kind));
        Assert.DoesNotContain(plan.Sites, s => s.Strategy == SiteStrategy.HotKeys);
        Assert.DoesNotContain(plan.Snapshots, r => !r.Whole);
    }

    /// <summary>An array whose values the catalogue already counted as too many is neither read nor guarded.</summary>
    [Fact]
    public void An_array_with_too_many_values_is_not_read()
    {
        WithAnalysis("router", analysis =>
        {
            var counted = new MapCatalogue(analysis.Maps.Maps.Where(m => m.Type is not null).Select(m =>
                new CatalogedMap(m.Name, m.Type!.Value, m.KeySize, m.ValueSize, m.MaxEntries) { DistinctValues = m.Name == "nexthops" ? 17 : null }));
            var plan = SpecializationPlanner.Plan(analysis, counted, null, InliningLimits.Default);
            Assert.Equal(["routes"], plan.Snapshots.Select(r => r.Map));
            Assert.Equal(PlanReasonKind.TooManyDistinctValues, plan.Sites.First(s => s.Map == "nexthops").Reason!.Kind);
            return 0;
        });
    }

    /// <summary>The sites whose keys a profile records: those that could get hot keys, unless certainly inlined whole.</summary>
    [Theory]
    [InlineData("router", "routes")]
    [InlineData("switch", "fdb fdb")]
    [InlineData("balancer", "vip_map vip_map lru_conns")]
    [InlineData("firewall", "conntrack src_lpm dst_lpm sport_map dport_map")]
    public void Key_profiles_are_asked_for_where_hot_keys_could_help(string sample, string maps)
    {
        var profiled = WithAnalysis(sample, analysis =>
        {
            var sites = SpecializationPlanner.KeyProfileSites(analysis);
            return analysis.LookupSites.Where(s => sites.Contains(s.Index)).Select(s => s.Maps[0].Name).ToList();
        });
        Assert.Equal(maps.Split(' '), profiled);
    }

    /// <summary>With the samples' own profiles: maps the data plane writes rarely get hot keys, asked for as keys; the
    /// signature names them, and the same inputs give the same signature.</summary>
    [Trait("Tier", "Kernel")]
    [Theory]
    [InlineData("switch", "fdb")]
    [InlineData("balancer", "lru_conns")]
    [InlineData("firewall", "conntrack")]
    public void Rarely_written_maps_get_hot_keys_from_the_profile(string sample, string map)
    {
        var profile = SampleProfile(sample);
        var (plan, again) = WithAnalysis(sample, analysis => (Refined(sample, analysis, profile, InliningLimits.Default),
            SpecializationPlanner.Plan(analysis, MapCatalogue.Declared(analysis), profile, InliningLimits.Default)));
        Assert.Contains(plan.Sites, d => d.Map == map && d.Strategy == SiteStrategy.HotKeys);
        Assert.Contains(plan.Snapshots, r => r.Map == map && r.Keys is { Count: > 0 });
        Assert.Contains(map, plan.Signature, StringComparison.Ordinal);
        Assert.Equal(plan.Signature, again.Signature);
    }

    /// <summary>A reaction's build leaves a map the data plane writes to the full build once it was written
    /// (<see cref="InliningLimits.WrittenMapsLeft"/>): no hot keys, no snapshot, the reason in the written maps' list;
    /// the maps it does not name keep theirs.</summary>
    [Trait("Tier", "Kernel")]
    [Theory]
    [InlineData("switch", "fdb")]
    [InlineData("firewall", "conntrack")]
    public void A_written_map_the_data_plane_writes_is_left_to_the_full_build(string sample, string map)
    {
        var profile = SampleProfile(sample);
        var limits = InliningLimits.Default with { WrittenMapsLeft = new HashSet<string> { map, "another_map" } };
        var (full, left) = WithAnalysis(sample, analysis => (Refined(sample, analysis, profile, InliningLimits.Default), Refined(sample, analysis, profile, limits)));
        Assert.Contains(full.Sites, d => d.Map == map && d.Strategy == SiteStrategy.HotKeys);
        Assert.All(left.Sites.Where(d => d.Map == map), d => Assert.Equal(SiteStrategy.Leave, d.Strategy));
        Assert.DoesNotContain(left.Snapshots, r => r.Map == map);
        var reason = Assert.Single(left.WrittenMapReasons, r => r.Map == map);
        Assert.Equal(PlanReasonKind.LeftToFullBuild, reason.Kind);
        Assert.StartsWith($"{map} is written by the data plane and was written since the last full build", reason.Text, StringComparison.Ordinal);
        // What else the plan specializes stays as it was.
        Assert.Equal(full.Sites.Where(d => d.Map != map).Select(d => (d.Site, d.Strategy)), left.Sites.Where(d => d.Map != map).Select(d => (d.Site, d.Strategy)));
    }

    /// <summary>The daemon's "has anything changed": a plan made afresh for the live program with the same profile has
    /// the signature of the plan the cycle executed (so an unchanged target keeps its program).</summary>
    [Trait("Tier", "Kernel")]
    [Theory]
    [InlineData("switch")]
    [InlineData("firewall")]
    public void A_fresh_plan_has_the_executed_plans_signature(string sample)
    {
        var s = SampleCatalog.Get(sample);
        var controlPlane = s.GenerateControlPlane(SampleFixtures.Seed);
        var trace = s.GenerateTrace(controlPlane, Locality.High, 400, 4);
        var source = SampleFiles.Read(s);
        var options = new OptimizeOptions { Profile = TraceProfile.Record(source, s.ProgramName, controlPlane, trace) };
        using var live = SampleFixtures.Load(sample, SampleFixtures.ClangObject(sample), "live", controlPlane);
        foreach (var packet in trace)
            live.Program.TestRun(packet);
        using var guards = GuardTable.Open();
        using var optimized = OptimizationCycle.Run(source, live, SampleFixtures.ClangObject(sample), guards, trace, options);
        Assert.True(optimized.Report.Plan!.IsRefined);
        // The specialized program shares the maps; as the program it replaces, it is trusted (LiveOptimization does so).
        var trusted = options with { TrustedProgramIds = new HashSet<uint> { optimized.Variant.Program.Info().Id } };
        Assert.Equal(optimized.Report.Plan.Signature, OptimizationCycle.Plan(source, live, trusted).Signature);
        // Exactly the plan's maps are guarded.
        Assert.Equal(optimized.Report.Plan.Snapshots.Select(r => r.Map).Order(), guards.Registrations.Select(r => r.MapName).Order());
    }

    /// <summary>The plan from the declared maps, refined on snapshots of the control plane's entries.</summary>
    private static SpecializationPlan Refined(string sample, ProgramAnalysis analysis, Profile? profile, InliningLimits limits)
    {
        var controlPlane = SampleCatalog.Get(sample).GenerateControlPlane(SampleFixtures.Seed);
        var plan = SpecializationPlanner.Plan(analysis, MapCatalogue.Declared(analysis), profile, limits);
        var definitions = analysis.Maps.Maps.ToDictionary(m => m.Name);
        MapSnapshot Snapshot(SnapshotRequirement need)
        {
            var map = definitions[need.Map];
            var entries = controlPlane.Entries(need.Map).Select(e => (e.Key, e.Value))
                .Where(e => need.Keys is null || need.Keys.Any(k => k.AsSpan().SequenceEqual(e.Key))).ToList();
            // An array has every index, as reading the live one gives: zeros where the control plane wrote nothing.
            if (map.Type == BpfMapType.Array)
                entries = Enumerable.Range(0, map.MaxEntries).Select(i => BitConverter.GetBytes((uint)i))
                    .Select(k => entries.FirstOrDefault(e => e.Key.AsSpan().SequenceEqual(k)) is { Key: not null } e ? e : (k, new byte[map.ValueSize])).ToList();
            return new MapSnapshot(map.Name, map.Type!.Value, map.KeySize, map.ValueSize, map.MaxEntries, entries, 0, 0);
        }
        return plan.Refine(plan.Snapshots.Where(r => r.Whole).ToDictionary(r => r.Map, Snapshot),
            plan.Snapshots.Where(r => !r.Whole).ToDictionary(r => r.Map, Snapshot));
    }

    /// <summary>The sample's profile on 400 packets of its high-locality trace (loaded and counted in the kernel).</summary>
    private static Profile SampleProfile(string sample)
    {
        var s = SampleCatalog.Get(sample);
        var controlPlane = s.GenerateControlPlane(SampleFixtures.Seed);
        return TraceProfile.Record(SampleFiles.Read(s), s.ProgramName, controlPlane, s.GenerateTrace(controlPlane, Locality.High, 400, 4));
    }

    private static T WithAnalysis<T>(string sample, Func<ProgramAnalysis, T> use)
    {
        using var context = LlvmContext.Create();
        using var module = SampleFiles.Read(SampleCatalog.Get(sample)).Parse(context);
        using var analysis = ProgramAnalysis.Analyze(module);
        return use(analysis);
    }
}
