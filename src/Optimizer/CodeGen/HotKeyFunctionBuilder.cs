using Kecleon.Access;
using Kecleon.Llvm;
using Kecleon.Optimizer.Guards;
using Kecleon.Optimizer.Specialization;

namespace Kecleon.Optimizer.CodeGen;

/// <summary>How a hot-key lookup learns that the program itself wrote the map earlier in the same packet.</summary>
internal enum Recheck { None, Version, WriteFlag }

/// <summary>The hot-key pass's functions: the profile's hottest keys compared in full (a tree of compares, or a
/// <see cref="HotKeyTable"/>) and answered from the snapshot; any other key asks the kernel.</summary>
internal static class HotKeyFunctionBuilder
{
    /// <summary><c>{ i1 found, i64 words... } kecleon.hot.&lt;map&gt;.&lt;n&gt;(i8* key)</c>: the hot keys compared in full,
    /// each answered by constants (a tree) or by its row (<paramref name="hashed"/>, <see cref="HotKeyTable"/>); anything
    /// else asks the kernel. With <paramref name="inPlace"/>, a hash table's rows are in-place data (collected there).</summary>
    public static LlvmFunction Build(LlvmModule module, LlvmInstruction lookup, MapSnapshot snapshot,
        List<(byte[] Key, byte[]? Value)> answers, List<int> words, Recheck recheck, bool hashed, int index, IReadOnlyList<KeyField>? keyFields,
        List<InPlaceSite>? inPlace = null)
    {
        var context = module.Context;
        var resultType = context.Struct([context.Int1, .. words.Select(_ => context.Int64)]);
        var function = module.AddFunction($"kecleon.hot.{snapshot.Name}.{index}", LlvmType.Function(resultType, Parameters(context, recheck)));
        using var builder = new LlvmBuilder(context);
        var fallback = Prologue(module, function, builder, snapshot, recheck, keyFields, out var chunks, out var compareAt);

        // Keys not hot: the kernel's own lookup, its value read into the same words.
        var miss = function.AppendBlock(context, "miss");
        builder.PositionAtEnd(miss);
        builder.Ret(context.ConstStruct([context.Int1.ConstInt(0), .. words.Select(_ => context.Int64.ConstInt(0))]));
        DecisionFunctionBuilder.EmitKernelLookup(context, builder, function, fallback, miss, lookup, function.Parameter(0), snapshot, words, resultType);

        if (hashed)
        {
            HotKeyTable.Emit(module, builder, compareAt, chunks, answers, fallback, words, $"kecleon.hot.{snapshot.Name}.{index}", snapshot.Name, inPlace);
            return function;
        }
        EmitHotSwitch(builder, function, compareAt, chunks, answers, fallback, (leaf, value) => leaf.Ret(context.ConstStruct([
            context.Int1.ConstInt(value is null ? 0UL : 1UL),
            .. words.Select(w => context.Int64.ConstInt(value is null ? 0 : KeyLoader.Word(value, w)))])));
        return function;
    }

    /// <summary>
    /// For a result used in ways the word extraction does not cover (merged through a phi, indexed, copied by a call),
    /// but only read: <c>i8* kecleon.hotptr.&lt;map&gt;.&lt;n&gt;(i8* key)</c> returns a pointer to a constant copy of the hot
    /// key's value in <c>.rodata</c> (null for a hot miss), else the kernel's answer; the uses stay as they are and load
    /// from whichever it is (LLVM folds the loads where the path is known).
    /// </summary>
    public static LlvmFunction BuildPointer(LlvmModule module, LlvmInstruction lookup, MapSnapshot snapshot,
        List<(byte[] Key, byte[]? Value)> answers, Recheck recheck, int index, IReadOnlyList<KeyField>? keyFields)
    {
        var context = module.Context;
        var i8Ptr = context.Int8.PointerTo();
        var function = module.AddFunction($"kecleon.hotptr.{snapshot.Name}.{index}", LlvmType.Function(i8Ptr, Parameters(context, recheck)));
        using var builder = new LlvmBuilder(context);
        var fallback = Prologue(module, function, builder, snapshot, recheck, keyFields, out var chunks, out var compareAt);
        builder.PositionAtEnd(fallback);
        builder.Ret(builder.Call(lookup.CalledFunctionType, lookup.CalledValue, [lookup.Argument(0), function.Parameter(0)], "value"));
        var copies = 0;
        EmitHotSwitch(builder, function, compareAt, chunks, answers, fallback, (leaf, value) => leaf.Ret(value is null
            ? i8Ptr.ConstNull()
            : leaf.BitCast(module.AddConstantBytes(context, $"kecleon.hot.{snapshot.Name}.{index}.value{copies++}", value, ".rodata", 8), i8Ptr)));
        return function;
    }

    /// <summary>The key, and with <see cref="Recheck.WriteFlag"/> whether the program wrote the map earlier in the packet.</summary>
    public static LlvmType[] Parameters(LlvmContext context, Recheck recheck) =>
        recheck == Recheck.WriteFlag ? [context.Int8.PointerTo(), context.Int1] : [context.Int8.PointerTo()];

    /// <summary>The function's entry: for a map the data plane writes, a write of the program's own earlier in this very
    /// packet sends the lookup to the kernel (the flag, or the version read again); then the key loaded as 64-bit words
    /// (field by field as the program wrote it, <see cref="KeyLoader.LoadKey"/>), ending open at
    /// <paramref name="compareAt"/>. Returns the kernel-lookup block, still empty.</summary>
    private static LlvmBasicBlock Prologue(LlvmModule module, LlvmFunction function, LlvmBuilder builder, MapSnapshot snapshot,
        Recheck recheck, IReadOnlyList<KeyField>? keyFields, out List<LlvmValue> chunks, out LlvmBasicBlock compareAt)
    {
        var context = module.Context;
        function.Linkage = LlvmLinkage.Internal;
        function.AddAttribute(context, "alwaysinline");
        var entry = function.AppendBlock(context, "entry");
        var fallback = function.AppendBlock(context, "kernel_lookup");
        builder.PositionAtEnd(entry);
        if (recheck != Recheck.None)
        {
            var compare = function.AppendBlock(context, "compare");
            if (recheck == Recheck.WriteFlag)
                builder.CondBr(function.Parameter(1), fallback, compare);
            else
            {
                var holds = module.GetFunction(GuardPrelude.HoldsFunction)!.Value;
                var current = builder.Call(holds.FunctionType, holds.Value,
                    [context.Int32.ConstInt((ulong)snapshot.GuardSlot), context.Int64.ConstInt(snapshot.GuardVersion)], "current");
                builder.CondBr(builder.ICmp(LlvmIntPredicate.Ne, current, context.Int32.ConstInt(0)), compare, fallback);
            }
            builder.PositionAtEnd(compare);
        }
        chunks = KeyLoader.LoadKey(builder, function.Parameter(0), snapshot.KeySize, keyFields);
        compareAt = builder.InsertBlock;
        return fallback;
    }

    /// <summary>A switch on the key's first word (LLVM lowers it to a balanced compare tree or a table), then the
    /// remaining words compared in full: a cold key costs about log2(keys) compares before the kernel lookup, not one per
    /// hot key. <paramref name="leaf"/> ends each hot key's block.</summary>
    private static void EmitHotSwitch(LlvmBuilder builder, LlvmFunction function, LlvmBasicBlock at, List<LlvmValue> chunks,
        List<(byte[] Key, byte[]? Value)> answers, LlvmBasicBlock fallback, Action<LlvmBuilder, byte[]?> leaf)
    {
        var context = builder.Context;
        builder.PositionAtEnd(at);
        var groups = answers.GroupBy(a => KeyLoader.Chunks(a.Key)[0]).ToList();
        var @switch = builder.Switch(chunks[0], fallback, groups.Count);
        foreach (var group in groups)
        {
            var block = function.AppendBlock(context, "first_word");
            LlvmBuilder.AddCase(@switch, chunks[0].Type.ConstInt(group.Key), block);
            foreach (var (hotKey, value) in group)
            {
                builder.PositionAtEnd(block);
                var hit = function.AppendBlock(context, "hot");
                if (chunks.Count == 1)
                    builder.Br(hit);
                else
                {
                    var expected = KeyLoader.Chunks(hotKey);
                    LlvmValue? all = null;
                    for (var i = 1; i < chunks.Count; i++)
                    {
                        var equal = builder.ICmp(LlvmIntPredicate.Eq, chunks[i], chunks[i].Type.ConstInt(expected[i]));
                        all = all is null ? equal : builder.And(all.Value, equal);
                    }
                    block = function.AppendBlock(context, "next_key");
                    builder.CondBr(all!.Value, hit, block);
                }
                builder.PositionAtEnd(hit);
                leaf(builder, value);
            }
            if (chunks.Count > 1)
            {
                builder.PositionAtEnd(block);
                builder.Br(fallback);
            }
        }
    }
}
