using System.Runtime.InteropServices;

namespace Kecleon.Interop;

internal static unsafe partial class LibbpfApi
{
    /// <summary><c>BPF_ENABLE_STATS</c>: run-time statistics of every program stay on while the returned fd is open.</summary>
    [LibraryImport(Lib)] public static partial int bpf_enable_stats(int type);
}
