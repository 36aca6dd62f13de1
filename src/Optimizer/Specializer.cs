using System.Diagnostics;
using Kecleon.Analyses;
using Kecleon.Llvm;
using Kecleon.Optimizer.CodeGen;
using Kecleon.Optimizer.Passes;
using Kecleon.Optimizer.Specialization;

namespace Kecleon.Optimizer;

/// <summary>A specialized object (pure data: nothing is loaded) and what was done to make it.</summary>
public sealed record SpecializationResult(
    CompiledObject Object, IReadOnlyList<PassStep> Steps, IReadOnlySet<string> SpecializedMaps, TimeSpan PassTime)
{
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
        // It executes the plan's whole-map sites and needs the analysis of the unmodified module (how each lookup's
        // result is used); which snapshots the program depends on follows from what it rewrites.
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
        CodeGenOptions? codeGen = null, CancellationToken cancellation = default)
    {
        var context = new PassContext(request, analysis, cancellation);
        var clock = Stopwatch.StartNew();
        foreach (var pass in Passes)
        {
            pass.Run(module, context);
            // The IR must stay well formed after every pass (ILSpy's CheckInvariant); a broken module never reaches codegen.
            if (module.Verify() is { } broken)
                throw new KecleonException($"internal error: the IR is not well formed after pass '{pass.Name}': {broken}");
        }
        var passTime = clock.Elapsed;
        var compiled = BpfCompiler.Compile(module, codeGen);
        return new SpecializationResult(compiled, context.Steps, context.SpecializedMaps, passTime);
    }
}
