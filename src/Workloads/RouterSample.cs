using System.Buffers.Binary;

using Kecleon.Bpf;

namespace Kecleon.Workloads;

/// <summary>
/// router/router.bpf.c: IPv4 forwarding over a backbone-like table.
/// </summary>
/// <remarks>
/// Maps written here (layouts as in the C):
/// <list type="bullet">
/// <item><c>routes</c> LPM trie: key {u32 prefixlen; be32 addr}, value u32 next-hop index.
/// 2,592 prefixes, no default route (a default-free table), so unrouted destinations are dropped.</item>
/// <item><c>nexthops</c> array: key u32 index, value {u8 dst_mac[6]; u8 src_mac[6]; u32 ifindex; u32 flags}
/// (20 bytes, flags bit 0 = valid). 16 next hops over interfaces 1–4; those on interface 1 leave by XDP_TX
/// under BPF_PROG_TEST_RUN, the others by XDP_REDIRECT. Next hop 255 is left unresolved (invalid) on purpose.</item>
/// </list>
/// </remarks>
public sealed class RouterSample : INetworkFunctionSample
{
    public const int RouteCount = 2592;
    public const int NextHopCount = 16;
    public const int InterfaceCount = 4;
    public const uint UnresolvedNextHop = 255;
    private const uint NextHopValid = 1;

    /// <summary>Prefix length shares (per mille) modelled on public BGP tables, plus some internal more-specifics.</summary>
    private static readonly (int Length, int PerMille)[] LengthMix =
    [
        (8, 2), (10, 2), (11, 2), (12, 3), (13, 2), (14, 2), (15, 2),
        (16, 40), (17, 15), (18, 20), (19, 35), (20, 50), (21, 50), (22, 90), (23, 90), (24, 550),
        (25, 10), (26, 8), (27, 7), (28, 6), (29, 6), (30, 4), (31, 1), (32, 3),
    ];

    // Fixed routes the known packets rely on: a /24 on interface 1 with a /26 more-specific elsewhere,
    // and a /24 whose next hop has no resolved MAC.
    private static readonly Ipv4Prefix LocalNet = new(Ipv4.Address(198, 51, 100, 0), 24);
    private static readonly Ipv4Prefix MoreSpecific = new(Ipv4.Address(198, 51, 100, 64), 26);
    private static readonly Ipv4Prefix UnresolvedNet = new(Ipv4.Address(203, 0, 113, 0), 24);

    public string Name => "router";
    public string SourcePath => "router/router.bpf.c";
    public string ProgramName => "router";
    public IReadOnlyList<string> DataPlaneWrittenMaps => [];

    public ControlPlaneData GenerateControlPlane(int seed)
    {
        var random = new Random(seed);
        var data = new ControlPlaneData();

        var interfaceMacs = Enumerable.Range(0, InterfaceCount).Select(_ => MacAddress.RandomLocal(random)).ToArray();
        for (uint i = 0; i < NextHopCount; i++)
        {
            uint ifindex = 1 + i % InterfaceCount;
            data.Add("nexthops", U32(i), NextHopValue(MacAddress.RandomLocal(random), interfaceMacs[ifindex - 1], ifindex, NextHopValid));
        }

        var routes = new List<(Ipv4Prefix Prefix, uint NextHop)>
        {
            (LocalNet, 0),              // next hop 0 is on interface 1
            (MoreSpecific, 5),          // next hop 5 is on interface 2
            (UnresolvedNet, UnresolvedNextHop),
        };
        var seen = routes.Select(r => r.Prefix).ToHashSet();
        int totalWeight = LengthMix.Sum(m => m.PerMille);
        while (routes.Count < RouteCount)
        {
            int pick = random.Next(totalWeight);
            int length = LengthMix.First(m => (pick -= m.PerMille) < 0).Length;

            // About one in six longer prefixes is a more-specific of an existing route, as
            // deaggregation for traffic engineering makes them; the rest are independent.
            uint address = Ipv4.RandomPublic(random);
            if (length > 16 && random.Next(6) == 0)
            {
                var covering = routes[random.Next(routes.Count)].Prefix;
                if (covering.Length < length)
                    address = covering.RandomHost(random);
            }
            var prefix = new Ipv4Prefix(address, length);
            if (seen.Add(prefix))
                routes.Add((prefix, (uint)random.Next(NextHopCount)));
        }
        foreach (var (prefix, nextHop) in routes)
            data.Add("routes", prefix.ToLpmKey(), U32(nextHop));
        return data;
    }

    public IReadOnlyList<byte[]> GenerateTrace(ControlPlaneData controlPlane, Locality locality, int packets, int seed)
    {
        var model = new RouterModel(controlPlane);
        var random = new Random(seed);
        var routerMac = model.InterfaceMac(SampleCatalog.TestRunIngressIfindex);
        var neighbours = Enumerable.Range(0, 8).Select(_ => MacAddress.RandomLocal(random)).ToArray();

        // 90% routed, 6% unrouted, 2% expiring TTL, 2% not IPv4.
        const int flowCount = 1024;
        var flows = new List<byte[]>(flowCount);
        while (flows.Count < flowCount)
        {
            int kind = random.Next(100);
            var source = neighbours[random.Next(neighbours.Length)];
            if (kind >= 98)
            {
                flows.Add(random.Next(2) == 0
                    ? Frames.ArpRequest(source, Ipv4.RandomPublic(random), Ipv4.RandomPublic(random))
                    : Frames.Ipv6Udp(routerMac, source, (ulong)random.NextInt64(), (ulong)random.NextInt64(), 5353, 443));
                continue;
            }
            uint destination = kind is >= 90 and < 96 ? model.RandomUnrouted(random) : model.RandomRouted(random);
            bool tcp = random.Next(4) != 0;
            flows.Add(new Ipv4Frame
            {
                EthernetDestination = routerMac,
                EthernetSource = source,
                Source = Ipv4.RandomPublic(random),
                Destination = destination,
                Protocol = tcp ? Ipv4Frame.Tcp : Ipv4Frame.Udp,
                SourcePort = (ushort)random.Next(1024, 65536),
                DestinationPort = tcp ? (ushort)(random.Next(2) == 0 ? 443 : 80) : (ushort)random.Next(1024, 65536),
                Ttl = kind is >= 96 and < 98 ? (byte)1 : (byte)random.Next(30, 64),
                Identification = (ushort)random.Next(65536),
            }.Build());
        }
        return FlowSampler.Trace(flows, locality, packets, random);
    }

    public IReadOnlyList<KnownPacket> KnownPackets(ControlPlaneData controlPlane)
    {
        var model = new RouterModel(controlPlane);
        var routerMac = model.InterfaceMac(SampleCatalog.TestRunIngressIfindex);
        var neighbour = new MacAddress(0x02_00_5e_00_00_01);
        uint local = LocalNet.Address + 10;          // 198.51.100.10: /24 on interface 1
        uint specific = MoreSpecific.Address + 6;    // 198.51.100.70: /26 on interface 2
        uint unrouted = model.RandomUnrouted(new Random(1));
        var basic = new Ipv4Frame
        {
            EthernetDestination = routerMac,
            EthernetSource = neighbour,
            Source = Ipv4.Address(192, 0, 2, 1),
            Destination = local,
            SourcePort = 40000,
            DestinationPort = 443,
        };
        byte[] badIhl = basic.Build();
        badIhl[14] = 0x44;
        byte[] badVersion = basic.Build();
        badVersion[14] = 0x65;

        var packets = new List<KnownPacket>
        {
            new("routed-same-interface", basic.Build(), model.Expect(local, 64),
                "/24 hit whose next hop is on the ingress interface: TTL and checksum rewritten, XDP_TX"),
            new("routed-more-specific", (basic with { Destination = specific }).Build(), model.Expect(specific, 64),
                "the /26 inside that /24 wins and points at interface 2: bpf_redirect"),
            new("routed-udp", (basic with { Protocol = Ipv4Frame.Udp, Destination = specific + 1 }).Build(), model.Expect(specific + 1, 64),
                "UDP is routed like TCP"),
            new("unrouted", (basic with { Destination = unrouted }).Build(), XdpAction.Drop,
                "no prefix covers the destination and the table has no default route"),
            new("unresolved-next-hop", (basic with { Destination = UnresolvedNet.Address + 1 }).Build(), XdpAction.Drop,
                "the route's next-hop slot is not marked valid"),
            new("ttl-1", (basic with { Ttl = 1 }).Build(), XdpAction.Pass, "TTL would expire: the stack sends ICMP time exceeded"),
            new("ttl-0", (basic with { Ttl = 0 }).Build(), XdpAction.Pass, "TTL already zero"),
            new("ip-options", (basic with { Options = [0x94, 0x04, 0x00, 0x00, 0x01, 0x01, 0x01, 0x00] }).Build(), model.Expect(local, 64),
                "router-alert plus NOPs, ihl 7: header length comes from ihl"),
            new("first-fragment", (basic with { DontFragment = false, MoreFragments = true }).Build(), model.Expect(local, 64),
                "fragments are forwarded, not reassembled"),
            new("later-fragment", (basic with { DontFragment = false, FragmentOffset = 185 }).Build(), model.Expect(local, 64),
                "a non-first fragment has no L4 header, which routing does not need"),
            new("vlan-tagged", (basic with { VlanId = 100 }).Build(), XdpAction.Pass, "VLAN subinterfaces belong to the stack"),
            new("ipv6", Frames.Ipv6Udp(routerMac, neighbour, 1, 2, 5353, 53), XdpAction.Pass, "not IPv4"),
            new("arp", Frames.ArpRequest(neighbour, Ipv4.Address(192, 0, 2, 1), Ipv4.Address(192, 0, 2, 254)), XdpAction.Pass, "not IPv4"),
            new("ethernet-header-only", basic.Build()[..14], XdpAction.Pass, "ethertype IPv4 but no IPv4 header"),
            new("truncated-ip-header", basic.Build()[..30], XdpAction.Pass, "the IPv4 header is cut short"),
            new("tot-len-beyond-frame", (basic with { FrameLength = 0 }).Build()[..50], XdpAction.Pass,
                "tot_len claims more bytes than arrived"),
            new("bad-ihl", badIhl, XdpAction.Pass, "ihl 4 is shorter than the fixed header"),
            new("bad-version", badVersion, XdpAction.Pass, "ethertype IPv4 but version 6"),
        };
        return packets;
    }

    /// <summary>The router's verdict for <paramref name="frame"/>, from control-plane bytes: what a chain's router stage
    /// does with a frame the stages before it let through. Malformed IPv4 passes, as in the C.</summary>
    internal static XdpAction VerdictFor(ControlPlaneData controlPlane, byte[] frame)
    {
        if (frame.Length < 14 || BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(12)) != 0x0800)
            return XdpAction.Pass; // not IPv4, or VLAN-tagged
        var ip = frame.AsSpan(14);
        int headerLength = (ip.Length > 0 ? ip[0] & 0xf : 0) * 4;
        if (ip.Length < 20 || ip[0] >> 4 != 4 || headerLength < 20 || ip.Length < headerLength
            || BinaryPrimitives.ReadUInt16BigEndian(ip[2..]) is var total && (total < headerLength || total > ip.Length))
            return XdpAction.Pass;
        return new RouterModel(controlPlane).Expect(BinaryPrimitives.ReadUInt32BigEndian(ip[16..]), ip[8]);
    }

    internal static byte[] NextHopValue(MacAddress destination, MacAddress source, uint ifindex, uint flags)
    {
        var value = new byte[20];
        destination.WriteTo(value);
        source.WriteTo(value.AsSpan(6));
        BinaryPrimitives.WriteUInt32LittleEndian(value.AsSpan(12), ifindex);
        BinaryPrimitives.WriteUInt32LittleEndian(value.AsSpan(16), flags);
        return value;
    }

    internal static byte[] U32(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        return bytes;
    }

    /// <summary>The router's decisions, read back from control-plane bytes.</summary>
    private sealed class RouterModel
    {
        private readonly List<Ipv4Prefix> _prefixes = [];
        private readonly PrefixTable<uint> _table;
        private readonly Dictionary<uint, (uint Ifindex, MacAddress Source, bool Valid)> _nextHops = [];

        public RouterModel(ControlPlaneData controlPlane)
        {
            var routes = controlPlane.Entries("routes");
            if (routes.Count == 0)
                throw new ArgumentException("control plane has no 'routes' entries; was it made by the router sample?", nameof(controlPlane));
            var entries = routes.Select(e => (Ipv4Prefix.FromLpmKey(e.Key), BinaryPrimitives.ReadUInt32LittleEndian(e.Value))).ToList();
            _prefixes.AddRange(entries.Select(e => e.Item1));
            _table = new PrefixTable<uint>(entries);
            foreach (var entry in controlPlane.Entries("nexthops"))
            {
                uint index = BinaryPrimitives.ReadUInt32LittleEndian(entry.Key);
                _nextHops[index] = (BinaryPrimitives.ReadUInt32LittleEndian(entry.Value.AsSpan(12)),
                    MacAddress.Read(entry.Value.AsSpan(6)),
                    (BinaryPrimitives.ReadUInt32LittleEndian(entry.Value.AsSpan(16)) & NextHopValid) != 0);
            }
        }

        /// <summary>The source MAC the router uses on an interface, i.e. the MAC frames arriving there are sent to.</summary>
        public MacAddress InterfaceMac(uint ifindex) =>
            _nextHops.Values.Where(n => n.Ifindex == ifindex && n.Valid).Select(n => n.Source).DefaultIfEmpty(new MacAddress(0x02_00_00_00_00_01)).First();

        public XdpAction Expect(uint destination, byte ttl)
        {
            if (ttl <= 1)
                return XdpAction.Pass;
            if (!_table.TryMatch(destination, out _, out uint nextHop))
                return XdpAction.Drop;
            if (!_nextHops.TryGetValue(nextHop, out var hop) || !hop.Valid)
                return XdpAction.Drop;
            return hop.Ifindex == SampleCatalog.TestRunIngressIfindex ? XdpAction.Tx : XdpAction.Redirect;
        }

        public uint RandomRouted(Random random) => _prefixes[random.Next(_prefixes.Count)].RandomHost(random);

        public uint RandomUnrouted(Random random)
        {
            while (true)
            {
                uint address = Ipv4.RandomPublic(random);
                if (!_table.TryMatch(address, out _, out _))
                    return address;
            }
        }
    }
}
