using System.Buffers.Binary;

namespace Kecleon.Runtime.Execution;

/// <summary>Minimal reader for classic libpcap files, enough to take frames from a user's capture.</summary>
public static class PcapFrames
{
    private const uint Magic = 0xa1b2c3d4, MagicNanos = 0xa1b23c4d;

    public static bool IsPcap(ReadOnlySpan<byte> bytes) =>
        bytes.Length >= 24 && BinaryPrimitives.ReadUInt32LittleEndian(bytes) is var m
        && (m is Magic or MagicNanos || BinaryPrimitives.ReverseEndianness(m) is Magic or MagicNanos);

    public static IReadOnlyList<byte[]> Read(ReadOnlySpan<byte> bytes)
    {
        if (!IsPcap(bytes))
            throw new InvalidInputException("not a pcap file (bad magic number)");
        var bigEndian = BinaryPrimitives.ReadUInt32LittleEndian(bytes) is not (Magic or MagicNanos);
        uint U32(ReadOnlySpan<byte> s) => bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(s) : BinaryPrimitives.ReadUInt32LittleEndian(s);
        var linkType = U32(bytes[20..]);
        if (linkType != 1)
            throw new InvalidInputException($"pcap link type {linkType} is not Ethernet (1)");
        var frames = new List<byte[]>();
        var offset = 24;
        while (offset + 16 <= bytes.Length)
        {
            var captured = (int)U32(bytes[(offset + 8)..]);
            offset += 16;
            if (captured < 0 || offset + captured > bytes.Length)
                throw new InvalidInputException($"pcap record at byte {offset - 16} runs past the end of the file");
            frames.Add(bytes.Slice(offset, captured).ToArray());
            offset += captured;
        }
        return frames;
    }
}
