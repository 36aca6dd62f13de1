using System.Buffers.Binary;
using Kecleon.Access;
using Kecleon.Bpf;
using Kecleon.Helpers;
using Kecleon.Instrumentation.Profiles;
using Kecleon.Llvm;
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
///   %r = call { i1, i64 } @kecleon.hot.ch_rings.0(i8* %key)   ; key == hot0 ? {1, v0} : key == hot1 ? ... : kernel lookup
///   %v = trunc (extractvalue %r, 1) to i32
/// </code>
/// An LPM key is compared whole (prefix length word included, as the program builds it) and answered with the value of
/// its longest matching prefix in the snapshot; a hot key the map does not hold is a constant miss. The map joins
/// <see cref="PassContext.SpecializedMaps"/>, so the guard pass guards it like any other specialization. The cost model
/// takes keys hottest first, at most <see cref="InliningLimits.MaxHotKeys"/>, while each adds at least
/// <see cref="InliningLimits.MinHotKeyGain"/> of the site's lookups.
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
        // Sites the whole-map inliner rewrote (their calls are gone): it answers every key there already.
        var inlined = context.Steps.Where(s => s.Applied && s.Pass == "map-inlining").Select(s => s.Where).ToHashSet();
        var counter = 0;
        foreach (var site in context.LookupSites)
        {
            context.Cancellation.ThrowIfCancellationRequested();
            if (profile.Site(site.Index) is not { Keys.Count: > 0 } siteProfile || inlined.Contains(site.Location))
                continue;
            if (!IsEligible(site, context, accessOf, out var snapshot, out var why))
            {
                context.Skip(Name, why, site.Location);
                continue;
            }
            var hot = ChooseKeys(siteProfile, snapshot.KeySize, context.Request.Limits);
            if (hot.Count == 0)
            {
                context.Skip(Name, $"{snapshot.Name}: no profiled key is worth a compare", site.Location);
                continue;
            }
            var uses = new List<MapInliningPass.ResultUse>();
            var derived = new List<LlvmInstruction>();
            if (!MapInliningPass.TryCollectUses(site.Call.Value, 0, layout, definitions, uses, derived, out why))
            {
                context.Skip(Name, $"result of the lookup in {snapshot.Name} {why}", site.Location);
                continue;
            }
            var words = MapInliningPass.UsedWords(uses);
            if (words.Count > context.Request.Limits.MaxValueWords || words.Any(w => w * 8 >= snapshot.ValueSize))
            {
                context.Skip(Name, $"the uses of {snapshot.Name}'s value span too many words", site.Location);
                continue;
            }
            var answers = hot.Select(k => (k.Key, Value: Answer(snapshot, k.Key))).ToList();
            var function = BuildDecisionFunction(module, site.Call, snapshot, answers, words, counter++);
            MapInliningPass.RewriteSite(module, site.Call, function, words, uses, derived);
            context.SpecializedMaps.Add(snapshot.Name);
            context.Step(Name, $"{snapshot.Name}: {hot.Count} hot keys ({siteProfile.Coverage(hot.Count):P0} of the profiled lookups, " +
                               $"{answers.Count(a => a.Value is null)} of them misses) compared before the kernel lookup", site.Location);
        }
    }

    private static bool IsEligible(HelperCallSite site, PassContext context, Dictionary<string, MapAccess> accessOf,
        out MapSnapshot snapshot, out string why)
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
        if (access != MapAccess.ReadOnly)
            why = $"{name} is {access.Name()} by the data plane";
        else if (context.Request.WrittenElsewhere.Contains(name))
            why = $"{name} is written by another loaded program";
        else if (!context.Request.Snapshots.TryGetValue(name, out snapshot!) && !context.Request.HotKeySnapshots.TryGetValue(name, out snapshot!))
            why = $"no snapshot of {name}";
        else if (site.Maps[0].IsMmapable || snapshot.Type.IsPerCpu())
            why = $"{name} is {(site.Maps[0].IsMmapable ? "mmapable (writes bypass every hook)" : "per-CPU")}";
        else if (snapshot.Type is not (BpfMapType.Hash or BpfMapType.LruHash or BpfMapType.Array) && !IsIpv4Lpm(snapshot))
            why = $"{name}: hot keys of {snapshot.Type} maps are not compared";
        return why.Length == 0;
    }

    private static bool IsIpv4Lpm(MapSnapshot snapshot) => snapshot.Type == BpfMapType.LpmTrie && snapshot.KeySize == 8;

    /// <summary>The cost model: hottest first, while a key still adds enough of the site's lookups.</summary>
    internal static IReadOnlyList<HotKey> ChooseKeys(SiteProfile site, int keySize, InliningLimits limits)
    {
        var chosen = new List<HotKey>();
        foreach (var key in site.Keys.Where(k => k.Key.Length == keySize).OrderByDescending(k => k.Count))
        {
            if (chosen.Count == limits.MaxHotKeys || site.Lookups <= 0 || key.Count / site.Lookups < limits.MinHotKeyGain)
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
    /// hottest first, each answered by a constant; anything else asks the kernel.</summary>
    private static LlvmFunction BuildDecisionFunction(LlvmModule module, LlvmInstruction lookup, MapSnapshot snapshot,
        List<(byte[] Key, byte[]? Value)> answers, List<int> words, int index)
    {
        var context = module.Context;
        var i8Ptr = context.Int8.PointerTo();
        var resultType = context.Struct([context.Int1, .. words.Select(_ => context.Int64)]);
        var function = module.AddFunction($"kecleon.hot.{snapshot.Name}.{index}", LlvmType.Function(resultType, [i8Ptr]));
        function.Linkage = LlvmLinkage.Internal;
        function.AddAttribute(context, "alwaysinline");
        var key = function.Parameter(0);
        using var builder = new LlvmBuilder(context);
        var entry = function.AppendBlock(context, "entry");
        var fallback = function.AppendBlock(context, "kernel_lookup");

        builder.PositionAtEnd(fallback);
        var pointer = builder.Call(lookup.CalledFunctionType, lookup.CalledValue, [lookup.Argument(0), key], "value");
        var found = function.AppendBlock(context, "kernel_hit");
        var miss = function.AppendBlock(context, "miss");
        builder.CondBr(builder.ICmp(LlvmIntPredicate.Ne, pointer, i8Ptr.ConstNull()), found, miss);
        builder.PositionAtEnd(miss);
        builder.Ret(context.ConstStruct([context.Int1.ConstInt(0), .. words.Select(_ => context.Int64.ConstInt(0))]));
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

        builder.PositionAtEnd(entry);
        var chunks = MapInliningPass.LoadKey(builder, key, snapshot.KeySize);
        var next = entry;
        foreach (var (hotKey, value) in answers)
        {
            builder.PositionAtEnd(next);
            var expected = MapInliningPass.Chunks(hotKey);
            LlvmValue? all = null;
            for (var i = 0; i < chunks.Count; i++)
            {
                var equal = builder.ICmp(LlvmIntPredicate.Eq, chunks[i], chunks[i].Type.ConstInt(expected[i]));
                all = all is null ? equal : builder.And(all.Value, equal);
            }
            var hit = function.AppendBlock(context, "hot");
            next = function.AppendBlock(context, "not_hot");
            builder.CondBr(all!.Value, hit, next);
            builder.PositionAtEnd(hit);
            builder.Ret(context.ConstStruct([context.Int1.ConstInt(value is null ? 0UL : 1UL),
                .. words.Select(w => context.Int64.ConstInt(value is null ? 0 : MapInliningPass.Word(value, w)))]));
        }
        builder.PositionAtEnd(next);
        builder.Br(fallback);
        return function;
    }
}
