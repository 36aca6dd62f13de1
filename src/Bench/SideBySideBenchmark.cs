using Kecleon.Runtime.Deployment;
using Perfolizer.Mathematics.Common;
using Perfolizer.Mathematics.QuantileEstimators;

namespace Kecleon.Bench;

/// <summary>
/// How long one variant took: the mean ns per packet of each timed pass (one per round and load). A pass that something
/// else on the machine slowed (an interrupt storm, another VM) is left out of the mean the way BenchmarkDotNet leaves
/// out upper outliers: above Tukey's fence, the third quartile plus 1.5 times the interquartile range. Measured on this
/// machine kind: single passes up to 40 % over their variant's median, which moved a trace's mean by up to 5 %.
/// </summary>
public sealed record VariantTiming(string Variant, IReadOnlyList<double> RoundMeansNs)
{
    private IReadOnlyList<double>? _kept;

    /// <summary>The passes below the upper fence (all of them with fewer than four).</summary>
    public IReadOnlyList<double> KeptNs => _kept ??= RoundMeansNs.Count < 4
        ? RoundMeansNs
        : RoundMeansNs.Where(ns => ns <= UpperFence(RoundMeansNs)).ToList();

    /// <summary>Passes left out as upper outliers.</summary>
    public int Outliers => RoundMeansNs.Count - KeptNs.Count;

    /// <summary>Mean ns per packet over the measured passes, upper outliers left out (kernel-measured
    /// <c>BPF_PROG_TEST_RUN</c> durations).</summary>
    public double MeanNs => KeptNs.Average();
    public double MinNs => RoundMeansNs.Min();
    public double MaxNs => RoundMeansNs.Max();
    public double MedianNs => Quartiles.Create(RoundMeansNs, SimpleQuantileEstimator.Instance).Median;

    /// <summary>The <see cref="ConfidenceLevel"/> of every interval the bench reports and checks.</summary>
    public const double Confidence = 0.99;

    /// <summary>The 99 % confidence interval of <see cref="MeanNs"/> (Student's t over the kept passes, Perfolizer's
    /// estimator, as BenchmarkDotNet's); a single pass gives the empty interval at its value.</summary>
    public BenchInterval MeanInterval => Interval(KeptNs);

    private static BenchInterval Interval(IReadOnlyList<double> values)
    {
        var mean = values.Average();
        if (values.Count < 2)
            return new BenchInterval(mean, mean, mean);
        var standardError = Moments.Create(values).StandardDeviation / Math.Sqrt(values.Count);
        var ci = new ConfidenceIntervalEstimator(values.Count, mean, standardError).ConfidenceInterval(new ConfidenceLevel(Confidence));
        return new BenchInterval(mean, ci.Lower, ci.Upper);
    }

    /// <summary>
    /// More than the upper fence can leave out: the mean of all passes more than <see cref="DisturbedMargin"/> over their
    /// median, so that many of them were slowed. Measured over ten runs of the twelve traces (2026-11-26): the
    /// mean of all passes was at most 13 % over the median for every variant, but in one trace, where something else on
    /// the machine made passes up to 22 times the floor: 25–55 % there, for every program but the floor (13 %).
    /// </summary>
    public bool Disturbed => RoundMeansNs.Average() > MedianNs * (1 + DisturbedMargin);

    public const double DisturbedMargin = 0.20;

    /// <summary>A mean whose 99 % interval is wider than this on either side (a fraction of the mean) is too uncertain to
    /// read a few percent from: the report marks its trace disturbed.</summary>
    public const double WideIntervalMargin = 0.10;

    /// <summary>The interval reaches more than <see cref="WideIntervalMargin"/> of the mean away from it.</summary>
    public bool WideInterval => MeanInterval.Upper - MeanNs > MeanNs * WideIntervalMargin;

    /// <summary>Q3 + 1.5 (Q3 − Q1).</summary>
    public static double UpperFence(IReadOnlyList<double> values)
    {
        var quartiles = Quartiles.Create(values, SimpleQuantileEstimator.Instance);
        return quartiles.Q3 + 1.5 * quartiles.InterquartileRange;
    }
}

/// <summary>An estimate with its 99 % confidence interval.</summary>
public readonly record struct BenchInterval(double Value, double Lower, double Upper)
{
    /// <summary>The ratio a / b of two independent estimates, its interval the widest the two intervals allow
    /// (a's lower bound over b's upper, a's upper over b's lower): conservative, never narrower than the truth.</summary>
    public static BenchInterval Ratio(BenchInterval a, BenchInterval b) =>
        new(a.Value / b.Value, a.Lower / b.Upper, b.Lower > 0 ? a.Upper / b.Lower : double.PositiveInfinity);

    /// <summary>Half the interval's width.</summary>
    public double Margin => (Upper - Lower) / 2;
}

/// <summary>Progress of a long run: rounds done out of rounds to do.</summary>
public readonly record struct BenchProgress(int Round, int Rounds, string Variant);

/// <summary>
/// Times variants of one program on one trace. Every packet runs once on a fresh copy (<c>repeat</c> = 1), because the
/// kernel does not restore the packet between repetitions and a program that rewrites it would otherwise be timed on its
/// own output. Variants alternate in rounds, so that drift of the machine (frequency, other load) falls on all of them
/// alike; the first round only warms up caches and data-plane state. Within a round each variant runs the trace once
/// untimed, then timed, in an order shuffled each round: in a fixed order each variant came after the same one, whose
/// working set it found in the caches (measured: the router's kernel-trie baseline, always right after the specialized
/// variants, 8–30 % slower than the same trie lookup in the variants after it; docs/bench.md). Variants loaded more
/// than once (same name) are timed load by load and reported as one, over all their loads' rounds.
/// </summary>
public static class SideBySideBenchmark
{
    /// <summary>The seed of the rounds' order: the same run, the same order.</summary>
    public const int Seed = 1;

    public static IReadOnlyList<VariantTiming> Run(IReadOnlyList<LoadedVariant> variants, IReadOnlyList<byte[]> trace,
        int rounds, IProgress<BenchProgress>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rounds, 1);
        if (trace.Count == 0)
            throw new KecleonException("the trace has no packets");
        var means = variants.Select(_ => new List<double>()).ToArray();
        var random = new Random(Seed);
        var order = Enumerable.Range(0, variants.Count).ToArray();
        for (var round = 0; round <= rounds; round++) // round 0 is the warm-up
        {
            random.Shuffle(order);
            foreach (var index in order)
            {
                cancellation.ThrowIfCancellationRequested();
                var fd = variants[index].Program.Fd;
                var name = variants[index].Program.Name;
                // An untimed pass first: the variant timed before this one has filled the caches with its own working
                // set, and the next one would pay to bring its own back.
                foreach (var packet in trace)
                    Bpf.BpfTestRun.Time(fd, name, packet);
                long total = 0;
                foreach (var packet in trace)
                    total += Bpf.BpfTestRun.Time(fd, name, packet).DurationNs;
                if (round > 0)
                    means[index].Add((double)total / trace.Count);
            }
            progress?.Report(new BenchProgress(round, rounds, ""));
        }
        return variants.Select((v, i) => (v.Name, Means: means[i])).GroupBy(v => v.Name)
            .Select(g => new VariantTiming(g.Key, g.SelectMany(v => v.Means).ToList())).ToList();
    }
}
