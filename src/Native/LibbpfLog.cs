using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace Kecleon.Interop;

/// <summary>
/// Routes libbpf's printf-style messages into managed code. Messages printed on a thread while a
/// <see cref="Capture"/> scope is open are collected there, so an exception can carry libbpf's explanation of a failure.
/// </summary>
internal static unsafe class LibbpfLog
{
    private const int Warn = 0, Info = 1;
    private static int _installed;

    [ThreadStatic] private static StringBuilder? _capture;

    /// <summary>Set KECLEON_LIBBPF_DEBUG=1 to see libbpf's info and debug messages on stderr.</summary>
    private static readonly bool Verbose = Environment.GetEnvironmentVariable("KECLEON_LIBBPF_DEBUG") is "1";

    public static void EnsureInstalled()
    {
        if (Interlocked.Exchange(ref _installed, 1) == 1)
            return;
        NativeLibraries.Load(NativeLibraries.Bpf);
        LibbpfApi.libbpf_set_print((nint)(delegate* unmanaged[Cdecl]<int, byte*, nint, int>)&Print);
    }

    public static Scope Capture()
    {
        EnsureInstalled();
        var outer = _capture;
        _capture = new StringBuilder();
        return new Scope(outer);
    }

    public readonly struct Scope(StringBuilder? outer) : IDisposable
    {
        public string Text => _capture?.ToString().Trim() ?? "";
        public void Dispose() => _capture = outer;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int Print(int level, byte* format, nint arguments)
    {
        if (level > Info && !Verbose)
            return 0;
        // On x86-64 a va_list parameter is a pointer to the register save area, so it can be handed on as is; it can be
        // consumed only once, hence one generous buffer.
        const int size = 64 * 1024;
        var buffer = (byte*)NativeMemory.Alloc(size);
        try
        {
            var written = LibbpfApi.vsnprintf(buffer, size, format, arguments);
            var text = Encoding.UTF8.GetString(buffer, Math.Clamp(written, 0, size - 1));
            if (_capture is not null && level <= Warn)
                _capture.Append(text);
            else if (Verbose)
                Console.Error.Write(text);
        }
        finally
        {
            NativeMemory.Free(buffer);
        }
        return 0;
    }
}
