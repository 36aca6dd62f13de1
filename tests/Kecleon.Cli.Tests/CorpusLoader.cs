using System.Diagnostics;
using Kecleon.Tests;
using Xunit;

namespace Kecleon.Cli.Tests;

/// <summary>The corpus's loader tool (<c>tests/Corpus/corpus_loader.c</c>), built once per test run, and the one way the
/// corpus tests run a tool of their own (clang, gcc, the loader): its output, or a failed assertion naming the exit.</summary>
internal static class CorpusLoader
{
    private static readonly Lazy<string> Binary = new(() =>
    {
        var binary = TestEnvironment.TempFile("", "corpus_loader");
        Run("gcc", "-O1", "-Wall", "-Werror", "-o", binary, Path.Combine(TestEnvironment.RepositoryRoot, "tests", "Corpus", "corpus_loader.c"), "-lbpf");
        return binary;
    });

    /// <summary>The loader with <paramref name="args"/>; its standard output.</summary>
    public static string Load(params string[] args) => Run([Binary.Value, .. args]);

    /// <summary>A command that must succeed; its standard output.</summary>
    public static string Run(params string[] command)
    {
        var info = new ProcessStartInfo(command[0]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in command.Skip(1))
            info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{string.Join(' ', command)}: exit {process.ExitCode}\n{stdout}{stderr.Result}");
        return stdout;
    }
}
