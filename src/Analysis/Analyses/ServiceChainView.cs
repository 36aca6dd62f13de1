using Kecleon.Helpers;
using Kecleon.Llvm;
using Kecleon.Maps;

namespace Kecleon.Analyses;

/// <summary>Where a PROG_ARRAY slot's program came from: the map's own definition (<c>.values = { [1] = &amp;prog }</c>,
/// which libbpf fills at load), the loader a bundled sample names (<c>sample:chain</c>), or a loaded program's map in
/// the kernel.</summary>
public enum SlotOrigin { Declared, Loader, Live }

/// <summary>One occupied PROG_ARRAY slot: the program in it, by name.</summary>
public sealed record ProgramArraySlot(string Map, uint Slot, string Program, SlotOrigin Origin);

/// <summary>One <c>bpf_tail_call</c> of a stage: the PROG_ARRAY, the index (null: computed at run time) and the source line.</summary>
public sealed record TailCallSite(ProgramInfo Caller, HelperCallSite Site, uint? Slot)
{
    public string MapNames => Site.MapNames;
    public string Location => Site.Location;
    /// <summary><c>map[1]</c>, or <c>map[?]</c> for a computed index.</summary>
    public string Target => $"{MapNames}[{(Slot is { } s ? s.ToString(System.Globalization.CultureInfo.InvariantCulture) : "?")}]";
}

/// <summary>A tail call that can reach <paramref name="Callee"/>: the site, the slot it takes, the program there.</summary>
public sealed record TailCallEdge(TailCallSite From, ProgramArraySlot Slot, ProgramInfo Callee);

/// <summary>
/// The object as a service chain: the programs that tail-call one another through PROG_ARRAYs (the stages), each tail
/// call with its map and index, the slots whose programs are known (declared in the map's definition, or read from the
/// kernel for a loaded program: <see cref="AnalysisOptions.ProgramArraySlots"/>), and who calls whom. A constant index
/// reaches the program in that slot; a computed one every occupied slot of its map. Empty for an object without tail
/// calls or filled PROG_ARRAYs.
/// </summary>
public sealed class ServiceChainView
{
    private ServiceChainView(IReadOnlyList<ProgramInfo> stages, IReadOnlyList<ProgramInfo> entries, IReadOnlyList<TailCallSite> sites,
        IReadOnlyList<ProgramArraySlot> slots, IReadOnlyList<TailCallEdge> edges)
        => (Stages, Entries, Sites, Slots, Edges) = (stages, entries, sites, slots, edges);

    /// <summary>Programs that make a tail call or sit in a slot, entries first, in the object's order.</summary>
    public IReadOnlyList<ProgramInfo> Stages { get; }
    /// <summary>Stages in no known slot: what is attached to a hook.</summary>
    public IReadOnlyList<ProgramInfo> Entries { get; }
    public IReadOnlyList<TailCallSite> Sites { get; }
    public IReadOnlyList<ProgramArraySlot> Slots { get; }
    public IReadOnlyList<TailCallEdge> Edges { get; }
    public bool IsEmpty => Sites.Count == 0 && Slots.Count == 0;

    /// <summary>Where the slots came from, for reports: <c>declared</c>, <c>loader</c>, <c>live</c>, or <c>unknown</c> without any.</summary>
    public string SlotsOrigin => Slots.Count == 0 ? "unknown" : Slots[0].Origin.ToString().ToLowerInvariant();

    internal static ServiceChainView Build(ProgramAnalysis analysis)
    {
        var programs = analysis.Programs;
        var byName = programs.ToDictionary(p => p.Name, StringComparer.Ordinal);
        var sites = programs.SelectMany(p => p.TailCalls.Select(s => new TailCallSite(p, s, ConstantIndex(s)))).ToList();
        var live = analysis.Options.ProgramArraySlots;
        var slots = (live ?? DeclaredSlots(analysis.Maps))
            .Where(s => byName.ContainsKey(s.Program))
            .OrderBy(s => s.Map, StringComparer.Ordinal).ThenBy(s => s.Slot).ToList();
        var edges = new List<TailCallEdge>();
        foreach (var site in sites)
            foreach (var slot in slots.Where(s => site.Site.Maps.Any(m => m.Name == s.Map) && (site.Slot is null || site.Slot == s.Slot)))
                edges.Add(new TailCallEdge(site, slot, byName[slot.Program]));
        var inSlots = slots.Select(s => s.Program).ToHashSet(StringComparer.Ordinal);
        var callers = sites.Select(s => s.Caller.Name).ToHashSet(StringComparer.Ordinal);
        var members = programs.Where(p => inSlots.Contains(p.Name) || callers.Contains(p.Name)).ToList();
        var entries = members.Where(p => !inSlots.Contains(p.Name)).ToList();
        return new ServiceChainView([.. entries, .. members.Except(entries)], entries, sites, slots, edges);
    }

    /// <summary>The slot a tail call's index names when it is a constant (after clang's inlining a stage's
    /// <c>bpf_tail_call(ctx, &amp;slots, NEXT)</c> is).</summary>
    private static uint? ConstantIndex(HelperCallSite site) =>
        site.Call.ArgumentCount > 2 && site.Call.Argument(2) is { IsConstantInt: true } index ? (uint)index.ZExtValue : null;

    /// <summary>The programs a PROG_ARRAY's definition puts in its slots (<c>.values = { [1] = (void *)&amp;stage }</c>):
    /// the initializer's array of function pointers, indexed by slot.</summary>
    private static IEnumerable<ProgramArraySlot> DeclaredSlots(MapModel maps)
    {
        foreach (var map in maps.Maps.Where(m => m.Type == Bpf.BpfMapType.ProgArray && m.Origin == MapOrigin.Defined))
        {
            var init = map.Globals[0].Initializer;
            if (init.IsNull || init.IsNullValue)
                continue;
            foreach (var field in init.Operands)
            {
                var values = field.Operands.ToList();
                if (!values.Any(v => v.IsFunction))
                    continue;
                for (var slot = 0; slot < values.Count; slot++)
                    if (values[slot].IsFunction)
                        yield return new ProgramArraySlot(map.Name, (uint)slot, values[slot].Name, SlotOrigin.Declared);
            }
        }
    }
}
