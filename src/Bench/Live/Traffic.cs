using System.Diagnostics;
using Kecleon.Bpf;
using Kecleon.Runtime.Deployment;

namespace Kecleon.Bench.Live;

/// <summary>What came out of the XDP program on <see cref="VethPair.HostEnd"/> for a batch of frames sent from the
/// namespace end: the frames it sent back (XDP_TX, as the peer received them) and the ones it passed to the stack.</summary>
public sealed record TrafficResult(IReadOnlyList<byte[]> SentBack, IReadOnlyList<byte[]> Passed, TimeSpan Duration);

/// <summary>What a reference program does with each frame, to compare live traffic with.</summary>
public sealed record ExpectedTraffic(IReadOnlyList<byte[]> SentBack, IReadOnlyList<byte[]> Passed, int Dropped);

/// <summary>
/// Real packets through a veth: frames are sent from the namespace end with an AF_PACKET socket, the XDP program on the
/// host end handles them, and two captures record what it sent back and what it passed.
/// </summary>
public static class Traffic
{
    /// <param name="intervalMicroseconds">Pause between frames (0: as fast as the socket takes them).</param>
    public static TrafficResult Send(VethPair pair, IReadOnlyList<byte[]> frames, int intervalMicroseconds = 0, int idleMilliseconds = 1000)
    {
        var directory = Directory.CreateTempSubdirectory("kecleon-traffic-").FullName; // mkdtemp: 0700, a fresh name
        var processes = new HelperProcesses();
        try
        {
            var framesFile = Path.Combine(directory, "frames");
            PacketIo.WriteFrames(framesFile, frames);
            var back = processes.Started(pair.StartInNamespace(PacketIo.Executable, $"recv {pair.PeerEnd} {directory}/back {idleMilliseconds} 600000"));
            var passed = processes.Started(VethPair.Start(PacketIo.Executable, $"recv {pair.HostEnd} {directory}/passed {idleMilliseconds} 600000"));
            if (back.StandardOutput.ReadLine() != "ready" || passed.StandardOutput.ReadLine() != "ready")
                throw new KecleonException($"cannot capture on {pair.HostEnd}/{pair.PeerEnd}: {back.StandardError.ReadToEnd()}{passed.StandardError.ReadToEnd()}");
            var clock = Stopwatch.StartNew();
            var sender = processes.Started(pair.StartInNamespace(PacketIo.Executable, $"send {pair.PeerEnd} {framesFile} {intervalMicroseconds}"));
            if (!sender.WaitForExit(600_000) || sender.ExitCode != 0)
                throw new KecleonException($"sending on {pair.PeerEnd} failed: {sender.StandardError.ReadToEnd()}");
            var duration = clock.Elapsed;
            if (!back.WaitForExit(600_000) || !passed.WaitForExit(600_000))
                throw new KecleonException("the captures did not finish");
            // The host end also sees what the kernel itself sends (none with IPv6 off, but be safe): keep frames that
            // were sent.
            var sent = frames.Select(Convert.ToHexString).ToHashSet();
            return new TrafficResult(PacketIo.ReadFrames(Path.Combine(directory, "back")),
                PacketIo.ReadFrames(Path.Combine(directory, "passed")).Where(f => sent.Contains(Convert.ToHexString(f))).ToList(), duration);
        }
        finally
        {
            processes.Dispose();
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Sends <paramref name="frames"/> over and over from the namespace end until the returned load is stopped
    /// or disposed: load for live measurements (nothing is captured).</summary>
    public static BackgroundTraffic StartBackground(VethPair pair, IReadOnlyList<byte[]> frames, int repeat = 200)
    {
        var directory = Directory.CreateTempSubdirectory("kecleon-load-").FullName;
        var file = Path.Combine(directory, "frames");
        PacketIo.WriteFrames(file, Enumerable.Repeat(frames, repeat).SelectMany(f => f));
        return new BackgroundTraffic(pair.StartInNamespace("sh", $"-c \"while true; do {PacketIo.Executable} send {pair.PeerEnd} {file} 0 > /dev/null; done\""), directory);
    }

    /// <summary>
    /// What <paramref name="reference"/> (loaded on its own maps, holding the state to compare with) does with each frame
    /// under BPF_PROG_TEST_RUN. A test run's ingress interface is the loopback device, so a program that sends a frame
    /// back out of the interface it came in on answers XDP_REDIRECT to <paramref name="liveIfindex"/> there, and XDP_TX
    /// live: <paramref name="redirectIsTx"/> counts such redirects as sent back.
    /// </summary>
    public static ExpectedTraffic Expect(LoadedVariant reference, IReadOnlyList<byte[]> frames, bool redirectIsTx = true)
    {
        var back = new List<byte[]>();
        var passed = new List<byte[]>();
        var dropped = 0;
        foreach (var frame in frames)
        {
            var run = reference.Program.TestRun(frame);
            switch ((XdpAction)run.ReturnValue)
            {
                case XdpAction.Tx:
                case XdpAction.Redirect when redirectIsTx:
                    back.Add(run.Output);
                    break;
                case XdpAction.Pass:
                    passed.Add(frame);
                    break;
                default:
                    dropped++;
                    break;
            }
        }
        return new ExpectedTraffic(back, passed, dropped);
    }

    /// <summary>Frames in <paramref name="actual"/> that <paramref name="expected"/> does not account for, and frames
    /// expected that did not come (as multisets).</summary>
    public static (int Unexpected, int Missing) Compare(IReadOnlyList<byte[]> expected, IReadOnlyList<byte[]> actual)
    {
        var counts = new Dictionary<string, int>();
        foreach (var frame in expected)
            counts[Convert.ToHexString(frame)] = counts.GetValueOrDefault(Convert.ToHexString(frame)) + 1;
        var unexpected = 0;
        foreach (var frame in actual)
        {
            var key = Convert.ToHexString(frame);
            if (counts.GetValueOrDefault(key) > 0)
                counts[key]--;
            else
                unexpected++;
        }
        return (unexpected, counts.Values.Sum());
    }
}

/// <summary>A sender running in the background (<see cref="Traffic.StartBackground"/>); stopping it kills the sender
/// and its children and removes its private folder (the frames file).</summary>
public sealed class BackgroundTraffic(Process sender, string directory) : IDisposable
{
    private bool _disposed;

    public void Stop()
    {
        if (_disposed)
            return;
        if (!sender.HasExited)
            sender.Kill(entireProcessTree: true);
        sender.WaitForExit();
        if (Directory.Exists(directory))
            Directory.Delete(directory, recursive: true);
    }

    public void Dispose()
    {
        Stop();
        if (!_disposed)
            sender.Dispose();
        _disposed = true;
    }
}
