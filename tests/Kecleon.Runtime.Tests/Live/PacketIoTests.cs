using Kecleon.Files;
using Kecleon.Bench.Live;
using Kecleon.Tests;
using Xunit;

namespace Kecleon.Runtime.Tests.Live;

/// <summary>
/// The packet I/O helper against another user (nobody, through setpriv): it ships beside the assembly, root's and
/// writable by root alone, so what nobody plants at the place it was once compiled into (<c>/tmp/kecleon-pktio-PID</c>)
/// is neither written through nor run, and real frames still go through a veth pair.
/// </summary>
[Trait("Tier", "Kernel")]
public sealed class PacketIoTests : IDisposable
{
    private readonly string _victims = Unprivileged.VictimFolder();
    private readonly string _planted = Path.Combine(Path.GetTempPath(), $"kecleon-pktio-{Environment.ProcessId}");

    public void Dispose()
    {
        if (Directory.Exists(_planted))
            Directory.Delete(_planted, recursive: true);
        Directory.Delete(_victims, recursive: true);
    }

    [Fact]
    public void Nobodys_plants_at_the_old_build_path_are_neither_written_through_nor_run()
    {
        // The old place, predictable from our pid: nobody's directory with symlinks to a file of root's and to a
        // program of nobody's choosing.
        var victim = Path.Combine(_victims, "victim");
        File.WriteAllText(victim, "root's data\n");
        if (Directory.Exists(_planted))
            Directory.Delete(_planted, recursive: true);
        Unprivileged.MustRun("mkdir", "-m", "0777", _planted);
        Unprivileged.MustRun("ln", "-s", victim, Path.Combine(_planted, "pktio.c"));
        Unprivileged.MustRun("sh", "-c", $"printf '#!/bin/sh\\ntouch {_planted}/ran\\n' > {_planted}/pktio && chmod 0755 {_planted}/pktio");
        var before = Directory.GetFileSystemEntries(_planted).Order().ToList();

        var executable = PacketIo.Executable;
        Assert.Equal(Path.Combine(AppContext.BaseDirectory, "pktio"), executable);
        var status = SafePaths.Status(executable);
        Assert.Equal(FileKind.Regular, status.Kind);
        Assert.Equal(SafePaths.EffectiveUid, status.Owner);
        Assert.Equal((UnixFileMode)0, status.Mode & (UnixFileMode.GroupWrite | UnixFileMode.OtherWrite));

        // Real frames through a veth pair, sent from the namespace end and captured on ours by pktio.
        using var pair = VethPair.Create();
        var frames = Enumerable.Range(0, 8).Select(i => Frame(pair.HostMac, (byte)i)).ToList();
        var work = Directory.CreateTempSubdirectory("kecleon-pktio-test-").FullName;
        try
        {
            PacketIo.WriteFrames(Path.Combine(work, "frames"), frames);
            using var capture = VethPair.Start(executable, $"recv {pair.HostEnd} {work}/captured 300 20000");
            Assert.Equal("ready", capture.StandardOutput.ReadLine());
            pair.InNamespace(executable, $"send {pair.PeerEnd} {work}/frames 0");
            Assert.True(capture.WaitForExit(30_000));
            var sent = frames.Select(Convert.ToHexString).ToHashSet();
            var captured = PacketIo.ReadFrames(Path.Combine(work, "captured")).Select(Convert.ToHexString).Where(sent.Contains);
            Assert.Equal(sent.Order(), captured.Order());
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }

        Assert.Equal("root's data\n", File.ReadAllText(victim));
        Assert.Equal(before, Directory.GetFileSystemEntries(_planted).Order().ToList());
        Assert.False(File.Exists(Path.Combine(_planted, "ran")));
        Assert.Equal([victim], Directory.GetFileSystemEntries(_victims));
    }

    /// <summary>An Ethernet frame to <paramref name="destination"/> with a local experimental EtherType (0x88b5): the
    /// stack ignores it, the capture on the host end sees it.</summary>
    private static byte[] Frame(string destination, byte tag)
    {
        var frame = new byte[64];
        Convert.FromHexString(destination.Replace(":", "")).CopyTo(frame, 0);
        new byte[] { 0x02, 0, 0, 0, 0, 0x01 }.CopyTo(frame, 6);
        frame[12] = 0x88;
        frame[13] = 0xb5;
        frame[14] = tag;
        return frame;
    }
}
