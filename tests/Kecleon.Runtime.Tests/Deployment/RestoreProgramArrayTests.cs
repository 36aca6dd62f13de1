using Kecleon.Bench.Live;
using Kecleon.Bpf;
using Kecleon.Runtime.Deployment;
using Kecleon.Runtime.Guards;
using Kecleon.Tests;
using Xunit;

namespace Kecleon.Runtime.Tests.Deployment;

/// <summary>
/// The undo of a PROG_ARRAY slot target (no command names a slot; <see cref="RestoreSession"/> finds it by its pinned
/// original, or with <c>--all</c> by its folder): the slot holds the original again, and nothing is left pinned.
/// </summary>
[Trait("Tier", "Kernel")]
public sealed class RestoreProgramArrayTests
{
    private static readonly Lazy<byte[]> DispatchObject = new(() => Kecleon.FrontEnd.ProgramSource.Read(TestEnvironment.WriteC(Programs.Prelude + """

        struct {
            __uint(type, BPF_MAP_TYPE_PROG_ARRAY);
            __uint(max_entries, 4);
            __type(key, __u32);
            __type(value, __u32);
        } targets SEC(".maps");

        SEC("xdp")
        int dispatch(struct xdp_md *ctx)
        {
            bpf_tail_call(ctx, &targets, 0);
            return XDP_PASS;
        }
        """, "ops_dispatch")).BuildBaselineObject());

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_program_array_slot_holds_the_original_again_and_nothing_stays_pinned(bool all)
    {
        var root = $"/sys/fs/bpf/ops-restore-pa-{Guid.NewGuid():N}"[..40];
        using var original = SwapFixture.LoadOriginal();
        var originalId = ProgramRef.Of(original.Program.Fd).Id;
        using var dispatcher = BpfObject.Open(DispatchObject.Value, "dispatch");
        dispatcher.Load();
        var slots = dispatcher.Map("targets");
        slots.Update(BitConverter.GetBytes(0u), BitConverter.GetBytes((uint)original.Program.Fd));
        var mapId = slots.Info().Id;
        uint Slot() => BitConverter.ToUInt32(slots.Lookup(BitConverter.GetBytes(0u))!);
        try
        {
            using (var guards = GuardTable.OpenPinned(Path.Combine(root, "guards")))
            using (var target = Target.Open(new ProgramArraySlotHook(BpfLoadedMap.OpenById(mapId), 0), root))
                LiveOptimization.OptimizeAndSwap(target, SwapFixture.ProgramSource, SwapFixture.Object, SwapFixture.ProgramName, guards,
                    SwapCrashTests.Probes());
            Assert.NotEqual(originalId, Slot());
            Assert.True(Directory.Exists(Path.Combine(root, $"progarray-{mapId}-0")));

            var report = RestoreSession.Run(new RestoreRequest(all ? null : new TargetSelector.Program(originalId), root));
            var undone = Assert.Single(report.Undone);
            Assert.Equal(originalId, undone.Swap!.ToProgramId);
            Assert.Equal(originalId, Slot());
            Assert.True(report.GuardTableRemoved);
            Assert.Empty(Directory.GetFileSystemEntries(root));

            var again = RestoreSession.Run(new RestoreRequest(all ? null : new TargetSelector.Program(originalId), root));
            Assert.Empty(again.Undone);
            Assert.Equal(originalId, Slot());
        }
        finally
        {
            if (Directory.Exists(root))
                Directory.Delete(root, recursive: true);
            VethPair.RemoveLockFiles(root);
        }
    }
}
