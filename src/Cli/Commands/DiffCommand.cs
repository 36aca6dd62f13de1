using System.CommandLine;
using Kecleon.Runtime.Checking;
using Kecleon.Runtime.Deployment;
using Kecleon.Runtime.Execution;
using Kecleon.Workloads;

namespace Kecleon.Cli.Commands;

/// <summary><c>kecleon diff A B</c>: do two variants of a program behave the same, packet by packet?</summary>
internal static class DiffCommand
{
    public static Command Create()
    {
        var a = new Argument<string>("a") { Description = "First variant: a BPF object (.o, loaded as is), a program compiled by Kecleon (.c, .ll, .bc), or sample:NAME" };
        var b = new Argument<string>("b") { Description = "Second variant, likewise" };
        var trace = new Option<string?>("--trace") { Description = "Packets to feed both, a pcap file (default: the sample's generated trace)" };
        var sample = SampleOptions.Sample(defaultValue: "");
        sample.Description = "Give both variants this bundled sample's control-plane data (and its trace when --trace is absent)";
        var localityOption = SampleOptions.Locality();
        var seed = SampleOptions.Seed();
        var packets = SampleOptions.Packets(2000);
        var fuzz = new Option<int>("--fuzz") { Description = "Also feed this many random and malformed packets" }.Within(0, OptionRange.MaxPackets);
        var mapsEvery = new Option<int>("--maps-every") { Description = "Compare maps after every N packets (0: only at the end)", DefaultValueFactory = _ => 1 }
            .Within(0, int.MaxValue);
        var program = new Option<string?>("--program") { Description = "Which program of the objects to run" };
        var clangFlags = new Option<string[]>("--cflag")
        {
            Description = "An extra clang flag for a C variant, e.g. --cflag=-D__x86_64__ (repeatable)",
            AllowMultipleArgumentsPerToken = false,
        };
        var maps = new MapOptions();
        var command = new Command("diff", "Run two variants on the same packets, each with its own maps, and report the first differences")
        {
            a, b, trace, sample, localityOption, seed, packets, fuzz, mapsEvery, program, clangFlags,
        };
        maps.AddTo(command);
        command.SetAction(result => CommandRunner.Guard(() =>
        {
            var chosen = result.GetValue(sample) is { Length: > 0 } name ? SampleOptions.One(name, "diff") : null;
            var locality = chosen is null ? default : SampleOptions.OneLocality(result.GetValue(localityOption)!, "diff");
            // A bundled sample (sample:NAME) is its source; C compiles with the samples' headers in any case (DiffSession).
            var (pathA, pathB) = (InputName.Resolve(result.GetValue(a)!).Path, InputName.Resolve(result.GetValue(b)!).Path);
            var seedValue = result.GetValue(seed);
            var controlPlane = chosen?.GenerateControlPlane(seedValue) ?? new ControlPlaneData();
            var frames = result.GetValue(trace) is { } pcap
                ? BenchCommand.ReadTrace(pcap)
                : chosen is not null
                    ? chosen.GenerateTrace(controlPlane, locality, result.GetValue(packets), seedValue)
                    : result.GetValue(fuzz) > 0 ? [] : throw new UsageException("give --trace FILE, --sample NAME or --fuzz N: the variants need packets");
            if (chosen is not null && maps.Given(result))
                throw new UsageException("--maps-from and --maps give your own programs their maps; --sample brings its own control plane: choose one");
            Privileges.RequireBpf("diff");
            var source = chosen is null ? maps.Source(result) : null;
            var said = new HashSet<string>();
            var report = ProgressDisplay.Run(json: false, "diff: loading both variants", frames.Count + result.GetValue(fuzz), bar => DiffSession.Run(
                new DiffRequest(pathA, pathB, frames, controlPlane, result.GetValue(program) ?? chosen?.ProgramName)
            {
                Fuzz = result.GetValue(fuzz),
                Seed = seedValue,
                Options = new DiffOptions
                {
                    CompareMapsEvery = result.GetValue(mapsEvery),
                    Progress = bar is null ? null : (done, total, mismatches) => bar.Report(done, total, $"diff: {done}/{total} packets, {mismatches} mismatches"),
                },
                ClangFlags = result.GetValue(clangFlags) ?? [],
                // Each variant's own maps (a specialized object has its guard and fallback maps too), said once.
                MapsFor = chosen is not null ? null : obj =>
                {
                    var (data, warnings, notes) = MapOptions.Read(source, obj);
                    foreach (var line in warnings.Select(w => $"kecleon: warning: {w}").Concat(notes).Where(said.Add))
                        Progress.Line(line);
                    return data;
                },
            }));
            Console.WriteLine($"{report.Packets} packets; compared verdicts, output bytes" +
                              (report.ComparedMaps.Count > 0 ? $" and maps ({string.Join(", ", report.ComparedMaps)})" : " (no maps)"));
            if (report.Equivalent)
            {
                Console.WriteLine("0 mismatches");
                return ExitCodes.Success;
            }
            foreach (var m in report.Mismatches)
            {
                Console.WriteLine($"mismatch at packet {m.PacketIndex} ({m.Kind}): {m.Description}");
                Console.WriteLine($"  packet: {Convert.ToHexStringLower(m.Packet)}");
            }
            Console.WriteLine(report.Mismatches.Count >= DiffOptions.Default.MaxMismatches
                ? $"{report.Mismatches.Count} mismatches (stopped at the limit; there may be more)"
                : $"{report.Mismatches.Count} mismatch(es)");
            return ExitCodes.Failure;
        }));
        return command;
    }
}
