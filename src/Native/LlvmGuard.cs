using System.Runtime.InteropServices;

namespace Kecleon.Interop;

/// <summary>What a guarded LLVM call did (<c>src/Native/native/kecleon_llvm_guard.c</c>).</summary>
internal enum LlvmGuardStatus
{
    /// <summary>LLVM succeeded.</summary>
    Ok = 0,
    /// <summary>LLVM returned its own failure (its message or error is in the out parameter, as without the guard).</summary>
    Failed = 1,
    /// <summary>LLVM called report_fatal_error: the context, module and target machine of the call must be abandoned.</summary>
    Fatal = 2,
    /// <summary>LLVM reported error diagnostics (it would have exited for them); its objects are still sound.</summary>
    Diagnosed = 3,
    /// <summary>The guard was called before <see cref="LlvmGuard.Install"/>; LLVM was not called.</summary>
    NotInstalled = 4,
}

/// <summary>
/// The calls into LLVM that can end the process (report_fatal_error, or an error diagnostic on a context without a
/// handler), made through Kecleon's native guard instead: they return <see cref="LlvmGuardStatus"/> and
/// <see cref="Reason"/> rather than exiting. The guard does the setjmp and calls LLVM itself, so the fatal-error handler's
/// longjmp never crosses a managed frame.
/// </summary>
internal static unsafe partial class LlvmGuard
{
    private const string Lib = NativeLibraries.LlvmGuard;
    private static readonly Lock InstallLock = new();
    private static volatile bool _installed;

    [LibraryImport(Lib)] private static partial byte* kecleon_llvm_guard_init(nint llvm);
    [LibraryImport(Lib)] private static partial byte* kecleon_llvm_guard_reason();
    [LibraryImport(Lib)] private static partial LlvmGuardStatus kecleon_llvm_parse_ir(nint context, nint buffer, out nint module, out nint message);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    private static partial LlvmGuardStatus kecleon_llvm_run_passes(nint module, string passes, nint machine, nint options, out nint error);
    [LibraryImport(Lib)] private static partial LlvmGuardStatus kecleon_llvm_verify_module(nint module, int action, out nint message);
    [LibraryImport(Lib)]
    private static partial LlvmGuardStatus kecleon_llvm_emit_to_memory_buffer(nint machine, nint module, int fileType, out nint message, out nint buffer);
    [LibraryImport(Lib)] private static partial LlvmGuardStatus kecleon_llvm_link_modules(nint destination, nint source);

    /// <summary>Loads LLVM and the guard and installs LLVM's fatal-error handler (once per process).</summary>
    public static void Install()
    {
        if (_installed)
            return;
        lock (InstallLock)
        {
            if (_installed)
                return;
            var llvm = NativeLibraries.Load(NativeLibraries.Llvm);
            NativeLibraries.Load(NativeLibraries.LlvmGuard);
            var missing = kecleon_llvm_guard_init(llvm);
            if (missing != null)
                throw new MissingDependencyException(
                    $"the loaded LLVM has no {Marshal.PtrToStringUTF8((nint)missing)}: Kecleon needs libLLVM-{NativeLibraries.LlvmMajorVersion}");
            _installed = true;
        }
    }

    /// <summary>Why the last guarded call on this thread ended <see cref="LlvmGuardStatus.Fatal"/> or
    /// <see cref="LlvmGuardStatus.Diagnosed"/>.</summary>
    public static string Reason => (Marshal.PtrToStringUTF8((nint)kecleon_llvm_guard_reason()) ?? "").Trim();

    public static LlvmGuardStatus ParseIR(nint context, nint buffer, out nint module, out nint message)
    {
        Install();
        return kecleon_llvm_parse_ir(context, buffer, out module, out message);
    }

    public static LlvmGuardStatus RunPasses(nint module, string passes, nint machine, nint options, out nint error)
    {
        Install();
        return kecleon_llvm_run_passes(module, passes, machine, options, out error);
    }

    public static LlvmGuardStatus VerifyModule(nint module, int action, out nint message)
    {
        Install();
        return kecleon_llvm_verify_module(module, action, out message);
    }

    public static LlvmGuardStatus EmitToMemoryBuffer(nint machine, nint module, int fileType, out nint message, out nint buffer)
    {
        Install();
        return kecleon_llvm_emit_to_memory_buffer(machine, module, fileType, out message, out buffer);
    }

    public static LlvmGuardStatus LinkModules(nint destination, nint source)
    {
        Install();
        return kecleon_llvm_link_modules(destination, source);
    }
}
