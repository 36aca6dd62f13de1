using Kecleon.Bpf;
using Kecleon.FrontEnd;
using Kecleon.Runtime.Deployment;
using Kecleon.Runtime.Guards;
using Kecleon.Bench.Live;
using Kecleon.Tests;
using Xunit;

namespace Kecleon.Runtime.Tests.Deployment;

/// <summary>The input must be the program a target runs: the kernel's tag of the input loaded on the live maps against
/// the original's.</summary>
[Trait("Tier", "Kernel")]
public sealed class ProgramIdentityTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly byte[] Frame = SwapFixture.Frame(15, "02:00:00:00:00:02"); // key 15: no entry, a miss

    /// <summary>The swap fixture with another verdict for a miss: the same map, the same name, other behaviour.</summary>
    private static readonly Lazy<ProgramSource> Impostor = new(() => ProgramSource.Read(TestEnvironment.WriteC(SwapFixture.Source.Replace(
        "if (!a)\n        return XDP_DROP;", "if (!a)\n        return XDP_PASS;", StringComparison.Ordinal), "impostor")));

    [Fact]
    public void The_same_object_has_the_same_tag_on_other_maps_and_another_program_another()
    {
        using var first = LoadedVariant.Load("first", SwapFixture.Object, SwapFixture.ProgramName);
        using var second = LoadedVariant.Load("second", SwapFixture.Object, SwapFixture.ProgramName);
        using var impostor = LoadedVariant.Load("impostor", Impostor.Value.BuildBaselineObject(), SwapFixture.ProgramName);
        var (a, b, c) = (first.Program.Info(), second.Program.Info(), impostor.Program.Info());
        Assert.NotEqual(a.MapIds.Single(), b.MapIds.Single());
        Assert.Equal(a.Tag, b.Tag);
        Assert.True(ProgramIdentity.Same(a, b));
        Assert.Equal(a.Name, c.Name);
        Assert.NotEqual(a.Tag, c.Tag);
        Assert.False(ProgramIdentity.Same(a, c));
    }

    /// <summary>The defect this guards against: an input whose maps have the names of the live program's maps was taken
    /// for it, checked against itself ("0 mismatches") and swapped in. Now it is refused, naming both programs, and the
    /// hook keeps what it ran, before and after a swap (then the original is the pinned one, not the hook's).</summary>
    [Fact]
    public void Another_program_with_the_same_map_names_is_refused_and_the_hook_keeps_its_program()
    {
        using var pair = VethPair.Create();
        var ifindex = BpfXdp.InterfaceIndex(pair.HostEnd);
        using var original = SwapFixture.LoadOriginal();
        var originalInfo = original.Program.Info();
        using var guards = GuardTable.Open();
        using var attached = NetlinkAttachment.Attach(ifindex, original.Program);
        using (var target = Target.Find(originalInfo.Id, pair.PinDirectory))
        {
            Assert.NotNull(target);
            AssertRefused(target, originalInfo.Id);

            // The right input swaps; then the hook runs the optimized program, and the impostor is still compared
            // with the original.
            var result = LiveOptimization.OptimizeAndSwap(target, SwapFixture.ProgramSource, SwapFixture.Object, SwapFixture.ProgramName, guards, [Frame]);
            using var optimized = result.Optimized!;
            AssertRefused(target, result.Swap.ToProgramId);
            LiveOptimization.Restore(target, guards);
        }
        Assert.Equal(originalInfo.Id, BpfXdp.Query(ifindex).ProgramId);

        void AssertRefused(Target target, uint running)
        {
            var error = Assert.Throws<OptimizationFailedException>(() => LiveOptimization.OptimizeAndSwap(
                target, Impostor.Value, Impostor.Value.BuildBaselineObject(), SwapFixture.ProgramName, guards, [Frame]));
            Assert.IsType<ProgramMismatchException>(error.InnerException);
            Assert.Equal(ExitCodes.BadInput, error.ExitCode);
            Assert.Contains($"{Impostor.Value.Path} is not the program on", error.Message, StringComparison.Ordinal);
            Assert.Contains($"original there is program {originalInfo.Id} ({originalInfo.Name}) with tag {originalInfo.Tag}", error.Message, StringComparison.Ordinal);
            Assert.Contains($"still runs program {running}, unchanged", error.Message, StringComparison.Ordinal);
            Assert.Equal(running, BpfXdp.Query(ifindex).ProgramId);
        }
    }

    /// <summary>A read-only global a loader set before loading (<c>volatile const</c>): the tag does not cover it (the
    /// instructions are the same), so the original's frozen <c>.rodata</c> is compared with the input's. Built with the
    /// default the input is refused; built as the loader set it, it is accepted and keeps the original's verdict.</summary>
    [Fact]
    public void A_program_whose_loader_set_its_read_only_data_needs_an_input_set_the_same_way()
    {
        const string configurable = Programs.Prelude + """

            #ifndef VERDICT
            #define VERDICT XDP_PASS
            #endif
            volatile const __u32 verdict = VERDICT;

            SEC("xdp")
            int configured(struct xdp_md *ctx) { return verdict; }
            """;
        var path = TestEnvironment.WriteC(configurable, "configured");
        var asLoaded = new FrontEndOptions { ClangFlags = ["-DVERDICT=XDP_DROP"] };
        using var pair = VethPair.Create();
        var ifindex = BpfXdp.InterfaceIndex(pair.HostEnd);
        using var live = LoadedVariant.Load("configured", ProgramSource.Read(path, asLoaded).BuildBaselineObject(asLoaded), "configured");
        var liveId = live.Program.Info().Id;
        using var guards = GuardTable.Open();
        using var attached = NetlinkAttachment.Attach(ifindex, live.Program);
        using var target = Target.Find(liveId, pair.PinDirectory)!;
        var byDefault = ProgramSource.Read(path);
        using (var standIn = LoadedVariant.Load("default", byDefault.BuildBaselineObject(), "configured"))
            Assert.Equal(live.Program.Info().Tag, standIn.Program.Info().Tag);
        var error = Assert.Throws<OptimizationFailedException>(() => LiveOptimization.OptimizeAndSwap(
            target, byDefault, byDefault.BuildBaselineObject(), "configured", guards, [Frame]));
        Assert.IsType<ProgramMismatchException>(error.InnerException);
        Assert.Equal(ExitCodes.BadInput, error.ExitCode);
        Assert.Contains("has the input's instructions", error.Message, StringComparison.Ordinal);
        Assert.Contains("holds other values than the input's (1 of 4 bytes differ, the first at offset 0)", error.Message, StringComparison.Ordinal);
        Assert.Equal(liveId, BpfXdp.Query(ifindex).ProgramId);

        var configured = ProgramSource.Read(path, asLoaded);
        var result = LiveOptimization.OptimizeAndSwap(target, configured, configured.BuildBaselineObject(asLoaded), "configured", guards, [Frame]);
        using var optimized = result.Optimized!;
        Assert.Equal(result.Swap.ToProgramId, BpfXdp.Query(ifindex).ProgramId);
        Assert.Equal(XdpAction.Drop, (XdpAction)BpfTestRun.Run(optimized.Variant.Program.Fd, "optimized", Frame).ReturnValue);
        LiveOptimization.Restore(target, guards);
    }

    /// <summary>The stand-in for a program Kecleon did not load is proved before it is used (the daemon opens its
    /// targets through it).</summary>
    [Fact]
    public void A_stand_in_is_loaded_only_for_the_program_on_the_hook()
    {
        using var pair = VethPair.Create();
        var ifindex = BpfXdp.InterfaceIndex(pair.HostEnd);
        using var original = SwapFixture.LoadOriginal();
        var originalId = original.Program.Info().Id;
        using var attached = NetlinkAttachment.Attach(ifindex, original.Program);
        using var target = Target.Find(originalId, pair.PinDirectory)!;
        using (var standIn = OriginalSelection.StandIn(target, SwapFixture.Object, SwapFixture.ProgramName, "swap_verdict.c"))
        {
            Assert.Equal(original.Program.Info().Tag, standIn.Program.Info().Tag);
            Assert.Equal(original.Program.Info().MapIds, standIn.Program.Info().MapIds); // on the live map
            // What the check costs before each swap once the stand-in is loaded (docs/swap.md).
            var elf = SwapFixture.Object;
            var clock = System.Diagnostics.Stopwatch.StartNew();
            for (var i = 0; i < 100; i++)
                ProgramIdentity.Verify(target, standIn.Program, elf, "swap_verdict.c");
            output.WriteLine($"ProgramIdentity.Verify: {clock.Elapsed.TotalMilliseconds / 100:F3} ms per call");
        }
        var impostor = Impostor.Value.BuildBaselineObject();
        var error = Assert.Throws<ProgramMismatchException>(() =>
            OriginalSelection.StandIn(target, impostor, SwapFixture.ProgramName, "impostor.c"));
        Assert.StartsWith($"impostor.c is not the program on {target.Hook.Description}", error.Message, StringComparison.Ordinal);
        // Refused: the impostor loaded for the look at its tag and the live maps opened for it are closed again.
        FdLeakCheck.AssertNoLeak(() => Assert.Throws<ProgramMismatchException>(() =>
            OriginalSelection.StandIn(target, impostor, SwapFixture.ProgramName, "impostor.c")));
        Assert.Equal(originalId, BpfXdp.Query(ifindex).ProgramId);
    }
}
