using Kecleon.Workloads;

namespace Kecleon.Runtime.Checking;

/// <summary>
/// The packets the differential check runs before a swap, made here and nowhere else. They come in three parts, in
/// this order: the given ones (<see cref="For"/>: a bundled sample's known frames and a trace of its traffic, or random
/// and malformed frames for other programs); packets sampled from the live traffic while a profile window ran
/// (<see cref="WithLiveSamples"/>, the daemon's); and probe packets for every specialized key, which the optimization
/// cycle adds once it knows what it specialized on (<see cref="WithProbes"/>, <see cref="Optimization.ProbePackets"/>).
/// </summary>
/// <param name="Description">Where the given packets come from, for the user.</param>
public sealed record CheckPackets(IReadOnlyList<byte[]> Packets, string Description)
{
    /// <summary>A bundled sample's packets on its own control plane (<paramref name="seed"/>), else <paramref name="count"/>
    /// random and malformed frames.</summary>
    public static CheckPackets For(INetworkFunctionSample? sample, int count, int seed) =>
        sample is null ? Fuzzed(count, seed) : ForSample(sample, sample.GenerateControlPlane(seed), count, seed);

    /// <summary>The sample's known frames (every verdict path) and a high-locality trace of <paramref name="count"/>
    /// frames, both on <paramref name="controlPlane"/>.</summary>
    public static CheckPackets ForSample(INetworkFunctionSample sample, ControlPlaneData controlPlane, int count, int seed)
    {
        var known = sample.KnownPackets(controlPlane).Select(k => k.Frame).ToList();
        var trace = sample.GenerateTrace(controlPlane, Locality.High, count, seed);
        return new CheckPackets([.. known, .. trace],
            $"the {sample.Name} sample's trace ({trace.Count} frames, high locality, seed {seed}) and its {known.Count} known frames");
    }

    /// <summary>Random frames behind plausible headers, for a program whose traffic nothing describes.</summary>
    public static CheckPackets Fuzzed(int count, int seed) =>
        new(PacketFuzzer.Generate([], count, seed), $"{count} random and malformed frames (PacketFuzzer, seed {seed})");

    /// <summary>The given packets, then the ones sampled from live traffic.</summary>
    public static IReadOnlyList<byte[]> WithLiveSamples(IReadOnlyList<byte[]> given, IReadOnlyList<byte[]> sampled) => [.. given, .. sampled];

    /// <summary>The check's packets, then the probes for the keys specialized on.</summary>
    public static IReadOnlyList<byte[]> WithProbes(IReadOnlyList<byte[]> given, IReadOnlyList<byte[]> probes) => [.. given, .. probes];
}
