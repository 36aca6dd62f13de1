namespace Kecleon.Workloads;

/// <summary>
/// One bundled network function: where its C source is, the control-plane
/// state it runs with, traffic to run through it and frames with known verdicts.
/// Everything is deterministic from the seed.
/// </summary>
public interface INetworkFunctionSample
{
    /// <summary>"router", "switch", "balancer", "firewall", "ddos" or "chain".</summary>
    string Name { get; }

    /// <summary>The C source, relative to the repository's samples/ folder.</summary>
    string SourcePath { get; }

    /// <summary>The SEC("xdp") function in the object file (C has no function called "switch"); a chain's entry stage.</summary>
    string ProgramName { get; }

    /// <summary>The PROG_ARRAY slots its loader fills with the object's other programs (a chain's stages, in the order
    /// they run); none for a program alone.</summary>
    IReadOnlyList<ProgramSlot> ProgramSlots => [];

    /// <summary>Maps the control plane owns and the data plane writes, by name; the data plane writes no other map but per-CPU stats.</summary>
    IReadOnlyList<string> DataPlaneWrittenMaps { get; }

    ControlPlaneData GenerateControlPlane(int seed);

    /// <summary>
    /// Ethernet frames (60 bytes before FCS unless a frame needs more), drawn
    /// from a flow set built against <paramref name="controlPlane"/> with the
    /// given locality. Every frame is a fresh array.
    /// </summary>
    IReadOnlyList<byte[]> GenerateTrace(ControlPlaneData controlPlane, Locality locality, int packets, int seed);

    /// <summary>Named frames covering the program's verdict paths, malformed and edge frames included.</summary>
    IReadOnlyList<KnownPacket> KnownPackets(ControlPlaneData controlPlane);
}
