namespace Kecleon.Interop;

// The program query behind tcx hooks (BPF_PROG_QUERY on an ifindex with BPF_TCX_INGRESS/EGRESS).
internal static unsafe partial class LibbpfApi
{
    [System.Runtime.InteropServices.LibraryImport(Lib)]
    private static partial int bpf_prog_query(int targetFd, int attachType, uint queryFlags, uint* attachFlags, uint* programIds, uint* programCount);

    /// <summary>Fills <paramref name="programIds"/> with the programs attached to the target, and gives how many there
    /// are (which may be more than the span holds: the kernel then answers ENOSPC).</summary>
    public static int bpf_prog_query(int target, int attachType, Span<uint> programIds, out uint count)
    {
        uint flags = 0, n = (uint)programIds.Length;
        int rc;
        fixed (uint* ids = programIds)
            rc = bpf_prog_query(target, attachType, 0, &flags, ids, &n);
        count = n;
        return rc;
    }
}
