using Kecleon.Analyses;
using Kecleon.FrontEnd;
using Kecleon.Llvm;

namespace Kecleon.Runtime.Optimization;

/// <summary>
/// A program's IR parsed and analysed ahead of the cycle that will specialize it (<see cref="OptimizeOptions.Prepared"/>):
/// a daemon makes the next one while it waits, so a cycle after a control-plane write starts at the snapshot. The
/// passes rewrite the module they are given, so one serves one cycle: <see cref="Take"/> hands it over once. Neither
/// the IR nor its analysis depends on the maps' contents; the analysis does depend on which maps other programs write,
/// so a cycle that finds them changed analyses the module again.
/// </summary>
public sealed class PreparedModule : IDisposable
{
    private Parts? _parts;

    private PreparedModule(ProgramSource source, Parts parts) => (Source, _parts) = (source, parts);

    public ProgramSource Source { get; }

    /// <summary>Whether it is still there to take.</summary>
    public bool Available => Volatile.Read(ref _parts) is not null;

    /// <summary>Parses <paramref name="source"/> into a context of its own and computes what a cycle's planner reads
    /// of its analysis (the map accesses, the programs), for maps <paramref name="writtenElsewhere"/> written by other
    /// programs. On any thread: the context is this object's until it is taken.</summary>
    public static PreparedModule Prepare(ProgramSource source, IReadOnlySet<string> writtenElsewhere)
    {
        var context = LlvmContext.Create();
        LlvmModule? module = null;
        try
        {
            module = source.Parse(context);
            var analysis = OptimizationCycle.Analyze(source, module, writtenElsewhere);
            _ = analysis.MapAccess;
            _ = analysis.Programs;
            return new PreparedModule(source, new Parts(context, module, analysis, writtenElsewhere.ToHashSet()));
        }
        catch
        {
            module?.Dispose();
            context.Dispose();
            throw;
        }
    }

    /// <summary>The parts, for one cycle on <paramref name="source"/>, which then owns them; null when taken already or
    /// made of another source.</summary>
    internal Parts? Take(ProgramSource source) =>
        ReferenceEquals(source, Source) ? Interlocked.Exchange(ref _parts, null) : null;

    public void Dispose() => Interlocked.Exchange(ref _parts, null)?.Dispose();

    /// <summary>A context, the module parsed in it, and the module's analysis for maps
    /// <see cref="WrittenElsewhere"/>.</summary>
    internal sealed record Parts(LlvmContext Context, LlvmModule Module, ProgramAnalysis Analysis, IReadOnlySet<string> WrittenElsewhere) : IDisposable
    {
        public void Dispose()
        {
            Analysis.Dispose();
            Module.Dispose();
            Context.Dispose();
        }
    }
}
