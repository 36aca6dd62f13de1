using Kecleon.Analyses;
using Kecleon.Optimizer.Specialization;

namespace Kecleon.Optimizer.Passes;

/// <summary>A rewrite or a decision not to rewrite, for the report (ILSpy's <c>context.Step</c>).</summary>
public sealed record PassStep(string Pass, string What, string Where, bool Applied);

/// <summary>What every pass gets: the request, the analysis of the module being rewritten, and the step log.</summary>
public sealed class PassContext(SpecializationRequest request, ProgramAnalysis analysis, CancellationToken cancellation = default)
{
    private readonly List<PassStep> _steps = [];

    public SpecializationRequest Request { get; } = request;
    public ProgramAnalysis Analysis { get; } = analysis;
    public CancellationToken Cancellation { get; } = cancellation;
    public IReadOnlyList<PassStep> Steps => _steps;
    /// <summary>The maps whose snapshots some rewrite used: the guard pass guards exactly these.</summary>
    public HashSet<string> SpecializedMaps { get; } = new(StringComparer.Ordinal);

    public void Step(string pass, string what, string where) => _steps.Add(new PassStep(pass, what, where, true));
    public void Skip(string pass, string why, string where) => _steps.Add(new PassStep(pass, why, where, false));
}

/// <summary>One transform over a module (ILSpy's <c>IILTransform</c>): sealed, stateless, safe to run in parallel on
/// different modules.</summary>
public interface IModulePass
{
    string Name { get; }
    void Run(Kecleon.Llvm.LlvmModule module, PassContext context);
}
