using Kecleon.Llvm;
using Kecleon.Passes;

namespace Kecleon.Optimizer.Passes;

/// <summary>
/// Gives conditional branches the profile's counts, so LLVM's block placement makes the hot successor the fall-through
/// and its branch folding and inlining know which paths matter:
/// <code>
///   br i1 %ok, label %forward, label %drop                       ; block 7 of router, taken 9,900, not taken 100
///   br i1 %ok, label %forward, label %drop, !prof !{!"branch_weights", i32 9900, i32 100}
/// </code>
/// Blocks are numbered in function order on the module as parsed, which is how the profile names them: this pass runs
/// before any other pass adds or moves a block. Counts are scaled into 32 bits keeping their ratio; a branch the profile
/// never saw run keeps no weights.
/// </summary>
public sealed class BranchWeightsPass : IModulePass
{
    public string Name => "branch-weights";

    public PassResult Run(PassContext context)
    {
        if (context.Request.Profile is not { Branches.Count: > 0 } profile)
            return PassResult.Unchanged;
        var module = context.Module;
        var applied = 0;
        foreach (var group in profile.Branches.GroupBy(b => b.Function))
        {
            if (module.GetFunction(group.Key) is not { } function)
            {
                context.Skip(Name, $"the profile names a function {group.Key} the program does not have", group.Key);
                continue;
            }
            var blocks = function.Blocks.ToList();
            foreach (var branch in group)
            {
                if (branch.Block < 0 || branch.Block >= blocks.Count || blocks[branch.Block].Terminator is not { } terminator
                    || terminator.BranchCondition is null)
                {
                    context.Skip(Name, $"block {branch.Block} of {group.Key} does not end in a conditional branch", group.Key);
                    continue;
                }
                if (branch.Total <= 0)
                    continue;
                terminator.SetBranchWeights(module.Context, Scale(branch.Taken, branch.NotTaken));
                applied++;
            }
        }
        if (applied > 0)
            context.Step(Name, $"{applied} conditional branches weighted by the profile's counts", profile.Program);
        // Metadata only: every block and instruction stays, and so does every analysis.
        return new PassResult(applied > 0, PreservedAnalyses.All);
    }

    /// <summary>Both counts as 32-bit weights with their ratio kept; at least 1 each, since 0 would claim "never".</summary>
    internal static uint[] Scale(double taken, double notTaken)
    {
        var largest = Math.Max(taken, notTaken);
        var factor = largest > uint.MaxValue / 2.0 ? uint.MaxValue / 2.0 / largest : 1.0;
        return [(uint)Math.Max(1, Math.Round(taken * factor)), (uint)Math.Max(1, Math.Round(notTaken * factor))];
    }
}
