using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Kecleon.Tests;
using Xunit;

namespace Kecleon.Daemon.Tests;

/// <summary>packaging/kecleon.service: hardened to an exposure of 5.0 or lower by systemd's own measure, and installed
/// with its documentation where its Documentation= points by packaging/install-service.</summary>
public sealed partial class ServiceUnitTests
{
    private static string Unit => Path.Combine(TestEnvironment.RepositoryRoot, "packaging", "kecleon.service");

    private static (int ExitCode, string Output) Run(string file, IEnumerable<string> arguments, IDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            info.Environment[name] = value;
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{file} did not start");
        var stderr = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd() + stderr.Result;
        process.WaitForExit();
        return (process.ExitCode, output);
    }

    [GeneratedRegex(@"Overall exposure level for kecleon\.service: (\d+\.\d+)")]
    private static partial Regex Exposure();

    [Fact]
    public void The_unit_is_hardened_to_an_exposure_of_5_or_lower()
    {
        // --threshold=50: exit non-zero above 5.0.
        var (exit, output) = Run("systemd-analyze", ["security", "--offline=true", "--threshold=50", "--no-pager", Unit]);
        var match = Exposure().Match(output);
        Assert.True(match.Success, $"no exposure level in:\n{output}");
        var exposure = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.True(exit == 0 && exposure <= 5.0, $"exposure {exposure}, exit {exit}:\n{output}");
    }

    [Fact]
    public void The_unit_runs_the_installed_tool_with_the_capabilities_BPF_needs_and_no_more()
    {
        var lines = File.ReadAllLines(Unit);
        string Value(string key) => Assert.Single(lines, l => l.StartsWith(key + "=", StringComparison.Ordinal))[(key.Length + 1)..];
        Assert.Equal("/usr/local/bin/kecleon daemon --config /etc/kecleon/kecleon.json", Value("ExecStart"));
        Assert.Equal("CAP_BPF CAP_PERFMON CAP_NET_ADMIN CAP_SYS_ADMIN", Value("CapabilityBoundingSet"));
        Assert.Equal("strict", Value("ProtectSystem"));
        Assert.Equal("no", Value("MemoryDenyWriteExecute")); // .NET's JIT
        Assert.Equal("file:///usr/local/share/doc/kecleon/daemon.md", Value("Documentation"));
    }

    [Fact]
    public void The_install_script_puts_the_documentation_where_the_unit_points_and_keeps_a_configuration()
    {
        var root = Directory.CreateTempSubdirectory("kecleon-daemon-install-").FullName;
        try
        {
            var script = Path.Combine(TestEnvironment.RepositoryRoot, "packaging", "install-service");
            var environment = new Dictionary<string, string> { ["DESTDIR"] = root };
            var (exit, output) = Run(script, [], environment);
            Assert.True(exit == 0, output);
            Assert.True(File.Exists(Path.Combine(root, "usr/local/share/doc/kecleon/daemon.md")), output);
            Assert.Equal(File.ReadAllText(Unit), File.ReadAllText(Path.Combine(root, "etc/systemd/system/kecleon.service")));
            var config = Path.Combine(root, "etc/kecleon/kecleon.json");
            File.WriteAllText(config, "{ \"targets\": [] } // mine");
            (exit, output) = Run(script, [], environment);
            Assert.True(exit == 0, output);
            Assert.Equal("{ \"targets\": [] } // mine", File.ReadAllText(config));
            Assert.Contains("keeping", output);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
