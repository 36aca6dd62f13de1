using Kecleon.Interop;

namespace Kecleon.Llvm;

public readonly partial record struct LlvmInstruction
{
    /// <summary>Attaches <c>!prof !{!"branch_weights", ...}</c>, one weight per successor, so LLVM's block placement
    /// makes the heavier successor the fall-through.</summary>
    public void SetBranchWeights(LlvmContext context, IReadOnlyList<uint> weights)
    {
        if (weights.Count != SuccessorCount)
            throw new ArgumentException($"{weights.Count} weights for a terminator with {SuccessorCount} successors", nameof(weights));
        LlvmApi.LLVMSetMetadata(Raw, context.MetadataKind("prof"), LlvmMetadata.BranchWeights(context.Raw, weights));
    }

    /// <summary>Whether the instruction carries any <c>!prof</c> metadata.</summary>
    public bool HasProfileMetadata(LlvmContext context) => LlvmApi.LLVMGetMetadata(Raw, context.MetadataKind("prof")) != 0;
}
