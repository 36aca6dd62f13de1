using System.Buffers.Binary;
using Kecleon.Bpf;
using Kecleon.Workloads;

namespace Kecleon.Bench.Live;

/// <summary>A sample's control plane adjusted for a live interface instead of BPF_PROG_TEST_RUN's loopback.</summary>
public static class LiveControlPlane
{
    /// <summary>The router's routes and next hops with every next hop on <paramref name="ifindex"/>, so that routed frames
    /// leave by XDP_TX back out of the interface they came in on (next-hop value: MACs, then the u32 ifindex at 12).</summary>
    public static ControlPlaneData Router(ControlPlaneData data, int ifindex)
    {
        var live = new ControlPlaneData();
        foreach (var map in data.MapNames)
            foreach (var entry in data.Entries(map))
            {
                var value = entry.Value.ToArray();
                if (map == "nexthops" && BitConverter.ToUInt32(value, 12) != 0)
                    BitConverter.GetBytes((uint)ifindex).CopyTo(value, 12);
                live.Add(map, entry.Key, value);
            }
        return live;
    }

    /// <summary>The most frequent IPv4 destinations among <paramref name="frames"/>, hottest first.</summary>
    public static IEnumerable<uint> HottestDestinations(IReadOnlyList<byte[]> frames, int count) =>
        frames.Where(f => f.Length >= 34 && f[12] == 0x08 && f[13] == 0x00)
            .GroupBy(f => BinaryPrimitives.ReadUInt32BigEndian(f.AsSpan(30)))
            .OrderByDescending(g => g.Count()).Take(count).Select(g => g.Key);

    /// <summary>The router's LPM key {u32 prefixlen; be32 addr}.</summary>
    public static byte[] RouteKey(uint address, int length = 32)
    {
        var key = new byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(key, (uint)length);
        BinaryPrimitives.WriteUInt32BigEndian(key.AsSpan(4), address);
        return key;
    }

    /// <summary>A control-plane change: a /32 route for each of the <paramref name="count"/> hottest destinations of
    /// <paramref name="frames"/>, to next hops from <paramref name="nextHop"/> on, written into every map given (the live
    /// one and a reference's, say). Returns the next unused next-hop counter.</summary>
    public static uint Reroute(IReadOnlyList<byte[]> frames, int count, uint nextHop, params BpfMapAccess[] routes)
    {
        foreach (var destination in HottestDestinations(frames, count))
        {
            var value = BitConverter.GetBytes(nextHop++ % RouterSample.NextHopCount);
            foreach (var map in routes)
                map.Update(RouteKey(destination), value);
        }
        return nextHop;
    }
}
