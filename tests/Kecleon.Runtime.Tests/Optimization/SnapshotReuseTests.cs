using Kecleon.Runtime.Optimization;
using Kecleon.Runtime.Tests.Samples;
using Kecleon.Workloads;
using Xunit;

namespace Kecleon.Runtime.Tests.Optimization;

/// <summary>
/// A cycle after a control-plane write takes the replaced program's snapshot of each map no write reached (its guard
/// version unchanged, its slot held all along) and reads the others: a map written, even with the same value, is
/// read again, and a snapshot whose slot was given back in between is never taken.
/// </summary>
[Trait("Tier", "Kernel")]
public sealed class SnapshotReuseTests
{
    [Fact]
    public void Only_maps_no_write_reached_are_taken_from_the_replaced_program()
    {
        using var setup = new LiveSample("firewall", "cycle_reuse");
        var source = setup.Source;
        var packets = setup.Sample.GenerateTrace(setup.ControlPlane, Locality.High, 200, 1);
        OptimizedProgram Cycle(OptimizedProgram? previous) => OptimizationCycle.Run(source, setup.Program,
            SampleFixtures.ClangObject(setup.Sample.Name), setup.Guards, packets, new OptimizeOptions
            {
                MaxProbePackets = 256,
                PreviousSnapshots = previous?.Report.Snapshots,
                TrustedProgramIds = previous is null ? new HashSet<uint>() : new HashSet<uint> { previous.Variant.Program.Info().Id },
            });

        var first = Cycle(null);
        var second = (OptimizedProgram?)null;
        var third = (OptimizedProgram?)null;
        try
        {
            Assert.True(first.Report.Snapshots.Count >= 2, "the firewall is specialized on several maps");
            // The same value written again: the guard counts a write, so the map is read again.
            var written = first.Report.Snapshots[0];
            setup.Program.Object.Map(written.Name).Update(written.Entries[0].Key, written.Entries[0].Value);
            second = Cycle(first);
            Assert.True(second.Report.Check!.Equivalent);
            foreach (var snapshot in second.Report.Snapshots)
            {
                var before = first.Report.Snapshots.Single(s => s.Name == snapshot.Name);
                Assert.Equal(snapshot.Name != written.Name, ReferenceEquals(before, snapshot));
            }

            // A real change: an entry removed is in the next snapshot.
            var changed = second.Report.Snapshots[^1];
            setup.Program.Object.Map(changed.Name).Delete(changed.Entries[0].Key);
            third = Cycle(second);
            Assert.True(third.Report.Check!.Equivalent);
            var now = third.Report.Snapshots.SingleOrDefault(s => s.Name == changed.Name);
            Assert.True(now is null || now.Entries.Count == changed.Entries.Count - 1);
        }
        finally
        {
            third?.Dispose();
            second?.Dispose();
            first.Dispose();
        }

        // Every slot given back: the last snapshots are from slots that were freed, so none is taken.
        using var fresh = OptimizationCycle.Run(source, setup.Program, SampleFixtures.ClangObject(setup.Sample.Name), setup.Guards, packets,
            new OptimizeOptions { MaxProbePackets = 256, PreviousSnapshots = third!.Report.Snapshots });
        Assert.DoesNotContain(fresh.Report.Snapshots, s => third.Report.Snapshots.Any(t => ReferenceEquals(s, t)));
    }
}
