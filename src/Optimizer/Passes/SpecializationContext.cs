using Kecleon.Access;
using Kecleon.Analyses;
using Kecleon.Helpers;
using Kecleon.Maps;
using Kecleon.Optimizer.Planning;
using Kecleon.Optimizer.Specialization;
using Kecleon.Passes;

namespace Kecleon.Optimizer.Passes;

/// <summary>A program entry of the module: what the guard pass wraps.</summary>
public sealed record ProgramEntry(string Name, Kecleon.Llvm.LlvmFunction Function, Kecleon.Bpf.BpfProgramType? Type);

/// <summary>
/// What the specialization passes read from the analysis of the module as parsed. The analysis is lazy and caches views
/// of instructions, so everything any pass reads from it is taken here, before the first pass changes the module; a pass
/// must not ask the analysis anything new after the module changed.
/// </summary>
public sealed class ProgramFacts(ProgramAnalysis analysis)
{
    public ProgramAnalysis Analysis { get; } = analysis;
    public IReadOnlyList<ProgramEntry> Programs { get; } = analysis.Programs.Select(p => new ProgramEntry(p.Name, p.Entry, p.Type)).ToList();
    public IReadOnlyList<MapAccessSummary> MapAccess { get; } = analysis.MapAccess;
    public IReadOnlyList<MapDefinition> Maps { get; } = analysis.Maps.Maps;
    public IReadOnlyList<HelperCallSite> LookupSites { get; } = analysis.LookupSites.ToList();
    /// <summary>Every helper call (lookups, updates, deletes, ...), for passes that must find a map's write sites.</summary>
    public IReadOnlyList<HelperCallSite> HelperSites { get; } = analysis.HelperCalls.ToList();
}

/// <summary>
/// What the specialization passes have done so far, for the passes after them: which lookup sites a pass replaced (their
/// calls are gone, and a later pass must not look at them: a freed instruction's address can come back as another one)
/// and which maps' snapshots some rewrite used (the guard pass guards exactly these).
/// </summary>
public sealed class SpecializationState
{
    private readonly HashSet<int> _rewrittenSites = [];
    private readonly HashSet<string> _specializedMaps = new(StringComparer.Ordinal);
    private readonly HashSet<string> _compiledIntoCode = new(StringComparer.Ordinal);

    /// <summary>Range tables emitted as data (<see cref="SpecializationRequest.InPlaceData"/>), in emission order.</summary>
    public List<InPlaceSite> InPlaceSites { get; } = [];

    /// <summary>The maps every specialization of which is data in <see cref="InPlaceSites"/> (none compiled into code):
    /// their guards compare with a version held in the data; in the order of the data's header.</summary>
    public IReadOnlyList<string> DataMaps => InPlaceSites.Select(s => s.Map).Distinct().Where(m => !_compiledIntoCode.Contains(m))
        .Order(StringComparer.Ordinal).Take(InPlaceLayout.MaxMaps).ToList();

    /// <summary>The maps whose snapshots some rewrite used.</summary>
    public IReadOnlySet<string> SpecializedMaps => _specializedMaps;

    public bool IsRewritten(HelperCallSite site) => _rewrittenSites.Contains(site.Index);
    public bool IsSpecialized(string map) => _specializedMaps.Contains(map);

    /// <summary>Records that <paramref name="sites"/> were replaced by code that answers from <paramref name="map"/>'s snapshot.</summary>
    /// <param name="asData">The new code holds nothing of the snapshot: it searches the map's in-place data.</param>
    public void Rewrote(string map, IEnumerable<HelperCallSite> sites, bool asData = false)
    {
        _specializedMaps.Add(map);
        if (!asData)
            _compiledIntoCode.Add(map);
        foreach (var site in sites)
            _rewrittenSites.Add(site.Index);
    }
}

/// <summary>The specialization pipeline's inputs, read off the pass context.</summary>
public static class SpecializationContext
{
    /// <summary>A context for the specialization passes over <paramref name="analysis"/>'s module.</summary>
    public static PassContext Create(Kecleon.Llvm.LlvmModule module, SpecializationRequest request, ProgramAnalysis analysis,
        CancellationToken cancellation = default)
    {
        var plan = request.Plan ?? SpecializationPlanner.ForSnapshots(analysis, request);
        if (!plan.IsRefined)
            throw new ArgumentException("the plan's whole-map strategies must be chosen on the snapshots first (SpecializationPlan.Refine)", nameof(request));
        var state = new SpecializationState();
        // A fused chain's code is specialized on its PROG_ARRAYs' contents from the start: the guard pass guards them.
        foreach (var programArray in request.FusedProgramArrays)
            state.Rewrote(programArray, []);
        return new PassContext(module, cancellation).Provide(request).Provide(plan).Provide(analysis).Provide(new ProgramFacts(analysis))
            .Provide(state);
    }

    extension(PassContext context)
    {
        public SpecializationRequest Request => context.Input<SpecializationRequest>();
        /// <summary>What to specialize: the passes execute it (<see cref="SpecializationPlan.For"/> per lookup site).</summary>
        public SpecializationPlan Plan => context.Input<SpecializationPlan>();
        public ProgramFacts Facts => context.Input<ProgramFacts>();
        public SpecializationState State => context.Input<SpecializationState>();
    }
}
