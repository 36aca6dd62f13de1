using System.Buffers.Binary;
using Kecleon.Access;
using Kecleon.Llvm;

namespace Kecleon.Optimizer.CodeGen;

/// <summary>A lookup key as 64-bit words: loaded in IR the way the program wrote it, and cut into the same words in C#.</summary>
internal static class KeyLoader
{
    /// <summary>
    /// The key as integers of at most 64 bits, little-endian, as it lies in memory. With the fields the program wrote it
    /// in (<see cref="KeyOrigin.Fields"/> of a key on the stack), each field is loaded by itself (in naturally aligned
    /// pieces) and the words are put together in registers: inlined, LLVM then forwards the program's own stores, and
    /// what stays a load reads what one store wrote. One wide load over several narrower stores is a failed
    /// store-to-load forwarding in the JIT's x86 code (the switch's 8-byte MAC and VLAN key is stored as 4 + 2 + 2 bytes
    /// just before its lookups).
    /// </summary>
    public static List<LlvmValue> LoadKey(LlvmBuilder builder, LlvmValue key, int size, IReadOnlyList<KeyField>? fields = null)
    {
        var context = builder.Context;
        var chunks = new List<LlvmValue>();
        var cuts = KeyCuts(size, fields);
        for (var offset = 0; offset < size; offset += 8)
        {
            var type = context.IntType(Math.Min(8, size - offset) * 8);
            LlvmValue? chunk = null;
            var pieces = Pieces(offset, Math.Min(offset + 8, size), cuts).ToList();
            if (pieces.Count > MostKeyPieces)
                pieces = Pieces(offset, Math.Min(offset + 8, size), []).ToList();
            foreach (var (at, bytes) in pieces)
            {
                var pieceType = context.IntType(bytes * 8);
                var address = builder.BitCast(builder.Gep(context.Int8, key, [context.Int64.ConstInt((ulong)at)]), pieceType.PointerTo());
                var piece = builder.Load(pieceType, address, $"k{offset / 8}.{at - offset}");
                if (bytes * 8 < type.IntWidth)
                    piece = builder.ZExt(piece, type);
                if (at > offset)
                    piece = builder.Shl(piece, type.ConstInt((ulong)(8 * (at - offset))));
                chunk = chunk is null ? piece : builder.Or(chunk.Value, piece);
            }
            chunks.Add(chunk!.Value);
        }
        return chunks;
    }

    /// <summary>Loads a key word is put together from at most; a word written in more pieces is loaded whole. Measured
    /// (three builds of each, one set of maps): the switch 2.9 % and the balancer 1.6 % faster with this bound, 0.7 % and
    /// 1 % without it (the balancer's flow key, whose second word the program writes in six pieces early, long before the
    /// lookup, pays more in instructions than a forwarding could fail).</summary>
    private const int MostKeyPieces = 3;

    /// <summary>Where the program's writes into the key begin (nothing known: no cut).</summary>
    private static SortedSet<int> KeyCuts(int size, IReadOnlyList<KeyField>? fields)
    {
        var cuts = new SortedSet<int>();
        foreach (var field in fields ?? [])
            if (field.Offset > 0 && field.Offset < size)
                cuts.Add(field.Offset);
        return cuts;
    }

    /// <summary>[from, to) as naturally aligned loads of 1, 2, 4 or 8 bytes, none across a cut.</summary>
    public static IEnumerable<(int At, int Bytes)> Pieces(int from, int to, SortedSet<int> cuts)
    {
        for (var at = from; at < to;)
        {
            var end = cuts.GetViewBetween(at + 1, to).FirstOrDefault(to);
            var bytes = 8;
            while (bytes > 1 && (at % bytes != 0 || at + bytes > end))
                bytes /= 2;
            yield return (at, bytes);
            at += bytes;
        }
    }

    public static ulong[] Chunks(byte[] key)
    {
        var chunks = new ulong[(key.Length + 7) / 8];
        for (var i = 0; i < chunks.Length; i++)
            chunks[i] = Word(key, i);
        return chunks;
    }

    public static ulong Word(byte[] value, int word)
    {
        Span<byte> bytes = stackalloc byte[8];
        bytes.Clear();
        if (word * 8 < value.Length)
            value.AsSpan(word * 8, Math.Min(8, value.Length - word * 8)).CopyTo(bytes);
        return BinaryPrimitives.ReadUInt64LittleEndian(bytes);
    }
}
