namespace Kecleon.Access;

/// <summary>Header field names as the analysis writes them (<c>ip.daddr</c>, <c>eth.h_dest</c>, <c>l4.dport</c>): which
/// header and which bytes of it. For tools that build packets from a key's origin.</summary>
public static class PacketFields
{
    /// <summary>The header (<c>eth</c>, <c>vlan</c>, <c>ip</c>, <c>ip6</c>, <c>tcp</c>, <c>udp</c>, <c>icmp</c>, <c>l4</c>) and the
    /// byte range within it of an exact field name.</summary>
    public static bool TryLocate(string name, out string header, out int offset, out int size) =>
        HeaderFields.TryLocate(name, out header, out offset, out size);
}
