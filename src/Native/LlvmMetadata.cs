namespace Kecleon.Interop;

/// <summary>Metadata nodes built from managed data: the pointer juggling stays in the interop folder.</summary>
internal static unsafe class LlvmMetadata
{
    /// <summary><c>!{!"branch_weights", i32 a, i32 b, ...}</c> as a metadata value, ready for <c>LLVMSetMetadata</c>.</summary>
    public static nint BranchWeights(nint context, IReadOnlyList<uint> weights)
    {
        var tag = "branch_weights"u8;
        var operands = new nint[weights.Count + 1];
        fixed (byte* text = tag)
            operands[0] = LlvmApi.LLVMMDStringInContext2(context, text, (nuint)tag.Length);
        var i32 = LlvmApi.LLVMInt32TypeInContext(context);
        for (var i = 0; i < weights.Count; i++)
            operands[i + 1] = LlvmApi.LLVMValueAsMetadata(LlvmApi.LLVMConstInt(i32, weights[i], 0));
        fixed (nint* list = operands)
            return LlvmApi.LLVMMetadataAsValue(context, LlvmApi.LLVMMDNodeInContext2(context, list, (nuint)operands.Length));
    }
}
