using Kecleon.Llvm;

namespace Kecleon.Helpers;

/// <summary>Recognises helper calls in clang's IR.</summary>
public static class HelperCalls
{
    /// <summary>
    /// The helper a call invokes. libbpf declares helpers as <c>static void *(*bpf_map_lookup_elem)(...) = (void *)1;</c>,
    /// which clang -O2 folds to a call through <c>inttoptr (i64 1 to ...)</c>; an <c>extern</c> declaration named after
    /// a helper is recognised by its name.
    /// </summary>
    public static bool TryGetHelper(LlvmInstruction call, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out BpfHelper? helper)
    {
        helper = null;
        if (call.Opcode != LlvmOpcode.Call)
            return false;
        var callee = call.CalledValue;
        while (callee.IsConstantExpression && callee.ConstantOpcode == LlvmOpcode.BitCast)
            callee = callee.Operand(0);
        if (callee.IsConstantExpression && callee.ConstantOpcode == LlvmOpcode.IntToPtr && callee.Operand(0).IsConstantInt)
        {
            helper = BpfHelpers.FromId((int)callee.Operand(0).ZExtValue);
            return true;
        }
        if (callee.IsFunction && callee.AsFunction().IsDeclaration && !callee.Name.StartsWith("llvm.", StringComparison.Ordinal))
            helper = BpfHelpers.FromName(callee.Name);
        return helper is not null;
    }
}
