namespace Kecleon.Access;

/// <summary>
/// Names of packet header fields (<c>eth.h_proto</c>, <c>ip.daddr</c>, <c>tcp.dport</c>) and context fields, by struct and
/// byte offset. A packet offset alone is read as untagged Ethernet, then option-less IPv4, then a TCP/UDP header
/// (<c>l4.*</c>, because the offset cannot tell which of the two).
/// </summary>
/// <summary>The network header after Ethernet, as far as the program's EtherType compares tell.</summary>
internal enum NetworkLayer { Unknown, Ipv4, Ipv6, Arp }

internal static class HeaderFields
{
    private sealed record Field(int Offset, int Size, string Name);

    private static readonly Field[] Ethernet = [new(0, 6, "h_dest"), new(6, 6, "h_source"), new(12, 2, "h_proto")];
    private static readonly Field[] Vlan = [new(0, 2, "tci"), new(2, 2, "encap_proto")];
    private static readonly Field[] Ipv4 =
    [
        new(0, 1, "version_ihl"), new(1, 1, "tos"), new(2, 2, "tot_len"), new(4, 2, "id"), new(6, 2, "frag_off"),
        new(8, 1, "ttl"), new(9, 1, "protocol"), new(10, 2, "check"), new(12, 4, "saddr"), new(16, 4, "daddr"),
    ];
    private static readonly Field[] Ipv6 =
    [
        new(0, 4, "version_flow"), new(4, 2, "payload_len"), new(6, 1, "nexthdr"), new(7, 1, "hop_limit"),
        new(8, 16, "saddr"), new(24, 16, "daddr"),
    ];
    private static readonly Field[] Tcp =
    [
        new(0, 2, "sport"), new(2, 2, "dport"), new(4, 4, "seq"), new(8, 4, "ack_seq"), new(12, 2, "doff_flags"),
        new(14, 2, "window"), new(16, 2, "check"), new(18, 2, "urg_ptr"),
    ];
    private static readonly Field[] Udp = [new(0, 2, "sport"), new(2, 2, "dport"), new(4, 2, "len"), new(6, 2, "check")];
    private static readonly Field[] Icmp = [new(0, 1, "type"), new(1, 1, "code"), new(2, 2, "checksum")];
    /// <summary>ARP for IPv4 over Ethernet (<c>struct arphdr</c> and the addresses after it).</summary>
    private static readonly Field[] Arp =
    [
        new(0, 2, "htype"), new(2, 2, "ptype"), new(4, 1, "hlen"), new(5, 1, "plen"), new(6, 2, "oper"),
        new(8, 6, "sha"), new(14, 4, "spa"), new(18, 6, "tha"), new(24, 4, "tpa"),
    ];

    private static readonly Dictionary<string, (string Prefix, Field[] Fields)> ByStruct = new()
    {
        ["ethhdr"] = ("eth", Ethernet),
        ["vlan_hdr"] = ("vlan", Vlan),
        ["kn_vlan_hdr"] = ("vlan", Vlan),
        ["iphdr"] = ("ip", Ipv4),
        ["ipv6hdr"] = ("ip6", Ipv6),
        ["tcphdr"] = ("tcp", Tcp),
        ["udphdr"] = ("udp", Udp),
        ["icmphdr"] = ("icmp", Icmp),
        ["arphdr"] = ("arp", Arp),
    };

    private static readonly Dictionary<string, Field[]> Contexts = new()
    {
        ["xdp_md"] =
        [
            new(0, 4, "data"), new(4, 4, "data_end"), new(8, 4, "data_meta"), new(12, 4, "ingress_ifindex"),
            new(16, 4, "rx_queue_index"), new(20, 4, "egress_ifindex"),
        ],
        ["__sk_buff"] =
        [
            new(0, 4, "len"), new(4, 4, "pkt_type"), new(8, 4, "mark"), new(12, 4, "queue_mapping"), new(16, 4, "protocol"),
            new(20, 4, "vlan_present"), new(24, 4, "vlan_tci"), new(28, 4, "vlan_proto"), new(32, 4, "priority"),
            new(36, 4, "ingress_ifindex"), new(40, 4, "ifindex"), new(44, 4, "tc_index"), new(48, 20, "cb"),
            new(68, 4, "hash"), new(72, 4, "tc_classid"), new(76, 4, "data"), new(80, 4, "data_end"),
            new(84, 4, "napi_id"), new(140, 4, "data_meta"),
        ],
    };

    /// <summary>The header and byte range a field name such as <c>ip.daddr</c> or <c>l4.dport</c> stands for (exact field
    /// names only: no <c>+n</c>, <c>[n]</c> or spans).</summary>
    public static bool TryLocate(string name, out string header, out int offset, out int size)
    {
        (header, offset, size) = ("", 0, 0);
        var dot = name.IndexOf('.');
        if (dot <= 0)
            return false;
        var (prefix, fieldName) = (name[..dot], name[(dot + 1)..]);
        var fields = prefix == "l4" ? Udp : ByStruct.Values.FirstOrDefault(h => h.Prefix == prefix).Fields;
        if (fields?.FirstOrDefault(f => f.Name == fieldName) is not { } field)
            return false;
        (header, offset, size) = (prefix, field.Offset, field.Size);
        return true;
    }

    /// <summary>Where the context holds the packet's start and end.</summary>
    public static bool IsPacketStart(string context, long offset) =>
        (context == "xdp_md" && offset is 0 or 8) || (context == "__sk_buff" && offset is 76 or 140);

    public static bool IsPacketEnd(string context, long offset) =>
        (context == "xdp_md" && offset == 4) || (context == "__sk_buff" && offset == 80);

    public static bool IsHeader(string structName) => ByStruct.ContainsKey(structName);
    public static bool IsContext(string structName) => Contexts.ContainsKey(structName);

    /// <summary><c>ip.daddr</c> for 4 bytes at offset 16 of <c>struct iphdr</c>.</summary>
    public static string? InStruct(string structName, long offset, long size) =>
        ByStruct.TryGetValue(structName, out var header) ? Name(header.Prefix, header.Fields, offset, size) : null;

    public static string? InContext(string structName, long offset, long size) =>
        Contexts.TryGetValue(structName, out var fields) ? Name("ctx", fields, offset, size) : null;

    /// <summary>A field named from its offset in the packet: untagged Ethernet, then the network header the program
    /// parses (<paramref name="layer"/>; IPv4 without options when unknown), then TCP/UDP after IPv4 or IPv6.</summary>
    public static string InPacket(long offset, long size, NetworkLayer layer = NetworkLayer.Unknown) => (offset, layer) switch
    {
        ( < 14, _) => Name("eth", Ethernet, offset, size),
        ( < 42, NetworkLayer.Arp) => Name("arp", Arp, offset - 14, size),
        ( < 54, NetworkLayer.Ipv6) => Name("ip6", Ipv6, offset - 14, size),
        ( < 62, NetworkLayer.Ipv6) => Name("l4", Udp, offset - 54, size),
        ( < 34, not NetworkLayer.Arp and not NetworkLayer.Ipv6) => Name("ip", Ipv4, offset - 14, size),
        ( < 42, not NetworkLayer.Arp and not NetworkLayer.Ipv6) => Name("l4", Udp, offset - 34, size),
        _ => $"packet[{offset}..{offset + size})",
    };

    /// <summary>A field of the one network header <paramref name="layer"/> names (null when unknown or out of it).</summary>
    public static string? InNetworkHeader(NetworkLayer layer, long offset, long size)
    {
        var (prefix, fields, length) = layer switch
        {
            NetworkLayer.Arp => ("arp", Arp, 28),
            NetworkLayer.Ipv6 => ("ip6", Ipv6, 40),
            NetworkLayer.Ipv4 => ("ip", Ipv4, 20),
            _ => ("", [], 0),
        };
        return length > 0 && offset >= 0 && offset + size <= length ? Name(prefix, fields, offset, size) : null;
    }

    private static string Name(string prefix, Field[] fields, long offset, long size)
    {
        var field = fields.LastOrDefault(f => f.Offset <= offset && offset < f.Offset + f.Size);
        if (field is null)
            return $"{prefix}+{offset}";
        var name = $"{prefix}.{field.Name}";
        if (offset != field.Offset)
            name += $"+{offset - field.Offset}";
        // A read spanning several fields (saddr and daddr as one 8-byte load) names the first and the last.
        var last = fields.LastOrDefault(f => f.Offset < offset + size && f.Offset > field.Offset);
        if (size > 0 && last is not null && offset + size > field.Offset + field.Size)
            name += $"..{last.Name}";
        else if (size > 0 && size < field.Size && offset == field.Offset)
            name += $"[{size}]";
        return name;
    }

    /// <summary>The C name of an IR struct type: <c>struct.iphdr</c> → <c>iphdr</c>, <c>struct.kn_flow.3</c> → <c>kn_flow</c>.</summary>
    public static string CName(string irStructName)
    {
        var name = irStructName.StartsWith("struct.", StringComparison.Ordinal) ? irStructName[7..]
            : irStructName.StartsWith("union.", StringComparison.Ordinal) ? irStructName[6..] : irStructName;
        var dot = name.IndexOf('.');
        return dot > 0 && name[(dot + 1)..].All(char.IsAsciiDigit) ? name[..dot] : name;
    }
}
