using System.Buffers.Binary;
using System.Text;
using Kecleon.Interop;

namespace Kecleon.Bpf;

/// <summary>What the kernel says about a loaded program (<c>struct bpf_prog_info</c>).</summary>
public sealed record BpfProgramInfo(
    uint Id, BpfProgramType Type, string Name, string Tag, uint XlatedBytes, uint JitedBytes, IReadOnlyList<uint> MapIds,
    ulong RunTimeNs, ulong RunCount, uint VerifiedInstructions, uint BtfId)
{
    /// <summary>BPF instructions after the verifier's rewrites (8 bytes each).</summary>
    public int XlatedInstructions => (int)(XlatedBytes / 8);

    /// <summary>struct bpf_prog_info is 232 bytes in 6.x; the kernel accepts a larger zeroed buffer.</summary>
    private const int InfoSize = 256;

    public static BpfProgramInfo FromFd(int fd)
    {
        Span<byte> span = stackalloc byte[InfoSize];
        Check(LibbpfApi.bpf_obj_get_info_by_fd(fd, span), "read program info");
        // Second call with room for the map ids (nr_map_ids at 52, map_ids pointer at 56).
        var mapIds = new uint[BinaryPrimitives.ReadUInt32LittleEndian(span[52..])];
        if (mapIds.Length > 0)
            Check(LibbpfApi.bpf_obj_get_info_by_fd<uint>(fd, span, mapIds, countAt: 52, pointerAt: 56), "read program map ids");
        return new BpfProgramInfo(
            Id: BinaryPrimitives.ReadUInt32LittleEndian(span[4..]),
            Type: (BpfProgramType)BinaryPrimitives.ReadUInt32LittleEndian(span),
            Name: CString(span.Slice(64, 16)),
            Tag: Convert.ToHexStringLower(span.Slice(8, 8)),
            XlatedBytes: BinaryPrimitives.ReadUInt32LittleEndian(span[20..]),
            JitedBytes: BinaryPrimitives.ReadUInt32LittleEndian(span[16..]),
            MapIds: mapIds,
            RunTimeNs: BinaryPrimitives.ReadUInt64LittleEndian(span[192..]),
            RunCount: BinaryPrimitives.ReadUInt64LittleEndian(span[200..]),
            VerifiedInstructions: BinaryPrimitives.ReadUInt32LittleEndian(span[216..]),
            BtfId: BinaryPrimitives.ReadUInt32LittleEndian(span[128..]));
    }

    /// <summary>The program's instructions after the verifier's rewrites, as the kernel dumps them: a map address loaded
    /// by <c>ld_imm64</c> shows as the map's id (src_reg <c>BPF_PSEUDO_MAP_FD</c> or <c>BPF_PSEUDO_MAP_VALUE</c>), a
    /// helper call's imm as its address relative to <c>__bpf_call_base</c>, a tail call as a call of helper 12.</summary>
    public static byte[] XlatedInstructionsOf(int fd)
    {
        Span<byte> info = stackalloc byte[InfoSize];
        Check(LibbpfApi.bpf_obj_get_info_by_fd(fd, info), "read program info");
        // xlated_prog_len at 20, xlated_prog_insns at 32.
        var bytes = new byte[BinaryPrimitives.ReadUInt32LittleEndian(info[20..])];
        Check(LibbpfApi.bpf_obj_get_info_by_fd<byte>(fd, info, bytes, countAt: 20, pointerAt: 32), "read program instructions");
        return bytes;
    }

    /// <summary>Throws for a failed <c>bpf_obj_get_info_by_fd</c>.</summary>
    internal static void Check(int rc, string what)
    {
        if (rc < 0)
            throw BpfException.FromErrno(what, -rc);
    }

    /// <summary>The ids of every program loaded in the kernel now.</summary>
    public static IReadOnlyList<uint> LoadedIds()
    {
        var ids = new List<uint>();
        uint id = 0;
        while (LibbpfApi.bpf_prog_get_next_id(id, out var next) == 0)
            ids.Add(id = next);
        return ids;
    }

    internal static string CString(ReadOnlySpan<byte> bytes)
    {
        var end = bytes.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? bytes : bytes[..end]);
    }
}

/// <summary>What the kernel says about a map (<c>struct bpf_map_info</c>).</summary>
public sealed record BpfMapInfo(uint Id, BpfMapType Type, string Name, uint KeySize, uint ValueSize, uint MaxEntries, BpfMapFlags Flags)
{
    public static BpfMapInfo FromFd(int fd)
    {
        Span<byte> span = stackalloc byte[128];
        BpfProgramInfo.Check(LibbpfApi.bpf_obj_get_info_by_fd(fd, span), "read map info");
        return new BpfMapInfo(
            Id: BinaryPrimitives.ReadUInt32LittleEndian(span[4..]),
            Type: (BpfMapType)BinaryPrimitives.ReadUInt32LittleEndian(span),
            Name: BpfProgramInfo.CString(span.Slice(24, 16)),
            KeySize: BinaryPrimitives.ReadUInt32LittleEndian(span[8..]),
            ValueSize: BinaryPrimitives.ReadUInt32LittleEndian(span[12..]),
            MaxEntries: BinaryPrimitives.ReadUInt32LittleEndian(span[16..]),
            Flags: (BpfMapFlags)BinaryPrimitives.ReadUInt32LittleEndian(span[20..]));
    }
}
