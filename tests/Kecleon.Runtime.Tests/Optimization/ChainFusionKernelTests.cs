using System.Buffers.Binary;
using Kecleon.Analyses;
using Kecleon.Bpf;
using Kecleon.FrontEnd;
using Kecleon.Llvm;
using Kecleon.Optimizer;
using Kecleon.Optimizer.Guards;
using Kecleon.Optimizer.Passes;
using Kecleon.Optimizer.Specialization;
using Kecleon.Runtime.Deployment;
using Kecleon.Runtime.Execution;
using Kecleon.Runtime.Guards;
using Kecleon.Runtime.Optimization;
using Kecleon.Runtime.Tests.Samples;
using Kecleon.Workloads;
using Kecleon.Tests;
using Xunit;
using Xunit.Abstractions;
using static Kecleon.Runtime.Tests.Kernel.KernelPrograms;

namespace Kecleon.Runtime.Tests.Optimization;

/// <summary>
/// A fused chain against the real kernel (<c>tests/Corpus/fusion_chain.bpf.c</c>: an entry, a filter in slot 1, a
/// forwarder in slot 2, loaded as a chaining framework loads them): the fused program gives the chain's verdicts, and
/// once an operator puts another stage in a slot by hand (a map update, as <c>bpftool prog array update</c> does) the
/// very next packet takes the original path with the new stage's verdict; fusing again on the new contents gives that
/// verdict from fused code.
/// </summary>
[Trait("Tier", "Kernel")]
public sealed class ChainFusionKernelTests(ITestOutputHelper output)
{
    private const uint XdpDrop = 1, XdpPass = 2, XdpTx = 3;
    private const uint Blocked = 0x0a000001, Allowed = 0x0a000002;
    private static readonly string SourcePath = Path.Combine(TestEnvironment.RepositoryRoot, "tests", "Corpus", "fusion_chain.bpf.c");

    [Fact]
    public void A_stage_replaced_by_hand_is_taken_by_the_very_next_packet_and_a_fresh_fusion_takes_it_too()
    {
        var source = ProgramSource.Read(SourcePath);
        var elf = source.BuildBaselineObject();
        using var entry = LoadedVariant.Load("fusion_chain", elf, "fusion_entry");
        using var filter = entry.LoadSibling("fusion_filter");
        using var forward = entry.LoadSibling("fusion_forward");
        using var drop = entry.LoadSibling("fusion_drop");
        var slots = entry.Object.FindMap("fusion_slots")!;
        slots.Update(U32(1), U32((uint)filter.Program.Fd));
        slots.Update(U32(2), U32((uint)forward.Program.Fd));
        entry.Object.FindMap("fusion_blocked")!.Update(BigEndian(Blocked), U32(1));
        entry.Object.FindMap("fusion_verdict")!.Update(U32(0), U32(XdpTx));
        using var guards = GuardTable.Open();

        using var fused = Fuse(source, entry, guards, (1, filter), (2, forward));
        var packets = new[] { Packet(Allowed), Packet(Blocked), NotIpv4() };
        Assert.Equal([XdpTx, XdpDrop, XdpPass], packets.Select(p => Verdict(fused, p)));
        Assert.Equal(packets.Select(p => Verdict(entry, p)), packets.Select(p => Verdict(fused, p)));
        output.WriteLine(Timing(entry, fused, Packet(Allowed)));

        // An operator replaces the forwarder by hand: every packet from the next on gets the new stage's verdict.
        slots.Update(U32(2), U32((uint)drop.Program.Fd));
        var stale = Enumerable.Range(0, 100).Count(_ => Verdict(fused, Packet(Allowed)) != XdpDrop);
        Assert.Equal(0, stale);
        Assert.Equal(XdpDrop, Verdict(entry, Packet(Allowed)));

        // Fused again on the new contents: the verdict comes from fused code, on a current guard.
        using var refused = Fuse(source, entry, guards, (1, filter), (2, drop));
        Assert.Equal([XdpDrop, XdpDrop, XdpPass], packets.Select(p => Verdict(refused, p)));
        slots.Delete(U32(2));
        // The slot emptied: the original chain passes what reaches it, and so does the fused program, through it.
        Assert.Equal(XdpPass, Verdict(refused, Packet(Allowed)));
    }

    [Fact]
    public void An_optimize_cycle_fuses_the_live_chain_specializes_it_as_one_program_and_checks_it_on_copies()
    {
        var source = ProgramSource.Read(SourcePath);
        var elf = source.BuildBaselineObject();
        using var entry = LoadedVariant.Load("fusion_chain", elf, "fusion_entry");
        using var filter = entry.LoadSibling("fusion_filter");
        using var forward = entry.LoadSibling("fusion_forward");
        var slots = entry.Object.FindMap("fusion_slots")!;
        slots.Update(U32(1), U32((uint)filter.Program.Fd));
        slots.Update(U32(2), U32((uint)forward.Program.Fd));
        entry.Object.FindMap("fusion_blocked")!.Update(BigEndian(Blocked), U32(1));
        entry.Object.FindMap("fusion_verdict")!.Update(U32(0), U32(XdpTx));
        using var guards = GuardTable.Open();
        var packets = new[] { Packet(Allowed), Packet(Blocked), NotIpv4() };

        using var optimized = OptimizationCycle.Run(source, entry, elf, guards, packets,
            OptimizeOptions.Default with { FuseChain = true, TrustedProgramIds = new HashSet<uint> { filter.Program.Info().Id, forward.Program.Info().Id } });

        foreach (var step in optimized.Report.Steps)
            output.WriteLine($"{(step.Applied ? "+" : "-")} {step.Pass}: {step.What}  @ {step.Where}");
        Assert.Equal(2, optimized.Report.Applied.Count(s => s.Pass == "chain-fusion"));
        Assert.True(optimized.Report.Check!.Equivalent);
        Assert.Contains(optimized.Report.Snapshots, s => s.Name == "fusion_slots");
        // The stages' maps were specialized in the fused entry: constants from the last stage's map in the one program.
        Assert.Contains(optimized.Report.Snapshots, s => s.Name == "fusion_verdict");
        Assert.Equal([XdpTx, XdpDrop, XdpPass], packets.Select(p => Verdict(optimized.Variant, p)));
        output.WriteLine(Timing(entry, optimized.Variant, Packet(Allowed)));

        slots.Update(U32(2), U32((uint)filter.Program.Fd)); // a stage swapped by hand: the filter again, which passes
        Assert.False(optimized.IsCurrent);
        Assert.Equal(Verdict(entry, Packet(Allowed)), Verdict(optimized.Variant, Packet(Allowed)));
    }

    [Fact]
    public void The_chain_sample_fuses_into_one_program_that_the_check_finds_equivalent()
    {
        var sample = SampleCatalog.Get("chain");
        var controlPlane = sample.GenerateControlPlane(SampleFixtures.Seed);
        var elf = SampleFixtures.ClangObject("chain");
        using var chain = SampleFixtures.Load("chain", elf, "chain", controlPlane);
        var trace = sample.GenerateTrace(controlPlane, Locality.High, 400, SampleFixtures.Seed);
        using var guards = GuardTable.Open();

        using var optimized = OptimizationCycle.Run(SampleFiles.Read(sample), chain, elf, guards, trace, OptimizeOptions.Default with { FuseChain = true });

        foreach (var step in optimized.Report.Steps.Where(s => s.Pass == "chain-fusion"))
            output.WriteLine($"{(step.Applied ? "+" : "-")} {step.Pass}: {step.What}  @ {step.Where}");
        Assert.Contains(optimized.Report.Applied, s => s.Pass == "chain-fusion");
        Assert.True(optimized.Report.Check!.Equivalent);
        output.WriteLine($"specialized on: {string.Join(", ", optimized.Report.Snapshots.Select(s => s.Name))}");
        output.WriteLine(Timing(chain, optimized.Variant, trace[0]));
        output.WriteLine(Timing(chain, optimized.Variant, trace[1]));
    }

    /// <summary>Fuses the chain on the given slots, specializes it guarded on the PROG_ARRAY, and loads it on the
    /// chain's maps with the original entry in its fallback slot.</summary>
    private static LoadedVariant Fuse(ProgramSource source, LoadedVariant entry, GuardTable guards, params (uint Slot, LoadedVariant Stage)[] stages)
    {
        using var context = LlvmContext.Create();
        using var module = source.Parse(context);
        var request = new FusionRequest("fusion_entry", new Dictionary<string, IReadOnlyList<FusionSlot>>
        {
            ["fusion_slots"] = stages.Select(s => new FusionSlot(s.Slot, s.Stage.Program.Info().Id, s.Stage.Program.Name, s.Stage.Program.Name)).ToList(),
        });
        var (outcome, _) = ChainFusion.Fuse(module, request);
        Assert.Equal(stages.Length, outcome.Inlined);
        using var analysis = ProgramAnalysis.Analyze(module, new AnalysisOptions { ObjectName = "fusion_chain" });
        var slots = entry.Object.FindMap("fusion_slots")!;
        var slot = guards.Register(slots);
        var snapshot = request.Snapshot("fusion_slots", slots.MaxEntries, slot, guards.Version(slot));
        var result = Specializer.Specialize(module, analysis, new SpecializationRequest(new Dictionary<string, MapSnapshot> { ["fusion_slots"] = snapshot })
        {
            Guards = new GuardLayout(GuardTable.SlotCount, GuardLayout.Default.FallbackSlots),
            FusedProgramArrays = new HashSet<string> { "fusion_slots" },
        });
        var fused = LoadedVariant.Load("fused", result.Object.Elf, "fusion_entry", shareMapsWith: entry,
            otherMaps: new Dictionary<string, BpfMapAccess> { [GuardTable.GuardsMapName] = guards.GuardsMap });
        fused.Object.FindMap(GuardPrelude.FallbackMap)!.Update(U32(0), U32((uint)entry.Program.Fd));
        return fused;
    }

    private static uint Verdict(LoadedVariant program, byte[] packet) => PacketRunner.Run(program.Program, packet).Verdict;

    /// <summary>ns per packet of the chain as loaded and of the fused chain, side by side (printed, not asserted:
    /// timing claims belong to <c>kecleon bench --check</c>).</summary>
    private static string Timing(LoadedVariant chain, LoadedVariant fused, byte[] packet)
    {
        var (a, b) = (new List<uint>(), new List<uint>());
        for (var round = 0; round < 5; round++)
        {
            a.Add(PacketRunner.Run(chain.Program, packet, 20_000).NsPerRun);
            b.Add(PacketRunner.Run(fused.Program, packet, 20_000).NsPerRun);
        }
        var (chainNs, fusedNs) = (a.Order().ElementAt(2), b.Order().ElementAt(2));
        return $"chain {chainNs} ns, fused {fusedNs} ns: {(double)chainNs / Math.Max(1, fusedNs):F2}x";
    }

    /// <summary>An Ethernet + IPv4 header to <paramref name="destination"/>.</summary>
    private static byte[] Packet(uint destination)
    {
        var frame = new byte[64];
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), 0x0800);
        frame[14] = 0x45;
        frame[22] = 64;
        frame[23] = 17;
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(26), 0x0a000063);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(30), destination);
        return frame;
    }

    /// <summary>An address as the program reads it from the packet (network order), a key of fusion_blocked.</summary>
    private static byte[] BigEndian(uint address)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, address);
        return bytes;
    }

    private static byte[] NotIpv4()
    {
        var frame = new byte[64];
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(12), 0x0806);
        return frame;
    }
}
