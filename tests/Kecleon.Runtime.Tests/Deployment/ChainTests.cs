using Kecleon.Bench.Live;
using Kecleon.Bpf;
using Kecleon.Runtime.Deployment;
using Kecleon.Workloads;
using Kecleon.Tests;
using Xunit;

namespace Kecleon.Runtime.Tests.Deployment;

/// <summary>The bundled chain (ddos, the firewall in slot 1 of <c>chain_slots</c>, the router in slot 2) loaded and attached to a veth as
/// <c>kecleon sample load chain --attach</c> does it, once for the class.</summary>
public sealed class ChainFixture : IDisposable
{
    public ChainFixture()
    {
        Pair = VethPair.Create();
        try
        {
            Sample = SampleCatalog.Get("chain");
            ControlPlane = Sample.GenerateControlPlane(1);
            Loaded = Path.Combine(Pair.PinDirectory, "chain");
            EntryId = SampleLoader.LoadAndPin(Sample, ControlPlane, Loaded, attach: Pair.HostEnd);
            Slots = BpfLoadedMap.OpenPinned(Path.Combine(Loaded, "chain_slots"));
            FirewallId = SlotProgram(1);
            RouterId = SlotProgram(2);
        }
        catch
        {
            Pair.Dispose();
            throw;
        }
    }

    public VethPair Pair { get; }
    public INetworkFunctionSample Sample { get; }
    public ControlPlaneData ControlPlane { get; }
    /// <summary>Where the sample is pinned (its programs, maps and link).</summary>
    public string Loaded { get; }
    public uint EntryId { get; }
    public uint FirewallId { get; }
    public uint RouterId { get; }
    public BpfLoadedMap Slots { get; }

    public uint SlotProgram(uint index) => Slots.Lookup(BitConverter.GetBytes(index)) is { } value ? BitConverter.ToUInt32(value) : 0;

    public uint EntryNow()
    {
        using var hook = ProgramHook.ForInterface(Pair.HostIndex)!;
        return hook.CurrentProgramId();
    }

    /// <summary>The verdict of every known packet through the program on the hook now (and so through the chain behind it).</summary>
    public IReadOnlyList<XdpAction> Verdicts()
    {
        using var entry = BpfFd.OpenProgramById(EntryNow());
        return [.. Sample.KnownPackets(ControlPlane).Select(p => (XdpAction)BpfTestRun.Run(entry.Value, "chain entry", p.Frame).ReturnValue)];
    }

    public void Dispose()
    {
        Slots.Dispose();
        Pair.Dispose();
    }
}

/// <summary>
/// A live chain: read from its entry's hook (<see cref="ServiceChain"/>), every stage optimized where it runs
/// (<see cref="ChainSession"/>: the entry on its XDP link, the router in its slot), the chain's verdicts unchanged, and
/// <c>restore --chain</c> putting every stage back with nothing left pinned.
/// </summary>
[Trait("Tier", "Kernel")]
public sealed class ChainTests(ChainFixture chain) : IClassFixture<ChainFixture>
{
    [Fact]
    public void The_chain_is_read_from_its_entry_and_from_its_program_array_with_cycles_cut()
    {
        using (var hook = ProgramHook.ForInterface(chain.Pair.HostIndex)!)
        {
            var read = ServiceChain.FromHook(hook);
            Assert.Equal(["chain_ddos", "chain_firewall", "chain_router"], read.Stages.Select(s => s.ProgramName));
            Assert.True(read.Stages[0].IsEntry);
            Assert.Equal([1u, 2u], read.Stages.Skip(1).Select(s => s.Slot!.Index));
            Assert.Equal("chain_slots", read.Stages[2].Slot!.MapName);
            Assert.Equal(chain.RouterId, read.Stages[2].ProgramId);
            Assert.Empty(read.CutSlots);
        }
        using (var slots = ServiceChain.OpenProgramArray(Path.Combine(chain.Loaded, "chain_slots")))
            Assert.Equal(["chain_firewall", "chain_router"], ServiceChain.FromProgramArray(slots).Stages.Select(s => s.ProgramName));

        // The entry in slot 3 too: a cycle back to it, a stage of its own whose PROG_ARRAY is not read again.
        using var entry = BpfFd.OpenProgramById(chain.EntryId);
        chain.Slots.Update(BitConverter.GetBytes(3u), BitConverter.GetBytes((uint)entry.Value));
        try
        {
            using var hook = ProgramHook.ForInterface(chain.Pair.HostIndex)!;
            var cyclic = ServiceChain.FromHook(hook);
            Assert.Equal(4, cyclic.Stages.Count);
            Assert.Equal(3u, Assert.Single(cyclic.CutSlots).Index);
        }
        finally
        {
            chain.Slots.Delete(BitConverter.GetBytes(3u));
        }

        var error = Assert.Throws<UsageException>(() => ServiceChain.OpenProgramArray(Path.Combine(chain.Loaded, "routes")));
        Assert.Contains("not a PROG_ARRAY", error.Message);
    }

    /// <summary>A stage Kecleon built tail-calls its original through its own <c>kecleon_fallback</c> (a fused entry may
    /// tail-call nothing else): the chain is read through it, to the original's PROG_ARRAYs, the original not a stage.</summary>
    [Fact]
    public void A_stage_is_read_through_its_fallback_to_its_original_program_arrays()
    {
        const string source = Programs.Prelude + """
            struct { __uint(type, BPF_MAP_TYPE_PROG_ARRAY); __uint(max_entries, 1); __type(key, __u32); __type(value, __u32); } kecleon_fallback SEC(".maps");
            struct { __uint(type, BPF_MAP_TYPE_PROG_ARRAY); __uint(max_entries, 1); __type(key, __u32); __type(value, __u32); } outer_slots SEC(".maps");
            SEC("xdp") int built_entry(struct xdp_md *ctx)
            {
                bpf_tail_call(ctx, &kecleon_fallback, 0);
                return XDP_ABORTED;
            }
            """;
        using var context = Kecleon.Llvm.LlvmContext.Create();
        using var module = Kecleon.FrontEnd.ProgramSource.Read(TestEnvironment.WriteC(source, "chain_fallback")).Parse(context);
        using var built = Kernel.KernelPrograms.Load(Kecleon.Optimizer.CodeGen.BpfCompiler.Compile(module).Elf, "chain_fallback.o");
        using var entry = BpfFd.OpenProgramById(chain.EntryId);
        built.Map("kecleon_fallback").Update(BitConverter.GetBytes(0u), BitConverter.GetBytes((uint)entry.Value));
        built.Map("outer_slots").Update(BitConverter.GetBytes(0u), BitConverter.GetBytes((uint)built.Programs[0].Fd));
        using var outer = BpfLoadedMap.OpenById(built.Map("outer_slots").Info().Id);

        var stage = ServiceChain.StageIn(outer, 0)!;
        Assert.Equal("built_entry", stage.ProgramName);
        Assert.True(stage.Variant);
        Assert.Equal([1u, 2u], stage.Calls.Select(c => c.Index));
        Assert.All(stage.Calls, c => Assert.Equal("chain_slots", c.MapName));
        Assert.Null(ServiceChain.StageIn(outer, 1));

        // From the PROG_ARRAY: the built entry, then the stages behind its original, which is not one.
        var read = ServiceChain.FromProgramArray(outer);
        Assert.Equal(["built_entry", "chain_firewall", "chain_router"], read.Stages.Select(s => s.ProgramName));
        Assert.Equal([true, false, false], read.Stages.Select(s => s.Variant));
    }

    /// <summary>The stages <c>chain_slots</c> holds (the firewall and the router; the ddos entry stays as it is: its token
    /// bucket refills by the clock, so a check that spans the end of an epoch sees its two runs differ).</summary>
    [Fact]
    public void Every_stage_is_optimized_where_it_runs_and_restore_puts_each_back()
    {
        var root = $"/sys/fs/bpf/chain-test-{Guid.NewGuid():N}"[..34];
        var before = chain.Verdicts();
        Assert.Equal(chain.Sample.KnownPackets(chain.ControlPlane).Select(p => p.Expected), before);
        try
        {
            var slots = new TargetSelector.ProgramArraySlot(Path.Combine(chain.Loaded, "chain_slots"), null);
            var report = ChainSession.Optimize(new OptimizeRequest("sample:chain", slots)
            {
                PinRoot = root,
                CheckPackets = 300,
            });
            Assert.Equal(["chain_firewall", "chain_router"], report.Stages.Select(s => s.Program));
            foreach (var stage in report.Stages)
            {
                Assert.NotNull(stage.Report.Swap);
                Assert.Empty(stage.Report.Optimization!.Check!.Mismatches);
            }
            Assert.Equal(chain.EntryId, chain.EntryNow());
            Assert.NotEqual(chain.FirewallId, chain.SlotProgram(1));
            Assert.NotEqual(chain.RouterId, chain.SlotProgram(2));
            Assert.Equal(before, chain.Verdicts());

            var restored = RestoreSession.Run(new RestoreRequest(new TargetSelector.Interface(chain.Pair.HostEnd), root) { Chain = true });
            Assert.Equal(2, restored.Undone.Count);
            Assert.Equal(chain.EntryId, chain.EntryNow());
            Assert.Equal(chain.FirewallId, chain.SlotProgram(1));
            Assert.Equal(chain.RouterId, chain.SlotProgram(2));
            Assert.True(restored.GuardTableRemoved);
            Assert.Empty(Directory.GetFileSystemEntries(root));
            Assert.Equal(before, chain.Verdicts());
        }
        finally
        {
            if (Directory.Exists(root))
                Directory.Delete(root, recursive: true);
            VethPair.RemoveLockFiles(root);
        }
    }

    [Fact]
    public void A_stage_the_input_does_not_hold_is_refused_by_name_and_nothing_changes()
    {
        var root = $"/sys/fs/bpf/chain-test-{Guid.NewGuid():N}"[..34];
        var error = Assert.Throws<ProgramMismatchException>(() =>
            ChainSession.Optimize(new OptimizeRequest("sample:router", new TargetSelector.Interface(chain.Pair.HostEnd)) { PinRoot = root }));
        Assert.Contains("the entry runs program", error.Message);
        Assert.Contains("chain_ddos", error.Message);
        Assert.Contains("slot 1 of chain_slots", error.Message);
        Assert.Equal(chain.EntryId, chain.EntryNow());
        Assert.Equal(chain.RouterId, chain.SlotProgram(2));
        Assert.False(Directory.Exists(root));
    }
}
