using System.Globalization;
using Kecleon.Bpf;

namespace Kecleon.Runtime.Deployment;

/// <summary>How the user named a target's hook: an interface, a loaded program, or a pinned link or program.</summary>
public abstract record TargetSelector
{
    private TargetSelector()
    {
    }

    /// <summary>The XDP hook of an interface.</summary>
    /// <param name="RefuseAttach">Null: when the interface runs no XDP program, the input is loaded (with empty maps) and
    /// attached with a pinned bpf_link. Otherwise nothing is attached, and the error "no XDP program is attached to NAME"
    /// goes on with what this returns, given the id of an original still pinned for the interface, if any.</param>
    public sealed record Interface(string Name, Func<uint?, string>? RefuseAttach = null) : TargetSelector;

    /// <summary>The hook running a loaded program, or the target whose pinned original it is.</summary>
    public sealed record Program(uint Id) : TargetSelector;

    /// <summary>A pinned XDP bpf_link, or a pinned program that is attached somewhere.</summary>
    public sealed record Pin(string Path) : TargetSelector;

    /// <summary>What the error says to do when the named program is attached to no XDP hook, given its id (the host's
    /// own options, say); null says nothing more.</summary>
    public Func<uint, string>? NotAttachedAdvice { get; init; }
}

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

    private static ResolvedTarget OnInterface(TargetSelector.Interface iface, ProgramInput input, string pinRoot)
    {
        var ifindex = BpfXdp.InterfaceIndex(iface.Name);
        if (ProgramHook.ForInterface(ifindex) is { } hook)
            return new ResolvedTarget(Target.Open(hook, pinRoot), input, null, null);
        if (iface.RefuseAttach is { } refuse)
            throw new KecleonException($"no XDP program is attached to {iface.Name}{refuse(Target.PinnedOriginalId(iface.Name, pinRoot))}");
        var loaded = OriginalSelection.Load(input.OriginalElf, input.ProgramName);
        try
        {
            return new ResolvedTarget(Target.AttachPinned(loaded.Program.Fd, ifindex, pinRoot), input, loaded, iface.Name);
        }
        catch
        {
            loaded.Dispose();
            throw;
        }
    }

    private static Target Open(TargetSelector selector, string pinRoot)
    {
        if (selector is TargetSelector.Program { Id: var id })
            return Target.Find(id, pinRoot) ?? throw new KecleonException(
                $"program {id} is not attached to any XDP hook{selector.NotAttachedAdvice?.Invoke(id)}");
        var pin = ((TargetSelector.Pin)selector).Path;
        var fd = BpfFd.OpenPinned(pin);
        switch (fd.Kind)
        {
            case "bpf-link":
                return Target.Open(new XdpLinkHook(fd), pinRoot);
            case "bpf-prog":
                var pinned = BpfProgramInfo.FromFd(fd.Value).Id;
                fd.Dispose();
                return Target.Find(pinned, pinRoot) ?? throw new KecleonException(
                    $"{pin} is a pinned program (id {pinned.ToString(CultureInfo.InvariantCulture)}) that is not attached to any XDP hook. A pinned program alone cannot be " +
                    "swapped: Kecleon needs the hook that runs it. Attach it (e.g. `ip link set dev IFACE xdp pinned " + pin +
                    "`, or pin its bpf_link instead)" + selector.NotAttachedAdvice?.Invoke(pinned));
            default:
                var kind = fd.Kind;
                fd.Dispose();
                throw new UsageException($"{pin} is a pinned {kind}, not an XDP bpf_link or program");
        }
    }
}
