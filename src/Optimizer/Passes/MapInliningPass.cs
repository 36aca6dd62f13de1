using Kecleon.Access;
using Kecleon.Bpf;
using Kecleon.Cfg;
using Kecleon.Helpers;
using Kecleon.Llvm;
using Kecleon.Optimizer.Analyses;
using Kecleon.Optimizer.CodeGen;
using Kecleon.Optimizer.Planning;
using Kecleon.Optimizer.Specialization;
using Kecleon.Passes;

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
/// map helpers' read-only arguments, <c>memcpy</c> sources and phis merging lookups (into any maps inlined, phis of phis,
/// pointers to fields a whole number of words in) are rewritten;
/// every other site, and every site the cost model refuses (see <see cref="InliningLimits"/>), is left alone and reported.
/// </summary>
public sealed class MapInliningPass : IModulePass
{
    public string Name => "map-inlining";

    public PassResult Run(PassContext context)
    {
        var module = context.Module;
        var request = context.Request;
        var useAnalysis = context.Get<LookupResultUses>();
        var counter = 0;
        var merged = new HashSet<LlvmValue>(); // calls already rewritten with the phi that merges them
        var budget = AnswerBudget.Over(context.Facts.LookupSites, context.Get<ControlFlowGraphs>(), request.Limits);
        foreach (var site in BudgetOrder(context))
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
            if (!useAnalysis.TryCollect(site.Call, out var uses, out var why))
            {
                context.Skip(Name, new PlanReason(PlanReasonKind.ResultUseNotRewritable, mapName) { Detail = why }, site.Location);
                continue;
            }
            var group = new PhiGroup([uses], []);
            if (uses.Uses.OfType<PhiUse>().Any())
            {
                if (!useAnalysis.TryCollectPhiGroup(uses, out group, out why))
                {
                    context.Skip(Name, new PlanReason(PlanReasonKind.ResultUseNotRewritable, mapName) { Detail = why }, site.Location);
                    continue;
                }
            }
            // The words read through the phis. When every lookup comes in at its value's start, every map answers all the
            // words any use reads (one answer type, taken by the phis as it is); a lookup that comes in as a pointer into its
            // value answers its own words and the phis' words shifted by its offset, and its answer is shifted before the phi.
            var shifted = group.Members.Any(m => m.Uses.OfType<PhiUse>().Any(u => u.Offset != 0));
            var words = LookupResultUses.UsedWords([.. group.Phis.SelectMany(p => p.Uses), .. shifted ? [] : group.Members.SelectMany(m => m.Uses)]);
            // Each map in the group, in the order its lookups come: one decision function each.
            var maps = new List<MapAnswer>();
            var groupSites = group.Members.Select(m => useAnalysis.SiteOf(m.Call).Index).ToList();
            PlanReason? refusedMember = null;
            foreach (var member in group.Members)
            {
                var memberSite = useAnalysis.SiteOf(member.Call);
                var memberDecision = context.Plan.For(memberSite.Index);
                if (memberDecision.WholeMapReason is { } memberRefused)
                {
                    refusedMember = memberRefused;
                    break;
                }
                // A lookup at a constant key folded on that key alone: its one entry is the snapshot, shared only by the
                // lookups at the same key.
                var foldedKey = memberDecision.FoldedKey;
                if (maps.Find(m => m.Name == memberDecision.Map && SameKey(m.FoldedKey, foldedKey)) is { } known)
                    known.Members.Add(member);
                else
                    maps.Add(new MapAnswer(memberDecision.Map!, foldedKey is null ? request.Snapshots[memberDecision.Map!]
                        : SpecializationPlanner.OneKey(request.SnapshotOf(memberDecision.Map!), foldedKey), memberDecision.Inlining!, memberSite, [member])
                    {
                        FoldedKey = foldedKey,
                    });
            }
            foreach (var map in refusedMember is null ? maps : [])
            {
                map.Words = shifted ? MemberWords(map.Members, words) : words;
                if (Prepare(map, budget, groupSites, request.Limits) is { } unanswerable)
                {
                    refusedMember = unanswerable;
                    break;
                }
            }
            var total = maps.Sum(m => m.Answers);
            if (refusedMember is null && !budget.Admits(groupSites, total))
                refusedMember = new PlanReason(PlanReasonKind.TooManyCombinations, mapName)
                {
                    Count = total, Combinations = budget.With(groupSites, total), Limit = request.Limits.MaxAnswerCombinations,
                };
            if (refusedMember is not null)
            {
                context.Skip(Name, refusedMember.Map == mapName ? refusedMember : new PlanReason(PlanReasonKind.ResultUseNotRewritable, mapName)
                {
                    Detail = $"is merged through a phi with a lookup in {refusedMember.Map}, which is not inlined: {refusedMember.Text}",
                }, site.Location);
                continue;
            }
            foreach (var member in group.Members)
                merged.Add(member.Call.Value);
            budget.Take(groupSites, total);
            var results = new Dictionary<LlvmValue, LlvmValue>();
            var inPlaceMaps = new HashSet<string>(StringComparer.Ordinal);
            foreach (var map in maps)
            {
                var dataSites = context.State.InPlaceSites.Count;
                var function = DecisionFunctionBuilder.Build(module, map.Site.Call, map.Snapshot, map.Strategy, map.TableAnswers, map.Words, request.Limits,
                    counter++, map.Site.Key?.Fields, request.InPlaceData && map.FoldedKey is null
                        && (map.Strategy.Kind != StrategyKind.KeyTable || request.InPlaceKeyTables) ? context.State.InPlaceSites : null);
                foreach (var member in map.Members)
                {
                    var result = LookupSiteRewriter.RewriteSite(module, member, function, map.Words);
                    foreach (var phiUse in member.Uses.OfType<PhiUse>())
                        results[phiUse.Incoming] = shifted
                            ? LookupSiteRewriter.ShiftAnswer(module, member.Call, result, map.Words, words, (int)(phiUse.Offset / 8))
                            : result;
                }
                var asData = context.State.InPlaceSites.Count > dataSites;
                if (asData)
                    inPlaceMaps.Add(map.Name);
                context.State.Rewrote(map.Name, map.Members.Select(m => useAnalysis.SiteOf(m.Call)), asData);
            }
            if (group.Phis.Count > 0)
                LookupSiteRewriter.RewritePhis(module, group, DecisionFunctionBuilder.ResultType(module.Context, words), words, results);
            context.Step(Name, Describe(maps, group, inPlaceMaps), site.Location);
        }
        // New functions and rewritten uses: no cached analysis of the old module holds.
        return PassResult.Of(counter > 0);
    }

    /// <summary>One map of a site's group: its snapshot and strategy, and what the cost model needs of them.</summary>
    private sealed record MapAnswer(string Name, MapSnapshot Snapshot, Strategy Strategy, HelperCallSite Site, List<SiteUses> Members)
    {
        /// <summary>The words of the value its decision function answers.</summary>
        public List<int> Words { get; set; } = [];
        public Strategy Strategy { get; set; } = Strategy;
        public long Answers { get; set; }
        public (List<byte[]> Rows, int[] RowOf) TableAnswers { get; set; }
        /// <summary>The constant key the map is folded on alone (<see cref="SiteDecision.FoldedKey"/>); null: the whole map.</summary>
        public byte[]? FoldedKey { get; init; }
    }

    /// <summary>The sites in the order the budget of combinations is spent: program order, unless the whole-map sites'
    /// answers together exceed it and a profile says which code is hot; then hottest first (by the profile's count of
    /// each site's block), so what the budget cannot afford is the code that runs least.</summary>
    private static IEnumerable<HelperCallSite> BudgetOrder(PassContext context)
    {
        var sites = context.Facts.LookupSites;
        if (context.Request.Profile is null)
            return sites;
        var answers = sites.Select(s => context.Plan.For(s.Index)).Where(d => d.WholeMapReason is null).Aggregate(1.0, (p, d) => p * Math.Max(1, d.Answers));
        if (answers <= context.Request.Limits.MaxAnswerCombinations)
            return sites;
        return sites.OrderByDescending(s => context.Plan.HitsOf(s.Index) ?? 0).ToList();
    }

    private static bool SameKey(byte[]? a, byte[]? b) => a is null ? b is null : b is not null && a.AsSpan().SequenceEqual(b);

    /// <summary>The map's distinct answers and tables for <paramref name="words"/>, or why it cannot answer them.</summary>
    private static PlanReason? Prepare(MapAnswer map, AnswerBudget budget, IReadOnlyList<int> sites, InliningLimits limits)
    {
        var words = map.Words;
        if (CostModel.SpansTooManyWords(words, map.Snapshot, limits))
            return new PlanReason(PlanReasonKind.ValueTooWide, map.Name);
        // A lookup at a constant key has one answer (its entry, or a miss): it adds no path for the verifier.
        map.Answers = map.FoldedKey is not null ? 1 : Eligibility.DistinctAnswers(map.Snapshot, map.Strategy);
        // Too many constant answers for the code after the site, but a small key: the answers stay in a .rodata table
        // (loaded, not folded), found by a search that is one path for the verifier.
        if (!budget.Admits(sites, map.Answers) && Eligibility.KeyTable(map.Snapshot, limits.MaxBucketBits) is { } table)
        {
            map.Strategy = table;
            map.Answers = 1;
        }
        // A table search's distinct rows: made once, for the cost model and the tables.
        map.TableAnswers = map.Strategy.AsTable ? RangeSearchEmitter.Answers(map.Snapshot, map.Strategy.Ranges, words) : default;
        if (map.Strategy.Plan is { } plan && plan.TableBytes(words.Count, map.TableAnswers.Rows.Count) is var bytes && bytes > limits.MaxTableBytes)
            return new PlanReason(PlanReasonKind.TableTooLarge, map.Name) { Count = bytes, Limit = limits.MaxTableBytes };
        return null;
    }

    /// <summary>The words a map's lookups read themselves, and the words <paramref name="phiWords"/> read through the phis
    /// they come into, shifted by where in the value each comes in.</summary>
    private static List<int> MemberWords(List<SiteUses> members, List<int> phiWords) =>
        [.. LookupResultUses.UsedWords(members.SelectMany(m => m.Uses))
            .Concat(members.SelectMany(m => m.Uses.OfType<PhiUse>()).SelectMany(u => phiWords.Select(w => w + (int)(u.Offset / 8))))
            .Distinct().Order()];

    /// <summary>The step: each map's decision, and how many lookups the phis merged.</summary>
    private static string Describe(List<MapAnswer> maps, PhiGroup group, IReadOnlySet<string> inPlace)
    {
        var text = string.Join("; ", maps.Select(m => m.FoldedKey is { } key
            ? $"{m.Name}: key {KeyAccess.TextOf(key)} folded ({m.Snapshot.Entries.Count} entry at a constant key)"
            : Describe(m.Name, m.Snapshot, m.Strategy, inPlace.Contains(m.Name))));
        if (group.Members.Count > 1 && maps.Count == 1 && group.Phis.Count == 1)
            return text + $", {group.Members.Count} lookups merged through a phi";
        if (group.Members.Count > 1)
            return text + $"; {group.Members.Count} lookups merged through {(group.Phis.Count == 1 ? "a phi" : $"{group.Phis.Count} phis")}";
        return text;
    }

    private static string Describe(string mapName, MapSnapshot snapshot, Strategy strategy, bool inPlace) => strategy.Kind switch
    {
        StrategyKind.Lpm => $"{mapName}: {snapshot.Entries.Count} prefixes as a {(strategy.AsTable ? inPlace ? "search over a double-buffered in-place table of" : "search over a .rodata table of" : "binary search over")} {strategy.Ranges.Count} address ranges",
        StrategyKind.KeyTable => $"{mapName}: {snapshot.Entries.Count} entries as a search over a {(inPlace ? "double-buffered in-place" : ".rodata")} table of their {snapshot.KeySize}-byte keys ({strategy.Ranges.Count} ranges; the values are loaded from it, not folded)",
        _ => $"{mapName}: {snapshot.Entries.Count} entries as a {(snapshot.KeySize <= 8 ? "switch" : "full-key compare tree")}{(Eligibility.IsComplete(snapshot) ? "" : " (other keys: kernel lookup)")}",
    };
}
