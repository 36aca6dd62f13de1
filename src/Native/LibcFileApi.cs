using System.Runtime.InteropServices;

namespace Kecleon.Interop;

/// <summary>The libc file calls .NET does not offer: <c>statx</c> without following a symlink (owner, type, inode),
/// <c>open</c> with <c>O_NOFOLLOW</c>, <c>mkdir</c> that fails on anything already there, and <c>flock</c>. Flag values are
/// the x86-64 (asm-generic) ones.</summary>
internal static unsafe partial class LibcFileApi
{
    public const int AtFdCwd = -100;
    public const int AtSymlinkNoFollow = 0x100;
    public const uint StatxBasicStats = 0x7ff;

    public const int ORdWr = 0x2;
    public const int OCreat = 0x40;
    public const int ONoFollow = 0x20000;
    public const int OCloExec = 0x80000;

    public const int LockExclusive = 2;
    public const int LockNonBlocking = 4;

    public const int ENOENT = 2;
    public const int ENOTDIR = 20;
    public const int EEXIST = 17;
    public const int EWOULDBLOCK = 11;
    public const int ELOOP = 40;

    /// <summary>struct statx (linux/stat.h): 256 bytes, the same on every architecture.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    public struct Statx
    {
        [FieldOffset(0)] public uint Mask;
        [FieldOffset(20)] public uint Uid;
        [FieldOffset(24)] public uint Gid;
        [FieldOffset(28)] public ushort Mode;
        [FieldOffset(32)] public ulong Inode;
        [FieldOffset(136)] public uint DeviceMajor;
        [FieldOffset(140)] public uint DeviceMinor;
    }

    [LibraryImport(NativeLibraries.C, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int statx(int directoryFd, string path, int flags, uint mask, Statx* result);

    [LibraryImport(NativeLibraries.C, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int open(string path, int flags, uint mode);

    [LibraryImport(NativeLibraries.C, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int mkdir(string path, uint mode);

    [LibraryImport(NativeLibraries.C, SetLastError = true)]
    public static partial int flock(int fd, int operation);

    [LibraryImport(NativeLibraries.C)]
    public static partial uint geteuid();

    public const int AfUnix = 1;
    public const int SockStream = 1;
    public const int SockCloExec = 0x80000;

    [LibraryImport(NativeLibraries.C, SetLastError = true)]
    public static partial int socket(int domain, int type, int protocol);

    [LibraryImport(NativeLibraries.C, SetLastError = true)]
    public static partial int bind(int fd, byte* address, uint length);

    [LibraryImport(NativeLibraries.C, SetLastError = true)]
    public static partial int listen(int fd, int backlog);

    [LibraryImport(NativeLibraries.C)]
    public static partial int close(int fd);

    /// <summary>bind to a filesystem path (struct sockaddr_un: a u16 family, then up to 108 path bytes with their NUL):
    /// 0, or -1 with errno.</summary>
    public static int BindUnix(int fd, string path)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(path);
        if (bytes.Length >= 108)
            throw new ArgumentException($"{path} is longer than a Unix socket path may be (107 bytes)", nameof(path));
        var address = stackalloc byte[110];
        new Span<byte>(address, 110).Clear();
        *(ushort*)address = AfUnix;
        bytes.CopyTo(new Span<byte>(address + 2, 108));
        return bind(fd, address, (uint)(2 + bytes.Length + 1));
    }

    /// <summary>lstat through statx: 0, or -1 with errno in <see cref="Marshal.GetLastPInvokeError"/>.</summary>
    public static int Lstat(string path, out Statx result)
    {
        result = default;
        fixed (Statx* status = &result)
            return statx(AtFdCwd, path, AtSymlinkNoFollow, StatxBasicStats, status);
    }
}
