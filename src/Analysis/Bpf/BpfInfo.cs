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

    public static unsafe BpfProgramInfo FromFd(int fd)
    {
        // struct bpf_prog_info is 232 bytes in 6.x; the kernel accepts a larger zeroed buffer.
        var info = stackalloc byte[256];
        new Span<byte>(info, 256).Clear();
        var length = 256u;
        var rc = LibbpfApi.bpf_obj_get_info_by_fd(fd, info, &length);
        if (rc < 0)
            throw BpfException.FromErrno("read program info", -rc);
        var span = new ReadOnlySpan<byte>(info, 256);
        var mapCount = BinaryPrimitives.ReadUInt32LittleEndian(span[52..]);
        var mapIds = new uint[mapCount];
        if (mapCount > 0)
        {
            // Second call with room for the map ids (nr_map_ids at 52, map_ids pointer at 56).
            new Span<byte>(info, 256).Clear();
            fixed (uint* ids = mapIds)
            {
                *(uint*)(info + 52) = mapCount;
                *(ulong*)(info + 56) = (ulong)ids;
                length = 256u;
                rc = LibbpfApi.bpf_obj_get_info_by_fd(fd, info, &length);
            }
            if (rc < 0)
                throw BpfException.FromErrno("read program map ids", -rc);
            span = new ReadOnlySpan<byte>(info, 256);
        }
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
    public static unsafe byte[] XlatedInstructionsOf(int fd)
    {
        var info = stackalloc byte[256];
        new Span<byte>(info, 256).Clear();
        var length = 256u;
        var rc = LibbpfApi.bpf_obj_get_info_by_fd(fd, info, &length);
        if (rc < 0)
            throw BpfException.FromErrno("read program info", -rc);
        var bytes = new byte[*(uint*)(info + 20)];
        new Span<byte>(info, 256).Clear();
        fixed (byte* insns = bytes)
        {
            // xlated_prog_len at 20, xlated_prog_insns at 32.
            *(uint*)(info + 20) = (uint)bytes.Length;
            *(ulong*)(info + 32) = (ulong)insns;
            length = 256u;
            rc = LibbpfApi.bpf_obj_get_info_by_fd(fd, info, &length);
        }
        if (rc < 0)
            throw BpfException.FromErrno("read program instructions", -rc);
        return bytes;
    }

    /// <summary>The ids of every program loaded in the kernel now.</summary>
    public static unsafe IReadOnlyList<uint> LoadedIds()
    {
        var ids = new List<uint>();
        uint id = 0, next;
        while (LibbpfApi.bpf_prog_get_next_id(id, &next) == 0)
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
    public static unsafe BpfMapInfo FromFd(int fd)
    {
        var info = stackalloc byte[128];
        new Span<byte>(info, 128).Clear();
        var length = 128u;
        var rc = LibbpfApi.bpf_obj_get_info_by_fd(fd, info, &length);
        if (rc < 0)
            throw BpfException.FromErrno("read map info", -rc);
        var span = new ReadOnlySpan<byte>(info, 128);
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
