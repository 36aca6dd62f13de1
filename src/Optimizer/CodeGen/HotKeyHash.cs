using Kecleon.Llvm;

namespace Kecleon.Optimizer.CodeGen;

/// <summary>
/// The hot-key table's hash, in C# (where the keys are placed into slots) and in IR (where a packet's key finds its
/// slot), side by side: if the two ever disagreed, every placed key would silently go to the kernel. The key's 64-bit
/// words are folded into the first (each later word multiplied by an odd constant), multiplied by
/// <see cref="Multiplier"/>, and the top <see cref="Bits"/> bits of the product are the slot.
/// </summary>
internal sealed record HotKeyHash(ulong Multiplier, int Bits)
{
    /// <summary>Odd constants that mix a key's later words into its first (golden-ratio and splitmix64 constants).</summary>
    private static readonly ulong[] FoldConstants = [0x9E3779B97F4A7C15UL, 0xBF58476D1CE4E5B9UL, 0x94D049BB133111EBUL];

    /// <summary>How many multipliers <see cref="Choose"/> tries.</summary>
    private const int Candidates = 256;

    public int Slots => 1 << Bits;

    /// <summary>The hash, of a fixed set of multipliers, that places the most keys (hottest first, so among equals the
    /// one that keeps the hotter keys), with each key's slot (<see cref="Place"/>).</summary>
    public static (HotKeyHash Hash, int[] Placed) Choose(IReadOnlyList<ulong[]> keys, int bits) =>
        HashMultipliers().Take(Candidates)
            .Select(m => new HotKeyHash(m, bits))
            .Select(h => (Hash: h, Placed: h.Place(keys)))
            .MaxBy(c => c.Placed.Count(p => p >= 0) * 1_000_000L - c.Placed.Select((p, i) => p >= 0 ? i : 0).Sum())!;

    /// <summary>The slot of a key given as its little-endian 64-bit words.</summary>
    public ulong SlotOf(IReadOnlyList<ulong> key)
    {
        var folded = key[0];
        for (var w = 1; w < key.Count; w++)
            folded ^= key[w] * FoldConstants[(w - 1) % FoldConstants.Length];
        return (folded * Multiplier) >> (64 - Bits);
    }

    /// <summary>Each key's slot, hottest first; -1 for a key whose slot a hotter one took.</summary>
    public int[] Place(IReadOnlyList<ulong[]> keys)
    {
        var taken = new HashSet<ulong>();
        var placed = new int[keys.Count];
        for (var i = 0; i < keys.Count; i++)
        {
            var slot = SlotOf(keys[i]);
            placed[i] = taken.Add(slot) ? (int)slot : -1;
        }
        return placed;
    }

    /// <summary>The same hash in IR over the key's words (each an <c>i64</c>): returns the slot as an <c>i64</c>.</summary>
    public LlvmValue Emit(LlvmBuilder builder, IReadOnlyList<LlvmValue> words)
    {
        var context = builder.Context;
        var folded = words[0];
        for (var w = 1; w < words.Count; w++)
            folded = builder.Xor(folded, builder.Mul(words[w], context.Int64.ConstInt(FoldConstants[(w - 1) % FoldConstants.Length])));
        // The mask is for the verifier (a shifted product is already in range).
        return builder.And(builder.LShr(builder.Mul(folded, context.Int64.ConstInt(Multiplier)), context.Int64.ConstInt((ulong)(64 - Bits))),
            context.Int64.ConstInt((ulong)Slots - 1), "slot");
    }

    /// <summary>Candidate multipliers: odd outputs of splitmix64, a fixed sequence so a build is reproducible.</summary>
    private static IEnumerable<ulong> HashMultipliers()
    {
        var state = 0x2545F4914F6CDD1DUL;
        while (true)
        {
            var z = state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            yield return (z ^ (z >> 31)) | 1;
        }
    }
}
