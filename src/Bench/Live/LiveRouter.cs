using Kecleon.Runtime.Deployment;
using Kecleon.Workloads;

namespace Kecleon.Bench.Live;

/// <summary>
/// The router sample running on a veth pair's host end as any loader starts it: clang's object, its routes and next
/// hops written (every next hop on that interface, so routed frames go back by XDP_TX), attached by netlink. A private
/// reference copy, kept in step with every control-plane change made through <see cref="Reroute"/>, says what each
/// frame must become.
/// </summary>
public sealed class LiveRouter : IDisposable
{
    private static readonly RouterSample Sample = new();
    private readonly LiveSample _live;

    private LiveRouter(VethPair pair, LiveSample live)
    {
        Pair = pair;
        _live = live;
        OriginalId = live.Original.Program.Info().Id;
    }

    public VethPair Pair { get; }
    public ControlPlaneData ControlPlane => _live.ControlPlane;
    public LoadedVariant Original => _live.Original;
    public LoadedVariant Reference => _live.Reference;
    public uint OriginalId { get; }

    public static LiveRouter Start(VethPair pair, int seed = 1) => new(pair, LiveSample.Start(pair, Sample, seed));

    public IReadOnlyList<byte[]> Trace(Locality locality, int packets, int seed) => Sample.GenerateTrace(ControlPlane, locality, packets, seed);

    /// <summary>Check packets for the daemon: the sample's known frames and a trace on the live control plane (made once per size).</summary>
    public IReadOnlyList<byte[]> CheckPackets(int packets = 500)
    {
        lock (_checkPackets)
        {
            if (!_checkPackets.TryGetValue(packets, out var made))
                _checkPackets[packets] = made = Kecleon.Runtime.Checking.CheckPackets.ForSample(Sample, ControlPlane, packets, seed: 7).Packets;
            return made;
        }
    }

    private readonly Dictionary<int, IReadOnlyList<byte[]>> _checkPackets = [];

    /// <summary>Re-routes the <paramref name="count"/> hottest destinations of <paramref name="frames"/> (a /32 each), live
    /// and in the reference. Returns the next next-hop counter.</summary>
    public uint Reroute(IReadOnlyList<byte[]> frames, int count, uint nextHop) =>
        LiveControlPlane.Reroute(frames, count, nextHop, Original.Object.Map("routes"), Reference.Object.Map("routes"));

    /// <summary>Sends <paramref name="frames"/> and compares what came out with what the reference makes of them.</summary>
    public (ExpectedTraffic Expected, TrafficResult Actual, int Wrong) SendAndCompare(IReadOnlyList<byte[]> frames)
    {
        var expected = Traffic.Expect(Reference, frames);
        var actual = Traffic.Send(Pair, frames);
        var back = Traffic.Compare(expected.SentBack, actual.SentBack);
        var passed = Traffic.Compare(expected.Passed, actual.Passed);
        return (expected, actual, back.Unexpected + back.Missing + passed.Unexpected + passed.Missing);
    }

    public void Dispose() => _live.Dispose();
}
