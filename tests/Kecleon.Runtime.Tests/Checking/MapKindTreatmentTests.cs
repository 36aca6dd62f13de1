using Kecleon.Bpf;
using Kecleon.Runtime.Checking;
using Xunit;

namespace Kecleon.Runtime.Tests.Checking;

/// <summary>Every kind of map has one treatment, or a refusal that names the map and its kind.</summary>
[Trait("Tier", "Kernel")]
public sealed class MapKindTreatmentTests
{
    [Fact]
    public void A_kind_without_a_treatment_is_refused_by_name()
    {
        using var sockets = BpfLoadedMap.Create(BpfMapType.SockMap, "maps_sockmap", 4, 4, 1);
        var refused = Assert.Throws<UnsupportedMapKindException>(() => MapKindTreatment.Of(sockets));
        Assert.StartsWith("map maps_sockmap is a sockmap: Kecleon has no way to give the check its own copy", refused.Message);
        Assert.Equal(ExitCodes.BadInput, refused.ExitCode);
    }

    [Fact]
    public void Only_the_kinds_specialized_on_are_guarded_and_shared_kinds_are_not_compared()
    {
        Assert.All(MapKindTreatment.All, t => Assert.Equal(t.Snapshot, t.Guarded));
        Assert.All(MapKindTreatment.All.Where(t => t.Copy == CheckCopy.SharedLive), t => Assert.Equal(CheckComparison.None, t.Compare));
        Assert.Equal([BpfMapType.Hash, BpfMapType.Array, BpfMapType.LruHash, BpfMapType.LpmTrie],
            MapKindTreatment.All.Where(t => t.Snapshot).Select(t => t.Type).Order());
    }

    [Fact]
    public void A_queue_is_compared_in_order_by_taking_its_values()
    {
        using var queue = BpfLoadedMap.Create(BpfMapType.Queue, "maps_queue", 0, 4, 8);
        foreach (var value in new uint[] { 7, 3, 9 })
            queue.Update([], BitConverter.GetBytes(value));
        Assert.Equal(7u, BitConverter.ToUInt32(queue.Pop()));
        Assert.Equal(3u, BitConverter.ToUInt32(queue.Pop()));
        Assert.Equal(9u, BitConverter.ToUInt32(queue.Pop()));
        Assert.Null(queue.Pop());
    }
}
