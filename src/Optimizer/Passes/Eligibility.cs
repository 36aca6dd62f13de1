using Kecleon.Access;
using Kecleon.Bpf;
using Kecleon.Helpers;
using Kecleon.Optimizer.Specialization;

namespace Kecleon.Optimizer.Passes;

/// <summary><see cref="StrategyKind.KeyTable"/>: an exact-match map with keys of at most 4 bytes searched like an LPM
/// table, over the ranges its keys make (each key a range of one, the gaps between them misses), in .rodata.</summary>
internal enum StrategyKind { Exact, Lpm, KeyTable }

/// <summary>How a site is inlined; for an LPM table (or a key table), its disjoint ranges (built once, used for the
/// cost model, the code and the report).</summary>
internal sealed record Strategy(StrategyKind Kind, IReadOnlyList<LpmRanges.Range> Ranges, RangeSearchPlan? Plan = null)
{
    public bool AsTable => Plan is not null;
}

/// <summary>Which lookup sites and maps the map passes may specialize, and how.</summary>
internal static class Eligibility
{
    internal static bool TryChooseStrategy(MapSnapshot snapshot, InliningLimits limits, out Strategy strategy, out string why)
    {
        strategy = new Strategy(StrategyKind.Exact, []);
        why = "";
        switch (snapshot.Type)
        {
            case BpfMapType.Hash or BpfMapType.LruHash or BpfMapType.Array:
                if (snapshot.Entries.Count > limits.MaxExactEntries && snapshot.Type != BpfMapType.Array && KeyTable(snapshot) is { } table)
                {
                    strategy = table;
                    return true;
                }
                if (snapshot.Entries.Count > limits.MaxExactEntries)
                {
                    why = $"{snapshot.Name} has {snapshot.Entries.Count} entries, over the {limits.MaxExactEntries} the cost model inlines";
                    return false;
                }
                // The kernel inlines an array lookup into a bounds check and an add; what inlining adds is the values as
                // constants. Many distinct values fold into many copies of the code after it, each a path the verifier
                // walks (the firewall's 256-entry proto_map: 4x the verifier's work of the whole original).
                var distinct = snapshot.Entries.Select(e => Convert.ToHexString(e.Value)).Distinct().Count();
                if (snapshot.Type == BpfMapType.Array && distinct > limits.MaxDistinctArrayValues)
                {
                    why = $"{snapshot.Name} holds {distinct} distinct values, over the {limits.MaxDistinctArrayValues} the cost model folds (the kernel inlines array lookups itself)";
                    return false;
                }
                return true;
            case BpfMapType.LpmTrie when snapshot.KeySize == 8:
                var ranges = LpmRanges.Build(snapshot.Entries);
                strategy = new Strategy(StrategyKind.Lpm, ranges, ranges.Count > limits.MaxUnrolledLpmRanges ? RangeSearchPlan.Choose(ranges) : null);
                if (strategy.Ranges.Count > limits.MaxLpmRanges)
                {
                    why = $"{snapshot.Name}'s prefixes make {strategy.Ranges.Count} address ranges, over the {limits.MaxLpmRanges} the cost model searches in code";
                    return false;
                }
                return true;
            default:
                why = $"{snapshot.Name}: {snapshot.Type} maps are not inlined";
                return false;
        }
    }

    /// <summary>A hash map with keys of at most 4 bytes as ranges of the keys read as little-endian integers: each key a
    /// range of its own, each gap between keys a miss. Null for other maps.</summary>
    internal static Strategy? KeyTable(MapSnapshot snapshot)
    {
        if (snapshot.Type is not (BpfMapType.Hash or BpfMapType.LruHash) || snapshot.KeySize > 4 || snapshot.Entries.Count == 0)
            return null;
        var keys = snapshot.Entries.Select((e, i) => (Key: (uint)MapInliningPass.Word(e.Key, 0), Entry: i)).OrderBy(k => k.Key).ToList();
        var ranges = new List<LpmRanges.Range>();
        if (keys[0].Key != 0)
            ranges.Add(new LpmRanges.Range(0, -1));
        for (var i = 0; i < keys.Count; i++)
        {
            ranges.Add(new LpmRanges.Range(keys[i].Key, keys[i].Entry));
            if (keys[i].Key != uint.MaxValue && (i + 1 == keys.Count || keys[i + 1].Key != keys[i].Key + 1))
                ranges.Add(new LpmRanges.Range(keys[i].Key + 1, -1));
        }
        return new Strategy(StrategyKind.KeyTable, ranges, RangeSearchPlan.Choose(ranges));
    }

    /// <summary>How many different constant answers (a miss included) the decision code returns; a table search's answers
    /// are loaded, not constants, and count as one.</summary>
    internal static long DistinctAnswers(MapSnapshot snapshot, Strategy strategy)
    {
        if (strategy.AsTable)
            return 1;
        var values = strategy.Kind == StrategyKind.Lpm
            ? strategy.Ranges.Select(r => r.Entry < 0 ? "miss" : Convert.ToHexString(snapshot.Entries[r.Entry].Value))
            : snapshot.Entries.Select(e => Convert.ToHexString(e.Value)).Append("miss");
        return values.Distinct().Count();
    }

    /// <summary>Does the snapshot answer every key (so a key not in it is a miss, not a question for the kernel)?</summary>
    internal static bool IsComplete(MapSnapshot snapshot) => snapshot.Type switch
    {
        BpfMapType.Array => snapshot.Entries.Count == snapshot.MaxEntries,
        _ => true, // hash and LPM snapshots hold every entry the map had
    };

    internal static bool IsEligible(HelperCallSite site, PassContext context, Dictionary<string, MapAccess> accessOf,
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

    internal static bool IsIpv4Lpm(MapSnapshot snapshot) => snapshot.Type == BpfMapType.LpmTrie && snapshot.KeySize == 8;
}
