using System.Buffers.Binary;

namespace Kecleon.Workloads;

/// <summary>
/// An Ethernet frame carrying IPv4, described field by field. <see cref="Build"/>
/// fills in lengths and the IPv4, TCP, UDP and ICMP checksums and pads the
/// frame to <see cref="FrameLength"/> with payload bytes covered by tot_len.
/// </summary>
internal sealed record Ipv4Frame
{
    public const byte Tcp = 6;
    public const byte Udp = 17;
    public const byte Icmp = 1;
    public const byte TcpAck = 0x10;
    public const byte TcpSyn = 0x02;

    public MacAddress EthernetDestination { get; init; }
    public MacAddress EthernetSource { get; init; }
    public ushort? VlanId { get; init; }
    public ushort VlanTpid { get; init; } = Frames.EtherTypeVlan;
    public uint Source { get; init; }
    public uint Destination { get; init; }
    public byte Protocol { get; init; } = Tcp;
    public ushort SourcePort { get; init; }
    public ushort DestinationPort { get; init; }
    public byte Ttl { get; init; } = 64;
    public byte Tos { get; init; }
    public ushort Identification { get; init; }
    public bool DontFragment { get; init; } = true;
    public bool MoreFragments { get; init; }

    /// <summary>In 8-byte units; non-zero frames carry no L4 header.</summary>
    public ushort FragmentOffset { get; init; }

    /// <summary>IPv4 options, a multiple of 4 bytes, at most 40.</summary>
    public byte[] Options { get; init; } = [];

    public byte TcpFlags { get; init; } = TcpAck;

    /// <summary>When set, the bytes after the IPv4 header verbatim (no L4 header is built).</summary>
    public byte[]? RawL4 { get; init; }

    /// <summary>Minimum frame length without FCS; 60 makes a 64-byte frame on the wire.</summary>
    public int FrameLength { get; init; } = Frames.MinimumFrameLength;

    public byte[] Build()
    {
        if (Options.Length % 4 != 0 || Options.Length > 40)
            throw new InvalidOperationException($"IPv4 options must be a multiple of 4 bytes up to 40, not {Options.Length}");

        int l2Length = VlanId is null ? 14 : 18;
        int ipHeaderLength = 20 + Options.Length;
        bool hasL4Header = RawL4 is null && FragmentOffset == 0;
        int l4HeaderLength = !hasL4Header ? 0 : Protocol switch { Tcp => 20, Udp => 8, Icmp => 8, _ => 0 };
        int headers = l2Length + ipHeaderLength + (RawL4?.Length ?? l4HeaderLength);
        int payloadLength = RawL4 is null ? Math.Max(0, FrameLength - headers) : 0;

        var frame = new byte[Math.Max(headers + payloadLength, FrameLength)];
        int ipOffset = Frames.WriteEthernet(frame, EthernetDestination, EthernetSource, VlanId, VlanTpid, Frames.EtherTypeIpv4);

        var ip = frame.AsSpan(ipOffset);
        int totalLength = ipHeaderLength + (RawL4?.Length ?? l4HeaderLength + payloadLength);
        ip[0] = (byte)(0x40 | (ipHeaderLength / 4));
        ip[1] = Tos;
        BinaryPrimitives.WriteUInt16BigEndian(ip[2..], (ushort)totalLength);
        BinaryPrimitives.WriteUInt16BigEndian(ip[4..], Identification);
        ushort flags = (ushort)((DontFragment ? 0x4000 : 0) | (MoreFragments ? 0x2000 : 0) | (FragmentOffset & 0x1fff));
        BinaryPrimitives.WriteUInt16BigEndian(ip[6..], flags);
        ip[8] = Ttl;
        ip[9] = Protocol;
        BinaryPrimitives.WriteUInt32BigEndian(ip[12..], Source);
        BinaryPrimitives.WriteUInt32BigEndian(ip[16..], Destination);
        Options.CopyTo(ip[20..]);
        BinaryPrimitives.WriteUInt16BigEndian(ip[10..], Checksum.Compute(ip[..ipHeaderLength]));

        var l4 = ip.Slice(ipHeaderLength, totalLength - ipHeaderLength);
        if (RawL4 is not null)
        {
            RawL4.CopyTo(l4);
            return frame;
        }
        Frames.FillPayload(l4[l4HeaderLength..]);
        if (!hasL4Header)
            return frame;

        switch (Protocol)
        {
            case Tcp:
                BinaryPrimitives.WriteUInt16BigEndian(l4, SourcePort);
                BinaryPrimitives.WriteUInt16BigEndian(l4[2..], DestinationPort);
                BinaryPrimitives.WriteUInt32BigEndian(l4[4..], 0x1000_0000u ^ (uint)(SourcePort << 16 | DestinationPort));
                BinaryPrimitives.WriteUInt32BigEndian(l4[8..], TcpFlags == TcpSyn ? 0u : 1u);
                l4[12] = 5 << 4;
                l4[13] = TcpFlags;
                BinaryPrimitives.WriteUInt16BigEndian(l4[14..], 64240);
                BinaryPrimitives.WriteUInt16BigEndian(l4[16..], Checksum.Compute(l4, Checksum.PseudoHeader(Source, Destination, Tcp, l4.Length)));
                break;
            case Udp:
                BinaryPrimitives.WriteUInt16BigEndian(l4, SourcePort);
                BinaryPrimitives.WriteUInt16BigEndian(l4[2..], DestinationPort);
                BinaryPrimitives.WriteUInt16BigEndian(l4[4..], (ushort)l4.Length);
                ushort udpSum = Checksum.Compute(l4, Checksum.PseudoHeader(Source, Destination, Udp, l4.Length));
                BinaryPrimitives.WriteUInt16BigEndian(l4[6..], udpSum == 0 ? (ushort)0xffff : udpSum);
                break;
            case Icmp:
                l4[0] = 8; // echo request
                BinaryPrimitives.WriteUInt16BigEndian(l4[4..], SourcePort);      // identifier
                BinaryPrimitives.WriteUInt16BigEndian(l4[6..], DestinationPort); // sequence
                BinaryPrimitives.WriteUInt16BigEndian(l4[2..], Checksum.Compute(l4));
                break;
        }
        return frame;
    }
}

/// <summary>Frames other than IPv4, and the pieces every frame shares.</summary>
internal static class Frames
{
    public const int MinimumFrameLength = 60;
    public const ushort EtherTypeIpv4 = 0x0800;
    public const ushort EtherTypeArp = 0x0806;
    public const ushort EtherTypeIpv6 = 0x86dd;
    public const ushort EtherTypeVlan = 0x8100;
    public const ushort EtherTypeQinQ = 0x88a8;

    /// <summary>Writes the Ethernet header (and one VLAN tag) and returns the network header offset.</summary>
    public static int WriteEthernet(Span<byte> frame, MacAddress destination, MacAddress source, ushort? vlanId, ushort tpid, ushort etherType)
    {
        destination.WriteTo(frame);
        source.WriteTo(frame[6..]);
        if (vlanId is null)
        {
            BinaryPrimitives.WriteUInt16BigEndian(frame[12..], etherType);
            return 14;
        }
        BinaryPrimitives.WriteUInt16BigEndian(frame[12..], tpid);
        BinaryPrimitives.WriteUInt16BigEndian(frame[14..], (ushort)(vlanId.Value & 0x0fff));
        BinaryPrimitives.WriteUInt16BigEndian(frame[16..], etherType);
        return 18;
    }

    /// <summary>A recognisable, deterministic payload pattern.</summary>
    public static void FillPayload(Span<byte> payload)
    {
        for (int i = 0; i < payload.Length; i++)
            payload[i] = (byte)(0xa5 ^ i);
    }

    /// <summary>An ARP request "who has <paramref name="target"/>", broadcast.</summary>
    public static byte[] ArpRequest(MacAddress sender, uint senderAddress, uint target, ushort? vlanId = null)
    {
        var frame = new byte[MinimumFrameLength];
        int offset = WriteEthernet(frame, MacAddress.Broadcast, sender, vlanId, EtherTypeVlan, EtherTypeArp);
        var arp = frame.AsSpan(offset);
        BinaryPrimitives.WriteUInt16BigEndian(arp, 1);          // Ethernet
        BinaryPrimitives.WriteUInt16BigEndian(arp[2..], EtherTypeIpv4);
        arp[4] = 6;
        arp[5] = 4;
        BinaryPrimitives.WriteUInt16BigEndian(arp[6..], 1);     // request
        sender.WriteTo(arp[8..]);
        BinaryPrimitives.WriteUInt32BigEndian(arp[14..], senderAddress);
        BinaryPrimitives.WriteUInt32BigEndian(arp[24..], target);
        return frame;
    }

    /// <summary>An IPv6 UDP datagram between two documentation (2001:db8::/32) addresses.</summary>
    public static byte[] Ipv6Udp(MacAddress destination, MacAddress source, ulong sourceHost, ulong destinationHost,
        ushort sourcePort, ushort destinationPort, ushort? vlanId = null)
    {
        const int udpLength = 8 + 16;
        int offset = vlanId is null ? 14 : 18;
        var frame = new byte[Math.Max(MinimumFrameLength, offset + 40 + udpLength)];
        WriteEthernet(frame, destination, source, vlanId, EtherTypeVlan, EtherTypeIpv6);
        var ip = frame.AsSpan(offset);
        ip[0] = 0x60;
        BinaryPrimitives.WriteUInt16BigEndian(ip[4..], udpLength);
        ip[6] = Ipv4Frame.Udp;
        ip[7] = 64;
        WriteDocumentationAddress(ip[8..], sourceHost);
        WriteDocumentationAddress(ip[24..], destinationHost);
        var udp = ip.Slice(40, udpLength);
        BinaryPrimitives.WriteUInt16BigEndian(udp, sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(udp[2..], destinationPort);
        BinaryPrimitives.WriteUInt16BigEndian(udp[4..], udpLength);
        FillPayload(udp[8..]);

        uint pseudo = Checksum.Sum(ip.Slice(8, 32)) + udpLength + Ipv4Frame.Udp;
        ushort sum = Checksum.Compute(udp, pseudo);
        BinaryPrimitives.WriteUInt16BigEndian(udp[6..], sum == 0 ? (ushort)0xffff : sum);
        return frame;
    }

    private static void WriteDocumentationAddress(Span<byte> destination, ulong host)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, 0x2001_0db8_0000_0000UL);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], host);
    }
}

/// <summary>The Internet checksum (RFC 1071).</summary>
internal static class Checksum
{
    public static uint Sum(ReadOnlySpan<byte> bytes, uint sum = 0)
    {
        int i = 0;
        for (; i + 1 < bytes.Length; i += 2)
            sum += (uint)(bytes[i] << 8 | bytes[i + 1]);
        if (i < bytes.Length)
            sum += (uint)(bytes[i] << 8);
        return sum;
    }

    /// <summary>The checksum of bytes whose own checksum field is zero; the result goes in big-endian.</summary>
    public static ushort Compute(ReadOnlySpan<byte> bytes, uint initial = 0)
    {
        uint sum = Sum(bytes, initial);
        while (sum >> 16 != 0)
            sum = (sum & 0xffff) + (sum >> 16);
        return (ushort)~sum;
    }

    public static uint PseudoHeader(uint source, uint destination, byte protocol, int length) =>
        (source >> 16) + (source & 0xffff) + (destination >> 16) + (destination & 0xffff) + protocol + (uint)length;

    /// <summary>True when an IPv4 header (options included) checksums to zero, i.e. its checksum field is right.</summary>
    public static bool IsValidIpv4Header(ReadOnlySpan<byte> header) => Compute(header) == 0;
}
