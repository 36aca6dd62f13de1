using Kecleon.Llvm;
using Kecleon.Optimizer.Specialization;
using Kecleon.Runtime.Optimization;
using Kecleon.Runtime.Tests.Samples;
using Kecleon.Workloads;
using Xunit;

namespace Kecleon.Runtime.Tests.Optimization;

/// <summary>
/// The probes a check adds (<see cref="ProbePackets"/>): a limit below the keys worth a packet gives exactly that many,
/// spread over every specialized map; the changed keys come first, whatever the limit; and the same contents read in
/// another order give the same packets.
/// </summary>
[Trait("Tier", "Kernel")]
public sealed class ProbePacketsTests
{
    [Fact]
    public void A_limit_spreads_the_probes_over_every_map_after_the_changed_keys()
    {
        using var setup = new LiveSample("firewall", "probe_limit");
        var trace = setup.Sample.GenerateTrace(setup.ControlPlane, Locality.Low, 200, 3);
        using var optimized = setup.Optimize(trace, new OptimizeOptions { MaxProbePackets = 256 });
        var used = optimized.Report.Snapshots;
        using var context = LlvmContext.Create();
        using var module = setup.Source.Parse(context);
        using var analysis = OptimizationCycle.Analyze(setup.Source, module, new HashSet<string>());

        var all = ProbePackets.Build(analysis, used, trace, int.MaxValue);
        Assert.True(all.Count > 400, $"{all.Count} probes in all");
        var some = ProbePackets.Build(analysis, used, trace, 200);
        Assert.Equal(200, some.Count);

        // The same contents in another order: the same probes.
        var reversed = used.Select(s => s with { Entries = s.Entries.Reverse().ToList() }).ToList();
        Assert.Equal(some, ProbePackets.Build(analysis, reversed, trace, 200));

        // One entry changed since the last program: its key's probes come first, and the limit still holds.
        var changed = used.First(s => s.Type == Kecleon.Bpf.BpfMapType.Hash && s.Entries.Count > 1);
        var previous = used.Select(s => s != changed ? s : s with
        {
            Entries = [(s.Entries[0].Key, s.Entries[0].Value.Select(b => (byte)~b).ToArray()), .. s.Entries.Skip(1)],
        }).ToList();
        var withChange = ProbePackets.Build(analysis, used, trace, 200, previous);
        Assert.Equal(200, withChange.Count);
        Assert.NotEqual(some.Take(4), withChange.Take(4));
    }
}
