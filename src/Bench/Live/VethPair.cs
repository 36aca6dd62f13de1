using System.Diagnostics;

namespace Kecleon.Bench.Live;

/// <summary>
/// A veth pair for live runs (the demo, kernel tests): <see cref="HostEnd"/> in our network namespace, <see cref="PeerEnd"/> in a new one.
/// Disposing deletes the namespace (which destroys both ends) and anything pinned under <see cref="PinDirectory"/>.
/// </summary>
public sealed class VethPair : IDisposable
{
    private VethPair(string tag)
    {
        Namespace = $"kc-{tag}";
        HostEnd = $"kc{tag}a";
        PeerEnd = $"kc{tag}b";
        PinDirectory = $"/sys/fs/bpf/kecleon-test-{tag}";
    }

    public string Namespace { get; }
    public string HostEnd { get; }
    public string PeerEnd { get; }
    /// <summary>A bpffs folder a test may pin into; removed on dispose.</summary>
    public string PinDirectory { get; }

    /// <param name="preparePeer">Runs with the peer end's ifindex while it is still in our namespace (to attach XDP
    /// to it, say: the program stays attached when the device moves).</param>
    /// <param name="prefix">Starts the names (at most 4 characters: interface names have 15), to tell whose pair it is.</param>
    public static VethPair Create(Action<int>? preparePeer = null, string prefix = "")
    {
        var pair = new VethPair(prefix + Guid.NewGuid().ToString("N")[..6]);
        try
        {
            Ip($"netns add {pair.Namespace}");
            Ip($"link add {pair.HostEnd} type veth peer name {pair.PeerEnd}");
            preparePeer?.Invoke(int.Parse(File.ReadAllText($"/sys/class/net/{pair.PeerEnd}/ifindex").Trim()));
            Ip($"link set {pair.PeerEnd} netns {pair.Namespace}");
            Sysctl(null, $"net.ipv6.conf.{pair.HostEnd}.disable_ipv6=1");
            Sysctl(pair.Namespace, $"net.ipv6.conf.{pair.PeerEnd}.disable_ipv6=1");
            Ip($"link set {pair.HostEnd} up");
            Ip($"-n {pair.Namespace} link set {pair.PeerEnd} up");
            Directory.CreateDirectory(pair.PinDirectory);
            return pair;
        }
        catch
        {
            pair.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A pair whose namespace end runs a pass-everything XDP program: a veth delivers what its peer sends back with
    /// XDP_TX only when the receiving end runs XDP itself (or has GRO on). The program stays attached until the
    /// namespace goes.
    /// </summary>
    public static VethPair CreateReceivingXdpTx(string prefix = "") => Create(peer =>
    {
        using var obj = Kecleon.Bpf.BpfObject.Open(FloorProgram.BuildObject(), "xdp_pass");
        obj.Load();
        Kecleon.Bpf.BpfXdp.Attach(peer, obj.Programs[0].Fd, Kecleon.Bpf.XdpFlags.DriverMode);
    }, prefix);

    public int HostIndex => int.Parse(File.ReadAllText($"/sys/class/net/{HostEnd}/ifindex").Trim(), System.Globalization.CultureInfo.InvariantCulture);

    public string HostMac => File.ReadAllText($"/sys/class/net/{HostEnd}/address").Trim();

    /// <summary>Runs a command inside the namespace.</summary>
    public static string Ip(string arguments) => Run("ip", arguments);

    public string InNamespace(string command, string arguments) => Run("ip", $"netns exec {Namespace} {command} {arguments}");

    public Process StartInNamespace(string command, string arguments, bool redirectInput = false) =>
        Start("ip", $"netns exec {Namespace} {command} {arguments}", redirectInput);

    /// <param name="redirectInput">Give the process a standard input to write to (closing it stops <c>pktio stream</c>
    /// and <c>pktio capture</c>).</param>
    public static Process Start(string command, string arguments, bool redirectInput = false)
    {
        var process = Process.Start(new ProcessStartInfo(command, arguments)
        {
            RedirectStandardInput = redirectInput,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException($"cannot start {command}");
        return process;
    }

    public static string Run(string command, string arguments)
    {
        using var process = Start(command, arguments);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{command} {arguments} did not finish");
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{command} {arguments} failed ({process.ExitCode}): {error.Result}");
        return output.Result;
    }

    private static void Sysctl(string? ns, string setting)
    {
        try
        {
            if (ns is null)
                Run("sysctl", $"-qw {setting}");
            else
                Run("ip", $"netns exec {ns} sysctl -qw {setting}");
        }
        catch (InvalidOperationException)
        {
            // IPv6 disabled on this kernel: nothing to quieten.
        }
    }

    public void Dispose()
    {
        try
        {
            Run("ip", $"netns del {Namespace}");
        }
        catch (InvalidOperationException)
        {
        }
        try
        {
            if (File.Exists($"/sys/class/net/{HostEnd}/ifindex"))
                Run("ip", $"link del {HostEnd}");
        }
        catch (InvalidOperationException)
        {
        }
        if (Directory.Exists(PinDirectory))
            Directory.Delete(PinDirectory, recursive: true);
        RemoveLockFiles(PinDirectory);
    }

    /// <summary>Removes the lock files pinned guard tables in or under <paramref name="pinDirectory"/> left in /run/kecleon.</summary>
    public static void RemoveLockFiles(string pinDirectory)
    {
        var path = Runtime.Guards.GuardLock.PathFor(pinDirectory);
        if (Directory.Exists(Path.GetDirectoryName(path)))
            foreach (var file in Directory.GetFiles(Path.GetDirectoryName(path)!, Path.GetFileNameWithoutExtension(path) + "*.lock"))
                File.Delete(file);
    }
}

/// <summary>Sends and captures raw frames through AF_PACKET sockets with <c>pktio</c>, a helper built from pktio.c with the
/// assembly and shipped beside it (see Kecleon.Bench.csproj): nothing is compiled into a temporary path at run time.</summary>
internal static class PacketIo
{
    public static string Executable
    {
        get
        {
            var path = Path.Combine(AppContext.BaseDirectory, "pktio");
            if (!File.Exists(path))
                throw new MissingDependencyException($"{path} is missing: it is built with Kecleon from src/Bench/Live/pktio.c (clang-14); rebuild or reinstall Kecleon");
            // A NuGet package keeps no file modes: a tool installed from one has pktio without its execute bit.
            var mode = File.GetUnixFileMode(path);
            if ((mode & UnixFileMode.UserExecute) == 0)
                File.SetUnixFileMode(path, mode | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
            return path;
        }
    }

    public static void WriteFrames(string path, IEnumerable<byte[]> frames)
    {
        using var file = File.Create(path);
        foreach (var frame in frames)
        {
            file.Write(BitConverter.GetBytes((ushort)frame.Length));
            file.Write(frame);
        }
    }

    public static List<byte[]> ReadFrames(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var frames = new List<byte[]>();
        for (var at = 0; at + 2 <= bytes.Length;)
        {
            var length = BitConverter.ToUInt16(bytes, at);
            frames.Add(bytes[(at + 2)..(at + 2 + length)]);
            at += 2 + length;
        }
        return frames;
    }
}
