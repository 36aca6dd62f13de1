using System.CommandLine;
using System.Diagnostics;
using Kecleon.Bench;
using Kecleon.Runtime.Deployment;
using Kecleon.Workloads;

namespace Kecleon.Cli.Commands;

/// <summary><c>kecleon demo</c>: the main job, narrated: a network function running live on a veth pair, the daemon
/// optimizing it while traffic flows, a control-plane change followed at once (see <see cref="LiveDemo"/>). With
/// <c>--bench</c>, the offline story instead: the sample compiled, specialized and timed side by side.</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var sample = SampleOptions.Sample();
        var locality = SampleOptions.Locality();
        var packets = SampleOptions.Packets(2000);
        var rounds = new Option<int>("--rounds") { Description = "Measured rounds", DefaultValueFactory = _ => 5 }.Within(1, 1000);
        var bench = new Option<bool>("--bench") { Description = "Instead of the live story, compile, specialize and time the sample side by side (no network needed)" };
        var command = new Command("demo", "Run Kecleon's main job on a bundled sample (no arguments needed): the daemon optimizes a live data plane")
        {
            sample, locality, packets, rounds, bench,
        };
        command.SetAction(result => CommandRunner.Guard(() =>
        {
            var s = SampleOptions.One(result.GetValue(sample)!, "demo");
            var l = SampleOptions.OneLocality(result.GetValue(locality)!, "demo");
            Privileges.RequireBpf("demo");
            if (!result.GetValue(bench))
                return LiveDemo.Run(s);
            Console.WriteLine($"Kecleon demo: the '{s.Name}' network function ({SampleFiles.SourceOf(s)})");
            var clock = Stopwatch.StartNew();
            var workload = BenchWorkload.ForSample(s, l, result.GetValue(packets), seed: 1);
            Console.WriteLine($"  control plane: {workload.ControlPlane.TotalEntries} entries in " +
                              $"{string.Join(", ", workload.ControlPlane.MapNames.Select(m => $"{m} ({workload.ControlPlane.Entries(m).Count})"))}");
            Console.WriteLine($"  traffic: {workload.Trace.Count} packets, {workload.TraceName} locality ({clock.ElapsedMilliseconds} ms to generate)");
            Console.WriteLine("  variants: floor (an XDP program that only returns), baseline (clang -O2's own object, loaded as a user would),");
            Console.WriteLine("            compiled (the same source through Kecleon's LLVM pipeline and BPF back end),");
            Console.WriteLine("            optimized (specialized on the maps' current contents, guarded), both sharing the baseline's maps");
            var r = BenchSession.Run(workload, [VariantBuild.Compiled], result.GetValue(rounds), Progress.Rounds(), optimize: true);
            Console.WriteLine();
            Console.Write(BenchReport.Text(r));
            Console.WriteLine();
            Console.WriteLine(r.Mismatches == 0
                ? $"Both of Kecleon's programs behave exactly like clang's on every packet. Side by side, the recompiled one runs at " +
                  $"{r.Ratio("compiled"):F2}x and the specialized one at {r.Ratio("optimized"):F2}x the baseline's speed (raw ns/packet ratio)."
                : "Kecleon's programs do NOT behave like clang's: see the differential checks above.");
            return r.Mismatches == 0 ? ExitCodes.Success : ExitCodes.Failure;
        }));
        return command;
    }
}
