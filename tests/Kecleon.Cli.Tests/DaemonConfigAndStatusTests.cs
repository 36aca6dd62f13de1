using System.Globalization;
using Kecleon.Bench.Live;
using Kecleon.Bpf;
using Kecleon.Daemon;
using Kecleon.Tests;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Kecleon.Cli.Tests;

/// <summary><c>kecleon validate-config</c> (a verdict per target; exit 0 or 65) and <c>kecleon status</c>: the socket
/// path from the configuration, and the programs one-shot <c>kecleon optimize</c> runs left swapped, with or without a
/// daemon.</summary>
public sealed class DaemonConfigAndStatusTests
{
    private static string PinRoot() => $"/sys/fs/bpf/daemon-vc-{Guid.NewGuid():N}"[..34];

    private static string Socket() => Path.Combine(Path.GetTempPath(), "kecleon-tests", $"daemon-st-{Guid.NewGuid():N}"[..22] + ".sock");

    private static string Config(string targets, string socket, string pinRoot)
    {
        var path = TestEnvironment.TempFile(".json");
        File.WriteAllText(path, $$"""{ "targets": [ {{targets}} ], "status_socket": "{{socket}}", "metrics": "", "pin_root": "{{pinRoot}}" }""");
        return path;
    }

    [Trait("Tier", "Kernel")]
    [Fact]
    public void A_configuration_whose_sources_compile_and_hooks_exist_is_valid()
    {
        var config = Config("""{ "name": "lo-router", "source": "sample:router", "interface": "lo" }""", Socket(), PinRoot());
        var run = KecleonProcess.Run("validate-config", "--config", config);
        Assert.True(run.ExitCode == 0, run.Output);
        Assert.Contains(": valid: 1 target(s)", run.Stdout);
        Assert.Contains("lo-router: ok (source sample:router builds; interface lo exists)", run.Stdout);
        Assert.Equal("", run.Stderr);
    }

    [Trait("Tier", "Kernel")]
    [Fact]
    public void Each_target_of_a_bad_configuration_gets_its_verdict_and_the_exit_is_65()
    {
        var broken = TestEnvironment.WriteC("int f(void) { return undeclared; }");
        var config = Config($$"""
            { "name": "good", "source": "sample:router", "interface": "lo" },
            { "name": "nohook", "source": "sample:router", "interface": "kclnone3" },
            { "name": "nobuild", "source": "{{broken}}", "program_id": 4000000000 }
            """, Socket(), "/tmp/daemon-not-bpffs");
        var run = KecleonProcess.Run("validate-config", "--config", config);
        Assert.True(run.ExitCode == ExitCodes.BadInput, run.Output);
        Assert.Contains(": not valid: 3 target(s)", run.Stdout);
        Assert.Contains("pin_root: /tmp/daemon-not-bpffs is not on a bpffs mount", run.Stdout);
        Assert.Contains("  good: ok", run.Stdout);
        Assert.Contains("  nohook: FAILED: hook: no network interface named 'kclnone3'", run.Stdout);
        Assert.Matches("  nobuild: FAILED: source: .*; hook: .*4000000000", run.Stdout);
    }

    [Fact]
    public void Validate_config_without_the_file_exits_66()
    {
        var run = KecleonProcess.Run("validate-config", "--config", "/nonexistent/daemon-vc/kecleon.json");
        Assert.Equal(ExitCodes.NoInput, run.ExitCode);
        Assert.StartsWith("kecleon: error: ", run.Stderr);
    }

    [Fact]
    public void Status_asks_the_socket_the_configuration_names()
    {
        var socket = Socket();
        var run = KecleonProcess.Run("status", "--config", Config("""{ "name": "t", "source": "sample:router", "interface": "lo" }""", socket, PinRoot()));
        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        Assert.Contains($"no Kecleon daemon answers at {socket}", run.Stderr);
        Assert.Contains("no programs left by one-shot `kecleon optimize` runs under", run.Stdout);
    }

    [Fact]
    public async Task Status_shows_the_daemon_found_through_the_configuration()
    {
        var socket = Socket();
        var target = new TargetStatus("daemon-st", "interface lo");
        target.Set(TargetState.Optimized, "live");
        await using (StatusServer.Start(socket, () => new DaemonSnapshot(DateTimeOffset.UtcNow, "tracepoints", [target.Snapshot()]), NullLogger.Instance))
        {
            var run = KecleonProcess.Run("status", "--config", Config("""{ "name": "t", "source": "sample:router", "interface": "lo" }""", socket, PinRoot()));
            Assert.True(run.ExitCode == 0, run.Output);
            Assert.Contains("daemon-st (interface lo): optimized", run.Stdout);
        }
    }

    [Trait("Tier", "Kernel")]
    [Fact]
    public void Status_lists_what_a_one_shot_optimize_left_swapped_with_no_daemon_running()
    {
        using var pair = VethPair.Create();
        var root = pair.PinDirectory;
        var router = Path.Combine(TestEnvironment.Samples, "router", "router.bpf.c");
        var (_, originalId) = KecleonProcess.OptimizeAttaching(router, pair.HostEnd, root, checkPackets: 100);
        var optimizedId = BpfXdp.Query(BpfXdp.InterfaceIndex(pair.HostEnd)).ProgramId;
        try
        {
            var run = KecleonProcess.Run("status", "--socket", Socket(), "--pin-root", root);
            Assert.True(run.ExitCode == ExitCodes.Failure, run.Output);
            Assert.Contains("no Kecleon daemon answers", run.Stderr);
            Assert.Contains("left by one-shot `kecleon optimize` runs (1):", run.Stdout);
            Assert.Contains($"xdp-{pair.HostEnd} ({root}): optimized program {optimizedId} swapped in for the original program {originalId}", run.Stdout);
            Assert.Contains($"restore: kecleon restore --prog-id {originalId} --pin-root {root}", run.Stdout);
        }
        finally
        {
            var restore = KecleonProcess.Run("optimize", router, "--prog-id", originalId.ToString(CultureInfo.InvariantCulture), "--restore", "--pin-root", root);
            Assert.True(restore.ExitCode == 0, restore.Output);
        }
    }
}
