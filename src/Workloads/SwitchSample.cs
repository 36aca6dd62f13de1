using System.Buffers.Binary;

using Kecleon.Bpf;

namespace Kecleon.Workloads;

/// <summary>
/// switch/switch.bpf.c (program "bridge"): a VLAN-aware learning bridge with 8 ports.
/// </summary>
/// <remarks>
/// Maps written here (layouts as in the C):
/// <list type="bullet">
/// <item><c>ports</c> array, 16 slots, key u32 port = ifindex % 16: value {u32 ifindex; u8 mode (1 access, 2 trunk);
/// u8 pad; u16 pvid; u64 allowed_vlans[64]} (520 bytes). Port p is ifindex p. Port 1, the test-run ingress, is a
/// trunk with native VLAN 1 and VLANs 1,10,20,30,40; port 2 an uplink trunk carrying them all tagged; ports 3–8 are
/// access ports on VLANs 1, 10, 10, 20, 30, 40.</item>
/// <item><c>fdb</c> hash: key {u8 mac[6]; u16 vlan} (vlan host order), value {u32 port; u32 pad; u64 learned_ns}.
/// 324 stations learned earlier (learned_ns 0); the data plane adds new stations and moves.</item>
/// </list>
/// </remarks>
internal sealed class SwitchSample : INetworkFunctionSample
{
    public const int MaxPorts = 16;
    public const byte ModeAccess = 1;
    public const byte ModeTrunk = 2;
    private const int PortValueLength = 520;

    private static readonly ushort[] Vlans = [1, 10, 20, 30, 40];

    private static readonly (uint Port, byte Mode, ushort Pvid, ushort[] Allowed, int Hosts)[] PortPlan =
    [
        (1, ModeTrunk, 1, Vlans, 48),
        (2, ModeTrunk, 0, Vlans, 96),
        (3, ModeAccess, 1, [1], 30),
        (4, ModeAccess, 10, [10], 30),
        (5, ModeAccess, 10, [10], 30),
        (6, ModeAccess, 20, [20], 30),
        (7, ModeAccess, 30, [30], 30),
        (8, ModeAccess, 40, [40], 30),
    ];

    public string Name => "switch";
    public string SourcePath => "switch/switch.bpf.c";
    public string ProgramName => "bridge";
    public IReadOnlyList<string> DataPlaneWrittenMaps => ["fdb"];

    public ControlPlaneData GenerateControlPlane(int seed)
    {
        var random = new Random(seed);
        var data = new ControlPlaneData();
        foreach (var plan in PortPlan)
            data.Add("ports", U32(plan.Port), PortValue(plan.Port, plan.Mode, plan.Pvid, plan.Allowed));

        var seen = new HashSet<(MacAddress, ushort)>();
        foreach (var plan in PortPlan)
        {
            for (int added = 0; added < plan.Hosts;)
            {
                var mac = MacAddress.RandomLocal(random);
                ushort vlan = plan.Allowed[random.Next(plan.Allowed.Length)];
                if (!seen.Add((mac, vlan)))
                    continue;
                data.Add("fdb", FdbKey(mac, vlan), FdbValue(plan.Port));
                added++;
            }
        }
        return data;
    }

    public IReadOnlyList<byte[]> GenerateTrace(ControlPlaneData controlPlane, Locality locality, int packets, int seed)
    {
        var model = new SwitchModel(controlPlane);
        var random = new Random(seed);
        uint ingress = SampleCatalog.TestRunIngressIfindex % MaxPorts;
        var local = model.Stations.Where(s => s.Port == ingress).ToList();
        var remote = model.Stations.Where(s => s.Port != ingress).ToList();
        if (local.Count == 0 || remote.Count == 0)
            throw new ArgumentException("the fdb needs stations on the ingress port and elsewhere", nameof(controlPlane));
        ushort nativeVlan = model.Pvid(ingress);

        // 78% known unicast to another port, 5% to the ingress port (filtered), 6% unknown unicast,
        // 5% broadcast ARP, 3% new stations, 2% a VLAN the port does not carry, 1% IPv6 multicast.
        const int flowCount = 1024;
        var flows = new List<byte[]>(flowCount);
        while (flows.Count < flowCount)
        {
            int kind = random.Next(100);
            var source = local[random.Next(local.Count)];
            ushort vlan = source.Vlan;
            MacAddress sourceMac = source.Mac;
            MacAddress destination;
            if (kind < 78 || kind is >= 94 and < 97)
            {
                var sameVlan = remote.Where(s => s.Vlan == vlan).ToList();
                destination = sameVlan[random.Next(sameVlan.Count)].Mac;
                if (kind >= 94)
                    sourceMac = MacAddress.RandomLocal(random);
            }
            else if (kind < 83)
            {
                var peers = local.Where(s => s.Vlan == vlan && s.Mac != source.Mac).ToList();
                destination = peers.Count > 0 ? peers[random.Next(peers.Count)].Mac : source.Mac;
            }
            else if (kind < 89)
            {
                destination = MacAddress.RandomLocal(random);
            }
            else if (kind < 94)
            {
                flows.Add(Frames.ArpRequest(sourceMac, RandomHostAddress(random, vlan), RandomHostAddress(random, vlan), Tag(vlan, nativeVlan)));
                continue;
            }
            else if (kind < 99)
            {
                destination = MacAddress.RandomLocal(random);
                vlan = 99;
            }
            else
            {
                flows.Add(Frames.Ipv6Udp(new MacAddress(0x3333_0000_00fb), sourceMac, (ulong)random.NextInt64(), 0xfb, 5353, 5353, Tag(vlan, nativeVlan)));
                continue;
            }
            flows.Add(new Ipv4Frame
            {
                EthernetDestination = destination,
                EthernetSource = sourceMac,
                VlanId = Tag(vlan, nativeVlan),
                Source = RandomHostAddress(random, vlan),
                Destination = RandomHostAddress(random, vlan),
                Protocol = random.Next(3) == 0 ? Ipv4Frame.Udp : Ipv4Frame.Tcp,
                SourcePort = (ushort)random.Next(1024, 65536),
                DestinationPort = (ushort)(random.Next(2) == 0 ? 445 : 443),
            }.Build());
        }
        return FlowSampler.Trace(flows, locality, packets, random);
    }

    public IReadOnlyList<KnownPacket> KnownPackets(ControlPlaneData controlPlane)
    {
        var model = new SwitchModel(controlPlane);
        uint ingress = SampleCatalog.TestRunIngressIfindex % MaxPorts;
        ushort native = model.Pvid(ingress);
        var local = model.Stations.Where(s => s.Port == ingress).ToList();

        SwitchModel.Station Remote(Func<SwitchModel.Station, bool> where, string what) =>
            model.Stations.FirstOrDefault(s => s.Port != ingress && where(s))
            ?? throw new InvalidOperationException($"control plane has no station {what}");
        SwitchModel.Station Local(ushort vlan) =>
            local.FirstOrDefault(s => s.Vlan == vlan) ?? throw new InvalidOperationException($"no station on the ingress port in VLAN {vlan}");

        var nativeSender = Local(native);
        var vlan10Sender = Local(10);
        var toAccessNative = Remote(s => s.Vlan == native && model.Mode(s.Port) == ModeAccess, "on an access port in the native VLAN");
        var toAccess10 = Remote(s => s.Vlan == 10 && model.Mode(s.Port) == ModeAccess, "on an access port in VLAN 10");
        var toTrunk10 = Remote(s => s.Vlan == 10 && model.Mode(s.Port) == ModeTrunk, "on a trunk in VLAN 10");
        var toTrunkNative = Remote(s => s.Vlan == native && model.Mode(s.Port) == ModeTrunk && model.Pvid(s.Port) != native,
            "on a trunk that carries the native VLAN tagged");
        var onlyIn20 = Remote(s => s.Vlan == 20 && !model.Stations.Any(o => o.Mac == s.Mac && o.Vlan == 10), "in VLAN 20 only");
        var sameVlanLocal = local.FirstOrDefault(s => s.Vlan == native && s.Mac != nativeSender.Mac)
            ?? throw new InvalidOperationException("needs two stations on the ingress port in the native VLAN");

        Ipv4Frame Frame(SwitchModel.Station from, MacAddress to, ushort? tag) => new()
        {
            EthernetDestination = to,
            EthernetSource = from.Mac,
            VlanId = tag,
            Source = Ipv4.Address(10, 0, 0, 1),
            Destination = Ipv4.Address(10, 0, 0, 2),
            SourcePort = 50000,
            DestinationPort = 445,
        };
        var newStation = new SwitchModel.Station(new MacAddress(0x02_4b_45_43_00_01), native, ingress);
        byte[] multicastSource = Frame(nativeSender, toAccessNative.Mac, null).Build();
        multicastSource[6] |= 0x01;
        byte[] priorityTagged = Frame(nativeSender, toAccessNative.Mac, 0).Build();

        return
        [
            new("native-to-access", Frame(nativeSender, toAccessNative.Mac, null).Build(), XdpAction.Redirect,
                "untagged frame in the native VLAN to a station on an access port"),
            new("tagged-to-access", Frame(vlan10Sender, toAccess10.Mac, 10).Build(), XdpAction.Redirect,
                "VLAN 10 frame to an access port: the tag is popped"),
            new("tagged-to-trunk", Frame(vlan10Sender, toTrunk10.Mac, 10).Build(), XdpAction.Redirect,
                "VLAN 10 frame to a trunk: the tag stays"),
            new("native-to-tagged-trunk", Frame(nativeSender, toTrunkNative.Mac, null).Build(), XdpAction.Redirect,
                "untagged native-VLAN frame to a trunk without that native VLAN: a tag is pushed"),
            new("priority-tagged", priorityTagged, XdpAction.Redirect,
                "VID 0 means untagged with a priority: classified into the native VLAN"),
            new("qinq-tpid", (Frame(vlan10Sender, toTrunk10.Mac, 10) with { VlanTpid = Frames.EtherTypeQinQ }).Build(), XdpAction.Redirect,
                "an 802.1ad tag is read like an 802.1Q one"),
            new("ipv6-unicast", Frames.Ipv6Udp(toAccessNative.Mac, nativeSender.Mac, 1, 2, 40000, 443), XdpAction.Redirect,
                "a bridge forwards any ethertype"),
            new("new-station", Frame(newStation, toAccessNative.Mac, null).Build(), XdpAction.Redirect,
                "an unknown source is learned on the ingress port, then the frame is forwarded"),
            new("same-port", Frame(nativeSender, sameVlanLocal.Mac, null).Build(), XdpAction.Drop,
                "the destination sits on the ingress port: filtered"),
            new("unknown-unicast", Frame(nativeSender, new MacAddress(0x02_4b_45_43_ff_ff), null).Build(), XdpAction.Pass,
                "no fdb entry: flooding is left to the stack"),
            new("wrong-vlan-unicast", Frame(vlan10Sender, onlyIn20.Mac, 10).Build(), XdpAction.Pass,
                "the destination is known only in another VLAN, so in this one it is unknown"),
            new("broadcast-arp", Frames.ArpRequest(nativeSender.Mac, Ipv4.Address(10, 0, 0, 1), Ipv4.Address(10, 0, 0, 2)), XdpAction.Pass,
                "broadcast: flooded by the stack"),
            new("vlan-not-allowed", Frame(vlan10Sender, toAccess10.Mac, 99).Build(), XdpAction.Drop,
                "VLAN 99 is not carried by the ingress trunk"),
            new("multicast-source", multicastSource, XdpAction.Drop, "a group address cannot be a source"),
            new("cut-vlan-tag", Frame(vlan10Sender, toAccess10.Mac, 10).Build()[..16], XdpAction.Drop,
                "the 802.1Q tag is cut short: a runt"),
        ];
    }

    internal static byte[] PortValue(uint ifindex, byte mode, ushort pvid, IEnumerable<ushort> allowed)
    {
        var value = new byte[PortValueLength];
        BinaryPrimitives.WriteUInt32LittleEndian(value, ifindex);
        value[4] = mode;
        BinaryPrimitives.WriteUInt16LittleEndian(value.AsSpan(6), pvid);
        foreach (ushort vlan in allowed)
            value[8 + vlan / 8] |= (byte)(1 << (vlan % 8)); // little-endian u64 words: bit v is byte v/8, bit v%8
        return value;
    }

    internal static byte[] FdbKey(MacAddress mac, ushort vlan)
    {
        var key = new byte[8];
        mac.WriteTo(key);
        BinaryPrimitives.WriteUInt16LittleEndian(key.AsSpan(6), vlan);
        return key;
    }

    internal static byte[] FdbValue(uint port)
    {
        var value = new byte[16];
        BinaryPrimitives.WriteUInt32LittleEndian(value, port);
        return value;
    }

    private static ushort? Tag(ushort vlan, ushort nativeVlan) => vlan == nativeVlan ? null : vlan;

    /// <summary>Hosts of VLAN v live in 10.v.0.0/16.</summary>
    private static uint RandomHostAddress(Random random, ushort vlan) =>
        Ipv4.Address(10, (byte)vlan, (byte)random.Next(256), (byte)random.Next(1, 255));

    private static byte[] U32(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        return bytes;
    }

    /// <summary>Port configuration and stations, read back from control-plane bytes.</summary>
    private sealed class SwitchModel
    {
        internal sealed record Station(MacAddress Mac, ushort Vlan, uint Port);

        private readonly Dictionary<uint, (byte Mode, ushort Pvid)> _ports = [];

        public SwitchModel(ControlPlaneData controlPlane)
        {
            foreach (var entry in controlPlane.Entries("ports"))
                _ports[BinaryPrimitives.ReadUInt32LittleEndian(entry.Key)] =
                    (entry.Value[4], BinaryPrimitives.ReadUInt16LittleEndian(entry.Value.AsSpan(6)));
            if (_ports.Count == 0)
                throw new ArgumentException("control plane has no 'ports' entries; was it made by the switch sample?", nameof(controlPlane));
            Stations = controlPlane.Entries("fdb")
                .Select(e => new Station(MacAddress.Read(e.Key), BinaryPrimitives.ReadUInt16LittleEndian(e.Key.AsSpan(6)),
                    BinaryPrimitives.ReadUInt32LittleEndian(e.Value)))
                .ToList();
        }

        public IReadOnlyList<Station> Stations { get; }

        public byte Mode(uint port) => _ports.TryGetValue(port, out var p) ? p.Mode : (byte)0;

        public ushort Pvid(uint port) => _ports.TryGetValue(port, out var p) ? p.Pvid : (ushort)0;
    }
}
