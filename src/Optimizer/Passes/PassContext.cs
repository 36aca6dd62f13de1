using Kecleon.Analyses;
using Kecleon.Optimizer.Planning;
using Kecleon.Optimizer.Specialization;

namespace Kecleon.Optimizer.Passes;

/// <summary>A rewrite or a decision not to rewrite, for the report (ILSpy's <c>context.Step</c>). A site left alone
/// carries its typed <see cref="Reason"/>; <see cref="What"/> is its text.</summary>
public sealed record PassStep(string Pass, string What, string Where, bool Applied)
{
    public PlanReason? Reason { get; init; }
}

/// <summary>A program entry of the module: what the guard pass wraps.</summary>
public sealed record ProgramEntry(string Name, Kecleon.Llvm.LlvmFunction Function, Kecleon.Bpf.BpfProgramType? Type);

/// <summary>
/// What every pass gets: the request, the analysis of the module being rewritten, and the step log. The analysis is
/// lazy and caches views of instructions, so everything any pass reads from it is computed here, before the first pass
/// changes the module; a pass must not ask the analysis anything new after the module changed.
/// </summary>
public sealed class PassContext
{
    private readonly List<PassStep> _steps = [];

    public PassContext(SpecializationRequest request, ProgramAnalysis analysis, CancellationToken cancellation = default)
    {
        Request = request;
        Analysis = analysis;
        Cancellation = cancellation;
        Programs = analysis.Programs.Select(p => new ProgramEntry(p.Name, p.Entry, p.Type)).ToList();
        MapAccess = analysis.MapAccess;
        Maps = analysis.Maps.Maps;
        LookupSites = analysis.LookupSites.ToList();
        HelperSites = analysis.HelperCalls.ToList();
        Plan = request.Plan ?? SpecializationPlanner.ForSnapshots(analysis, request);
        if (!Plan.IsRefined)
            throw new ArgumentException("the plan's whole-map strategies must be chosen on the snapshots first (SpecializationPlan.Refine)", nameof(request));
    }

    public SpecializationRequest Request { get; }
    /// <summary>What to specialize: the passes execute it (<see cref="SpecializationPlan.For"/> per lookup site).</summary>
    public SpecializationPlan Plan { get; }
    public ProgramAnalysis Analysis { get; }
    public IReadOnlyList<ProgramEntry> Programs { get; }
    public IReadOnlyList<Kecleon.Access.MapAccessSummary> MapAccess { get; }
    public IReadOnlyList<Kecleon.Maps.MapDefinition> Maps { get; }
    public IReadOnlyList<Kecleon.Helpers.HelperCallSite> LookupSites { get; }
    /// <summary>Every helper call (lookups, updates, deletes, ...), for passes that must find a map's write sites.</summary>
    public IReadOnlyList<Kecleon.Helpers.HelperCallSite> HelperSites { get; }
    public CancellationToken Cancellation { get; }
    public IReadOnlyList<PassStep> Steps => _steps;
    /// <summary>The maps whose snapshots some rewrite used: the guard pass guards exactly these.</summary>
    public HashSet<string> SpecializedMaps { get; } = new(StringComparer.Ordinal);
    /// <summary>Lookup sites (<see cref="Kecleon.Helpers.HelperCallSite.Index"/>) a pass replaced: their calls are gone,
    /// and a later pass must not look at them (a freed instruction's address can come back as another one).</summary>
    public HashSet<int> RewrittenSites { get; } = [];

    public void Step(string pass, string what, string where) => _steps.Add(new PassStep(pass, what, where, true));
    public void Skip(string pass, string why, string where) => _steps.Add(new PassStep(pass, why, where, false));
    public void Skip(string pass, PlanReason why, string where) => _steps.Add(new PassStep(pass, why.Text, where, false) { Reason = why });
}

/// <summary>One transform over a module (ILSpy's <c>IILTransform</c>): sealed, stateless, safe to run in parallel on
/// different modules.</summary>
public interface IModulePass
{
    string Name { get; }
    void Run(Kecleon.Llvm.LlvmModule module, PassContext context);
}
