using System.Diagnostics;
using Kecleon.Bench.Live;
using Kecleon.Workloads;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using Xunit.Abstractions;

namespace Kecleon.Daemon.Tests;

/// <summary>The daemon woken by the guard hook (no poll: <c>guard_poll</c> is set to an hour here): a route write wakes it
/// within milliseconds, a burst of writes gives one reaction (an in-place flip of the routes' range table, or a rebuild),
/// and each reaction is recorded per kind and stage in the status and the metrics.</summary>
[Trait("Tier", "Kernel")]
public sealed class WakeTests(ITestOutputHelper output)
{
    private static int FreePort()
    {
        using var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        return ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
    }

    [Fact]
    public async Task A_write_wakes_the_daemon_at_once_and_a_burst_gives_one_reaction()
    {
        using var pair = VethPair.CreateReceivingXdpTx();
        using var router = LiveRouter.Start(pair);
        var config = EndToEndTests.Config(pair, ShutdownPolicy.Restore) with
        {
            Period = TimeSpan.FromMinutes(10),
            Watch = TimeSpan.Zero,
            GuardPoll = TimeSpan.FromHours(1),
            // Wide enough that the burst below, on a loaded 2-core machine, is one burst.
            Coalesce = TimeSpan.FromMilliseconds(20),
            CoalesceMax = TimeSpan.FromMilliseconds(200),
            Metrics = $"127.0.0.1:{FreePort()}",
        };
        using var host = EndToEndTests.BuildHost(config, _ => router.CheckPackets(200));
        var daemon = host.Services.GetRequiredService<KecleonService>();
        await host.StartAsync();
        try
        {
            await EndToEndTests.WaitFor(daemon, t => t.State == TargetState.Optimized && t.Swaps >= 1, TimeSpan.FromSeconds(90), "the first optimization");
            var frames = router.Trace(Locality.High, 2000, seed: 5);
            var nextHop = 1u;

            // A burst: 32 route writes back to back.
            var before = daemon.Snapshot().Targets[0].Respecializations;
            nextHop = router.Reroute(frames, 32, nextHop);
            await EndToEndTests.WaitFor(daemon, t => t.Respecializations > before && t.State == TargetState.Optimized, TimeSpan.FromSeconds(60), "the reaction to the burst");
            await Task.Delay(500);
            var afterBurst = daemon.Snapshot().Targets[0];
            Assert.Equal(before + 1, afterBurst.Respecializations);
            Assert.Equal(1, Assert.Single(afterBurst.Reactions).Count);

            // Single writes, one at a time: each timed from its bpf() return.
            var live = new List<double>();
            for (var i = 0; i < 5; i++)
            {
                var count = daemon.Snapshot().Targets[0].Respecializations;
                var written = Stopwatch.StartNew();
                nextHop = router.Reroute(frames, 1, nextHop);
                await EndToEndTests.WaitFor(daemon, t => t.Respecializations > count && t.State == TargetState.Optimized, TimeSpan.FromSeconds(60), $"reaction {i}");
                live.Add(written.Elapsed.TotalMilliseconds);
            }
            var status = daemon.Snapshot().Targets[0];
            var snapshot = daemon.Snapshot();
            output.WriteLine($"as the writer saw it: {string.Join(", ", live.Select(l => $"{l:F0}"))} ms (load {File.ReadAllText("/proc/loadavg").Trim()})");
            output.WriteLine(StatusServer.Text(snapshot));
            Assert.Equal(6, status.Reactions.Sum(r => r.Count));
            using var http = new System.Net.Http.HttpClient();
            var scrape = await http.GetStringAsync($"http://{config.Metrics}/metrics");
            foreach (var r in status.Reactions)
            {
                var wake = r.Stages.Single(s => s.Stage == "wake").Ms;
                output.WriteLine($"{r.Kind} x{r.Count}: write → live median {r.WriteToLiveMs.Median:F2} ms, p99 {r.WriteToLiveMs.P99:F2} ms; " +
                                 $"write → woken median {wake.Median:F3} ms, p99 {wake.P99:F3} ms");
                // Woken by the hook, not by a poll (guard_poll is an hour, the writers' look once a second).
                Assert.True(wake.P99 < 200, $"write → woken p99 {wake.P99:F1} ms");
                Assert.True(wake.Median < 50, $"write → woken median {wake.Median:F1} ms");
                Assert.Equal(["wake", "coalesce"], r.Stages.Take(2).Select(s => s.Stage));
                var kind = DaemonMetrics.KindName(r.Kind);
                Assert.Contains($"kecleon_write_to_live_seconds_count{{target=\"router\",stage=\"\",kind=\"{kind}\"}} {r.Count}", scrape, StringComparison.Ordinal);
                Assert.Contains($"kecleon_reaction_stage_seconds_count{{target=\"router\",chain_stage=\"\",kind=\"{kind}\",stage=\"wake\"}} {r.Count}", scrape, StringComparison.Ordinal);
            }
            Assert.Contains(": write → live median", StatusServer.Text(snapshot), StringComparison.Ordinal);
        }
        finally
        {
            await host.StopAsync();
        }
    }
}
