using Kecleon.Access;
using Kecleon.Llvm;
using Kecleon.Maps;

namespace Kecleon.Helpers;

/// <summary>A call to a BPF helper, with the map it is given (for map helpers), the key's origin, and for lookups
/// what the returned pointer is used for.</summary>
public sealed class HelperCallSite
{
    internal HelperCallSite(int index, LlvmInstruction call, BpfHelper helper, string location)
    {
        Index = index;
        Call = call;
        Helper = helper;
        Location = location;
    }

    /// <summary>The site's number in the module, in function and instruction order (<c>#3</c> in reports).</summary>
    public int Index { get; }
    public LlvmInstruction Call { get; }
    public LlvmFunction Function => Call.Block.Parent;
    public BpfHelper Helper { get; }
    /// <summary><c>file.c:42</c> from the debug info, or empty.</summary>
    public string Location { get; }
    public bool IsLookup => Helper.MapEffect == MapEffect.Lookup;

    /// <summary>The maps that can reach the map argument (several when a subprogram is called with different maps).</summary>
    public IReadOnlyList<MapDefinition> Maps { get; internal set; } = [];
    /// <summary>When the map argument is an inner map returned by a lookup in a map-in-map: that outer map's name.</summary>
    public string? InnerMapOf { get; internal set; }
    /// <summary>For lookup, update and delete: where the key comes from.</summary>
    public KeyOrigin? Key { get; internal set; }
    /// <summary>For a lookup at a constant key of a map the data plane writes only at constant keys: what the data plane
    /// writes at this key (read-only, some fields, or the whole value). Null otherwise.</summary>
    public KeyAccess? KeyClass { get; internal set; }
    /// <summary>For lookups: what is done through the returned pointer; <see cref="MapAccess.ReadOnly"/> when it is only read.</summary>
    public MapAccess ResultAccess { get; internal set; }
    public IReadOnlyList<AccessEvidence> ResultEvidence { get; internal set; } = [];
    public ResultUses Uses { get; internal set; } = ResultUses.None;

    /// <summary>What the site does to its map: the helper's own effect joined with what is done through the result.</summary>
    public MapAccess Access => Helper.MapEffect switch
    {
        MapEffect.Lookup or MapEffect.Read or MapEffect.None => ResultAccess,
        MapEffect.Write => MapAccess.Written,
        _ => MapAccess.MayWrite,
    };

    public string MapNames => InnerMapOf is { } outer ? $"inner map of {outer}"
        : Maps.Count == 0 ? "?" : string.Join("|", Maps.Select(m => m.Name));

    public override string ToString() => $"#{Index} {Helper.Name}({MapNames}) in {Function.Name}";
}
