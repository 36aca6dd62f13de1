using Kecleon.Bpf;
using Kecleon.FrontEnd;
using Kecleon.Instrumentation.Profiling;
using Kecleon.Llvm;
using Kecleon.Bench;
using Kecleon.Runtime.Deployment;
using Kecleon.Runtime.Profiling;
using Kecleon.Runtime.Tests.Contracts;
using Kecleon.Workloads;
using Xunit;

namespace Kecleon.Runtime.Tests.Profiling;

/// <summary>
/// The profile ring's C# view (<see cref="ProfileRecordLayout"/>, with <see cref="InstrumentationLayout"/>'s map names)
/// against the BTF of instrumented objects built from kecleon_prof.h: what the profiler decodes is what the prelude
/// writes. Kernel-free.
/// </summary>
public sealed class ProfileContractTests
{
    public static TheoryData<int, int> Sizes => new() { { 32, 512 }, { 8, 64 }, { 64, 256 } };

    private static (Btf Btf, InstrumentationLayout Layout) Instrument(int keyBytes, int ringSlots)
    {
        var built = InstrumentedObject.Build(SampleFiles.Read(SampleCatalog.Get("router")),
            new InstrumentationOptions { KeyBytes = keyBytes, RingSlots = ringSlots });
        return (Btf.Of(built.Elf), built.Layout);
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void The_ring_is_the_layouts(int keyBytes, int ringSlots)
    {
        var (btf, layout) = Instrument(keyBytes, ringSlots);
        var sample = btf.StructNamed(ProfileRecordLayout.Sample.Struct);
        Assert.Equal((0, 8), (sample["seq"].Offset, sample["seq"].Size));
        Assert.Equal(ProfileRecordLayout.Sample.Seq, sample["seq"].Offset);
        Assert.Equal((ProfileRecordLayout.Sample.Site, 4), (sample["site"].Offset, sample["site"].Size));
        Assert.Equal((ProfileRecordLayout.Sample.Length, 4), (sample["length"].Offset, sample["length"].Size));
        Assert.Equal((ProfileRecordLayout.Sample.Key, layout.KeyBytes), (sample["key"].Offset, sample["key"].Size));
        Assert.Equal(ProfileRecordLayout.Sample.Size(layout.KeyBytes), sample.Size);

        var ring = btf.Map(InstrumentationLayout.RingMap);
        Assert.Equal((int)BpfMapType.PerCpuArray, ring.Type);
        Assert.Equal(1, ring.MaxEntries);
        var slots = btf.ArrayAt(Assert.Single(btf.StructAt(ring.ValueTypeId).Members).TypeId);
        Assert.Equal(layout.RingSlots, slots.Length);
        Assert.Equal(ProfileRecordLayout.Sample.Struct, btf.NameOf(slots.ElementTypeId));
        Assert.Equal(ProfileRecordLayout.PerCpuStride(sample.Size), slots.ElementSize);
    }

    [Fact]
    public void The_state_the_counters_and_the_packets_are_the_layouts()
    {
        var (btf, _) = Instrument(32, 512);
        var cpu = btf.StructAt(btf.Map(InstrumentationLayout.StateMap).ValueTypeId);
        Assert.Equal(ProfileRecordLayout.Cpu.Struct, cpu.Name);
        Assert.Equal((ProfileRecordLayout.Cpu.Packets, 8), (cpu["packets"].Offset, cpu["packets"].Size));
        Assert.Equal((ProfileRecordLayout.Cpu.Head, 8), (cpu["head"].Offset, cpu["head"].Size));
        Assert.Equal(ProfileRecordLayout.Cpu.Size, cpu.Size);

        var counters = btf.StructAt(btf.Map(InstrumentationLayout.BranchMap).ValueTypeId);
        Assert.Equal(ProfileRecordLayout.Counters.Struct, counters.Name);
        Assert.Equal(ProfileRecordLayout.Counters.Count, counters["count"].Offset);
        Assert.Equal(ProfileRecordLayout.Counters.CounterBytes, btf.ArrayAt(counters["count"].TypeId).ElementSize);

        var packets = btf.Map(InstrumentationLayout.PacketMap);
        Assert.Equal((int)BpfMapType.PerCpuArray, packets.Type);
        var packet = btf.StructAt(packets.ValueTypeId);
        Assert.Equal(ProfileRecordLayout.Packet.Struct, packet.Name);
        Assert.Equal((ProfileRecordLayout.Packet.Seq, 8), (packet["seq"].Offset, packet["seq"].Size));
        Assert.Equal((ProfileRecordLayout.Packet.Length, 4), (packet["length"].Offset, packet["length"].Size));
        Assert.Equal((ProfileRecordLayout.Packet.Full, 4), (packet["full"].Offset, packet["full"].Size));
        Assert.Equal((ProfileRecordLayout.Packet.Bytes, ProfileRecordLayout.Packet.MaxBytes), (packet["bytes"].Offset, packet["bytes"].Size));
        Assert.Equal(ProfileRecordLayout.Packet.Size, packet.Size);
        Assert.Equal(InstrumentationLayout.PacketBytes, ProfileRecordLayout.Packet.MaxBytes);
    }

    [Fact]
    public void The_constants_the_btf_does_not_carry_are_the_headers()
    {
        var header = BuiltBpf.ReadText(typeof(InstrumentationPass).Assembly, "kecleon_prof.h");
        Assert.Contains($"#define KECLEON_PACKET_BYTES {ProfileRecordLayout.Packet.MaxBytes}\n", header);
        Assert.Contains($"#define KECLEON_PACKET_MIN_BYTES {ProfileRecordLayout.Packet.MinBytes}\n", header);
    }
}
