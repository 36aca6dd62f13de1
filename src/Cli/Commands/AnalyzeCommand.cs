using System.CommandLine;
using Kecleon.Analyses;
using Kecleon.FrontEnd;
using Kecleon.Instrumentation.Profiles;
using Kecleon.Llvm;
using Kecleon.Reports;

namespace Kecleon.Cli.Commands;

/// <summary><c>kecleon analyze</c>: what the data plane does — programs, maps and how they are accessed, lookup sites
/// and key origins, loops — as a report, JSON, or a control-flow graph.</summary>
internal static class AnalyzeCommand
{
    public static Command Create()
    {
        var options = new CompileOptions();
        var json = new Option<bool>("--json") { Description = "Print the analysis as JSON (docs/json.md)" };
        var dot = new Option<string?>("--dot") { Description = "Write the control-flow graphs as graphviz DOT to FILE" };
        var svg = new Option<string?>("--svg") { Description = "Render the control-flow graphs to an SVG FILE (runs graphviz `dot`)" };
        var profile = new Option<string?>("--profile") { Description = "Colour the graphs (--dot, --svg) by how hot blocks and edges are in this profile (`kecleon profile --out`)" };
        var shared = new Option<string[]>("--written-elsewhere")
        {
            Description = "A map another loaded program writes (repeatable); it is classified written",
            AllowMultipleArgumentsPerToken = false,
        };
        var command = new Command("analyze", "Analyse an eBPF program: maps and how the data plane accesses them, lookups, control flow");
        command.Arguments.Add(options.Input);
        command.Options.Add(options.ClangFlags);
        command.Options.Add(json);
        command.Options.Add(dot);
        command.Options.Add(svg);
        command.Options.Add(shared);
        command.Options.Add(profile);
        command.SetAction(result => CommandRunner.Guard(() =>
        {
            foreach (var (option, name) in new[] { (dot, "--dot"), (svg, "--svg") })
                if (result.GetValue(option) is { } path)
                    CommandFiles.Output(path, name);
            var profilePath = result.GetValue(profile) is { } given ? CommandFiles.Input(given, "a profile (JSON)") : null;
            var input = options.Resolve(result);
            var source = input.Read();
            using var context = LlvmContext.Create();
            using var module = source.Parse(context);
            // A bundled chain's slots are what its loader fills (sample:chain): the chain view shows who calls whom.
            var slots = input.Sample?.ProgramSlots is { Count: > 0 } loaderSlots
                ? loaderSlots.Select(s => new ProgramArraySlot(s.Map, s.Index, s.Program, SlotOrigin.Loader)).ToList()
                : null;
            using var analysis = ProgramAnalysis.Analyze(module, new AnalysisOptions
            {
                WrittenByOtherPrograms = (result.GetValue(shared) ?? []).ToHashSet(StringComparer.Ordinal),
                ProgramArraySlots = slots,
            });
            Console.Write(result.GetValue(json) ? JsonReport.Render(analysis) + "\n" : TextReport.Render(analysis));
            CfgWeights? weights = null;
            if (profilePath is not null)
            {
                var loaded = Profile.Load(profilePath);
                var hash = Profile.IrFingerprint(module.ToString());
                if (loaded.IrHash.Length > 0 && loaded.IrHash != hash)
                    Console.Error.WriteLine($"kecleon: warning: {profilePath} was recorded on different IR ({loaded.IrHash}, this is {hash}); block numbers may not match");
                weights = BlockFrequencies.Weights(analysis, loaded);
            }
            var graph = result.GetValue(dot) is not null || result.GetValue(svg) is not null ? DotGraph.Render(analysis, weights) : null;
            if (result.GetValue(dot) is { } dotFile)
                CommandFiles.Write(dotFile, "--dot", p => File.WriteAllText(p, graph));
            if (result.GetValue(svg) is { } svgFile)
            {
                var rendered = DotGraph.ToSvg(graph!);
                CommandFiles.Write(svgFile, "--svg", p => File.WriteAllText(p, rendered));
            }
            return ExitCodes.Success;
        }));
        return command;
    }
}
