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

/// <summary>How the data plane uses one map, over every program of the module.</summary>
public sealed class MapAccessSummary
{
    internal MapAccessSummary(MapDefinition map, MapAccess access, IReadOnlyList<AccessEvidence> evidence)
    {
        Map = map;
        Access = access;
        Evidence = evidence;
    }

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
