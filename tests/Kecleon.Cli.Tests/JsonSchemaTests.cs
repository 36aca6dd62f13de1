using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;
using Kecleon.Bench.Live;
using Kecleon.Daemon;
using Kecleon.Tests;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit;

namespace Kecleon.Cli.Tests;

/// <summary>Each command's real <c>--json</c> output against its documented schema (docs/schemas/, docs/json.md), and the
/// schemas themselves: valid draft 2020-12, every property name snake_case.</summary>
public sealed partial class JsonSchemaTests
{
    private static readonly string SchemaFolder = Path.Combine(TestEnvironment.RepositoryRoot, "docs", "schemas");
    private static readonly string Router = Path.Combine(TestEnvironment.Samples, "router", "router.bpf.c");

    private static IEnumerable<string> SchemaFiles() => Directory.GetFiles(SchemaFolder, "*.schema.json").Select(Path.GetFileName).OfType<string>().Order();

    public static TheoryData<string> Schemas() => [.. SchemaFiles()];

    [Theory]
    [MemberData(nameof(Schemas))]
    public void Each_schema_is_a_valid_2020_12_schema_with_snake_case_names(string file)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(SchemaFolder, file)));
        var meta = MetaSchemas.Draft202012.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        Assert.True(meta.IsValid, Describe(meta));
        Assert.Equal("https://json-schema.org/draft/2020-12/schema", document.RootElement.GetProperty("$schema").GetString());
        Assert.Equal(1, document.RootElement.GetProperty("properties").GetProperty("schema_version").GetProperty("const").GetInt32());
        var names = PropertyNames(JsonNode.Parse(document.RootElement.GetRawText())!).ToList();
        Assert.NotEmpty(names);
        Assert.All(names, name => Assert.Matches(SnakeCase(), name));
    }

    [Fact]
    public void Every_command_with_json_output_has_a_schema_and_docs_json_names_it()
    {
        var docs = File.ReadAllText(Path.Combine(TestEnvironment.RepositoryRoot, "docs", "json.md"));
        foreach (var file in SchemaFiles())
            Assert.Contains($"schemas/{file}", docs);
        foreach (var command in new[] { "analyze", "bench", "optimize", "restore", "status" })
            Assert.True(File.Exists(Path.Combine(SchemaFolder, $"{command}.schema.json")), command);
    }

    [Fact]
    public void Analyze_json_matches_its_schema()
    {
        var run = KecleonProcess.Run("analyze", Router, "--cflag=-I" + Path.Combine(TestEnvironment.Samples, "include"), "--json");
        Assert.True(run.ExitCode == 0, run.Output);
        AssertValid("analyze", run.Stdout);
    }

    [Fact]
    public void Analyze_json_of_a_service_chain_matches_its_schema()
    {
        var chain = Path.Combine(TestEnvironment.RepositoryRoot, "tests", "Kecleon.Analysis.Tests", "Fixtures", "chain.c");
        var run = KecleonProcess.Run("analyze", chain, "--json");
        Assert.True(run.ExitCode == 0, run.Output);
        AssertValid("analyze", run.Stdout);
        using var json = System.Text.Json.JsonDocument.Parse(run.Stdout);
        var calls = json.RootElement.GetProperty("chain").GetProperty("tail_calls");
        Assert.Equal(["stage_filter", "stage_last"], calls.EnumerateArray().Select(c => c.GetProperty("callees")[0].GetString()).Order());
    }

    /// <summary>The reactions of one kind after one reaction that took <paramref name="ms"/>.</summary>
    private static ReactionStats Reacted(ReactionKind kind, double ms, params (string Stage, double Ms)[] stages)
    {
        var status = new TargetStatus("r", "h");
        status.Reacted(kind, TimeSpan.FromMilliseconds(ms), [.. stages.Select(s => (s.Stage, TimeSpan.FromMilliseconds(s.Ms)))]);
        return Assert.Single(status.Snapshot().Reactions);
    }

    [Fact]
    public async Task Status_json_matches_its_schema()
    {
        var directory = Directory.CreateTempSubdirectory("json-status-").FullName;
        var socket = Path.Combine(directory, "kecleon.sock");
        var now = DateTimeOffset.UtcNow;
        var snapshot = new DaemonSnapshot(now, "tracepoint sys_enter_bpf",
        [
            new TargetSnapshot("router", "interface json0 (xdp link 7)", TargetState.Optimized, null, 42, 41, 30.5, 20.25, now, 2, 0, 1, 1, 1,
                [new Failure(now, "check", "a mismatch")], new CycleTimes(1, 2, 3, 4, 5, 6, 7, 8, 0.1), [12.5], ["routes"])
            {
                RacedChecks = 1,
                Reactions = [Reacted(ReactionKind.Rebuild, 14.2, ("wake", 0.3), ("check", 6)), Reacted(ReactionKind.InPlace, 1.1, ("wake", 0.2), ("flip", 0.4))],
            },
            new TargetSnapshot("idle", "pin /sys/fs/bpf/json/link", TargetState.Backoff, "waiting", null, null, null, null, null, 0, 0, 0, 0, 0,
                [], null, [], []),
            new TargetSnapshot("chain", "the chain from interface json1", TargetState.Optimized, "2 stage(s)", 50, 50, null, null, null, 0, 0, 0, 0, 0,
                [], null, [], [])
            {
                Fused = true,
                Stages =
                [
                    new TargetSnapshot("chain", "XDP bpf_link 9 on json1", TargetState.Optimized, null, 60, 50, null, null, now, 1, 0, 0, 0, 0,
                        [], null, [], ["chain_slots"]) { Stage = "chain_ddos", Place = "entry" },
                    new TargetSnapshot("chain", "slot 1 of PROG_ARRAY map id 7", TargetState.Original, "fused into the entry", 51, 51, null, null, null, 0, 0, 0, 0, 0,
                        [], null, [], []) { Stage = "chain_firewall", Place = "slot 1 of chain_slots (map id 7)" },
                ],
            },
        ]);
        try
        {
            await using (StatusServer.Start(socket, () => snapshot, NullLogger.Instance))
            {
                var run = KecleonProcess.Run("status", "--socket", socket, "--json");
                Assert.True(run.ExitCode == 0, run.Output);
                AssertValid("status", run.Stdout);
                var json = JsonNode.Parse(run.Stdout)!;
                Assert.Equal("optimized", (string)json["targets"]![0]!["state"]!);
                Assert.Equal(30.5 / 20.25, (double)json["targets"]![0]!["speedup"]!, 6);
                Assert.Equal("chain_firewall", (string)json["targets"]![2]!["stages"]![1]!["stage"]!);
                Assert.True((bool)json["targets"]![2]!["fused"]!);
                Assert.Equal("in_place", (string)json["targets"]![0]!["reactions"]![1]!["kind"]!);
                Assert.Equal(14.2, (double)json["targets"]![0]!["reactions"]![0]!["write_to_live_ms"]!["median"]!);
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    [Trait("Tier", "Kernel")]
    public void Bench_json_matches_its_schema_for_one_trace_and_for_the_guard_hook()
    {
        var run = KecleonProcess.Run("bench", "--sample", "router", "--locality", "high", "--packets", "50", "--rounds", "1", "--loads", "1", "--json");
        Assert.True(run.ExitCode == 0, run.Output);
        AssertValid("bench", run.Stdout);
        var trace = Assert.Single(JsonNode.Parse(run.Stdout)!["traces"]!.AsArray())!;
        Assert.Equal(0, (int)trace["mismatches"]!);
        Assert.True((double)trace["speedup"]! > 0, run.Stdout);

        var hook = KecleonProcess.Run("bench", "--guard-hook", "--rounds", "1", "--json");
        Assert.True(hook.ExitCode == 0, hook.Output);
        AssertValid("bench", hook.Stdout);
    }

    [Fact]
    public void Bench_churn_json_matches_its_schema()
    {
        var writes = new[]
        {
            new Kecleon.Bench.Live.ChurnWrite(0, new Kecleon.Bench.Live.ChurnChange("routes", "re-route a hot prefix", KeepsShape: true), TimeSpan.FromMilliseconds(1)),
            new Kecleon.Bench.Live.ChurnWrite(1, new Kecleon.Bench.Live.ChurnChange("routes", "add a /32", KeepsShape: false), TimeSpan.FromMilliseconds(101)),
        };
        var traffic = new Kecleon.Bench.Live.ChurnTraffic(writes, 500, 480, 12, 0, 0, 0, TimeSpan.FromSeconds(0.2));
        var result = new Kecleon.Bench.ChurnResult("router", 0.2, 100, traffic,
        [
            new Kecleon.Bench.ChurnReactions("in_place", 1, 0.8, 0.8, [new Kecleon.Bench.ChurnStage("flip", 0.1, 0.1)]),
            new Kecleon.Bench.ChurnReactions("rebuild", 1, 31.5, 31.5, []),
        ], 0, 0, 1, 2.5);
        AssertValid("bench", Kecleon.Bench.ChurnReport.Json([result]));
    }

    [Fact]
    [Trait("Tier", "Kernel")]
    public void Bench_cycles_json_matches_its_schema_and_its_thresholds_are_checked()
    {
        var thresholds = Path.Combine(Path.GetTempPath(), $"kecleon-cycle-thresholds-{Guid.NewGuid():N}.json");
        File.WriteAllText(thresholds, """
            { "checks": [ { "program": "router", "max_cycle_ms": 0 }, { "max_cycle_check_ms": 100000 }, { "max_mismatches": 0 } ] }
            """);
        try
        {
            var run = KecleonProcess.Run("bench", "--sample", "router", "--cycles", "2", "--json", "--check", thresholds);
            // No cycle takes 0 ms: the first check fails, the second passes, the third is not measured here.
            Assert.True(run.ExitCode == 1, run.Output);
            AssertValid("bench", run.Stdout);
            var router = Assert.Single(JsonNode.Parse(run.Stdout)!["cycles"]!.AsArray())!;
            Assert.Equal(2, (int)router["cycles"]!);
            Assert.Equal(["parse", "analyze", "snapshot", "passes", "o2", "codegen", "load", "check", "ir_to_loaded"],
                router["stages"]!.AsArray().Select(s => (string)s!["stage"]!));
            Assert.Contains("regression: router: warm cycle IR to loaded median", run.Stderr);
            Assert.DoesNotContain("regression: router: warm cycle check", run.Stderr);

            var own = KecleonProcess.Run("bench", "some.c", "--cycles", "2");
            Assert.Equal(64, own.ExitCode);
            Assert.Contains("--cycles times the bundled samples", own.Stderr);
        }
        finally
        {
            File.Delete(thresholds);
        }
    }

    [Fact]
    [Trait("Tier", "Kernel")]
    public void Bench_of_a_service_chain_times_its_stages_and_checks_them_end_to_end()
    {
        var run = KecleonProcess.Run("bench", "--sample", "chain", "--locality", "high", "--packets", "100", "--rounds", "1", "--loads", "1", "--json");
        Assert.True(run.ExitCode == 0, run.Output);
        AssertValid("bench", run.Stdout);
        var trace = Assert.Single(JsonNode.Parse(run.Stdout)!["traces"]!.AsArray())!;
        Assert.Equal(0, (int)trace["mismatches"]!);
        Assert.Equal(["baseline", "floor", "fused", "stages"], trace["variants"]!.AsObject().Select(v => v.Key).Order());

        // The single programs' options do not apply to a chain alone.
        var refused = KecleonProcess.Run("bench", "--sample", "chain", "--lpm-shapes");
        Assert.Equal(64, refused.ExitCode);
        Assert.Contains("service chain", refused.Stderr);
    }

    [Fact]
    [Trait("Tier", "Kernel")]
    public void Optimize_json_matches_its_schema_when_it_swaps_and_checks_a_dry_run()
    {
        using var pair = VethPair.Create();
        var root = pair.PinDirectory;
        var swapped = KecleonProcess.Run("optimize", Router, "--attach", pair.HostEnd, "--pin-root", root, "--check-packets", "100", "--json");
        Assert.True(swapped.ExitCode == 0, swapped.Output);
        AssertValid("optimize", swapped.Stdout);
        var original = ((uint)JsonNode.Parse(swapped.Stdout)!["original_program_id"]!).ToString(CultureInfo.InvariantCulture);

        var fill = KecleonProcess.Run("sample", "load", "router", "--prog-id", original);
        Assert.True(fill.ExitCode == 0, fill.Output);
        var dryRun = KecleonProcess.Run("optimize", Router, "--prog-id", original, "--pin-root", root, "--check-packets", "100", "--dry-run", "--json");
        Assert.True(dryRun.ExitCode == 0, dryRun.Output);
        AssertValid("optimize", dryRun.Stdout);
        var dry = JsonNode.Parse(dryRun.Stdout)!;
        Assert.True((bool)dry["dry_run"]!);
        Assert.Equal(0, (int)dry["mismatches"]!);
        Assert.NotEmpty(dry["maps"]!.AsArray());

        var restored = KecleonProcess.Run("optimize", Router, "--prog-id", original, "--pin-root", root, "--restore", "--json");
        Assert.True(restored.ExitCode == 0, restored.Output);
        // --restore prints what `kecleon restore --json` prints.
        AssertValid("restore", restored.Stdout);
        var undone = Assert.Single(JsonNode.Parse(restored.Stdout)!["restored"]!.AsArray())!;
        Assert.Equal(original, ((uint)undone["original_program_id"]!).ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>Fails with every error the schema found, each at its place in the output.</summary>
    internal static void AssertValid(string command, string output)
    {
        var schema = JsonSchema.FromText(File.ReadAllText(Path.Combine(SchemaFolder, $"{command}.schema.json")),
            new BuildOptions { SchemaRegistry = new SchemaRegistry() });
        using var document = JsonDocument.Parse(output);
        var result = schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
        Assert.True(result.IsValid, $"{command} --json does not match docs/schemas/{command}.schema.json:\n{Describe(result)}\n{output}");
    }

    private static string Describe(EvaluationResults result) => string.Join("\n",
        (result.Details ?? []).Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"  {d.InstanceLocation}: {e.Key}: {e.Value}")));

    /// <summary>Every name a schema gives a property: keys of "properties", entries of "required".</summary>
    private static IEnumerable<string> PropertyNames(JsonNode node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o)
                {
                    if (key == "properties" && value is JsonObject properties)
                        foreach (var name in properties.Select(p => p.Key))
                            yield return name;
                    if (key == "required" && value is JsonArray required)
                        foreach (var name in required)
                            yield return (string)name!;
                    if (value is not null)
                        foreach (var name in PropertyNames(value))
                            yield return name;
                }
                break;
            case JsonArray a:
                foreach (var item in a.OfType<JsonNode>())
                    foreach (var name in PropertyNames(item))
                        yield return name;
                break;
        }
    }

    [GeneratedRegex("^[a-z][a-z0-9]*(_[a-z0-9]+)*$")]
    private static partial Regex SnakeCase();
}
