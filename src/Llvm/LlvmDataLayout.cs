using System.Runtime.InteropServices;
using Kecleon.Interop;
using Microsoft.Win32.SafeHandles;

namespace Kecleon.Llvm;

/// <summary>A module's data layout: type sizes and struct field offsets, so analyses can turn GEPs into byte offsets.</summary>
public sealed class LlvmDataLayout : SafeHandleZeroOrMinusOneIsInvalid
{
    /// <summary>What the BPF back end uses; taken when a module carries no layout of its own.</summary>
    public const string BpfLayout = "e-m:e-p:64:64-i64:64-i128:128-n32:64-S128";

    private LlvmDataLayout() : base(ownsHandle: true) { }

    public static LlvmDataLayout Of(LlvmModule module)
    {
        var text = Marshal.PtrToStringUTF8(LlvmApi.LLVMGetDataLayoutStr(module.Raw));
        var layout = new LlvmDataLayout();
        layout.SetHandle(LlvmApi.LLVMCreateTargetData(string.IsNullOrEmpty(text) ? BpfLayout : text));
        return layout;
    }

    /// <summary>The allocation size of <paramref name="type"/> in bytes (what a GEP index steps over).</summary>
    public long SizeOf(LlvmType type) => (long)LlvmApi.LLVMABISizeOfType(handle, type.Raw);

    /// <summary>The bytes a load or store of <paramref name="type"/> touches.</summary>
    public long StoreSizeOf(LlvmType type) => (long)LlvmApi.LLVMStoreSizeOfType(handle, type.Raw);

    public long OffsetOf(LlvmType structType, int element) => (long)LlvmApi.LLVMOffsetOfElement(handle, structType.Raw, (uint)element);

    protected override bool ReleaseHandle()
    {
        LlvmApi.LLVMDisposeTargetData(handle);
        return true;
    }
}
