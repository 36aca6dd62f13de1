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

    /// <summary>Attaches <c>!kind !{i32 value}</c>: a number that names the instruction across passes and clones (LLVM
    /// keeps an instruction's metadata when it moves or copies it, and drops it with the instruction).</summary>
    public void SetTag(LlvmContext context, string kind, uint value) =>
        LlvmApi.LLVMSetMetadata(Raw, context.MetadataKind(kind), LlvmMetadata.Number(context.Raw, value));

    /// <summary>The number <see cref="SetTag"/> attached under <paramref name="kind"/>, if any.</summary>
    public uint? Tag(LlvmContext context, string kind) => LlvmMetadata.NumberOf(LlvmApi.LLVMGetMetadata(Raw, context.MetadataKind(kind)));
}
