using System.Buffers.Binary;
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
        var shaped = ShapedFrames.Generate(25, 9);
        Assert.Equal([.. shaped, .. PacketFuzzer.Generate(shaped, 25, 9)], check.Packets);
        Assert.Equal($"25 well-formed frames ({ShapedFrames.Shapes}) and 25 random and malformed ones (seed 9)", check.Description);
        byte[] live = [1], probe = [2];
        var all = CheckPackets.WithProbes(CheckPackets.WithLiveSamples(check.Packets, [live]), [probe]);
        Assert.Equal(52, all.Count);
        Assert.Same(live, all[50]);
        Assert.Same(probe, all[51]);
    }

    /// <summary>Every generated shape is there, and every checksum in it is right: IPv4 header, TCP, UDP, ICMP, ICMPv6.</summary>
    [Fact]
    public void Shaped_frames_cover_every_shape_with_valid_checksums()
    {
        var frames = ShapedFrames.Generate(220, seed: 5);
        var seen = new HashSet<string>();
        foreach (var frame in frames)
        {
            var (etherType, l3) = (BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(12)), 14);
            if (etherType == 0x8100)
            {
                seen.Add("vlan");
                (etherType, l3) = (BinaryPrimitives.ReadUInt16BigEndian(frame.AsSpan(16)), 18);
            }
            var ip = frame.AsSpan(l3);
            switch (etherType)
            {
                case 0x0806:
                    seen.Add("arp");
                    break;
                case 0x0800:
                {
                    var ihl = (ip[0] & 0x0f) * 4;
                    Assert.Equal(0, Fold(Sum(ip[..ihl])));
                    var total = BinaryPrimitives.ReadUInt16BigEndian(ip[2..]);
                    var l4 = ip[ihl..total];
                    var pseudo = Sum(ip.Slice(12, 8)) + ip[9] + (uint)l4.Length;
                    Assert.Equal(0, Fold(Sum(l4, ip[9] == 1 ? 0 : pseudo)));
                    seen.Add(ip[9] == 6 ? $"tcp{l4[13]:x2}" : $"ip{ip[9]}");
                    break;
                }
                case 0x86dd:
                {
                    var l4 = ip.Slice(40, BinaryPrimitives.ReadUInt16BigEndian(ip[4..]));
                    Assert.Equal(0, Fold(Sum(l4, Sum(ip.Slice(8, 32)) + ip[6] + (uint)l4.Length)));
                    seen.Add($"ip6-{ip[6]}");
                    break;
                }
                default:
                    Assert.Fail($"ethertype 0x{etherType:x4}");
                    break;
            }
        }
        Assert.Superset(new HashSet<string> { "vlan", "arp", "tcp02", "tcp12", "tcp10", "tcp04", "tcp11", "ip17", "ip1", "ip6-6", "ip6-17", "ip6-58" }, seen);
    }

    private static uint Sum(ReadOnlySpan<byte> bytes, uint sum = 0)
    {
        var i = 0;
        for (; i + 1 < bytes.Length; i += 2)
            sum += (uint)(bytes[i] << 8 | bytes[i + 1]);
        if (i < bytes.Length)
            sum += (uint)(bytes[i] << 8);
        return sum;
    }

    private static int Fold(uint sum)
    {
        while (sum >> 16 != 0)
            sum = (sum & 0xffff) + (sum >> 16);
        return (int)(~sum & 0xffff);
    }
}
