namespace Kecleon;

/// <summary>
/// An error a user can act on: the message says what is wrong and what to do. The command-line host prints
/// <see cref="Exception.Message"/> (and <see cref="Details"/>) without a stack trace and exits with <see cref="ExitCode"/>.
/// </summary>
public class KecleonException : Exception
{
    public KecleonException(string message, Exception? inner = null, string? details = null) : base(message, inner) =>
        Details = string.IsNullOrWhiteSpace(details) ? null : details.TrimEnd();

    /// <summary>Long diagnostic text shown after the message: clang's output, a verifier log, libbpf's warnings.</summary>
    public string? Details { get; }

    public virtual int ExitCode => ExitCodes.Failure;
}

/// <summary>Process exit codes, following sysexits(3) where one fits. README.md's "Exit codes" table documents them.</summary>
public static class ExitCodes
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int Usage = 64;          // EX_USAGE
    public const int BadInput = 65;       // EX_DATAERR: the input does not parse or compile
    public const int NoInput = 66;        // EX_NOINPUT
    public const int Unavailable = 69;    // EX_UNAVAILABLE: a native library or tool is missing
    public const int Conflict = 75;       // EX_TEMPFAIL: someone else swapped the program meanwhile; look again and retry
    public const int Internal = 70;       // EX_SOFTWARE
    public const int CannotCreate = 73;   // EX_CANTCREAT: an output file cannot be written
    public const int NoPermission = 77;   // EX_NOPERM
    public const int Rejected = 78;       // the kernel's verifier rejected a program
}

/// <summary>The input file is missing or unreadable.</summary>
public sealed class InputNotFoundException(string message) : KecleonException(message)
{
    public override int ExitCode => ExitCodes.NoInput;
}

/// <summary>The input exists but cannot be turned into IR (C that does not compile, IR that does not parse, ...).</summary>
public sealed class InvalidInputException(string message, string? details = null) : KecleonException(message, null, details)
{
    public override int ExitCode => ExitCodes.BadInput;
}

/// <summary>A native library or external tool Kecleon needs is not installed.</summary>
public sealed class MissingDependencyException(string message) : KecleonException(message)
{
    public override int ExitCode => ExitCodes.Unavailable;
}

/// <summary>The command line is wrong in a way the parser cannot tell (options that exclude each other, say).</summary>
public sealed class UsageException(string message) : KecleonException(message)
{
    public override int ExitCode => ExitCodes.Usage;
}

/// <summary>An output file cannot be written: its folder is missing, it names a folder, or it is not writable.</summary>
public sealed class OutputFileException(string message) : KecleonException(message)
{
    public override int ExitCode => ExitCodes.CannotCreate;
}

/// <summary>The process lacks a privilege the operation needs (root, or the capabilities the message names).</summary>
public sealed class NoPermissionException(string message) : KecleonException(message)
{
    public override int ExitCode => ExitCodes.NoPermission;
}

/// <summary>
/// LLVM reported a fatal error (or an error diagnostic it would have ended the process for) while working on one
/// program. The process goes on; the LLVM context, module and target machine involved are abandoned (leaked on purpose:
/// LLVM stopped half way and they cannot be trusted again), so the next program starts afresh.
/// </summary>
public sealed class LlvmFatalErrorException(string stage, string program, string reason)
    : KecleonException($"LLVM reported a fatal error while {stage} {program}: {reason}")
{
    public string Stage { get; } = stage;
    public string Reason { get; } = reason;
    public override int ExitCode => ExitCodes.BadInput;
}
