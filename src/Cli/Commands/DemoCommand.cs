using System.CommandLine;
using System.Diagnostics;
using Kecleon.Runtime.Benchmarking;
using Kecleon.Runtime.Deployment;
using Kecleon.Runtime.Workloads;

namespace Kecleon.Cli.Commands;

/// <summary><c>kecleon demo</c>: the main job on a bundled sample, narrated. It grows with the product: today it compiles
/// the sample through Kecleon's pipeline, specializes it on its maps behind guards, checks both against clang's object
/// and times everything side by side.</summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var sample = SampleOptions.Sample();
        var locality = SampleOptions.Locality();
        var packets = SampleOptions.Packets(2000);
        var rounds = new Option<int>("--rounds") { Description = "Measured rounds", DefaultValueFactory = _ => 5 };
        var command = new Command("demo", "Run Kecleon's main job on a bundled sample (no arguments needed)") { sample, locality, packets, rounds };
        command.SetAction(result => CommandRunner.Guard(() =>
        {
            var s = SampleOptions.Samples(result.GetValue(sample)!).Single();
            var l = SampleOptions.Localities(result.GetValue(locality)!).Single();
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
