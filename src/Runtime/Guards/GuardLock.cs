using Kecleon.Files;

namespace Kecleon.Runtime.Guards;

/// <summary>
/// One process at a time owns a pinned guard table: an exclusive <c>flock</c> on
/// <c>/run/kecleon/guards-&lt;pin root&gt;.lock</c> (bpffs holds no regular files). The directory is root's alone (0700,
/// checked by <see cref="SafePaths.EnsureDirectory"/> before each use), so no other user can open the file to hold the
/// lock or put a symlink in its place; the file is opened with <c>O_NOFOLLOW</c> all the same.
/// </summary>
public static class GuardLock
{
    public static string PathFor(string pinDirectory, string runDirectory = SafePaths.RunDirectory) =>
        Path.Combine(runDirectory,
            "guards" + string.Concat(Path.GetFullPath(pinDirectory).Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')) + ".lock");

    /// <summary>Takes the lock of the table pinned in <paramref name="pinDirectory"/>, waiting up to <paramref name="timeout"/>
    /// for another Kecleon process to let go; disposing the stream releases it.</summary>
    public static FileStream Acquire(string pinDirectory, TimeSpan timeout, string runDirectory = SafePaths.RunDirectory)
    {
        var directory = SafePaths.EnsureDirectory(runDirectory, SafePaths.OwnerOnly, ownerOnly: true, "the guard lock directory");
        var path = PathFor(pinDirectory, directory);
        var file = SafePaths.OpenLockFile(path);
        try
        {
            var deadline = DateTime.UtcNow + timeout;
            while (!SafePaths.TryLock(file, path))
            {
                if (DateTime.UtcNow >= deadline)
                    throw new GuardException($"another Kecleon process holds the guard table in {pinDirectory} ({path}) and did not let go within {timeout.TotalSeconds:F0} s");
                Thread.Sleep(50);
            }
            return new FileStream(file, FileAccess.ReadWrite);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }
}
