using System.Diagnostics;
using Kecleon.Analyses;
using Kecleon.Llvm;
using Kecleon.Optimizer.CodeGen;
using Kecleon.Optimizer.Passes;
using Kecleon.Optimizer.Specialization;
using Kecleon.Passes;

namespace Kecleon.Optimizer;

/// <summary>A specialized object (pure data: nothing is loaded) and what was done to make it.</summary>
public sealed record SpecializationResult(
    CompiledObject Object, IReadOnlyList<PassStep> Steps, IReadOnlySet<string> SpecializedMaps, TimeSpan PassTime)
{
    public IEnumerable<PassStep> Applied => Steps.Where(s => s.Applied);
}

/// <summary>The optimization pipeline: <see cref="Pipelines.Specialize"/>, then LLVM's passes, then the BPF back end.</summary>
public static class Specializer
{
    /// <summary>
    /// Specializes <paramref name="module"/> in place (a freshly parsed copy of the program; the caller keeps the
    /// pristine IR). <paramref name="analysis"/> must be the analysis of that same module. LLVM's <c>default&lt;O2&gt;</c>
    /// then inlines the decision functions, folds their constants into the uses and deletes the paths that became dead.
    /// </summary>
    public static SpecializationResult Specialize(LlvmModule module, ProgramAnalysis analysis, SpecializationRequest request,
        CodeGenOptions? codeGen = null, CancellationToken cancellation = default)
    {
        using var context = SpecializationContext.Create(module, request, analysis, cancellation);
        var clock = Stopwatch.StartNew();
        Pipelines.Specialize.Run(context);
        var passTime = clock.Elapsed;
        var compiled = BpfCompiler.Compile(module, codeGen);
        return new SpecializationResult(compiled, context.Steps, context.State.SpecializedMaps, passTime);
    }
}
