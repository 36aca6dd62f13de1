namespace Kecleon.Workloads;

/// <summary>
/// What a control plane writes into a network function's maps before traffic
/// flows: map name to entries, both in insertion order so that replaying it is
/// deterministic. Pure data: nothing here touches the kernel.
/// </summary>
public sealed class ControlPlaneData
{
    private readonly List<string> _mapOrder = [];
    private readonly Dictionary<string, List<MapEntry>> _entries = new(StringComparer.Ordinal);

    /// <summary>Maps in the order their first entry was added.</summary>
    public IReadOnlyList<string> MapNames => _mapOrder;

    public int TotalEntries => _entries.Values.Sum(list => list.Count);

    public void Add(string map, byte[] key, byte[] value)
    {
        ArgumentException.ThrowIfNullOrEmpty(map);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        if (!_entries.TryGetValue(map, out var list))
        {
            list = [];
            _entries.Add(map, list);
            _mapOrder.Add(map);
        }
        list.Add(new MapEntry(key, value));
    }

    /// <summary>The entries for <paramref name="map"/>; empty when the control plane writes none.</summary>
    public IReadOnlyList<MapEntry> Entries(string map) =>
        _entries.TryGetValue(map, out var list) ? list : [];
}
