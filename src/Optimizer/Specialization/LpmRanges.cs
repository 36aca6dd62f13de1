using System.Buffers.Binary;

namespace Kecleon.Optimizer.Specialization;

/// <summary>
/// An IPv4 LPM table as disjoint address ranges: the 2^32 addresses split at every prefix's first and one-past-last
/// address, each piece answered by its longest matching prefix (or by none), adjacent pieces whose answers hold the same
/// value merged (the data plane cannot tell them apart: the maps a plan inlines are read, never written through).
/// A lookup is then a binary search over the range starts: no trie walk, all constants.
/// </summary>
/// <remarks>
/// Merging by value is what makes a blocklist searchable: feeds list runs of adjacent /24s, one entry each, all with
/// the same value, so 100,000 prefixes are a few tens of thousands of ranges rather than twice as many as prefixes.
/// </remarks>
public static class LpmRanges
{
    /// <summary>A range [Start, next range's Start) and the index of an entry that answers it (the longest matching prefix,
    /// or one with the same value), -1 for no match.</summary>
    public readonly record struct Range(uint Start, int Entry);

    /// <summary>The ranges of a snapshot of an LPM map with 8-byte keys, made once per snapshot: the planner and the
    /// check's probes both need them, and a cycle after a write to another map keeps the snapshot it had (a snapshot is
    /// never changed; a new read is a new snapshot).</summary>
    public static IReadOnlyList<Range> Of(MapSnapshot snapshot) => Cache.GetValue(snapshot, s => Build(s.Entries));

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<MapSnapshot, IReadOnlyList<Range>> Cache = new();

    /// <summary>The ranges of an LPM map with 8-byte keys (<c>u32 prefixlen</c>, 4 address bytes in network order).</summary>
    public static IReadOnlyList<Range> Build(IReadOnlyList<(byte[] Key, byte[] Value)> entries)
    {
        // Per prefix length, the entry index of each prefix.
        var byLength = new Dictionary<uint, int>[33];
        for (var i = 0; i < byLength.Length; i++)
            byLength[i] = [];
        var boundaries = new SortedSet<ulong> { 0 };
        for (var i = 0; i < entries.Count; i++)
        {
            var key = entries[i].Key;
            var length = BinaryPrimitives.ReadUInt32LittleEndian(key);
            if (length > 32)
                throw new ArgumentException($"LPM prefix length {length} is not an IPv4 length");
            var address = BinaryPrimitives.ReadUInt32BigEndian(key.AsSpan(4)) & Mask(length);
            byLength[length][address] = i;
            boundaries.Add(address);
            boundaries.Add(address + (1UL << (int)(32 - length)));
        }
        var ranges = new List<Range>();
        foreach (var boundary in boundaries)
        {
            if (boundary > uint.MaxValue)
                break;
            var start = (uint)boundary;
            var entry = LongestMatch(byLength, start);
            if (ranges.Count == 0 || !SameAnswer(entries, ranges[^1].Entry, entry))
                ranges.Add(new Range(start, entry));
        }
        return ranges;
    }

    private static bool SameAnswer(IReadOnlyList<(byte[] Key, byte[] Value)> entries, int a, int b) =>
        a == b || (a >= 0 && b >= 0 && entries[a].Value.AsSpan().SequenceEqual(entries[b].Value));

    private static int LongestMatch(Dictionary<uint, int>[] byLength, uint address)
    {
        for (var length = 32; length >= 0; length--)
            if (byLength[length].TryGetValue(address & Mask((uint)length), out var entry))
                return entry;
        return -1;
    }

    private static uint Mask(uint length) => length == 0 ? 0 : uint.MaxValue << (int)(32 - length);
}
