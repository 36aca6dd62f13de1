using System.Text;

namespace Kecleon.Interop;

// Span and string forms of the imports that take pointers: the managed model in Kecleon.Llvm calls these and never
// holds a pointer itself. Each pins or copies for the length of one call.
internal static unsafe partial class LlvmApi
{
    public static nint LLVMCreateMemoryBufferWithMemoryRangeCopy(ReadOnlySpan<byte> data, string name)
    {
        fixed (byte* p = data)
            return LLVMCreateMemoryBufferWithMemoryRangeCopy(p, (nuint)data.Length, name);
    }

    /// <summary>The bytes of a memory buffer, copied out; the buffer is disposed.</summary>
    public static byte[] TakeBuffer(nint buffer)
    {
        try { return new ReadOnlySpan<byte>(LLVMGetBufferStart(buffer), checked((int)LLVMGetBufferSize(buffer))).ToArray(); }
        finally { LLVMDisposeMemoryBuffer(buffer); }
    }

    public static nint LLVMCreateTargetData(string layout)
    {
        var bytes = Encoding.UTF8.GetBytes(layout + "\0");
        fixed (byte* p = bytes)
            return LLVMCreateTargetData(p);
    }

    public static uint LLVMGetMDKindIDInContext(nint context, string name)
    {
        var bytes = Encoding.UTF8.GetBytes(name);
        fixed (byte* p = bytes)
            return LLVMGetMDKindIDInContext(context, p, (uint)bytes.Length);
    }

    public static uint LLVMGetEnumAttributeKindForName(string name)
    {
        var bytes = Encoding.UTF8.GetBytes(name);
        fixed (byte* p = bytes)
            return LLVMGetEnumAttributeKindForName(p, (nuint)bytes.Length);
    }

    public static uint LLVMLookupIntrinsicID(string name)
    {
        var bytes = Encoding.UTF8.GetBytes(name);
        fixed (byte* p = bytes)
            return LLVMLookupIntrinsicID(p, (nuint)bytes.Length);
    }

    public static nint LLVMGetIntrinsicDeclaration(nint module, uint id, ReadOnlySpan<nint> parameterTypes)
    {
        fixed (nint* p = parameterTypes)
            return LLVMGetIntrinsicDeclaration(module, id, p, (nuint)parameterTypes.Length);
    }

    public static nint LLVMStructTypeInContext(nint context, ReadOnlySpan<nint> elements, bool packed)
    {
        fixed (nint* p = elements)
            return LLVMStructTypeInContext(context, p, (uint)elements.Length, packed ? 1 : 0);
    }

    public static nint LLVMConstStructInContext(nint context, ReadOnlySpan<nint> values, bool packed)
    {
        fixed (nint* p = values)
            return LLVMConstStructInContext(context, p, (uint)values.Length, packed ? 1 : 0);
    }

    public static nint LLVMFunctionType(nint returnType, ReadOnlySpan<nint> parameters, bool isVarArg)
    {
        fixed (nint* p = parameters)
            return LLVMFunctionType(returnType, p, (uint)parameters.Length, isVarArg ? 1 : 0);
    }

    public static nint LLVMBuildGEP2(nint builder, nint type, nint pointer, ReadOnlySpan<nint> indices, string name)
    {
        fixed (nint* p = indices)
            return LLVMBuildGEP2(builder, type, pointer, p, (uint)indices.Length, name);
    }

    public static nint LLVMBuildCall2(nint builder, nint functionType, nint function, ReadOnlySpan<nint> arguments, string name)
    {
        fixed (nint* p = arguments)
            return LLVMBuildCall2(builder, functionType, function, p, (uint)arguments.Length, name);
    }

    /// <summary>One incoming edge of a phi.</summary>
    public static void LLVMAddIncoming(nint phi, nint value, nint block) => LLVMAddIncoming(phi, &value, &block, 1);

    public static nint ConstArray(nint elementType, ReadOnlySpan<nint> values)
    {
        fixed (nint* p = values)
            return LLVMConstArray(elementType, p, (uint)values.Length);
    }
}
