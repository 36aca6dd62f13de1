using Kecleon.FrontEnd;
using Kecleon.Optimizer.Specialization;

namespace Kecleon.Runtime.Guards;

/// <summary>
/// The kernel side of the <see cref="GuardTable"/>: tracepoint programs that bump a guarded map's version when a
/// <c>bpf()</c> call (64-bit or 32-bit) writes it, or loads a program that uses it. The source is
/// <c>src/BpfC/guard_hook.bpf.c</c> (with the guard ABI of <c>kecleon_guard.h</c>), compiled with this assembly and
/// embedded in it; libbpf relocates its CO-RE field offsets against the running kernel's BTF at load.
/// </summary>
internal static class GuardHookProgram
{
    public const string EnterProgram = "kecleon_guard_enter";
    public const string ExitProgram = "kecleon_guard_exit";
    public const string TracepointCategory = "syscalls";
    public const string EnterTracepoint = "sys_enter_bpf";
    public const string ExitTracepoint = "sys_exit_bpf";
    public const string CompatEnterProgram = "kecleon_guard_compat_enter";
    public const string CompatExitProgram = "kecleon_guard_compat_exit";
    public const string CompatEnterTracepoint = "sys_enter";
    public const string CompatExitTracepoint = "sys_exit";
    public const string LoadersMapName = GuardLayout.LoadersMapName;

    private const string Resource = "guard_hook.o";

    private static readonly Lazy<byte[]> Compiled = new(() => BuiltBpf.Read(typeof(GuardHookProgram).Assembly, Resource));

    /// <summary>The BPF ELF object (<c>src/BpfC/guard_hook.bpf.c</c>), compiled with this assembly.</summary>
    public static byte[] Object => Compiled.Value;
}
