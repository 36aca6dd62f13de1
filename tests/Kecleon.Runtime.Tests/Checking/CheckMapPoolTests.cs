using Kecleon.Bpf;
using Kecleon.Runtime.Checking;
using Kecleon.Runtime.Optimization;
using Kecleon.Runtime.Tests.Samples;
using Kecleon.Workloads;
using Xunit;

namespace Kecleon.Runtime.Tests.Checking;

/// <summary>
/// The check's copies kept from one cycle to the next (<see cref="CheckMapPool"/>): a second cycle runs its check on
/// the same maps, brought back to the live contents (<see cref="CheckCopies.Refill"/>), and a copy of a live map that
/// was replaced since is dropped, never used.
/// </summary>
[Trait("Tier", "Kernel")]
public sealed class CheckMapPoolTests
{
    [Fact]
    public void A_second_cycle_checks_on_the_copies_the_first_kept()
    {
        using var setup = new LiveSample("firewall", "pool_cycles");
        using var pool = new CheckMapPool();
        var packets = setup.Sample.GenerateTrace(setup.ControlPlane, Locality.High, 300, 1);
        OptimizedProgram Cycle(OptimizedProgram? previous) => OptimizationCycle.Run(setup.Source, setup.Program,
            SampleFixtures.ClangObject(setup.Sample.Name), setup.Guards, packets, new OptimizeOptions
            {
                MaxProbePackets = 256,
                CheckMaps = pool,
                PreviousSnapshots = previous?.Report.Snapshots,
                TrustedProgramIds = previous is null ? new HashSet<uint>() : new HashSet<uint> { previous.Variant.Program.Info().Id },
            });

        using var first = Cycle(null);
        Assert.True(first.Report.Check!.Equivalent);
        // The firewall's connection table (an LRU hash) and its per-CPU counters, once per variant.
        var kept = KeptIds(pool);
        Assert.True(kept.Count >= 4, $"the data plane's maps are kept for both variants ({kept.Count} kept)");

        // The check wrote the copies (connections, counters); the next check starts from the live contents again.
        var written = first.Report.Snapshots[0];
        setup.Program.Object.Map(written.Name).Update(written.Entries[0].Key, written.Entries[0].Value);
        using var second = Cycle(first);
        Assert.True(second.Report.Check!.Equivalent);
        Assert.Equal(kept, KeptIds(pool));
    }

    [Fact]
    public void A_kept_copy_is_brought_back_to_the_live_contents()
    {
        using var setup = new LiveSample("firewall", "pool_refill");
        var copies = new CheckCopies(setup.Program);
        var name = setup.Program.Object.Maps.Where(m => !m.IsInternal).Select(m => m.Name)
            .First(n => copies.Keepable(n) && setup.Program.Object.Map(n).Type == BpfMapType.LruHash);
        var live = setup.Program.Object.Map(name);
        // Live entries: three connections.
        var keys = Enumerable.Range(1, 3).Select(i => Key(live.KeySize, i)).ToList();
        foreach (var key in keys)
            live.Update(key, Value(live.ValueSize, 7));
        using var liveById = BpfLoadedMap.OpenById(live.Info().Id);
        using var copy = BpfLoadedMap.CreateLike(liveById);
        // The copy after a check: one entry gone, one changed, one the live map does not have.
        copy.Update(keys[0], Value(live.ValueSize, 7));
        copy.Update(keys[1], Value(live.ValueSize, 9));
        copy.Update(Key(live.KeySize, 42), Value(live.ValueSize, 1));

        copies.Refill(copy, name);

        Assert.Equal(Sorted(live.Entries()), Sorted(copy.Entries()));
    }

    [Fact]
    public void A_copy_of_a_replaced_live_map_is_dropped_and_a_lease_is_one_cycle_s()
    {
        using var pool = new CheckMapPool();
        using var live = BpfLoadedMap.Create(BpfMapType.Hash, "pool_live", 4, 4, 16);
        using var copy = BpfLoadedMap.CreateLike(live);
        using (var lease = pool.Take()!)
        {
            Assert.Null(pool.Take()); // one cycle at a time
            lease.Keep("reference", "pool_live", copy, live.Id);
            Assert.Single(lease.Kept("reference", new Dictionary<string, uint> { ["pool_live"] = live.Id }));
        }
        using (var lease = pool.Take()!)
        {
            // The live map of that name is another one now: its old copy is not a copy of it.
            Assert.Empty(lease.Kept("reference", new Dictionary<string, uint> { ["pool_live"] = live.Id + 1 }));
            Assert.Equal(0, pool.Count);
        }
    }

    private static List<uint> KeptIds(CheckMapPool pool) => pool.KeptMapIds().Order().ToList();

    private static byte[] Key(int size, int i)
    {
        var key = new byte[size];
        BitConverter.GetBytes(i).AsSpan(0, Math.Min(4, size)).CopyTo(key);
        return key;
    }

    private static byte[] Value(int size, byte fill) => Enumerable.Repeat(fill, size).ToArray();

    private static List<string> Sorted(IReadOnlyList<(byte[] Key, byte[] Value)> entries) =>
        entries.Select(e => Convert.ToHexString(e.Key) + ":" + Convert.ToHexString(e.Value)).Order(StringComparer.Ordinal).ToList();
}
