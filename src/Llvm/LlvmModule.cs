using System.Runtime.InteropServices;
using Kecleon.Interop;
using Microsoft.Win32.SafeHandles;

namespace Kecleon.Llvm;

/// <summary>
/// An LLVM module owned by us. It keeps its <see cref="LlvmContext"/> alive (the context frees every module still in it,
/// so the module must be released first).
/// </summary>
public sealed class LlvmModule : SafeHandleZeroOrMinusOneIsInvalid
{
    private readonly LlvmContext _context;

    private LlvmModule(LlvmContext context, nint module) : base(ownsHandle: true)
    {
        var added = false;
        context.DangerousAddRef(ref added);
        _context = context;
        SetHandle(module);
    }

    public LlvmContext Context => _context;
    internal nint Raw => handle;

    /// <summary>Parses textual IR (<c>.ll</c>) or bitcode (<c>.bc</c>); the format is detected from the bytes.</summary>
    public static LlvmModule Parse(LlvmContext context, ReadOnlySpan<byte> ir, string name)
    {
        if (!TryParse(context, ir, name, out var module, out var error))
            throw new InvalidInputException($"{name}: the LLVM IR does not parse: {error}");
        return module;
    }

    public static bool TryParse(LlvmContext context, ReadOnlySpan<byte> ir, string name,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out LlvmModule? module, out string error)
    {
        var buffer = LlvmApi.LLVMCreateMemoryBufferWithMemoryRangeCopy(ir, name);
        // LLVMParseIRInContext takes ownership of the buffer whether or not it succeeds.
        var status = LlvmGuard.ParseIR(context.Raw, buffer, out var raw, out var message);
        if (status == LlvmGuardStatus.Fatal)
            throw context.Abandoned(LlvmGuard.Reason, "parsing", name);
        if (status != LlvmGuardStatus.Ok)
        {
            module = null;
            var text = LlvmApi.TakeMessage(message).Trim();
            error = status == LlvmGuardStatus.Diagnosed ? LlvmGuard.Reason : text;
            return false;
        }
        module = new LlvmModule(context, raw);
        error = "";
        return true;
    }

    /// <summary>A deep copy in the same context; transforms work on clones so the original stays the reference.</summary>
    public LlvmModule Clone() => new(_context, LlvmApi.LLVMCloneModule(handle));

    public string Identifier => LlvmApi.ReadString(LlvmApi.LLVMGetModuleIdentifier(handle, out var length), length);

    public string TargetTriple
    {
        get => Marshal.PtrToStringUTF8(LlvmApi.LLVMGetTarget(handle)) ?? "";
        set => LlvmApi.LLVMSetTarget(handle, value);
    }

    /// <summary>The debug-info version the module carries (0 when it was compiled without <c>-g</c>).</summary>
    public uint DebugMetadataVersion => LlvmApi.LLVMGetModuleDebugMetadataVersion(handle);

    /// <summary>
    /// Keeps the debug metadata (the BPF back end makes BTF of it) but tells the back end to emit no DWARF: the module
    /// flag <c>Dwarf Version</c> becomes <c>CodeView</c> = 1, which no BPF target emits. The object's code, <c>.BTF</c>
    /// and <c>.BTF.ext</c> are byte for byte the same, without the <c>.debug_*</c> sections, and the back end takes about
    /// a fifth less time. False when the module had no <c>Dwarf Version</c> flag.
    /// </summary>
    public bool DropDwarfEmission() => LlvmMetadata.ReplaceModuleFlag(handle, "Dwarf Version", "CodeView", 1);

    /// <summary>
    /// Takes the source lines off the code: every instruction's location and every <c>llvm.dbg.*</c> call. The types,
    /// globals and functions keep their debug metadata, so the back end still makes the BTF of the maps and each
    /// function's <c>func_info</c>; only <c>.BTF.ext</c>'s line info goes, and code generation takes about a fifth less
    /// time (the firewall's specialized module: 20 → 16 ms). A call to a function defined here keeps its location,
    /// which LLVM's verifier requires where both have debug info. Returns how many instructions changed.
    /// </summary>
    public int DropLineInfo()
    {
        var changed = 0;
        var debugCalls = new List<LlvmInstruction>();
        foreach (var function in Functions)
            foreach (var block in function.Blocks)
                foreach (var instruction in block.Instructions)
                {
                    if (instruction.Opcode == LlvmOpcode.Call && instruction.CalledValue is { IsFunction: true } callee)
                    {
                        if (callee.Name.StartsWith("llvm.dbg.", StringComparison.Ordinal))
                        {
                            debugCalls.Add(instruction);
                            continue;
                        }
                        if (callee.AsFunction() is { IsDeclaration: false, HasDebugInfo: true })
                            continue;
                    }
                    if (instruction.RawDebugLocation == 0)
                        continue;
                    instruction.RawDebugLocation = 0;
                    changed++;
                }
        foreach (var call in debugCalls)
            call.EraseFromParent();
        return changed + debugCalls.Count;
    }

    public IEnumerable<LlvmFunction> Functions
    {
        get
        {
            for (var f = LlvmApi.LLVMGetFirstFunction(handle); f != 0; f = LlvmApi.LLVMGetNextFunction(f))
                yield return new LlvmFunction(f);
        }
    }

    public IEnumerable<LlvmGlobal> Globals
    {
        get
        {
            for (var g = LlvmApi.LLVMGetFirstGlobal(handle); g != 0; g = LlvmApi.LLVMGetNextGlobal(g))
                yield return new LlvmGlobal(g);
        }
    }

    public LlvmFunction? GetFunction(string name) =>
        LlvmApi.LLVMGetNamedFunction(handle, name) is var f and not 0 ? new LlvmFunction(f) : null;

    public LlvmGlobal? GetGlobal(string name) =>
        LlvmApi.LLVMGetNamedGlobal(handle, name) is var g and not 0 ? new LlvmGlobal(g) : null;

    /// <summary>Runs LLVM's verifier; returns its complaints, or null when the module is well formed.</summary>
    public string? Verify()
    {
        var status = LlvmGuard.VerifyModule(handle, 2 /* LLVMReturnStatusAction */, out var message);
        if (status == LlvmGuardStatus.Fatal)
            throw _context.Abandoned(LlvmGuard.Reason, "verifying", Identifier);
        var text = LlvmApi.TakeMessage(message).Trim(); // the message must be given back either way
        return status switch
        {
            LlvmGuardStatus.Ok => null,
            LlvmGuardStatus.Diagnosed => LlvmGuard.Reason,
            _ => text,
        };
    }

    public override string ToString() => LlvmApi.TakeMessage(LlvmApi.LLVMPrintModuleToString(handle));

    /// <summary>Serializes the module to bitcode.</summary>
    public byte[] ToBitcode() => LlvmApi.TakeBuffer(LlvmApi.LLVMWriteBitcodeToMemoryBuffer(handle));

    /// <summary>
    /// Runs a new-pass-manager pipeline such as <c>default&lt;O2&gt;</c> or <c>function(sccp,simplifycfg)</c>. With a target
    /// machine, the target's own IR passes (the BPF back end's) take part as they do in clang.
    /// </summary>
    public void RunPasses(string pipeline, LlvmTargetMachine? target = null, LlvmPassBuilderOptions? options = null)
    {
        using var owned = options is null ? new LlvmPassBuilderOptions() : null;
        var status = LlvmGuard.RunPasses(handle, pipeline, target?.Raw ?? 0, (options ?? owned!).Raw, out var raw);
        if (status == LlvmGuardStatus.Fatal)
        {
            target?.Abandon();
            throw _context.Abandoned(LlvmGuard.Reason, $"running the passes '{pipeline}' on", Identifier);
        }
        var error = LlvmApi.TakeError(raw);
        if (status == LlvmGuardStatus.Diagnosed)
            error = LlvmGuard.Reason;
        if (error is not null)
            throw new KecleonException($"LLVM pass pipeline '{pipeline}' failed on {Identifier}: {error}");
    }

    /// <summary>Gives up ownership (LLVM took the module, e.g. when linking it into another); the context stays referenced
    /// until this object is disposed.</summary>
    internal nint Release()
    {
        var raw = handle;
        SetHandleAsInvalid();
        _context.DangerousRelease();
        return raw;
    }

    protected override bool ReleaseHandle()
    {
        if (!_context.IsAbandoned)
            LlvmApi.LLVMDisposeModule(handle);
        _context.DangerousRelease();
        return true;
    }
}
