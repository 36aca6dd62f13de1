using System.Runtime.InteropServices;

namespace Kecleon.Interop;

/// <summary>Native memory a native library reads or writes beyond one call (an ELF image libbpf keeps until load, a
/// verifier log buffer). The caller owns the address and frees it with <see cref="Free"/>.</summary>
internal static unsafe class NativeBuffer
{
    /// <summary>A copy of <paramref name="bytes"/> in native memory.</summary>
    public static nint Copy(ReadOnlySpan<byte> bytes)
    {
        var buffer = NativeMemory.Alloc((nuint)bytes.Length);
        bytes.CopyTo(new Span<byte>(buffer, bytes.Length));
        return (nint)buffer;
    }

    /// <summary>Room for a NUL-terminated string of up to <paramref name="size"/> bytes, empty to start with.</summary>
    public static nint AllocateString(int size)
    {
        var buffer = (byte*)NativeMemory.Alloc((nuint)size);
        *buffer = 0;
        return (nint)buffer;
    }

    public static void Free(nint buffer) => NativeMemory.Free((void*)buffer);
}
