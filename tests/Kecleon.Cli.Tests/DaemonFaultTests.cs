using System.Diagnostics;
using Kecleon.Bpf;
using Kecleon.Daemon;
using Kecleon.Runtime.Deployment;
using Kecleon.Runtime.Live;
using Kecleon.Runtime.Workloads;
using Kecleon.Tests;
using Xunit;
using Xunit.Abstractions;

namespace Kecleon.Cli.Tests;

/// <summary>
/// The daemon as a process, killed with SIGKILL at random points of its loop: the data plane it leaves must work and
/// stay correct, even through control-plane writes made while no daemon runs, and a restart picks the target up again.
/// </summary>
public sealed class DaemonFaultTests(ITestOutputHelper output)
{
    [Fact]
    public void Killing_the_daemon_at_random_points_leaves_a_correct_data_plane_and_a_restart_resumes()
    {
        using var pair = VethPair.CreateReceivingXdpTx();
        using var router = LiveRouter.Start(pair);
        var originalId = router.OriginalId;

        var socket = Path.Combine(Path.GetTempPath(), "kecleon-tests", $"fault-{Guid.NewGuid():N}.sock");
        var config = TestEnvironment.TempFile(".json");
        File.WriteAllText(config, $$"""
            {
              "targets": [ { "name": "router", "source": "sample:router", "interface": "{{pair.HostEnd}}" } ],
              "period": "2s", "profile_window": "300ms", "watch": "200ms", "backoff": "200ms",
              "on_shutdown": "keep", "status_socket": "{{socket}}", "metrics": "", "pin_root": "{{pair.PinDirectory}}"
            }
            """);
        var random = new Random(20261126);
        var nextHop = 3u;
        try
        {
            for (var round = 0; round < 4; round++)
            {
                using (var daemon = KecleonProcess.Start("daemon", "--config", config))
                {
                    var delay = random.Next(300, 6000);
                    Thread.Sleep(delay);
                    Assert.False(daemon.HasExited, $"the daemon exited by itself with {(daemon.HasExited ? daemon.ExitCode : 0)}");
                    daemon.Kill(); // SIGKILL
                    daemon.WaitForExit();
                    output.WriteLine($"round {round}: killed after {delay} ms; the hook runs program {BpfXdp.Query(pair.HostIndex).ProgramId} " +
                                     $"(original {originalId})");
                }
                // No daemon now. The control plane re-routes this round's hottest destinations; the frames right after
                // must follow the new routes, whatever program the daemon left on the hook.
                var frames = router.Trace(Locality.High, 2000, seed: 300 + round);
                nextHop = router.Reroute(frames, 8, nextHop);
                AssertTrafficAsReference(router, frames, $"round {round}");
            }

            // A restart picks the target up and optimizes it again; a graceful stop keeps the optimized program.
            using (var daemon = KecleonProcess.Start("daemon", "--config", config))
            {
                var status = WaitForOptimized(socket, TimeSpan.FromSeconds(90));
                output.WriteLine($"restarted: {status.State}, program {status.LiveProgramId}, original {status.OriginalProgramId}");
                Assert.Equal(originalId, status.OriginalProgramId);
                Process.Start("kill", $"-TERM {daemon.Id}")!.WaitForExit();
                Assert.True(daemon.WaitForExit(60_000), "the daemon did not stop on SIGTERM");
                Assert.Equal(0, daemon.ExitCode);
            }
            Assert.NotEqual(originalId, BpfXdp.Query(pair.HostIndex).ProgramId);
            AssertTrafficAsReference(router, router.Trace(Locality.Low, 2000, seed: 400), "after a graceful stop");
        }
        finally
        {
            BpfXdp.Detach(pair.HostIndex, XdpFlags.DriverMode);
        }
    }

    private void AssertTrafficAsReference(LiveRouter router, IReadOnlyList<byte[]> frames, string when)
    {
        var (expected, actual, wrong) = router.SendAndCompare(frames);
        output.WriteLine($"{when}: back {actual.SentBack.Count} (expected {expected.SentBack.Count}), passed {actual.Passed.Count} (expected {expected.Passed.Count})");
        Assert.Equal(0, wrong);
    }

    /// <summary>True once the daemon reports its target optimized; false when the daemon exits first.</summary>
    internal static bool WaitForOptimizedOrExit(Process daemon, string socket, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (daemon.HasExited)
                return false;
            try
            {
                if (StatusServer.Query(socket, TimeSpan.FromSeconds(2)).Targets.Single().State == TargetState.Optimized)
                    return true;
            }
            catch (Exception e) when (e is KecleonException or IOException or System.Net.Sockets.SocketException or System.Text.Json.JsonException)
            {
                // not up yet, or killed meanwhile
            }
            Thread.Sleep(20);
        }
        throw new TimeoutException("the daemon neither optimized nor exited");
    }

    private static TargetSnapshot WaitForOptimized(string socket, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        TargetSnapshot? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                last = StatusServer.Query(socket, TimeSpan.FromSeconds(2)).Targets.Single();
                if (last.State == TargetState.Optimized)
                    return last;
            }
            catch (KecleonException)
            {
                // not up yet
            }
            Thread.Sleep(100);
        }
        throw new TimeoutException($"the restarted daemon did not optimize: {last?.State} {last?.Detail} " +
                                   string.Join("; ", last?.RecentFailures.Select(f => f.Reason) ?? []));
    }
}
