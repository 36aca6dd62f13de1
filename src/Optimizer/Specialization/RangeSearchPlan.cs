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
    /// <summary>Buckets are 2 bytes each (4 past 2^16 ranges): 2^16 of them are 128 KiB of .rodata.</summary>
    public const int MaxBucketBits = 16;

    /// <summary>The plan with the fewest halvings, buckets of at most <paramref name="maxBucketBits"/> bits (fewer bits
    /// for a tie).</summary>
    public static RangeSearchPlan Choose(IReadOnlyList<LpmRanges.Range> ranges, int maxBucketBits = MaxBucketBits)
    {
        var indexBits = Log2Ceiling(ranges.Count);
        var best = (Bits: 0, Steps: indexBits);
        // One count array for every width (the widest is 256 KiB: allocated per width, each a large-object allocation).
        var widest = Math.Clamp(maxBucketBits, 0, MaxBucketBits);
        var inside = new int[1 << widest];
        for (var bits = 1; bits <= widest; bits++)
        {
            var steps = StepsFor(ranges, bits, inside);
            if (steps + (best.Bits == 0 ? 1 : 0) < best.Steps)
                best = (bits, steps);
        }
        return new RangeSearchPlan(best.Bits, best.Steps, indexBits, best.Bits == 0 ? [0] : BasesFor(ranges, best.Bits));
    }

    /// <summary>Halvings a search needs after a bucket index of <paramref name="bits"/> bits: enough for the most ranges
    /// that start inside one bucket.</summary>
    public static int StepsFor(IReadOnlyList<LpmRanges.Range> ranges, int bits) => StepsFor(ranges, bits, new int[1 << bits]);

    private static int StepsFor(IReadOnlyList<LpmRanges.Range> ranges, int bits, int[] counts)
    {
        var shift = 32 - bits;
        var inside = counts.AsSpan(0, 1 << bits);
        inside.Clear();
        var most = 0;
        foreach (var range in ranges)
            if ((range.Start & ((1u << shift) - 1)) != 0)
                most = Math.Max(most, ++inside[(int)(range.Start >> shift)]);
        return Log2Ceiling(most + 1);
    }

    /// <summary>Per bucket of <paramref name="bits"/> bits, the range holding its first address.</summary>
    public static int[] BasesFor(IReadOnlyList<LpmRanges.Range> ranges, int bits)
    {
        var shift = 32 - bits;
        var bases = new int[1 << bits];
        var next = 0;
        for (var bucket = 0; bucket < bases.Length; bucket++)
        {
            var first = (ulong)bucket << shift;
            while (next + 1 < ranges.Count && ranges[next + 1].Start <= first)
                next++;
            bases[bucket] = next;
        }
        return bases;
    }

    /// <summary>Entries (start and answer) of the search: 2^IndexBits, plus 2^Steps of padding no index can pass.</summary>
    public int TableEntries => (1 << IndexBits) + (1 << Steps);

    /// <summary>A bucket holds the index of a range: 2 bytes while that index fits.</summary>
    public int BucketBytes => IndexBits <= 16 ? 2 : 4;

    /// <summary>The .rodata the tables take: 8 bytes per entry, <paramref name="answers"/> rows of
    /// <paramref name="words"/> value words and a found word, padded to a power of two, and the buckets.</summary>
    public long TableBytes(int words, int answers) =>
        (long)TableEntries * 8 + (1L << Log2Ceiling(answers)) * (words + 1) * 8 + (BucketBits > 0 ? (long)BucketBytes << BucketBits : 0);

    internal static int Log2Ceiling(int n)
    {
        var bits = 0;
        while (1 << bits < n)
            bits++;
        return bits;
    }
}
