using Kecleon.FrontEnd;
using Kecleon.Instrumentation.Profiling;
using Kecleon.Runtime.Checking;
using Kecleon.Runtime.Deployment;
using Kecleon.Runtime.Guards;
using Kecleon.Runtime.Optimization;
using Kecleon.Runtime.Profiling;
using Kecleon.Tests;
using Xunit;

namespace Kecleon.Runtime.Tests.Profiling;

/// <summary>Branches on sign bits (<c>tests/Corpus/signbit_branch.bpf.c</c>): the specialized program with the daemon's
/// windowed profiling built in loads where the original does, and counts every branch of every packet in a window.</summary>
[Trait("Tier", "Kernel")]
public sealed class SignBitProfilingTests
{
    [Fact]
    public void A_program_branching_on_sign_bits_profiles_itself_in_windows()
    {
        var path = Path.Combine(TestEnvironment.RepositoryRoot, "tests", "Corpus", "signbit_branch.bpf.c");
        var source = ProgramSource.Read(path);
        var elf = source.BuildBaselineObject();
        using var live = LoadedVariant.Load("live", elf, "signbit_branch");
        var classes = live.Object.FindMap("sign_class")!;
        for (var c = 0u; c < 16; c++)
            classes.Update(BitConverter.GetBytes(c), BitConverter.GetBytes(c % 4));
        var packets = CheckPackets.For(null, 400, seed: 3).Packets;

        using var guards = GuardTable.Open();
        using var optimized = OptimizationCycle.Run(source, live, elf, guards, packets, new OptimizeOptions
        {
            Profiling = InstrumentationOptions.LiveWindowed with { SampleShift = 0, BranchSampleShift = 0, PeriodShift = 0 },
        });
        Assert.True(optimized.Report.Check!.Equivalent);
        Assert.Contains(optimized.Report.Snapshots, s => s.Name == "sign_class");

        using var profiler = new Profiler(optimized.Variant, optimized.Report.Profiling!, new ProfilerOptions { Decay = 1 });
        profiler.OpenWindow(TimeSpan.FromMinutes(1));
        foreach (var packet in packets)
            optimized.Variant.Program.TestRun(packet);
        profiler.Collect();
        profiler.CloseWindow();
        Assert.Equal((ulong)packets.Count, profiler.EndWindow().Packets);
        var branches = profiler.Snapshot().Branches;
        Assert.True(branches.Count >= 4, $"{branches.Count} branches counted");
        // The entry's bounds check sees every packet.
        Assert.Equal(packets.Count, branches.Max(b => b.Taken + b.NotTaken));
    }
}
