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

    /// <summary><c>!{i32 value}</c> as a metadata value.</summary>
    public static nint Number(nint context, uint value)
    {
        var operand = LlvmApi.LLVMValueAsMetadata(LlvmApi.LLVMConstInt(LlvmApi.LLVMInt32TypeInContext(context), value, 0));
        return LlvmApi.LLVMMetadataAsValue(context, LlvmApi.LLVMMDNodeInContext2(context, &operand, 1));
    }

    /// <summary>The number of a <c>!{i32 value}</c> node (<see cref="Number"/>), or null for any other node.</summary>
    public static uint? NumberOf(nint node)
    {
        if (node == 0 || LlvmApi.LLVMGetMDNodeNumOperands(node) != 1)
            return null;
        nint operand;
        LlvmApi.LLVMGetMDNodeOperands(node, &operand);
        return operand != 0 && LlvmApi.LLVMIsAConstantInt(operand) != 0 ? (uint)LlvmApi.LLVMConstIntGetZExtValue(operand) : null;
    }
    /// <summary><c>!{!scope}</c> with <c>!scope = !{!"name", !{!"domain"}}</c>: a one-scope list for <c>!alias.scope</c>
    /// and <c>!noalias</c>. The nodes are uniqued by their strings, so the same names give the same scope.</summary>
    public static nint AliasScopeList(nint context, string domain, string scope)
    {
        var domainName = String(context, domain);
        var domainNode = LlvmApi.LLVMMDNodeInContext2(context, &domainName, 1);
        var operands = stackalloc nint[2];
        operands[0] = String(context, scope);
        operands[1] = domainNode;
        var scopeNode = LlvmApi.LLVMMDNodeInContext2(context, operands, 2);
        return LlvmApi.LLVMMetadataAsValue(context, LlvmApi.LLVMMDNodeInContext2(context, &scopeNode, 1));
    }

    private static nint String(nint context, string text)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(text);
        fixed (byte* p = bytes)
            return LlvmApi.LLVMMDStringInContext2(context, p, (nuint)bytes.Length);
    }
}
