using System.Runtime.InteropServices;

namespace Kecleon.Interop;

/// <summary>The libc calls for network namespaces and rtnetlink that .NET does not offer: <c>setns</c>, and a raw
/// <c>NETLINK_ROUTE</c> socket to send requests on and read answers from. Flag values are the x86-64 (asm-generic) ones.</summary>
internal static unsafe partial class LibcNetApi
{
    public const int AfNetlink = 16;
    public const int SockRaw = 3;
    public const int SockCloExec = 0x80000;
    public const int NetlinkRoute = 0;
    public const int CloneNewNet = 0x40000000;
    public const int ORdOnly = 0;
    public const int OCloExec = 0x80000;

    [LibraryImport(NativeLibraries.C, SetLastError = true)]
    public static partial int socket(int domain, int type, int protocol);

    [LibraryImport(NativeLibraries.C, SetLastError = true)]
    private static partial nint send(int fd, byte* buffer, nuint length, int flags);

    [LibraryImport(NativeLibraries.C, SetLastError = true)]
    private static partial nint recv(int fd, byte* buffer, nuint length, int flags);

    [LibraryImport(NativeLibraries.C, SetLastError = true)]
    public static partial int setns(int fd, int namespaceType);

    [LibraryImport(NativeLibraries.C, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int open(string path, int flags, uint mode);

    [LibraryImport(NativeLibraries.C)]
    public static partial int close(int fd);

    /// <summary>send(2) of the whole span: bytes sent, or -1 with errno.</summary>
    public static long Send(int fd, ReadOnlySpan<byte> data)
    {
        fixed (byte* bytes = data)
            return send(fd, bytes, (nuint)data.Length, 0);
    }

    /// <summary>recv(2) into the span: bytes received, or -1 with errno.</summary>
    public static long Receive(int fd, Span<byte> buffer)
    {
        fixed (byte* bytes = buffer)
            return recv(fd, bytes, (nuint)buffer.Length, 0);
    }

    /// <summary>The inode of what <paramref name="path"/> names, following symlinks (a namespace's identity), or null.</summary>
    public static ulong? Inode(string path)
    {
        LibcFileApi.Statx status;
        return LibcFileApi.statx(LibcFileApi.AtFdCwd, path, 0, LibcFileApi.StatxBasicStats, &status) == 0 ? status.Inode : null;
    }
}

internal static unsafe partial class LibcNetApi
{
    [LibraryImport(NativeLibraries.C)]
    private static partial nint if_nameindex();

    [LibraryImport(NativeLibraries.C)]
    private static partial void if_freenameindex(nint list);

    /// <summary>The interfaces of the calling thread's network namespace (<c>if_nameindex(3)</c>, which asks netlink;
    /// <c>/sys/class/net</c> shows the namespace sysfs was mounted in instead).</summary>
    public static List<(int Index, string Name)> InterfaceIndexes()
    {
        var list = new List<(int, string)>();
        var head = if_nameindex();
        if (head == 0)
            return list;
        try
        {
            // struct if_nameindex { unsigned int if_index; char *if_name; }: 16 bytes, ended by a zero entry.
            for (var entry = (byte*)head; ; entry += 16)
            {
                var index = *(uint*)entry;
                var name = *(nint*)(entry + 8);
                if (index == 0 && name == 0)
                    break;
                list.Add(((int)index, Marshal.PtrToStringUTF8(name) ?? ""));
            }
        }
        finally
        {
            if_freenameindex(head);
        }
        return list;
    }
}
