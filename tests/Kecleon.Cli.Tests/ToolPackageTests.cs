using System.Diagnostics;
using Kecleon.Tests;
using Xunit;

namespace Kecleon.Cli.Tests;

/// <summary>
/// kecleon as users get it: packed as a .NET tool (from the build, <c>dotnet pack --no-build</c>), installed to a
/// folder of its own, run from a folder that is not the repository; and <c>sample:NAME</c> on the commands that load
/// programs, their output off a terminal exactly what it was (no progress bar, no escape sequences).
/// </summary>
[Trait("Tier", "Kernel")]
public sealed class ToolPackageTests
{
    private static string Repository
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Kecleon.sln")))
                    return dir.FullName;
            throw new InvalidOperationException($"no Kecleon.sln above {AppContext.BaseDirectory}");
        }
    }

    [Fact]
    public void The_packed_tool_installs_and_runs_every_input_form_from_any_folder()
    {
        var work = Directory.CreateDirectory(TestEnvironment.TempFile("", "cli-tool")).FullName;
        try
        {
            var (packages, tools, cwd) = (Path.Combine(work, "nupkg"), Path.Combine(work, "tools"), Directory.CreateDirectory(Path.Combine(work, "cwd")).FullName);
            Tool(Repository, TestEnvironment.DotnetHost, "pack", Path.Combine(Repository, "src", "Cli", "Kecleon.Cli.csproj"), "-c", "Release", "--no-build", "-o", packages);
            Tool(work, TestEnvironment.DotnetHost, "tool", "install", "kecleon", "--tool-path", tools, "--add-source", packages);
            var kecleon = Path.Combine(tools, "kecleon");
            Assert.Matches(@"^\d+\.\d+\.\d+", Tool(cwd, kecleon, "--version"));
            var list = Tool(cwd, kecleon, "sample", "list");
            Assert.Contains(Path.Combine(tools, ".store"), list); // the samples that came with the package
            using var analysis = System.Text.Json.JsonDocument.Parse(Tool(cwd, kecleon, "analyze", "sample:router", "--json"));
            Assert.Contains("routes", analysis.RootElement.GetRawText());
            Assert.Contains("0 mismatches", Tool(cwd, kecleon, "diff", "sample:router", "sample:router", "--sample", "router", "--packets", "20", "--maps-every", "0"));
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    [Fact]
    public void Sample_inputs_on_the_kernel_commands_with_output_unchanged_off_a_terminal()
    {
        var frame = TestEnvironment.TempFile(".bin", "cli-tool");
        File.WriteAllBytes(frame, Programs.Frame(0x0800));
        var profile = TestEnvironment.TempFile(".json", "cli-tool");
        try
        {
            var run = KecleonProcess.Run("run", "sample:router", "--packet", frame);
            Assert.True(run.ExitCode == 0, run.Output);
            Assert.Contains("program  router (Xdp", run.Stdout);

            var source = Path.Combine(AppContext.BaseDirectory, "samples", "router", "router.bpf.c");
            var diff = KecleonProcess.Run("diff", "sample:router", source, "--sample", "router", "--packets", "40", "--fuzz", "10", "--maps-every", "0");
            Assert.True(diff.ExitCode == 0, diff.Output);
            Assert.Equal("50 packets; compared verdicts, output bytes and maps (routes, nexthops, stats)\n0 mismatches\n", diff.Stdout);
            Assert.Equal("", diff.Stderr);

            var bench = KecleonProcess.Run("bench", "sample:router", "--locality", "high", "--packets", "100", "--rounds", "1", "--loads", "1",
                "--no-optimize", "--no-instrument", "--json");
            Assert.True(bench.ExitCode == 0, bench.Output);
            using (System.Text.Json.JsonDocument.Parse(bench.Stdout))
            {
            }
            Assert.Equal("bench router / high: 100 packets\n", bench.Stderr);

            var profiled = KecleonProcess.Run("profile", "sample:router", "--packets", "100", "--out", profile);
            Assert.True(profiled.ExitCode == 0, profiled.Output);
            Assert.Matches(@"^window 1: \d+ packets of router/high, \d+ key samples\nprofile written to ", profiled.Stderr);

            foreach (var r in new[] { run, diff, bench, profiled })
                Assert.DoesNotContain('\x1b', r.Output);
        }
        finally
        {
            File.Delete(frame);
            File.Delete(profile);
        }
    }

    /// <summary>Runs a program that must succeed; its standard output.</summary>
    private static string Tool(string cwd, string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = cwd };
        foreach (var a in args)
            info.ArgumentList.Add(a);
        using var process = Process.Start(info)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
            process.Kill(entireProcessTree: true);
        Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', args)}: exit {process.ExitCode}\n{stdout}{stderr.Result}");
        return stdout;
    }
}
