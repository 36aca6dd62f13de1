using Kecleon.Instrumentation.Profiling;
using Kecleon.Llvm;
using Kecleon.Optimizer.Analyses;

namespace Kecleon.Optimizer.CodeGen;

/// <summary>Replaces a lookup's result with a decision function's <c>{found, value words}</c>: each use the
/// <see cref="LookupResultUses"/> analysis found is rewritten to read the answer, and the lookup goes.</summary>
internal static class LookupSiteRewriter
{
    /// <summary>Replaces the lookup's uses (all but a merging phi) with the decision function's answer, and returns that
    /// answer. The lookup itself goes once nothing uses it. The decision function is called with the lookup's key, or
    /// with what <paramref name="arguments"/> makes just before the call.</summary>
    public static LlvmValue RewriteSite(LlvmModule module, SiteUses site, LlvmFunction decision, List<int> words,
        Func<LlvmBuilder, LlvmValue[]>? arguments = null, string name = "inlined", bool keepsKeyProfile = false)
    {
        using var builder = new LlvmBuilder(module.Context);
        builder.PositionBefore(site.Call);
        var result = builder.Call(decision.FunctionType, decision.Value, arguments?.Invoke(builder) ?? [site.Call.Argument(1)], name);
        if (keepsKeyProfile)
            InstrumentationPass.CarrySiteTag(module.Context, site.Call, result.AsInstruction());
        RewriteUses(builder, site.Call.Block.Parent, result, words, site.Uses, site.Derived);
        if (!site.Call.Value.Users.Any())
            site.Call.EraseFromParent();
        return result;
    }

    /// <summary>Replaces the lookup with a call of <paramref name="function"/>, which returns a pointer to the value as
    /// the lookup did: every use stays as it is.</summary>
    public static void ReplaceWithPointer(LlvmModule module, LlvmInstruction lookup, LlvmFunction function, Func<LlvmBuilder, LlvmValue[]> arguments,
        string name, bool keepsKeyProfile = false)
    {
        using var builder = new LlvmBuilder(module.Context);
        builder.PositionBefore(lookup);
        var pointer = builder.Call(function.FunctionType, function.Value, arguments(builder), name);
        if (keepsKeyProfile)
            InstrumentationPass.CarrySiteTag(module.Context, lookup, pointer.AsInstruction());
        lookup.Value.ReplaceAllUsesWith(pointer);
        lookup.EraseFromParent();
    }

    /// <summary>
    /// Each phi of pointers becomes a phi of answers (a constant miss where it merged null), its incoming values the
    /// answers the lookups became (<paramref name="results"/>, by the pointer each phi took in) or the other phis' new
    /// phis; their uses are rewritten to read the merged answer. Then the old phis, the casts between them and the
    /// lookups go. Every answer has the same type: the lookups' decision functions all return <paramref name="words"/>.
    /// </summary>
    public static void RewritePhis(LlvmModule module, PhiGroup group, LlvmType resultType, List<int> words, Dictionary<LlvmValue, LlvmValue> results)
    {
        var context = module.Context;
        using var builder = new LlvmBuilder(context);
        var answers = new Dictionary<LlvmValue, LlvmInstruction>();
        foreach (var phi in group.Phis)
        {
            builder.PositionBefore(phi.Call.Block.FirstInstruction!.Value);
            answers[phi.Call.Value] = builder.Phi(resultType, "inlined.merged");
        }
        var miss = context.ConstStruct([context.Int1.ConstInt(0), .. words.Select(_ => context.Int64.ConstInt(0))]);
        LlvmValue AnswerOf(LlvmValue pointer)
        {
            if (results.TryGetValue(pointer, out var answer))
                return answer;
            // A phi taken in directly or through casts.
            var source = pointer;
            while (!answers.ContainsKey(source))
                source = source.AsInstruction().Operand(0);
            return answers[source].Value;
        }
        foreach (var phi in group.Phis)
            for (var i = 0; i < phi.Call.IncomingCount; i++)
            {
                var (value, from) = phi.Call.Incoming(i);
                LlvmBuilder.AddIncoming(answers[phi.Call.Value], value.IsNullValue ? miss : AnswerOf(value), from);
            }
        foreach (var phi in group.Phis)
        {
            var block = phi.Call.Block;
            builder.PositionBefore(block.Instructions.First(i => i.Opcode != LlvmOpcode.Phi));
            RewriteUses(builder, block.Parent, answers[phi.Call.Value].Value, words, phi.Uses, phi.Derived);
        }
        // What is left of the pointers only feeds the old phis: drop them, then the casts and lookups nothing uses.
        foreach (var phi in group.Phis)
            phi.Call.Value.ReplaceAllUsesWith(phi.Call.Type.Undef());
        foreach (var phi in group.Phis)
            phi.Call.EraseFromParent();
        foreach (var site in group.Phis.Concat(group.Members))
            for (var i = site.Derived.Count - 1; i >= 0; i--)
                if (!site.Derived[i].Value.Users.Any())
                    site.Derived[i].EraseFromParent();
        foreach (var member in group.Members)
            if (!member.Call.Value.Users.Any())
                member.Call.EraseFromParent();
    }

    /// <summary>An answer over <paramref name="words"/> of a value seen from <paramref name="shift"/> words into it: the
    /// answer over <paramref name="viewWords"/> a phi takes in for a pointer to a field of the value. Made just before
    /// <paramref name="lookup"/> (which a phi still takes in, so it is there until the phis go).</summary>
    public static LlvmValue ShiftAnswer(LlvmModule module, LlvmInstruction lookup, LlvmValue answer, List<int> words, List<int> viewWords, int shift)
    {
        var context = module.Context;
        using var builder = new LlvmBuilder(context);
        builder.PositionBefore(lookup);
        LlvmValue view = DecisionFunctionBuilder.ResultType(context, viewWords).Undef();
        view = builder.InsertValue(view, builder.ExtractValue(answer, 0, "found"), 0);
        for (var i = 0; i < viewWords.Count; i++)
            view = builder.InsertValue(view, builder.ExtractValue(answer, words.IndexOf(viewWords[i] + shift) + 1, $"word{viewWords[i] + shift}"), i + 1);
        return view;
    }

    public static void RewriteUses(LlvmBuilder builder, LlvmFunction function, LlvmValue result, List<int> words, List<ResultUse> uses,
        List<LlvmInstruction> derived)
    {
        var context = builder.Context;
        var found = builder.ExtractValue(result, 0, "found");
        var wordValues = words.Select((w, i) => (w, builder.ExtractValue(result, i + 1, $"word{w}"))).ToDictionary(p => p.w, p => p.Item2);

        // A stack copy of whole words [first, last] for a callee that reads the bytes through a pointer.
        LlvmValue CopyOfWords(long first, long last)
        {
            var slot = StackSlot(builder, function, (int)(last - first + 1) * 8);
            for (var w = first; w <= last; w++)
            {
                var address = builder.BitCast(builder.Gep(context.Int8, slot, [context.Int64.ConstInt((ulong)((w - first) * 8))]), context.Int64.PointerTo());
                builder.Store(wordValues[(int)w], address);
            }
            return slot;
        }

        foreach (var use in uses)
        {
            switch (use)
            {
                case LoadUse load:
                {
                    var word = wordValues[(int)(load.Offset / 8)];
                    var shift = load.Offset % 8 * 8;
                    var shifted = shift == 0 ? word : builder.LShr(word, context.Int64.ConstInt((ulong)shift));
                    var value = load.Bits == 64 ? shifted : builder.Trunc(shifted, context.IntType(load.Bits));
                    load.Load.Value.ReplaceAllUsesWith(value);
                    load.Load.EraseFromParent();
                    break;
                }
                case NullCompareUse compare:
                {
                    var value = compare.IsEqual ? builder.ICmp(LlvmIntPredicate.Eq, found, context.Int1.ConstInt(0)) : found;
                    compare.Compare.Value.ReplaceAllUsesWith(value);
                    compare.Compare.EraseFromParent();
                    break;
                }
                case HelperArgumentUse argument:
                {
                    // The helper reads the bytes through a pointer: give it a stack copy of them.
                    var slot = StackSlot(builder, function, argument.Size);
                    for (var offset = 0; offset < argument.Size; offset += 8)
                    {
                        var bytes = Math.Min(8, argument.Size - offset);
                        var word = wordValues[(int)((argument.Offset + offset) / 8)];
                        var type = context.IntType(bytes * 8);
                        var address = builder.BitCast(builder.Gep(context.Int8, slot, [context.Int64.ConstInt((ulong)offset)]), type.PointerTo());
                        builder.Store(bytes == 8 ? word : builder.Trunc(word, type), address);
                    }
                    argument.Call.SetOperand(argument.Argument, slot);
                    break;
                }
                case MemcpySourceUse copy:
                {
                    // LLVM folds a copy out of a stack slot of constants into stores of the constants.
                    var first = copy.Offset / 8;
                    var slot = CopyOfWords(first, (copy.Offset + copy.Size - 1) / 8);
                    var source = copy.Offset == first * 8 ? slot : builder.Gep(context.Int8, slot, [context.Int64.ConstInt((ulong)(copy.Offset - first * 8))]);
                    copy.Call.SetOperand(1, source);
                    break;
                }
                case PhiUse:
                    break; // rewritten with the phi
            }
        }
        for (var i = derived.Count - 1; i >= 0; i--)
            if (!derived[i].Value.Users.Any())
            {
                derived[i].EraseFromParent();
                derived.RemoveAt(i); // a cast a phi still takes in goes with the phi (RewritePhis)
            }
    }

    /// <summary>A stack slot in the function's entry block (a static alloca the back end can place).</summary>
    private static LlvmValue StackSlot(LlvmBuilder builder, LlvmFunction function, int size)
    {
        var context = builder.Context;
        using var entry = new LlvmBuilder(context);
        entry.PositionBefore(function.EntryBlock.FirstInstruction!.Value);
        var slot = entry.Alloca(context.Int8.ArrayOf(size), "kecleon.copy");
        slot.SetAlignment(8); // a memcpy out of it may carry the value's own alignment
        return entry.BitCast(slot, context.Int8.PointerTo());
    }
}
