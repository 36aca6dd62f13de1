using System.Buffers.Binary;
using Kecleon.Access;
using Kecleon.Bpf;
using Kecleon.Helpers;
using Kecleon.Instrumentation.Profiles;
using Kecleon.Instrumentation.Profiling;
using Kecleon.Llvm;
using Kecleon.Optimizer.Guards;
using Kecleon.Optimizer.Specialization;

namespace Kecleon.Optimizer.Passes;

/// <summary>
/// Hot-key fast path. At a lookup the whole-map inliner left alone (a map too large to become code, or an LPM table with
/// too many ranges), the profile's hottest keys are compared in full and answered with their current values as
/// constants; every other key asks the kernel as before:
/// <code>
///   %p = call i8* inttoptr (i64 1 ...)(i8* @ch_rings, i8* %key)
///   %v = load i32, i32* %q
/// </code>
/// becomes
/// <code>
///   %r = call { i1, i64 } @kecleon.hot.ch_rings.0(i8* %key)   ; switch (key) { hot0: {1, v0}; hot1: ...; default: kernel lookup }
///   %v = trunc (extractvalue %r, 1) to i32
/// </code>
/// An LPM key is compared whole (prefix length word included, as the program builds it) and answered with the value of
/// its longest matching prefix in the snapshot; a hot key the map does not hold is a constant miss. The map joins
/// <see cref="PassContext.SpecializedMaps"/>, so the guard pass guards it like any other specialization. A result used
/// some other way but only read (through a phi, say) gets pointers to constant copies of the hot values instead. A map
/// the data plane itself writes is taken when the profile says its writes are rare: each lookup re-checks its version
/// and each of the program's writes bumps it first (see docs/pgo.md). The cost model
/// takes keys hottest first, at most <see cref="InliningLimits.MaxHotKeys"/> (<see cref="InliningLimits.MaxHotKeysOneWord"/>
/// for keys of up to 8 bytes), while each adds at least <see cref="InliningLimits.MinHotKeyGain"/> of the site's lookups;
/// from <see cref="InliningLimits.MinHashedHotKeys"/> keys on they are a hash table in .rodata (up to
/// <see cref="InliningLimits.MaxHashedHotKeys"/>, values loaded) instead of a tree of compares (values as constants).
/// </summary>
public sealed class HotKeyPass : IModulePass
{
    public string Name => "hot-keys";

    public void Run(LlvmModule module, PassContext context)
    {
        if (context.Request.Profile is not { } profile)
            return;
        using var layout = LlvmDataLayout.Of(module);
        var accessOf = context.MapAccess.ToDictionary(m => m.Map.Name, m => m.Access);
        var definitions = context.Maps.ToDictionary(m => m.Name);
        var rarelyWritten = RarelyWrittenMaps(context, profile, accessOf);
        var wroteFlags = new Dictionary<(LlvmFunction Function, string Map), LlvmValue>();
        var counter = 0;
        foreach (var site in context.LookupSites)
        {
            context.Cancellation.ThrowIfCancellationRequested();
            // Sites the whole-map inliner rewrote (some merged into another site's step through a phi) are gone.
            if (profile.Site(site.Index) is not { Keys.Count: > 0 } siteProfile || context.RewrittenSites.Contains(site.Index))
                continue;
            if (!IsEligible(site, context, accessOf, rarelyWritten, out var snapshot, out var why))
            {
                context.Skip(Name, why, site.Location);
                continue;
            }
            var uses = new List<MapInliningPass.ResultUse>();
            var derived = new List<LlvmInstruction>();
            var collected = MapInliningPass.TryCollectUses(site.Call.Value, 0, layout, definitions, uses, derived, out why);
            if (collected && uses.OfType<MapInliningPass.PhiUse>().Any())
                (collected, why) = (false, "merges with other lookups' results through a phi");
            // Enough hot keys for a hash table take more of them (a hit costs the same however many); else a tree. A
            // result read through a pointer (constant copies) is always a tree.
            var hot = collected ? ChooseKeys(siteProfile, snapshot.KeySize, context.Request.Limits, hashed: true) : [];
            var hashed = hot.Count >= context.Request.Limits.MinHashedHotKeys;
            if (!hashed)
                hot = ChooseKeys(siteProfile, snapshot.KeySize, context.Request.Limits);
            if (hot.Count == 0)
            {
                context.Skip(Name, $"{snapshot.Name}: no profiled key is worth a compare", site.Location);
                continue;
            }
            if (siteProfile.Coverage(hot.Count) < context.Request.Limits.MinHotCoverage)
            {
                context.Skip(Name, $"{snapshot.Name}: the {hot.Count} hottest keys cover {siteProfile.Coverage(hot.Count):P0} of the lookups, " +
                                   $"under the {context.Request.Limits.MinHotCoverage:P0} the cost model asks", site.Location);
                continue;
            }
            var answers = hot.Select(k => (k.Key, Value: Answer(snapshot, k.Key))).ToList();
            // The entry guard covers writes before the packet; only the program's own write earlier in this very
            // packet needs a second look. When every such write is in the lookup's own function, a per-packet flag the
            // writes set says it (LLVM folds it away on the paths where no write ran); else the version is read again.
            var earlierWrites = rarelyWritten.TryGetValue(snapshot.Name, out var writes) ? writes.Where(w => MayRunBefore(w.Call, site.Call)).ToList() : [];
            var recheck = earlierWrites.Count == 0 ? Recheck.None
                : earlierWrites.All(w => w.Call.Block.Parent == site.Call.Block.Parent) ? Recheck.WriteFlag : Recheck.Version;
            LlvmValue? wrote = recheck == Recheck.WriteFlag ? WroteFlag(module, wroteFlags, site.Call.Block.Parent, snapshot.Name) : null;
            string how;
            if (collected)
            {
                var words = MapInliningPass.UsedWords(uses);
                if (words.Count > context.Request.Limits.MaxValueWords || words.Any(w => w * 8 >= snapshot.ValueSize))
                {
                    context.Skip(Name, $"the uses of {snapshot.Name}'s value span too many words", site.Location);
                    continue;
                }
                if (recheck == Recheck.Version)
                    GuardPrelude.EnsureLinked(module, context.Request.Guards);
                var function = BuildDecisionFunction(module, site.Call, snapshot, answers, words, recheck, hashed, counter++, site.Key?.Fields);
                using var builder = new LlvmBuilder(module.Context);
                builder.PositionBefore(site.Call);
                var result = builder.Call(function.FunctionType, function.Value, Arguments(builder, site.Call, wrote), "hot");
                InstrumentationPass.CarrySiteTag(module.Context, site.Call, result.AsInstruction());
                MapInliningPass.RewriteUses(builder, site.Function, result, words, uses, derived);
                if (!site.Call.Value.Users.Any())
                    site.Call.EraseFromParent();
                how = hashed ? "found by a hash of the key in a .rodata table, values loaded from it" : "values as constants";
            }
            else if (site.ResultAccess == MapAccess.ReadOnly)
            {
                // Used some other way, but only read: a pointer to a constant copy serves every use.
                if (recheck == Recheck.Version)
                    GuardPrelude.EnsureLinked(module, context.Request.Guards);
                var function = BuildPointerFunction(module, site.Call, snapshot, answers, recheck, counter++, site.Key?.Fields);
                using var builder = new LlvmBuilder(module.Context);
                builder.PositionBefore(site.Call);
                var pointer = builder.Call(function.FunctionType, function.Value, Arguments(builder, site.Call, wrote), "hot");
                InstrumentationPass.CarrySiteTag(module.Context, site.Call, pointer.AsInstruction());
                site.Call.Value.ReplaceAllUsesWith(pointer);
                site.Call.EraseFromParent();
                how = $"values as constant copies in .rodata (the result {why})";
            }
            else
            {
                context.Skip(Name, $"result of the lookup in {snapshot.Name} {why}", site.Location);
                continue;
            }
            context.SpecializedMaps.Add(snapshot.Name);
            context.RewrittenSites.Add(site.Index);
            context.Step(Name, $"{snapshot.Name}: {hot.Count} hot keys ({siteProfile.Coverage(hot.Count):P0} of the profiled lookups, " +
                               $"{answers.Count(a => a.Value is null)} of them misses) compared before the kernel lookup, {how}" +
                               recheck switch
                               {
                                   Recheck.Version => "; its version checked at the lookup too (the data plane writes it)",
                                   Recheck.WriteFlag => "; the kernel's answer after the program's own write to it in the same packet",
                                   _ => "",
                               }, site.Location);
        }
        foreach (var (map, writes) in rarelyWritten.Where(m => context.SpecializedMaps.Contains(m.Key)))
            BumpAtWrites(module, context, context.Request.SnapshotOf(map), writes, wroteFlags);
    }

    /// <summary>How a hot-key lookup learns that the program itself wrote the map earlier in the same packet.</summary>
    private enum Recheck { None, Version, WriteFlag }

    /// <summary>The hot-key function's arguments: the key, and for <see cref="Recheck.WriteFlag"/> the flag's value.</summary>
    private static LlvmValue[] Arguments(LlvmBuilder builder, LlvmInstruction lookup, LlvmValue? wrote) =>
        wrote is { } flag ? [lookup.Argument(1), builder.Load(builder.Context.Int1, flag, "wrote")] : [lookup.Argument(1)];

    /// <summary>The per-packet "this function wrote <paramref name="map"/>" flag: a stack slot cleared at the function's
    /// entry and set before each of its writes (<see cref="BumpAtWrites"/>); SROA makes it a value.</summary>
    private static LlvmValue WroteFlag(LlvmModule module, Dictionary<(LlvmFunction Function, string Map), LlvmValue> flags, LlvmFunction function, string map)
    {
        if (flags.TryGetValue((function, map), out var flag))
            return flag;
        var context = module.Context;
        using var builder = new LlvmBuilder(context);
        builder.PositionBefore(function.EntryBlock.FirstInstruction!.Value);
        flag = builder.Alloca(context.Int1, $"kecleon.wrote.{map}");
        builder.Store(context.Int1.ConstInt(0), flag);
        return flags[(function, map)] = flag;
    }

    /// <summary>Before each of the program's own writes to a rarely written specialized map, its guard version moves on:
    /// every later packet then ignores the stale constants. This packet's later lookups see the write through the
    /// function's flag (set here too) or by reading the version again.</summary>
    private void BumpAtWrites(LlvmModule module, PassContext context, MapSnapshot snapshot, IReadOnlyList<HelperCallSite> writes,
        Dictionary<(LlvmFunction Function, string Map), LlvmValue> wroteFlags)
    {
        GuardPrelude.EnsureLinked(module, context.Request.Guards);
        var bump = module.GetFunction(GuardPrelude.BumpFunction)!.Value;
        using var builder = new LlvmBuilder(module.Context);
        foreach (var write in writes)
        {
            builder.PositionBefore(write.Call);
            builder.DebugLocation = write.Call.RawDebugLocation;
            if (wroteFlags.TryGetValue((write.Call.Block.Parent, snapshot.Name), out var flag))
                builder.Store(module.Context.Int1.ConstInt(1), flag);
            builder.Call(bump.FunctionType, bump.Value, [module.Context.Int32.ConstInt((ulong)snapshot.GuardSlot)]);
            context.Step(Name, $"{snapshot.Name}: the program's own {write.Helper.Name} bumps its guard version first", write.Location);
        }
    }

    /// <summary>Can <paramref name="first"/> run before <paramref name="then"/> in the same packet? Earlier in the same
    /// block, or in a block from which <paramref name="then"/>'s block is reachable; calls in different functions: yes.</summary>
    private static bool MayRunBefore(LlvmInstruction first, LlvmInstruction then)
    {
        var (from, to) = (first.Block, then.Block);
        if (from.Parent != to.Parent)
            return true;
        if (from == to)
        {
            var thenComesFirst = false;
            for (var i = first.Previous; i is { } previous && !thenComesFirst; i = previous.Previous)
                thenComesFirst = previous == then;
            if (!thenComesFirst)
                return true;
            // Otherwise `then` runs again after `first` only through a loop back to this block.
        }
        var seen = new HashSet<LlvmBasicBlock>();
        var work = new Stack<LlvmBasicBlock>(from.Terminator?.Successors ?? []);
        while (work.TryPop(out var block))
        {
            if (block == to)
                return true;
            if (seen.Add(block))
                foreach (var next in block.Terminator?.Successors ?? [])
                    work.Push(next);
        }
        return false;
    }

    /// <summary>
    /// Maps the data plane writes, but rarely: every write is an update or delete helper call on that map alone (no store
    /// through a looked-up pointer, no other writing helper), and by the profile's branch counts those calls together run
    /// for at most <see cref="InliningLimits.MaxDataPlaneWriteRate"/> of the packets. Returned with their write sites.
    /// </summary>
    private Dictionary<string, IReadOnlyList<HelperCallSite>> RarelyWrittenMaps(PassContext context, Profile profile,
        Dictionary<string, MapAccess> accessOf)
    {
        var result = new Dictionary<string, IReadOnlyList<HelperCallSite>>();
        if (profile.Packets == 0)
            return result;
        var frequencies = new BlockFrequencies(profile);
        foreach (var (map, _) in accessOf.Where(a => a.Value == MapAccess.Written))
        {
            var sites = context.HelperSites.Where(s => s.Maps.Any(m => m.Name == map)).ToList();
            if (sites.Any(s => s.Maps.Count != 1 || s.InnerMapOf is not null
                               || !(s.IsLookup ? s.ResultAccess == MapAccess.ReadOnly : s.Helper.Id is BpfHelpers.MapUpdateElem or BpfHelpers.MapDeleteElem)))
                continue;
            var writes = sites.Where(s => !s.IsLookup).ToList();
            var runs = writes.Select(w => frequencies.Of(w.Call.Block)).ToList();
            if (writes.Count == 0 || runs.Any(r => r is null))
            {
                context.Skip(Name, $"{map} is written by the data plane and the profile cannot say how often", map);
                continue;
            }
            var rate = runs.Sum(r => r!.Value) / profile.Packets;
            if (rate > context.Request.Limits.MaxDataPlaneWriteRate)
            {
                context.Skip(Name, $"{map} is written by the data plane for {rate:P1} of the packets, over the {context.Request.Limits.MaxDataPlaneWriteRate:P1} the cost model allows", map);
                continue;
            }
            result[map] = writes;
        }
        return result;
    }

    /// <summary>How often a block ran, from the profile's branch counts: the sum over its incoming edges (a conditional
    /// edge's count, or an unconditional predecessor's own frequency); a program entry runs once per packet. Null when
    /// some edge has no count.</summary>
    private sealed class BlockFrequencies(Profile profile)
    {
        private readonly Dictionary<(string, int), BranchProfile> _branches =
            profile.Branches.GroupBy(b => (b.Function, b.Block)).ToDictionary(g => g.Key, g => g.First());
        private readonly Dictionary<LlvmFunction, (List<LlvmBasicBlock> Blocks, ILookup<LlvmBasicBlock, LlvmBasicBlock> Predecessors)> _functions = [];

        public double? Of(LlvmBasicBlock block, int depth = 0)
        {
            var function = block.Parent;
            if (!_functions.TryGetValue(function, out var shape))
            {
                var blocks = function.Blocks.ToList();
                shape = (blocks, blocks.SelectMany(b => b.Terminator?.Successors.Select(s => (From: b, To: s)) ?? []).ToLookup(e => e.To, e => e.From));
                _functions[function] = shape;
            }
            if (block == shape.Blocks[0])
                return function.Name == profile.Program ? profile.Packets : null;
            if (depth > 16)
                return null;
            var sum = 0.0;
            foreach (var from in shape.Predecessors[block].Distinct())
            {
                var terminator = from.Terminator!.Value;
                if (terminator.BranchCondition is not null)
                {
                    if (!_branches.TryGetValue((function.Name, shape.Blocks.IndexOf(from)), out var counts))
                        return null;
                    sum += (terminator.Successor(0) == block ? counts.Taken : 0) + (terminator.Successor(1) == block ? counts.NotTaken : 0);
                }
                else if (terminator.Opcode == LlvmOpcode.Br && Of(from, depth + 1) is { } runs)
                    sum += runs;
                else
                    return null;
            }
            return sum;
        }
    }

    private static bool IsEligible(HelperCallSite site, PassContext context, Dictionary<string, MapAccess> accessOf,
        Dictionary<string, IReadOnlyList<HelperCallSite>> rarelyWritten, out MapSnapshot snapshot, out string why)
    {
        snapshot = null!;
        why = "";
        if (site.Maps.Count != 1 || site.InnerMapOf is not null)
        {
            why = "the map is not known statically";
            return false;
        }
        var name = site.Maps[0].Name;
        var access = accessOf.GetValueOrDefault(name, MapAccess.MayWrite);
        if (access != MapAccess.ReadOnly && !rarelyWritten.ContainsKey(name))
            why = $"{name} is {access.Name()} by the data plane";
        else if (context.Request.WrittenElsewhere.Contains(name))
            why = $"{name} is written by another loaded program";
        else if (!context.Request.Snapshots.TryGetValue(name, out snapshot!) && !context.Request.HotKeySnapshots.TryGetValue(name, out snapshot!))
            why = $"no snapshot of {name}";
        else if (site.Maps[0].IsMmapable || snapshot.Type.IsPerCpu())
            why = $"{name} is {(site.Maps[0].IsMmapable ? "mmapable (writes bypass every hook)" : "per-CPU")}";
        else if (snapshot.Type == BpfMapType.Array)
            why = $"{name} is an array: the kernel inlines its lookup into a bounds check and an add, which costs less than " +
                  "compares even when the hot values fold (the router's next hops as 16 hot keys: 8 % slower than the lookup)";
        else if (snapshot.Type is not (BpfMapType.Hash or BpfMapType.LruHash) && !IsIpv4Lpm(snapshot))
            why = $"{name}: hot keys of {snapshot.Type} maps are not compared";
        return why.Length == 0;
    }

    private static bool IsIpv4Lpm(MapSnapshot snapshot) => snapshot.Type == BpfMapType.LpmTrie && snapshot.KeySize == 8;

    /// <summary>The cost model: hottest first, while a key still adds enough of the site's lookups. A key of one word is
    /// a case of one switch (a tree of compares, log2 of the keys deep), so more of them pay than of wider keys, each
    /// of which adds a compare of its other words; in a hash table (<paramref name="hashed"/>) a hit costs the same
    /// however many keys there are, so it takes more.</summary>
    internal static IReadOnlyList<HotKey> ChooseKeys(SiteProfile site, int keySize, InliningLimits limits, bool hashed = false)
    {
        var oneWord = keySize <= 8;
        var max = hashed ? limits.MaxHashedHotKeys : oneWord ? limits.MaxHotKeysOneWord : limits.MaxHotKeys;
        var minGain = hashed ? limits.MinHashedHotKeyGain : oneWord ? limits.MinHotKeyGainOneWord : limits.MinHotKeyGain;
        var chosen = new List<HotKey>();
        foreach (var key in site.Keys.Where(k => k.Key.Length == keySize).OrderByDescending(k => k.Count))
        {
            if (chosen.Count == max || site.Lookups <= 0 || key.Count / site.Lookups < minGain)
                break;
            if (chosen.All(c => !c.Key.AsSpan().SequenceEqual(key.Key)))
                chosen.Add(key);
        }
        return chosen;
    }

    /// <summary>What the map answers for <paramref name="key"/> in the snapshot: its value, or null for a miss. An LPM key
    /// gets its longest matching prefix (a snapshot of single hot keys holds them as /32 entries, which answers the
    /// same).</summary>
    internal static byte[]? Answer(MapSnapshot snapshot, byte[] key)
    {
        if (!IsIpv4Lpm(snapshot))
            return snapshot.Entries.FirstOrDefault(e => e.Key.AsSpan().SequenceEqual(key)).Value;
        var length = BinaryPrimitives.ReadUInt32LittleEndian(key);
        var address = BinaryPrimitives.ReadUInt32BigEndian(key.AsSpan(4));
        byte[]? best = null;
        var bestLength = -1L;
        foreach (var (prefix, value) in snapshot.Entries)
        {
            var prefixLength = BinaryPrimitives.ReadUInt32LittleEndian(prefix);
            var mask = prefixLength == 0 ? 0u : uint.MaxValue << (int)(32 - Math.Min(32u, prefixLength));
            if (prefixLength <= length && prefixLength > bestLength
                && (address & mask) == (BinaryPrimitives.ReadUInt32BigEndian(prefix.AsSpan(4)) & mask))
            {
                best = value;
                bestLength = prefixLength;
            }
        }
        return best;
    }

    /// <summary><c>{ i1 found, i64 words... } kecleon.hot.&lt;map&gt;.&lt;n&gt;(i8* key)</c>: the hot keys compared in full,
    /// each answered by constants (a tree) or by its row (<paramref name="hashed"/>, <see cref="EmitHotTable"/>); anything
    /// else asks the kernel.</summary>
    private static LlvmFunction BuildDecisionFunction(LlvmModule module, LlvmInstruction lookup, MapSnapshot snapshot,
        List<(byte[] Key, byte[]? Value)> answers, List<int> words, Recheck recheck, bool hashed, int index, IReadOnlyList<KeyField>? keyFields)
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
        MapInliningPass.EmitKernelLookup(context, builder, function, fallback, miss, lookup, function.Parameter(0), snapshot, words, resultType);

        if (hashed)
        {
            EmitHotTable(module, builder, compareAt, chunks, answers, fallback, words, $"kecleon.hot.{snapshot.Name}.{index}");
            return function;
        }
        EmitHotSwitch(builder, function, compareAt, chunks, answers, fallback, (leaf, value) => leaf.Ret(context.ConstStruct([
            context.Int1.ConstInt(value is null ? 0UL : 1UL),
            .. words.Select(w => context.Int64.ConstInt(value is null ? 0 : MapInliningPass.Word(value, w)))])));
        return function;
    }

    /// <summary>
    /// Many hot keys as a hash table in <c>.rodata</c> rather than a tree of compares: the key's words folded and
    /// multiplied, the top bits of the product a slot of rows <c>{state, key words..., value words...}</c> (state 0 empty,
    /// 1 a hot key the map does not hold, 2 one it does), the row's key compared in full, its value words loaded. A hit
    /// costs one predictable branch where a tree of 64 keys cost six that depend on the key, which on traffic spread
    /// over hundreds of flows mispredict about half the time. Hot keys are placed hottest first; the multiplier is the
    /// one, of a fixed set, that places the most of their lookups (a key whose slot a hotter one took goes to the
    /// kernel like any other).
    /// </summary>
    private static void EmitHotTable(LlvmModule module, LlvmBuilder builder, LlvmBasicBlock at, List<LlvmValue> chunks,
        List<(byte[] Key, byte[]? Value)> answers, LlvmBasicBlock fallback, List<int> words, string name)
    {
        var context = builder.Context;
        var keyWords = chunks.Count;
        var slots = (int)Math.Min(MaxHashSlots, Math.Max(16, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)answers.Count * 4)));
        var bits = System.Numerics.BitOperations.Log2((uint)slots);
        var keys = answers.Select(a => MapInliningPass.Chunks(a.Key)).ToList();
        var (multiplier, placed) = HashMultipliers().Take(256)
            .Select(m => (Multiplier: m, Placed: Place(keys, m, bits)))
            .MaxBy(c => c.Placed.Count(p => p >= 0) * 1_000_000L - c.Placed.Select((p, i) => p >= 0 ? i : 0).Sum())!;
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
                BinaryPrimitives.WriteUInt64LittleEndian(row[((1 + keyWords + w) * 8)..], value is null ? 0 : MapInliningPass.Word(value, words[w]));
        }
        var table = module.AddConstantBytes(context, $"{name}.table", rows, ".rodata", 8);
        LlvmValue Element(LlvmValue index, string label) =>
            builder.Load(context.Int64, builder.Gep(context.Int64, builder.BitCast(table, context.Int64.PointerTo()), [index]), label);

        builder.PositionAtEnd(at);
        var wide = chunks.Select(c => c.Type.IntWidth == 64 ? c : builder.ZExt(c, context.Int64)).ToList();
        var folded = wide[0];
        for (var w = 1; w < keyWords; w++)
            folded = builder.Xor(folded, builder.Mul(wide[w], context.Int64.ConstInt(FoldConstants[(w - 1) % FoldConstants.Length])));
        // The mask is for the verifier (a shifted product is already in range).
        var slot = builder.And(builder.LShr(builder.Mul(folded, context.Int64.ConstInt(multiplier)), context.Int64.ConstInt((ulong)(64 - bits))),
            context.Int64.ConstInt((ulong)slots - 1), "slot");
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

    /// <summary>Odd constants that mix a key's later words into its first (golden-ratio and splitmix64 constants).</summary>
    private static readonly ulong[] FoldConstants = [0x9E3779B97F4A7C15UL, 0xBF58476D1CE4E5B9UL, 0x94D049BB133111EBUL];

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

    /// <summary>Each key's slot with <paramref name="multiplier"/>, hottest first; -1 for a key whose slot was taken.</summary>
    private static int[] Place(List<ulong[]> keys, ulong multiplier, int bits)
    {
        var taken = new HashSet<ulong>();
        var placed = new int[keys.Count];
        for (var i = 0; i < keys.Count; i++)
        {
            var folded = keys[i][0];
            for (var w = 1; w < keys[i].Length; w++)
                folded ^= keys[i][w] * FoldConstants[(w - 1) % FoldConstants.Length];
            var slot = (folded * multiplier) >> (64 - bits);
            placed[i] = taken.Add(slot) ? (int)slot : -1;
        }
        return placed;
    }

    /// <summary>
    /// For a result used in ways the word extraction does not cover (merged through a phi, indexed, copied by a call),
    /// but only read: <c>i8* kecleon.hotptr.&lt;map&gt;.&lt;n&gt;(i8* key)</c> returns a pointer to a constant copy of the hot
    /// key's value in <c>.rodata</c> (null for a hot miss), else the kernel's answer; the uses stay as they are and load
    /// from whichever it is (LLVM folds the loads where the path is known).
    /// </summary>
    private static LlvmFunction BuildPointerFunction(LlvmModule module, LlvmInstruction lookup, MapSnapshot snapshot,
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
    private static LlvmType[] Parameters(LlvmContext context, Recheck recheck) =>
        recheck == Recheck.WriteFlag ? [context.Int8.PointerTo(), context.Int1] : [context.Int8.PointerTo()];

    /// <summary>The function's entry: for a map the data plane writes, a write of the program's own earlier in this very
    /// packet sends the lookup to the kernel (the flag, or the version read again); then the key loaded as 64-bit words
    /// (field by field as the program wrote it, <see cref="MapInliningPass.LoadKey"/>), ending open at
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
        chunks = MapInliningPass.LoadKey(builder, function.Parameter(0), snapshot.KeySize, keyFields);
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
        var groups = answers.GroupBy(a => MapInliningPass.Chunks(a.Key)[0]).ToList();
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
                    var expected = MapInliningPass.Chunks(hotKey);
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
