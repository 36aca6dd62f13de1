using Kecleon.Access;
using Kecleon.Bpf;
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
/// map helpers' read-only arguments, <c>memcpy</c> sources and phis merging lookups into the same map are rewritten;
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
        var budget = new AnswerBudget(request.Limits);
        foreach (var site in context.Facts.LookupSites)
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
            // A lookup at a constant key folded on that key alone: its one entry is the snapshot.
            var snapshot = decision.FoldedKey is { } key ? SpecializationPlanner.OneKey(request.SnapshotOf(mapName), key) : request.Snapshots[mapName];
            var strategy = decision.Inlining!;
            if (!useAnalysis.TryCollect(site.Call, out var uses, out var why))
            {
                context.Skip(Name, new PlanReason(PlanReasonKind.ResultUseNotRewritable, mapName) { Detail = why }, site.Location);
                continue;
            }
            var members = new List<SiteUses> { uses };
            SiteUses? phi = null;
            if (uses.Uses.OfType<PhiUse>().Select(u => u.Phi).Distinct().ToList() is { Count: > 0 } phis
                && !useAnalysis.TryCollectPhiGroup(phis, mapName, members, out phi, out why))
            {
                context.Skip(Name, new PlanReason(PlanReasonKind.ResultUseNotRewritable, mapName) { Detail = why }, site.Location);
                continue;
            }
            var words = LookupResultUses.UsedWords([.. members.SelectMany(m => m.Uses), .. phi?.Uses ?? []]);
            if (CostModel.SpansTooManyWords(words, snapshot, request.Limits))
            {
                context.Skip(Name, new PlanReason(PlanReasonKind.ValueTooWide, mapName), site.Location);
                continue;
            }
            var answers = Eligibility.DistinctAnswers(snapshot, strategy);
            // Too many constant answers for the code after the site, but a small key: the answers stay in a .rodata table
            // (loaded, not folded), found by a search that is one path for the verifier.
            if (!budget.Admits(answers) && Eligibility.KeyTable(snapshot) is { } table)
            {
                strategy = table;
                answers = 1;
            }
            // A table search's distinct rows: made once, for the cost model and the tables.
            var tableAnswers = strategy.AsTable ? RangeSearchEmitter.Answers(snapshot, strategy.Ranges, words) : default;
            if (strategy.Plan is { } plan && plan.TableBytes(words.Count, tableAnswers.Rows.Count) is var bytes
                && bytes > request.Limits.MaxTableBytes)
            {
                context.Skip(Name, new PlanReason(PlanReasonKind.TableTooLarge, mapName) { Count = bytes, Limit = request.Limits.MaxTableBytes }, site.Location);
                continue;
            }
            if (!budget.Admits(answers))
            {
                context.Skip(Name, new PlanReason(PlanReasonKind.TooManyCombinations, mapName)
                {
                    Count = answers, Combinations = budget.Combinations * answers, Limit = request.Limits.MaxAnswerCombinations,
                }, site.Location);
                continue;
            }
            budget.Take(answers);
            var function = DecisionFunctionBuilder.Build(module, site.Call, snapshot, strategy, tableAnswers, words, request.Limits, counter++, site.Key?.Fields);
            var results = members.ToDictionary(m => m.Call.Value, m => LookupSiteRewriter.RewriteSite(module, m, function, words));
            if (phi is not null)
            {
                LookupSiteRewriter.RewritePhi(module, phi, function, words, results);
                foreach (var member in members)
                {
                    member.Call.EraseFromParent();
                    merged.Add(member.Call.Value);
                }
            }
            context.State.Rewrote(mapName, members.Select(m => useAnalysis.SiteOf(m.Call)));
            context.Step(Name, (decision.FoldedKey is { } folded ? $"{mapName}: key {KeyAccess.TextOf(folded)} folded ({snapshot.Entries.Count} entry at a constant key)"
                : Describe(mapName, snapshot, strategy)) + (members.Count > 1 ? $", {members.Count} lookups merged through a phi" : ""), site.Location);
        }
        // New functions and rewritten uses: no cached analysis of the old module holds.
        return PassResult.Of(counter > 0);
    }

    private static string Describe(string mapName, MapSnapshot snapshot, Strategy strategy) => strategy.Kind switch
    {
        StrategyKind.Lpm => $"{mapName}: {snapshot.Entries.Count} prefixes as a {(strategy.AsTable ? "search over a .rodata table of" : "binary search over")} {strategy.Ranges.Count} address ranges",
        StrategyKind.KeyTable => $"{mapName}: {snapshot.Entries.Count} entries as a search over a .rodata table of their {snapshot.KeySize}-byte keys ({strategy.Ranges.Count} ranges; the values are loaded from it, not folded)",
        _ => $"{mapName}: {snapshot.Entries.Count} entries as a {(snapshot.KeySize <= 8 ? "switch" : "full-key compare tree")}{(Eligibility.IsComplete(snapshot) ? "" : " (other keys: kernel lookup)")}",
    };
}
