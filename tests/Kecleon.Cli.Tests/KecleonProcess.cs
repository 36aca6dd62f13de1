using System.Diagnostics;

namespace Kecleon.Cli.Tests;

/// <summary>Runs the real <c>kecleon</c> command in a child process.</summary>
internal static class KecleonProcess
{
    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public string Output => Stdout + Stderr;
    }

    private static string Dll => Path.Combine(AppContext.BaseDirectory, "kecleon.dll");

    public static string DotnetHost => Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet"
        ? p
        : "/usr/share/dotnet/dotnet";

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

    /// <summary>Starts <c>kecleon</c> and leaves it running (a daemon), its output collected in the background.</summary>
    public static Process Start(params string[] args) => Start(null, args);

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
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }
}
