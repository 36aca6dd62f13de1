using Kecleon.Bpf;

namespace Kecleon.Workloads;

/// <summary>
/// chain/chain.bpf.c: DDoS mitigation, the firewall and the router as a service chain, each stage its own program, linked
/// by tail calls through the PROG_ARRAY <c>chain_slots</c> (the ddos stage the entry on the hook, the firewall in slot 1,
/// the router in slot 2).
/// </summary>
/// <remarks>
/// Maps written here: the ddos stage's, the firewall's and the router's, as those samples write them (same seed, same
/// entries), and routes for the internal network the firewall's rules protect (10.0.0.0/8 and a /16 per internal site),
/// so that what the firewall accepts is routed. Traffic is the ddos sample's attack mix and the firewall's flows, frame
/// by frame. A known packet the ddos stage drops is dropped; one it hands on gets the firewall's verdict, and one the
/// firewall lets through the router's.
/// </remarks>
internal sealed class ChainSample : INetworkFunctionSample
{
    public const string SlotsMap = "chain_slots";
    public const uint FirewallSlot = 1;
    public const uint RouterSlot = 2;

    private static readonly DdosSample Ddos = new();
    private static readonly FirewallSample Firewall = new();
    private static readonly RouterSample Router = new();

    public string Name => "chain";
    public string SourcePath => "chain/chain.bpf.c";
    public string ProgramName => "chain_ddos";
    public IReadOnlyList<ProgramSlot> ProgramSlots => [new(SlotsMap, FirewallSlot, "chain_firewall"), new(SlotsMap, RouterSlot, "chain_router")];
    public IReadOnlyList<string> DataPlaneWrittenMaps => [.. Ddos.DataPlaneWrittenMaps, .. Firewall.DataPlaneWrittenMaps];

    public ControlPlaneData GenerateControlPlane(int seed)
    {
        var data = new ControlPlaneData();
        foreach (var stage in new[] { Ddos.GenerateControlPlane(seed), Firewall.GenerateControlPlane(seed), Router.GenerateControlPlane(seed) })
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

    /// <summary>The ddos sample's attack mix and the firewall's flows, alternately, each at the locality asked for.</summary>
    public IReadOnlyList<byte[]> GenerateTrace(ControlPlaneData controlPlane, Locality locality, int packets, int seed)
    {
        var attack = Ddos.GenerateTrace(controlPlane, locality, (packets + 1) / 2, seed);
        var flows = Firewall.GenerateTrace(controlPlane, locality, packets / 2, seed);
        var trace = new List<byte[]>(packets);
        for (int i = 0; trace.Count < packets; i++)
        {
            if (i < attack.Count)
                trace.Add(attack[i]);
            if (i < flows.Count && trace.Count < packets)
                trace.Add(flows[i]);
        }
        return trace;
    }

    public IReadOnlyList<KnownPacket> KnownPackets(ControlPlaneData controlPlane)
    {
        var ddos = new DdosSample.DdosModel(controlPlane);
        // What the ddos stage drops never reaches the firewall; what it hands on, the firewall's known packets say.
        var packets = Ddos.KnownPackets(controlPlane).Where(p => p.Expected == XdpAction.Drop)
            .Select(p => p with { Name = "ddos-" + p.Name, Reason = p.Reason + "; the later stages never run" }).ToList();
        foreach (var packet in Firewall.KnownPackets(controlPlane))
        {
            if (Flow(packet.Frame) is { } flow && ddos.Drops(flow.Flow, flow.HasPorts))
                packets.Add(packet with { Name = "firewall-" + packet.Name, Expected = XdpAction.Drop, Reason = "the ddos stage drops it first" });
            else
                packets.Add(packet.Expected == XdpAction.Pass
                    ? packet with
                    {
                        Name = "firewall-" + packet.Name,
                        Expected = RouterSample.VerdictFor(controlPlane, packet.Frame),
                        Reason = packet.Reason + "; then the router stage's verdict",
                    }
                    : packet with { Name = "firewall-" + packet.Name, Reason = packet.Reason + "; the router stage never runs" });
        }
        return packets;
    }

    /// <summary>The 5-tuple of a well-formed IPv4 frame (one VLAN tag understood), and whether it carries ports (TCP or UDP,
    /// not a later fragment); null for anything else, which the ddos stage hands on or drops as the firewall does.</summary>
    private static (FirewallSample.Flow Flow, bool HasPorts)? Flow(byte[] frame)
    {
        int l3 = 14;
        if (frame.Length < 14)
            return null;
        ushort type = System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(12));
        if (type is 0x8100 or 0x88a8 && frame.Length >= 18)
        {
            type = System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(16));
            l3 = 18;
        }
        var ip = frame.AsSpan(l3);
        if (type != 0x0800 || ip.Length < 20 || ip[0] >> 4 != 4)
            return null;
        int headerLength = (ip[0] & 0xf) * 4;
        int total = System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(ip[2..]);
        if (headerLength < 20 || total < headerLength || total > ip.Length)
            return null;
        byte protocol = ip[9];
        bool later = (System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(ip[6..]) & 0x1fff) != 0;
        bool ports = !later && protocol is Ipv4Frame.Tcp or Ipv4Frame.Udp;
        var l4 = ip[headerLength..total];
        if (ports && l4.Length < (protocol == Ipv4Frame.Tcp ? 20 : 8))
            return null; // cut short: both stages drop it
        return (new FirewallSample.Flow(System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(ip[12..]),
                System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(ip[16..]), protocol,
                ports ? System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(l4) : (ushort)0,
                ports ? System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(l4[2..]) : (ushort)0), ports);
    }
}
