using System.Runtime.InteropServices;

namespace Kecleon.Interop;

// Imports for constant tables (global arrays in .rodata) and optimization barriers (empty inline asm).
internal static unsafe partial class LlvmApi
{
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint LLVMAddGlobal(nint module, nint type, string name);
    [LibraryImport(Lib)] public static partial void LLVMSetInitializer(nint global, nint value);
    [LibraryImport(Lib)] public static partial void LLVMSetGlobalConstant(nint global, int isConstant);
    [LibraryImport(Lib)] public static partial void LLVMSetExternallyInitialized(nint global, int isExtInit);
    [LibraryImport(Lib)] public static partial void LLVMSetAlignment(nint value, uint bytes);
    [LibraryImport(Lib)] public static partial nint LLVMConstStringInContext(nint context, [In] byte[] bytes, uint length, int dontNullTerminate);
    [LibraryImport(Lib)]
    public static partial nint LLVMGetInlineAsm(nint type, [In] byte[] asm, nuint asmSize, [In] byte[] constraints, nuint constraintsSize,
        int hasSideEffects, int isAlignStack, int dialect, int canThrow);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint LLVMBuildSub(nint builder, nint lhs, nint rhs, string name);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint LLVMBuildAShr(nint builder, nint lhs, nint rhs, string name);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint LLVMBuildXor(nint builder, nint lhs, nint rhs, string name);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint LLVMBuildMul(nint builder, nint lhs, nint rhs, string name);
}
