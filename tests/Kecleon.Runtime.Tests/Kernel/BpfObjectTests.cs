using Kecleon.Bpf;
using Kecleon.Tests;
using Xunit;
using static Kecleon.Runtime.Tests.Kernel.KernelPrograms;

namespace Kecleon.Runtime.Tests.Kernel;

[Trait("Tier", "Kernel")]
public sealed class BpfObjectTests
{
    [Fact]
    public void Opens_enumerates_and_loads_an_object()
    {
        using var obj = BpfObject.Open(EtherTypeClangObject, "ethertype.o");
        var program = Assert.Single(obj.Programs);
        Assert.Equal(("ethertype_verdict", "xdp", BpfProgramType.Xdp), (program.Name, program.Section, program.Type));
        Assert.True(program.InstructionCount > 10);
        var map = obj.Map("verdicts");
        Assert.Equal((BpfMapType.Hash, 4, 4, 64), (map.Type, map.KeySize, map.ValueSize, map.MaxEntries));
        Assert.False(obj.IsLoaded);
        obj.Load();
        Assert.True(obj.IsLoaded);
        Assert.True(program.Fd > 0);
        var info = program.Info();
        Assert.Equal(BpfProgramType.Xdp, info.Type);
        Assert.Equal("ethertype_verdi", info.Name); // the kernel keeps 15 characters
        Assert.True(info.XlatedInstructions > 10);
        Assert.True(info.JitedBytes > 0);
        Assert.Equal([map.Info().Id], info.MapIds);
    }

    [Fact]
    public void A_program_the_verifier_rejects_comes_with_the_verifier_log()
    {
        var path = TestEnvironment.WriteC(Programs.Prelude + """

            SEC("xdp")
            int reads_past_the_end(struct xdp_md *ctx)
            {
                unsigned char *data = (void *)(long)ctx->data;
                return data[100]; /* no bounds check */
            }
            """);
        var elf = Kecleon.FrontEnd.ProgramSource.Read(path).BuildBaselineObject();
        using var obj = BpfObject.Open(elf, "bad.o");
        var e = Assert.Throws<VerifierRejectedException>(obj.Load);
        Assert.Equal("reads_past_the_end", e.ProgramName);
        Assert.Contains("invalid access to packet", e.VerifierLog);
        Assert.Contains("invalid access to packet", e.LogTail());
        Assert.Equal(ExitCodes.Rejected, e.ExitCode);
        Assert.False(obj.IsLoaded);
    }

    [Fact]
    public void An_object_libbpf_cannot_open_is_a_clear_error()
    {
        var e = Assert.Throws<InvalidInputException>(() => BpfObject.Open("\u007fELF but not really"u8.ToArray(), "junk.o"));
        Assert.Contains("junk.o", e.Message);
        Assert.Contains("libbpf cannot open", e.Message);
    }

    [Fact]
    public void A_second_object_can_reuse_the_first_objects_maps()
    {
        using var first = Load(EtherTypeClangObject, "first.o");
        using var second = BpfObject.Open(EtherTypeKecleonObject, "second.o");
        second.Map("verdicts").ReuseFd(first.Map("verdicts"));
        second.Load();
        Assert.Equal(first.Map("verdicts").Info().Id, second.Map("verdicts").Info().Id);
        first.Map("verdicts").Update(U32(0x0800), U32((uint)XdpAction.Drop));
        Assert.Equal(XdpAction.Drop, (XdpAction)second.Programs[0].TestRun(Programs.Frame(0x0800)).ReturnValue);
    }

    [Fact]
    public void Programs_and_maps_open_by_id_and_by_pin()
    {
        using var obj = Load(EtherTypeClangObject);
        var map = obj.Map("verdicts");
        map.Update(U32(7), U32(9));
        using (var byId = BpfLoadedMap.OpenById(map.Info().Id))
            Assert.Equal(U32(9), byId.Lookup(U32(7)));
        var pin = $"/sys/fs/bpf/kecleon-test-{Guid.NewGuid():N}";
        map.Pin(pin);
        try
        {
            using var pinned = BpfLoadedMap.OpenPinned(pin);
            Assert.Equal(("verdicts", BpfMapType.Hash), (pinned.Name, pinned.Type));
            Assert.Equal(U32(9), pinned.Lookup(U32(7)));
        }
        finally
        {
            File.Delete(pin);
        }
        using var program = BpfFd.OpenProgramById(obj.Programs[0].Info().Id);
        Assert.Equal(obj.Programs[0].Info().Tag, BpfProgramInfo.FromFd(program.Value).Tag);
        Assert.Throws<BpfException>(() => BpfLoadedMap.OpenById(uint.MaxValue));
    }

    /// <summary>The bench's timed runs: the same verdict as a full run, a kernel-measured time, and no allocation (the
    /// runtime's zeroing of a fresh output buffer between timed packets evicted the programs' tables).</summary>
    [Fact]
    public void A_timing_run_gives_the_verdict_and_the_time_and_allocates_nothing()
    {
        using var obj = Load(EtherTypeClangObject);
        obj.Map("verdicts").Update(U32(0x0800), U32(1));
        var program = obj.Programs[0];
        var packet = Programs.Frame(0x0800);
        var full = program.TestRun(packet);
        var timed = BpfTestRun.Time(program.Fd, program.Name, packet);
        Assert.Equal(full.ReturnValue, timed.ReturnValue);
        Assert.True(timed.DurationNs > 0);
        BpfTestRun.Time(program.Fd, program.Name, packet);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
            BpfTestRun.Time(program.Fd, program.Name, packet);
        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
        var error = Assert.Throws<BpfException>(() => BpfTestRun.Time(program.Fd, program.Name, new byte[4]));
        Assert.Contains("at least 14 bytes", error.Message);
    }

    [Fact]
    public void Loading_running_and_closing_leaks_no_descriptors()
    {
        var elf = EtherTypeClangObject;
        FdLeakCheck.AssertNoLeak(() =>
        {
            using var obj = Load(elf);
            obj.Map("verdicts").Update(U32(0x0800), U32(1));
            obj.Programs[0].TestRun(Programs.Frame(0x0800));
            using var byId = BpfLoadedMap.OpenById(obj.Map("verdicts").Info().Id);
            byId.Entries();
        });
        FdLeakCheck.AssertNoLeak(() =>
        {
            using var obj = BpfObject.Open(elf, "open-only.o");
            Assert.NotEmpty(obj.Programs);
        });
    }
}
