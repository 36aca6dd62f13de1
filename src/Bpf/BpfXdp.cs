using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Kecleon.Interop;

namespace Kecleon.Bpf;

/// <summary><c>XDP_FLAGS_*</c> for netlink attachment.</summary>
[Flags]
public enum XdpFlags : uint
{
    None = 0,
    UpdateIfNoExist = 1 << 0,
    SkbMode = 1 << 1,
    DriverMode = 1 << 2,
    HardwareMode = 1 << 3,
    Replace = 1 << 4,
}

/// <summary><c>XDP_ATTACHED_*</c>: how the program on an interface is attached.</summary>
public enum XdpAttachMode : byte { None = 0, Driver = 1, Generic = 2, Hardware = 3, Multiple = 4 }

/// <summary><c>enum bpf_link_type</c>.</summary>
public enum BpfLinkType : uint
{
    Unspec = 0, RawTracepoint = 1, Tracing = 2, Cgroup = 3, Iter = 4, Netns = 5, Xdp = 6, PerfEvent = 7, KprobeMulti = 8,
    StructOps = 9, Netfilter = 10, Tcx = 11, UprobeMulti = 12, Netkit = 13,
}

/// <summary>What the kernel says about a link (<c>struct bpf_link_info</c>): for an XDP, tcx or netkit link its interface
/// (<see cref="InterfaceIndex"/>, 0 once detached) and attach type; for a tracing link (an <c>freplace</c> extension,
/// say) the program it attaches to (<see cref="TargetProgramId"/>).</summary>
public sealed record BpfLinkInfo(uint Id, BpfLinkType Type, uint ProgramId, int InterfaceIndex, uint AttachType = 0, uint TargetProgramId = 0)
{
    /// <summary>The interface of an XDP link (0 for other links).</summary>
    public int XdpInterfaceIndex => Type == BpfLinkType.Xdp ? InterfaceIndex : 0;

    public static BpfLinkInfo FromFd(int fd)
    {
        Span<byte> span = stackalloc byte[128];
        BpfProgramInfo.Check(LibbpfApi.bpf_obj_get_info_by_fd(fd, span), "read link info");
        var type = (BpfLinkType)BinaryPrimitives.ReadUInt32LittleEndian(span);
        // The union after { type, id, prog_id } is 8-byte aligned: xdp.ifindex, tcx/netkit { ifindex, attach_type } and
        // tracing { attach_type, target_obj_id, target_btf_id } start at 16.
        var union = span[16..];
        var (ifindex, attachType, target) = type switch
        {
            BpfLinkType.Xdp => (BinaryPrimitives.ReadInt32LittleEndian(union), 37u, 0u),
            BpfLinkType.Tcx or BpfLinkType.Netkit => (BinaryPrimitives.ReadInt32LittleEndian(union), BinaryPrimitives.ReadUInt32LittleEndian(union[4..]), 0u),
            BpfLinkType.Tracing => (0, BinaryPrimitives.ReadUInt32LittleEndian(union), BinaryPrimitives.ReadUInt32LittleEndian(union[4..])),
            _ => (0, 0u, 0u),
        };
        return new BpfLinkInfo(BinaryPrimitives.ReadUInt32LittleEndian(span[4..]), type, BinaryPrimitives.ReadUInt32LittleEndian(span[8..]),
            ifindex, attachType, target);
    }

    /// <summary>The ids of every link in the kernel now.</summary>
    public static IReadOnlyList<uint> LoadedIds()
    {
        var ids = new List<uint>();
        uint id = 0;
        while (LibbpfApi.bpf_link_get_next_id(id, out var next) == 0)
            ids.Add(id = next);
        return ids;
    }

    public static BpfFd OpenById(uint id)
    {
        var fd = LibbpfApi.bpf_link_get_fd_by_id(id);
        return fd >= 0 ? new BpfFd(fd) : throw BpfException.FromErrno($"open link id {id}", -fd);
    }
}

/// <summary>XDP attachment: by netlink (<c>bpf_xdp_attach</c>) and by <c>bpf_link</c>, with atomic replace for both.</summary>
public static class BpfXdp
{
    private const int AttachTypeXdp = 37; // BPF_XDP
    private const uint LinkReplace = 1u << 2; // BPF_F_REPLACE

    public static int InterfaceIndex(string name)
    {
        var index = (int)LibbpfApi.if_nametoindex(name);
        return index > 0 ? index : throw new KecleonException($"no network interface named '{name}' (see `ip link`)");
    }

    /// <summary>The index of the interface named so in the calling thread's namespace, or 0.</summary>
    public static int TryInterfaceIndex(string name) => (int)LibbpfApi.if_nametoindex(name);

    public static string InterfaceName(int index) => LibbpfApi.if_indextoname((uint)index) ?? $"ifindex {index}";

    /// <summary>The interfaces of the calling thread's network namespace, by index.</summary>
    public static IReadOnlyList<(int Index, string Name)> Interfaces() =>
        LibcNetApi.InterfaceIndexes().OrderBy(i => i.Index).ToList();

    /// <summary>The program attached to the interface by netlink or by a link (0 if none), and how.</summary>
    public static (uint ProgramId, XdpAttachMode Mode) Query(int ifindex)
    {
        var rc = LibbpfApi.bpf_xdp_query(ifindex, 0, out var options);
        if (rc < 0)
            throw BpfException.FromErrno($"query XDP program of {InterfaceName(ifindex)}", -rc);
        var mode = (XdpAttachMode)options.AttachMode;
        var id = mode switch
        {
            XdpAttachMode.Driver => options.DriverProgramId,
            XdpAttachMode.Generic => options.SkbProgramId,
            XdpAttachMode.Hardware => options.HardwareProgramId,
            _ => options.ProgramId,
        };
        return (id, mode);
    }

    /// <summary>Attaches by netlink. With <paramref name="expectedOld"/>, atomically replaces exactly that program
    /// (<c>XDP_FLAGS_REPLACE</c>) and throws <see cref="ReplaceConflictException"/> if another one is attached.</summary>
    public static void Attach(int ifindex, int programFd, XdpFlags flags, (int Fd, uint Id)? expectedOld = null)
    {
        var oldProgramFd = 0;
        if (expectedOld is { } old)
        {
            flags |= XdpFlags.Replace;
            oldProgramFd = old.Fd;
        }
        var rc = LibbpfApi.bpf_xdp_attach(ifindex, programFd, (uint)flags, oldProgramFd);
        if (rc == 0)
            return;
        var operation = $"attach XDP program to {InterfaceName(ifindex)}";
        if (expectedOld is { } expected && rc == -Errno.EEXIST)
            throw new ReplaceConflictException(operation, -rc, expected.Id, TryQueryId(ifindex));
        throw BpfException.FromErrno(operation, -rc);
    }

    /// <summary>Detaches the netlink-attached program (only <paramref name="expectedOld"/>, if given).</summary>
    public static void Detach(int ifindex, XdpFlags flags, (int Fd, uint Id)? expectedOld = null)
    {
        var oldProgramFd = 0;
        if (expectedOld is { } old)
        {
            flags |= XdpFlags.Replace;
            oldProgramFd = old.Fd;
        }
        var rc = LibbpfApi.bpf_xdp_detach(ifindex, (uint)flags, oldProgramFd);
        if (rc == 0)
            return;
        var operation = $"detach XDP program from {InterfaceName(ifindex)}";
        if (expectedOld is { } expected && rc == -Errno.EEXIST)
            throw new ReplaceConflictException(operation, -rc, expected.Id, TryQueryId(ifindex));
        throw BpfException.FromErrno(operation, -rc);
    }

    /// <summary>Attaches by an XDP <c>bpf_link</c> (<c>BPF_LINK_CREATE</c>); the returned fd owns the link. Closing the
    /// last fd (and removing any pin) detaches.</summary>
    public static BpfFd CreateLink(int programFd, int ifindex)
    {
        var fd = LibbpfApi.bpf_link_create(programFd, ifindex, AttachTypeXdp);
        return fd >= 0 ? new BpfFd(fd) : throw BpfException.FromErrno($"create XDP link on {InterfaceName(ifindex)}", -fd);
    }

    /// <summary>Replaces a link's program atomically (<c>BPF_LINK_UPDATE</c>). With <paramref name="expectedOld"/>
    /// (<c>BPF_F_REPLACE</c>), only if the link still runs exactly that program: otherwise
    /// <see cref="ReplaceConflictException"/> (the kernel answers EPERM).</summary>
    public static void UpdateLink(int linkFd, int newProgramFd, (int Fd, uint Id)? expectedOld = null, string operation = "update XDP link")
    {
        var rc = expectedOld is { } old
            ? LibbpfApi.bpf_link_update(linkFd, newProgramFd, LinkReplace, (uint)old.Fd)
            : LibbpfApi.bpf_link_update(linkFd, newProgramFd, 0, 0);
        if (rc == 0)
            return;
        if (expectedOld is { } expected && rc == -Errno.EPERM)
        {
            uint? found = null;
            try
            {
                found = BpfLinkInfo.FromFd(linkFd).ProgramId;
            }
            catch (BpfException)
            {
            }
            if (found != expected.Id)
                throw new ReplaceConflictException(operation, -rc, expected.Id, found);
        }
        throw BpfException.FromErrno(operation, -rc);
    }

    private static uint? TryQueryId(int ifindex)
    {
        try
        {
            return Query(ifindex).ProgramId;
        }
        catch (BpfException)
        {
            return null;
        }
    }
}
