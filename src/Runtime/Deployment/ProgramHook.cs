using Kecleon.Bpf;

namespace Kecleon.Runtime.Deployment;

/// <summary>A program in the kernel: an fd we hold and its id.</summary>
public readonly record struct ProgramRef(int Fd, uint Id)
{
    public static ProgramRef Of(int fd) => new(fd, BpfProgramInfo.FromFd(fd).Id);
    public override string ToString() => $"program {Id}";
}

/// <summary>How a program is attached, and so how it is swapped.</summary>
public enum HookKind
{
    /// <summary>An XDP <c>bpf_link</c>: swapped by <c>BPF_LINK_UPDATE</c> with <c>BPF_F_REPLACE</c>.</summary>
    XdpLink,
    /// <summary>XDP attached by netlink: swapped by <c>bpf_xdp_attach</c> with <c>XDP_FLAGS_REPLACE</c>.</summary>
    XdpNetlink,
    /// <summary>A slot of a <c>PROG_ARRAY</c> some dispatcher tail-calls: swapped by a map update.</summary>
    ProgramArraySlot,
    /// <summary>A tcx <c>bpf_link</c> (TC ingress or egress): swapped by <c>BPF_LINK_UPDATE</c> with <c>BPF_F_REPLACE</c>.</summary>
    TcxLink,
    /// <summary>A cls_bpf filter under a clsact qdisc (<c>tc filter … bpf da</c>): swapped by replacing the filter in
    /// place (rtnetlink <c>RTM_NEWTFILTER</c> with <c>NLM_F_REPLACE</c>, same handle and priority).</summary>
    TcFilter,
}

/// <summary>
/// Where a program runs from, able to swap it atomically: every packet runs either the old or the new program, never
/// neither. <see cref="Replace"/> names the program it expects on the hook; if another one is there (someone else swapped
/// meanwhile) it throws <see cref="ReplaceConflictException"/> and changes nothing.
/// </summary>
public abstract class ProgramHook : IDisposable
{
    public abstract HookKind Kind { get; }

    /// <summary>For reports: <c>XDP bpf_link 12 on veth0</c>, <c>TC ingress on eth0 (tcx link 12)</c>.</summary>
    public abstract string Description { get; }

    /// <summary>A name for what the hook is, usable as a folder name: <c>xdp-veth0</c>; a hook in another network
    /// namespace ends with <c>@</c> and the namespace (<see cref="NetNamespace.KeyName"/>).</summary>
    public abstract string Key { get; }

    /// <summary>The program type the hook runs.</summary>
    public virtual BpfProgramType ProgramType => BpfProgramType.Xdp;

    /// <summary>The program on the hook now (0 if none).</summary>
    public abstract uint CurrentProgramId();

    /// <summary>Atomically replaces <paramref name="expected"/> by <paramref name="replacement"/>.</summary>
    public abstract void Replace(ProgramRef expected, ProgramRef replacement);

    public virtual void Dispose() => GC.SuppressFinalize(this);

    public override string ToString() => Description;

    /// <summary>The folder-name suffix of a hook in <paramref name="ns"/>: none for Kecleon's own namespace (so its keys
    /// stay <c>xdp-IFACE</c>).</summary>
    internal static string KeySuffix(NetNamespace ns) => ns.IsCurrent ? "" : "@" + ns.KeyName;

    /// <summary>
    /// The hook running <paramref name="programId"/>: its XDP or tcx link, else a netlink XDP attachment or a cls_bpf
    /// filter on some interface, searched in <paramref name="only"/> or in every network namespace (the current one, the
    /// named ones, those of running processes); else null (PROG_ARRAY slots are not searched: name the map and slot
    /// with <see cref="ProgramArraySlotHook"/>; <see cref="HookFinder.Unsupported"/> says why a program was not found).
    /// </summary>
    public static ProgramHook? Find(uint programId, NetNamespace? only = null) => HookFinder.Find(programId, only);

    /// <summary>The XDP hook of an interface: its XDP link if there is one, else its netlink attachment if a program is
    /// attached, else null.</summary>
    public static ProgramHook? ForInterface(int ifindex, NetNamespace? ns = null) => HookFinder.XdpOf(ifindex, ns ?? NetNamespace.Current);

    /// <summary>Every TC hook of an interface in one direction that runs a program: its tcx links and its cls_bpf filters.</summary>
    public static IReadOnlyList<ProgramHook> ForTc(int ifindex, TcDirection direction, NetNamespace? ns = null) =>
        HookFinder.TcOf(ifindex, direction, ns ?? NetNamespace.Current);
}

/// <summary>
/// A <c>bpf_link</c> on an interface (XDP or tcx), ours or found by id. <see cref="Replace"/> is <c>BPF_LINK_UPDATE</c>
/// with <c>BPF_F_REPLACE</c>, which the kernel does as a compare-and-swap. Disposing closes our fd only: a link stays
/// attached while any fd or pin holds it.
/// </summary>
public abstract class InterfaceLinkHook : ProgramHook
{
    private readonly BpfFd _link;

    private protected InterfaceLinkHook(BpfFd link, BpfLinkInfo info, int ifindex, NetNamespace? ns)
    {
        _link = link;
        Namespace = ns ?? NetNamespace.Current;
        LinkId = info.Id;
        InterfaceIndex = ifindex;
        Interface = Namespace.Run(() => BpfXdp.InterfaceName(InterfaceIndex));
    }

    public uint LinkId { get; }
    public int InterfaceIndex { get; }
    public string Interface { get; }
    public NetNamespace Namespace { get; }
    public int Fd => _link.Value;

    /// <summary>The interface the link info names now (0 once the interface is gone).</summary>
    private protected abstract int LinkedInterface(BpfLinkInfo info);

    /// <summary>The program on the link; throws when the link is detached (its interface was removed).</summary>
    public override uint CurrentProgramId()
    {
        var info = BpfLinkInfo.FromFd(_link.Value);
        return LinkedInterface(info) != 0 ? info.ProgramId : throw Detached();
    }

    public override void Replace(ProgramRef expected, ProgramRef replacement)
    {
        try
        {
            BpfXdp.UpdateLink(_link.Value, replacement.Fd, (expected.Fd, expected.Id), $"update {Description}");
        }
        catch (BpfException e) when (e.ErrorNumber == ENOLINK)
        {
            throw Detached();
        }
    }

    private const int ENOLINK = 67;

    private KecleonException Detached() =>
        new($"{Description} is detached: the interface {Interface} is gone. Kecleon reopens the target when it is back");

    /// <summary>Pins the link: it then outlives this process (and keeps its program attached) until the pin is removed.</summary>
    public void Pin(string path) => BpfFd.Pin(_link.Value, path);

    public override void Dispose()
    {
        _link.Dispose();
        base.Dispose();
    }
}

/// <summary>An XDP <c>bpf_link</c>.</summary>
public sealed class XdpLinkHook : InterfaceLinkHook
{
    public XdpLinkHook(BpfFd link, NetNamespace? ns = null) : this(link, BpfLinkInfo.FromFd(link.Value), ns)
    {
    }

    private XdpLinkHook(BpfFd link, BpfLinkInfo info, NetNamespace? ns)
        : base(link, info.Type == BpfLinkType.Xdp ? info : throw new KecleonException($"link {info.Id} is a {info.Type} link, not an XDP link"),
            info.XdpInterfaceIndex, ns)
    {
    }

    /// <summary>Attaches <paramref name="programFd"/> to the interface with a new link.</summary>
    public static XdpLinkHook Create(int programFd, int ifindex, NetNamespace? ns = null) =>
        new((ns ?? NetNamespace.Current).Run(() => BpfXdp.CreateLink(programFd, ifindex)), ns);

    public static XdpLinkHook OpenPinned(string path, NetNamespace? ns = null) => new(BpfFd.OpenPinned(path), ns);

    internal static XdpLinkHook? TryOpen(uint linkId, Func<BpfLinkInfo, bool> match, NetNamespace? ns = null) =>
        LinkHooks.TryOpen(linkId, info => info.Type == BpfLinkType.Xdp && match(info), fd => new XdpLinkHook(fd, ns));

    public override HookKind Kind => HookKind.XdpLink;
    public override string Description => $"XDP bpf_link {LinkId} on {Interface}{Namespace.InSuffix}";
    public override string Key => $"xdp-{Interface}{KeySuffix(Namespace)}";

    private protected override int LinkedInterface(BpfLinkInfo info) => info.XdpInterfaceIndex;
}

/// <summary>A tcx <c>bpf_link</c> (kernel 6.6 and later): a SCHED_CLS program on an interface's TC ingress or egress,
/// in the tcx chain.</summary>
public sealed class TcxLinkHook : InterfaceLinkHook
{
    public TcxLinkHook(BpfFd link, NetNamespace? ns = null) : this(link, BpfLinkInfo.FromFd(link.Value), ns)
    {
    }

    private TcxLinkHook(BpfFd link, BpfLinkInfo info, NetNamespace? ns)
        : base(link, info.Type == BpfLinkType.Tcx && BpfTc.DirectionOf(info.AttachType) is not null
            ? info : throw new KecleonException($"link {info.Id} is a {info.Type} link, not a tcx link"), info.InterfaceIndex, ns) =>
        Direction = BpfTc.DirectionOf(info.AttachType)!.Value;

    /// <summary>Attaches <paramref name="programFd"/> to the interface's tcx hook with a new link.</summary>
    public static TcxLinkHook Create(int programFd, int ifindex, TcDirection direction, NetNamespace? ns = null) =>
        new((ns ?? NetNamespace.Current).Run(() => BpfTc.CreateTcxLink(programFd, ifindex, direction)), ns);

    public static TcxLinkHook OpenPinned(string path, NetNamespace? ns = null) => new(BpfFd.OpenPinned(path), ns);

    internal static TcxLinkHook? TryOpen(uint linkId, Func<BpfLinkInfo, bool> match, NetNamespace? ns = null) =>
        LinkHooks.TryOpen(linkId, info => info.Type == BpfLinkType.Tcx && match(info), fd => new TcxLinkHook(fd, ns));

    public TcDirection Direction { get; }

    public override HookKind Kind => HookKind.TcxLink;
    public override BpfProgramType ProgramType => BpfProgramType.SchedCls;
    public override string Description => $"TC {Direction.Name()} on {Interface}{Namespace.InSuffix} (tcx link {LinkId})";
    public override string Key => $"tcx-{Direction.Name()}-{Interface}-link{LinkId}{KeySuffix(Namespace)}";

    private protected override int LinkedInterface(BpfLinkInfo info) => info.InterfaceIndex;
}

/// <summary>
/// A cls_bpf filter in direct-action mode under an interface's clsact qdisc (<c>tc filter add dev IFACE ingress bpf da
/// obj f.o</c>), identified by direction, chain, priority and handle. <see cref="Replace"/> replaces the same filter in
/// place (rtnetlink, same handle, priority, protocol and flags): the kernel puts the new program in for packets at once,
/// but, as for a PROG_ARRAY slot, it has no compare-and-swap for a filter's program: Kecleon checks the filter, then
/// replaces it, so a writer racing between the two is not detected.
/// </summary>
public sealed class TcFilterHook : ProgramHook
{
    public TcFilterHook(ClsBpfFilter filter, NetNamespace? ns = null)
    {
        Namespace = ns ?? NetNamespace.Current;
        Filter = filter;
        Interface = Namespace.Run(() => BpfXdp.InterfaceName(filter.InterfaceIndex));
        if (!filter.DirectAction || filter.HasActions)
            throw new KecleonException($"program {filter.ProgramId} runs in a cls_bpf filter on {Interface}{Namespace.InSuffix} " +
                                       $"({filter.Direction.Name()}, pref {filter.Priority}) {(filter.HasActions ? "with TC actions" : "without direct-action")}: " +
                                       "not supported yet; Kecleon swaps cls_bpf filters in direct-action mode (`tc filter … bpf da`) without actions");
    }

    /// <summary>The filter as found (its program then).</summary>
    public ClsBpfFilter Filter { get; }
    public string Interface { get; }
    public NetNamespace Namespace { get; }

    public override HookKind Kind => HookKind.TcFilter;
    public override BpfProgramType ProgramType => BpfProgramType.SchedCls;
    public override string Description =>
        $"TC {Filter.Direction.Name()} on {Interface}{Namespace.InSuffix} (cls_bpf filter pref {Filter.Priority} handle 0x{Filter.Handle:x}" +
        (Filter.Chain != 0 ? $" chain {Filter.Chain}" : "") + ")";
    public override string Key =>
        $"tc-{Filter.Direction.Name()}-{Interface}-pref{Filter.Priority}-handle{Filter.Handle:x}" + (Filter.Chain != 0 ? $"-chain{Filter.Chain}" : "") + KeySuffix(Namespace);

    /// <summary>The filter's program now, or 0 when the filter is gone.</summary>
    public override uint CurrentProgramId() => Now()?.ProgramId ?? 0;

    private ClsBpfFilter? Now() => Namespace.Run(() => BpfTc.ClsBpfFilters(Filter.InterfaceIndex, Filter.Direction))
        .FirstOrDefault(f => f.Chain == Filter.Chain && f.Priority == Filter.Priority && f.Handle == Filter.Handle);

    public override void Replace(ProgramRef expected, ProgramRef replacement)
    {
        var now = Now();
        if (now?.ProgramId != expected.Id)
            throw new ReplaceConflictException($"replace {Description}", Errno.EEXIST, expected.Id, now?.ProgramId ?? 0);
        try
        {
            Namespace.Run(() => BpfTc.ReplaceClsBpf(now, replacement.Fd));
        }
        catch (BpfException e) when (e.ErrorNumber == Errno.ENOENT)
        {
            throw new ReplaceConflictException($"replace {Description}", e.ErrorNumber, expected.Id, 0);
        }
    }
}

/// <summary>Opening links found by id.</summary>
internal static class LinkHooks
{
    public static T? TryOpen<T>(uint linkId, Func<BpfLinkInfo, bool> match, Func<BpfFd, T> open) where T : ProgramHook
    {
        BpfFd fd;
        try
        {
            fd = BpfLinkInfo.OpenById(linkId);
        }
        catch (BpfException)
        {
            return null; // gone meanwhile
        }
        try
        {
            if (match(BpfLinkInfo.FromFd(fd.Value)))
                return open(fd);
        }
        catch (KecleonException)
        {
            // detached meanwhile
        }
        fd.Dispose();
        return null;
    }
}

/// <summary>A program attached to an interface by netlink. Replacing keeps the attachment's mode (native or generic).</summary>
public sealed class XdpNetlinkHook : ProgramHook
{
    public XdpNetlinkHook(int ifindex, XdpAttachMode mode, uint programId = 0, NetNamespace? ns = null)
    {
        Namespace = ns ?? NetNamespace.Current;
        InterfaceIndex = ifindex;
        Interface = Namespace.Run(() => BpfXdp.InterfaceName(ifindex));
        Mode = mode;
        ProgramId = programId;
    }

    /// <summary>The hook of the program attached to the interface now, or null (none, several modes at once, or the
    /// interface went away).</summary>
    internal static XdpNetlinkHook? TryOpen(int ifindex, NetNamespace? ns = null)
    {
        ns ??= NetNamespace.Current;
        uint id;
        XdpAttachMode mode;
        try
        {
            (id, mode) = ns.Run(() => BpfXdp.Query(ifindex));
        }
        catch (BpfException)
        {
            return null;
        }
        return id == 0 || mode is XdpAttachMode.Multiple or XdpAttachMode.None ? null : new XdpNetlinkHook(ifindex, mode, id, ns);
    }

    /// <summary>The program attached when the hook was found.</summary>
    public uint ProgramId { get; }

    public int InterfaceIndex { get; }
    public string Interface { get; }
    public NetNamespace Namespace { get; }
    public XdpAttachMode Mode { get; }

    private XdpFlags ModeFlags => Mode switch
    {
        XdpAttachMode.Generic => XdpFlags.SkbMode,
        XdpAttachMode.Hardware => XdpFlags.HardwareMode,
        _ => XdpFlags.DriverMode,
    };

    public override HookKind Kind => HookKind.XdpNetlink;
    public override string Description => $"XDP on {Interface}{Namespace.InSuffix} by netlink ({(Mode == XdpAttachMode.Generic ? "generic" : Mode.ToString().ToLowerInvariant())} mode)";
    public override string Key => $"xdp-{Interface}{KeySuffix(Namespace)}";

    public override uint CurrentProgramId() => Namespace.Run(() => BpfXdp.Query(InterfaceIndex).ProgramId);

    public override void Replace(ProgramRef expected, ProgramRef replacement) =>
        Namespace.Run(() => BpfXdp.Attach(InterfaceIndex, replacement.Fd, ModeFlags, (expected.Fd, expected.Id)));
}

/// <summary>
/// Slot <see cref="Index"/> of a <c>PROG_ARRAY</c> a dispatcher tail-calls. The update itself is atomic for packets, but
/// the kernel has no compare-and-swap for map elements: <see cref="Replace"/> checks the slot, then writes it, so a
/// writer racing between the two is not detected.
/// </summary>
public sealed class ProgramArraySlotHook(BpfLoadedMap map, uint index) : ProgramHook
{
    public BpfLoadedMap Map { get; } = map.Type == BpfMapType.ProgArray
        ? map : throw new KecleonException($"map {map.Name} (id {map.Id}) is a {map.Type} map, not a PROG_ARRAY");
    public uint Index { get; } = index;

    public override HookKind Kind => HookKind.ProgramArraySlot;
    public override string Description => $"slot {Index} of PROG_ARRAY {Map.Name} (map id {Map.Id})";
    public override string Key => $"progarray-{Map.Id}-{Index}";

    /// <summary>A PROG_ARRAY lookup from user space answers the program's id.</summary>
    public override uint CurrentProgramId() =>
        Map.Lookup(BitConverter.GetBytes(Index)) is { } value ? BitConverter.ToUInt32(value) : 0;

    public override void Replace(ProgramRef expected, ProgramRef replacement)
    {
        var found = CurrentProgramId();
        if (found != expected.Id)
            throw new ReplaceConflictException($"update {Description}", Errno.EEXIST, expected.Id, found);
        Map.Update(BitConverter.GetBytes(Index), BitConverter.GetBytes((uint)replacement.Fd));
    }

    public override void Dispose()
    {
        Map.Dispose();
        base.Dispose();
    }
}
