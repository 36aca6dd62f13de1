using System.Buffers.Binary;
using Kecleon.Access;
using Kecleon.Bpf;
using Kecleon.Helpers;
using Kecleon.Llvm;
using Kecleon.Optimizer.Planning;
using Kecleon.Optimizer.Specialization;

namespace Kecleon.Optimizer.Passes;

/// <summary>
/// Table elimination with constant propagation into the uses. A lookup into a map the data plane never writes,
/// <code>
///   %p  = call i8* inttoptr (i64 1 ...)(i8* @nexthops, i8* %key)
///   %f  = getelementptr %struct.nexthop, %struct.nexthop* %q, i64 0, i32 3
///   %v  = load i32, i32* %f
///   %ok = icmp eq i8* %p, null
/// </code>
/// becomes a call to a generated always-inline function that decides on the key over the snapshot (a switch, a full-key
/// compare chain, or for an LPM table a tree of compares over address ranges, or past 64 ranges a search over constant
/// tables in .rodata) and returns <c>{found, value words}</c>, as constants but for the table search; keys it does not
/// cover fall through to the real lookup inside it:
/// <code>
///   %r  = call { i1, i64, i64, i64 } @kecleon.inline.nexthops.0(i8* %key)
///   %v  = trunc (lshr (extractvalue %r, 2), 32) to i32      ; was the load
///   %ok = xor (extractvalue %r, 0), true                     ; was the null check
/// </code>
/// LLVM's pipeline then inlines it and folds the constants into their uses; a lookup result used as another lookup's
/// key is copied to a stack slot so the next lookup folds too. Only sites whose result is used by loads, null checks,
/// map helpers' read-only arguments, <c>memcpy</c> sources and phis merging lookups into the same map are rewritten;
/// every other site, and every site the cost model refuses (see <see cref="InliningLimits"/>), is left alone and reported.
/// </summary>
public sealed class MapInliningPass : IModulePass
{
    public string Name => "map-inlining";

    internal abstract record ResultUse;
    internal sealed record LoadUse(LlvmInstruction Load, long Offset, int Bits) : ResultUse;
    internal sealed record NullCompareUse(LlvmInstruction Compare, bool IsEqual) : ResultUse;
    internal sealed record HelperArgumentUse(LlvmInstruction Call, int Argument, long Offset, int Size) : ResultUse;
    /// <summary><c>memcpy(dst, p + Offset, Size)</c>: the source becomes a stack copy of the words.</summary>
    internal sealed record MemcpySourceUse(LlvmInstruction Call, long Offset, int Size) : ResultUse;
    /// <summary>The pointer merges with other lookups' results (or null) in a phi.</summary>
    internal sealed record PhiUse(LlvmInstruction Phi) : ResultUse;

    /// <summary>A lookup site's call with the uses of its result.</summary>
    private sealed record Member(LlvmInstruction Call, List<ResultUse> Uses, List<LlvmInstruction> Derived);

    public void Run(LlvmModule module, PassContext context)
    {
        using var layout = LlvmDataLayout.Of(module);
        var definitions = context.Maps.ToDictionary(m => m.Name);
        var counter = 0;
        var sitesByCall = context.LookupSites.ToDictionary(s => s.Call.Value);
        var merged = new HashSet<LlvmValue>(); // calls already rewritten with the phi that merges them
        // Each site's answers become constants the code after it branches on: the verifier walks the program once per
        // combination of answers (the firewall's port and protocol bitsets made it give up at a million instructions).
        var combinations = 1L;
        foreach (var site in context.LookupSites)
        {
            context.Cancellation.ThrowIfCancellationRequested();
            if (merged.Contains(site.Call.Value))
                continue;
            var decision = context.Plan.For(site.Index);
            if (decision.WholeMapReason is { } refused)
            {
                context.Skip(Name, refused, site.Location);
                continue;
            }
            var mapName = decision.Map!;
            var snapshot = context.Request.Snapshots[mapName];
            var strategy = decision.Inlining!;
            var uses = new List<ResultUse>();
            var derived = new List<LlvmInstruction>();
            if (!TryCollectUses(site.Call.Value, 0, layout, definitions, uses, derived, out var why))
            {
                context.Skip(Name, new PlanReason(PlanReasonKind.ResultUseNotRewritable, mapName) { Detail = why }, site.Location);
                continue;
            }
            var members = new List<Member> { new(site.Call, uses, derived) };
            Member? phi = null;
            if (uses.OfType<PhiUse>().Select(u => u.Phi).Distinct().ToList() is { Count: > 0 } phis)
            {
                if (!TryCollectPhiGroup(phis, mapName, sitesByCall, layout, definitions, members, out phi, out why))
                {
                    context.Skip(Name, new PlanReason(PlanReasonKind.ResultUseNotRewritable, mapName) { Detail = why }, site.Location);
                    continue;
                }
            }
            var words = UsedWords([.. members.SelectMany(m => m.Uses), .. phi?.Uses ?? []]);
            if (words.Count > context.Request.Limits.MaxValueWords || words.Any(w => w * 8 >= snapshot.ValueSize))
            {
                context.Skip(Name, new PlanReason(PlanReasonKind.ValueTooWide, mapName), site.Location);
                continue;
            }
            var answers = Eligibility.DistinctAnswers(snapshot, strategy);
            // Too many constant answers for the code after the site, but a small key: the answers stay in a .rodata table
            // (loaded, not folded), found by a search that is one path for the verifier.
            if (combinations * answers > context.Request.Limits.MaxAnswerCombinations && Eligibility.KeyTable(snapshot) is { } table)
            {
                strategy = table;
                answers = 1;
            }
            // A table search's distinct rows: made once, for the cost model and the tables.
            var tableAnswers = strategy.AsTable ? Answers(snapshot, strategy.Ranges, words) : default;
            if (strategy.Plan is { } plan && plan.TableBytes(words.Count, tableAnswers.Rows.Count) is var bytes
                && bytes > context.Request.Limits.MaxTableBytes)
            {
                context.Skip(Name, new PlanReason(PlanReasonKind.TableTooLarge, mapName) { Count = bytes, Limit = context.Request.Limits.MaxTableBytes }, site.Location);
                continue;
            }
            if (combinations * answers > context.Request.Limits.MaxAnswerCombinations)
            {
                context.Skip(Name, new PlanReason(PlanReasonKind.TooManyCombinations, mapName)
                {
                    Count = answers, Combinations = combinations * answers, Limit = context.Request.Limits.MaxAnswerCombinations,
                }, site.Location);
                continue;
            }
            combinations *= answers;
            var function = BuildDecisionFunction(module, site.Call, snapshot, strategy, tableAnswers, words, context.Request.Limits, counter++, site.Key?.Fields);
            var results = members.ToDictionary(m => m.Call.Value, m => RewriteSite(module, m, function, words));
            if (phi is not null)
            {
                RewritePhi(module, phi, function, words, results);
                foreach (var member in members)
                {
                    member.Call.EraseFromParent();
                    merged.Add(member.Call.Value);
                }
            }
            context.SpecializedMaps.Add(mapName);
            foreach (var member in members)
                context.RewrittenSites.Add(sitesByCall[member.Call.Value].Index);
            context.Step(Name, strategy.Kind switch
            {
                StrategyKind.Lpm => $"{mapName}: {snapshot.Entries.Count} prefixes as a {(strategy.AsTable ? "search over a .rodata table of" : "binary search over")} {strategy.Ranges.Count} address ranges",
                StrategyKind.KeyTable => $"{mapName}: {snapshot.Entries.Count} entries as a search over a .rodata table of their {snapshot.KeySize}-byte keys ({strategy.Ranges.Count} ranges; the values are loaded from it, not folded)",
                _ => $"{mapName}: {snapshot.Entries.Count} entries as a {(snapshot.KeySize <= 8 ? "switch" : "full-key compare tree")}{(Eligibility.IsComplete(snapshot) ? "" : " (other keys: kernel lookup)")}"
            } + (members.Count > 1 ? $", {members.Count} lookups merged through a phi" : ""),
                site.Location);
        }
    }

    // ---- Which uses the result pointer has ------------------------------------------------------------------------

    internal static bool TryCollectUses(LlvmValue pointer, long offset, LlvmDataLayout layout, Dictionary<string, Maps.MapDefinition> maps,
        List<ResultUse> uses, List<LlvmInstruction> derived, out string why)
    {
        why = "";
        foreach (var user in pointer.Users.Distinct().ToList())
        {
            if (!user.IsInstruction)
            {
                why = "is used by a constant expression";
                return false;
            }
            var instruction = user.AsInstruction();
            switch (instruction.Opcode)
            {
                case LlvmOpcode.BitCast:
                    derived.Add(instruction);
                    if (!TryCollectUses(user, offset, layout, maps, uses, derived, out why))
                        return false;
                    break;
                case LlvmOpcode.GetElementPtr when instruction.Operand(0) == pointer && TryConstantOffset(instruction, layout, out var delta):
                    derived.Add(instruction);
                    if (!TryCollectUses(user, offset + delta, layout, maps, uses, derived, out why))
                        return false;
                    break;
                case LlvmOpcode.Load when !instruction.IsVolatile && instruction.Type.Kind == LlvmTypeKind.Integer
                                          && instruction.Type.IntWidth is 8 or 16 or 32 or 64:
                    var bits = instruction.Type.IntWidth;
                    if (offset % 8 * 8 + bits > 64)
                    {
                        why = "is loaded across a 64-bit word boundary";
                        return false;
                    }
                    uses.Add(new LoadUse(instruction, offset, bits));
                    break;
                case LlvmOpcode.ICmp when offset == 0 && instruction.IntPredicate is LlvmIntPredicate.Eq or LlvmIntPredicate.Ne
                                          && OtherOperand(instruction, pointer).IsNullValue:
                    uses.Add(new NullCompareUse(instruction, instruction.IntPredicate == LlvmIntPredicate.Eq));
                    break;
                case LlvmOpcode.Call when TryReadOnlyHelperArgument(instruction, pointer, maps, out var argument, out var size)
                                          && offset % 8 == 0:
                    uses.Add(new HelperArgumentUse(instruction, argument, offset, size));
                    break;
                case LlvmOpcode.Call when IsMemcpySource(instruction, pointer, out var length):
                    uses.Add(new MemcpySourceUse(instruction, offset, length));
                    break;
                case LlvmOpcode.Phi when offset == 0 && derived.Count == 0:
                    uses.Add(new PhiUse(instruction));
                    break;
                default:
                    why = $"is used by '{instruction.Opcode}'";
                    return false;
            }
        }
        return true;
    }

    private static LlvmValue OtherOperand(LlvmInstruction compare, LlvmValue pointer) =>
        compare.Operand(0) == pointer ? compare.Operand(1) : compare.Operand(0);

    /// <summary><c>llvm.memcpy(dst, pointer, constant length, not volatile)</c> reading from the value.</summary>
    private static bool IsMemcpySource(LlvmInstruction call, LlvmValue pointer, out int length)
    {
        length = 0;
        var callee = call.CalledValue;
        if (!callee.IsFunction || !callee.Name.StartsWith("llvm.memcpy.", StringComparison.Ordinal) || call.ArgumentCount < 4)
            return false;
        if (call.Argument(1) != pointer || call.Argument(0) == pointer || !call.Argument(2).IsConstantInt
            || !call.Argument(3).IsConstantInt || call.Argument(3).ZExtValue != 0)
            return false;
        length = (int)call.Argument(2).ZExtValue;
        return length is > 0 and <= 256;
    }

    /// <summary>
    /// Lookups into the same map whose results a phi merges (the balancer's "exact VIP, else the any-port VIP"):
    /// <code>
    ///   %vip = phi i8* [ %p1, %entry ], [ %p2, %retry ], [ null, %other ]
    /// </code>
    /// are rewritten together: each lookup becomes its <c>{found, words}</c>, and the phi a phi of those (a miss for null).
    /// Every incoming value must be such a lookup or null, and the phi's own uses must be ones a lookup may have.
    /// </summary>
    private static bool TryCollectPhiGroup(List<LlvmInstruction> phis, string mapName, Dictionary<LlvmValue, HelperCallSite> sitesByCall,
        LlvmDataLayout layout, Dictionary<string, Maps.MapDefinition> maps, List<Member> members, out Member? phiMember, out string why)
    {
        phiMember = null;
        if (phis.Count != 1)
        {
            why = "is merged by several phis";
            return false;
        }
        var phi = phis[0];
        for (var i = 0; i < phi.IncomingCount; i++)
        {
            var (value, _) = phi.Incoming(i);
            if (value.IsNullValue || members.Any(m => m.Call.Value == value))
                continue;
            if (!sitesByCall.TryGetValue(value, out var other) || other.Maps.Count != 1 || other.Maps[0].Name != mapName
                || other.InnerMapOf is not null)
            {
                why = "is merged by a phi with a value that is not a lookup in the same map";
                return false;
            }
            var uses = new List<ResultUse>();
            var derived = new List<LlvmInstruction>();
            if (!TryCollectUses(value, 0, layout, maps, uses, derived, out why))
                return false;
            if (uses.OfType<PhiUse>().Any(u => u.Phi != phi))
            {
                why = "is merged by several phis";
                return false;
            }
            members.Add(new Member(value.AsInstruction(), uses, derived));
        }
        var phiUses = new List<ResultUse>();
        var phiDerived = new List<LlvmInstruction>();
        if (!TryCollectUses(phi.Value, 0, layout, maps, phiUses, phiDerived, out why))
        {
            why = $"is merged by a phi whose result {why}";
            return false;
        }
        if (phiUses.OfType<PhiUse>().Any())
        {
            why = "is merged by phis of phis";
            return false;
        }
        phiMember = new Member(phi, phiUses, phiDerived);
        return true;
    }

    /// <summary>The key of a lookup/update/delete, or the value of an update: arguments the helper only reads.</summary>
    private static bool TryReadOnlyHelperArgument(LlvmInstruction call, LlvmValue pointer, Dictionary<string, Maps.MapDefinition> maps,
        out int argument, out int size)
    {
        argument = -1;
        size = 0;
        if (!HelperCalls.TryGetHelper(call, out var helper) || helper.Id is not (1 or 2 or 3))
            return false;
        for (var i = 1; i < call.ArgumentCount; i++)
            if (call.Argument(i) == pointer)
                argument = i;
        if (argument < 0 || MapNameOf(call.Argument(0)) is not { } name || !maps.TryGetValue(name, out var map))
            return false;
        size = argument == 2 ? map.ValueSize : map.KeySize;
        return size > 0;
    }

    private static string? MapNameOf(LlvmValue mapArgument)
    {
        var value = mapArgument;
        while (value.IsConstantExpression && value.ConstantOpcode == LlvmOpcode.BitCast)
            value = value.Operand(0);
        return value.IsGlobalVariable ? value.Name : null;
    }

    private static bool TryConstantOffset(LlvmInstruction gep, LlvmDataLayout layout, out long offset)
    {
        offset = 0;
        var type = gep.GepSourceElementType;
        for (var i = 1; i < gep.OperandCount; i++)
        {
            var index = gep.Operand(i);
            if (!index.IsConstantInt)
                return false;
            var n = index.SExtValue;
            if (i == 1)
            {
                offset += n * layout.SizeOf(type);
                continue;
            }
            switch (type.Kind)
            {
                case LlvmTypeKind.Struct:
                    offset += layout.OffsetOf(type, (int)n);
                    type = type.StructElement((int)n);
                    break;
                case LlvmTypeKind.Array:
                    type = type.ElementType;
                    offset += n * layout.SizeOf(type);
                    break;
                default:
                    return false;
            }
        }
        return true;
    }

    internal static List<int> UsedWords(List<ResultUse> uses)
    {
        var words = new SortedSet<int>();
        foreach (var use in uses)
        {
            switch (use)
            {
                case LoadUse load:
                    words.Add((int)(load.Offset / 8));
                    break;
                case HelperArgumentUse argument:
                    for (var b = argument.Offset; b < argument.Offset + argument.Size; b += 8)
                        words.Add((int)(b / 8));
                    break;
                case MemcpySourceUse copy:
                    for (var w = copy.Offset / 8; w <= (copy.Offset + copy.Size - 1) / 8; w++)
                        words.Add((int)w);
                    break;
            }
        }
        return [.. words];
    }

    // ---- The decision function -------------------------------------------------------------------------------------

    /// <param name="tableAnswers">For a table search, its distinct rows and each range's (<see cref="Answers"/>).</param>
    /// <param name="keyFields">How the program wrote the key, when it is on the stack (<see cref="LoadKey"/>).</param>
    private static LlvmFunction BuildDecisionFunction(LlvmModule module, LlvmInstruction lookup, MapSnapshot snapshot,
        Strategy strategy, (List<byte[]> Rows, int[] RowOf) tableAnswers, List<int> words, InliningLimits limits, int index,
        IReadOnlyList<KeyField>? keyFields)
    {
        var context = module.Context;
        var i8Ptr = context.Int8.PointerTo();
        var resultType = context.Struct([context.Int1, .. words.Select(_ => context.Int64)]);
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
            leafBuilder.Ret(context.ConstStruct([context.Int1.ConstInt(1), .. words.Select(w => context.Int64.ConstInt(Word(value, w)))]));
            leaves[id] = block;
            return block;
        }

        builder.PositionAtEnd(miss);
        builder.Ret(context.ConstStruct([context.Int1.ConstInt(0), .. words.Select(_ => context.Int64.ConstInt(0))]));

        // Keys the snapshot does not answer: the kernel's own lookup, its value read into the same words.
        EmitKernelLookup(context, builder, function, fallback, miss, lookup, key, snapshot, words, resultType);

        builder.PositionAtEnd(entry);
        // An LPM search reads the key's two fields itself.
        var chunks = strategy.Kind == StrategyKind.Lpm ? [] : LoadKey(builder, key, snapshot.KeySize, keyFields);
        var notInlined = Eligibility.IsComplete(snapshot) ? miss : fallback;
        if (strategy.Kind == StrategyKind.KeyTable)
        {
            var keyWord = chunks[0].Type.IntWidth == 32 ? chunks[0] : builder.ZExt(chunks[0], context.Int32, "key32");
            // Branch-free: a key table stands in for several constant answers at a site that already made many paths.
            EmitRangeTableSearch(module, builder, keyWord, tableAnswers, strategy.Ranges, strategy.Plan!, words, 0, $"kecleon.keys.{snapshot.Name}.{index}");
        }
        else if (strategy.Kind == StrategyKind.Lpm)
            EmitLpmSearch(module, builder, function, key, snapshot, strategy, tableAnswers, words, Leaf, miss, fallback, limits.MaxBranchingSearchSteps, index);
        else if (snapshot.KeySize <= 8)
            EmitSwitch(builder, chunks[0], snapshot.Entries.Select(e => (Chunks(e.Key)[0], Leaf(e.Value))), notInlined);
        else
            EmitCompareTree(builder, function, chunks, snapshot, Leaf, notInlined);
        return function;
    }

    /// <summary>In <paramref name="at"/>: the kernel's own lookup with <paramref name="key"/>; a hit returns the value's
    /// <paramref name="words"/> as a decision result, a miss goes to <paramref name="miss"/>.</summary>
    internal static void EmitKernelLookup(LlvmContext context, LlvmBuilder builder, LlvmFunction function, LlvmBasicBlock at, LlvmBasicBlock miss,
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

    /// <summary>
    /// The key as integers of at most 64 bits, little-endian, as it lies in memory. With the fields the program wrote it
    /// in (<see cref="KeyOrigin.Fields"/> of a key on the stack), each field is loaded by itself (in naturally aligned
    /// pieces) and the words are put together in registers: inlined, LLVM then forwards the program's own stores, and
    /// what stays a load reads what one store wrote. One wide load over several narrower stores is a failed
    /// store-to-load forwarding in the JIT's x86 code (the switch's 8-byte MAC and VLAN key is stored as 4 + 2 + 2 bytes
    /// just before its lookups).
    /// </summary>
    internal static List<LlvmValue> LoadKey(LlvmBuilder builder, LlvmValue key, int size, IReadOnlyList<KeyField>? fields = null)
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
    internal static IEnumerable<(int At, int Bytes)> Pieces(int from, int to, SortedSet<int> cuts)
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

    internal static ulong[] Chunks(byte[] key)
    {
        var chunks = new ulong[(key.Length + 7) / 8];
        for (var i = 0; i < chunks.Length; i++)
            chunks[i] = Word(key, i);
        return chunks;
    }

    internal static ulong Word(byte[] value, int word)
    {
        Span<byte> bytes = stackalloc byte[8];
        bytes.Clear();
        if (word * 8 < value.Length)
            value.AsSpan(word * 8, Math.Min(8, value.Length - word * 8)).CopyTo(bytes);
        return BinaryPrimitives.ReadUInt64LittleEndian(bytes);
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
        var groups = snapshot.Entries.GroupBy(e => Chunks(e.Key)[0]).ToList();
        var cases = new List<(ulong, LlvmBasicBlock)>();
        foreach (var group in groups)
        {
            var block = function.AppendBlock(context, "first_word");
            cases.Add((group.Key, block));
            foreach (var (key, value) in group)
            {
                builder.PositionAtEnd(block);
                var expected = Chunks(key);
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

    /// <summary>
    /// An IPv4 LPM lookup whose key asks for a /32 becomes a search over the table's disjoint address ranges: a tree of
    /// compares for a small table, a table search for a large one (<see cref="EmitRangeTableSearch"/>). Keys asking for
    /// another prefix length go to the kernel (its semantics for them are kept, not re-derived).
    /// </summary>
    private static void EmitLpmSearch(LlvmModule module, LlvmBuilder builder, LlvmFunction function, LlvmValue key,
        MapSnapshot snapshot, Strategy strategy, (List<byte[]> Rows, int[] RowOf) tableAnswers, List<int> words, Func<byte[], LlvmBasicBlock> leaf, LlvmBasicBlock miss,
        LlvmBasicBlock fallback, int maxBranchingSteps, int index)
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
    private static void EmitRangeTableSearch(LlvmModule module, LlvmBuilder builder, LlvmValue address, (List<byte[]> Rows, int[] RowOf) tableAnswers,
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
        LlvmValue Element(LlvmValue table, LlvmType type, LlvmValue index, string label) =>
            builder.Load(type, builder.Gep(type, builder.BitCast(table, type.PointerTo()), [index]), label);
        LlvmValue EntryWord(LlvmValue entry, ulong word, string label) =>
            builder.ZExt(Element(entryTable, context.Int32, builder.Add(builder.Shl(entry, context.Int64.ConstInt(1)), context.Int64.ConstInt(word)), label), context.Int64);

        var address64 = builder.ZExt(address, context.Int64, "addr64");
        LlvmValue low = context.Int64.ConstInt(0);
        if (plan.BucketBits > 0)
        {
            var narrow = plan.BucketBytes == 2;
            var bases = new byte[(1 << plan.BucketBits) * plan.BucketBytes];
            for (var bucket = 0; bucket < 1 << plan.BucketBits; bucket++)
                if (narrow)
                    BinaryPrimitives.WriteUInt16LittleEndian(bases.AsSpan(bucket * 2), (ushort)plan.Bases[bucket]);
                else
                    BinaryPrimitives.WriteUInt32LittleEndian(bases.AsSpan(bucket * 4), (uint)plan.Bases[bucket]);
            var baseTable = module.AddConstantBytes(context, $"{name}.buckets", bases, ".rodata", 8);
            // The mask is for the verifier, which does not know that a byte-swapped word has 32 bits.
            var bucketIndex = builder.And(builder.Opaque(builder.LShr(address64, context.Int64.ConstInt((ulong)(32 - plan.BucketBits)))),
                context.Int64.ConstInt((1UL << plan.BucketBits) - 1), "bucket");
            var first = builder.ZExt(Element(baseTable, narrow ? context.Int16 : context.Int32, bucketIndex, "base"), context.Int64);
            low = builder.And(builder.Opaque(first), context.Int64.ConstInt((1UL << plan.IndexBits) - 1), "lo");
        }
        for (var step = plan.Steps - 1; step >= 0; step--)
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
    internal static (List<byte[]> Rows, int[] RowOf) Answers(MapSnapshot snapshot, IReadOnlyList<LpmRanges.Range> ranges, IReadOnlyList<int> words)
    {
        var rows = new List<byte[]> { new byte[(words.Count + 1) * 8] };
        var index = new Dictionary<string, int> { [Convert.ToHexString(rows[0])] = 0 };
        var rowOf = new int[ranges.Count];
        for (var r = 0; r < ranges.Count; r++)
        {
            if (ranges[r].Entry < 0)
                continue;
            var row = new byte[(words.Count + 1) * 8];
            var value = snapshot.Entries[ranges[r].Entry].Value;
            BinaryPrimitives.WriteUInt64LittleEndian(row, 1);
            for (var w = 0; w < words.Count; w++)
                BinaryPrimitives.WriteUInt64LittleEndian(row.AsSpan((1 + w) * 8), Word(value, words[w]));
            var key = Convert.ToHexString(row);
            if (!index.TryGetValue(key, out var at))
            {
                index[key] = at = rows.Count;
                rows.Add(row);
            }
            rowOf[r] = at;
        }
        return (rows, rowOf);
    }

    // ---- The call site ----------------------------------------------------------------------------------------------

    /// <summary>Replaces the lookup's uses (all but a merging phi) with the decision function's answer, and returns that
    /// answer. The lookup itself goes once nothing uses it.</summary>
    private static LlvmValue RewriteSite(LlvmModule module, Member site, LlvmFunction decision, List<int> words)
    {
        using var builder = new LlvmBuilder(module.Context);
        builder.PositionBefore(site.Call);
        var result = builder.Call(decision.FunctionType, decision.Value, [site.Call.Argument(1)], "inlined");
        RewriteUses(builder, site.Call.Block.Parent, result, words, site.Uses, site.Derived);
        if (!site.Call.Value.Users.Any())
            site.Call.EraseFromParent();
        return result;
    }

    /// <summary>The phi of pointers becomes a phi of answers (a constant miss where it merged null).</summary>
    private static void RewritePhi(LlvmModule module, Member phi, LlvmFunction decision, List<int> words, Dictionary<LlvmValue, LlvmValue> results)
    {
        var context = module.Context;
        var block = phi.Call.Block;
        using var builder = new LlvmBuilder(context);
        builder.PositionBefore(block.FirstInstruction!.Value);
        var resultType = decision.FunctionType.ReturnType;
        var answers = builder.Phi(resultType, "inlined.merged");
        var miss = context.ConstStruct([context.Int1.ConstInt(0), .. words.Select(_ => context.Int64.ConstInt(0))]);
        for (var i = 0; i < phi.Call.IncomingCount; i++)
        {
            var (value, from) = phi.Call.Incoming(i);
            LlvmBuilder.AddIncoming(answers, value.IsNullValue ? miss : results[value], from);
        }
        builder.PositionBefore(block.Instructions.First(i => i.Opcode != LlvmOpcode.Phi));
        RewriteUses(builder, block.Parent, answers.Value, words, phi.Uses, phi.Derived);
        phi.Call.EraseFromParent();
    }

    internal static void RewriteUses(LlvmBuilder builder, LlvmFunction function, LlvmValue result, List<int> words, List<ResultUse> uses,
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
                derived[i].EraseFromParent();
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
