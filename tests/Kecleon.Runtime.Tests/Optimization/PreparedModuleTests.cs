using Kecleon.Runtime.Optimization;
using Kecleon.Runtime.Tests.Samples;
using Kecleon.Workloads;
using Xunit;

namespace Kecleon.Runtime.Tests.Optimization;

/// <summary>
/// A module parsed and analysed ahead of a cycle (as the daemon prepares the next one while it waits) is taken by that
/// cycle, once, and makes the program a cycle of its own would make; one analysed for other writers than the cycle
/// finds is analysed again, and one of another source is left alone.
/// </summary>
[Trait("Tier", "Kernel")]
public sealed class PreparedModuleTests
{
    [Fact]
    public void A_cycle_takes_the_module_prepared_for_it_and_makes_the_same_program()
    {
        using var setup = new LiveSample("router", "prepared");
        var source = setup.Source;
        var packets = setup.Sample.GenerateTrace(setup.ControlPlane, Locality.High, 200, 1);
        using var prepared = PreparedModule.Prepare(source, SharedMapWriters.Find(setup.Program, new HashSet<uint>()).Maps);

        using (var own = Cycle(setup, source, packets, null))
        using (var taken = Cycle(setup, source, packets, prepared))
        {
            Assert.False(prepared.Available);
            Assert.True(taken.Report.Check!.Equivalent);
            Assert.Equal(own.Report.Snapshots.Select(s => s.Name), taken.Report.Snapshots.Select(s => s.Name));
            Assert.Equal(own.Report.Applied.Select(s => (s.Pass, s.What, s.Where)), taken.Report.Applied.Select(s => (s.Pass, s.What, s.Where)));
            Assert.Equal(own.Report.InstructionsAfter, taken.Report.InstructionsAfter);
        }

        // Taken once: the next cycle parses its own.
        using var next = Cycle(setup, source, packets, prepared);
        Assert.True(next.Report.Check!.Equivalent);
    }

    [Fact]
    public void A_module_analysed_for_other_writers_is_analysed_again()
    {
        using var setup = new LiveSample("router", "prepared_writers");
        var source = setup.Source;
        var packets = setup.Sample.GenerateTrace(setup.ControlPlane, Locality.High, 200, 1);
        // As if another program had written the routes when it was prepared: its analysis calls them written, and a plan
        // made on it would leave them alone. No other program writes them now.
        using var prepared = PreparedModule.Prepare(source, new HashSet<string> { "routes" });

        using var optimized = Cycle(setup, source, packets, prepared);
        Assert.False(prepared.Available);
        Assert.Contains(optimized.Report.Snapshots, s => s.Name == "routes");
    }

    [Fact]
    public void A_module_of_another_source_is_left_alone()
    {
        using var setup = new LiveSample("router", "prepared_other");
        var packets = setup.Sample.GenerateTrace(setup.ControlPlane, Locality.High, 200, 1);
        using var prepared = PreparedModule.Prepare(setup.Source, new HashSet<string>());

        // Another read of the same file is another source: the cycle cannot know the prepared one is its program.
        using var optimized = Cycle(setup, setup.Source, packets, prepared);
        Assert.True(prepared.Available);
        Assert.True(optimized.Report.Check!.Equivalent);
    }

    private static OptimizedProgram Cycle(LiveSample setup, Kecleon.FrontEnd.ProgramSource source, IReadOnlyList<byte[]> packets, PreparedModule? prepared) =>
        OptimizationCycle.Run(source, setup.Program, SampleFixtures.ClangObject(setup.Sample.Name), setup.Guards, packets,
            new OptimizeOptions { MaxProbePackets = 256, Prepared = prepared });
}
