using System.Globalization;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using Kecleon.Interop;

namespace Kecleon.Bpf;

/// <summary>
/// A network namespace, named by a file that holds it (<c>/run/netns/NAME</c>, <c>/proc/PID/ns/net</c>) and known by
/// its nsfs inode. Interface indexes, netlink and XDP/tcx attachment by ifindex all mean the calling thread's
/// namespace: <see cref="Run{T}"/> makes such calls inside this one on a dedicated OS thread that enters it and ends
/// (a thread-pool thread never changes namespace). BPF links, programs and maps are not per namespace.
/// </summary>
public sealed class NetNamespace : IEquatable<NetNamespace>
{
    private const string Own = "/proc/self/ns/net";

    private NetNamespace(string path, string? name, ulong inode)
    {
        Path = path;
        Name = name;
        Inode = inode;
    }

    /// <summary>The file that holds the namespace.</summary>
    public string Path { get; }

    /// <summary>Its <c>ip netns</c> name, if it has one.</summary>
    public string? Name { get; }

    public ulong Inode { get; }

    /// <summary>The namespace Kecleon runs in (the root one, normally).</summary>
    public static NetNamespace Current { get; } = new(Own, null, LibcNetApi.Inode(Own) ?? 0);

    public bool IsCurrent => Inode == Current.Inode;

    /// <summary>For messages: <c>netns blue</c>, <c>netns of pid 42</c>; empty for the current one.</summary>
    public string Description => IsCurrent ? "" : Name is not null ? $"netns {Name}" : $"netns {Path}";

    /// <summary>" in netns blue" for the others, "" for the current one: appended to a hook's description.</summary>
    public string InSuffix => IsCurrent ? "" : $" in {Description}";

    /// <summary>A name for pin folders: the <c>ip netns</c> name, else <c>ns</c> and the inode (dots are not allowed in
    /// bpffs names).</summary>
    public string KeyName => (Name ?? $"ns{Inode.ToString(CultureInfo.InvariantCulture)}").Replace('.', '_');

    /// <summary>A namespace by <c>ip netns</c> name (<c>/run/netns/NAME</c>) or by path (<c>/proc/PID/ns/net</c>, a bind
    /// mount of one).</summary>
    public static NetNamespace Open(string nameOrPath)
    {
        var isPath = nameOrPath.Contains('/');
        var path = isPath ? nameOrPath : System.IO.Path.Combine("/run/netns", nameOrPath);
        if (string.IsNullOrWhiteSpace(nameOrPath) || (!isPath && nameOrPath is "." or ".."))
            throw new UsageException($"'{nameOrPath}' is not a network namespace: give a name from `ip netns list` or a path such as /proc/PID/ns/net");
        if (LibcNetApi.Inode(path) is not { } inode)
            throw new InputNotFoundException($"no network namespace {(isPath ? "at " : "named ")}'{nameOrPath}'" +
                                             (isPath ? "" : " (see `ip netns list`; it looked for /run/netns/" + nameOrPath + ")"));
        // A path under /run/netns keeps its name; the current namespace by any path is the current one.
        var name = !isPath ? nameOrPath : System.IO.Path.GetDirectoryName(path) == "/run/netns" ? System.IO.Path.GetFileName(path) : null;
        var found = new NetNamespace(path, name, inode);
        if (found.IsCurrent)
            return Current;
        if (!IsNetworkNamespace(path))
            throw new InvalidInputException($"{path} is not a network namespace (an nsfs file such as /run/netns/NAME or /proc/PID/ns/net)");
        return found;
    }

    /// <summary>Every network namespace to search for an attachment: the current one, then the named ones
    /// (<c>/run/netns/*</c>), then those of running processes, each once (by inode).</summary>
    public static IReadOnlyList<NetNamespace> All()
    {
        var found = new List<NetNamespace> { Current };
        var seen = new HashSet<ulong> { Current.Inode };
        void Add(string path, string? name)
        {
            if (LibcNetApi.Inode(path) is { } inode && seen.Add(inode))
                found.Add(new NetNamespace(path, name, inode));
        }
        if (Directory.Exists("/run/netns"))
            foreach (var file in Directory.GetFiles("/run/netns").Order(StringComparer.Ordinal))
                Add(file, System.IO.Path.GetFileName(file));
        foreach (var process in Directory.GetDirectories("/proc"))
            if (int.TryParse(System.IO.Path.GetFileName(process), NumberStyles.None, CultureInfo.InvariantCulture, out _))
                Add(System.IO.Path.Combine(process, "ns", "net"), null);
        return found;
    }

    /// <summary>Runs <paramref name="work"/> with this namespace as the calling thread's: inline for the current one,
    /// else on a new OS thread that enters it, runs the work and ends. Exceptions reach the caller as thrown.</summary>
    public T Run<T>(Func<T> work)
    {
        if (IsCurrent)
            return work();
        T result = default!;
        ExceptionDispatchInfo? error = null;
        var thread = new Thread(() =>
        {
            try
            {
                Enter();
                result = work();
            }
            catch (Exception e)
            {
                error = ExceptionDispatchInfo.Capture(e);
            }
        }) { IsBackground = true, Name = "kecleon netns" };
        thread.Start();
        thread.Join();
        error?.Throw();
        return result;
    }

    public void Run(Action work) => Run(() =>
    {
        work();
        return 0;
    });

    /// <summary>setns(2) for the calling thread, which must be one <see cref="Run{T}"/> made for it.</summary>
    private void Enter()
    {
        var fd = LibcNetApi.open(Path, LibcNetApi.ORdOnly | LibcNetApi.OCloExec, 0);
        if (fd < 0)
            throw BpfException.FromErrno($"open network namespace {Path}", Marshal.GetLastPInvokeError());
        try
        {
            if (LibcNetApi.setns(fd, LibcNetApi.CloneNewNet) != 0)
                throw BpfException.FromErrno($"enter network namespace {Path}", Marshal.GetLastPInvokeError());
        }
        finally
        {
            LibcNetApi.close(fd);
        }
    }

    /// <summary>True when a thread can enter <paramref name="path"/> as a network namespace (setns checks the type).</summary>
    private static bool IsNetworkNamespace(string path)
    {
        try
        {
            new NetNamespace(path, null, 0).Run(() => 0);
            return true;
        }
        catch (BpfException)
        {
            return false;
        }
    }

    public bool Equals(NetNamespace? other) => other is not null && other.Inode == Inode;
    public override bool Equals(object? obj) => Equals(obj as NetNamespace);
    public override int GetHashCode() => Inode.GetHashCode();
    public override string ToString() => IsCurrent ? "the current netns" : Description;
}
