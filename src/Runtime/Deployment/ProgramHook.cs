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
}

/// <summary>
/// Where a program runs from, able to swap it atomically: every packet runs either the old or the new program, never
/// neither. <see cref="Replace"/> names the program it expects on the hook; if another one is there (someone else swapped
/// meanwhile) it throws <see cref="ReplaceConflictException"/> and changes nothing.
/// </summary>
public abstract class ProgramHook : IDisposable
{
    public abstract HookKind Kind { get; }

    /// <summary>For reports: <c>XDP bpf_link 12 on veth0</c>.</summary>
    public abstract string Description { get; }

    /// <summary>A name for what the hook is, usable as a folder name: <c>xdp-veth0</c>.</summary>
    public abstract string Key { get; }

    /// <summary>The program on the hook now (0 if none).</summary>
    public abstract uint CurrentProgramId();

    /// <summary>Atomically replaces <paramref name="expected"/> by <paramref name="replacement"/>.</summary>
    public abstract void Replace(ProgramRef expected, ProgramRef replacement);

    public virtual void Dispose() => GC.SuppressFinalize(this);

    public override string ToString() => Description;

    /// <summary>
    /// The hook running <paramref name="programId"/>: an XDP link, else a netlink XDP attachment on some interface, else
    /// null (PROG_ARRAY slots are not searched: name the map and slot with <see cref="ProgramArraySlotHook"/>).
    /// </summary>
    public static ProgramHook? Find(uint programId)
    {
        foreach (var id in BpfLinkInfo.LoadedIds())
            if (XdpLinkHook.TryOpen(id, l => l.ProgramId == programId && InOurNamespace(l)) is { } link)
                return link;
        foreach (var ifindex in InterfaceIndexes())
            if (XdpNetlinkHook.TryOpen(ifindex) is { } netlink && netlink.ProgramId == programId)
                return netlink;
        return null;
    }

    /// <summary>The XDP hook of an interface: its XDP link if there is one, else its netlink attachment if a program is
    /// attached, else null.</summary>
    public static ProgramHook? ForInterface(int ifindex)
    {
        foreach (var id in BpfLinkInfo.LoadedIds())
            if (XdpLinkHook.TryOpen(id, l => l.XdpInterfaceIndex == ifindex && InOurNamespace(l)) is { } link)
                return link;
        return XdpNetlinkHook.TryOpen(ifindex);
    }

    /// <summary>Link info gives an ifindex but not its network namespace, and every namespace numbers its own
    /// interfaces: the link is on our interface of that index only if that interface runs the link's program.</summary>
    private static bool InOurNamespace(BpfLinkInfo link)
    {
        try
        {
            return BpfXdp.Query(link.XdpInterfaceIndex).ProgramId == link.ProgramId;
        }
        catch (BpfException)
        {
            return false;
        }
    }

    /// <summary>The interfaces of our network namespace (ones removed while we look are skipped).</summary>
    private static IEnumerable<int> InterfaceIndexes()
    {
        var indexes = new List<int>();
        foreach (var dir in Directory.Exists("/sys/class/net") ? Directory.GetDirectories("/sys/class/net") : [])
        {
            try
            {
                indexes.Add(int.Parse(File.ReadAllText(Path.Combine(dir, "ifindex")).Trim(), System.Globalization.CultureInfo.InvariantCulture));
            }
            catch (IOException)
            {
            }
        }
        indexes.Sort();
        return indexes;
    }
}

/// <summary>An XDP <c>bpf_link</c> (ours or found by id). Disposing closes our fd only: a link stays attached while any
/// fd or pin holds it.</summary>
public sealed class XdpLinkHook : ProgramHook
{
    private readonly BpfFd _link;

    public XdpLinkHook(BpfFd link)
    {
        _link = link;
        var info = BpfLinkInfo.FromFd(link.Value);
        if (info.Type != BpfLinkType.Xdp)
            throw new KecleonException($"link {info.Id} is a {info.Type} link, not an XDP link");
        LinkId = info.Id;
        InterfaceIndex = info.XdpInterfaceIndex;
        Interface = BpfXdp.InterfaceName(InterfaceIndex);
    }

    /// <summary>Attaches <paramref name="program"/> to the interface with a new link.</summary>
    public static XdpLinkHook Create(int programFd, int ifindex) => new(BpfXdp.CreateLink(programFd, ifindex));

    public static XdpLinkHook OpenPinned(string path) => new(BpfFd.OpenPinned(path));

    internal static XdpLinkHook? TryOpen(uint linkId, Func<BpfLinkInfo, bool> match)
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
            var info = BpfLinkInfo.FromFd(fd.Value);
            if (info.Type == BpfLinkType.Xdp && match(info))
                return new XdpLinkHook(fd);
        }
        catch (KecleonException)
        {
            // detached meanwhile
        }
        fd.Dispose();
        return null;
    }

    public uint LinkId { get; }
    public int InterfaceIndex { get; }
    public string Interface { get; }
    public int Fd => _link.Value;

    public override HookKind Kind => HookKind.XdpLink;
    public override string Description => $"XDP bpf_link {LinkId} on {Interface}";
    public override string Key => $"xdp-{Interface}";

    /// <summary>The program on the link; throws when the link is detached (its interface was removed).</summary>
    public override uint CurrentProgramId()
    {
        var info = BpfLinkInfo.FromFd(_link.Value);
        return info.XdpInterfaceIndex != 0 ? info.ProgramId : throw Detached();
    }

    public override void Replace(ProgramRef expected, ProgramRef replacement)
    {
        try
        {
            BpfXdp.UpdateLink(_link.Value, replacement.Fd, (expected.Fd, expected.Id));
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

/// <summary>A program attached to an interface by netlink. Replacing keeps the attachment's mode (native or generic).</summary>
public sealed class XdpNetlinkHook : ProgramHook
{
    public XdpNetlinkHook(int ifindex, XdpAttachMode mode, uint programId = 0)
    {
        InterfaceIndex = ifindex;
        Interface = BpfXdp.InterfaceName(ifindex);
        Mode = mode;
        ProgramId = programId;
    }

    /// <summary>The hook of the program attached to the interface now, or null (none, several modes at once, or the
    /// interface went away).</summary>
    internal static XdpNetlinkHook? TryOpen(int ifindex)
    {
        uint id;
        XdpAttachMode mode;
        try
        {
            (id, mode) = BpfXdp.Query(ifindex);
        }
        catch (BpfException)
        {
            return null;
        }
        return id == 0 || mode is XdpAttachMode.Multiple or XdpAttachMode.None ? null : new XdpNetlinkHook(ifindex, mode, id);
    }

    /// <summary>The program attached when the hook was found.</summary>
    public uint ProgramId { get; }

    public int InterfaceIndex { get; }
    public string Interface { get; }
    public XdpAttachMode Mode { get; }

    private XdpFlags ModeFlags => Mode switch
    {
        XdpAttachMode.Generic => XdpFlags.SkbMode,
        XdpAttachMode.Hardware => XdpFlags.HardwareMode,
        _ => XdpFlags.DriverMode,
    };

    public override HookKind Kind => HookKind.XdpNetlink;
    public override string Description => $"XDP on {Interface} by netlink ({(Mode == XdpAttachMode.Generic ? "generic" : Mode.ToString().ToLowerInvariant())} mode)";
    public override string Key => $"xdp-{Interface}";

    public override uint CurrentProgramId() => BpfXdp.Query(InterfaceIndex).ProgramId;

    public override void Replace(ProgramRef expected, ProgramRef replacement) =>
        BpfXdp.Attach(InterfaceIndex, replacement.Fd, ModeFlags, (expected.Fd, expected.Id));
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
