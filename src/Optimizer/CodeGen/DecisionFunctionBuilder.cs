using Kecleon.Optimizer.Planning;
using Kecleon.Access;
using Kecleon.Llvm;
using Kecleon.Optimizer.Passes;
using Kecleon.Optimizer.Specialization;

namespace Kecleon.Optimizer.CodeGen;

/// <summary>The whole-map inliner's decision function over a snapshot: a switch on a key of one word, a compare tree
/// over wider keys, or a range search for an LPM table or a key table (<see cref="RangeSearchEmitter"/>); keys the
/// snapshot does not answer ask the kernel.</summary>
internal static class DecisionFunctionBuilder
{
    /// <param name="tableAnswers">For a table search, its distinct rows and each range's (<see cref="RangeSearchEmitter.Answers"/>).</param>
    /// <param name="inPlace">Where a table search's data (an LPM table's, a key table's) is kept in place instead (<see cref="InPlaceLayout"/>), and collected.</param>
    /// <param name="keyFields">How the program wrote the key, when it is on the stack (<see cref="KeyLoader.LoadKey"/>).</param>
    public static LlvmFunction Build(LlvmModule module, LlvmInstruction lookup, MapSnapshot snapshot,
        Strategy strategy, (List<byte[]> Rows, int[] RowOf) tableAnswers, List<int> words, InliningLimits limits, int index,
        IReadOnlyList<KeyField>? keyFields, List<InPlaceSite>? inPlace = null)
    {
        var context = module.Context;
        var i8Ptr = context.Int8.PointerTo();
        var resultType = ResultType(context, words);
        var function = module.AddFunction($"kecleon.inline.{snapshot.Name}.{index}", LlvmType.Function(resultType, [i8Ptr]));
        function.Linkage = LlvmLinkage.Internal;
        function.AddAttribute(context, "alwaysinline");
        var key = function.Parameter(0);
        using var builder = new LlvmBuilder(context);

        var entry = function.AppendBlock(context, "entry");
        var fallback = function.AppendBlock(context, "kernel_lookup");
        var miss = function.AppendBlock(context, "miss");

        // Leaves: one block per distinct value, returning it as constants. They are made on demand while the decision
        // code is being emitted, so with a builder of their own.
        var leaves = new Dictionary<string, LlvmBasicBlock>();
        using var leafBuilder = new LlvmBuilder(context);
        LlvmBasicBlock Leaf(byte[] value)
        {
            var id = Convert.ToHexString(value);
            if (leaves.TryGetValue(id, out var block))
                return block;
            block = function.AppendBlock(context, "hit");
            leafBuilder.PositionAtEnd(block);
            leafBuilder.Ret(context.ConstStruct([context.Int1.ConstInt(1), .. words.Select(w => context.Int64.ConstInt(KeyLoader.Word(value, w)))]));
            leaves[id] = block;
            return block;
        }

        builder.PositionAtEnd(miss);
        builder.Ret(context.ConstStruct([context.Int1.ConstInt(0), .. words.Select(_ => context.Int64.ConstInt(0))]));

        // Keys the snapshot does not answer: the kernel's own lookup, its value read into the same words.
        EmitKernelLookup(context, builder, function, fallback, miss, lookup, key, snapshot, words, resultType);

        builder.PositionAtEnd(entry);
        // An LPM search reads the key's two fields itself.
        var chunks = strategy.Kind == StrategyKind.Lpm ? [] : KeyLoader.LoadKey(builder, key, snapshot.KeySize, keyFields);
        var notInlined = Eligibility.IsComplete(snapshot) ? miss : fallback;
        if (strategy.Kind == StrategyKind.KeyTable)
        {
            var keyWord = chunks[0].Type.IntWidth == 32 ? chunks[0] : builder.ZExt(chunks[0], context.Int32, "key32");
            // Branch-free: a key table stands in for several constant answers at a site that already made many paths.
            if (!RangeSearchEmitter.TryEmitInPlace(module, builder, keyWord, snapshot, tableAnswers, strategy.Ranges, words, 0, limits.MaxBucketBits, index, inPlace, keyTable: true))
                RangeSearchEmitter.EmitRangeTableSearch(module, builder, keyWord, tableAnswers, strategy.Ranges, strategy.Plan!, words, 0, $"kecleon.keys.{snapshot.Name}.{index}");
        }
        else if (strategy.Kind == StrategyKind.Lpm)
            RangeSearchEmitter.EmitLpmSearch(module, builder, function, key, snapshot, strategy, tableAnswers, words, Leaf, miss, fallback, limits.MaxBranchingSearchSteps, limits.MaxBucketBits, index, inPlace);
        else if (snapshot.KeySize <= 8)
            EmitSwitch(builder, chunks[0], snapshot.Entries.Select(e => (KeyLoader.Chunks(e.Key)[0], Leaf(e.Value))), notInlined);
        else
            EmitCompareTree(builder, function, chunks, snapshot, Leaf, notInlined);
        return function;
    }

    /// <summary>What a decision function returns: <c>{found, one i64 per word}</c>, the same type for every map answering
    /// the same words (so a phi can merge the answers of lookups into different maps).</summary>
    public static LlvmType ResultType(LlvmContext context, List<int> words) => context.Struct([context.Int1, .. words.Select(_ => context.Int64)]);

    /// <summary>In <paramref name="at"/>: the kernel's own lookup with <paramref name="key"/>; a hit returns the value's
    /// <paramref name="words"/> as a decision result, a miss goes to <paramref name="miss"/>.</summary>
    public static void EmitKernelLookup(LlvmContext context, LlvmBuilder builder, LlvmFunction function, LlvmBasicBlock at, LlvmBasicBlock miss,
        LlvmInstruction lookup, LlvmValue key, MapSnapshot snapshot, List<int> words, LlvmType resultType)
    {
        builder.PositionAtEnd(at);
        var pointer = builder.Call(lookup.CalledFunctionType, lookup.CalledValue, [lookup.Argument(0), key], "value");
        var found = function.AppendBlock(context, "kernel_hit");
        builder.CondBr(builder.ICmp(LlvmIntPredicate.Ne, pointer, context.Int8.PointerTo().ConstNull()), found, miss);
        builder.PositionAtEnd(found);
        LlvmValue result = resultType.Undef();
        result = builder.InsertValue(result, context.Int1.ConstInt(1), 0);
        for (var i = 0; i < words.Count; i++)
        {
            var bytes = Math.Min(8, snapshot.ValueSize - words[i] * 8);
            var type = context.IntType(bytes * 8);
            var address = builder.BitCast(builder.Gep(context.Int8, pointer, [context.Int64.ConstInt((ulong)(words[i] * 8))]), type.PointerTo());
            var word = builder.Load(type, address, $"w{words[i]}");
            result = builder.InsertValue(result, bytes == 8 ? word : builder.ZExt(word, context.Int64), i + 1);
        }
        builder.Ret(result);
    }

    private static void EmitSwitch(LlvmBuilder builder, LlvmValue key, IEnumerable<(ulong Key, LlvmBasicBlock Target)> cases, LlvmBasicBlock otherwise)
    {
        var list = cases.ToList();
        var @switch = builder.Switch(key, otherwise, list.Count);
        foreach (var (value, target) in list)
            LlvmBuilder.AddCase(@switch, key.Type.ConstInt(value), target);
    }

    /// <summary>Keys wider than 64 bits: a switch on the first word, then every remaining word compared in full, so two
    /// keys that share a word (or a hash) can never be confused.</summary>
    private static void EmitCompareTree(LlvmBuilder builder, LlvmFunction function, List<LlvmValue> chunks, MapSnapshot snapshot,
        Func<byte[], LlvmBasicBlock> leaf, LlvmBasicBlock otherwise)
    {
        var context = builder.Context;
        var groups = snapshot.Entries.GroupBy(e => KeyLoader.Chunks(e.Key)[0]).ToList();
        var cases = new List<(ulong, LlvmBasicBlock)>();
        foreach (var group in groups)
        {
            var block = function.AppendBlock(context, "first_word");
            cases.Add((group.Key, block));
            foreach (var (key, value) in group)
            {
                builder.PositionAtEnd(block);
                var expected = KeyLoader.Chunks(key);
                LlvmValue? all = null;
                for (var i = 1; i < chunks.Count; i++)
                {
                    var equal = builder.ICmp(LlvmIntPredicate.Eq, chunks[i], chunks[i].Type.ConstInt(expected[i]));
                    all = all is null ? equal : builder.And(all.Value, equal);
                }
                var next = function.AppendBlock(context, "next_key");
                builder.CondBr(all!.Value, leaf(value), next);
                block = next;
            }
            builder.PositionAtEnd(block);
            builder.Br(otherwise);
        }
        builder.PositionAtEnd(function.EntryBlock);
        // The entry block ends in the switch; the chunk loads are already there.
        EmitSwitch(builder, chunks[0], cases, otherwise);
    }
}
