using Kecleon.Bpf;

namespace Kecleon.Workloads;

/// <summary>
/// chain/chain.bpf.c: the firewall and the router as a service chain, each stage its own program, linked by tail calls
/// through the PROG_ARRAY <c>chain_slots</c> (the entry on the hook, the router in slot 2).
/// </summary>
/// <remarks>
/// Maps written here: the firewall's and the router's, as those samples write them (same seed, same entries), and routes
/// for the internal network the firewall's rules protect (10.0.0.0/8 and a /16 per internal site), so that what the
/// firewall accepts is routed. Traffic is the firewall's; a frame the firewall lets through gets the router's verdict.
/// </remarks>
internal sealed class ChainSample : INetworkFunctionSample
{
    public const string SlotsMap = "chain_slots";
    public const uint RouterSlot = 2;

    private static readonly FirewallSample Firewall = new();
    private static readonly RouterSample Router = new();

    public string Name => "chain";
    public string SourcePath => "chain/chain.bpf.c";
    public string ProgramName => "chain_firewall";
    public IReadOnlyList<ProgramSlot> ProgramSlots => [new(SlotsMap, RouterSlot, "chain_router")];
    public IReadOnlyList<string> DataPlaneWrittenMaps => Firewall.DataPlaneWrittenMaps;

    public ControlPlaneData GenerateControlPlane(int seed)
    {
        var data = new ControlPlaneData();
        foreach (var stage in new[] { Firewall.GenerateControlPlane(seed), Router.GenerateControlPlane(seed) })
            foreach (var map in stage.MapNames)
                foreach (var entry in stage.Entries(map))
                    data.Add(map, entry.Key, entry.Value);
        // The internal network behind the firewall: one route for all of it (next hop 0, on the ingress interface) and a
        // more-specific per site on the next hops of the other interfaces. The router's own table is public prefixes only.
        data.Add("routes", new Ipv4Prefix(Ipv4.Address(10, 0, 0, 0), 8).ToLpmKey(), RouterSample.U32(0));
        for (byte site = 1; site <= 20; site += 2)
            data.Add("routes", new Ipv4Prefix(Ipv4.Address(10, site, 0, 0), 16).ToLpmKey(), RouterSample.U32((uint)(1 + site % 3)));
        return data;
    }

    public IReadOnlyList<byte[]> GenerateTrace(ControlPlaneData controlPlane, Locality locality, int packets, int seed) =>
        Firewall.GenerateTrace(controlPlane, locality, packets, seed);

    public IReadOnlyList<KnownPacket> KnownPackets(ControlPlaneData controlPlane)
    {
        var packets = new List<KnownPacket>();
        foreach (var packet in Firewall.KnownPackets(controlPlane))
            packets.Add(packet.Expected == XdpAction.Pass
                ? packet with
                {
                    Name = "firewall-" + packet.Name,
                    Expected = RouterSample.VerdictFor(controlPlane, packet.Frame),
                    Reason = packet.Reason + "; then the router stage's verdict",
                }
                : packet with { Name = "firewall-" + packet.Name, Reason = packet.Reason + "; the router stage never runs" });
        return packets;
    }
}
