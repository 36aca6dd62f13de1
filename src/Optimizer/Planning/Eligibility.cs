using Kecleon.Bpf;
using Kecleon.Optimizer.Specialization;

namespace Kecleon.Optimizer.Planning;

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
    internal static bool TryChooseStrategy(MapSnapshot snapshot, InliningLimits limits, out Strategy strategy, out PlanReason? why)
    {
        strategy = new Strategy(StrategyKind.Exact, []);
        why = null;
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
                    why = new PlanReason(PlanReasonKind.TooManyEntries, snapshot.Name) { Count = snapshot.Entries.Count, Limit = limits.MaxExactEntries };
                    return false;
                }
                // The kernel inlines an array lookup into a bounds check and an add; what inlining adds is the values as
                // constants. Many distinct values fold into many copies of the code after it, each a path the verifier
                // walks (the firewall's 256-entry proto_map: 4x the verifier's work of the whole original).
                var distinct = snapshot.Entries.Select(e => Convert.ToHexString(e.Value)).Distinct().Count();
                if (snapshot.Type == BpfMapType.Array && distinct > limits.MaxDistinctArrayValues)
                {
                    why = new PlanReason(PlanReasonKind.TooManyDistinctValues, snapshot.Name) { Count = distinct, Limit = limits.MaxDistinctArrayValues };
                    return false;
                }
                return true;
            case BpfMapType.LpmTrie when snapshot.KeySize == 8:
                var ranges = LpmRanges.Of(snapshot);
                strategy = new Strategy(StrategyKind.Lpm, ranges, ranges.Count > limits.MaxUnrolledLpmRanges ? RangeSearchPlan.Choose(ranges, limits.MaxBucketBits) : null);
                if (strategy.Ranges.Count > limits.MaxLpmRanges)
                {
                    why = new PlanReason(PlanReasonKind.TooManyRanges, snapshot.Name) { Count = strategy.Ranges.Count, Limit = limits.MaxLpmRanges };
                    return false;
                }
                return true;
            default:
                why = new PlanReason(PlanReasonKind.MapTypeNotInlined, snapshot.Name) { Type = snapshot.Type };
                return false;
        }
    }

    /// <summary>A hash map with keys of at most 4 bytes as ranges of the keys read as little-endian integers: each key a
    /// range of its own, each gap between keys a miss. Null for other maps.</summary>
    internal static Strategy? KeyTable(MapSnapshot snapshot)
    {
        if (snapshot.Type is not (BpfMapType.Hash or BpfMapType.LruHash) || snapshot.KeySize > 4 || snapshot.Entries.Count == 0)
            return null;
        var keys = snapshot.Entries.Select((e, i) => (Key: (uint)CodeGen.KeyLoader.Word(e.Key, 0), Entry: i)).OrderBy(k => k.Key).ToList();
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

    internal static bool IsIpv4Lpm(MapSnapshot snapshot) => snapshot.Type == BpfMapType.LpmTrie && snapshot.KeySize == 8;
}
