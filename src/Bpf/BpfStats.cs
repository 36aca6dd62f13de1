using Kecleon.Interop;

namespace Kecleon.Bpf;

/// <summary>
/// The kernel's per-program run-time statistics (<c>run_time_ns</c>, <c>run_cnt</c> in the program info). They cost a
/// few ns per packet, so the kernel keeps them off unless asked: <see cref="Enable"/> turns them on for as long as the
/// returned handle is open (<c>BPF_ENABLE_STATS</c>), or they are on machine-wide through <c>kernel.bpf_stats_enabled</c>.
/// </summary>
public static class BpfStats
{
    private const int RunTime = 0; // BPF_STATS_RUN_TIME

    public static BpfFd Enable()
    {
        var fd = LibbpfApi.bpf_enable_stats(RunTime);
        return fd >= 0 ? new BpfFd(fd) : throw BpfException.FromErrno("enable BPF run-time statistics (BPF_ENABLE_STATS)", -fd);
    }

    /// <summary>The program's cumulative run time and run count now.</summary>
    public static (ulong RunTimeNs, ulong Runs) Read(int programFd)
    {
        var info = BpfProgramInfo.FromFd(programFd);
        return (info.RunTimeNs, info.RunCount);
    }

    /// <summary>ns per run between two readings, or null when the program did not run in between.</summary>
    public static double? NsPerRun((ulong RunTimeNs, ulong Runs) before, (ulong RunTimeNs, ulong Runs) after) =>
        after.Runs > before.Runs ? (double)(after.RunTimeNs - before.RunTimeNs) / (after.Runs - before.Runs) : null;
}
