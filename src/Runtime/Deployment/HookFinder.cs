using System.Text;
using Kecleon.Bpf;

namespace Kecleon.Runtime.Deployment;

/// <summary>
/// Finds the hook that runs a program: XDP and tcx links first (their info gives an ifindex but not its network
/// namespace, and every namespace numbers its own interfaces: a link is on the interface of that index in the
/// namespace whose interface runs the link's program), then the netlink XDP attachments and cls_bpf filters of every
/// interface, namespace by namespace. Says by name why a program it recognises cannot be swapped.
/// </summary>
internal static class HookFinder
{
    public static ProgramHook? Find(uint programId, NetNamespace? only)
    {
        var spaces = new Lazy<IReadOnlyList<NetNamespace>>(() => only is null ? NetNamespace.All() : [only]);
        foreach (var info in Links().Where(l => l.ProgramId == programId && l.InterfaceIndex != 0))
        {
            var hook = info.Type switch
            {
                BpfLinkType.Xdp => spaces.Value.Where(ns => RunsXdp(ns, info.InterfaceIndex, programId))
                    .Select(ns => (ProgramHook?)XdpLinkHook.TryOpen(info.Id, l => l.ProgramId == programId, ns)).FirstOrDefault(h => h is not null),
                BpfLinkType.Tcx when BpfTc.DirectionOf(info.AttachType) is { } direction => spaces.Value
                    .Where(ns => RunsTcx(ns, info.InterfaceIndex, direction, programId))
                    .Select(ns => (ProgramHook?)TcxLinkHook.TryOpen(info.Id, l => l.ProgramId == programId, ns)).FirstOrDefault(h => h is not null),
                _ => null,
            };
            if (hook is not null)
                return hook;
        }
        foreach (var ns in spaces.Value)
        {
            List<Attachment> found;
            try
            {
                found = ns.Run(() => Attachments(programId));
            }
            catch (KecleonException)
            {
                continue; // the namespace went away, or cannot be entered
            }
            foreach (var a in found)
            {
                if (a.Filter is { } filter)
                    return new TcFilterHook(filter, ns);
                if (XdpNetlinkHook.TryOpen(a.InterfaceIndex, ns) is { } netlink && netlink.ProgramId == programId)
                    return netlink;
            }
        }
        return null;
    }

    /// <summary>The XDP hook of an interface: its XDP link if there is one, else its netlink attachment, else null.</summary>
    public static ProgramHook? XdpOf(int ifindex, NetNamespace ns)
    {
        foreach (var info in Links().Where(l => l.Type == BpfLinkType.Xdp && l.InterfaceIndex == ifindex))
            if (RunsXdp(ns, ifindex, info.ProgramId) && XdpLinkHook.TryOpen(info.Id, l => l.XdpInterfaceIndex == ifindex, ns) is { } link)
                return link;
        return XdpNetlinkHook.TryOpen(ifindex, ns);
    }

    /// <summary>The TC hooks of an interface in one direction that run a program: tcx links, then cls_bpf filters.</summary>
    public static IReadOnlyList<ProgramHook> TcOf(int ifindex, TcDirection direction, NetNamespace ns)
    {
        var hooks = new List<ProgramHook>();
        var tcx = TryRun(ns, () => BpfTc.TcxProgramIds(ifindex, direction)) ?? [];
        foreach (var info in Links().Where(l => l.Type == BpfLinkType.Tcx && l.InterfaceIndex == ifindex && BpfTc.DirectionOf(l.AttachType) == direction))
            if (tcx.Contains(info.ProgramId) && TcxLinkHook.TryOpen(info.Id, l => l.InterfaceIndex == ifindex, ns) is { } link)
                hooks.Add(link);
        foreach (var filter in TryRun(ns, () => BpfTc.ClsBpfFilters(ifindex, direction)) ?? [])
            hooks.Add(new TcFilterHook(filter, ns));
        return hooks;
    }

    /// <summary>
    /// Why a program that no hook was found for cannot be swapped, when Kecleon recognises its hook: an extension
    /// (<c>freplace</c>, as the libxdp dispatcher runs its programs) or a program type or link Kecleon does not swap.
    /// Null for an XDP or SCHED_CLS program that is simply not attached.
    /// </summary>
    public static string? Unsupported(uint programId)
    {
        BpfProgramInfo program;
        try
        {
            using var fd = BpfFd.OpenProgramById(programId);
            program = BpfProgramInfo.FromFd(fd.Value);
        }
        catch (BpfException)
        {
            return $"no program with id {programId} is loaded (see `bpftool prog show`)";
        }
        var links = Links().Where(l => l.ProgramId == programId).ToList();
        if (program.Type == BpfProgramType.Ext)
        {
            const string why = "not supported yet — BPF_LINK_UPDATE cannot replace a tracing link atomically on this kernel";
            if (links.FirstOrDefault(l => l.Type == BpfLinkType.Tracing) is not { } tracing)
                return $"program {programId} ({program.Name}) is an extension (freplace) program attached by no link: {why}";
            var target = TargetOf(tracing.TargetProgramId);
            return target is { Type: BpfProgramType.Xdp } t && t.Name.StartsWith("xdp_dispatcher", StringComparison.Ordinal)
                ? $"program {programId} ({program.Name}) is an extension attached to the libxdp dispatcher (program {tracing.TargetProgramId}): {why}"
                : $"program {programId} ({program.Name}) is an extension (freplace) attached to program {tracing.TargetProgramId}" +
                  $"{(target is null ? "" : $" ({target.Name})")}: {why}";
        }
        if (links.FirstOrDefault(l => l.Type is not (BpfLinkType.Xdp or BpfLinkType.Tcx)) is { } other)
            return $"program {programId} ({program.Name}) is a {TypeName(program.Type)} program attached to {LinkHook(other)}: Kecleon swaps XDP and TC programs only";
        if (program.Type is BpfProgramType.Xdp or BpfProgramType.SchedCls)
            return null;
        return $"program {programId} ({program.Name}) is a {TypeName(program.Type)} program{TypeHook(program.Type)}: Kecleon swaps XDP and TC programs only";
    }

    private static BpfProgramInfo? TargetOf(uint id)
    {
        try
        {
            using var fd = BpfFd.OpenProgramById(id);
            return BpfProgramInfo.FromFd(fd.Value);
        }
        catch (BpfException)
        {
            return null;
        }
    }

    /// <summary><c>cgroup_skb</c> for <see cref="BpfProgramType.CgroupSkb"/>: the kernel's own name.</summary>
    internal static string TypeName(BpfProgramType type)
    {
        var name = type.ToString();
        var text = new StringBuilder();
        for (var i = 0; i < name.Length; i++)
        {
            if (i > 0 && char.IsUpper(name[i]))
                text.Append('_');
            text.Append(char.ToLowerInvariant(name[i]));
        }
        return text.ToString();
    }

    private static string LinkHook(BpfLinkInfo link) => link.Type switch
    {
        BpfLinkType.Cgroup => $"a cgroup (bpf_link {link.Id})",
        BpfLinkType.Netns => $"a network namespace (bpf_link {link.Id})",
        BpfLinkType.Netkit => $"a netkit device (bpf_link {link.Id})",
        BpfLinkType.Netfilter => $"a netfilter hook (bpf_link {link.Id})",
        BpfLinkType.Tracing => $"a tracing hook (bpf_link {link.Id})",
        _ => $"a {link.Type.ToString().ToLowerInvariant()} hook (bpf_link {link.Id})",
    };

    private static string TypeHook(BpfProgramType type) => type switch
    {
        BpfProgramType.CgroupSkb or BpfProgramType.CgroupSock or BpfProgramType.CgroupSockAddr or BpfProgramType.CgroupDevice
            or BpfProgramType.CgroupSysctl or BpfProgramType.CgroupSockopt => ", which runs on cgroups",
        BpfProgramType.SocketFilter => ", which runs on sockets",
        BpfProgramType.FlowDissector => ", which runs as the flow dissector",
        BpfProgramType.SchedAct => ", which runs as a TC action",
        BpfProgramType.SkSkb or BpfProgramType.SkMsg => ", which runs on sockmaps",
        BpfProgramType.LwtIn or BpfProgramType.LwtOut or BpfProgramType.LwtXmit or BpfProgramType.LwtSeg6Local => ", which runs on lightweight-tunnel routes",
        _ => "",
    };

    private sealed record Attachment(int InterfaceIndex, ClsBpfFilter? Filter);

    /// <summary>In the calling thread's namespace: the interfaces whose netlink XDP attachment or cls_bpf filters run
    /// <paramref name="programId"/>.</summary>
    private static List<Attachment> Attachments(uint programId)
    {
        var found = new List<Attachment>();
        foreach (var (ifindex, _) in BpfXdp.Interfaces())
        {
            try
            {
                if (BpfXdp.Query(ifindex).ProgramId == programId)
                    found.Add(new Attachment(ifindex, null));
                foreach (var direction in new[] { TcDirection.Ingress, TcDirection.Egress })
                    found.AddRange(BpfTc.ClsBpfFilters(ifindex, direction).Where(f => f.ProgramId == programId).Select(f => new Attachment(ifindex, f)));
            }
            catch (BpfException)
            {
                // removed while we looked
            }
        }
        return found;
    }

    private static bool RunsXdp(NetNamespace ns, int ifindex, uint programId) =>
        TryRun(ns, () => BpfXdp.Query(ifindex).ProgramId) == programId;

    private static bool RunsTcx(NetNamespace ns, int ifindex, TcDirection direction, uint programId) =>
        TryRun(ns, () => BpfTc.TcxProgramIds(ifindex, direction))?.Contains(programId) == true;

    private static T? TryRun<T>(NetNamespace ns, Func<T> work) where T : notnull
    {
        try
        {
            return ns.Run(work);
        }
        catch (KecleonException)
        {
            return default;
        }
    }

    private static uint? TryRun(NetNamespace ns, Func<uint> work)
    {
        try
        {
            return ns.Run(work);
        }
        catch (KecleonException)
        {
            return null;
        }
    }

    /// <summary>Every link in the kernel now, as its info (links gone meanwhile are skipped).</summary>
    private static List<BpfLinkInfo> Links()
    {
        var links = new List<BpfLinkInfo>();
        foreach (var id in BpfLinkInfo.LoadedIds())
        {
            try
            {
                using var fd = BpfLinkInfo.OpenById(id);
                links.Add(BpfLinkInfo.FromFd(fd.Value));
            }
            catch (KecleonException)
            {
            }
        }
        return links;
    }
}
