using Kecleon.Bpf;
using Kecleon.Runtime.Execution;
using Kecleon.Workloads;
using Kecleon.Tests;
using Xunit;
using static Kecleon.Runtime.Tests.Kernel.KernelPrograms;

namespace Kecleon.Runtime.Tests.Execution;

/// <summary>An object from Kecleon's pipeline behaves exactly like clang's own on the same packets and map contents.</summary>
public sealed class PipelineEquivalenceTests
{
    public static TheoryData<ushort, int> Packets => new()
    {
        { 0x0800, 64 }, { 0x86dd, 64 }, { 0x0806, 60 }, { 0x8100, 64 }, { 0x0800, 14 }, { 0x1234, 1500 }, { 0x88cc, 128 },
    };

    [Trait("Tier", "Kernel")]
    [Theory]
    [MemberData(nameof(Packets))]
    public void Same_verdict_and_output_bytes_as_clangs_object(ushort etherType, int length)
    {
        using var clang = Load(EtherTypeClangObject, "clang.o");
        using var ours = Load(EtherTypeKecleonObject, "kecleon.o");
        foreach (var obj in new[] { clang, ours })
        {
            var map = obj.Map("verdicts");
            map.Update(U32(0x0800), U32((uint)XdpAction.Tx));
            map.Update(U32(0x86dd), U32((uint)XdpAction.Drop));
            map.Update(U32(0x0806), U32((uint)XdpAction.Pass));
        }
        var packet = Programs.Frame(etherType, length);
        var expected = PacketRunner.Run(clang.Programs[0], packet);
        var actual = PacketRunner.Run(ours.Programs[0], packet);
        Assert.Equal(expected.Verdict, actual.Verdict);
        Assert.Equal(expected.Output, actual.Output);
        if (etherType == 0x0800)
            Assert.True(actual.Rewritten, "XDP_TX swaps the MAC addresses");
    }

    [Trait("Tier", "Kernel")]
    [Fact]
    public void Repeated_runs_of_a_rewriting_program_are_flagged()
    {
        using var obj = Load(EtherTypeKecleonObject);
        obj.Map("verdicts").Update(U32(0x0800), U32((uint)XdpAction.Tx));
        var run = PacketRunner.Run(obj.Programs[0], Programs.Frame(0x0800), repeat: 3);
        Assert.True(run.TimedOnOwnOutput);
        Assert.False(PacketRunner.Run(obj.Programs[0], Programs.Frame(0x0800), repeat: 1).TimedOnOwnOutput);
    }

    [Fact]
    public void Packet_files_are_raw_frames_or_pcap()
    {
        var raw = TestEnvironment.TempFile(".bin");
        File.WriteAllBytes(raw, Programs.Frame(0x0800));
        Assert.Equal(Programs.Frame(0x0800), PacketFile.Read(raw));
        var tiny = TestEnvironment.TempFile(".bin");
        File.WriteAllBytes(tiny, new byte[5]);
        Assert.Contains("shorter than an Ethernet header", Assert.Throws<InvalidInputException>(() => PacketFile.Read(tiny)).Message);
        Assert.Throws<InputNotFoundException>(() => PacketFile.Read("/nonexistent.bin"));
    }
}
