using System.CommandLine;
using Spectre.Console;
using Kecleon.FrontEnd;
using Kecleon.Bench;
using Kecleon.Runtime.Deployment;
using Kecleon.Runtime.Execution;
using Kecleon.Workloads;

namespace Kecleon.Cli.Commands;

/// <summary><c>kecleon bench</c>: variants of a program timed side by side on a trace, with a differential check.</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var input = SampleOptions.OwnProgram();
        var sample = SampleOptions.Sample();
        var locality = SampleOptions.Locality();
        var seed = SampleOptions.Seed();
        var packets = SampleOptions.Packets(2000);
        var pcap = new Option<string?>("--pcap") { Description = "Time this trace instead of a generated one" };
        var program = SampleOptions.Program();
        var rounds = new Option<int>("--rounds") { Description = "Measured rounds (after one warm-up round)", DefaultValueFactory = _ => 5 }.Within(1, 1000);
        var loads = new Option<int>("--loads")
        {
            Description = "Loads of each variant, all timed every round (where a load's code lands moves its time by a few percent)",
            DefaultValueFactory = _ => BenchSession.DefaultLoads,
        }.Within(1, 100);
        var json = new Option<bool>("--json") { Description = "Print JSON: one object, each trace in \"traces\" (<variant>_ns_per_packet, speedup, mismatches, ...; docs/json.md)" };
        var check = new Option<string?>("--check") { Description = "Thresholds file: exit non-zero on a regression (format: see docs/bench.md)" };
        var outputs = new BenchOutputs();
        var noOptimize = new Option<bool>("--no-optimize") { Description = "Leave out the optimized variant" };
        var noInstrument = new Option<bool>("--no-instrument") { Description = "Leave out the instrumented (profiling) variant" };
        var traceProfile = new Option<bool>("--trace-profile")
        {
            Description = "Give the optimized variant a profile counted from this same trace (hot keys, branch weights), exact, for benchmarks; the program specialized on the maps alone is timed beside it as maps_only",
        };
        var profile = new Option<string?>("--profile")
        {
            Description = "Give the optimized variant this profile, recorded by `kecleon profile` (one program and trace); the program specialized on the maps alone is timed beside it as maps_only",
        };
        var lpmShapes = new Option<bool>("--lpm-shapes")
        {
            Description = "Also time the program specialized with the LPM search shapes the default is not, beside optimized: " +
                          "lpm_tree (a tree of compares) and lpm_no_branch (the table search without branches)",
        };
        var guardHook = new Option<bool>("--guard-hook")
        {
            Description = "Instead of programs, time system calls with the guard hook detached and attached (docs/guards.md); " +
                          "--rounds rounds of 1,000,000 calls each, the best batch kept",
        };
        var daemonIdle = new Option<bool>("--daemon-idle")
        {
            Description = "Also time every variant with a real `kecleon daemon` running idle beside them (on a veth pair of its own), " +
                          "in phases interleaved with phases without it (--rounds rounds each), and report what it costs the floor and each ratio",
        };
        var profileWindow = new Option<bool>("--profile-window")
        {
            Description = "Also time the optimized program with the daemon's sampled profiling built in, its window closed (window_closed) and open (window_open)",
        };
        var cycles = new Option<int?>("--cycles")
        {
            Description = "Instead of programs, time N warm optimize cycles of each sample as the daemon runs them after a control-plane write " +
                          "(one warm-up first): each stage's median and p99 in ms, IR to loaded and the check",
        }.Within(1, 1000);
        var churn = new Option<bool>("--churn")
        {
            Description = "Instead of timing variants, keep the sample (router or firewall) specialized by the daemon, in this process, on a veth pair " +
                          "with traffic flowing, while a control plane writes its maps every --write-every for --duration; report write → specialized " +
                          "again per kind of reaction, stale verdicts and mismatches (docs/bench.md)",
        };
        var duration = new Option<string>("--duration") { Description = "With --churn: how long the writes go on (60s, 1m, 10s)", DefaultValueFactory = _ => "60s" };
        var writeEvery = new Option<string>("--write-every") { Description = "With --churn: one control-plane write per (100ms)", DefaultValueFactory = _ => "100ms" };
        var noInPlace = new Option<bool>("--no-in-place")
        {
            Description = "With --churn: the daemon keeps no table in place (\"in_place\": false), so every write is answered by a rebuild: times that path",
        };
        var maps = new MapOptions();
        var phases = new Option<int>("--phases") { Description = "With --daemon-idle: phases with the daemon (and as many without)", DefaultValueFactory = _ => 4 }
            .Within(1, int.MaxValue);
        var command = new Command("bench", "Time variants of a program side by side (kernel-measured ns/packet) and check them against the baseline")
        {
            input, program, sample, locality, seed, packets, pcap, rounds, loads, json, check, noOptimize, noInstrument, traceProfile, profile, lpmShapes, guardHook, daemonIdle, phases, profileWindow, churn, duration, writeEvery, noInPlace, cycles,
        };
        maps.AddTo(command);
        outputs.AddTo(command);
        command.SetAction(result => CommandRunner.Guard(() =>
        {
            if (result.GetValue(profile) is not null && result.GetValue(traceProfile))
                throw new UsageException("--profile and --trace-profile both give the optimized variant a profile: choose one");
            var thresholdsPath = result.GetValue(check) is { } path ? CommandFiles.Input(path, "a thresholds file (JSON)") : null;
            outputs.Validate(result, checking: thresholdsPath is not null);
            var churnGiven = result.GetValue(churn);
            if (!churnGiven && (result.GetResult(duration) is { Implicit: false } || result.GetResult(writeEvery) is { Implicit: false } || result.GetValue(noInPlace)))
                throw new UsageException("--duration, --write-every and --no-in-place go with --churn");
            if (churnGiven && new[] { outputs.Report, outputs.ReportMarkdown, outputs.ReportCsv }.FirstOrDefault(o => result.GetValue(o) is not null) is { } report)
                throw new UsageException($"{report.Name} reports timed variants; --churn prints its own report (text, or --json)");
            if (churnGiven)
                return Churn(result, outputs, SampleOptions.One(result.GetValue(sample)!, "bench --churn"),
                    ChurnBench.Duration(result.GetValue(duration)!, "--duration"), ChurnBench.Duration(result.GetValue(writeEvery)!, "--write-every"),
                    !result.GetValue(noInPlace), result.GetValue(json), thresholdsPath is null ? null : BenchThreshold.Load(thresholdsPath));
            if (result.GetValue(guardHook))
                return GuardHook(result, outputs, result.GetValue(rounds), result.GetValue(json), thresholdsPath is null ? null : BenchThreshold.Load(thresholdsPath));
            if (result.GetValue(cycles) is { } n)
            {
                if (result.GetValue(input) is { } given && !InputName.IsSample(given))
                    throw new UsageException("--cycles times the bundled samples' cycles: give --sample NAME (for your own program, " +
                                             "`kecleon optimize --dry-run` reports one cycle's stages)");
                if (new[] { outputs.Report, outputs.ReportMarkdown, outputs.ReportCsv }.FirstOrDefault(o => result.GetValue(o) is not null) is { } cycleReport)
                    throw new UsageException($"{cycleReport.Name} reports timed variants; --cycles prints its own report (text, or --json)");
                return Cycles(result, outputs, result.GetValue(input) ?? result.GetValue(sample)!, n, result.GetValue(seed), result.GetValue(json),
                    thresholdsPath is null ? null : BenchThreshold.Load(thresholdsPath));
            }
            var workloads = Workloads(result.GetValue(input), result.GetValue(pcap), result.GetValue(sample)!,
                result.GetValue(locality)!, result.GetValue(packets), result.GetValue(seed), programName: result.GetValue(program),
                maps: MapsOf(result, maps, result.GetValue(input))).ToList();
            // Read strictly, knowing this run's own program and trace names beside the samples'.
            var thresholds = thresholdsPath is null ? null
                : BenchThreshold.Load(thresholdsPath, workloads.Select(w => w.Program), workloads.Select(w => w.TraceName));
            Kecleon.Instrumentation.Profiles.Profile? recorded = null;
            if (result.GetValue(profile) is { } profilePath)
            {
                CommandFiles.Input(profilePath, "a profile (JSON)");
                if (workloads.Count != 1)
                    throw new UsageException($"--profile is recorded for one program and trace, and this bench has {workloads.Count}: " +
                                             "give one --sample and one --locality (or your program with --pcap)");
                recorded = OptimizeCommand.LoadRecordedProfile(profilePath, workloads[0].Source);
            }
            // An object `optimize --emit` wrote is specialized already (its guard prelude linked in): it is timed as it
            // is, not specialized again.
            var emitted = workloads is [{ Source.UserObject: { } own }] && EmittedObject.Note(own) is not null;
            if (emitted && (result.GetValue(traceProfile) || recorded is not null || result.GetValue(lpmShapes) || result.GetValue(profileWindow)))
                throw new UsageException($"{workloads[0].Program} is a specialized object `kecleon optimize --emit` wrote: it is timed as it is, " +
                                         "so --trace-profile, --profile, --lpm-shapes and --profile-window (which specialize it again) do not apply");
            if (emitted && !result.GetValue(noOptimize))
                Progress.Line($"note: {workloads[0].Program} is a specialized object `kecleon optimize --emit` wrote: timed as it is (baseline), not specialized again");
            var singleOnly = new (bool Given, string Name)[]
            {
                (result.GetValue(traceProfile), "--trace-profile"), (recorded is not null, "--profile"), (result.GetValue(lpmShapes), "--lpm-shapes"),
                (result.GetValue(profileWindow), "--profile-window"), (result.GetValue(daemonIdle), "--daemon-idle"),
            }.Where(o => o.Given).Select(o => o.Name).ToList();
            if (singleOnly.Count > 0 && workloads.Count > 0 && workloads.All(w => w.Slots.Count > 0))
                throw new UsageException($"{string.Join(", ", singleOnly)} time variants of one program; {workloads[0].Program} is a service chain " +
                                         $"(its variants: baseline, {ChainBench.StagesVariant}, {ChainBench.FusedVariant}): leave {(singleOnly.Count == 1 ? "it" : "them")} out");
            if (singleOnly.Count > 0 && workloads.Any(w => w.Slots.Count > 0))
                Progress.Line($"note: {string.Join(", ", singleOnly)} apply to the single programs; the chain is timed with its own variants");
            Privileges.RequireBpf("bench");
            var results = new List<BenchResult>();
            var quiet = result.GetValue(json);
            using var idle = result.GetValue(daemonIdle) ? IdleDaemon.Create() : null;
            foreach (var (workload, index) in workloads.Select((w, i) => (w, i)))
            {
                Progress.Line($"bench {workload.Program} / {workload.TraceName}: {workload.Trace.Count} packets");
                // On a terminal, a bar per trace (its text printed once the bar is gone, so the two never mix).
                var label = $"bench {workload.Program} / {workload.TraceName}" + (workloads.Count > 1 ? $" (trace {index + 1} of {workloads.Count})" : "");
                // A service chain: its own variants (baseline, stages, fused), the single-program options aside.
                if (workload.Slots.Count > 0)
                {
                    var chain = ProgressDisplay.Run(quiet, label, result.GetValue(rounds), bar => ChainBench.Run(workload, workload.Slots,
                        result.GetValue(rounds), bar is null ? Progress.Rounds() : Progress.Rounds(bar, label), loads: result.GetValue(loads),
                        optimize: !result.GetValue(noOptimize)));
                    results.Add(chain);
                    if (!quiet)
                        Console.Write(BenchReport.Text(chain));
                    continue;
                }
                var r = ProgressDisplay.Run(quiet, label, result.GetValue(rounds), bar => BenchSession.Run(workload, [VariantBuild.Compiled],
                    result.GetValue(rounds), bar is null ? Progress.Rounds() : Progress.Rounds(bar, label),
                    optimize: !result.GetValue(noOptimize) && !emitted, instrument: !result.GetValue(noInstrument),
                    traceProfile: result.GetValue(traceProfile), recordedProfile: recorded, loads: result.GetValue(loads),
                    alternation: idle?.Alternation(result.GetValue(phases)),
                    specializations: result.GetValue(lpmShapes) ? SpecializationVariant.LpmShapes : null,
                    profileWindow: result.GetValue(profileWindow)));
                results.Add(r);
                if (!quiet)
                    Console.Write(BenchReport.Text(r));
                else if (r.Disturbed.Count > 0)
                    Progress.Line($"  warning: {workload.Program} / {workload.TraceName}: timing disturbed ({string.Join(", ", r.Disturbed)}); " +
                                  "do not trust its ratios (\"disturbed\" in the JSON), run the bench again");
            }
            if (quiet)
                Console.WriteLine(BenchReport.Json(results));
            outputs.WriteReports(result, results);
            var failed = results.Where(r => r.Mismatches > 0).Select(r => $"{r.Program}/{r.Trace}: {r.Mismatches} mismatches").ToList();
            if (thresholds is not null)
                failed = [.. failed.Union(outputs.Checks(result, BenchThreshold.Evaluate(thresholds, results), quiet))];
            foreach (var line in failed)
                Console.Error.WriteLine($"kecleon: regression: {line}");
            return failed.Count == 0 ? ExitCodes.Success : ExitCodes.Failure;
        }));
        return command;
    }

    private static int GuardHook(ParseResult result, BenchOutputs outputs, int rounds, bool json, IReadOnlyList<BenchThreshold>? thresholds)
    {
        Privileges.RequireBpf("bench");
        Progress.Line($"bench guard hook: {rounds} rounds of 1,000,000 calls, detached and attached");
        var calls = GuardHookCost.Measure(rounds: rounds);
        Console.Write(json ? GuardHookCost.Json(calls) + "\n" : GuardHookCost.Text(calls));
        IReadOnlyList<string> failed = thresholds is null ? [] : outputs.Checks(result, BenchThreshold.Evaluate(thresholds, calls), json);
        foreach (var line in failed)
            Console.Error.WriteLine($"kecleon: regression: {line}");
        return failed.Count == 0 ? ExitCodes.Success : ExitCodes.Failure;
    }

    private static int Cycles(ParseResult result, BenchOutputs outputs, string sample, int cycles, int seed, bool json, IReadOnlyList<BenchThreshold>? thresholds)
    {
        // A chain's cycle fuses its stages: with 'all', the single programs.
        var samples = SampleOptions.Samples(sample);
        if (samples.Count > 1)
            samples = [.. samples.Where(s => s.ProgramSlots.Count == 0)];
        Privileges.RequireBpf("bench");
        var timings = new List<CycleTiming>();
        foreach (var s in samples)
        {
            Progress.Line($"bench cycles {s.Name}: 1 warm-up and {cycles} cycles after a write");
            var timing = CycleBench.Run(s, cycles, seed);
            timings.Add(timing);
            if (!json)
                Console.Write(CycleBench.Text(timing));
        }
        if (json)
            Console.WriteLine(CycleBench.Json(timings));
        IReadOnlyList<string> failed = thresholds is null ? [] : outputs.Checks(result, BenchThreshold.Evaluate(thresholds, timings), json);
        foreach (var line in failed)
            Console.Error.WriteLine($"kecleon: regression: {line}");
        return failed.Count == 0 ? ExitCodes.Success : ExitCodes.Failure;
    }

    private static int Churn(ParseResult result, BenchOutputs outputs, INetworkFunctionSample sample, TimeSpan duration, TimeSpan writeEvery,
        bool inPlace, bool json, IReadOnlyList<BenchThreshold>? thresholds)
    {
        if (writeEvery >= duration)
            throw new UsageException($"--write-every {writeEvery.TotalMilliseconds:0.#} ms leaves no room for a second write in --duration {duration.TotalSeconds:0.#} s");
        if (writeEvery < TimeSpan.FromMilliseconds(20))
            throw new UsageException("--write-every below 20 ms leaves the frames after a write no time to go through before the next");
        Privileges.RequireBpf("bench");
        var churn = ChurnBench.Run(sample, duration, writeEvery, inPlace, json);
        Console.Write(json ? ChurnReport.Json([churn]) + "\n" : ChurnReport.Text(churn));
        var failed = new List<string>();
        if (churn.Traffic.Stale + churn.Traffic.Wrong > 0)
            failed.Add($"{churn.Program}/churn: {churn.Traffic.Stale} stale and {churn.Traffic.Wrong} wrong verdicts");
        if (churn.Mismatches > 0)
            failed.Add($"{churn.Program}/churn: {churn.Mismatches} check mismatches");
        if (thresholds is not null)
            failed = [.. failed.Union(outputs.Checks(result, BenchThreshold.Evaluate(thresholds, [churn]), json))];
        foreach (var line in failed)
            Console.Error.WriteLine($"kecleon: regression: {line}");
        return failed.Count == 0 ? ExitCodes.Success : ExitCodes.Failure;
    }

    /// <summary>The map source asked for; with a bundled sample (no INPUT) a usage error, before anything is read.</summary>
    internal static MapSource? MapsOf(ParseResult result, MapOptions maps, string? input) =>
        maps.Given(result) && (input is null || InputName.IsSample(input))
            ? throw new UsageException("--maps-from and --maps give your own program (INPUT) its maps; a bundled sample brings its own control plane")
            : maps.Source(result);

    /// <summary>The user's program with its trace, or each bundled sample (and locality) asked for.</summary>
    /// <param name="programName">Which program of the user's object (<c>--program</c>); samples name their own.</param>
    internal static IEnumerable<BenchWorkload> Workloads(string? input, string? pcap, string sample, string locality, int packets, int seed,
        FrontEndOptions? frontEnd = null, string verb = "benchmarking", string? programName = null, MapSource? maps = null)
    {
        // sample:NAME as INPUT is --sample NAME.
        if (input is not null && InputName.IsSample(input))
            (sample, input) = (InputName.SampleNamed(input).Name, null);
        if (input is not null)
        {
            if (pcap is null)
                throw new UsageException($"{verb} your own program needs a trace: add --pcap FILE");
            // A copy of a bundled sample, or a source in a samples tree, compiles with the samples' headers (InputName).
            var program = ProgramInput.Read(input, frontEnd?.ClangFlags ?? [], programName: programName);
            var trace = ReadTrace(pcap);
            // The maps are checked against the object a user would load (the baseline), before any work.
            var (controlPlane, warnings) = MapOptions.ControlPlane(maps, program.OriginalElf, program.Source.Name);
            yield return new BenchWorkload(program.Source.Name, program.Source, program.ProgramName, controlPlane, trace, Path.GetFileName(pcap))
            {
                Warnings = warnings,
                FrontEnd = program.FrontEnd,
            };
            yield break;
        }
        if (programName is not null)
            throw new UsageException($"--program {programName}: the bundled samples name their own program; give your program (INPUT) with --program");
        foreach (var s in SampleOptions.Samples(sample))
        {
            if (pcap is not null)
            {
                var controlPlane = s.GenerateControlPlane(seed);
                yield return new BenchWorkload(s.Name, Kecleon.Workloads.SampleFiles.Read(s), s.ProgramName, controlPlane,
                    ReadTrace(pcap), Path.GetFileName(pcap));
                continue;
            }
            foreach (var l in SampleOptions.Localities(locality))
                yield return BenchWorkload.ForSample(s, l, packets, seed);
        }
    }

    /// <summary>A trace the user gives: a pcap file of Ethernet frames, each long enough to run (exit 65 otherwise).</summary>
    internal static IReadOnlyList<byte[]> ReadTrace(string path)
    {
        CommandFiles.Input(path, "a trace (pcap)");
        IReadOnlyList<byte[]> frames;
        try
        {
            frames = Pcap.ReadFile(path).Select(p => p.Frame).ToList();
        }
        catch (InvalidDataException e)
        {
            throw new InvalidInputException($"{path}: not a readable pcap file: {e.Message}");
        }
        if (frames.Count == 0)
            throw new InvalidInputException($"{path}: the trace holds no packets");
        for (var i = 0; i < frames.Count; i++)
            if (frames[i].Length < PacketRunner.MinFrameLength)
                throw new InvalidInputException($"{path}: packet {i} has {frames[i].Length} bytes, shorter than an Ethernet header ({PacketRunner.MinFrameLength} bytes)");
        return frames;
    }
}

/// <summary>Progress on stderr, so that stdout stays clean for --json.</summary>
internal static class Progress
{
    /// <summary>A line on stderr (above the progress bar while one is shown).</summary>
    public static void Line(string text)
    {
        if (ProgressDisplay.Live is { } console)
            console.WriteLine(text);
        else
            Console.Error.WriteLine(text);
    }

    public static IProgress<BenchProgress> Rounds() => new SynchronousProgress(p =>
    {
        if (!Console.IsErrorRedirected)
            Console.Error.Write(p.Round == p.Rounds ? "\r\x1b[K" : $"\r  round {p.Round}/{p.Rounds}{(p.Round == 0 ? " (warm-up)" : "")}");
    });

    /// <summary>The rounds on a progress bar: each variant's loads timed once per round, after a warm-up round.</summary>
    public static IProgress<BenchProgress> Rounds(ProgressDisplay bar, string label) => new SynchronousProgress(p =>
        bar.Report(p.Round, p.Round == 0 ? $"{label}: warm-up" : $"{label}: round {p.Round}/{p.Rounds}"));

    private sealed class SynchronousProgress(Action<BenchProgress> report) : IProgress<BenchProgress>
    {
        public void Report(BenchProgress value) => report(value);
    }
}
