using Kecleon.Interop;
using Microsoft.Win32.SafeHandles;

namespace Kecleon.Llvm;

/// <summary>A BPF target machine: emits little-endian BPF ELF objects (what libbpf loads) from a module.</summary>
public sealed class LlvmTargetMachine : SafeHandleZeroOrMinusOneIsInvalid
{
    public const string BpfTriple = "bpfel";
    private static readonly Lock InitLock = new();
    private static bool _initialized;

    private LlvmTargetMachine() : base(ownsHandle: true) { }

    public BpfCpu Cpu { get; private init; }
    internal nint Raw => handle;

    public static LlvmTargetMachine CreateBpf(BpfCpu cpu = BpfCpu.V3)
    {
        NativeLibraries.Load(NativeLibraries.Llvm);
        lock (InitLock)
        {
            if (!_initialized)
            {
                LlvmApi.LLVMInitializeBPFTargetInfo();
                LlvmApi.LLVMInitializeBPFTarget();
                LlvmApi.LLVMInitializeBPFTargetMC();
                LlvmApi.LLVMInitializeBPFAsmPrinter();
                // Inline BPF assembly (barrier macros, loads the compiler must not touch) is parsed when it is emitted.
                LlvmApi.LLVMInitializeBPFAsmParser();
                _initialized = true;
            }
        }
        if (LlvmApi.LLVMGetTargetFromTriple(BpfTriple, out var target, out var message) != 0)
            throw new MissingDependencyException($"this LLVM has no BPF back end: {LlvmApi.TakeMessage(message)}");
        var machine = new LlvmTargetMachine { Cpu = cpu };
        // Level 2 = LLVMCodeGenLevelDefault (what llc -O2 uses), reloc 0 = default, code model 0 = default.
        machine.SetHandle(LlvmApi.LLVMCreateTargetMachine(target, BpfTriple, $"v{(int)cpu}", "", 2, 0, 0));
        if (machine.IsInvalid)
            throw new KecleonException($"LLVM could not create a BPF target machine for cpu v{(int)cpu}");
        return machine;
    }

    /// <summary>Points the module at this target (triple and data layout) before optimization.</summary>
    public void Configure(LlvmModule module)
    {
        module.TargetTriple = BpfTriple;
        var layout = LlvmApi.LLVMCreateTargetDataLayout(handle);
        try { LlvmApi.LLVMSetModuleDataLayout(module.Raw, layout); }
        finally { LlvmApi.LLVMDisposeTargetData(layout); }
    }

    /// <summary>Code generation to an ELF object in memory.</summary>
    public byte[] EmitObject(LlvmModule module)
    {
        var status = LlvmGuard.EmitToMemoryBuffer(handle, module.Raw, 1 /* LLVMObjectFile */, out var message, out var buffer);
        if (status == LlvmGuardStatus.Fatal)
        {
            Abandon();
            throw module.Context.Abandoned(LlvmGuard.Reason, "generating BPF code for", module.Identifier);
        }
        var text = LlvmApi.TakeMessage(message).Trim();
        if (status != LlvmGuardStatus.Ok)
        {
            if (buffer != 0)
                LlvmApi.LLVMDisposeMemoryBuffer(buffer);
            throw new KecleonException($"BPF code generation failed for {module.Identifier}: " +
                                       (status == LlvmGuardStatus.Diagnosed ? LlvmGuard.Reason : text));
        }
        return LlvmApi.TakeBuffer(buffer);
    }

    /// <summary>LLVM stopped half way inside this machine's code generation: it is never used or freed again.</summary>
    internal void Abandon() => SetHandleAsInvalid();

    protected override bool ReleaseHandle()
    {
        LlvmApi.LLVMDisposeTargetMachine(handle);
        return true;
    }
}
