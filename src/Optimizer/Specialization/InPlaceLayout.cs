using System.Buffers.Binary;
using Kecleon.Optimizer.CodeGen;

namespace Kecleon.Optimizer.Specialization;

/// <summary>
/// Specialized data kept as data: the range tables of LPM and key-table sites in one writable global-data section of the specialized
/// object (<see cref="Section"/>: libbpf makes it an mmapable array map that the object owns), double-buffered.
/// <code>
///   kecleon_inplace (header, u64 words):  [0] active buffer (0 or 1)
///                                          [1 + b * MaxMaps + k] the guard version buffer b's rows of data map k were built from
///   kecleon_inplace_&lt;map&gt;_&lt;n&gt; (per site):     buffer 0, then buffer 1, each <see cref="InPlaceSite.BufferBytes"/>
/// </code>
/// The guard of a data map compares the map's version with <c>expected[active][k]</c> (data, not a constant), and the
/// search reads <c>active</c> and searches that buffer. <see cref="Maps"/> lists the data maps in their header order.
/// </summary>
public sealed record InPlaceLayout(IReadOnlyList<string> Maps, IReadOnlyList<InPlaceSite> Sites)
{
    /// <summary>The section (and the map name libbpf gives it: a custom section's map is named by the section alone).</summary>
    public const string Section = ".data.kecleon";
    public const string HeaderSymbol = "kecleon_inplace";
    /// <summary>Data maps one object can hold.</summary>
    public const int MaxMaps = 16;
    public const int HeaderWords = 1 + 2 * MaxMaps;
    /// <summary>Bytes of buffers one object keeps in place at most: the section is one array map value, which the kernel
    /// caps at KMALLOC_MAX_SIZE (4 MiB on x86-64).</summary>
    public const long MaxBytes = 3L << 20;

    /// <summary>Byte offset (in the header) of buffer <paramref name="buffer"/>'s expected version of data map <paramref name="map"/>.</summary>
    public static long ExpectedOffset(int buffer, int map) => (1 + buffer * MaxMaps + map) * 8L;

    /// <summary>A version no guard ever holds: the expected version of a buffer being rewritten.</summary>
    public const ulong NeverValid = ulong.MaxValue;
}

/// <summary>
/// One LPM (or key table) site's table search over data: per buffer, <see cref="Entries"/> (u32 start, u32 answer row) padded past
/// 2^IndexBits, the answer rows <c>{found, words...}</c>, and (with <see cref="BucketBits"/>) the bucket index. The shape
/// (capacities, steps) is code; everything else is data that <see cref="Render"/> rebuilds from the map's entries.
/// </summary>
/// <param name="Symbol">The site's global in <see cref="InPlaceLayout.Section"/>.</param>
/// <param name="Words">The value words the program reads (the rows' columns after <c>found</c>).</param>
public sealed record InPlaceSite(string Map, string Symbol, IReadOnlyList<int> Words, int IndexBits, int Steps, int BucketBits, int AnswerBits)
{
    public int Entries => (1 << IndexBits) + (1 << Steps);
    public int BucketBytes => IndexBits <= 16 ? 2 : 4;
    public long EntriesBytes => Entries * 8L;
    public long RowsBytes => (1L << AnswerBits) * (Words.Count + 1) * 8;
    public long BucketsBytes => BucketBits == 0 ? 0 : ((((long)BucketBytes << BucketBits) + 7) & ~7L);
    public long RowsOffset => EntriesBytes;
    public long BucketsOffset => EntriesBytes + RowsBytes;
    public long BufferBytes => HotKeys is { } hot ? hot.BufferBytes(Words.Count) : EntriesBytes + RowsBytes + BucketsBytes;

    /// <summary>Set for a hot-key table kept in place instead of an LPM table (the other shape fields are then 0).</summary>
    public InPlaceHotKeys? HotKeys { get; init; }

    /// <summary>A key table's search (an exact-match map with keys of at most 4 bytes, <see cref="LpmRanges.OfKeys"/>)
    /// rather than an IPv4 LPM table's: the same search, over the keys' ranges.</summary>
    public bool KeyTable { get; init; }

    /// <summary>A hot-key table's site: <paramref name="hotKeys"/>' rows under <paramref name="symbol"/>.</summary>
    public static InPlaceSite ForHotKeys(string map, string symbol, IReadOnlyList<int> words, InPlaceHotKeys hotKeys) =>
        new(map, symbol, words, 0, 0, 0, 0) { HotKeys = hotKeys };

    /// <summary>One buffer's bytes of a hot-key site, each hot key answered by <paramref name="lookup"/> (its value, or
    /// null where the map does not hold it).</summary>
    public byte[] RenderHotKeys(Func<byte[], byte[]?> lookup)
    {
        var hot = HotKeys ?? throw new InvalidOperationException($"{Symbol} is not a hot-key table");
        return HotKeyTable.Rows(hot, [.. hot.Keys.Select(lookup)], Words);
    }

    /// <summary>The shape for <paramref name="ranges"/> with headroom: ranges up to the next power of two above 1.5x
    /// today's, twice today's distinct answers, one search step more than today's bucket contents need.</summary>
    public static InPlaceSite For(string map, string symbol, IReadOnlyList<int> words, IReadOnlyList<LpmRanges.Range> ranges, int answers,
        int maxBucketBits = RangeSearchPlan.MaxBucketBits)
    {
        var plan = RangeSearchPlan.Choose(ranges, maxBucketBits);
        var indexBits = RangeSearchPlan.Log2Ceiling(ranges.Count + ranges.Count / 2 + 1);
        var steps = plan.BucketBits == 0 ? indexBits : Math.Min(indexBits, plan.Steps + 1);
        return new InPlaceSite(map, symbol, words, indexBits, steps, plan.BucketBits, RangeSearchPlan.Log2Ceiling(Math.Max(2, answers * 2)));
    }

    /// <summary>One buffer's bytes for a map holding <paramref name="entries"/> (the code the rebuild runs: the same
    /// ranges, rows and buckets), or why they do not fit this shape.</summary>
    public byte[]? Render(IReadOnlyList<(byte[] Key, byte[] Value)> entries, out string? refusal)
    {
        var ranges = KeyTable ? LpmRanges.OfKeys(entries) : LpmRanges.Build(entries);
        var (rows, rowOf) = RangeSearchEmitter.Answers(entries, ranges, Words);
        return Render(ranges, rows, rowOf, out refusal);
    }

    internal byte[]? Render(IReadOnlyList<LpmRanges.Range> ranges, List<byte[]> rows, int[] rowOf, out string? refusal)
    {
        refusal = null;
        if (ranges.Count > 1 << IndexBits)
        {
            refusal = $"{Map} has {ranges.Count} {(KeyTable ? "key" : "address")} ranges, the table holds {1 << IndexBits}";
            return null;
        }
        if (rows.Count > 1 << AnswerBits)
        {
            refusal = $"{Map} has {rows.Count} distinct answers, the table holds {1 << AnswerBits}";
            return null;
        }
        var bases = BucketBits == 0 ? [0] : RangeSearchPlan.BasesFor(ranges, BucketBits);
        var steps = BucketBits == 0 ? RangeSearchPlan.Log2Ceiling(ranges.Count) : RangeSearchPlan.StepsFor(ranges, BucketBits);
        if (steps > Steps)
        {
            refusal = $"a bucket of {Map}'s table holds more ranges than its {Steps} search steps reach";
            return null;
        }
        var buffer = new byte[BufferBytes];
        var width = Words.Count + 1;
        for (var i = 0; i < Entries; i++)
        {
            var last = Math.Min(i, ranges.Count - 1);
            BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(i * 8), i < ranges.Count ? ranges[last].Start : uint.MaxValue);
            BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(i * 8 + 4), (uint)rowOf[last]);
        }
        for (var a = 0; a < rows.Count; a++)
            rows[a].CopyTo(buffer.AsSpan((int)(RowsOffset + a * width * 8)));
        for (var bucket = 0; BucketBits > 0 && bucket < 1 << BucketBits; bucket++)
            if (BucketBytes == 2)
                BinaryPrimitives.WriteUInt16LittleEndian(buffer.AsSpan((int)(BucketsOffset + bucket * 2)), (ushort)bases[bucket]);
            else
                BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan((int)(BucketsOffset + bucket * 4)), (uint)bases[bucket]);
        return buffer;
    }
}

/// <summary>
/// The shape of a hot-key table kept in place (<see cref="HotKeyTable"/>): the hot keys, hottest first, and the slot the
/// hash (in code) gives each (-1: a hotter key took it). Which of them the map holds, and their values, are data.
/// </summary>
/// <param name="KeyWords">64-bit words per key.</param>
/// <param name="Slots">Rows in the table (a power of two).</param>
public sealed record InPlaceHotKeys(IReadOnlyList<byte[]> Keys, IReadOnlyList<int> Placed, int KeyWords, int Slots)
{
    /// <summary>Words per row: the state, the key's words, the value's.</summary>
    public int Stride(int valueWords) => 1 + KeyWords + valueWords;

    public long BufferBytes(int valueWords) => (long)Slots * Stride(valueWords) * 8;
}
