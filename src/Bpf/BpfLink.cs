using System.Runtime.InteropServices;
using Kecleon.Interop;
using Microsoft.Win32.SafeHandles;

namespace Kecleon.Bpf;

/// <summary>
/// A libbpf <c>bpf_link</c> we own: a program attached to a hook. Disposing it detaches the program. The link does not
/// keep the program's <see cref="BpfObject"/> open, nor the object the link; close either in any order.
/// </summary>
public sealed class BpfLink : SafeHandleZeroOrMinusOneIsInvalid
{
    private BpfLink() : base(ownsHandle: true) { }

    /// <summary>What the link attaches, for messages: <c>kecleon_guard_enter → tracepoint syscalls:sys_enter_bpf</c>.</summary>
    public string Description { get; private init; } = "";

    /// <summary>The link's fd (owned by the link).</summary>
    public int Fd
    {
        get
        {
            ObjectDisposedException.ThrowIf(IsClosed, this);
            return LibbpfApi.bpf_link__fd(handle);
        }
    }

    /// <summary>Attaches a tracepoint program to <c>/sys/kernel/tracing/events/<paramref name="category"/>/<paramref name="name"/></c>.</summary>
    public static BpfLink AttachTracepoint(BpfProgram program, string category, string name)
    {
        program.Object.ThrowIfClosed();
        var description = $"{program.Name} → tracepoint {category}:{name}";
        using var log = LibbpfLog.Capture();
        var raw = LibbpfApi.bpf_program__attach_tracepoint(program.Raw, category, name);
        return Attached(raw, description, log);
    }

    /// <summary>Attaches a raw tracepoint program to the kernel tracepoint <paramref name="name"/> (<c>sys_enter</c>).</summary>
    public static BpfLink AttachRawTracepoint(BpfProgram program, string name)
    {
        program.Object.ThrowIfClosed();
        var description = $"{program.Name} → raw tracepoint {name}";
        using var log = LibbpfLog.Capture();
        var raw = LibbpfApi.bpf_program__attach_raw_tracepoint(program.Raw, name);
        return Attached(raw, description, log);
    }

    /// <summary>The link libbpf's attach call returned, or its failure (read right after the call: errno and libbpf's log).</summary>
    private static BpfLink Attached(nint raw, string description, in LibbpfLog.Scope log)
    {
        if (raw == 0)
            throw BpfException.FromErrno($"attach {description}", Marshal.GetLastPInvokeError(), log.Text);
        var link = new BpfLink { Description = description };
        link.SetHandle(raw);
        return link;
    }

    /// <summary>Pins the link: it then stays attached after this handle is destroyed and the process exits, until the
    /// pin is removed.</summary>
    public void Pin(string path)
    {
        ObjectDisposedException.ThrowIf(IsClosed, this);
        var rc = LibbpfApi.bpf_link__pin(handle, path);
        if (rc < 0)
            throw BpfException.FromErrno($"pin link {Description} to {path}", -rc);
    }

    public override string ToString() => Description;

    protected override bool ReleaseHandle() => LibbpfApi.bpf_link__destroy(handle) == 0;
}
