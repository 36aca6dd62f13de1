using System.Runtime.InteropServices;

namespace Kecleon.Interop;

/// <summary>Shared memory mappings of a file descriptor (an mmapable BPF array map) and <c>membarrier</c>, whose
/// <c>MEMBARRIER_CMD_GLOBAL</c> waits for an RCU grace period (every BPF program run that began before the call has
/// ended). Values are the x86-64 ones.</summary>
internal static unsafe partial class LibcMemoryApi
{
    public const int ProtRead = 0x1;
    public const int ProtWrite = 0x2;
    public const int MapShared = 0x1;
    private const long SysMembarrier = 324;
    private const int MembarrierCmdGlobal = 1;

    [LibraryImport(NativeLibraries.C, SetLastError = true)]
    public static partial nint mmap(nint address, nuint length, int protection, int flags, int fd, long offset);

    [LibraryImport(NativeLibraries.C, SetLastError = true)]
    public static partial int munmap(nint address, nuint length);

    [LibraryImport(NativeLibraries.C, SetLastError = true)]
    private static partial long syscall(long number, long a, long b, long c);

    /// <summary><c>membarrier(MEMBARRIER_CMD_GLOBAL, 0, 0)</c>: returns after a full RCU grace period; 0, or -1 with errno.</summary>
    public static int MembarrierGlobal() => (int)syscall(SysMembarrier, MembarrierCmdGlobal, 0, 0);
}

/// <summary>A <c>MAP_SHARED</c> read-write mapping, accessed by offset and bounds-checked: the projects above never hold
/// its pointer.</summary>
internal sealed unsafe class SharedMapping : IDisposable
{
    private nint _address;

    private SharedMapping(nint address, long length)
    {
        _address = address;
        Length = length;
    }

    public long Length { get; }

    /// <summary>Maps <paramref name="length"/> bytes of <paramref name="fd"/> from offset 0; null and errno on failure.</summary>
    public static SharedMapping? Map(int fd, long length, out int errno)
    {
        var address = LibcMemoryApi.mmap(0, (nuint)length, LibcMemoryApi.ProtRead | LibcMemoryApi.ProtWrite, LibcMemoryApi.MapShared, fd, 0);
        errno = address == -1 ? Marshal.GetLastPInvokeError() : 0;
        return address == -1 ? null : new SharedMapping(address, length);
    }

    private byte* At(long offset, long count)
    {
        ObjectDisposedException.ThrowIf(_address == 0, this);
        if (offset < 0 || count < 0 || offset + count > Length)
            throw new ArgumentOutOfRangeException(nameof(offset), $"{count} bytes at {offset} leave the {Length}-byte mapping");
        return (byte*)_address + offset;
    }

    public void Read(long offset, Span<byte> into) => new ReadOnlySpan<byte>(At(offset, into.Length), into.Length).CopyTo(into);

    public void Write(long offset, ReadOnlySpan<byte> bytes) => bytes.CopyTo(new Span<byte>(At(offset, bytes.Length), bytes.Length));

    /// <summary>Copies <paramref name="count"/> bytes within the mapping.</summary>
    public void Copy(long from, long to, long count) =>
        new ReadOnlySpan<byte>(At(from, count), (int)count).CopyTo(new Span<byte>(At(to, count), (int)count));

    public ulong ReadUInt64Volatile(long offset) => Volatile.Read(ref *(ulong*)At(offset, 8));

    /// <summary>A store that no earlier store passes (x86 is TSO; this also keeps the JIT from reordering).</summary>
    public void WriteUInt64Volatile(long offset, ulong value) => Volatile.Write(ref *(ulong*)At(offset, 8), value);

    public void Dispose()
    {
        if (_address == 0)
            return;
        LibcMemoryApi.munmap(_address, (nuint)Length);
        _address = 0;
    }
}
