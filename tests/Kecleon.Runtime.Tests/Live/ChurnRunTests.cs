using Kecleon.Bench.Live;
using Kecleon.Workloads;
using Xunit;

namespace Kecleon.Runtime.Tests.Live;

/// <summary>
/// The churn harness itself, without a daemon: on the original program every frame after a write comes out as the
/// reference holding the new maps makes it (no stale verdict, none wrong), and when each write reaches the live maps one
/// write late (a program left serving the old state) every frame a write changed is counted stale.
/// </summary>
[Trait("Tier", "Kernel")]
public sealed class ChurnRunTests
{
    private static readonly ChurnOptions Short = new(TimeSpan.FromSeconds(1.2), TimeSpan.FromMilliseconds(100)) { FramesPerWrite = 200 };

    [Theory]
    [InlineData("router")]
    [InlineData("firewall")]
    public void The_original_following_the_writes_serves_no_stale_verdict(string sample)
    {
        var traffic = Churn(sample, ChurnFault.None);
        Assert.Equal(12, traffic.Writes.Count);
        Assert.Contains(traffic.Writes, w => w.Change.KeepsShape);
        Assert.Contains(traffic.Writes, w => !w.Change.KeepsShape);
        Assert.True(traffic.Changed > 0, "the writes changed no frame's verdict: the run proves nothing");
        Assert.True(traffic.Out > 0);
        Assert.Equal(0, traffic.Stale);
        Assert.Equal(0, traffic.Wrong);
    }

    [Theory]
    [InlineData("router")]
    [InlineData("firewall")]
    public void A_live_program_a_write_behind_is_counted_stale(string sample)
    {
        var traffic = Churn(sample, ChurnFault.OneWriteLate);
        Assert.True(traffic.Stale > 0, $"{traffic.Changed} frames changed by the writes, none counted stale");
        Assert.Equal(0, traffic.Wrong);
    }

    private static ChurnTraffic Churn(string sample, ChurnFault fault)
    {
        using var pair = VethPair.CreateReceivingXdpTx("ch");
        using var live = LiveSample.Start(pair, SampleCatalog.Get(sample));
        return ChurnRun.Run(pair, live, Short with { Fault = fault });
    }
}
