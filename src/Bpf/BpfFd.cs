using System.Runtime.InteropServices;
using Kecleon.Interop;

namespace Kecleon.Bpf;

/// <summary>A file descriptor of a BPF object (map, program, link) that we own and close.</summary>
public sealed class BpfFd : SafeHandle
{
    public BpfFd(int fd) : base(invalidHandleValue: -1, ownsHandle: true) => SetHandle(fd);

    public override bool IsInvalid => (int)handle < 0;
    public int Value => (int)handle;

    protected override bool ReleaseHandle() => LibbpfApi.close((int)handle) == 0;

    /// <summary>Opens a pinned object (<c>/sys/fs/bpf/...</c>).</summary>
    public static BpfFd OpenPinned(string path)
    {
        var fd = LibbpfApi.bpf_obj_get(path);
        return fd >= 0 ? new BpfFd(fd) : throw BpfException.FromErrno($"open pinned object {path}", -fd);
    }

    public static BpfFd OpenProgramById(uint id)
    {
        var fd = LibbpfApi.bpf_prog_get_fd_by_id(id);
        return fd >= 0 ? new BpfFd(fd) : throw BpfException.FromErrno($"open program id {id}", -fd);
    }

    public static BpfFd OpenMapById(uint id)
    {
        var fd = LibbpfApi.bpf_map_get_fd_by_id(id);
        return fd >= 0 ? new BpfFd(fd) : throw BpfException.FromErrno($"open map id {id}", -fd);
    }

    public static void Pin(int fd, string path)
    {
        var rc = LibbpfApi.bpf_obj_pin(fd, path);
        if (rc < 0)
            throw BpfException.FromErrno($"pin to {path} (is bpffs mounted at /sys/fs/bpf?)", -rc);
    }

    /// <summary>What the fd refers to, as the kernel names its inode: <c>bpf-prog</c>, <c>bpf-map</c>, <c>bpf-link</c>, ...</summary>
    public string Kind =>
        new FileInfo($"/proc/self/fd/{Value}").LinkTarget is { } target && target.StartsWith("anon_inode:", StringComparison.Ordinal)
            ? target["anon_inode:".Length..]
            : "unknown";
}
