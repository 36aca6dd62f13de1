namespace Kecleon.Bpf;

/// <summary>A libbpf or bpf(2) call failed. The message names the operation and the object, cilium/ebpf style:
/// <c>load program xdp_router: Permission denied</c>.</summary>
public class BpfException(string operation, int errno, string? hint = null, string? details = null)
    : KecleonException($"{operation}: {Errno.Describe(errno)}" + (hint is null ? "" : $". {hint}"), null, details)
{
    public string Operation { get; } = operation;
    /// <summary>The errno the kernel or libbpf returned.</summary>
    public int ErrorNumber { get; } = errno;

    public override int ExitCode => ErrorNumber == Errno.EPERM ? ExitCodes.NoPermission : ExitCodes.Failure;

    /// <param name="libbpfLog">What libbpf printed while the call ran: its explanation of the failure.</param>
    internal static BpfException FromErrno(string operation, int errno, string? libbpfLog = null) => errno switch
    {
        Errno.EPERM => new BpfPermissionException(operation, libbpfLog),
        _ => new BpfException(operation, errno, null, libbpfLog),
    };
}

/// <summary>The kernel refused a BPF operation for lack of privilege.</summary>
internal sealed class BpfPermissionException(string operation, string? libbpfLog = null)
    : BpfException(operation, Errno.EPERM,
        "Kecleon must run as root, or with CAP_BPF, CAP_PERFMON and CAP_NET_ADMIN (try `sudo`)", libbpfLog)
{
    public override int ExitCode => ExitCodes.NoPermission;
}

/// <summary>The kernel's verifier rejected a program. <see cref="KecleonException.Details"/> holds the verifier's log.</summary>
public sealed class VerifierRejectedException(string program, int errno, string verifierLog)
    : BpfException($"load program {program}", errno, "the kernel's verifier rejected it; its log follows", verifierLog)
{
    public string ProgramName { get; } = program;
    public string VerifierLog { get; } = verifierLog;
    public override int ExitCode => ExitCodes.Rejected;

    /// <summary>The tail of the log: where the verifier stopped and its reason.</summary>
    public string LogTail(int lines = 12)
    {
        var all = VerifierLog.TrimEnd().Split('\n');
        return string.Join('\n', all[Math.Max(0, all.Length - lines)..]);
    }
}

/// <summary>An atomic replace found another program than the one expected on the hook: someone else swapped it
/// meanwhile. Nothing was changed.</summary>
public sealed class ReplaceConflictException(string operation, int errno, uint expectedProgramId, uint? foundProgramId)
    : BpfException(operation, errno,
        $"the hook no longer runs program {expectedProgramId}" + (foundProgramId is { } found ? $" but program {found}" : "") +
        ": someone else replaced it meanwhile; nothing was changed. Look at the hook again and retry")
{
    public uint ExpectedProgramId { get; } = expectedProgramId;
    public uint? FoundProgramId { get; } = foundProgramId;
    public override int ExitCode => ExitCodes.Conflict;
}

/// <summary>errno values bpf(2) returns, and their text.</summary>
public static class Errno
{
    public const int EPERM = 1, ENOENT = 2, E2BIG = 7, EBADF = 9, EAGAIN = 11, ENOMEM = 12, EACCES = 13, EFAULT = 14,
        EBUSY = 16, EEXIST = 17, ENODEV = 19, EINVAL = 22, ENOSPC = 28, ERANGE = 34, ENOTSUP = 95, EOPNOTSUPP = 95;

    public static string Describe(int errno) => errno switch
    {
        EPERM => "Operation not permitted",
        ENOENT => "No such file or entry",
        E2BIG => "Argument list too long",
        EBADF => "Bad file descriptor",
        EAGAIN => "Resource temporarily unavailable",
        ENOMEM => "Cannot allocate memory",
        EACCES => "Permission denied",
        EFAULT => "Bad address",
        EBUSY => "Device or resource busy",
        EEXIST => "File exists",
        ENODEV => "No such device",
        EINVAL => "Invalid argument",
        ENOSPC => "No space left (buffer or map full)",
        ERANGE => "Result out of range",
        EOPNOTSUPP => "Operation not supported",
        _ => $"errno {errno}",
    };
}
