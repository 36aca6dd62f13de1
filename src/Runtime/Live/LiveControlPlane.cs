using Kecleon.Runtime.Workloads;

namespace Kecleon.Runtime.Live;

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
}
