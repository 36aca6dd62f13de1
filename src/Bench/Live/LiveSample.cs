using Kecleon.Bpf;
using Kecleon.Runtime.Deployment;
using Kecleon.Workloads;

namespace Kecleon.Bench.Live;

/// <summary>
/// A bundled sample running on a veth pair's host end as any loader starts it (clang's object, its control plane written,
/// attached by netlink), with a private reference copy on maps of its own that the churn writer keeps in step: what the
/// original holding the current maps makes of each frame. The router's next hops all point at the host end, so routed
/// frames go back by XDP_TX.
/// </summary>
public sealed class LiveSample : IDisposable
{
    private LiveSample(INetworkFunctionSample sample, ControlPlaneData controlPlane, LoadedVariant original, LoadedVariant reference)
    {
        Sample = sample;
        ControlPlane = controlPlane;
        Original = original;
        Reference = reference;
    }

    public INetworkFunctionSample Sample { get; }
    public ControlPlaneData ControlPlane { get; }
    public LoadedVariant Original { get; }
    public LoadedVariant Reference { get; }

    /// <summary>The samples a churn run knows how to change as an orchestrator would.</summary>
    public static IReadOnlyList<string> ChurnSamples { get; } = ["router", "firewall"];

    public static LiveSample Start(VethPair pair, INetworkFunctionSample sample, int seed = 1)
    {
        var controlPlane = sample is RouterSample
            ? LiveControlPlane.Router(sample.GenerateControlPlane(seed), pair.HostIndex)
            : sample.GenerateControlPlane(seed);
        var elf = SampleFiles.Read(sample).BuildBaselineObject(SampleFiles.FrontEndOptions);
        LoadedVariant? original = null, reference = null;
        try
        {
            original = LoadedVariant.Load("original", elf, sample.ProgramName);
            original.Apply(controlPlane);
            reference = LoadedVariant.Load("reference", elf, sample.ProgramName);
            reference.Apply(controlPlane);
            BpfXdp.Attach(pair.HostIndex, original.Program.Fd, XdpFlags.DriverMode);
            return new LiveSample(sample, controlPlane, original, reference);
        }
        catch
        {
            original?.Dispose();
            reference?.Dispose();
            throw;
        }
    }

    public IReadOnlyList<byte[]> Trace(Locality locality, int packets, int seed) => Sample.GenerateTrace(ControlPlane, locality, packets, seed);

    /// <summary>Check packets for the daemon: the sample's known frames and a trace on the starting control plane (made once).</summary>
    public IReadOnlyList<byte[]> CheckPackets(int packets = 1000)
    {
        lock (_lock)
            return _checkPackets ??= Kecleon.Runtime.Checking.CheckPackets.ForSample(Sample, ControlPlane, packets, seed: 7).Packets;
    }

    private readonly Lock _lock = new();
    private IReadOnlyList<byte[]>? _checkPackets;

    public void Dispose()
    {
        Reference.Dispose();
        Original.Dispose();
    }
}
