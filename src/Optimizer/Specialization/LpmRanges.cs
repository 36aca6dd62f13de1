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

    /// <summary>The ranges of an exact-match map with keys of at most 4 bytes, the keys read as little-endian integers
    /// (a key table, <c>StrategyKind.KeyTable</c>): each key a range of its own, each gap between keys a miss (-1).
    /// Sorted as packed words (key, entry): for 20,000 keys a LINQ order by key took most of a cycle's planning.</summary>
    public static IReadOnlyList<Range> OfKeys(IReadOnlyList<(byte[] Key, byte[] Value)> entries)
    {
        if (entries.Count == 0)
            return [new Range(0, -1)];
        var ranges = new List<Range>(2 * entries.Count + 1);
        var sorted = new ulong[entries.Count];
        for (var i = 0; i < sorted.Length; i++)
            sorted[i] = (ulong)(uint)CodeGen.KeyLoader.Word(entries[i].Key, 0) << 32 | (uint)i;
        Array.Sort(sorted);
        if (sorted[0] >> 32 != 0)
            ranges.Add(new Range(0, -1));
        for (var i = 0; i < sorted.Length; i++)
        {
            var key = (uint)(sorted[i] >> 32);
            ranges.Add(new Range(key, (int)(uint)sorted[i]));
            if (key != uint.MaxValue && (i + 1 == sorted.Length || (uint)(sorted[i + 1] >> 32) != key + 1))
                ranges.Add(new Range(key + 1, -1));
        }
        return ranges;
    }

    /// <summary>The ranges of an LPM map with 8-byte keys (<c>u32 prefixlen</c>, 4 address bytes in network order).</summary>
    /// <remarks>Prefixes nest or are disjoint, so one sweep over them in address order (a shorter prefix before a longer
    /// one at the same address) with a stack of the prefixes around the current address answers each boundary with the
    /// innermost: O(n log n) for the sort, where a longest match per boundary was 33 probes each.</remarks>
    public static IReadOnlyList<Range> Build(IReadOnlyList<(byte[] Key, byte[] Value)> entries)
    {
        // One entry per prefix (bits past its length do not count; a later entry of the same prefix answers it).
        var byPrefix = new Dictionary<(uint Length, uint Address), int>(entries.Count);
        for (var i = 0; i < entries.Count; i++)
        {
            var key = entries[i].Key;
            var length = BinaryPrimitives.ReadUInt32LittleEndian(key);
            if (length > 32)
                throw new ArgumentException($"LPM prefix length {length} is not an IPv4 length");
            byPrefix[(length, BinaryPrimitives.ReadUInt32BigEndian(key.AsSpan(4)) & Mask(length))] = i;
        }
        var prefixes = byPrefix.Select(p => (Start: (ulong)p.Key.Address, End: p.Key.Address + (1UL << (int)(32 - p.Key.Length)), p.Key.Length, Entry: p.Value))
            .OrderBy(p => p.Start).ThenBy(p => p.Length).ToList();
        var ranges = new List<Range>();
        var around = new Stack<(ulong End, int Entry)>();
        Answer(ranges, entries, 0, -1);
        foreach (var prefix in prefixes)
        {
            Close(ranges, entries, around, prefix.Start);
            around.Push((prefix.End, prefix.Entry));
            Answer(ranges, entries, prefix.Start, prefix.Entry);
        }
        Close(ranges, entries, around, ulong.MaxValue);
        return ranges;
    }

    /// <summary>Ends the prefixes around that end at or before <paramref name="upTo"/>: past each one's end, the prefix
    /// around it answers (or none).</summary>
    private static void Close(List<Range> ranges, IReadOnlyList<(byte[] Key, byte[] Value)> entries, Stack<(ulong End, int Entry)> around, ulong upTo)
    {
        while (around.Count > 0 && around.Peek().End <= upTo)
        {
            var end = around.Pop().End;
            if (end <= uint.MaxValue)
                Answer(ranges, entries, end, around.Count > 0 ? around.Peek().Entry : -1);
        }
    }

    /// <summary>From <paramref name="start"/> on (the last answer given at an address stands), <paramref name="entry"/>
    /// answers: a new range unless the one before answers the same value.</summary>
    private static void Answer(List<Range> ranges, IReadOnlyList<(byte[] Key, byte[] Value)> entries, ulong start, int entry)
    {
        if (ranges.Count > 0 && ranges[^1].Start == start)
            ranges.RemoveAt(ranges.Count - 1);
        if (ranges.Count == 0 || !SameAnswer(entries, ranges[^1].Entry, entry))
            ranges.Add(new Range((uint)start, entry));
    }

    private static bool SameAnswer(IReadOnlyList<(byte[] Key, byte[] Value)> entries, int a, int b) =>
        a == b || (a >= 0 && b >= 0 && entries[a].Value.AsSpan().SequenceEqual(entries[b].Value));

    private static uint Mask(uint length) => length == 0 ? 0 : uint.MaxValue << (int)(32 - length);
}
