using System.Net;
using System.Net.Sockets;
using Kecleon.Bench.Live;
using Kecleon.Tests;
using Xunit;

namespace Kecleon.Cli.Tests;

/// <summary>
/// The daemon when it cannot start: one line on stderr, no stack trace, and a non-zero exit, so that systemd's
/// <c>Restart=on-failure</c> applies. The target names an interface that does not exist: no start gets as far as
/// touching a data plane.
/// </summary>
public sealed class DaemonStartTests
{
    private static string Config(string statusSocket, string pinRoot, string metrics = "")
    {
        var path = TestEnvironment.TempFile(".json");
        File.WriteAllText(path, $$"""
            { "targets": [ { "name": "t", "source": "sample:router", "interface": "kclnone0" } ],
              "status_socket": "{{statusSocket}}", "metrics": "{{metrics}}", "pin_root": "{{pinRoot}}" }
            """);
        File.SetUnixFileMode(path, (UnixFileMode)0b110_100_100);
        return path;
    }

    private static string Socket() => Path.Combine(Path.GetTempPath(), "kecleon-tests", $"start-{Guid.NewGuid():N}"[..20] + ".sock");

    private static string PinRoot() => $"/sys/fs/bpf/kecleon-start-{Guid.NewGuid():N}"[..36];

    [Fact]
    public void A_status_socket_path_over_107_bytes_is_a_configuration_error()
    {
        var socket = "/tmp/" + new string('s', 110) + ".sock";
        AssertOneLine(KecleonProcess.Run("daemon", "--config", Config(socket, PinRoot())), ExitCodes.BadInput, "a Unix socket path holds at most 107");
    }

    [Trait("Tier", "Kernel")]
    [Fact]
    public void A_socket_folder_that_cannot_be_made_stops_the_daemon()
    {
        WithPinRoot(root => AssertOneLine(KecleonProcess.Run("daemon", "--config", Config("/proc/kecleon-test/kecleon.sock", root)),
            null, "cannot create /proc/kecleon-test"));
    }

    [Fact]
    public void A_pin_root_off_bpffs_is_a_configuration_error()
    {
        AssertOneLine(KecleonProcess.Run("daemon", "--config", Config(Socket(), "/tmp/kecleon-not-bpffs")), ExitCodes.BadInput,
            "pin_root: /tmp/kecleon-not-bpffs is not on a bpffs mount");
    }

    [Trait("Tier", "Kernel")]
    [Fact]
    public void A_metrics_port_in_use_stops_the_daemon()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        WithPinRoot(root => AssertOneLine(KecleonProcess.Run("daemon", "--config", Config(Socket(), root, $"127.0.0.1:{port}")),
            ExitCodes.Failure, $"cannot serve metrics on 127.0.0.1:{port}"));
    }

    [Fact]
    public void A_missing_configuration_exits_66()
    {
        AssertOneLine(KecleonProcess.Run("daemon", "--config", "/nonexistent/daemon-start/kecleon.json"), ExitCodes.NoInput,
            "/nonexistent/daemon-start/kecleon.json");
    }

    [Trait("Tier", "Kernel")]
    [Fact]
    public void A_status_socket_another_process_listens_on_exits_75()
    {
        var socket = Socket();
        Directory.CreateDirectory(Path.GetDirectoryName(socket)!);
        using var listener = new System.Net.Sockets.Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(socket));
        listener.Listen(1);
        try
        {
            WithPinRoot(root => AssertOneLine(KecleonProcess.Run("daemon", "--config", Config(socket, root)), ExitCodes.Conflict, "a process listens on it"));
        }
        finally
        {
            File.Delete(socket);
        }
    }

    [Fact]
    public void Not_root_the_daemon_exits_77()
    {
        AssertOneLine(KecleonProcess.RunAsNobody("daemon", "--config", Config(Socket(), PinRoot())), ExitCodes.NoPermission,
            "must run as root, or with CAP_BPF");
    }

    [Trait("Tier", "Kernel")]
    [Fact]
    public void A_guard_table_another_daemon_holds_stops_the_second_daemon()
    {
        WithPinRoot(root =>
        {
            using var first = KecleonProcess.Start("daemon", "--config", Config(Socket(), root));
            try
            {
                // The first daemon holds the guard table's lock from its start until it stops.
                var deadline = DateTime.UtcNow.AddSeconds(30);
                while (!Directory.Exists(Path.Combine(root, "guards")) && DateTime.UtcNow < deadline)
                    Thread.Sleep(100);
                Assert.False(first.HasExited, "the first daemon stopped by itself");
                var second = KecleonProcess.Run("daemon", "--config", Config(Socket(), root));
                AssertOneLine(second, null, "guard");
            }
            finally
            {
                first.Kill(); // SIGKILL: the kernel releases its statistics and its lock with the process
                first.WaitForExit();
            }
        });
    }

    /// <summary>A fresh bpffs pin root for one daemon, removed afterwards.</summary>
    private static void WithPinRoot(Action<string> test)
    {
        var root = PinRoot();
        try
        {
            test(root);
        }
        finally
        {
            if (Directory.Exists(root))
                Directory.Delete(root, recursive: true);
            VethPair.RemoveLockFiles(root); // the daemon's guard table lock in /run/kecleon
        }
    }

    /// <param name="exitCode">The exit code expected, or null for any non-zero documented one but 70.</param>
    private static void AssertOneLine(KecleonProcess.Result r, int? exitCode, string text)
    {
        Assert.True(r.ExitCode != 0 && r.ExitCode != ExitCodes.Internal && r.ExitCode < 128, $"exit {r.ExitCode}:\n{r.Output}");
        if (exitCode is { } expected)
            Assert.True(expected == r.ExitCode, $"expected exit {expected}, got {r.ExitCode}:\n{r.Output}");
        Assert.Equal("", r.Stdout);
        var lines = r.Stderr.TrimEnd().Split('\n');
        Assert.True(lines.Length == 1, $"expected one line, got {lines.Length}:\n{r.Stderr}");
        Assert.StartsWith("kecleon: error: ", lines[0]);
        Assert.Contains(text, lines[0]);
    }
}
