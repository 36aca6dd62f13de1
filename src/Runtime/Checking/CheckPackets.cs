using Kecleon.Workloads;

namespace Kecleon.Runtime.Checking;

/// <summary>
/// The packets the differential check runs before a swap, made here and nowhere else. They come in three parts, in
/// this order: the given ones (<see cref="For"/>: a bundled sample's known frames and a trace of its traffic, or
/// well-formed, random and malformed frames for other programs; then the user's traces, <see cref="WithTraces"/>); packets sampled from the live traffic while a profile window ran
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

    /// <summary>For a program whose traffic nothing describes: half well-formed frames of every common shape with valid
    /// checksums (<see cref="ShapedFrames"/>: a program that verifies them takes its accepting path), half random and
    /// malformed ones, mutations of those (<see cref="PacketFuzzer"/>).</summary>
    public static CheckPackets Fuzzed(int count, int seed)
    {
        var shaped = ShapedFrames.Generate((count + 1) / 2, seed);
        var fuzzed = PacketFuzzer.Generate(shaped, count - shaped.Count, seed);
        return new([.. shaped, .. fuzzed],
            $"{shaped.Count} well-formed frames ({ShapedFrames.Shapes}) and {fuzzed.Count} random and malformed ones (seed {seed})");
    }

    /// <summary>At most this many packets are taken from the user's traces, in file order.</summary>
    public const int MaxTracePackets = 100_000;

    /// <summary>These packets, then the frames of the user's traces (<c>--pcap</c>, the daemon's <c>"pcap"</c>): real
    /// traffic reaches the paths no generated frame does.</summary>
    public CheckPackets WithTraces(IReadOnlyList<string> pcapPaths)
    {
        if (pcapPaths.Count == 0)
            return this;
        var frames = new List<byte[]>();
        foreach (var path in pcapPaths)
            frames.AddRange(Execution.PacketFile.ReadTrace(path).Where(f => f.Length >= Execution.PacketRunner.MinFrameLength));
        var taken = frames.Take(MaxTracePackets).ToList();
        return new([.. Packets, .. taken],
            $"{Description}, and {taken.Count} frames of {string.Join(", ", pcapPaths)}{(frames.Count > taken.Count ? $" (the first {taken.Count} of {frames.Count})" : "")}");
    }

    /// <summary>The given packets, then the ones sampled from live traffic.</summary>
    public static IReadOnlyList<byte[]> WithLiveSamples(IReadOnlyList<byte[]> given, IReadOnlyList<byte[]> sampled) => [.. given, .. sampled];

    /// <summary>At most <paramref name="count"/> of <paramref name="packets"/>, evenly spread over them, in their order
    /// (all of them when <paramref name="count"/> is 0 or covers them): a re-specialization's smaller check.</summary>
    public static IReadOnlyList<byte[]> Spread(IReadOnlyList<byte[]> packets, int count) =>
        count <= 0 || count >= packets.Count ? packets : [.. Enumerable.Range(0, count).Select(i => packets[(int)((long)i * packets.Count / count)])];

    /// <summary>The check's packets, then the probes for the keys specialized on.</summary>
    public static IReadOnlyList<byte[]> WithProbes(IReadOnlyList<byte[]> given, IReadOnlyList<byte[]> probes) => [.. given, .. probes];
}
