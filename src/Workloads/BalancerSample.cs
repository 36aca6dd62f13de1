using System.Buffers.Binary;

using Kecleon.Bpf;

namespace Kecleon.Workloads;

/// <summary>
/// balancer/balancer.bpf.c: a Katran-style L4 load balancer, 10 VIPs of 100 reals each.
/// </summary>
/// <remarks>
/// Maps written here (layouts as in the C; addresses and ports in network byte order):
/// <list type="bullet">
/// <item><c>vip_map</c> hash: key {be32 addr; be16 port; u8 proto; u8 pad} (port 0 = any port),
/// value {u32 flags; u32 vip_num}. 11 VIPs: 10 served, and vip_num 10 drained (no ring, so dropped).
/// VIP 4 (DNS) bypasses the LRU, VIP 6 hashes without the source port.</item>
/// <item><c>ch_rings</c> array: key u32 vip_num * 65537 + slot, value u32 real index; a Maglev ring per served VIP
/// (655,370 entries).</item>
/// <item><c>reals</c> array: key u32 index (0 is reserved for "no real"), value {be32 addr; u32 flags}; 1,000 reals.</item>
/// <item><c>ctl_array</c> array: key u32 0, value {u8 nexthop_mac[6]; u8 pad[2]; be32 encap_src}.</item>
/// </list>
/// The data plane writes <c>lru_conns</c> (LRU hash, 10,000: key 5-tuple {be32 saddr, daddr; be16 sport, dport;
/// u8 proto; u8 pad[3]}, value {u32 real_index; u32 pad; u64 atime}) for each new flow.
/// </remarks>
internal sealed class BalancerSample : INetworkFunctionSample
{
    public const int RingSize = MaglevRing.Size;
    public const int RealsPerVip = 100;
    public const uint FlagHashNoSourcePort = 0x1;
    public const uint FlagLruBypass = 0x2;

    private static readonly (uint Address, ushort Port, byte Protocol, uint Flags, bool Drained)[] VipPlan =
    [
        (Ipv4.Address(198, 18, 0, 10), 80, Ipv4Frame.Tcp, 0, false),
        (Ipv4.Address(198, 18, 0, 10), 443, Ipv4Frame.Tcp, 0, false),
        (Ipv4.Address(198, 18, 0, 11), 443, Ipv4Frame.Tcp, 0, false),
        (Ipv4.Address(198, 18, 0, 11), 443, Ipv4Frame.Udp, 0, false),
        (Ipv4.Address(198, 18, 0, 12), 53, Ipv4Frame.Udp, FlagLruBypass, false),
        (Ipv4.Address(198, 18, 0, 13), 80, Ipv4Frame.Tcp, 0, false),
        (Ipv4.Address(198, 18, 0, 13), 443, Ipv4Frame.Tcp, FlagHashNoSourcePort, false),
        (Ipv4.Address(198, 18, 0, 14), 8080, Ipv4Frame.Tcp, 0, false),
        (Ipv4.Address(198, 18, 0, 15), 0, Ipv4Frame.Tcp, 0, false),
        (Ipv4.Address(198, 18, 0, 16), 443, Ipv4Frame.Tcp, 0, false),
        (Ipv4.Address(198, 18, 0, 17), 443, Ipv4Frame.Tcp, 0, true),
    ];

    /// <summary>Katran's IPIP source prefix, 172.16.0.0/16; the data plane fills the low 16 bits per flow.</summary>
    private static readonly uint EncapSource = Ipv4.Address(172, 16, 0, 0);

    public string Name => "balancer";
    public string SourcePath => "balancer/balancer.bpf.c";
    public string ProgramName => "balancer";
    public IReadOnlyList<string> DataPlaneWrittenMaps => ["lru_conns"];

    public ControlPlaneData GenerateControlPlane(int seed)
    {
        var random = new Random(seed);
        var data = new ControlPlaneData();
        ulong ringSalt = (ulong)random.NextInt64();

        data.Add("ctl_array", U32(0), CtlValue(MacAddress.RandomLocal(random), EncapSource));
        for (uint vipNum = 0; vipNum < VipPlan.Length; vipNum++)
        {
            var vip = VipPlan[vipNum];
            data.Add("vip_map", VipKey(vip.Address, vip.Port, vip.Protocol), VipValue(vip.Flags, vipNum));
        }

        uint nextReal = 1;
        var usedAddresses = new HashSet<uint>();
        for (uint vipNum = 0; vipNum < VipPlan.Length; vipNum++)
        {
            if (VipPlan[vipNum].Drained)
                continue;
            var realIndices = new uint[RealsPerVip];
            var realKeys = new ulong[RealsPerVip];
            for (int j = 0; j < RealsPerVip; j++)
            {
                uint address;
                do
                    address = Ipv4.Address(10, (byte)(1 + vipNum), (byte)random.Next(256), (byte)random.Next(1, 255));
                while (!usedAddresses.Add(address));
                realIndices[j] = nextReal++;
                realKeys[j] = address;
                data.Add("reals", U32(realIndices[j]), RealValue(address));
            }
            int[] ring = MaglevRing.Populate(realKeys, ringSalt);
            for (int slot = 0; slot < RingSize; slot++)
                data.Add("ch_rings", U32(vipNum * RingSize + (uint)slot), U32(realIndices[ring[slot]]));
        }
        return data;
    }

    public IReadOnlyList<byte[]> GenerateTrace(ControlPlaneData controlPlane, Locality locality, int packets, int seed)
    {
        var model = new BalancerModel(controlPlane);
        var random = new Random(seed);
        var served = model.Vips.Where(v => !v.Drained).ToList();
        var drained = model.Vips.Where(v => v.Drained).ToList();
        var balancerMac = MacAddress.RandomLocal(random);
        var routerMac = MacAddress.RandomLocal(random);

        // 90% to served VIPs, 1% to a drained VIP, 2% to a VIP address on a port it does not serve,
        // 6% to the balancer host itself (not a VIP), 1% ICMP to a VIP.
        const int flowCount = 2048;
        var flows = new List<byte[]>(flowCount);
        while (flows.Count < flowCount)
        {
            int kind = random.Next(100);
            var vip = kind == 90 && drained.Count > 0 ? drained[random.Next(drained.Count)] : served[random.Next(served.Count)];
            var frame = new Ipv4Frame
            {
                EthernetDestination = balancerMac,
                EthernetSource = routerMac,
                Source = Ipv4.RandomPublic(random),
                Destination = vip.Address,
                Protocol = vip.Protocol,
                SourcePort = (ushort)random.Next(1024, 65536),
                DestinationPort = vip.Port != 0 ? vip.Port : (ushort)(random.Next(3) switch { 0 => 22, 1 => 80, _ => 8443 }),
                Identification = (ushort)random.Next(65536),
                TcpFlags = random.Next(10) == 0 ? Ipv4Frame.TcpSyn : Ipv4Frame.TcpAck,
            };
            frame = kind switch
            {
                >= 91 and < 93 when UnservedPort(model, vip) is ushort unserved => frame with { DestinationPort = unserved },
                >= 91 and < 99 => frame with { Destination = Ipv4.Address(198, 18, 1, 1), DestinationPort = 22, Protocol = Ipv4Frame.Tcp },
                99 => frame with { Protocol = Ipv4Frame.Icmp },
                _ => frame,
            };
            flows.Add(frame.Build());
        }
        return FlowSampler.Trace(flows, locality, packets, random);
    }

    public IReadOnlyList<KnownPacket> KnownPackets(ControlPlaneData controlPlane)
    {
        var model = new BalancerModel(controlPlane);
        BalancerModel.Vip Find(Func<BalancerModel.Vip, bool> where, string what) =>
            model.Vips.FirstOrDefault(where) ?? throw new InvalidOperationException($"control plane has no VIP {what}");
        var tcpVip = Find(v => !v.Drained && v.Protocol == Ipv4Frame.Tcp && v.Port != 0 && v.Flags == 0, "for TCP on one port");
        var udpVip = Find(v => !v.Drained && v.Protocol == Ipv4Frame.Udp && v.Flags == 0, "for UDP");
        var bypassVip = Find(v => !v.Drained && (v.Flags & FlagLruBypass) != 0, "bypassing the LRU");
        var noSourcePortVip = Find(v => !v.Drained && (v.Flags & FlagHashNoSourcePort) != 0, "hashing without the source port");
        var anyPortVip = Find(v => !v.Drained && v.Port == 0, "for any port");
        var drainedVip = Find(v => v.Drained, "without reals");

        var syn = new Ipv4Frame
        {
            EthernetDestination = new MacAddress(0x02_00_00_00_0b_01),
            EthernetSource = new MacAddress(0x02_00_00_00_0a_01),
            Source = Ipv4.Address(192, 0, 2, 33),
            Destination = tcpVip.Address,
            Protocol = Ipv4Frame.Tcp,
            SourcePort = 51000,
            DestinationPort = tcpVip.Port,
            TcpFlags = Ipv4Frame.TcpSyn,
        };
        Ipv4Frame To(BalancerModel.Vip vip, ushort? port = null) =>
            syn with { Destination = vip.Address, Protocol = vip.Protocol, DestinationPort = port ?? vip.Port, TcpFlags = Ipv4Frame.TcpAck };

        return
        [
            new("tcp-syn-to-vip", syn.Build(), XdpAction.Tx, "new flow: Maglev ring pick, LRU filled, IP-in-IP encapsulated"),
            new("tcp-ack-to-vip", (syn with { TcpFlags = Ipv4Frame.TcpAck }).Build(), XdpAction.Tx,
                "same flow again: the real comes from lru_conns"),
            new("udp-to-vip", To(udpVip).Build(), XdpAction.Tx, "UDP VIP"),
            new("lru-bypass-vip", To(bypassVip).Build(), XdpAction.Tx, "VIP flagged to skip the LRU: ring every time"),
            new("no-source-port-vip", To(noSourcePortVip).Build(), XdpAction.Tx, "VIP hashed without the source port"),
            new("any-port-vip", To(anyPortVip, 9999).Build(), XdpAction.Tx, "no exact VIP: the port-0 VIP matches"),
            new("ip-options-to-vip", (syn with { Options = [0x01, 0x01, 0x01, 0x00] }).Build(), XdpAction.Tx,
                "ihl 6: the whole inner header is carried"),
            new("drained-vip", To(drainedVip).Build(), XdpAction.Drop, "VIP without reals: its ring slots hold the reserved real 0"),
            new("cut-tcp-header-to-any-port-vip", (To(anyPortVip, 9999) with { RawL4 = new byte[10], FrameLength = 0 }).Build(), XdpAction.Drop,
                "only 10 bytes of TCP header to an any-port VIP"),
            new("cut-tcp-header-to-vip", (syn with { RawL4 = new byte[10], FrameLength = 0 }).Build(), XdpAction.Pass,
                "VIP address but the ports cannot be read, so no VIP claims it"),
            new("vip-unserved-port", To(tcpVip, UnservedPort(model, tcpVip) ?? throw new InvalidOperationException("the TCP VIP takes every port")).Build(), XdpAction.Pass,
                "VIP address, but no VIP on that port"),
            new("not-a-vip", (syn with { Destination = Ipv4.Address(198, 18, 1, 1), DestinationPort = 22 }).Build(), XdpAction.Pass,
                "traffic for the host itself"),
            new("icmp-to-vip", (syn with { Protocol = Ipv4Frame.Icmp }).Build(), XdpAction.Pass, "only TCP and UDP are balanced"),
            new("fragment-to-vip", (syn with { DontFragment = false, MoreFragments = true }).Build(), XdpAction.Pass,
                "fragments go to the stack for reassembly"),
            new("vlan-tagged-to-vip", (syn with { VlanId = 7 }).Build(), XdpAction.Pass, "only untagged frames are balanced"),
            new("ipv6", Frames.Ipv6Udp(syn.EthernetDestination, syn.EthernetSource, 1, 2, 40000, 443), XdpAction.Pass, "not IPv4"),
            new("arp", Frames.ArpRequest(syn.EthernetSource, syn.Source, tcpVip.Address), XdpAction.Pass, "not IPv4"),
            new("ethernet-header-only", syn.Build()[..14], XdpAction.Pass, "ethertype IPv4 but no IPv4 header"),
            new("truncated-ipv4", syn.Build()[..40], XdpAction.Pass, "tot_len claims more than arrived"),
        ];
    }

    internal static byte[] VipKey(uint address, ushort port, byte protocol)
    {
        var key = new byte[8];
        BinaryPrimitives.WriteUInt32BigEndian(key, address);
        BinaryPrimitives.WriteUInt16BigEndian(key.AsSpan(4), port);
        key[6] = protocol;
        return key;
    }

    internal static byte[] VipValue(uint flags, uint vipNum)
    {
        var value = new byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(value, flags);
        BinaryPrimitives.WriteUInt32LittleEndian(value.AsSpan(4), vipNum);
        return value;
    }

    internal static byte[] RealValue(uint address)
    {
        var value = new byte[8];
        BinaryPrimitives.WriteUInt32BigEndian(value, address);
        return value;
    }

    internal static byte[] CtlValue(MacAddress nextHop, uint encapSource)
    {
        var value = new byte[12];
        nextHop.WriteTo(value);
        BinaryPrimitives.WriteUInt32BigEndian(value.AsSpan(8), encapSource);
        return value;
    }

    /// <summary>A port no VIP on this address and protocol serves; none when one VIP takes every port.</summary>
    private static ushort? UnservedPort(BalancerModel model, BalancerModel.Vip vip)
    {
        var same = model.Vips.Where(v => v.Address == vip.Address && v.Protocol == vip.Protocol).ToList();
        if (same.Any(v => v.Port == 0))
            return null;
        ushort port = 7000;
        while (same.Any(v => v.Port == port))
            port++;
        return port;
    }

    private static byte[] U32(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        return bytes;
    }

    /// <summary>VIPs read back from control-plane bytes; a VIP is drained when no ring slot of it names a real.</summary>
    private sealed class BalancerModel
    {
        internal sealed record Vip(uint Address, ushort Port, byte Protocol, uint Flags, uint Number, bool Drained);

        public BalancerModel(ControlPlaneData controlPlane)
        {
            var withRing = new HashSet<uint>();
            foreach (var entry in controlPlane.Entries("ch_rings"))
                if (BinaryPrimitives.ReadUInt32LittleEndian(entry.Value) != 0)
                    withRing.Add(BinaryPrimitives.ReadUInt32LittleEndian(entry.Key) / RingSize);
            Vips = controlPlane.Entries("vip_map").Select(e =>
            {
                uint number = BinaryPrimitives.ReadUInt32LittleEndian(e.Value.AsSpan(4));
                return new Vip(BinaryPrimitives.ReadUInt32BigEndian(e.Key), BinaryPrimitives.ReadUInt16BigEndian(e.Key.AsSpan(4)),
                    e.Key[6], BinaryPrimitives.ReadUInt32LittleEndian(e.Value), number, !withRing.Contains(number));
            }).ToList();
            if (Vips.Count == 0)
                throw new ArgumentException("control plane has no 'vip_map' entries; was it made by the balancer sample?", nameof(controlPlane));
        }

        public IReadOnlyList<Vip> Vips { get; }
    }
}
