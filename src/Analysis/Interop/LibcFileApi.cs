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

    /// <summary>lstat through statx: 0, or -1 with errno in <see cref="Marshal.GetLastPInvokeError"/>.</summary>
    public static int Lstat(string path, out Statx result)
    {
        result = default;
        fixed (Statx* status = &result)
            return statx(AtFdCwd, path, AtSymlinkNoFollow, StatxBasicStats, status);
    }
}
