using System.Diagnostics;
using Kecleon.Analyses;
using Kecleon.Instrumentation.Profiling;
using Kecleon.Llvm;
using Kecleon.Optimizer.CodeGen;
using Kecleon.Optimizer.Passes;
using Kecleon.Optimizer.Specialization;

namespace Kecleon.Optimizer;

/// <summary>A specialized object (pure data: nothing is loaded) and what was done to make it.</summary>
public sealed record SpecializationResult(
    CompiledObject Object, IReadOnlyList<PassStep> Steps, IReadOnlySet<string> SpecializedMaps, TimeSpan PassTime)
{
    /// <summary>What the specialized program records of its traffic, when it was built to profile itself
    /// (<see cref="Specializer.SpecializeAndInstrument"/>).</summary>
    public InstrumentationLayout? Profiling { get; init; }

    public IEnumerable<PassStep> Applied => Steps.Where(s => s.Applied);
}

/// <summary>The optimization pipeline: our passes in order, then LLVM's, then the BPF back end.</summary>
public static class Specializer
{
    /// <summary>The passes, in order. Each comment says why it stands where it does.</summary>
    private static readonly IModulePass[] Passes =
    [
        // Before anything adds or moves a block: the profile names branches by their block's number in function order
        // as parsed. Metadata only; the analysis stays valid.
        new BranchWeightsPass(),
        // It needs the analysis of the unmodified module (lookup sites, access classes) and it decides which
        // snapshots the program depends on.
        new MapInliningPass(),
        // After inlining: it takes the lookup sites the inliner left alone (it reads the inliner's steps to know which),
        // and the maps it uses must be known before the guard pass.
        new HotKeyPass(),
        // After inlining: it guards exactly the maps inlining used, and its fallback must wrap the final entry block.
        new GuardPass(),
    ];

    /// <summary>
    /// Specializes <paramref name="module"/> in place (a freshly parsed copy of the program; the caller keeps the
    /// pristine IR). <paramref name="analysis"/> must be the analysis of that same module. LLVM's <c>default&lt;O2&gt;</c>
    /// then inlines the decision functions, folds their constants into the uses and deletes the paths that became dead.
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
        var clock = Stopwatch.StartNew();
        // Before the first pass: tags (metadata) only, on the module as parsed, whose numbering the profile speaks in.
        var points = instrumentation is null ? null : InstrumentationPass.Tag(module, analysis, instrumentation, irHash);
        var context = new PassContext(request, analysis, cancellation);
        foreach (var pass in Passes)
        {
            pass.Run(module, context);
            // The IR must stay well formed after every pass (ILSpy's CheckInvariant); a broken module never reaches codegen.
            if (module.Verify() is { } broken)
                throw new KecleonException($"internal error: the IR is not well formed after pass '{pass.Name}': {broken}");
        }
        // After every pass (the profiled copy is a copy of the specialized code) and before LLVM's pipeline (which
        // would fold the tagged branches away and inline the prelude's functions).
        var layout = points is null ? null : InstrumentationPass.Run(module, points, instrumentation);
        var passTime = clock.Elapsed;
        var compiled = BpfCompiler.Compile(module, codeGen);
        return new SpecializationResult(compiled, context.Steps, context.SpecializedMaps, passTime) { Profiling = layout };
    }
}
