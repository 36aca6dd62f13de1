using Kecleon.Bpf;
using Kecleon.Daemon;
using Kecleon.Runtime.Deployment;
using Kecleon.Bench.Live;
using Kecleon.Workloads;
using Kecleon.Tests;
using Xunit;
using Xunit.Abstractions;

namespace Kecleon.Cli.Tests;

/// <summary>
/// The daemon as a process, killed with SIGKILL at random points of its loop: the data plane it leaves must work and
/// stay correct, even through control-plane writes made while no daemon runs, and a restart picks the target up again.
/// </summary>
[Trait("Tier", "Kernel")]
public sealed class DaemonFaultTests(ITestOutputHelper output)
{
    [Fact]
    public void Killing_the_daemon_at_random_points_leaves_a_correct_data_plane_and_a_restart_resumes()
    {
        using var pair = VethPair.CreateReceivingXdpTx();
        using var router = LiveRouter.Start(pair);
        var originalId = router.OriginalId;

        var (config, socket) = DaemonProcess.RouterConfig(pair, "fault", period: "2s", profileWindow: "300ms", watch: "200ms");
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
                var status = DaemonProcess.WaitFor(socket, s => s.State == TargetState.Optimized, "optimize after its restart");
                output.WriteLine($"restarted: {status.State}, program {status.LiveProgramId}, original {status.OriginalProgramId}");
                Assert.Equal(originalId, status.OriginalProgramId);
                DaemonProcess.Stop(daemon);
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
}
