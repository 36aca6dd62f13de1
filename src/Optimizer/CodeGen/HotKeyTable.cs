using System.Buffers.Binary;
using Kecleon.Llvm;

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
    /// (a key whose slot a hotter one took goes to the kernel like any other).
    /// </summary>
    public static void Emit(LlvmModule module, LlvmBuilder builder, LlvmBasicBlock at, List<LlvmValue> chunks,
        List<(byte[] Key, byte[]? Value)> answers, LlvmBasicBlock fallback, List<int> words, string name)
    {
        var context = builder.Context;
        var keyWords = chunks.Count;
        var slots = (int)Math.Min(MaxHashSlots, Math.Max(16, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)answers.Count * 4)));
        var bits = System.Numerics.BitOperations.Log2((uint)slots);
        var keys = answers.Select(a => KeyLoader.Chunks(a.Key)).ToList();
        var (hash, placed) = HotKeyHash.Choose(keys, bits);
        var stride = 1 + keyWords + words.Count;
        var rows = new byte[slots * stride * 8];
        for (var i = 0; i < answers.Count; i++)
        {
            if (placed[i] < 0)
                continue;
            var row = rows.AsSpan(placed[i] * stride * 8);
            var value = answers[i].Value;
            BinaryPrimitives.WriteUInt64LittleEndian(row, value is null ? 1UL : 2UL);
            for (var w = 0; w < keyWords; w++)
                BinaryPrimitives.WriteUInt64LittleEndian(row[((1 + w) * 8)..], keys[i][w]);
            for (var w = 0; w < words.Count; w++)
                BinaryPrimitives.WriteUInt64LittleEndian(row[((1 + keyWords + w) * 8)..], value is null ? 0 : KeyLoader.Word(value, words[w]));
        }
        var table = module.AddConstantBytes(context, $"{name}.table", rows, ".rodata", 8);
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

    /// <summary>At most this many slots in a hot-key table (with three key words and two value words, 192 KiB).</summary>
    private const int MaxHashSlots = 4096;
}
