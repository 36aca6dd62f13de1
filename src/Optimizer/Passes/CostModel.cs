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
/// combination of answers (the firewall's port and protocol bitsets made it give up at a million instructions), so the
/// product of the sites' distinct answers stays within <see cref="InliningLimits.MaxAnswerCombinations"/>.
/// </summary>
internal sealed class AnswerBudget(InliningLimits limits)
{
    public long Combinations { get; private set; } = 1;

    public bool Admits(long answers) => Combinations * answers <= limits.MaxAnswerCombinations;

    public void Take(long answers) => Combinations *= answers;
}
