using System.Buffers.Binary;
using Kecleon.Optimizer.Specialization;
using Xunit;

namespace Kecleon.Optimizer.Tests.Specialization;

public sealed class LpmRangesTests
{
    [Fact]
    public void Ranges_answer_every_address_like_a_longest_prefix_match()
    {
        var random = new Random(3);
        var entries = new List<(byte[] Key, byte[] Value)>();
        var prefixes = new List<(uint Address, int Length)>();
        for (var i = 0; i < 400; i++)
        {
            var length = random.Next(0, 33);
            var address = (uint)random.NextInt64(0, 1L << 32) & (length == 0 ? 0 : uint.MaxValue << (32 - length));
            if (prefixes.Contains((address, length)))
                continue;
            prefixes.Add((address, length));
            var key = new byte[8];
            BinaryPrimitives.WriteUInt32LittleEndian(key, (uint)length);
            var pastPrefix = length == 32 ? 0u : ~(length == 0 ? 0 : uint.MaxValue << (32 - length));
            BinaryPrimitives.WriteUInt32BigEndian(key.AsSpan(4), address | (pastPrefix & 0x5)); // bits past the prefix must not matter
            entries.Add((key, BitConverter.GetBytes(prefixes.Count - 1)));
        }
        var ranges = LpmRanges.Build(entries);
        Assert.Equal(0u, ranges[0].Start);
        for (var probe = 0; probe < 20_000; probe++)
        {
            var address = probe < prefixes.Count ? prefixes[probe].Address : (uint)random.NextInt64(0, 1L << 32);
            var expected = prefixes.Select((p, i) => (p, i))
                .Where(x => x.p.Length == 0 || address >> (32 - x.p.Length) == x.p.Address >> (32 - x.p.Length))
                .OrderByDescending(x => x.p.Length).Select(x => x.i).DefaultIfEmpty(-1).First();
            var range = ranges.Last(r => r.Start <= address);
            Assert.Equal(expected, range.Entry);
        }
    }

    /// <summary>With few distinct values (a blocklist's feeds, a router's next hops), nested and adjacent prefixes of the
    /// same value merge: every address still gets its longest match's value, no two neighbouring ranges answer the same
    /// value, and every range starts where the answer changes.</summary>
    [Theory]
    [InlineData(5, 2)]
    [InlineData(6, 3000)]
    public void Nested_and_adjacent_prefixes_of_a_few_values_answer_like_a_longest_prefix_match(int seed, int count)
    {
        var random = new Random(seed);
        var entries = new List<(byte[] Key, byte[] Value)>();
        var prefixes = new Dictionary<(uint Address, int Length), byte>();
        while (prefixes.Count < count)
        {
            // Clustered in 10.0.0.0/12, so prefixes nest and touch.
            var length = random.Next(8, 33);
            var address = (0x0A000000u | (uint)random.Next(0, 1 << 20)) & (uint.MaxValue << (32 - length));
            var value = (byte)random.Next(0, 3);
            var key = new byte[8];
            BinaryPrimitives.WriteUInt32LittleEndian(key, (uint)length);
            BinaryPrimitives.WriteUInt32BigEndian(key.AsSpan(4), address);
            prefixes[(address, length)] = value; // a later entry of the same prefix answers it
            entries.Add((key, [value]));
        }
        int? Expected(uint address) => prefixes.Where(p => address >> (32 - p.Key.Length) == p.Key.Address >> (32 - p.Key.Length))
            .OrderByDescending(p => p.Key.Length).Select(p => (int?)p.Value).FirstOrDefault();
        int? Answer(LpmRanges.Range range) => range.Entry < 0 ? null : entries[range.Entry].Value[0];

        var ranges = LpmRanges.Build(entries);
        Assert.Equal(0u, ranges[0].Start);
        for (var i = 1; i < ranges.Count; i++)
        {
            Assert.True(ranges[i - 1].Start < ranges[i].Start);
            Assert.NotEqual(Answer(ranges[i - 1]), Answer(ranges[i]));
            Assert.Equal(Expected(ranges[i].Start), Answer(ranges[i]));
            Assert.Equal(Expected(ranges[i].Start - 1), Answer(ranges[i - 1]));
        }
        foreach (var ((address, length), _) in prefixes.Take(200))
        {
            var last = address + (uint)((1UL << (32 - length)) - 1);
            foreach (var probe in new[] { address, last, address - 1, last + 1 })
                Assert.Equal(Expected(probe), Answer(ranges.Last(r => r.Start <= probe)));
        }
    }

    /// <summary>A blocklist's runs of adjacent /24s with one value are one range each; a value change splits them, and a
    /// more-specific with the value of the prefix around it adds no range.</summary>
    [Fact]
    public void Adjacent_prefixes_with_the_same_value_are_one_range()
    {
        (byte[] Key, byte[] Value) Entry(uint address, int length, byte value)
        {
            var key = new byte[8];
            BinaryPrimitives.WriteUInt32LittleEndian(key, (uint)length);
            BinaryPrimitives.WriteUInt32BigEndian(key.AsSpan(4), address);
            return (key, [value, 0, 0, 0]);
        }
        var entries = new List<(byte[] Key, byte[] Value)>();
        for (uint i = 0; i < 8; i++)
            entries.Add(Entry(0x0A000000u | i << 8, 24, 1));       // 10.0.0.0/24 .. 10.0.7.0/24, feed 1
        entries.Add(Entry(0x0A000800u, 24, 2));                    // 10.0.8.0/24, feed 2
        entries.Add(Entry(0x0A000280u, 25, 1));                    // inside 10.0.2.0/24, same feed
        entries.Add(Entry(0x0A000300u, 32, 3));                    // inside 10.0.3.0/24, another feed
        var ranges = LpmRanges.Build(entries);
        Assert.Equal([0u, 0x0A000000u, 0x0A000300u, 0x0A000301u, 0x0A000800u, 0x0A000900u], ranges.Select(r => r.Start));
        Assert.Equal([-1, 1, 3, 1, 2, -1], ranges.Select(r => r.Entry < 0 ? -1 : entries[r.Entry].Value[0]));
    }

    /// <summary>The table search's plan, run as the generated code runs it (bucket base masked, padded tables, fixed
    /// halvings), finds the range holding every address, for tables of every size and clustering.</summary>
    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 1)]
    [InlineData(65, 2)]
    [InlineData(5127, 3)]
    [InlineData(3000, 4)]
    public void A_range_search_plan_finds_the_range_of_every_address(int count, int seed)
    {
        var random = new Random(seed);
        var starts = new SortedSet<uint> { 0 };
        // Half spread over the space, half clustered in one /16 (the worst case for buckets).
        while (starts.Count < count)
            starts.Add(starts.Count % 2 == 0 ? (uint)random.NextInt64(0, 1L << 32) : 0x0A0B0000u | (uint)random.Next(0, 1 << 16));
        var ranges = starts.Select((start, i) => new LpmRanges.Range(start, i)).ToList();
        var plan = RangeSearchPlan.Choose(ranges);
        var size = (1 << plan.IndexBits) + (1 << plan.Steps);
        var table = Enumerable.Range(0, size).Select(i => i < ranges.Count ? ranges[i].Start : uint.MaxValue).ToArray();
        Assert.True(plan.IndexBits >= 0 && 1 << plan.IndexBits >= ranges.Count);

        var probes = ranges.SelectMany(r => new[] { r.Start, r.Start - 1, r.Start + 1 })
            .Concat(Enumerable.Range(0, 20_000).Select(_ => (uint)random.NextInt64(0, 1L << 32)))
            .Append(uint.MaxValue);
        foreach (var address in probes)
        {
            var low = plan.BucketBits == 0 ? 0 : plan.Bases[address >> (32 - plan.BucketBits)] & ((1 << plan.IndexBits) - 1);
            for (var step = plan.Steps - 1; step >= 0; step--)
                if (table[low + (1 << step)] <= address)
                    low += 1 << step;
            var expected = ranges.FindLastIndex(r => r.Start <= address);
            Assert.Equal(expected, Math.Min(low, ranges.Count - 1));
        }
    }
}
