using System.Diagnostics;
using Kecleon.Files;

namespace Kecleon.Tests;

/// <summary>
/// The other user of the path-safety tests: commands run as nobody (uid and gid 65534, no supplementary groups) through
/// setpriv, so what they may create, link and lock is decided by the real kernel's permission checks.
/// </summary>
internal static class Unprivileged
{
    public const int Uid = 65534;

    /// <summary>Runs <paramref name="command"/> as nobody and returns its exit code and output (stdout and stderr).</summary>
    public static (int ExitCode, string Output) Run(string command, params string[] arguments)
    {
        using var process = Start(command, arguments);
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(30_000))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{command} as nobody did not finish");
        }
        return (process.ExitCode, output.Result + error.Result);
    }

    /// <summary>Runs <paramref name="command"/> as nobody and fails the test unless it succeeds.</summary>
    public static void MustRun(string command, params string[] arguments)
    {
        var (code, output) = Run(command, arguments);
        if (code != 0)
            throw new InvalidOperationException($"{command} {string.Join(' ', arguments)} as nobody failed ({code}): {output}");
    }

    /// <summary>Starts <paramref name="command"/> as nobody in the background.</summary>
    public static Process Start(string command, params string[] arguments)
    {
        var info = new ProcessStartInfo("setpriv")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { $"--reuid={Uid}", $"--regid={Uid}", "--clear-groups", "--", command }.Concat(arguments))
            info.ArgumentList.Add(argument);
        return Process.Start(info) ?? throw new InvalidOperationException("cannot start setpriv");
    }

    /// <summary>Starts <c>flock PATH sleep 600</c> as nobody and returns once the lock is held (or the process failed).</summary>
    public static Process HoldLock(string path)
    {
        var holder = Start("flock", "--no-fork", path, "sh", "-c", "echo held; exec sleep 600");
        var first = holder.StandardOutput.ReadLine();
        if (first != "held")
        {
            holder.WaitForExit(5_000);
            throw new InvalidOperationException($"nobody could not hold a lock on {path}: {holder.StandardError.ReadToEnd()}");
        }
        return holder;
    }

    public static void Stop(Process process)
    {
        if (!process.HasExited)
            process.Kill(entireProcessTree: true);
        process.WaitForExit();
        process.Dispose();
    }

    /// <summary>Removes what a test planted at <paramref name="path"/>: a directory with what it holds, or a file, socket
    /// or symbolic link itself (never what a link points at); nothing when nothing is there.</summary>
    public static void RemovePlanted(string path)
    {
        var kind = SafePaths.Status(path).Kind;
        if (kind is FileKind.Directory)
            Directory.Delete(path, recursive: true);
        else if (kind is not FileKind.Missing)
            File.Delete(path);
    }

    /// <summary>A root-owned folder for the files a planted symlink points at: the test checks that root wrote nothing
    /// there through it.</summary>
    public static string VictimFolder()
    {
        var folder = Directory.CreateTempSubdirectory("kecleon-victim-").FullName;
        // Nobody must be able to name a path inside it (for its symlinks) but not to write there: 0711.
        File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
                                     UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        return folder;
    }
}
