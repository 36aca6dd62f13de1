using System.Runtime.InteropServices;

namespace Kecleon.Interop;

// Imports the specializing transforms need: new functions and types, linking, moving code between blocks.
internal static unsafe partial class LlvmApi
{
    [LibraryImport(Lib)] public static partial nint LLVMStructTypeInContext(nint context, nint* elements, uint count, int packed);
    [LibraryImport(Lib)] public static partial nint LLVMConstStructInContext(nint context, nint* values, uint count, int packed);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint LLVMBuildExtractValue(nint builder, nint aggregate, uint index, string name);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint LLVMBuildInsertValue(nint builder, nint aggregate, nint element, uint index, string name);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint LLVMBuildLShr(nint builder, nint lhs, nint rhs, string name);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint LLVMBuildShl(nint builder, nint lhs, nint rhs, string name);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint LLVMBuildTrunc(nint builder, nint value, nint type, string name);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint LLVMBuildIntToPtr(nint builder, nint value, nint type, string name);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint LLVMBuildPtrToInt(nint builder, nint value, nint type, string name);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    public static partial nint LLVMAddFunction(nint module, string name, nint functionType);
    [LibraryImport(Lib)] public static partial void LLVMSetLinkage(nint global, int linkage);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] public static partial void LLVMSetSection(nint global, string section);
    [LibraryImport(Lib)] public static partial uint LLVMGetEnumAttributeKindForName(byte* name, nuint length);
    [LibraryImport(Lib)] public static partial nint LLVMCreateEnumAttribute(nint context, uint kind, ulong value);
    [LibraryImport(Lib)] public static partial void LLVMAddAttributeAtIndex(nint function, uint index, nint attribute);
    [LibraryImport(Lib)] public static partial void LLVMMoveBasicBlockBefore(nint block, nint before);
    [LibraryImport(Lib)] public static partial void LLVMInstructionRemoveFromParent(nint instruction);
    [LibraryImport(Lib)] public static partial void LLVMInsertIntoBuilder(nint builder, nint instruction);
    [LibraryImport(Lib)] public static partial uint LLVMLookupIntrinsicID(byte* name, nuint length);
    [LibraryImport(Lib)] public static partial nint LLVMGetIntrinsicDeclaration(nint module, uint id, nint* parameterTypes, nuint count);
    [LibraryImport(Lib)] public static partial nint LLVMIntrinsicGetType(nint context, uint id, nint* parameterTypes, nuint count);
    [LibraryImport(Lib)] public static partial nint LLVMGetPreviousInstruction(nint instruction);
    [LibraryImport(Lib)] public static partial nint LLVMArrayType(nint element, uint count);
    [LibraryImport(Lib)] public static partial void LLVMDeleteGlobal(nint global);
    [LibraryImport(Lib)] public static partial void LLVMDeleteFunction(nint function);
    [LibraryImport(Lib)] public static partial void LLVMRemoveEnumAttributeAtIndex(nint function, uint index, uint kind);
    [LibraryImport(Lib)] public static partial nint LLVMConstArray(nint elementType, nint* values, uint count);

    public static void SetValueName(nint value, string name)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(name);
        fixed (byte* p = bytes)
            LLVMSetValueName2(value, p, (nuint)bytes.Length);
    }
}
