using System.Diagnostics;
using Kecleon.Files;
using Kecleon.Runtime.Guards;
using Kecleon.Bench.Live;
using Kecleon.Tests;
using Xunit;

namespace Kecleon.Runtime.Tests.Guards;

/// <summary>
/// The pinned guard table's lock against another user (nobody, through setpriv): what nobody plants at the lock's old
/// place in world-writable /run/lock, or tries at the new one in /run/kecleon, neither redirects a write of root's nor
/// keeps the table from opening; a run directory another user could change is refused before anything is created in it.
/// </summary>
[Trait("Tier", "Kernel")]
public sealed class GuardLockTests : IDisposable
{
    private readonly string _pin = $"/sys/fs/bpf/kecleon-test-lock-{Guid.NewGuid():N}"[..44];
    private readonly string _victims = Unprivileged.VictimFolder();
    private readonly List<string> _planted = [];
    private readonly List<Process> _holders = [];

    public void Dispose()
    {
        _holders.ForEach(Unprivileged.Stop);
        foreach (var path in _planted)
            Unprivileged.RemovePlanted(path);
        if (Directory.Exists(_pin))
            Directory.Delete(_pin, recursive: true);
        VethPair.RemoveLockFiles(_pin);
        Directory.Delete(_victims, recursive: true);
    }

    private string Planted(string path)
    {
        _planted.Add(path);
        return path;
    }

    private string Temp(string stem) => Planted(Path.Combine(Path.GetTempPath(), $"kecleon-{stem}-{Guid.NewGuid():N}"));

    [Fact]
    public void Nobodys_symlink_and_lock_at_the_old_path_neither_redirect_nor_block_the_table()
    {
        var old = Planted("/run/lock/kecleon" + string.Concat(_pin.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')) + ".lock");
        var victim = Path.Combine(_victims, "created-by-root");

        // A lock file of nobody's own at the old place, held.
        Unprivileged.MustRun("touch", old);
        _holders.Add(Unprivileged.HoldLock(old));
        var clock = Stopwatch.StartNew();
        using (GuardTable.OpenPinned(_pin, TimeSpan.FromSeconds(2)))
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2));

        // A symlink at the old place to a file root would create.
        Unprivileged.Stop(_holders[0]);
        _holders.Clear();
        File.Delete(old);
        Unprivileged.MustRun("ln", "-s", victim, old);
        using (GuardTable.OpenPinned(_pin, TimeSpan.FromSeconds(2)))
        {
            Assert.False(File.Exists(victim));
            Assert.Empty(Directory.GetFileSystemEntries(_victims));
        }
        Assert.Equal(FileKind.SymbolicLink, SafePaths.Status(old).Kind);
    }

    [Fact]
    public void The_lock_in_the_run_directory_is_out_of_nobodys_reach()
    {
        var path = GuardLock.PathFor(_pin);
        var victim = Path.Combine(_victims, "created-by-root");
        using (GuardTable.OpenPinned(_pin, TimeSpan.FromSeconds(2)))
        {
            var run = SafePaths.Status(SafePaths.RunDirectory);
            Assert.Equal(FileKind.Directory, run.Kind);
            Assert.Equal(0u, run.Owner);
            Assert.Equal(SafePaths.OwnerOnly, run.Mode);
            Assert.Equal(FileKind.Regular, SafePaths.Status(path).Kind);
        }

        var (locked, lockOutput) = Unprivileged.Run("flock", "--nonblock", path, "true");
        Assert.NotEqual(0, locked);
        Assert.Contains("Permission denied", lockOutput, StringComparison.Ordinal);
        var (linked, _) = Unprivileged.Run("ln", "-sf", victim, path);
        Assert.NotEqual(0, linked);
        var (created, _) = Unprivileged.Run("touch", Path.Combine(SafePaths.RunDirectory, "planted"));
        Assert.NotEqual(0, created);

        var clock = Stopwatch.StartNew();
        using (GuardTable.OpenPinned(_pin, TimeSpan.FromSeconds(2)))
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2));
        Assert.Equal(FileKind.Regular, SafePaths.Status(path).Kind);
        Assert.Empty(Directory.GetFileSystemEntries(_victims));
    }

    [Fact]
    public void A_run_directory_nobody_owns_or_links_is_refused_and_nothing_is_written_through_it()
    {
        // Nobody's own directory where the run directory would be.
        var owned = Temp("run");
        Unprivileged.MustRun("mkdir", "-m", "0777", owned);
        var error = Assert.Throws<UnsafePathException>(() => GuardLock.Acquire(_pin, TimeSpan.Zero, owned));
        Assert.Contains("owned by uid 65534", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(owned));

        // Nobody's symlink to a directory of root's.
        var linked = Temp("run");
        Unprivileged.MustRun("ln", "-s", _victims, linked);
        error = Assert.Throws<UnsafePathException>(() => GuardLock.Acquire(_pin, TimeSpan.Zero, linked));
        Assert.Contains("is a symbolic link", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(_victims));

        // Nobody's directory on the way: root's run directory inside it would be nobody's to rename or replace.
        var ancestor = Temp("parent");
        Unprivileged.MustRun("mkdir", "-m", "0755", ancestor);
        error = Assert.Throws<UnsafePathException>(() => GuardLock.Acquire(_pin, TimeSpan.Zero, Path.Combine(ancestor, "run")));
        Assert.Contains($"{ancestor} is owned by uid 65534", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(ancestor));

        // Nobody's symlink on the way, to a directory of root's.
        var linkedAncestor = Temp("parent");
        Unprivileged.MustRun("ln", "-s", _victims, linkedAncestor);
        error = Assert.Throws<UnsafePathException>(() => GuardLock.Acquire(_pin, TimeSpan.Zero, Path.Combine(linkedAncestor, "run")));
        Assert.Contains("symbolic link owned by uid 65534", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(_victims));
    }

    [Fact]
    public void A_run_directory_others_may_enter_or_a_symlinked_lock_file_is_refused()
    {
        var open = Temp("run");
        Directory.CreateDirectory(open, SafePaths.OwnerOnly);
        File.SetUnixFileMode(open, SafePaths.OwnerOnly | UnixFileMode.GroupRead | UnixFileMode.GroupExecute |
                                   UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        var error = Assert.Throws<UnsafePathException>(() => GuardLock.Acquire(_pin, TimeSpan.Zero, open));
        Assert.Contains("its mode is 0755; it must be 0700", error.Message, StringComparison.Ordinal);

        // A symlink at the lock file's name (only root could put it there): O_NOFOLLOW refuses it.
        var run = Temp("run");
        Directory.CreateDirectory(run, SafePaths.OwnerOnly);
        var victim = Path.Combine(_victims, "created-by-root");
        File.CreateSymbolicLink(GuardLock.PathFor(_pin, run), victim);
        error = Assert.Throws<UnsafePathException>(() => GuardLock.Acquire(_pin, TimeSpan.Zero, run));
        Assert.Contains("is a symbolic link", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(victim));
    }

    [Fact]
    public void A_missing_run_directory_is_created_root_only_and_the_lock_excludes_a_second_holder()
    {
        var run = Temp("run");
        using (GuardLock.Acquire(_pin, TimeSpan.Zero, run))
        {
            var status = SafePaths.Status(run);
            Assert.Equal((FileKind.Directory, 0u, SafePaths.OwnerOnly), (status.Kind, status.Owner, status.Mode));
            var lockFile = SafePaths.Status(GuardLock.PathFor(_pin, run));
            Assert.Equal((FileKind.Regular, UnixFileMode.UserRead | UnixFileMode.UserWrite), (lockFile.Kind, lockFile.Mode));
            var busy = Assert.Throws<GuardException>(() => GuardLock.Acquire(_pin, TimeSpan.FromMilliseconds(200), run));
            Assert.Contains("another Kecleon process holds the guard table", busy.Message, StringComparison.Ordinal);
        }
        using (GuardLock.Acquire(_pin, TimeSpan.Zero, run))
        {
        }
    }
}
