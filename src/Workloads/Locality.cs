namespace Kecleon.Workloads;

/// <summary>
/// How packets spread over a trace's flow set. Defined here once for every
/// sample: flow ranks are drawn from a Zipf distribution whose exponent is
/// <see cref="LocalityExtensions.ZipfExponent"/>.
/// </summary>
public enum Locality
{
    /// <summary>Zipf, exponent 1.2: over 1,024 flows the top 10 carry about 57% of packets.</summary>
    High,

    /// <summary>Zipf, exponent 0.6: the top 10 of 1,024 flows carry about 12% of packets.</summary>
    Low,

    /// <summary>Uniform over the flow set.</summary>
    None,
}

public static class LocalityExtensions
{
    public const double HighExponent = 1.2;
    public const double LowExponent = 0.6;

    public static double ZipfExponent(this Locality locality) => locality switch
    {
        Locality.High => HighExponent,
        Locality.Low => LowExponent,
        Locality.None => 0.0,
        _ => throw new ArgumentOutOfRangeException(nameof(locality), locality, null),
    };
}

/// <summary>
/// Draws flow indices with Zipf weights 1/rank^s. Ranks are assigned to flows
/// by a seeded shuffle, so the hot flows are not simply the first generated.
/// </summary>
internal sealed class FlowSampler
{
    private readonly double[] _cumulative;
    private readonly int[] _flowOfRank;

    public FlowSampler(int flows, Locality locality, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(flows, 1);
        double exponent = locality.ZipfExponent();
        _cumulative = new double[flows];
        double total = 0;
        for (int rank = 0; rank < flows; rank++)
        {
            total += 1.0 / Math.Pow(rank + 1, exponent);
            _cumulative[rank] = total;
        }
        for (int rank = 0; rank < flows; rank++)
            _cumulative[rank] /= total;

        _flowOfRank = Enumerable.Range(0, flows).ToArray();
        for (int i = flows - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (_flowOfRank[i], _flowOfRank[j]) = (_flowOfRank[j], _flowOfRank[i]);
        }
    }

    public int Next(Random random)
    {
        int rank = Array.BinarySearch(_cumulative, random.NextDouble());
        if (rank < 0)
            rank = ~rank;
        return _flowOfRank[Math.Min(rank, _flowOfRank.Length - 1)];
    }

    /// <summary>Draws <paramref name="packets"/> flows and returns a fresh copy of each flow's frame.</summary>
    public static IReadOnlyList<byte[]> Trace(IReadOnlyList<byte[]> flowFrames, Locality locality, int packets, Random random)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(packets);
        var sampler = new FlowSampler(flowFrames.Count, locality, random);
        var trace = new byte[packets][];
        for (int i = 0; i < packets; i++)
            trace[i] = (byte[])flowFrames[sampler.Next(random)].Clone();
        return trace;
    }
}
