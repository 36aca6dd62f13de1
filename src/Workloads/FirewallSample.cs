using System.Buffers.Binary;

using Kecleon.Bpf;

namespace Kecleon.Workloads;

/// <summary>
/// firewall/firewall.bpf.c: a bpf-iptables-style classifier with 460 rules, default DROP,
/// and a connection-tracking fast path.
/// </summary>
/// <remarks>
/// Maps written here (layouts as in the C; a rule set is u64 bits[8], rule r = bit r%64 of word r/64):
/// <list type="bullet">
/// <item><c>src_lpm</c>, <c>dst_lpm</c> LPM tries: key {u32 prefixlen; be32 addr}, value rule set. One entry per
/// distinct prefix a rule names, plus 0.0.0.0/0; each vector holds every rule whose prefix covers the entry,
/// so the longest match is complete on its own.</item>
/// <item><c>sport_map</c>, <c>dport_map</c> hashes: key {be16 port; u16 wildcard}, value rule set. One entry per port
/// a rule names (wildcard 0) and {0, 1} for all other ports.</item>
/// <item><c>proto_map</c> array of 256: key u32 protocol, value rule set.</item>
/// <item><c>actions</c> array: key u32 rule, value u32 (1 ACCEPT, 0 DROP).</item>
/// <item><c>conntrack</c> LRU hash: key 5-tuple {be32 saddr, daddr; be16 sport, dport; u8 proto; u8 pad[3]},
/// value {u32 rule; u32 reply; u64 created_ns}. The control plane seeds 24 connections (both directions,
/// rule 0xffffffff) that were established before the current rule set and which it would now drop;
/// the data plane adds each TCP/UDP flow a rule accepts.</item>
/// </list>
/// </remarks>
internal sealed class FirewallSample : INetworkFunctionSample
{
    public const int RuleCount = 460;
    public const int MaxRules = 512;
    public const int SeededConnections = 24;
    public const uint ActionDrop = 0;
    public const uint ActionAccept = 1;
    public const uint RuleUnknown = uint.MaxValue;
    private const int RuleWords = MaxRules / 64;

    private static readonly ushort[] ServicePorts =
        [22, 25, 53, 80, 110, 123, 143, 389, 443, 445, 993, 1433, 3306, 3389, 5432, 6379, 8080, 8443, 9200];
    private static readonly ushort[] RiskyPorts = [23, 69, 135, 137, 139, 161, 445, 1900, 5060, 11211];

    public string Name => "firewall";
    public string SourcePath => "firewall/firewall.bpf.c";
    public string ProgramName => "firewall";
    public IReadOnlyList<string> DataPlaneWrittenMaps => ["conntrack"];

    public ControlPlaneData GenerateControlPlane(int seed)
    {
        var random = new Random(seed);
        var rules = GenerateRules(random);
        var data = new ControlPlaneData();
        WritePrefixMap(data, "src_lpm", rules, r => r.Source);
        WritePrefixMap(data, "dst_lpm", rules, r => r.Destination);
        WritePortMap(data, "sport_map", rules, r => r.SourcePort);
        WritePortMap(data, "dport_map", rules, r => r.DestinationPort);
        for (int proto = 0; proto < 256; proto++)
            data.Add("proto_map", U32((uint)proto), RuleSet(rules, r => r.Protocol is null || r.Protocol == proto));
        for (int i = 0; i < rules.Count; i++)
            data.Add("actions", U32((uint)i), U32(rules[i].Accept ? ActionAccept : ActionDrop));

        // Connections from before this rule set that it would now drop: only conntrack lets them through.
        var model = new FirewallModel(data);
        var seeded = new HashSet<Flow>();
        while (seeded.Count < SeededConnections)
        {
            var flow = new Flow(Ipv4.Address(10, (byte)random.Next(1, 21), (byte)random.Next(16), (byte)random.Next(1, 255)),
                Ipv4.RandomPublic(random), random.Next(4) == 0 ? Ipv4Frame.Udp : Ipv4Frame.Tcp,
                (ushort)random.Next(32768, 61000), ServicePorts[random.Next(ServicePorts.Length)]);
            if (model.Classify(flow).Accept || seeded.Contains(flow.Reverse()) || !seeded.Add(flow))
                continue;
            data.Add("conntrack", flow.ToKey(), ConntrackValue(RuleUnknown, reply: false));
            data.Add("conntrack", flow.Reverse().ToKey(), ConntrackValue(RuleUnknown, reply: true));
        }
        return data;
    }

    public IReadOnlyList<byte[]> GenerateTrace(ControlPlaneData controlPlane, Locality locality, int packets, int seed)
    {
        var model = new FirewallModel(controlPlane);
        var random = new Random(seed);
        var seeded = model.SeededForwardFlows();
        var gatewayMac = MacAddress.RandomLocal(random);
        var hostMac = MacAddress.RandomLocal(random);

        // 60% aimed at a rule, 15% replies to accepted flows, 5% seeded connections, 19% background scans, 1% ARP.
        const int flowCount = 2048;
        var flows = new List<byte[]>(flowCount);
        var accepted = new List<Flow>();
        while (flows.Count < flowCount)
        {
            int kind = random.Next(100);
            Flow flow;
            if (kind < 60 || (kind < 75 && accepted.Count == 0))
            {
                flow = model.FlowFor(model.Rules[random.Next(model.Rules.Count)], random);
                if (model.Classify(flow).Accept && flow.Protocol != Ipv4Frame.Icmp)
                    accepted.Add(flow);
            }
            else if (kind < 75)
                flow = accepted[random.Next(accepted.Count)].Reverse();
            else if (kind < 80 && seeded.Count > 0)
                flow = random.Next(2) == 0 ? seeded[random.Next(seeded.Count)] : seeded[random.Next(seeded.Count)].Reverse();
            else if (kind < 99)
                flow = new Flow(Ipv4.RandomPublic(random),
                    Ipv4.Address(10, (byte)random.Next(1, 21), (byte)random.Next(16), (byte)random.Next(1, 255)),
                    random.Next(5) == 0 ? Ipv4Frame.Udp : Ipv4Frame.Tcp, (ushort)random.Next(1024, 65536), (ushort)random.Next(1, 65536));
            else
            {
                flows.Add(Frames.ArpRequest(gatewayMac, Ipv4.Address(10, 0, 0, 1), Ipv4.Address(10, 0, 0, (byte)random.Next(2, 255))));
                continue;
            }
            flows.Add(flow.ToFrame(hostMac, gatewayMac).Build());
        }
        return FlowSampler.Trace(flows, locality, packets, random);
    }

    public IReadOnlyList<KnownPacket> KnownPackets(ControlPlaneData controlPlane)
    {
        var model = new FirewallModel(controlPlane);
        var random = new Random(7);
        var hostMac = new MacAddress(0x02_00_00_00_f1_01);
        var gatewayMac = new MacAddress(0x02_00_00_00_f1_fe);

        Flow Aimed(Func<FirewallModel.Rule, bool> ruleFilter, Func<Flow, bool> flowFilter, string what)
        {
            foreach (var rule in model.Rules.Where(ruleFilter))
            {
                for (int attempt = 0; attempt < 16; attempt++)
                {
                    var flow = model.FlowFor(rule, random);
                    if (model.Classify(flow).Rule == rule.Index && !model.IsEstablished(flow) && !model.IsEstablished(flow.Reverse()) && flowFilter(flow))
                        return flow;
                }
            }
            throw new InvalidOperationException($"no rule yields {what}");
        }

        var acceptTcp = Aimed(r => r.Accept && r.Protocol == Ipv4Frame.Tcp && r.DestinationPort is not null, _ => true, "an accepted TCP flow");
        var acceptUdp = Aimed(r => r.Accept && r.Protocol == Ipv4Frame.Udp, _ => true, "an accepted UDP flow");
        var acceptIcmp = Aimed(r => r.Accept && r.Protocol == Ipv4Frame.Icmp, _ => true, "an accepted ICMP packet");
        var dropByRule = Aimed(r => !r.Accept, f => f.Protocol != Ipv4Frame.Icmp, "a flow a DROP rule matches");
        Flow unmatched;
        do
            unmatched = new Flow(Ipv4.RandomPublic(random), Ipv4.RandomPublic(random), Ipv4Frame.Tcp, (ushort)random.Next(1024, 65536), 31337);
        while (model.Classify(unmatched).Rule is not null || model.IsEstablished(unmatched));
        var seeded = model.SeededForwardFlows()[0];

        var accept = acceptTcp.ToFrame(hostMac, gatewayMac);
        var laterFragment = accept with { DontFragment = false, FragmentOffset = 100 };
        var firstFragment = accept with { DontFragment = false, MoreFragments = true };
        byte[] badIhl = accept.Build();
        badIhl[14] = 0x43;

        XdpAction Verdict(Flow flow, bool trackable = true) =>
            (trackable && model.IsEstablished(flow)) || model.Classify(flow).Accept ? XdpAction.Pass : XdpAction.Drop;

        return
        [
            new("accept-tcp", accept.Build(), XdpAction.Pass, $"first match is ACCEPT rule {model.Classify(acceptTcp).Rule}; the flow is tracked"),
            new("accept-udp", acceptUdp.ToFrame(hostMac, gatewayMac).Build(), XdpAction.Pass, $"ACCEPT rule {model.Classify(acceptUdp).Rule}"),
            new("accept-icmp", acceptIcmp.ToFrame(hostMac, gatewayMac).Build(), XdpAction.Pass,
                $"ACCEPT rule {model.Classify(acceptIcmp).Rule}; ICMP is not tracked"),
            new("drop-by-rule", dropByRule.ToFrame(hostMac, gatewayMac).Build(), XdpAction.Drop, $"first match is DROP rule {model.Classify(dropByRule).Rule}"),
            new("default-drop", unmatched.ToFrame(hostMac, gatewayMac).Build(), XdpAction.Drop, "no rule matches: default policy"),
            new("established", seeded.ToFrame(hostMac, gatewayMac).Build(), XdpAction.Pass,
                "seeded connection the rules would drop: conntrack fast path"),
            new("established-reply", seeded.Reverse().ToFrame(gatewayMac, hostMac).Build(), XdpAction.Pass, "its reply direction"),
            new("vlan-tagged-accept", (accept with { VlanId = 20 }).Build(), XdpAction.Pass, "classified past the 802.1Q tag"),
            new("ip-options-accept", (accept with { Options = [0x01, 0x01, 0x01, 0x00] }).Build(), XdpAction.Pass, "L4 found through ihl"),
            new("first-fragment", firstFragment.Build(), Verdict(acceptTcp, trackable: false), "ports present; fragments skip conntrack"),
            new("later-fragment", laterFragment.Build(), Verdict(acceptTcp with { SourcePort = 0, DestinationPort = 0 }, trackable: false),
                "no ports: only rules without port matches apply"),
            new("ipv6", Frames.Ipv6Udp(hostMac, gatewayMac, 1, 2, 40000, 53), XdpAction.Pass, "IPv4 filter: IPv6 passes"),
            new("arp", Frames.ArpRequest(gatewayMac, Ipv4.Address(10, 0, 0, 1), Ipv4.Address(10, 0, 0, 2)), XdpAction.Pass, "not IPv4"),
            new("ethernet-header-only", accept.Build()[..14], XdpAction.Drop, "ethertype IPv4 but no IPv4 header: cannot be classified"),
            new("truncated-ipv4", accept.Build()[..40], XdpAction.Drop, "tot_len claims more than arrived"),
            new("cut-tcp-header", (accept with { RawL4 = new byte[12], FrameLength = 0 }).Build(), XdpAction.Drop, "12 bytes of a TCP header"),
            new("bad-ihl", badIhl, XdpAction.Drop, "ihl 3"),
        ];
    }

    /// <summary>A 5-tuple; ports are zero for ICMP.</summary>
    internal sealed record Flow(uint Source, uint Destination, byte Protocol, ushort SourcePort, ushort DestinationPort)
    {
        public Flow Reverse() => new(Destination, Source, Protocol, DestinationPort, SourcePort);

        public byte[] ToKey()
        {
            var key = new byte[16];
            BinaryPrimitives.WriteUInt32BigEndian(key, Source);
            BinaryPrimitives.WriteUInt32BigEndian(key.AsSpan(4), Destination);
            BinaryPrimitives.WriteUInt16BigEndian(key.AsSpan(8), SourcePort);
            BinaryPrimitives.WriteUInt16BigEndian(key.AsSpan(10), DestinationPort);
            key[12] = Protocol;
            return key;
        }

        public static Flow FromKey(ReadOnlySpan<byte> key) => new(BinaryPrimitives.ReadUInt32BigEndian(key),
            BinaryPrimitives.ReadUInt32BigEndian(key[4..]), key[12],
            BinaryPrimitives.ReadUInt16BigEndian(key[8..]), BinaryPrimitives.ReadUInt16BigEndian(key[10..]));

        public Ipv4Frame ToFrame(MacAddress destination, MacAddress source) => new()
        {
            EthernetDestination = destination,
            EthernetSource = source,
            Source = Source,
            Destination = Destination,
            Protocol = Protocol,
            SourcePort = SourcePort,
            DestinationPort = DestinationPort,
        };
    }

    private sealed record RuleSpec(Ipv4Prefix Source, Ipv4Prefix Destination, byte? Protocol, ushort? SourcePort, ushort? DestinationPort, bool Accept);

    /// <summary>ClassBench-ACL-like rules: mostly "allow a service on a server or subnet", with deny lists between.</summary>
    private static List<RuleSpec> GenerateRules(Random random)
    {
        var any = new Ipv4Prefix(0, 0);
        var partners = Enumerable.Range(0, 40).Select(_ => new Ipv4Prefix(Ipv4.RandomPublic(random), random.Next(12, 25))).ToArray();
        Ipv4Prefix Subnet() => new(Ipv4.Address(10, (byte)random.Next(1, 21), (byte)random.Next(16), 0), 24);
        Ipv4Prefix Server() => new(Subnet().RandomHost(random), 32);
        Ipv4Prefix Internal() => new(Ipv4.Address(10, (byte)random.Next(1, 21), (byte)random.Next(16), 0), random.Next(2) == 0 ? 16 : 24);
        Ipv4Prefix Partner() => random.Next(3) == 0 ? new(partners[random.Next(partners.Length)].RandomHost(random), random.Next(24, 33))
                                                   : partners[random.Next(partners.Length)];
        ushort Service() => ServicePorts[random.Next(ServicePorts.Length)];
        byte TcpOrUdp() => random.Next(5) == 0 ? Ipv4Frame.Udp : Ipv4Frame.Tcp;

        // Deny lists: a partner range to everything or a subnet, on all protocols or on one TCP service.
        RuleSpec Deny()
        {
            var destination = random.Next(2) == 0 ? any : Subnet();
            return random.Next(2) == 0
                ? new RuleSpec(Partner(), destination, null, null, null, false)
                : new RuleSpec(Partner(), destination, Ipv4Frame.Tcp, null, random.Next(2) == 0 ? null : Service(), false);
        }

        var rules = new List<RuleSpec>(RuleCount);
        while (rules.Count < RuleCount)
        {
            int kind = random.Next(100);
            rules.Add(kind switch
            {
                < 45 => new RuleSpec(random.Next(5) < 3 ? any : Partner(), random.Next(2) == 0 ? Server() : Subnet(),
                    TcpOrUdp(), null, Service(), true),
                < 65 => Deny(),
                < 80 => new RuleSpec(Internal(), Subnet(), TcpOrUdp(), null, Service(), random.Next(5) != 0),
                < 90 => new RuleSpec(random.Next(2) == 0 ? any : Partner(), Subnet(), Ipv4Frame.Udp,
                    random.Next(2) == 0 ? (ushort)53 : (ushort)123, null, true),
                < 95 => new RuleSpec(random.Next(2) == 0 ? any : Internal(), Subnet(), Ipv4Frame.Icmp, null, null, true),
                _ => new RuleSpec(any, any, TcpOrUdp(), null, RiskyPorts[random.Next(RiskyPorts.Length)], false),
            });
        }
        return rules;
    }

    private static void WritePrefixMap(ControlPlaneData data, string map, List<RuleSpec> rules, Func<RuleSpec, Ipv4Prefix> field)
    {
        var prefixes = new List<Ipv4Prefix> { new(0, 0) };
        foreach (var rule in rules)
            if (!prefixes.Contains(field(rule)))
                prefixes.Add(field(rule));
        foreach (var prefix in prefixes)
            data.Add(map, prefix.ToLpmKey(), RuleSet(rules, r => field(r).Contains(prefix)));
    }

    private static void WritePortMap(ControlPlaneData data, string map, List<RuleSpec> rules, Func<RuleSpec, ushort?> field)
    {
        var ports = new List<ushort>();
        foreach (var rule in rules)
            if (field(rule) is ushort port && !ports.Contains(port))
                ports.Add(port);
        foreach (ushort port in ports)
            data.Add(map, PortKey(port, wildcard: false), RuleSet(rules, r => field(r) is null || field(r) == port));
        data.Add(map, PortKey(0, wildcard: true), RuleSet(rules, r => field(r) is null));
    }

    private static byte[] RuleSet(List<RuleSpec> rules, Func<RuleSpec, bool> allows)
    {
        var value = new byte[RuleWords * 8];
        for (int r = 0; r < rules.Count; r++)
            if (allows(rules[r]))
                value[r / 8] |= (byte)(1 << (r % 8)); // little-endian u64 words: rule r is byte r/8, bit r%8
        return value;
    }

    internal static byte[] PortKey(ushort port, bool wildcard)
    {
        var key = new byte[4];
        BinaryPrimitives.WriteUInt16BigEndian(key, port);
        BinaryPrimitives.WriteUInt16LittleEndian(key.AsSpan(2), wildcard ? (ushort)1 : (ushort)0);
        return key;
    }

    internal static byte[] ConntrackValue(uint rule, bool reply)
    {
        var value = new byte[16];
        BinaryPrimitives.WriteUInt32LittleEndian(value, rule);
        BinaryPrimitives.WriteUInt32LittleEndian(value.AsSpan(4), reply ? 1u : 0u);
        return value;
    }

    private static byte[] U32(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        return bytes;
    }

    /// <summary>
    /// The classifier read back from control-plane bytes, looking maps up as the C does;
    /// the rules themselves are recovered from the bit vectors.
    /// </summary>
    private sealed class FirewallModel
    {
        internal sealed record Rule(int Index, Ipv4Prefix Source, Ipv4Prefix Destination, byte? Protocol,
            ushort? SourcePort, ushort? DestinationPort, bool Accept);

        private readonly PrefixTable<byte[]> _source;
        private readonly PrefixTable<byte[]> _destination;
        private readonly Dictionary<(ushort, bool), byte[]> _sourcePorts = [];
        private readonly Dictionary<(ushort, bool), byte[]> _destinationPorts = [];
        private readonly byte[][] _protocols = new byte[256][];
        private readonly uint[] _actions = new uint[MaxRules];
        private readonly HashSet<Flow> _established = [];
        private readonly List<Flow> _seededForward = [];

        public FirewallModel(ControlPlaneData data)
        {
            var sources = data.Entries("src_lpm").Select(e => (Ipv4Prefix.FromLpmKey(e.Key), e.Value)).ToList();
            var destinations = data.Entries("dst_lpm").Select(e => (Ipv4Prefix.FromLpmKey(e.Key), e.Value)).ToList();
            if (sources.Count == 0)
                throw new ArgumentException("control plane has no 'src_lpm' entries; was it made by the firewall sample?", nameof(data));
            _source = new PrefixTable<byte[]>(sources);
            _destination = new PrefixTable<byte[]>(destinations);
            ReadPorts(data.Entries("sport_map"), _sourcePorts);
            ReadPorts(data.Entries("dport_map"), _destinationPorts);
            Array.Fill(_protocols, new byte[RuleWords * 8]);
            foreach (var e in data.Entries("proto_map"))
                _protocols[BinaryPrimitives.ReadUInt32LittleEndian(e.Key)] = e.Value;
            foreach (var e in data.Entries("actions"))
                _actions[BinaryPrimitives.ReadUInt32LittleEndian(e.Key)] = BinaryPrimitives.ReadUInt32LittleEndian(e.Value);
            foreach (var e in data.Entries("conntrack"))
            {
                var flow = Flow.FromKey(e.Key);
                _established.Add(flow);
                if (BinaryPrimitives.ReadUInt32LittleEndian(e.Value.AsSpan(4)) == 0)
                    _seededForward.Add(flow);
            }

            var rules = new List<Rule>();
            for (int r = 0; r < MaxRules; r++)
            {
                if (!_protocols.Any(set => Has(set, r)))
                    continue;
                var proto = Enumerable.Range(0, 256).Where(p => Has(_protocols[p], r)).ToList();
                rules.Add(new Rule(r, ShortestWith(sources, r), ShortestWith(destinations, r),
                    proto.Count == 256 ? null : (byte)proto[0],
                    PortWith(_sourcePorts, r), PortWith(_destinationPorts, r), _actions[r] == ActionAccept));
            }
            Rules = rules;
        }

        public IReadOnlyList<Rule> Rules { get; }

        public IReadOnlyList<Flow> SeededForwardFlows() => _seededForward;

        public bool IsEstablished(Flow flow) => _established.Contains(flow);

        /// <summary>First matching rule by the rule bit vectors, as the data plane computes it (conntrack aside).</summary>
        public (int? Rule, bool Accept) Classify(Flow flow)
        {
            if (!_source.TryMatch(flow.Source, out _, out var src) || !_destination.TryMatch(flow.Destination, out _, out var dst))
                return (null, false);
            var sport = Port(_sourcePorts, flow.SourcePort);
            var dport = Port(_destinationPorts, flow.DestinationPort);
            var proto = _protocols[flow.Protocol];
            if (sport is null || dport is null)
                return (null, false);
            for (int r = 0; r < MaxRules; r++)
                if (Has(src, r) && Has(dst, r) && Has(sport, r) && Has(dport, r) && Has(proto, r))
                    return (r, _actions[r] == ActionAccept);
            return (null, false);
        }

        /// <summary>A flow inside the rule's fields; the first match may still be an earlier rule.</summary>
        public Flow FlowFor(Rule rule, Random random)
        {
            uint source = rule.Source.Length == 0 ? Ipv4.RandomPublic(random) : rule.Source.RandomHost(random);
            uint destination = rule.Destination.Length == 0
                ? Ipv4.Address(10, (byte)random.Next(1, 21), (byte)random.Next(16), (byte)random.Next(1, 255))
                : rule.Destination.RandomHost(random);
            byte protocol = rule.Protocol ?? (random.Next(4) == 0 ? Ipv4Frame.Udp : Ipv4Frame.Tcp);
            if (protocol == Ipv4Frame.Icmp)
                return new Flow(source, destination, protocol, 0, 0);
            return new Flow(source, destination, protocol,
                rule.SourcePort ?? (ushort)random.Next(32768, 61000),
                rule.DestinationPort ?? ServicePorts[random.Next(ServicePorts.Length)]);
        }

        private static byte[]? Port(Dictionary<(ushort, bool), byte[]> map, ushort port) =>
            map.TryGetValue((port, false), out var set) ? set : map.GetValueOrDefault(((ushort)0, true));

        private static bool Has(byte[] set, int rule) => (set[rule / 8] & (1 << (rule % 8))) != 0;

        private static Ipv4Prefix ShortestWith(List<(Ipv4Prefix Prefix, byte[] Set)> entries, int rule) =>
            entries.Where(e => Has(e.Set, rule)).OrderBy(e => e.Prefix.Length).Select(e => e.Prefix).FirstOrDefault();

        private static ushort? PortWith(Dictionary<(ushort, bool), byte[]> map, int rule) =>
            map.TryGetValue((0, true), out var wildcard) && Has(wildcard, rule)
                ? null
                : map.Where(kv => !kv.Key.Item2 && Has(kv.Value, rule)).Select(kv => (ushort?)kv.Key.Item1).Min();

        private static void ReadPorts(IReadOnlyList<MapEntry> entries, Dictionary<(ushort, bool), byte[]> map)
        {
            foreach (var e in entries)
                map[(BinaryPrimitives.ReadUInt16BigEndian(e.Key), BinaryPrimitives.ReadUInt16LittleEndian(e.Key.AsSpan(2)) != 0)] = e.Value;
        }
    }
}
