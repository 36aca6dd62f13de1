using Kecleon.Interop;

namespace Kecleon.Llvm;

/// <summary>Constant tables and optimization barriers for generated code.</summary>
public static class LlvmGlobals
{
    /// <summary>An internal constant byte array (an LLVM <c>ConstantDataArray</c>: built in one call, however large),
    /// placed in <paramref name="section"/> (for BPF, <c>.rodata</c>: libbpf makes it a frozen read-only array map).
    /// Readers bitcast its address to the element type they need.</summary>
    public static LlvmValue AddConstantBytes(this LlvmModule module, LlvmContext context, string name, byte[] bytes, string section, int alignment)
    {
        var initializer = LlvmApi.LLVMConstStringInContext(context.Raw, bytes, (uint)bytes.Length, 1);
        var global = LlvmApi.LLVMAddGlobal(module.Raw, context.Int8.ArrayOf(bytes.Length).Raw, name);
        LlvmApi.LLVMSetInitializer(global, initializer);
        LlvmApi.LLVMSetGlobalConstant(global, 1);
        LlvmApi.LLVMSetLinkage(global, (int)LlvmLinkage.Internal);
        LlvmApi.LLVMSetSection(global, section);
        LlvmApi.LLVMSetAlignment(global, (uint)alignment);
        return new LlvmValue(global);
    }

    /// <summary>A byte array the program may read while user space rewrites it: not constant and externally visible, so
    /// no LLVM pass folds a load from it; placed in <paramref name="section"/> (for BPF, <c>.data.NAME</c>: libbpf makes
    /// it a writable, mmapable array map). <see cref="SetBytes"/> changes its initial contents later.</summary>
    public static LlvmValue AddDataBytes(this LlvmModule module, LlvmContext context, string name, byte[] bytes, string section, int alignment)
    {
        var global = LlvmApi.LLVMAddGlobal(module.Raw, context.Int8.ArrayOf(bytes.Length).Raw, name);
        LlvmApi.LLVMSetInitializer(global, LlvmApi.LLVMConstStringInContext(context.Raw, bytes, (uint)bytes.Length, 1));
        LlvmApi.LLVMSetGlobalConstant(global, 0);
        LlvmApi.LLVMSetSection(global, section);
        LlvmApi.LLVMSetAlignment(global, (uint)alignment);
        return new LlvmValue(global);
    }

    /// <summary>
    /// Marks a global made by <see cref="AddDataBytes"/> as constant for the length of one program run, while user space
    /// may rewrite it between runs: <c>constant</c> lets LLVM move and merge its loads across calls and stores (as it
    /// does for <c>.rodata</c>: a table's row is read where it is used, not held in registers or stack slots), and
    /// <c>externally_initialized</c> keeps it from folding a load to the initializer's bytes. Only for memory that no
    /// run can see change (a buffer rewritten only after every run that could read it has ended).
    /// </summary>
    public static void MarkStableWithinRun(this LlvmValue global)
    {
        LlvmApi.LLVMSetGlobalConstant(global.Raw, 1);
        LlvmApi.LLVMSetExternallyInitialized(global.Raw, 1);
    }

    /// <summary>New initial contents for a global made by <see cref="AddDataBytes"/> (the same length).</summary>
    public static void SetBytes(this LlvmValue global, LlvmContext context, byte[] bytes) =>
        LlvmApi.LLVMSetInitializer(global.Raw, LlvmApi.LLVMConstStringInContext(context.Raw, bytes, (uint)bytes.Length, 1));

    /// <summary><c>asm "" : "+r"(value)</c>: the value passes through unchanged, but no LLVM pass can see where it came
    /// from (libbpf's <c>barrier_var</c>). It costs no instruction.</summary>
    public static LlvmValue Opaque(this LlvmBuilder builder, LlvmValue value, string name = "")
    {
        var type = value.Type;
        var functionType = LlvmType.Function(type, [type]);
        var constraints = System.Text.Encoding.ASCII.GetBytes(OpaqueConstraints);
        var asm = LlvmApi.LLVMGetInlineAsm(functionType.Raw, [0], 0, constraints, (nuint)constraints.Length, 0, 0, 0, 0);
        return builder.Call(functionType, new LlvmValue(asm), [value], name);
    }

    /// <summary>Whether <paramref name="call"/> is an <see cref="Opaque"/> barrier (or libbpf's <c>barrier_var</c>, the
    /// same asm): it touches no memory, but LLVM assumes any call to asm may.</summary>
    public static bool IsOpaque(this LlvmInstruction call) =>
        call.CalledValue.IsInlineAsm && call.ArgumentCount == 1 && call.Argument(0).Type.Kind == LlvmTypeKind.Integer
        && call.CalledValue.ToString().EndsWith($"asm \"\", \"{OpaqueConstraints}\"", StringComparison.Ordinal);

    private const string OpaqueConstraints = "=r,0";

    /// <summary>Sets the alignment of a global, an alloca, a load or a store.</summary>
    public static void SetAlignment(this LlvmValue value, int bytes) => LlvmApi.LLVMSetAlignment(value.Raw, (uint)bytes);

    public static LlvmValue Sub(this LlvmBuilder builder, LlvmValue lhs, LlvmValue rhs, string name = "") =>
        new(LlvmApi.LLVMBuildSub(builder.Raw, lhs.Raw, rhs.Raw, name));

    public static LlvmValue AShr(this LlvmBuilder builder, LlvmValue value, LlvmValue bits, string name = "") =>
        new(LlvmApi.LLVMBuildAShr(builder.Raw, value.Raw, bits.Raw, name));

    public static LlvmValue Xor(this LlvmBuilder builder, LlvmValue lhs, LlvmValue rhs, string name = "") =>
        new(LlvmApi.LLVMBuildXor(builder.Raw, lhs.Raw, rhs.Raw, name));

    public static LlvmValue Mul(this LlvmBuilder builder, LlvmValue lhs, LlvmValue rhs, string name = "") =>
        new(LlvmApi.LLVMBuildMul(builder.Raw, lhs.Raw, rhs.Raw, name));
}
