using System.Buffers.Binary;
using Kecleon.Optimizer.Specialization;
using Xunit;

namespace Kecleon.Runtime.Tests.Optimization;

public sealed class LpmRangesTests
{
    [Fact]
    public void Ranges_answer_every_address_like_a_longest_prefix_match()
    {
        var random = new Random(3);
        var entries = new List<(byte[] Key, byte[] Value)>();
        var prefixes = new List<(uint Address, int Length)>();
        for (var i = 0; i < 400; i++)
        {
            var length = random.Next(0, 33);
            var address = (uint)random.NextInt64(0, 1L << 32) & (length == 0 ? 0 : uint.MaxValue << (32 - length));
            if (prefixes.Contains((address, length)))
                continue;
            prefixes.Add((address, length));
            var key = new byte[8];
            BinaryPrimitives.WriteUInt32LittleEndian(key, (uint)length);
            var pastPrefix = length == 32 ? 0u : ~(length == 0 ? 0 : uint.MaxValue << (32 - length));
            BinaryPrimitives.WriteUInt32BigEndian(key.AsSpan(4), address | (pastPrefix & 0x5)); // bits past the prefix must not matter
            entries.Add((key, BitConverter.GetBytes(prefixes.Count - 1)));
        }
        var ranges = LpmRanges.Build(entries);
        Assert.Equal(0u, ranges[0].Start);
        for (var probe = 0; probe < 20_000; probe++)
        {
            var address = probe < prefixes.Count ? prefixes[probe].Address : (uint)random.NextInt64(0, 1L << 32);
            var expected = prefixes.Select((p, i) => (p, i))
                .Where(x => x.p.Length == 0 || address >> (32 - x.p.Length) == x.p.Address >> (32 - x.p.Length))
                .OrderByDescending(x => x.p.Length).Select(x => x.i).DefaultIfEmpty(-1).First();
            var range = ranges.Last(r => r.Start <= address);
            Assert.Equal(expected, range.Entry);
        }
    }
}
