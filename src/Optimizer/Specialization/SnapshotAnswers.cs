using System.Buffers.Binary;
using Kecleon.Optimizer.Planning;
using Kecleon.Optimizer.Passes;

namespace Kecleon.Optimizer.Specialization;

/// <summary>What a map answers for a key, by its snapshot.</summary>
internal static class SnapshotAnswers
{
    /// <summary>What the map answers for <paramref name="key"/> in the snapshot: its value, or null for a miss. An LPM key
    /// gets its longest matching prefix (a snapshot of single hot keys holds them as /32 entries, which answers the
    /// same).</summary>
    internal static byte[]? Answer(MapSnapshot snapshot, byte[] key)
    {
        if (!Eligibility.IsIpv4Lpm(snapshot))
            return snapshot.Entries.FirstOrDefault(e => e.Key.AsSpan().SequenceEqual(key)).Value;
        var length = BinaryPrimitives.ReadUInt32LittleEndian(key);
        var address = BinaryPrimitives.ReadUInt32BigEndian(key.AsSpan(4));
        byte[]? best = null;
        var bestLength = -1L;
        foreach (var (prefix, value) in snapshot.Entries)
        {
            var prefixLength = BinaryPrimitives.ReadUInt32LittleEndian(prefix);
            var mask = prefixLength == 0 ? 0u : uint.MaxValue << (int)(32 - Math.Min(32u, prefixLength));
            if (prefixLength <= length && prefixLength > bestLength
                && (address & mask) == (BinaryPrimitives.ReadUInt32BigEndian(prefix.AsSpan(4)) & mask))
            {
                best = value;
                bestLength = prefixLength;
            }
        }
        return best;
    }
}
