using Kecleon.Bpf;
using Kecleon.Runtime.Checking;
using Kecleon.Runtime.Deployment;
using Kecleon.Runtime.Execution;
using Kecleon.Workloads;
using Kecleon.Tests;
using Xunit;

namespace Kecleon.Runtime.Tests.Samples;

[Trait("Tier", "Kernel")]
public sealed class SampleTests
{
    public static TheoryData<string> Samples => SampleFixtures.Names;

    public static TheoryData<string, Locality> SamplesAndLocalities
    {
        get
        {
            var data = new TheoryData<string, Locality>();
            foreach (var s in SampleCatalog.All)
                foreach (var l in Enum.GetValues<Locality>())
                    data.Add(s.Name, l);
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Known_packets_get_the_verdict_the_control_plane_data_says(string sample)
    {
        var s = SampleCatalog.Get(sample);
        var controlPlane = s.GenerateControlPlane(SampleFixtures.Seed);
        foreach (var elf in new[] { SampleFixtures.ClangObject(sample), SampleFixtures.KecleonObject(sample) })
        {
            using var variant = SampleFixtures.Load(sample, elf, sample, controlPlane);
            var known = s.KnownPackets(controlPlane);
            Assert.True(known.Count >= 8, $"{sample} has only {known.Count} known packets");
            foreach (var packet in known)
            {
                var verdict = (XdpAction)variant.Program.TestRun(packet.Frame).ReturnValue;
                Assert.True(packet.Expected == verdict, $"{sample}/{packet.Name}: expected {packet.Expected}, got {verdict} ({packet.Reason})");
            }
        }
    }

    [Theory]
    [MemberData(nameof(SamplesAndLocalities))]
    public void Kecleons_recompilation_matches_clangs_object_on_every_trace(string sample, Locality locality)
    {
        var s = SampleCatalog.Get(sample);
        var controlPlane = s.GenerateControlPlane(SampleFixtures.Seed);
        var trace = s.GenerateTrace(controlPlane, locality, 400, SampleFixtures.Seed);
        using var a = SampleFixtures.Load(sample, SampleFixtures.ClangObject(sample), "clang", controlPlane);
        using var b = SampleFixtures.Load(sample, SampleFixtures.KecleonObject(sample), "kecleon", controlPlane);
        var report = DifferentialChecker.Check(a, b, trace, new DiffOptions { CompareMapsEvery = 8 });
        Assert.True(report.Equivalent, string.Join("\n", report.Mismatches.Select(m => $"{m.PacketIndex} {m.Kind}: {m.Description}")));
        Assert.Contains(report.ComparedMaps, m => m.EndsWith("stats", StringComparison.Ordinal)); // a chain's are per stage
    }

    [Fact]
    public void Random_and_malformed_packets_find_no_difference_either()
    {
        var s = SampleCatalog.Get("firewall");
        var controlPlane = s.GenerateControlPlane(SampleFixtures.Seed);
        var packets = PacketFuzzer.Generate(s.GenerateTrace(controlPlane, Locality.Low, 100, 3), 1000, seed: 7);
        using var a = SampleFixtures.Load("firewall", SampleFixtures.ClangObject("firewall"), "clang", controlPlane);
        using var b = SampleFixtures.Load("firewall", SampleFixtures.KecleonObject("firewall"), "kecleon", controlPlane);
        Assert.True(DifferentialChecker.Check(a, b, packets, new DiffOptions { CompareMapsEvery = 50 }).Equivalent);
    }

    [Theory]
    [InlineData("kn_count(&stats, ROUTER_STAT_NO_ROUTE);\n\t\treturn XDP_DROP;", "kn_count(&stats, ROUTER_STAT_NO_ROUTE);\n\t\treturn XDP_PASS;", MismatchKind.Verdict)]
    [InlineData("iph->ttl--;", "iph->ttl -= 2;", MismatchKind.Output)]
    [InlineData("kn_count(&stats, ROUTER_STAT_TX);", "kn_count(&stats, ROUTER_STAT_REDIRECT);", MismatchKind.Map)]
    public void The_checker_finds_a_planted_difference(string original, string planted, MismatchKind kind)
    {
        // The router's logic is in its stage header: plant the difference there, beside a copy of the program.
        var folder = Path.GetDirectoryName(SampleFiles.SourceOf(SampleCatalog.Get("router")))!;
        var source = File.ReadAllText(Path.Combine(folder, "router.h"));
        Assert.Contains(original, source);
        var copy = Directory.CreateDirectory(TestEnvironment.TempFile("")).FullName;
        File.WriteAllText(Path.Combine(copy, "router.h"), source.Replace(original, planted));
        var path = Path.Combine(copy, "router.bpf.c");
        File.Copy(SampleFiles.SourceOf(SampleCatalog.Get("router")), path);
        var altered = Kecleon.FrontEnd.ProgramSource.Read(path, SampleFiles.FrontEndOptions).BuildBaselineObject(SampleFiles.FrontEndOptions);
        var s = SampleCatalog.Get("router");
        var controlPlane = s.GenerateControlPlane(SampleFixtures.Seed);
        using var a = SampleFixtures.Load("router", SampleFixtures.ClangObject("router"), "original", controlPlane);
        using var b = SampleFixtures.Load("router", altered, "planted", controlPlane);
        var report = DifferentialChecker.Check(a, b, s.GenerateTrace(controlPlane, Locality.None, 300, 2));
        Assert.False(report.Equivalent);
        Assert.Equal(kind, report.Mismatches[0].Kind);
    }

    [Fact]
    public void The_checker_refuses_variants_that_share_maps()
    {
        using var a = SampleFixtures.Load("router", SampleFixtures.ClangObject("router"), "a");
        using var b = LoadedVariant.Load("b", SampleFixtures.KecleonObject("router"), "router", shareMapsWith: a);
        Assert.Throws<KecleonException>(() => DifferentialChecker.Check(a, b, [Programs.Frame(0x0800)]));
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Control_planes_and_traces_are_deterministic_and_survive_pcap(string sample)
    {
        var s = SampleCatalog.Get(sample);
        var first = s.GenerateControlPlane(5);
        var second = s.GenerateControlPlane(5);
        Assert.Equal(first.MapNames, second.MapNames);
        foreach (var map in first.MapNames)
            Assert.Equal(first.Entries(map).Select(e => Convert.ToHexString(e.Key) + Convert.ToHexString(e.Value)),
                second.Entries(map).Select(e => Convert.ToHexString(e.Key) + Convert.ToHexString(e.Value)));
        var trace = s.GenerateTrace(first, Locality.High, 500, 9);
        Assert.Equal(trace, s.GenerateTrace(second, Locality.High, 500, 9));
        var path = TestEnvironment.TempFile(".pcap");
        Pcap.WriteFile(path, trace);
        Assert.Equal(trace, Pcap.ReadFile(path).Select(p => p.Frame).ToList());
        Assert.Equal(trace[0], PacketFile.Read(path));
    }

    [Fact]
    public void Sizes_are_at_least_those_of_the_systems_the_samples_stand_for()
    {
        int Entries(string sample, string map) => SampleCatalog.Get(sample).GenerateControlPlane(1).Entries(map).Count;
        Assert.True(Entries("router", "routes") >= 2500);
        Assert.True(Entries("firewall", "actions") >= 450);
        Assert.True(Entries("balancer", "vip_map") >= 10);
        Assert.True(Entries("balancer", "reals") >= 1000);
    }

    [Fact]
    public void High_locality_concentrates_traffic_and_none_spreads_it()
    {
        var s = SampleCatalog.Get("router");
        var cp = s.GenerateControlPlane(1);
        double TopTenShare(Locality l)
        {
            var trace = s.GenerateTrace(cp, l, 5000, 1);
            var counts = trace.GroupBy(Convert.ToHexString).Select(g => g.Count()).OrderDescending().Take(10).Sum();
            return counts / 5000.0;
        }
        Assert.True(TopTenShare(Locality.High) > 0.4);
        Assert.True(TopTenShare(Locality.None) < 0.05);
        Assert.True(TopTenShare(Locality.High) > TopTenShare(Locality.Low));
    }
}
