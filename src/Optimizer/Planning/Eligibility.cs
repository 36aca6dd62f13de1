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
                if (snapshot.Entries.Count > limits.MaxExactEntries && snapshot.Type != BpfMapType.Array && KeyTable(snapshot, limits.MaxBucketBits) is { } table)
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
    /// range of its own, each gap between keys a miss, searched with buckets of at most <paramref name="maxBucketBits"/>
    /// bits. Null for other maps. Made once per snapshot and width: the planner and the inlining pass both ask, and a
    /// cycle after a write to another map keeps the snapshot it had.</summary>
    internal static Strategy? KeyTable(MapSnapshot snapshot, int maxBucketBits = RangeSearchPlan.MaxBucketBits)
    {
        if (snapshot.Type is not (BpfMapType.Hash or BpfMapType.LruHash) || snapshot.KeySize > 4 || snapshot.Entries.Count == 0)
            return null;
        var tables = KeyTables.GetValue(snapshot, _ => new Dictionary<int, Strategy>());
        lock (tables)
        {
            if (!tables.TryGetValue(maxBucketBits, out var table))
                tables[maxBucketBits] = table = BuildKeyTable(snapshot, maxBucketBits);
            return table;
        }
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<MapSnapshot, Dictionary<int, Strategy>> KeyTables = new();

    private static Strategy BuildKeyTable(MapSnapshot snapshot, int maxBucketBits)
    {
        var ranges = LpmRanges.OfKeys(snapshot.Entries);
        return new Strategy(StrategyKind.KeyTable, ranges, RangeSearchPlan.Choose(ranges, maxBucketBits));
    }

    /// <summary>How many different constant answers (a miss included) the decision code returns; a table search's answers
    /// are loaded, not constants, and count as one.</summary>
    internal static long DistinctAnswers(MapSnapshot snapshot, Strategy strategy)
    {
        if (strategy.AsTable)
            return 1;
        // Values compared as bytes (a 20,000-host blocklist's as hex text took 1.5–2 ms a cycle); a miss is one more answer.
        var values = new HashSet<byte[]>(ByteKeyComparer.Instance);
        var miss = strategy.Kind != StrategyKind.Lpm;
        if (strategy.Kind == StrategyKind.Lpm)
            foreach (var range in strategy.Ranges)
            {
                if (range.Entry < 0)
                    miss = true;
                else
                    values.Add(snapshot.Entries[range.Entry].Value);
            }
        else
            foreach (var (_, value) in snapshot.Entries)
                values.Add(value);
        return values.Count + (miss ? 1 : 0);
    }

    /// <summary>Does the snapshot answer every key (so a key not in it is a miss, not a question for the kernel)?</summary>
    internal static bool IsComplete(MapSnapshot snapshot) => snapshot.Type switch
    {
        BpfMapType.Array => snapshot.Entries.Count == snapshot.MaxEntries,
        _ => true, // hash and LPM snapshots hold every entry the map had
    };

    internal static bool IsIpv4Lpm(MapSnapshot snapshot) => snapshot.Type == BpfMapType.LpmTrie && snapshot.KeySize == 8;
}
