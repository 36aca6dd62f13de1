using Kecleon.Bench.Live;
using Kecleon.Bpf;
using Kecleon.FrontEnd;
using Kecleon.Runtime.Deployment;
using Kecleon.Runtime.Guards;
using Kecleon.Tests;
using Xunit;

namespace Kecleon.Runtime.Tests.Deployment;

[Trait("Tier", "Kernel")]
public sealed class LiveOptimizationTests
{
    private static readonly byte[] HostMacFrame = SwapFixture.Frame(3, "02:00:00:00:00:02"); // key 3: XDP_TX

    /// <summary>The command's life cycle without the command: optimize and swap with a pinned guard table, let every
    /// handle go (the process "exits"), check that the optimized program still runs and is still guarded, then find the
    /// target again by the original's id and restore it.</summary>
    [Fact]
    public void An_optimized_program_stays_swapped_in_and_guarded_after_its_handles_close_and_restores_later()
    {
        using var pair = VethPair.Create();
        var guardsDir = Path.Combine(pair.PinDirectory, "guards");
        var ifindex = BpfXdp.InterfaceIndex(pair.HostEnd);
        uint originalId, optimizedId;
        using (var original = SwapFixture.LoadOriginal())
        {
            originalId = original.Program.Info().Id;
            using var target = Target.AttachPinned(original.Program.Fd, ifindex, pair.PinDirectory);
            using var guards = GuardTable.OpenPinned(guardsDir);
            var result = LiveOptimization.OptimizeAndSwap(target, SwapFixture.ProgramSource, SwapFixture.Object, SwapFixture.ProgramName,
                guards, [HostMacFrame], original: original);
            Assert.Null(result.Optimized);
            optimizedId = result.Swap.ToProgramId;
            Assert.Equal(originalId, result.Swap.FromProgramId);
            Assert.Equal(HookKind.XdpLink, result.Swap.Kind);
        }
        GC.Collect();
        GC.WaitForPendingFinalizers();

        // Nothing of ours is open any more: the pins hold the link, both programs, the fallback and the guard table.
        Assert.Equal(optimizedId, BpfXdp.Query(ifindex).ProgramId);
        Assert.True(File.Exists(Path.Combine(guardsDir, "enter_link")));
        using (var optimized = BpfFd.OpenProgramById(optimizedId))
        using (var originalFd = BpfFd.OpenProgramById(originalId))
        {
            // The optimized program no longer looks "actions" up at all (every key is inlined): reach it by the original.
            var actionsId = BpfProgramInfo.FromFd(originalFd.Value).MapIds.First(id =>
            {
                using var map = BpfLoadedMap.OpenById(id);
                return map.Name == "actions";
            });
            using var actions = BpfLoadedMap.OpenById(actionsId);
            Assert.Equal(XdpAction.Tx, (XdpAction)BpfTestRun.Run(optimized.Value, "optimized", HostMacFrame).ReturnValue);
            // A control-plane write after the command exited: the guard (still attached through its pins) sends the
            // specialized program to the original, which sees the new verdict.
            actions.Update(BitConverter.GetBytes(3u), [.. BitConverter.GetBytes((uint)XdpAction.Drop), .. BitConverter.GetBytes(0u)]);
            Assert.Equal(XdpAction.Drop, (XdpAction)BpfTestRun.Run(optimized.Value, "optimized", HostMacFrame).ReturnValue);
        }

        using (var target = Target.Find(originalId, pair.PinDirectory))
        {
            Assert.NotNull(target);
            Assert.Equal(optimizedId, target.OptimizedId);
            using var guards = GuardTable.OpenPinned(guardsDir);
            Assert.NotEmpty(guards.Registrations);
            var swap = LiveOptimization.Restore(target, guards);
            Assert.Equal(originalId, swap.ToProgramId);
            Assert.Empty(guards.Registrations);
            Assert.False(guards.IsAttached);
        }
        Assert.Equal(originalId, BpfXdp.Query(ifindex).ProgramId);
        Assert.False(File.Exists(Path.Combine(guardsDir, "enter_link")));
        Assert.False(File.Exists(Path.Combine(pair.PinDirectory, $"xdp-{pair.HostEnd}", "optimized")));
    }

    /// <summary>
    /// A process killed during a profile window leaves the instrumented program on the hook with nothing to swap it
    /// back. The next process to open the target swaps back what it had replaced (the optimized program when one is
    /// pinned, else the original) instead of taking the instrumented copy for the original.
    /// </summary>
    [Fact]
    public void A_profile_window_cut_short_is_ended_by_the_next_open()
    {
        using var pair = VethPair.Create();
        var ifindex = BpfXdp.InterfaceIndex(pair.HostEnd);
        using var original = SwapFixture.LoadOriginal();
        var originalId = original.Program.Info().Id;
        using var guards = GuardTable.Open();
        uint optimizedId;
        using (var target = Target.AttachPinned(original.Program.Fd, ifindex, pair.PinDirectory))
            Interrupt(target); // the original was on the hook
        using (var target = Target.Find(originalId, pair.PinDirectory))
        {
            Assert.NotNull(target);
            Assert.Equal(originalId, BpfXdp.Query(ifindex).ProgramId);
            Assert.Contains("interrupted profile window", target.Note);
            Assert.Null(target.OptimizedId);
            var result = LiveOptimization.OptimizeAndSwap(target, SwapFixture.ProgramSource, SwapFixture.Object, SwapFixture.ProgramName,
                guards, [HostMacFrame], original: original);
            optimizedId = result.Swap.ToProgramId;
            result.Optimized?.Dispose();
            Interrupt(target); // now the optimized program was
        }
        using (var target = Target.Find(originalId, pair.PinDirectory))
        {
            Assert.NotNull(target);
            Assert.Equal(optimizedId, BpfXdp.Query(ifindex).ProgramId);
            Assert.Equal(optimizedId, target.OptimizedId);
            Assert.Contains("interrupted profile window", target.Note);
            Assert.False(File.Exists(Path.Combine(target.Directory, "profiling")));
            LiveOptimization.Restore(target, guards);
        }
        Assert.Equal(originalId, BpfXdp.Query(ifindex).ProgramId);

        // A stand-in for the instrumented program goes on the hook, and the process "dies": no EndProfiling.
        void Interrupt(Target target)
        {
            using var instrumented = LoadedVariant.Load("instrumented", SwapFixture.Object, SwapFixture.ProgramName, shareMapsWith: original);
            target.BeginProfiling(ProgramRef.Of(instrumented.Program.Fd));
            Assert.Equal(instrumented.Program.Info().Id, BpfXdp.Query(ifindex).ProgramId);
        }
    }

    /// <summary>A specialized program the verifier rejects (here: the input dropped the bounds check the original has)
    /// leaves the original on the hook, with the verifier's reason in the error.</summary>
    [Fact]
    public void A_verifier_rejection_leaves_the_running_program_attached_and_unchanged()
    {
        using var pair = VethPair.Create();
        var ifindex = BpfXdp.InterfaceIndex(pair.HostEnd);
        using var original = SwapFixture.LoadOriginal();
        var originalId = original.Program.Info().Id;
        using var target = Target.AttachPinned(original.Program.Fd, ifindex, pair.PinDirectory);
        using var guards = GuardTable.Open();
        var withoutBoundsCheck = ProgramSource.Read(TestEnvironment.WriteC(SwapFixture.Source.Replace(
            "if ((void *)(payload + 3) > end || eth->h_proto != bpf_htons(0x88b5))", "if (eth->h_proto != bpf_htons(0x88b5))", StringComparison.Ordinal)));
        var error = Assert.Throws<OptimizationFailedException>(() => LiveOptimization.OptimizeAndSwap(
            target, withoutBoundsCheck, SwapFixture.Object, SwapFixture.ProgramName, guards, [HostMacFrame], original: original));
        Assert.IsType<VerifierRejectedException>(error.InnerException);
        Assert.Equal(ExitCodes.Rejected, error.ExitCode);
        Assert.Contains($"still runs program {originalId}, unchanged", error.Message, StringComparison.Ordinal);
        Assert.NotNull(error.Details);
        Assert.Equal(originalId, BpfXdp.Query(ifindex).ProgramId);
        Assert.Null(target.OptimizedId);
        Assert.Empty(guards.Registrations);
    }

    /// <summary>A map user space may not read (BPF_F_WRONLY: the program reads it, the syscall side may only write)
    /// cannot be snapshotted: the error says which map, and the running program stays.</summary>
    [Fact]
    public void A_map_that_cannot_be_read_leaves_the_running_program_in_place()
    {
        using var pair = VethPair.Create();
        var ifindex = BpfXdp.InterfaceIndex(pair.HostEnd);
        var source = ProgramSource.Read(TestEnvironment.WriteC(SwapFixture.Source.Replace(
            "__uint(max_entries, 64);", "__uint(max_entries, 64);\n    __uint(map_flags, BPF_F_WRONLY);", StringComparison.Ordinal)));
        var elf = source.BuildBaselineObject();
        using var original = LoadedVariant.Load("original", elf, SwapFixture.ProgramName);
        original.Object.Map("actions").Update(BitConverter.GetBytes(3u), [.. BitConverter.GetBytes((uint)XdpAction.Tx), .. BitConverter.GetBytes(7u)]);
        var originalId = original.Program.Info().Id;
        using var target = Target.AttachPinned(original.Program.Fd, ifindex, pair.PinDirectory);
        using var guards = GuardTable.Open();
        var error = Assert.Throws<OptimizationFailedException>(() => LiveOptimization.OptimizeAndSwap(
            target, source, elf, SwapFixture.ProgramName, guards, [HostMacFrame], original: original));
        Assert.Contains("cannot read map actions to specialize on it: it was created with BPF_F_WRONLY", error.Message, StringComparison.Ordinal);
        Assert.Contains($"still runs program {originalId}, unchanged", error.Message, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Failure, error.ExitCode);
        Assert.Equal(originalId, BpfXdp.Query(ifindex).ProgramId);
        Assert.Empty(guards.Registrations);
    }

    /// <summary>For a program Kecleon did not load (found by its id), the input is loaded on the program's own maps as
    /// the stand-in original; swapping back restores the very program that was attached.</summary>
    [Fact]
    public void A_program_found_by_id_is_optimized_on_its_own_maps_and_restored_by_id()
    {
        using var pair = VethPair.Create();
        var ifindex = BpfXdp.InterfaceIndex(pair.HostEnd);
        using var original = SwapFixture.LoadOriginal();
        var originalId = original.Program.Info().Id;
        using var attached = NetlinkAttachment.Attach(ifindex, original.Program);
        using var target = Target.Find(originalId, pair.PinDirectory);
        Assert.NotNull(target);
        Assert.Equal(HookKind.XdpNetlink, target.Hook.Kind);
        using var guards = GuardTable.Open();
        var result = LiveOptimization.OptimizeAndSwap(target, SwapFixture.ProgramSource, SwapFixture.Object, SwapFixture.ProgramName, guards, [HostMacFrame]);
        using var optimized = result.Optimized!;
        Assert.Equal(result.Swap.ToProgramId, BpfXdp.Query(ifindex).ProgramId);
        Assert.Contains(result.Report.Applied, s => s.What.StartsWith("actions:", StringComparison.Ordinal));
        Assert.Equal(originalId, LiveOptimization.Restore(target, guards).ToProgramId);
        Assert.Equal(originalId, BpfXdp.Query(ifindex).ProgramId);
    }

    /// <summary>Someone else swaps the program between our look at the hook and our swap: the swap is refused, the
    /// other program stays, and nothing of ours is left loaded or registered.</summary>
    [Fact]
    public void A_swap_someone_else_won_meanwhile_is_refused_and_changes_nothing()
    {
        using var pair = VethPair.Create();
        var ifindex = BpfXdp.InterfaceIndex(pair.HostEnd);
        using var original = SwapFixture.LoadOriginal();
        using var intruder = SwapFixture.LoadOriginal();
        using var target = Target.AttachPinned(original.Program.Fd, ifindex, pair.PinDirectory);
        var intruderId = intruder.Program.Info().Id;
        using (var link = XdpLinkHook.OpenPinned(Path.Combine(target.Directory, "link")))
            BpfXdp.UpdateLink(link.Fd, intruder.Program.Fd);
        using var guards = GuardTable.Open();
        var error = Assert.Throws<OptimizationFailedException>(() => LiveOptimization.OptimizeAndSwap(
            target, SwapFixture.ProgramSource, SwapFixture.Object, SwapFixture.ProgramName, guards, [HostMacFrame], original: original));
        var conflict = Assert.IsType<ReplaceConflictException>(error.InnerException);
        Assert.Equal(intruderId, conflict.FoundProgramId);
        Assert.Equal(ExitCodes.Conflict, error.ExitCode);
        Assert.Contains("someone else replaced it", error.Message, StringComparison.Ordinal);
        Assert.Equal(intruderId, BpfXdp.Query(ifindex).ProgramId);
        Assert.Null(target.OptimizedId);
        Assert.Empty(guards.Registrations);
        Assert.False(File.Exists(Path.Combine(target.Directory, "optimized")));
    }

    /// <summary>Someone swaps Kecleon's optimized program out behind its back (after the command exited): the next look
    /// at the target refuses, naming the programs, and leaves the hook and every pin alone (the pinned original may be
    /// all that keeps the real original alive). Once the original is back on the hook, the target opens again, drops the
    /// optimized program's pins and gives its guard registrations back (so the guard hook detaches).</summary>
    [Fact]
    public void A_program_swapped_in_behind_our_back_is_refused_and_never_taken_for_the_original()
    {
        using var pair = VethPair.Create();
        var guardsDir = Path.Combine(pair.PinDirectory, "guards");
        var ifindex = BpfXdp.InterfaceIndex(pair.HostEnd);
        using var original = SwapFixture.LoadOriginal();
        using var intruder = SwapFixture.LoadOriginal();
        var originalId = original.Program.Info().Id;
        var intruderId = intruder.Program.Info().Id;
        string directory;
        uint optimizedId;
        using (var target = Target.AttachPinned(original.Program.Fd, ifindex, pair.PinDirectory))
        using (var guards = GuardTable.OpenPinned(guardsDir))
        {
            directory = target.Directory;
            optimizedId = LiveOptimization.OptimizeAndSwap(target, SwapFixture.ProgramSource, SwapFixture.Object, SwapFixture.ProgramName, guards,
                [HostMacFrame], original: original).Swap.ToProgramId;
            Assert.NotEmpty(guards.Registrations);
            BpfXdp.UpdateLink(((XdpLinkHook)target.Hook).Fd, intruder.Program.Fd);
        }
        var pins = Directory.GetFiles(directory).Order().ToList();

        var refused = Assert.Throws<ForeignProgramException>(() => Target.Find(intruderId, pair.PinDirectory));
        Assert.Equal(ExitCodes.Conflict, refused.ExitCode);
        Assert.Contains($"runs program {intruderId}", refused.Message, StringComparison.Ordinal);
        Assert.Contains($"original program {originalId}", refused.Message, StringComparison.Ordinal);
        Assert.Contains($"optimized program {optimizedId}", refused.Message, StringComparison.Ordinal);
        Assert.Equal(pins, Directory.GetFiles(directory).Order().ToList());
        using (var pinned = BpfFd.OpenPinned(Path.Combine(directory, "original")))
            Assert.Equal(originalId, BpfProgramInfo.FromFd(pinned.Value).Id);
        Assert.Equal(intruderId, BpfXdp.Query(ifindex).ProgramId);

        // The operator puts the original back: the target opens, the stale optimized pins and guards go.
        using (var link = XdpLinkHook.OpenPinned(Path.Combine(directory, "link")))
            BpfXdp.UpdateLink(link.Fd, original.Program.Fd);
        using (var target = Target.Find(originalId, pair.PinDirectory))
        {
            Assert.NotNull(target);
            Assert.Equal(originalId, target.OriginalInfo.Id);
            Assert.Null(target.OptimizedId);
            Assert.False(File.Exists(Path.Combine(directory, "optimized")));
            using var guards = GuardTable.OpenPinned(guardsDir);
            Assert.Throws<KecleonException>(() => LiveOptimization.Restore(target, guards));
            Assert.Empty(guards.Registrations);
            Assert.False(guards.IsAttached);
        }
        Assert.Equal(originalId, BpfXdp.Query(ifindex).ProgramId);
    }
}
