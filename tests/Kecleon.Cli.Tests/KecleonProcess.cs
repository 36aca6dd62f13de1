using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Kecleon.Tests;
using Xunit;

namespace Kecleon.Cli.Tests;

/// <summary>Runs the real <c>kecleon</c> command in a child process.</summary>
internal static partial class KecleonProcess
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public string Output => Stdout + Stderr;
    }

    internal static string Dll => Path.Combine(AppContext.BaseDirectory, "kecleon.dll");

    private static string DotnetHost => TestEnvironment.DotnetHost;

    public static Result Run(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null,
        string? dll = null, string[]? prefix = null)
    {
        var command = prefix is { Length: > 0 } ? prefix[0] : DotnetHost;
        var info = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in (prefix ?? []).Skip(1))
            info.ArgumentList.Add(a);
        if (prefix is { Length: > 0 })
            info.ArgumentList.Add(DotnetHost);
        info.ArgumentList.Add(dll ?? Dll);
        foreach (var a in args)
            info.ArgumentList.Add(a);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            info.Environment[key] = value;
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"kecleon {string.Join(' ', args)} did not finish");
        }
        return new Result(process.ExitCode, stdout, stderr.Result);
    }

    public static Result Run(params string[] args) => Run(args, null);

    /// <summary><c>kecleon optimize SOURCE --attach INTERFACE</c>: loads the input, attaches it and optimizes it. It must
    /// succeed; returns its run and the id of the program it loaded (the original).</summary>
    public static (Result Run, uint OriginalId) OptimizeAttaching(string source, string interfaceName, string pinRoot, int checkPackets)
    {
        var run = Run("optimize", source, "--attach", interfaceName, "--pin-root", pinRoot, "--check-packets",
            checkPackets.ToString(CultureInfo.InvariantCulture));
        Assert.True(run.ExitCode == 0, run.Output);
        return (run, uint.Parse(LoadedAs().Match(run.Stdout).Groups[1].Value, CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"loaded the input as program (\d+)")]
    private static partial Regex LoadedAs();

    /// <summary>Runs <c>kecleon</c> as user nobody with no capabilities, from a world-readable copy of the build output
    /// (the unprivileged user must be able to read the tool, wherever the repository was cloned).</summary>
    public static Result RunAsNobody(params string[] args) =>
        Run(args, new Dictionary<string, string> { ["HOME"] = UnprivilegedCopy.Value, ["DOTNET_CLI_HOME"] = UnprivilegedCopy.Value },
            dll: Path.Combine(UnprivilegedCopy.Value, "kecleon.dll"),
            prefix: ["setpriv", $"--reuid={Unprivileged.Uid}", $"--regid={Unprivileged.Uid}", "--clear-groups", "--inh-caps=-all"]);

    private static readonly Lazy<string> UnprivilegedCopy = new(() =>
    {
        var copy = Directory.CreateTempSubdirectory("kecleon-cli-nobody-").FullName;
        foreach (var file in Directory.GetFiles(AppContext.BaseDirectory, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(copy, Path.GetRelativePath(AppContext.BaseDirectory, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
        foreach (var entry in Directory.GetFileSystemEntries(copy, "*", SearchOption.AllDirectories).Append(copy))
            File.SetUnixFileMode(entry, Directory.Exists(entry) ? (UnixFileMode)0b111_101_101 : (UnixFileMode)0b110_100_100);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(copy, recursive: true);
        return copy;
    });

    /// <summary>Starts <c>kecleon</c> and leaves it running (a daemon), its output collected in the background.</summary>
    public static Process Start(params string[] args) => Start(null, args);

    /// <summary>Every process <see cref="Start(string[])"/> left running. Disposing a <see cref="Process"/> does not end it:
    /// a test that fails before it stops its daemon would leave that daemon running (and polling, and holding its guard
    /// hook) for every later test and benchmark on the machine, so whatever is still running goes when the test run ends.</summary>
    private static readonly List<Process> Started = [];

    static KecleonProcess() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        lock (Started)
            foreach (var process in Started)
                try
                {
                    if (!process.HasExited)
                        process.Kill(entireProcessTree: true);
                }
                catch (InvalidOperationException)
                {
                    // never started or already reaped
                }
    };

    /// <summary>Starts <c>kecleon</c> with extra environment variables and leaves it running.</summary>
    public static Process Start(IReadOnlyDictionary<string, string>? environment, params string[] args)
    {
        var info = new ProcessStartInfo(DotnetHost) { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Dll);
        foreach (var a in args)
            info.ArgumentList.Add(a);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            info.Environment[key] = value;
        var process = Process.Start(info)!;
        lock (Started)
            Started.Add(process);
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}
