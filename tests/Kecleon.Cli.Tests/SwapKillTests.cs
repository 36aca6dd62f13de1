using System.Globalization;
using Kecleon.Bpf;
using Kecleon.Runtime.Deployment;
using Kecleon.Runtime.Guards;
using Kecleon.Bench.Live;
using Kecleon.Workloads;
using Kecleon.Tests;
using Xunit;
using Xunit.Abstractions;

namespace Kecleon.Cli.Tests;

/// <summary>
/// <c>kecleon optimize</c> and <c>kecleon daemon</c> killed with SIGKILL right after each kernel call of their swap
/// transactions (<see cref="FaultInjection"/>, <c>KECLEON_FAULT_KILL_AT=N</c> for N = 1, 2, … until a run gets through):
/// after every kill the router on the hook must answer as the reference does, also after a route change, and the next
/// command must recover the target and give the original program (same id) back.
/// </summary>
[Trait("Tier", "Kernel")]
public sealed class SwapKillTests(ITestOutputHelper output)
{
    private static readonly string Router = Path.Combine(TestEnvironment.Samples, "router", "router.bpf.c");

    [Fact]
    public void Optimize_killed_after_any_step_leaves_a_correct_router_and_restore_gives_the_original_back()
    {
        using var pair = VethPair.Create();
        using var router = LiveRouter.Start(pair);
        var root = pair.PinDirectory;
        var id = router.OriginalId.ToString(CultureInfo.InvariantCulture);
        var nextHop = 3u;
        for (var n = 1; ; n++)
        {
            Assert.True(n < 40, "optimize never got through");
            var run = KecleonProcess.Run(["optimize", Router, "--prog-id", id, "--pin-root", root, "--check-packets", "200"], Kill(n));
            if (run.ExitCode == 0)
            {
                output.WriteLine($"optimize got through at N = {n}");
                Assert.True(n > 7, $"only {n - 1} steps: are the fault points in place?");
                break;
            }
            Assert.True(run.ExitCode == 137, $"kill at step {n}: exit {run.ExitCode}, not SIGKILL: {run.Output}");
            var running = BpfXdp.Query(pair.HostIndex).ProgramId;
            nextHop = AssertAsReferenceAcrossAWrite(router, running, n, nextHop);

            if (running != router.OriginalId)
            {
                var restore = KecleonProcess.Run("optimize", Router, "--prog-id", id, "--pin-root", root, "--restore");
                Assert.True(restore.ExitCode == 0, $"step {n}: {restore.Output}");
            }
            Assert.Equal(router.OriginalId, BpfXdp.Query(pair.HostIndex).ProgramId);
            output.WriteLine($"step {n}: {KilledAt(run.Stderr)}; the hook ran {(running == router.OriginalId ? "the original" : $"program {running}")}; original back");
            DeleteTarget(root, pair);
        }
        // The last run swapped: restore by the original's id.
        var last = KecleonProcess.Run("optimize", Router, "--prog-id", id, "--pin-root", root, "--restore");
        Assert.True(last.ExitCode == 0, last.Output);
        Assert.Equal(router.OriginalId, BpfXdp.Query(pair.HostIndex).ProgramId);
        BpfXdp.Detach(pair.HostIndex, XdpFlags.DriverMode);
    }

    [Fact]
    public void The_daemon_killed_after_any_step_of_its_first_cycle_leaves_a_correct_router_and_the_target_reopens()
    {
        using var pair = VethPair.Create();
        using var router = LiveRouter.Start(pair);
        var root = pair.PinDirectory;
        var (config, socket) = DaemonProcess.RouterConfig(pair, "kill", period: "30s", profileWindow: "200ms", watch: "0s");
        var nextHop = 3u;
        try
        {
            for (var n = 1; ; n++)
            {
                Assert.True(n < 40, "the daemon never got through its first cycle");
                using var daemon = KecleonProcess.Start(Kill(n), "daemon", "--config", config);
                var optimized = DaemonProcess.WaitForOptimizedOrExit(daemon, socket, TimeSpan.FromSeconds(120));
                if (optimized)
                {
                    daemon.Kill();
                    daemon.WaitForExit();
                    output.WriteLine($"the daemon got through its first cycle at N = {n}");
                    Assert.True(n > 10, $"only {n - 1} steps: are the fault points in place?");
                    break;
                }
                Assert.True(daemon.ExitCode == 137, $"kill at step {n}: the daemon exited with {daemon.ExitCode}, not SIGKILL");
                var running = BpfXdp.Query(pair.HostIndex).ProgramId;
                nextHop = AssertAsReferenceAcrossAWrite(router, running, n, nextHop);

                // The next process finds the target by the original's id, recovers it and restores the original.
                using (var target = Target.Find(router.OriginalId, root))
                using (var guards = GuardTable.OpenPinned(Path.Combine(root, "guards")))
                {
                    Assert.NotNull(target);
                    Assert.Equal(router.OriginalId, target.OriginalInfo.Id);
                    if (target.OptimizedId is not null)
                        LiveOptimization.Restore(target, guards);
                    output.WriteLine($"step {n}: the hook ran {(running == router.OriginalId ? "the original" : $"program {running}")}; " +
                                     $"reopened{(target.Note is { } note ? $" ({note})" : "")}");
                }
                Assert.Equal(router.OriginalId, BpfXdp.Query(pair.HostIndex).ProgramId);
                DeleteTarget(root, pair);
            }
        }
        finally
        {
            BpfXdp.Detach(pair.HostIndex, XdpFlags.DriverMode);
        }
    }

    private static Dictionary<string, string> Kill(int n) => new() { [FaultInjection.KillAtVariable] = n.ToString(CultureInfo.InvariantCulture) };

    private static string KilledAt(string stderr) =>
        stderr.Split('\n').FirstOrDefault(l => l.Contains("killed after step", StringComparison.Ordinal))?.Trim() ?? "";

    /// <summary>The next run starts as the first did: no pins of the target (the original stays attached by netlink).</summary>
    private static void DeleteTarget(string root, VethPair pair)
    {
        var directory = Path.Combine(root, $"xdp-{pair.HostEnd}");
        if (Directory.Exists(directory))
            Directory.Delete(directory, recursive: true);
    }

    /// <summary>The program on the hook against the reference (BPF_PROG_TEST_RUN), on a trace, before and after a
    /// route change of the trace's hottest destinations.</summary>
    private static uint AssertAsReferenceAcrossAWrite(LiveRouter router, uint programId, int step, uint nextHop)
    {
        Assert.NotEqual(0u, programId);
        var frames = router.Trace(Locality.High, 300, seed: 900 + step);
        AssertAsReference(router, programId, frames, $"step {step}, before a route change");
        nextHop = router.Reroute(frames, 8, nextHop);
        AssertAsReference(router, programId, frames, $"step {step}, after a route change");
        return nextHop;
    }

    private static void AssertAsReference(LiveRouter router, uint programId, IReadOnlyList<byte[]> frames, string when)
    {
        using var program = BpfFd.OpenProgramById(programId);
        var wrong = 0;
        foreach (var frame in frames)
        {
            var expected = router.Reference.Program.TestRun(frame);
            var actual = BpfTestRun.Run(program.Value, $"program {programId}", frame);
            if (expected.ReturnValue != actual.ReturnValue || !expected.Output.AsSpan().SequenceEqual(actual.Output))
                wrong++;
        }
        Assert.True(wrong == 0, $"{when}: program {programId} answers {wrong} of {frames.Count} frames differently from the reference");
    }
}
