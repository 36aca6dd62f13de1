using System.Globalization;
using Kecleon.Bpf;

namespace Kecleon.Runtime.Deployment;

/// <summary>How the user named a target's hook: an interface, a loaded program, or a pinned link or program.</summary>
public abstract record TargetSelector
{
    private TargetSelector()
    {
    }

    /// <summary>The XDP hook of an interface, or with <see cref="Tc"/> its TC hook in that direction.</summary>
    /// <param name="RefuseAttach">Null: when the hook runs no program, the input is loaded (with empty maps) and
    /// attached with a pinned bpf_link (XDP, or tcx for TC). Otherwise nothing is attached, and the error "no XDP program
    /// is attached to NAME" goes on with what this returns, given the id of an original still pinned for the interface,
    /// if any.</param>
    public sealed record Interface(string Name, Func<uint?, string>? RefuseAttach = null) : TargetSelector
    {
        /// <summary>The TC hook in this direction (a tcx link or a cls_bpf filter) instead of XDP.</summary>
        public TcDirection? Tc { get; init; }
    }

    /// <summary>The hook running a loaded program, or the target whose pinned original it is.</summary>
    public sealed record Program(uint Id) : TargetSelector;

    /// <summary>A pinned XDP bpf_link, or a pinned program that is attached somewhere.</summary>
    public sealed record Pin(string Path) : TargetSelector;

    /// <summary>A slot of a PROG_ARRAY named by its pin or its id: a stage of a chain. Without <paramref name="Slot"/>, every
    /// stage the PROG_ARRAY holds (<c>optimize --chain</c>).</summary>
    public sealed record ProgramArraySlot(string ProgramArray, uint? Slot) : TargetSelector;

    /// <summary>What the error says to do when the named program is attached to no XDP or TC hook, given its id (the
    /// host's own options, say); null says nothing more.</summary>
    public Func<uint, string>? NotAttachedAdvice { get; init; }

    /// <summary>The network namespace of the interface (null: Kecleon's own); for a program, the one namespace to search
    /// (null: every namespace).</summary>
    public NetNamespace? Namespace { get; init; }
}

/// <summary>The program runs on a hook Kecleon recognises but does not swap (an freplace extension of the libxdp
/// dispatcher, a cgroup program, ...): the message names it.</summary>
public sealed class UnsupportedHookException(string message) : KecleonException(message);

/// <summary>
/// A target opened for an input: its hook and pins (<see cref="Deployment.Target"/>), the input, and the original as
/// this process holds it (<see cref="OriginalSelection"/>). Disposing it closes the target and unloads what this
/// process loaded: the hook and the pins keep what must stay.
/// </summary>
public sealed class ResolvedTarget : IDisposable
{
    private LoadedVariant? _standIn;

    internal ResolvedTarget(Target target, ProgramInput input, LoadedVariant? loaded, string? attachedTo)
    {
        Target = target;
        Input = input;
        Loaded = loaded;
        AttachedTo = attachedTo;
    }

    public Target Target { get; }
    public ProgramInput Input { get; }

    /// <summary>The original, when this process loaded it and attached it (the interface ran nothing).</summary>
    public LoadedVariant? Loaded { get; }

    /// <summary>The interface <see cref="Loaded"/> was attached to.</summary>
    public string? AttachedTo { get; }

    /// <summary>The original as a loaded program on the live maps: <see cref="Loaded"/>, else the input loaded on the
    /// target's maps as a stand-in (once; kept until disposed), proved to be the program there.</summary>
    public LoadedVariant Original => Loaded ?? (_standIn ??= OriginalSelection.StandIn(Target, Input.OriginalElf, Input.ProgramName, Input.Name));

    public void Dispose()
    {
        Target.Dispose();
        _standIn?.Dispose();
        Loaded?.Dispose();
    }
}

/// <summary>
/// Finds the hook a <see cref="TargetSelector"/> names and opens its target (<see cref="Target.Open"/> finishes what an
/// interrupted transaction left), attaching the input's original where an interface runs nothing and that is allowed.
/// </summary>
public static class TargetResolver
{
    public static ResolvedTarget Resolve(TargetSelector selector, ProgramInput input, string pinRoot = Target.DefaultPinRoot)
    {
        if (selector is TargetSelector.Interface iface)
            return OnInterface(iface, input, pinRoot);
        return new ResolvedTarget(Open(selector, pinRoot), input, null, null);
    }

    /// <summary>The target of a hook found another way (a PROG_ARRAY slot of a chain, say), taking ownership of it.</summary>
    public static ResolvedTarget Resolve(ProgramHook hook, ProgramInput input, string pinRoot = Target.DefaultPinRoot) =>
        new(Target.Open(hook, pinRoot), input, null, null);

    /// <summary>The hook of a PROG_ARRAY slot; null when the slot is empty.</summary>
    private static ProgramArraySlotHook? SlotHook(TargetSelector.ProgramArraySlot selector)
    {
        if (selector.Slot is not { } index)
            throw new UsageException($"--prog-array {selector.ProgramArray} names every slot: give --slot N for one stage, or --chain for all of them");
        var map = ServiceChain.OpenProgramArray(selector.ProgramArray);
        if (index >= map.MaxEntries)
        {
            var message = $"--slot {index}: PROG_ARRAY {map.Name} (map id {map.Id}) has {map.MaxEntries} slots (0 to {map.MaxEntries - 1})";
            map.Dispose();
            throw new UsageException(message);
        }
        var hook = new ProgramArraySlotHook(map, index);
        if (hook.CurrentProgramId() != 0)
            return hook;
        hook.Dispose();
        return null;
    }

    private static ResolvedTarget OnInterface(TargetSelector.Interface iface, ProgramInput input, string pinRoot)
    {
        var ns = iface.Namespace ?? NetNamespace.Current;
        var ifindex = ns.Run(() => BpfXdp.InterfaceIndex(iface.Name));
        var where = $"{iface.Name}{ns.InSuffix}";
        if (iface.Tc is { } direction)
        {
            var hooks = ProgramHook.ForTc(ifindex, direction, ns);
            if (hooks is [var only])
                return new ResolvedTarget(Target.Open(only, pinRoot), input, null, null);
            if (hooks.Count > 1)
            {
                var list = string.Join("; ", hooks.Select(h => $"program {h.CurrentProgramId()} on {h.Description}"));
                foreach (var h in hooks)
                    h.Dispose();
                throw new UsageException($"{hooks.Count} programs run on TC {direction.Name()} of {where} ({list}): name the one to optimize with --prog-id");
            }
            if (iface.RefuseAttach is { } refuseTc)
                throw new KecleonException($"no TC program is attached to {direction.Name()} of {where}{refuseTc(null)}");
        }
        else if (ProgramHook.ForInterface(ifindex, ns) is { } hook)
            return new ResolvedTarget(Target.Open(hook, pinRoot), input, null, null);
        else if (iface.RefuseAttach is { } refuse)
            throw new KecleonException($"no XDP program is attached to {where}{refuse(ns.IsCurrent ? Target.PinnedOriginalId(iface.Name, pinRoot) : null)}");
        var loaded = OriginalSelection.Load(input.OriginalElf, input.ProgramName);
        try
        {
            var type = BpfProgramInfo.FromFd(loaded.Program.Fd).Type;
            var wanted = iface.Tc is null ? BpfProgramType.Xdp : BpfProgramType.SchedCls;
            if (type != wanted)
                throw new UsageException(iface.Tc is { } tc
                    ? $"the input's program {loaded.Program.Name} is a {HookFinder.TypeName(type)} program: --tc {tc.Name()} attaches a TC (sched_cls) program"
                    : $"the input's program {loaded.Program.Name} is a {HookFinder.TypeName(type)} program, not an XDP one" +
                      (type == BpfProgramType.SchedCls ? ": give --tc ingress or --tc egress to attach it to TC on " + iface.Name : ""));
            return new ResolvedTarget(Target.AttachPinned(loaded.Program.Fd, ifindex, pinRoot, iface.Tc, ns), input, loaded,
                iface.Tc is { } attached ? $"TC {attached.Name()} of {where} (tcx)" : where);
        }
        catch
        {
            loaded.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The hook a selector names as it is now, for undoing what Kecleon did there (<see cref="RestoreSession"/>): nothing
    /// is attached or opened. Null when there is nothing to undo: the interface's hook runs nothing, or the program is
    /// no longer loaded, or runs on no XDP or TC hook, and no pinned original names it. A program on a hook Kecleon
    /// does not swap is refused as <see cref="Resolve"/> refuses it.
    /// </summary>
    public static ProgramHook? FindHook(TargetSelector selector, string pinRoot = Target.DefaultPinRoot)
    {
        switch (selector)
        {
            case TargetSelector.Interface iface:
            {
                var ns = iface.Namespace ?? NetNamespace.Current;
                var ifindex = ns.Run(() => BpfXdp.InterfaceIndex(iface.Name));
                if (iface.Tc is not { } direction)
                    return ProgramHook.ForInterface(ifindex, ns);
                var hooks = ProgramHook.ForTc(ifindex, direction, ns);
                if (hooks.Count <= 1)
                    return hooks.SingleOrDefault();
                var list = string.Join("; ", hooks.Select(h => $"program {h.CurrentProgramId()} on {h.Description}"));
                foreach (var h in hooks)
                    h.Dispose();
                throw new UsageException($"{hooks.Count} programs run on TC {direction.Name()} of {iface.Name}{ns.InSuffix} ({list}): name the one with --prog-id");
            }
            case TargetSelector.ProgramArraySlot slot:
                return SlotHook(slot);
            case TargetSelector.Program { Id: var id }:
                if (Target.FindHook(id, pinRoot, selector.Namespace) is { } found)
                    return found;
                // Not loaded, or an XDP or TC program on no hook and not pinned as an original: nothing of Kecleon's.
                if (IsLoaded(id) && HookFinder.Unsupported(id) is { } unsupported)
                    throw new UnsupportedHookException(unsupported);
                return null;
            default:
                var pin = ((TargetSelector.Pin)selector).Path;
                var fd = BpfFd.OpenPinned(pin);
                if (fd.Kind == "bpf-link")
                    return OpenLink(fd, pin, selector.Namespace);
                var kind = fd.Kind;
                var pinned = kind == "bpf-prog" ? BpfProgramInfo.FromFd(fd.Value).Id : 0;
                fd.Dispose();
                if (kind != "bpf-prog")
                    throw new UsageException($"{pin} is a pinned {kind}, not an XDP or tcx bpf_link or a program");
                return FindHook(new TargetSelector.Program(pinned) { Namespace = selector.Namespace }, pinRoot);
        }
    }

    internal static bool IsLoaded(uint programId)
    {
        try
        {
            using var fd = BpfFd.OpenProgramById(programId);
            return true;
        }
        catch (BpfException)
        {
            return false;
        }
    }

    private static Target Open(TargetSelector selector, string pinRoot)
    {
        if (selector is TargetSelector.ProgramArraySlot slot)
            return Target.Open(SlotHook(slot) ?? throw new KecleonException(
                $"slot {slot.Slot} of PROG_ARRAY {slot.ProgramArray} is empty: no stage runs there to optimize"), pinRoot);
        if (selector is TargetSelector.Program { Id: var id })
        {
            if (Target.Find(id, pinRoot, selector.Namespace) is { } found)
                return found;
            if (HookFinder.Unsupported(id) is { } unsupported)
                throw new UnsupportedHookException(unsupported);
            throw new KecleonException($"program {id} is not attached to any XDP or TC hook " +
                                       (selector.Namespace is { } ns
                                           ? $"in {(ns.IsCurrent ? "Kecleon's own network namespace" : ns.Description)}"
                                           : "(searched every XDP and tcx link, and the XDP and cls_bpf attachments of every interface in every network namespace)") +
                                       selector.NotAttachedAdvice?.Invoke(id));
        }
        var pin = ((TargetSelector.Pin)selector).Path;
        var fd = BpfFd.OpenPinned(pin);
        switch (fd.Kind)
        {
            case "bpf-link":
                return Target.Open(OpenLink(fd, pin, selector.Namespace), pinRoot);
            case "bpf-prog":
                var pinned = BpfProgramInfo.FromFd(fd.Value).Id;
                fd.Dispose();
                if (Target.Find(pinned, pinRoot, selector.Namespace) is { } target)
                    return target;
                if (HookFinder.Unsupported(pinned) is { } unsupported)
                    throw new UnsupportedHookException($"{pin}: {unsupported}");
                throw new KecleonException(
                    $"{pin} is a pinned program (id {pinned.ToString(CultureInfo.InvariantCulture)}) that is not attached to any XDP or TC hook. A pinned program alone cannot be " +
                    "swapped: Kecleon needs the hook that runs it. Attach it (e.g. `ip link set dev IFACE xdp pinned " + pin +
                    "` for XDP, `tc filter add dev IFACE ingress bpf da pinned " + pin + "` for TC, or pin its bpf_link instead)" +
                    selector.NotAttachedAdvice?.Invoke(pinned));
            default:
                var kind = fd.Kind;
                fd.Dispose();
                throw new UsageException($"{pin} is a pinned {kind}, not an XDP or tcx bpf_link or a program");
        }
    }

    /// <summary>A pinned link as its hook: XDP or tcx; any other link is refused by name.</summary>
    private static ProgramHook OpenLink(BpfFd fd, string pin, NetNamespace? ns)
    {
        try
        {
            var info = BpfLinkInfo.FromFd(fd.Value);
            return info.Type switch
            {
                BpfLinkType.Xdp => new XdpLinkHook(fd, ns ?? LinkNamespace(info)),
                BpfLinkType.Tcx => new TcxLinkHook(fd, ns ?? LinkNamespace(info)),
                _ => throw new UnsupportedHookException(
                    $"{pin} is a pinned {info.Type.ToString().ToLowerInvariant()} bpf_link: " +
                    (HookFinder.Unsupported(info.ProgramId) ?? "Kecleon swaps XDP and TC (tcx) links only")),
            };
        }
        catch
        {
            fd.Dispose();
            throw;
        }
    }

    /// <summary>The namespace whose interface of the link's index runs the link's program (the current one if none does).</summary>
    private static NetNamespace LinkNamespace(BpfLinkInfo link) =>
        ProgramHook.Find(link.ProgramId) switch
        {
            XdpLinkHook x when x.LinkId == link.Id => Keep(x, x.Namespace),
            TcxLinkHook t when t.LinkId == link.Id => Keep(t, t.Namespace),
            { } other => Keep(other, NetNamespace.Current),
            null => NetNamespace.Current,
        };

    private static NetNamespace Keep(ProgramHook found, NetNamespace ns)
    {
        found.Dispose();
        return ns;
    }
}
