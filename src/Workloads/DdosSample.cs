using System.Buffers.Binary;

using Kecleon.Bpf;

namespace Kecleon.Workloads;

/// <summary>
/// ddos/ddos.bpf.c (logic in ddos/ddos.h): a DDoS-mitigation stage with a 100,000-prefix source blocklist,
/// 20,000 blocked hosts, reflection and scan drop rules, and a per-source token bucket.
/// </summary>
/// <remarks>
/// Maps written here (layouts as in the C):
/// <list type="bullet">
/// <item><c>ddos_deny_nets</c> LPM trie: key {u32 prefixlen; be32 addr}, value {u32 list; u32 pad}. Prefixes come
/// clustered, as public feeds list them: runs of adjacent /24s (some aggregated to /22 or /23) and scattered
/// more-specifics inside a few thousand provider /16s, each cluster from one feed (lists 1–3), plus the bogons (list 4).
/// RFC 1918 space is not a bogon here: the chain sample's firewall traffic comes from 10/8.</item>
/// <item><c>ddos_deny_hosts</c> hash: key be32 address, value as above (list 2, botnet hosts).</item>
/// <item><c>ddos_port_rules</c> hash: key {u8 proto; u8 dir (0 destination, 1 source); be16 port}, value u32 1 = drop.
/// Reflection source ports over UDP, scanned destination ports over TCP, and GRE as a whole (destination port 0).</item>
/// <item><c>ddos_config</c> array of 1: {u32 tokens per source per epoch; u32 pad}.</item>
/// <item><c>ddos_rate</c> LRU hash, written by the data plane: key be32 source, value {u64 epoch; u32 tokens; u32 pad}.</item>
/// </list>
/// </remarks>
internal sealed class DdosSample : INetworkFunctionSample
{
    public const int BlockedPrefixCount = 100_000;
    public const int BlockedHostCount = 20_000;
    public const uint TokensPerEpoch = 1000;
    public const uint RuleDrop = 1;
    public const byte DirectionDestination = 0;
    public const byte DirectionSource = 1;
    public const byte Gre = 47;

    /// <summary>Where the protected services live (TEST-NET-2 and TEST-NET-3: no feed lists them).</summary>
    private static readonly uint[] ProtectedNets = [Ipv4.Address(198, 51, 100, 0), Ipv4.Address(203, 0, 113, 0)];
    private static readonly ushort[] ReflectionPorts = [17, 19, 111, 389, 1900, 3702, 11211];
    private static readonly ushort[] ScannedPorts = [23, 2323, 5555, 7547];
    private static readonly (ushort Port, byte Protocol)[] Services =
        [(443, Ipv4Frame.Tcp), (80, Ipv4Frame.Tcp), (22, Ipv4Frame.Tcp), (53, Ipv4Frame.Udp), (443, Ipv4Frame.Udp)];

    private static readonly Ipv4Prefix[] Bogons =
    [
        new(Ipv4.Address(0, 0, 0, 0), 8), new(Ipv4.Address(100, 64, 0, 0), 10), new(Ipv4.Address(127, 0, 0, 0), 8),
        new(Ipv4.Address(169, 254, 0, 0), 16), new(Ipv4.Address(192, 0, 0, 0), 24), new(Ipv4.Address(192, 0, 2, 0), 24),
        new(Ipv4.Address(198, 18, 0, 0), 15), new(Ipv4.Address(224, 0, 0, 0), 4), new(Ipv4.Address(240, 0, 0, 0), 4),
    ];

    public string Name => "ddos";
    public string SourcePath => "ddos/ddos.bpf.c";
    public string ProgramName => "ddos";
    public IReadOnlyList<string> DataPlaneWrittenMaps => ["ddos_rate"];

    public ControlPlaneData GenerateControlPlane(int seed)
    {
        var random = new Random(seed);
        var data = new ControlPlaneData();
        var prefixes = new Dictionary<Ipv4Prefix, uint>(BlockedPrefixCount);
        foreach (var bogon in Bogons)
            prefixes.Add(bogon, 4);

        // Feeds list what they saw per /24; hosting ranges abused from end to end show up as runs of them.
        var usedClusters = new HashSet<uint>();
        while (prefixes.Count < BlockedPrefixCount)
        {
            uint cluster = Ipv4.RandomPublic(random) & 0xffff0000;
            if (ProtectedNets.Any(n => (n & 0xffff0000) == cluster) || Bogons.Any(b => b.Contains(cluster)) || !usedClusters.Add(cluster))
                continue;
            uint list = (uint)random.Next(1, 4);
            int runs = random.Next(1, 9);
            for (int r = 0; r < runs && prefixes.Count < BlockedPrefixCount; r++)
            {
                int start = random.Next(256);
                int length = Math.Min(256 - start, random.Next(4) == 0 ? random.Next(16, 48) : random.Next(1, 12));
                for (int i = start; i < start + length && prefixes.Count < BlockedPrefixCount;)
                {
                    // An aligned stretch is sometimes listed as one /22 or /23.
                    if (i % 4 == 0 && i + 4 <= start + length && random.Next(5) == 0)
                    {
                        prefixes.TryAdd(new Ipv4Prefix(cluster | (uint)i << 8, 22), list);
                        i += 4;
                    }
                    else if (i % 2 == 0 && i + 2 <= start + length && random.Next(5) == 0)
                    {
                        prefixes.TryAdd(new Ipv4Prefix(cluster | (uint)i << 8, 23), list);
                        i += 2;
                    }
                    else
                    {
                        prefixes.TryAdd(new Ipv4Prefix(cluster | (uint)i << 8, 24), list);
                        i++;
                    }
                }
            }
            // Single hosts and small blocks elsewhere in the provider's space.
            int scattered = random.Next(0, 6);
            for (int s = 0; s < scattered && prefixes.Count < BlockedPrefixCount; s++)
                prefixes.TryAdd(new Ipv4Prefix(cluster | (uint)random.Next(65536), random.Next(25, 33)), list);
        }
        foreach (var (prefix, list) in prefixes)
            data.Add("ddos_deny_nets", prefix.ToLpmKey(), Listing(list));

        var model = new DdosModel(data);
        var hosts = new HashSet<uint>();
        while (hosts.Count < BlockedHostCount)
        {
            uint host = Ipv4.RandomPublic(random);
            if (!model.IsBlockedNet(host) && !ProtectedNets.Any(n => n == (host & 0xffffff00)))
                hosts.Add(host);
        }
        foreach (uint host in hosts)
            data.Add("ddos_deny_hosts", U32BigEndian(host), Listing(2));

        foreach (ushort port in ReflectionPorts)
            data.Add("ddos_port_rules", PortKey(Ipv4Frame.Udp, DirectionSource, port), U32(RuleDrop));
        foreach (ushort port in ScannedPorts)
            data.Add("ddos_port_rules", PortKey(Ipv4Frame.Tcp, DirectionDestination, port), U32(RuleDrop));
        data.Add("ddos_port_rules", PortKey(Gre, DirectionDestination, 0), U32(RuleDrop));

        data.Add("ddos_config", U32(0), [.. U32(TokensPerEpoch), 0, 0, 0, 0]);
        return data;
    }

    public IReadOnlyList<byte[]> GenerateTrace(ControlPlaneData controlPlane, Locality locality, int packets, int seed)
    {
        var model = new DdosModel(controlPlane);
        var random = new Random(seed);
        var gatewayMac = MacAddress.RandomLocal(random);
        var hostMac = MacAddress.RandomLocal(random);
        var flood = new List<FirewallSample.Flow>();

        // Four heavy hitters, each 16 entries of the flow set: two blocked hosts, two sources no list names (a SYN
        // flood the token bucket stops once a source has spent its tokens).
        for (int h = 0; h < 4; h++)
        {
            uint source = h < 2 ? model.RandomBlockedHost(random) : model.RandomClean(random);
            flood.Add(new FirewallSample.Flow(source, Victim(random), Ipv4Frame.Tcp, (ushort)random.Next(1024, 65536), 443));
        }

        // Of the rest: 55% spoofed from blocked prefixes, 5% blocked hosts, 5% reflection, 2% scans and GRE,
        // 32% legitimate clients, 1% not IPv4.
        const int flowCount = 2048;
        var flows = new List<byte[]>(flowCount);
        foreach (var flow in flood)
            for (int copy = 0; copy < 16; copy++)
                flows.Add(Syn(flow, hostMac, gatewayMac));
        while (flows.Count < flowCount)
        {
            int kind = random.Next(100);
            FirewallSample.Flow flow;
            if (kind < 55)
                flow = new(model.RandomBlockedNetHost(random), Victim(random), random.Next(3) == 0 ? Ipv4Frame.Udp : Ipv4Frame.Tcp,
                    (ushort)random.Next(1024, 65536), (ushort)random.Next(1, 65536));
            else if (kind < 60)
                flow = new(model.RandomBlockedHost(random), Victim(random), Ipv4Frame.Tcp, (ushort)random.Next(1024, 65536), 443);
            else if (kind < 65)
                flow = new(model.RandomClean(random), Victim(random), Ipv4Frame.Udp, ReflectionPorts[random.Next(ReflectionPorts.Length)],
                    (ushort)random.Next(1024, 65536));
            else if (kind < 67)
                flow = random.Next(2) == 0
                    ? new(model.RandomClean(random), Victim(random), Ipv4Frame.Tcp, (ushort)random.Next(1024, 65536), ScannedPorts[random.Next(ScannedPorts.Length)])
                    : new(model.RandomClean(random), Victim(random), Gre, 0, 0);
            else if (kind < 99)
            {
                var (port, protocol) = Services[random.Next(Services.Length)];
                flow = new(model.RandomClean(random), Victim(random), protocol, (ushort)random.Next(1024, 65536), port);
            }
            else
            {
                flows.Add(random.Next(2) == 0
                    ? Frames.ArpRequest(gatewayMac, Ipv4.RandomPublic(random), Victim(random))
                    : Frames.Ipv6Udp(hostMac, gatewayMac, (ulong)random.NextInt64(), (ulong)random.NextInt64(), 5353, 443));
                continue;
            }
            flows.Add(flow.Protocol == Ipv4Frame.Tcp && kind < 60 ? Syn(flow, hostMac, gatewayMac) : flow.ToFrame(hostMac, gatewayMac).Build());
        }
        return FlowSampler.Trace(flows, locality, packets, random);
    }

    public IReadOnlyList<KnownPacket> KnownPackets(ControlPlaneData controlPlane)
    {
        var model = new DdosModel(controlPlane);
        var random = new Random(7);
        var hostMac = new MacAddress(0x02_00_00_00_dd_01);
        var gatewayMac = new MacAddress(0x02_00_00_00_dd_fe);
        uint server = ProtectedNets[0] + 10;
        uint client = model.RandomClean(random);
        var legit = new FirewallSample.Flow(client, server, Ipv4Frame.Tcp, 40001, 443).ToFrame(hostMac, gatewayMac);
        var (net, _) = model.AnyBlockedPrefix(p => p.Length == 24, random);
        var (shortNet, _) = model.AnyBlockedPrefix(p => p.Length == 22, random);
        var (hostPrefix, _) = model.AnyBlockedPrefix(p => p.Length == 32, random);
        uint blockedHost = model.RandomBlockedHost(random);
        uint justPast = model.AnyUnblockedRightAfter(random);
        var fromNet = legit with { Source = net.RandomHost(random) };

        FirewallSample.Flow Udp(uint source, ushort sourcePort, ushort destinationPort) =>
            new(source, server, Ipv4Frame.Udp, sourcePort, destinationPort);

        return
        [
            new("legit-tcp", legit.Build(), XdpAction.Pass, "no list names the source, no rule its ports, tokens left: handed on"),
            new("legit-dns", Udp(model.RandomClean(random), 40002, 53).ToFrame(hostMac, gatewayMac).Build(), XdpAction.Pass, "UDP to a service"),
            new("legit-icmp", (legit with { Protocol = Ipv4Frame.Icmp, Source = model.RandomClean(random) }).Build(), XdpAction.Pass,
                "ICMP: destination port 0, no rule for it"),
            new("blocked-host", (legit with { Source = blockedHost }).Build(), XdpAction.Drop, "source in ddos_deny_hosts"),
            new("blocked-net-24", fromNet.Build(), XdpAction.Drop, $"source inside {net}"),
            new("blocked-net-22", (legit with { Source = shortNet.RandomHost(random) }).Build(), XdpAction.Drop, $"source inside {shortNet}"),
            new("blocked-net-32", (legit with { Source = hostPrefix.Address }).Build(), XdpAction.Drop, $"source is {hostPrefix}"),
            new("blocked-bogon", (legit with { Source = Ipv4.Address(100, 64, 1, 2) }).Build(), XdpAction.Drop, "carrier-grade NAT space: a bogon"),
            new("next-to-blocked", (legit with { Source = justPast }).Build(), XdpAction.Pass, $"{Ipv4.Format(justPast)}: just past a blocked prefix"),
            new("reflection-ssdp", Udp(model.RandomClean(random), 1900, 40003).ToFrame(hostMac, gatewayMac).Build(), XdpAction.Drop,
                "UDP from source port 1900: SSDP reflection rule"),
            new("reflection-memcached", Udp(model.RandomClean(random), 11211, 40004).ToFrame(hostMac, gatewayMac).Build(), XdpAction.Drop,
                "UDP from source port 11211"),
            new("udp-to-ssdp", Udp(model.RandomClean(random), 40005, 1900).ToFrame(hostMac, gatewayMac).Build(), XdpAction.Pass,
                "the reflection rules name source ports, not destinations"),
            new("telnet-scan", (legit with { Source = model.RandomClean(random), DestinationPort = 23 }).Build(), XdpAction.Drop,
                "TCP to destination port 23"),
            new("gre", (legit with { Source = model.RandomClean(random), Protocol = Gre }).Build(), XdpAction.Drop, "GRE is dropped as a whole"),
            new("vlan-tagged-blocked", (fromNet with { VlanId = 30 }).Build(), XdpAction.Drop, "the source is read past the 802.1Q tag"),
            new("vlan-tagged-legit", (legit with { VlanId = 30, Source = model.RandomClean(random) }).Build(), XdpAction.Pass, "handed on"),
            new("ip-options-legit", (legit with { Options = [0x01, 0x01, 0x01, 0x00], Source = model.RandomClean(random) }).Build(), XdpAction.Pass,
                "L4 found through ihl"),
            new("later-fragment-blocked", (fromNet with { DontFragment = false, FragmentOffset = 100 }).Build(), XdpAction.Drop,
                "the blocklist needs no ports"),
            new("later-fragment-legit", (Udp(model.RandomClean(random), 1900, 40006).ToFrame(hostMac, gatewayMac) with
                { DontFragment = false, FragmentOffset = 100 }).Build(), XdpAction.Pass, "no ports: the reflection rule cannot apply"),
            new("ipv6", Frames.Ipv6Udp(hostMac, gatewayMac, 1, 2, 40000, 53), XdpAction.Pass, "not IPv4: handed on"),
            new("arp", Frames.ArpRequest(gatewayMac, Ipv4.Address(198, 51, 100, 1), server), XdpAction.Pass, "not IPv4: handed on"),
            new("ethernet-header-only", legit.Build()[..14], XdpAction.Drop, "ethertype IPv4 but no IPv4 header"),
            new("truncated-ipv4", legit.Build()[..40], XdpAction.Drop, "tot_len claims more than arrived"),
            new("cut-tcp-header", (legit with { RawL4 = new byte[12], FrameLength = 0 }).Build(), XdpAction.Drop, "12 bytes of a TCP header"),
        ];
    }

    private static uint Victim(Random random) => ProtectedNets[random.Next(ProtectedNets.Length)] | (uint)random.Next(1, 255);

    private static byte[] Syn(FirewallSample.Flow flow, MacAddress destination, MacAddress source) =>
        (flow.ToFrame(destination, source) with { TcpFlags = Ipv4Frame.TcpSyn }).Build();

    internal static byte[] PortKey(byte protocol, byte direction, ushort port)
    {
        var key = new byte[4];
        key[0] = protocol;
        key[1] = direction;
        BinaryPrimitives.WriteUInt16BigEndian(key.AsSpan(2), port);
        return key;
    }

    internal static byte[] Listing(uint list)
    {
        var value = new byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(value, list);
        return value;
    }

    internal static byte[] U32BigEndian(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return bytes;
    }

    private static byte[] U32(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        return bytes;
    }

    /// <summary>The stage's lists read back from control-plane bytes (the token bucket aside, which is the data plane's).</summary>
    internal sealed class DdosModel
    {
        private readonly PrefixTable<uint> _nets;
        private readonly List<Ipv4Prefix> _prefixes;
        private readonly HashSet<uint> _hosts;
        private readonly List<uint> _hostList;
        private readonly HashSet<(byte, byte, ushort)> _rules;

        public DdosModel(ControlPlaneData data)
        {
            _prefixes = data.Entries("ddos_deny_nets").Select(e => Ipv4Prefix.FromLpmKey(e.Key)).ToList();
            if (_prefixes.Count == 0)
                throw new ArgumentException("control plane has no 'ddos_deny_nets' entries; was it made by the ddos sample?", nameof(data));
            _nets = new PrefixTable<uint>(_prefixes.Select(p => (p, 0u)));
            _hostList = data.Entries("ddos_deny_hosts").Select(e => BinaryPrimitives.ReadUInt32BigEndian(e.Key)).ToList();
            _hosts = [.. _hostList];
            _rules = [.. data.Entries("ddos_port_rules").Select(e => (e.Key[0], e.Key[1], BinaryPrimitives.ReadUInt16BigEndian(e.Key.AsSpan(2))))];
        }

        public bool IsBlockedNet(uint address) => _nets.TryMatch(address, out _, out _);

        public bool IsBlocked(uint address) => _hosts.Contains(address) || IsBlockedNet(address);

        /// <summary>The lists' and rules' verdict for a flow (rate limiting aside): true when the stage drops it.</summary>
        public bool Drops(FirewallSample.Flow flow, bool hasPorts) =>
            IsBlocked(flow.Source)
            || (hasPorts && _rules.Contains((flow.Protocol, DirectionSource, flow.SourcePort)))
            || _rules.Contains((flow.Protocol, DirectionDestination, flow.DestinationPort));

        public uint RandomClean(Random random)
        {
            while (true)
            {
                uint address = Ipv4.RandomPublic(random);
                if (!IsBlocked(address))
                    return address;
            }
        }

        public uint RandomBlockedHost(Random random) => _hostList[random.Next(_hostList.Count)];

        /// <summary>A host inside a blocked prefix other than a bogon (spoofed sources look routable).</summary>
        public uint RandomBlockedNetHost(Random random)
        {
            while (true)
            {
                var prefix = _prefixes[random.Next(_prefixes.Count)];
                if (!Bogons.Contains(prefix))
                    return prefix.RandomHost(random);
            }
        }

        public (Ipv4Prefix Prefix, int Index) AnyBlockedPrefix(Func<Ipv4Prefix, bool> filter, Random random)
        {
            int start = random.Next(_prefixes.Count);
            for (int i = 0; i < _prefixes.Count; i++)
            {
                int index = (start + i) % _prefixes.Count;
                if (filter(_prefixes[index]) && !Bogons.Contains(_prefixes[index]))
                    return (_prefixes[index], index);
            }
            throw new InvalidOperationException("no blocked prefix fits");
        }

        /// <summary>The first address after a blocked prefix that no list names: where a range search's boundary is.</summary>
        public uint AnyUnblockedRightAfter(Random random)
        {
            int start = random.Next(_prefixes.Count);
            for (int i = 0; i < _prefixes.Count; i++)
            {
                var prefix = _prefixes[(start + i) % _prefixes.Count];
                ulong next = prefix.Address + prefix.Size;
                if (next <= uint.MaxValue && !IsBlocked((uint)next) && Ipv4.Address(1, 0, 0, 0) <= next && next < Ipv4.Address(224, 0, 0, 0))
                    return (uint)next;
            }
            throw new InvalidOperationException("every blocked prefix is followed by another");
        }
    }
}
