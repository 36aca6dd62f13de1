using System.Buffers.Binary;
using Kecleon.Optimizer.Planning;
using Kecleon.Llvm;
using Kecleon.Optimizer.Passes;
using Kecleon.Optimizer.Specialization;

namespace Kecleon.Optimizer.CodeGen;

/// <summary>Searches over disjoint key ranges (an IPv4 LPM table's, or a key table's): a tree of compares, or a
/// branch-free search over constant tables in <c>.rodata</c>.</summary>
internal static class RangeSearchEmitter
{
    /// <summary>
    /// An IPv4 LPM lookup whose key asks for a /32 becomes a search over the table's disjoint address ranges: a tree of
    /// compares for a small table, a table search for a large one (<see cref="EmitRangeTableSearch"/>). Keys asking for
    /// another prefix length go to the kernel (its semantics for them are kept, not re-derived).
    /// </summary>
    public static void EmitLpmSearch(LlvmModule module, LlvmBuilder builder, LlvmFunction function, LlvmValue key,
        MapSnapshot snapshot, Strategy strategy, (List<byte[]> Rows, int[] RowOf) tableAnswers, List<int> words, Func<byte[], LlvmBasicBlock> leaf, LlvmBasicBlock miss,
        LlvmBasicBlock fallback, int maxBranchingSteps, int maxBucketBits, int index, List<InPlaceSite>? inPlace = null)
    {
        var context = builder.Context;
        var ranges = strategy.Ranges;
        // The key's two fields as the program stores them, so that once inlined LLVM forwards its stores (the prefix length
        // is then a constant and its test goes): one 8-byte load of two 4-byte stores also costs a failed store-to-load
        // forwarding in the JIT's x86 code.
        LlvmValue Field(ulong offset, string label) => builder.Load(context.Int32,
            builder.BitCast(builder.Gep(context.Int8, key, [context.Int64.ConstInt(offset)]), context.Int32.PointerTo()), label);
        var prefixLength = Field(0, "prefixlen");
        var networkOrder = Field(4, "addr_be");
        var search = function.AppendBlock(context, "range_search");
        builder.CondBr(builder.ICmp(LlvmIntPredicate.Eq, prefixLength, context.Int32.ConstInt(32)), search, fallback);
        builder.PositionAtEnd(search);
        var bswap = module.Intrinsic("llvm.bswap", context.Int32);
        var address = builder.Call(bswap.FunctionType, bswap.Value, [networkOrder], "addr");
        if (strategy.AsTable && TryEmitInPlace(module, builder, address, snapshot, tableAnswers, ranges, words, maxBranchingSteps, maxBucketBits, index, inPlace, keyTable: false))
            return;
        if (strategy.AsTable)
        {
            EmitRangeTableSearch(module, builder, address, tableAnswers, ranges, strategy.Plan!, words, maxBranchingSteps, $"kecleon.lpm.{snapshot.Name}.{index}");
            return;
        }
        LlvmBasicBlock Target(int range) => ranges[range].Entry < 0 ? miss : leaf(snapshot.Entries[ranges[range].Entry].Value);

        // Balanced tree: at each node, addresses below the middle range's start go left.
        void Emit(LlvmBasicBlock block, int low, int high)
        {
            builder.PositionAtEnd(block);
            if (low == high)
            {
                builder.Br(Target(low));
                return;
            }
            var middle = (low + high + 1) / 2;
            var left = low == middle - 1 ? Target(low) : function.AppendBlock(context, "below");
            var right = middle == high ? Target(high) : function.AppendBlock(context, "at_or_above");
            builder.CondBr(builder.ICmp(LlvmIntPredicate.Ult, address, context.Int32.ConstInt(ranges[middle].Start)), left, right);
            if (low != middle - 1)
                Emit(left, low, middle - 1);
            if (middle != high)
                Emit(right, middle, high);
        }
        Emit(search, 0, ranges.Count - 1);
    }

    /// <summary>
    /// A branch-free search over constant tables in <c>.rodata</c> (libbpf loads them as a frozen array map): per range
    /// its start and the number of its answer, side by side (<c>entries</c>), one row <c>{found, words...}</c> per distinct
    /// answer (<c>rows</c>), and, when it shortens the search, a direct index on the address's top <c>B</c> bits giving the
    /// range that holds the bucket's first address (<c>buckets</c>, 2 bytes each while the ranges number at most 2^16):
    /// <code>
    ///   lo = buckets[addr >> (32 - B)] &amp; (2^K - 1)  ; or 0 without buckets
    ///   for s = 2^(m-1) .. 1:                       ; m straight-line steps: at most 2^m - 1 ranges start inside a bucket
    ///     d  = opaque(zext addr - zext entries[lo + s].start)
    ///     lo += s &amp; opaque(~(d >>s 63))              ; s when that start &lt;= addr, else 0
    ///   return rows[entries[lo].answer &amp; (2^R - 1)]
    /// </code>
    /// The barriers (empty inline asm, no instruction) keep LLVM from turning the mask back into a compare and a select,
    /// which the BPF back end lowers to a branch per step: the verifier would then walk up to 2^m paths (100,000
    /// instructions for the router instead of 500). Without branches it sees one path and bounds every index by the
    /// masks. The tables are padded past 2^K with copies of the last range so that no index can leave them.
    /// The layout is for the packet that finds its lines cold, which is most of the cost of a cold destination (router,
    /// high locality: such a packet took about 400 ns against 125 ns for a hot one): an answer next to its start is one
    /// dependent cache miss less than a separate row table, and rows shared by every range with the same answer (the
    /// router's 5,127 ranges have 17) keep them in a few lines; the router's tables went from 197 KiB to 80 KiB.
    /// </summary>
    public static void EmitRangeTableSearch(LlvmModule module, LlvmBuilder builder, LlvmValue address, (List<byte[]> Rows, int[] RowOf) tableAnswers,
        IReadOnlyList<LpmRanges.Range> ranges, RangeSearchPlan plan, List<int> words, int maxBranchingSteps, string name)
    {
        var context = builder.Context;
        var branching = plan.Steps <= maxBranchingSteps;
        var size = plan.TableEntries;
        var width = words.Count + 1;
        var (answers, answerOf) = tableAnswers;
        var answerBits = RangeSearchPlan.Log2Ceiling(answers.Count);
        var entries = new byte[size * 8];
        var rows = new byte[(1 << answerBits) * width * 8];
        for (var a = 0; a < answers.Count; a++)
            answers[a].CopyTo(rows.AsSpan(a * width * 8));
        for (var i = 0; i < size; i++)
        {
            var last = Math.Min(i, ranges.Count - 1);
            BinaryPrimitives.WriteUInt32LittleEndian(entries.AsSpan(i * 8), i < ranges.Count ? ranges[last].Start : uint.MaxValue);
            BinaryPrimitives.WriteUInt32LittleEndian(entries.AsSpan(i * 8 + 4), (uint)answerOf[last]);
        }
        var entryTable = module.AddConstantBytes(context, $"{name}.entries", entries, ".rodata", 8);
        var rowTable = module.AddConstantBytes(context, $"{name}.rows", rows, ".rodata", 8);
        LlvmValue? baseTable = null;
        if (plan.BucketBits > 0)
        {
            var narrow = plan.BucketBytes == 2;
            var bases = new byte[(1 << plan.BucketBits) * plan.BucketBytes];
            for (var bucket = 0; bucket < 1 << plan.BucketBits; bucket++)
                if (narrow)
                    BinaryPrimitives.WriteUInt16LittleEndian(bases.AsSpan(bucket * 2), (ushort)plan.Bases[bucket]);
                else
                    BinaryPrimitives.WriteUInt32LittleEndian(bases.AsSpan(bucket * 4), (uint)plan.Bases[bucket]);
            baseTable = module.AddConstantBytes(context, $"{name}.buckets", bases, ".rodata", 8);
        }
        EmitSearch(builder, address, entryTable, rowTable, baseTable, plan.BucketBits, plan.Steps, plan.IndexBits, plan.BucketBytes, answerBits, words, branching);
    }

    /// <summary>
    /// The table search over data kept in place (<see cref="EmitInPlaceTableSearch"/>), collected in
    /// <paramref name="inPlace"/>, while the section stays within <see cref="InPlaceLayout.MaxBytes"/> (one array map
    /// value: the kernel caps it at 4 MiB); false (nothing emitted) past that, or without <paramref name="inPlace"/>: the
    /// table is then .rodata, and its map is rebuilt on a write.
    /// </summary>
    public static bool TryEmitInPlace(LlvmModule module, LlvmBuilder builder, LlvmValue address, MapSnapshot snapshot, (List<byte[]> Rows, int[] RowOf) tableAnswers,
        IReadOnlyList<LpmRanges.Range> ranges, List<int> words, int maxBranchingSteps, int maxBucketBits, int index, List<InPlaceSite>? inPlace, bool keyTable)
    {
        if (inPlace is null)
            return false;
        var site = InPlaceSite.For(snapshot.Name, $"{InPlaceLayout.HeaderSymbol}_{snapshot.Name}_{index}", words, ranges, tableAnswers.Rows.Count, maxBucketBits)
            with { KeyTable = keyTable };
        if (inPlace.Sum(s => 2 * s.BufferBytes) + 2 * site.BufferBytes > InPlaceLayout.MaxBytes)
            return false;
        EmitInPlaceTableSearch(module, builder, address, tableAnswers, ranges, words, maxBranchingSteps, site);
        inPlace.Add(site);
        return true;
    }

    /// <summary>
    /// <see cref="EmitRangeTableSearch"/> over data the program does not own as code: the tables of both buffers in one
    /// global of <see cref="InPlaceLayout.Section"/>, the buffer chosen by the header's <c>active</c> word, read once here.
    /// The shape (<paramref name="site"/>, <see cref="InPlaceSite.For"/>) leaves headroom, so that a write changes only data.
    /// </summary>
    private static void EmitInPlaceTableSearch(LlvmModule module, LlvmBuilder builder, LlvmValue address, (List<byte[]> Rows, int[] RowOf) tableAnswers,
        IReadOnlyList<LpmRanges.Range> ranges, List<int> words, int maxBranchingSteps, InPlaceSite site)
    {
        var context = builder.Context;
        var buffer = site.Render(ranges, tableAnswers.Rows, tableAnswers.RowOf, out var refusal)
                     ?? throw new InvalidOperationException($"the in-place table of {site.Map} does not fit its own shape: {refusal}");
        var active = InPlaceBuffer(module, builder, site, buffer);
        LlvmValue Part(long at) => at == 0 ? active : builder.Gep(context.Int8, active, [context.Int64.ConstInt((ulong)at)]);
        EmitSearch(builder, address, Part(0), Part(site.RowsOffset), site.BucketBits > 0 ? Part(site.BucketsOffset) : null, site.BucketBits, site.Steps,
            site.IndexBits, site.BucketBytes, site.AnswerBits, words, site.Steps <= maxBranchingSteps);
    }

    /// <summary>
    /// A site's global in <see cref="InPlaceLayout.Section"/>, both buffers holding <paramref name="buffer"/>, and (at the
    /// builder) the address of the active one, chosen by the header's <c>active</c> word. A buffer is rewritten only while
    /// inactive and after a grace period (<c>InPlaceUpdate</c>), so no run sees it change: to LLVM it is constant
    /// (<see cref="LlvmGlobals.MarkStableWithinRun"/>), and a row is loaded where it is used instead of held in a register.
    /// </summary>
    public static LlvmValue InPlaceBuffer(LlvmModule module, LlvmBuilder builder, InPlaceSite site, byte[] buffer)
    {
        var context = builder.Context;
        var both = new byte[2 * site.BufferBytes];
        buffer.CopyTo(both, 0);
        buffer.CopyTo(both, site.BufferBytes);
        var data = module.AddDataBytes(context, site.Symbol, both, InPlaceLayout.Section, 8);
        data.MarkStableWithinRun();
        var header = Header(module);
        // The mask bounds the offset for the verifier; the barrier keeps LLVM from making the multiply a select (a branch).
        var active = builder.Opaque(builder.And(builder.Load(context.Int64, builder.BitCast(header, context.Int64.PointerTo()), "active"),
            context.Int64.ConstInt(1)), "active");
        return builder.Gep(context.Int8, builder.BitCast(data, context.Int8.PointerTo()), [builder.Mul(active, context.Int64.ConstInt((ulong)site.BufferBytes), "buffer")], "active_buffer");
    }

    /// <summary>The in-place header global (<see cref="InPlaceLayout.HeaderSymbol"/>), made on first use with buffer 0
    /// active; the guard pass writes the expected versions into it.</summary>
    public static LlvmValue Header(LlvmModule module) =>
        module.GetGlobal(InPlaceLayout.HeaderSymbol)?.Value
        ?? module.AddDataBytes(module.Context, InPlaceLayout.HeaderSymbol, new byte[InPlaceLayout.HeaderWords * 8], InPlaceLayout.Section, 8);

    private static void EmitSearch(LlvmBuilder builder, LlvmValue address, LlvmValue entryTable, LlvmValue rowTable, LlvmValue? baseTable,
        int bucketBits, int steps, int indexBits, int bucketBytes, int answerBits, List<int> words, bool branching)
    {
        var context = builder.Context;
        var width = words.Count + 1;
        LlvmValue Element(LlvmValue table, LlvmType type, LlvmValue index, string label) =>
            builder.Load(type, builder.Gep(type, builder.BitCast(table, type.PointerTo()), [index]), label);
        LlvmValue EntryWord(LlvmValue entry, ulong word, string label) =>
            builder.ZExt(Element(entryTable, context.Int32, builder.Add(builder.Shl(entry, context.Int64.ConstInt(1)), context.Int64.ConstInt(word)), label), context.Int64);

        var address64 = builder.ZExt(address, context.Int64, "addr64");
        LlvmValue low = context.Int64.ConstInt(0);
        if (bucketBits > 0)
        {
            var narrow = bucketBytes == 2;
            // The mask is for the verifier, which does not know that a byte-swapped word has 32 bits.
            var bucketIndex = builder.And(builder.Opaque(builder.LShr(address64, context.Int64.ConstInt((ulong)(32 - bucketBits)))),
                context.Int64.ConstInt((1UL << bucketBits) - 1), "bucket");
            var first = builder.ZExt(Element(baseTable!.Value, narrow ? context.Int16 : context.Int32, bucketIndex, "base"), context.Int64);
            low = builder.And(builder.Opaque(first), context.Int64.ConstInt((1UL << indexBits) - 1), "lo");
        }
        for (var step = steps - 1; step >= 0; step--)
        {
            var stride = context.Int64.ConstInt(1UL << step);
            var probe = builder.Add(low, stride, "probe");
            var start = EntryWord(probe, 0, "start");
            if (branching)
            {
                low = builder.Select(builder.ICmp(LlvmIntPredicate.Ule, start, address64), probe, low, "lo");
                continue;
            }
            var difference = builder.Opaque(builder.Sub(address64, start), "diff");
            var atOrAbove = builder.Opaque(builder.Xor(builder.AShr(difference, context.Int64.ConstInt(63)), context.Int64.ConstInt(ulong.MaxValue)), "ge");
            low = builder.Add(low, builder.And(stride, atOrAbove), "lo");
        }
        var answer = builder.And(builder.Opaque(EntryWord(low, 1, "answer")), context.Int64.ConstInt((1UL << answerBits) - 1), "answer");
        var row = builder.Mul(answer, context.Int64.ConstInt((ulong)width), "row");
        var resultType = context.Struct([context.Int1, .. words.Select(_ => context.Int64)]);
        LlvmValue result = resultType.Undef();
        result = builder.InsertValue(result, builder.Trunc(Element(rowTable, context.Int64, row, "found"), context.Int1), 0);
        for (var w = 0; w < words.Count; w++)
            result = builder.InsertValue(result, Element(rowTable, context.Int64, builder.Add(row, context.Int64.ConstInt((ulong)(w + 1))), $"w{words[w]}"), w + 1);
        builder.Ret(result);
    }

    /// <summary>The distinct rows <c>{found, words...}</c> (little-endian u64s, all zero for a miss, which comes first) of
    /// a table search's ranges, and each range's row.</summary>
    public static (List<byte[]> Rows, int[] RowOf) Answers(MapSnapshot snapshot, IReadOnlyList<LpmRanges.Range> ranges, IReadOnlyList<int> words)
    {
        // A snapshot a cycle took over from the last one (its map unchanged) keeps its ranges (LpmRanges.Of, Eligibility)
        // and so its answers: a 100,000-prefix blocklist's took 2.5–5 ms a cycle.
        var known = AnswersCache.GetValue(snapshot, _ => []);
        lock (known)
        {
            foreach (var (r, w, answers) in known)
                if (ReferenceEquals(r, ranges) && w.SequenceEqual(words))
                    return answers;
            var made = Answers(snapshot.Entries, ranges, words);
            known.Add((ranges, [.. words], made));
            return made;
        }
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<MapSnapshot,
        List<(IReadOnlyList<LpmRanges.Range> Ranges, int[] Words, (List<byte[]> Rows, int[] RowOf) Answers)>> AnswersCache = new();

    /// <summary><see cref="Answers(MapSnapshot, IReadOnlyList{LpmRanges.Range}, IReadOnlyList{int})"/> over a map's entries.</summary>
    public static (List<byte[]> Rows, int[] RowOf) Answers(IReadOnlyList<(byte[] Key, byte[] Value)> entries, IReadOnlyList<LpmRanges.Range> ranges, IReadOnlyList<int> words)
    {
        var rows = new List<byte[]> { new byte[(words.Count + 1) * 8] };
        var index = new Dictionary<byte[], int>(Kecleon.Bpf.ByteKeyComparer.Instance) { [rows[0]] = 0 };
        // A blocklist's thousands of entries hold a few values: each value's row is made once.
        var byValue = new Dictionary<byte[], int>(Kecleon.Bpf.ByteKeyComparer.Instance);
        var rowOf = new int[ranges.Count];
        for (var r = 0; r < ranges.Count; r++)
        {
            if (ranges[r].Entry < 0)
                continue;
            var value = entries[ranges[r].Entry].Value;
            if (byValue.TryGetValue(value, out var known))
            {
                rowOf[r] = known;
                continue;
            }
            var row = new byte[(words.Count + 1) * 8];
            BinaryPrimitives.WriteUInt64LittleEndian(row, 1);
            for (var w = 0; w < words.Count; w++)
                BinaryPrimitives.WriteUInt64LittleEndian(row.AsSpan((1 + w) * 8), KeyLoader.Word(value, words[w]));
            if (!index.TryGetValue(row, out var at))
            {
                index[row] = at = rows.Count;
                rows.Add(row);
            }
            rowOf[r] = byValue[value] = at;
        }
        return (rows, rowOf);
    }
}
