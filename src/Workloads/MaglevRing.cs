namespace Kecleon.Workloads;

/// <summary>
/// Maglev consistent hashing (Eisenbud et al., NSDI'16, section 3.4): every
/// backend walks its own permutation of the ring, offset and skip derived from
/// a hash of the backend, and in turn claims its next free slot until the ring
/// is full. Backends end up with near-equal shares, and removing one moves few
/// slots of the others.
/// </summary>
internal static class MaglevRing
{
    /// <summary>Ring size per VIP; prime so every skip visits every slot.</summary>
    public const int Size = 65537;

    /// <summary>Returns, for each slot, the position in <paramref name="backendKeys"/> of the backend owning it.</summary>
    public static int[] Populate(IReadOnlyList<ulong> backendKeys, ulong salt)
    {
        int count = backendKeys.Count;
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var offset = new long[count];
        var skip = new long[count];
        for (int i = 0; i < count; i++)
        {
            ulong h1 = Mix(backendKeys[i] ^ salt);
            ulong h2 = Mix(h1 ^ 0x9e37_79b9_7f4a_7c15UL);
            offset[i] = (long)(h1 % Size);
            skip[i] = (long)(h2 % (Size - 1)) + 1;
        }

        var ring = new int[Size];
        Array.Fill(ring, -1);
        var next = new long[count];
        int filled = 0;
        while (true)
        {
            for (int i = 0; i < count; i++)
            {
                long slot = (offset[i] + next[i] * skip[i]) % Size;
                while (ring[slot] >= 0)
                {
                    next[i]++;
                    slot = (offset[i] + next[i] * skip[i]) % Size;
                }
                ring[slot] = i;
                next[i]++;
                if (++filled == Size)
                    return ring;
            }
        }
    }

    /// <summary>SplitMix64's finalizer: a fixed, well-mixed 64-bit hash.</summary>
    private static ulong Mix(ulong x)
    {
        x += 0x9e37_79b9_7f4a_7c15UL;
        x = (x ^ (x >> 30)) * 0xbf58_476d_1ce4_e5b9UL;
        x = (x ^ (x >> 27)) * 0x94d0_49bb_1331_11ebUL;
        return x ^ (x >> 31);
    }
}
