namespace Kecleon;

/// <summary>"Did you mean" for a mistyped word: the known words within a small edit distance of it.</summary>
public static class Suggestions
{
    /// <summary>"; did you mean X?" when a known word is close to <paramref name="given"/> (empty otherwise).</summary>
    public static string DidYouMean(string given, IEnumerable<string> known)
    {
        var nearest = Nearest(given, known);
        return nearest.Count == 0 ? "" : $"; did you mean {string.Join(" or ", nearest)}?";
    }

    /// <summary>The known words nearest <paramref name="given"/>, if near enough (a third of its length, at least 1).</summary>
    public static IReadOnlyList<string> Nearest(string given, IEnumerable<string> known)
    {
        var limit = Math.Max(1, given.TrimStart('-').Length / 3);
        var scored = known.Distinct(StringComparer.Ordinal).Select(k => (Word: k, Distance: Distance(given, k))).Where(s => s.Distance <= limit).ToList();
        if (scored.Count == 0)
            return [];
        var best = scored.Min(s => s.Distance);
        return [.. scored.Where(s => s.Distance == best).Select(s => s.Word).Take(3)];
    }

    /// <summary>Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours.</summary>
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
            d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++)
            d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        return d[a.Length, b.Length];
    }
}
