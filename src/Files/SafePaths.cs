using System.Runtime.InteropServices;
using Kecleon.Interop;
using Microsoft.Win32.SafeHandles;

namespace Kecleon.Files;

/// <summary>What <see cref="SafePaths.Status"/> found at a path (the path itself, not what a symlink points at).</summary>
public enum FileKind
{
    Missing,
    Regular,
    Directory,
    SymbolicLink,
    Socket,
    Other,
}

/// <summary>One <c>lstat</c>: type, permission bits, owner and identity.</summary>
public readonly record struct FileStatus(FileKind Kind, UnixFileMode Mode, uint Owner, ulong Device, ulong Inode)
{
    public bool SameFileAs(FileStatus other) => Kind != FileKind.Missing && Device == other.Device && Inode == other.Inode;
}

/// <summary>
/// Files a root process creates where other users might reach: its run-time directory, lock files, sockets. A directory
/// is used only when nobody but root (or us) can change what its path leads to: every directory on the way is owned by
/// root or us and not writable by others (or sticky, like <c>/tmp</c>, so that nobody else can move what we own there),
/// every symlink on the way is owned by root or us, and the directory itself is ours, not a symlink, with no write bit
/// for others. Inside such a directory a name can be trusted.
/// </summary>
public static class SafePaths
{
    /// <summary>Kecleon's run-time directory (guard table locks, the daemon's default status socket): root's, mode 0700.</summary>
    public const string RunDirectory = "/run/kecleon";

    public const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private const int MaxSymlinks = 40;

    public static uint EffectiveUid => LibcFileApi.geteuid();

    /// <summary>What is at <paramref name="path"/>, without following a final symlink.</summary>
    public static FileStatus Status(string path)
    {
        if (LibcFileApi.Lstat(path, out var status) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno is LibcFileApi.ENOENT or LibcFileApi.ENOTDIR)
                return default;
            throw new UnsafePathException($"cannot inspect {path}: {Marshal.GetPInvokeErrorMessage(errno)}");
        }
        var kind = (status.Mode & 0xf000) switch
        {
            0x8000 => FileKind.Regular,
            0x4000 => FileKind.Directory,
            0xa000 => FileKind.SymbolicLink,
            0xc000 => FileKind.Socket,
            _ => FileKind.Other,
        };
        return new FileStatus(kind, (UnixFileMode)(status.Mode & 0xfff), status.Uid,
            ((ulong)status.DeviceMajor << 32) | status.DeviceMinor, status.Inode);
    }

    /// <summary>
    /// Makes sure <paramref name="path"/> is a directory only root (or we) can change, creating what is missing with
    /// <paramref name="createMode"/>, and returns its path with every symlink resolved. Throws
    /// <see cref="UnsafePathException"/>, saying which part is wrong and why, when another user could redirect it.
    /// </summary>
    /// <param name="ownerOnly">The directory itself must give others no access at all (mode 0700), not only no write access.</param>
    /// <param name="what">What the directory is for, for the message (e.g. "the guard lock directory").</param>
    public static string EnsureDirectory(string path, UnixFileMode createMode, bool ownerOnly, string what)
    {
        var me = EffectiveUid;
        var pending = new List<string>(Path.GetFullPath(path).Split('/', StringSplitOptions.RemoveEmptyEntries));
        var chain = new List<string> { "/" };
        CheckAncestor("/", Status("/"));
        var symlinks = 0;
        while (pending.Count > 0)
        {
            var name = pending[0];
            pending.RemoveAt(0);
            if (name == ".")
                continue;
            if (name == "..")
            {
                if (chain.Count > 1)
                    chain.RemoveAt(chain.Count - 1);
                continue;
            }
            var current = chain[^1];
            var next = current == "/" ? "/" + name : current + "/" + name;
            var last = pending.Count == 0;
            var status = Status(next);
            if (status.Kind == FileKind.Missing)
            {
                // mkdir creates nothing through a symlink and fails on anything already there (someone quicker): look again.
                if (LibcFileApi.mkdir(next, (uint)createMode) != 0 && Marshal.GetLastPInvokeError() is var errno && errno != LibcFileApi.EEXIST)
                    throw new UnsafePathException($"cannot create {next} for {what}: {Marshal.GetPInvokeErrorMessage(errno)}");
                status = Status(next);
            }
            switch (status.Kind)
            {
                case FileKind.SymbolicLink when last:
                    throw Refuse(path, what, $"{next} is a symbolic link");
                case FileKind.SymbolicLink:
                    if (status.Owner != 0 && status.Owner != me)
                        throw Refuse(path, what, $"{next} is a symbolic link owned by uid {status.Owner}");
                    if (++symlinks > MaxSymlinks)
                        throw Refuse(path, what, $"too many symbolic links at {next}");
                    var target = new FileInfo(next).LinkTarget ?? throw Refuse(path, what, $"cannot read the symbolic link {next}");
                    pending.InsertRange(0, target.Split('/', StringSplitOptions.RemoveEmptyEntries));
                    if (target.StartsWith('/'))
                        chain.RemoveRange(1, chain.Count - 1);
                    continue;
                case FileKind.Directory:
                    break;
                case FileKind.Missing:
                    throw Refuse(path, what, $"{next} disappeared while it was checked");
                default:
                    throw Refuse(path, what, $"{next} is not a directory");
            }
            if (last)
            {
                if (status.Owner != me)
                    throw Refuse(path, what, $"it is owned by uid {status.Owner}, not by uid {me}");
                var forbidden = ownerOnly ? (UnixFileMode)0x3f : UnixFileMode.GroupWrite | UnixFileMode.OtherWrite;
                if ((status.Mode & forbidden) != 0)
                    throw Refuse(path, what, $"its mode is {Octal(status.Mode)}; it must be {(ownerOnly ? "0700" : "0700 or 0755")}");
            }
            else
                CheckAncestor(next, status);
            chain.Add(next);
        }
        return chain[^1];

        void CheckAncestor(string directory, FileStatus status)
        {
            if (status.Owner != 0 && status.Owner != me)
                throw Refuse(path, what, $"{directory} is owned by uid {status.Owner}");
            if ((status.Mode & (UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) != 0 && (status.Mode & UnixFileMode.StickyBit) == 0)
                throw Refuse(path, what, $"{directory} is writable by others (mode {Octal(status.Mode)})");
        }
    }

    /// <summary>Opens (creating it 0600 if needed) a lock file in a directory <see cref="EnsureDirectory"/> checked:
    /// never through a symlink, never inherited by a child process.</summary>
    public static SafeFileHandle OpenLockFile(string path)
    {
        var fd = LibcFileApi.open(path, LibcFileApi.ORdWr | LibcFileApi.OCreat | LibcFileApi.ONoFollow | LibcFileApi.OCloExec, 0x180);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new UnsafePathException(errno == LibcFileApi.ELOOP
                ? $"refusing the lock file {path}: it is a symbolic link"
                : $"cannot open the lock file {path}: {Marshal.GetPInvokeErrorMessage(errno)}");
        }
        return new SafeFileHandle(fd, ownsHandle: true);
    }

    /// <summary>Takes an exclusive <c>flock</c> on <paramref name="file"/> without waiting: false when someone holds it.</summary>
    public static bool TryLock(SafeFileHandle file, string path)
    {
        if (LibcFileApi.flock((int)file.DangerousGetHandle(), LibcFileApi.LockExclusive | LibcFileApi.LockNonBlocking) == 0)
            return true;
        var errno = Marshal.GetLastPInvokeError();
        return errno == LibcFileApi.EWOULDBLOCK ? false : throw new UnsafePathException($"cannot lock {path}: {Marshal.GetPInvokeErrorMessage(errno)}");
    }

    /// <summary>
    /// A Unix stream socket listening at <paramref name="path"/>, bound through libc: a socket that .NET binds deletes
    /// whatever is at its path when it is disposed, and the path may by then name someone else's file. Removing this one's
    /// file is its owner's job. <c>bind</c> creates the file and fails on anything already there, a symlink included.
    /// </summary>
    public static System.Net.Sockets.Socket ListenUnix(string path, int backlog)
    {
        var fd = LibcFileApi.socket(LibcFileApi.AfUnix, LibcFileApi.SockStream | LibcFileApi.SockCloExec, 0);
        if (fd < 0)
            throw new KecleonException($"cannot create a Unix socket: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        if (LibcFileApi.BindUnix(fd, path) != 0 || LibcFileApi.listen(fd, backlog) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            LibcFileApi.close(fd);
            throw new PathInUseException($"cannot listen at {path}: {Marshal.GetPInvokeErrorMessage(errno)}");
        }
        return new System.Net.Sockets.Socket(new System.Net.Sockets.SafeSocketHandle(fd, ownsHandle: true));
    }

    public static string Octal(UnixFileMode mode) => "0" + Convert.ToString((int)mode & 0xfff, 8);

    private static UnsafePathException Refuse(string path, string what, string reason) =>
        new($"refusing {path} as {what}: {reason} (another user could redirect what Kecleon writes there)");
}

/// <summary>A path Kecleon would write through is not safe: another user owns or can change part of it, or it is a
/// symlink or a file of the wrong kind.</summary>
public sealed class UnsafePathException(string message) : KecleonException(message)
{
    public override int ExitCode => ExitCodes.NoPermission;
}

/// <summary>A path Kecleon needs is in use by another process (a status socket someone listens on).</summary>
public sealed class PathInUseException(string message) : KecleonException(message)
{
    public override int ExitCode => ExitCodes.Conflict;
}
