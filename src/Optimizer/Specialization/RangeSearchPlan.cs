namespace Kecleon.Optimizer.Specialization;

/// <summary>
/// How a table search over sorted disjoint ranges is laid out: an optional direct index on the address's top
/// <see cref="BucketBits"/> bits (<see cref="Bases"/>: the range holding each bucket's first address), then
/// <see cref="Steps"/> halvings, enough for the most ranges that start inside any one bucket. Each halving is a dependent
/// load and about nine instructions; the bucket index costs about three and one load, so buckets pay as soon as they
/// save a step. <see cref="IndexBits"/>: 2^IndexBits is at least the number of ranges (the mask the verifier bounds by).
/// </summary>
public sealed record RangeSearchPlan(int BucketBits, int Steps, int IndexBits, int[] Bases)
{
    /// <summary>Buckets are 4 bytes each: 2^16 of them are 256 KiB of .rodata.</summary>
    public const int MaxBucketBits = 16;

    public static RangeSearchPlan Choose(IReadOnlyList<LpmRanges.Range> ranges)
    {
        var indexBits = Log2Ceiling(ranges.Count);
        var best = new RangeSearchPlan(0, indexBits, indexBits, [0]);
        for (var bits = 1; bits <= MaxBucketBits; bits++)
        {
            var shift = 32 - bits;
            var inside = new int[1 << bits];
            var bases = new int[1 << bits];
            foreach (var range in ranges)
                if ((range.Start & ((1u << shift) - 1)) != 0)
                    inside[range.Start >> shift]++;
            var next = 0;
            for (var bucket = 0; bucket < bases.Length; bucket++)
            {
                var first = (ulong)bucket << shift;
                while (next + 1 < ranges.Count && ranges[next + 1].Start <= first)
                    next++;
                bases[bucket] = next;
            }
            var steps = Log2Ceiling(inside.Max() + 1);
            if (steps + (best.BucketBits == 0 ? 1 : 0) < best.Steps)
                best = new RangeSearchPlan(bits, steps, indexBits, bases);
        }
        return best;
    }

    /// <summary>Entries of the starts and rows tables: 2^IndexBits, plus 2^Steps of padding no index can pass.</summary>
    public int TableEntries => (1 << IndexBits) + (1 << Steps);

    /// <summary>The .rodata the tables take with <paramref name="words"/> value words per row.</summary>
    public long TableBytes(int words) => (long)TableEntries * (4 + (words + 1) * 8) + (BucketBits > 0 ? 4L << BucketBits : 0);

    private static int Log2Ceiling(int n)
    {
        var bits = 0;
        while (1 << bits < n)
            bits++;
        return bits;
    }
}
