using Kecleon.Bpf;
using Kecleon.Helpers;
using Kecleon.Llvm;
using Kecleon.Maps;

namespace Kecleon.Access;

/// <summary>
/// Classes a map the data plane writes per constant key and per field. When every data-plane write of an ARRAY or HASH
/// map goes to a constant key (an update or delete at a constant key, or a store or atomic update through the pointer a
/// lookup at a constant key returned), the keys it writes are known, and so are the byte ranges it writes of each: a
/// lookup at another constant key reads a value nothing in the data plane changes, and a load of a field no write touches
/// reads bytes nothing changes. A write at a key not known, or anything the map is given to that may write it, keeps the
/// whole map written. Sets <see cref="HelperCallSite.KeyClass"/> on the lookups at constant keys.
/// </summary>
internal sealed class KeyClasses(ValueOrigins values, IReadOnlyList<HelperCallSite> sites, IReadOnlyDictionary<HelperCallSite, List<PointerUse>> usesOf)
{
    /// <param name="writtenWithoutKey">The map is written (or may be) where no key is known: not through any helper call site.</param>
    /// <returns>What the data plane writes per constant key; or, when the map is not classed per key, why.</returns>
    public (IReadOnlyList<KeyAccess>? Written, string? Refusal) Of(MapDefinition map, bool writtenWithoutKey)
    {
        if (map.Origin != MapOrigin.Defined)
            return (null, "global data: its variables are loaded and stored directly, not through lookups");
        if (map.Type is not (BpfMapType.Array or BpfMapType.Hash))
            return (null, $"{map.Type?.ToString() ?? "its"} maps are classed as a whole");
        if (writtenWithoutKey)
            return (null, "written where no key is known (the map's address is given away)");
        var mine = sites.Where(s => s.Maps.Contains(map)).ToList();
        var written = new Dictionary<string, Writes>(StringComparer.Ordinal);
        void Add(byte[] key, IEnumerable<ByteRange> ranges, bool whole, string what, int site)
        {
            var hex = Convert.ToHexString(key);
            if (!written.TryGetValue(hex, out var entry))
                written[hex] = entry = new Writes(key);
            entry.Ranges.AddRange(ranges);
            entry.What.Add(what);
            entry.Sites.Add(site);
            entry.Whole |= whole;
        }
        foreach (var site in mine)
        {
            if (site.Maps.Count > 1 || site.InnerMapOf is not null)
                return (null, $"#{site.Index} {site.Helper.Name} is given more than one map");
            if (site.IsLookup)
            {
                if (site.ResultAccess == MapAccess.ReadOnly)
                    continue;
                if (site.Key?.Bytes is not { } key)
                    return (null, $"lookup #{site.Index} at a non-constant key writes the value");
                var (ranges, whole, what) = WriteRanges(site, map.ValueSize);
                Add(key, ranges, whole, what, site.Index);
                continue;
            }
            switch (site.Helper.Id)
            {
                case BpfHelpers.MapUpdateElem or BpfHelpers.MapDeleteElem when site.Key?.Bytes is { } key:
                    Add(key, [], true, site.Helper.Name, site.Index);
                    break;
                case BpfHelpers.MapUpdateElem or BpfHelpers.MapDeleteElem:
                    return (null, $"{site.Helper.Name} #{site.Index} at a non-constant key");
                default:
                    if (site.Helper.MapEffect is not (MapEffect.Lookup or MapEffect.Read))
                        return (null, $"given to {site.Helper.Name} (#{site.Index}), which may write any key");
                    break;
            }
        }
        var result = written.Values
            .Select(w =>
            {
                var ranges = Merge(w.Ranges);
                var whole = w.Whole || ranges.Count == 1 && ranges[0].Start <= 0 && ranges[0].End >= map.ValueSize;
                return new KeyAccess(w.Key, whole ? [] : ranges, whole, string.Join(", ", w.What.Order(StringComparer.Ordinal)), w.Sites.Distinct().ToList());
            })
            .OrderBy(k => k.KeyText, StringComparer.Ordinal).ToList();
        if (result.Count == 0)
            return (null, "no write of this object's code is at a known key");
        foreach (var site in mine.Where(s => s.IsLookup && s.Key?.Bytes is not null))
            site.KeyClass = result.FirstOrDefault(k => k.Key.AsSpan().SequenceEqual(site.Key!.Bytes))
                            ?? new KeyAccess(site.Key!.Bytes!, [], false, "", []);
        return (result, null);
    }

    /// <summary>The byte ranges the writes through a lookup's result cover; whole when one is not at a known offset.</summary>
    private (List<ByteRange> Ranges, bool Whole, string What) WriteRanges(HelperCallSite site, int valueSize)
    {
        var ranges = new List<ByteRange>();
        var what = new HashSet<string>(StringComparer.Ordinal);
        var whole = false;
        foreach (var use in usesOf[site])
        {
            if (use.Kind is PointerUseKind.Load or PointerUseKind.CopyFrom or PointerUseKind.Compare or PointerUseKind.PassedToFunction)
                continue;
            if (use.Kind == PointerUseKind.HelperArgument && use.Helper!.ArgumentEffect(use.Argument) == PointerEffect.Reads)
                continue;
            if (use.Kind == PointerUseKind.GlobalInitializer && use.User.Name.StartsWith("llvm.", StringComparison.Ordinal))
                continue;
            var instruction = use.Instruction;
            (LlvmValue Pointer, LlvmValue Value)? access = use.Kind switch
            {
                PointerUseKind.Store => (instruction!.Value.Operand(1), instruction.Value.Operand(0)),
                PointerUseKind.Atomic when instruction!.Value.Opcode == LlvmOpcode.AtomicRmw => (instruction.Value.Operand(0), instruction.Value.Operand(1)),
                PointerUseKind.Atomic => (instruction!.Value.Operand(0), instruction.Value.Operand(2)),
                _ => null,
            };
            what.Add(use.Kind switch
            {
                PointerUseKind.Store => "store",
                PointerUseKind.Atomic => "atomic update",
                PointerUseKind.CopyTo => "memcpy into it",
                PointerUseKind.Fill => "memset",
                PointerUseKind.HelperArgument => $"given to {use.Helper!.Name}",
                _ => "its pointer escapes",
            });
            if (access is not { } a)
            {
                whole = true;
                continue;
            }
            var origin = values.Resolve(a.Pointer);
            var size = values.Layout.StoreSizeOf(a.Value.Type);
            if (origin.Base != PointerBase.MapValue || origin.Root != site.Call.Value || origin.Offset is not { } offset
                || offset < 0 || offset + size > valueSize)
                whole = true;
            else
                ranges.Add(new ByteRange(offset, offset + size));
        }
        return (ranges, whole, string.Join(", ", what.Order(StringComparer.Ordinal)));
    }

    private sealed class Writes(byte[] key)
    {
        public byte[] Key { get; } = key;
        public List<ByteRange> Ranges { get; } = [];
        public bool Whole { get; set; }
        public HashSet<string> What { get; } = new(StringComparer.Ordinal);
        public List<int> Sites { get; } = [];
    }

    private static List<ByteRange> Merge(List<ByteRange> ranges)
    {
        var merged = new List<ByteRange>();
        foreach (var range in ranges.OrderBy(r => r.Start))
            if (merged.Count > 0 && range.Start <= merged[^1].End)
                merged[^1] = merged[^1] with { End = Math.Max(merged[^1].End, range.End) };
            else
                merged.Add(range);
        return merged;
    }
}
