using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using Kecleon.Interop;

namespace Kecleon.Bpf;

/// <summary>Which way a TC program sees packets: the clsact qdisc's ingress or egress, or a tcx link's attach type.</summary>
public enum TcDirection { Ingress, Egress }

/// <summary>
/// A cls_bpf filter under a clsact qdisc (what <c>tc filter add dev IFACE ingress bpf da obj f.o</c> makes): identified
/// by interface, direction, chain, priority (tc's <c>pref</c>) and handle. <see cref="Protocol"/> is in network order
/// as netlink carries it (<c>ETH_P_ALL</c> is 0x0300).
/// </summary>
public sealed record ClsBpfFilter(
    int InterfaceIndex, TcDirection Direction, uint Chain, ushort Priority, uint Handle, ushort Protocol, uint ProgramId,
    string? Name, bool DirectAction, uint ClassId, uint GenericFlags, bool HasActions);

/// <summary>
/// TC attachment: cls_bpf filters by rtnetlink (a dump of the clsact qdisc's filters, a replace of one filter in place)
/// and tcx links (<c>BPF_LINK_CREATE</c> with <c>BPF_TCX_INGRESS</c>/<c>EGRESS</c>, <c>BPF_PROG_QUERY</c>). Netlink
/// and ifindexes mean the calling thread's network namespace (<see cref="NetNamespace.Run{T}"/>).
/// </summary>
public static class BpfTc
{
    public const int AttachTypeTcxIngress = 46, AttachTypeTcxEgress = 47; // BPF_TCX_INGRESS, BPF_TCX_EGRESS

    public static int AttachType(TcDirection direction) => direction == TcDirection.Ingress ? AttachTypeTcxIngress : AttachTypeTcxEgress;

    public static TcDirection? DirectionOf(uint attachType) => attachType switch
    {
        AttachTypeTcxIngress => TcDirection.Ingress,
        AttachTypeTcxEgress => TcDirection.Egress,
        _ => null,
    };

    public static string Name(this TcDirection direction) => direction == TcDirection.Ingress ? "ingress" : "egress";

    public static TcDirection ParseDirection(string text) => text switch
    {
        "ingress" => TcDirection.Ingress,
        "egress" => TcDirection.Egress,
        _ => throw new UsageException($"'{text}' is not a TC direction: give ingress or egress"),
    };

    // --- tcx -------------------------------------------------------------------------------------------------------

    /// <summary>Attaches a SCHED_CLS program to the interface with a new tcx link (appended after the programs there);
    /// the returned fd owns the link.</summary>
    public static BpfFd CreateTcxLink(int programFd, int ifindex, TcDirection direction)
    {
        var fd = LibbpfApi.bpf_link_create(programFd, ifindex, AttachType(direction));
        return fd >= 0 ? new BpfFd(fd) : throw BpfException.FromErrno($"create tcx {direction.Name()} link on {BpfXdp.InterfaceName(ifindex)}", -fd);
    }

    /// <summary>The programs on the interface's tcx hook (links and tcx attachments by BPF_PROG_ATTACH), in run order.</summary>
    public static IReadOnlyList<uint> TcxProgramIds(int ifindex, TcDirection direction)
    {
        Span<uint> ids = stackalloc uint[64];
        var rc = LibbpfApi.bpf_prog_query(ifindex, AttachType(direction), ids, out var count);
        if (rc < 0)
            throw BpfException.FromErrno($"query tcx {direction.Name()} programs of {BpfXdp.InterfaceName(ifindex)}", -rc);
        return ids[..(int)Math.Min(count, (uint)ids.Length)].ToArray();
    }

    // --- cls_bpf by rtnetlink --------------------------------------------------------------------------------------

    private const ushort RtmNewTFilter = 44, RtmGetTFilter = 46, NlmsgError = 2, NlmsgDone = 3;
    private const ushort NlmFRequest = 1, NlmFAck = 4, NlmFDump = 0x300, NlmFReplace = 0x100;
    private const ushort TcaKind = 1, TcaOptions = 2, TcaChain = 11;
    private const ushort TcaBpfAct = 1, TcaBpfPolice = 2, TcaBpfClassId = 3, TcaBpfFd = 6, TcaBpfName = 7, TcaBpfFlags = 8, TcaBpfFlagsGen = 9, TcaBpfId = 11;
    private const uint TcaBpfFlagActDirect = 1;
    /// <summary>The flags a request may set (skip_hw, skip_sw); the dump adds state (in_hw, not_in_hw).</summary>
    private const uint SettableGenericFlags = 0x3;
    private const int NlmsgHeader = 16, TcmsgSize = 20;

    /// <summary>TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_INGRESS / TC_H_MIN_EGRESS).</summary>
    public static uint ClsactParent(TcDirection direction) => direction == TcDirection.Ingress ? 0xFFFFFFF2u : 0xFFFFFFF3u;

    /// <summary>The cls_bpf filters under the interface's clsact qdisc in that direction (none when it has no clsact).</summary>
    public static IReadOnlyList<ClsBpfFilter> ClsBpfFilters(int ifindex, TcDirection direction)
    {
        var request = new NetlinkMessage(RtmGetTFilter, NlmFRequest | NlmFDump);
        request.Tcmsg(ifindex, 0, ClsactParent(direction), 0);
        var filters = new List<ClsBpfFilter>();
        try
        {
            Exchange(request, $"list TC {direction.Name()} filters of {BpfXdp.InterfaceName(ifindex)}", (type, message) =>
            {
                if (type == RtmNewTFilter && ParseFilter(message, direction) is { } filter)
                    filters.Add(filter);
            });
        }
        catch (BpfException e) when (e.ErrorNumber is Errno.EINVAL or Errno.ENOENT)
        {
            return []; // no clsact qdisc
        }
        return filters;
    }

    /// <summary>
    /// Puts <paramref name="programFd"/> in place of the program of <paramref name="filter"/> (same chain, priority,
    /// handle, protocol, direct-action, class id and skip flags; the name it has now). The kernel swaps the filter's
    /// program for packets at once, but has no compare-and-swap for it: callers check the filter first.
    /// Without the filter (removed meanwhile) nothing is created: ENOENT.
    /// </summary>
    public static void ReplaceClsBpf(ClsBpfFilter filter, int programFd)
    {
        var request = new NetlinkMessage(RtmNewTFilter, NlmFRequest | NlmFAck | NlmFReplace);
        request.Tcmsg(filter.InterfaceIndex, filter.Handle, ClsactParent(filter.Direction), ((uint)filter.Priority << 16) | filter.Protocol);
        request.AttributeString(TcaKind, "bpf");
        if (filter.Chain != 0)
            request.AttributeU32(TcaChain, filter.Chain);
        var options = request.BeginNested(TcaOptions);
        request.AttributeU32(TcaBpfFd, (uint)programFd);
        if (filter.Name is { } name)
            request.AttributeString(TcaBpfName, name);
        if (filter.DirectAction)
            request.AttributeU32(TcaBpfFlags, TcaBpfFlagActDirect);
        if ((filter.GenericFlags & SettableGenericFlags) != 0)
            request.AttributeU32(TcaBpfFlagsGen, filter.GenericFlags & SettableGenericFlags);
        if (filter.ClassId != 0)
            request.AttributeU32(TcaBpfClassId, filter.ClassId);
        request.EndNested(options);
        Exchange(request, $"replace TC {filter.Direction.Name()} filter pref {filter.Priority} handle 0x{filter.Handle:x} on {BpfXdp.InterfaceName(filter.InterfaceIndex)}",
            (_, _) => { });
    }

    private static ClsBpfFilter? ParseFilter(ReadOnlySpan<byte> message, TcDirection direction)
    {
        if (message.Length < NlmsgHeader + TcmsgSize)
            return null;
        var tcmsg = message[NlmsgHeader..];
        var ifindex = BinaryPrimitives.ReadInt32LittleEndian(tcmsg[4..]);
        var handle = BinaryPrimitives.ReadUInt32LittleEndian(tcmsg[8..]);
        var info = BinaryPrimitives.ReadUInt32LittleEndian(tcmsg[16..]);
        string? kind = null;
        uint chain = 0;
        ReadOnlySpan<byte> options = default;
        foreach (var (type, payload) in Attributes(message[(NlmsgHeader + TcmsgSize)..]))
        {
            switch (type)
            {
                case TcaKind: kind = CString(payload); break;
                case TcaChain when payload.Length >= 4: chain = BinaryPrimitives.ReadUInt32LittleEndian(payload); break;
                case TcaOptions: options = payload; break;
            }
        }
        if (kind != "bpf" || options.IsEmpty)
            return null;
        uint id = 0, flags = 0, generic = 0, classId = 0;
        string? name = null;
        var actions = false;
        foreach (var (type, payload) in Attributes(options))
        {
            switch (type)
            {
                case TcaBpfId when payload.Length >= 4: id = BinaryPrimitives.ReadUInt32LittleEndian(payload); break;
                case TcaBpfFlags when payload.Length >= 4: flags = BinaryPrimitives.ReadUInt32LittleEndian(payload); break;
                case TcaBpfFlagsGen when payload.Length >= 4: generic = BinaryPrimitives.ReadUInt32LittleEndian(payload); break;
                case TcaBpfClassId when payload.Length >= 4: classId = BinaryPrimitives.ReadUInt32LittleEndian(payload); break;
                case TcaBpfName: name = CString(payload); break;
                case TcaBpfAct or TcaBpfPolice: actions = true; break;
            }
        }
        return id == 0 ? null : new ClsBpfFilter(ifindex, direction, chain, (ushort)(info >> 16), handle, (ushort)info, id, name,
            (flags & TcaBpfFlagActDirect) != 0, classId, generic, actions);
    }

    /// <summary>Netlink attributes (<c>struct nlattr</c>: u16 length, u16 type, payload, padded to 4); the nested and
    /// byte-order flag bits are dropped from the type.</summary>
    private static List<(ushort Type, byte[] Payload)> Attributes(ReadOnlySpan<byte> data)
    {
        var list = new List<(ushort, byte[])>();
        while (data.Length >= 4)
        {
            var length = BinaryPrimitives.ReadUInt16LittleEndian(data);
            if (length < 4 || length > data.Length)
                break;
            list.Add(((ushort)(BinaryPrimitives.ReadUInt16LittleEndian(data[2..]) & 0x3fff), data[4..length].ToArray()));
            var aligned = (length + 3) & ~3;
            data = aligned >= data.Length ? default : data[aligned..];
        }
        return list;
    }

    private static string CString(ReadOnlySpan<byte> bytes)
    {
        var end = bytes.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? bytes : bytes[..end]);
    }

    /// <summary>Sends one request on a new NETLINK_ROUTE socket and reads the answer to the end (NLMSG_DONE, or the
    /// acknowledgement), handing each message to <paramref name="onMessage"/>; an error the kernel answers throws.</summary>
    private static void Exchange(NetlinkMessage request, string operation, Action<ushort, byte[]> onMessage)
    {
        var fd = LibcNetApi.socket(LibcNetApi.AfNetlink, LibcNetApi.SockRaw | LibcNetApi.SockCloExec, LibcNetApi.NetlinkRoute);
        if (fd < 0)
            throw BpfException.FromErrno($"{operation}: open a netlink socket", Marshal.GetLastPInvokeError());
        try
        {
            var bytes = request.ToArray();
            if (LibcNetApi.Send(fd, bytes) != bytes.Length)
                throw BpfException.FromErrno($"{operation}: send the netlink request", Marshal.GetLastPInvokeError());
            var buffer = new byte[1 << 16];
            while (true)
            {
                var received = LibcNetApi.Receive(fd, buffer);
                if (received < 0)
                    throw BpfException.FromErrno($"{operation}: read the netlink answer", Marshal.GetLastPInvokeError());
                var data = buffer.AsSpan(0, (int)received);
                while (data.Length >= NlmsgHeader)
                {
                    var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(data);
                    if (length < NlmsgHeader || length > data.Length)
                        break;
                    var type = BinaryPrimitives.ReadUInt16LittleEndian(data[4..]);
                    if (type == NlmsgDone)
                        return;
                    if (type == NlmsgError)
                    {
                        var error = -BinaryPrimitives.ReadInt32LittleEndian(data[NlmsgHeader..]);
                        if (error == 0)
                            return; // the acknowledgement
                        throw BpfException.FromErrno(operation, error);
                    }
                    onMessage(type, data[..length].ToArray());
                    var aligned = (length + 3) & ~3;
                    data = aligned >= data.Length ? default : data[aligned..];
                }
            }
        }
        finally
        {
            LibcNetApi.close(fd);
        }
    }

    /// <summary>An rtnetlink request being built: <c>nlmsghdr</c>, <c>tcmsg</c>, attributes.</summary>
    private sealed class NetlinkMessage
    {
        private readonly List<byte> _bytes = [];

        public NetlinkMessage(ushort type, ushort flags)
        {
            U32(0); // length, set last
            U16(type);
            U16(flags);
            U32(1); // sequence
            U32(0); // port id: the kernel fills it in
        }

        public void Tcmsg(int ifindex, uint handle, uint parent, uint info)
        {
            U32(0); // family AF_UNSPEC and padding
            U32((uint)ifindex);
            U32(handle);
            U32(parent);
            U32(info);
        }

        public void AttributeU32(ushort type, uint value)
        {
            U16(8);
            U16(type);
            U32(value);
        }

        public void AttributeString(ushort type, string value)
        {
            var bytes = Encoding.UTF8.GetBytes(value + "\0");
            U16((ushort)(4 + bytes.Length));
            U16(type);
            _bytes.AddRange(bytes);
            Pad();
        }

        public int BeginNested(ushort type)
        {
            var at = _bytes.Count;
            U16(0);
            U16((ushort)(type | 0x8000)); // NLA_F_NESTED
            return at;
        }

        public void EndNested(int at) => Set16(at, (ushort)(_bytes.Count - at));

        public byte[] ToArray()
        {
            var bytes = _bytes.ToArray();
            BinaryPrimitives.WriteUInt32LittleEndian(bytes, (uint)bytes.Length);
            return bytes;
        }

        private void Pad()
        {
            while (_bytes.Count % 4 != 0)
                _bytes.Add(0);
        }

        private void U16(ushort value)
        {
            _bytes.Add((byte)value);
            _bytes.Add((byte)(value >> 8));
        }

        private void U32(uint value)
        {
            U16((ushort)value);
            U16((ushort)(value >> 16));
        }

        private void Set16(int at, ushort value)
        {
            _bytes[at] = (byte)value;
            _bytes[at + 1] = (byte)(value >> 8);
        }
    }
}
