using System.Runtime.InteropServices;

namespace Kecleon.Interop;

/// <summary>Metadata nodes built from managed data: the pointer juggling stays in the interop folder.</summary>
internal static unsafe class LlvmMetadata
{
    /// <summary>
    /// Replaces the module flag <paramref name="key"/> by <c>!{i32 2 (warning), !"replacementKey", i32 value}</c>, every
    /// other flag kept as it is, in its order. The flags are the operands of the named node <c>llvm.module.flags</c>;
    /// the C API adds operands but cannot remove one, so the node is erased through
    /// <c>llvm::NamedMDNode::eraseFromParent()</c> (exported by libLLVM: a C++ member function, <c>this</c> its only
    /// argument) and its other operands added back as they were. (Not through the C API's module-flag entries: LLVM 14
    /// maps only six behaviours there, and clang's <c>Max</c> flags are a seventh.) Returns false, changing nothing, when
    /// the module has no such flag or the library does not export the member function.
    /// </summary>
    public static bool ReplaceModuleFlag(nint module, string key, string replacementKey, uint replacementValue)
    {
        var name = "llvm.module.flags\0"u8;
        fixed (byte* flagsName = name)
        {
            var count = LlvmApi.LLVMGetNamedMetadataNumOperands(module, flagsName);
            if (count == 0)
                return false;
            var flags = new nint[count];
            fixed (nint* list = flags)
                LlvmApi.LLVMGetNamedMetadataOperands(module, flagsName, list);
            var kept = flags.Where(flag => KeyOf(flag) != key).ToList();
            // A libLLVM without the C++ export (another build named by KECLEON_LIBLLVM): the flag stays, nothing changes.
            if (kept.Count == flags.Length
                || !NativeLibrary.TryGetExport(NativeLibraries.Load(NativeLibraries.Llvm), "_ZN4llvm11NamedMDNode15eraseFromParentEv", out var export))
                return false;
            var named = LlvmApi.LLVMGetNamedMetadata(module, flagsName, (nuint)(name.Length - 1));
            ((delegate* unmanaged<nint, void>)export)(named);
            foreach (var flag in kept)
                LlvmApi.LLVMAddNamedMetadataOperand(module, flagsName, flag);
            var context = LlvmApi.LLVMGetModuleContext(module);
            var i32 = LlvmApi.LLVMInt32TypeInContext(context);
            var replacement = System.Text.Encoding.UTF8.GetBytes(replacementKey);
            var operands = stackalloc nint[3];
            operands[0] = LlvmApi.LLVMValueAsMetadata(LlvmApi.LLVMConstInt(i32, 2, 0));
            fixed (byte* text = replacement)
                operands[1] = LlvmApi.LLVMMDStringInContext2(context, text, (nuint)replacement.Length);
            operands[2] = LlvmApi.LLVMValueAsMetadata(LlvmApi.LLVMConstInt(i32, replacementValue, 0));
            LlvmApi.LLVMAddNamedMetadataOperand(module, flagsName,
                LlvmApi.LLVMMetadataAsValue(context, LlvmApi.LLVMMDNodeInContext2(context, operands, 3)));
            return true;
        }
    }

    /// <summary>The key (second operand, a string) of a module flag <c>!{i32 behaviour, !"key", value}</c>.</summary>
    private static string? KeyOf(nint flag)
    {
        if (LlvmApi.LLVMGetMDNodeNumOperands(flag) != 3)
            return null;
        var operands = stackalloc nint[3];
        LlvmApi.LLVMGetMDNodeOperands(flag, operands);
        var text = LlvmApi.LLVMGetMDString(operands[1], out var length);
        return text == null ? null : System.Text.Encoding.UTF8.GetString(text, (int)length);
    }

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
