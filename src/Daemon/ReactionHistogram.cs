using System.Text.Json.Serialization;

namespace Kecleon.Daemon;

/// <summary>One bucket of a histogram: how many times took at most <see cref="LeMs"/> (cumulative, as Prometheus counts).</summary>
public sealed record HistogramBucket([property: JsonPropertyName("le_ms")] double LeMs, long Count);

/// <summary>A distribution of times in milliseconds: the count since the daemon started, the median and p99 of the latest
/// <see cref="ReactionHistogram.Kept"/>, and cumulative buckets over all of them.</summary>
public sealed record TimeDistribution(long Count, double Median, double P99, IReadOnlyList<HistogramBucket> Buckets);

/// <summary>One stage of a reaction (<c>wake</c>, <c>snapshot</c>, <c>passes</c>, ...) and how long it took.</summary>
public sealed record ReactionStage(string Stage, TimeDistribution Ms);

/// <summary>The reactions of one kind: write → specialized code correct again, and each stage.</summary>
public sealed record ReactionStats(ReactionKind Kind, long Count,
    [property: JsonPropertyName("write_to_live_ms")] TimeDistribution WriteToLiveMs, IReadOnlyList<ReactionStage> Stages);

/// <summary>A histogram of times (not thread-safe: its owner locks): all-time bucket counts, and the latest
/// <see cref="Kept"/> samples for the median and the p99.</summary>
public sealed class ReactionHistogram
{
    /// <summary>Upper bounds of the buckets, milliseconds (0.1 ms to 5 s).</summary>
    public static readonly double[] BoundsMs = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000];

    public const int Kept = 1024;

    private readonly long[] _buckets = new long[BoundsMs.Length];
    private readonly Queue<double> _latest = new();
    private long _count;

    public void Observe(double ms)
    {
        _count++;
        for (var i = 0; i < BoundsMs.Length; i++)
            if (ms <= BoundsMs[i])
                _buckets[i]++;
        _latest.Enqueue(ms);
        if (_latest.Count > Kept)
            _latest.Dequeue();
    }

    public long Count => _count;

    public TimeDistribution Distribution()
    {
        var sorted = _latest.Order().ToArray();
        return new TimeDistribution(_count, Quantile(sorted, 0.5), Quantile(sorted, 0.99),
            BoundsMs.Select((le, i) => new HistogramBucket(le, _buckets[i])).ToList());
    }

    /// <summary>The nearest-rank quantile of <paramref name="sorted"/> (0 when empty).</summary>
    public static double Quantile(IReadOnlyList<double> sorted, double q) =>
        sorted.Count == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Count) - 1, 0, sorted.Count - 1)];
}
