using Kecleon.Interop;
using Microsoft.Win32.SafeHandles;

namespace Kecleon.Llvm;

/// <summary>An LLVM context: owns every type, constant and module created in it. Not thread-safe; use one per
/// compilation.</summary>
public sealed class LlvmContext : SafeHandleZeroOrMinusOneIsInvalid
{
    private LlvmContext() : base(ownsHandle: true) { }

    public static LlvmContext Create()
    {
        LlvmGuard.Install();
        var context = new LlvmContext();
        context.SetHandle(LlvmApi.LLVMContextCreate());
        return context;
    }

    internal nint Raw => handle;

    /// <summary>LLVM stopped half way inside this context (a fatal error): nothing in it is touched again, and neither
    /// the context nor its modules are freed (the memory is leaked on purpose; freeing half-built state could crash).</summary>
    public bool IsAbandoned { get; private set; }

    /// <summary>Abandons the context after LLVM reported a fatal error in it, and makes the error to throw.</summary>
    internal LlvmFatalErrorException Abandoned(string reason, string stage, string program)
    {
        IsAbandoned = true;
        SetHandleAsInvalid();
        return new LlvmFatalErrorException(stage, program, reason);
    }

    public LlvmType Int1 => new(LlvmApi.LLVMInt1TypeInContext(handle));
    public LlvmType Int8 => new(LlvmApi.LLVMInt8TypeInContext(handle));
    public LlvmType Int16 => new(LlvmApi.LLVMInt16TypeInContext(handle));
    public LlvmType Int32 => new(LlvmApi.LLVMInt32TypeInContext(handle));
    public LlvmType Int64 => new(LlvmApi.LLVMInt64TypeInContext(handle));
    public LlvmType Void => new(LlvmApi.LLVMVoidTypeInContext(handle));
    public LlvmType IntType(int bits) => new(LlvmApi.LLVMIntTypeInContext(handle, (uint)bits));

    public uint MetadataKind(string name) => LlvmApi.LLVMGetMDKindIDInContext(handle, name);

    protected override bool ReleaseHandle()
    {
        LlvmApi.LLVMContextDispose(handle);
        return true;
    }
}

/// <summary>Options for a new-pass-manager pipeline run.</summary>
public sealed class LlvmPassBuilderOptions : SafeHandleZeroOrMinusOneIsInvalid
{
    public LlvmPassBuilderOptions(bool verifyEach = false) : base(ownsHandle: true)
    {
        NativeLibraries.Load(NativeLibraries.Llvm);
        SetHandle(LlvmApi.LLVMCreatePassBuilderOptions());
        LlvmApi.LLVMPassBuilderOptionsSetVerifyEach(handle, verifyEach ? 1 : 0);
    }

    internal nint Raw => handle;

    protected override bool ReleaseHandle()
    {
        LlvmApi.LLVMDisposePassBuilderOptions(handle);
        return true;
    }
}
