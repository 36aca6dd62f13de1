using Kecleon.Cfg;
using Kecleon.Helpers;
using Kecleon.Instrumentation.Profiles;
using Kecleon.Optimizer.Specialization;

namespace Kecleon.Optimizer.Passes;

/// <summary>What the specialization passes may afford, by <see cref="InliningLimits"/>: how many value words a
/// rewritten site may return, how many hot keys pay for their compares.</summary>
internal static class CostModel
{
    /// <summary>The answer returns at most <see cref="InliningLimits.MaxValueWords"/> words, each inside the value.</summary>
    public static bool SpansTooManyWords(IReadOnlyList<int> words, MapSnapshot snapshot, InliningLimits limits) =>
        words.Count > limits.MaxValueWords || words.Any(w => w * 8 >= snapshot.ValueSize);

    /// <summary>The cost model: hottest first, while a key still adds enough of the site's lookups. A key of one word is
    /// a case of one switch (a tree of compares, log2 of the keys deep), so more of them pay than of wider keys, each
    /// of which adds a compare of its other words; in a hash table (<paramref name="hashed"/>) a hit costs the same
    /// however many keys there are, so it takes more.</summary>
    public static IReadOnlyList<HotKey> ChooseHotKeys(SiteProfile site, int keySize, InliningLimits limits, bool hashed = false)
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
}

/// <summary>
/// Each inlined site's answers become constants the code after it branches on: the verifier walks the program once per
/// combination of answers along a path (the firewall's port and protocol bitsets made it give up at a million
/// instructions), so the product of the distinct answers of the sites on any one path stays within
/// <see cref="InliningLimits.MaxAnswerCombinations"/>. Sites on disjoint paths (an IPv4 and an IPv6 branch, each with
/// its lookup) never combine: a new site is checked against the sites taken that can run before or after it in one run
/// (in another function: assumed to). That bounds every path through it, and the paths that miss it are as before.
/// </summary>
internal sealed class AnswerBudget
{
    private readonly InliningLimits _limits;
    private readonly Func<int, int, bool> _onOnePath;
    private readonly List<(IReadOnlyList<int> Sites, long Answers)> _taken = [];

    /// <param name="onOnePath">Whether two lookup sites (by index) can both run for one packet.</param>
    private AnswerBudget(InliningLimits limits, Func<int, int, bool> onOnePath) => (_limits, _onOnePath) = (limits, onOnePath);

    /// <summary>A budget over <paramref name="sites"/>, their paths read from the control-flow graphs before any is
    /// rewritten (a rewrite replaces the calls).</summary>
    public static AnswerBudget Over(IEnumerable<HelperCallSite> sites, ControlFlowGraphs graphs, InliningLimits limits)
    {
        var all = sites.ToList();
        var together = new HashSet<(int, int)>();
        foreach (var a in all)
            foreach (var b in all)
                if (a.Index < b.Index && (a.Call.Block.Parent != b.Call.Block.Parent
                                          || graphs.Of(a.Call.Block.Parent).MayRunBefore(a.Call, b.Call)
                                          || graphs.Of(a.Call.Block.Parent).MayRunBefore(b.Call, a.Call)))
                    together.Add((a.Index, b.Index));
        return new AnswerBudget(limits, (x, y) => x == y || together.Contains((Math.Min(x, y), Math.Max(x, y))));
    }

    /// <summary>The combinations on the paths through <paramref name="sites"/> (one site, or the lookups a phi merges,
    /// answered together) with <paramref name="answers"/> more.</summary>
    public long With(IReadOnlyList<int> sites, long answers) =>
        _taken.Where(t => t.Sites.Any(a => sites.Any(b => _onOnePath(a, b)))).Aggregate(answers, (product, t) => product * t.Answers);

    public bool Admits(IReadOnlyList<int> sites, long answers) => With(sites, answers) <= _limits.MaxAnswerCombinations;

    public void Take(IReadOnlyList<int> sites, long answers) => _taken.Add((sites, answers));
}
