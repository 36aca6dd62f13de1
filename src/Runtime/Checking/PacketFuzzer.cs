namespace Kecleon.Runtime.Checking;

/// <summary>Random and malformed packets for the differential checker: mutations of real frames (truncations, flipped
/// bytes, wrong lengths in headers) and random bytes behind plausible Ethernet/IPv4 headers.</summary>
public static class PacketFuzzer
{
    public static IReadOnlyList<byte[]> Generate(IReadOnlyList<byte[]> seeds, int count, int seed)
    {
        var random = new Random(seed);
        var packets = new List<byte[]>(count);
        for (var i = 0; i < count; i++)
        {
            var kind = seeds.Count == 0 ? 3 : random.Next(4);
            var packet = kind switch
            {
                0 => Truncate(seeds[random.Next(seeds.Count)], random),
                1 => FlipBytes(seeds[random.Next(seeds.Count)], random),
                2 => CorruptHeaderField(seeds[random.Next(seeds.Count)], random),
                _ => RandomFrame(random),
            };
            packets.Add(packet);
        }
        return packets;
    }

    /// <summary>XDP test runs need at least an Ethernet header's 14 bytes.</summary>
    private static byte[] Truncate(byte[] frame, Random random) => frame[..Math.Max(14, random.Next(14, frame.Length + 1))];

    private static byte[] FlipBytes(byte[] frame, Random random)
    {
        var copy = (byte[])frame.Clone();
        for (var n = random.Next(1, 4); n > 0; n--)
            copy[random.Next(copy.Length)] ^= (byte)random.Next(1, 256);
        return copy;
    }

    /// <summary>Hits the fields parsers trust: EtherType, IHL/version, total length, protocol, fragment offset.</summary>
    private static byte[] CorruptHeaderField(byte[] frame, Random random)
    {
        var copy = (byte[])frame.Clone();
        int[] offsets = [12, 13, 14, 16, 17, 20, 21, 23];
        var offset = offsets[random.Next(offsets.Length)];
        if (offset < copy.Length)
            copy[offset] = (byte)random.Next(256);
        return copy;
    }

    private static byte[] RandomFrame(Random random)
    {
        var frame = new byte[random.Next(14, 256)];
        random.NextBytes(frame);
        if (random.Next(2) == 0)
        {
            frame[12] = 0x08; // IPv4 EtherType, so parsers go deeper
            frame[13] = 0x00;
            if (frame.Length > 14)
                frame[14] = (byte)(0x40 | random.Next(16));
        }
        return frame;
    }
}
