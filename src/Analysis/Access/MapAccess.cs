using Kecleon.Maps;

namespace Kecleon.Access;

/// <summary>
/// What the data plane may do to a map. Ordered: a join takes the larger. <see cref="MayWrite"/> is the answer whenever
/// the analysis cannot prove <see cref="ReadOnly"/>; the optimizer treats it exactly like <see cref="Written"/>.
/// </summary>
public enum MapAccess { ReadOnly, MayWrite, Written }

public static class MapAccessNames
{
    /// <summary>The report and JSON spelling: <c>read-only</c>, <c>may-write</c>, <c>written</c>.</summary>
    public static string Name(this MapAccess access) => access switch
    {
        MapAccess.ReadOnly => "read-only",
        MapAccess.Written => "written",
        _ => "may-write",
    };

    public static MapAccess Join(this MapAccess a, MapAccess b) => a > b ? a : b;
}

/// <summary>Why a map or a lookup site has its class: what was found, and where (<c>function (file:line)</c>).</summary>
public sealed record AccessEvidence(MapAccess Access, string Reason, string Where)
{
    /// <summary>Found outside this object: another loaded program writes the map (<see cref="Analyses.AnalysisOptions.WrittenByOtherPrograms"/>).</summary>
    public bool ByOtherProgram { get; init; }

    public override string ToString() => Where.Length > 0 ? $"{Access.Name()}: {Reason} in {Where}" : $"{Access.Name()}: {Reason}";
}

/// <summary>Bytes <c>[Start, End)</c> of a map value.</summary>
public readonly record struct ByteRange(long Start, long End)
{
    public bool Overlaps(long start, long end) => start < End && Start < end;
    public override string ToString() => $"{Start}..{End}";
}

/// <summary>
/// What the data plane does at one constant key of a map it writes only at constant keys: nothing (<see cref="IsReadOnly"/>:
/// <see cref="Written"/> empty), some byte ranges of the value (fields: stores and atomic updates through a looked-up
/// pointer at constant offsets), or the whole value (<see cref="Whole"/>: an update or delete, a write at an offset not
/// known, a pointer given away). <see cref="What"/> says how (<c>atomic update</c>), <see cref="Sites"/> where (the
/// helper call sites that write it).
/// </summary>
public sealed record KeyAccess(byte[] Key, IReadOnlyList<ByteRange> Written, bool Whole, string What, IReadOnlyList<int> Sites)
{
    public bool IsReadOnly => !Whole && Written.Count == 0;

    /// <summary>The key as the reports say it: a little-endian integer for keys of up to 8 bytes (an array's index), else hex.</summary>
    public string KeyText => TextOf(Key);

    public static string TextOf(byte[] key) => key.Length <= 8
        ? BitConverter.ToUInt64([.. key, .. new byte[8 - key.Length]]).ToString(System.Globalization.CultureInfo.InvariantCulture)
        : Convert.ToHexString(key).ToLowerInvariant();

    /// <summary><c>written by the data plane (atomic update)</c>, <c>fields 8..16 written by the data plane (atomic update)</c>.</summary>
    public string WrittenText => IsReadOnly ? "read-only"
        : Whole ? $"written by the data plane ({What})"
        : $"field{(Written.Count > 1 ? "s" : "")} at offset {string.Join(", ", Written)} written by the data plane ({What})";
}

/// <summary>How the data plane uses one map, over every program of the module.</summary>
public sealed class MapAccessSummary
{
    internal MapAccessSummary(MapDefinition map, MapAccess access, IReadOnlyList<AccessEvidence> evidence)
    {
        Map = map;
        Access = access;
        Evidence = evidence;
    }

    /// <summary>For a map the data plane writes at constant keys only: what it writes at each such key (keys only read are
    /// absent). Null when the map is not classed per key (read-only, or written where no constant key is known:
    /// <see cref="NoKeyClasses"/>).</summary>
    public IReadOnlyList<KeyAccess>? WrittenKeys { get; internal init; }
    /// <summary>For a written map not classed per key: why (<c>lookup #3 at a non-constant key writes the value</c>).</summary>
    public string? NoKeyClasses { get; internal init; }

    public MapDefinition Map { get; }
    public MapAccess Access { get; }
    /// <summary>Every finding that made the class what it is; empty for a read-only map.</summary>
    public IReadOnlyList<AccessEvidence> Evidence { get; }
    public override string ToString() => $"{Map.Name}: {Access.Name()}";
}

/// <summary>What a lookup's result pointer is used for.</summary>
public sealed record ResultUses(int Loads, int Stores, int Atomics, int CopiesOut, int CopiesIn, int NullChecks, int HelperArguments, int Escapes)
{
    public static readonly ResultUses None = new(0, 0, 0, 0, 0, 0, 0, 0);

    public override string ToString()
    {
        var parts = new List<string>();
        void Add(int n, string what)
        {
            if (n > 0)
                parts.Add($"{n} {what}");
        }
        Add(NullChecks, "compare" + (NullChecks > 1 ? "s" : ""));
        Add(Loads, "load" + (Loads > 1 ? "s" : ""));
        Add(CopiesOut, "copied out");
        Add(Stores, "store" + (Stores > 1 ? "s" : ""));
        Add(Atomics, "atomic" + (Atomics > 1 ? "s" : ""));
        Add(CopiesIn, "copied into");
        Add(HelperArguments, "to helper" + (HelperArguments > 1 ? "s" : ""));
        Add(Escapes, "escape" + (Escapes > 1 ? "s" : ""));
        return parts.Count == 0 ? "unused" : string.Join(", ", parts);
    }
}
