using System.Buffers.Binary;

namespace Kecleon.Workloads;

/// <summary>A frame read from or written to a capture file.</summary>
public sealed record PcapPacket(long TimestampMicroseconds, byte[] Frame, int OriginalLength);

/// <summary>
/// Classic libpcap capture files (not pcapng) with LINKTYPE_ETHERNET.
/// Writes little-endian microsecond files; reads either byte order, microsecond
/// or nanosecond timestamps.
/// </summary>
public static class Pcap
{
    public const uint LinkTypeEthernet = 1;
    private const uint MagicMicroseconds = 0xa1b2c3d4;
    private const uint MagicNanoseconds = 0xa1b23c4d;
    private const int FileHeaderLength = 24;
    private const int RecordHeaderLength = 16;
    private const int SnapLength = 262144;

    /// <summary>Writes frames with synthetic timestamps <paramref name="intervalMicroseconds"/> apart.</summary>
    public static void Write(Stream stream, IEnumerable<byte[]> frames, long intervalMicroseconds = 1) =>
        Write(stream, frames.Select((frame, i) => new PcapPacket(i * intervalMicroseconds, frame, frame.Length)));

    public static void Write(Stream stream, IEnumerable<PcapPacket> packets)
    {
        Span<byte> header = stackalloc byte[FileHeaderLength];
        BinaryPrimitives.WriteUInt32LittleEndian(header, MagicMicroseconds);
        BinaryPrimitives.WriteUInt16LittleEndian(header[4..], 2);
        BinaryPrimitives.WriteUInt16LittleEndian(header[6..], 4);
        BinaryPrimitives.WriteInt32LittleEndian(header[8..], 0);   // thiszone
        BinaryPrimitives.WriteUInt32LittleEndian(header[12..], 0); // sigfigs
        BinaryPrimitives.WriteUInt32LittleEndian(header[16..], SnapLength);
        BinaryPrimitives.WriteUInt32LittleEndian(header[20..], LinkTypeEthernet);
        stream.Write(header);

        Span<byte> record = stackalloc byte[RecordHeaderLength];
        foreach (var packet in packets)
        {
            if (packet.Frame.Length > SnapLength)
                throw new ArgumentException($"frame of {packet.Frame.Length} bytes exceeds the snap length {SnapLength}");
            ArgumentOutOfRangeException.ThrowIfNegative(packet.TimestampMicroseconds);
            BinaryPrimitives.WriteUInt32LittleEndian(record, checked((uint)(packet.TimestampMicroseconds / 1_000_000)));
            BinaryPrimitives.WriteUInt32LittleEndian(record[4..], (uint)(packet.TimestampMicroseconds % 1_000_000));
            BinaryPrimitives.WriteUInt32LittleEndian(record[8..], (uint)packet.Frame.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(record[12..], (uint)Math.Max(packet.OriginalLength, packet.Frame.Length));
            stream.Write(record);
            stream.Write(packet.Frame);
        }
    }

    public static void WriteFile(string path, IEnumerable<byte[]> frames)
    {
        using var stream = File.Create(path);
        Write(stream, frames);
    }

    /// <summary>Does <paramref name="bytes"/> start like a pcapng file (a Section Header Block)?</summary>
    public static bool IsPcapng(ReadOnlySpan<byte> bytes) =>
        bytes.Length >= 4 && BinaryPrimitives.ReadUInt32LittleEndian(bytes) == 0x0a0d0d0a;

    public const string PcapngNotSupported =
        "a pcapng file; Kecleon reads classic pcap: convert it with `editcap -F pcap IN OUT` or `tcpdump -r IN -w OUT`";

    /// <summary>Does <paramref name="bytes"/> start like a classic pcap file (either byte order, µs or ns timestamps)?</summary>
    public static bool IsPcap(ReadOnlySpan<byte> bytes) =>
        bytes.Length >= 24 && BinaryPrimitives.ReadUInt32LittleEndian(bytes) is 0xa1b2c3d4 or 0xa1b23c4d or 0xd4c3b2a1 or 0x4d3cb2a1;

    public static IReadOnlyList<PcapPacket> Read(Stream stream)
    {
        Span<byte> header = stackalloc byte[FileHeaderLength];
        if (!TryReadExactly(stream, header))
            throw new InvalidDataException("pcap: file shorter than its 24-byte header");
        if (IsPcapng(header))
            throw new InvalidDataException(PcapngNotSupported);

        uint magic = BinaryPrimitives.ReadUInt32LittleEndian(header);
        bool bigEndian;
        bool nanoseconds;
        switch (magic)
        {
            case MagicMicroseconds: bigEndian = false; nanoseconds = false; break;
            case MagicNanoseconds: bigEndian = false; nanoseconds = true; break;
            default:
                magic = BinaryPrimitives.ReadUInt32BigEndian(header);
                bigEndian = true;
                nanoseconds = magic == MagicNanoseconds;
                if (magic != MagicMicroseconds && !nanoseconds)
                    throw new InvalidDataException($"pcap: unknown magic 0x{BinaryPrimitives.ReadUInt32LittleEndian(header):x8} (pcapng is not supported)");
                break;
        }
        uint linkType = ReadUInt32(header[20..], bigEndian) & 0x0fff_ffff; // upper bits hold FCS info
        if (linkType != LinkTypeEthernet)
            throw new InvalidDataException($"pcap: link type {linkType} is not Ethernet ({LinkTypeEthernet})");

        var packets = new List<PcapPacket>();
        Span<byte> record = stackalloc byte[RecordHeaderLength];
        while (TryReadExactly(stream, record))
        {
            long seconds = ReadUInt32(record, bigEndian);
            long fraction = ReadUInt32(record[4..], bigEndian);
            uint captured = ReadUInt32(record[8..], bigEndian);
            uint original = ReadUInt32(record[12..], bigEndian);
            if (captured > SnapLength)
                throw new InvalidDataException($"pcap: record {packets.Count} claims {captured} captured bytes");
            if (captured > original)
                throw new InvalidDataException($"pcap: record {packets.Count} claims {captured} captured bytes of a {original}-byte packet");
            var frame = new byte[captured];
            if (!TryReadExactly(stream, frame))
                throw new InvalidDataException($"pcap: record {packets.Count} is cut short");
            long micros = seconds * 1_000_000 + (nanoseconds ? fraction / 1000 : fraction);
            packets.Add(new PcapPacket(micros, frame, (int)Math.Min(original, int.MaxValue)));
        }
        return packets;
    }

    public static IReadOnlyList<PcapPacket> ReadFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Read(stream);
    }

    private static uint ReadUInt32(ReadOnlySpan<byte> bytes, bool bigEndian) =>
        bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(bytes) : BinaryPrimitives.ReadUInt32LittleEndian(bytes);

    /// <summary>False at a clean end of stream; throws when the stream ends inside the buffer.</summary>
    private static bool TryReadExactly(Stream stream, Span<byte> buffer)
    {
        int read = 0;
        while (read < buffer.Length)
        {
            int n = stream.Read(buffer[read..]);
            if (n == 0)
            {
                if (read == 0)
                    return false;
                throw new InvalidDataException("pcap: file ends inside a record");
            }
            read += n;
        }
        return true;
    }
}
