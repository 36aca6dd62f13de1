using System.Buffers.Binary;
using Kecleon.Llvm;
using Kecleon.Optimizer.Specialization;

namespace Kecleon.Optimizer.CodeGen;

/// <summary>Many hot keys as a hash table of rows in <c>.rodata</c>, placed and found by <see cref="HotKeyHash"/>.</summary>
internal static class HotKeyTable
{
    /// <summary>
    /// Many hot keys as a hash table in <c>.rodata</c> rather than a tree of compares: the key's words folded and
    /// multiplied, the top bits of the product a slot of rows <c>{state, key words..., value words...}</c> (state 0 empty,
    /// 1 a hot key the map does not hold, 2 one it does), the row's key compared in full, its value words loaded. A hit
    /// costs one predictable branch where a tree of 64 keys cost six that depend on the key, which on traffic spread
    /// over hundreds of flows mispredict about half the time. Hot keys are placed hottest first by <see cref="HotKeyHash"/>
    /// (a key whose slot a hotter one took goes to the kernel like any other). With <paramref name="inPlace"/>, the rows are
    /// in-place data instead (<see cref="InPlaceLayout"/>): the keys and the hash stay code, the answers are rewritten on a write.
    /// </summary>
    public static void Emit(LlvmModule module, LlvmBuilder builder, LlvmBasicBlock at, List<LlvmValue> chunks,
        List<(byte[] Key, byte[]? Value)> answers, LlvmBasicBlock fallback, List<int> words, string name, string map, List<InPlaceSite>? inPlace)
    {
        var context = builder.Context;
        var keyWords = chunks.Count;
        var slots = (int)Math.Min(MaxHashSlots, Math.Max(16, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)answers.Count * 4)));
        var bits = System.Numerics.BitOperations.Log2((uint)slots);
        var keys = answers.Select(a => KeyLoader.Chunks(a.Key)).ToList();
        var (hash, placed) = HotKeyHash.Choose(keys, bits);
        var shape = new InPlaceHotKeys([.. answers.Select(a => a.Key)], placed, keyWords, slots);
        var stride = shape.Stride(words.Count);
        var rows = Rows(shape, [.. answers.Select(a => a.Value)], words);
        LlvmValue table;
        // In place while the section stays within InPlaceLayout.MaxBytes; past that, .rodata (a write to the map rebuilds).
        if (inPlace is not null && inPlace.Sum(s => 2 * s.BufferBytes) + 2 * rows.Length <= InPlaceLayout.MaxBytes)
        {
            var site = InPlaceSite.ForHotKeys(map, $"{InPlaceLayout.HeaderSymbol}_{name.Replace('.', '_')}", words, shape);
            builder.PositionAtEnd(at);
            table = RangeSearchEmitter.InPlaceBuffer(module, builder, site, rows);
            inPlace.Add(site);
        }
        else
            table = module.AddConstantBytes(context, $"{name}.table", rows, ".rodata", 8);
        LlvmValue Element(LlvmValue index, string label) =>
            builder.Load(context.Int64, builder.Gep(context.Int64, builder.BitCast(table, context.Int64.PointerTo()), [index]), label);

        builder.PositionAtEnd(at);
        var wide = chunks.Select(c => c.Type.IntWidth == 64 ? c : builder.ZExt(c, context.Int64)).ToList();
        var slot = hash.Emit(builder, wide);
        var rowStart = builder.Mul(slot, context.Int64.ConstInt((ulong)stride), "row");
        var state = Element(rowStart, "state");
        LlvmValue match = builder.ICmp(LlvmIntPredicate.Ne, state, context.Int64.ConstInt(0));
        for (var w = 0; w < keyWords; w++)
            match = builder.And(match, builder.ICmp(LlvmIntPredicate.Eq, Element(builder.Add(rowStart, context.Int64.ConstInt((ulong)(1 + w))), $"key{w}"), wide[w]));
        var function = at.Parent;
        var hit = function.AppendBlock(context, "hot");
        builder.CondBr(match, hit, fallback);
        builder.PositionAtEnd(hit);
        var resultType = context.Struct([context.Int1, .. words.Select(_ => context.Int64)]);
        LlvmValue result = resultType.Undef();
        result = builder.InsertValue(result, builder.ICmp(LlvmIntPredicate.Eq, state, context.Int64.ConstInt(2), "found"), 0);
        for (var w = 0; w < words.Count; w++)
            result = builder.InsertValue(result, Element(builder.Add(rowStart, context.Int64.ConstInt((ulong)(1 + keyWords + w))), $"w{words[w]}"), w + 1);
        builder.Ret(result);
    }

    /// <summary>The table's rows <c>{state, key words..., value words...}</c>: each placed hot key's, its state 2 with
    /// its value's <paramref name="words"/> where <paramref name="values"/> holds one, else 1 (a hot miss); other slots empty.</summary>
    public static byte[] Rows(InPlaceHotKeys shape, IReadOnlyList<byte[]?> values, IReadOnlyList<int> words)
    {
        var stride = shape.Stride(words.Count);
        var rows = new byte[shape.Slots * stride * 8];
        for (var i = 0; i < shape.Keys.Count; i++)
        {
            if (shape.Placed[i] < 0)
                continue;
            var row = rows.AsSpan(shape.Placed[i] * stride * 8);
            var value = values[i];
            var key = KeyLoader.Chunks(shape.Keys[i]);
            BinaryPrimitives.WriteUInt64LittleEndian(row, value is null ? 1UL : 2UL);
            for (var w = 0; w < shape.KeyWords; w++)
                BinaryPrimitives.WriteUInt64LittleEndian(row[((1 + w) * 8)..], key[w]);
            for (var w = 0; w < words.Count; w++)
                BinaryPrimitives.WriteUInt64LittleEndian(row[((1 + shape.KeyWords + w) * 8)..], value is null ? 0 : KeyLoader.Word(value, words[w]));
        }
        return rows;
    }

    /// <summary>At most this many slots in a hot-key table (with three key words and two value words, 192 KiB).</summary>
    private const int MaxHashSlots = 4096;
}
