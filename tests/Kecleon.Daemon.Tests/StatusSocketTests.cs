using Kecleon.Daemon;
using Kecleon.Files;
using Kecleon.Tests;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Kecleon.Daemon.Tests;

/// <summary>
/// Where the daemon puts its status socket: only a stale socket is replaced; a file, a directory, a symlink or a socket
/// someone listens on is refused and left as it was; a directory another user (nobody, through setpriv) owns or links
/// is refused before anything is created in it.
/// </summary>
public sealed class StatusSocketTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("kecleon-status-").FullName;
    private readonly string _victims = Unprivileged.VictimFolder();
    private readonly List<string> _planted = [];

    public void Dispose()
    {
        foreach (var path in _planted.Append(_directory).Append(_victims))
            Unprivileged.RemovePlanted(path);
    }

    private static DaemonSnapshot Empty() => new(DateTimeOffset.UtcNow, "tracepoints", []);

    private string Socket => Path.Combine(_directory, "kecleon.sock");

    [Fact]
    public void A_regular_file_at_the_socket_path_is_refused_and_survives()
    {
        File.WriteAllText(Socket, "someone's data\n");
        var error = Assert.Throws<UnsafePathException>(() => StatusServer.Start(Socket, Empty, NullLogger.Instance));
        Assert.Equal($"status_socket {Socket}: refusing to replace a regular file; name a path where nothing is, or where a stale Kecleon socket is",
            error.Message);
        Assert.Equal(ExitCodes.NoPermission, error.ExitCode);
        Assert.Equal("someone's data\n", File.ReadAllText(Socket));
    }

    [Fact]
    public void A_directory_or_a_symlink_at_the_socket_path_is_refused_and_nothing_is_created_through_it()
    {
        Directory.CreateDirectory(Socket);
        var error = Assert.Throws<UnsafePathException>(() => StatusServer.Start(Socket, Empty, NullLogger.Instance));
        Assert.Contains("refusing to replace a directory", error.Message, StringComparison.Ordinal);
        Assert.True(Directory.Exists(Socket));
        Directory.Delete(Socket);

        var victim = Path.Combine(_victims, "victim");
        File.CreateSymbolicLink(Socket, victim);
        error = Assert.Throws<UnsafePathException>(() => StatusServer.Start(Socket, Empty, NullLogger.Instance));
        Assert.Contains("refusing to replace a symbolic link", error.Message, StringComparison.Ordinal);
        Assert.Equal(FileKind.SymbolicLink, SafePaths.Status(Socket).Kind);
        Assert.Empty(Directory.GetFileSystemEntries(_victims));
    }

    [Fact]
    public async Task A_stale_socket_is_replaced_and_a_live_one_is_refused()
    {
        // A socket file nobody listens on: what a daemon that was killed leaves (its socket closed, its file left).
        SafePaths.ListenUnix(Socket, 1).Dispose();
        Assert.Equal(FileKind.Socket, SafePaths.Status(Socket).Kind);
        await using (StatusServer.Start(Socket, Empty, NullLogger.Instance))
        {
            Assert.Equal("tracepoints", StatusServer.Query(Socket, TimeSpan.FromSeconds(5)).GuardHook);

            // While it listens, a second daemon with the same socket is refused and the first one still answers.
            var error = Assert.Throws<PathInUseException>(() => StatusServer.Start(Socket, Empty, NullLogger.Instance));
            Assert.Contains("a process listens on it", error.Message, StringComparison.Ordinal);
            Assert.Equal(ExitCodes.Conflict, error.ExitCode);
            Assert.Equal("tracepoints", StatusServer.Query(Socket, TimeSpan.FromSeconds(5)).GuardHook);
        }
        Assert.Equal(FileKind.Missing, SafePaths.Status(Socket).Kind);
    }

    [Fact]
    public async Task A_file_put_in_the_sockets_place_while_the_daemon_ran_is_not_removed_at_stop()
    {
        var server = StatusServer.Start(Socket, Empty, NullLogger.Instance);
        File.Delete(Socket);
        File.WriteAllText(Socket, "root's data\n");
        await server.DisposeAsync();
        Assert.Equal("root's data\n", File.ReadAllText(Socket));
    }

    [Fact]
    public void A_socket_directory_nobody_owns_or_links_is_refused_before_anything_is_created()
    {
        var owned = Plant(Path.Combine(Path.GetTempPath(), $"kecleon-status-{Guid.NewGuid():N}"));
        Unprivileged.MustRun("mkdir", "-m", "0777", owned);
        var error = Assert.Throws<UnsafePathException>(() => StatusServer.Start(Path.Combine(owned, "kecleon.sock"), Empty, NullLogger.Instance));
        Assert.Contains("owned by uid 65534", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(owned));

        var linked = Plant(Path.Combine(Path.GetTempPath(), $"kecleon-status-{Guid.NewGuid():N}"));
        Unprivileged.MustRun("ln", "-s", _victims, linked);
        error = Assert.Throws<UnsafePathException>(() => StatusServer.Start(Path.Combine(linked, "kecleon.sock"), Empty, NullLogger.Instance));
        Assert.Contains("is a symbolic link", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(_victims));

        // Nobody's link on the way to a directory that would be created.
        error = Assert.Throws<UnsafePathException>(() => StatusServer.Start(Path.Combine(linked, "run", "kecleon.sock"), Empty, NullLogger.Instance));
        Assert.Contains("symbolic link owned by uid 65534", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(_victims));

        // A directory of root's that everyone may write to (without the sticky bit).
        var open = Plant(Path.Combine(Path.GetTempPath(), $"kecleon-status-{Guid.NewGuid():N}"));
        Directory.CreateDirectory(open);
        File.SetUnixFileMode(open, (UnixFileMode)0x1ff);
        error = Assert.Throws<UnsafePathException>(() => StatusServer.Start(Path.Combine(open, "kecleon.sock"), Empty, NullLogger.Instance));
        Assert.Contains("its mode is 0777", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(open));
    }

    [Fact]
    public async Task A_missing_socket_directory_is_created_root_only()
    {
        var path = Path.Combine(_directory, "a", "b", "kecleon.sock");
        await using (StatusServer.Start(path, Empty, NullLogger.Instance))
        {
            foreach (var directory in new[] { Path.Combine(_directory, "a"), Path.Combine(_directory, "a", "b") })
            {
                var status = SafePaths.Status(directory);
                Assert.Equal((FileKind.Directory, 0u, SafePaths.OwnerOnly), (status.Kind, status.Owner, status.Mode));
            }
            var socket = SafePaths.Status(path);
            Assert.Equal((FileKind.Socket, UnixFileMode.UserRead | UnixFileMode.UserWrite), (socket.Kind, socket.Mode));
            var (code, output) = Unprivileged.Run("sh", "-c", $"ls {path}");
            Assert.NotEqual(0, code);
            Assert.Contains("Permission denied", output, StringComparison.Ordinal);
        }
    }

    private string Plant(string path)
    {
        _planted.Add(path);
        return path;
    }
}
