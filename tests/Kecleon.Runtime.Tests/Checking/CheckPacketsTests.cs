using Kecleon.Runtime.Checking;
using Kecleon.Workloads;
using Xunit;

namespace Kecleon.Runtime.Tests.Checking;

/// <summary>The check packets the CLI, the daemon and the live router share: the same seed makes the same packets.</summary>
public sealed class CheckPacketsTests
{
    [Fact]
    public void A_sample_is_checked_on_its_known_frames_then_a_high_locality_trace()
    {
        var router = new RouterSample();
        var check = CheckPackets.For(router, 200, seed: 3);
        var controlPlane = router.GenerateControlPlane(3);
        var known = router.KnownPackets(controlPlane).Select(k => k.Frame).ToList();
        var trace = router.GenerateTrace(controlPlane, Locality.High, 200, 3);
        Assert.Equal(known.Concat(trace).ToList(), check.Packets);
        Assert.Equal($"the router sample's trace (200 frames, high locality, seed 3) and its {known.Count} known frames", check.Description);
    }

    [Fact]
    public void Other_programs_are_checked_on_fuzzed_frames_then_live_samples_then_probes()
    {
        var check = CheckPackets.For(null, 50, seed: 9);
        Assert.Equal(PacketFuzzer.Generate([], 50, 9), check.Packets);
        Assert.Equal("50 random and malformed frames (PacketFuzzer, seed 9)", check.Description);
        byte[] live = [1], probe = [2];
        var all = CheckPackets.WithProbes(CheckPackets.WithLiveSamples(check.Packets, [live]), [probe]);
        Assert.Equal(52, all.Count);
        Assert.Same(live, all[50]);
        Assert.Same(probe, all[51]);
    }
}
