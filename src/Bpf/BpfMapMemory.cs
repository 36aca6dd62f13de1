using Kecleon.Interop;

namespace Kecleon.Bpf;

/// <summary>
/// The value memory of an mmapable array map (<c>BPF_F_MMAPABLE</c>: libbpf gives one to each of an object's global-data
/// sections), mapped shared into this process: what user space writes here a BPF program reads on its next load, with no
/// <c>bpf()</c> call (so no guard hook sees it). Offsets are bytes from the first element's value.
/// </summary>
public sealed class BpfMapMemory : IDisposable
{
    private readonly SharedMapping _mapping;

    private BpfMapMemory(SharedMapping mapping) => _mapping = mapping;

    /// <summary>Bytes mapped: every element's value.</summary>
    public long Length => _mapping.Length;

    /// <summary>Maps <paramref name="map"/>'s values read-write; refused when the map is not an mmapable array.</summary>
    public static BpfMapMemory Map(BpfMapAccess map)
    {
        if (map.Type != BpfMapType.Array)
            throw new BpfException($"map {map.Name}", Errno.EINVAL, "only an array map can be mapped into memory");
        var length = (long)map.ValueSize * map.MaxEntries;
        var mapping = SharedMapping.Map(map.Fd, length, out var errno)
                      ?? throw BpfException.FromErrno($"mmap map {map.Name} ({length} bytes; it must have been created BPF_F_MMAPABLE)", errno);
        return new BpfMapMemory(mapping);
    }

    public void Read(long offset, Span<byte> into) => _mapping.Read(offset, into);
    public void Write(long offset, ReadOnlySpan<byte> bytes) => _mapping.Write(offset, bytes);
    public void Copy(long from, long to, long count) => _mapping.Copy(from, to, count);
    public ulong ReadUInt64(long offset) => _mapping.ReadUInt64Volatile(offset);

    /// <summary>An ordered 8-byte store: every store this thread made before it is visible to a BPF program that sees it.</summary>
    public void WriteUInt64(long offset, ulong value) => _mapping.WriteUInt64Volatile(offset, value);

    /// <summary>Returns after an RCU grace period: every BPF program run (XDP, TC, <c>BPF_PROG_TEST_RUN</c>: each runs
    /// inside an RCU read-side section) that started before the call has finished. <c>membarrier(MEMBARRIER_CMD_GLOBAL)</c>.</summary>
    public static void WaitForRunningPrograms()
    {
        if (LibcMemoryApi.MembarrierGlobal() != 0)
            throw BpfException.FromErrno("membarrier(MEMBARRIER_CMD_GLOBAL)", System.Runtime.InteropServices.Marshal.GetLastPInvokeError());
    }

    public void Dispose() => _mapping.Dispose();
}
