using Kecleon.Bpf;
using Kecleon.Runtime.Deployment;
using Kecleon.Bench;
using Kecleon.Bench.Live;
using Kecleon.Workloads;
using Kecleon.Tests;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit;
using Xunit.Abstractions;

namespace Kecleon.Daemon.Tests;

/// <summary>
/// What the daemon leaves behind and what it costs: a restart that finds its own earlier work (the optimized program
/// and, through its pinned fallback map, a copy of the original on the live maps) specializes on its first cycle; a
/// control plane writing while checks run does not send the daemon into the longest back-off; and between its
/// measurement windows the kernel's run-time statistics are off.
/// </summary>
[Trait("Tier", "Kernel")]
public sealed class RestartAndChurnTests(ITestOutputHelper output)
{
    [Fact]
    public async Task After_a_restart_the_first_cycle_specializes()
    {
        using var pair = VethPair.CreateReceivingXdpTx();
        // Another loader's router: the daemon falls back to a stand-in it loads on the live maps, which the pinned
        // fallback map keeps alive after the daemon stops.
        using var router = LiveRouter.Start(pair);
        var config = EndToEndTests.Config(pair, ShutdownPolicy.Keep) with { Period = TimeSpan.FromSeconds(60) };

        uint optimizedId;
        using (var first = EndToEndTests.BuildHost(config, _ => router.CheckPackets()))
        {
            var daemon = first.Services.GetRequiredService<KecleonService>();
            await first.StartAsync();
            try
            {
                var optimized = await EndToEndTests.WaitFor(daemon, t => t.State == TargetState.Optimized && t.Swaps >= 1, TimeSpan.FromSeconds(90), "the first optimization");
                Assert.Contains("routes", optimized.SpecializedMaps);
                optimizedId = optimized.LiveProgramId!.Value;
            }
            finally
            {
                await first.StopAsync();
            }
        }
        // on_shutdown keep: the optimized program stays, and with it the stand-in in its fallback map.
        Assert.Equal(optimizedId, BpfXdp.Query(pair.HostIndex).ProgramId);

        using var second = EndToEndTests.BuildHost(config, _ => router.CheckPackets());
        var restarted = second.Services.GetRequiredService<KecleonService>();
        await second.StartAsync();
        try
        {
            var cycle = await EndToEndTests.WaitFor(restarted, t => t.Swaps >= 1 && t.State is TargetState.Optimized or TargetState.Backoff,
                TimeSpan.FromSeconds(90), "the first cycle after the restart");
            output.WriteLine($"after the restart: {cycle.State} ({cycle.Detail}), program {optimizedId} → {cycle.LiveProgramId}, " +
                             $"specialized on: {string.Join(", ", cycle.SpecializedMaps)}");
            Assert.Equal(TargetState.Optimized, cycle.State);
            Assert.DoesNotContain("unchanged", cycle.Detail ?? "", StringComparison.Ordinal);
            Assert.Contains("routes", cycle.SpecializedMaps);
            Assert.NotEqual(router.OriginalId, BpfXdp.Query(pair.HostIndex).ProgramId);
            Assert.Equal(0, router.SendAndCompare(router.Trace(Locality.High, 1000, seed: 3)).Wrong);
        }
        finally
        {
            await second.StopAsync();
        }
    }

    [Fact]
    public async Task Control_plane_writes_during_checks_are_retried_at_once_not_backed_off()
    {
        using var pair = VethPair.CreateReceivingXdpTx();
        using var router = LiveRouter.Start(pair);
        // The longest back-off is far longer than the test: one check taken for a deterministic mismatch fails it.
        var config = EndToEndTests.Config(pair, ShutdownPolicy.Restore) with
        {
            Period = TimeSpan.FromSeconds(60),
            MaxBackoff = TimeSpan.FromSeconds(120),
            Backoff = TimeSpan.FromMilliseconds(200),
        };
        using var host = EndToEndTests.BuildHost(config, _ => router.CheckPackets());
        var daemon = host.Services.GetRequiredService<KecleonService>();
        await host.StartAsync();
        try
        {
            await EndToEndTests.WaitFor(daemon, t => t.State == TargetState.Optimized && t.Swaps >= 1, TimeSpan.FromSeconds(90), "the first optimization");
            // Churn: the control plane re-routes hot destinations every few milliseconds, so writes land while the
            // re-specialized programs are being checked, on keys the checks probe.
            var frames = router.Trace(Locality.High, 2000, seed: 21);
            var churnUntil = DateTime.UtcNow + TimeSpan.FromSeconds(6);
            var nextHop = 1u;
            var writes = 0;
            await Task.Run(() =>
            {
                while (DateTime.UtcNow < churnUntil)
                {
                    nextHop = router.Reroute(frames, 4, nextHop);
                    writes += 4;
                    Thread.Sleep(3);
                }
            });
            var churned = daemon.Snapshot().Targets[0];
            output.WriteLine($"churn: {writes} route writes in 6 s; invalidations {churned.Invalidations}, re-specializations {churned.Respecializations}, " +
                             $"raced checks {churned.RacedChecks}, failures {churned.Failures}: {string.Join(" | ", churned.RecentFailures.Select(f => $"{f.Stage}: {f.Reason}"))}");

            // The control plane is quiet again: the daemon re-specializes promptly, not after 120 s.
            var quiet = DateTime.UtcNow;
            var settled = await EndToEndTests.WaitFor(daemon, t => t.State == TargetState.Optimized, TimeSpan.FromSeconds(15), "a re-specialization after the churn");
            output.WriteLine($"optimized again {(DateTime.UtcNow - quiet).TotalMilliseconds:F0} ms after the churn ({settled.Detail}); raced checks {settled.RacedChecks}");
            Assert.DoesNotContain(settled.RecentFailures, f => f.Reason.Contains("does not behave like the original", StringComparison.Ordinal));
            Assert.Contains("routes", settled.SpecializedMaps);
            Assert.True(churned.Invalidations >= 1);
            Assert.Equal(0, router.SendAndCompare(frames).Wrong);
        }
        finally
        {
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task Between_measurement_windows_the_kernel_statistics_are_off()
    {
        using var pair = VethPair.CreateReceivingXdpTx();
        using var router = LiveRouter.Start(pair);
        var config = EndToEndTests.Config(pair, ShutdownPolicy.Restore) with { Period = TimeSpan.FromSeconds(60), Watch = TimeSpan.FromSeconds(1) };
        using var host = EndToEndTests.BuildHost(config, _ => router.CheckPackets());
        var daemon = host.Services.GetRequiredService<KecleonService>();
        using var floor = LoadedVariant.Load(FloorProgram.Name, FloorProgram.BuildObject(), null);
        await host.StartAsync();
        try
        {
            // In a window: the daemon holds a BPF_ENABLE_STATS descriptor.
            await EndToEndTests.WaitFor(daemon, t => t.State == TargetState.Watching, TimeSpan.FromSeconds(90), "the measurement after the swap");
            Assert.True(StatsDescriptors(Environment.ProcessId) > 0, "no statistics descriptor while the daemon measures");

            // Idle, waiting for the period: none, in this process.
            await EndToEndTests.WaitFor(daemon, t => t.State == TargetState.Optimized, TimeSpan.FromSeconds(30), "the idle daemon");
            Assert.Equal(0, StatsDescriptors(Environment.ProcessId));

            // And the kernel does not count a program's run time, unless something else on the machine turned the
            // statistics on (another process's descriptor, or the sysctl).
            var before = floor.Program.Info();
            for (var i = 0; i < 1000; i++)
                BpfTestRun.Time(floor.Program.Fd, floor.Program.Name, Programs.Frame(0x0800));
            var after = floor.Program.Info();
            var others = Directory.GetDirectories("/proc").Select(Path.GetFileName).Where(p => int.TryParse(p, out _)).Sum(p => StatsDescriptors(int.Parse(p!)));
            var sysctl = File.ReadAllText("/proc/sys/kernel/bpf_stats_enabled").Trim();
            output.WriteLine($"idle daemon: 1000 test runs of the floor program: run_time_ns {before.RunTimeNs} → {after.RunTimeNs}, run_cnt {before.RunCount} → {after.RunCount} " +
                             $"(statistics descriptors on the machine: {others}, kernel.bpf_stats_enabled = {sysctl})");
            if (others == 0 && sysctl == "0")
            {
                Assert.Equal(before.RunTimeNs, after.RunTimeNs);
                Assert.Equal(0ul, after.RunCount);
            }
            else
            {
                output.WriteLine("the statistics are on for another reason: the kernel's counts were not checked");
            }
        }
        finally
        {
            await host.StopAsync();
        }
    }

    /// <summary>BPF_ENABLE_STATS descriptors a process holds (anonymous inodes named <c>bpf-stats</c>).</summary>
    private static int StatsDescriptors(int pid)
    {
        try
        {
            return Directory.GetFiles($"/proc/{pid}/fd").Count(fd =>
            {
                try
                {
                    return new FileInfo(fd).LinkTarget == "anon_inode:bpf-stats";
                }
                catch (IOException)
                {
                    return false;
                }
            });
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0; // gone meanwhile
        }
    }
}
