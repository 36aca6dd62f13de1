using System.Buffers.Binary;

namespace Kecleon.Workloads;

/// <summary>
/// Well-formed frames of the shapes data planes parse, for a program whose traffic nothing describes: every length and
/// every checksum (IPv4 header, TCP, UDP, ICMP, ICMPv6) is right, so a program that verifies them takes its accepting
/// path. Random bytes never get that far: a SYN proxy drops a frame whose TCP checksum is wrong before it looks anything
/// up. The shapes, in turn: IPv4 TCP SYN, SYN-ACK, ACK, RST and FIN-ACK, UDP, ICMP echo; IPv6 TCP, UDP and ICMPv6 echo;
/// each of those also behind one 802.1Q tag; and ARP requests. Addresses and ports are drawn from small pools so that
/// frames share flows (a connection table sees a SYN and then an ACK of the same flow).
/// </summary>
public static class ShapedFrames
{
    /// <summary>The shapes <see cref="Generate"/> cycles through, for the user.</summary>
    public const string Shapes = "TCP SYN/SYN-ACK/ACK/RST/FIN, UDP, ICMP echo, IPv6 TCP/UDP/ICMPv6, 802.1Q-tagged, ARP; valid checksums";

    private const byte TcpRst = 0x04, TcpFin = 0x01;

    private enum Shape { Syn, SynAck, Ack, Rst, FinAck, Udp, IcmpEcho, Ipv6Tcp, Ipv6Udp, Icmpv6Echo, Arp }

    private static readonly Shape[] All = Enum.GetValues<Shape>();

    /// <summary><paramref name="count"/> frames, the same for the same <paramref name="seed"/>.</summary>
    public static IReadOnlyList<byte[]> Generate(int count, int seed)
    {
        var random = new Random(seed);
        var frames = new List<byte[]>(count);
        var macs = Enumerable.Range(0, 4).Select(_ => MacAddress.RandomLocal(random)).ToArray();
        // 10.0.0.0/16 and 192.168.0.0/24 hosts, a few well-known ports and some ephemeral ones.
        uint Address() => random.Next(2) == 0 ? 0x0a00_0000u | (uint)random.Next(1, 1 << 16) : 0xc0a8_0000u | (uint)random.Next(1, 255);
        ushort[] services = [80, 443, 53, 22, 8080];
        ushort Port() => random.Next(3) == 0 ? services[random.Next(services.Length)] : (ushort)random.Next(1024, 65536);
        for (var i = 0; i < count; i++)
        {
            var shape = All[i % All.Length];
            // Every other round of shapes is VLAN-tagged (ARP included).
            ushort? vlan = i / All.Length % 2 == 1 ? (ushort)random.Next(1, 4095) : null;
            var (dst, src) = (macs[random.Next(macs.Length)], macs[random.Next(macs.Length)]);
            var length = random.Next(3) == 0 ? random.Next(Frames.MinimumFrameLength, 1500) : Frames.MinimumFrameLength;
            frames.Add(shape switch
            {
                Shape.Arp => Frames.ArpRequest(src, Address(), Address(), vlan),
                Shape.Ipv6Tcp => Ipv6(dst, src, vlan, Ipv4Frame.Tcp, random, Port(), Port(), length),
                Shape.Ipv6Udp => Ipv6(dst, src, vlan, Ipv4Frame.Udp, random, Port(), Port(), length),
                Shape.Icmpv6Echo => Ipv6(dst, src, vlan, Icmpv6, random, (ushort)random.Next(65536), (ushort)i, length),
                _ => new Ipv4Frame
                {
                    EthernetDestination = dst,
                    EthernetSource = src,
                    VlanId = vlan,
                    Source = Address(),
                    Destination = Address(),
                    Protocol = shape switch { Shape.Udp => Ipv4Frame.Udp, Shape.IcmpEcho => Ipv4Frame.Icmp, _ => Ipv4Frame.Tcp },
                    SourcePort = Port(),
                    DestinationPort = Port(),
                    Identification = (ushort)random.Next(65536),
                    TcpFlags = shape switch
                    {
                        Shape.Syn => Ipv4Frame.TcpSyn,
                        Shape.SynAck => Ipv4Frame.TcpSyn | Ipv4Frame.TcpAck,
                        Shape.Rst => TcpRst,
                        Shape.FinAck => TcpFin | Ipv4Frame.TcpAck,
                        _ => Ipv4Frame.TcpAck,
                    },
                    FrameLength = length,
                }.Build(),
            });
        }
        return frames;
    }

    private const byte Icmpv6 = 58;

    /// <summary>An IPv6 frame with a TCP, UDP or ICMPv6 echo request header and a payload to <paramref name="frameLength"/>,
    /// its checksum over the IPv6 pseudo-header.</summary>
    private static byte[] Ipv6(MacAddress destination, MacAddress source, ushort? vlanId, byte nextHeader, Random random,
        ushort sourcePort, ushort destinationPort, int frameLength)
    {
        var l2 = vlanId is null ? 14 : 18;
        var header = nextHeader switch { Ipv4Frame.Tcp => 20, _ => 8 };
        var payload = Math.Max(0, frameLength - l2 - 40 - header);
        var l4Length = header + payload;
        var frame = new byte[Math.Max(Frames.MinimumFrameLength, l2 + 40 + l4Length)];
        Frames.WriteEthernet(frame, destination, source, vlanId, Frames.EtherTypeVlan, Frames.EtherTypeIpv6);
        var ip = frame.AsSpan(l2);
        ip[0] = 0x60;
        BinaryPrimitives.WriteUInt16BigEndian(ip[4..], (ushort)l4Length);
        ip[6] = nextHeader;
        ip[7] = 64;
        // 2001:db8::/32 documentation addresses, a few hosts.
        foreach (var at in new[] { 8, 24 })
        {
            BinaryPrimitives.WriteUInt64BigEndian(ip[at..], 0x2001_0db8_0000_0000UL + (ulong)random.Next(4));
            BinaryPrimitives.WriteUInt64BigEndian(ip[(at + 8)..], (ulong)random.Next(1, 64));
        }
        var l4 = ip.Slice(40, l4Length);
        Frames.FillPayload(l4[header..]);
        int checksumAt;
        switch (nextHeader)
        {
            case Ipv4Frame.Tcp:
                BinaryPrimitives.WriteUInt16BigEndian(l4, sourcePort);
                BinaryPrimitives.WriteUInt16BigEndian(l4[2..], destinationPort);
                BinaryPrimitives.WriteUInt32BigEndian(l4[4..], (uint)random.Next());
                l4[12] = 5 << 4;
                l4[13] = random.Next(2) == 0 ? Ipv4Frame.TcpSyn : Ipv4Frame.TcpAck;
                BinaryPrimitives.WriteUInt16BigEndian(l4[14..], 64240);
                checksumAt = 16;
                break;
            case Ipv4Frame.Udp:
                BinaryPrimitives.WriteUInt16BigEndian(l4, sourcePort);
                BinaryPrimitives.WriteUInt16BigEndian(l4[2..], destinationPort);
                BinaryPrimitives.WriteUInt16BigEndian(l4[4..], (ushort)l4Length);
                checksumAt = 6;
                break;
            default:
                l4[0] = 128; // echo request
                BinaryPrimitives.WriteUInt16BigEndian(l4[4..], sourcePort);      // identifier
                BinaryPrimitives.WriteUInt16BigEndian(l4[6..], destinationPort); // sequence
                checksumAt = 2;
                break;
        }
        var pseudo = Checksum.Sum(ip.Slice(8, 32)) + (uint)l4Length + nextHeader;
        var sum = Checksum.Compute(l4, pseudo);
        BinaryPrimitives.WriteUInt16BigEndian(l4[checksumAt..], sum == 0 && nextHeader == Ipv4Frame.Udp ? (ushort)0xffff : sum);
        return frame;
    }
}
