using System.Buffers.Binary;
using Kecleon.Bpf;

namespace Kecleon.Runtime.Checking;

/// <summary>
/// Makes the differential check's own copies of live maps, as <see cref="MapKindTreatment"/> says for each kind: a copy
/// takes the live map's definition (a loader may have resized it before load: the object's own size can be 0 or
/// another), then its contents. Each live map is read once, for all the copies: under live traffic two reads differ
/// (a counter moved between them), and the variants compared must start from the same state.
/// </summary>
public sealed class CheckCopies : IDisposable
{
    private readonly Dictionary<string, BpfMapAccess> _live;
    private readonly Dictionary<string, BpfMapAccess> _unreferenced;
    private readonly Dictionary<string, BpfMapAccess> _globalData;
    private readonly List<BpfLoadedMap> _held = [];
    private readonly Dictionary<uint, IReadOnlyList<(byte[] Key, byte[] Value)>> _read = [];
    private readonly Dictionary<string, byte[]?> _globalDataRead = [];

    /// <param name="original">The original on the live maps: the maps its program references are copied; the object's
    /// others (another program's, say) are left as they are, shared.</param>
    public CheckCopies(Deployment.LoadedVariant original)
    {
        var referenced = original.Program.Info().MapIds.ToHashSet();
        var maps = original.Object.Maps.Where(m => !m.IsInternal).ToLookup(m => referenced.Contains(m.Info().Id));
        _live = maps[true].ToDictionary(m => m.Name, m => (BpfMapAccess)m);
        _unreferenced = maps[false].ToDictionary(m => m.Name, m => (BpfMapAccess)m);
        _globalData = original.Object.Maps
            .Where(m => m.IsInternal && Deployment.LoadedVariant.GlobalDataSection(m.Name) is { } section && Deployment.GlobalDataLayout.IsWritable(section))
            .ToDictionary(m => Deployment.LoadedVariant.GlobalDataSection(m.Name)!, m => (BpfMapAccess)m);
        foreach (var map in _live.Values)
            MapKindTreatment.Of(map);
    }

    /// <summary>The live maps both variants share: kinds shared by rule (<see cref="CheckCopy.SharedLive"/>),
    /// <paramref name="readOnly"/> ones (no program writes them; never a map of maps, whose inner maps the analysis does
    /// not follow), and the ones the program does not reference.</summary>
    public IReadOnlyDictionary<string, BpfMapAccess> Shared(IReadOnlySet<string> readOnly) => _live
        .Where(m => MapKindTreatment.Of(m.Value).Copy == CheckCopy.SharedLive || IsSharedReadOnly(m, readOnly))
        .Concat(_unreferenced)
        .ToDictionary();

    /// <summary>The maps <see cref="Shared"/> shares because no program writes them (<paramref name="readOnly"/>), not
    /// by their kind: a read-only map needs no copy (both variants reading the same live map see the same state, and a
    /// control-plane write meanwhile can only make the check fail, never pass wrongly), so a ring of millions of slots
    /// costs the check nothing. In the live map's order.</summary>
    public IReadOnlyList<string> SharedReadOnly(IReadOnlySet<string> readOnly) => _live
        .Where(m => IsSharedReadOnly(m, readOnly)).Select(m => m.Key).ToList();

    private static bool IsSharedReadOnly(KeyValuePair<string, BpfMapAccess> map, IReadOnlySet<string> readOnly) =>
        readOnly.Contains(map.Key) && MapKindTreatment.Of(map.Value).Copy == CheckCopy.Entries;

    /// <summary>Gives a variant's own map, before it is created, the live map's definition (size, flags, and for a map of
    /// maps the template of its inner maps).</summary>
    public void Shape(BpfMap own)
    {
        if (own.IsInternal || !_live.TryGetValue(own.Name, out var live))
            return;
        BpfLoadedMap? template = null;
        if (live.Type.IsMapInMap() && live.Entries().FirstOrDefault() is { Value: { } id })
        {
            template = BpfLoadedMap.OpenById(BinaryPrimitives.ReadUInt32LittleEndian(id));
            _held.Add(template);
        }
        own.TakeDefinition(live, live.Info().Flags, template);
    }

    /// <summary>Fills a variant's own copy from the live map (an empty one stays empty); writable global data
    /// (<c>.data</c>, <c>.bss</c>) from the live section of the same size.</summary>
    public void Fill(BpfMap copy)
    {
        if (copy.IsInternal)
        {
            if (Deployment.LoadedVariant.GlobalDataSection(copy.Name) is { } section && _globalData.TryGetValue(section, out var data)
                && data.ValueSize == copy.ValueSize && GlobalData(section, data) is { } value)
                copy.Update(BitConverter.GetBytes(0u), value);
            return;
        }
        if (_live.TryGetValue(copy.Name, out var live))
            Fill(copy, live);
    }

    /// <summary>Whether a variant's copy of the live map <paramref name="name"/> may be kept for the next cycle
    /// (<see cref="CheckMapPool"/>): one copied entry by entry.</summary>
    public bool Keepable(string name) => _live.TryGetValue(name, out var live) && MapKindTreatment.Of(live).Copy == CheckCopy.Entries;

    /// <summary>The live maps' ids, by name.</summary>
    public IReadOnlyDictionary<string, uint> LiveIds() => _live.ToDictionary(m => m.Key, m => m.Value.Info().Id, StringComparer.Ordinal);

    /// <summary>Brings a copy kept from an earlier check (<see cref="CheckMapPool"/>, a <see cref="Keepable"/> one)
    /// back to the live map's contents: the entries the live map lacks deleted, the ones that differ or are missing
    /// written. The check runs a few hundred packets on it, so few differ.</summary>
    public void Refill(BpfMapAccess copy, string name)
    {
        var live = _live[name];
        var want = Entries(live);
        var held = copy.Entries();
        var have = new Dictionary<byte[], byte[]>(held.Count, ByteKeyComparer.Instance);
        foreach (var (key, value) in held)
            have[key] = value;
        var writes = new List<(byte[] Key, byte[] Value)>();
        foreach (var (key, value) in want)
        {
            if (!have.Remove(key, out var old) || !old.AsSpan().SequenceEqual(value))
                writes.Add((key, value));
        }
        // An array's slots cannot go: every one of them is in both reads.
        foreach (var key in have.Keys)
            copy.Delete(key);
        copy.UpdateBatch(writes);
    }

    private byte[]? GlobalData(string section, BpfMapAccess data)
    {
        if (!_globalDataRead.TryGetValue(section, out var value))
            _globalDataRead[section] = value = data.Lookup(BitConverter.GetBytes(0u));
        return value;
    }

    /// <summary>The live map's entries, read once.</summary>
    private IReadOnlyList<(byte[] Key, byte[] Value)> Entries(BpfMapAccess live)
    {
        var id = live.Info().Id;
        if (!_read.TryGetValue(id, out var entries))
            _read[id] = entries = live.Entries();
        return entries;
    }

    private void Fill(BpfMapAccess copy, BpfMapAccess live)
    {
        switch (MapKindTreatment.Of(live).Copy)
        {
            case CheckCopy.Entries:
                copy.UpdateBatch(Entries(live));
                break;
            case CheckCopy.ProgramsById:
                foreach (var (key, id) in Entries(live))
                {
                    using var program = BpfFd.OpenProgramById(BinaryPrimitives.ReadUInt32LittleEndian(id));
                    copy.Update(key, BitConverter.GetBytes((uint)program.Value));
                }
                break;
            case CheckCopy.InnerMapsCopied:
                foreach (var (key, id) in Entries(live))
                {
                    using var inner = BpfLoadedMap.OpenById(BinaryPrimitives.ReadUInt32LittleEndian(id));
                    if (inner.Type.IsMapInMap())
                        MapKindTreatment.Of(inner);
                    using var innerCopy = BpfLoadedMap.CreateLike(inner);
                    Fill(innerCopy, inner);
                    copy.Update(key, BitConverter.GetBytes((uint)innerCopy.Fd));
                }
                break;
        }
    }

    public void Dispose() => _held.ForEach(m => m.Dispose());
}
