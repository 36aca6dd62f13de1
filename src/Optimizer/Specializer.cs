using System.Diagnostics;
using Kecleon.Analyses;
using Kecleon.Instrumentation.Profiling;
using Kecleon.Llvm;
using Kecleon.Optimizer.CodeGen;
using Kecleon.Optimizer.Guards;
using Kecleon.Optimizer.Passes;
using Kecleon.Optimizer.Specialization;
using Kecleon.Passes;

namespace Kecleon.Optimizer;

/// <summary>A specialized object (pure data: nothing is loaded) and what was done to make it.</summary>
public sealed record SpecializationResult(
    CompiledObject Object, IReadOnlyList<PassStep> Steps, IReadOnlySet<string> SpecializedMaps, TimeSpan PassTime)
{
    /// <summary>What the specialized program records of its traffic, when it was built to profile itself
    /// (<see cref="Specializer.SpecializeAndInstrument"/>).</summary>
    public InstrumentationLayout? Profiling { get; init; }

    public IEnumerable<PassStep> Applied => Steps.Where(s => s.Applied);

    /// <summary>The specialized data kept in place (<see cref="SpecializationRequest.InPlaceData"/>); null when there is none.</summary>
    public InPlaceLayout? InPlace { get; init; }
}

/// <summary>The optimization pipeline: <see cref="Pipelines.Specialize"/>, then LLVM's passes, then the BPF back end.</summary>
public static class Specializer
{
    /// <summary>
    /// Specializes <paramref name="module"/> in place (a freshly parsed copy of the program; the caller keeps the
    /// pristine IR). <paramref name="analysis"/> must be the analysis of that same module. LLVM's passes
    /// (<paramref name="codeGen"/>'s pipeline, by default <see cref="Pipelines.AfterSpecialization"/>) then inline the
    /// decision functions, fold their constants into the uses and delete the paths that became dead.
    /// </summary>
    public static SpecializationResult Specialize(LlvmModule module, ProgramAnalysis analysis, SpecializationRequest request,
        CodeGenOptions? codeGen = null, CancellationToken cancellation = default) =>
        Run(module, analysis, request, null, "", codeGen, cancellation);

    /// <summary>
    /// <see cref="Specialize"/>, and the specialized program profiles itself (<see cref="InstrumentationPass"/>, sampled
    /// and versioned): so that a live data plane is profiled running the optimized code, never the original. The
    /// original's branches and lookup sites are tagged before the first pass; the instrumentation runs after the last
    /// one, before LLVM's pipeline, and records what is left of them under the original's numbers
    /// (<see cref="SpecializationResult.Profiling"/>), so the profile serves the next specialization as one of the
    /// original would.
    /// </summary>
    /// <param name="irHash">The original IR's fingerprint (<c>Profile.IrFingerprint</c>), carried into the profile.</param>
    public static SpecializationResult SpecializeAndInstrument(LlvmModule module, ProgramAnalysis analysis, SpecializationRequest request,
        InstrumentationOptions instrumentation, string irHash = "", CodeGenOptions? codeGen = null, CancellationToken cancellation = default) =>
        Run(module, analysis, request, instrumentation, irHash, codeGen, cancellation);

    private static SpecializationResult Run(LlvmModule module, ProgramAnalysis analysis, SpecializationRequest request,
        InstrumentationOptions? instrumentation, string irHash, CodeGenOptions? codeGen, CancellationToken cancellation)
    {
        using var context = SpecializationContext.Create(module, request, analysis, cancellation);
        var clock = Stopwatch.StartNew();
        var timings = instrumentation is null
            ? Pipelines.Specialize.Run(context)
            : Pipelines.SpecializeAndInstrument.Run(context.Provide(new InstrumentationRequest(instrumentation, irHash)));
        GuardPrelude.DropUnusedEvents(module);
        var passTime = clock.Elapsed;
        // The pass manager verified the module after the last pass that changed it: not again before the pipeline.
        var options = (codeGen ?? CodeGenOptions.Specialized) with { InputVerified = timings.Any(t => t.Changed) };
        var compiled = BpfCompiler.Compile(module, options);
        return new SpecializationResult(compiled, context.Steps, context.State.SpecializedMaps, passTime)
        {
            Profiling = context.TryInput<InstrumentationLayout>(out var layout) ? layout : null,
            InPlace = context.State.InPlaceSites.Count > 0 ? new InPlaceLayout(context.State.DataMaps, [.. context.State.InPlaceSites]) : null,
        };
    }
}
