using System.Buffers.Binary;

namespace Kecleon.Workloads;

/// <summary>A 48-bit MAC address held in the low bits of a ulong, first octet most significant.</summary>
internal readonly record struct MacAddress(ulong Value)
{
    public static MacAddress Broadcast { get; } = new(0xffff_ffff_ffff);

    /// <summary>A random locally administered unicast address (first octet x2, x6, xA or xE).</summary>
    public static MacAddress RandomLocal(Random random)
    {
        ulong value = (ulong)random.NextInt64(0, 1L << 48);
        value = (value & ~(0x03UL << 40)) | (0x02UL << 40);
        return new MacAddress(value);
    }

    public bool IsMulticast => ((Value >> 40) & 1) != 0;

    public void WriteTo(Span<byte> destination)
    {
        for (int i = 0; i < 6; i++)
            destination[i] = (byte)(Value >> (40 - 8 * i));
    }

    public static MacAddress Read(ReadOnlySpan<byte> source)
    {
        ulong value = 0;
        for (int i = 0; i < 6; i++)
            value = (value << 8) | source[i];
        return new MacAddress(value);
    }

    public override string ToString()
    {
        Span<byte> octets = stackalloc byte[6];
        WriteTo(octets);
        string hex = Convert.ToHexStringLower(octets);
        return string.Join(':', Enumerable.Range(0, 6).Select(i => hex.Substring(2 * i, 2)));
    }
}

/// <summary>IPv4 addresses as host-order uints (a.b.c.d is a &lt;&lt; 24 | ...); map keys store them big-endian.</summary>
internal static class Ipv4
{
    public static uint Address(byte a, byte b, byte c, byte d) => (uint)(a << 24 | b << 16 | c << 8 | d);

    public static string Format(uint address) =>
        $"{address >> 24}.{(address >> 16) & 0xff}.{(address >> 8) & 0xff}.{address & 0xff}";

    /// <summary>
    /// A random globally routable-looking unicast address: 1.0.0.0 to 223.255.255.255
    /// without 10/8, 127/8, 169.254/16, 172.16/12 and 192.168/16.
    /// </summary>
    public static uint RandomPublic(Random random)
    {
        while (true)
        {
            uint address = (uint)random.NextInt64(Address(1, 0, 0, 0), Address(224, 0, 0, 0));
            uint a = address >> 24;
            uint ab = address >> 16;
            if (a == 10 || a == 127 || ab == 0xa9fe || (ab & 0xfff0) == 0xac10 || ab == 0xc0a8)
                continue;
            return address;
        }
    }
}

/// <summary>An IPv4 prefix with the host bits cleared.</summary>
internal readonly record struct Ipv4Prefix
{
    public Ipv4Prefix(uint address, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, 32);
        Length = length;
        Address = address & MaskOf(length);
    }

    public uint Address { get; }
    public int Length { get; }
    public uint Mask => MaskOf(Length);
    public ulong Size => 1UL << (32 - Length);

    public bool Contains(uint address) => (address & Mask) == Address;

    public bool Contains(Ipv4Prefix other) => other.Length >= Length && Contains(other.Address);

    public uint RandomHost(Random random) => Address | (uint)random.NextInt64(0, (long)Size);

    /// <summary>The 8-byte LPM trie key: u32 prefixlen (host order), then the address in network order.</summary>
    public byte[] ToLpmKey()
    {
        var key = new byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(key, (uint)Length);
        BinaryPrimitives.WriteUInt32BigEndian(key.AsSpan(4), Address);
        return key;
    }

    public static Ipv4Prefix FromLpmKey(ReadOnlySpan<byte> key) =>
        new(BinaryPrimitives.ReadUInt32BigEndian(key[4..]), (int)BinaryPrimitives.ReadUInt32LittleEndian(key));

    public override string ToString() => $"{Ipv4.Format(Address)}/{Length}";

    private static uint MaskOf(int length) => length == 0 ? 0u : uint.MaxValue << (32 - length);
}

/// <summary>Longest-prefix match over a fixed set of prefixes, the way an LPM trie answers.</summary>
internal sealed class PrefixTable<TValue>
{
    private readonly Dictionary<(int Length, uint Address), TValue> _byPrefix = [];
    private readonly int[] _lengths;

    public PrefixTable(IEnumerable<(Ipv4Prefix Prefix, TValue Value)> entries)
    {
        foreach (var (prefix, value) in entries)
            _byPrefix[(prefix.Length, prefix.Address)] = value;
        _lengths = _byPrefix.Keys.Select(k => k.Length).Distinct().OrderDescending().ToArray();
    }

    public bool TryMatch(uint address, out Ipv4Prefix prefix, out TValue value)
    {
        foreach (int length in _lengths)
        {
            var candidate = new Ipv4Prefix(address, length);
            if (_byPrefix.TryGetValue((length, candidate.Address), out value!))
            {
                prefix = candidate;
                return true;
            }
        }
        prefix = default;
        value = default!;
        return false;
    }
}
